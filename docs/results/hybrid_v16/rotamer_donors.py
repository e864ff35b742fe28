"""Grafting bias of thermal fast modes with random and rotamer-matched donors, for any built-in system (offline).

Targets are 300 frames of a plain trajectory (``docs/results/energy_diagnosis/plain_frames.py``); each gets the
1-2/1-3 distances (h = 0) of one donor from a pool of (a) 32 frames 0.7-11 ps before it, as a ``rollouts=8``
run's donors, or (b) 2000 frames from anywhere else in the run; drawn at random or with
``Rotamers.choose(..., half_width)``. Prints the mean energy change (kJ/mol) with its standard error and the energy sd.

Usage: python docs/results/hybrid_v16/rotamer_donors.py SYSTEM FRAMES.npz FRAME_INTERVAL_PS
"""
import sys

import numpy as np

sys.path.insert(0, "docs/results/energy_diagnosis")
from common import load  # noqa: E402

from asteroid_openmm.integrator.rotamers import Rotamers  # noqa: E402
from asteroid_openmm.systems import get_system  # noqa: E402

name, path, dt = sys.argv[1], sys.argv[2], float(sys.argv[3])
bonds, X, E, fm, energy = load(name, path)
z = np.array([a.element.atomic_number for a in get_system(name).topology.atoms()])
rng = np.random.default_rng(3)
lo, hi = int(round(0.7 / dt)), int(round(11.0 / dt))
targets = np.sort(rng.choice(np.arange(hi, len(X)), 300, replace=False))
rotamers = Rotamers(bonds, z)
matchers = {"random": None, **{f"matched, {w:g} deg": w for w in (30, 60, 90)}}
print(f"{name}: {len(rotamers)} rotamer torsions {rotamers.quads.tolist()}; targets' sd {E[targets].std():.1f}")
for pool_name in ("32 donors 0.7-11 ps before", "2000 donors from anywhere"):
    for label, window in matchers.items():
        grafted = []
        for t in targets:
            if pool_name.startswith("32"):
                pool = np.linspace(t - hi, t - lo, 32).astype(int)
            else:
                pool = rng.choice(np.setdiff1d(np.arange(len(X)), [t]), 2000, replace=False)
            donors = X[pool]
            pick = (rng.integers(len(pool), size=1) if window is None
                    else rotamers.choose(X[t][None], donors, rng, window))
            grafted.append(fm.set_distances(X[t][None], fm.distances(donors[pick]))[0])
        g = energy(np.array(grafted))
        diff = g - E[targets]
        print(f"{pool_name:28s} {label:18s} {diff.mean():+6.2f} ± {diff.std() / np.sqrt(len(diff)):.2f}   "
              f"sd {g.std():5.1f}", flush=True)
