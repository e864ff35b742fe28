"""Aspirin's dihedral divergence against the twenty-first session's MC-MD chains, pooled and per torsion axis.

    python docs/results/hybrid_v22/axis_divergence.py RUN.npz ...

RUN.npz: benchmarks/hybrid.py --save-samples files of aspirin. The reference is the four MC-MD chains of
docs/results/hybrid_v21/mc_md_reference.py (runs/s21/mcmd/chain{0..3}.npz, 240 ps pooled); the floor the mean JS of
the nineteenth session's plain A and B (runs/h19/asp_base.npz). Prints the pooled dihedral ratio as is and with
every histogram symmetrised under phi -> -phi (aspirin is achiral), then each torsion axis's own symmetrised
histogram's JS (x 1e3) against the reference.
"""
import sys
from pathlib import Path
import numpy as np
from asteroid_openmm.evaluation.metrics import dihedrals, js_divergence
sys.path.insert(0, "benchmarks")
import hybrid
from asteroid_openmm.systems import get_system
sysdef = get_system("aspirin")
bonds, _, quads, _ = hybrid.fidelity_coordinates("aspirin", sysdef)
mc = np.concatenate([np.load(f"runs/s21/mcmd/chain{i}.npz")["positions_nm"] for i in range(4)])
ref = dihedrals(mc, quads)
base = np.load("runs/h19/asp_base.npz")
runs = {n: dihedrals(base[f"{k}__positions_nm"], quads) for n, k in (("plain A", "plain_A"), ("plain B", "plain_B"))}
for p in sys.argv[1:]:
    d = np.load(p); k = [k for k in d.files if k.startswith("hybrid") and k.endswith("__positions_nm")][0]
    runs[Path(p).stem] = dihedrals(d[k], quads)
def js(a, b, sym):
    a, b = np.ravel(a), np.ravel(b)
    if sym: a, b = np.r_[a, -a], np.r_[b, -b]
    return js_divergence(a, b, 64, (-180.0, 180.0))
fl = {s: 0.5 * (js(runs["plain A"], ref, s) + js(runs["plain B"], ref, s)) for s in (False, True)}
for n, d in runs.items():
    print(f"{n:24s} as is {js(d, ref, False)/fl[False]:6.2f}   symmetrised {js(d, ref, True)/fl[True]:6.2f}")
print("per axis, own histogram, symmetrised, JS x1e3")
el = [a.element.symbol for a in sysdef.topology.atoms()]
axes = {}
for i, q in enumerate(quads):
    axes.setdefault(tuple(sorted(map(int, q[1:3]))), []).append(i)
print(f"{'':24s}" + "".join(f"{el[a]}{a}-{el[b]}{b}".rjust(9) for a, b in axes))
for n, d in runs.items():
    print(f"{n:24s}" + "".join(f"{1e3*js(d[:, idx], ref[:, idx], True):9.2f}" for idx in axes.values()))
