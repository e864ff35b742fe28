"""What carries an ethanol run's pooled dihedral divergence; the methyl's libration phase and the bond, angle and
dihedral divergences of runs and donor libraries.

    python docs/results/hybrid_v30/ethanol_dihedrals.py [--library MODEL.pt ...] RUN.npz ...

Against the re-made plain reference (runs/h19/eth_base.npz, hybrid_v29/ethanol_base.sh): per run (and plain A / B
for scale) the pooled dihedral JS x 1e4, and how much it drops when all quads about one central bond (C-C: the
methyl's, C-O: the hydroxyl's) are replaced by plain A's; then the methyl's H-C-C-O torsions folded onto one 120
degree period (percent per 10 degree bin, staggered at both ends), for the plain runs, each model's donor library
and each run; last, the JS x 1e4 of bonds, angles and dihedrals against the reference on the benchmark's bins, for
the plain runs, the libraries and the runs (a library's is biased up by its fewer samples: 4096 frames against
the runs' 10,000 frames).
"""
import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
import hybrid  # noqa: E402
from asteroid_openmm import get_system, load_model  # noqa: E402
from asteroid_openmm.evaluation.metrics import dihedrals, js_from_counts  # noqa: E402
from asteroid_openmm.model.donor_library import donor_library  # noqa: E402

METHYL = np.array([[3, 0, 1, 2], [4, 0, 1, 2], [5, 0, 1, 2]])  # H-C-C-O
parser = argparse.ArgumentParser()
parser.add_argument("runs", nargs="+")
parser.add_argument("--library", action="append", default=[], help="a model file (or name) whose library to show")
args = parser.parse_args()

base = np.load(ROOT / "runs/h19/eth_base.npz")
_, _, quads, _ = hybrid.fidelity_coordinates("ethanol", get_system("ethanol"))
frames = {n: base[f"{n}__positions_nm"].astype(np.float64) for n in ("reference", "plain_A", "plain_B")}
for path in args.runs:
    run = np.load(path)
    key = [k for k in run.files if k.startswith("hybrid_0") and k.endswith("__positions_nm")][0]
    frames[Path(path).stem] = run[key].astype(np.float64)


def counts(d):
    return np.histogram(np.ravel(d), bins=hybrid.HIST_BINS, range=(-180.0, 180.0))[0].astype(np.float64)


groups = {"C-C": [i for i, q in enumerate(quads) if sorted(q[1:3]) == [0, 1]],
          "C-O": [i for i, q in enumerate(quads) if sorted(q[1:3]) == [1, 2]]}
c_ref, d_a = counts(dihedrals(frames["reference"], quads)), dihedrals(frames["plain_A"], quads)
print("pooled dihedral JS x 1e4 against the reference, and its drop with one bond's quads replaced by plain A's")
for name, x in frames.items():
    if name == "reference":
        continue
    d = dihedrals(x, quads)
    js = 1e4 * js_from_counts(counts(d), c_ref)
    drops = []
    for bond, idx in groups.items():
        keep = np.setdiff1d(np.arange(len(quads)), idx)
        mixed = np.concatenate([np.ravel(d[:, keep]), np.ravel(d_a[:, idx])])
        drops.append(f"{bond} {js - 1e4 * js_from_counts(counts(mixed), c_ref):+5.1f}")
    print(f"  {name:24s} {js:5.1f}   " + "   ".join(drops))

print("\nmethyl H-C-C-O folded onto 120 degrees (percent per 10 degree bin; staggered at 0 and 120)")
phases = {n: frames[n] for n in ("reference", "plain_A", "plain_B")}
for model in args.library:
    phases[f"library of {model}"] = donor_library(load_model(model)).frames
phases.update({n: x for n, x in frames.items() if n not in phases})
for name, x in phases.items():
    folded = np.mod(np.ravel(dihedrals(x, METHYL)) - 60.0, 120.0)
    h = 100 * np.histogram(folded, bins=12, range=(0, 120))[0] / folded.size
    print(f"  {name[-40:]:40s} " + " ".join(f"{v:4.1f}" for v in h))

print("\nJS x 1e4 against the reference on the benchmark's bins")
spec = hybrid.FidelitySpec(frames["reference"], base["reference__energy_kJmol"], *hybrid.fidelity_coordinates(
    "ethanol", get_system("ethanol")))
c_spec = {n: spec.counts(spec.features(x, np.zeros(len(x)))) for n, x in phases.items()}
for name in phases:
    if name != "reference":
        print(f"  {name[-40:]:40s} " + "  ".join(
            f"{k} {1e4 * js_from_counts(c_spec[name][k], c_spec['reference'][k]):5.1f}"
            for k in ("bonds", "angles", "dihedrals")))
