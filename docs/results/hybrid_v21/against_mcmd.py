"""Aspirin's benchmark ratios with an MC-MD reference that samples the carboxyl's two states.

    python docs/results/hybrid_v21/against_mcmd.py BASE.npz --reference CHAIN.npz --floor CHAIN.npz ... \
        [--runs RUN.npz ...]

The benchmark's metrics (benchmarks/hybrid.py: pooled bond, angle, dihedral and energy histograms, 64 bins, ranges
from the reference), but with mc_md_reference.py chains as the reference and as the floor runs: the floor is the
mean JS of the --floor chains (each file one run; several files given after one --floor are pooled as one run when
joined by '+') against the reference. Prints each run's JS per metric and its ratio to that floor: plain A and B of
BASE.npz, and the hybrids of RUN.npz.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import hybrid  # noqa: E402

from asteroid_openmm.systems import get_system  # noqa: E402


def option(name):
    args = sys.argv[1:]
    if name not in args:
        return []
    rest = args[args.index(name) + 1:]
    return rest[: next((i for i, a in enumerate(rest) if a.startswith("--")), len(rest))]


def chain(spec):
    parts = [np.load(p) for p in spec.split("+")]
    return np.concatenate([p["positions_nm"] for p in parts]), np.concatenate([p["energy_kJmol"] for p in parts])


base = np.load(sys.argv[1])
ref_x, ref_e = chain(option("--reference")[0])
sysdef = get_system("aspirin")
bonds, triplets, quads, _ = hybrid.fidelity_coordinates("aspirin", sysdef)
spec = hybrid.FidelitySpec(ref_x.astype(np.float64), ref_e, bonds, triplets, quads, None)
ref_f = spec.features(ref_x, ref_e)
metrics = ("bonds", "angles", "dihedrals", "energy")
floors = [spec.divergences(spec.features(*chain(c)), ref_f) for c in option("--floor")]
floor = {m: float(np.mean([f[m] for f in floors])) for m in metrics}
runs = {"plain A": (base["plain_A__positions_nm"], base["plain_A__energy_kJmol"]),
        "plain B": (base["plain_B__positions_nm"], base["plain_B__energy_kJmol"]),
        "100 ps plain reference": (base["reference__positions_nm"], base["reference__energy_kJmol"])}
for path in option("--runs"):
    data = np.load(path)
    for key in data.files:
        if key.startswith("hybrid") and key.endswith("__positions_nm"):
            stem = key[: -len("__positions_nm")]
            runs[f"{Path(path).stem}:{key.split('_')[1]}"] = (data[key], data[f"{stem}__energy_kJmol"])
print(f"reference {option('--reference')[0]} ({len(ref_e)} samples); floor runs {', '.join(option('--floor'))}")
print("floor (JS): " + ", ".join(f"{m} {floor[m]:.4f}" for m in metrics))
print(f"{'run':30s}" + "".join(f"{m:>18s}" for m in metrics) + f"{'worst':>8s}")
for name, (x, e) in runs.items():
    d = spec.divergences(spec.features(x.astype(np.float64), e), ref_f)
    ratios = {m: d[m] / floor[m] for m in metrics}
    print(f"{name:30s}" + "".join(f"{d[m]:>10.4f} ({ratios[m]:4.2f})" for m in metrics)
          + f"{max(ratios.values()):8.2f}")
