"""Widths of aspirin's ring torsions in plain and hybrid runs, and where each run's dihedral divergence sits.

    python docs/results/hybrid_v21/ring_widths.py BASE.npz RUN.npz ...

BASE.npz and RUN.npz are benchmarks/hybrid.py --save-samples files of aspirin (positions in nm). For each torsion
about a ring bond next to a substituent, the sd (degrees, folded to (-90, 90]) in the reference, plain A and B and
each hybrid (all samples / played-back / real). Then the pooled dihedral JS divergence against the reference (64
bins, as benchmarks/hybrid.py) as is, with the hybrid's ring torsions replaced by plain A's, and with its other
torsions replaced by plain A's (which half of the divergence is the rings'), and after symmetrising every histogram
under phi -> -phi (aspirin is achiral: in equilibrium mirror-image conformers are equally likely, so a divergence
that symmetrising removes is the balance of mirror-image states, one that stays is the shape of the distribution).
"""
import sys
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import hybrid  # noqa: E402

from asteroid_openmm.evaluation.metrics import dihedrals, js_divergence  # noqa: E402
from asteroid_openmm.systems import get_system  # noqa: E402

RING_TORSIONS = [(3, 4, 9, 10), (5, 4, 9, 10), (7, 8, 9, 10), (3, 4, 9, 8), (5, 4, 9, 8), (6, 7, 8, 9)]
base_path, run_paths = sys.argv[1], sys.argv[2:]
sysdef = get_system("aspirin")
bonds, _, quads, _ = hybrid.fidelity_coordinates("aspirin", sysdef)
graph = nx.Graph([tuple(map(int, b)) for b in bonds])
ring_axes = {frozenset(e) for e in graph.edges} - {frozenset(e) for e in nx.bridges(graph)}
on_ring = np.array([frozenset(map(int, q[1:3])) in ring_axes for q in quads])

base = np.load(base_path)
runs = {name: (base[f"{key}__positions_nm"], None)
        for name, key in (("reference", "reference"), ("plain A", "plain_A"), ("plain B", "plain_B"))}
for path in run_paths:
    data = np.load(path)
    for key in data.files:
        if key.startswith("hybrid") and key.endswith("__positions_nm"):
            played = data[key.replace("__positions_nm", "__playback")].astype(bool)
            runs[f"{Path(path).stem}:{key.split('_')[1]}"] = (data[key], played)


def folded(x, q):
    return (dihedrals(x, np.array([q]))[:, 0] + 90.0) % 180.0 - 90.0


print("sd (degrees) of ring torsions next to the substituents; hybrids: all / played-back / real samples")
print(f"{'run':28s}" + "".join(f"{'-'.join(map(str, q)):>22s}" for q in RING_TORSIONS))
for name, (x, played) in runs.items():
    cells = []
    for q in RING_TORSIONS:
        a = folded(x, q)
        cells.append(f"{a.std():.1f}" if played is None else f"{a.std():.1f} / {a[played].std():.1f} / {a[~played].std():.1f}")
    print(f"{name:28s}" + "".join(f"{c:>22s}" for c in cells))


def js(a, b, symmetric=False):
    a, b = np.ravel(a), np.ravel(b)
    if symmetric:
        a, b = np.r_[a, -a], np.r_[b, -b]
    return js_divergence(a, b, 64, (-180.0, 180.0))


ref = dihedrals(runs["reference"][0], quads)
plain_a = dihedrals(runs["plain A"][0], quads)
print("\npooled dihedral JS against the reference (ratio to plain A's)")
print(f"{'run':28s}{'as is':>16s}{'rings from A':>16s}{'others from A':>16s}{'symmetrised':>16s}")
floor, floor_sym = js(plain_a, ref), js(plain_a, ref, True)
for name, (x, _) in runs.items():
    if name == "reference":
        continue
    d = dihedrals(x, quads)
    rings, others = d.copy(), d.copy()
    rings[:, on_ring], others[:, ~on_ring] = plain_a[:, on_ring], plain_a[:, ~on_ring]
    values = [js(d, ref), js(rings, ref), js(others, ref)]
    cells = [f"{v:.5f} ({v / floor:.1f})" for v in values] + [f"{js(d, ref, True):.5f} ({js(d, ref, True) / floor_sym:.1f})"]
    print(f"{name:28s}" + "".join(f"{c:>16s}" for c in cells))
