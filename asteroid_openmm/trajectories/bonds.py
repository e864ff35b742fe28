"""Covalent bond graph: bonds from a topology or inferred from geometry, and
the angle triplets and proper-dihedral quadruplets derived from the bonds.

All index arrays are ``int64`` with a fixed number of columns, so an empty
graph (e.g. a box of argon) is an array of shape ``(0, 2)``, ``(0, 3)`` or
``(0, 4)`` rather than a special case.
"""

from __future__ import annotations

import numpy as np

# Single-bond covalent radii in Å (Cordero et al., Dalton Trans. 2008, 2832).
# C is the sp3 value; Mn, Fe and Co are the low-spin values.
_COVALENT_RADII_ANGSTROM = {
    1: 0.31, 2: 0.28, 3: 1.28, 4: 0.96, 5: 0.84, 6: 0.76, 7: 0.71, 8: 0.66,
    9: 0.57, 10: 0.58, 11: 1.66, 12: 1.41, 13: 1.21, 14: 1.11, 15: 1.07,
    16: 1.05, 17: 1.02, 18: 1.06, 19: 2.03, 20: 1.76, 21: 1.70, 22: 1.60,
    23: 1.53, 24: 1.39, 25: 1.39, 26: 1.32, 27: 1.26, 28: 1.24, 29: 1.32,
    30: 1.22, 31: 1.22, 32: 1.20, 33: 1.19, 34: 1.20, 35: 1.20, 36: 1.16,
    37: 2.20, 38: 1.95, 39: 1.90, 40: 1.75, 41: 1.64, 42: 1.54, 43: 1.47,
    44: 1.46, 45: 1.42, 46: 1.39, 47: 1.45, 48: 1.44, 49: 1.42, 50: 1.39,
    51: 1.39, 52: 1.38, 53: 1.39, 54: 1.40, 55: 2.44, 56: 2.15, 78: 1.36,
    79: 1.36, 80: 1.32, 82: 1.46,
}

# Elements never given an inferred covalent bond: noble gases, and alkali /
# alkaline-earth metals, which in MD are free ions (a Na+ next to a water O is
# within the distance criterion but is not bonded to it). Atomic number 0 is a
# virtual site / dummy atom.
_NEVER_BONDED = frozenset({0, 2, 10, 18, 36, 54, 3, 11, 19, 37, 55, 12, 20, 38, 56})

#: Default tolerance for :func:`infer_bonds`: bonded if d < scale * (r_i + r_j).
DEFAULT_BOND_SCALE = 1.2


def covalent_radius_nm(atomic_number: int) -> float:
    """Single-bond covalent radius in nm, or NaN when no bond is ever inferred.

    Parameters
    ----------
    atomic_number : int
        Element number (0 for a virtual site).

    Returns
    -------
    float
        Radius in nm (Cordero et al. 2008), or ``nan`` for noble gases,
        alkali / alkaline-earth ions, virtual sites and elements missing from
        the table.
    """
    z = int(atomic_number)
    if z in _NEVER_BONDED or z not in _COVALENT_RADII_ANGSTROM:
        return float("nan")
    return _COVALENT_RADII_ANGSTROM[z] / 10.0  # Å -> nm


def normalize_bonds(bonds, n_atoms: int | None = None) -> np.ndarray:
    """Return bonds as sorted, unique ``int64`` pairs ``(i, j)`` with ``i < j``.

    Parameters
    ----------
    bonds : array_like of int, shape (nb, 2)
        Atom index pairs, in any order, possibly repeated.
    n_atoms : int, optional
        When given, indices are checked to lie in ``[0, n_atoms)``.

    Returns
    -------
    np.ndarray of int64, shape (nb', 2)

    Raises
    ------
    ValueError
        If the shape is not (nb, 2), a bond joins an atom to itself, or an
        index is out of range.
    """
    b = np.asarray(bonds, dtype=np.int64)
    if b.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if b.ndim != 2 or b.shape[1] != 2:
        raise ValueError(f"bonds must have shape (n_bonds, 2); got {b.shape}")
    if np.any(b[:, 0] == b[:, 1]):
        raise ValueError("bonds contain a bond from an atom to itself; remove it")
    if n_atoms is not None and (b.min() < 0 or b.max() >= n_atoms):
        raise ValueError(
            f"bond atom indices must lie in [0, {n_atoms}); got range "
            f"[{b.min()}, {b.max()}]. Are the bonds from another system?"
        )
    b = np.sort(b, axis=1)
    return np.unique(b, axis=0)


def infer_bonds(positions, atomic_numbers, scale: float = DEFAULT_BOND_SCALE) -> np.ndarray:
    """Infer covalent bonds from one geometry.

    Atoms ``i`` and ``j`` are bonded when ``d_ij < scale * (r_i + r_j)`` with
    ``r`` the covalent radii of :func:`covalent_radius_nm`. Periodic images are
    ignored: molecules are assumed whole in the frame given.

    Parameters
    ----------
    positions : array_like, shape (N, 3)
        One frame, in nm.
    atomic_numbers : array_like of int, shape (N,)
    scale : float
        Tolerance factor on the sum of radii (default 1.2).

    Returns
    -------
    np.ndarray of int64, shape (nb, 2)
        Sorted pairs with ``i < j``.
    """
    x = np.asarray(positions, dtype=np.float64)
    z = np.asarray(atomic_numbers, dtype=np.int64)
    if x.ndim != 2 or x.shape[1] != 3:
        raise ValueError(f"positions must have shape (N, 3) in nm; got {x.shape}")
    if z.shape != (x.shape[0],):
        raise ValueError(
            f"atomic_numbers has shape {z.shape} but positions has {x.shape[0]} atoms"
        )
    radii = np.array([covalent_radius_nm(a) for a in z], dtype=np.float64)
    candidates = np.flatnonzero(np.isfinite(radii))
    xc, rc = x[candidates], radii[candidates]
    found = []
    # Row blocks keep memory at O(block * N) so large solvated systems work.
    block = max(1, 2_000_000 // max(len(candidates), 1))
    for start in range(0, len(candidates), block):
        stop = min(start + block, len(candidates))
        d = np.linalg.norm(xc[start:stop, None, :] - xc[None, :, :], axis=-1)
        cutoff = scale * (rc[start:stop, None] + rc[None, :])
        rows, cols = np.nonzero(d < cutoff)
        rows = rows + start
        keep = rows < cols  # each pair once, no self pairs
        found.append(np.stack([candidates[rows[keep]], candidates[cols[keep]]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return normalize_bonds(np.concatenate(found, axis=0))


def bonds_from_topology(topology) -> np.ndarray:
    """Bonds of an ``mdtraj.Topology`` or ``openmm.app.Topology``.

    Returns
    -------
    np.ndarray of int64, shape (nb, 2)
        Sorted unique pairs; shape (0, 2) when the topology lists no bonds.
    """
    # openmm.app.Topology.bonds is a method; mdtraj.Topology.bonds a property.
    bond_iter = topology.bonds() if callable(topology.bonds) else topology.bonds
    pairs = [(b[0].index, b[1].index) for b in bond_iter]
    return normalize_bonds(np.array(pairs, dtype=np.int64).reshape(-1, 2))


def _neighbours(bonds: np.ndarray) -> dict[int, list[int]]:
    nbrs: dict[int, list[int]] = {}
    for i, j in bonds.tolist():
        nbrs.setdefault(i, []).append(j)
        nbrs.setdefault(j, []).append(i)
    for v in nbrs.values():
        v.sort()
    return nbrs


def stereo_centres(bonds, heavy=None) -> np.ndarray:
    """Atoms with >= 4 bonded neighbours and their three lowest-index neighbours, [C, 4].

    Centres with three neighbours are left out: planar ones (aromatic, sp2)
    flip sign thermally, and pyramidal nitrogen inverts at room temperature.
    ``heavy`` (bool [N]) keeps only bonds between massive particles (virtual
    sites are not neighbours).
    """
    bonds = np.asarray(bonds, np.int64).reshape(-1, 2)
    if heavy is not None and len(bonds):
        bonds = bonds[heavy[bonds[:, 0]] & heavy[bonds[:, 1]]]
    rows = [[a] + n[:3] for a, n in sorted(_neighbours(bonds).items()) if len(n) >= 4]
    return np.array(rows, dtype=np.int64).reshape(-1, 4)


def handedness(frames: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Sign (+1 / -1) of each centre's neighbour triple product, frames [..., N, 3] -> [..., C].

    ``centres`` [C, 4] as from :func:`stereo_centres`. The sign of a labelled
    sp3 centre is kept along a trajectory; a reflection flips it.
    """
    v = frames[..., centres[:, 1:], :] - frames[..., centres[:, :1], :]  # [..., C, 3, 3]
    return np.sign(np.einsum("...i,...i->...", v[..., 0, :], np.cross(v[..., 1, :], v[..., 2, :])))


def angle_triplets(bonds) -> np.ndarray:
    """All bond angles ``i-j-k`` (``j`` central) implied by a bond list.

    Parameters
    ----------
    bonds : array_like of int, shape (nb, 2)

    Returns
    -------
    np.ndarray of int64, shape (na, 3)
        One row per unordered pair of neighbours ``i < k`` of each central atom
        ``j``; rows sorted by ``j`` then ``i`` then ``k``.
    """
    b = normalize_bonds(bonds)
    nbrs = _neighbours(b)
    out = []
    for j in sorted(nbrs):
        n = nbrs[j]
        for a in range(len(n)):
            for c in range(a + 1, len(n)):
                out.append((n[a], j, n[c]))
    return np.array(out, dtype=np.int64).reshape(-1, 3)


def dihedral_quadruplets(bonds) -> np.ndarray:
    """All proper dihedrals ``i-j-k-l`` implied by a bond list.

    One quadruplet per central bond ``j-k`` (``j < k``) and per choice of a
    neighbour ``i != k`` of ``j`` and a neighbour ``l != j`` of ``k`` with
    ``i != l`` (three-membered rings have no proper dihedral).

    Parameters
    ----------
    bonds : array_like of int, shape (nb, 2)

    Returns
    -------
    np.ndarray of int64, shape (nd, 4)
    """
    b = normalize_bonds(bonds)
    nbrs = _neighbours(b)
    out = []
    for j, k in b.tolist():
        for i in nbrs[j]:
            if i == k:
                continue
            for l in nbrs[k]:
                if l == j or l == i:
                    continue
                out.append((i, j, k, l))
    return np.array(out, dtype=np.int64).reshape(-1, 4)


__all__ = [
    "DEFAULT_BOND_SCALE",
    "covalent_radius_nm",
    "normalize_bonds",
    "infer_bonds",
    "bonds_from_topology",
    "angle_triplets",
    "dihedral_quadruplets",
]
