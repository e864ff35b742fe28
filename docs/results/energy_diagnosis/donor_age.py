"""Energy change of grafting, by the size (and so the age) of an integrator-like donor pool.

In a ``rollouts=8`` run the integrator records about two equilibrium real
frames per jump (20 fs apart, at the end of each anchor phase; a jump covers
about 1.3 ps) and keeps the last 32 as fast-mode donors, so its donors are
up to about 20 ps older than the frames they are grafted onto. Here a plain trajectory
saved every 10 fs stands in: for each of 200 targets, the pool is the last
K/2 such pairs before it (the newest 0.05-1.3 ps old), and one random donor's
1-2/1-3 distances are grafted (copies, h = 0). Prints the mean energy change
(kJ/mol) with its standard error and the energy sd, per K.

Usage (repository root)::

    python docs/results/energy_diagnosis/donor_age.py aspirin runs/energy/asp30.npz
"""
import sys

import numpy as np

from common import load

name, path = sys.argv[1], sys.argv[2]
bonds, X, E, fm, energy = load(name, path)
D = fm.distances(X)
rng = np.random.default_rng(3)
targets = np.sort(rng.choice(np.arange(2300, len(X)), 200, replace=False))
newest = targets - rng.integers(5, 131, size=len(targets))  # end of the last anchor phase
et = E[targets]
for k in (2, 4, 8, 16, 32):
    pools = np.array([[n - 130 * m - o for m in range(k // 2) for o in (0, 2)] for n in newest])
    donors = pools[np.arange(len(targets)), rng.integers(k, size=len(targets))]
    e = energy(fm.set_coordinates(X[targets], D[donors]))
    print(f"K = {k:2d} donors (oldest {(targets - pools.min(1)).mean() * 0.01:4.1f} ps old on average): mean change "
          f"{np.mean(e - et):+6.2f} +- {np.std(e - et) / np.sqrt(len(e)):.2f} kJ/mol, sd {e.std():.2f} "
          f"(targets {et.std():.2f})", flush=True)
