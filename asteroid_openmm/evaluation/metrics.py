"""Forecast-quality and distribution metrics (numpy, vectorised).

Conventions: forecasts and references are arrays ``[B, H, N, 3]`` in nm
(B windows, H horizon steps, N atoms); per-horizon metrics return arrays of
shape ``[H]``. Lengths are in nm, angles in degrees. No structural
alignment is done anywhere: a forecast is used in the lab frame by the
integrator, so rigid-body drift is a real error.
"""

from __future__ import annotations

import numpy as np

from ..trajectories.bonds import angle_triplets, dihedral_quadruplets  # noqa: F401  (re-exported)
from ..trajectories.units import DEGREES_PER_RADIAN

# A pair distance that varies less than this (nm) over a trajectory is a constraint.
CONSTRAINED_STD_NM = 1e-5


def _pair(pred, true) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(pred, dtype=np.float64)
    t = np.asarray(true, dtype=np.float64)
    if p.shape != t.shape:
        raise ValueError(f"pred has shape {p.shape} but true has {t.shape}; they must match")
    if p.ndim != 4 or p.shape[-1] != 3:
        raise ValueError(f"expected arrays of shape [B, H, N, 3] in nm; got {p.shape}")
    return p, t


def position_mae(pred, true) -> np.ndarray:
    """Mean absolute position error per horizon step.

    ``MAE[h] = mean over windows b, atoms i, coordinates c of
    |pred[b, h, i, c] - true[b, h, i, c]|``, in nm. No alignment.

    Parameters
    ----------
    pred, true : array_like, shape [B, H, N, 3]
        Forecast and reference positions, nm.

    Returns
    -------
    np.ndarray, shape [H]
        nm.
    """
    p, t = _pair(pred, true)
    return np.abs(p - t).mean(axis=(0, 2, 3))


def rmsd(pred, true) -> np.ndarray:
    """Per-frame RMSD without alignment, averaged over windows.

    ``RMSD[h] = mean over b of sqrt(mean over atoms i of |pred[b,h,i] - true[b,h,i]|^2)``,
    in nm, where ``|.|`` is the Euclidean norm over x, y, z.

    Parameters
    ----------
    pred, true : array_like, shape [B, H, N, 3]
        nm.

    Returns
    -------
    np.ndarray, shape [H]
        nm.
    """
    p, t = _pair(pred, true)
    per_frame = np.sqrt(((p - t) ** 2).sum(axis=-1).mean(axis=-1))  # [B, H]
    return per_frame.mean(axis=0)


def _index(idx, width: int, what: str) -> np.ndarray:
    a = np.asarray(idx, dtype=np.int64)
    if a.size == 0:
        return np.zeros((0, width), dtype=np.int64)
    if a.ndim != 2 or a.shape[1] != width:
        raise ValueError(f"{what} must have shape (n, {width}); got {a.shape}")
    return a


def bond_lengths(x, bonds) -> np.ndarray:
    """Bond lengths.

    Parameters
    ----------
    x : array_like, shape [..., N, 3]
        Positions, nm.
    bonds : array_like of int, shape [nb, 2]

    Returns
    -------
    np.ndarray, shape [..., nb]
        nm.
    """
    x = np.asarray(x, dtype=np.float64)
    b = _index(bonds, 2, "bonds")
    return np.linalg.norm(x[..., b[:, 1], :] - x[..., b[:, 0], :], axis=-1)


def angles(x, triplets, degrees: bool = True) -> np.ndarray:
    """Bond angles ``i-j-k`` at the central atom ``j``.

    Parameters
    ----------
    x : array_like, shape [..., N, 3]
        Positions, nm.
    triplets : array_like of int, shape [na, 3]
    degrees : bool
        Degrees (default) or radians.

    Returns
    -------
    np.ndarray, shape [..., na]
        In [0, 180] degrees.
    """
    x = np.asarray(x, dtype=np.float64)
    t = _index(triplets, 3, "triplets")
    u = x[..., t[:, 0], :] - x[..., t[:, 1], :]
    v = x[..., t[:, 2], :] - x[..., t[:, 1], :]
    # atan2(|u x v|, u.v) is accurate near 0 and 180 degrees, where arccos is not.
    theta = np.arctan2(np.linalg.norm(np.cross(u, v), axis=-1), (u * v).sum(axis=-1))
    return theta * DEGREES_PER_RADIAN if degrees else theta


def dihedrals(x, quads, degrees: bool = True) -> np.ndarray:
    """Proper dihedral angles ``i-j-k-l`` (IUPAC sign convention).

    Parameters
    ----------
    x : array_like, shape [..., N, 3]
        Positions, nm.
    quads : array_like of int, shape [nd, 4]
    degrees : bool
        Degrees (default) or radians.

    Returns
    -------
    np.ndarray, shape [..., nd]
        In (-180, 180] degrees; trans is 180, cis is 0.
    """
    x = np.asarray(x, dtype=np.float64)
    q = _index(quads, 4, "quads")
    b1 = x[..., q[:, 1], :] - x[..., q[:, 0], :]
    b2 = x[..., q[:, 2], :] - x[..., q[:, 1], :]
    b3 = x[..., q[:, 3], :] - x[..., q[:, 2], :]
    n1 = np.cross(b1, b2)
    n2 = np.cross(b2, b3)
    b2_hat = b2 / np.linalg.norm(b2, axis=-1, keepdims=True)
    phi = np.arctan2((np.cross(n1, n2) * b2_hat).sum(axis=-1), (n1 * n2).sum(axis=-1))
    return phi * DEGREES_PER_RADIAN if degrees else phi


def _median_p99(err: np.ndarray) -> dict[str, np.ndarray]:
    """err [B, H, n] -> median and 99th percentile over (B, n), per H."""
    B, H = err.shape[:2]
    if err.shape[2] == 0:
        nan = np.full(H, np.nan)
        return {"median": nan, "p99": nan.copy()}
    flat = np.moveaxis(err, 1, 0).reshape(H, -1)
    return {"median": np.median(flat, axis=1), "p99": np.percentile(flat, 99, axis=1)}


def bond_length_errors(pred, true, bonds) -> dict[str, np.ndarray]:
    """Absolute bond-length errors per horizon step.

    ``e[b, h, k] = |d_k(pred[b, h]) - d_k(true[b, h])|`` for every bond k;
    statistics over windows and bonds.

    Parameters
    ----------
    pred, true : array_like, shape [B, H, N, 3]
        nm.
    bonds : array_like of int, shape [nb, 2]

    Returns
    -------
    dict
        ``median`` and ``p99`` (99th percentile), each shape [H], nm; NaN
        when there are no bonds.
    """
    p, t = _pair(pred, true)
    return _median_p99(np.abs(bond_lengths(p, bonds) - bond_lengths(t, bonds)))


def angle_errors(pred, true, triplets) -> dict[str, np.ndarray]:
    """Absolute bond-angle errors per horizon step, in degrees.

    Same definition as :func:`bond_length_errors`, over angle triplets.

    Returns
    -------
    dict
        ``median`` and ``p99``, each shape [H], degrees; NaN when there are
        no angles.
    """
    p, t = _pair(pred, true)
    return _median_p99(np.abs(angles(p, triplets) - angles(t, triplets)))


def thermal_fluctuation(positions, bonds, triplets=None) -> dict[str, object]:
    """Thermal fluctuation scale of reference data, to judge forecast errors.

    Definitions, for a reference trajectory ``positions`` [T, N, 3] (nm):

    * ``bond_std[k]`` = standard deviation over time of the length of bond k
      (nm); ``bond_std_median`` = its median over bonds.
    * ``angle_std[a]`` = standard deviation over time of angle a (degrees);
      ``angle_std_median`` = its median over angles.
    * ``mean_abs_step`` = mean over frames, atoms and coordinates of
      ``|x[t+1] - x[t]|`` (nm): the persistence error at one frame interval.

    A bond-length error well below ``bond_std_median`` is smaller than the
    thermal noise of that bond.

    Parameters
    ----------
    positions : array_like, shape [T, N, 3]
        nm.
    bonds : array_like of int, shape [nb, 2]
    triplets : array_like of int, shape [na, 3], optional
        Defaults to the angles implied by ``bonds``.

    Returns
    -------
    dict
        ``bond_std_median`` (nm), ``angle_std_median`` (degrees),
        ``mean_abs_step`` (nm), ``bond_std`` [nb], ``angle_std`` [na]. Medians
        are NaN when there are no bonds / angles.
    """
    x = np.asarray(positions, dtype=np.float64)
    if x.ndim != 3 or x.shape[-1] != 3:
        raise ValueError(f"positions must have shape [T, N, 3] in nm; got {x.shape}")
    if triplets is None:
        triplets = angle_triplets(bonds)
    bond_std = bond_lengths(x, bonds).std(axis=0)
    angle_std = angles(x, triplets).std(axis=0)
    return {
        "bond_std_median": float(np.median(bond_std)) if bond_std.size else float("nan"),
        "angle_std_median": float(np.median(angle_std)) if angle_std.size else float("nan"),
        "mean_abs_step": float(np.abs(np.diff(x, axis=0)).mean()) if x.shape[0] > 1 else float("nan"),
        "bond_std": bond_std,
        "angle_std": angle_std,
    }


def js_from_counts(ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    """JS divergence (bits, in [0, 1]) between histograms (counts) along the last axis."""
    pa = ca / ca.sum(axis=-1, keepdims=True)
    pb = cb / cb.sum(axis=-1, keepdims=True)
    m = 0.5 * (pa + pb)

    def kl(p):
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(p > 0, p * np.log2(p / m), 0.0)
        return terms.sum(axis=-1)

    # Clip tiny negative / >1 round-off so the result is in [0, 1] exactly.
    return np.clip(0.5 * kl(pa) + 0.5 * kl(pb), 0.0, 1.0)


def js_divergence(samples_a, samples_b, bins: int = 64, range=None) -> float:
    """Jensen-Shannon divergence of two 1-D sample sets, base 2, in [0, 1].

    Both sets are histogrammed on the same ``bins`` equal-width bins over
    ``range`` (default: the joint min..max of both sets), then
    ``JS = 0.5 KL(P || M) + 0.5 KL(Q || M)`` with ``M = (P + Q) / 2``.
    0 means identical histograms, 1 means disjoint support. Note the
    estimate is biased upwards for small samples (tens of samples per bin
    or fewer).

    Parameters
    ----------
    samples_a, samples_b : array_like
        Flattened to 1-D; must be finite and non-empty.
    bins : int
        Number of bins.
    range : (float, float), optional
        Histogram range; values outside it are dropped (pass the full
        period, e.g. (-180, 180), for angles).

    Returns
    -------
    float
    """
    a = np.asarray(samples_a, dtype=np.float64).ravel()
    b = np.asarray(samples_b, dtype=np.float64).ravel()
    if a.size == 0 or b.size == 0:
        raise ValueError("js_divergence needs non-empty sample sets")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("js_divergence samples contain NaN or infinite values")
    if range is None:
        lo, hi = min(a.min(), b.min()), max(a.max(), b.max())
        if hi <= lo:  # all samples equal: any bin holds them all
            return 0.0
        range = (lo, hi)
    ca, _ = np.histogram(a, bins=bins, range=range)
    cb, _ = np.histogram(b, bins=bins, range=range)
    if ca.sum() == 0 or cb.sum() == 0:
        raise ValueError(f"no samples fall inside range={range}; widen it")
    return float(js_from_counts(ca.astype(np.float64), cb.astype(np.float64)))


def _per_column_js(va: np.ndarray, vb: np.ndarray, bins: int, range=None) -> np.ndarray:
    """JS per column of [Ta, n] and [Tb, n], each column on its own common bins."""
    n = va.shape[1]
    if range is None:
        lo = np.minimum(va.min(axis=0), vb.min(axis=0))
        hi = np.maximum(va.max(axis=0), vb.max(axis=0))
    else:
        lo, hi = np.full(n, float(range[0])), np.full(n, float(range[1]))
    width = np.where(hi > lo, hi - lo, 1.0)

    def counts(v):
        k = np.floor((v - lo) / width * bins).astype(np.int64)
        k = np.clip(k, 0, bins - 1)  # the maximum lands in the last bin, as in np.histogram
        flat = (k + np.arange(n)[None, :] * bins).ravel()
        return np.bincount(flat, minlength=n * bins).reshape(n, bins).astype(np.float64)

    return js_from_counts(counts(va), counts(vb))


def internal_coordinate_js(
    positions_a, positions_b, bonds, triplets=None, quads=None, bins: int = 64
) -> dict[str, float]:
    """JS divergences between two ensembles' internal-coordinate distributions.

    Used to compare e.g. hybrid (MD + forecast) against plain MD.

    Parameters
    ----------
    positions_a, positions_b : array_like, shape [Ta, N, 3] and [Tb, N, 3]
        nm. Frames are treated as samples (time order is ignored).
    bonds : array_like of int, shape [nb, 2]
    triplets, quads : array_like of int, optional
        Angle triplets / dihedral quadruplets; default: derived from ``bonds``.
    bins : int
        Bins per histogram.

    Returns
    -------
    dict
        * ``bonds``: JS of all bond lengths pooled into one sample set;
        * ``angles``: same for all angles (degrees);
        * ``dihedrals``: same for all dihedrals, on periodic bins spanning
          exactly (-180, 180] so the wrap-around is treated consistently;
        * ``bonds_mean``, ``angles_mean``, ``dihedrals_mean``: the mean
          over coordinates of the JS of each coordinate's own distribution,
          which, unlike the pooled value, detects two coordinates trading
          distributions.

        A value is NaN when the system has no coordinates of that kind.
    """
    xa = np.asarray(positions_a, dtype=np.float64)
    xb = np.asarray(positions_b, dtype=np.float64)
    if xa.ndim != 3 or xb.ndim != 3 or xa.shape[1:] != xb.shape[1:]:
        raise ValueError(
            f"positions must be [T, N, 3] arrays of the same system; got {xa.shape} and {xb.shape}"
        )
    if triplets is None:
        triplets = angle_triplets(bonds)
    if quads is None:
        quads = dihedral_quadruplets(bonds)
    out: dict[str, float] = {}
    for name, fn, idx, rng in (
        ("bonds", bond_lengths, bonds, None),
        ("angles", angles, triplets, None),
        ("dihedrals", dihedrals, quads, (-180.0, 180.0)),
    ):
        va, vb = fn(xa, idx), fn(xb, idx)
        if va.shape[-1] == 0:
            out[name] = out[name + "_mean"] = float("nan")
            continue
        out[name] = js_divergence(va, vb, bins=bins, range=rng)
        out[name + "_mean"] = float(_per_column_js(va, vb, bins, rng).mean())
    return out


__all__ = [
    "position_mae",
    "rmsd",
    "bond_lengths",
    "angles",
    "dihedrals",
    "bond_length_errors",
    "angle_errors",
    "thermal_fluctuation",
    "js_divergence",
    "internal_coordinate_js",
    "angle_triplets",
    "dihedral_quadruplets",
]
