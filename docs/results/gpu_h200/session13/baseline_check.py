"""Device check: does run.measure_md_step_cost (the speed-up baseline) agree with a long plain-MD mean on CUDA?

Usage: baseline_check.py PLATFORM SYSTEM [SYSTEM ...]. For each system: the baseline, then 100 untimed + 600 timed plain LangevinMiddleIntegrator steps
in a fresh Context (mean ms/step), then the baseline again. Prints one JSON line per system.
"""
import json
import sys
import time

from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.integrator.run import fastest_platform, measure_md_step_cost
from asteroid_openmm.systems import get_system

openmm = import_openmm()
platform = fastest_platform(openmm, sys.argv[1])  # e.g. CUDA
for name in sys.argv[2:]:
    s = get_system(name)
    t, f, dt = s.temperature, s.friction, s.timestep
    before = measure_md_step_cost(openmm, s, platform, t, f, dt)
    integ = openmm.LangevinMiddleIntegrator(t, f, dt)
    ctx = openmm.Context(s.system, integ, platform)
    ctx.setPositions(s.positions)
    ctx.setVelocitiesToTemperature(t, 1)
    integ.step(100)
    ctx.getState(getPositions=True)
    t0 = time.perf_counter()
    integ.step(600)
    ctx.getState(getPositions=True)
    plain = (time.perf_counter() - t0) / 600
    del ctx, integ
    after = measure_md_step_cost(openmm, s, platform, t, f, dt)
    print(json.dumps(dict(system=name, platform=platform.getName(), baseline_ms_before=1e3 * before,
                          plain_600_steps_mean_ms=1e3 * plain, baseline_ms_after=1e3 * after)), flush=True)
