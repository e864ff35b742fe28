"""Energy added by grafting donor fast modes (1-2/1-3 distances) onto real frames.

Targets are 150 frames of the second half of a plain trajectory; donors a
random pool of 32 or 128 frames of its first half. Variants: the targets' own
distances (restoration error only), a random donor (the integrator's copies),
and the nearest donor, or one of the 4 nearest, in torsion space (cos and sin
of every dihedral). Prints the mean energy change (kJ/mol), the grafted
frames' energy standard deviation (true: first line) and their correlation
with the targets' energies.

Part 2: the same for 200 frames from anywhere in the trajectory, each given
the distances of one random frame taken 0.1-3 ps or 0.1-0.5 ps before it
(as the integrator's donors are recent), 0.1-3 ps after it, or more than
10 ps away. The change is shown with its standard error.

Usage (repository root)::

    python docs/results/energy_diagnosis/plain_frames.py aspirin 30 runs/energy/asp30.npz
    python docs/results/energy_diagnosis/graft_energy.py aspirin runs/energy/asp30.npz
"""
import sys

import numpy as np

from common import load, torsion_features
from asteroid_openmm.trajectories.bonds import dihedral_quadruplets

name, path = sys.argv[1], sys.argv[2]
bonds, X, E, fm, energy = load(name, path)
quads = dihedral_quadruplets(bonds)

rng = np.random.default_rng(0)
half = len(X) // 2
targets = rng.choice(np.arange(half, len(X)), 150, replace=False)
xt, et = X[targets], E[targets]
print(f"true: mean {et.mean():.2f} sd {et.std():.2f}; grafted pairs {len(fm.pairs)}")


def report(label, eg):
    print(f"{label:22s} mean diff {eg.mean() - et.mean():+6.2f}  sd {eg.std():6.2f}  "
          f"corr(E_graft,E_target) {np.corrcoef(eg, et)[0, 1]:.2f}", flush=True)


report("self (1-2+1-3)", energy(fm.set_distances(xt, fm.distances(xt))))
for pool_n in (32, 128):
    for rep in range(2):
        pool = X[rng.choice(half, pool_n, replace=False)]
        pick = rng.integers(len(pool), size=len(xt))
        report(f"p{pool_n} copy [{rep}]", energy(fm.set_distances(xt, fm.distances(pool)[pick])))
        order = np.argsort(((torsion_features(xt, quads)[:, None] - torsion_features(pool, quads)[None]) ** 2).sum(-1),
                           axis=1)
        for k in (1, 4):
            near = order[np.arange(len(xt)), rng.integers(k, size=len(xt))]
            report(f"p{pool_n} {k}-nearest [{rep}]", energy(fm.set_distances(xt, fm.distances(pool)[near])))

print("part 2: donors by time from the target")
targets = np.sort(rng.choice(np.arange(400, len(X) - 400), 200, replace=False))
et = E[targets]
pools = {"before, 0.1-3 ps": lambda t: np.arange(t - 300, t, 10), "before, 0.1-0.5 ps": lambda t: np.arange(t - 50, t, 10),
         "after, 0.1-3 ps": lambda t: np.arange(t + 10, t + 300, 10),
         "> 10 ps away": lambda t: np.flatnonzero(np.abs(np.arange(len(X)) - t) > 1000)}
changes = {k: [] for k in pools}
for t in targets:
    for key, pool in pools.items():
        k = rng.choice(pool(t))
        changes[key].append(energy(fm.set_distances(X[t:t + 1], fm.distances(X[k:k + 1])))[0])
print(f"true: mean {et.mean():.2f} sd {et.std():.2f}")
for key, v in changes.items():
    v = np.array(v)
    print(f"{key:22s} mean diff {np.mean(v - et):+6.2f} +- {np.std(v - et) / np.sqrt(len(v)):.2f}  sd {v.std():6.2f}")
