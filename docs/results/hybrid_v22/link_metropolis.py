"""Offline: do Metropolis moves of rotamer torsions between chained forecasts give back the motion they lose?

    python docs/results/hybrid_v22/link_metropolis.py MODEL TRAJECTORY TOPOLOGY SYSTEM [--proposals P] [--every K]

As torsion_collapse.py (8 chained forecasts from every K-th window of a plain MD trajectory), once as the
integrator chains them and once with, before each chained forecast after the first, P Metropolis proposals per
rotamer torsion of the context's last frame under the built-in SYSTEM's real potential (the landing moves,
Rotamers.metropolis), their net turns carried over to the whole context (apply_turns), as landing_context does at
a landing. Prints, per rotamer torsion, the rms move from the last real frame at frames 16 / 64 / 128 (degrees),
true / chained / chained with the moves, the sd over windows of the folded torsion |phi| at frame 128, and the
energy evaluations spent per window. Positions nm, energies kJ/mol.
"""
import argparse

import mdtraj as md
import numpy as np
import torch

from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.integrator.rotamers import Rotamers
from asteroid_openmm.integrator.rotor_librations import apply_turns
from asteroid_openmm.model import load_model
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import infer_bonds

p = argparse.ArgumentParser()
p.add_argument("model"), p.add_argument("trajectory"), p.add_argument("topology"), p.add_argument("system")
p.add_argument("--proposals", type=int, default=2)
p.add_argument("--every", type=int, default=37)
args = p.parse_args()
torch.set_num_threads(1)
openmm = import_openmm()
unit = openmm.unit
model = load_model(args.model)
sysdef = get_system(args.system)
context = openmm.Context(sysdef.system, openmm.VerletIntegrator(0.001), openmm.Platform.getPlatformByName("CPU"),
                         {"Threads": "1"})
x = md.load(args.trajectory, top=args.topology).xyz.astype(np.float64)
W, H, R = model.context_frames, model.horizon, 8
rot = Rotamers(infer_bonds(x[0], model.atomic_numbers), model.atomic_numbers)
kT = 0.00831446261815324 * sysdef.temperature
starts = np.arange(0, len(x) - W - H * R, args.every)
rng = np.random.default_rng(0)
evaluations = 0


def energy(frame):
    global evaluations
    evaluations += 1
    context.setPositions(frame * unit.nanometer)
    with torch.enable_grad():  # the rollout runs under no_grad; openmm-torch differentiates the potential
        return context.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)


def link_moves(ctx):
    out = ctx.detach().cpu().numpy().astype(np.float64)
    for b in range(len(out)):
        _, _, _, net = rot.metropolis(out[b, -1], energy, kT, args.proposals, rng)
        out[b] = apply_turns(out[b], rot.turns, net)
    return torch.tensor(out, dtype=ctx.dtype, device=ctx.device)


contexts = torch.tensor(np.stack([x[s:s + W] for s in starts]), dtype=torch.float32)
plain, _ = model.rollout_torch(contexts, R)
moved, _ = model.rollout_torch(contexts, R, context_perturb=link_moves)
truth = np.stack([x[s + W: s + W + H * R] for s in starts])
runs = {"true": truth, "chained": plain.cpu().numpy().astype(np.float64),
        "with moves": moved.cpu().numpy().astype(np.float64)}


def wrap(a):
    return (a + 180.0) % 360.0 - 180.0


start = rot.torsions(np.stack([x[s + W - 1] for s in starts]))
print(f"{len(starts)} windows, {R} chained forecasts of {H} frames; {args.proposals} proposals per rotamer torsion "
      f"between forecasts: {evaluations / len(starts):.0f} energy evaluations per window")
print("rms move from the last real frame (degrees) true / chained / with moves; sd of |phi| at the last frame")
for j, q in enumerate(rot.quads):
    cells = []
    for k in (H, H * R // 2, H * R):
        moves = [np.sqrt(np.mean(wrap(rot.torsions(f[:, k - 1])[:, j] - start[:, j]) ** 2)) for f in runs.values()]
        cells.append(" / ".join(f"{m:5.1f}" for m in moves))
    sd = " / ".join(f"{np.abs(rot.torsions(f[:, -1])[:, j]).std():5.1f}" for f in runs.values())
    print(f"{'-'.join(map(str, q)):14s}" + "".join(f"{c:>24s}" for c in cells) + f"   |phi| sd {sd}")
