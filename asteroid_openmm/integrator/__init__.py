"""The hybrid MD + forecast integrator.

* :class:`AsteroidIntegrator` -- an ``openmm.CustomIntegrator`` (Langevin
  BAOAB) that jumps ahead with guarded ASTEROID forecasts.
* :class:`AsteroidReporter` -- an OpenMM reporter writing the integrator's
  statistics as CSV.
* :class:`AsteroidStats`, :class:`JumpGuard` -- counters and the jump guard.
* :data:`PRESETS` -- named settings (:meth:`AsteroidIntegrator.from_preset`).

``asteroid-openmm run`` (:mod:`.run`) drives a whole hybrid simulation.
Importing this package imports OpenMM and torch; the CLI module does not.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "AsteroidIntegrator": ".asteroid_integrator",
    "AsteroidStats": ".asteroid_integrator",
    "SETTINGS": ".asteroid_integrator",
    "PRESETS": ".presets",
    "JumpGuard": ".guard",
    "RealMDStatistics": ".guard",
    "AsteroidReporter": ".reporter",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
