"""Train and evaluate from an MD17-style ``.npz`` file (``R`` in Å, ``z`` atomic numbers).

MD17 files (http://www.sgdml.org) hold ``R`` (frames, atoms, 3) in Å, ``z``
(atoms,) atomic numbers, and usually ``E`` (kcal/mol) and ``F``
(kcal/mol/Å), which asteroid_openmm ignores. They do not record the time
between frames, so ``--frame-interval-ps`` must be given (the original MD17
trajectories were saved every 0.5 fs: ``--frame-interval-ps 0.0005``).

This example makes such files itself from a short ANI-1x ethanol run (the
built-in ``ethanol`` system: openmm-torch TorchForce, 500 K, 0.5 fs steps,
one frame every 10 steps = 5 fs), writes a training and a held-out ``.npz``,
then runs ``asteroid-openmm train`` and ``asteroid-openmm evaluate`` on them
(as subprocesses, printed so you can copy them).

Usage::

    python examples/03_train_from_md17_npz.py [--out DIR] [--quick]

``--quick`` uses a single ANI-1x network (~3x faster than the 8-network
ensemble), a 2.5 ps run and a few training steps: a smoke test, not a useful model.
"""

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from asteroid_openmm import get_system
from asteroid_openmm.simulate import create_simulation
from asteroid_openmm.systems.ani import torch_threads

REPORT_INTERVAL = 10  # steps between saved frames
KJ_PER_KCAL = 4.184


def ani_ethanol_frames(steps: int, ani_model_index, seed: int = 1):
    """Run ANI-1x ethanol: R [T, N, 3] (Å), z [N], E [T] (kcal/mol), F [T, N, 3] (kcal/mol/Å), frame interval (ps)."""
    from openmm import unit

    ethanol = get_system("ethanol", ani_model_index=ani_model_index)
    # A Simulation with the system's LangevinMiddleIntegrator on the fastest platform that has
    # openmm-torch kernels (CUDA or CPU; there are none for OpenCL).
    simulation, platform = create_simulation(ethanol, seed=seed)
    print(f"  {ethanol.description}; {ethanol.potential}; {ethanol.temperature:g} K, "
          f"{ethanol.timestep * 1000:g} fs steps; OpenMM {platform}")
    simulation.context.setPositions(ethanol.positions)
    simulation.minimizeEnergy()
    simulation.context.setVelocitiesToTemperature(ethanol.temperature * unit.kelvin, seed)
    simulation.step(1000)  # 0.5 ps equilibration
    R, E, F = [], [], []
    t0 = time.perf_counter()
    for _ in range(steps // REPORT_INTERVAL):
        simulation.step(REPORT_INTERVAL)
        state = simulation.context.getState(getPositions=True, getEnergy=True, getForces=True)
        R.append(state.getPositions(asNumpy=True).value_in_unit(unit.angstrom))
        E.append(state.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole) / KJ_PER_KCAL)
        F.append(state.getForces(asNumpy=True).value_in_unit(unit.kilojoule_per_mole / unit.angstrom) / KJ_PER_KCAL)
    print(f"  {steps} steps, {len(R)} frames in {time.perf_counter() - t0:.1f} s")
    return (np.asarray(R), np.asarray(ethanol.atomic_numbers), np.asarray(E), np.asarray(F),
            REPORT_INTERVAL * ethanol.timestep)


def cli(*args) -> None:
    """Run ``asteroid-openmm ARGS`` (as ``python -m asteroid_openmm.cli``, so it works from any venv)."""
    print("$ asteroid-openmm " + " ".join(shlex.quote(str(a)) for a in args), flush=True)
    subprocess.run([sys.executable, "-m", "asteroid_openmm.cli", *map(str, args)], check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="output folder (default: a new temporary folder)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (for tests)")
    args = parser.parse_args(argv)
    out = Path(args.out or tempfile.mkdtemp(prefix="asteroid-example-03-"))
    out.mkdir(parents=True, exist_ok=True)
    if args.quick:
        steps, ani_index = 5_000, 0
        train_opts = ["--context-frames", 8, "--horizon", 8, "--d-model", 16, "--epochs", 2,
                      "--max-steps-per-epoch", 15, "--batch-size", 16, "--threads", 1]
        eval_opts = ["--max-windows", 64]
    else:
        steps, ani_index = 60_000, None
        train_opts = ["--max-minutes", 5]
        eval_opts = ["--max-windows", 2000, "--system", "ethanol"]

    print("1. a short ANI-1x ethanol run, saved MD17-style")
    # Tiny TorchForce models run fastest with one torch thread on the CPU platform.
    with torch_threads(1):
        R, z, E, F, frame_interval = ani_ethanol_frames(steps, ani_index)
    split = int(0.8 * len(R))
    for name, sl in (("ethanol_train.npz", slice(0, split)), ("ethanol_heldout.npz", slice(split, None))):
        np.savez(out / name, R=R[sl], z=z, E=E[sl], F=F[sl])
        print(f"  wrote {name}: R {R[sl].shape} (Å), z {z.tolist()}, E, F")

    print("2. train (the frame interval is not in the file: --frame-interval-ps)")
    model_path = out / "model.pt"
    cli("train", "--trajectory", out / "ethanol_train.npz", "--frame-interval-ps", frame_interval,
        "--out", model_path, "--quiet", *train_opts)

    print("3. evaluate on the held-out part")
    cli("evaluate", "--model", model_path, "--trajectory", out / "ethanol_heldout.npz", "--frame-interval-ps",
        frame_interval, "--json", out / "evaluation.json", "--plot", out / "evaluation.png", *eval_opts)
    ev = json.loads((out / "evaluation.json").read_text())
    mae = ev["methods"]["asteroid"]["position_mae_nm"]
    print(f"  {ev['n_windows']} windows; position MAE at lead time {ev['lead_time_ps'][0] * 1000:g} / "
          f"{ev['lead_time_ps'][-1] * 1000:g} fs: {mae[0] * 10:.4f} / {mae[-1] * 10:.4f} Å "
          f"(persistence {ev['methods']['persistence']['position_mae_nm'][-1] * 10:.4f} Å at the last step)")
    print(f"wrote {out}: ethanol_train.npz, ethanol_heldout.npz, model.pt, evaluation.json/.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
