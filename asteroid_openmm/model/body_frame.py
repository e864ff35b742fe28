"""Body-frame alignment for the whole-molecule linear prior.

A forecaster that is linear in *Cartesian* coordinates can couple every atom
to every other one (normal modes, collective motion) but is not rotation
equivariant. Expressing the coordinates in a frame that rotates with the
molecule fixes that: align each anchor frame onto a fixed reference
structure (Kabsch), forecast in that body frame, rotate the forecast back.
Rotating the input by ``Q`` rotates the alignment by ``Q`` too, so the
forecast rotates exactly with the input; translations are removed by
centring. The alignment uses proper rotations only (no reflections): for
planar molecules the best improper alignment is not unique.
"""

from __future__ import annotations

import torch


def kabsch_rotation(x: torch.Tensor, reference: torch.Tensor) -> torch.Tensor:
    """Proper rotation that best aligns centred structures onto a reference.

    Parameters
    ----------
    x : Tensor [..., N, 3]
        Centred structures (nm).
    reference : Tensor [N, 3]
        Centred reference structure (nm).

    Returns
    -------
    Tensor [..., 3, 3]
        ``R`` with ``det R = +1`` minimising ``|x @ R - reference|``. Computed
        in float64 (the SVD of a 3x3 matrix is cheap) and returned in
        ``x.dtype``; no gradient flows through it (it depends on the input
        only, not on parameters).
    """
    with torch.no_grad():
        h = torch.einsum("...ni,nj->...ij", x.double(), reference.double())
        u, _, vt = torch.linalg.svd(h)
        # Flip the last singular direction where U V^T would be a reflection.
        r = u @ vt
        # det(r) as the triple product: linalg.det would cost a GPU->host sync.
        det = (torch.linalg.cross(r[..., 0, :], r[..., 1, :]) * r[..., 2, :]).sum(-1)
        sign = torch.sign(det)
        sign = torch.where(sign == 0, torch.ones_like(sign), sign)
        u = torch.cat([u[..., :2], u[..., 2:] * sign[..., None, None]], dim=-1)
        return (u @ vt).to(x.dtype)
