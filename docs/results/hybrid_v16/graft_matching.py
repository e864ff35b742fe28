"""Grafting bias of thermal fast modes between thermal frames, and donor matching that removes it (offline).

Targets and donors are frames of one plain run (a ``--save-samples`` file's reference run). Each target gets the
1-2/1-3 distances of a donor (``FastModeResampler``, h = 0) chosen:
- at random (the integrator's rule);
- at random, with each symmetric terminal rotor's terminal atoms of the donor relabelled (a cyclic shift in the
  rotor's turning order) so that they sit where the target's do;
- among donors in the target's rotamer (``Rotamers.choose``: the hydroxyl torsion within 30 / 60 / 90 degrees of
  the target's, the integrator's ``rotamer_window``);
- within 60 degrees and relabelled.
Prints the mean energy change against the target (kJ/mol) with its paired standard error, and the energy sd.

Usage: python docs/results/hybrid_v16/graft_matching.py SAMPLES.npz [N_TARGETS [SEED]]
"""
import sys

import numpy as np

sys.path.insert(0, "docs/results/energy_diagnosis")
from common import load  # noqa: E402

from asteroid_openmm.evaluation.metrics import dihedrals  # noqa: E402
from asteroid_openmm.integrator.rotamers import Rotamers  # noqa: E402
from asteroid_openmm.integrator.rotor_librations import symmetric_terminal_rotors  # noqa: E402

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
bonds, _, _, fm, energy = load("ethanol", "runs/energy/eth15_5fs.npz")
z = np.array([6, 6, 8, 1, 1, 1, 1, 1, 1])
d = np.load(path)
x = d["reference__positions_nm"].astype(np.float64)
e = d["reference__energy_kJmol"]
rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
t_idx = rng.choice(len(x), n, replace=False)
pool = np.setdiff1d(np.arange(len(x)), t_idx)
rotors = symmetric_terminal_rotors(bonds, z)


def rotor_dihedrals(frames, rotor):
    a, b, c, term = rotor
    quads = np.stack([term, np.full(len(term), a), np.full(len(term), b), np.full(len(term), c)], 1)
    return dihedrals(frames, quads)  # degrees [F, k]


def relabel(donor, target):
    """The donor with each rotor's terminal atoms cyclically relabelled to sit where the target's do."""
    out = donor.copy()
    for rotor in rotors:
        term = rotor[3]
        k = len(term)
        pd, pt = rotor_dihedrals(donor[None], rotor)[0], rotor_dihedrals(target[None], rotor)[0]
        od, ot = term[np.argsort(pd)], term[np.argsort(pt)]  # turning order
        best, best_cost = None, np.inf
        for s in range(k):
            src = np.roll(od, s)
            diff = (rotor_dihedrals(donor[None], (rotor[0], rotor[1], rotor[2], src))[0]
                    - rotor_dihedrals(target[None], (rotor[0], rotor[1], rotor[2], ot))[0] + 180) % 360 - 180
            cost = (diff ** 2).sum()
            if cost < best_cost:
                best, best_cost = src, cost
        out[ot] = donor[best]
    return out


rotamers = Rotamers(bonds, z)
rows = {k: [] for k in ("random", "relabelled", "within 30 deg", "within 60 deg", "within 90 deg",
                        "within 60 deg, relabelled")}
for i, t in enumerate(t_idx):
    pick = pool[rng.integers(len(pool))]
    rows["random"].append(x[pick])
    rows["relabelled"].append(relabel(x[pick], x[t]))
    for w in (30, 60, 90):
        pick = pool[rotamers.choose(x[t][None], x[pool], rng, w)[0]]
        rows[f"within {w} deg"].append(x[pick])
    rows["within 60 deg, relabelled"].append(relabel(rows["within 60 deg"][-1], x[t]))
targets = x[t_idx]
print(f"{path}: {n} reference targets, donors from the rest of the reference run; targets' sd {e[t_idx].std():.1f}")
for name, donors in rows.items():
    donors = np.array(donors)
    dist = fm.distances(donors)
    g = energy(fm.set_distances(targets, dist))
    diff = g - e[t_idx]
    print(f"{name:26s} {diff.mean():+6.2f} ± {diff.std() / np.sqrt(n):.2f}   sd {g.std():5.1f}", flush=True)
