"""Steps/s of AsteroidIntegrator on ANI-1x ethanol (CPU platform, torch's default threads), md_torch_threads 1 vs None.

python docs/results/threads_v20/md_torch_threads.py [--steps 400] [--repeats 3] [--busy-core]
--busy-core keeps one core busy with a spinning Python process (a machine doing other work).
Prints one JSON line per run and saves md_torch_threads[_busy].json next to this script.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import time

import torch

from asteroid_openmm import AsteroidIntegrator, get_system, load_model
from asteroid_openmm._openmm import import_openmm

openmm = import_openmm()

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=400)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--busy-core", action="store_true")
args = parser.parse_args()
burner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy_core else None
system = get_system("ethanol")
results = []
for repeat in range(args.repeats):
    for threads in (None, 1):
        for forecasting in (False, True):
            integ = AsteroidIntegrator(load_model("ethanol"), system.temperature, system.friction, system.timestep,
                                       forecasting=forecasting, random_seed=7)
            integ.md_torch_threads = threads
            context = openmm.Context(system.system, integ, openmm.Platform.getPlatformByName("CPU"))
            context.setPositions(system.positions)
            context.setVelocitiesToTemperature(system.temperature, 7)
            integ.step(20)  # warm-up (TorchScript profiling runs)
            t0 = time.perf_counter()
            integ.step(args.steps)
            wall = time.perf_counter() - t0
            row = dict(repeat=repeat, md_torch_threads=threads, forecasting=forecasting,
                       torch_threads_outside=torch.get_num_threads(), steps=args.steps, wall_s=round(wall, 3),
                       steps_per_s=round(args.steps / wall, 1), forecast_steps=integ.stats.forecast_steps)
            print(json.dumps(row), flush=True)
            results.append(row)
            del context, integ
if burner is not None:
    burner.kill()
out = pathlib.Path(__file__).with_name("md_torch_threads" + ("_busy" if args.busy_core else "") + ".json")
out.write_text(json.dumps(results, indent=1) + "\n")
