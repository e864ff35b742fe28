"""Are the contexts of a hybrid's bond-guard stops discontinuous at the rotor hydrogens?

    OPENMM_CPU_THREADS=1 python docs/results/hybrid_v19/context_jumps.py SYSTEM PS SEED [knob=value ...]

Runs PS ps of a built-in ANI-1x system's hybrid (its shipped model) and, for every jump, records the context the model was
given and whether the guard's cheap screen stopped it at a bond-length check. For each jump it measures the largest
frame-to-frame displacement (nm) in the context of the atoms that thermal fast modes and thermal rotors rebuild
(terminal rotor atoms) and of all other atoms, and prints both for jumps that stopped at a bond and for the rest.
"Context step k" is the step from context frame k to k + 1 (0-based). With 16 context frames and
`relax_steps=20, anchor_steps=40` (6 real frames at 10 steps each since the landing), step 10 is the one into the
landing frame.
"""
import sys
from pathlib import Path

import numpy as np
import torch
import openmm
from openmm import app

from asteroid_openmm import AsteroidIntegrator, get_system, load_model
from asteroid_openmm.integrator import guard as guard_module
from asteroid_openmm.integrator.asteroid_integrator import AsteroidIntegrator as Integrator

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import hybrid  # noqa: E402

system, ps, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
knobs = hybrid.parse_setting(",".join(sys.argv[4:]))
torch.set_num_threads(1)
sysdef = get_system(system)
integ = AsteroidIntegrator(load_model(system), sysdef.temperature, sysdef.friction, sysdef.timestep,
                           random_seed=seed, **knobs)
contexts, stops = [], []
forecast, screen = Integrator._forecast, guard_module.JumpGuard.screen


def record_context(self, context_frames):
    contexts.append(np.array(context_frames))
    stops.append(None)
    return forecast(self, context_frames)


def record_stop(self, start, frames, spread, ref, committed=None):
    decision = screen(self, start, frames, spread, ref, committed)
    if stops and stops[-1] is None:
        stops[-1] = decision.n_frames if decision.reason.startswith("bond length") else -1
    return decision


Integrator._forecast, guard_module.JumpGuard.screen = record_context, record_stop
sim = app.Simulation(sysdef.topology, sysdef.system, integ, openmm.Platform.getPlatformByName("CPU"))
sim.context.setPositions(sysdef.positions)
sim.context.setVelocitiesToTemperature(sysdef.temperature, seed)
sim.step(int(round(ps / sysdef.timestep)))
rebuilt = integ._rotor_librations().terminal_atoms  # the atoms thermal fast modes and thermal rotors rebuild
other = np.setdiff1d(np.arange(sysdef.system.getNumParticles()), rebuilt)
print(f"{system}, {ps} ps, settings {knobs}: jumps {integ.stats.jumps_attempted}; rebuilt atoms {rebuilt.tolist()}")
rows = {"bond stop at frame 0-3": [], "bond stop later": [], "no bond stop": []}
for ctx, stop in zip(contexts, stops):
    step = np.linalg.norm(np.diff(ctx, axis=0), axis=-1)  # [W-1, N]
    row = (step[:, rebuilt].max(), int(step[:, rebuilt].max(axis=1).argmax()), step[:, other].max())
    key = "no bond stop" if stop is None or stop < 0 else ("bond stop at frame 0-3" if stop <= 3 else "bond stop later")
    rows[key].append(row)
for key, r in rows.items():
    if r:
        r = np.array(r)
        print(f"{key}: {len(r)} jumps; largest frame-to-frame step of rebuilt atoms median {np.median(r[:, 0]):.4f} "
              f"nm (max {r[:, 0].max():.4f}), at context step {np.bincount(r[:, 1].astype(int)).argmax()} most often; "
              f"other atoms median {np.median(r[:, 2]):.4f} nm")
