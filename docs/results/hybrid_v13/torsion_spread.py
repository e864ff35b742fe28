"""How far chained forecasts turn each rotatable bond, against real MD, with torsion kicks of several scales.

(frame_kicks_*_97c1efc.txt were made by this script at commit 97c1efc, when the kicks turned the forecast
frames themselves rather than the chained forecasts' contexts.)

From 300 random windows of a plain-MD frames file (positions in nm under key
``x``, frames one model interval apart): W real context frames, then R chained
forecasts of H frames. Printed per bond (a dihedral across it): the rms change
of that dihedral from the last context frame after 32 / 64 / 128 frames, for
real MD and for the chains; and for the chains the median STI spread, the
fraction of frames above the default max_spread (0.05 nm) and the rms bond
length error.

    python docs/results/hybrid_v13/torsion_spread.py runs/energy/eth15_5fs.npz ethanol 0,0.5,1,1.5,2 \
        > docs/results/hybrid_v13/torsion_spread_ethanol.txt
"""
import sys

import numpy as np
import torch

from asteroid_openmm.evaluation.metrics import bond_lengths, dihedrals
from asteroid_openmm.model import load_model
from asteroid_openmm.model.torsion_kicks import TorsionKicks
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import infer_bonds

torch.set_num_threads(1)
x = np.load(sys.argv[1])["x"].astype(np.float64)
name, scales = sys.argv[2], [float(v) for v in sys.argv[3].split(",")]
R = 8
model = load_model(name)
W, H = model.context_frames, model.horizon
n = H * R
system = get_system(name)
z = np.asarray(system.atomic_numbers)
masses = np.array([system.system.getParticleMass(i)._value for i in range(len(z))])
bonds = infer_bonds(x[0], z)
kicks = TorsionKicks(bonds, masses, x[0], system.temperature, model.frame_interval)
neighbours = {i: [int(j) for j in np.concatenate([bonds[bonds[:, 0] == i, 1], bonds[bonds[:, 1] == i, 0]])]
              for i in range(len(z))}
quads = np.array([[next(j for j in neighbours[a] if j != b), a, b, next(j for j in neighbours[b] if j != a)]
                  for a, b, _ in kicks.torsions])
print(f"{name}: rotatable bonds (a, b: turning side) {[(a, b, s.tolist()) for a, b, s in kicks.torsions]}")
print(f"thermal step per frame (deg) {np.degrees(kicks.thermal_step).round(2).tolist()}; dihedrals {quads.tolist()}")
starts = np.random.default_rng(0).choice(np.arange(W, len(x) - n), 300, replace=False)
ctx = np.stack([x[s - W:s] for s in starts])
real = np.stack([x[s:s + n] for s in starts])


def torsions(a):
    return dihedrals(a.reshape(-1, *a.shape[2:]), quads).reshape(*a.shape[:2], -1)  # degrees


t0 = torsions(ctx[:, -1:])
b_mean = bond_lengths(real.reshape(-1, *x.shape[1:]), bonds).mean(axis=0)


def report(tag, frames, spread=None):
    d = (torsions(frames) - t0 + 180) % 360 - 180
    rms = [np.sqrt(np.mean(d[:, k - 1] ** 2, axis=0)).round(0).astype(int).tolist() for k in (32, 64, 128)]
    line = f"{tag:>10}: rms dihedral change after 32 / 64 / 128 frames {rms[0]} / {rms[1]} / {rms[2]} deg"
    if spread is not None:
        b = bond_lengths(frames.reshape(-1, *x.shape[1:]), bonds)
        line += (f"; spread median {np.median(spread) * 1e3:.1f} pm, > 0.05 nm {np.mean(spread > 0.05):.3f}; "
                 f"bond rms error {np.sqrt(np.mean((b - b_mean) ** 2)) * 1e3:.2f} pm")
    print(line, flush=True)


report("real MD", real)
for scale in scales:
    torch.manual_seed(0)
    with torch.no_grad():
        f, sp = model.rollout_torch(torch.tensor(ctx, dtype=torch.float32), R,
                                    context_perturb=lambda c: kicks.kick_context(c, scale))
    report(f"kick {scale:g}", f.double().numpy(), sp.numpy())
