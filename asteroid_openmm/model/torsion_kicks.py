"""Torsion kicks: thermal angular velocities about rotatable bonds, added to each forecast of a chain.

A forecaster trained on a squared error predicts the mean of the possible
futures. Where the futures branch, as at a torsional barrier (cross it or
turn back), that mean does neither, and a chain of such forecasts, each fed
its predecessor's output, loses the torsional motion. Measured with the
shipped ethanol model on 300 real windows (8 chained forecasts of 16 frames,
5 fs apart): the hydroxyl torsion had moved by 40 / 55 / 69 degrees rms after
32 / 64 / 128 frames, against 71 / 85 / 94 in real MD, and in 100 ps hybrid
runs its gauche/trans transitions came 3-6x less often than in plain MD, so
its state populations came out far off (docs/benchmarks.md, thirteenth
session).

A kick puts back the motion in the degrees of freedom that lost it and
nowhere else. Each forecast's frames are turned about every rotatable bond
(the lighter side turns) at a random angular velocity, drawn per forecast
and bond from the Maxwell-Boltzmann distribution of that rotation,
``sqrt(kT / I)`` with ``I`` the turning side's moment of inertia about the
bond, times a scale; the next forecast of the chain sees the kicked frames
as its context and carries the motion on (or turns it back) as the model's
dynamics dictate. A rotation about a bond keeps every bond length and bond
angle, so the fast modes and the bond guard are untouched. Offline, a scale
of 0.5 brought the ethanol hydroxyl's spread to 71 / 85 / 97 degrees.

This is a stochastic closure, not part of the model: it restores the
variance that averaging removed at the cost of an assumption (that the
missing motion is thermal rotation about single bonds). Its effect on the
sampled ensemble is measured by ``benchmarks/hybrid.py``, not guaranteed.
"""

from __future__ import annotations

import numpy as np
import torch

#: Boltzmann constant in OpenMM units: kJ/mol/K = amu nm^2 ps^-2 K^-1.
BOLTZMANN_KJ_PER_MOL_K = 0.0083144626


def rotatable_bonds(bonds, n_atoms: int) -> list[tuple[int, int, np.ndarray]]:
    """Bonds whose two sides can turn against each other, with the side that turns.

    A bond is rotatable when it lies on no ring (removing it splits the bond
    graph) and both its atoms have other neighbours (turning a terminal atom
    about its own bond moves nothing).

    Parameters
    ----------
    bonds : int array [nb, 2]
    n_atoms : int

    Returns
    -------
    list of (a, b, moving)
        The bond's atoms and the indices of the side holding ``b``, the side
        with fewer atoms.
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(n_atoms))
    graph.add_edges_from(map(tuple, np.asarray(bonds, np.int64).reshape(-1, 2).tolist()))
    out = []
    for a, b in sorted(tuple(sorted(e)) for e in nx.bridges(graph)):
        if graph.degree[a] < 2 or graph.degree[b] < 2:
            continue
        graph.remove_edge(a, b)
        side_a, side_b = nx.node_connected_component(graph, a), nx.node_connected_component(graph, b)
        graph.add_edge(a, b)
        if len(side_a) < len(side_b):  # turn the side with fewer atoms
            a, b, side_b = b, a, side_a
        out.append((int(a), int(b), np.array(sorted(side_b), np.int64)))
    return out


class TorsionKicks:
    """Thermal angular-velocity kicks about the rotatable bonds of a molecule.

    Parameters
    ----------
    bonds : int array [nb, 2]
    masses_amu : array [N]
        Atomic masses (amu).
    positions_nm : array [N, 3]
        A typical frame (nm), for each turning side's moment of inertia.
    temperature_k : float
        Bath temperature (K).
    frame_interval_ps : float
        Time between forecast frames (ps).
    """

    def __init__(self, bonds, masses_amu, positions_nm, temperature_k: float, frame_interval_ps: float):
        x = np.asarray(positions_nm, np.float64)
        m = np.asarray(masses_amu, np.float64)
        if x.shape != (len(m), 3):
            raise ValueError(f"positions_nm must be ({len(m)}, 3) to match the masses, got {x.shape}")
        self.torsions = rotatable_bonds(bonds, len(m))
        kt = BOLTZMANN_KJ_PER_MOL_K * float(temperature_k)
        steps = []
        for a, b, moving in self.torsions:
            axis = (x[b] - x[a]) / np.linalg.norm(x[b] - x[a])
            r = x[moving] - x[a]
            r_perp = r - (r @ axis)[:, None] * axis
            inertia = float(np.sum(m[moving] * np.sum(r_perp**2, axis=1)))  # amu nm^2
            steps.append(np.sqrt(kt / max(inertia, 1e-6)) * float(frame_interval_ps))
        #: Thermal (rms) angle, radians, that each rotatable bond turns in one frame interval.
        self.thermal_step = np.array(steps, np.float64)

    def __len__(self) -> int:
        return len(self.torsions)

    def apply(self, frames: torch.Tensor, scale: float) -> torch.Tensor:
        """Turn each rotatable bond's lighter side at a random angular velocity, uniformly over the frames.

        Parameters
        ----------
        frames : Tensor [B, F, N, 3]
            Consecutive forecast frames (nm) of B independent trajectories.
        scale : float
            Angular-velocity sd as a fraction of the thermal one; 0 returns the frames unchanged.
            Draws come from torch's global generator on the frames' device (seed it for reproducibility).

        Returns
        -------
        Tensor [B, F, N, 3]: frame ``f`` turned by ``omega * (f + 1)`` frame
        intervals about each bond, one ``omega`` per trajectory and bond.
        Bond lengths and bond angles are unchanged.
        """
        if scale <= 0 or not self.torsions:
            return frames
        out = frames.clone()
        n_traj, n_frames = frames.shape[:2]
        omega = torch.randn((n_traj, 1, len(self.torsions)), device=frames.device, dtype=frames.dtype)
        omega = omega * torch.as_tensor(scale * self.thermal_step, device=frames.device, dtype=frames.dtype)
        ticks = torch.arange(1, n_frames + 1, device=frames.device, dtype=frames.dtype)[None, :, None]
        angles = omega * ticks  # [B, F, T]
        for t, (a, b, moving) in enumerate(self.torsions):
            origin = out[:, :, a : a + 1]  # [B, F, 1, 3]
            axis = out[:, :, b : b + 1] - origin
            axis = axis / torch.linalg.norm(axis, dim=-1, keepdim=True)
            idx = torch.as_tensor(moving, device=frames.device)
            r = out[:, :, idx] - origin
            cos, sin = torch.cos(angles[:, :, t, None, None]), torch.sin(angles[:, :, t, None, None])
            # Rodrigues' rotation of r about the unit axis.
            turned = (r * cos + torch.cross(axis.expand_as(r), r, dim=-1) * sin
                      + axis * torch.sum(axis * r, dim=-1, keepdim=True) * (1 - cos))
            out[:, :, idx] = origin + turned
        return out
