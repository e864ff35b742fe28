"""Aspirin's potential-energy histograms against the 100 ps plain reference and against the MC-MD chains.

    python docs/results/hybrid_v21/energy_vs_mcmd.py BASE.npz CHAIN.npz [CHAIN.npz ...] --runs RUN.npz ...

BASE.npz: benchmarks/hybrid.py --save-samples file (reference, plain A, plain B); CHAIN.npz: mc_md_reference.py
outputs, pooled; RUN.npz: hybrid runs. JS divergence (64 bins on the reference's range widened by 25% each side,
as benchmarks/hybrid.py) of each energy histogram against the reference and against the pooled chains, and mean
energies relative to both (kJ/mol).
"""
import sys
from pathlib import Path

import numpy as np

from asteroid_openmm.evaluation.metrics import js_divergence

args = sys.argv[1:]
runs_paths = args[args.index("--runs") + 1:] if "--runs" in args else []
args = args[: args.index("--runs")] if "--runs" in args else args
base = np.load(args[0])
ref = base["reference__energy_kJmol"]
chains = np.concatenate([np.load(p)["energy_kJmol"] for p in args[1:]])
lo, hi = ref.min(), ref.max()
bins_range = (lo - 0.25 * (hi - lo), hi + 0.25 * (hi - lo))


def js(a, b):
    return js_divergence(np.clip(a, *bins_range), np.clip(b, *bins_range), 64, bins_range)


energies = {"reference": ref, "plain A": base["plain_A__energy_kJmol"], "plain B": base["plain_B__energy_kJmol"],
            "MC-MD chains": chains}
for path in runs_paths:
    data = np.load(path)
    for key in data.files:
        if key.startswith("hybrid") and key.endswith("__energy_kJmol"):
            energies[f"{Path(path).stem}:{key.split('_')[1]}"] = data[key]
print(f"{'run':26s} {'mean - ref':>11s} {'mean - MC-MD':>13s} {'JS vs ref':>10s} {'JS vs MC-MD':>12s}")
for name, e in energies.items():
    print(f"{name:26s} {e.mean() - ref.mean():+11.1f} {e.mean() - chains.mean():+13.1f} {js(e, ref):10.4f} "
          f"{js(e, chains):12.4f}")
