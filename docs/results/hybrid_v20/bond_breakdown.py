"""Per bond and per angle: mean and sd (nm / degrees) in the reference, the plain runs and each hybrid, with the
hybrid split into played-back forecast frames and real-MD frames.

python docs/results/hybrid_v20/bond_breakdown.py SYSTEM SAMPLES.npz [SAMPLES.npz ...]
"""
import sys

import numpy as np

from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import infer_bonds

system = sys.argv[1]
runs = {}
for path in sys.argv[2:]:
    d = np.load(path)
    for key in d.files:
        if key.endswith("__positions_nm"):
            name = key[: -len("__positions_nm")]
            runs.setdefault(name[:40], (d[key].astype(np.float64), d[name + "__playback"]))
s = get_system(system)
z = np.array(s.atomic_numbers)
ref = runs["reference"][0]
bonds = infer_bonds(ref[0], z)
symbols = {1: "H", 6: "C", 7: "N", 8: "O"}
label = lambda *ix: "-".join(f"{symbols[z[i]]}{i}" for i in ix)  # noqa: E731


def lengths(x):
    return np.linalg.norm(x[:, bonds[:, 0]] - x[:, bonds[:, 1]], axis=-1)


print(f"{system}: bond lengths (nm), mean/sd; hybrids split as all | playback | real")
print(f"{'run':42s}" + "".join(f"{label(a, b):>16s}" for a, b in bonds))
for name, (x, playback) in runs.items():
    L = lengths(x)
    parts = [("all", np.ones(len(x), bool))]
    if playback.any():
        parts += [("play", playback), ("real", ~playback)]
    for part, mask in parts:
        row = "".join(f"{L[mask, j].mean():8.4f}/{L[mask, j].std():.4f}"[-16:].rjust(16) for j in range(len(bonds)))
        print(f"{(name + ' ' + part)[:42]:42s}{row}  n={mask.sum()}")
