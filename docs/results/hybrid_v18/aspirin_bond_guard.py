"""Which bonds trip the bond guard in aspirin hybrids, and at which forecast frame.

    OPENMM_CPU_THREADS=1 python docs/results/hybrid_v18/aspirin_bond_guard.py PS SEED [knob=value ...]

Runs PS ps of the built-in aspirin (ANI-1x) with the shipped model and the given integrator settings, and records
for every jump whose cheap screen stops at a bond-length check: the first bad frame's index in the jump, its
worst bond (atoms, elements), and that bond's length against the recent real-MD mean (nm). Prints a tally.
"""
import collections
import sys
from pathlib import Path

import numpy as np
import torch
import openmm
from openmm import app

from asteroid_openmm import AsteroidIntegrator, get_system, load_model
from asteroid_openmm.integrator import guard as guard_module

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import hybrid  # noqa: E402

ps, seed = float(sys.argv[1]), int(sys.argv[2])
knobs = hybrid.parse_setting(",".join(sys.argv[3:]))  # typed as the CLI and the benchmark type them
torch.set_num_threads(1)  # one core: torch's thread pool would spin against the OpenMM thread
sysdef = get_system("aspirin")
z = np.asarray(sysdef.atomic_numbers)
ELEMENT = {1: "H", 6: "C", 8: "O"}
integ = AsteroidIntegrator(load_model("aspirin"), sysdef.temperature, sysdef.friction, sysdef.timestep,
                           random_seed=seed, **knobs)
events = []
screen = guard_module.JumpGuard.screen


def spy(self, start, frames, spread, ref, committed=None):
    decision = screen(self, start, frames, spread, ref, committed)
    if decision.reason.startswith("bond length"):
        f = decision.n_frames
        reference = np.mean(np.stack(ref.bond_lengths), axis=0)
        dev = ref.bond_lengths_of(frames[f]) - reference
        b = int(np.argmax(np.abs(dev)))
        i, j = (int(a) for a in ref.bonds[b])
        events.append((f, f"{ELEMENT[z[i]]}{i}-{ELEMENT[z[j]]}{j}", float(reference[b]), float(dev[b])))
    return decision


guard_module.JumpGuard.screen = spy
sim = app.Simulation(sysdef.topology, sysdef.system, integ, openmm.Platform.getPlatformByName("CPU"))
sim.context.setPositions(sysdef.positions)
sim.context.setVelocitiesToTemperature(sysdef.temperature, seed)
sim.step(int(round(ps / sysdef.timestep)))
st = integ.stats
print(f"{ps} ps, settings {knobs}: jumps {st.jumps_attempted}, accepted {st.jumps_accepted}, "
      f"truncated {st.jumps_truncated}, rejected {st.jumps_rejected}")
print("bond-guard stops:", len(events))
print("first bad frame (0 = first forecast frame):", collections.Counter(min(e[0], 99) for e in events).most_common(12))
print("worst bond:", collections.Counter(e[1] for e in events).most_common(10))
for name in dict(collections.Counter(e[1] for e in events).most_common(4)):
    devs = [e[3] for e in events if e[1] == name]
    print(f"  {name}: real mean {np.mean([e[2] for e in events if e[1] == name]):.4f} nm, forecast - mean "
          f"{np.min(devs):+.4f} .. {np.max(devs):+.4f} nm (median {np.median(devs):+.4f})")
