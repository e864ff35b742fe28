"""Which dihedrals make the hybrid's dihedral divergence: per-dihedral-group pooled JS against the reference,
for all samples and for played-back vs real-MD samples. Usage: python dihedral_groups.py RESULT.json SAMPLES.npz"""
import json, sys
import numpy as np
from asteroid_openmm.evaluation.metrics import dihedrals, js_divergence
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import bonds_from_topology, dihedral_quadruplets

res = json.load(open(sys.argv[1])); s = np.load(sys.argv[2])
sysdef = get_system(res["system"])
z = np.array(sysdef.atomic_numbers)
q = dihedral_quadruplets(bonds_from_topology(sysdef.topology))
# Group dihedrals by the elements of their central bond (ethanol: C-C = methyl/methylene, C-O = hydroxyl).
sym = {1: "H", 6: "C", 7: "N", 8: "O"}
central = np.array(["-".join(sorted((sym.get(int(z[b]), str(z[b])), sym.get(int(z[c]), str(z[c]))))) for _, b, c, _ in q])
groups = {"all": np.ones(len(q), bool), **{c: central == c for c in sorted(set(central))}}
ref = dihedrals(s["reference__positions_nm"].astype(np.float64), q)
keys = [k[: -len("__positions_nm")] for k in s.files if k.endswith("__positions_nm") and not k.startswith("reference")]
print(f"{len(q)} dihedrals; " + ", ".join(f"{g}: {m.sum()}" for g, m in groups.items()))
for k in keys:
    d = dihedrals(s[k + "__positions_nm"].astype(np.float64), q)
    pb = s[k + "__playback"].astype(bool)
    row = []
    for g, m in groups.items():
        if not m.any():
            continue
        js = lambda x: js_divergence(x[:, m].ravel(), ref[:, m].ravel(), bins=64, range=(-180, 180)) if len(x) else float("nan")
        row.append(f"{g}: {js(d):.4f} (real {js(d[~pb]):.4f}, played back {js(d[pb]):.4f})")
    print(f"{k:40s} " + "; ".join(row))
