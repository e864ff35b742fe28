"""Angle widths (sd / reference sd) of the fast-mode donor pool, the raw forecasts and the committed frames.

    python docs/results/hybrid_v23/donors.py ["dict(SETTING=VALUE, ...)"]

Aspirin, 1 ps of plain MD, then 27 ps of the hybrid (r8s, torsion_mc_steps=8, planar_ring_modes, plus the given
settings); the donor pool is the one of the last forecast, raw and committed frames are every forecast's after the
first 2 ps, anchor frames the real-MD states met every 100 steps. Angles are the benchmark's; the reference is the
twenty-second session's MC-MD reference. With ORACLE=1 in the environment, every forecast draws its fast-mode donors
from 256 random frames of that reference's plain run A instead of the integrator's own pool.
"""
import sys, numpy as np, torch
ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
import hybrid
from asteroid_openmm import AsteroidIntegrator, load_model, get_system
from asteroid_openmm._openmm import import_openmm
openmm = import_openmm()
torch.set_num_threads(1)
sd = get_system("aspirin")
_, angles, _, _ = hybrid.fidelity_coordinates("aspirin", sd)
def ang(x, t):
    a, b, c = x[:, t[:, 0]], x[:, t[:, 1]], x[:, t[:, 2]]
    u, v = a - b, c - b
    return np.degrees(np.arccos(np.clip((u * v).sum(-1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1), -1, 1)))
ref = np.load(ROOT / "runs/h22/asp_mc.npz")
A0 = ang(ref["reference__positions_nm"], angles)
kw = dict(rollouts=8, relax_steps=20, anchor_steps=40, torsion_mc_steps=8, planar_ring_modes=True, random_seed=5)
kw.update(eval(sys.argv[1]) if len(sys.argv) > 1 else {})
eq = openmm.Context(sd.system, openmm.LangevinMiddleIntegrator(sd.temperature, sd.friction, sd.timestep),
                    openmm.Platform.getPlatformByName("CPU"), {"Threads": "1"})
eq.setPositions(sd.positions); eq.setVelocitiesToTemperature(sd.temperature, 5); eq.getIntegrator().step(2000)
st = eq.getState(getPositions=True, getVelocities=True)
integ = AsteroidIntegrator(load_model("aspirin"), sd.temperature, sd.friction, sd.timestep, **kw)
ctx = openmm.Context(sd.system, integ, openmm.Platform.getPlatformByName("CPU"), {"Threads": "1"})
ctx.setPositions(st.getPositions()); ctx.setVelocities(st.getVelocities())
seen = {"donors": [], "raw": [], "committed": []}
orig = integ._thermalise_fast_modes
import os
from collections import deque
oracle = ref["plain_A__positions_nm"].astype(np.float64)
orng = np.random.default_rng(0)
def spy(frames):
    if os.environ.get("ORACLE"):
        integ._fast_donors = deque(oracle[orng.choice(len(oracle), 256, replace=False)], maxlen=256)
    out = orig(frames)
    seen["donors"] = [np.stack(integ._fast_donors)]; seen["raw"].append(frames); seen["committed"].append(out)
    return out
integ._thermalise_fast_modes = spy
integ.step(4000)  # equilibrate
for k in seen: seen[k].clear()
real = []
for _ in range(500):
    integ.step(100)
    if not integ.in_playback:
        real.append(ctx.getState(getPositions=True).getPositions(asNumpy=True)._value)
seen["anchor"] = [np.array(real)]
for k, v in seen.items():
    a = ang(np.concatenate(v), angles)
    print(f"{k:10s} n {len(a):6d} sd ratio {np.mean(a.std(0) / A0.std(0)):.3f} shift {np.sqrt(np.mean((a.mean(0) - A0.mean(0)) ** 2)):.2f}")
print(integ.stats.as_dict())
