#!/bin/bash
# The shipped models' fast-mode donor libraries. Aspirin's: 2 x 25 ps of exact MC-MD at 500 K (plain ANI-1x MD with the
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
# The shipped ethanol model's until the thirtieth session (now hybrid_v30/runs.sh step 4b, sampled every 3.5 fs): 2 x 25 ps of plain MD at 500 K (its hydroxyl rotamers mix within picoseconds),
# after 2 ps of equilibration, seeds 2411 and 2412, samples every 10 fs, 4096 of the 5000 frames kept.
for seed in 2411 2412; do
    OPENMM_CPU_THREADS=1 asteroid-openmm simulate ethanol --steps 50000 --report-interval 20 --equilibration-steps 4000 \
        --out "runs/h24/eth_lib_$seed.dcd" --seed "$seed" --platform CPU --no-progress &
done
wait
asteroid-openmm donors ethanol runs/h24/eth_lib_2411.dcd runs/h24/eth_lib_2412.dcd --temperature 500 \
    --out asteroid_openmm/pretrained/ethanol.pt
