"""Which of aspirin's dihedrals make a run's pooled dihedral divergence: leave-one-out against the MC-MD reference.

    python docs/results/hybrid_v27/dihedral_blame.py RUN.npz ...

The benchmark's dihedral JS pools every dihedral quad into one histogram (benchmarks/hybrid.py FidelitySpec). For
each run (and plain B, for scale) this prints the pooled JS x 1e4 and the five quads whose samples, replaced by
plain A's, lower it most (the drop, x 1e4), with the quad's atoms, the share of that quad's samples with
|angle| < 90 degrees and its circular sd (degrees), each next to the reference's: a population error in a rotamer
torsion shows in the first, a too narrow or too wide libration in the second.
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
import hybrid  # noqa: E402
from asteroid_openmm import get_system  # noqa: E402
from asteroid_openmm.evaluation.metrics import dihedrals, js_from_counts  # noqa: E402

ref = np.load(ROOT / "runs/h22/asp_mc.npz")
_, _, quads, _ = hybrid.fidelity_coordinates("aspirin", get_system("aspirin"))
d_ref = dihedrals(ref["reference__positions_nm"].astype(np.float64), quads)
d_a = dihedrals(ref["plain_A__positions_nm"].astype(np.float64), quads)


def counts(d):
    return np.histogram(np.ravel(d), bins=hybrid.HIST_BINS, range=(-180.0, 180.0))[0].astype(np.float64)


def cis(d, q):
    return np.mean(np.abs(d[:, q]) < 90)


def spread(d, q):
    r = np.abs(np.mean(np.exp(1j * np.radians(d[:, q]))))
    return np.degrees(np.sqrt(-2 * np.log(max(r, 1e-12))))


def report(name, d):
    js = js_from_counts(counts(d), counts(d_ref))
    n = min(len(d), len(d_a))
    drops = []
    for q in range(len(quads)):
        swapped = d[:n].copy()
        swapped[:, q] = d_a[:n, q]
        drops.append(js - js_from_counts(counts(swapped), counts(d_ref)))
    top = np.argsort(drops)[::-1][:5]
    print(f"{name[:26]:26s} JS {1e4 * js:5.2f}:" + ",".join(
        f" {'-'.join(map(str, quads[q]))} -{1e4 * drops[q]:.2f} (cis {cis(d, q):.2f}/{cis(d_ref, q):.2f},"
        f" sd {spread(d, q):.0f}/{spread(d_ref, q):.0f})" for q in top))


report("plain B", dihedrals(ref["plain_B__positions_nm"].astype(np.float64), quads))
for path in sys.argv[1:]:
    z = np.load(path)
    key = [k for k in z.files if k.startswith("hybrid") and k.endswith("positions_nm")][0]
    report(Path(path).stem, dihedrals(z[key].astype(np.float64), quads))
