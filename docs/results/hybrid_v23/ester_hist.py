"""Folded rotamer-torsion histograms (% of samples per 15-degree bin of |phi|) of aspirin runs and the MC-MD reference.

    python docs/results/hybrid_v23/ester_hist.py TORSION RUN.npz ...

TORSION: index into Rotamers(aspirin).quads (1 = the ester C1-O3-C4-C5). RUN.npz: benchmarks/hybrid.py
--save-samples files; the reference and plain A come from the twenty-second session's runs/h22/asp_mc.npz.
"""
import sys
from pathlib import Path

import numpy as np
from asteroid_openmm.integrator.rotamers import Rotamers
from asteroid_openmm.trajectories.bonds import infer_bonds
from asteroid_openmm.systems import get_system
sd = get_system("aspirin")
ref = np.load(Path(__file__).resolve().parents[3] / "runs/h22/asp_mc.npz")
x0 = ref["reference__positions_nm"]
rot = Rotamers(infer_bonds(x0[0], sd.atomic_numbers), sd.atomic_numbers)
j = int(sys.argv[1]); bins = np.arange(0, 181, 15)
def h(x): return np.histogram(np.abs(rot.torsions(x)[:, j]), bins)[0] / len(x) * 100
rows = {"ref": h(x0), "plainA": h(ref["plain_A__positions_nm"])}
for p in sys.argv[2:]:
    d = np.load(p); k = [k for k in d.files if k.startswith("hybrid") and k.endswith("__positions_nm")]
    for i, kk in enumerate(k): rows[p.split("/")[-1][:12] + str(i)] = h(d[kk])
print("bin  " + " ".join(f"{n[:13]:>13s}" for n in rows))
for b in range(len(bins) - 1):
    print(f"{bins[b]:3d}  " + " ".join(f"{r[b]:13.1f}" for r in rows.values()))
