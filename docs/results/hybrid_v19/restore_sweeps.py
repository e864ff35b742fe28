"""How far the shipped model's forecast bonds sit from their thermal mean, by restoration sweeps.

    python docs/results/hybrid_v19/restore_sweeps.py SYSTEM TRAJ.h5 [SWEEPS ...]

Cuts contexts from a real trajectory (at the model's frame interval), forecasts one horizon with the shipped model,
and reports per lead time: the largest bond-length deviation from the trajectory's mean bond lengths (what the
integrator's guard judges against ``bond_tolerance`` = 0.02 nm), the share of forecasts with any bond off by more
than 0.02 nm, the worst bond, and the position MAE against the true future (nm). SWEEPS are Jacobi sweeps of the
restoration layer at inference (the models were trained with 4).
"""
import collections
import functools
import sys

import mdtraj
import numpy as np
import torch

from asteroid_openmm import load_model
from asteroid_openmm.model import asteroid as asteroid_module
from asteroid_openmm.model.geometry_restore import restore_distances

torch.set_num_threads(1)
system, path = sys.argv[1], sys.argv[2]
sweep_counts = [int(s) for s in sys.argv[3:]] or [4, 8, 16, 32]
model = load_model(system)
traj = mdtraj.load(path)
xyz = traj.xyz.astype(np.float64)  # nm
bonds = np.array([[b[0].index, b[1].index] for b in traj.topology.bonds])
names = [f"{a.element.symbol}{a.index}" for a in traj.topology.atoms]
mean_len = np.linalg.norm(xyz[:, bonds[:, 0]] - xyz[:, bonds[:, 1]], axis=-1).mean(axis=0)
W, H = model.context_frames, model.horizon
starts = np.arange(0, len(xyz) - W - H, 7)
print(f"{system}: {len(xyz)} frames, {len(starts)} contexts, W={W}, H={H}")
for sweeps in sweep_counts:
    asteroid_module.restore_distances = functools.partial(restore_distances, sweeps=sweeps)
    dev_max, err, worst = [], [], collections.Counter()
    for s in starts:
        f = model.forecast(xyz[s:s + W])  # [H, N, 3] nm
        truth = xyz[s + W:s + W + H]
        dev = np.abs(np.linalg.norm(f[:, bonds[:, 0]] - f[:, bonds[:, 1]], axis=-1) - mean_len)  # [H, B]
        dev_max.append(dev.max(axis=1))
        err.append(np.linalg.norm(f - truth, axis=-1).mean(axis=1))
        for h in range(H):
            if dev[h].max() > 0.02:
                i, j = bonds[np.argmax(dev[h])]
                worst[f"{names[i]}-{names[j]}"] += 1
    dev_max, err = np.array(dev_max), np.array(err)
    leads = [0, 3, 7, 11, 15]
    print(f"sweeps {sweeps}: worst-bond deviation (nm) median by lead "
          + " ".join(f"{h + 1}:{np.median(dev_max[:, h]):.4f}" for h in leads)
          + " | any bond > 0.02 nm: " + " ".join(f"{h + 1}:{np.mean(dev_max[:, h] > 0.02):.2f}" for h in leads)
          + " | forecasts with any frame > 0.02: " + f"{np.mean(dev_max.max(axis=1) > 0.02):.2f}"
          + " | MAE (nm) " + " ".join(f"{h + 1}:{err[:, h].mean():.4f}" for h in leads))
    print("   worst bonds (frames > 0.02 nm):", worst.most_common(5))
