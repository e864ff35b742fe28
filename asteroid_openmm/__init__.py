"""asteroid_openmm: ASTEROID spatiotemporal forecasts as a drop-in OpenMM surrogate integrator.

Flat public API (imported lazily, so ``import asteroid_openmm`` is cheap)::

    from asteroid_openmm import load_model, AsteroidIntegrator, AsteroidReporter
    from asteroid_openmm import get_system, list_systems, load_trajectory
    from asteroid_openmm import torch_threads  # one torch thread for TorchForce MD on the CPU

Units at every public boundary: nm, ps, kJ/mol, K.
"""

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "load_model": "asteroid_openmm.model",
    "save_model": "asteroid_openmm.model",
    "AsteroidModel": "asteroid_openmm.model",
    "AsteroidIntegrator": "asteroid_openmm.integrator",
    "AsteroidReporter": "asteroid_openmm.integrator",
    "get_system": "asteroid_openmm.systems",
    "list_systems": "asteroid_openmm.systems",
    "load_trajectory": "asteroid_openmm.trajectories",
    "load_trajectories": "asteroid_openmm.trajectories",
    "TrajectoryData": "asteroid_openmm.trajectories",
    "train": "asteroid_openmm.training.train",
    "simulate": "asteroid_openmm.simulate",
    "torch_threads": "asteroid_openmm.systems.ani",
}

__all__ = sorted(_API)


def __getattr__(name):
    if name in _API:
        value = getattr(import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'asteroid_openmm' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
