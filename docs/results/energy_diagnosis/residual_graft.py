"""Grafting fast modes as residuals about a torsion-conditional mean, against plain grafting.

The integrator gives a forecast frame the 1-2/1-3 distances ``d_donor`` of a
random recent real frame. If those distances depend on the slow coordinates
(a C-H bond or an H-C-H angle on the torsion of its rotor), a donor with other
torsions brings the wrong mean. Here the mean is modelled: a ridge regression
``mu(f)`` of every distance on the cos and sin of every dihedral, fitted on
earlier real frames, and the target gets ``mu(f_target) + d_donor - mu(f_donor)``.

200 targets of a plain trajectory saved every 10 fs; each takes one random
donor from 32 frames 0.7-11 ps earlier (as in a ``rollouts=8`` run). Prints
the mean energy change (kJ/mol) with its standard error and the energy
standard deviation, for: plain graft, residual graft, and the conditional mean
alone (no fast-mode spread, for scale). ``FIT`` frames before the first target
train the regression.

Usage (repository root)::

    python docs/results/energy_diagnosis/residual_graft.py aspirin runs/energy/asp30.npz [FIT [RIDGE]]
"""
import sys

import numpy as np

from common import load, ridge_fit, torsion_features
from asteroid_openmm.trajectories.bonds import dihedral_quadruplets

name, path = sys.argv[1], sys.argv[2]
n_fit = int(sys.argv[3]) if len(sys.argv) > 3 else 1100
bonds, X, E, fm, energy = load(name, path)
quads = dihedral_quadruplets(bonds)
D = fm.distances(X)
ridge = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
T = torsion_features(X, quads)
T = T[:, T[:n_fit].std(0) > 0.05]  # ring torsions sit at 0 or 180 degrees: no information
T = (T - T[:n_fit].mean(0)) / T[:n_fit].std(0)
F = np.concatenate([np.ones((len(X), 1)), T], -1)
beta = ridge_fit(F[:n_fit], D[:n_fit], ridge)
resid = D - F @ beta
print(f"{name}: {len(quads)} dihedrals ({(T.shape[1])} cos/sin features vary), ridge {ridge}, {D.shape[1]} distances; regression on {n_fit} frames explains "
      f"{1 - resid[n_fit:].var(0).sum() / D[n_fit:].var(0).sum():.1%} of the held-out distance variance")
rng = np.random.default_rng(2)
targets = np.sort(rng.choice(np.arange(max(1200, n_fit + 100), len(X)), 200, replace=False))
et = E[targets]
rows = {"plain graft": [], "residual graft": [], "conditional mean": []}
for t in targets:
    pool = np.arange(t - 1100, t - 70, 33)[-32:]
    c = pool[rng.integers(len(pool))]
    mu_t = F[t] @ beta
    for k, d in (("plain graft", D[c]), ("residual graft", mu_t + resid[c]), ("conditional mean", mu_t)):
        rows[k].append(d)
for k, d in rows.items():
    e = energy(fm.set_distances(X[targets], np.array(d)))
    print(f"{k:17s} mean change {np.mean(e - et):+6.2f} +- {np.std(e - et) / np.sqrt(len(e)):.2f} kJ/mol, "
          f"sd {e.std():.2f} (targets {et.std():.2f})", flush=True)
