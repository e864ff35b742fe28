"""Fraction of ethanol's methyl/methylene H-C-C-X dihedrals within 30 degrees of an eclipsed position,
per block of R chained forecasts (default 4) from held-out windows, against the true frames.

Usage (repo root): python docs/results/dihedral_diagnosis/methyl_eclipsed.py [--rollouts R] [LABEL=MODEL ...]
A stochastic model (noise_dim > 0) is scored on one sampled chain per window (torch seed 0).
"""
import argparse

import numpy as np
import torch

from asteroid_openmm.evaluation.evaluate import forecast_windows
from asteroid_openmm.evaluation.metrics import dihedrals
from asteroid_openmm.model import load_model
from asteroid_openmm.trajectories import dihedral_quadruplets, load_trajectory

torch.set_num_threads(1)
t = load_trajectory("runs/forecast/ethanol/test.dcd")
q = dihedral_quadruplets(t.bonds)[:9]  # the nine dihedrals about the C-C bond


def eclipsed(x):
    folded = np.mod(dihedrals(x.reshape(-1, *x.shape[-2:]), q).ravel() + 180.0, 120.0)  # staggered at 0/120
    return float(np.mean(np.abs(folded - 60.0) < 30.0))


parser = argparse.ArgumentParser()
parser.add_argument("--rollouts", type=int, default=4)
parser.add_argument("models", nargs="*", default=["shipped=ethanol"])
args = parser.parse_args()
W, H, R = 16, 16, args.rollouts
starts = np.arange(0, len(t.positions) - W - R * H, 20)
ctx = np.stack([t.positions[s : s + W] for s in starts])
true = np.stack([t.positions[s + W : s + W + R * H] for s in starts])
print(f"{len(starts)} windows; eclipsed fraction per forecast block (80 fs each)")
print("true frames      ", [round(eclipsed(true[:, r * H : (r + 1) * H]), 3) for r in range(R)])
for spec in args.models:
    label, _, path = spec.rpartition("=")
    model = load_model(path).eval()
    torch.manual_seed(0)
    f = forecast_windows(model, ctx, rollouts=R)[0]
    print(f"{label or path:17s}", [round(eclipsed(f[:, r * H : (r + 1) * H]), 3) for r in range(R)])
