"""Ethanol's hydroxyl rotamer along each run's saved frames: well populations and well changes per ps, against the
plain runs. Wells: gauche+ (C-C-O-H in 0..120 degrees), trans (beyond +-120), gauche- (-120..0), changed only on
entering a well's core (within 40 degrees of 60, 180 or -60).

    python docs/results/hybrid_v31/ethanol_hydroxyl.py RUN.npz ...
"""
import sys
from pathlib import Path

import numpy as np

from asteroid_openmm.evaluation.metrics import dihedrals

ROOT = Path(__file__).resolve().parents[3]
CENTRES = np.array([60.0, 180.0, -60.0])


def describe(name, x, frame_ps):
    phi = dihedrals(x, np.array([[0, 1, 2, 8]]))[:, 0]
    d = np.abs((phi[:, None] - CENTRES + 180) % 360 - 180)
    state, last = np.empty(len(phi), np.int64), int(np.argmin(d[0]))
    for i, row in enumerate(d):
        if row.min() < 40:
            last = int(np.argmin(row))
        state[i] = last
    flips = np.sum(state[1:] != state[:-1]) / (len(state) * frame_ps)
    share = np.bincount(state, minlength=3) / len(state)
    print(f"{name:34s} g+ {share[0]:.2f} t {share[1]:.2f} g- {share[2]:.2f}   well changes {flips:5.2f}/ps")


base = np.load(ROOT / "runs/h19/eth_base.npz")
for key in ("reference__positions_nm", "plain_A__positions_nm", "plain_B__positions_nm"):
    describe(key.split("__")[0], base[key].astype(np.float64), 0.01)
for path in sys.argv[1:]:
    run = np.load(path)
    key = [k for k in run.files if k.startswith("hybrid_0") and k.endswith("__positions_nm")][0]
    describe(Path(path).stem, run[key].astype(np.float64), 0.01)
