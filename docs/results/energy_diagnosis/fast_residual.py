"""Chained forecasts given only the fast part of a donor's 1-2/1-3 distances, paired against the true frames.

The oracle test (``lowpass_graft.py``) shows that grafting a donor's fast
residual ``d_donor - slow(donor)`` onto a target's own slow part leaves the
energy unbiased where plain grafting does not (aspirin). This measures the
implementable versions on chained forecasts, as ``forecast_energy.py`` does:
R chained forecasts of the shipped model from 16 true frames; every forecast
frame's potential energy against the true frame's at the same time. Donors are
32 earlier real frames. Variants (target distances):

* ``copies``: ``d_donor`` (the integrator's rule, h = 0);
* ``fc + oracle resid``: forecast distances + ``d_donor - lowpass(d)(donor)``
  (moving average of the true distances over WINDOW frames);
* ``fc + fc resid``: forecast distances + ``d_donor - d_next(donor)``, where
  ``d_next`` is the first frame of a forecast from the 16 frames ending at the
  donor (what the integrator has: its donors are the last context frames of
  the next jump);
* ``fc avg + oracle resid``: the forecast's distances averaged over WINDOW
  of its own frames (frame-to-frame forecast noise averages out), plus the
  oracle residual;
* ``oracle + oracle resid``: ``lowpass(d)(target) + d_donor - lowpass(d)(donor)``.

Prints the mean difference (kJ/mol) per chained forecast with its standard
error over windows, and the energy standard deviation.

Usage (repository root)::

    python docs/results/energy_diagnosis/fast_residual.py ethanol runs/energy/eth15_5fs.npz 8 28 [WINDOW]
"""
import sys

import numpy as np
import torch

from common import load, moving_average, print_paired
from asteroid_openmm import load_model

torch.set_num_threads(1)
name, path, R, n_windows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
window = int(sys.argv[5]) if len(sys.argv) > 5 else 21
model = load_model(name)
bonds, X, E, fm, energy = load(name, path)
W, H = model.context_frames, model.horizon
D = fm.distances(X)
slow = moving_average(D, window)
rng = np.random.default_rng(0)
starts = np.arange(220, len(X) - R * H - window, 97)[:n_windows]
rows = {k: [] for k in ("true", "copies", "fc + oracle resid", "fc + fc resid", "fc avg + oracle resid",
                        "oracle + oracle resid")}


for t in starts:
    fc, _ = model.rollout(X[t - W:t], R)
    fc = np.asarray(fc, np.float64)
    n = len(fc)
    pool = np.arange(t - 200, t, 6)[-32:]
    nxt = np.array([fm.distances(np.asarray(model.rollout(X[d - W + 1:d + 1], 1)[0], np.float64)[:1])[0] for d in pool])
    pick = rng.integers(len(pool), size=n)
    donor = pool[pick]
    d_fc = fm.distances(fc)
    rows["true"].append(E[t:t + n])
    rows["copies"].append(energy(fm.set_distances(fc, D[donor])))
    rows["fc + oracle resid"].append(energy(fm.set_distances(fc, d_fc + D[donor] - slow[donor])))
    rows["fc + fc resid"].append(energy(fm.set_distances(fc, d_fc + D[donor] - nxt[pick])))
    rows["fc avg + oracle resid"].append(energy(fm.set_distances(fc, moving_average(d_fc, window) + D[donor] - slow[donor])))
    rows["oracle + oracle resid"].append(energy(fm.set_distances(fc, slow[t:t + n] + D[donor] - slow[donor])))
m = min(len(r) for r in rows["true"])
print(f"{name}: {len(starts)} windows, {m // H} chained forecasts of {H} frames, moving average over {window} frames")
print_paired(rows, H)
