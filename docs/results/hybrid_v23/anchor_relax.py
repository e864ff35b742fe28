"""Does an anchor phase bring a landing frame's angles back to their thermal width?

    python docs/results/hybrid_v23/anchor_relax.py [RELAX_FRICTION]

60 frames of the twenty-second session's plain aspirin run A, as they are and with every 1-2 / 1-3 distance moved
halfway to the mean (angle widths about half the thermal ones): each gets Maxwell-Boltzmann velocities, 20 steps of
Langevin MD at RELAX_FRICTION (1/ps, default 100, the integrator's relax_friction), then steps at 1/ps. Prints the
mean over angles of sd / the reference's sd after 0-160 steps.
"""
import sys, numpy as np
ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
import hybrid
from asteroid_openmm.systems import get_system
from asteroid_openmm.integrator.fast_modes import FastModeResampler, planar_ring_quads
from asteroid_openmm.trajectories.bonds import infer_bonds
from asteroid_openmm._openmm import import_openmm
openmm = import_openmm(); unit = openmm.unit
sd = get_system("aspirin")
_, angles, _, _ = hybrid.fidelity_coordinates("aspirin", sd)
def ang(x, t):
    a, b, c = x[..., t[:, 0], :], x[..., t[:, 1], :], x[..., t[:, 2], :]
    u, v = a - b, c - b
    return np.degrees(np.arccos(np.clip((u * v).sum(-1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1), -1, 1)))
ref = np.load(ROOT / "runs/h22/asp_mc.npz")
x = ref["plain_A__positions_nm"].astype(np.float64)
A0 = ang(ref["reference__positions_nm"], angles)
z = np.asarray(sd.atomic_numbers); bonds = infer_bonds(x[0], z)
masses = np.array([a.element.mass._value for a in sd.topology.atoms()])
rng = np.random.default_rng(1)
starts = x[rng.choice(len(x), 60, replace=False)]
# narrow starts: each start's 1-2/1-3 distances moved halfway to the pool mean (angles ~0.5 sd width)
res = FastModeResampler(bonds, masses, iterations=5)
mean_d = res.coordinates(x[::10]).mean(0)
narrow = res.set_coordinates(starts, 0.5 * res.coordinates(starts) + 0.5 * mean_d)
integ = openmm.LangevinMiddleIntegrator(sd.temperature, 100.0, sd.timestep)
ctx = openmm.Context(sd.system, integ, openmm.Platform.getPlatformByName("CPU"), {"Threads": "1"})
for name, s0 in (("equilibrium starts", starts), ("narrow starts (0.5)", narrow)):
    print(name, f"start sd ratio {np.mean(ang(s0, angles).std(0) / A0.std(0)):.3f}")
    rec = {k: [] for k in (0, 10, 20, 30, 40, 80, 160)}
    for s in s0:
        ctx.setPositions(s); ctx.setVelocitiesToTemperature(sd.temperature, int(rng.integers(1 << 30)))
        integ.setFriction(float(sys.argv[1]) if len(sys.argv) > 1 else 100.0); step = 0
        for k in sorted(rec):
            if k == 20: integ.setFriction(1.0)
            if k > step:
                if step < 20 < k: integ.step(20 - step); step = 20; integ.setFriction(1.0)
                integ.step(k - step); step = k
            rec[k].append(ctx.getState(getPositions=True).getPositions(asNumpy=True)._value)
    print("   steps " + "  ".join(f"{k}: {np.mean(ang(np.array(v), angles).std(0) / A0.std(0)):.3f}" for k, v in rec.items()))
