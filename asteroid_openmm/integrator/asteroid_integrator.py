"""``AsteroidIntegrator``: Langevin MD that jumps ahead with ASTEROID forecasts.

The integrator is an ``openmm.CustomIntegrator`` (in the style of
openmmtools' integrators) whose compiled program is one Langevin BAOAB step
("V R O R V") in the leapfrog form of ``openmm.LangevinMiddleIntegrator``
(same algorithm, same stored half-step velocities, same ensemble). Its
Python ``step(n)`` wraps that program in a cycle::

    real MD, recording one frame every ``frame_stride`` steps
      -> (W frames recorded, anchor phase over) one forecast of H*R frames
      -> thermal fast modes: bond/angle distances from recent real frames
      -> guard (real energies/forces of a few forecast frames)
      -> playback: the accepted frames are shown to the Context step by step
      -> landing: constraints, velocities, strong-friction relaxation
      -> ``anchor_steps`` of real MD, then the next forecast

The recent trajectory, forecast frames included, is the next forecast's
context, so after the first ``W`` frames only ``anchor_steps`` of real MD are
needed per jump.

Everything that changes behaviour is an integrator global variable, so
``XmlSerializer``, states and checkpoints keep it; see
:data:`SETTINGS` for the list and :meth:`AsteroidIntegrator.from_xml` for
restoring a deserialised integrator.

Units: nm, ps, kJ/mol, K.
"""

from __future__ import annotations

import gc
import math
import random
import time
import warnings
import weakref
from collections import deque
from dataclasses import asdict, dataclass, field

import numpy as np

from asteroid_openmm._openmm import import_openmm

from .guard import JumpGuard, RealMDStatistics

openmm = import_openmm()
unit = openmm.unit

#: Version marker stored in the integrator; lets :meth:`AsteroidIntegrator.from_xml`
#: recognise one of ours.
ASTEROID_INTEGRATOR_VERSION = 1

#: Boltzmann constant (kJ/mol/K).
KB = (unit.BOLTZMANN_CONSTANT_kB * unit.AVOGADRO_CONSTANT_NA).value_in_unit(unit.kilojoule_per_mole / unit.kelvin)

#: Default duration of the post-jump relaxation (ps) when ``relax_steps`` is not given.
DEFAULT_RELAX_TIME_PS = 0.04

VELOCITY_POLICIES = {"resample": 0, "finite-difference": 1}

#: Behaviour-affecting settings kept as integrator global variables:
#: name -> (unit / meaning). Read them with :meth:`AsteroidIntegrator.get_setting`.
SETTINGS = {
    "temperature": "bath temperature (K)",
    "friction": "Langevin friction of ordinary MD steps (1/ps)",
    "relax_friction": "Langevin friction during the post-jump relaxation (1/ps)",
    "frame_interval": "model frame interval (ps) = frame_stride * timestep",
    "frame_stride": "MD steps per model frame",
    "context_frames": "W, frames of context per forecast (the model's)",
    "horizon": "H, frames per forecast (the model's)",
    "rollouts": "R, chained forecasts per jump (a jump is at most H*R frames)",
    "anchor_steps": "real MD steps after a jump before the next forecast (multiple of frame_stride)",
    "relax_steps": "first steps of the anchor phase run at relax_friction",
    "max_spread": "largest STI spread (nm) of a committed forecast frame",
    "energy_sigma_low": "landing energy may lie this many std below the real-MD mean",
    "energy_sigma_high": "landing energy may lie this many std above the real-MD mean",
    "force_factor": "landing force soft maximum may be this many times the real-MD mean",
    "bond_tolerance": "largest bond-length deviation (nm) from recent real frames",
    "displacement_factor": "largest per-frame atom displacement relative to real MD",
    "min_motion_fraction": "smallest per-frame RMS displacement relative to real MD (frozen forecasts)",
    "min_jump_frames": "fewer good frames than this rejects a jump",
    "guard_evaluations": "real energy/force evaluations per jump",
    "velocity_policy": "velocities after a jump: 0 = resample (Maxwell-Boltzmann), 1 = finite-difference",
    "thermal_fast_modes": "1 = forecast frames take their bond and angle (1-2, 1-3) distances from a random recent "
                          "real-MD frame; 0 = as forecast",
    "fast_mode_bandwidth": "h of the smoothed bootstrap of thermal fast modes (0 = copy a real frame's distances; "
                           "-1 = automatic: AUTO_FAST_MODE_BANDWIDTH when rollouts > 1, else 0)",
    "fast_mode_covariance_frames": "recent equilibrium real frames whose 1-2/1-3 distance covariance shapes the "
                                   "smoothing noise (0 = the fast-mode donors themselves)",
    "fast_mode_donor_frames": "recent equilibrium real frames that donate their bond and angle distances to "
                              "forecast frames (thermal_fast_modes)",
    "fast_mode_donor_stride": "real MD steps between fast-mode donor frames in equilibrium real MD (0 = the "
                              "recorded frames, every frame_stride steps)",
    "planar_ring_modes": "1 = thermal fast modes also take the out-of-plane modes of planar rings (signed volumes "
                         "of the dihedral quads about their bonds) from the donor; 0 = bonds and angles only",
    "fast_mode_library": "1 = fast-mode donors are the model's donor library (real MD frames kept in the model file; "
                         "asteroid_openmm.model.donor_library); 0 = the run's own recent real frames",
    "rotamer_window": "fast-mode donors are drawn among real frames whose every rotatable torsion is within this "
                      "many degrees of the forecast frame's (asteroid_openmm.integrator.rotamers); 0 = any donor",
    "donor_hydrogen_torsions": "1 = rotamer torsions whose turning side is a lone hydrogen (hydroxyl-like) of "
                               "forecast frames take their fast-mode donor's value (within rotamer_window); 0 = as "
                               "forecast",
    "donor_rotor_phases": "1 = symmetric terminal rotors (methyl groups and the like) of forecast frames take their "
                          "fast-mode donor's libration phase (with thermal_fast_modes) instead of a random earlier "
                          "real frame's (thermal_rotors); 0 = as thermal_rotors says",
    "rotamer_wells": "1 = fast-mode donors are drawn among real frames in the forecast frame's well of every "
                     "rotatable torsion (wells: the maxima of the donors' own torsion density; "
                     "asteroid_openmm.integrator.rotamers) instead of within rotamer_window; 0 = off",
    "donor_neighbours": "k > 0 = each forecast frame's fast-mode donor is drawn among the k real frames nearest to it "
                        "in its heavy-atom rotamer torsions (lone-hydrogen ones within rotamer_window); 0 = "
                        "uniformly among those within rotamer_window",
    "donor_geometry": "1 = each forecast frame becomes its fast-mode donor superposed on it (the donor's whole "
                      "internal geometry; the forecast chooses the rotamer and the placement); 2 = the same with "
                      "the donor's heavy-atom rotamer torsions turned to the frame's first; 0 = only the donor's "
                      "bond and angle distances (and what the donor_* settings add)",
    "thermal_rotors": "1 = symmetric terminal rotors (methyl groups and the like) of forecast frames take their "
                      "libration phase from a random earlier real-MD frame; 0 = as forecast",
    "rotor_mc_steps": "Metropolis proposals per symmetric terminal rotor on each landing frame, under the real "
                      "potential (0 = none)",
    "rotor_bond_check": "1 = the guard judges the raw forecast's bonds to symmetric terminal rotor atoms too; 0 = "
                        "not while thermal_fast_modes and thermal_rotors rebuild those atoms in committed frames",
    "torsion_mc_steps": "Metropolis proposals per rotamer torsion (asteroid_openmm.integrator.rotamers) on each "
                        "landing frame, under the real potential (0 = none)",
    "link_mc_steps": "Metropolis proposals per rotamer torsion on the context of each chained forecast after the "
                     "first (the model's last frame), under the real potential (or see link_mc_library); the net "
                     "turns carry on through the chain (0 = none)",
    "link_mc_sd": "sd (degrees) of the link moves' Gaussian torsion proposals (link_mc_steps)",
    "link_mc_hydrogens": "1 = link moves also turn torsions whose turning side is a lone hydrogen (hydroxyl-like); "
                         "0 = only those that turn heavy atoms",
    "library_torsion_moves": "1 = the landing's and the links' rotamer torsion moves (torsion_mc_steps, "
                             "link_mc_steps) propose torsions drawn from the model's donor library (Metropolis-"
                             "Hastings, exact under the real potential); 0 = Gaussian turns",
    "library_torsion_window": "largest turn (degrees) library_torsion_moves propose; 180 = anywhere on the circle",
    "link_mc_library": "1 = link moves accept by the free energy of the moved torsions in the model's donor library "
                       "(a kernel density; no force evaluations); 0 = by real energies",
    "mirror_averaging": "1 = each forecast is averaged with the mirror image of the forecast of the mirrored, "
                        "relabelled context (achiral molecules; see asteroid_openmm.model.mirror); 0 = off",
    "mirror_sampling": "1 = each forecast is, at random, the plain one or the mirror image of the forecast of the "
                       "mirrored, relabelled context (achiral molecules); 0 = off",
    "torsion_kick": "sd of the random angular velocity about each rotatable bond given to the context of each "
                    "chained forecast, as a fraction of the thermal one (asteroid_openmm.model.torsion_kicks); "
                    "0 = off",
    "forecast_context": "1 = the model's own forecast frames serve as context of the next forecast; 0 = the "
                        "played-back frames (thermal fast modes included)",
    "landing_context": "1 = the model's frames carried as context (forecast_context) are made continuous with the "
                       "committed landing frame (its rotor turns, then a linearly growing share of the rest of "
                       "its difference); 0 = carried as forecast",
    "playback_interpolation": "what the Context shows between two model frames during playback: 0 = the nearest "
                              "model frame, 1 = the linear interpolation of the two",
    "noise_scale": "stochastic models (noise_dim > 0): sd of the latent noise draws relative to training (1 = as "
                   "trained, 0 = the noise-free path); no effect on deterministic models",
    "forecasting": "1 = forecast, 0 = plain Langevin MD",
    "velocity_seed": "base seed of the post-jump velocity draws",
}

#: Where the integrator is in its cycle, also kept as globals so states and
#: checkpoints carry it.
STATE_VARIABLES = {
    "phase": "0 = real MD (collecting / anchoring), 1 = playing back a forecast",
    "relax_left": "relaxation steps still to run",
    "anchor_left": "real MD steps until a forecast is allowed",
    "steps_to_forecast": "real MD steps until the next forecast (informational)",
    "jump_count": "jumps committed (drives the velocity seeds)",
    "consecutive_rejections": "rejections in a row (backs off the forecast rate)",
    "sync_token": "changes every step() call; a mismatch reveals loadState/loadCheckpoint",
}

_INT_SETTINGS = {
    "frame_stride", "context_frames", "horizon", "rollouts", "anchor_steps", "relax_steps",
    "min_jump_frames", "guard_evaluations", "velocity_policy", "forecasting", "velocity_seed", "thermal_fast_modes",
    "forecast_context", "fast_mode_covariance_frames", "fast_mode_donor_frames", "fast_mode_donor_stride",
    "planar_ring_modes", "mirror_averaging", "mirror_sampling", "thermal_rotors", "rotor_mc_steps", "torsion_mc_steps",
    "rotor_bond_check", "landing_context", "link_mc_steps", "link_mc_hydrogens", "playback_interpolation",
    "fast_mode_library", "link_mc_library", "donor_hydrogen_torsions",
    "donor_rotor_phases", "library_torsion_moves", "donor_neighbours", "donor_geometry", "rotamer_wells",
}

#: Real-frame libration phases kept for ``thermal_rotors``: every anchor-phase equilibrium frame of a long run
#: (~3 per jump), since fewer distinct donors is itself a distribution error.
ROTOR_PHASE_POOL = 100_000
#: Fewer pooled phases than this leave forecast frames' rotors as forecast.
MIN_ROTOR_DONORS = 16
#: Default ``fast_mode_donor_frames`` and (at most) ``fast_mode_donor_stride``: the last 256 equilibrium real frames
#: taken every 2 steps donate thermal fast modes. Measured on ethanol at 100 ps (docs/benchmarks.md, twentieth
#: session): mean 25 ps pass rate 32% (eight seeds) at r8s+ tmc8 ``max_spread=0.065`` and 52-59% at the defaults,
#: against 18% and 43-52% with the recorded frames (every ``frame_stride`` steps) and 32 donors; plain MD 35%.
DEFAULT_FAST_MODE_DONORS = 256
DEFAULT_FAST_MODE_DONOR_STRIDE = 2

#: Smoothed-bootstrap bandwidth of thermal fast modes for chained jumps (``fast_mode_bandwidth=None``,
#: stored as -1, and ``rollouts`` > 1). Measured at ``rollouts=8`` (100 ps, docs/benchmarks.md): 0.3 kept
#: bonds, angles and energy within 1.4x the floor on aspirin (0.5: energy 2.5x; none: angles 6.8x);
#: single forecasts (``rollouts=1``) play back few frames per real frame and are left unsmoothed.
AUTO_FAST_MODE_BANDWIDTH = 0.3

#: Largest relative difference between a donor library's temperature and the run's (``fast_mode_library``).
LIBRARY_TEMPERATURE_TOLERANCE = 0.01

#: Longest back-off (in multiples of ``anchor_steps``) after repeated rejections.
MAX_BACKOFF = 8


def _strip(value, target_unit, name: str) -> float:
    """A float in ``target_unit`` from a Quantity or a plain number (taken as already in that unit)."""
    if unit.is_quantity(value):
        try:
            return float(value.value_in_unit(target_unit))
        except TypeError:
            raise ValueError(f"{name} has units {value.unit}, which cannot be converted to {target_unit}") from None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number (in {target_unit}) or an openmm Quantity, got {value!r}") from None


def _has_torch_force(system) -> bool:
    """Whether ``system`` holds an openmm-torch ``TorchForce`` (False without openmm-torch installed)."""
    try:
        from asteroid_openmm.systems.ani import has_torch_force

        return has_torch_force(system)
    except ImportError:
        return False


def _library_frames(model, temperature: float) -> np.ndarray:
    """The model's fast-mode donor frames (nm) for a run at ``temperature`` K; ValueError if it has none or they
    were taken at another temperature."""
    from asteroid_openmm.model.donor_library import donor_library

    library = donor_library(model)
    if library is None:
        raise ValueError("fast_mode_library, link_mc_library or library_torsion_moves is on but the model has no "
                         "fast-mode donor library; attach one "
                         "(asteroid-openmm donors MODEL TRAJECTORY --temperature T --out NEW.pt) or turn it off")
    if abs(library.temperature - temperature) > LIBRARY_TEMPERATURE_TOLERANCE * temperature:
        raise ValueError(f"the model's fast-mode donor library was taken at {library.temperature:g} K, but the run "
                         f"is at {temperature:g} K: its fast modes would be of the wrong temperature; attach a "
                         "library of MD at the run's temperature, or turn fast_mode_library off")
    return library.frames


def nearest_frame_stride(frame_interval_ps: float, timestep_ps: float) -> int:
    """MD steps per model frame: the whole number (>= 1) nearest ``frame_interval_ps / timestep_ps``; whether it is
    exact is for the caller to check."""
    return max(1, int(round(float(frame_interval_ps) / float(timestep_ps))))


def _seed(seed: int) -> int:
    """Map any integer onto a valid, non-zero OpenMM seed (0 means 'random' to OpenMM)."""
    return int(seed) % (2**31 - 2) + 1


@dataclass
class AsteroidStats:
    """What the integrator did. Times are wall-clock seconds.

    ``jumps_accepted`` counts every committed jump, truncated ones included
    (``jumps_truncated`` is a subset); ``jumps_attempted = jumps_accepted +
    jumps_rejected``.
    ``model_seconds`` includes the thermal fast-mode resampling of forecast frames.
    """

    real_steps: int = 0
    forecast_steps: int = 0
    jumps_attempted: int = 0
    jumps_accepted: int = 0
    jumps_truncated: int = 0
    jumps_rejected: int = 0
    model_seconds: float = 0.0
    md_seconds: float = 0.0
    guard_seconds: float = 0.0
    playback_seconds: float = 0.0
    rejection_reasons: dict = field(default_factory=dict)

    @property
    def acceptance_rate(self) -> float:
        """Committed jumps / attempted jumps (NaN before the first attempt)."""
        return self.jumps_accepted / self.jumps_attempted if self.jumps_attempted else float("nan")

    @property
    def forecast_fraction(self) -> float:
        """Fraction of steps advanced by forecasts rather than real MD."""
        total = self.real_steps + self.forecast_steps
        return self.forecast_steps / total if total else 0.0

    @property
    def total_seconds(self) -> float:
        return self.model_seconds + self.md_seconds + self.guard_seconds + self.playback_seconds

    def as_dict(self) -> dict:
        """Flat dict of numbers (rejection reasons left out), for CSV rows."""
        d = asdict(self)
        d.pop("rejection_reasons")
        d["acceptance_rate"] = self.acceptance_rate
        d["forecast_fraction"] = self.forecast_fraction
        return d

    def reset(self) -> None:
        for name, value in asdict(AsteroidStats()).items():
            setattr(self, name, value)


class _Jump:
    """A committed forecast being played back.

    ``frames[0]`` is the real frame the forecast started from, ``frames[k]``
    the state ``k * stride`` steps later.
    """

    def __init__(self, start_step: int, start_time: float, frames: np.ndarray, stride: int,
                 context: np.ndarray | None = None):
        self.start_step = int(start_step)
        self.start_time = float(start_time)
        self.frames = frames
        #: the frames the next forecast sees as context (``frames`` when None)
        self.context = frames if context is None else context
        self.stride = int(stride)
        self.pos = 0  # steps played back so far
        self.total = (len(frames) - 1) * self.stride

    def positions_at(self, pos: int, linear: bool = False) -> np.ndarray:
        """Positions (nm) ``pos`` steps into the jump: between model frames the nearest one (the later on a tie),
        or with ``linear`` the linear interpolation of the two."""
        i, r = divmod(int(pos), self.stride)
        if r == 0:
            return self.frames[i]
        if not linear:
            return self.frames[i + int(2 * r >= self.stride)]
        w = r / self.stride
        return (1.0 - w) * self.frames[i] + w * self.frames[i + 1]


class AsteroidIntegrator(openmm.CustomIntegrator):
    """Langevin dynamics accelerated by ASTEROID forecasts, with real-force anchoring.

    A drop-in integrator: ``Simulation(topology, system, AsteroidIntegrator(...))``
    then ``simulation.step(n)`` advances the step count and time by exactly
    ``n`` steps; reporters see the forecast trajectory at their own intervals.
    With forecasting off (``forecasting=False``) it is plain Langevin BAOAB
    ("V R O R V"), sampling the same ensemble as ``openmm.LangevinMiddleIntegrator``.

    The defaults make one forecast per jump (about 2.5x on the ANI-1x
    molecules); :meth:`from_preset` ``("chained", ...)`` sets the measured
    chained-forecast settings (about 10x) at once.

    Parameters
    ----------
    model : AsteroidModel
        A trained forecaster (:func:`asteroid_openmm.model.load_model`) for
        this system; its ``frame_interval`` must be a whole number of timesteps.
    temperature : float or Quantity
        Bath temperature (K). Default 300 K.
    friction : float or Quantity
        Langevin friction (1/ps). Default 1/ps.
    timestep : float or Quantity
        MD timestep (ps). Default 0.002 ps.
    frame_stride : int, optional
        MD steps per model frame. Default: ``model.frame_interval / timestep``;
        ``frame_stride * timestep`` must equal the model's frame interval
        within 1e-6 ps.
    rollouts : int
        ``R``, chained forecasts per jump (a jump covers at most ``H*R``
        frames). Default 1.
    anchor_steps : int, optional
        Real MD steps after each jump before the next forecast; a multiple
        of ``frame_stride`` and at least ``relax_steps``. Default: the
        smallest multiple of ``frame_stride`` >= ``relax_steps + 2*frame_stride``.
    relax_steps : int, optional
        First steps of the anchor phase, run at ``relax_friction`` to
        thermalise the landing frame's fast modes (bond and angle vibrations a
        forecast gets wrong). Default: ``ceil(0.04 ps / timestep)``.
    relax_friction : float or Quantity
        Friction (1/ps) during relaxation. Default 100/ps. Measured on
        alanine dipeptide (120 landings on perturbed real frames, +52 or
        -40 kJ/mol off): without relaxation the potential energy stays
        18-25 kJ/mol off for 100+ steps even with resampled velocities; 10
        steps at 100/ps leave about +-4 kJ/mol; 20 steps (0.04 ps) at 100/ps
        leave <= 2 kJ/mol (the noise level). Resampling velocities alone
        does not thermalise the bond vibrations.
    velocity_policy : {"resample", "finite-difference"}
        Velocities after a jump: Maxwell-Boltzmann at the bath temperature
        (default), or from the last two forecast frames, rescaled to the
        bath temperature's kinetic energy.
    thermal_fast_modes : bool
        Give every forecast frame the bond and angle (1-2 and 1-3) distances
        of a random recent equilibrium real-MD frame, keeping the forecast's
        conformation (:mod:`asteroid_openmm.integrator.fast_modes`): forecasts
        cannot predict bond vibrations beyond a few frames, so played-back
        frames get thermal ones instead of near-mean ones. Default True.
    fast_mode_bandwidth : float or None
        ``h`` of the smoothed bootstrap that draws those fast modes: a random
        recent real frame's 1-2/1-3 distances plus Gaussian noise with ``h^2``
        times their real-MD covariance, rescaled so mean and covariance are
        kept (:mod:`~asteroid_openmm.integrator.fast_modes`); 0 copies a real
        frame's distances. A long chained jump plays back hundreds of frames
        per few recorded real frames, and copies of few frames are a
        distribution error of their own (100 ps ethanol, ``rollouts=8``:
        bond and angle divergences 5.3x and 3.6x the noise floor with copies,
        1.6-3.1x and 0.4-0.7x with ``h`` = 0.5). Default None: 0.3
        (:data:`AUTO_FAST_MODE_BANDWIDTH`) when ``rollouts`` > 1, else 0;
        stored as -1 and resolved at each forecast.
    fast_mode_covariance_frames : int
        How many recent equilibrium real frames estimate the covariance of
        the smoothing noise. 0 (default) uses the fast-mode donors
        themselves: with few donors (32 before the twentieth session), a
        covariance of dozens of distances from few samples, whose noisy
        large eigenvalues put
        extra strain into the smoothed frames. Offline (ethanol, ``h`` =
        0.3): the played-back energy sd is 13.7 kJ/mol with the donors'
        covariance and 12.8 with the last 256 real frames' (plain MD 12.9).
    fast_mode_donor_frames : int
        How many recent equilibrium real frames donate their bond and angle
        distances to forecast frames (default 256). A chained jump plays back
        hundreds of frames per few real ones, and hundreds of frames drawn from
        a few dozen is itself a distribution error: a larger pool draws from
        more distinct samples, at the price of donors from further back in
        the run. Measured on ethanol (100 ps, ``rollouts=8``): mean 25 ps
        pass rates 18-19% with 32 donors (the default before the twentieth
        session), 30-34% with 160-512.
    fast_mode_donor_stride : int, optional
        Real MD steps between fast-mode donor frames, taken in equilibrium
        real MD (never during relaxation); 0 takes the recorded frames
        (every ``frame_stride`` steps), as before this setting existed.
        Bond vibrations decorrelate within a few steps, so donors a few
        steps apart are nearly independent samples of the fast modes, and
        the pool spans fewer, more recent anchor phases. Default:
        ``min(2, frame_stride)``.
    planar_ring_modes : bool
        With ``thermal_fast_modes``: whether forecast frames also take the
        out-of-plane modes of planar rings (aromatic rings; the rings found
        planar in the first recorded frames) from the same donor, as the
        signed volumes of the dihedral quads about the ring bonds. Distances
        set those modes only to second order, and chained forecasts damp
        them (aspirin: ring torsions' sd 0.82-0.95x plain MD's). Only quads
        whose outer atoms are ring atoms or terminal atoms (hydrogens ...)
        count: a heavy substituent's wag is slow
        (aspirin's O3-C4-C9-C10 keeps an autocorrelation of 0.5 at 50 fs)
        and is left to the model. Measured on aspirin's chained jumps
        (100 ps, ``rollouts=8``, two seeds): the ring torsions' widths
        come back to plain MD's, but the played-back energies rise by
        1-6 kJ/mol and the 25 ps pass rate stays at 0-4% (without: 0-1%),
        so it is off by default. No effect on molecules without planar
        rings.
    fast_mode_library : bool
        Draw thermal fast-mode donors from the model's donor library (real
        MD frames at the run's temperature kept in the model file:
        ``asteroid-openmm donors`` or
        :func:`asteroid_openmm.model.donor_library.attach_donor_library`)
        instead of the run's own recent real frames. In a chained run those
        are at most ``anchor_steps`` past a landing frame whose distances
        came from earlier donors, so the pool feeds on itself and drifts
        (aspirin's ester angle: mean 117.0 degrees against 118.3, sd 3.97
        or 4.91 in two runs against 4.76). Measured on 100 ps of aspirin at
        ``rollouts=8`` with link moves, four seeds (docs/benchmarks.md,
        twenty-fourth session): with the shipped model's library of
        independent MC-MD frames, bonds and angles were within 1.5x the
        noise floor in 86-97% of 25 ps segments (own donors 4-55%, plain MD
        79-83%) and 14-28% of segments passed (own donors 1-5%, plain MD
        43%); the played-back energy rose from +0.8-3.6 to +4.7-6.4 kJ/mol
        above the reference. On ethanol (``rollouts=8``, four seeds) 44% of
        segments passed against 35% with its own donors (plain MD 35%). A
        library of another temperature (more than 1% off) is refused.
        Default False.
    rotamer_window : float
        Degrees. Draw each forecast frame's fast-mode donor among the real
        frames whose every rotatable torsion (bonds on no ring between
        non-terminal atoms, methyl-type rotors left out) lies within this of
        the frame's, or, where none does, matches on the most torsions
        (:mod:`asteroid_openmm.integrator.rotamers`). Bond angles depend on
        the rotamer, and distances copied across rotamers strain the frame:
        offline, grafting a random thermal frame's distances raised ANI-1x
        energies by 3.5-3.7 kJ/mol on ethanol (+9.5 and an sd of 33 against
        22 on aspirin); with donors within 60 degrees, 0.6-1.3 (+5.1, sd
        25). In 100 ps ethanol hybrids (``rollouts=8`` with thermal rotors,
        four paired seeds) the energy divergence fell from 2.9-4.6x to
        1.5-2.5x the noise floor; alanine dipeptide (three seeds) showed no
        change beyond the seeds' scatter. With a donor library
        (``fast_mode_library``) there are thousands of donors, and chained
        runs do better at 30: 25 ps pass rates over four seeds rose from 44%
        to 53% on ethanol and, with the twenty-fifth session's aspirin
        model, from 28% to 40% (plain MD 35% and 43%; docs/benchmarks.md).
        0 draws any donor. Default 60.
    rotamer_wells : bool
        Draw each forecast frame's fast-mode donor among the real frames in
        the frame's well of every rotatable torsion instead of within
        ``rotamer_window`` of it. The wells are the maxima of the donors' own
        torsion density, their edges the density minima between them
        (:meth:`Rotamers.wells
        <asteroid_openmm.integrator.rotamers.Rotamers.wells>`), so the
        criterion fits twofold and threefold torsions alike and a frame near
        a barrier gets donors from its own side only. Measured on aspirin
        with ``donor_geometry=1`` (docs/benchmarks.md, thirty-first
        session): with a 90-degree window instead, frames near a barrier
        drew donors from both wells, and the played-back rotamers flickered
        (2.6 ester and 2.8 carboxyl well changes per ps against 0.13-0.15
        and 0.02-0.04 in plain MD); with wells, 0.15-0.27 and 0.10-0.32 over
        four seeds, at the same fidelity. Default False.
    donor_hydrogen_torsions : bool
        With ``thermal_fast_modes``: rotamer torsions whose turning side is
        a lone hydrogen (a hydroxyl's C-O-H torsion and the like) take, in
        every forecast frame, the value of the frame's fast-mode donor (a
        rigid turn of the hydrogen, which keeps every bond and angle), where
        the donor lies within ``rotamer_window`` degrees of it (any donor's
        with ``rotamer_window=0``). Such a torsion is a fast libration, and
        chained forecasts damp it as they damp bond vibrations. Measured on
        100 ps of aspirin at ``rollouts=8`` with a donor library
        (docs/benchmarks.md, twenty-eighth session): the carboxyl O-H's
        circular sd came to 13.0-13.3 degrees over four seeds (MC-MD 13.6;
        9.0-9.4 without), but the 25 ps pass rate did not move (27-45%
        against 27-41%, mean 35.5% both; plain MD 43%), as the ester
        torsion's population, which the chained forecasts drift, carries
        most of the dihedral divergence. Offline, the played-back energy did
        not change measurably (-0.4 +- 0.8 kJ/mol, paired); taking the heavy
        rotamer torsions from the donor too brought the dihedrals less close.
        Default False.
    donor_rotor_phases : bool
        With ``thermal_fast_modes``: each symmetric terminal rotor (a methyl
        group and the like) of every forecast frame takes the libration phase
        of the frame's fast-mode donor (the turn of least size about the
        rotor's axis, as ``thermal_rotors`` does; the well stays the
        forecast's) instead of that of a random earlier real frame. With a
        donor library (``fast_mode_library``) the phases then come from
        thousands of real frames, in the frame's rotamer (``rotamer_window``),
        where ``thermal_rotors`` draws from the run's own anchor phases, a few
        hundred landings that each carry their phase on. Measured on 100 ps
        of aspirin at ``rollouts=8`` with a 10,000-frame library
        (docs/benchmarks.md, twenty-ninth session; four seeds): the acetyl
        methyl's phase histogram came to the reference's, the played-back
        energy fell by 0.8 kJ/mol, and the 25 ps pass rate rose from 35.5% to
        52% (plain MD 43%) at 9.3-10.2x. Default False.
    donor_neighbours : int
        With ``thermal_fast_modes``: draw each forecast frame's fast-mode
        donor among the ``k`` real frames nearest to it in the rotamer
        torsions that turn heavy atoms (lone-hydrogen ones need only lie
        within ``rotamer_window``; :meth:`Rotamers.nearest
        <asteroid_openmm.integrator.rotamers.Rotamers.nearest>`) instead of
        uniformly among those within ``rotamer_window``: the donors then
        follow the forecast's conformation closely. Measured on aspirin
        (docs/benchmarks.md, thirty-first session): with
        ``donor_geometry=2`` and ``k = 16`` the played-back energy came to
        the reference's, but the dihedrals to 2.0-2.8x the noise floor,
        since the chained forecasts' damped torsion librations are then
        kept. 0 (the default) draws uniformly within ``rotamer_window``.
    donor_geometry : int
        With ``thermal_fast_modes``, what a forecast frame takes from its
        fast-mode donor. 0 (the default): the bond and angle distances (and
        what ``planar_ring_modes``, ``donor_hydrogen_torsions`` and
        ``donor_rotor_phases`` add). 1: the donor's whole internal geometry,
        superposed on the forecast frame (mass-weighted least squares;
        :meth:`Rotamers.graft
        <asteroid_openmm.integrator.rotamers.Rotamers.graft>`): the forecast
        decides the rotamer (through the donor's choice within
        ``rotamer_window`` or in the frame's wells, ``rotamer_wells``) and
        the molecule's place and orientation, a real
        frame everything within the rotamer, so played-back frames are real
        configurations and their energies thermal. 2: the same with the
        donor's heavy-atom rotamer torsions first turned to the forecast's
        (as 1 does for a frame whose donor lies outside its rotamer, when no
        donor is in its window or wells on every torsion, or when
        ``rotamer_window`` is 0 without wells: the forecast's rotamer is
        never replaced).
        With 1 or 2 thermal rotors are not drawn (the phases are the
        donor's). Meant for a donor library (``fast_mode_library``) of
        thousands of frames: played-back frames repeat its frames, so its
        sampling error becomes the run's, and successive played-back frames
        are independent samples within a rotamer, not a trajectory. Measured
        on 100 ps of aspirin at ``rollouts=8`` with a 10,000-frame MC-MD
        library (docs/benchmarks.md, thirty-first session; the ``library``
        preset: with ``rotamer_wells``, no link moves, four seeds): the
        played-back energy came from +3.7 to +4.6 kJ/mol above the reference
        to -0.9 to -0.1, and every full-run divergence within 1.5x the noise
        floor at 11.1-12.5x; with ``rotamer_window=60`` instead of wells the
        within-well librations stayed narrow (energy 1.5-1.9x the floor).
        Default 0.
    thermal_rotors : bool
        Turn each symmetric terminal rotor (methyl groups and the like) of
        every forecast frame rigidly about its axis so that its libration
        phase is that of a random earlier real frame
        (:mod:`asteroid_openmm.integrator.rotor_librations`): chained
        forecasts do not keep a methyl group's libration amplitude. The
        donors are the equilibrium real frames of the anchor phases (not the
        first context, one stretch of one libration), used once there are
        ``MIN_ROTOR_DONORS``. They are thermal only with ``rotor_mc_steps``:
        each anchor phase otherwise carries its landing phase on. Measured on
        100 ps of ethanol at ``rollouts=8, relax_steps=20, anchor_steps=40``
        with ``rotor_mc_steps=4`` (four seeds, 9.6-10.4x): methyl phase sd
        17.0-18.7 degrees (plain MD 18.0), 25 ps pass rates 14-35% against
        2-23% without (plain MD 41%). Without ``rotor_mc_steps`` the phases
        came out too narrow (sd 13-15). At the other defaults (``rollouts=1``,
        ``rotamer_window=60``) with ``rotor_mc_steps=4``: 47% and 57% on two
        seeds against 18-26% without; on alanine dipeptide (three seeds) the
        dihedral divergence fell from 12.8-14.9x to 4.2-9.2x the noise floor.
        Default True (integrators restored from XML written before it existed
        keep it off).
    rotor_mc_steps : int
        Metropolis proposals per symmetric terminal rotor on each landing
        frame, with real energies (one evaluation each, counted in
        ``stats.guard_seconds``): a Gaussian turn of sd a sixth of the
        rotor's period, accepted with ``min(1, exp(-dU / kT))``, so the
        landing's libration phases are Boltzmann-distributed given the rest
        of the frame. With ``thermal_rotors`` this is what makes its pool of
        real phases thermal: each anchor phase otherwise carries its landing
        phase on. With ``torsion_mc_steps``, a landing makes at most
        ``anchor_steps`` proposals (one energy evaluation each); beyond that
        (dozens of rotors) the moved groups are drawn at random. Default 4 (0 = none).
    rotor_bond_check : bool
        Whether the guard's bond-length check on the model's raw frames also
        judges the bonds to symmetric terminal rotor atoms (methyl hydrogens
        and the like). With ``thermal_fast_modes`` and ``thermal_rotors`` on,
        committed frames rebuild those atoms from real samples (their bond
        and angle distances, then their libration phase), so their raw
        positions never reach the Context; energies and forces are still
        judged on the committed frames (and sp3 inversions on both). Default
        True (judged). Measured on aspirin before ``landing_context``
        existed, when the forecasts' acetyl methyl C-H bonds came out
        0.02-0.04 nm off (the context's one-frame jump at the landing, which
        ``landing_context`` removes): with the check, every bond-guard stop
        of a 20 ps run was at a methyl C-H bond (17 of 17). Without it (100
        ps, two paired seeds), aspirin's rejected jumps
        fell by 40-50% and its dihedral ratio from 3.1-3.8 to 1.2-2.5, but
        its energy ratio rose from 2.4-5.3 to 8.0-8.1 (mean energy +8 to +10
        kJ/mol against +1.6 to +3.6); on ethanol (four seeds) the mean 25 ps
        pass rate fell from 32% to 24%. See docs/benchmarks.md.
    torsion_mc_steps : int
        Metropolis proposals per rotamer torsion (rotatable bonds other
        than methyl-type rotors; :mod:`asteroid_openmm.integrator.rotamers`)
        on each landing frame, with real energies (one evaluation each,
        counted in ``stats.guard_seconds``): the bond's lighter side turns
        rigidly by a Gaussian angle of sd ``TORSION_MC_SD_DEG`` (40 degrees),
        accepted with ``min(1, exp(-dU / kT))``, so the landing's torsions
        are Boltzmann-distributed given the rest of the frame. Chained
        forecasts turn such torsions too slowly and drift them towards one
        well. Measured on 100 ps of ethanol (``rollouts=8`` with thermal
        rotors and ``rotamer_window``, four seeds): with 4 moves the
        hydroxyl made 2.0-2.4 transitions per ps (1.1-1.3 without, plain MD
        3.0-3.9), 25 ps pass rates 22-36% (18-29% without), about 4% of the
        run's time; its g+ / g- imbalance stays. The net turns of both kinds
        of landing moves are given to the context frames before the landing
        too, so the next forecast does not see those groups jump: without
        that, 8 moves made 31 of 53 aspirin jumps (10 ps) fail the bond
        guard, against 4-7 of 23-25 with it. Default 0 (none).
    link_mc_steps : int
        With ``rollouts`` > 1: Metropolis proposals per rotamer torsion (as
        ``torsion_mc_steps``, but of sd ``link_mc_sd``) on the last context
        frame of each chained forecast after the first, i.e. on the model's
        own last frame, with real energies (one evaluation each, counted in
        ``stats.guard_seconds``; at most ``anchor_steps`` per link). The net
        turns are given to the whole context, later forecasts continue from
        the turned torsions, and the frames of the forecast before the link
        take a linearly growing share of them (the k-th of H frames k/H), so
        the played-back chain is continuous. A mean forecaster turns
        torsions more slowly than real dynamics and loses more of that
        motion the longer it is chained (aspirin's ester torsion: rms move
        41.6 degrees against 60.8 in real MD by the 128th frame); these moves
        sample the torsions under the real potential along the chain. By
        default only torsions that turn heavy atoms move (see
        ``link_mc_hydrogens``). With ``torsion_kick`` the kicks are applied
        first and carried on with the turns. Measured on 100 ps of aspirin at
        ``rollouts=8`` (four seeds each, against an MC-MD reference; see
        docs/benchmarks.md, twenty-third session): with 2 moves the pooled
        dihedral divergence (symmetrised) fell from 27-38 to 7-14 x 1e-3
        (plain MD 0.7-1.3), the ester torsion's from 39-84 to 13-28, at
        6.6-7.0x instead of 9.5-11.7x (about 7 energy evaluations per link).
        Default 0 (none).
    link_mc_sd : float
        sd (degrees) of the link moves' Gaussian proposals. Each turn is
        ramped in over one forecast (H frames), so it should be of the
        order of a torsion's real motion over that time (aspirin's ester
        and carboxyl torsions: 18-20 degrees rms over 16 frames of 5 fs).
        Default 20.
    link_mc_hydrogens : bool
        Whether link moves also turn torsions whose turning side is a lone
        hydrogen (a hydroxyl's). Those librate within a few frames, so a
        mean forecast does not lose them the way it loses conformational
        motion. Default False.
    link_mc_library : bool
        Link moves accept by the free energy of the moved torsions in the
        model's donor library (``-kT ln p``, ``p`` a kernel density of the
        library frames' torsions; :class:`~.rotamers.TorsionFreeEnergy`)
        instead of by real energies: no force evaluations, so the links cost
        next to nothing, and the torsions at each link are drawn from their
        joint distribution in real MD rather than from their Boltzmann
        distribution given the model's smoothed frame. It ignores the
        torsions' coupling to the rest of the frame, which costs energy: one
        such move raised the real energy of equilibrium aspirin frames by
        5.8 ± 0.9 kJ/mol (0.2 ± 0.3 under the real potential). Measured on
        100 ps of aspirin (docs/benchmarks.md, twenty-fifth session): with
        the shipped model and ``rotamer_window=30`` it passed 29-41% of 25 ps
        segments over six seeds at 9.9-10.6x against 37-45% at 8.5-9.4x
        with real energies (four seeds); with the previous model it
        lost more energy than it gained in dihedrals. Needs a library at the
        run's temperature (as ``fast_mode_library``). Default False.
    library_torsion_moves : bool
        The Metropolis moves of rotamer torsions on landing frames
        (``torsion_mc_steps``) and on chained contexts (``link_mc_steps``)
        propose, instead of a Gaussian turn, a torsion drawn from the
        model's donor library (a kernel density of its frames' value of that
        torsion; :class:`~.rotamers.TorsionProposals`), accepted with the
        Metropolis-Hastings ratio under the real potential (or the library
        free energy with ``link_mc_library``): exact whatever the library,
        and an accepted move draws the torsion afresh within
        ``library_torsion_window``. Needs a library at the run's
        temperature (as ``fast_mode_library``). Default False.
    library_torsion_window : float
        Largest turn (degrees) that ``library_torsion_moves`` propose; 180
        draws from the whole circle (either well). A link's turn is spread
        over the forecast before it, so a large one (a flip between wells)
        would pass the played-back frames through the barrier between them:
        measured on 100 ps of aspirin, proposals from anywhere raised the
        played-back energy by 38 kJ/mol and cut the speed-up to 5.3x.
        Default 60.
    mirror_averaging : bool
        Make forecasts exactly mirror-equivariant: each forecast of a chain
        is the mean of the model's forecast and the mirror image of its
        forecast of the mirrored context, with symmetry-equivalent atoms
        relabelled so the mirror image keeps the molecule's labelled
        handedness (:mod:`asteroid_openmm.model.mirror`). A model need not
        respect that symmetry, and chained forecasts then drift towards one
        handedness: the shipped ethanol model turns the hydroxyl's g+ / g-
        populations (equal by symmetry) from 0.37 / 0.37 into 0.48 / 0.25
        over 8 chained forecasts. Costs a second forecast per link (one
        batch). Ignored, with a warning, for a chiral molecule (a real
        stereocentre: no relabelling exists). Default False.
    mirror_sampling : bool
        Make chained forecasts mirror-symmetric in distribution instead: each
        forecast of a chain is, with probability 1/2, the model's forecast
        or the mirror image of its forecast of the mirrored, relabelled
        context. Costs nothing extra, and no forecast is the mean of two
        futures (a mean of two futures turns torsions more slowly than
        either). Excludes ``mirror_averaging``. Ignored, with a warning, for
        a chiral molecule. Measured on 100 ps of ethanol at ``rollouts=8``
        (3 seeds): 10.0-10.6x with g+ and g- balanced, but fewer passing
        25 ps segments than ``mirror_averaging`` on the same seeds (5-9%
        against 8-22%) and a mean energy 1.5-3.4 kJ/mol higher. The right
        symmetrisation for a stochastic model, whose samples an average
        would shrink. Default False.
    torsion_kick : float
        Before each chained forecast after the first, give the context (the
        model's own earlier frames) a random angular velocity about every
        rotatable bond (the lighter side turns; the last frame, bond lengths
        and angles are kept), drawn from the Maxwell-Boltzmann distribution of
        that rotation times this scale; the model's dynamics carry it on
        (:mod:`asteroid_openmm.model.torsion_kicks`). A forecaster that
        predicts the mean future loses torsional motion along a chain: with
        the shipped ethanol model the hydroxyl rotor turned gauche/trans 3-5x
        less often than in plain MD over 100 ps. At 1.0 the kicks restore
        the rotor's transition rate and state populations, but broaden its
        wells towards the barriers and raise the mean energy (10-11 kJ/mol
        above the reference, against 7-8 without, same seeds), so the
        fidelity divergences get worse (docs/benchmarks.md, thirteenth
        session). Every bond that lies on no ring counts as rotatable, amide
        C-N bonds included. Needs ``rollouts`` > 1. Default 0 (off).
    forecast_context : bool
        Which version of a jump's frames the next forecast sees as context:
        the model's own frames (True, default) or the played-back ones with
        thermal fast modes (False). A model trained on real MD has never seen
        bonds and angles that jump at random from frame to frame. Measured
        with ``benchmarks/rollout_quality.py`` (ethanol, shipped model, 117
        held-out windows, 4 chained forecasts): fed its own frames, the
        chain's position error at its 64th frame is 0.70 Å and its frames'
        energies lie -21 to +19 kJ/mol from the true mean; fed played-back
        frames, 0.95 Å and +119 to +183 kJ/mol.
    landing_context : bool
        With ``forecast_context``: whether the model's frames carried into
        the next context are first made continuous with the committed
        landing frame, which differs from the model's last frame by its
        thermal fast modes and rotor phases. The carried frames get the
        landing frame's rotor turns, then the k-th of m frames k/(m+1) of
        the rest of the difference. Without it the context shows that
        difference as one step of several times a real frame's (aspirin's
        methyl hydrogens: 0.1-0.15 nm), which the model extrapolates.
        Default True (integrators serialised before it existed: False).
    playback_interpolation : bool
        What the Context shows (what reporters record) at a playback step
        between two model frames, i.e. when a reporter's interval is not a
        multiple of the frame stride. False: the nearest model frame (the
        later one on a tie), so every reported configuration is a committed
        frame and the step count and time stay exact. True: the linear
        interpolation of the two frames. Thermal fast modes and rotor phases
        are drawn independently for each frame, and their average is not a
        thermal configuration: measured on aspirin (``rollouts=8``, 500 K,
        every 5 steps for 10 ps, frame stride 10, twenty-fourth session in
        docs/benchmarks.md), interpolated configurations had a potential
        energy 56 kJ/mol above the model frames' (bonds 1.0e-3 nm short on
        average, bond-angle sd 0.70x plain MD's against 0.86x). Default
        False (integrators serialised before it existed: True).
    noise_scale : float
        Stochastic models (``noise_dim`` > 0) only: the sd of their latent
        noise draws relative to training's. 1 (default) samples as trained;
        smaller values move each forecast towards the model's noise-free
        path (0). Measured on aspirin's chained jumps: the twenty-first
        session's stochastic model at 1 widens the ring's out-of-plane
        torsions beyond plain MD's (sd 13.8-14.5 degrees against 12.2), the
        shipped deterministic one narrows them (10.7-11.3).
    forecasting : bool
        False runs plain Langevin MD (the forecast machinery is idle). Default True.
    max_spread : float
        Largest STI spread (nm) of a committed frame; the jump stops at the
        first frame above it (adaptive jump length). Default 0.05 nm.
    energy_sigma_low, energy_sigma_high : float
        The potential energy of checked forecast frames must lie within
        ``[mean - low*std, mean + high*std]`` of recent real frames. Default 4, 4.
    force_factor : float
        Largest forces of checked frames (a soft maximum, the L8 norm of the
        force components), relative to the mean over recent real frames.
        Default 3 (real alanine-dipeptide frames reach at most 2.3x).
    bond_tolerance : float
        Largest bond-length deviation (nm) from the recent real mean. Default 0.02 nm.
    displacement_factor : float
        Largest per-frame atom displacement relative to the largest between
        recent real frames. Default 4.
    min_motion_fraction : float
        Smallest RMS frame-to-frame displacement of a forecast frame relative
        to the mean of recent real frames; catches frozen forecasts (a model
        repeating or averaging its context). 0 disables. Default 0.25.
    min_jump_frames : int
        A jump with fewer good frames is rejected. Default 2.
    guard_evaluations : int
        Real energy/force evaluations per jump (landing tries plus a
        middle-frame probe). Default 3.
    constraint_tolerance : float
        Relative constraint tolerance for MD steps and for projecting
        forecast frames. Default 1e-6.
    random_seed : int, optional
        Seed of the Langevin noise and of the post-jump velocity draws
        (reproducible runs). Default: random.

    Attributes
    ----------
    model : AsteroidModel
    stats : AsteroidStats
        Counters and timings (:class:`AsteroidStats`).
    md_torch_threads : int or None
        Torch intra-op threads while :meth:`step` runs, when the System holds
        an openmm-torch ``TorchForce`` evaluated on the CPU or Reference
        platform (restored afterwards). Default 1: torch's worker threads and
        OpenMM's CPU threads otherwise spin against each other (measured on 2
        cores: see docs/benchmarks.md, "Plain MD speed"). Raise it for a
        potential large enough to gain from parallel torch ops; ``None``
        leaves torch's setting alone. Speed only: results do not depend on it.

    Notes
    -----
    What reporters see during playback: positions are the forecast frames
    (the nearest model frame between two of them, see
    ``playback_interpolation``; constraints applied, virtual sites
    recomputed); step count and time advance exactly; the
    velocities are still those of the last real step, so a reported
    kinetic energy/temperature during playback is that of the pre-jump state.
    Periodic systems are forecast in unwrapped coordinates and the box is
    held fixed during playback (a barostat acts only during real MD).

    The integrator finds its Context by itself the first time ``step`` is
    called: a Python ``Context`` keeps a reference to the Python integrator it
    was created with (what ``Context.getIntegrator()`` returns), so it is
    looked up once among the integrator's referrers and then held weakly.
    Should that ever fail (e.g. a Context created from C++), call
    :meth:`attach` with the Context. After changing positions or velocities
    by hand in the middle of a run (anything but ``loadState`` /
    ``loadCheckpoint`` / ``setState``, which are detected), call
    :meth:`reset` so the forecast context is rebuilt from real MD.

    A plain ``XmlSerializer.deserialize`` gives back an
    ``openmm.CustomIntegrator`` that runs Langevin MD with the stored
    settings; :meth:`from_xml` turns it back into an ``AsteroidIntegrator``
    given the model.
    """

    def __init__(
        self,
        model,
        temperature=300.0 * unit.kelvin,
        friction=1.0 / unit.picosecond,
        timestep=0.002 * unit.picoseconds,
        *,
        frame_stride: int | None = None,
        rollouts: int = 1,
        anchor_steps: int | None = None,
        relax_steps: int | None = None,
        relax_friction=100.0 / unit.picosecond,
        velocity_policy: str = "resample",
        thermal_fast_modes: bool = True,
        fast_mode_bandwidth: float | None = None,
        fast_mode_covariance_frames: int = 0,
        fast_mode_donor_frames: int = DEFAULT_FAST_MODE_DONORS,
        fast_mode_donor_stride: int | None = None,
        planar_ring_modes: bool = False,
        fast_mode_library: bool = False,
        rotamer_window: float = 60.0,
        donor_hydrogen_torsions: bool = False,
        donor_rotor_phases: bool = False,
        rotamer_wells: bool = False,
        donor_neighbours: int = 0,
        donor_geometry: int = 0,
        thermal_rotors: bool = True,
        rotor_mc_steps: int = 4,
        rotor_bond_check: bool = True,
        torsion_mc_steps: int = 0,
        link_mc_steps: int = 0,
        link_mc_sd: float = 20.0,
        link_mc_hydrogens: bool = False,
        link_mc_library: bool = False,
        library_torsion_moves: bool = False,
        library_torsion_window: float = 60.0,
        mirror_averaging: bool = False,
        mirror_sampling: bool = False,
        torsion_kick: float = 0.0,
        forecast_context: bool = True,
        landing_context: bool = True,
        playback_interpolation: bool = False,
        noise_scale: float = 1.0,
        forecasting: bool = True,
        max_spread: float = 0.05,
        energy_sigma_low: float = 4.0,
        energy_sigma_high: float = 4.0,
        force_factor: float = 3.0,
        bond_tolerance: float = 0.02,
        displacement_factor: float = 4.0,
        min_motion_fraction: float = 0.25,
        min_jump_frames: int = 2,
        guard_evaluations: int = 3,
        constraint_tolerance: float = 1e-6,
        random_seed: int | None = None,
    ):
        temperature = _strip(temperature, unit.kelvin, "temperature")
        friction = _strip(friction, unit.picosecond**-1, "friction")
        dt = _strip(timestep, unit.picosecond, "timestep")
        relax_friction = _strip(relax_friction, unit.picosecond**-1, "relax_friction")
        max_spread = _strip(max_spread, unit.nanometer, "max_spread")
        bond_tolerance = _strip(bond_tolerance, unit.nanometer, "bond_tolerance")
        if not dt > 0:
            raise ValueError(f"timestep must be > 0 ps, got {dt}")
        if not temperature > 0:
            raise ValueError(f"temperature must be > 0 K, got {temperature}")
        if friction < 0 or relax_friction < 0:
            raise ValueError("friction and relax_friction must be >= 0 (1/ps)")
        for attr in ("frame_interval", "context_frames", "horizon", "forecast_torch"):
            if not hasattr(model, attr):
                raise ValueError(
                    f"model has no {attr!r}; pass an AsteroidModel (asteroid_openmm.model.load_model('model.pt'))"
                )
        frame_interval = float(model.frame_interval)
        if frame_stride is None:
            frame_stride = nearest_frame_stride(frame_interval, dt)
            if abs(frame_stride * dt - frame_interval) > 1e-6:
                suggestion = frame_interval / max(1, math.ceil(frame_interval / dt))
                raise ValueError(
                    f"the model's frame interval ({frame_interval} ps) is not a whole number of timesteps "
                    f"({dt} ps); use a timestep that divides it, e.g. {suggestion:g} ps"
                )
        else:
            frame_stride = int(frame_stride)
            if frame_stride < 1:
                raise ValueError(f"frame_stride must be >= 1, got {frame_stride}")
            if abs(frame_stride * dt - frame_interval) > 1e-6:
                raise ValueError(
                    f"frame_stride ({frame_stride}) x timestep ({dt} ps) = {frame_stride * dt:g} ps, but the model's "
                    f"frame_interval is {frame_interval} ps; they must agree within 1e-6 ps. Use "
                    f"frame_stride={nearest_frame_stride(frame_interval, dt)} or leave it out"
                )
        if relax_steps is None:
            relax_steps = int(math.ceil(DEFAULT_RELAX_TIME_PS / dt - 1e-9))
        relax_steps = int(relax_steps)
        if relax_steps < 0:
            raise ValueError(f"relax_steps must be >= 0, got {relax_steps}")
        if anchor_steps is None:
            anchor_steps = frame_stride * int(math.ceil((relax_steps + 2 * frame_stride) / frame_stride))
        anchor_steps = int(anchor_steps)
        if anchor_steps < frame_stride or anchor_steps % frame_stride:
            suggestion = frame_stride * max(1, math.ceil(anchor_steps / frame_stride))
            raise ValueError(
                f"anchor_steps ({anchor_steps}) must be a positive multiple of frame_stride ({frame_stride}) so frames "
                f"stay evenly spaced; use anchor_steps={suggestion}"
            )
        if relax_steps > anchor_steps:
            raise ValueError(
                f"relax_steps ({relax_steps}) must not exceed anchor_steps ({anchor_steps}): relaxation is part of the "
                "anchor phase. Raise anchor_steps or lower relax_steps"
            )
        if int(rollouts) < 1:
            raise ValueError(f"rollouts must be >= 1, got {rollouts}")
        if velocity_policy not in VELOCITY_POLICIES and velocity_policy not in VELOCITY_POLICIES.values():
            raise ValueError(
                f"velocity_policy must be one of {sorted(VELOCITY_POLICIES)}, got {velocity_policy!r}"
            )
        policy = VELOCITY_POLICIES.get(velocity_policy, velocity_policy)
        for name, value in (
            ("max_spread", max_spread), ("energy_sigma_low", energy_sigma_low),
            ("energy_sigma_high", energy_sigma_high), ("force_factor", force_factor),
            ("bond_tolerance", bond_tolerance), ("displacement_factor", displacement_factor),
        ):
            if not float(value) > 0:
                raise ValueError(f"{name} must be > 0, got {value}")
        if fast_mode_bandwidth is None or float(fast_mode_bandwidth) == -1:
            fast_mode_bandwidth = -1.0
        elif not 0 <= float(fast_mode_bandwidth) <= 10:
            raise ValueError(f"fast_mode_bandwidth must lie in [0, 10] (0 = no smoothing) or be None (automatic), "
                             f"got {fast_mode_bandwidth}")
        if mirror_averaging and mirror_sampling:
            raise ValueError("mirror_averaging and mirror_sampling exclude each other: turn one of them off")
        if fast_mode_library or link_mc_library or library_torsion_moves:
            _library_frames(model, temperature)
        if not (np.isfinite(torsion_kick) and torsion_kick >= 0):
            raise ValueError(f"torsion_kick must be a finite number >= 0 (0 = off), got {torsion_kick}")
        if not (np.isfinite(link_mc_sd) and 0 < link_mc_sd <= 180):
            raise ValueError(f"link_mc_sd must be an angle in (0, 180] degrees, got {link_mc_sd}")
        if not (np.isfinite(library_torsion_window) and 0 < library_torsion_window <= 180):
            raise ValueError(f"library_torsion_window must be an angle in (0, 180] degrees, got "
                             f"{library_torsion_window}")
        if not 0 <= float(rotamer_window) <= 180:
            raise ValueError(f"rotamer_window must lie in [0, 180] degrees (0 = any donor), got {rotamer_window}")
        if donor_geometry not in (0, 1, 2):
            raise ValueError(f"donor_geometry must be 0 (distances), 1 (the donor's geometry) or 2 (the donor's "
                             f"geometry with the forecast's heavy-atom torsions), got {donor_geometry!r}")
        if int(donor_neighbours) < 0 or int(donor_neighbours) != donor_neighbours:
            raise ValueError(f"donor_neighbours must be a whole number >= 0 (0 = uniform within rotamer_window), "
                             f"got {donor_neighbours}")
        for name, value in (("rotor_mc_steps", rotor_mc_steps), ("torsion_mc_steps", torsion_mc_steps),
                            ("link_mc_steps", link_mc_steps)):
            if int(value) < 0 or int(value) != value:
                raise ValueError(f"{name} must be a whole number >= 0 (0 = none), got {value}")
        if int(fast_mode_covariance_frames) < 0 or int(fast_mode_covariance_frames) != fast_mode_covariance_frames:
            raise ValueError(f"fast_mode_covariance_frames must be a whole number >= 0 (0 = the donors), "
                             f"got {fast_mode_covariance_frames}")
        if int(fast_mode_donor_frames) < 1 or int(fast_mode_donor_frames) != fast_mode_donor_frames:
            raise ValueError(f"fast_mode_donor_frames must be a whole number >= 1, got {fast_mode_donor_frames}")
        if fast_mode_donor_stride is None:
            fast_mode_donor_stride = min(DEFAULT_FAST_MODE_DONOR_STRIDE, frame_stride)
        if not (np.isfinite(noise_scale) and noise_scale >= 0):
            raise ValueError(f"noise_scale must be a finite number >= 0 (1 = the latent noise as trained), "
                             f"got {noise_scale}")
        if int(fast_mode_donor_stride) < 0 or int(fast_mode_donor_stride) != fast_mode_donor_stride:
            raise ValueError(f"fast_mode_donor_stride must be a whole number of steps >= 0 (0 = the recorded "
                             f"frames), got {fast_mode_donor_stride}")
        if not 0 <= float(min_motion_fraction) < 1:
            raise ValueError(f"min_motion_fraction must lie in [0, 1), got {min_motion_fraction}")
        if int(min_jump_frames) < 1 or int(guard_evaluations) < 1:
            raise ValueError("min_jump_frames and guard_evaluations must be >= 1")

        super().__init__(dt)
        settings = dict(
            temperature=temperature, friction=friction, relax_friction=relax_friction,
            frame_interval=frame_interval, frame_stride=frame_stride,
            context_frames=int(model.context_frames), horizon=int(model.horizon), rollouts=int(rollouts),
            anchor_steps=anchor_steps, relax_steps=relax_steps, max_spread=max_spread,
            energy_sigma_low=float(energy_sigma_low), energy_sigma_high=float(energy_sigma_high),
            force_factor=float(force_factor), bond_tolerance=bond_tolerance,
            displacement_factor=float(displacement_factor), min_motion_fraction=float(min_motion_fraction),
            min_jump_frames=int(min_jump_frames),
            guard_evaluations=int(guard_evaluations), velocity_policy=int(policy),
            thermal_fast_modes=int(bool(thermal_fast_modes)),
            fast_mode_bandwidth=float(fast_mode_bandwidth),
            fast_mode_covariance_frames=int(fast_mode_covariance_frames),
            fast_mode_donor_frames=int(fast_mode_donor_frames),
            fast_mode_donor_stride=int(fast_mode_donor_stride),
            planar_ring_modes=int(bool(planar_ring_modes)),
            fast_mode_library=int(bool(fast_mode_library)),
            rotamer_window=float(rotamer_window),
            donor_hydrogen_torsions=int(bool(donor_hydrogen_torsions)),
            donor_rotor_phases=int(bool(donor_rotor_phases)),
            rotamer_wells=int(bool(rotamer_wells)),
            donor_neighbours=int(donor_neighbours),
            donor_geometry=int(donor_geometry),
            thermal_rotors=int(bool(thermal_rotors)),
            rotor_mc_steps=int(rotor_mc_steps),
            rotor_bond_check=int(bool(rotor_bond_check)),
            torsion_mc_steps=int(torsion_mc_steps),
            link_mc_steps=int(link_mc_steps),
            link_mc_sd=float(link_mc_sd),
            link_mc_hydrogens=int(bool(link_mc_hydrogens)),
            link_mc_library=int(bool(link_mc_library)),
            library_torsion_moves=int(bool(library_torsion_moves)),
            library_torsion_window=float(library_torsion_window),
            mirror_averaging=int(bool(mirror_averaging)),
            mirror_sampling=int(bool(mirror_sampling)),
            torsion_kick=float(torsion_kick),
            forecast_context=int(bool(forecast_context)),
            landing_context=int(bool(landing_context)),
            playback_interpolation=int(bool(playback_interpolation)),
            noise_scale=float(noise_scale),
            forecasting=int(bool(forecasting)),
            velocity_seed=(_seed(random_seed) if random_seed is not None else random.randrange(1, 2**31 - 1)),
        )
        self._build_program(settings)
        self.setConstraintTolerance(float(constraint_tolerance))
        if random_seed is not None:
            # A different stream than the velocity seeds, but fixed by the same user seed.
            self.setRandomNumberSeed(_seed(int(random_seed) * 7919 + 17))
        self._init_python_state(model)

    # ------------------------------------------------------------------ construction helpers
    def _build_program(self, settings: dict) -> None:
        """Declare the globals and compile the Langevin BAOAB program."""
        self.addGlobalVariable("asteroid_version", ASTEROID_INTEGRATOR_VERSION)
        for name in SETTINGS:
            self.addGlobalVariable(name, float(settings[name]))
        for name in STATE_VARIABLES:
            self.addGlobalVariable(name, 0.0)
        self.setGlobalVariableByName("steps_to_forecast", settings["context_frames"] * settings["frame_stride"])
        self.addGlobalVariable("kT", KB * settings["temperature"])
        self.addGlobalVariable("gamma", settings["friction"])  # friction in use right now
        self.addGlobalVariable("a", 0.0)
        self.addGlobalVariable("b", 0.0)
        self.addGlobalVariable("pe", 0.0)  # potential energy after the last recorded step (kJ/mol)
        self.addGlobalVariable("record", 0.0)  # 1 on a step whose frame is recorded
        self.addGlobalVariable("force_l8", 0.0)  # sum over DOFs of (f / 1000 kJ/mol/nm)^8
        self.addPerDofVariable("x1", 0.0)

        self.addUpdateContextState()
        # kT and gamma are globals so setTemperature() and the relaxation phase
        # change them without recompiling.
        self.addComputeGlobal("a", "exp(-gamma*dt)")
        self.addComputeGlobal("b", "sqrt(1-a*a)")
        # Langevin BAOAB ("V R O R V") in its leapfrog form: the closing half
        # kick of one step and the opening half kick of the next are merged into
        # one full kick, so the stored velocities are the half-step ones, exactly
        # as openmm.LangevinMiddleIntegrator stores (and reports) them. Same
        # positions, same ensemble; on-step velocities would report a
        # temperature biased low by O(dt^2) for stiff modes (measured 3% for
        # alanine dipeptide at 2 fs).
        # V: full kick with the forces at the current positions.
        self.addComputePerDof("v", "v + dt*f/m")
        self.addConstrainVelocities()
        # R, O, R: half drift, exact Ornstein-Uhlenbeck velocity update, half drift.
        self.addComputePerDof("x", "x + 0.5*dt*v")
        self.addComputePerDof("v", "a*v + b*sqrt(kT/m)*gaussian")
        self.addComputePerDof("x", "x + 0.5*dt*v")
        # Constrain the new positions and give the velocities the same
        # correction (constraint displacement / dt), so they stay consistent.
        self.addComputePerDof("x1", "x")
        self.addConstrainPositions()
        self.addComputePerDof("v", "v + (x - x1)/dt")
        # Bookkeeping for the guard, on the steps whose frame is recorded only
        # (energies slow down every step on some platforms): potential energy
        # and a force statistic at the new positions. These forces are the next
        # step's kick forces, so OpenMM evaluates them once, with the energy.
        # The force statistic is a soft maximum, the L8 norm over force
        # components (see guard.force_soft_max), reduced on the device:
        # downloading per-DOF forces costs ~8 us per atom through the Python wrappers.
        self.beginIfBlock("record > 0")
        self.addComputeGlobal("pe", "energy")
        self.addComputeSum("force_l8", "(0.001*f)^8")
        self.endBlock()

    def _init_python_state(self, model) -> None:
        self.model = model
        self.stats = AsteroidStats()
        self.md_torch_threads: int | None = 1
        self._context_ref = None
        self._system_info = None
        self._history: deque = deque()
        self._ref: RealMDStatistics | None = None
        self._fast_modes = None  # FastModeResampler, built with the bond list
        self._fast_modes_planar = False  # the planar_ring_modes setting it was built for
        #: 1-2/1-3 distances (nm) of recent equilibrium real frames, for the smoothing covariance
        self._fast_distances: deque = deque(maxlen=1)
        #: recent equilibrium real frames (nm): the donors of thermal fast modes
        self._fast_donors: deque = deque(maxlen=1)
        self._library: np.ndarray | None = None  # the model's donor library (fast_mode_library), once read
        self._link_free_energy = None  # ((moved torsions, temperature), TorsionFreeEnergy) for link_mc_library
        self._library_proposals = None  # (window, TorsionProposals) for library_torsion_moves
        self._rotors = None  # RotorLibrations, built with the bond list
        self._rotamers = None  # Rotamers, built with the bond list
        #: libration phases (degrees) of the anchor phases' equilibrium real frames, for thermal_rotors
        self._rotor_phases: deque = deque(maxlen=ROTOR_PHASE_POOL)
        self._mirror: np.ndarray | None | bool = False  # relabelling for mirror averaging; False = not looked up
        self._kicks = None  # TorsionKicks, built with the bond list
        self._jump: _Jump | None = None
        self._since_record = 0
        self._since_donor = 0  # equilibrium real steps since the last fast-mode donor (fast_mode_donor_stride)
        self._previous_real: np.ndarray | None = None
        self._anchor_left = 0  # real steps until a forecast is allowed (mirrors the global)
        self._relax_active = False
        self._sync = None  # (step count, token) when step() last returned
        self._settings: dict = {}
        self._load_settings()

    # ------------------------------------------------------------------ settings
    def _load_settings(self) -> dict:
        """Refresh the Python-side copy of the settings from the integrator globals."""
        s = {}
        for name in SETTINGS:
            value = self.getGlobalVariableByName(name)
            s[name] = int(round(value)) if name in _INT_SETTINGS else float(value)
        s["timestep"] = self.getStepSize().value_in_unit(unit.picosecond)
        self._settings = s
        if self._history.maxlen != s["context_frames"]:
            self._history = deque(self._history, maxlen=s["context_frames"])
        if self._fast_distances.maxlen != max(1, s["fast_mode_covariance_frames"]):
            self._fast_distances = deque(self._fast_distances, maxlen=max(1, s["fast_mode_covariance_frames"]))
        if self._fast_donors.maxlen != s["fast_mode_donor_frames"]:
            self._fast_donors = deque(self._fast_donors, maxlen=s["fast_mode_donor_frames"])
        if self._fast_modes is not None and self._fast_modes_planar != bool(s["planar_ring_modes"]):
            # The resampled coordinates change: rebuild, and restart the covariance history that holds them.
            # (Compared with the setting it was built for, not with its quads: a molecule without planar rings
            # has none either way.)
            self._fast_modes = None
            self._fast_distances.clear()
        return s

    @property
    def settings(self) -> dict:
        """All behaviour settings, read from the integrator globals (units as in :data:`SETTINGS`)."""
        return dict(self._load_settings())

    def get_setting(self, name: str):
        """One setting (see :data:`SETTINGS`), read from its integrator global."""
        if name not in SETTINGS:
            raise KeyError(f"unknown setting {name!r}; known: {', '.join(SETTINGS)}")
        return self._load_settings()[name]

    def set_setting(self, name: str, value) -> None:
        """Change a setting. Takes effect at the next forecast (``forecasting`` at the next ``step``).

        ``context_frames``, ``horizon``, ``frame_stride`` and ``frame_interval``
        belong to the model and cannot be changed.
        """
        if name not in SETTINGS:
            raise KeyError(f"unknown setting {name!r}; known: {', '.join(SETTINGS)}")
        if name in ("context_frames", "horizon", "frame_stride", "frame_interval"):
            raise ValueError(f"{name} is fixed by the model; load a different model instead")
        if name == "temperature":
            return self.setTemperature(value)
        if name == "velocity_policy" and isinstance(value, str):
            if value not in VELOCITY_POLICIES:
                raise ValueError(f"velocity_policy must be one of {sorted(VELOCITY_POLICIES)}, got {value!r}")
            value = VELOCITY_POLICIES[value]
        if name in ("fast_mode_library", "link_mc_library", "library_torsion_moves") and value:
            _library_frames(self.model, self.getGlobalVariableByName("temperature"))
        self.setGlobalVariableByName(name, float(value))
        if name == "friction" and self.getGlobalVariableByName("relax_left") <= 0:
            self.setGlobalVariableByName("gamma", float(value))
        self._load_settings()

    def getTemperature(self):
        """Bath temperature (Quantity, K)."""
        return self.getGlobalVariableByName("temperature") * unit.kelvin

    def setTemperature(self, temperature) -> None:
        """Set the bath temperature (K or Quantity)."""
        t = _strip(temperature, unit.kelvin, "temperature")
        if not t > 0:
            raise ValueError(f"temperature must be > 0 K, got {t}")
        if any(getattr(self, "_settings", {}).get(name)
               for name in ("fast_mode_library", "link_mc_library", "library_torsion_moves")):
            _library_frames(self.model, t)
        self.setGlobalVariableByName("temperature", t)
        self.setGlobalVariableByName("kT", KB * t)
        if hasattr(self, "_ref"):
            # Energy statistics and thermal donors of the old temperature would misjudge and mis-sample forecasts.
            self._clear_real_samples()
        self._load_settings()

    @property
    def forecasting(self) -> bool:
        """Whether forecast jumps are made (False: plain Langevin MD)."""
        return bool(self.getGlobalVariableByName("forecasting"))

    @forecasting.setter
    def forecasting(self, enabled: bool) -> None:
        self.setGlobalVariableByName("forecasting", float(bool(enabled)))

    # ------------------------------------------------------------------ restoring and copying
    @classmethod
    def from_integrator(cls, integrator, model) -> "AsteroidIntegrator":
        """Rebuild an ``AsteroidIntegrator`` from a deserialised ``CustomIntegrator``.

        Settings, cycle state, constraint tolerance, random seed and
        integration force groups are all taken from ``integrator``.

        Parameters
        ----------
        integrator : openmm.CustomIntegrator
            E.g. ``XmlSerializer.deserialize(xml)`` of an AsteroidIntegrator.
        model : AsteroidModel
            The model to forecast with (models are not part of the XML).
        """
        names = {integrator.getGlobalVariableName(i) for i in range(integrator.getNumGlobalVariables())}
        if "asteroid_version" not in names:
            raise ValueError(
                "this CustomIntegrator was not made by AsteroidIntegrator (no 'asteroid_version' global); "
                "build a new AsteroidIntegrator(model, temperature, friction, timestep) instead"
            )
        version = integrator.getGlobalVariableByName("asteroid_version")
        if version > ASTEROID_INTEGRATOR_VERSION:
            raise ValueError(
                f"the integrator was written by a newer asteroid_openmm (format {version:g} > "
                f"{ASTEROID_INTEGRATOR_VERSION}); upgrade asteroid_openmm"
            )
        g = {name: integrator.getGlobalVariableByName(name) for name in names}
        if int(g["context_frames"]) != int(model.context_frames) or int(g["horizon"]) != int(model.horizon):
            raise ValueError(
                f"the integrator was built for a model with W={int(g['context_frames'])}, H={int(g['horizon'])} "
                f"but the model given has W={model.context_frames}, H={model.horizon}; pass the same model"
            )
        new = cls(
            model,
            temperature=g["temperature"],
            friction=g["friction"],
            timestep=integrator.getStepSize(),
            frame_stride=int(round(g["frame_stride"])),
            rollouts=int(round(g["rollouts"])),
            anchor_steps=int(round(g["anchor_steps"])),
            relax_steps=int(round(g["relax_steps"])),
            relax_friction=g["relax_friction"],
            velocity_policy=int(round(g["velocity_policy"])),
            # Integrators serialised before these settings existed played forecasts back as they
            # were (or with copied fast modes) and used the played-back frames as context.
            thermal_fast_modes=bool(g.get("thermal_fast_modes", 0)),
            fast_mode_bandwidth=g.get("fast_mode_bandwidth", 0.0),
            fast_mode_covariance_frames=int(round(g.get("fast_mode_covariance_frames", 0))),
            fast_mode_donor_frames=int(round(g.get("fast_mode_donor_frames", 32))),
            fast_mode_donor_stride=int(round(g.get("fast_mode_donor_stride", 0))),
            planar_ring_modes=bool(g.get("planar_ring_modes", 0)),
            fast_mode_library=bool(g.get("fast_mode_library", 0)),
            rotamer_window=g.get("rotamer_window", 0.0),
            donor_hydrogen_torsions=bool(g.get("donor_hydrogen_torsions", 0)),
            donor_rotor_phases=bool(g.get("donor_rotor_phases", 0)),
            rotamer_wells=bool(g.get("rotamer_wells", 0)),
            donor_neighbours=int(round(g.get("donor_neighbours", 0))),
            donor_geometry=int(round(g.get("donor_geometry", 0))),
            thermal_rotors=bool(g.get("thermal_rotors", 0)),
            rotor_mc_steps=int(round(g.get("rotor_mc_steps", 0))),
            rotor_bond_check=bool(g.get("rotor_bond_check", 1)),
            torsion_mc_steps=int(round(g.get("torsion_mc_steps", 0))),
            link_mc_steps=int(round(g.get("link_mc_steps", 0))),
            link_mc_sd=g.get("link_mc_sd", 20.0),
            link_mc_hydrogens=bool(g.get("link_mc_hydrogens", 0)),
            link_mc_library=bool(g.get("link_mc_library", 0)),
            library_torsion_moves=bool(g.get("library_torsion_moves", 0)),
            library_torsion_window=g.get("library_torsion_window", 60.0),
            mirror_averaging=bool(g.get("mirror_averaging", 0)),
            mirror_sampling=bool(g.get("mirror_sampling", 0)),
            torsion_kick=g.get("torsion_kick", 0.0),
            forecast_context=bool(g.get("forecast_context", 0)),
            landing_context=bool(g.get("landing_context", 0)),
            playback_interpolation=bool(g.get("playback_interpolation", 1)),
            noise_scale=g.get("noise_scale", 1.0),
            forecasting=bool(g["forecasting"]),
            max_spread=g["max_spread"],
            energy_sigma_low=g["energy_sigma_low"],
            energy_sigma_high=g["energy_sigma_high"],
            force_factor=g["force_factor"],
            bond_tolerance=g["bond_tolerance"],
            displacement_factor=g["displacement_factor"],
            min_motion_fraction=g["min_motion_fraction"],
            min_jump_frames=int(round(g["min_jump_frames"])),
            guard_evaluations=int(round(g["guard_evaluations"])),
            constraint_tolerance=integrator.getConstraintTolerance(),
        )
        for name, value in g.items():
            new.setGlobalVariableByName(name, value)
        new.setRandomNumberSeed(integrator.getRandomNumberSeed())
        new.setIntegrationForceGroups(integrator.getIntegrationForceGroups())
        new._load_settings()
        return new

    @classmethod
    def from_preset(cls, preset: str, model, temperature=300.0 * unit.kelvin, friction=1.0 / unit.picosecond,
                    timestep=0.002 * unit.picoseconds, **settings) -> "AsteroidIntegrator":
        """An integrator with a named preset's settings (:data:`~.presets.PRESETS`); ``settings`` override them.

        ``"default"`` is the constructor's defaults (one forecast per jump,
        about 2.5x on the ANI-1x molecules); ``"chained"`` chains eight
        forecasts per jump with the measured fidelity moves, about 10x on
        ethanol and aspirin with their shipped models (docs/benchmarks.md,
        "Presets"). Units as the constructor's (K, 1/ps, ps).
        """
        from .presets import preset_settings

        dt = _strip(timestep, unit.picosecond, "timestep")
        return cls(model, temperature, friction, timestep, **{**preset_settings(preset, model, dt), **settings})

    @classmethod
    def from_xml(cls, xml, model) -> "AsteroidIntegrator":
        """Rebuild an ``AsteroidIntegrator`` from ``XmlSerializer.serialize`` output (str) and a model."""
        obj = openmm.XmlSerializer.deserialize(xml) if isinstance(xml, str) else xml
        if not isinstance(obj, openmm.CustomIntegrator):
            raise ValueError(f"the XML holds a {type(obj).__name__}, not a serialised AsteroidIntegrator")
        return cls.from_integrator(obj, model)

    def __copy__(self):
        # CustomIntegrator.__copy__ would deep-copy the model and the Context
        # reference; a copy shares the model and starts unattached.
        return type(self).from_integrator(openmm.XmlSerializer.clone(self), self.model)

    def __deepcopy__(self, memo):
        return self.__copy__()

    def __getstate__(self):
        raise TypeError(
            "AsteroidIntegrator cannot be pickled (the model is not part of the integrator); serialise it with "
            "openmm.XmlSerializer.serialize() and rebuild with AsteroidIntegrator.from_xml(xml, model)"
        )

    # ------------------------------------------------------------------ the Context
    def attach(self, context) -> None:
        """Tell the integrator which Context it drives (normally found automatically).

        Raises
        ------
        ValueError
            If the System does not have the model's number of particles.
        """
        self._context_ref = weakref.ref(context)
        self._system_info = None
        self._sync = None
        self._prepare_system(context)

    def _find_context(self):
        ctx = self._context_ref() if self._context_ref is not None else None
        if ctx is not None:
            return ctx
        # A Python Context keeps a reference to the Python integrator it was
        # created with (Context._integrator, also what getIntegrator() returns),
        # so the Context is among this object's referrers. Searched once.
        found = []
        for ref in gc.get_referrers(self):
            if isinstance(ref, openmm.Context) and getattr(ref, "_integrator", None) is self:
                found.append(ref)
            elif isinstance(ref, dict) and ref.get("_integrator") is self:
                # Pythons that keep instance attributes in a separate dict.
                found += [o for o in gc.get_referrers(ref) if isinstance(o, openmm.Context) and o.__dict__ is ref]
        if not found:
            raise RuntimeError(
                "AsteroidIntegrator.step() needs the Context it drives, and none was found: create one first "
                "(openmm.app.Simulation(topology, system, integrator) or openmm.Context(system, integrator)); "
                "if the Context was created another way, call integrator.attach(context)"
            )
        ctx = found[-1]
        self.attach(ctx)
        return ctx

    def _prepare_system(self, context) -> None:
        system = context.getSystem()
        n = system.getNumParticles()
        if n != self.model.n_atoms:
            raise ValueError(
                f"the System has {n} particles but the model was trained for {self.model.n_atoms}; use a model "
                "trained on this system (asteroid-openmm train)"
            )
        masses = np.array([system.getParticleMass(i).value_in_unit(unit.dalton) for i in range(n)])
        heavy = masses > 0
        bonds = set()
        n_constraints = 0
        for i in range(system.getNumConstraints()):
            p1, p2, _ = system.getConstraintParameters(i)
            bonds.add((min(p1, p2), max(p1, p2)))
            if heavy[p1] and heavy[p2]:
                n_constraints += 1
        has_cmm = False
        for force in system.getForces():
            if isinstance(force, openmm.HarmonicBondForce):
                for i in range(force.getNumBonds()):
                    p1, p2 = force.getBondParameters(i)[:2]
                    bonds.add((min(p1, p2), max(p1, p2)))
            elif isinstance(force, openmm.CMMotionRemover):
                has_cmm = True
        ndof = 3 * int(heavy.sum()) - n_constraints - (3 if has_cmm else 0)
        platform = context.getPlatform().getName()
        self._system_info = dict(
            cpu_platform=platform == "CPU",
            torch_force_on_host=platform in ("CPU", "Reference") and _has_torch_force(system),
            masses=masses,
            heavy=heavy,
            ndof=max(ndof, 1),
            # None: infer from the first real frame's geometry (e.g. ANI systems have no bond terms).
            bonds=np.array(sorted(bonds), dtype=np.int64).reshape(-1, 2) if bonds else None,
        )
        self._ref = None
        self._fast_modes = None
        self._rotors = None
        self._rotamers = None
        self._mirror = False
        self._kicks = None

    # ------------------------------------------------------------------ public helpers
    def _clear_buffers(self) -> None:
        """Forget the frame history, any jump in playback and the real-MD reference statistics."""
        self._history.clear()
        self._jump = None
        self._since_record = 0
        self._previous_real = None
        self._clear_real_samples()

    def _clear_real_samples(self) -> None:
        """Forget every statistic and donor pool drawn from real frames (they hold for one temperature)."""
        self._fast_distances.clear()
        self._fast_donors.clear()
        self._since_donor = 0
        self._rotor_phases.clear()
        if self._ref is not None:
            self._ref.clear()

    def reset(self) -> None:
        """Forget the forecast context and any pending jump; real MD rebuilds the context.

        Call after changing positions or velocities by hand in the middle of a
        run. ``loadState``/``loadCheckpoint``/``setState`` are detected
        automatically.
        """
        self._clear_buffers()
        self.setGlobalVariableByName("phase", 0)
        self.setGlobalVariableByName("anchor_left", 0)

    @property
    def in_playback(self) -> bool:
        """True while forecast frames are being played back."""
        return self._jump is not None

    # ------------------------------------------------------------------ stepping
    def step(self, steps: int) -> None:
        """Advance by exactly ``steps`` timesteps (real MD or forecast playback).

        The Context's step count and time advance by ``steps`` and
        ``steps * timestep``; its positions afterwards are the real or
        forecast state at that step (a forecast frame is only ever shown after
        the guard accepted it, with constraints applied).
        """
        steps = int(steps)
        if steps < 0:
            raise ValueError(f"steps must be >= 0, got {steps}")
        if steps == 0:
            return
        ctx = self._find_context()
        self._check_sync(ctx)
        threads = self.md_torch_threads
        if threads is None or not self._system_info["torch_force_on_host"]:
            self._step(ctx, steps)
            return
        from asteroid_openmm.systems.ani import torch_threads

        with torch_threads(threads):
            self._step(ctx, steps)

    def _step(self, ctx, steps: int) -> None:
        forecasting = self.getGlobalVariableByName("forecasting") > 0
        if not forecasting and self._jump is None and self._history:
            self._history.clear()
            self._previous_real = None
        left = steps
        while left > 0:
            if self._jump is not None:
                left -= self._advance_playback(ctx, left)
            elif forecasting and self._ready_to_forecast():
                self._attempt_jump(ctx)
            else:
                left -= self._run_real(ctx, left, record=forecasting)
        if self._jump is not None:
            self._show_playback(ctx)
        self._write_state(ctx)

    # --- real MD
    def _run_real(self, ctx, left: int, record: bool) -> int:
        """Run one chunk of real MD (up to the next frame record or end of relaxation); return its steps."""
        s = self._settings
        stride = s["frame_stride"]
        relax_left = int(self.getGlobalVariableByName("relax_left")) if self._relax_active else 0
        k = left
        if record:
            k = min(k, stride - self._since_record)
        if relax_left > 0:
            k = min(k, relax_left)
        relaxing = relax_left > 0
        # Donors need the bond list, which the first recorded frame sets up.
        donor_stride = (s["fast_mode_donor_stride"]
                        if record and s["thermal_fast_modes"] and not relaxing and self._ref is not None else 0)
        if donor_stride:
            self._since_donor %= donor_stride  # the stride may have been lowered since the last donor
            k = min(k, donor_stride - self._since_donor)
        record_now = record and self._since_record + k == stride
        t0 = time.perf_counter()
        if record_now:
            # Energy and force statistic only on the step whose frame is recorded.
            if k > 1:
                openmm.CustomIntegrator.step(self, k - 1)
            self.setGlobalVariableByName("record", 1.0)
            openmm.CustomIntegrator.step(self, 1)
            self.setGlobalVariableByName("record", 0.0)
        else:
            openmm.CustomIntegrator.step(self, k)
        self.stats.real_steps += k
        self._anchor_left = max(0, self._anchor_left - k)
        if relaxing:
            relax_left -= k
            self.setGlobalVariableByName("relax_left", relax_left)
            if relax_left <= 0:
                self._relax_active = False
                self.setGlobalVariableByName("gamma", s["friction"])
        if record:
            self._since_record += k
        if record_now:
            self._since_record = 0
            self._record_frame(ctx, equilibrium=not relaxing)
        if donor_stride:
            self._since_donor += k
            if self._since_donor == donor_stride:
                self._since_donor = 0
                self._add_fast_mode_donor(self._history[-1] if record_now else self._positions(ctx))
        self.stats.md_seconds += time.perf_counter() - t0
        return k

    @staticmethod
    def _positions(ctx) -> np.ndarray:
        """The Context's unwrapped positions (nm), float64."""
        state = ctx.getState(getPositions=True, enforcePeriodicBox=False)
        return np.array(state.getPositions(asNumpy=True).value_in_unit(unit.nanometer), dtype=np.float64)

    def _add_fast_mode_donor(self, x: np.ndarray) -> None:
        self._fast_donors.append(x)
        if self._settings["fast_mode_covariance_frames"] > 0:
            self._fast_distances.append(self._fast_mode_resampler().coordinates(x))

    def _record_frame(self, ctx, equilibrium: bool) -> None:
        x = self._positions(ctx)
        self._history.append(x)
        info = self._system_info
        if self._ref is None:
            bonds = info["bonds"]
            if bonds is None:
                from asteroid_openmm.trajectories.bonds import infer_bonds

                bonds = infer_bonds(x, self.model.atomic_numbers)
                info["bonds"] = bonds
            self._ref = RealMDStatistics(bonds, info["heavy"])
        if equilibrium:
            energy = self.getGlobalVariableByName("pe")
            fmax = 1000.0 * self.getGlobalVariableByName("force_l8") ** 0.125
            self._ref.add_frame(x, energy, fmax, self._previous_real)
            self._previous_real = x
            if self._settings["thermal_fast_modes"] and not self._settings["fast_mode_donor_stride"]:
                self._add_fast_mode_donor(x)
            # Donors come from anchor phases only: the first context is one stretch of real MD, one libration
            # (measured on ethanol: phase sd 9.3 degrees over its 16 frames against 18 in long runs).
            if (self._settings["thermal_rotors"] and self.getGlobalVariableByName("jump_count") > 0
                    and len(self._rotor_librations())):
                self._rotor_phases.append(self._rotor_librations().phases(x[None])[0])
        else:
            # Relaxation frames are not equilibrium samples, and the next
            # frame's displacement would span the friction switch.
            self._previous_real = None

    # --- forecasting
    def _ready_to_forecast(self) -> bool:
        s = self._settings
        return (
            len(self._history) >= s["context_frames"]
            and self._since_record == 0
            and self._anchor_left <= 0
            and not self._relax_active
            # The guard needs a few equilibrium real frames to compare against
            # (after a restart, relaxation frames do not count); until then, more real MD.
            and self._ref is not None
            and self._ref.ready
        )

    def _forecast(self, ctx, context_frames: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """H*R forecast frames (nm), their STI spread (nm), and the seconds of link moves, from [W, N, 3] context.

        One upload of the context and one download of the result: chained
        forecasts stay on the model's device (``link_mc_steps`` moves bring
        each link's context to the host for its real energies, and leave the
        Context at the last context frame's positions).
        """
        import torch

        s = self._settings
        model = self.model
        threads, noise_scale = torch.get_num_threads(), model.noise_scale
        if self._system_info["cpu_platform"] and model.device.type == "cpu":
            # OpenMM's CPU platform threads keep spinning for a while after each
            # step; torch's intra-op threads competing with them made a 3 ms
            # forecast take 100-500 ms (measured, 2 cores). One torch thread avoids it.
            torch.set_num_threads(1)
        try:
            model.noise_scale = s["noise_scale"]
            # A stochastic model samples its forecast: reproducible per jump
            # (another stream than the velocity and fast-mode draws), without
            # touching the caller's torch random state.
            seed = np.random.SeedSequence(
                [s["velocity_seed"], int(self.getGlobalVariableByName("jump_count")), 2]).generate_state(1)[0]
            with torch.random.fork_rng(devices=[model.device] if model.device.type == "cuda" else []):
                torch.manual_seed(int(seed))
                # The guard would cut frames past max_spread anyway: stop chaining there.
                mirrored = s["mirror_averaging"] or s["mirror_sampling"]
                mirror = self._mirror_relabelling(context_frames[-1]) if mirrored else None
                perturb, links = None, []
                if s["torsion_kick"] > 0:
                    kicks, scale = self._torsion_kicks(context_frames[-1]), s["torsion_kick"]
                    perturb = lambda context: kicks.kick_context(context, scale)  # noqa: E731
                linking = s["link_mc_steps"] > 0 and s["rollouts"] > 1
                if linking:
                    rotamers = self._rotamers_of_system()
                    linking = bool(rotamers.heavy.any() or (s["link_mc_hydrogens"] and len(rotamers)))
                if linking:
                    # rollout hands the context over relative to the last frame's centroid.
                    perturb = self._link_moves(ctx, context_frames[-1].mean(axis=0), links, perturb)
                    positions = self._positions(ctx)
                try:
                    frames, spread = model.rollout(context_frames, s["rollouts"], max_spread=s["max_spread"],
                                                   mirror=mirror, context_perturb=perturb,
                                                   mirror_mode="sample" if s["mirror_sampling"] else "average",
                                                   carry_perturbation=linking)
                finally:
                    if links:
                        ctx.setPositions(positions)  # back to the exact pre-jump state
                link_seconds = sum(seconds for _, seconds in links)
                return self._ramp_link_turns(frames, [net for net, _ in links]), spread, link_seconds
        finally:
            torch.set_num_threads(threads)
            model.noise_scale = noise_scale

    def _link_moves(self, ctx, origin: np.ndarray, links: list, before=None):
        """A rollout ``context_perturb``: ``link_mc_steps`` Metropolis moves of the rotamer torsions of a chained
        context's last frame under the real potential, their net turns given to the whole context.

        ``origin`` (nm) is what rollout subtracted from the context. Appends ``(net turns [T] radians, seconds)``
        per link to ``links``. ``before`` (another perturbation, e.g. torsion kicks) is applied first.
        """
        import torch

        from .rotor_librations import apply_turns

        s = self._settings
        rotamers, energy = self._rotamers_of_system(), self._link_energy(ctx)
        jump = int(self.getGlobalVariableByName("jump_count"))
        rng = np.random.default_rng([s["velocity_seed"], jump, 6])  # its own stream, per jump
        kT = KB * s["temperature"]

        def perturb(context):
            if before is not None:
                context = before(context)
            t0 = time.perf_counter()
            frames = context[0].double().cpu().numpy() + origin
            net = np.zeros(len(rotamers))
            if np.all(np.isfinite(frames[-1])):  # a broken forecast is left to the guard
                _, _, _, net = rotamers.metropolis(frames[-1], energy, kT, s["link_mc_steps"], rng,
                                                   max_proposals=max(1, s["anchor_steps"]), sd_deg=s["link_mc_sd"],
                                                   heavy_only=not s["link_mc_hydrogens"],
                                                   **self._torsion_proposals())
            if np.any(net):
                turned = apply_turns(frames, rotamers.turns, net) - origin
                context = torch.as_tensor(turned, dtype=context.dtype, device=context.device)[None]
            links.append((net, time.perf_counter() - t0))
            return context

        return perturb

    def _ramp_link_turns(self, frames: np.ndarray, links: list) -> np.ndarray:
        """Forecast frames with each link's net turns ramped in over the forecast before it (k-th of H: k/H).

        The forecast after a link continues from the turned torsions; without the ramp the played-back chain
        would jump by the whole turn between two frames.
        """
        if not any(np.any(net) for net in links):
            return frames
        from .rotor_librations import apply_turns

        h, turns = self._settings["horizon"], self._rotamers_of_system().turns
        share = np.arange(1, h + 1)[:, None] / h  # [H, 1]
        out = np.array(frames, np.float64)
        for link, net in enumerate(links):
            if np.any(net):
                out[link * h:(link + 1) * h] = apply_turns(out[link * h:(link + 1) * h], turns, share * net)
        return out

    def _link_energy(self, ctx):
        """The link moves' ``energy(frame) -> kJ/mol``: real, or the library's torsion free energy (link_mc_library)."""
        s = self._settings
        if not s["link_mc_library"]:
            return self._real_energy(ctx)
        from .rotamers import TorsionFreeEnergy

        rotamers = self._rotamers_of_system()
        moved = np.arange(len(rotamers)) if s["link_mc_hydrogens"] else np.flatnonzero(rotamers.heavy)
        key = (tuple(moved), s["temperature"])
        if self._link_free_energy is None or self._link_free_energy[0] != key:
            self._link_free_energy = (key, TorsionFreeEnergy(rotamers, self._library_donors(), KB * s["temperature"],
                                                             moved))
        return self._link_free_energy[1]

    def _torsion_proposals(self) -> dict:
        """Keyword arguments for Rotamers.metropolis: the library proposals (library_torsion_moves; built once), or
        none (Gaussian turns)."""
        if not self._settings["library_torsion_moves"]:
            return {}
        from .rotamers import TorsionProposals

        window = self._settings["library_torsion_window"]
        if self._library_proposals is None or self._library_proposals[0] != window:
            self._library_proposals = (window, TorsionProposals(self._rotamers_of_system(), self._library_donors(),
                                                                window_deg=window))
        return {"proposals": self._library_proposals[1]}

    def _real_energy(self, ctx):
        """``energy(frame [N, 3] nm) -> kJ/mol`` of the integrated force groups, set on ctx (see context_energy)."""
        from .rotor_librations import context_energy

        return context_energy(ctx, self.getIntegrationForceGroups())

    def _torsion_kicks(self, frame: np.ndarray):
        """The system's TorsionKicks (built once, from the guard's bond list and the System's masses)."""
        if self._kicks is None:
            from asteroid_openmm.model.torsion_kicks import TorsionKicks

            s = self._settings
            self._kicks = TorsionKicks(self._ref.bonds, self._system_info["masses"], frame, s["temperature"],
                                       s["frame_interval"])
        return self._kicks

    def _mirror_relabelling(self, frame: np.ndarray) -> np.ndarray | None:
        """The system's mirror relabelling (looked up once, from the guard's bond list); None if chiral."""
        if self._mirror is False:
            from asteroid_openmm.model.mirror import mirror_relabelling

            self._mirror = mirror_relabelling(self._ref.bonds, self.model.atomic_numbers, frame)
            if self._mirror is None:
                warnings.warn("mirror_averaging or mirror_sampling is on, but this molecule is chiral (or has too "
                              "many symmetric atoms to search): no relabelling keeps its handedness, so forecasts "
                              "are not mirrored", stacklevel=3)
        return self._mirror

    def _thermalise_fast_modes(self, frames: np.ndarray) -> np.ndarray:
        """Forecast frames with bond/angle distances from random recent real frames (see fast_modes)."""
        s = self._settings
        # Reproducible per jump, and a different stream than the velocity draws.
        rng = np.random.default_rng([s["velocity_seed"], int(self.getGlobalVariableByName("jump_count")), 1])
        out = np.array(frames, dtype=np.float64)
        # Broken frames (NaN, inf) stay as forecast: the guard rejects them.
        finite = np.all(np.isfinite(out), axis=(1, 2))
        # No donors yet when thermal fast modes were switched on mid-run: frames stay as forecast until real MD
        # has recorded some.
        library = s["fast_mode_library"]
        if finite.any() and (self._fast_donors or library):
            try:
                history = (np.stack(self._fast_distances)
                           if s["fast_mode_covariance_frames"] > 0 and len(self._fast_distances) > 1 else None)
                donors = self._library_donors() if library else np.stack(self._fast_donors)
                rotamers = self._rotamers_of_system()
                if s["donor_neighbours"] > 0:
                    picks = rotamers.nearest(out[finite], donors, rng, s["donor_neighbours"], s["rotamer_window"])
                elif s["rotamer_wells"]:
                    picks = rotamers.choose_in_wells(out[finite], donors, rng)
                elif s["rotamer_window"] > 0:
                    picks = rotamers.choose(out[finite], donors, rng, s["rotamer_window"])
                else:
                    picks = None
                if s["donor_geometry"]:
                    if picks is None:
                        picks = rng.integers(len(donors), size=int(finite.sum()))
                    # A donor outside the frame's rotamer (none in its window or wells) is turned to the frame's
                    # conformation: the forecast's rotamer is never replaced.
                    if s["donor_geometry"] == 2:
                        turn = True
                    elif s["rotamer_wells"] and not s["donor_neighbours"]:
                        turn = ~rotamers.in_wells(out[finite], donors[picks], rotamers.wells(donors))
                    elif s["rotamer_window"] > 0:
                        turn = ~rotamers.in_rotamer(out[finite], donors[picks], s["rotamer_window"])
                    else:
                        turn = True
                    fixed = rotamers.graft(out[finite], donors[picks], self._system_info["masses"],
                                           frame_torsions=turn)
                    return self._commit_fixed(out, finite, fixed)
                if (s["donor_hydrogen_torsions"] or s["donor_rotor_phases"]) and picks is None:
                    picks = rng.integers(len(donors), size=int(finite.sum()))  # the resampler's own draw, shared
                fixed = self._fast_mode_resampler()(out[finite], donors, rng,
                                                    bandwidth=self._fast_mode_bandwidth(),
                                                    covariance_sample=history, picks=picks)
                if s["donor_hydrogen_torsions"]:
                    # After the distances: a turn of a lone hydrogen keeps them, the distance solve would not keep
                    # the torsion (it moves the light hydrogen most).
                    fixed = rotamers.take_torsions(fixed, donors[picks], np.flatnonzero(~rotamers.heavy),
                                                   s["rotamer_window"])
                rotors = self._rotor_librations()
                if s["donor_rotor_phases"] and len(rotors):
                    # A rigid turn about the rotor's axis keeps the distances just set; the nearest well stays.
                    fixed = rotors.set_phases(fixed, rotors.phases(donors[picks]))
            except np.linalg.LinAlgError:
                return out  # a degenerate forecast geometry: the guard judges it as forecast
            return self._commit_fixed(out, finite, fixed)
        return out

    @staticmethod
    def _commit_fixed(out: np.ndarray, finite: np.ndarray, fixed: np.ndarray) -> np.ndarray:
        """out with its finite frames replaced by fixed ones; a frame made non-finite stays as forecast (the guard
        judges it)."""
        ok = np.all(np.isfinite(fixed), axis=(1, 2))
        out[np.flatnonzero(finite)[ok]] = fixed[ok]
        return out

    def _library_donors(self) -> np.ndarray:
        """The model's donor library (``fast_mode_library``), read once."""
        if self._library is None:
            self._library = _library_frames(self.model, self._settings["temperature"])
        return self._library

    def _thermalise_rotors(self, frames: np.ndarray) -> np.ndarray:
        """Forecast frames with rotor libration phases of random earlier real frames (see rotor_librations)."""
        if len(self._rotor_phases) < MIN_ROTOR_DONORS or not len(self._rotor_librations()):
            return frames  # too few donors yet: hundreds of frames drawn from a handful would be lumpier
        jump = int(self.getGlobalVariableByName("jump_count"))
        rng = np.random.default_rng([self._settings["velocity_seed"], jump, 3])  # its own stream, per jump
        out = np.array(frames, dtype=np.float64)
        finite = np.all(np.isfinite(out), axis=(1, 2))  # broken frames stay as they are: the guard rejects them
        pool = np.stack(self._rotor_phases)
        targets = pool[rng.integers(len(pool), size=int(finite.sum()))]
        out[finite] = self._rotor_librations().set_phases(out[finite], targets)
        return out

    def _landing_metropolis(self, ctx) -> float:
        """Metropolis moves of the landing frame's rotor phases and rotamer torsions under the real potential.

        ``rotor_mc_steps`` per symmetric terminal rotor (see rotor_librations), then ``torsion_mc_steps`` per
        rotamer torsion (see rotamers). Together they make at most ``anchor_steps`` proposals, one energy each (a
        large molecule with dozens of methyl groups would otherwise spend more on its landings than on its
        anchors): beyond that budget, shared in proportion to what each asks for, groups are drawn at random.
        Returns the seconds spent, which count as guard time (real energy evaluations on forecast frames), and
        ``(turns, net angles)`` of each kind of move, for the context (see :meth:`_land`).
        """
        t0 = time.perf_counter()
        s = self._settings
        energy = self._real_energy(ctx)
        x = self._positions(ctx)
        jump = int(self.getGlobalVariableByName("jump_count"))
        u, kT = None, KB * s["temperature"]
        # (rng stream, the moves, proposals per group): rotors first, then rotamer torsions.
        kinds = [(4, self._rotor_librations(), s["rotor_mc_steps"], {}),
                 (5, self._rotamers_of_system(), s["torsion_mc_steps"], self._torsion_proposals())]
        asked = [steps * len(moves) for _, moves, steps, _ in kinds]
        scale = min(1.0, s["anchor_steps"] / max(1, sum(asked)))
        turned = []
        for (stream, moves, steps, options), n in zip(kinds, asked):
            if n:
                rng = np.random.default_rng([s["velocity_seed"], jump, stream])
                x, u, _, net = moves.metropolis(x, energy, kT, steps, rng, u, max_proposals=max(1, int(n * scale)),
                                                **options)
                turned.append((moves.turns, net))
        ctx.setPositions(x)
        ctx.computeVirtualSites()
        seconds = time.perf_counter() - t0
        self.stats.guard_seconds += seconds
        return seconds, turned

    def _rotor_librations(self):
        """The RotorLibrations of this system (built on first use, with the guard's bond list)."""
        from .rotor_librations import RotorLibrations

        if self._rotors is None:
            self._rotors = RotorLibrations(self._ref.bonds, self.model.atomic_numbers)
        return self._rotors

    def _rotamers_of_system(self):
        """The Rotamers of this system (built on first use, with the guard's bond list)."""
        from .rotamers import Rotamers

        if self._rotamers is None:
            self._rotamers = Rotamers(self._ref.bonds, self.model.atomic_numbers)
        return self._rotamers

    def _fast_mode_resampler(self):
        """The FastModeResampler of this system (built on first use, with the guard's bond list).

        With ``planar_ring_modes`` the rings that are planar in the recorded frames so far (at least one: the
        resampler is first needed once real MD has recorded a frame) get their out-of-plane modes resampled too.
        """
        from .fast_modes import FastModeResampler, planar_ring_quads

        if self._fast_modes is None:
            self._fast_modes_planar = bool(self._settings["planar_ring_modes"])
            quads = (planar_ring_quads(self._ref.bonds, np.stack(self._history))
                     if self._fast_modes_planar and self._history else None)
            self._fast_modes = FastModeResampler(self._ref.bonds, self._system_info["masses"], planar_quads=quads)
        return self._fast_modes

    def _fast_mode_bandwidth(self) -> float:
        """The smoothing bandwidth in force (``fast_mode_bandwidth``, with -1 resolved from ``rollouts``)."""
        s = self._settings
        if s["fast_mode_bandwidth"] >= 0:
            return s["fast_mode_bandwidth"]
        return AUTO_FAST_MODE_BANDWIDTH if s["rollouts"] > 1 else 0.0

    def _guard(self) -> JumpGuard:
        s = self._settings
        return JumpGuard(
            max_spread=s["max_spread"], energy_sigma_low=s["energy_sigma_low"],
            energy_sigma_high=s["energy_sigma_high"], force_factor=s["force_factor"],
            bond_tolerance=s["bond_tolerance"], displacement_factor=s["displacement_factor"],
            min_motion_fraction=s["min_motion_fraction"],
            min_jump_frames=s["min_jump_frames"], guard_evaluations=s["guard_evaluations"],
            kT=KB * s["temperature"], rebuilt_atoms=self._rebuilt_atoms(),
        )

    def _rebuilt_atoms(self) -> np.ndarray:
        """Atoms that committed frames take from real samples, not the forecast: symmetric rotors' terminal atoms
        when thermal fast modes set their bond and angle distances and thermal rotors their phase."""
        s = self._settings
        if s["rotor_bond_check"] or not (s["thermal_fast_modes"] and (
                s["thermal_rotors"] or s["donor_rotor_phases"] or s["donor_geometry"])):
            return np.zeros(0, np.int64)
        return self._rotor_librations().terminal_atoms

    def _project(self, ctx, x: np.ndarray) -> None:
        """Put positions (nm) in the Context with constraints and virtual sites made consistent."""
        ctx.setPositions(x)
        ctx.applyConstraints(self.getConstraintTolerance())
        ctx.computeVirtualSites()

    def _attempt_jump(self, ctx) -> None:
        s = self._load_settings()
        stats = self.stats
        stats.jumps_attempted += 1
        start = self._history[-1]
        t0 = time.perf_counter()
        link_seconds = 0.0
        try:
            frames, spread, link_seconds = self._forecast(ctx, np.stack(list(self._history)[-s["context_frames"]:]))
        except Exception as exc:  # a failing model must not stop the simulation...
            frames, spread = None, None
            failure = f"model error: {type(exc).__name__}: {exc}"
            if failure not in stats.rejection_reasons:
                # ...but must not fail silently either.
                warnings.warn(f"AsteroidIntegrator: the forecast failed, continuing with real MD ({failure})",
                              RuntimeWarning, stacklevel=3)
        committed = frames
        if frames is not None and s["thermal_fast_modes"]:
            committed = self._thermalise_fast_modes(frames)
        if frames is not None and s["thermal_rotors"] and not (
                s["thermal_fast_modes"] and (s["donor_rotor_phases"] or s["donor_geometry"])):
            committed = self._thermalise_rotors(committed)
        # The link moves' real energies count as guard time, as the landing moves' do.
        stats.model_seconds += time.perf_counter() - t0 - link_seconds
        stats.guard_seconds += link_seconds

        t0 = time.perf_counter()
        evaluated = []
        groups = self.getIntegrationForceGroups()

        def evaluate(frame):
            evaluated.append(True)
            self._project(ctx, frame)
            st = ctx.getState(getEnergy=True, getForces=True, groups=groups)
            return (
                st.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole),
                np.asarray(st.getForces(asNumpy=True).value_in_unit(unit.kilojoule_per_mole / unit.nanometer)),
            )

        if frames is None:
            n_good, reason = 0, failure
        else:
            decision = self._guard().decide(start, frames, spread, self._ref, evaluate, committed)
            n_good, reason = decision.n_frames, decision.reason
        if evaluated:
            # Back to the exact pre-jump state (velocities were never touched).
            ctx.setPositions(start)
        stats.guard_seconds += time.perf_counter() - t0

        if n_good == 0:
            stats.jumps_rejected += 1
            stats.rejection_reasons[reason] = stats.rejection_reasons.get(reason, 0) + 1
            rejections = int(self.getGlobalVariableByName("consecutive_rejections")) + 1
            self.setGlobalVariableByName("consecutive_rejections", rejections)
            # Back off while the model keeps failing so its cost stays bounded.
            self._anchor_left = s["anchor_steps"] * min(2 ** (rejections - 1), MAX_BACKOFF)
            return
        stats.jumps_accepted += 1
        if n_good < len(frames):
            stats.jumps_truncated += 1
            stats.rejection_reasons["truncated: " + reason] = stats.rejection_reasons.get("truncated: " + reason, 0) + 1
        self.setGlobalVariableByName("consecutive_rejections", 0)
        self._jump = _Jump(
            ctx.getStepCount(),
            ctx.getTime().value_in_unit(unit.picosecond),
            np.concatenate([start[None], committed[:n_good]]),
            s["frame_stride"],
            np.concatenate([start[None], frames[:n_good]]) if s["forecast_context"] else None,
        )

    # --- playback and landing
    def _advance_playback(self, ctx, left: int) -> int:
        jump = self._jump
        k = min(left, jump.total - jump.pos)
        jump.pos += k
        self.stats.forecast_steps += k
        if jump.pos == jump.total:
            self._land(ctx)
        return k

    def _show_playback(self, ctx) -> None:
        """Make the Context show the forecast state at the current playback step."""
        t0 = time.perf_counter()
        jump = self._jump
        dt = self._settings["timestep"]
        if jump.pos > 0:
            self._project(ctx, jump.positions_at(jump.pos, linear=bool(self._settings["playback_interpolation"])))
        ctx.setStepCount(jump.start_step + jump.pos)
        ctx.setTime(jump.start_time + jump.pos * dt)
        self.stats.playback_seconds += time.perf_counter() - t0

    def _land(self, ctx) -> None:
        """Commit the end of a jump: landing frame, velocities, relaxation."""
        t0 = time.perf_counter()
        jump, self._jump = self._jump, None
        s = self._settings
        self._project(ctx, jump.frames[-1])
        turned = []
        if self._ref is not None and (s["rotor_mc_steps"] > 0 or s["torsion_mc_steps"] > 0):
            seconds, turned = self._landing_metropolis(ctx)
            t0 += seconds  # guard time, not playback time
        ctx.setStepCount(jump.start_step + jump.total)
        ctx.setTime(jump.start_time + jump.total * s["timestep"])
        landed = self._positions(ctx)
        finite_difference = jump.frames[-1] - jump.frames[-2]
        self._set_landing_velocities(ctx, finite_difference / s["frame_interval"])
        # The forecast frames become context for the next forecast (the model's
        # own or the played-back ones, see forecast_context); the landing frame
        # as actually committed (constraints applied).
        for frame in jump.context[1:-1]:
            self._history.append(frame)
        match = s["landing_context"] and jump.context is not jump.frames
        if match and s["thermal_rotors"] and self._ref is not None and len(self._rotor_librations()):
            # Thermal rotors turned the rotors of the committed landing frame away from the model's own last frame
            # (up to 180/k degrees: a methyl hydrogen moves up to 0.1 nm); the model's frames get the same turns.
            rotors = self._rotor_librations()
            turned = [(rotors.turns, rotors.turns_between(jump.context[-1], jump.frames[-1]))] + turned
        carried = len(jump.context) - 2
        present = min(carried, len(self._history))
        if self._history and (turned or (match and present > 0)):
            from .rotor_librations import apply_turns

            context = np.stack(self._history)
            last = jump.context[-1][None]  # the model's last frame, which the landing frame replaces
            # The landing moves turned groups of the landing frame; the context frames before it get the same
            # turns, or the model would see those groups jump by tens of degrees in one frame (on aspirin, a
            # turned ester or carboxyl group made the next forecasts fail the bond guard).
            for turns, net in turned:
                context, last = apply_turns(context, turns, net), apply_turns(last, turns, net)
            if match and present > 0:
                # The committed landing frame also differs from the model's last frame by its thermal fast modes
                # (0.02-0.08 nm for aspirin's hydrogens, against 0.01-0.02 nm per frame in real MD). Seen as one
                # step, the model extrapolates it (aspirin's next forecasts failed the bond guard, see
                # docs/benchmarks.md, nineteenth session). The k-th of the carried frames takes k / (carried + 1)
                # of it: each step of the model's frames changes by the same small share. (A ramp over the whole
                # context instead, reaching into the frames before a short jump, measured no different.)
                share = np.arange(carried - present + 1, carried + 1) / (carried + 1.0)
                context[-present:] += share[:, None, None] * (landed - last[0])[None]
            self._history = deque(context, maxlen=self._history.maxlen)
        self._history.append(landed)
        self._start_anchor()
        self.stats.playback_seconds += time.perf_counter() - t0

    def _start_anchor(self) -> None:
        s = self._settings
        self._since_record = 0
        self._previous_real = None
        self._anchor_left = s["anchor_steps"]
        self.setGlobalVariableByName("relax_left", s["relax_steps"])
        self._relax_active = s["relax_steps"] > 0
        self.setGlobalVariableByName("gamma", s["relax_friction"] if self._relax_active else s["friction"])
        self.setGlobalVariableByName("jump_count", self.getGlobalVariableByName("jump_count") + 1)

    def _set_landing_velocities(self, ctx, finite_difference: np.ndarray | None) -> None:
        s = self._settings
        tol = self.getConstraintTolerance()
        info = self._system_info
        if s["velocity_policy"] == 1 and finite_difference is not None and np.all(np.isfinite(finite_difference)):
            v = np.where(info["heavy"][:, None], finite_difference, 0.0)
            ctx.setVelocities(v)
            ctx.applyVelocityConstraints(tol)
            v = np.asarray(ctx.getState(getVelocities=True).getVelocities(asNumpy=True).value_in_unit(
                unit.nanometer / unit.picosecond))
            ke = 0.5 * float((info["masses"][:, None] * v * v).sum())
            target = 0.5 * info["ndof"] * KB * s["temperature"]
            if ke > 0 and np.isfinite(ke):
                ctx.setVelocities(v * math.sqrt(target / ke))
                return
        jump_count = int(self.getGlobalVariableByName("jump_count"))
        seed = _seed(s["velocity_seed"] + 7919 * jump_count)
        ctx.setVelocitiesToTemperature(s["temperature"] * unit.kelvin, seed)
        ctx.applyVelocityConstraints(tol)

    # --- synchronisation with states and checkpoints
    def _check_sync(self, ctx) -> None:
        if self._sync is not None:
            token = self.getGlobalVariableByName("sync_token")
            if (ctx.getStepCount(), token) == self._sync:
                return
        self._resume(ctx)

    def _resume(self, ctx) -> None:
        """(Re)start from whatever the Context and the integrator globals say.

        Called on the first step() and after loadState/loadCheckpoint/setState:
        the Python-side forecast context is stale (or absent), so it is
        discarded and rebuilt by real MD. A state saved in mid-playback is
        treated as a landing (velocities drawn, relaxation) so the run
        re-anchors on real forces from exactly the saved step and time.
        """
        s = self._load_settings()
        self._clear_buffers()
        phase = int(self.getGlobalVariableByName("phase"))
        relax_left = int(self.getGlobalVariableByName("relax_left"))
        if phase == 1:
            self._project(ctx, self._positions(ctx))
            self._set_landing_velocities(ctx, None)
            self._start_anchor()
        else:
            self._relax_active = relax_left > 0
            self.setGlobalVariableByName("gamma", s["relax_friction"] if self._relax_active else s["friction"])
            self._anchor_left = 0

    def _write_state(self, ctx) -> None:
        s = self._settings
        self.setGlobalVariableByName("phase", 1.0 if self._jump is not None else 0.0)
        self.setGlobalVariableByName("anchor_left", self._anchor_left)
        missing = max(0, s["context_frames"] - len(self._history))
        to_forecast = max(self._anchor_left, missing * s["frame_stride"] - self._since_record, 0)
        self.setGlobalVariableByName("steps_to_forecast", to_forecast if self._jump is None else 0)
        token = float(random.randrange(1, 2**52))
        self.setGlobalVariableByName("sync_token", token)
        self._sync = (ctx.getStepCount(), token)
