"""Torsion kicks: thermal angular velocities about rotatable bonds, given to the context of chained forecasts.

A forecaster trained on a squared error predicts the mean of the possible
futures. Where the futures branch, as at a torsional barrier (cross it or
turn back), that mean does neither, and a chain of such forecasts, each fed
its predecessor's output, loses the torsional motion. Measured with the
shipped ethanol model on 300 real windows (8 chained forecasts of 16 frames,
5 fs apart): the hydroxyl torsion had moved by 40 / 54 / 68 degrees rms after
32 / 64 / 128 frames, against 71 / 84 / 94 in real MD, and in 100 ps hybrid
runs its gauche/trans transitions came 3-5x less often than in plain MD, so
its state populations came out far off (docs/benchmarks.md, thirteenth
session).

A kick gives back motion in the degrees of freedom that lost it and nowhere
else. Before each chained forecast after the first, its context (the model's
own earlier frames) is turned about every rotatable bond (the lighter side
turns) so that it arrives at its unchanged last frame with an extra angular
velocity, drawn per forecast and bond from the Maxwell-Boltzmann
distribution of that rotation, ``sqrt(kT / I)`` with ``I`` the turning
side's moment of inertia about the bond, times a scale. What follows is the
model's own forecast from that context: the model's learned dynamics carry
the motion on over the barrier or turn it back. A rotation about a bond
keeps every bond length and bond angle. Offline (the windows above), a scale
of 1 brought the hydroxyl to 61 / 79 / 96 degrees and the methyl (27 / 39 /
44 in real MD) from 15 / 24 / 41 to 22 / 33 / 52. Turning the forecast
frames themselves instead (a constant angular velocity over each forecast)
also restored the transitions, but in 100 ps ethanol runs (scale 0.5, two
seeds) it raised the mean potential energy by another 5-8 kJ/mol and the
dihedral divergence about 4-fold: the played-back frames crossed barriers at
a steady pace that ignores the potential.

The bonds are turned one after another (one batched rotation each), so a
kick costs time in proportion to the number of rotatable bonds: fine for
small molecules, unmeasured for proteins.

This is a stochastic closure, not part of the model: it restores the motion
that averaging removed under an assumption (that the missing motion is
thermal rotation about single bonds). Measured in 100 ps ethanol runs at a
scale of 1: rotor transitions and state populations as in plain MD, but
torsion wells about twice as populated near their barriers, mean energy
10-11 kJ/mol above the reference and dihedral divergences worse than
without kicks, so the integrator leaves it off by default.
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

    def kick_context(self, context: torch.Tensor, scale: float) -> torch.Tensor:
        """Give a context a random angular velocity about each rotatable bond, keeping its last frame.

        Parameters
        ----------
        context : Tensor [B, F, N, 3]
            Consecutive frames (nm) of B independent trajectories.
        scale : float
            Angular-velocity sd as a fraction of the thermal one; 0 returns the context unchanged.
            Draws come from torch's global generator on the context's device (seed it for reproducibility).

        Returns
        -------
        Tensor [B, F, N, 3]: frame ``f`` turned by ``-omega * (F - 1 - f)``
        frame intervals about each bond, one ``omega`` per trajectory and
        bond, so the frames approach the unchanged last one at angular
        velocity ``omega`` on top of their own motion. Bond lengths and bond
        angles are unchanged.
        """
        if scale <= 0 or not self.torsions:
            return context
        out = context.clone()
        n_traj, n_frames = context.shape[:2]
        omega = torch.randn((n_traj, 1, len(self.torsions)), device=context.device, dtype=context.dtype)
        omega = omega * torch.as_tensor(scale * self.thermal_step, device=context.device, dtype=context.dtype)
        ticks_back = torch.arange(n_frames - 1, -1, -1, device=context.device, dtype=context.dtype)[None, :, None]
        angles = -omega * ticks_back  # [B, F, T]
        for t, (a, b, moving) in enumerate(self.torsions):
            origin = out[:, :, a : a + 1]  # [B, F, 1, 3]
            axis = out[:, :, b : b + 1] - origin
            axis = axis / torch.linalg.norm(axis, dim=-1, keepdim=True)
            idx = torch.as_tensor(moving, device=context.device)
            r = out[:, :, idx] - origin
            cos, sin = torch.cos(angles[:, :, t, None, None]), torch.sin(angles[:, :, t, None, None])
            # Rodrigues' rotation of r about the unit axis.
            turned = (r * cos + torch.cross(axis.expand_as(r), r, dim=-1) * sin
                      + axis * torch.sum(axis * r, dim=-1, keepdim=True) * (1 - cos))
            out[:, :, idx] = origin + turned
        return out
