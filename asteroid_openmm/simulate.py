"""Run plain OpenMM MD on a built-in system and write a trajectory (DCD + PDB, or mdtraj HDF5).

``asteroid-openmm simulate SYSTEM --steps N --report-interval K --out PATH``
minimises the starting geometry, draws velocities at the system's temperature
(from ``--seed``), optionally equilibrates, then runs N Langevin steps and
writes one frame every K steps (frame interval = K x timestep):

* ``PATH`` ending in ``.h5``: an mdtraj HDF5 file (positions, time, energies, temperature);
* ``PATH`` ending in ``.dcd``: a DCD file plus the topology as ``<stem>.pdb`` beside it.

Either way a sidecar ``PATH.json`` records the frame interval (ps), system,
timestep, report interval, temperature, seed and number of frames.
Frame ``i`` (0-based) is the state after ``(i + 1) * K`` production steps;
the starting (post-equilibration) structure is the PDB / not a frame.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import operator
import sys
from pathlib import Path

HDF5_SUFFIXES = (".h5", ".hdf5")
DCD_SUFFIXES = (".dcd",)


def _count(name: str, value, minimum: int) -> int:
    """``value`` as an int >= minimum, else ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    try:
        number = operator.index(value)
    except TypeError:
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}") from None
    if number < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return number


def trajectory_format(out) -> str:
    """``"hdf5"`` or ``"dcd"`` from the file name (ValueError for anything else)."""
    suffix = Path(out).suffix.lower()
    if suffix in HDF5_SUFFIXES:
        return "hdf5"
    if suffix in DCD_SUFFIXES:
        return "dcd"
    raise ValueError(
        f"cannot tell the trajectory format from {str(out)!r}: the output file must end in .dcd "
        "(DCD + a <stem>.pdb topology) or .h5 (mdtraj HDF5)"
    )


def metadata_path(out) -> Path:
    """The sidecar JSON path for trajectory ``out`` (``<out>.json``)."""
    out = Path(out)
    return out.with_name(out.name + ".json")


def topology_path(out) -> Path:
    """The PDB topology written next to a DCD trajectory (``<stem>.pdb``)."""
    return Path(out).with_suffix(".pdb")


def available_platforms() -> list[str]:
    """Names of the registered OpenMM platforms, fastest first (by OpenMM's speed estimate)."""
    from asteroid_openmm._openmm import import_openmm

    openmm = import_openmm()
    platforms = [openmm.Platform.getPlatform(i) for i in range(openmm.Platform.getNumPlatforms())]
    platforms.sort(key=lambda p: p.getSpeed(), reverse=True)
    # dict.fromkeys: unique, in order (a plugin re-scan can register the same platform twice)
    return list(dict.fromkeys(p.getName() for p in platforms))


def create_simulation(builtin, platform: str | None = None, seed: int | None = None):
    """An ``openmm.app.Simulation`` for a :class:`BuiltinSystem` with its recommended integrator.

    ``platform=None`` tries the platforms fastest first (CUDA > OpenCL > CPU > Reference)
    and keeps the first that can run the system (e.g. openmm-torch has no OpenCL kernels).
    Returns ``(simulation, platform_name)``.
    """
    from asteroid_openmm._openmm import import_openmm

    openmm = import_openmm()
    from openmm import app

    names = available_platforms()
    if platform is not None:
        match = [n for n in names if n.lower() == str(platform).lower()]
        if not match:
            raise ValueError(f"unknown OpenMM platform {platform!r}; available: {', '.join(names)}")
        candidates = match
    else:
        candidates = names
    errors = []
    for name in candidates:
        try:
            simulation = app.Simulation(
                builtin.topology,
                builtin.system,
                builtin.make_integrator(seed),
                openmm.Platform.getPlatformByName(name),
            )
        except Exception as exc:  # OpenMMException: no device, missing kernels, ...
            errors.append(f"{name}: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}")
            continue
        return simulation, name
    raise ValueError(f"no OpenMM platform could run system {builtin.name!r}: " + "; ".join(errors))


def _step_with_progress(simulation, steps: int, desc: str, progress: bool) -> None:
    from tqdm.auto import tqdm

    chunk = max(10, min(1000, steps // 100))
    with tqdm(total=steps, desc=desc, unit="step", disable=not progress, dynamic_ncols=True) as bar:
        done = 0
        while done < steps:
            n = min(chunk, steps - done)
            simulation.step(n)
            done += n
            bar.update(n)


def _run(simulation, builtin, steps, report_interval, out, fmt, seed, equilibration_steps, progress, platform_name):
    """Minimise, draw velocities, equilibrate, then run production with the trajectory reporter attached."""
    from openmm import app, unit

    from asteroid_openmm.systems import openmm_seed

    context = simulation.context
    context.setPositions(builtin.positions)
    simulation.minimizeEnergy()
    temperature = builtin.temperature * unit.kelvin
    if seed is None:
        context.setVelocitiesToTemperature(temperature)
    else:
        context.setVelocitiesToTemperature(temperature, openmm_seed(seed))
    if equilibration_steps:
        _step_with_progress(simulation, equilibration_steps, f"{builtin.name}: equilibration", progress)
    # Production starts at t = 0, step 0: frame i is at time (i + 1) * report_interval * timestep.
    simulation.currentStep = 0
    context.setTime(0.0)

    periodic = builtin.system.usesPeriodicBoundaryConditions()
    reporter = None
    if fmt == "hdf5":
        import mdtraj.reporters

        if out.exists():
            out.unlink()
        reporter = mdtraj.reporters.HDF5Reporter(
            str(out),
            report_interval,
            coordinates=True,
            time=True,
            cell=periodic,
            potentialEnergy=True,
            kineticEnergy=True,
            temperature=True,
        )
        topology_file = None
    else:
        topology_file = topology_path(out)
        state = context.getState(getPositions=True)
        with open(topology_file, "w", encoding="ascii") as fh:
            app.PDBFile.writeFile(builtin.topology, state.getPositions(), fh)
        reporter = app.DCDReporter(str(out), report_interval)
    simulation.reporters.append(reporter)
    try:
        _step_with_progress(simulation, steps, f"{builtin.name} MD ({platform_name})", progress)
    finally:
        simulation.reporters.remove(reporter)
        if fmt == "hdf5":
            reporter.close()
        else:
            # DCDReporter has no close(); its file object is closed when it is garbage collected.
            dcd_file = getattr(reporter, "_out", None)
            if dcd_file is not None:
                dcd_file.close()
        del reporter

    return topology_file


def simulate(
    system_name,
    steps: int,
    report_interval: int,
    out,
    seed: int | None = None,
    platform: str | None = None,
    equilibration_steps: int = 0,
    progress: bool = True,
    system_options: dict | None = None,
) -> Path:
    """Run plain OpenMM MD on a built-in system and write the trajectory to ``out``.

    Args:
        system_name: a built-in system name (see ``list_systems()``) or a ``BuiltinSystem``.
        steps: production MD steps (>= 1).
        report_interval: write a frame every this many steps (1 <= report_interval <= steps).
        out: trajectory path ending in ``.h5`` (mdtraj HDF5) or ``.dcd`` (DCD + ``<stem>.pdb``).
        seed: seeds the initial velocities and the Langevin thermostat (``None``: random).
        platform: OpenMM platform name; ``None`` picks the fastest one that works.
        equilibration_steps: MD steps run (and not written) after minimisation, before production.
        progress: show a tqdm progress bar.
        system_options: keyword options for ``get_system`` (e.g. ``{"ani_model_index": 0}``).

    Returns:
        The trajectory path (``pathlib.Path``). ``<out>.json`` holds the metadata,
        including ``frame_interval_ps`` and ``n_frames`` (= steps // report_interval).
    """
    from asteroid_openmm._openmm import import_openmm

    import_openmm()
    from openmm import unit

    from asteroid_openmm.systems import BuiltinSystem, get_system, openmm_seed

    steps = _count("steps", steps, 1)
    report_interval = _count("report_interval", report_interval, 1)
    equilibration_steps = _count("equilibration_steps", equilibration_steps, 0)
    if report_interval > steps:
        raise ValueError(f"report_interval ({report_interval}) must not exceed steps ({steps}): no frame would be written")
    if seed is not None:
        openmm_seed(seed)  # validates
    out = Path(out)
    fmt = trajectory_format(out)
    if fmt == "hdf5":
        try:
            import tables  # noqa: F401  (mdtraj's HDF5 format needs PyTables)
        except ImportError:
            raise ValueError(
                f"writing {out.name} needs PyTables for mdtraj's HDF5 format: pip install tables, "
                "or write a .dcd trajectory instead"
            ) from None

    if isinstance(system_name, BuiltinSystem):
        if system_options:
            raise ValueError("system_options can only be used with a system name, not a BuiltinSystem")
        builtin = system_name
    else:
        builtin = get_system(system_name, **(system_options or {}))

    out.parent.mkdir(parents=True, exist_ok=True)
    simulation, platform_name = create_simulation(builtin, platform, seed)
    context = simulation.context
    # Small TorchForce models run fastest on one torch thread (spinning torch workers starve OpenMM's).
    from asteroid_openmm.systems.ani import has_torch_force, torch_threads

    single_thread = platform_name in ("CPU", "Reference") and has_torch_force(builtin.system)
    with torch_threads(1) if single_thread else contextlib.nullcontext():
        topology_file = _run(simulation, builtin, steps, report_interval, out, fmt, seed, equilibration_steps,
                             progress, platform_name)  # fmt: skip

    state = context.getState(getEnergy=True)
    final_energy = state.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
    if not math.isfinite(final_energy):
        print(f"warning: {builtin.name}: final potential energy is {final_energy}", file=sys.stderr)

    metadata = {
        "frame_interval_ps": round(report_interval * builtin.timestep, 12),
        "system": builtin.name,
        "timestep_ps": builtin.timestep,
        "report_interval": report_interval,
        "temperature_K": builtin.temperature,
        "seed": seed,
        "n_frames": steps // report_interval,
        "steps": steps,
        "equilibration_steps": equilibration_steps,
        "friction_per_ps": builtin.friction,
        "potential": builtin.potential,
        "system_options": {k: v for k, v in builtin.options.items()},
        "n_atoms": builtin.n_atoms,
        "format": fmt,
        "topology": topology_file.name if topology_file is not None else None,
        "platform": platform_name,
        "units": {"positions": "nm", "time": "ps", "energy": "kJ/mol", "temperature": "K"},
    }
    with open(metadata_path(out), "w", encoding="utf-8") as fh:
        json.dump(metadata, fh, indent=2)
        fh.write("\n")
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from asteroid_openmm.systems import list_systems

    parser.add_argument("system", metavar="SYSTEM", help="built-in system: " + ", ".join(list_systems()))
    parser.add_argument("--steps", type=int, required=True, help="production MD steps")
    parser.add_argument(
        "--report-interval", type=int, required=True, help="write a frame every K steps (frame interval = K x timestep)"
    )
    parser.add_argument(
        "--out", required=True, help="trajectory file: .dcd (plus <stem>.pdb topology) or .h5 (mdtraj HDF5)"
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed for velocities and thermostat")
    parser.add_argument(
        "--platform", default=None, help="OpenMM platform (CUDA, OpenCL, CPU, Reference); default: fastest that works"
    )
    parser.add_argument("--equilibration-steps", type=int, default=0, help="unrecorded MD steps before production")
    parser.add_argument(
        "--ani-model-index",
        type=int,
        default=None,
        help="ANI systems only: use this single ANI-1x network (0-7, ~3x faster) instead of the 8-model ensemble",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run_from_args(args: argparse.Namespace) -> int:
    options = {}
    if getattr(args, "ani_model_index", None) is not None:
        options["ani_model_index"] = args.ani_model_index
    path = simulate(
        args.system,
        steps=args.steps,
        report_interval=args.report_interval,
        out=args.out,
        seed=args.seed,
        platform=args.platform,
        equilibration_steps=args.equilibration_steps,
        progress=not args.no_progress,
        system_options=options or None,
    )
    with open(metadata_path(path), encoding="utf-8") as fh:
        meta = json.load(fh)
    extra = f" + {meta['topology']}" if meta.get("topology") else ""
    print(
        f"wrote {path}{extra}: {meta['n_frames']} frames every {meta['frame_interval_ps']:g} ps "
        f"({meta['system']}, {meta['platform']}); metadata in {metadata_path(path)}"
    )
    return 0
