"""Train a model on your own OpenMM trajectory, evaluate it, and run the hybrid with it.

The whole user workflow for a system without a shipped model, on alanine
dipeptide in vacuum (Amber14) as the stand-in for "your system":

1. a plain OpenMM script writes a training trajectory (DCD + PDB, one frame
   every 10 steps = 0.02 ps) and an independent held-out one (other seed);
2. ``asteroid-openmm train`` fits a model on the training DCD
   (``--frame-interval-ps`` says how far apart the DCD frames are: DCD files
   do not record it);
3. ``asteroid-openmm evaluate`` scores it against baselines on the held-out
   DCD (JSON + plot of error vs forecast horizon);
4. the new model drives an ``AsteroidIntegrator`` in the same OpenMM setup.

The CLI steps are run as subprocesses and printed, so you can copy them.

Usage::

    python examples/02_train_on_your_trajectory.py [--out DIR] [--quick]

The default sizes (500 ps of MD, 5 minutes of training) give a usable model on
a laptop; ``--quick`` shrinks everything to seconds (the model is then only a
smoke test, and the hybrid will mostly reject its forecasts).
"""

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openmm import LangevinMiddleIntegrator, unit
from openmm.app import DCDReporter, ForceField, HBonds, NoCutoff, PDBFile, Simulation

from asteroid_openmm import AsteroidIntegrator, load_model
from asteroid_openmm.systems import get_spec

TIMESTEP_PS = 0.002
REPORT_INTERVAL = 10  # steps between saved frames -> frame interval 0.02 ps
FRAME_INTERVAL_PS = REPORT_INTERVAL * TIMESTEP_PS


def make_simulation(integrator):
    pdb = PDBFile(get_spec("alanine-dipeptide").geometry_path())
    system = ForceField("amber14-all.xml").createSystem(pdb.topology, nonbondedMethod=NoCutoff, constraints=HBonds)
    simulation = Simulation(pdb.topology, system, integrator)
    simulation.context.setPositions(pdb.positions)
    return simulation, pdb


def plain_md(dcd: Path, steps: int, seed: int) -> None:
    """An ordinary OpenMM run: minimise, equilibrate 10 ps, then write a DCD (+ PDB of the start)."""
    integrator = LangevinMiddleIntegrator(300 * unit.kelvin, 1 / unit.picosecond, TIMESTEP_PS * unit.picoseconds)
    integrator.setRandomNumberSeed(seed)
    simulation, pdb = make_simulation(integrator)
    simulation.minimizeEnergy()
    simulation.context.setVelocitiesToTemperature(300 * unit.kelvin, seed)
    simulation.step(5000)
    with open(dcd.with_suffix(".pdb"), "w") as fh:
        PDBFile.writeFile(pdb.topology, simulation.context.getState(getPositions=True).getPositions(), fh)
    simulation.reporters.append(DCDReporter(str(dcd), REPORT_INTERVAL))
    t0 = time.perf_counter()
    simulation.step(steps)
    print(f"  {dcd.name}: {steps} steps ({steps * TIMESTEP_PS:g} ps), {steps // REPORT_INTERVAL} frames, "
          f"{time.perf_counter() - t0:.1f} s")
    del simulation  # closes the DCD file


def cli(*args) -> None:
    """Run ``asteroid-openmm ARGS`` (as ``python -m asteroid_openmm.cli``, so it works from any venv)."""
    print("$ asteroid-openmm " + " ".join(shlex.quote(str(a)) for a in args), flush=True)
    subprocess.run([sys.executable, "-m", "asteroid_openmm.cli", *map(str, args)], check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="output folder (default: a new temporary folder)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (for tests)")
    args = parser.parse_args(argv)
    out = Path(args.out or tempfile.mkdtemp(prefix="asteroid-example-02-"))
    out.mkdir(parents=True, exist_ok=True)
    if args.quick:
        train_steps, test_steps, hybrid_steps = 20_000, 4_000, 2_000
        train_opts = ["--context-frames", 8, "--horizon", 8, "--d-model", 16, "--epochs", 2,
                      "--max-steps-per-epoch", 15, "--batch-size", 16, "--threads", 1]
        eval_opts = ["--max-windows", 64]
    else:
        train_steps, test_steps, hybrid_steps = 250_000, 50_000, 25_000
        train_opts = ["--max-minutes", 5]
        eval_opts = ["--max-windows", 2000]

    print("1. plain OpenMM MD (training and held-out trajectories)")
    plain_md(out / "train.dcd", train_steps, seed=1)
    plain_md(out / "heldout.dcd", test_steps, seed=2)

    print("2. train")
    model_path = out / "model.pt"
    cli("train", "--trajectory", out / "train.dcd", "--topology", out / "train.pdb",
        "--frame-interval-ps", FRAME_INTERVAL_PS, "--out", model_path, "--quiet", *train_opts)

    print("3. evaluate on the held-out trajectory")
    cli("evaluate", "--model", model_path, "--trajectory", out / "heldout.dcd", "--topology", out / "heldout.pdb",
        "--frame-interval-ps", FRAME_INTERVAL_PS, "--json", out / "evaluation.json", "--plot",
        out / "evaluation.png", *eval_opts)
    ev = json.loads((out / "evaluation.json").read_text())
    mae = ev["methods"]["asteroid"]["position_mae_nm"]
    pers = ev["methods"]["persistence"]["position_mae_nm"]
    print(f"  position MAE at the last forecast step ({ev['lead_time_ps'][-1]:g} ps): ASTEROID {mae[-1] * 10:.3f} Å, "
          f"persistence {pers[-1] * 10:.3f} Å")

    print("4. hybrid MD with the new model")
    integrator = AsteroidIntegrator(load_model(model_path), 300 * unit.kelvin, 1 / unit.picosecond,
                                    TIMESTEP_PS * unit.picoseconds, random_seed=3)
    simulation, _ = make_simulation(integrator)
    simulation.minimizeEnergy()
    simulation.context.setVelocitiesToTemperature(300 * unit.kelvin, 3)
    simulation.reporters.append(DCDReporter(str(out / "hybrid.dcd"), REPORT_INTERVAL))
    t0 = time.perf_counter()
    simulation.step(hybrid_steps)
    wall = time.perf_counter() - t0
    st = integrator.stats
    print(f"  {hybrid_steps} steps ({hybrid_steps * TIMESTEP_PS:g} ps) in {wall:.1f} s; forecast fraction "
          f"{st.forecast_fraction:.1%}; jumps {st.jumps_accepted} accepted ({st.jumps_truncated} truncated), "
          f"{st.jumps_rejected} rejected")
    del simulation
    print(f"wrote {out}: train.dcd/.pdb, heldout.dcd/.pdb, model.pt, evaluation.json/.png, hybrid.dcd")
    return 0


if __name__ == "__main__":
    sys.exit(main())
