#!/bin/bash
# The shipped aspirin model's fast-mode donor library: 2 x 25 ps of exact MC-MD at 500 K (plain ANI-1x MD with the
# landing's torsion Metropolis moves every 40 steps; seeds 2401, 2402, independent of every benchmark run), samples
# every 10 fs, 4096 of the 5000 frames kept. About 7 minutes with one chain per core.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h24
for seed in 2401 2402; do
    OPENMM_CPU_THREADS=1 python docs/results/hybrid_v21/mc_md_reference.py "runs/h24/lib_$seed.npz" 25 "$seed" &
done
wait
# MD17-style files (R in Angstrom, z), then the donors command.
python - <<'PY'
import numpy as np
from asteroid_openmm.systems import get_system
z = get_system("aspirin").atomic_numbers
for seed in (2401, 2402):
    x = np.load(f"runs/h24/lib_{seed}.npz")["positions_nm"]
    np.savez(f"runs/h24/lib_{seed}_md17.npz", R=10.0 * x, z=z)
PY
asteroid-openmm donors aspirin runs/h24/lib_2401_md17.npz runs/h24/lib_2402_md17.npz --temperature 500 \
    --frame-interval 0.01 --out asteroid_openmm/pretrained/aspirin.pt
