#!/bin/bash
# Twentieth session: fast-mode donors every few steps of equilibrium real MD (fast_mode_donor_stride) against the
# nineteenth session's plain runs (docs/results/hybrid_v19/*_base.sh), at the hybrid seeds of its kept runs.
# Usage: [CORE=N] bash donor_runs.sh SYSTEM NAME BASE_SEED SETTING   (hybrid seed = BASE_SEED + 10)
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h20
OPENMM_CPU_THREADS=1 taskset -c "${CORE:-0}" python benchmarks/hybrid.py --system "$1" --reference-ps 100 \
    --time-ps 100 --reuse-plain "runs/h19/${1:0:3}_base.json" --seed "$3" --sweep "$4" \
    --json "runs/h20/$2.json" --plot none --save-samples "runs/h20/$2.npz" > "runs/h20/$2.log" 2>&1
