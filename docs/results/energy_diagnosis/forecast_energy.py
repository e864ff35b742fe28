"""Paired energies of chained forecasts against the true future frames, per chained forecast.

For windows of a plain trajectory saved at the model's frame interval, chain R
forecasts of the shipped (or given) model from the 16 preceding true frames and
compare the potential energy of every forecast frame with that of the true frame
at the same time: raw, and with thermal fast modes (copies, h = 0, and the
smoothed bootstrap, h = 0.3) drawn from 32 earlier real frames, as the
integrator does. Prints the mean difference (kJ/mol) per chained forecast with
its standard error over windows, and the energy standard deviation.

Usage (repository root)::

    python docs/results/energy_diagnosis/plain_frames.py ethanol 15 runs/energy/eth15_5fs.npz 7 0.005
    python docs/results/energy_diagnosis/forecast_energy.py ethanol runs/energy/eth15_5fs.npz 8 ethanol 28
"""
import sys

import numpy as np
import torch

from common import load, print_paired
from asteroid_openmm import load_model

torch.set_num_threads(1)
name, path, R = sys.argv[1], sys.argv[2], int(sys.argv[3])
model = load_model(sys.argv[4] if len(sys.argv) > 4 else name)
n_windows = int(sys.argv[5]) if len(sys.argv) > 5 else 25
bonds, X, E, fm, energy = load(name, path)
W, H = model.context_frames, model.horizon
rng = np.random.default_rng(0)
starts = np.arange(200, len(X) - R * H, 97)[:n_windows]
rows = {"true": [], "raw": [], "copies": [], "h=0.3": []}
for t in starts:
    fc, _ = model.rollout(X[t - W:t], R)
    donors = X[t - 200:t:6][-32:]
    rows["true"].append(E[t:t + len(fc)])
    rows["raw"].append(energy(fc))
    rows["copies"].append(energy(fm(fc, donors, rng, 0.0)))
    rows["h=0.3"].append(energy(fm(fc, donors, rng, 0.3)))
m = min(len(r) for r in rows["true"])
print(f"{len(starts)} windows, {m // H} chained forecasts of {H} frames")
print_paired(rows, H)
