"""Trajectory data: loading (nm, ps), bond graphs, forecasting windows and splits.

Public names are imported lazily so that importing this package (e.g. from a
CLI module) does not pull in torch or mdtraj until they are used.

* :class:`TrajectoryData` -- positions [T, N, 3] nm, atomic numbers, frame
  interval (ps), topology, bonds.
* :func:`load_trajectory`, :func:`load_trajectories` -- mdtraj formats and
  MD17 ``.npz`` (Å converted to nm).
* :func:`split_trajectory`, :class:`WindowDataset` -- contiguous
  train / validation / test blocks and windows of W context + H target frames.
* :func:`infer_bonds`, :func:`angle_triplets`, :func:`dihedral_quadruplets`.
* Unit constants: ``ANGSTROM_PER_NM``, ``NM_PER_ANGSTROM``, ...
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "TrajectoryData": ".data",
    "load_trajectory": ".io",
    "load_trajectories": ".io",
    "check_same_system": ".io",
    "read_sidecar": ".io",
    "sidecar_path": ".io",
    "uniform_interval": ".io",
    "SIDECAR_KEY": ".io",
    "SPLITS": ".windows",
    "canonical_split": ".windows",
    "split_trajectory": ".windows",
    "WindowDataset": ".windows",
    "infer_bonds": ".bonds",
    "bonds_from_topology": ".bonds",
    "normalize_bonds": ".bonds",
    "angle_triplets": ".bonds",
    "dihedral_quadruplets": ".bonds",
    "covalent_radius_nm": ".bonds",
    "ANGSTROM_PER_NM": ".units",
    "NM_PER_ANGSTROM": ".units",
    "FS_PER_PS": ".units",
    "DEGREES_PER_RADIAN": ".units",
    "KJ_PER_KCAL": ".units",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value  # cache: later lookups skip __getattr__
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
