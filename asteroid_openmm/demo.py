"""Plain MD vs hybrid MD + ASTEROID forecasts, side by side, on a built-in system.

``asteroid-openmm demo [--system ethanol] [--model PATH_OR_NAME] [--out DIR] [--time-ps T] [--preset NAME] [--quick]``

What it does, in one process:

1. builds the built-in system (default ``ethanol``: ANI-1x through openmm-torch)
   and loads its model (default: the shipped one, ``load_model(system)``);
2. minimises the starting structure and equilibrates it briefly with plain
   Langevin MD; every run below starts from exactly this state (positions and
   velocities);
3. runs, one after another, for the same simulated time:

   * plain OpenMM MD (``LangevinMiddleIntegrator``, the system's settings);
   * the hybrid (:class:`~asteroid_openmm.integrator.AsteroidIntegrator`, same
     model and settings, the knobs of ``--preset``: the defaults unless told);
   * a second plain MD run with another thermostat seed, which measures how
     much two equally valid MD runs differ (the noise floor of the fidelity
     figures);

4. computes the potential energy of every saved frame afterwards (off the
   clock, the same way for all runs), and Jensen-Shannon divergences of the
   bond-length, angle, dihedral and potential-energy distributions: hybrid vs
   MD next to MD #2 vs MD;
5. prints a summary table and writes to ``--out``:

   * ``md.dcd`` / ``md.pdb``, ``hybrid.dcd`` / ``hybrid.pdb``, ``md2.dcd`` /
     ``md2.pdb`` (one frame per model frame interval; a ``<name>.dcd.json``
     sidecar records the frame interval, so ``asteroid-openmm train`` /
     ``load_trajectory`` read them directly);
   * ``hybrid_stats.csv`` (:class:`~asteroid_openmm.integrator.AsteroidReporter`);
   * ``timeline.csv``: per saved frame, time, whether the hybrid's frame came
     from a forecast or from real MD, and the potential energy of each run;
   * ``summary.json``: every printed number and more;
   * ``forecast_error.png`` (from the model's shipped evaluation JSON, when
     there is one), ``distributions.png``, ``timeline.png``.

Wall times include the same reporting work for every run (a DCD frame and an
in-memory copy of the positions every model frame interval, a progress bar).
Units: nm, ps, kJ/mol, K (plots use Å and fs where that reads better).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
import time
from pathlib import Path

from asteroid_openmm.integrator.presets import PRESETS

DEFAULT_SYSTEM = "ethanol"
#: Simulated time of each run (ps). Measured for ethanol (8-network ANI-1x ensemble, OpenMM CPU, 2 busy
#: cores): 15 ps per run took 5.4 min for the whole demo (plain MD ~265 steps/s, hybrid ~2x faster,
#: ~45 s of energies, set-up and plots), so 20 ps stays near 7 minutes.
DEFAULT_TIME_PS = 20.0
DEFAULT_EQUILIBRATION_PS = 1.0
QUICK_TIME_PS = 1.0
QUICK_EQUILIBRATION_PS = 0.1
#: Steps between progress-bar updates are about this many ps of simulated time.
PROGRESS_CHUNK_PS = 0.1

RUN_LABELS = {"md": "plain MD", "hybrid": "hybrid (MD + ASTEROID)", "md2": "plain MD #2"}


# ---------------------------------------------------------------------- CLI
def add_arguments(parser: argparse.ArgumentParser) -> None:
    auto = argparse.SUPPRESS
    parser.add_argument("--system", default=DEFAULT_SYSTEM,
                        help="built-in system (asteroid-openmm systems)")
    parser.add_argument("--model", default=auto,
                        help="model file (.pt) or built-in model name (default: the system's shipped model)")
    parser.add_argument("--out", default="demo-output", help="output folder")
    parser.add_argument("--time-ps", type=float, default=auto,
                        help=f"simulated time of each run in ps (default: {DEFAULT_TIME_PS:g}; "
                        f"{QUICK_TIME_PS:g} with --quick)")
    parser.add_argument("--equilibration-ps", type=float, default=auto,
                        help=f"plain MD after minimisation, before the runs (default: {DEFAULT_EQUILIBRATION_PS:g} ps; "
                        f"{QUICK_EQUILIBRATION_PS:g} with --quick)")
    parser.add_argument("--platform", default=auto,
                        help="OpenMM platform (CUDA, OpenCL, CPU, Reference) "
                        "(default: the fastest that runs the system)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"], help="model device")
    parser.add_argument("--seed", type=int, default=0,
                        help="random seed: velocities, thermostats (MD #2 uses seed + 1000), post-jump draws")
    parser.add_argument("--preset", default="default", choices=list(PRESETS),
                        help="the hybrid's integrator settings (AsteroidIntegrator.from_preset): default (one "
                        "forecast per jump) or chained (eight per jump, about 10x in 100 ps benchmarks)")
    parser.add_argument("--quick", action="store_true", help="a very short run (for tests)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def run_from_args(args) -> int:
    time_ps = getattr(args, "time_ps", QUICK_TIME_PS if args.quick else DEFAULT_TIME_PS)
    equilibration_ps = getattr(args, "equilibration_ps",
                               QUICK_EQUILIBRATION_PS if args.quick else DEFAULT_EQUILIBRATION_PS)
    summary = run_demo(
        system=args.system, model=getattr(args, "model", None), out=args.out, time_ps=time_ps,
        equilibration_ps=equilibration_ps, platform=getattr(args, "platform", None), device=args.device,
        seed=args.seed, progress=not args.no_progress, quick=args.quick, preset=args.preset,
    )
    return 0 if summary["all_finite"] else 1


# ---------------------------------------------------------------------- helpers
def _load_demo_model(system: str, model, device: str):
    """(model, description) -- the shipped model unless ``model`` is given, with a clear error if absent."""
    from asteroid_openmm.model import load_model
    from asteroid_openmm.model.checkpoint import pretrained_path

    if model is None:
        path = pretrained_path(system)
        if not path.is_file():
            raise FileNotFoundError(
                f"no shipped model for {system!r} ({path} is missing): run `make models` to train the shipped "
                f"models, or pass --model PATH to a model trained on {system!r} (asteroid-openmm train)"
            )
        return load_model(system, device=device), str(path)
    return load_model(model, device=device), str(model)


def _evaluation_json(system: str, model_arg) -> Path | None:
    """The model's evaluation JSON (``asteroid-openmm evaluate --json``), if there is one.

    For the shipped model: ``asteroid_openmm/pretrained/<name>.evaluation.json``; for a model
    file: ``<stem>.evaluation.json`` or ``evaluation.json`` beside it (the benchmark's layout).
    """
    from asteroid_openmm.model.checkpoint import PRETRAINED_DIR

    candidates = []
    if model_arg is not None and str(model_arg).endswith(".pt"):
        p = Path(model_arg)
        candidates += [p.with_name(p.stem + ".evaluation.json"), p.with_name("evaluation.json")]
    else:
        name = system if model_arg is None else str(model_arg)
        candidates.append(PRETRAINED_DIR / f"{name}.evaluation.json")
    for c in candidates:
        if c.is_file():
            return c
    return None


def _choose_platform(openmm, system, name: str | None) -> str:
    """The named platform, or the fastest one that can run ``system`` (openmm-torch has no OpenCL kernels)."""
    from asteroid_openmm.simulate import available_platforms

    names = available_platforms()
    if name is not None:
        match = [n for n in names if n.lower() == str(name).lower()]
        if not match:
            raise ValueError(f"unknown OpenMM platform {name!r}; available: {', '.join(names)}")
        names = match
    errors = []
    for n in names:
        try:
            ctx = openmm.Context(system, openmm.VerletIntegrator(0.001), openmm.Platform.getPlatformByName(n))
            del ctx
            return n
        except Exception as exc:  # OpenMMException: no device, missing kernels
            errors.append(f"{n}: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}")
    raise ValueError("no OpenMM platform can run this system: " + "; ".join(errors))


class FrameRecorder:
    """OpenMM reporter keeping every ``interval``-th frame's positions (nm) in memory.

    With an :class:`AsteroidIntegrator` it also keeps the integrator's
    cumulative forecast-step count at each frame, so which steps were
    forecast is known exactly (frames are taken at multiples of the model's
    frame stride, where jumps start and end). Asks OpenMM for positions only.
    """

    def __init__(self, interval: int, integrator=None):
        self.interval = int(interval)
        self.integrator = integrator
        self.steps: list[int] = []
        self.positions: list = []
        self.forecast_steps: list[int] = []

    def describeNextReport(self, simulation) -> dict:
        steps = self.interval - simulation.currentStep % self.interval
        return {"steps": steps, "periodic": False, "include": ["positions"]}

    def report(self, simulation, state) -> None:
        import numpy as np

        self.steps.append(int(simulation.currentStep))
        self.positions.append(np.asarray(state.getPositions(asNumpy=True)._value, dtype=np.float32).copy())
        stats = getattr(self.integrator, "stats", None)
        if stats is not None:
            self.forecast_steps.append(int(stats.forecast_steps))


def _run(simulation, steps: int, chunk: int, desc: str, progress: bool, integrator=None) -> float:
    """Advance ``steps`` steps with a tqdm bar; return the wall seconds."""
    from tqdm.auto import tqdm

    wall0 = time.perf_counter()
    with tqdm(total=steps, desc=desc, unit="step", disable=not progress, dynamic_ncols=True, leave=True) as bar:
        done = 0
        while done < steps:
            n = min(chunk, steps - done)
            simulation.step(n)
            done += n
            st = getattr(integrator, "stats", None)
            if st is not None:
                bar.set_postfix(forecast=f"{st.forecast_fraction:.0%}", jumps=st.jumps_accepted, refresh=False)
            bar.update(n)
    # Asynchronous platforms (CUDA): wait for the last kernels before stopping the clock.
    simulation.context.getState(getEnergy=False)
    return time.perf_counter() - wall0


def _potential_energies(openmm, system, platform_name: str, frames) -> "np.ndarray":
    """Potential energy (kJ/mol) of each frame [T, N, 3] (nm), one Context, off the clock."""
    import numpy as np

    ctx = openmm.Context(system, openmm.VerletIntegrator(0.001), openmm.Platform.getPlatformByName(platform_name))
    out = np.empty(len(frames))
    for i, x in enumerate(frames):
        ctx.setPositions(np.asarray(x, dtype=np.float64))
        out[i] = ctx.getState(getEnergy=True).getPotentialEnergy().value_in_unit(openmm.unit.kilojoule_per_mole)
    del ctx
    return out


def _segments(kinds, t, dt_frame):
    """Contiguous forecast segments [(start_ps, end_ps)] from per-frame kinds (True = forecast).

    A frame at time t[i] marked as forecast means the interval (t[i] - dt_frame, t[i]] was forecast.
    """
    segs = []
    start = None
    for i, k in enumerate(kinds):
        if k and start is None:
            start = t[i] - dt_frame
        if not k and start is not None:
            segs.append((start, t[i - 1]))
            start = None
    if start is not None:
        segs.append((start, t[len(kinds) - 1]))
    return segs


def _running_mean(x, n: int):
    import numpy as np

    return np.convolve(np.asarray(x, dtype=float), np.ones(n) / n, mode="valid")


def _write_sidecar(dcd: Path, frame_interval_ps: float, meta: dict) -> None:
    side = dcd.with_name(dcd.name + ".json")
    side.write_text(json.dumps({"frame_interval_ps": round(frame_interval_ps, 12), **meta}, indent=2) + "\n")


def _json_clean(x):
    """Plain JSON values: numpy scalars to Python numbers, NaN/inf (e.g. an undefined acceptance rate) to null."""
    import numpy as np

    if isinstance(x, dict):
        return {str(k): _json_clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_json_clean(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x) if math.isfinite(x) else None
    return x


def _finite(x) -> bool:
    if isinstance(x, dict):
        return all(_finite(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        return all(_finite(v) for v in x)
    if isinstance(x, float):
        return math.isfinite(x)
    return True


# ---------------------------------------------------------------------- the demo
def run_demo(system: str = DEFAULT_SYSTEM, model=None, out="demo-output", time_ps: float = DEFAULT_TIME_PS,
             equilibration_ps: float = DEFAULT_EQUILIBRATION_PS, platform: str | None = None, device: str = "auto",
             seed: int = 0, progress: bool = True, quick: bool = False, preset: str = "default") -> dict:
    """Run the demo (see the module docstring) and return the summary dict written to ``summary.json``.

    ``preset`` names the hybrid's integrator settings (:data:`~asteroid_openmm.integrator.PRESETS`).
    """
    import numpy as np

    from asteroid_openmm._openmm import import_openmm
    from asteroid_openmm.evaluation import metrics
    from asteroid_openmm.integrator import AsteroidIntegrator, AsteroidReporter
    from asteroid_openmm.integrator.asteroid_integrator import nearest_frame_stride
    from asteroid_openmm.systems import get_system, list_systems, openmm_seed
    from asteroid_openmm.systems.ani import has_torch_force, torch_threads
    from asteroid_openmm.trajectories import TrajectoryData

    openmm = import_openmm()
    from openmm import app

    unit = openmm.unit
    t_total0 = time.perf_counter()
    if system not in list_systems():
        raise ValueError(f"unknown system {system!r}; built-in systems: {', '.join(list_systems())}")
    if not (time_ps > 0 and math.isfinite(time_ps)):
        raise ValueError(f"--time-ps must be a positive number of ps, got {time_ps}")
    if not (equilibration_ps >= 0 and math.isfinite(equilibration_ps)):
        raise ValueError(f"--equilibration-ps must be >= 0 ps, got {equilibration_ps}")

    asteroid_model, model_desc = _load_demo_model(system, model, device)
    sysdef = get_system(system)
    asteroid_model.check_compatible(atomic_numbers=sysdef.atomic_numbers)
    dt = sysdef.timestep
    T, gamma = sysdef.temperature, sysdef.friction
    frame_stride = nearest_frame_stride(asteroid_model.frame_interval, dt)
    if abs(frame_stride * dt - asteroid_model.frame_interval) > 1e-6:
        raise ValueError(
            f"the model's frame interval ({asteroid_model.frame_interval} ps) is not a whole number of {system!r} "
            f"timesteps ({dt} ps); this model was not trained on {system!r} at its recommended settings"
        )
    # Frames are saved every `sample_every` steps: a whole number of model frames (jumps start and end on
    # them, so the forecast/real kind of every saved interval is exact), and at least 10 steps.
    sample_every = frame_stride * max(1, math.ceil(10 / frame_stride))
    steps = sample_every * max(1, round(time_ps / (dt * sample_every)))
    simulated_ps = steps * dt
    chunk = max(sample_every, sample_every * round(PROGRESS_CHUNK_PS / (dt * sample_every)))
    equilibration_steps = int(round(equilibration_ps / dt))

    platform_name = _choose_platform(openmm, sysdef.system, platform)
    single_thread = platform_name in ("CPU", "Reference") and has_torch_force(sysdef.system)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)

    print(f"ASTEROID demo: {system} ({sysdef.potential}, {sysdef.n_atoms} atoms, {T:g} K, {dt * 1000:g} fs steps) "
          f"on OpenMM {platform_name}; model {model_desc} (W={asteroid_model.context_frames}, "
          f"H={asteroid_model.horizon}, frame interval {asteroid_model.frame_interval * 1000:g} fs)")
    print(f"each run: {simulated_ps:g} ps = {steps} steps; frames saved every {sample_every * dt * 1000:g} fs"
          + ("  [--quick]" if quick else ""), flush=True)

    def simulation_with(integrator):
        platform_obj = openmm.Platform.getPlatformByName(platform_name)
        return app.Simulation(sysdef.topology, sysdef.system, integrator, platform_obj)

    results = {}
    with torch_threads(1) if single_thread else contextlib.nullcontext():
        # --- common starting state: minimised + briefly equilibrated
        t0 = time.perf_counter()
        sim = simulation_with(sysdef.make_integrator(seed=seed))
        sim.context.setPositions(sysdef.positions)
        sim.minimizeEnergy()
        e_min = sim.context.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
        sim.context.setVelocitiesToTemperature(T * unit.kelvin, openmm_seed(seed))
        if equilibration_steps:
            _run(sim, equilibration_steps, max(chunk, 100), "equilibration", progress)
        start = sim.context.getState(getPositions=True, getVelocities=True, getEnergy=True)
        start_pos = start.getPositions(asNumpy=True)
        start_vel = start.getVelocities(asNumpy=True)
        e_start = start.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
        prep_wall = time.perf_counter() - t0
        del sim

        runs = [
            ("md", lambda: sysdef.make_integrator(seed=seed + 1)),
            ("hybrid", lambda: AsteroidIntegrator.from_preset(preset, asteroid_model, T, gamma, dt,
                                                              random_seed=seed + 1)),
            ("md2", lambda: sysdef.make_integrator(seed=seed + 1000)),
        ]
        stats_reporter = None
        for name, make in runs:
            integrator = make()
            sim = simulation_with(integrator)
            sim.context.setPositions(start_pos)
            sim.context.setVelocities(start_vel)
            sim.currentStep = 0
            sim.context.setTime(0.0)
            with open(out / f"{name}.pdb", "w") as fh:
                app.PDBFile.writeFile(sysdef.topology, start_pos, fh)
            dcd = app.DCDReporter(str(out / f"{name}.dcd"), sample_every, enforcePeriodicBox=False)
            recorder = FrameRecorder(sample_every, integrator if name == "hybrid" else None)
            sim.reporters += [dcd, recorder]
            if name == "hybrid":
                stats_reporter = AsteroidReporter(str(out / "hybrid_stats.csv"), chunk)
                sim.reporters.append(stats_reporter)
            wall = _run(sim, steps, chunk, RUN_LABELS[name], progress, integrator if name == "hybrid" else None)
            final_e = sim.context.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
            if stats_reporter is not None and name == "hybrid":
                stats_reporter.close()
            dcd_file = getattr(dcd, "_out", None)
            if dcd_file is not None:
                dcd_file.close()
            sim.reporters.clear()
            _write_sidecar(out / f"{name}.dcd", sample_every * dt,
                           dict(system=system, timestep_ps=dt, report_interval=sample_every, temperature_K=T,
                                run=RUN_LABELS[name], topology=f"{name}.pdb", n_frames=len(recorder.steps)))
            results[name] = dict(wall=wall, recorder=recorder, integrator=integrator, final_energy=final_e)
            del sim

        # --- off the clock: energies of every saved frame, the same way for every run
        t0 = time.perf_counter()
        for name in results:
            frames = np.stack(results[name]["recorder"].positions)
            results[name]["frames"] = frames
            results[name]["energies"] = _potential_energies(openmm, sysdef.system, platform_name, frames)
        energy_wall = time.perf_counter() - t0

    # --- per-frame kind of the hybrid run (exact: frames are at multiples of the frame stride)
    rec = results["hybrid"]["recorder"]
    fc = np.diff(np.concatenate([[0], np.asarray(rec.forecast_steps)]))
    interval_steps = np.diff(np.concatenate([[0], np.asarray(rec.steps)]))
    forecast_share = fc / np.maximum(interval_steps, 1)
    hybrid_kind_forecast = forecast_share > 0.5
    t_frames = np.asarray(rec.steps) * dt

    # --- fidelity
    traj = TrajectoryData(results["md"]["frames"], sysdef.atomic_numbers, sample_every * dt, topology=sysdef.topology,
                          source=f"{system} plain MD")
    bonds, triplets, quads = traj.bonds, traj.angle_triplets(), traj.dihedral_quadruplets()

    def fidelity(a, b) -> dict:
        ic = metrics.internal_coordinate_js(results[a]["frames"], results[b]["frames"], bonds, triplets, quads)
        return dict(bond_lengths=ic["bonds"], angles=ic["angles"], dihedrals=ic["dihedrals"],
                    potential_energy=metrics.js_divergence(results[a]["energies"], results[b]["energies"]),
                    bond_lengths_per_bond_mean=ic["bonds_mean"], angles_per_angle_mean=ic["angles_mean"],
                    dihedrals_per_dihedral_mean=ic["dihedrals_mean"])

    fid = {"hybrid_vs_md": fidelity("hybrid", "md"), "md2_vs_md": fidelity("md2", "md")}

    # --- numbers
    st = results["hybrid"]["integrator"].stats
    e_hy = results["hybrid"]["energies"]
    w_md, w_hy, w_md2 = (results[k]["wall"] for k in ("md", "hybrid", "md2"))
    speedup = w_md / w_hy if w_hy > 0 else float("nan")

    def run_summary(name) -> dict:
        r = results[name]
        e = r["energies"]
        return dict(label=RUN_LABELS[name], wall_seconds=r["wall"], seconds_per_step=r["wall"] / steps,
                    ns_per_day=simulated_ps / 1000 / (r["wall"] / 86400) if r["wall"] > 0 else float("nan"),
                    n_frames=int(len(e)), potential_energy_mean_kj_mol=float(e.mean()),
                    potential_energy_std_kj_mol=float(e.std()), final_potential_energy_kj_mol=r["final_energy"],
                    trajectory=f"{name}.dcd", topology=f"{name}.pdb")

    summary = dict(
        system=system, potential=sysdef.potential, n_atoms=sysdef.n_atoms, model=model_desc,
        model_context_frames=int(asteroid_model.context_frames), model_horizon=int(asteroid_model.horizon),
        model_frame_interval_ps=float(asteroid_model.frame_interval), platform=platform_name,
        model_device=str(asteroid_model.device), quick=bool(quick), seed=seed,
        temperature_K=T, friction_per_ps=gamma, timestep_ps=dt, steps=steps, simulated_ps=simulated_ps,
        frame_interval_saved_ps=sample_every * dt, equilibration_ps=equilibration_steps * dt,
        minimised_energy_kj_mol=e_min, start_energy_kj_mol=e_start, preparation_wall_seconds=prep_wall,
        runs={k: run_summary(k) for k in ("md", "hybrid", "md2")},
        speedup=speedup,
        hybrid=dict(**st.as_dict(), rejection_reasons=dict(st.rejection_reasons),
                    preset=preset, settings=results["hybrid"]["integrator"].settings,
                    forecast_frames_saved=int(hybrid_kind_forecast.sum()),
                    real_frames_saved=int((~hybrid_kind_forecast).sum()),
                    # Saved hybrid frames split by origin (None when there are none of a kind).
                    potential_energy_mean_forecast_frames_kj_mol=float(e_hy[hybrid_kind_forecast].mean())
                    if hybrid_kind_forecast.any() else None,
                    potential_energy_mean_real_frames_kj_mol=float(e_hy[~hybrid_kind_forecast].mean())
                    if (~hybrid_kind_forecast).any() else None),
        fidelity=dict(**fid, measure="Jensen-Shannon divergence (base 2, 0 = identical, 1 = disjoint), 64 bins; "
                      "bonds/angles/dihedrals pooled over all coordinates; dihedral bins span (-180, 180]",
                      n_bonds=int(len(bonds)), n_angles=int(len(triplets)), n_dihedrals=int(len(quads))),
        energy_evaluation_wall_seconds=energy_wall,
    )

    # --- files
    import csv

    with open(out / "timeline.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["step", "time_ps", "hybrid_kind", "hybrid_forecast_share", "hybrid_potential_energy_kj_mol",
                    "md_potential_energy_kj_mol", "md2_potential_energy_kj_mol"])
        for i in range(len(t_frames)):
            w.writerow([rec.steps[i], f"{t_frames[i]:.6g}", "forecast" if hybrid_kind_forecast[i] else "real",
                        f"{forecast_share[i]:.3g}", f"{results['hybrid']['energies'][i]:.3f}",
                        f"{results['md']['energies'][i]:.3f}", f"{results['md2']['energies'][i]:.3f}"])

    plots = {}
    ev_path = _evaluation_json(system, model)
    if ev_path is not None:
        try:
            ev = json.loads(ev_path.read_text())
            plots["forecast_error"] = str(plot_forecast_error(ev, out / "forecast_error.png", system))
            summary["evaluation_json"] = str(ev_path)
        except (KeyError, ValueError, TypeError) as exc:
            summary["forecast_error_plot_skipped"] = f"{ev_path} could not be plotted: {exc}"
    else:
        summary["forecast_error_plot_skipped"] = (
            f"no evaluation JSON for this model (looked for asteroid_openmm/pretrained/{system}.evaluation.json or "
            "<model>.evaluation.json); make one with asteroid-openmm evaluate --json")
    plots["distributions"] = str(plot_distributions(results, bonds, triplets, quads, fid, out / "distributions.png",
                                                    system, simulated_ps, e_min))
    plots["timeline"] = str(plot_timeline(t_frames, hybrid_kind_forecast, results, sample_every * dt,
                                          out / "timeline.png", system, st.forecast_fraction, e_min))
    summary["plots"] = plots
    summary["files"] = sorted({p.name for p in out.iterdir() if p.is_file()} | {"summary.json"})
    summary["total_wall_seconds"] = time.perf_counter() - t_total0
    summary["all_finite"] = bool(_finite({k: v for k, v in summary.items() if k != "hybrid"})
                                 and all(np.isfinite(results[k]["energies"]).all() for k in results))
    (out / "summary.json").write_text(json.dumps(_json_clean(summary), indent=2) + "\n")

    _print_table(summary)
    print(f"wrote {out}/: " + ", ".join(summary["files"]))
    if "forecast_error_plot_skipped" in summary:
        print(f"note: forecast-error plot skipped: {summary['forecast_error_plot_skipped']}")
    return summary


def _print_table(s: dict) -> None:
    r = s["runs"]
    h = s["hybrid"]
    f = s["fidelity"]
    line = "-" * 78
    print(line)
    print(f"{'':34s}{'plain MD':>14s}{'hybrid':>14s}{'plain MD #2':>14s}")
    print(f"{'simulated time (ps)':34s}" + "".join(f"{s['simulated_ps']:14.4g}" for _ in range(3)))
    print(f"{'wall time (s)':34s}" + "".join(f"{r[k]['wall_seconds']:14.1f}" for k in ("md", "hybrid", "md2")))
    print(f"{'ns/day':34s}" + "".join(f"{r[k]['ns_per_day']:14.3g}" for k in ("md", "hybrid", "md2")))
    print(f"{'mean potential energy - E_min':34s}"
          + "".join(f"{r[k]['potential_energy_mean_kj_mol'] - s['minimised_energy_kj_mol']:14.1f}"
                    for k in ("md", "hybrid", "md2")) + "  kJ/mol")
    print(line)
    print(f"speed-up (plain MD wall / hybrid wall): {s['speedup']:.2f}x")
    print(f"forecast fraction: {h['forecast_fraction']:.1%} of steps ({h['forecast_steps']} forecast, "
          f"{h['real_steps']} real)")
    print(f"jumps: {h['jumps_attempted']} attempted, {h['jumps_accepted']} accepted "
          f"({h['jumps_truncated']} of them truncated), {h['jumps_rejected']} rejected")
    e0 = s["minimised_energy_kj_mol"]
    ef, er = h["potential_energy_mean_forecast_frames_kj_mol"], h["potential_energy_mean_real_frames_kj_mol"]
    def rel(e):
        return "n/a" if e is None else f"{e - e0:.1f}"

    print(f"hybrid mean potential energy - E_min: forecast frames {rel(ef)}, real-MD frames {rel(er)} kJ/mol "
          f"({h['forecast_frames_saved']} / {h['real_frames_saved']} saved frames)")
    print(f"hybrid wall time split: model {h['model_seconds']:.1f} s, real MD {h['md_seconds']:.1f} s, "
          f"guard {h['guard_seconds']:.1f} s, playback {h['playback_seconds']:.1f} s")
    print(line)
    print("fidelity: Jensen-Shannon divergence of the distributions (bits; 0 = identical)")
    print(f"{'':34s}{'hybrid vs MD':>16s}{'MD #2 vs MD':>16s}")
    for key, label in (("bond_lengths", "bond lengths"), ("angles", "angles"), ("dihedrals", "dihedrals"),
                       ("potential_energy", "potential energy")):
        print(f"{label:34s}{f['hybrid_vs_md'][key]:16.4f}{f['md2_vs_md'][key]:16.4f}")
    print("(MD #2 vs MD, two equally valid MD runs, is the noise floor at this run length)")
    print(line)


# ---------------------------------------------------------------------- plots
def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 9})
    return plt


def _save_figure(fig, path) -> Path:
    """Lay out, write (PNG, 130 dpi) and close a demo figure."""
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    _plt().close(fig)
    return Path(path)


def plot_forecast_error(ev: dict, path, system: str) -> Path:
    """Forecast error vs lead time from an ``asteroid-openmm evaluate`` JSON (keys: see evaluation/evaluate.py)."""
    import numpy as np

    plt = _plt()
    t = np.asarray(ev["lead_time_ps"], dtype=float) * 1000.0
    styles = [("asteroid", "ASTEROID", "C3", "-o", 2.2), ("persistence", "persistence (no motion)", "C0", "--", 1.5),
              ("linear_extrapolation", "linear extrapolation", "C1", ":", 1.5),
              ("linear_ar", "linear autoregressive", "C2", "-.", 1.5),
              ("linear_prior", "ASTEROID linear prior (network off)", "C4", "-", 1.2)]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
    for key, label, color, style, lw in styles:
        m = ev["methods"].get(key)
        if m is None:
            continue
        axes[0].plot(t, np.asarray(m["position_mae_nm"]) * 10, style, color=color, label=label, lw=lw, ms=4)
        axes[1].plot(t, np.asarray(m["bond_error_median_nm"]) * 10, style, color=color, label=label, lw=lw, ms=4)
    axes[1].axhline(ev["thermal"]["bond_length_std_nm"] * 10, color="k", lw=1.2, alpha=0.7,
                    label="thermal bond-length fluctuation (std)")
    axes[0].set_title("Position error (mean |Δx| over atoms)")
    axes[1].set_title("Bond-length error (median over bonds)")
    axes[0].set_ylabel("mean absolute error (Å)")
    axes[1].set_ylabel("median |bond length error| (Å)")
    for ax in axes:
        ax.set_xlabel("forecast lead time (fs)")
        ax.set_yscale("log")
        ax.grid(alpha=0.3, which="both")
        ax.legend(loc="best")
    fig.suptitle(f"{system}: forecast error vs horizon ({ev.get('n_windows', '?')} held-out windows, "
                 f"one forecast = {len(t)} frames = {t[-1]:g} fs)", fontsize=13)
    return _save_figure(fig, path)


def plot_distributions(results, bonds, triplets, quads, fid, path, system: str, simulated_ps: float,
                       e_ref: float = 0.0) -> Path:
    """Overlaid histograms, plain MD vs hybrid (and MD #2): bond lengths, angles, dihedrals, potential energy.

    Energies are plotted relative to ``e_ref`` (kJ/mol; the minimised energy), which changes no JS value.
    """
    import numpy as np

    from asteroid_openmm.evaluation import metrics

    plt = _plt()
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.2))
    panels = [
        ("bond_lengths", "bond lengths (all bonds pooled)", "bond length (Å)",
         lambda x: metrics.bond_lengths(x, bonds).ravel() * 10, None),
        ("angles", "bond angles (all angles pooled)", "angle (degrees)",
         lambda x: metrics.angles(x, triplets).ravel(), None),
        ("dihedrals", "dihedral angles (all dihedrals pooled)", "dihedral (degrees)",
         lambda x: metrics.dihedrals(x, quads).ravel(), (-180.0, 180.0)),
        ("potential_energy", "potential energy", "potential energy above the minimum (kJ/mol)", None, None),
    ]
    styles = {"md": dict(color="C0", lw=0, alpha=0.35, fill=True),
              "md2": dict(color="0.35", lw=1.3, ls="--", fill=False),
              "hybrid": dict(color="C3", lw=2.0, fill=False)}
    labels = {"md": "plain MD", "md2": "plain MD #2 (other seed)", "hybrid": "hybrid (MD + ASTEROID)"}
    for ax, (key, title, xlabel, fn, rng) in zip(axes.ravel(), panels):
        values = {k: (results[k]["energies"] - e_ref if fn is None else fn(results[k]["frames"]))
                  for k in ("md", "md2", "hybrid")}
        if rng is None:
            allv = np.concatenate(list(values.values()))
            lo, hi = np.percentile(allv, [0.05, 99.95])
            pad = 0.02 * (hi - lo if hi > lo else 1.0)
            rng = (lo - pad, hi + pad)
        edges = np.linspace(rng[0], rng[1], 121 if key != "potential_energy" else 61)
        for k in ("md", "md2", "hybrid"):
            s = styles[k]
            if s["fill"]:
                ax.hist(values[k], bins=edges, density=True, color=s["color"], alpha=s["alpha"], label=labels[k])
            else:
                ax.hist(values[k], bins=edges, density=True, histtype="step", color=s["color"], lw=s["lw"],
                        ls=s.get("ls", "-"), label=labels[k])
        ax.set_title(f"{title}\nJS hybrid vs MD {fid['hybrid_vs_md'][key]:.4f}   "
                     f"(MD #2 vs MD {fid['md2_vs_md'][key]:.4f})")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("probability density")
        ax.grid(alpha=0.25)
        if key == "dihedrals":
            ax.set_xticks(np.arange(-180, 181, 60))
    axes[0, 0].legend(loc="upper left")
    fig.suptitle(f"{system}: distributions over {simulated_ps:g} ps per run "
                 f"(JS = Jensen-Shannon divergence, bits; 0 = identical)", fontsize=13)
    return _save_figure(fig, path)


def plot_timeline(t, kind_forecast, results, dt_frame: float, path, system: str, forecast_fraction: float,
                  e_ref: float = 0.0) -> Path:
    """Hybrid potential energy (relative to ``e_ref``) vs time with forecast segments shaded: whole run and a zoom."""
    plt = _plt()
    e = results["hybrid"]["energies"] - e_ref
    e_md = results["md"]["energies"] - e_ref
    segs = _segments(kind_forecast, t, dt_frame)
    n_avg = max(1, int(round(0.5 / dt_frame)))  # 0.5 ps running mean
    t_avg = t[n_avg - 1:] - 0.5 * (n_avg - 1) * dt_frame
    fig, axes = plt.subplots(2, 1, figsize=(13, 8), gridspec_kw=dict(height_ratios=[1, 1.15]))

    # Zoom: about 1.5 ps in the middle of the run (steady state), starting a little before a jump.
    span = min(1.5, t[-1] - t[0] + dt_frame)
    anchor = segs[len(segs) // 2][0] - 0.1 * span if segs else t[0]
    z0 = max(t[0] - dt_frame, min(anchor, t[-1] - span))
    z1 = min(t[-1], z0 + span)
    mu, sd = float(e_md.mean()), float(e_md.std())
    for ax, (a, b), zoom in ((axes[0], (t[0] - dt_frame, t[-1]), False), (axes[1], (z0, z1), True)):
        ax.axhspan(mu - sd, mu + sd, color="0.85", zorder=0, label="plain MD: mean ± 1 std")
        ax.axhline(mu, color="0.55", lw=1, zorder=0)
        labelled = False
        for s0, s1 in segs:
            if s1 < a or s0 > b:
                continue
            ax.axvspan(s0, s1, color="C1", alpha=0.25 if zoom else 0.35, lw=0, zorder=1,
                       label=None if labelled else "forecast segment (ASTEROID jump)")
            labelled = True
        m = (t >= a) & (t <= b)
        ax.plot(t[m], e[m], color="C3" if not zoom else "0.3", lw=0.6 if not zoom else 0.9, zorder=2,
                alpha=0.8 if not zoom else 1.0, label="hybrid potential energy" if not zoom else None)
        if not zoom and len(e) >= 2 * n_avg:
            ax.plot(t_avg, _running_mean(e, n_avg), color="darkred", lw=2.2, zorder=4,
                    label=f"hybrid, {n_avg * dt_frame:g} ps running mean")
            ax.plot(t_avg, _running_mean(e_md, n_avg), color="C0", lw=2.2, zorder=4,
                    label=f"plain MD, {n_avg * dt_frame:g} ps running mean")
        lo, hi = float(e[m].min()), float(e[m].max())
        ax.set_ylim(lo - 0.05 * (hi - lo), hi + 0.35 * (hi - lo))  # room for the legend
        if zoom:
            real = m & ~kind_forecast
            fc = m & kind_forecast
            ax.plot(t[real], e[real], "o", ms=3.5, color="C0", zorder=3, label="real MD frame")
            ax.plot(t[fc], e[fc], "o", ms=3.5, color="C1", mec="C3", mew=0.6, zorder=3, label="forecast frame")
        ax.set_xlim(a, b)
        ax.set_xlabel("simulated time (ps)")
        ax.set_ylabel("potential energy above\nthe minimum (kJ/mol)")
        ax.grid(alpha=0.25)
        # De-duplicate legend entries.
        handles, labels = ax.get_legend_handles_labels()
        seen = {}
        for hnd, lab in zip(handles, labels):
            seen.setdefault(lab, hnd)
        ax.legend(seen.values(), seen.keys(), loc="upper right", ncol=2, framealpha=0.9)
    axes[0].set_title(f"Hybrid run, whole trajectory: {forecast_fraction:.0%} of the steps advanced by forecasts "
                      f"({len(segs)} forecast segments)")
    axes[1].set_title(f"Zoom {z0:.2f}-{z1:.2f} ps: real MD (anchor, relaxation) vs forecast playback, "
                      f"one point per {dt_frame * 1000:g} fs frame")
    fig.suptitle(f"{system}: timeline of real vs forecast segments", fontsize=13)
    return _save_figure(fig, path)


if __name__ == "__main__":  # python -m asteroid_openmm.demo
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add_arguments(parser)
    sys.exit(run_from_args(parser.parse_args()))
