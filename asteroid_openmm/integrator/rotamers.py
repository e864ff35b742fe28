"""Rotamers: torsions that tell them apart, rotamer-matched fast-mode donors, Metropolis moves of rotamer torsions.

:mod:`~asteroid_openmm.integrator.fast_modes` gives each forecast frame the
1-2 / 1-3 distances (bond lengths and angles) of a random real frame. But
bond angles depend on the rotamer a molecule is in: in 100 ps of ANI-1x
ethanol MD at 500 K the C-C-O angle averages 107.6 degrees with the hydroxyl
trans and 112.6 gauche, the H-C-O angles 110.8 and 108.1. Distances copied
from a donor in another rotamer strain the target. Measured on 400 and 600
frames of that run, each given the distances of another of its frames: the
energy rose by 3.5 ± 0.9 and 3.7 ± 0.7 kJ/mol with a random donor, by
1.3 ± 0.9 and 0.6 ± 0.7 with one whose hydroxyl torsion lies within 60
degrees of the target's. In 100 ps hybrid runs this strain was most of the
played-back frames' energy excess over plain MD (docs/benchmarks.md,
sixteenth session).

:meth:`Rotamers.choose` draws each frame's donor among the real frames whose
every rotatable torsion lies within ``half_width`` degrees of the frame's
(circular difference): the same well of a threefold (sp3) or twofold (sp2)
torsion for a frame at the well's centre, with no bin edges to place. Where
no donor matches on every torsion (large molecules, few donors), the draw is
among those matching on the most. A rotatable torsion is one about a bond on
no ring between two non-terminal atoms, measured between the heaviest other
neighbour of each end; bonds that only turn a symmetric terminal rotor (a
methyl group) are left out, since its phase is not a rotamer (see
:mod:`~asteroid_openmm.integrator.rotor_librations`).

Chained forecasts turn rotamer torsions too slowly (ethanol's hydroxyl:
1.0-1.5 gauche/trans transitions per ps in 100 ps hybrids against 3.0-3.9
in plain MD) and drift them towards one well. :meth:`Rotamers.metropolis`
gives a landing frame Metropolis moves of its rotamer torsions under the
real potential (the lighter side of each bond turns rigidly), so its
torsions are drawn from their Boltzmann distribution given the rest of the
frame, as ``rotor_mc_steps`` does for methyl phases.

Distances alone leave the rest of a forecast frame's internal geometry
(ring puckers, substituent wags, their coupling to the bonds) as forecast,
and chained forecasts damp it. :meth:`Rotamers.nearest` draws a frame's
donor among the k real frames nearest to it in the torsions that turn heavy
atoms (a nearest-neighbour sample of the real frames given the frame's
conformation), and :meth:`Rotamers.graft` makes the frame that donor
superposed on it (optionally turned to the frame's heavy-atom torsions
first): a real sample's internal geometry with the forecast's placement.
Whether a donor is in the frame's rotamer can also be told by wells rather
than a window: :meth:`Rotamers.wells` finds each torsion's wells as the
maxima of the donors' own torsion density (edges at the minima between
them), and :meth:`Rotamers.choose_in_wells` draws among the donors in the
frame's well of every torsion, so a frame near a barrier does not get
donors from both sides of it.

Metropolis moves need an energy per proposal, which for an expensive
potential costs about half a step. :class:`TorsionFreeEnergy` is a free
alternative for torsions of forecast frames: the free energy of the rotamer
torsions, ``-kT ln p``, with ``p`` a kernel density of real frames' torsions
(a fast-mode donor library), so moves under it sample the torsions' joint
distribution in real MD.

Units: nm for frames, degrees for torsions, kJ/mol for energies.
"""

from __future__ import annotations

import numpy as np

from ..evaluation.metrics import dihedrals
from ..trajectories.bonds import _neighbours
from .rotor_librations import apply_turns, heaviest, metropolis_turns, symmetric_terminal_rotors

#: sd (degrees) of the Gaussian turns of :meth:`Rotamers.metropolis`: a third of the 120 degrees between the
#: wells of an sp3-sp3 torsion, so a few proposals can cross a barrier of a few kT.
TORSION_MC_SD_DEG = 40.0
#: Kernel width (degrees) of the torsion densities whose minima separate a torsion's wells (:meth:`Rotamers.wells`):
#: narrower than the 40-90 degrees between the barriers of a threefold or twofold torsion, wide enough that a few
#: thousand frames give a smooth density.
WELL_KERNEL_DEG = 15.0
#: A dip between two density maxima separates wells only if it falls below this fraction of the lower maximum. In a
#: 2 ns library of alanine dipeptide (300 K) psi's two basins dip to 0.52 of the lower maximum and phi's alpha_L to
#: about 0.75; at 0.5 they were one well, and played-back psi changed basin 19 times per ps against 0.6 in plain MD
#: (thirty-first session). Aspirin's and ethanol's wells are the same from 0.5 to 0.8.
WELL_DIP = 0.8
#: Kernel width (degrees) of :class:`TorsionFreeEnergy`. Moves under a kernel density sample the sampled
#: torsions convolved with the kernel: 6 degrees widens aspirin's narrowest moved well (the acetyl twist, sd 17
#: degrees at 500 K) by 6%, while 4096 frames still cover its broad ester torsion smoothly.
TORSION_KERNEL_DEG = 6.0


def rotamer_bonds(bonds, atomic_numbers) -> list[tuple[np.ndarray, np.ndarray]]:
    """The bonds that tell a molecule's rotamers apart, as ``(quadruplet a-b-c-d, atoms on the turning side)``.

    One per rotatable bond ``b-c`` (on no ring, both atoms non-terminal),
    except bonds whose turn only moves a symmetric terminal rotor: ``a`` and
    ``d`` are the heaviest other neighbours of ``b`` and ``c`` (lowest index
    on ties); the turning side is the one with fewer atoms.
    """
    from ..model.torsion_kicks import rotatable_bonds

    z = np.asarray(atomic_numbers)
    bonds = np.asarray(bonds, np.int64).reshape(-1, 2)
    neighbours = _neighbours(bonds)
    rotor_axes = {frozenset((a, b)) for a, b, _, _ in symmetric_terminal_rotors(bonds, z)}
    out = []
    for b, c, moving in rotatable_bonds(bonds, len(z)):
        if frozenset((b, c)) in rotor_axes:
            continue
        b, c = min(b, c), max(b, c)
        a = heaviest([i for i in neighbours[b] if i != c], z)
        d = heaviest([i for i in neighbours[c] if i != b], z)
        out.append((np.array([a, b, c, d], np.int64), moving))
    return out


def rotamer_torsions(bonds, atomic_numbers) -> np.ndarray:
    """Quadruplets ``[T, 4]`` of the torsions that tell a molecule's rotamers apart (see :func:`rotamer_bonds`)."""
    return np.array([quad for quad, _ in rotamer_bonds(bonds, atomic_numbers)], np.int64).reshape(-1, 4)


class Rotamers:
    """A molecule's rotamer torsions: donors in a frame's rotamer, and Metropolis moves of the torsions.

    Parameters
    ----------
    bonds : int array [nb, 2]
        Bonded atom pairs of the system.
    atomic_numbers : int array [N]
    """

    def __init__(self, bonds, atomic_numbers):
        found = rotamer_bonds(bonds, atomic_numbers)
        self.quads = np.array([quad for quad, _ in found], np.int64).reshape(-1, 4)
        #: ``(tail, head, atoms, proposal sd in radians)`` of each torsion, for :func:`metropolis_turns`
        self.turns = [(int(q[1]), int(q[2]), moving, np.radians(TORSION_MC_SD_DEG)) for q, moving in found]
        z = np.asarray(atomic_numbers)
        #: [T] bool: whether the turning side of each torsion holds a heavy atom (False: a lone hydrogen, as in a
        #: hydroxyl, whose torsion is a fast libration rather than a conformational change)
        self.heavy = np.array([any(z[a] > 1 for a in moving if a not in (q[1], q[2])) for q, moving in found], bool)
        # A turn (apply_turns) raises the torsion when the turning side holds its last atom, lowers it otherwise.
        self._sense = np.array([-1.0 if q[0] in moving else 1.0 for q, moving in found])
        #: (donor array, cos and sin of its torsions): a fixed donor library is passed again and again
        self._donor_cache: tuple = (None, None, None)
        self._well_cache: tuple = (None, None)  # (donor array, its wells' edges)
        self._well_state_cache: tuple = (None, None)  # (donor array, their well states)

    def __len__(self) -> int:
        return len(self.quads)

    def torsions(self, frames: np.ndarray) -> np.ndarray:
        """Rotamer torsions (degrees) of frames [F, N, 3] (nm) -> [F, T]."""
        return dihedrals(np.asarray(frames, np.float64), self.quads)

    def choose(self, frames: np.ndarray, donors: np.ndarray, rng: np.random.Generator,
               half_width: float) -> np.ndarray:
        """Donor index [F] for each of frames [F, N, 3], drawn among donors [K, N, 3] (nm) in its rotamer.

        A donor's torsion matches a frame's when their circular difference is
        below ``half_width`` degrees. The donors' torsions are kept for the
        next call with the same array (a fixed library): do not change a
        donor array in place between calls. The draw is uniform among the donors
        matching on the most torsions (all of them, where any donor does);
        uniform among all donors if the molecule has no rotamer torsions.
        """
        if not half_width > 0:
            raise ValueError(f"half_width must be > 0 degrees, got {half_width}")
        n, k = len(frames), len(donors)
        if not len(self.quads) or k == 0:
            return rng.integers(max(k, 1), size=n)
        cos_d, sin_d = self._donor_torsions(donors)
        phi = np.radians(self.torsions(frames))
        # Circular difference below half_width <=> cos(difference) above cos(half_width), one [F, K] product per
        # torsion instead of an [F, K, T] array.
        limit = np.cos(np.radians(half_width))
        matches = np.zeros((n, k), np.int64)
        for t in range(len(self.quads)):
            matches += (np.cos(phi[:, t])[:, None] * cos_d[:, t] + np.sin(phi[:, t])[:, None] * sin_d[:, t]) > limit
        return _draw_among_best(matches, rng)

    def _donor_torsions(self, donors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """cos and sin [K, T] of the donors' rotamer torsions, kept for the next call with the same array."""
        cached, cos_d, sin_d = self._donor_cache
        if cached is not donors:
            phi = np.radians(self.torsions(donors))
            cos_d, sin_d = np.cos(phi), np.sin(phi)
            self._donor_cache = (donors, cos_d, sin_d)
        return cos_d, sin_d

    def nearest(self, frames: np.ndarray, donors: np.ndarray, rng: np.random.Generator, neighbours: int,
                half_width: float) -> np.ndarray:
        """Donor index [F] for each of frames [F, N, 3], drawn among its ``neighbours`` nearest donors [K, N, 3] (nm).

        Nearest in the torsions that turn heavy atoms (the conformation): the
        distance is the sum of ``1 - cos`` of their differences. Torsions
        that turn a lone hydrogen are fast librations whose forecast values
        are damped, so they only have to lie in the same well: within
        ``half_width`` degrees (0: anywhere), among the donors that match on
        the most of them, as in :meth:`choose`. The draw is uniform among the
        ``neighbours`` nearest: a nearest-neighbour sample of the donors'
        distribution given the frame's conformation. Same caching as
        :meth:`choose`.
        """
        neighbours = int(neighbours)
        if neighbours < 1:
            raise ValueError(f"neighbours must be >= 1, got {neighbours}")
        n, k = len(frames), len(donors)
        if not len(self.quads) or k == 0:
            return rng.integers(max(k, 1), size=n)
        neighbours = min(neighbours, k)
        cos_d, sin_d = self._donor_torsions(donors)
        phi = np.radians(self.torsions(frames))
        heavy, light = np.flatnonzero(self.heavy), np.flatnonzero(~self.heavy)
        limit = np.cos(np.radians(half_width)) if half_width > 0 else -2.0
        picks = np.empty(n, np.int64)
        for start in range(0, n, 64):  # [64, K] rows at a time: a jump's frames against a library of 10^4
            rows = slice(start, min(start + 64, n))
            c, s = np.cos(phi[rows]), np.sin(phi[rows])
            distance = np.zeros((len(c), k))
            for t in heavy:
                distance += 1.0 - (c[:, t, None] * cos_d[:, t] + s[:, t, None] * sin_d[:, t])
            matches = np.zeros((len(c), k), np.int64)
            for t in light:
                matches += (c[:, t, None] * cos_d[:, t] + s[:, t, None] * sin_d[:, t]) > limit
            # Donors off the best lone-hydrogen match come after every matching one (distances are at most 2 per
            # torsion).
            distance += (2.0 * len(heavy) + 1.0) * (matches.max(axis=1, keepdims=True) - matches)
            near = np.argpartition(distance, neighbours - 1, axis=1)[:, :neighbours]
            picks[rows] = near[np.arange(len(c)), rng.integers(neighbours, size=len(c))]
        return picks

    def wells(self, donors: np.ndarray) -> list[np.ndarray]:
        """Per rotamer torsion, the angles (degrees, ascending) that separate its wells in donors [K, N, 3] (nm).

        The wells are the maxima of the donors' torsion density (von Mises
        kernels of ``WELL_KERNEL_DEG``, on a 1-degree grid); a dip between
        neighbouring maxima that stays above ``WELL_DIP`` of the lower one is
        no barrier, and its maxima count as one well. An edge is the density
        minimum between two wells. A torsion with one well has no edges.
        Kept for the next call with the same array.
        """
        cached, edges = self._well_cache
        if cached is donors:
            return edges
        grid = np.radians(np.arange(-180.0, 180.0))
        kappa = 1.0 / np.radians(WELL_KERNEL_DEG) ** 2
        edges = []
        for phi in np.radians(self.torsions(donors)).T:
            density = np.zeros(len(grid))
            for start in range(0, len(phi), 4096):
                density += np.exp(kappa * (np.cos(grid[:, None] - phi[None, start:start + 4096]) - 1)).sum(axis=1)
            edges.append(_density_edges(density))
        self._well_cache = (donors, edges)
        return edges

    def well_states(self, frames: np.ndarray, edges: list[np.ndarray]) -> np.ndarray:
        """int [F, T]: the well of each rotamer torsion of frames [F, N, 3] (nm), given :meth:`wells` edges."""
        phi = self.torsions(frames)
        states = np.zeros(phi.shape, np.int64)
        for t, e in enumerate(edges):
            if len(e):  # past the last edge is the first well again (the circle wraps)
                states[:, t] = np.searchsorted(e, phi[:, t]) % len(e)
        return states

    def choose_in_wells(self, frames: np.ndarray, donors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Donor index [F] for each of frames [F, N, 3], drawn uniformly among donors [K, N, 3] (nm) in the same
        well of every rotamer torsion (:meth:`wells` of the donors), or, where none is, of the most torsions."""
        n, k = len(frames), len(donors)
        if not len(self.quads) or k == 0:
            return rng.integers(max(k, 1), size=n)
        edges = self.wells(donors)
        cached, donor_states = self._well_state_cache
        if cached is not donors:
            donor_states = self.well_states(donors, edges)
            self._well_state_cache = (donors, donor_states)
        states = self.well_states(frames, edges)
        matches = np.zeros((n, k), np.int64)
        for t in range(len(self.quads)):
            matches += states[:, t, None] == donor_states[:, t]
        return _draw_among_best(matches, rng)

    def in_wells(self, frames: np.ndarray, donors: np.ndarray, edges: list[np.ndarray]) -> np.ndarray:
        """bool [F]: whether donors [F, N, 3] are in the same well of every rotamer torsion as their frames."""
        return np.all(self.well_states(frames, edges) == self.well_states(donors, edges), axis=1)

    def in_rotamer(self, frames: np.ndarray, donors: np.ndarray, half_width: float) -> np.ndarray:
        """bool [F]: whether every rotamer torsion of donors [F, N, 3] lies within ``half_width`` degrees of its
        frame's (frames [F, N, 3], nm)."""
        diff = (self.torsions(donors) - self.torsions(frames) + 180.0) % 360.0 - 180.0
        return np.all(np.abs(diff) < half_width, axis=1)

    def graft(self, frames: np.ndarray, donors: np.ndarray, masses, frame_torsions=False) -> np.ndarray:
        """Donors [F, N, 3] (nm) superposed on frames [F, N, 3] (nm) (mass-weighted least squares).

        The result has the donor's internal geometry (bonds, angles, ring and
        wag modes, torsions, methyl phases: a real sample) and the frame's
        position and orientation. Where ``frame_torsions`` (a bool, or one
        per frame) is true, the donor's torsions that turn heavy atoms are
        first turned rigidly to its frame's (every bond length and angle
        kept): the frame's conformation too.
        """
        from scipy.spatial.transform import Rotation

        masses = np.asarray(masses, np.float64)
        frames = np.asarray(frames, np.float64)
        mobile = np.array(donors, np.float64)
        turn = np.broadcast_to(np.asarray(frame_torsions, bool), (len(frames),))
        if turn.any():
            mobile[turn] = self.take_torsions(mobile[turn], frames[turn], np.flatnonzero(self.heavy))
        weights = masses / masses.sum()
        out = np.empty_like(mobile)
        for i, (donor, target) in enumerate(zip(mobile, frames)):
            d0, t0 = weights @ donor, weights @ target
            rotation, _ = Rotation.align_vectors(target - t0, donor - d0, weights=weights)
            out[i] = rotation.apply(donor - d0) + t0
        return out

    def take_torsions(self, frames: np.ndarray, donors: np.ndarray, torsions, half_width: float = 0.0) -> np.ndarray:
        """Frames [F, N, 3] (nm) with some rotamer torsions turned to those of their donors [F, N, 3] (nm).

        Each torsion listed (indices into :attr:`quads`) turns its lighter
        side rigidly by the circular difference to the donor's, which keeps
        every bond length and bond angle. With ``half_width > 0`` (degrees) a
        torsion whose donor lies ``half_width`` or further away is left as
        it is: the donor is in another well of it.
        """
        x = np.array(frames, np.float64)
        torsions = np.asarray(torsions, np.int64)
        if not len(torsions) or not len(x):
            return x
        phi = self.torsions(x)[:, torsions]
        diff = (self.torsions(donors)[:, torsions] - phi + 180.0) % 360.0 - 180.0
        if half_width > 0:
            diff = np.where(np.abs(diff) < half_width, diff, 0.0)
        angles = np.zeros((len(x), len(self.turns)))
        angles[:, torsions] = np.radians(diff) * self._sense[torsions]
        return apply_turns(x, self.turns, angles)

    def metropolis(self, frame: np.ndarray, energy, kT: float, steps: int, rng: np.random.Generator,
                   current_energy: float | None = None, max_proposals: int | None = None,
                   sd_deg: float | None = None, heavy_only: bool = False,
                   proposals: TorsionProposals | None = None) -> tuple[np.ndarray, float, int, np.ndarray]:
        """Metropolis moves of each rotamer torsion of one frame under the real potential.

        Each step proposes, bond by bond, a rigid turn of the bond's lighter
        side by a Gaussian angle of sd ``sd_deg`` degrees (default
        ``TORSION_MC_SD_DEG``), or, with ``proposals``, to a torsion drawn
        from real frames' (:class:`TorsionProposals`, Metropolis-Hastings).
        ``steps`` proposals per torsion; with ``heavy_only``, only torsions
        whose turning side holds a heavy atom (:attr:`heavy`) move. Other
        arguments and the result as :func:`~.rotor_librations.metropolis_turns`
        (the net turns cover every torsion, 0 for those left alone).
        """
        moved = np.flatnonzero(self.heavy) if heavy_only else np.arange(len(self.turns))
        sd = None
        if sd_deg is not None:
            if not (np.isfinite(sd_deg) and sd_deg > 0):
                raise ValueError(f"sd_deg must be a finite angle > 0 degrees, got {sd_deg}")
            sd = np.radians(sd_deg)
        turns = [(tail, head, atoms, default if sd is None else sd)
                 for tail, head, atoms, default in (self.turns[i] for i in moved)]
        draws = None if proposals is None else [proposals.proposal(int(i)) for i in moved]
        x, u, accepted, net = metropolis_turns(frame, energy, kT, steps, rng, turns, current_energy, max_proposals,
                                               draws)
        full = np.zeros(len(self.turns))
        full[moved] = net
        return x, u, accepted, full


def _draw_among_best(matches: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Column index [F] per row of matches [F, K], drawn uniformly among the row's largest entries."""
    best = matches == matches.max(axis=1, keepdims=True)
    # Rank random keys, best ones first.
    keys = np.where(best, rng.random(matches.shape), -1.0)
    return np.argmax(keys, axis=1)


def _density_edges(density: np.ndarray) -> np.ndarray:
    """Edges (degrees, ascending) between the wells of a circular density on the 1-degree grid from -180."""
    n = len(density)
    peaks = [i for i in range(n) if density[i] > density[i - 1] and density[i] >= density[(i + 1) % n]]
    merged = True
    while merged and len(peaks) > 1:
        merged = False
        for j in range(len(peaks)):
            a, b = peaks[j], peaks[(j + 1) % len(peaks)]
            span = np.arange(a, a + (b - a) % n + 1) % n  # a to b going up, across the wrap
            if density[span].min() > WELL_DIP * min(density[a], density[b]):
                peaks.pop(j if density[a] < density[b] else (j + 1) % len(peaks))  # no barrier: keep the higher
                merged = True
                break
    if len(peaks) < 2:
        return np.zeros(0)
    edges = []
    for j, a in enumerate(peaks):
        b = peaks[(j + 1) % len(peaks)]
        span = np.arange(a, a + (b - a) % n + 1) % n
        edges.append(span[np.argmin(density[span])] - 180.0)
    return np.sort(np.array(edges, np.float64))


def _sample_torsions(rotamers: Rotamers, samples, kernel_deg: float) -> tuple[np.ndarray, float]:
    """(rotamer torsions [K, T] in radians of sample frames [K, N, 3] nm, von Mises kappa of a kernel_deg kernel),
    with the checks both kernel densities need."""
    if not (np.isfinite(kernel_deg) and kernel_deg > 0):
        raise ValueError(f"kernel_deg must be a finite angle > 0 degrees, got {kernel_deg}")
    samples = np.asarray(samples, np.float64)
    if samples.ndim != 3 or not len(samples):
        raise ValueError(f"samples must be frames [K, N, 3] with K >= 1, got shape {samples.shape}")
    return np.radians(rotamers.torsions(samples)), 1.0 / np.radians(kernel_deg) ** 2


class TorsionFreeEnergy:
    """Free energy (kJ/mol) of some rotamer torsions of a frame, from a kernel density of real frames' torsions.

    ``F(frame) = -kT ln sum_k prod_j exp(kappa (cos(phi_j - phi_kj) - 1))``
    (up to a constant): a product of von Mises kernels of width
    ``kernel_deg`` (``kappa = 1 / kernel^2`` in radians) about each sample
    frame's torsions. Metropolis moves of the torsions under ``F`` (with
    :meth:`Rotamers.metropolis`) accept by the ratio of densities, so they
    sample the torsions' joint distribution in the sample frames, widened by
    the kernel, without evaluating the potential. The rest of the frame is
    not seen: this is a marginal, not a conditional, distribution.

    Parameters
    ----------
    rotamers : Rotamers
    samples : array [K, N, 3]
        Real frames (nm) at the run's temperature, e.g. a fast-mode donor library.
    kT : float
        kJ/mol.
    torsions : int array, optional
        Indices into ``rotamers`` of the torsions the density covers (default: all).
    kernel_deg : float
        Kernel width (degrees).
    """

    def __init__(self, rotamers: Rotamers, samples: np.ndarray, kT: float, torsions=None,
                 kernel_deg: float = TORSION_KERNEL_DEG):
        phi, self.kappa = _sample_torsions(rotamers, samples, kernel_deg)
        self.rotamers, self.kT = rotamers, float(kT)
        self.torsions = np.arange(len(rotamers)) if torsions is None else np.asarray(torsions, np.int64)
        phi = phi[:, self.torsions]
        self._cos, self._sin = np.cos(phi), np.sin(phi)

    def __call__(self, frame: np.ndarray) -> float:
        """Free energy (kJ/mol) of ``frame`` [N, 3] (nm)."""
        phi = np.radians(self.rotamers.torsions(np.asarray(frame, np.float64)[None])[0, self.torsions])
        log_kernels = self.kappa * (self._cos @ np.cos(phi) + self._sin @ np.sin(phi) - len(phi))
        top = log_kernels.max()
        return float(-self.kT * (top + np.log(np.exp(log_kernels - top).sum())))


class TorsionProposals:
    """Metropolis-Hastings proposals for rotamer torsions drawn from real frames' torsions (a donor library).

    A random-walk turn moves a torsion a few tens of degrees per proposal; a
    chained forecast between two moves drifts it again (aspirin's aryl-ester
    torsion narrows towards its wells' centres, docs/benchmarks.md,
    twenty-eighth session). A proposal here turns torsion ``j`` to a value
    drawn from ``q_j`` within ``window_deg`` of where it is: ``q_j`` is, with
    weight ``1 - uniform``, a kernel density of the sample frames' ``j``-th
    torsion (von Mises kernels of width ``kernel_deg``) and, with weight
    ``uniform``, flat; it is tabulated on cells of ``360 / GRID`` degrees and
    drawn cell by cell (uniform within the cell). Accepted under the real
    potential with ``min(1, exp(-dU / kT) q_j(now) Z_j(now) / (q_j(new)
    Z_j(new)))``, ``Z_j(phi)`` the mass of ``q_j`` within the window about
    ``phi``, which keeps the Boltzmann distribution given the rest of the
    frame exact whatever the samples are; the flat share lets it propose
    torsions the samples never visited and bounds the ratio. Where the
    samples' distribution is close to the true one, an accepted move draws
    the torsion afresh within the window. A window of 180 degrees or more is
    the independence sampler (either well); a narrower one keeps the move
    within reach of a turn that can be spread over the frames before it
    (link moves, see the integrator's ``library_torsion_moves``).

    Parameters
    ----------
    rotamers : Rotamers
    samples : array [K, N, 3]
        Real frames (nm), e.g. a fast-mode donor library.
    kernel_deg : float
        Kernel width (degrees).
    uniform : float
        Flat share of ``q``, in (0, 1].
    window_deg : float
        Largest turn proposed (degrees), > 0.
    """

    #: cells over 360 degrees on which each torsion's proposal density is tabulated
    GRID = 720

    def __init__(self, rotamers: Rotamers, samples: np.ndarray, kernel_deg: float = TORSION_KERNEL_DEG,
                 uniform: float = 0.1, window_deg: float = 180.0):
        if not 0 < uniform <= 1:
            raise ValueError(f"uniform must be a share in (0, 1], got {uniform}")
        if not window_deg > 0:
            raise ValueError(f"window_deg must be an angle > 0 degrees, got {window_deg}")
        phi, self.kappa = _sample_torsions(rotamers, samples, kernel_deg)  # [K, T]
        self.rotamers, self.uniform = rotamers, float(uniform)
        self.cell = 2 * np.pi / self.GRID
        centres = -np.pi + (np.arange(self.GRID) + 0.5) * self.cell
        density = np.empty((len(rotamers), self.GRID))
        for j in range(len(rotamers)):  # the [cells, K] kernel sum, one torsion at a time
            density[j] = np.exp(self.kappa * (np.cos(centres[:, None] - phi[None, :, j]) - 1.0)).sum(axis=1)
        density /= density.sum(axis=1, keepdims=True) * self.cell  # a density per radian
        self._q = (1 - self.uniform) * density + self.uniform / (2 * np.pi)
        # Cells within the window: offsets -w..w (all cells once the window covers the circle).
        w = int(round(np.radians(min(window_deg, 180.0)) / self.cell))
        self._offsets = (np.arange(self.GRID) - self.GRID // 2 if 2 * w + 1 >= self.GRID
                         else np.arange(-w, w + 1))
        # Z_j(c): the mass of q_j within the window about cell c.
        self._log_z = np.log(np.stack([
            sum(np.roll(q, -o) for o in self._offsets) * self.cell for q in self._q]))

    def _cell(self, phi) -> np.ndarray:
        return (np.floor((np.asarray(phi, np.float64) + np.pi) / self.cell).astype(np.int64)) % self.GRID

    def log_density(self, j: int, phi) -> np.ndarray:
        """Log of torsion ``j``'s density ``q_j`` (per radian, constant within a cell) at ``phi`` (radians)."""
        return np.log(self._q[j, self._cell(phi)])

    def draw(self, j: int, now: float, rng: np.random.Generator) -> float:
        """A torsion ``j`` value (radians) drawn from ``q_j`` within the window about ``now`` (radians)."""
        cells = (self._cell(now) + self._offsets) % self.GRID
        weights = self._q[j, cells]
        c = cells[rng.choice(len(cells), p=weights / weights.sum())]
        return float(-np.pi + (c + rng.random()) * self.cell)

    def proposal(self, j: int):
        """``propose(frame, rng) -> (turn radians, log of the Hastings ratio)`` of torsion ``j``, for
        :func:`~.rotor_librations.metropolis_turns`."""
        quad, sense = self.rotamers.quads[j:j + 1], self.rotamers._sense[j]

        def propose(frame, rng):
            now = float(np.radians(dihedrals(np.asarray(frame, np.float64)[None], quad)[0, 0]))
            new = self.draw(j, now, rng)
            turn = (new - now + np.pi) % (2 * np.pi) - np.pi
            c_now, c_new = self._cell(now), self._cell(new)
            log_ratio = (self.log_density(j, now) + self._log_z[j, c_now]
                         - self.log_density(j, new) - self._log_z[j, c_new])
            return float(turn * sense), float(log_ratio)

        return propose
