"""Plain ANI-1x MD of aspirin with exact Metropolis moves of its rotamer torsions: does the carboxyl flip?

    python docs/results/hybrid_v21/mc_md_reference.py OUT.npz PS SEED [EVERY]

Langevin MD (LangevinMiddleIntegrator, the built-in system's temperature, friction and timestep, 8-model ANI-1x
ensemble, CPU platform, one thread) that every EVERY steps (default 40) makes the integrator's landing moves on the
current frame: ``torsion_mc_steps=8`` Metropolis proposals per rotamer torsion (rigid Gaussian turns of the lighter
side, sd 40 degrees, real energies). Both kernels keep the Boltzmann distribution, so this is an exact sampler that
crosses the rotamer barriers far more often than MD alone. Samples every 20 steps (10 fs): positions (nm) and
potential energies (kJ/mol), after 2 ps of equilibration. Prints the carboxyl's flips and the share of samples in
its flipped state (|C4-C9-C10-O11| > 90 degrees), and the mean energy in each state.
"""
import sys

import numpy as np
import torch

from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.evaluation.metrics import dihedrals
from asteroid_openmm.integrator.rotamers import Rotamers
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import infer_bonds

openmm = import_openmm()
from openmm import unit  # noqa: E402

out, ps, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
every = int(sys.argv[4]) if len(sys.argv) > 4 else 40
torch.set_num_threads(1)
s = get_system("aspirin")
integ = openmm.LangevinMiddleIntegrator(s.temperature, s.friction, s.timestep)
integ.setRandomNumberSeed(seed)
ctx = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CPU"), {"Threads": "1"})
ctx.setPositions(s.positions)
ctx.setVelocitiesToTemperature(s.temperature, seed)
kT = 0.008314462618 * float(s.temperature.value_in_unit(unit.kelvin) if hasattr(s.temperature, "unit") else s.temperature)


def positions():
    return ctx.getState(getPositions=True).getPositions(asNumpy=True).value_in_unit(unit.nanometer)


def energy(x):
    ctx.setPositions(x)
    return ctx.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)


moves = Rotamers(infer_bonds(positions(), s.atomic_numbers), np.asarray(s.atomic_numbers))
rng = np.random.default_rng(seed)
dt = float(s.timestep.value_in_unit(unit.picosecond) if hasattr(s.timestep, "unit") else s.timestep)
integ.step(int(round(2.0 / dt)))
xs, es, accepted = [], [], 0
for block in range(int(round(ps / dt)) // every):
    for _ in range(every // 20):
        integ.step(20)
        st = ctx.getState(getPositions=True, getEnergy=True)
        xs.append(st.getPositions(asNumpy=True).value_in_unit(unit.nanometer))
        es.append(st.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole))
    x, u, n_acc, _ = moves.metropolis(positions(), energy, kT, 8, rng)
    accepted += int(np.sum(n_acc))
    ctx.setPositions(x)
xs, es = np.array(xs), np.array(es)
np.savez_compressed(out, positions_nm=xs, energy_kJmol=es)
phi = np.abs(dihedrals(xs, np.array([[4, 9, 10, 11]]))[:, 0])
state = np.where(phi < 60, 0, np.where(phi > 120, 1, -1))
seen = state[state >= 0]
flips = int(np.sum(seen[1:] != seen[:-1]))
flipped = phi > 90
print(f"{ps:g} ps, seed {seed}: carboxyl flips {flips}, flipped share {flipped.mean():.2f}; mean energy "
      f"unflipped {es[~flipped].mean():.1f}, flipped {es[flipped].mean() if flipped.any() else float('nan'):.1f} "
      f"kJ/mol; accepted torsion moves {accepted}")
