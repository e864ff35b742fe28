"""The smoothing noise of thermal fast modes with the covariance of a longer history of real frames.

The integrator's smoothed bootstrap adds Gaussian noise with the covariance of
its ~32 donor frames to a random donor's 1-2/1-3 distances (h = bandwidth).
Here the same draw, with that covariance taken either from the donors
("pool") or from a longer history of real frames ("long": the first half of
the trajectory, or its last HISTORY frames), is grafted onto 200 real frames
of the second half, for REPS pools of 32 donors (every 12th frame of a random
4 ps stretch of the first half). Prints the mean energy change (kJ/mol), the
energy standard deviation (and its spread over pools) and the JS divergence of
the drawn 1-2/1-3 distances from the targets' own.

Usage (repository root)::

    python docs/results/energy_diagnosis/kernel_covariance.py ethanol runs/energy/eth30.npz 16 [HISTORY]
"""
import sys

import numpy as np

from common import load
from asteroid_openmm.evaluation.metrics import js_divergence

name, path = sys.argv[1], sys.argv[2]
reps = int(sys.argv[3]) if len(sys.argv) > 3 else 4
bonds, X, E, fm, energy = load(name, path)
rng = np.random.default_rng(0)
half = len(X) // 2
targets = rng.choice(np.arange(half, len(X)), 200, replace=False)
xt, et = X[targets], E[targets]
dt = fm.distances(xt)
history = fm.distances(X[:half][-int(sys.argv[4]):] if len(sys.argv) > 4 else X[:half])
print(f"true sd {et.std():.2f}; long history {len(history)} frames")


def draw(d, n, h, spread):
    pick = rng.integers(len(d), size=n)
    mean = d.mean(0)
    dev = (spread - spread.mean(0)) / np.sqrt(len(spread) - 1)
    noise = rng.standard_normal((n, len(spread))) @ dev
    return mean + (d[pick] - mean + h * noise) / np.sqrt(1 + h * h)


r = (dt.min() - 0.01, dt.max() + 0.01)
for h in (0.0, 0.3, 0.5, 1.0):
    for mode in ("pool", "long"):
        if h == 0 and mode == "long":
            continue
        sds, dm, js = [], [], []
        for _ in range(reps):
            start = rng.integers(0, half - 400)
            donors = fm.distances(X[start:start + 400:12][:32])
            targ = draw(donors, len(xt), h, history if mode == "long" else donors)
            eg = energy(fm.set_distances(xt, targ))
            sds.append(eg.std())
            dm.append(eg.mean() - et.mean())
            js.append(js_divergence(np.clip(targ.ravel(), *r), dt.ravel(), bins=64, range=r))
        print(f"h {h:.1f} covariance {mode}: mean diff {np.mean(dm):+.2f}  sd {np.mean(sds):.2f} "
              f"(over pools {np.std(sds):.1f})  fast-distance JS {np.mean(js):.5f}", flush=True)
