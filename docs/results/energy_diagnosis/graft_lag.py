"""Energy change of grafting a real frame's 1-2/1-3 distances onto another real frame, by their time apart.

200 target frames of a plain trajectory saved every 10 fs; each gets the
distances of the frame LAG later (negative: earlier). Prints the mean energy
change (kJ/mol) with its standard error, and the grafted frames' energy
standard deviation against the targets' own. First, the largest
autocorrelation of any 1-2/1-3 distance at 100 fs and at 1 ps.

Usage (repository root)::

    python docs/results/energy_diagnosis/graft_lag.py aspirin runs/energy/asp30.npz
"""
import sys

import numpy as np

from common import load

name, path = sys.argv[1], sys.argv[2]
bonds, X, E, fm, energy = load(name, path)
z = fm.distances(X)
z = (z - z.mean(0)) / z.std(0)
for lag in (10, 100):
    acf = (z[:-lag] * z[lag:]).mean(0)
    print(f"1-2/1-3 distances at {lag * 10} fs: autocorrelation at most {acf.max():+.2f} (largest magnitude {np.abs(acf).max():.2f})")
rng = np.random.default_rng(1)
targets = np.sort(rng.choice(np.arange(1100, len(X) - 1100), 200, replace=False))
et = E[targets]
for lag in (1, 3, 10, 30, 100, 300, 1000, -10, -100, -1000):
    e = energy(fm.set_distances(X[targets], fm.distances(X[targets + lag])))
    print(f"donor {lag * 10:+6d} fs from the target: mean change {np.mean(e - et):+6.2f} +- "
          f"{np.std(e - et) / np.sqrt(len(e)):.2f} kJ/mol, sd {e.std():.2f} (targets {et.std():.2f})", flush=True)
