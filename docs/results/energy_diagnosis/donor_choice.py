"""Donor choice for aspirin as the integrator sees it: 32 donors 0.7-11 ps before each target.

200 targets; each gets the 1-2/1-3 distances of one donor: a random one (the
integrator's rule), one drawn with weights exp(-d^2 / (2 s^2)) where d is the
distance in torsion space (cos and sin of every dihedral) and s^2 a fraction
(0.5, 1) of the median d^2, or the nearest. Prints the mean energy change
(kJ/mol) with its standard error and the energy standard deviation.

Usage (repository root)::

    python docs/results/energy_diagnosis/donor_choice.py aspirin runs/energy/asp30.npz
"""
import sys, numpy as np
from common import load, torsion_features
from asteroid_openmm.trajectories.bonds import dihedral_quadruplets
name, path = sys.argv[1], sys.argv[2]
bonds, X, E, fm, energy = load(name, path)
quads = dihedral_quadruplets(bonds)
rng = np.random.default_rng(2)
targets = np.sort(rng.choice(np.arange(1200, len(X)), 200, replace=False))
et = E[targets]; xt = X[targets]; ft = torsion_features(xt, quads)
res = {}
for t_i, t in enumerate(targets):
    pool = np.arange(t - 1100, t - 70, 33)[-32:]   # 0.7-11 ps before, like a rollouts=8 run's donors
    fp = torsion_features(X[pool], quads); d2 = ((fp - ft[t_i]) ** 2).sum(-1)
    choices = {"random": rng.integers(len(pool))}
    for frac in (0.5, 1.0):
        s2 = frac * np.median(d2)
        w = np.exp(-(d2 - d2.min()) / (2 * s2)); w /= w.sum()
        choices[f"kernel {frac}"] = rng.choice(len(pool), p=w)
    choices["nearest"] = int(d2.argmin())
    for k, c in choices.items():
        res.setdefault(k, []).append(energy(fm.set_distances(xt[t_i:t_i+1], fm.distances(X[pool[c]:pool[c]+1])))[0])
print(f"targets sd {et.std():.2f}")
for k, v in res.items():
    v = np.array(v); print(f"{k:12s} mean change {np.mean(v-et):+6.2f} +- {np.std(v-et)/np.sqrt(len(v)):.2f}  sd {v.std():.2f}")
