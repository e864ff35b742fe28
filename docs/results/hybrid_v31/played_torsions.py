"""Aspirin's heavy-atom rotamer torsions and energies: played-back vs real-MD frames of hybrid runs, the MC-MD
reference and plain B.

    python docs/results/hybrid_v31/played_torsions.py RUN.npz ...

Per torsion: circular mean and sd (degrees) in each well (|phi| < 90 or > 90 for the twofold ones; sign for the
ester's +-80 degree wells), and its share; then the mean energy (kJ/mol) minus the reference's of played-back and
real frames.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hybrid_v28"))
from offline_setup import hybrid_frames, offline_setup  # hybrid_v28's, shared
from asteroid_openmm.evaluation.metrics import dihedrals

o = offline_setup(Path(__file__).resolve().parents[3] / "runs/h27/asp_lib100data8pf.pt", sys.argv[1])
heavy = o.rot.quads[o.rot.heavy]
ref = o.ref


def describe(name, x):
    phi = dihedrals(x, heavy)
    cells = []
    for t, q in enumerate(heavy):
        p = phi[:, t]
        split = p > 0 if t == 1 else np.abs(p) < 90  # the ester's mirror wells; syn/anti otherwise
        for side in (True, False):
            sel = p[split == side]
            if len(sel) < 10:
                cells.append(f"{'':>17s}")
                continue
            z = np.mean(np.exp(1j * np.radians(sel)))
            cells.append(f"{np.degrees(np.angle(z)):7.1f} {np.degrees(np.sqrt(-2 * np.log(abs(z)))):4.1f} "
                         f"{len(sel) / len(p):4.2f}")
    print(f"{name:30s} " + " | ".join(cells))


print("torsions", heavy.tolist(), "(per well: circular mean, sd, share)")
describe("reference", ref["reference__positions_nm"].astype(np.float64))
describe("plain B", ref["plain_B__positions_nm"].astype(np.float64))
describe("library", o.library)
e_ref = ref["reference__energy_kJmol"].mean()
for path in sys.argv[1:]:
    run = np.load(path)
    x, played = hybrid_frames(path)
    key = [k for k in run.files if k.startswith("hybrid_0") and k.endswith("__energy_kJmol")][0]
    e = run[key]
    describe(path.split("/")[-1][:-4] + " played", x[played])
    describe(path.split("/")[-1][:-4] + " real", x[~played])
    print(f"{'':30s} energy - reference: played {e[played].mean() - e_ref:+.2f}, real {e[~played].mean() - e_ref:+.2f}"
          f" kJ/mol; played share {played.mean():.2f}")
