"""Plain MD frames and energies for the energy diagnosis.

Usage (repository root)::

    python docs/results/energy_diagnosis/plain_frames.py SYSTEM PS OUT.npz [SEED [INTERVAL_PS]]

1 ps of equilibration after minimisation, then PS ps with a frame (nm) and its
potential energy (kJ/mol) every INTERVAL_PS (default 0.01 ps). SEED (default 1)
seeds the Langevin thermostat; the starting velocities use seed 5.
"""
import sys

import numpy as np
from tqdm import tqdm

from common import openmm  # noqa: F401  (torch first, then openmm)
from asteroid_openmm.simulate import create_simulation
from asteroid_openmm.systems import get_system

name, ps, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
interval = float(sys.argv[5]) if len(sys.argv) > 5 else 0.01
b = get_system(name)
sim, _ = create_simulation(b, platform="CPU", seed=seed)
sim.context.setPositions(b.positions)
sim.minimizeEnergy()
sim.context.setVelocitiesToTemperature(b.temperature, 5)  # as in the runs recorded in docs/benchmarks.md
every = int(round(interval / b.timestep))
sim.step(int(1.0 / b.timestep))
X, E = [], []
for _ in tqdm(range(int(round(ps / (every * b.timestep)))), mininterval=10):
    sim.step(every)
    st = sim.context.getState(getPositions=True, getEnergy=True)
    X.append(st.getPositions(asNumpy=True).value_in_unit(openmm.unit.nanometer))
    E.append(st.getPotentialEnergy().value_in_unit(openmm.unit.kilojoule_per_mole))
np.savez(out, x=np.array(X, np.float32), e=np.array(E))
