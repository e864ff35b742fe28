#!/bin/bash
# Twenty-first session: new aspirin training data (two 50 ps plain ANI-1x runs, seeds 1 and 3, the recipe of
# benchmarks/forecast_quality.py) and models fine-tuned from the shipped aspirin model on them, one core each.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
d=runs/s21/asp
mkdir -p $d
for i in 0 1; do
  OPENMM_CPU_THREADS=1 taskset -c $i asteroid-openmm simulate aspirin --steps 100000 --report-interval 10 \
      --out $d/train$i.dcd --seed $((1 + 2 * i)) --equilibration-steps 2000 --no-progress > $d/sim$i.log 2>&1 &
done
wait
common=(--trajectory $d/train0.dcd $d/train1.dcd --init-from asteroid_openmm/pretrained/aspirin.pt --lr 3e-4
        --threads 1 --max-steps-per-epoch 200 --seed 0 --quiet)
# stochastic (energy score; the ninth session's recipe), on one core
taskset -c 0 asteroid-openmm train "${common[@]}" --noise-dim 8 --pushforward 0.15 --max-minutes 30 \
    --out $d/stoch.pt > $d/stoch.log 2>&1 &
wait
# then (after the runs of runs.sh with it, kept as stoch_30min.pt): 30 more minutes
cp $d/stoch.pt $d/stoch_30min.pt
taskset -c 0 asteroid-openmm train "${common[@]}" --noise-dim 8 --pushforward 0.15 --max-minutes 60 --resume \
    --out $d/stoch.pt > $d/stoch_resume.log 2>&1
cp $d/stoch.pt $d/stoch_60min.pt
