"""Shared helpers of the tenth session's energy diagnosis scripts (run from the repository root)."""
import numpy as np
import torch  # noqa: F401  (before openmm: openmm-torch kernels)

from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.integrator.fast_modes import FastModeResampler
from asteroid_openmm.systems import get_system

openmm = import_openmm()


def load(name: str, path: str):
    """(built-in system, bonds [nb, 2], masses [N] Da, frames [T, N, 3] nm, energies [T] kJ/mol)."""
    d = np.load(path)
    b = get_system(name)
    bonds = np.array([[x[0].index, x[1].index] for x in b.topology.bonds()])
    masses = np.array([b.system.getParticleMass(i).value_in_unit(openmm.unit.dalton)
                       for i in range(b.system.getNumParticles())])
    return b, bonds, masses, d["x"].astype(np.float64), d["e"]


class Energies:
    """Potential energies (kJ/mol) of frames (nm) on the CPU platform."""

    def __init__(self, builtin):
        self.ctx = openmm.Context(builtin.system, openmm.VerletIntegrator(0.001),
                                  openmm.Platform.getPlatformByName("CPU"))

    def __call__(self, frames):
        out = []
        for x in frames:
            self.ctx.setPositions(x)
            out.append(self.ctx.getState(getEnergy=True).getPotentialEnergy()
                       .value_in_unit(openmm.unit.kilojoule_per_mole))
        return np.array(out)


__all__ = ["FastModeResampler", "Energies", "load", "openmm"]
