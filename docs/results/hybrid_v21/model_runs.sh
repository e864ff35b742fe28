#!/bin/bash
# Twenty-first session: hybrids with a given model against the nineteenth session's plain runs
# (docs/results/hybrid_v19/*_base.sh). Usage: [CORE=N] bash model_runs.sh SYSTEM NAME BASE_SEED MODEL SETTING
# (hybrid seed = BASE_SEED + 10; MODEL "shipped" = the package's pretrained model). OUT: output folder (default
# runs/h21; the twenty-second session's runs.sh sets runs/h22).
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
OUT="${OUT:-runs/h21}"
mkdir -p "$OUT"
model=()
[ "$4" != shipped ] && model=(--model "$4")
OPENMM_CPU_THREADS=1 taskset -c "${CORE:-0}" python benchmarks/hybrid.py --system "$1" --reference-ps 100 \
    --time-ps 100 --reuse-plain "runs/h19/${1:0:3}_base.json" --seed "$3" "${model[@]}" --sweep "$5" \
    --json "$OUT/$2.json" --plot none --save-samples "$OUT/$2.npz" > "$OUT/$2.log" 2>&1
