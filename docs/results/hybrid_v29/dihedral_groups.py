"""Which bonds' torsions make an aspirin run's pooled dihedral divergence, and the acetyl methyl's phase histogram.

    python docs/results/hybrid_v29/dihedral_groups.py RUN.npz ...

The benchmark pools every dihedral quad into one histogram. Per run (and plain B, for scale) this prints the pooled
JS x 1e4 against the MC-MD reference and, for the six central bonds whose quads (all of them at once) replaced by
plain A's lower it most, the drop (x 1e4). A group of quads about one bond is the unit that matters: the three
hydrogens of a methyl group are equivalent, so leaving out one of them at a time (hybrid_v27/dihedral_blame.py)
mixes a rotor's phase with its hops. Then the histogram (percent, 10 degree bins) of the acetyl methyl's H-C-C=O
torsions folded onto one 120 degree period, for the reference, plain A and each run.
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
import hybrid  # noqa: E402
from asteroid_openmm import get_system  # noqa: E402
from asteroid_openmm.evaluation.metrics import dihedrals, js_from_counts  # noqa: E402

METHYL = np.array([[13, 0, 1, 2], [14, 0, 1, 2], [15, 0, 1, 2]])
ref = np.load(ROOT / "runs/h22/asp_mc.npz")
_, _, quads, _ = hybrid.fidelity_coordinates("aspirin", get_system("aspirin"))
frames = {name: ref[f"{name}__positions_nm"].astype(np.float64) for name in ("reference", "plain_A", "plain_B")}
for path in sys.argv[1:]:
    run = np.load(path)
    key = [k for k in run.files if k.startswith("hybrid_0") and k.endswith("__positions_nm")][0]
    frames[Path(path).stem] = run[key].astype(np.float64)
d_ref, d_a = dihedrals(frames["reference"], quads), dihedrals(frames["plain_A"], quads)
groups = {}
for i, q in enumerate(quads):
    groups.setdefault(tuple(int(a) for a in sorted(q[1:3])), []).append(i)


def counts(d):
    return np.histogram(np.ravel(d), bins=hybrid.HIST_BINS, range=(-180.0, 180.0))[0].astype(np.float64)


reference_counts = counts(d_ref)
for name, x in frames.items():
    if name in ("reference", "plain_A"):
        continue
    d = dihedrals(x, quads)
    base = js_from_counts(counts(d), reference_counts) * 1e4
    drops = []
    for bond, idx in groups.items():
        n = min(len(d), len(d_a))
        swapped = d[:n].copy()
        swapped[:, idx] = d_a[:n, idx]
        drops.append((base - js_from_counts(counts(swapped), reference_counts) * 1e4, bond))
    drops.sort(reverse=True)
    print(f"{name[:34]:34s} JS {base:5.2f}: " + ", ".join(f"{a}-{b} {v:+.2f}" for v, (a, b) in drops[:6]))
print("\nacetyl methyl phase (H-C-C=O mod 120 degrees), percent per 10 degree bin")
edges = np.arange(0, 121, 10)
for name, x in frames.items():
    c = np.histogram(np.mod(dihedrals(x, METHYL), 120), edges)[0]
    print(f"{name[:34]:34s} " + " ".join(f"{v:3.0f}" for v in 100 * c / c.sum()))
