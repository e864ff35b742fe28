#!/bin/bash
# The twenty-fifth session's aspirin model (asteroid_openmm/pretrained/aspirin.pt from then on): the same architecture
# and 20-minute CPU training recipe as before, on training data that covers aspirin's slow rotamers (rotamer_data.py:
# 20 runs of 2.5 ps of plain MD started from the MC-MD frames of the donor library, seed 2501), then the same donor
# library attached, then the evaluation on a held-out plain run (seed 2511) for the old and the new model.
# About 35 minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h25
cp asteroid_openmm/pretrained/aspirin.pt runs/h25/aspirin_before.pt  # the old model, for the comparison
for w in 0 1; do
    OPENMM_CPU_THREADS=1 taskset -c $w python docs/results/hybrid_v25/rotamer_data.py runs/h25/rotdata 20 2.5 2501 $w 2 &
done
wait
taskset -c 1 asteroid-openmm train --trajectory runs/h25/rotdata/segment_*.npz --frame-interval-ps 0.005 \
    --out runs/h25/asp_new.pt --max-minutes 20 --seed 0 --threads 1 --max-steps-per-epoch 200 --quiet
python docs/results/hybrid_v25/copy_library.py runs/h25/asp_new.pt
# Held-out: 10 ps of plain MD after 2 ps of equilibration, frames every 10 steps (5 fs).
OPENMM_CPU_THREADS=1 asteroid-openmm simulate aspirin --steps 20000 --report-interval 10 --equilibration-steps 4000 \
    --out runs/h25/heldout.dcd --seed 2511 --platform CPU --no-progress
for m in aspirin_before asp_new; do
    OPENMM_CPU_THREADS=1 asteroid-openmm evaluate --model runs/h25/$m.pt --trajectory runs/h25/heldout.dcd \
        --system aspirin --json runs/h25/$m.evaluation.json --plot runs/h25/$m.evaluation.png --device cpu
done
