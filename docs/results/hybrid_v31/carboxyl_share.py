"""The carboxyl's syn share (|C4-C9-C10-O11| < 90 degrees) and the ester's share of its positive well
(C1-O3-C4-C5 > 0) over all saved frames of each run, against the MC-MD reference and plain A/B (aspirin).

    python docs/results/hybrid_v31/carboxyl_share.py RUN.npz ...
"""
import sys
from pathlib import Path

import numpy as np

from asteroid_openmm.evaluation.metrics import dihedrals

ROOT = Path(__file__).resolve().parents[3]
QUADS = np.array([[4, 9, 10, 11], [1, 3, 4, 5]])


def shares(x):
    phi = dihedrals(x, QUADS)
    return np.mean(np.abs(phi[:, 0]) < 90), np.mean(phi[:, 1] > 0)


ref = np.load(ROOT / "runs/h22/asp_mc.npz")
print(f"{'run':36s} carboxyl syn  ester +")
for key in ("reference", "plain_A", "plain_B"):
    print(f"{key:36s} {shares(ref[f'{key}__positions_nm'].astype(np.float64))[0]:11.2f} "
          f"{shares(ref[f'{key}__positions_nm'].astype(np.float64))[1]:8.2f}")
for path in sys.argv[1:]:
    run = np.load(path)
    key = [k for k in run.files if k.startswith("hybrid_0") and k.endswith("__positions_nm")][0]
    syn, plus = shares(run[key].astype(np.float64))
    print(f"{Path(path).stem:36s} {syn:11.2f} {plus:8.2f}")
