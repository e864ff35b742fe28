"""Plain-MD step cost now (1 OpenMM CPU thread), to correct --reuse-plain speed-ups for machine-speed drift."""
import sys, time, json
import torch  # noqa: F401 (plugin loading order)
from asteroid_openmm._openmm import import_openmm
openmm = import_openmm()
from openmm import unit
from asteroid_openmm.systems import get_system, openmm_seed
name, steps = sys.argv[1], int(sys.argv[2])
s = get_system(name)
integ = s.make_integrator(seed=openmm_seed(1))
ctx = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CPU"))
ctx.setPositions(s.positions); ctx.setVelocitiesToTemperature(s.temperature, 1)
integ.step(500)
t = time.perf_counter(); integ.step(steps); dt = time.perf_counter() - t
ps = steps * integ.getStepSize().value_in_unit(unit.picosecond)
print(json.dumps(dict(system=name, steps=steps, seconds=dt, s_per_ps=dt / ps)))
