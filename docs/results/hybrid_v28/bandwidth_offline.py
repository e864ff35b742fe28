"""Offline: does the smoothed bootstrap of fast modes (fast_mode_bandwidth, 0.3 automatic at rollouts > 1) cost
played-back energy when the donors are a 10,000-frame library?

    python docs/results/hybrid_v28/bandwidth_offline.py MODEL.pt RUN.npz

The run's played-back frames are given fresh library donors (rotamer_window 30, as the run) with each bandwidth,
the same donors for every bandwidth; prints pooled bond/angle/dihedral JS x 1e4 against the MC-MD reference and the
mean real energy of 1500 frames minus the reference's, with the paired difference to bandwidth 0.3.
"""
import sys

import numpy as np

from offline_setup import hybrid, offline_setup  # this folder
from asteroid_openmm.evaluation.evaluate import potential_energies
from asteroid_openmm.evaluation.metrics import internal_coordinate_js

BANDWIDTHS = (0.3, 0.0, 0.15)
o = offline_setup(sys.argv[1], sys.argv[2])
sd, bonds, triplets, quads, ref, x = o.sd, o.bonds, o.triplets, o.quads, o.ref, o.x
idx = np.flatnonzero(o.played)
library, rot, resampler = o.library, o.rot, o.resampler
picks = rot.choose(x[idx], library, np.random.default_rng(0), 30.0)
sub = np.random.default_rng(1).choice(len(idx), size=min(1500, len(idx)), replace=False)
r = ref["reference__positions_nm"].astype(np.float64)
e_ref = ref["reference__energy_kJmol"].mean()
relative = {}  # bandwidth -> energies minus the reference's mean
for h in BANDWIDTHS:
    y = x.copy()
    y[idx] = resampler(x[idx], library, np.random.default_rng(2), bandwidth=h, picks=picks)
    d = internal_coordinate_js(y, r, bonds, triplets, quads, bins=hybrid.HIST_BINS)
    relative[h] = potential_energies(sd, y[idx[sub]]) - e_ref
    diff = relative[h] - relative[BANDWIDTHS[0]]
    print(f"bandwidth {h:4.2f}: bonds {1e4 * d['bonds']:5.2f}  angles {1e4 * d['angles']:5.2f}  dihedrals "
          f"{1e4 * d['dihedrals']:5.2f}  energy {relative[h].mean():+.2f} kJ/mol (paired vs {BANDWIDTHS[0]}: "
          f"{diff.mean():+.2f} +- {diff.std() / np.sqrt(len(diff)):.2f})")
