#!/bin/bash
# More hybrid runs against the plain runs of runs/h12/eth_base.json (twelfth session), one process per core.
# Usage: bash docs/results/hybrid_v12/reuse_runs.sh CORE NAME SEED SETTING [SETTING ...]
# e.g.   bash docs/results/hybrid_v12/reuse_runs.sh 1 r8_s1300 1300 rollouts=8
set -euo pipefail
core=$1 name=$2 seed=$3
shift 3
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
OPENMM_CPU_THREADS=1 taskset -c "$core" python benchmarks/hybrid.py --system ethanol --reference-ps 100 --time-ps 100 \
    --reuse-plain runs/h12/eth_base.json --seed "$seed" --sweep "$@" \
    --json "runs/h12/$name.json" --plot none --save-samples "runs/h12/$name.npz" > "runs/h12/$name.log" 2>&1
