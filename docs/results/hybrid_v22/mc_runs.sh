#!/bin/bash
# More settings against mc_reference.sh's plain runs (exact-sampler reference): [CORE=N] bash mc_runs.sh NAME SEED SETTING
# (MODEL=FILE: another model than the shipped one; twenty-fifth session)
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
OPENMM_CPU_THREADS=1 taskset -c "${CORE:-0}" python benchmarks/hybrid.py --system aspirin --reference-ps 150 \
    --time-ps 100 --reference-torsion-mc 8 --reuse-plain runs/h22/asp_mc.json --seed "$2" ${MODEL:+--model "$MODEL"} --sweep "$3" \
    --json "runs/h22/$1.json" --plot none --save-samples "runs/h22/$1.npz" > "runs/h22/$1.log" 2>&1
