"""benchmarks/hybrid.py's rotamer_changes_per_ps (wells from the reference, no dead zone) for saved aspirin runs.

    python docs/results/hybrid_v31/rotamer_rates.py RUN.npz ...
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
import hybrid  # noqa: E402
from asteroid_openmm import get_system  # noqa: E402
from asteroid_openmm.integrator.rotamers import Rotamers  # noqa: E402

sd = get_system("aspirin")
bonds, _, _, _ = hybrid.fidelity_coordinates("aspirin", sd)
rot = Rotamers(bonds, sd.atomic_numbers)
ref = np.load(ROOT / "runs/h22/asp_mc.npz")
ref_x = ref["reference__positions_nm"].astype(np.float64)
print("torsions", rot.quads.tolist())
for key in ("reference", "plain_A", "plain_B"):
    rates = hybrid.rotamer_changes_per_ps(ref[f"{key}__positions_nm"].astype(np.float64), ref_x, rot, 0.01)
    print(f"{key:28s} " + " ".join(f"{v:6.2f}" for v in rates))
for path in sys.argv[1:]:
    run = np.load(path)
    key = [k for k in run.files if k.startswith("hybrid_0") and k.endswith("__positions_nm")][0]
    rates = hybrid.rotamer_changes_per_ps(run[key].astype(np.float64), ref_x, rot, 0.01)
    print(f"{Path(path).stem:28s} " + " ".join(f"{v:6.2f}" for v in rates))
