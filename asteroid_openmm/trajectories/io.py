"""Read trajectories from disk into :class:`TrajectoryData` (nm, ps).

Formats
-------
* Anything mdtraj reads. Formats that store coordinates only (DCD, XTC, TRR,
  NetCDF, ...) need ``topology`` (a PDB path or a topology object); formats
  that carry their own topology (HDF5 ``.h5``, PDB, mmCIF, GRO, MOL2, ...) do
  not. HDF5 needs the optional PyTables package (``pip install tables``).
* MD17-style ``.npz``: ``R`` (frames, atoms, 3) in Å and ``z`` (atoms,)
  atomic numbers. ``R`` is converted to nm here, at the edge; other keys
  (``E``, ``F``, ...) are ignored.

Frame interval (ps between saved frames), first match wins:

1. the explicit ``frame_interval_ps`` argument (``--frame-interval-ps``);
2. the sidecar ``<path>.json`` with key ``frame_interval_ps`` (written by
   ``asteroid-openmm simulate``);
3. the file's own time axis, for formats that record real time in ps (HDF5,
   XTC, TRR, NetCDF), when its spacing is uniform.

A value from a lower-priority source that is also present must agree (to
0.1 %) with the one used, else ``ValueError``: a silent mismatch would train
or evaluate the model at the wrong time step. DCD and PDB frame times in
mdtraj are frame indices, not ps, so they are never used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .data import TrajectoryData
from .units import ANGSTROM_PER_NM

#: Extensions whose files carry their own topology (no ``topology`` needed).
SELF_CONTAINED_EXTENSIONS = frozenset(
    {
        ".h5", ".hdf5", ".lh5", ".pdb", ".pdb.gz", ".pdbx", ".pdbx.gz", ".cif",
        ".cif.gz", ".mmcif", ".mmcif.gz", ".gro", ".mol2", ".hoomdxml", ".arc", ".gsd",
    }
)
#: Extensions whose mdtraj time axis is real simulation time in ps.
TIME_RECORDING_EXTENSIONS = frozenset({".h5", ".hdf5", ".xtc", ".trr", ".nc", ".netcdf", ".ncdf"})
#: Key of the frame interval in the sidecar JSON.
SIDECAR_KEY = "frame_interval_ps"
# Relative tolerance when two sources of the frame interval are compared.
# Time axes are often float32, so exact equality would reject good files.
_INTERVAL_RTOL = 1e-3

_MD17_HINT = (
    " (the original MD17 trajectories were saved every 0.5 fs, i.e. "
    "--frame-interval-ps 0.0005)"
)


def _extension(path: Path) -> str:
    name = path.name.lower()
    for double in (".pdb.gz", ".pdbx.gz", ".cif.gz", ".mmcif.gz", ".xyz.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def sidecar_path(path) -> Path:
    """Path of the sidecar metadata file of a trajectory: ``<path>.json``."""
    return Path(str(path) + ".json")


def read_sidecar(path) -> dict[str, Any] | None:
    """Read the sidecar ``<path>.json`` of a trajectory.

    Returns
    -------
    dict or None
        The JSON object, or ``None`` when there is no sidecar.

    Raises
    ------
    ValueError
        If the sidecar is not a JSON object, or its ``frame_interval_ps`` is
        not a positive number.
    """
    side = sidecar_path(path)
    if not side.is_file():
        return None
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"sidecar {side} is not valid JSON ({exc}); fix or delete it") from None
    if not isinstance(meta, dict):
        raise ValueError(f"sidecar {side} must hold a JSON object; got {type(meta).__name__}")
    if SIDECAR_KEY in meta:
        value = meta[SIDECAR_KEY]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ValueError(
                f"sidecar {side}: {SIDECAR_KEY} must be a positive number of ps; got {value!r}"
            )
    return meta


def _as_mdtraj_topology(topology):
    """Turn a path / mdtraj / openmm topology into an ``mdtraj.Topology`` (None stays None)."""
    if topology is None:
        # e.g. an MD17 .npz on its own: no need for mdtraj at all
        return None
    import mdtraj

    if isinstance(topology, (str, Path)):
        top_path = Path(topology)
        if not top_path.is_file():
            raise FileNotFoundError(f"topology file not found: {top_path}")
        return mdtraj.load_topology(str(top_path))
    if isinstance(topology, mdtraj.Topology):
        return topology
    if isinstance(topology, mdtraj.Trajectory):
        return topology.topology
    if hasattr(topology, "getNumAtoms"):  # openmm.app.Topology
        return mdtraj.Topology.from_openmm(topology)
    raise TypeError(
        "topology must be a file path, an mdtraj.Topology or an openmm.app.Topology; "
        f"got {type(topology).__name__}"
    )


def _atomic_numbers(topology) -> np.ndarray:
    # Virtual sites have no element (or mdtraj's "virtual" element): number 0.
    return np.array(
        [a.element.atomic_number if a.element is not None else 0 for a in topology.atoms],
        dtype=np.int64,
    )


def _check_topology_matches(source: str, topology, n_atoms: int, atomic_numbers=None) -> None:
    if topology.n_atoms != n_atoms:
        raise ValueError(
            f"{source}: the trajectory has {n_atoms} atoms but the topology has "
            f"{topology.n_atoms}; pass the topology (PDB) of the system that produced "
            "this trajectory"
        )
    if atomic_numbers is not None:
        top_z = _atomic_numbers(topology)
        diff = np.flatnonzero(top_z != np.asarray(atomic_numbers))
        if diff.size:
            i = int(diff[0])
            raise ValueError(
                f"{source}: atom {i} is element {int(atomic_numbers[i])} in the trajectory "
                f"but {int(top_z[i])} in the topology ({diff.size} atoms differ); the atom "
                "order of the topology does not match the trajectory"
            )


def uniform_interval(time_ps, source: str = "trajectory") -> float | None:
    """Frame interval from a time axis, checking the spacing is uniform.

    Parameters
    ----------
    time_ps : array_like, shape (T,)
        Time of each frame in ps.
    source : str
        Used in error messages.

    Returns
    -------
    float or None
        The interval in ps, or ``None`` when the axis carries no information
        (fewer than two frames, or all times equal, as written by tools that
        do not record time).

    Raises
    ------
    ValueError
        If time does not increase or the spacing is not uniform.
    """
    t = np.asarray(time_ps, dtype=np.float64).reshape(-1)
    if t.size < 2 or not np.all(np.isfinite(t)):
        return None
    diffs = np.diff(t)
    if np.all(diffs == 0):
        return None
    dt = (t[-1] - t[0]) / (t.size - 1)
    # float32 time axes lose absolute precision as time grows; allow for it.
    tol = max(1e-3 * abs(dt), 4 * np.finfo(np.float32).eps * float(np.max(np.abs(t))))
    if dt <= 0 or np.any(np.abs(diffs - dt) > tol):
        raise ValueError(
            f"{source}: frames are not evenly spaced in time (intervals from "
            f"{diffs.min():g} to {diffs.max():g} ps). Windows need a constant frame "
            "interval: was the file concatenated, subsampled or written with a changing "
            "report interval? Split it into uniformly spaced pieces."
        )
    return float(dt)


def _resolve_frame_interval(source, explicit, sidecar_value, sidecar_file, file_value, hint=""):
    recorded = []
    if sidecar_value is not None:
        recorded.append((float(sidecar_value), f"the sidecar {sidecar_file}"))
    if file_value is not None:
        recorded.append((float(file_value), f"the time axis of {source}"))
    if explicit is not None:
        try:
            explicit = float(explicit)
        except (TypeError, ValueError):
            raise ValueError(f"frame_interval_ps must be a number of ps; got {explicit!r}") from None
        if not np.isfinite(explicit) or explicit <= 0:
            raise ValueError(f"frame_interval_ps must be a positive number of ps; got {explicit}")
        chosen, chosen_from = explicit, "--frame-interval-ps / frame_interval_ps"
    elif recorded:
        chosen, chosen_from = recorded.pop(0)
    else:
        raise ValueError(
            f"{source}: the time between saved frames is not recorded (no sidecar "
            f"{sidecar_file}, and this format stores no time axis in ps); pass "
            f"--frame-interval-ps (frame_interval_ps=...) with the interval in ps{hint}"
        )
    for value, where in recorded:
        if not np.isclose(value, chosen, rtol=_INTERVAL_RTOL, atol=0.0):
            raise ValueError(
                f"{source}: frame interval {chosen:g} ps from {chosen_from} disagrees with "
                f"{value:g} ps recorded in {where}. Use the recorded value (omit "
                "--frame-interval-ps) or fix the file."
            )
    return chosen


def _load_npz(path: Path, topology):
    """MD17 layout: R (T, N, 3) in Å, z (N,) atomic numbers."""
    with np.load(path, allow_pickle=False) as npz:
        keys = set(npz.files)
        missing = [k for k in ("R", "z") if k not in keys]
        if missing:
            if {"coords", "nuclear_charges"} <= keys:
                raise ValueError(
                    f"{path}: this looks like revised MD17 (keys 'coords', "
                    "'nuclear_charges'), whose frames are a random subsample of the "
                    "original trajectory, not a time series. Use the original MD17 file "
                    "(keys 'R' in Å and 'z')."
                )
            raise ValueError(
                f"{path}: missing key(s) {missing} (found {sorted(keys)}). An MD17-style "
                ".npz needs 'R' (frames, atoms, 3) coordinates in Å and 'z' (atoms,) "
                "atomic numbers."
            )
        R = np.asarray(npz["R"])
        z = np.asarray(npz["z"])
    if R.ndim != 3 or R.shape[2] != 3:
        raise ValueError(f"{path}: 'R' must have shape (frames, atoms, 3) in Å; got {R.shape}")
    if z.ndim != 1 or z.shape[0] != R.shape[1]:
        raise ValueError(
            f"{path}: 'z' has shape {z.shape} but 'R' has {R.shape[1]} atoms (shape "
            f"{R.shape}); 'z' must list one atomic number per atom"
        )
    if not np.issubdtype(z.dtype, np.number) or np.any(np.asarray(z) != np.round(z)) or np.any(z < 0):
        raise ValueError(f"{path}: 'z' must hold non-negative integer atomic numbers")
    z = z.astype(np.int64)
    # Divide in float64 so the Å -> nm conversion is exact up to the final float32 rounding.
    positions = (R.astype(np.float64) / ANGSTROM_PER_NM).astype(np.float32)
    top = _as_mdtraj_topology(topology)
    if top is not None:
        _check_topology_matches(str(path), top, R.shape[1], z)
    return positions, z, top, None


def _load_with_mdtraj(path: Path, ext: str, topology):
    import mdtraj

    top = _as_mdtraj_topology(topology)
    if ext in SELF_CONTAINED_EXTENSIONS:
        try:
            traj = mdtraj.load(str(path))
        except ImportError as exc:
            if ext in (".h5", ".hdf5", ".lh5"):
                raise ImportError(
                    f"reading {path} needs the PyTables package: `pip install tables`, "
                    "or write the trajectory as DCD + PDB instead"
                ) from exc
            raise
        if top is not None:
            _check_topology_matches(str(path), top, traj.n_atoms, _atomic_numbers(traj.topology))
        else:
            top = traj.topology
    else:
        if top is None:
            raise ValueError(
                f"{path}: {ext or 'this'} files store coordinates only; pass the "
                "system's topology (a PDB file) with --topology / topology=..."
            )
        try:
            traj = mdtraj.load(str(path), top=top)
        except ValueError as exc:
            n_file = _count_atoms(path)
            if n_file is not None and n_file != top.n_atoms:
                raise ValueError(
                    f"{path}: the trajectory has {n_file} atoms but the topology has "
                    f"{top.n_atoms}; pass the topology (PDB) of the system that produced "
                    "this trajectory"
                ) from exc
            raise
    file_dt = None
    if ext in TIME_RECORDING_EXTENSIONS:
        file_dt = uniform_interval(traj.time, str(path))
    return traj.xyz, _atomic_numbers(top), top, file_dt


def _count_atoms(path: Path) -> int | None:
    """Atom count of a coordinate-only file, or None if it cannot be read."""
    import mdtraj

    try:
        with mdtraj.open(str(path)) as f:
            first = f.read(n_frames=1)
        xyz = first[0] if isinstance(first, tuple) else first
        return int(np.asarray(xyz).shape[1])
    except Exception:  # best effort, only used to improve an error message
        return None


def load_trajectory(path, topology=None, frame_interval_ps: float | None = None) -> TrajectoryData:
    """Load one trajectory as :class:`TrajectoryData` (nm, ps).

    Parameters
    ----------
    path : str or Path
        Trajectory file: any mdtraj format, or an MD17-style ``.npz``.
    topology : str, Path, mdtraj.Topology or openmm.app.Topology, optional
        Required for coordinate-only formats (DCD, XTC, ...). When omitted and
        the sidecar ``<path>.json`` has a ``topology`` entry (a path, relative
        to the sidecar's folder), that file is used. For self-contained
        formats and ``.npz`` it is checked against the file (atom count,
        elements) and then used.
    frame_interval_ps : float, optional
        Time between saved frames in ps. See the module docstring for where
        it is read from when omitted.

    Returns
    -------
    TrajectoryData

    Raises
    ------
    FileNotFoundError
        If ``path`` (or a topology path) does not exist.
    ValueError
        If the format needs a topology and none was given; the atom counts
        or elements of trajectory and topology differ; coordinates are NaN
        or infinite (names the first bad frame); an ``.npz`` lacks ``R`` or
        ``z`` or their shapes disagree; the frame interval is unknown, or
        two sources of it disagree, or frames are unevenly spaced.
    ImportError
        For HDF5 files when PyTables is not installed.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"trajectory file not found: {path}")
    meta = read_sidecar(path) or {}
    if topology is None and isinstance(meta.get("topology"), str):
        topology = sidecar_path(path).parent / meta["topology"]
    ext = _extension(path)
    if ext == ".npz":
        positions, z, top, file_dt = _load_npz(path, topology)
        hint = _MD17_HINT
    else:
        positions, z, top, file_dt = _load_with_mdtraj(path, ext, topology)
        hint = ""
    dt = _resolve_frame_interval(
        str(path), frame_interval_ps, meta.get(SIDECAR_KEY), sidecar_path(path), file_dt, hint
    )
    return TrajectoryData(
        positions=positions, atomic_numbers=z, frame_interval=dt, topology=top, source=str(path)
    )


def load_trajectories(paths, topology=None, frame_interval_ps: float | None = None,
                      frame_step: int = 1) -> list[TrajectoryData]:
    """Load several trajectories of the same system.

    Parameters
    ----------
    paths : str, Path or iterable of them
    topology, frame_interval_ps
        As in :func:`load_trajectory`, applied to every file.
    frame_step : int
        Keep every ``frame_step``-th frame (the frame interval becomes
        ``frame_step`` times the file's), e.g. to train a model with a longer
        frame interval on trajectories saved more often, or to evaluate it on them.

    Returns
    -------
    list of TrajectoryData
        In the order given. All share the bond graph of the first one, so
        that metrics are computed on the same bonds everywhere.

    Raises
    ------
    ValueError
        If no path is given, ``frame_step`` is not a positive integer, or the
        trajectories differ in atom count, elements or frame interval.
    """
    if int(frame_step) != frame_step or frame_step < 1:
        raise ValueError(f"frame_step must be a positive integer (keep every k-th frame); got {frame_step}")
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths)
    if not paths:
        raise ValueError("no trajectory files given")
    trajs = [load_trajectory(p, topology=topology, frame_interval_ps=frame_interval_ps) for p in paths]
    if frame_step > 1:
        trajs = [t.slice(step=int(frame_step)) for t in trajs]
    check_same_system(trajs)
    for t in trajs[1:]:
        t.bonds = trajs[0].bonds
    return trajs


def check_same_system(trajectories: Iterable[TrajectoryData]) -> None:
    """Raise ``ValueError`` unless all trajectories have the same atoms and frame interval."""
    trajs = list(trajectories)
    ref = trajs[0]
    for t in trajs[1:]:
        if t.n_atoms != ref.n_atoms:
            raise ValueError(
                f"{t.source} has {t.n_atoms} atoms but {ref.source} has {ref.n_atoms}; "
                "all trajectories must be of the same system"
            )
        if not np.array_equal(t.atomic_numbers, ref.atomic_numbers):
            i = int(np.flatnonzero(t.atomic_numbers != ref.atomic_numbers)[0])
            raise ValueError(
                f"{t.source} and {ref.source} differ in elements (first at atom {i}: "
                f"{int(t.atomic_numbers[i])} vs {int(ref.atomic_numbers[i])}); all "
                "trajectories must be of the same system with the same atom order"
            )
        if not np.isclose(t.frame_interval, ref.frame_interval, rtol=_INTERVAL_RTOL, atol=0.0):
            raise ValueError(
                f"{t.source} is saved every {t.frame_interval:g} ps but {ref.source} every "
                f"{ref.frame_interval:g} ps; a model forecasts at one frame interval, so "
                "use trajectories saved at the same interval (or subsample one)"
            )


__all__ = [
    "load_trajectory",
    "load_trajectories",
    "check_same_system",
    "read_sidecar",
    "sidecar_path",
    "uniform_interval",
    "SELF_CONTAINED_EXTENSIONS",
    "TIME_RECORDING_EXTENSIONS",
    "SIDECAR_KEY",
]
