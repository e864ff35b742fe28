"""Where a hybrid's dihedral divergence sits, for any built-in system: the benchmark's dihedrals grouped by central bond.

    python docs/results/hybrid_v18/torsion_breakdown.py SYSTEM BASE.npz [RUN.npz ...]

BASE.npz and RUN.npz are benchmarks/hybrid.py --save-samples files (positions in nm). The benchmark pools every
dihedral into one histogram; this splits them by their central bond j-k and prints, per group and run, the
Jensen-Shannon divergence against the reference run (64 periodic bins, each group pooled as the benchmark pools
all), next to plain A and B of BASE.npz. A group's kind says whether the bond is in a ring, turns a symmetric
terminal rotor (methyl-type; asteroid_openmm.integrator.rotor_librations) or a rotamer torsion
(asteroid_openmm.integrator.rotamers), or is none of those (e.g. a bond to a planar group's terminal atom).
"""
import sys
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import hybrid  # noqa: E402

from asteroid_openmm.evaluation.metrics import dihedrals, js_divergence  # noqa: E402
from asteroid_openmm.integrator.rotamers import Rotamers  # noqa: E402
from asteroid_openmm.integrator.rotor_librations import RotorLibrations  # noqa: E402
from asteroid_openmm.systems import get_system  # noqa: E402

system, base_path, run_paths = sys.argv[1], sys.argv[2], sys.argv[3:]
sysdef = get_system(system)
bonds, _, quads, _ = hybrid.fidelity_coordinates(system, sysdef)
z = np.asarray(sysdef.atomic_numbers)
rotor_axes = {frozenset((int(a), int(b))) for a, b, _, _ in RotorLibrations(bonds, z).rotors}
rotamer_axes = {frozenset(map(int, q[1:3])) for q in Rotamers(bonds, z).quads}
graph = nx.Graph([tuple(map(int, b)) for b in bonds])
ring_axes = {frozenset(e) for e in graph.edges} - {frozenset(e) for e in nx.bridges(graph)}  # bonds on a ring
ELEMENT = {1: "H", 6: "C", 7: "N", 8: "O", 16: "S"}
groups: dict = {}
for i, q in enumerate(quads):
    groups.setdefault(frozenset(map(int, q[1:3])), []).append(i)


def kind(axis):
    return ("ring" if axis in ring_axes else "rotamer" if axis in rotamer_axes
            else "methyl-type rotor" if axis in rotor_axes else "other")


base = np.load(base_path)
ref_t = dihedrals(base["reference__positions_nm"].astype(np.float64), quads)
runs = {"plain A": base["plain_A__positions_nm"], "plain B": base["plain_B__positions_nm"]}
for path in run_paths:
    arrays = np.load(path)
    for key in arrays.files:
        if key.endswith("__positions_nm") and key.startswith("hybrid"):
            runs[f"{Path(path).stem}:h{key.split('_')[1]}"] = arrays[key]
angles = {name: dihedrals(np.asarray(x, np.float64), quads) for name, x in runs.items()}
print(f"{system}: JS divergence against the reference of the dihedrals about each central bond (64 bins)")
print(f"{'bond':12s} {'kind':18s} {'n':>3s}  " + "  ".join(f"{n[-24:]:>24s}" for n in runs))
total = {n: js_divergence(t, ref_t, 64, (-180, 180)) for n, t in angles.items()}
print(f"{'all':12s} {'':18s} {len(quads):3d}  " + "  ".join(f"{total[n]:24.5f}" for n in runs))
for axis, idx in sorted(groups.items(), key=lambda kv: sorted(kv[0])):
    j, k = sorted(axis)
    name = f"{ELEMENT.get(int(z[j]), z[j])}{j}-{ELEMENT.get(int(z[k]), z[k])}{k}"
    vals = [js_divergence(angles[n][:, idx], ref_t[:, idx], 64, (-180, 180)) for n in runs]
    print(f"{name:12s} {kind(axis):18s} {len(idx):3d}  " + "  ".join(f"{v:24.5f}" for v in vals))
