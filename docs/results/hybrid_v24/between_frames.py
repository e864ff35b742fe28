"""What reporters see between two model frames: aspirin's played-back configurations on and between frames.

    python docs/results/hybrid_v24/between_frames.py [STEPS_OF_5] ["dict(SETTING=VALUE, ...)"]

Aspirin (8-model ANI-1x, 500 K, 0.5 fs, frame stride 10), 2 ps of plain MD with the integrator (forecasting off),
2 ps of the hybrid (rollouts=8, relax_steps=20, anchor_steps=40, torsion_mc_steps=8, planar_ring_modes, plus the
given settings), then the Context read every 5 steps (STEPS_OF_5 times, default 4000 = 10 ps). Playback samples
are split by whether they fall on a model frame or between two; bond and angle widths are sd / the sd of the
twenty-second session's MC-MD reference (runs/h22/asp_mc.npz), averaged over the benchmark's bonds and angles.
"""
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
import hybrid  # noqa: E402
from asteroid_openmm import AsteroidIntegrator, get_system, load_model  # noqa: E402
from asteroid_openmm._openmm import import_openmm  # noqa: E402

openmm = import_openmm()
torch.set_num_threads(1)
sd = get_system("aspirin")
bonds, angles, _, _ = hybrid.fidelity_coordinates("aspirin", sd)
kw = dict(rollouts=8, relax_steps=20, anchor_steps=40, torsion_mc_steps=8, planar_ring_modes=True, random_seed=5)
kw.update(eval(sys.argv[2]) if len(sys.argv) > 2 else {})
integ = AsteroidIntegrator(load_model("aspirin"), sd.temperature, sd.friction, sd.timestep, **kw)
ctx = openmm.Context(sd.system, integ, openmm.Platform.getPlatformByName("CPU"), {"Threads": "1"})
ctx.setPositions(sd.positions)
ctx.setVelocitiesToTemperature(sd.temperature, 5)
integ.forecasting = False
integ.step(4000)
integ.forecasting = True
integ.step(4000)
samples = {"on a frame": ([], []), "between frames": ([], [])}
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 4000):
    integ.step(5)
    if integ.in_playback:
        st = ctx.getState(getPositions=True, getEnergy=True)
        jump = integ._jump
        x, e = samples["on a frame" if jump.pos % jump.stride == 0 else "between frames"]
        x.append(st.getPositions(asNumpy=True).value_in_unit(openmm.unit.nanometer))
        e.append(st.getPotentialEnergy().value_in_unit(openmm.unit.kilojoule_per_mole))


def lengths(x):
    return np.linalg.norm(x[:, bonds[:, 0]] - x[:, bonds[:, 1]], axis=-1)


def bond_angles(x):
    u, v = x[:, angles[:, 0]] - x[:, angles[:, 1]], x[:, angles[:, 2]] - x[:, angles[:, 1]]
    cos = (u * v).sum(-1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1)
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


ref = np.load(ROOT / "runs/h22/asp_mc.npz")
r = ref["reference__positions_nm"].astype(np.float64)
print(f"settings {kw}")
for name, (x, e) in samples.items():
    x = np.array(x)
    print(f"{name:15s} n {len(x):5d}: bond sd / reference {np.mean(lengths(x).std(0) / lengths(r).std(0)):.3f}, "
          f"bond mean - reference {np.mean(lengths(x).mean(0) - lengths(r).mean(0)) * 1e4:+.1f} x1e-4 nm; "
          f"angle sd / reference {np.mean(bond_angles(x).std(0) / bond_angles(r).std(0)):.3f}; "
          f"potential energy - reference mean {np.mean(e) - ref['reference__energy_kJmol'].mean():+.1f} kJ/mol")
