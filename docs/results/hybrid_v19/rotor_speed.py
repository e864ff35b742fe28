"""How fast do chained forecasts turn a molecule's methyl-type rotors, against real MD?

    python docs/results/hybrid_v19/rotor_speed.py SYSTEM TRAJ.h5 [ROLLOUTS]

Cuts contexts from a real trajectory (at the model's frame interval), chains ROLLOUTS (default 8) forecasts of the
shipped model from each, and prints, per chained forecast, the rms change per frame of each symmetric terminal
rotor's turn (degrees, measured on the labelled atoms: RotorLibrations.turns_between of consecutive frames) and the
rms per-frame displacement of its terminal atoms (nm), next to the same in the real trajectory.
"""
import sys

import mdtraj
import numpy as np
import torch

from asteroid_openmm import load_model
from asteroid_openmm.integrator.rotor_librations import RotorLibrations

torch.set_num_threads(1)
system, path = sys.argv[1], sys.argv[2]
rollouts = int(sys.argv[3]) if len(sys.argv) > 3 else 8
model = load_model(system)
traj = mdtraj.load(path)
xyz = traj.xyz.astype(np.float64)  # nm
bonds = np.array([[b[0].index, b[1].index] for b in traj.topology.bonds])
rotors = RotorLibrations(bonds, np.array([a.element.atomic_number for a in traj.topology.atoms]))
terminal = rotors.terminal_atoms
W, H = model.context_frames, model.horizon


def per_frame(frames):
    """rms turn per frame (degrees) of every rotor and rms step of their terminal atoms (nm) over frames [F, N, 3]."""
    turns = np.array([rotors.turns_between(a, b) for a, b in zip(frames[:-1], frames[1:])])
    steps = np.linalg.norm(np.diff(frames[:, terminal], axis=0), axis=-1)
    return np.degrees(np.sqrt((turns ** 2).mean())), np.sqrt((steps ** 2).mean())


real = per_frame(xyz)
print(f"{system}: {len(rotors)} rotor(s); real MD: rms turn {real[0]:.1f} deg/frame, terminal-atom step {real[1]:.4f} nm")
starts = np.arange(0, len(xyz) - W, 50)
chains = [model.rollout(xyz[s:s + W], rollouts)[0] for s in starts]
for r in range(rollouts):
    # frames of forecast r, with the frame before it (the context's last or the previous forecast's last)
    stats = [per_frame(np.concatenate([(xyz[s + W - 1][None] if r == 0 else c[r * H - 1][None]), c[r * H:(r + 1) * H]]))
             for s, c in zip(starts, chains)]
    turn, step = np.sqrt(np.mean(np.square(stats), axis=0))
    print(f"forecast {r + 1}: rms turn {turn:.1f} deg/frame, terminal-atom step {step:.4f} nm ({len(stats)} chains)")
