#!/bin/bash
# The fourteenth session's 100 ps ethanol hybrid runs, each against the plain runs of runs/h12/eth_base.json
# (twelfth session; docs/results/hybrid_v12/reuse_runs.sh), one process per core. Results: runs/h12/NAME.json,
# copied here without the .npz samples.
S=rollouts=8,relax_steps=20,anchor_steps=40
R=docs/results/hybrid_v12/reuse_runs.sh
for seed in 1300 1400; do bash $R 0 r8s_rf300_s$seed $seed $S,relax_friction=300; done
for seed in 1300 1400 1600; do bash $R 1 r8s_msamp_s$seed $seed $S,mirror_sampling=1; done
# Pass rates (all runs below): python benchmarks/fidelity_noise.py runs/h12/eth_base.json runs/h12/r8s_msamp_s1300.json ... \
#   --segments 4 --json docs/results/hybrid_v14/session14_noise4.json --plot none
# Stochastic (energy-score) models fine-tuned from the shipped ethanol model, one core each:
# asteroid-openmm simulate ethanol --steps 100000 --report-interval 10 --out runs/forecast/ethanol/train.dcd --seed 1 --equilibration-steps 2000
# asteroid-openmm simulate ethanol --steps 100000 --report-interval 10 --out runs/forecast/ethanol/train2.dcd --seed 3 --equilibration-steps 2000
# A: asteroid-openmm train --trajectory runs/forecast/ethanol/train.dcd --out runs/forecast/ethanol/stoch_a.pt \
#      --noise-dim 8 --pushforward 0.15 --lr 3e-4 --init-from asteroid_openmm/pretrained/ethanol.pt --threads 1 \
#      --max-steps-per-epoch 200 --max-minutes 30 --seed 0
# B: asteroid-openmm train --trajectory runs/forecast/ethanol/train.dcd runs/forecast/ethanol/train2.dcd \
#      --out runs/forecast/ethanol/stoch_b.pt --noise-dim 8 --pushforward 0.25 --pushforward-levels 4 --lr 3e-4 \
#      --init-from asteroid_openmm/pretrained/ethanol.pt --threads 1 --max-steps-per-epoch 200 --max-minutes 25 --seed 0
for tag in a b; do
  for seed in 1300 1400; do
    bash docs/results/hybrid_v14/model_runs.sh 0 r8s_stoch${tag}_s$seed $seed runs/forecast/ethanol/stoch_$tag.pt $S
  done
done
# Model A with mirror sampling, one seed per core:
for seed in 1300 1400; do
  bash docs/results/hybrid_v14/model_runs.sh 0 r8s_stocha_msamp_s$seed $seed runs/forecast/ethanol/stoch_a.pt $S,mirror_sampling=1
done
