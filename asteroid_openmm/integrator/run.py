"""Run a hybrid MD + ASTEROID-forecast simulation (``asteroid-openmm run``).

Example::

    asteroid-openmm run alanine-dipeptide --model alanine.pt --steps 100000 --out run1

writes ``run1/trajectory.dcd`` and ``run1/topology.pdb`` (the forecast
trajectory as reporters see it; the sidecar ``trajectory.dcd.json`` records
its frame interval, so ``train`` and ``evaluate`` read it directly), ``run1/state.csv`` (OpenMM
StateDataReporter), ``run1/asteroid_stats.csv`` (the integrator's counters)
and ``run1/summary.json``, and prints a summary: simulated time, wall time,
speed-up over the measured cost of a real MD step, and the jump acceptance.

Units: nm, ps, kJ/mol, K.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from .presets import PRESETS

# Knob name -> (argparse type, help). Defaults come from AsteroidIntegrator
# itself (a knob left out of the command line is not passed), so they are defined once.
KNOBS = {
    "rollouts": (int, "chained forecasts per jump (R); a jump covers at most H*R model frames (default: 1)"),
    "anchor_steps": (int, "real MD steps after each jump before the next forecast (multiple of the frame "
                     "stride) (default: relax steps + 2 frames, rounded up)"),
    "relax_steps": (int, "post-jump steps at --relax-friction (default: 0.04 ps worth)"),
    "relax_friction": (float, "friction (1/ps) during post-jump relaxation (default: 100)"),
    "velocity_policy": (str, "velocities after a jump: resample | finite-difference (default: resample)"),
    "max_spread": (float, "largest STI spread (nm) of a committed frame (default: 0.05)"),
    "energy_sigma_low": (float, "landing energy may be this many std below the real-MD mean (default: 4)"),
    "energy_sigma_high": (float, "landing energy may be this many std above the real-MD mean (default: 4)"),
    "force_factor": (float, "landing force soft maximum relative to real MD (default: 3)"),
    "bond_tolerance": (float, "largest bond-length deviation (nm) (default: 0.02)"),
    "displacement_factor": (float, "largest per-frame atom displacement relative to real MD (default: 4)"),
    "min_motion_fraction": (float, "smallest per-frame RMS motion relative to real MD (default: 0.25)"),
    "min_jump_frames": (int, "fewer good frames than this rejects the jump (default: 2)"),
    "guard_evaluations": (int, "real energy/force evaluations per jump (default: 3)"),
    "thermal_fast_modes": (int, "1: forecast frames take their bond and angle distances from random recent real-MD "
                           "frames; 0: played back as forecast (default: 1)"),
    "fast_mode_bandwidth": (float, "h of the smoothed bootstrap of thermal fast modes: a real frame's 1-2/1-3 "
                            "distances plus noise with h^2 x their real-MD covariance, rescaled; 0: copies "
                            "(default: 0.3 when rollouts > 1, else 0)"),
    "fast_mode_covariance_frames": (int, "recent equilibrium real frames whose 1-2/1-3 distance covariance shapes "
                                    "the smoothing noise; 0: the fast-mode donors (default: 0)"),
    "fast_mode_donor_frames": (int, "recent equilibrium real frames that donate their bond and angle distances to "
                               "forecast frames (default: 256)"),
    "fast_mode_donor_stride": (int, "real MD steps between fast-mode donor frames in equilibrium real MD; 0: the "
                               "recorded frames, every frame_stride steps (default: 2, at most frame_stride)"),
    "planar_ring_modes": (int, "1: thermal fast modes also take the out-of-plane modes of planar rings from the "
                          "donor frame; 0: bonds and angles only (default: 0)"),
    "fast_mode_library": (int, "1: thermal fast-mode donors come from the model's donor library (real MD frames kept "
                          "in the model file, see asteroid-openmm donors); 0: the run's own recent real frames "
                          "(default: 0)"),
    "rotamer_window": (float, "degrees: fast-mode donors are drawn among real frames whose every rotatable torsion "
                       "is within this of the forecast frame's; 0: any donor (default: 60)"),
    "donor_hydrogen_torsions": (int, "1: rotamer torsions whose turning side is a lone hydrogen (hydroxyl-like) of "
                                "forecast frames take their fast-mode donor's value, within rotamer_window; 0: as "
                                "forecast (default: 0)"),
    "donor_rotor_phases": (int, "1: symmetric terminal rotors (methyl groups and the like) of forecast frames take "
                           "their fast-mode donor's libration phase instead of a random earlier real frame's "
                           "(default: 0)"),
    "rotamer_wells": (int, "1: fast-mode donors are drawn among real frames in the forecast frame's well of "
                      "every rotatable torsion (wells from the donors' torsion density) instead of within "
                      "rotamer_window (default: 0)"),
    "donor_neighbours": (int, "k > 0: each forecast frame's fast-mode donor is drawn among the k real frames "
                         "nearest to it in its heavy-atom rotamer torsions; 0: uniformly within rotamer_window "
                         "(default: 0)"),
    "donor_geometry": (int, "1: each forecast frame becomes its fast-mode donor superposed on it; 2: the same with "
                       "the donor's heavy-atom rotamer torsions turned to the frame's first; 0: only the donor's "
                       "bond and angle distances (default: 0)"),
    "thermal_rotors": (int, "1: symmetric terminal rotors (methyl groups and the like) of forecast frames take "
                       "their libration phase from a random earlier real-MD frame; 0: as forecast (default: 1)"),
    "rotor_mc_steps": (int, "Metropolis proposals per symmetric terminal rotor (methyl ...) on each landing frame, "
                       "with real energies (default: 4)"),
    "rotor_bond_check": (int, "1: the guard also judges the raw forecast's bonds to methyl-type rotor atoms, which "
                         "thermal fast modes and thermal rotors rebuild in committed frames (default: 1)"),
    "torsion_mc_steps": (int, "Metropolis proposals per rotamer torsion (rotatable bonds other than methyl-type "
                         "rotors) on each landing frame, with real energies (default: 0)"),
    "link_mc_steps": (int, "with rollouts > 1: Metropolis proposals per rotamer torsion on the context of each "
                      "chained forecast after the first, with real energies (or see link_mc_library); the turns carry "
                      "on through the chain (default: 0)"),
    "link_mc_sd": (float, "sd (degrees) of the link moves' Gaussian torsion proposals (default: 20)"),
    "link_mc_hydrogens": (int, "1: link moves also turn torsions whose turning side is a lone hydrogen (hydroxyl-like) "
                          "(default: 0)"),
    "link_mc_library": (int, "1: link moves accept by the moved torsions' free energy in the model's donor library "
                        "(no force evaluations); 0: by real energies (default: 0)"),
    "library_torsion_moves": (int, "1: landing and link moves of rotamer torsions propose torsions drawn from the "
                              "model's donor library (Metropolis-Hastings); 0: Gaussian turns (default: 0)"),
    "library_torsion_window": (float, "degrees: largest turn library_torsion_moves propose; 180: anywhere "
                               "(default: 60)"),
    "mirror_averaging": (int, "1: average each forecast with the mirror image of the mirrored context's forecast "
                         "(exactly mirror-equivariant chains; achiral molecules) (default: 0)"),
    "mirror_sampling": (int, "1: each forecast is, at random, the plain one or the mirror image of the mirrored "
                        "context's forecast (mirror-symmetric chains at no extra cost; achiral molecules; excludes "
                        "mirror_averaging) (default: 0)"),
    "torsion_kick": (float, "sd of a random angular velocity about each rotatable bond given to each chained "
                     "forecast's context, as a fraction of the thermal one (0 = off) (default: 0)"),
    "forecast_context": (int, "1: the model's own forecast frames are the next forecast's context; 0: the "
                         "played-back frames (default: 1)"),
    "landing_context": (int, "1: the model's frames carried into the next context (forecast_context) are made "
                        "continuous with the committed landing frame (its rotor turns and fast modes); 0: carried as "
                        "forecast (default: 1)"),
    "playback_interpolation": (int, "between two model frames, reporters see the nearest one (0) or their linear "
                               "interpolation (1), which strains thermal fast modes (default: 0)"),
    "noise_scale": (float, "stochastic models: sd of the latent noise draws relative to training (1: as trained; 0: "
                    "the noise-free path) (default: 1)"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("system", metavar="SYSTEM_OR_PDB",
                        help="a built-in system name (asteroid-openmm systems) or a PDB file "
                        "(Amber14, HBonds constraints; PME if the PDB has a unit cell, else no cutoff)")
    parser.add_argument("--model", required=True, default=argparse.SUPPRESS, help="model file (.pt) or built-in model name")
    parser.add_argument("--steps", type=int, required=True, default=argparse.SUPPRESS, help="MD steps to simulate")
    parser.add_argument("--out", required=True, default=argparse.SUPPRESS, help="output directory")
    parser.add_argument("--report-interval", type=int, default=100, help="steps between trajectory frames and CSV rows")
    # "Automatic" defaults are SUPPRESSed so the help shows the real meaning, not "None".
    auto = argparse.SUPPRESS
    parser.add_argument("--platform", default=auto, help="OpenMM platform (default: the fastest available)")
    parser.add_argument("--device", default="auto", help="model device: auto | cpu | cuda")
    parser.add_argument("--seed", type=int, default=0, help="random seed (velocities, thermostat, post-jump draws)")
    parser.add_argument("--temperature", type=float, default=auto, help="K (default: the system's)")
    parser.add_argument("--friction", type=float, default=auto, help="1/ps (default: the system's)")
    parser.add_argument("--timestep", type=float, default=auto, help="ps (default: the system's)")
    parser.add_argument("--minimize", action="store_true", help="energy-minimise the starting structure first")
    parser.add_argument("--equilibration-steps", type=int, default=0,
                        help="plain MD steps (forecasting off, not reported, not timed) before the run, so that the "
                             "guard judges forecasts against equilibrium real MD: from a cold or minimised start, "
                             "jumps are rejected until real MD has warmed up (default: 0)")
    parser.add_argument("--no-forecast", action="store_true",
                        help="plain Langevin MD with the same integrator (baseline)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--preset", default="default", choices=list(PRESETS),
                        help="named integrator settings; knobs given below override it: "
                        + "; ".join(f"{name}: {text}" for name, text in PRESETS.items()))
    knobs = parser.add_argument_group("integrator knobs (see AsteroidIntegrator; given, they override --preset; the "
                                      "defaults shown are the integrator's own)")
    for name, (kind, help_text) in KNOBS.items():
        choices = {"velocity_policy": ["resample", "finite-difference"], "thermal_fast_modes": [0, 1],
                   "thermal_rotors": [0, 1], "forecast_context": [0, 1], "rotor_bond_check": [0, 1],
                   "landing_context": [0, 1], "planar_ring_modes": [0, 1],
                   "donor_hydrogen_torsions": [0, 1], "donor_rotor_phases": [0, 1],
                   "library_torsion_moves": [0, 1], "donor_geometry": [0, 1, 2], "rotamer_wells": [0, 1]}.get(name)
        knobs.add_argument("--" + name.replace("_", "-"), dest=name, type=kind, default=auto, choices=choices,
                           help=help_text)


def _equilibrate(simulation, integrator, steps: int, no_progress: bool) -> None:
    """Plain MD steps with forecasting off; then the step count, the clock and the integrator's stats start afresh."""
    from tqdm import tqdm

    from .asteroid_integrator import AsteroidStats

    forecasting = integrator.forecasting
    integrator.forecasting = False
    with tqdm(total=steps, unit="step", disable=no_progress, desc="equilibration", dynamic_ncols=True) as bar:
        for start in range(0, steps, 1000):
            n = min(1000, steps - start)
            simulation.step(n)
            bar.update(n)
    integrator.forecasting = forecasting
    integrator.stats = AsteroidStats()
    simulation.currentStep = 0
    simulation.context.setTime(0.0)


def load_simulation_system(name_or_pdb: str):
    """A :class:`~asteroid_openmm.systems.BuiltinSystem` for a built-in name or a PDB file.

    A PDB gets Amber14 (``amber14-all.xml`` + ``amber14/tip3pfb.xml``), HBonds
    constraints, PME (1 nm cutoff) when it has a unit cell and no cutoff
    otherwise, and the alanine-dipeptide MD settings (300 K, 2 fs, 1/ps).
    """
    import numpy as np

    from asteroid_openmm._openmm import import_openmm
    from asteroid_openmm.systems import BuiltinSystem, get_system, list_systems

    if not name_or_pdb.lower().endswith(".pdb"):
        if name_or_pdb not in list_systems():
            raise ValueError(
                f"{name_or_pdb!r} is neither a built-in system ({', '.join(list_systems())}) nor a .pdb file"
            )
        return get_system(name_or_pdb)
    if not os.path.isfile(name_or_pdb):
        raise FileNotFoundError(f"PDB file {name_or_pdb!r} does not exist")
    openmm = import_openmm()
    from openmm import app

    unit = openmm.unit
    pdb = app.PDBFile(name_or_pdb)
    forcefield = app.ForceField("amber14-all.xml", "amber14/tip3pfb.xml")
    periodic = pdb.topology.getPeriodicBoxVectors() is not None
    try:
        system = forcefield.createSystem(
            pdb.topology,
            nonbondedMethod=app.PME if periodic else app.NoCutoff,
            nonbondedCutoff=1.0 * unit.nanometer,
            constraints=app.HBonds,
        )
    except ValueError as exc:
        raise ValueError(
            f"Amber14 cannot parameterise {name_or_pdb!r}: {exc}. Add missing hydrogens/caps (e.g. with "
            "pdbfixer) or use a built-in system"
        ) from None
    atomic_numbers = np.array(
        [a.element.atomic_number if a.element is not None else 0 for a in pdb.topology.atoms()], dtype=int
    )
    return BuiltinSystem(
        name=Path(name_or_pdb).stem, topology=pdb.topology, system=system,
        positions=pdb.getPositions(asNumpy=True), temperature=300.0, timestep=0.002, friction=1.0,
        atomic_numbers=atomic_numbers, description=f"{name_or_pdb} (Amber14, HBonds)",
        potential="amber14",
    )


def fastest_platform(openmm, name: str | None = None):
    """The named OpenMM platform, or the fastest one available."""
    if name:
        names = [openmm.Platform.getPlatform(i).getName() for i in range(openmm.Platform.getNumPlatforms())]
        if name not in names:
            raise ValueError(f"OpenMM platform {name!r} is not available; available: {', '.join(names)}")
        return openmm.Platform.getPlatformByName(name)
    platforms = [openmm.Platform.getPlatform(i) for i in range(openmm.Platform.getNumPlatforms())]
    return max(platforms, key=lambda p: p.getSpeed())


def measure_md_step_cost(openmm, sysdef, platform, temperature, friction, timestep,
                         max_steps: int = 200, max_seconds: float = 2.0, warmup_steps: int = 20,
                         block_steps: int = 10) -> float:
    """Wall seconds per step of plain ``LangevinMiddleIntegrator`` MD of the same system on the same platform.

    The baseline for the speed-up: a throwaway Context, so the hybrid run's
    trajectory is untouched. After ``warmup_steps`` untimed steps, blocks of
    ``block_steps`` are timed (each ends with a download, so asynchronous GPU
    platforms are waited for) until ``max_steps`` steps or about ``max_seconds``;
    the result is the median block's cost per step. The median matters on GPUs:
    TorchScript potentials (ANI-1x through openmm-torch) compile fused kernels
    during their first few dozen calls, and on an H200 the first 50 steps
    averaged 3-5x the steady cost, which a mean over 2 s would fold into the
    baseline and so inflate the speed-up.
    """
    integrator = openmm.LangevinMiddleIntegrator(temperature, friction, timestep)
    context = openmm.Context(sysdef.system, integrator, platform)
    context.setPositions(sysdef.positions)
    context.setVelocitiesToTemperature(temperature, 1)
    integrator.step(warmup_steps)  # kernels compiled, caches warm
    context.getState(getPositions=True)
    blocks, t_start = [], time.perf_counter()
    while len(blocks) * block_steps < max_steps and time.perf_counter() - t_start < max_seconds:
        t0 = time.perf_counter()
        integrator.step(block_steps)
        context.getState(getPositions=True)  # wait for asynchronous (GPU) platforms
        blocks.append(time.perf_counter() - t0)
    del context, integrator
    return statistics.median(blocks) / block_steps


def run_from_args(args) -> int:
    import numpy as np

    from asteroid_openmm._openmm import import_openmm
    from asteroid_openmm.model import load_model
    from asteroid_openmm.trajectories.io import SIDECAR_KEY, sidecar_path

    from .asteroid_integrator import AsteroidIntegrator
    from .reporter import AsteroidReporter

    openmm = import_openmm()
    from openmm import app

    unit = openmm.unit
    if args.steps < 1:
        raise ValueError(f"--steps must be >= 1, got {args.steps}")
    if args.report_interval < 1:
        raise ValueError(f"--report-interval must be >= 1, got {args.report_interval}")
    if args.equilibration_steps < 0:
        raise ValueError(f"--equilibration-steps must be >= 0, got {args.equilibration_steps}")
    sysdef = load_simulation_system(args.system)
    model = load_model(args.model, device=args.device)
    model.check_compatible(atomic_numbers=sysdef.atomic_numbers)
    temperature = getattr(args, "temperature", sysdef.temperature)
    friction = getattr(args, "friction", sysdef.friction)
    timestep = getattr(args, "timestep", sysdef.timestep)
    knobs = {k: getattr(args, k) for k in KNOBS if hasattr(args, k)}
    integrator = AsteroidIntegrator.from_preset(
        args.preset, model, temperature, friction, timestep, forecasting=not args.no_forecast, random_seed=args.seed,
        **knobs
    )
    platform = fastest_platform(openmm, getattr(args, "platform", None))
    simulation = app.Simulation(sysdef.topology, sysdef.system, integrator, platform)
    simulation.context.setPositions(sysdef.positions)
    if args.minimize:
        simulation.minimizeEnergy()
    simulation.context.setVelocitiesToTemperature(temperature * unit.kelvin, (args.seed % (2**31 - 2)) + 1)
    if args.equilibration_steps:
        _equilibrate(simulation, integrator, args.equilibration_steps, args.no_progress)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    state = simulation.context.getState(getPositions=True)
    with open(out / "topology.pdb", "w") as f:
        app.PDBFile.writeFile(sysdef.topology, state.getPositions(), f)
    k = args.report_interval
    stats_reporter = AsteroidReporter(str(out / "asteroid_stats.csv"), k)
    simulation.reporters += [
        app.DCDReporter(str(out / "trajectory.dcd"), k, enforcePeriodicBox=False),
        app.StateDataReporter(str(out / "state.csv"), k, step=True, time=True, potentialEnergy=True,
                              kineticEnergy=True, temperature=True),
        stats_reporter,
    ]

    from tqdm import tqdm

    chunk = max(k, 100)
    wall0 = time.perf_counter()
    with tqdm(total=args.steps, unit="step", disable=args.no_progress, desc="hybrid MD", dynamic_ncols=True) as bar:
        done = 0
        while done < args.steps:
            n = min(chunk, args.steps - done)
            simulation.step(n)
            done += n
            st = integrator.stats
            bar.set_postfix(forecast=f"{st.forecast_fraction:.0%}", accept=f"{st.acceptance_rate:.0%}"
                            if st.jumps_attempted else "-", refresh=False)
            bar.update(n)
    wall = time.perf_counter() - wall0
    stats_reporter.close()

    st = integrator.stats
    dt = integrator.getStepSize().value_in_unit(unit.picosecond)
    simulated_ps = args.steps * dt
    md_step_s = measure_md_step_cost(openmm, sysdef, platform, temperature, friction, timestep)
    speedup = args.steps * md_step_s / wall if wall > 0 else float("nan")
    # The hybrid run's own real steps (frame recording and relaxation included), for comparison.
    hybrid_md_step_s = st.md_seconds / st.real_steps if st.real_steps else float("nan")
    summary = {
        "system": args.system, "model": str(args.model), "platform": platform.getName(),
        "model_device": str(model.device), "preset": args.preset, "steps": args.steps, "timestep_ps": dt,
        "equilibration_steps": args.equilibration_steps,
        "simulated_ps": simulated_ps, "wall_seconds": wall, "real_md_seconds_per_step": md_step_s,
        "hybrid_real_step_seconds": hybrid_md_step_s,
        "speedup_vs_real_md": speedup, "ns_per_day": simulated_ps / 1000 / (wall / 86400) if wall > 0 else None,
        **st.as_dict(), "rejection_reasons": st.rejection_reasons, "settings": integrator.settings,
    }
    with open(out / "summary.json", "w") as f:
        json.dump(summary, f, indent=2, default=float)
    # The DCD stores no time axis: the sidecar lets `train` and `evaluate` read the trajectory as it is.
    sidecar = {
        SIDECAR_KEY: round(k * dt, 12), "topology": "topology.pdb", "system": args.system,
        "timestep_ps": dt, "report_interval": k, "n_frames": args.steps // k, "steps": args.steps,
        "temperature_K": float(temperature), "seed": args.seed, "hybrid": not args.no_forecast,
    }
    with open(sidecar_path(out / "trajectory.dcd"), "w") as f:
        json.dump(sidecar, f, indent=2)
    rate = f"{st.acceptance_rate:.1%}" if st.jumps_attempted else "n/a"
    print(f"simulated {simulated_ps:.4g} ps ({args.steps} steps of {dt} ps) in {wall:.2f} s wall "
          f"on {platform.getName()}")
    print(f"real-MD step cost {md_step_s * 1e3:.3f} ms (LangevinMiddleIntegrator, same platform) -> "
          f"speed-up {speedup:.2f}x over real MD")
    print(f"forecast steps {st.forecast_steps} ({st.forecast_fraction:.1%}), real steps {st.real_steps}; "
          f"jumps {st.jumps_attempted} attempted, {st.jumps_accepted} accepted ({rate}), "
          f"{st.jumps_truncated} truncated, {st.jumps_rejected} rejected")
    if st.rejection_reasons:
        reasons = "; ".join(f"{r}: {n}" for r, n in sorted(st.rejection_reasons.items(), key=lambda x: -x[1]))
        print(f"guard: {reasons}")
    print(f"wrote {out}/trajectory.dcd (+ .json), topology.pdb, state.csv, asteroid_stats.csv, summary.json")
    finite = np.isfinite(simulation.context.getState(getEnergy=True).getPotentialEnergy().value_in_unit(
        unit.kilojoule_per_mole))
    return 0 if finite else 1
