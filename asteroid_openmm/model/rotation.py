"""Whole-molecule rotation for the tumbling-frame read-out.

A molecule in vacuum tumbles: its angular momentum is conserved by the
internal forces and decays only with the thermostat's friction, so over a
forecast horizon the whole molecule turns through a *finite* angle that its
recent rotation predicts well. A read-out that is linear in displacements can
only represent an infinitesimal rotation ``omega x r``, which moves atoms along
the tangent and stretches the molecule by ``|r| theta^2 / 2`` (0.1-0.2 A for
alanine dipeptide at 320 fs). The model therefore predicts each future frame
in a frame that turns with the predicted rotation (its linear parts are fitted
to the de-rotated targets) and rotates the prediction by the finite rotation
``exp(theta)`` at the end.

Rotation vectors here come from the *mass-weighted* rigid fit: the physical,
angular-momentum-like rotation, in which light hydrogens and their fast
librations count little. Every function is equivariant under O(3): a rotation
vector is a pseudo-vector, and ``exp`` of it transforms as ``Q R Q^T``.
All lengths are in nm; masses in Da (only their ratios matter).
"""

from __future__ import annotations

import torch


def centre_of_mass(x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Mass-weighted centre [..., 1, 3] of frames ``x`` [..., N, 3] (``weights`` [N], e.g. masses)."""
    # Normalised here, in x's precision: weights stored in float32 do not sum to 1 in float64,
    # and the centre would then not move exactly with a translation.
    return (torch.einsum("...ni,n->...i", x, weights) / weights.sum())[..., None, :]


def angular_displacement(x_to: torch.Tensor, x_from: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Small-angle rotation vector that best carries ``x_from`` onto ``x_to`` (mass-weighted least squares).

    Solves ``min_w sum_i m_i |d_i - w x r_i|^2`` with ``r`` the centred
    ``x_to`` and ``d`` the change of the centred positions: ``J w = sum_i m_i
    r_i x d_i`` with ``J`` the inertia tensor. Exact to first order in the
    angle; used as a feature, so its second-order error is absorbed by the
    fitted coefficients. No host synchronisation (``inv_ex``).

    Parameters
    ----------
    x_to, x_from : Tensor [..., N, 3]
    weights : Tensor [N]
        Atomic masses (only their ratios matter).

    Returns
    -------
    Tensor [..., 3] (radians; a pseudo-vector)
    """
    r = x_to - centre_of_mass(x_to, weights)
    d = r - (x_from - centre_of_mass(x_from, weights))
    eye = torch.eye(3, dtype=x_to.dtype, device=x_to.device)
    weights = weights / weights.sum()
    rr = torch.einsum("n,...ni,...nj->...ij", weights, r, r)
    j = torch.diagonal(rr, dim1=-2, dim2=-1).sum(-1)[..., None, None] * eye - rr
    # Regularised for linear molecules (and for a single atom): never singular.
    j = j + 1e-6 * (torch.diagonal(j, dim1=-2, dim2=-1).sum(-1)[..., None, None] + 1e-12) * eye
    torque = torch.einsum("n,...ni->...i", weights, torch.linalg.cross(r, d, dim=-1))
    return (torch.linalg.inv_ex(j).inverse @ torque[..., None])[..., 0]


def rotation_matrix(rotvec: torch.Tensor) -> torch.Tensor:
    """Rotation matrices [..., 3, 3] of rotation vectors [..., 3] (Rodrigues; smooth at zero)."""
    theta2 = (rotvec * rotvec).sum(-1)[..., None, None]
    theta = theta2.sqrt()
    small = theta2 < 1e-8
    safe = torch.where(small, torch.ones_like(theta), theta)
    a = torch.where(small, 1 - theta2 / 6, torch.sin(safe) / safe)
    b = torch.where(small, 0.5 - theta2 / 24, (1 - torch.cos(safe)) / (safe * safe))
    x, y, z = rotvec.unbind(-1)
    zero = torch.zeros_like(x)
    k = torch.stack([zero, -z, y, z, zero, -x, -y, x, zero], dim=-1).view(*rotvec.shape[:-1], 3, 3)
    eye = torch.eye(3, dtype=rotvec.dtype, device=rotvec.device)
    return eye + a * k + b * (k @ k)


def rotation_between(x_from: torch.Tensor, x_to: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Finite rotation vector [..., 3] of the mass-weighted Kabsch fit of ``x_from`` onto ``x_to``.

    ``x_to - c_to ~ R (x_from - c_from)`` with ``R = rotation_matrix(result)``.
    Float64 SVD; for fitting (it synchronises with the host on CUDA), not for
    the forward pass.
    """
    a = (x_from - centre_of_mass(x_from, weights)).double()
    b = (x_to - centre_of_mass(x_to, weights)).double()
    a, b = torch.broadcast_tensors(a, b)
    h = torch.einsum("n,...ni,...nj->...ij", weights.double(), b, a)  # sum m b a^T
    u, _, vt = torch.linalg.svd(h)
    det = torch.linalg.det(u @ vt)
    flip = torch.ones_like(u[..., 0, :])
    flip[..., -1] = torch.where(det < 0, -1.0, 1.0)
    r = u @ (flip[..., :, None] * vt)
    # Matrix logarithm: the antisymmetric part is sin(theta) * axis.
    v = torch.stack([r[..., 2, 1] - r[..., 1, 2], r[..., 0, 2] - r[..., 2, 0], r[..., 1, 0] - r[..., 0, 1]], -1) / 2
    sin = v.norm(dim=-1, keepdim=True)
    cos = ((torch.diagonal(r, dim1=-2, dim2=-1).sum(-1, keepdim=True) - 1) / 2).clamp(-1, 1)
    theta = torch.atan2(sin, cos)
    scale = torch.where(sin > 1e-12, theta / sin.clamp(min=1e-12), torch.ones_like(sin))
    return (v * scale).to(x_from.dtype)


def rotate_about_centre(y: torch.Tensor, rot: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Frames ``y`` [..., N, 3] turned by ``rot`` [..., 3, 3] about their own centre of mass."""
    c = centre_of_mass(y, weights)
    return c + (y - c) @ rot.transpose(-1, -2)
