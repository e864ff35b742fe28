"""The in-memory trajectory container used by training and evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .bonds import angle_triplets, bonds_from_topology, dihedral_quadruplets, infer_bonds, normalize_bonds


def first_nonfinite_frame(positions: np.ndarray) -> tuple[int, int] | None:
    """Return ``(first_bad_frame, n_bad_frames)`` or ``None`` if all finite."""
    bad = ~np.isfinite(positions).reshape(positions.shape[0], -1).all(axis=1)
    if not bad.any():
        return None
    return int(np.flatnonzero(bad)[0]), int(bad.sum())


# eq=False: element-wise array comparison has no single truth value; compare
# trajectories by identity, or their arrays explicitly.
@dataclass(eq=False)
class TrajectoryData:
    """One trajectory of one system, in nm and ps.

    Parameters
    ----------
    positions : np.ndarray of float32, shape (T, N, 3)
        Coordinates in nm, frames evenly spaced in time.
    atomic_numbers : np.ndarray of int64, shape (N,)
        Element numbers (0 for virtual sites).
    frame_interval : float
        Time between consecutive frames, in ps.
    topology : mdtraj.Topology or None
        Topology when the source provides one (PDB, HDF5, a ``--topology``
        file); ``None`` for MD17 ``.npz`` files. An ``openmm.app.Topology`` is
        accepted and converted to ``mdtraj.Topology``.
    bonds : np.ndarray of int64, shape (nb, 2), optional
        Covalent bonds, sorted pairs ``i < j``. When omitted: the topology's
        bonds if it has any, otherwise inferred from covalent radii on the
        first frame (``d < 1.2 * (r_i + r_j)``, see
        :func:`~asteroid_openmm.trajectories.bonds.infer_bonds`).
    source : str
        Where the data came from (a path, or a free description), used in
        error messages.

    Raises
    ------
    ValueError
        On wrong shapes, non-finite coordinates (naming the first bad frame),
        a non-positive frame interval, or a topology whose atom count differs.
    """

    positions: np.ndarray
    atomic_numbers: np.ndarray
    frame_interval: float
    topology: Any = None
    bonds: np.ndarray | None = None
    source: str = "<in memory>"
    _triplets: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)
    _quads: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.positions = np.ascontiguousarray(self.positions, dtype=np.float32)
        if self.positions.ndim != 3 or self.positions.shape[2] != 3:
            raise ValueError(
                f"{self.source}: positions must have shape (frames, atoms, 3) in nm; "
                f"got {self.positions.shape}"
            )
        if self.positions.shape[0] < 1 or self.positions.shape[1] < 1:
            raise ValueError(f"{self.source}: trajectory is empty (shape {self.positions.shape})")
        self.atomic_numbers = np.asarray(self.atomic_numbers, dtype=np.int64).reshape(-1)
        if self.atomic_numbers.shape[0] != self.positions.shape[1]:
            raise ValueError(
                f"{self.source}: {self.atomic_numbers.shape[0]} atomic numbers for "
                f"{self.positions.shape[1]} atoms in the coordinates"
            )
        bad = first_nonfinite_frame(self.positions)
        if bad is not None:
            raise ValueError(
                f"{self.source}: frame {bad[0]} has NaN or infinite coordinates "
                f"({bad[1]} bad frame(s) in total). The simulation probably blew up; "
                f"cut the trajectory before frame {bad[0]} or regenerate it."
            )
        try:
            self.frame_interval = float(self.frame_interval)
        except (TypeError, ValueError):
            raise ValueError(
                f"{self.source}: frame_interval must be a number of ps; got {self.frame_interval!r}"
            ) from None
        if not np.isfinite(self.frame_interval) or self.frame_interval <= 0:
            raise ValueError(
                f"{self.source}: frame_interval must be a positive number of ps; "
                f"got {self.frame_interval}"
            )
        if self.topology is not None and hasattr(self.topology, "getNumAtoms"):
            # An openmm.app.Topology: store the mdtraj form so one type flows on.
            import mdtraj

            self.topology = mdtraj.Topology.from_openmm(self.topology)
        if self.topology is not None and self.topology.n_atoms != self.n_atoms:
            raise ValueError(
                f"{self.source}: the topology has {self.topology.n_atoms} atoms but the "
                f"coordinates have {self.n_atoms}; pass the topology of this system"
            )
        if self.bonds is None:
            topo_bonds = (
                bonds_from_topology(self.topology) if self.topology is not None else None
            )
            if topo_bonds is not None and len(topo_bonds) > 0:
                self.bonds = topo_bonds
            else:
                self.bonds = infer_bonds(self.positions[0], self.atomic_numbers)
        else:
            self.bonds = normalize_bonds(self.bonds, self.n_atoms)

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.positions.shape[0])

    @property
    def n_atoms(self) -> int:
        """Number of atoms N."""
        return int(self.positions.shape[1])

    @property
    def duration(self) -> float:
        """Time spanned from the first to the last frame, in ps."""
        return (self.n_frames - 1) * self.frame_interval

    def angle_triplets(self) -> np.ndarray:
        """Bond angles ``i-j-k`` (``j`` central) from :attr:`bonds`, int64 (na, 3)."""
        if self._triplets is None:
            self._triplets = angle_triplets(self.bonds)
        return self._triplets

    def dihedral_quadruplets(self) -> np.ndarray:
        """Proper dihedrals ``i-j-k-l`` from :attr:`bonds`, int64 (nd, 4)."""
        if self._quads is None:
            self._quads = dihedral_quadruplets(self.bonds)
        return self._quads

    def slice(self, start: int | None = None, stop: int | None = None, step: int = 1) -> "TrajectoryData":
        """Frames ``[start:stop:step]`` as a new trajectory (frame interval scaled by ``step``).

        The bonds are kept, not re-inferred, so a slice has the same graph.
        """
        if step < 1:
            raise ValueError(f"step must be a positive integer; got {step}")
        return TrajectoryData(
            positions=self.positions[start:stop:step],
            atomic_numbers=self.atomic_numbers,
            frame_interval=self.frame_interval * step,
            topology=self.topology,
            bonds=self.bonds,
            source=self.source,
        )

    def __repr__(self) -> str:
        return (
            f"TrajectoryData(source={self.source!r}, n_frames={self.n_frames}, "
            f"n_atoms={self.n_atoms}, frame_interval={self.frame_interval:g} ps, "
            f"n_bonds={len(self.bonds)})"
        )


__all__ = ["TrajectoryData", "first_nonfinite_frame"]
