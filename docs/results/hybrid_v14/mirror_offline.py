"""Chained forecasts of ethanol's hydroxyl rotor: plain, mirror-averaged and mirror-sampled chains against real MD.

From 300 random windows of a plain-MD frames file (positions in nm under key ``x``, frames one model interval
apart): W real context frames, then R=8 chained forecasts of H frames. Printed per chain kind: the rms change of
the C-C-O-H and H-C-C-O dihedrals after 32 / 64 / 128 frames, the hydroxyl's trans / g+ / g- populations over
the chained frames, and its transitions between those core regions per ps.

    python docs/results/hybrid_v14/mirror_offline.py runs/energy/eth15_5fs.npz [MODEL.pt] > docs/results/hybrid_v14/mirror_offline.txt

MODEL.pt (default: the shipped ethanol model) may be a stochastic one (``train --noise-dim``): each chain kind is
then drawn with a fixed torch seed.
"""
import sys
from pathlib import Path

import numpy as np
import torch

from asteroid_openmm.evaluation.metrics import dihedrals
from asteroid_openmm.model import load_model
from asteroid_openmm.model.mirror import mirror_relabelling
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import infer_bonds

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hybrid_v13"))
from rotor_kinetics import rotor_states  # noqa: E402

torch.set_num_threads(1)
x = np.load(sys.argv[1])["x"].astype(np.float64)
R, seeds = 8, 3
model = load_model(sys.argv[2] if len(sys.argv) > 2 else "ethanol")
W, H = model.context_frames, model.horizon
n = H * R
z = np.asarray(get_system("ethanol").atomic_numbers)
bonds = infer_bonds(x[0], z)
mirror = mirror_relabelling(bonds, z, x[0])
quads = np.array([[0, 1, 2, 8], [3, 0, 1, 2]])  # C-C-O-H (hydroxyl), H-C-C-O (methyl)
starts = np.random.default_rng(0).choice(np.arange(W, len(x) - n), 300, replace=False)
ctx = np.stack([x[s - W:s] for s in starts])
real = np.stack([x[s:s + n] for s in starts])


def torsions(a):
    return dihedrals(a.reshape(-1, *a.shape[2:]), quads).reshape(*a.shape[:2], -1)  # degrees


t0 = torsions(ctx[:, -1:])


def transitions(s):
    count = 0
    for row in s:
        core = row[row >= 0]
        count += int(np.sum(core[1:] != core[:-1]))
    return count / (s.size * model.frame_interval)


def report(tag, frames):
    t = torsions(frames)
    d = (t - t0 + 180) % 360 - 180
    rms = [np.sqrt(np.mean(d[:, k - 1] ** 2, axis=0)).round(0).astype(int).tolist() for k in (32, 64, 128)]
    s = rotor_states(np.concatenate([t0[..., 0], t[..., 0]], axis=1))
    pops = [np.mean(s[:, 1:] == k) for k in (0, 1, 2)]
    print(f"{tag:>16}: rms change after 32 / 64 / 128 frames {rms[0]} / {rms[1]} / {rms[2]} deg; "
          f"hydroxyl trans / g+ / g- {pops[0]:.2f} / {pops[1]:.2f} / {pops[2]:.2f}; "
          f"transitions {transitions(s):.2f} per ps", flush=True)


print(f"ethanol, {len(starts)} windows, W={W}, H={H}, R={R}; dihedrals [C-C-O-H, H-C-C-O]")
report("real MD", real)
c = torch.tensor(ctx, dtype=torch.float32)
with torch.no_grad():
    torch.manual_seed(100)
    report("plain chain", model.rollout_torch(c, R)[0].double().numpy())
    torch.manual_seed(101)
    report("mirror average", model.rollout_torch(c, R, mirror=mirror)[0].double().numpy())
    for seed in range(seeds):
        torch.manual_seed(seed)
        report(f"mirror sample {seed}", model.rollout_torch(c, R, mirror=mirror, mirror_mode="sample")[0]
               .double().numpy())
