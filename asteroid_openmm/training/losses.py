"""Training objective: forecast accuracy, STI/Hankel agreement and physical validity.

Every term is dimensionless so the weights mean the same for any system:

* **position**: squared error of the combined forecast and of every anchor's
  delay embedding, each horizon step divided by the persistence (last-frame)
  error at that lag on the training data, so step 1 counts as much as step 16.
* **hankel**: disagreement of the overlapping anchor predictions of each
  forecast frame (same normalisation): the STI consistency condition.
* **distance**: squared error of interatomic distances of bonded (1-2),
  angle (1-3) and dihedral (1-4) pairs, each divided by that distance's
  thermal variance in the training data. Coordinate error alone is minimised
  by averaging over possible futures, which shortens bonds; this term keeps
  the fast internal modes of forecast frames inside the thermal distribution.

A stochastic model (``noise_dim`` > 0) is scored by the **energy score**
instead of the squared error, for the forecast and for every anchor's delay
embedding: with two independent forecasts ``X``, ``X'`` of the same window
and the truth ``y``, per atom and frame ``(|X - y| + |X' - y|) / 2 -
|X - X'| / 2`` (Euclidean norms, divided by the persistence RMS distance at
that lag). It is a proper scoring rule: its expectation is lowest when the
forecasts are drawn from the true distribution of futures, so the model
learns to sample futures rather than to average them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..evaluation.metrics import CONSTRAINED_STD_NM
from ..model import sti


def validity_pairs(bonds: np.ndarray, n_atoms: int) -> np.ndarray:
    """Atom pairs separated by 1, 2 or 3 bonds: int64 [P, 2] with i < j."""
    from ..trajectories.bonds import angle_triplets, dihedral_quadruplets

    pairs = [np.asarray(bonds, np.int64).reshape(-1, 2)]
    tri = angle_triplets(bonds)
    if len(tri):
        pairs.append(tri[:, [0, 2]])
    quad = dihedral_quadruplets(bonds)
    if len(quad):
        pairs.append(quad[:, [0, 3]])
    p = np.sort(np.concatenate(pairs), axis=1)
    p = p[p[:, 0] != p[:, 1]]
    return np.unique(p, axis=0)


@dataclass
class LossWeights:
    position: float = 1.0
    anchors: float = 0.5
    hankel: float = 0.1
    distance: float = 0.2


class ForecastLoss(torch.nn.Module):
    """Dimensionless training loss (see module docstring).

    Parameters
    ----------
    persistence_mse : array [L]
        Mean squared displacement (nm^2, per coordinate) between frames ``l``
        apart on the training data, ``l = 1 .. L``.
    pairs : int array [P, 2]
        Validity pairs (see :func:`validity_pairs`).
    pair_std : array [P]
        Thermal standard deviation of each pair distance (nm).
    """

    def __init__(self, persistence_mse, pairs, pair_std, weights: LossWeights | None = None,
                 energy_score: bool = False):
        super().__init__()
        #: Score two samples per window (a stochastic model): ``out`` then holds
        #: the model's output for the batch repeated twice (:func:`model_samples`).
        self.energy_score = bool(energy_score)
        self.register_buffer("persistence_mse", torch.as_tensor(np.asarray(persistence_mse), dtype=torch.float32))
        self.register_buffer("pairs", torch.as_tensor(np.asarray(pairs, np.int64).reshape(-1, 2)))
        # Constrained bonds have ~zero thermal spread. They count like the
        # stiffest flexible pair (the integrator re-applies constraints anyway):
        # with a fixed small floor the 12 X-H constraints of alanine dipeptide
        # made up most of the loss.
        std = np.asarray(pair_std, np.float64)
        flexible = std > CONSTRAINED_STD_NM
        std = np.maximum(std, std[flexible].min() if flexible.any() else 1e-3)
        self.register_buffer("pair_inv_var", torch.as_tensor(1.0 / std**2, dtype=torch.float32))
        self.weights = weights or LossWeights()

    def _distance_term(self, pred: torch.Tensor, true: torch.Tensor) -> torch.Tensor:
        if len(self.pairs) == 0:
            return pred.new_zeros(())
        i, j = self.pairs[:, 0], self.pairs[:, 1]
        dp = (pred[..., i, :] - pred[..., j, :]).norm(dim=-1)
        dt = (true[..., i, :] - true[..., j, :]).norm(dim=-1)
        return ((dp - dt) ** 2 * self.pair_inv_var).mean()

    def forward(self, out: dict, window: torch.Tensor, context_frames: int) -> dict[str, torch.Tensor]:
        """Loss terms for one batch.

        Parameters
        ----------
        out : dict
            Output of :meth:`AsteroidModel.forward`.
        window : Tensor [B, W + H, N, 3]
            Context followed by the true future frames (nm).
        """
        w = context_frames
        views, anchor_pred, forecast = out["views"], out["anchor_predictions"], out["forecast"]
        if self.energy_score:
            if len(forecast) != 2 * len(window):
                raise ValueError("energy_score needs the model's output for the batch repeated twice")
            window = torch.cat([window, window])
        b, m, h = views.shape[:3]
        l = anchor_pred.shape[2]
        truth = window[:, w : w + h]
        norm_h = self.persistence_mse[:h][None, :, None, None]
        # Every anchor's whole delay embedding, in-context frames included.
        idx = (w - 1 - torch.arange(m, device=window.device))[:, None] + 1 + torch.arange(l, device=window.device)
        target = window[:, idx]  # [B, M, L, N, 3]
        norm_l = self.persistence_mse[:l][None, None, :, None, None]
        if self.energy_score:
            pos = _energy_score(forecast, truth, norm_h)
            anchors = _energy_score(anchor_pred, target, norm_l)
        else:
            pos = ((forecast - truth) ** 2 / norm_h).mean()
            anchors = ((anchor_pred - target) ** 2 / norm_l).mean()

        hankel = (sti.hankel_disagreement(views) / (3 * self.persistence_mse[:h])).mean()
        dist = 0.5 * (self._distance_term(forecast, truth) + self._distance_term(anchor_pred, target))
        wts = self.weights
        total = wts.position * pos + wts.anchors * anchors + wts.hankel * hankel + wts.distance * dist
        return dict(total=total, position=pos, anchors=anchors, hankel=hankel, distance=dist)


def _norm(v: torch.Tensor) -> torch.Tensor:
    # Smooth at zero: two identical samples give a zero gradient, not NaN.
    return torch.sqrt((v**2).sum(-1) + 1e-12)


def _energy_score(pred: torch.Tensor, truth: torch.Tensor, msd: torch.Tensor) -> torch.Tensor:
    """Mean energy score of paired samples ``pred`` [2B, ..., 3] against ``truth`` (the same, repeated).

    Divided by the persistence RMS distance ``sqrt(3 msd)``; ``msd`` broadcasts
    against ``pred[..., 0]``.
    """
    half = len(pred) // 2
    scale = torch.sqrt(3 * msd[..., 0])
    a, b = pred[:half], pred[half:]
    y = truth[:half]
    score = 0.5 * (_norm(a - y) + _norm(b - y)) - 0.5 * _norm(a - b)
    return (score / scale).mean()


def model_samples(model, context: torch.Tensor, energy_score: bool) -> dict:
    """The model's output for a batch of contexts; twice over (two samples per window) for the energy score."""
    return model(torch.cat([context, context]) if energy_score else context)


def training_statistics(positions_list, pairs: np.ndarray, max_lag: int, max_frames: int = 20000):
    """Normalisation constants from training frames.

    Returns
    -------
    persistence_mse : np.ndarray [max_lag]
        Mean squared per-coordinate displacement at lags 1..max_lag (nm^2).
    pair_std : np.ndarray [P]
        Standard deviation of each validity-pair distance (nm).
    displacement_scale : float
        RMS one-frame displacement norm (nm).
    pair_mean : np.ndarray [P]
        Mean of each validity-pair distance (nm).
    """
    msd = np.zeros(max_lag)
    counts = np.zeros(max_lag)
    dists = []
    disp = []
    for pos in positions_list:
        pos = np.asarray(pos[:max_frames], np.float64)
        for lag in range(1, min(max_lag, len(pos) - 1) + 1):
            d = pos[lag:] - pos[:-lag]
            msd[lag - 1] += (d**2).mean() * len(d)
            counts[lag - 1] += len(d)
        disp.append(np.linalg.norm(pos[1:] - pos[:-1], axis=-1).ravel())
        if len(pairs):
            dists.append(np.linalg.norm(pos[:, pairs[:, 0]] - pos[:, pairs[:, 1]], axis=-1))
    if np.any(counts == 0):
        raise ValueError(f"training trajectories are too short for lags up to {max_lag} frames")
    msd /= counts
    dists = np.concatenate(dists) if dists else np.zeros((1, 0))
    scale = float(np.sqrt(np.mean(np.concatenate(disp) ** 2)))
    return msd, dists.std(axis=0), scale, dists.mean(axis=0)
