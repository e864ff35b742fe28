"""STI (spatiotemporal information) transformation: delay embeddings and their Hankel structure.

From each anchor time ``t`` of the context the model predicts the delay
embedding of the target series, the next ``L`` frames ``y[t+1], ..., y[t+L]``.
Stacking the delay embeddings of ``M`` consecutive anchors gives a Hankel
matrix: entry ``(m, l)`` (anchor ``T - m``, delay ``l + 1``) is a prediction of
frame ``T - m + l + 1``, so every anti-diagonal holds ``M`` independent
predictions of the same frame. Their agreement is trained for, they are
averaged at inference, and their spread is a free uncertainty estimate.

Conventions used throughout: anchors are indexed ``m = 0 .. M-1`` counting
back from the last context frame ``T`` (``m = 0`` is ``T`` itself); delays are
indexed ``l = 0 .. L-1`` meaning ``l + 1`` frames after the anchor; with
``L = H + M - 1`` every anchor reaches the last forecast frame ``T + H``.
"""

from __future__ import annotations

import torch


def delay_length(horizon: int, n_anchors: int) -> int:
    """Delay-embedding length ``L`` so that all ``n_anchors`` anchors reach frame ``T + horizon``."""
    return horizon + n_anchors - 1


def hankel_target_index(horizon: int, n_anchors: int, device=None) -> torch.Tensor:
    """Delay index used by each anchor for each forecast frame.

    Built on ``device`` (default CPU), so a GPU forward pass needs no upload.

    Returns
    -------
    torch.LongTensor [n_anchors, horizon]
        ``idx[m, k]`` is the delay index ``l`` at which anchor ``m`` predicts
        forecast frame ``T + k + 1``: ``l = k + m``.
    """
    m = torch.arange(n_anchors, device=device)[:, None]
    k = torch.arange(horizon, device=device)[None, :]
    return k + m


def gather_forecast_views(anchor_predictions: torch.Tensor, horizon: int) -> torch.Tensor:
    """Pick, from each anchor's delay embedding, its prediction of every forecast frame.

    Parameters
    ----------
    anchor_predictions : Tensor [B, M, L, N, 3]
        Delay-embedding predictions of the ``M`` anchors.
    horizon : int
        Number of future frames ``H`` (``L`` must equal ``H + M - 1``).

    Returns
    -------
    Tensor [B, M, H, N, 3]
        ``views[:, m, k]`` is anchor ``m``'s prediction of frame ``T + k + 1``:
        the anti-diagonals of the Hankel matrix, aligned.
    """
    b, m, l, n, _ = anchor_predictions.shape
    if l != delay_length(horizon, m):
        raise ValueError(f"delay length {l} != horizon {horizon} + anchors {m} - 1")
    idx = hankel_target_index(horizon, m, anchor_predictions.device)
    idx = idx[None, :, :, None, None].expand(b, m, horizon, n, 3)
    return torch.gather(anchor_predictions, 2, idx)


def combine_views(views: torch.Tensor, weights: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Combine the overlapping predictions of each forecast frame.

    Parameters
    ----------
    views : Tensor [B, M, H, N, 3]
        Aligned predictions (see :func:`gather_forecast_views`), nm.
    weights : Tensor [M, H], optional
        Non-negative weight of each anchor for each frame, summing to one over
        anchors (older anchors forecast from less information, so an equal
        average is rarely best). Default: equal weights.

    Returns
    -------
    forecast : Tensor [B, H, N, 3]
        Weighted mean over the ``M`` views (nm).
    spread : Tensor [B, H]
        Root-mean-square over atoms of the per-atom (weighted) standard
        deviation of the views (nm): zero when all anchors agree.
    """
    m = views.shape[1]
    if weights is None:
        weights = views.new_full((m, views.shape[2]), 1.0 / m)
    wv = weights[None, :, :, None, None]
    forecast = (wv * views).sum(dim=1)
    var = (wv * (views - forecast[:, None]) ** 2).sum(dim=(1, -1))  # [B, H, N]
    spread = var.mean(dim=-1).sqrt()
    return forecast, spread


def hankel_disagreement(views: torch.Tensor) -> torch.Tensor:
    """Mean squared deviation of the views from their mean, per window and frame: [B, H] (nm^2)."""
    mean = views.mean(dim=1, keepdim=True)
    return ((views - mean) ** 2).sum(dim=-1).mean(dim=(1, 3))
