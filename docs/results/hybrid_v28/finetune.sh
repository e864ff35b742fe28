#!/bin/bash
# Twenty-eighth session: the ester torsion drifts with depth in the forecast chain (ester_drift.py). Fine-tune the
# twenty-seventh session's pushforward model (hybrid_v27/retrain_aspirin.sh: asp_lib100data8pf) on the same data with
# longer pushforward chains (half the windows, contexts of the 1st-4th chained forecast), then attach the same
# 10,000-frame library.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h28
taskset -c 1 asteroid-openmm train --trajectory runs/h27/rotdata/segment_*.npz --frame-interval-ps 0.005 \
    --out runs/h28/asp_pf4.pt --threads 1 --max-steps-per-epoch 200 --quiet --epochs 3 --lr 3e-4 --seed 0 \
    --pushforward 0.5 --pushforward-levels 4 --init-from runs/h27/asp_lib100data8pf.pt
asteroid-openmm donors runs/h28/asp_pf4.pt runs/h25/lib_2403_md17.npz runs/h25/lib_2404_md17.npz \
    --temperature 500 --frame-interval 0.01 --frames 10000 --out runs/h28/asp_pf4.pt
