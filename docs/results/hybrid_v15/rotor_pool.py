"""Why the integrator's pool of real libration phases stays narrow: its start, and how little it mixes.

    python docs/results/hybrid_v15/rotor_pool.py runs/h12/eth_base.npz runs/energy/eth15_5fs.npz \\
        > docs/results/hybrid_v15/rotor_pool.txt

1. From 120 thermal reference frames (the 100 ps plain run, nm) with Maxwell-Boltzmann velocities: 20 steps at
   100/ps then 20 at 1/ps (the integrator's relaxation and anchor, LangevinMiddleIntegrator, 0.5 fs, 500 K):
   the methyl phase sd before and after, and the correlation of the phases before and after.
2. A 10 ps ethanol hybrid (shipped model, rollouts=8, relax_steps=20, anchor_steps=40, thermal_rotors=1) from
   the last frame of the 5 fs file: the methyl phase of every landing frame and of every equilibrium real frame
   recorded (the pool), and the correlation of a landing phase with the next recorded one. MC_STEPS (default 0)
   is the integrator's rotor_mc_steps; SKIP1 (any value) skips part 1.
"""
import sys

import numpy as np
import torch

from asteroid_openmm._openmm import import_openmm

openmm = import_openmm()
from openmm import unit  # noqa: E402

from asteroid_openmm.integrator import AsteroidIntegrator  # noqa: E402
from asteroid_openmm.integrator.rotor_librations import RotorLibrations  # noqa: E402
from asteroid_openmm.model import load_model  # noqa: E402
from asteroid_openmm.systems import get_system  # noqa: E402
from asteroid_openmm.trajectories.bonds import infer_bonds  # noqa: E402

torch.set_num_threads(1)
T, DT = 500.0, 0.0005
sysdef = get_system("ethanol")
rotors = RotorLibrations(infer_bonds(sysdef.positions_nm(), sysdef.atomic_numbers), sysdef.atomic_numbers)
cpu = openmm.Platform.getPlatformByName("CPU")


def phase(x):
    return rotors.phases(np.asarray(x, np.float64)[None])[0, 0]


ref = np.load(sys.argv[1])["reference__positions_nm"].astype(np.float64)
mc_steps = int(sys.argv[3]) if len(sys.argv) > 3 else 0
langevin = openmm.LangevinMiddleIntegrator(T * unit.kelvin, 100 / unit.picosecond, DT * unit.picoseconds)
langevin.setRandomNumberSeed(1)
ctx = openmm.Context(sysdef.system, langevin, cpu, {"Threads": "1"})
before, after = [], []
for i in np.random.default_rng(0).choice(len(ref), 0 if len(sys.argv) > 4 else 120, replace=False):
    ctx.setPositions(ref[i])
    ctx.setVelocitiesToTemperature(T * unit.kelvin, int(i) + 1)
    langevin.setFriction(100)
    langevin.step(20)
    langevin.setFriction(1)
    langevin.step(20)
    before.append(phase(ref[i]))
    after.append(phase(ctx.getState(getPositions=True).getPositions(asNumpy=True)._value))
before, after = np.array(before), np.array(after)
if len(before):
    print(f"1. thermal frames, relaxation + anchor: phase sd {before.std():.1f} -> {after.std():.1f} deg; "
          f"correlation {np.corrcoef(before, after)[0, 1]:.2f}")
del ctx

integ = AsteroidIntegrator(load_model("ethanol"), T, 1.0, DT, random_seed=7, rollouts=8, relax_steps=20,
                           anchor_steps=40, thermal_rotors=True, rotor_mc_steps=mc_steps)
ctx = openmm.Context(sysdef.system, integ, cpu, {"Threads": "1"})
ctx.setPositions(np.load(sys.argv[2])["x"][-1])
ctx.setVelocitiesToTemperature(T * unit.kelvin, 7)
integ.attach(ctx)
events = []
record, land = integ._record_frame, integ._land


def recording(context, equilibrium):
    record(context, equilibrium)
    if equilibrium:
        events.append(("real", phase(integ._history[-1])))


def landing(context):
    events.append(("landing", phase(integ._jump.frames[-1])))
    land(context)


integ._record_frame, integ._land = recording, landing
integ.step(int(round(10.0 / DT)))
real = np.array([p for k, p in events if k == "real"])
pairs = np.array([(p, next(q for k2, q in events[i + 1:] if k2 == "real")) for i, (k, p) in enumerate(events)
                  if k == "landing" and any(k2 == "real" for k2, _ in events[i + 1:])])
print(f"2. 10 ps hybrid, rotor_mc_steps={mc_steps}: {len(real)} equilibrium real frames, phase sd {real.std():.1f} deg (first 16, the initial "
      f"context: {real[:16].std():.1f}); {len(pairs)} landings, phase sd {pairs[:, 0].std():.1f}; landing -> next "
      f"real frame correlation {np.corrcoef(pairs.T)[0, 1]:.2f}; reference sd {rotors.phases(ref)[:, 0].std():.1f}")
