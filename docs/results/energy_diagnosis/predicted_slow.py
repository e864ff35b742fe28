"""Chained forecasts given the donor's fast residual about a slow part predicted from longer-range geometry.

``slow_from_geometry.py`` shows that a ridge regression on a frame's pair
distances beyond 1-3 predicts the slow part of its 1-2/1-3 distances well
enough that grafting about the prediction removes aspirin's offset on real
frames. Here it is applied as the integrator would have to: fitted on another,
independent plain trajectory (FIT_NPZ, frames every 10 fs, slow part = moving
average over 21 of them), then used on chained forecasts of the shipped model
(paired against the true frames, as in ``fast_residual.py``), for both the
forecast frame and the donor, so nothing comes from the future:

* ``copies``: ``d_donor`` (the integrator's rule);
* ``pred + pred resid``: ``pred(forecast frame) + d_donor - pred(donor)``.

Usage (repository root)::

    python docs/results/energy_diagnosis/predicted_slow.py aspirin runs/energy/asp15_5fs.npz runs/energy/asp30.npz 8 20 [RIDGE]
"""
import sys

import numpy as np
import torch

from common import load, moving_average, print_paired, ridge_fit
from asteroid_openmm import load_model

torch.set_num_threads(1)
name, path, fit_path, R, n_windows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
ridge = float(sys.argv[6]) if len(sys.argv) > 6 else 0.1
model = load_model(name)
bonds, X, E, fm, energy = load(name, path)
Xf = np.load(fit_path)["x"].astype(np.float64)
W, H = model.context_frames, model.horizon
n = X.shape[1]
near = {tuple(sorted(p)) for p in fm.pairs.tolist()}
far = np.array([(i, j) for i in range(n) for j in range(i + 1, n) if (i, j) not in near])


def far_distances(x):
    return np.linalg.norm(x[..., far[:, 1], :] - x[..., far[:, 0], :], axis=-1)


Gf = far_distances(Xf)
g_mean, g_std = Gf.mean(0), Gf.std(0)


def features(x):
    g = (far_distances(x) - g_mean) / g_std
    return np.concatenate([np.ones(g.shape[:-1] + (1,)), g], -1)


beta = ridge_fit(features(Xf), moving_average(fm.distances(Xf), 21), ridge)
D = fm.distances(X)
pred_real = features(X) @ beta
rng = np.random.default_rng(0)
starts = np.arange(220, len(X) - R * H, 97)[:n_windows]
rows = {k: [] for k in ("true", "copies", "pred + pred resid")}
for t in starts:
    fc = np.asarray(model.rollout(X[t - W:t], R)[0], np.float64)
    pool = np.arange(t - 200, t, 6)[-32:]
    donor = pool[rng.integers(len(pool), size=len(fc))]
    rows["true"].append(E[t:t + len(fc)])
    rows["copies"].append(energy(fm.set_distances(fc, D[donor])))
    rows["pred + pred resid"].append(energy(fm.set_distances(fc, features(fc) @ beta + D[donor] - pred_real[donor])))
m = min(len(r) for r in rows["true"])
print(f"{name}: {len(starts)} windows, {m // H} chained forecasts of {H} frames; slow part fitted on {fit_path} "
      f"(ridge {ridge})")
print_paired(rows, H)
