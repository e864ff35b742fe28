"""Built-in molecular systems, ready to simulate with OpenMM.

Example::

    from asteroid_openmm.systems import list_systems, get_system
    list_systems()   # ['alanine-dipeptide', 'alanine-dipeptide-implicit', 'ethanol', ...]
    s = get_system("ethanol", ani_model_index=0)   # one ANI-1x network, ~3x faster than the ensemble
    integrator = s.make_integrator(seed=1)         # LangevinMiddleIntegrator, 500 K, 1/ps, 0.5 fs

Families: ``amber.py`` (alanine dipeptide, Amber14, vacuum or OBC2) and
``ani.py`` (MD17 molecules, ANI-1x through openmm-torch). Listing is cheap;
building imports OpenMM (and torch/torchani for ANI).
"""

from .base import BuiltinSystem, openmm_seed
from .registry import SystemSpec, get_spec, get_system, list_systems, register_system

__all__ = [
    "BuiltinSystem",
    "SystemSpec",
    "get_spec",
    "get_system",
    "list_systems",
    "openmm_seed",
    "register_system",
]
