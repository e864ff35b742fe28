#!/bin/bash
# A bigger donor library for the shipped aspirin model (twenty-sixth session): all 10,000 frames of 100 ps of exact
# MC-MD at 500 K (2 x 50 ps, seeds 2403 and 2404, independent of every benchmark run) instead of 4096 random frames
# of the twenty-fourth session's 2 x 25 ps (seeds 2401 and 2402). Played-back frames take their bond lengths and
# angles from the library, and the 4096-frame library was itself 2.1-2.3x the benchmark's A-B floor away from the
# reference in bonds and angles (library_divergence.txt). About 15 minutes with one chain per core on an idle
# machine. OUT=FILE writes the model there (default: over the shipped one).
set -euo pipefail
cd "$(dirname "$0")/../../.."
mkdir -p runs/h25
source .venv/bin/activate
for i in 0 1; do
    OPENMM_CPU_THREADS=1 taskset -c $i python docs/results/hybrid_v21/mc_md_reference.py "runs/h25/lib_$((2403 + i)).npz" \
        50 $((2403 + i)) > "runs/h25/lib_$((2403 + i)).log" &
done
wait
python - <<'PY'
import numpy as np
from asteroid_openmm.systems import get_system
z = get_system("aspirin").atomic_numbers
for seed in (2403, 2404):
    x = np.load(f"runs/h25/lib_{seed}.npz")["positions_nm"]
    np.savez(f"runs/h25/lib_{seed}_md17.npz", R=10.0 * x, z=z)
PY
asteroid-openmm donors asteroid_openmm/pretrained/aspirin.pt runs/h25/lib_2403_md17.npz runs/h25/lib_2404_md17.npz \
    --temperature 500 --frame-interval 0.01 --frames 10000 \
    --out "${OUT:-asteroid_openmm/pretrained/aspirin.pt}"
