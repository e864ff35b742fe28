"""Shared helpers of the tenth session's energy diagnosis scripts (run from the repository root)."""
import numpy as np
import torch  # noqa: F401  (before openmm: openmm-torch kernels)

from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.integrator.fast_modes import FastModeResampler
from asteroid_openmm.systems import get_system

openmm = import_openmm()


def load(name: str, path: str):
    """(bonds [nb, 2], frames [T, N, 3] nm, energies [T] kJ/mol, FastModeResampler, Energies) for a frames file."""
    d = np.load(path)
    b = get_system(name)
    bonds = np.array([[x[0].index, x[1].index] for x in b.topology.bonds()])
    masses = np.array([b.system.getParticleMass(i).value_in_unit(openmm.unit.dalton)
                       for i in range(b.system.getNumParticles())])
    return bonds, d["x"].astype(np.float64), d["e"], FastModeResampler(bonds, masses), Energies(b)


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


def torsion_features(x, quads):
    """cos and sin of every dihedral ``quads`` [nd, 4] of frames [..., N, 3] -> [..., 2 nd]."""
    from asteroid_openmm.evaluation.metrics import dihedrals

    a = dihedrals(x, quads, degrees=False)
    return np.concatenate([np.cos(a), np.sin(a)], -1)


def moving_average(d, window):
    """Centred moving average over ``window`` frames of series [T, P], renormalised where it meets the ends."""
    kernel = np.ones(window) / window
    count = np.convolve(np.ones(len(d)), kernel, mode="same")
    return np.stack([np.convolve(d[:, p], kernel, mode="same") for p in range(d.shape[1])], -1) / count[:, None]


def ridge_fit(features, targets, ridge):
    """Ridge coefficients [F, P] of targets [T, P] on features [T, F].

    The first feature column is the intercept (all ones) and is not shrunk; the
    others are penalised by ``ridge * T``.
    """
    reg = ridge * len(features) * np.eye(features.shape[1])
    reg[0, 0] = 0.0
    return np.linalg.solve(features.T @ features + reg, features.T @ targets)


def print_paired(rows, horizon):
    """Print, per chained forecast of ``horizon`` frames, each variant's mean energy minus the true frames'.

    ``rows`` maps variant -> list (one per window) of energy arrays [frames]; ``rows["true"]`` are the
    true frames' energies. Means (kJ/mol) with their standard error over windows, then the energy sd.
    """
    m = min(len(r) for r in rows["true"])
    true = np.array([r[:m] for r in rows["true"]])
    for k, v in rows.items():
        a = np.array([r[:m] for r in v])
        diff = a - true
        links = " ".join(f"{diff[:, i * horizon:(i + 1) * horizon].mean():+6.2f}±"
                         f"{diff[:, i * horizon:(i + 1) * horizon].mean(1).std() / np.sqrt(len(a)):.2f}"
                         for i in range(m // horizon))
        print(f"{k:22s} forecast - true, per chained forecast: {links}   sd {a.std():.1f}", flush=True)


__all__ = ["load", "moving_average", "openmm", "print_paired", "ridge_fit", "torsion_features"]
