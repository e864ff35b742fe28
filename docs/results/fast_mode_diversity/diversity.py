"""How many distinct real frames do played-back fast modes need? (eighth session)

1. Divergence from the reference of 10,000 frames of plain ethanol MD resampled
   from only n distinct frames (n = 340 is what a 100 ps ``rollouts=8``
   hybrid records at equilibrium: about 2 frames per jump, 170 jumps).
2. The integrator's situation emulated on bond lengths and angles: 170 jumps,
   2 new real frames each, a sliding pool of the last 32, 57 forecast frames
   drawn per jump, with the smoothed bootstrap of bandwidth h (h = 0: copies),
   noise added independently to the 1-3 distances or to the angles, or with the
   pool's covariance (the integrator's choice).

Needs the samples of the sixth session's 100 ps ethanol benchmark
(``benchmarks/hybrid.py ... --save-samples runs/h6/ethanol_samples.npz``, see
docs/benchmarks.md). Usage (repo root):
``python docs/results/fast_mode_diversity/diversity.py runs/h6/ethanol_samples.npz``
"""
import sys

import numpy as np

sys.path.insert(0, "benchmarks")
import hybrid as hb  # noqa: E402  (the benchmark's own histogram bins and JS divergence)

from asteroid_openmm.evaluation.metrics import angles, bond_lengths, js_divergence  # noqa: E402
from asteroid_openmm.systems import get_system  # noqa: E402
from asteroid_openmm.trajectories.bonds import angle_triplets, dihedral_quadruplets  # noqa: E402

d = np.load(sys.argv[1] if len(sys.argv) > 1 else "runs/h6/ethanol_samples.npz")
ethanol = get_system("ethanol")
bonds = np.array([[b[0].index, b[1].index] for b in ethanol.topology.bonds()])
tri = angle_triplets(bonds)
rx, re = d["reference__positions_nm"], d["reference__energy_kJmol"]
ax, ae = d["plain_A__positions_nm"], d["plain_A__energy_kJmol"]
spec = hb.FidelitySpec(rx, re, bonds, tri, dihedral_quadruplets(bonds), None)
ref_features = spec.features(rx, re)


def js(x, e):
    return {k: round(v, 5) for k, v in spec.divergences(spec.features(x, e), ref_features).items()}


rng = np.random.default_rng(0)
print("1. plain A, all 10,000 frames:", js(ax, ae))
for n in (340, 600, 1500, 3000):
    pick = rng.choice(np.sort(rng.choice(len(ax), n, replace=False)), len(ax))
    print(f"   10,000 draws from {n} distinct frames:", js(ax[pick], ae[pick]))


def js_1d(values, reference):
    lo, hi = reference.min(), reference.max()
    pad = hb.RANGE_PAD * (hi - lo)
    r = (lo - pad, hi + pad)
    return js_divergence(np.clip(values.ravel(), *r), reference.ravel(), bins=hb.HIST_BINS, range=r)


def emulate(q, h, seed, jumps=170, per_jump=57, pool_jumps=16, ensemble=False):
    """Frames' coordinates q [T, K] played back as in a rollouts=8 hybrid, drawn by the smoothed bootstrap.

    ``ensemble``: noise with the pool's covariance (what the integrator does); otherwise independent per column."""
    r = np.random.default_rng(seed)
    groups = [q[i : i + 2] for i in range(0, len(q) - 1, len(q) // jumps)][:jumps]
    out = []
    for j in range(jumps):
        pool = np.concatenate(groups[max(0, j - pool_jumps + 1) : j + 1])
        mean, std = pool.mean(0), pool.std(0, ddof=1) if len(pool) > 2 else 0 * pool[0]
        pick = pool[r.integers(0, len(pool), per_jump)]
        if ensemble:
            noise = r.standard_normal((per_jump, len(pool))) @ ((pool - mean) / np.sqrt(len(pool) - 1))
        else:
            noise = std * r.standard_normal(pick.shape)
        out.append(mean + (pick - mean + h * noise) / np.sqrt(1 + h * h))
        out.append(groups[j])
    return np.concatenate(out)


def triplet_distances(x):
    n = lambda v: np.linalg.norm(v, axis=-1)  # noqa: E731
    a, b, c = x[:, tri[:, 0]], x[:, tri[:, 1]], x[:, tri[:, 2]]
    return np.concatenate([n(a - b), n(c - b), n(a - c)], axis=1)


def angle_from(dist):
    k = len(tri)
    d1, d2, d3 = dist[:, :k], dist[:, k : 2 * k], dist[:, 2 * k :]
    return np.degrees(np.arccos(np.clip((d1**2 + d2**2 - d3**2) / (2 * d1 * d2), -1, 1)))


ref_b, a_b = bond_lengths(rx, bonds), bond_lengths(ax, bonds)
ref_a, a_a, a_d = angles(rx, tri), angles(ax, tri), triplet_distances(ax)
print(f"2. emulated rollouts=8 playback (plain A vs reference: bonds {js_1d(a_b, ref_b):.5f}, "
      f"angles {js_1d(a_a, ref_a):.5f}); three seeds each")
for h in (0.0, 0.3, 0.5, 0.7):
    row = []
    row.append("bonds " + " ".join(f"{js_1d(emulate(a_b, h, s), ref_b):.5f}" for s in range(3)))
    row.append("angles, noise on angles " + " ".join(f"{js_1d(emulate(a_a, h, s), ref_a):.5f}" for s in range(3)))
    row.append("angles, noise on 1-3 distances " + " ".join(
        f"{js_1d(angle_from(emulate(a_d, h, s)), ref_a):.5f}" for s in range(3)))
    both = np.concatenate([a_b, a_d], axis=1)  # bonds and the triplets' distances, one covariance
    ens = [emulate(both, h, s, ensemble=True) for s in range(3)]
    row.append("covariance noise: bonds " + " ".join(f"{js_1d(e[:, :len(bonds)], ref_b):.5f}" for e in ens)
               + ", angles " + " ".join(f"{js_1d(angle_from(e[:, len(bonds):]), ref_a):.5f}" for e in ens))
    print(f"   h={h}: " + "; ".join(row))
