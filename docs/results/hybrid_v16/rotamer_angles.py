"""Bond angles at ethanol's C-O bond by hydroxyl rotamer, in a plain run (``benchmarks/hybrid.py --save-samples``).

Trans: |C-C-O-H| > 150 degrees; gauche: 30-90. Prints each angle's mean (degrees) per state and its sd.

Usage: python docs/results/hybrid_v16/rotamer_angles.py SAMPLES.npz
"""
import sys

import numpy as np

from asteroid_openmm.evaluation.metrics import dihedrals

x = np.load(sys.argv[1])["reference__positions_nm"].astype(np.float64)
phi = dihedrals(x, np.array([[0, 1, 2, 8]]))[:, 0]
states = {"trans": np.abs(phi) > 150, "gauche": (np.abs(phi) > 30) & (np.abs(phi) < 90)}
print(f"{sys.argv[1]} reference run, {len(x)} frames: " + ", ".join(f"{s} {m.mean():.2f}" for s, m in states.items()))
for name, (i, j, k) in {"C-C-O": (0, 1, 2), "H6-C-O": (6, 1, 2), "H7-C-O": (7, 1, 2), "C-O-H": (1, 2, 8),
                        "C-C-H6": (0, 1, 6), "H-C-H (CH2)": (6, 1, 7)}.items():
    u, v = x[:, i] - x[:, j], x[:, k] - x[:, j]
    angle = np.degrees(np.arccos((u * v).sum(-1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1)))
    print(f"{name:12s} " + "  ".join(f"{s} {angle[m].mean():6.2f}" for s, m in states.items()) + f"  sd {angle.std():.2f}")
