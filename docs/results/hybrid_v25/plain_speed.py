"""Plain ANI-1x MD speed of aspirin on this machine now (s per ps), one process per core, for calibrating speed-ups.

    python docs/results/hybrid_v25/plain_speed.py STEPS

The benchmark's speed-ups (--reuse-plain) divide a plain cost measured once, in the twenty-second session (10.6 s per
ps), by each hybrid's wall time; the shared cores' speed drifts, so this measures the plain cost again.
"""
import sys, time
import numpy as np
from asteroid_openmm import get_system
from asteroid_openmm._openmm import import_openmm
openmm = import_openmm()
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
sd = get_system("aspirin")
integ = openmm.LangevinMiddleIntegrator(sd.temperature, sd.friction, sd.timestep)
ctx = openmm.Context(sd.system, integ, openmm.Platform.getPlatformByName("CPU"), {"Threads": "1"})
ctx.setPositions(sd.positions_nm())
ctx.setVelocitiesToTemperature(sd.temperature, 1)
integ.step(200)
t0 = time.perf_counter()
integ.step(steps)
dt = time.perf_counter() - t0
print(f"{steps} steps in {dt:.1f} s: {dt / (steps * sd.timestep):.2f} s per ps")
