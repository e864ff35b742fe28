"""Can a frame's own longer-range geometry predict the slow part of its 1-2/1-3 distances?

``lowpass_graft.py`` shows that grafting a donor's fast residual onto the
target's own slow part (moving average over WINDOW frames) removes aspirin's
grafting offset. An integrator would need that slow part from the frame alone.
Here a ridge regression predicts it from the frame's other pair distances
(1-4 and beyond: slow, conformational, and present in forecast frames),
fitted on the first FIT frames; the graft is then
``pred(target) + d_donor - pred(donor)``. Same targets and donors as
``lowpass_graft.py`` (donors 0.7-11 ps earlier).

Usage (repository root)::

    python docs/results/energy_diagnosis/slow_from_geometry.py aspirin runs/energy/asp30.npz [FIT [WINDOW [RIDGE ...]]]
"""
import sys

import numpy as np

from common import load, moving_average, ridge_fit

name, path = sys.argv[1], sys.argv[2]
n_fit = int(sys.argv[3]) if len(sys.argv) > 3 else 1100
window = int(sys.argv[4]) if len(sys.argv) > 4 else 21
ridges = [float(r) for r in sys.argv[5:]] or [1e-3, 1e-2, 1e-1]
bonds, X, E, fm, energy = load(name, path)
D = fm.distances(X)
n = X.shape[1]
near = {tuple(sorted(p)) for p in fm.pairs.tolist()}
far = np.array([(i, j) for i in range(n) for j in range(i + 1, n) if (i, j) not in near])
G = np.linalg.norm(X[:, far[:, 1]] - X[:, far[:, 0]], axis=-1)
G = (G - G[:n_fit].mean(0)) / G[:n_fit].std(0)
F = np.concatenate([np.ones((len(X), 1)), G], -1)
slow = moving_average(D, window)
rng = np.random.default_rng(2)
targets = np.sort(rng.choice(np.arange(max(1200, n_fit + 100), len(X) - 50), 200, replace=False))
donors = np.array([rng.choice(np.arange(t - 1100, t - 70, 33)[-32:]) for t in targets])
et = E[targets]
held = np.arange(n_fit + window, len(X) - window)


def report(label, d):
    e = energy(fm.set_coordinates(X[targets], d))
    print(f"{label:36s} mean change {np.mean(e - et):+6.2f} +- {np.std(e - et) / np.sqrt(len(e)):.2f} kJ/mol, "
          f"sd {e.std():.2f} (targets {et.std():.2f})", flush=True)


print(f"{name}: {len(far)} longer-range distances predict {D.shape[1]} 1-2/1-3 ones; fit on {n_fit} frames, "
      f"slow part = moving average over {window} frames")
report("plain graft", D[donors])
report("oracle slow part + residual", slow[targets] + D[donors] - slow[donors])
for ridge in ridges:
    beta = ridge_fit(F[:n_fit], slow[:n_fit], ridge)
    pred = F @ beta
    r2 = 1 - ((slow[held] - pred[held]) ** 2).sum() / ((slow[held] - slow[held].mean(0)) ** 2).sum()
    print(f"ridge {ridge:g}: held-out slow-part variance explained {r2:.1%}")
    report(f"predicted slow part + residual, {ridge:g}", pred[targets] + D[donors] - pred[donors])
