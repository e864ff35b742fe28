"""A model's fast-mode donor library: real MD frames kept in the model file as thermal fast-mode donors.

The integrator's thermal fast modes (:mod:`asteroid_openmm.integrator.fast_modes`)
give each forecast frame the bond and angle distances of a real frame. By
default those donors are the hybrid run's own recent real-MD frames, which in
a chained run are at most a few dozen steps past a landing frame whose
distances came from earlier donors: the pool feeds on itself. Measured on
aspirin (docs/benchmarks.md, twenty-fourth session): over 27 ps its ester
angle C1-O3-C4 wandered to a mean of 117.0 degrees (reference 118.3) with an
sd of 3.97 in one run and 4.91 in another (reference 4.76), and the
committed frames followed; with donors drawn from independent MD they
came out at 117.9 / 4.55.

A donor library breaks that loop: a sample of frames of real MD at the run's
temperature (e.g. of the model's training trajectories), stored with the
model as plain tensors (``model.extra["fast_mode_library"]``, read safely
with the rest of the file). ``AsteroidIntegrator(fast_mode_library=True)``
draws its donors from it. It should cover the conformations the run visits
(rotamers), since donors are matched to each frame's rotamer.

Units: nm, K.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np

#: Key of the library in a model's ``extra``.
LIBRARY_KEY = "fast_mode_library"
#: Frames kept by default: enough distinct donors in each rotamer of a small molecule (aspirin: 4 rotamer
#: torsions), about 1 MB for 21 atoms.
DEFAULT_LIBRARY_FRAMES = 4096
#: Fewer frames than this are refused: a few frames reused thousands of times are a distribution error of their own.
MIN_LIBRARY_FRAMES = 64


@dataclass(frozen=True)
class DonorLibrary:
    """Real MD frames that donate thermal fast modes.

    Attributes
    ----------
    frames : np.ndarray [K, N, 3], float64
        Positions (nm).
    temperature : float
        Temperature (K) of the MD the frames were taken from.
    source : str
        Where they came from (free text).
    """

    frames: np.ndarray
    temperature: float
    source: str = ""


def attach_donor_library(model, frames_nm, temperature_K: float, source: str = "",
                         max_frames: int = DEFAULT_LIBRARY_FRAMES, seed: int = 0) -> DonorLibrary:
    """Store real MD frames in ``model`` as its fast-mode donor library (saved with :func:`save_model`).

    Parameters
    ----------
    model : AsteroidModel
    frames_nm : array [T, N, 3]
        Equilibrium real MD frames of the model's system (nm, atoms in the model's order), at ``temperature_K``.
    temperature_K : float
        The MD's temperature (K); the integrator refuses a library of another temperature.
    source : str
        Where the frames came from, kept with them.
    max_frames : int
        At most this many frames are kept, drawn at random without replacement (``seed``).

    Returns
    -------
    DonorLibrary
        What was stored.
    """
    frames = np.asarray(frames_nm, np.float64)
    if frames.ndim != 3 or frames.shape[1:] != (model.n_atoms, 3):
        raise ValueError(f"donor frames must have shape [frames, {model.n_atoms}, 3] (the model's atoms), "
                         f"got {frames.shape}")
    bad = np.flatnonzero(~np.all(np.isfinite(frames), axis=(1, 2)))
    if len(bad):
        raise ValueError(f"donor frame {int(bad[0])} has NaN or infinite coordinates ({len(bad)} frames do); "
                         "give equilibrium MD frames only")
    if not (np.isfinite(temperature_K) and temperature_K > 0):
        raise ValueError(f"temperature must be > 0 K, got {temperature_K}")
    if int(max_frames) < MIN_LIBRARY_FRAMES:
        raise ValueError(f"max_frames must be at least {MIN_LIBRARY_FRAMES}, got {max_frames}")
    if len(frames) < MIN_LIBRARY_FRAMES:
        raise ValueError(f"a donor library needs at least {MIN_LIBRARY_FRAMES} frames, got {len(frames)}; "
                         "give a longer trajectory")
    if len(frames) > max_frames:
        frames = frames[np.sort(np.random.default_rng(seed).choice(len(frames), int(max_frames), replace=False))]
    import torch

    model.extra = dict(getattr(model, "extra", None) or {})
    model.extra[LIBRARY_KEY] = {"positions_nm": torch.as_tensor(frames, dtype=torch.float32),
                                "temperature_K": float(temperature_K), "source": str(source)}
    return donor_library(model)


def donor_library(model) -> DonorLibrary | None:
    """The model's fast-mode donor library, or None when it has none.

    Raises ValueError when the stored library is malformed (a corrupt or hand-edited model file).
    """
    entry = (getattr(model, "extra", None) or {}).get(LIBRARY_KEY)
    if entry is None:
        return None
    try:
        frames = np.asarray(entry["positions_nm"].detach().cpu().numpy(), np.float64)
        temperature = float(entry["temperature_K"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"the model's fast-mode donor library is malformed ({type(exc).__name__}: {exc}); "
                         "attach it again (asteroid-openmm donors)") from None
    if frames.ndim != 3 or frames.shape[1:] != (model.n_atoms, 3) or len(frames) < MIN_LIBRARY_FRAMES:
        raise ValueError(f"the model's fast-mode donor library has shape {frames.shape}, not [>= "
                         f"{MIN_LIBRARY_FRAMES}, {model.n_atoms}, 3]; attach it again (asteroid-openmm donors)")
    if not np.all(np.isfinite(frames)) or not temperature > 0:
        raise ValueError("the model's fast-mode donor library has non-finite coordinates or a bad temperature; "
                         "attach it again (asteroid-openmm donors)")
    return DonorLibrary(frames, temperature, str(entry.get("source", "")))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model file (.pt) or built-in model name")
    parser.add_argument("trajectories", nargs="+", metavar="TRAJECTORY",
                        help="equilibrium real MD of the model's system at --temperature (any mdtraj format, or "
                        "MD17-style .npz in Angstrom), e.g. the training trajectories")
    parser.add_argument("--temperature", type=float, required=True, help="K: the temperature of that MD")
    parser.add_argument("--out", required=True, help="model file to write (the model plus its donor library)")
    parser.add_argument("--top", help="topology for coordinate-only formats (PDB ...)")
    parser.add_argument("--frame-interval", type=float, help="ps between saved frames, where the files do not say "
                        "(not used otherwise)")
    parser.add_argument("--skip-ps", type=float, default=0.0, help="ps of each trajectory left out at its start "
                        "(equilibration)")
    parser.add_argument("--frames", type=int, default=DEFAULT_LIBRARY_FRAMES, help="frames to keep (random)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random choice of frames")


def run_from_args(args) -> int:
    """``asteroid-openmm donors``: attach a fast-mode donor library to a model file."""
    from ..trajectories.io import load_trajectories
    from .checkpoint import load_model, save_model

    if args.skip_ps < 0:
        raise ValueError(f"--skip-ps must be >= 0 ps, got {args.skip_ps}")
    model = load_model(args.model, device="cpu")
    trajectories = load_trajectories(args.trajectories, topology=args.top, frame_interval_ps=args.frame_interval)
    parts = []
    for t in trajectories:
        model.check_compatible(atomic_numbers=t.atomic_numbers)
        parts.append(np.asarray(t.positions)[int(round(args.skip_ps / t.frame_interval)):])
    frames = np.concatenate(parts)
    library = attach_donor_library(model, frames, args.temperature, max_frames=args.frames, seed=args.seed,
                                   source=", ".join(t.source for t in trajectories))
    save_model(model, args.out, provenance=model.provenance, extra=model.extra)
    print(f"wrote {args.out}: {len(library.frames)} donor frames at {library.temperature:g} K from "
          f"{len(frames)} frames of {len(trajectories)} trajectories")
    return 0
