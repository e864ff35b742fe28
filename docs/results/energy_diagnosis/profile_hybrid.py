"""Where a hybrid run's wall time goes: cProfile of PS ps of a built-in system with the shipped model.

Usage (repository root; the setting as in ``benchmarks/hybrid.py --sweep``)::

    OPENMM_CPU_THREADS=1 python docs/results/energy_diagnosis/profile_hybrid.py ethanol 2 rollouts=4,relax_steps=20,anchor_steps=40

Prints the wall time per simulated ps, the integrator's statistics (counted
from the start, so they include 2000 untimed warm-up steps) and the 25
functions with the most own time.
"""
import sys, time, cProfile, pstats, numpy as np
import torch
from asteroid_openmm._openmm import import_openmm
openmm = import_openmm()
sys.path.insert(0, "benchmarks")
import hybrid as hb
from asteroid_openmm import AsteroidIntegrator, load_model
from asteroid_openmm.systems import get_system
name, ps = sys.argv[1], float(sys.argv[2])
knobs = hb.parse_setting(sys.argv[3] if len(sys.argv) > 3 else "default")
b = get_system(name)
model = load_model(name)
integ = AsteroidIntegrator(model, b.temperature, b.friction, b.timestep, random_seed=1, **knobs)
ctx = openmm.Context(b.system, integ, openmm.Platform.getPlatformByName("CPU"))
ctx.setPositions(b.positions); openmm.LocalEnergyMinimizer.minimize(ctx)
ctx.setVelocitiesToTemperature(b.temperature, 1)
integ.step(2000)
n = int(ps / b.timestep)
pr = cProfile.Profile()
t0 = time.perf_counter(); pr.enable()
done = 0
while done < n:
    integ.step(20); done += 20
    ctx.getState(getPositions=True)
pr.disable(); wall = time.perf_counter() - t0
print("wall", wall, "s per ps", wall / ps)
print(integ.stats)
pstats.Stats(pr).sort_stats("tottime").print_stats(25)
