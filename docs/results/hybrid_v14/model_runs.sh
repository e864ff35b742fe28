#!/bin/bash
# A 100 ps ethanol hybrid run with another model file, against the plain runs of runs/h12/eth_base.json.
# Usage: bash docs/results/hybrid_v14/model_runs.sh CORE NAME SEED MODEL SETTING [SETTING ...]
set -euo pipefail
core=$1 name=$2 seed=$3 model=$4
shift 4
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
OPENMM_CPU_THREADS=1 taskset -c "$core" python benchmarks/hybrid.py --system ethanol --model "$model" \
    --reference-ps 100 --time-ps 100 --reuse-plain runs/h12/eth_base.json --seed "$seed" --sweep "$@" \
    --json "runs/h12/$name.json" --plot none --save-samples "runs/h12/$name.npz" > "runs/h12/$name.log" 2>&1
