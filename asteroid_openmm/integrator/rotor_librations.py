"""Thermal librations of symmetric terminal rotors (methyl groups and the like) for forecast frames.

A symmetric terminal rotor is a centre atom ``A`` bound to one other
non-terminal atom ``B`` and to ``k >= 2`` terminal atoms of one element (a
methyl or ammonium group, ``k = 3``; a carboxylate, ``k = 2``). Its
orientation about the ``B-A`` axis has period ``360 / k`` degrees: one
conformation for each of its ``k`` wells. Within a well it librates, and
chained forecasts do not keep the amplitude of that libration: measured
with the shipped ethanol model on 200 real windows, 8 chained forecasts of
16 frames, the sd of the methyl's phase within its well went 15.3, 13.4,
13.2 ... 19.4, 21.9 degrees from the first forecast to the last (plain MD:
18.0; mirror-averaged chains 11-18). In 100 ps hybrid runs the methyl
torsions carried most of the dihedral divergence (docs/benchmarks.md,
fifteenth session).

The libration is the rotor's analogue of a bond vibration: the forecast's
slow part (which well; a hop to the next one) is what the model is for, and
the amplitude within the well is best taken from real MD.
:class:`RotorLibrations` turns each such group of a forecast frame rigidly
about its ``B-A`` axis so that its phase modulo ``360 / k`` becomes that of a
randomly drawn real-MD frame. The turn is the one of least size (at most
``180 / k`` degrees), so the group stays in the well nearest to the
forecast's (a forecast frame on a barrier goes to either side). A rigid
turn about the axis keeps every bond length and bond angle, and so the
1-2 / 1-3 distances set by :mod:`~asteroid_openmm.integrator.fast_modes`.

The donors must be thermal and many: offline, a few hundred independent
real frames bring the methyl torsions of chained forecasts to about their
plain-MD divergence, 64 make them worse. In the integrator the donors are
its own anchor frames, and an anchor phase carries its landing frame's
phase on (correlation 0.85 on ethanol), so the landing phases must be
thermal first: :meth:`RotorLibrations.metropolis` samples them from their
Boltzmann distribution under the real potential (``rotor_mc_steps``).

The phase of a group is permutation-invariant (the circular mean of ``k``
times its terminal atoms' dihedrals ``T-A-B-C`` about a fixed reference
neighbour ``C`` of ``B``), so relabelled or hopped groups are handled alike.

Units: nm, degrees for phases.
"""

from __future__ import annotations

import numpy as np

from ..evaluation.metrics import dihedrals
from ..trajectories.bonds import _neighbours


def symmetric_terminal_rotors(bonds, atomic_numbers) -> list[tuple[int, int, int, np.ndarray]]:
    """The system's symmetric terminal rotors as ``(centre A, axis atom B, reference C, terminal atoms)``.

    ``A`` has exactly one non-terminal neighbour ``B`` and at least two
    terminal neighbours, all of one element; ``B`` needs another neighbour
    ``C`` (the heaviest, then the lowest index) to measure the rotor's phase
    against. Groups whose rotation about ``B-A`` moves nothing relative to
    the rest of the molecule (``B`` without another neighbour) are left out.
    """
    z = np.asarray(atomic_numbers)
    neighbours = _neighbours(np.asarray(bonds, np.int64).reshape(-1, 2))
    rotors = []
    for a in sorted(neighbours):
        nbr = neighbours[a]
        terminal = [t for t in nbr if len(neighbours[t]) == 1]
        inner = [b for b in nbr if len(neighbours[b]) > 1]
        if len(inner) != 1 or len(terminal) < 2 or len(terminal) != len(nbr) - 1:
            continue
        if len({int(z[t]) for t in terminal}) != 1:
            continue
        b = inner[0]
        others = [c for c in neighbours[b] if c != a]
        if not others:
            continue
        c = heaviest(others, z)
        rotors.append((a, b, c, np.array(sorted(terminal), np.int64)))
    return rotors


def heaviest(candidates, atomic_numbers) -> int:
    """The heaviest of the candidate atoms (lowest index on ties): a label-stable reference for dihedrals."""
    return min(candidates, key=lambda i: (-int(atomic_numbers[i]), i))


class RotorLibrations:
    """Give the symmetric terminal rotors of forecast frames the libration phases of real frames.

    Parameters
    ----------
    bonds : int array [nb, 2]
        Bonded atom pairs of the system.
    atomic_numbers : int array [N]
    """

    def __init__(self, bonds, atomic_numbers):
        self.rotors = symmetric_terminal_rotors(bonds, atomic_numbers)
        #: ``(tail, head, atoms, proposal sd in radians)`` of each rotor, for :func:`metropolis_turns`
        self.turns = [(b, a, terminal, np.radians(360.0 / len(terminal) / 6.0)) for a, b, _, terminal in self.rotors]

    def __len__(self) -> int:
        return len(self.rotors)

    @property
    def terminal_atoms(self) -> np.ndarray:
        """The terminal atoms of every rotor, one int array (empty if there are no rotors)."""
        return np.concatenate([terminal for _, _, _, terminal in self.rotors] or [np.zeros(0, np.int64)])

    def _terminal_dihedrals(self, frames: np.ndarray, rotor: int) -> np.ndarray:
        """Dihedrals ``T-A-B-C`` (radians) of a rotor's terminal atoms in frames [F, N, 3] (nm) -> [F, k]."""
        a, b, c, terminal = self.rotors[rotor]
        k = len(terminal)
        quads = np.stack([terminal, np.full(k, a), np.full(k, b), np.full(k, c)], axis=1)
        return np.radians(dihedrals(np.asarray(frames, np.float64), quads))

    def phases(self, frames: np.ndarray) -> np.ndarray:
        """Phases (degrees, in [0, 360/k)) of every rotor in frames [F, N, 3] (nm) -> [F, n_rotors]."""
        frames = np.asarray(frames, np.float64)
        out = np.empty((len(frames), len(self.rotors)))
        for r, (_, _, _, terminal) in enumerate(self.rotors):
            k = len(terminal)
            phi = self._terminal_dihedrals(frames, r)  # [F, k]
            mean = np.angle(np.exp(1j * k * phi).sum(axis=1)) / k  # circular mean of k*phi, over k
            out[:, r] = np.degrees(mean) % (360.0 / k)
        return out

    def set_phases(self, frames: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Frames [F, N, 3] (nm) with each rotor turned by the least angle to its target phase [F, n_rotors] (deg)."""
        x = np.array(frames, np.float64)
        current = self.phases(x)
        for r, (a, b, _, terminal) in enumerate(self.rotors):
            period = 360.0 / len(terminal)
            turn = (np.asarray(targets)[:, r] - current[:, r] + period / 2) % period - period / 2
            x[:, terminal] = _turn_about_axis(x[:, terminal], x[:, b], x[:, a], np.radians(turn))
        return x

    def turns_between(self, before: np.ndarray, after: np.ndarray) -> np.ndarray:
        """The rigid turn of each rotor from frame ``before`` to frame ``after`` ([N, 3] nm) -> [n_rotors] radians.

        Measured on the labelled terminal atoms (the circular mean of their
        dihedral changes ``T-A-B-C``), not modulo the period: the angle for
        :func:`apply_turns` that takes ``before``'s group to ``after``'s.
        """
        out = np.zeros(len(self.rotors))
        pair = np.stack([before, after])
        for r in range(len(self.rotors)):
            phi = self._terminal_dihedrals(pair, r)  # [2, k]
            out[r] = np.angle(np.exp(1j * (phi[1] - phi[0])).sum())
        return out

    def __call__(self, frames: np.ndarray, donors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Frames [F, N, 3] (nm) with rotor phases drawn from donor frames [K, N, 3] (nm).

        Each frame takes the phases of one random donor (all rotors from the
        same donor, so rotors that move together keep doing so).
        """
        frames = np.asarray(frames, np.float64)
        if not self.rotors or len(donors) == 0 or len(frames) == 0:
            return frames.copy()
        donor_phases = self.phases(np.asarray(donors, np.float64))
        return self.set_phases(frames, donor_phases[rng.integers(len(donor_phases), size=len(frames))])

    def metropolis(self, frame: np.ndarray, energy, kT: float, steps: int, rng: np.random.Generator,
                   current_energy: float | None = None,
                   max_proposals: int | None = None) -> tuple[np.ndarray, float, int, np.ndarray]:
        """Metropolis moves of each rotor's phase in one frame under the real potential.

        Each step proposes turning one rotor (in turn) by a Gaussian angle of
        sd ``period / 6``, so the phases are sampled from their Boltzmann
        distribution given the rest of the frame. ``steps`` proposals per
        rotor; arguments and result as :func:`metropolis_turns`.
        """
        return metropolis_turns(frame, energy, kT, steps, rng, self.turns, current_energy, max_proposals)


def context_energy(context, groups: int = -1):
    """``energy(frame [N, 3] nm) -> kJ/mol`` for :func:`metropolis_turns`: the potential energy of ``groups`` (a
    force-group bit mask; -1 = all) with ``frame`` set as the Context's positions.

    The caller restores the Context's positions. Gradients are enabled because openmm-torch differentiates its
    potential even for an energy, and callers (forecast rollouts) may run under ``torch.no_grad``.
    """
    import torch

    from asteroid_openmm._openmm import import_openmm

    kj_per_mol = import_openmm().unit.kilojoule_per_mole

    def energy(x):
        context.setPositions(x)  # a rigid turn about a bond keeps constrained distances
        with torch.enable_grad():
            return context.getState(getEnergy=True, groups=groups).getPotentialEnergy().value_in_unit(kj_per_mol)

    return energy


def metropolis_turns(frame: np.ndarray, energy, kT: float, steps: int, rng: np.random.Generator, turns,
                     current_energy: float | None = None, max_proposals: int | None = None,
                     proposals=None) -> tuple[np.ndarray, float, int, np.ndarray]:
    """Metropolis moves that turn groups of atoms rigidly about bond axes, under the real potential.

    Each step proposes, for each ``(tail, head, atoms, sd)`` of ``turns`` in
    turn, a rigid turn of ``atoms`` about the ``tail -> head`` axis by a
    Gaussian angle of sd ``sd`` (radians), accepted with
    ``min(1, exp(-dU / kT))``: a symmetric proposal, so those torsions are
    sampled from their Boltzmann distribution given the rest of the frame.
    A turn about a bond keeps every bond length and angle not at its axis.
    A group with an entry in ``proposals`` draws its turn from that instead
    (Metropolis-Hastings: ``propose(frame, rng) -> (angle radians, log
    q(now) - log q(proposed))``, accepted with
    ``min(1, exp(-dU / kT + log ratio))``; a rigid turn keeps volume, so no
    Jacobian enters).

    Parameters
    ----------
    frame : array [N, 3]
        nm.
    energy : callable
        ``energy(frame [N, 3] nm) -> potential energy (kJ/mol)``.
    kT : float
        kJ/mol.
    steps : int
        Proposals per turn.
    turns : list of (int, int, int array, float)
    current_energy : float, optional
        The frame's energy (kJ/mol), if known; else evaluated.
    max_proposals : int, optional
        A budget of energy evaluations. Where ``steps * len(turns)`` exceeds
        it (a large molecule with many groups), each of ``max_proposals``
        proposals turns a uniformly drawn group instead (random scan, still
        a valid Metropolis chain), so the cost stays bounded.
    proposals : list of callables or None, optional
        Per group of ``turns``: its proposal (see above), or None for the
        Gaussian turn.

    Returns
    -------
    (frame [N, 3] nm, its energy kJ/mol, proposals accepted, net turn of each group [len(turns)] radians)
        ``apply_turns(frame, turns, net)`` gives the returned frame: rigid
        turns about bonds change only the torsion about their own bond, so
        their order does not matter.
    """
    x = np.array(frame, np.float64)
    u = float(energy(x)) if current_energy is None else float(current_energy)
    accepted, net = 0, np.zeros(len(turns))
    order = [g for _ in range(int(steps)) for g in range(len(turns))]
    if max_proposals is not None and len(order) > max_proposals:
        order = rng.integers(len(turns), size=int(max_proposals)).tolist()
    for g in order:
        tail, head, atoms, sd = turns[g]
        propose = proposals[g] if proposals is not None else None
        angle, log_ratio = (rng.normal(0.0, sd), 0.0) if propose is None else propose(x, rng)
        trial = x.copy()
        trial[atoms] = _turn_about_axis(x[None, atoms], x[None, tail], x[None, head], np.array([angle]))[0]
        u_trial = float(energy(trial))
        if np.isfinite(u_trial) and rng.random() < np.exp(min(0.0, -(u_trial - u) / kT + log_ratio)):
            x, u = trial, u_trial
            accepted += 1
            net[g] += angle
    return x, u, accepted, net


def apply_turns(frames: np.ndarray, turns, angles) -> np.ndarray:
    """Frames [F, N, 3] (nm) with each group of ``turns`` turned rigidly about its bond by ``angles``.

    ``angles`` (radians): [len(turns)], the same for every frame (this
    carries the net turns of :func:`metropolis_turns` on one frame over to
    others), or [F, len(turns)], one row per frame.
    """
    x = np.array(frames, np.float64)
    per_frame = np.broadcast_to(np.asarray(angles, np.float64), (len(x), len(turns)))
    for (tail, head, atoms, _), angle in zip(turns, per_frame.T):
        if np.any(angle):
            x[:, atoms] = _turn_about_axis(x[:, atoms], x[:, tail], x[:, head], angle)
    return x


def _turn_about_axis(points, tail, head, angle):
    """points [F, m, 3] turned by angle [F] (radians) about the axis tail -> head [F, 3] (Rodrigues).

    The sense is the one that raises a dihedral ``point - head - tail - X`` by ``angle``.
    """
    axis = head - tail
    u = axis / np.linalg.norm(axis, axis=-1, keepdims=True)
    p = points - head[:, None]
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    uu = u[:, None]
    rotated = p * cos + np.cross(uu, p) * sin + uu * np.sum(uu * p, axis=-1, keepdims=True) * (1 - cos)
    return rotated + head[:, None]
