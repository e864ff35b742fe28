"""Aspirin's ester angle C1-O3-C4 and the angle/bond means at each stage of the hybrid: donor pool, raw forecasts,
committed frames, real MD.

    python docs/results/hybrid_v24/pool_stages.py ["dict(SETTING=VALUE, ...)"]     [ORACLE=1 in the environment]

Adapted from docs/results/hybrid_v23/donors.py (same run: 1 ps of plain MD, then 27 ps of the hybrid at r8s,
torsion_mc_steps=8, planar_ring_modes, plus the given settings). "donors" are every 16th frame of the pool at each
forecast, "raw" the model's frames, "committed" the frames after thermal fast modes, "anchor" the real-MD states met
every 100 steps. With ORACLE=1 every forecast draws its donors from 256 random frames of the twenty-second session's
plain run A (MC-MD) instead of the integrator's own pool. The reference is that session's MC-MD reference.
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
    seen["donors"].append(np.stack(integ._fast_donors)[::16]); seen["raw"].append(frames); seen["committed"].append(out)
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
from asteroid_openmm.evaluation.metrics import dihedrals
j = [i for i, t in enumerate(angles.tolist()) if t in ([1, 3, 4], [4, 3, 1])][0]
def coc(name, x):
    a = ang(x, angles)[:, j]; e = np.abs(dihedrals(x, np.array([[1, 3, 4, 5]]))[:, 0])
    out = f"{name:10s} n {len(a):6d} C1-O3-C4 {a.mean():6.1f}/{a.std():4.2f} |"
    for lo, hi in ((0, 45), (45, 75), (75, 105), (105, 181)):
        m = (e >= lo) & (e < hi)
        out += f" {lo}-{hi} {m.mean():.3f} {a[m].mean() if m.any() else np.nan:6.1f}/{a[m].std() if m.any() else np.nan:4.2f} |"
    print(out)
coc("reference", ref["reference__positions_nm"].astype(np.float64))
bonds = hybrid.fidelity_coordinates("aspirin", sd)[0]
def bl(x, b): return np.linalg.norm(x[:, b[:, 0]] - x[:, b[:, 1]], axis=-1)
R = ref["reference__positions_nm"].astype(np.float64)
A0m, B0m = ang(R, angles).mean(0), bl(R, bonds).mean(0)
for k, v in seen.items():
    x = np.concatenate(v)
    da, db = ang(x, angles).mean(0) - A0m, (bl(x, bonds).mean(0) - B0m) * 1e4
    print(f"{k:10s} angle-mean shift rms {np.sqrt(np.mean(da**2)):.2f} deg (max {np.abs(da).max():.2f} at {angles[np.argmax(np.abs(da))].tolist()}), bond-mean shift rms {np.sqrt(np.mean(db**2)):.2f} x1e-4 nm")
for k, v in seen.items():
    coc(k, np.concatenate(v))
print(integ.stats.as_dict())
