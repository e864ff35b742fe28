"""Baseline forecasters that any learned model must beat.

Every forecaster takes ``context`` of shape [B, W, N, 3] (nm, oldest frame
first) and returns [B, H, N, 3] (nm) for the H frames that follow, at the
same frame interval as the context.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _context(context, min_frames: int, who: str) -> np.ndarray:
    c = np.asarray(context)
    if c.ndim != 4 or c.shape[-1] != 3:
        raise ValueError(f"{who}: context must have shape [B, W, N, 3] in nm; got {c.shape}")
    if c.shape[1] < min_frames:
        raise ValueError(
            f"{who}: needs at least {min_frames} context frames; got W={c.shape[1]}"
        )
    return c


def _horizon(horizon) -> int:
    if int(horizon) != horizon or horizon < 1:
        raise ValueError(f"horizon must be an integer >= 1; got {horizon!r}")
    return int(horizon)


def persistence(context, horizon: int) -> np.ndarray:
    """Repeat the last context frame: ``x_hat[t + k] = x[t]``.

    Parameters
    ----------
    context : array_like, shape [B, W, N, 3]
        nm.
    horizon : int
        H, frames to forecast.

    Returns
    -------
    np.ndarray, shape [B, H, N, 3]
        nm, same dtype as ``context``.
    """
    c = _context(context, 1, "persistence")
    h = _horizon(horizon)
    return np.repeat(c[:, -1:], h, axis=1)


def linear_extrapolation(context, horizon: int) -> np.ndarray:
    """Constant-velocity forecast: ``x_hat[t + k] = x[t] + k (x[t] - x[t-1])``, k = 1..H.

    Parameters
    ----------
    context : array_like, shape [B, W, N, 3], W >= 2
        nm.
    horizon : int

    Returns
    -------
    np.ndarray, shape [B, H, N, 3]
        nm.
    """
    c = _context(context, 2, "linear_extrapolation")
    h = _horizon(horizon)
    last, step = c[:, -1:], c[:, -1:] - c[:, -2:-1]
    k = np.arange(1, h + 1, dtype=c.dtype if np.issubdtype(c.dtype, np.floating) else np.float64)
    return last + k[None, :, None, None] * step


def _segments(data) -> tuple[list[np.ndarray], float | None, int | None]:
    """Training data -> list of contiguous [T, N, 3] segments, frame interval, W.

    Accepts a WindowDataset (its time blocks, not the overlapping windows),
    TrajectoryData or a list of them, an array [T, N, 3], an array of
    windows [B, L, N, 3], or a list of arrays.
    """
    if hasattr(data, "blocks") and hasattr(data, "trajectories"):  # WindowDataset
        segs = [data.trajectories[t].positions[s:e] for t, s, e in data.blocks]
        return segs, float(data.frame_interval), int(data.context_frames)
    if hasattr(data, "positions") and hasattr(data, "frame_interval"):  # TrajectoryData
        return [data.positions], float(data.frame_interval), None
    if isinstance(data, np.ndarray) or hasattr(data, "numpy"):
        arr = np.asarray(data)
        if arr.ndim == 3:
            return [arr], None, None
        if arr.ndim == 4:
            return list(arr), None, None
        raise ValueError(f"expected an array [T, N, 3] or windows [B, L, N, 3]; got {arr.shape}")
    segs, dts = [], []
    for item in data:
        s, dt, _ = _segments(item)
        segs.extend(s)
        dts.append(dt)
    known = [d for d in dts if d is not None]
    if known and not np.allclose(known, known[0], rtol=1e-3):
        raise ValueError(f"training data mixes frame intervals {sorted(set(known))} ps")
    return segs, (known[0] if known else None), None


class LinearAR:
    """Linear autoregressive forecaster on frame-to-frame displacements.

    With displacements ``d[t] = x[t] - x[t-1]`` (nm per frame), the model is
    ``d[t+1] = sum_{i=1..p} a_i d[t+1-i]`` with one coefficient vector
    ``a`` shared by all atoms and coordinates. It depends only on
    displacements, so it is translation-equivariant by construction (and,
    being a scalar map applied to vectors, rotation-equivariant too).

    Parameters
    ----------
    coefficients : array_like, shape [p]
        ``a_1..a_p``, ``a_1`` multiplying the most recent displacement.
    frame_interval : float, optional
        ps between frames of the training data, kept so that a mismatch can
        be detected when it is used.
    """

    def __init__(self, coefficients, frame_interval: float | None = None) -> None:
        a = np.asarray(coefficients, dtype=np.float64).reshape(-1)
        if a.size < 1 or not np.all(np.isfinite(a)):
            raise ValueError(f"LinearAR needs at least one finite coefficient; got {coefficients!r}")
        self.coefficients = a
        self.frame_interval = None if frame_interval is None else float(frame_interval)

    @property
    def order(self) -> int:
        """p, the number of past displacements used (needs W >= p + 1 context frames)."""
        return int(self.coefficients.size)

    @classmethod
    def fit(
        cls,
        data,
        order: int | None = None,
        *,
        context_frames: int | None = None,
        ridge: float = 0.0,
    ) -> "LinearAR":
        """Fit the coefficients by least squares on training data.

        Minimises ``sum over t, atoms, xyz of (d[t] - sum_i a_i d[t-i])^2``
        over every time step inside each contiguous segment (no pair of
        frames straddles two segments). Solved via the p x p normal
        equations, accumulated in float64 without building the lagged
        design matrix.

        Parameters
        ----------
        data : WindowDataset, TrajectoryData, list of them, or arrays
            Training frames, nm. A WindowDataset contributes its split's time
            blocks (each frame once); an array [B, L, N, 3] is treated as B
            separate windows; an array [T, N, 3] as one trajectory.
        order : int, optional
            p. Default ``context_frames - 1``.
        context_frames : int, optional
            W the baseline will be given; taken from a WindowDataset when
            omitted. ``order`` must be <= W - 1.
        ridge : float
            Tikhonov term added to the normal matrix, relative to its mean
            diagonal (0 = plain least squares).

        Returns
        -------
        LinearAR

        Raises
        ------
        ValueError
            If neither ``order`` nor ``context_frames`` is known, the order
            exceeds W - 1, or no segment is longer than ``order + 1`` frames.
        """
        segments, dt, w_data = _segments(data)
        w = context_frames if context_frames is not None else w_data
        if order is None:
            if w is None:
                raise ValueError(
                    "LinearAR.fit: pass order=p or context_frames=W (order defaults to W - 1)"
                )
            order = w - 1
        if int(order) != order or order < 1:
            raise ValueError(f"LinearAR order must be an integer >= 1; got {order!r}")
        p = int(order)
        if w is not None and p > w - 1:
            raise ValueError(
                f"LinearAR order {p} needs {p + 1} context frames but W={w}; use order <= {w - 1}"
            )
        gram = np.zeros((p, p))
        rhs = np.zeros(p)
        n_samples = 0
        for seg in segments:
            seg = np.asarray(seg, dtype=np.float64)
            if seg.shape[0] < p + 2:
                continue  # too short for one (p displacements -> next) sample
            d = np.diff(seg, axis=0).reshape(seg.shape[0] - 1, -1)  # [L, M]
            L = d.shape[0]
            target = d[p:]
            # lag i (1..p): the displacement i steps before each target
            lags = [d[p - i : L - i] for i in range(1, p + 1)]
            for i in range(p):
                rhs[i] += np.vdot(lags[i], target)
                for j in range(i, p):
                    gram[i, j] += np.vdot(lags[i], lags[j])
            n_samples += target.size
        if n_samples == 0:
            raise ValueError(
                f"LinearAR.fit: no training segment has the {p + 2} frames needed for order {p}"
            )
        gram = np.triu(gram) + np.triu(gram, 1).T
        if ridge > 0:
            gram = gram + ridge * np.trace(gram) / p * np.eye(p)
        coef, *_ = np.linalg.lstsq(gram, rhs, rcond=None)
        return cls(coef, frame_interval=dt)

    def predict(self, context, horizon: int) -> np.ndarray:
        """Forecast by iterating the one-step model H times.

        Parameters
        ----------
        context : array_like, shape [B, W, N, 3], W >= order + 1
            nm.
        horizon : int

        Returns
        -------
        np.ndarray, shape [B, H, N, 3]
            nm, float64 unless ``context`` is float32 (then float32).
        """
        c = _context(context, self.order + 1, f"LinearAR(order={self.order})")
        h = _horizon(horizon)
        p = self.order
        x = c[:, -(p + 1) :].astype(np.float64)
        recent = list(np.diff(x, axis=1).transpose(1, 0, 2, 3))  # p arrays [B, N, 3], oldest first
        last = x[:, -1]
        out = np.empty((c.shape[0], h) + c.shape[2:], dtype=np.float64)
        for k in range(h):
            step = sum(self.coefficients[i] * recent[-1 - i] for i in range(p))
            last = last + step
            out[:, k] = last
            recent = recent[1:] + [step]
        return out.astype(c.dtype) if c.dtype == np.float32 else out

    __call__ = predict

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe description (plain floats), for storing in a checkpoint."""
        return {
            "type": "LinearAR",
            "order": self.order,
            "coefficients": [float(a) for a in self.coefficients],
            "frame_interval_ps": self.frame_interval,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "LinearAR":
        """Inverse of :meth:`to_dict`."""
        if not isinstance(d, dict) or d.get("type") != "LinearAR" or "coefficients" not in d:
            raise ValueError(
                "not a LinearAR description: expected a dict with type='LinearAR' and "
                "'coefficients' (as written by LinearAR.to_dict())"
            )
        model = cls(d["coefficients"], frame_interval=d.get("frame_interval_ps"))
        if "order" in d and int(d["order"]) != model.order:
            raise ValueError(
                f"LinearAR description says order {d['order']} but has {model.order} coefficients"
            )
        return model

    def __repr__(self) -> str:
        coefs = ", ".join(f"{a:.4g}" for a in self.coefficients)
        return f"LinearAR(order={self.order}, coefficients=[{coefs}], frame_interval={self.frame_interval})"


#: Parameter-free baselines by name (LinearAR needs fitting, so it is not here).
BASELINES = {"persistence": persistence, "linear_extrapolation": linear_extrapolation}

__all__ = ["persistence", "linear_extrapolation", "LinearAR", "BASELINES"]
