"""How chained mean forecasts narrow a molecule's rotamer torsions, from real MD windows.

    python docs/results/hybrid_v22/torsion_collapse.py MODEL TRAJECTORY TOPOLOGY [--rollouts R] [--every K]

MODEL: a model file or built-in name (load_model). TRAJECTORY/TOPOLOGY: plain MD at the model's frame interval (nm,
e.g. an ``asteroid-openmm simulate`` DCD with its PDB). From every K-th window of the trajectory the model forecasts R
chained forecasts (rollout_torch, the integrator's chaining without its landing moves) from the W real frames, and for
each rotamer torsion (asteroid_openmm.integrator.rotamers) this prints, at the end of the 1st, R/2-th and R-th
forecast, how far the torsion has moved from the last context frame (rms over windows, degrees) in the true future
and in the forecast, and the forecast's rms error. A forecast that moves less than the truth has lost motion: a
mean forecast regresses each torsion towards its conditional mean, and played back, a chain of such frames gives
too narrow a torsion distribution.
"""
import argparse

import mdtraj as md
import numpy as np
import torch

from asteroid_openmm.integrator.rotamers import Rotamers
from asteroid_openmm.model import load_model
from asteroid_openmm.trajectories.bonds import infer_bonds

p = argparse.ArgumentParser()
p.add_argument("model"), p.add_argument("trajectory"), p.add_argument("topology")
p.add_argument("--rollouts", type=int, default=8)
p.add_argument("--every", type=int, default=37)
args = p.parse_args()
torch.set_num_threads(1)
model = load_model(args.model)
x = md.load(args.trajectory, top=args.topology).xyz.astype(np.float64)
W, H, R = model.context_frames, model.horizon, args.rollouts
rot = Rotamers(infer_bonds(x[0], model.atomic_numbers), model.atomic_numbers)
starts = np.arange(0, len(x) - W - H * R, args.every)
forecast, _ = model.rollout_torch(torch.tensor(np.stack([x[s:s + W] for s in starts]), dtype=torch.float32), R)
forecast = forecast.cpu().numpy().astype(np.float64)  # [B, H*R, N, 3]
truth = np.stack([x[s + W: s + W + H * R] for s in starts])


def wrap(a):
    return (a + 180.0) % 360.0 - 180.0


print(f"{len(starts)} windows of {args.trajectory}, {R} chained forecasts of {H} frames "
      f"({model.frame_interval:g} ps each); rms move from the last context frame (degrees), true / forecast, "
      "and the forecast's rms error")
print(f"{'torsion':18s}" + "".join(f"{f'frame {k}':>28s}" for k in (H, H * R // 2, H * R)))
for j, q in enumerate(rot.quads):
    cells = []
    start = rot.torsions(np.stack([x[s + W - 1] for s in starts]))[:, j]
    for k in (H, H * R // 2, H * R):
        t = rot.torsions(truth[:, k - 1])[:, j]
        f = rot.torsions(forecast[:, k - 1])[:, j]
        rms = np.sqrt(np.mean(wrap(f - t) ** 2))
        move_t, move_f = (np.sqrt(np.mean(wrap(a - start) ** 2)) for a in (t, f))
        cells.append(f"{move_t:6.1f} / {move_f:5.1f}, err {rms:5.1f}")
    print(f"{'-'.join(map(str, q)):18s}" + "".join(f"{c:>28s}" for c in cells))
