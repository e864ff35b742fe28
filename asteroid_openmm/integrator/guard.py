"""The jump guard: decides how much of a forecast may be committed to the Context.

A forecast is only as good as the model that made it, so before any forecast
frame reaches the Context (and therefore the reporters or the next real step)
it is screened against statistics of the *recent real MD*:

Cheap checks, on every forecast frame (numpy, no force evaluation):

* coordinates finite (no NaN / inf);
* STI spread (disagreement of the model's overlapping Hankel predictions,
  nm) at most ``max_spread`` -- this is what makes jumps adaptive: the jump
  stops where the model stops agreeing with itself;
* every bonded pair's length within ``bond_tolerance`` (nm) of its mean over
  recent real frames (a dissociated molecule is caught here even when the
  potential, e.g. ANI, gives it a plausible energy);
* the largest per-atom frame-to-frame displacement at most
  ``displacement_factor`` times the largest one seen between recent real
  frames (catches translated/exploded frames whose internal geometry, and
  hence energy, looks fine);
* every sp3 centre (an atom with four or more bonded neighbours) keeps the
  handedness it has in the last real frame: the signed volume of its first
  three neighbours keeps its sign. Inverting such a centre takes far more
  than thermal energy, and distances, energies and forces cannot see it (a
  mirror image has the same ones), yet chained forecasts do it: measured on
  ethanol, 14 of 25 eight-fold chained forecasts inverted the CH3 or CH2
  carbon. A committed inversion is permanent, and the model, trained on one
  handedness, fails from then on;
* the RMS frame-to-frame displacement at least ``min_motion_fraction`` times
  the mean one of recent real frames (catches frozen forecasts: a model that
  just repeats or averages its context -- an untrained ASTEROID model does --
  produces frames that pass every energy test yet are no dynamics at all).

The jump is cut before the first frame that fails any of these. Then the real
potential energy and forces are evaluated (on the Context) for the landing
frame and, cheaply, the middle frame -- not for every frame, which would cost
as much as the MD it replaces for ML potentials:

* potential energy inside ``[mean - energy_sigma_low * std,
  mean + energy_sigma_high * std]`` of recent real frames (kJ/mol; both
  bounds: a forecast that smooths out vibrations lands *too low*);
* largest forces at most ``force_factor`` times those of recent real frames
  (kJ/mol/nm; a soft maximum, the L8 norm of the force components, which the
  integrator can reduce on the device for every recorded real frame).

A landing frame that fails is replaced by one half-way back (bisection,
within ``guard_evaluations`` evaluations). A jump whose good part is shorter
than ``min_jump_frames`` is rejected and real MD continues from the pre-jump
state.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from ..trajectories.bonds import handedness, stereo_centres


def force_soft_max(forces: np.ndarray, heavy: np.ndarray) -> float:
    """Soft maximum of the forces (kJ/mol/nm): the L8 norm over force components of massive particles.

    Between the largest component and ``(3N)^(1/8)`` times it, dominated by
    the largest forces. The integrator computes the same statistic on the
    device for real frames, so real and forecast frames are compared alike.
    """
    f = np.asarray(forces, dtype=np.float64)[heavy] * 1e-3  # scaled like the integrator's, no overflow
    return 1000.0 * float((f**8).sum()) ** 0.125


@dataclass
class GuardDecision:
    """Outcome of :meth:`JumpGuard.screen` / :meth:`JumpGuard.decide`.

    Attributes
    ----------
    n_frames : int
        Forecast frames that may be committed (0 = reject). The landing frame
        is ``frames[n_frames - 1]``.
    reason : str
        Why the jump was cut or rejected (``""`` when every frame passed).
    evaluations : int
        Real energy/force evaluations spent.
    """

    n_frames: int
    reason: str = ""
    evaluations: int = 0


class RealMDStatistics:
    """Running statistics of recent real-MD frames that the guard compares forecasts against.

    Frames recorded while the post-jump relaxation (strong friction) is still
    running are *not* added: they are not equilibrium samples.

    Parameters
    ----------
    bonds : np.ndarray[int] [nb, 2]
        Bonded atom pairs whose lengths are monitored.
    heavy : np.ndarray[bool] [N]
        Particles with mass > 0 (virtual sites are excluded from force and
        displacement statistics).
    maxlen : int
        Number of recent samples kept.
    """

    def __init__(self, bonds: np.ndarray, heavy: np.ndarray, maxlen: int = 64):
        self.bonds = np.asarray(bonds, dtype=np.int64).reshape(-1, 2)
        self.heavy = np.asarray(heavy, dtype=bool)
        self.energies: deque[float] = deque(maxlen=maxlen)
        #: soft maxima of the forces (kJ/mol/nm), see force_soft_max
        self.max_forces: deque[float] = deque(maxlen=maxlen)
        self.max_displacements: deque[float] = deque(maxlen=maxlen)
        self.rms_displacements: deque[float] = deque(maxlen=maxlen)
        self.bond_lengths: deque[np.ndarray] = deque(maxlen=min(maxlen, 32))
        #: sp3 centres [C, 4]: the atom and its three lowest-index bonded neighbours
        self.stereo_centres = stereo_centres(self.bonds, self.heavy)

    def clear(self) -> None:
        self.energies.clear()
        self.max_forces.clear()
        self.max_displacements.clear()
        self.rms_displacements.clear()
        self.bond_lengths.clear()

    def bond_lengths_of(self, frames: np.ndarray) -> np.ndarray:
        """Bond lengths (nm) of frames [..., N, 3] -> [..., nb]."""
        if len(self.bonds) == 0:
            return np.zeros(frames.shape[:-2] + (0,))
        d = frames[..., self.bonds[:, 0], :] - frames[..., self.bonds[:, 1], :]
        return np.sqrt(np.einsum("...i,...i->...", d, d))

    def add_frame(
        self,
        positions: np.ndarray,
        energy: float | None,
        max_force: float | None,
        previous: np.ndarray | None,
    ) -> None:
        """Add one real-MD frame.

        Parameters
        ----------
        positions : np.ndarray [N, 3]
            Positions (nm, unwrapped).
        energy : float or None
            Potential energy (kJ/mol).
        max_force : float or None
            :func:`force_soft_max` of the frame's forces (kJ/mol/nm).
        previous : np.ndarray [N, 3] or None
            The real frame one model frame interval earlier (for displacement
            statistics), or None when there is none.
        """
        if energy is not None and np.isfinite(energy):
            self.energies.append(float(energy))
        if max_force is not None and np.isfinite(max_force):
            self.max_forces.append(float(max_force))
        if previous is not None:
            disp2 = ((positions[self.heavy] - previous[self.heavy]) ** 2).sum(-1)
            self.max_displacements.append(float(np.sqrt(disp2.max())))
            self.rms_displacements.append(float(np.sqrt(disp2.mean())))
        self.bond_lengths.append(self.bond_lengths_of(positions))

    def handedness(self, frames: np.ndarray) -> np.ndarray:
        """Sign (+1 / -1) of each sp3 centre's neighbour triple product, frames [..., N, 3] -> [..., C]."""
        return handedness(frames, self.stereo_centres)

    @property
    def ready(self) -> bool:
        """Enough samples for meaningful bounds (>= 3 energies, forces and displacements)."""
        return min(len(self.energies), len(self.max_forces), len(self.max_displacements)) >= 3


class JumpGuard:
    """Screens forecast frames before a jump is committed.

    Parameters
    ----------
    max_spread : float
        Largest STI spread (nm) of a committed frame.
    energy_sigma_low, energy_sigma_high : float
        Allowed potential-energy window, in standard deviations of recent real
        frames below / above their mean.
    force_factor : float
        Largest allowed force (soft maximum, :func:`force_soft_max`), relative
        to the mean of recent real frames'.
    bond_tolerance : float
        Largest allowed deviation (nm) of a bond length from its recent real mean.
    displacement_factor : float
        Largest allowed per-atom frame-to-frame displacement, relative to the
        largest seen between recent real frames.
    min_motion_fraction : float
        Smallest allowed RMS frame-to-frame displacement, relative to the mean
        one of recent real frames (0 disables).
    min_jump_frames : int
        Fewer good frames than this rejects the jump.
    guard_evaluations : int
        Most real energy/force evaluations per jump: with ``k >= 2``, up to
        ``k - 1`` landing-frame tries (bisecting back) plus one middle-frame
        probe; with ``k = 1`` the landing frame only.
    kT : float
        Thermal energy (kJ/mol); the energy standard deviation is never taken
        below ``kT`` so a short, quiet buffer cannot make the window absurdly narrow.
    rebuilt_atoms : int array, optional
        Atoms whose committed positions are rebuilt from real samples rather
        than taken from the forecast (e.g. a methyl group's hydrogens under
        thermal fast modes and thermal rotors): bonds to them are not judged
        on the model's raw frames.
    """

    def __init__(
        self,
        max_spread: float,
        energy_sigma_low: float,
        energy_sigma_high: float,
        force_factor: float,
        bond_tolerance: float,
        displacement_factor: float,
        min_motion_fraction: float,
        min_jump_frames: int,
        guard_evaluations: int,
        kT: float,
        rebuilt_atoms=None,
    ):
        self.max_spread = float(max_spread)
        self.energy_sigma_low = float(energy_sigma_low)
        self.energy_sigma_high = float(energy_sigma_high)
        self.force_factor = float(force_factor)
        self.bond_tolerance = float(bond_tolerance)
        self.displacement_factor = float(displacement_factor)
        self.min_motion_fraction = float(min_motion_fraction)
        self.min_jump_frames = max(1, int(min_jump_frames))
        self.guard_evaluations = max(1, int(guard_evaluations))
        self.kT = float(kT)
        self.rebuilt_atoms = np.zeros(0, np.int64) if rebuilt_atoms is None else np.asarray(rebuilt_atoms, np.int64)

    # ------------------------------------------------------------------ cheap checks
    def screen(self, start: np.ndarray, frames: np.ndarray, spread: np.ndarray, ref: RealMDStatistics,
               committed: np.ndarray | None = None) -> GuardDecision:
        """Cheap per-frame checks; returns how many leading frames pass.

        Parameters
        ----------
        start : np.ndarray [N, 3]
            The last context frame (real, nm) the forecast continues from.
        frames : np.ndarray [L, N, 3]
            Forecast frames (nm).
        spread : np.ndarray [L]
            STI spread (nm) per frame.
        ref : RealMDStatistics
        committed : np.ndarray [L, N, 3], optional
            The frames as they would be played back, if they differ from
            ``frames``; their sp3 centres are checked too.
        """
        n = len(frames)
        bad = np.zeros(n, dtype=bool)
        reasons = np.full(n, "", dtype=object)

        def flag(mask, why):
            new = mask & ~bad
            reasons[new] = why
            bad[:] = bad | mask

        finite = np.isfinite(frames).all(axis=(1, 2))
        flag(~finite, "non-finite coordinates")
        # Everything below assumes finite numbers; NaN compares False anyway, but
        # inf - inf warnings are noise.
        safe = np.where(np.isfinite(frames), frames, 0.0)
        spread = np.asarray(spread, dtype=np.float64).reshape(-1)[:n]
        flag(~np.isfinite(spread) | (spread > self.max_spread), "STI spread above max_spread")
        if len(ref.bonds) and len(ref.bond_lengths):
            reference = np.mean(np.stack(ref.bond_lengths), axis=0)
            judged = ~np.isin(ref.bonds, self.rebuilt_atoms).any(axis=1)
            if judged.any():
                dev = np.abs(ref.bond_lengths_of(safe) - reference)[:, judged].max(axis=1)
                flag(dev > self.bond_tolerance, "bond length off by more than bond_tolerance")
        if len(ref.stereo_centres):
            before = ref.handedness(start)
            versions = [safe] if committed is None else [safe, np.where(np.isfinite(committed), committed, 0.0)]
            for version in versions:
                flag(np.any(ref.handedness(version) != before, axis=1), "sp3 centre inverted")
        if len(ref.max_displacements):
            limit = self.displacement_factor * max(ref.max_displacements)
            prev = np.concatenate([start[None], safe[:-1]])
            disp = safe[:, ref.heavy] - prev[:, ref.heavy]
            d2 = (disp**2).sum(-1)
            flag(np.sqrt(d2.max(axis=1)) > limit, "atom displacement above displacement_factor x real")
            if self.min_motion_fraction > 0 and len(ref.rms_displacements):
                floor = self.min_motion_fraction * float(np.mean(ref.rms_displacements))
                flag(np.sqrt(d2.mean(axis=1)) < floor, "frozen frame: motion below min_motion_fraction x real")
        first_bad = int(np.argmax(bad)) if bad.any() else n
        return GuardDecision(first_bad, reasons[first_bad] if first_bad < n else "")

    # ------------------------------------------------------------------ energy / force checks
    def energy_window(self, ref: RealMDStatistics) -> tuple[float, float]:
        """Allowed potential-energy interval (kJ/mol)."""
        e = np.asarray(ref.energies)
        std = max(float(e.std(ddof=1)) if len(e) > 1 else 0.0, self.kT)
        mean = float(e.mean())
        return mean - self.energy_sigma_low * std, mean + self.energy_sigma_high * std

    def force_limit(self, ref: RealMDStatistics) -> float:
        """Largest allowed force soft maximum (kJ/mol/nm)."""
        return self.force_factor * float(np.mean(ref.max_forces))

    def judge(self, energy: float, forces: np.ndarray, ref: RealMDStatistics) -> str:
        """``""`` if a frame's real energy (kJ/mol) and forces (kJ/mol/nm) are plausible, else the reason."""
        lo, hi = self.energy_window(ref)
        if not np.isfinite(energy):
            return "non-finite potential energy"
        if energy < lo:
            return "potential energy below the real-MD window"
        if energy > hi:
            return "potential energy above the real-MD window"
        fmax = force_soft_max(forces, ref.heavy)
        if not np.isfinite(fmax) or fmax > self.force_limit(ref):
            return "max force above force_factor x real"
        return ""

    def decide(self, start, frames, spread, ref: RealMDStatistics, evaluate, committed=None) -> GuardDecision:
        """Full decision: cheap screen, then real energy/force checks.

        Parameters
        ----------
        frames : np.ndarray [L, N, 3]
            The model's forecast frames (nm): the cheap screen judges the model.
        committed : np.ndarray [L, N, 3], optional
            The frames as they would be played back, if the integrator changes
            them (thermal fast modes): energies and forces are judged on these.
            Default: ``frames``.
        evaluate : callable
            ``evaluate(frame [N, 3]) -> (energy kJ/mol, forces [N, 3] kJ/mol/nm)``
            for the frame as it would be committed (constraints applied).

        Returns
        -------
        GuardDecision
        """
        if not ref.ready:
            return GuardDecision(0, "not enough real-MD statistics yet")
        cheap = self.screen(start, frames, spread, ref, committed)
        committed = frames if committed is None else committed
        good, reason = cheap.n_frames, cheap.reason
        evaluations = 0
        landing = None
        verdicts: dict[int, str] = {}
        # One evaluation is kept back for the middle-frame probe when the budget allows.
        landing_budget = max(1, self.guard_evaluations - 1)
        # Landing frame: the last cheap-good frame; if it fails, bisect back.
        while good >= self.min_jump_frames and evaluations < landing_budget:
            candidate = good - 1
            verdicts[candidate] = self.judge(*evaluate(committed[candidate]), ref)
            evaluations += 1
            if not verdicts[candidate]:
                landing = candidate
                break
            reason = verdicts[candidate]
            good = (candidate + 1) // 2  # keep the first half of the jump
        if landing is None:
            return GuardDecision(0, reason or "no plausible landing frame", evaluations)
        n = landing + 1
        # Middle-frame probe: the frames between start and landing are played
        # back to reporters; one implausible frame there means the path is not
        # trustworthy even if the end point is.
        middle = landing // 2
        if self.guard_evaluations >= 2 and middle != landing and middle not in verdicts:
            verdicts[middle] = self.judge(*evaluate(committed[middle]), ref)
            evaluations += 1
            if verdicts[middle]:
                return GuardDecision(0, "middle frame: " + verdicts[middle], evaluations)
        return GuardDecision(n, reason if n < len(frames) else "", evaluations)
