"""Evaluation: baseline forecasters and forecast-quality / distribution metrics.

* :mod:`.baselines` -- :func:`persistence`, :func:`linear_extrapolation`,
  :class:`LinearAR` (all map context [B, W, N, 3] nm -> [B, H, N, 3] nm).
* :mod:`.metrics` -- :func:`position_mae`, :func:`rmsd`, bond / angle /
  dihedral geometry and their forecast errors, :func:`thermal_fluctuation`,
  :func:`js_divergence`, :func:`internal_coordinate_js`.

Names are imported lazily so that importing the ``evaluate`` CLI module stays fast.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "persistence": ".baselines",
    "linear_extrapolation": ".baselines",
    "LinearAR": ".baselines",
    "BASELINES": ".baselines",
    "position_mae": ".metrics",
    "rmsd": ".metrics",
    "bond_lengths": ".metrics",
    "angles": ".metrics",
    "dihedrals": ".metrics",
    "bond_length_errors": ".metrics",
    "angle_errors": ".metrics",
    "thermal_fluctuation": ".metrics",
    "js_divergence": ".metrics",
    "internal_coordinate_js": ".metrics",
    "angle_triplets": ".metrics",
    "dihedral_quadruplets": ".metrics",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
