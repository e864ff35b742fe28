"""The integrator's fast-mode draw, replayed on a hybrid run's played-back frames with other donor pools (offline).

For 400 played-back frames of a hybrid run (``--save-samples``), the donors are the run's own last K real samples
before each frame (as the integrator's last 32 equilibrium frames), and the frame gets new 1-2/1-3 distances:
random or rotamer-matched donor (60 degrees), h = 0 / 0.15 / 0.3, smoothing covariance from the K donors or from
the last 256 real samples. Prints mean energy minus the reference's mean (kJ/mol) and the sd (reference 12.3,
plain runs 13.1 and 14.0), and the bond/angle JS divergence of the re-grafted frames against the reference.

Usage: python docs/results/hybrid_v16/donor_pool.py SAMPLES.npz
"""
import sys

import numpy as np

sys.path.insert(0, "docs/results/energy_diagnosis")
from common import load  # noqa: E402

from asteroid_openmm.integrator.rotamers import Rotamers  # noqa: E402

bonds, _, _, fm, energy = load("ethanol", "runs/energy/eth15_5fs.npz")
d = np.load(sys.argv[1])
key = next(k[:-len("__playback")] for k in d.files if k.startswith("hybrid") and k.endswith("__playback"))
x = d[key + "__positions_nm"].astype(np.float64)
pb = d[key + "__playback"]
e0 = d["reference__energy_kJmol"].mean()
ref_d = fm.distances(d["reference__positions_nm"].astype(np.float64))
rng = np.random.default_rng(0)
real = np.flatnonzero(~pb)
idx = np.sort(rng.choice(np.flatnonzero(pb)[np.flatnonzero(pb) > real[300]], 400, replace=False))
matcher = Rotamers(bonds, [6, 6, 8, 1, 1, 1, 1, 1, 1])
bins = [np.linspace(lo, hi, 65) for lo, hi in zip(ref_d.min(0) - 0.01, ref_d.max(0) + 0.01)]


def js(a, b):
    out = []
    for p in range(a.shape[1]):
        ha, hb = (np.histogram(v[:, p], bins[p])[0] + 1e-12 for v in (a, b))
        ha, hb = ha / ha.sum(), hb / hb.sum()
        m = 0.5 * (ha + hb)
        out.append(0.5 * (ha * np.log(ha / m)).sum() + 0.5 * (hb * np.log(hb / m)).sum())
    return np.mean(out)


print(f"{sys.argv[1]}: recorded played-back frames {d[key + '__energy_kJmol'][idx].mean() - e0:+.2f}, "
      f"sd {d[key + '__energy_kJmol'][idx].std():.1f}")
for k in (32, 128, 512):
    for matched in (False, True):
        for h, cov in ((0.0, None), (0.15, None), (0.3, None), (0.3, 256)):
            out = []
            for t in idx:
                before = real[real < t]
                donors = x[before[-k:]]
                picks = matcher.choose(x[t][None], donors, rng, 60.0) if matched else None
                sample = fm.distances(x[before[-cov:]]) if cov else None
                out.append(fm(x[t][None], donors, rng, h, sample, picks)[0])
            out = np.array(out)
            e = energy(out)
            print(f"K {k:3d} {'matched' if matched else 'random ':7s} h {h:.2f} cov {cov or 'donors':6}  "
                  f"{e.mean() - e0:+6.2f} ± {e.std() / np.sqrt(len(e)):.2f}  sd {e.std():5.1f}  "
                  f"fast-distance JS {js(fm.distances(out), ref_d):.4f}", flush=True)
