#!/bin/bash
# Twenty-second session: hybrids with a given model against the nineteenth session's plain runs
# (docs/results/hybrid_v19/*_base.sh). Usage: [CORE=N] bash model_runs.sh SYSTEM NAME BASE_SEED MODEL SETTING
# (hybrid seed = BASE_SEED + 10; MODEL "shipped" = the package's pretrained model).
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h22
model=()
[ "$4" != shipped ] && model=(--model "$4")
OPENMM_CPU_THREADS=1 taskset -c "${CORE:-0}" python benchmarks/hybrid.py --system "$1" --reference-ps 100 \
    --time-ps 100 --reuse-plain "runs/h19/${1:0:3}_base.json" --seed "$3" "${model[@]}" --sweep "$5" \
    --json "runs/h22/$2.json" --plot none --save-samples "runs/h22/$2.npz" > "runs/h22/$2.log" 2>&1
