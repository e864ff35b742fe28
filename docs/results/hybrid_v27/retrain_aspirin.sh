#!/bin/bash
# Twenty-seventh session: does a model trained on plain MD started from the 10,000-frame donor library's frames
# (hybrid_v26's bigger library, runs/h25/asp_lib100.pt) bring the played-back energy back down when that library is
# attached? The twenty-fifth session's recipe (retrain_aspirin.sh there) with one change: the start frames come from
# the bigger library (LIBRARY=...; same 20 x 2.5 ps, seed 2501, same 20-minute training, held-out plain run seed 2511).
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h27
LIB=runs/h25/asp_lib100.pt
for w in 0 1; do
    LIBRARY=$LIB OPENMM_CPU_THREADS=1 taskset -c $w python docs/results/hybrid_v25/rotamer_data.py runs/h27/rotdata 20 2.5 2501 $w 2 &
done
wait
# train NAME CORE ARGS...: one training on the data above, then the 10,000 frames attached (the two MC-MD chains
# of make_library.sh, seeds 2403/2404)
train() {
    local name=$1 core=$2
    shift 2
    taskset -c "$core" asteroid-openmm train --trajectory runs/h27/rotdata/segment_*.npz --frame-interval-ps 0.005 \
        --out "runs/h27/$name.pt" --threads 1 --max-steps-per-epoch 200 --quiet "$@"
    asteroid-openmm donors "runs/h27/$name.pt" runs/h25/lib_2403_md17.npz runs/h25/lib_2404_md17.npz \
        --temperature 500 --frame-interval 0.01 --frames 10000 --out "runs/h27/$name.pt"
}
# evaluate NAME...: the held-out scores of each model
evaluate() {
    for m in "$@"; do
        OPENMM_CPU_THREADS=1 asteroid-openmm evaluate --model "runs/h27/$m.pt" --trajectory runs/h27/heldout.dcd \
            --system aspirin --json "runs/h27/$m.evaluation.json" --plot "runs/h27/$m.evaluation.png" --device cpu
    done
}
train asp_lib100data 1 --max-minutes 20 --seed 0
# Held-out: 10 ps of plain MD after 2 ps of equilibration (the twenty-fifth session's, seed 2511)
[ -f runs/h27/heldout.dcd ] || OPENMM_CPU_THREADS=1 asteroid-openmm simulate aspirin --steps 20000 --report-interval 10 \
    --equilibration-steps 4000 --out runs/h27/heldout.dcd --seed 2511 --platform CPU --no-progress
evaluate asp_lib100data
# The 20-minute budget gave 5 epochs here (the CPU was shared with library_energy.py), the shipped model's 8: the
# same training with a fixed 8 epochs (cosine schedule over them), alone on one core.
train asp_lib100data8 1 --epochs 8 --seed 0
evaluate asp_lib100data8
# Training-to-training variance: the same 8 epochs with another seed (1); and pushforward training (a fifth of the
# windows start from the model's own forecast) on the same data, 8 epochs; side by side.
train asp_lib100data8s1 1 --epochs 8 --seed 1 &
train asp_lib100data8pf 0 --epochs 8 --seed 0 --pushforward 0.2 &
wait
evaluate asp_lib100data8s1 asp_lib100data8pf
