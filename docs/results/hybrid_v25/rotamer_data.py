"""Training data for aspirin that covers its slow rotamers: short plain-MD runs from MC-MD frames.

    python docs/results/hybrid_v25/rotamer_data.py OUT_DIR SEGMENTS PS SEED [WORKER WORKERS]

Plain ANI-1x MD at 500 K rarely turns aspirin's carboxyl group (two or four flips in 100 ps) or brings its ester
torsion to syn, so a model trained on one 50 ps run has seen little of those states. The shipped aspirin model's
donor library holds 4096 frames of exact MC-MD (plain MD with Metropolis torsion moves; seeds 2401 and 2402,
independent of every benchmark run), in which the carboxyl is flipped 45% of the time. Each segment here starts from
a random library frame with Maxwell-Boltzmann velocities and runs PS ps of plain Langevin MD (no moves: a
continuous time series), written every 10 steps (5 fs, the model's frame interval) as an MD17-style .npz (R in
Angstrom, z). Worker WORKER of WORKERS runs every WORKERS-th segment. LIBRARY=MODEL.pt (environment; twenty-seventh
session) takes the start frames from another model file's donor library.
"""
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from asteroid_openmm import get_system, load_model
from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.model.donor_library import donor_library

openmm = import_openmm()
out, segments, ps, seed = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
worker, workers = (int(sys.argv[5]), int(sys.argv[6])) if len(sys.argv) > 6 else (0, 1)
out.mkdir(parents=True, exist_ok=True)
sd = get_system("aspirin")
library = donor_library(load_model(os.environ.get("LIBRARY", "aspirin"), device="cpu")).frames
starts = np.random.default_rng(seed).choice(len(library), segments, replace=False)
dt = sd.timestep.value_in_unit(openmm.unit.picosecond) if hasattr(sd.timestep, "value_in_unit") else float(sd.timestep)
stride = int(round(0.005 / dt))
n_frames = int(round(ps / 0.005))
for i in range(worker, segments, workers):
    integ = openmm.LangevinMiddleIntegrator(sd.temperature, sd.friction, sd.timestep)
    integ.setRandomNumberSeed(seed * 1000 + i + 1)
    ctx = openmm.Context(sd.system, integ, openmm.Platform.getPlatformByName("CPU"), {"Threads": "1"})
    ctx.setPositions(library[starts[i]].astype(np.float64))
    ctx.setVelocitiesToTemperature(sd.temperature, seed * 1000 + i + 1)
    frames = []
    for _ in range(n_frames):
        integ.step(stride)
        frames.append(ctx.getState(getPositions=True).getPositions(asNumpy=True).value_in_unit(openmm.unit.nanometer))
    np.savez(out / f"segment_{i:03d}.npz", R=10.0 * np.array(frames), z=np.asarray(sd.atomic_numbers))
    print(f"segment {i}: library frame {starts[i]}, {n_frames} frames", flush=True)
