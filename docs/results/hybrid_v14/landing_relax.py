"""How fast does the potential energy of a landing frame return to the thermal distribution, per relax friction?

    python docs/results/hybrid_v14/landing_relax.py runs/h12/eth_base.npz runs/h12/r8s_s1300.npz \
        --frames 40 --frictions 100 300 1000 --relax-steps 20 --after-steps 60

Landings are the last played-back sample before each real-MD sample of a hybrid run (benchmarks/hybrid.py
--save-samples): forecast frames with thermal fast modes, like the frames the integrator lands on. Controls are
random frames of plain run A. Each frame gets Maxwell-Boltzmann velocities at the bath temperature, then
``relax_steps`` of Langevin (middle) at the relax friction and ``after_steps`` at the bath friction, as the
integrator's anchor phase does. Printed: mean potential energy minus the reference run's mean (kJ/mol) every
10 steps, with its standard error.
"""
import argparse
import json

import numpy as np
import torch  # noqa: F401  (before openmm: openmm-torch kernels)

from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.systems import get_system, openmm_seed

openmm = import_openmm()
unit = openmm.unit

p = argparse.ArgumentParser()
p.add_argument("base")
p.add_argument("hybrid")
p.add_argument("--system", default="ethanol")
p.add_argument("--frames", type=int, default=40)
p.add_argument("--frictions", type=float, nargs="+", default=[100.0, 300.0, 1000.0])
p.add_argument("--relax-steps", type=int, default=20)
p.add_argument("--after-steps", type=int, default=60)
p.add_argument("--every", type=int, default=10)
p.add_argument("--seed", type=int, default=7)
p.add_argument("--json")
args = p.parse_args()

base, hyb = np.load(args.base), np.load(args.hybrid)
e_ref = base["reference__energy_kJmol"].mean()
key = next(k for k in hyb.files if k.startswith("hybrid") and k.endswith("__positions_nm"))
played = hyb[key.replace("__positions_nm", "__playback")].astype(bool)
landing_idx = np.flatnonzero(played[:-1] & ~played[1:])
rng = np.random.default_rng(args.seed)
landings = hyb[key][rng.choice(landing_idx, args.frames, replace=False)].astype(np.float64)
controls = base["plain_A__positions_nm"][rng.choice(len(base["plain_A__positions_nm"]), args.frames,
                                                     replace=False)].astype(np.float64)

sysdef = get_system(args.system)
integ = openmm.LangevinMiddleIntegrator(sysdef.temperature * unit.kelvin, sysdef.friction / unit.picosecond,
                                        sysdef.timestep * unit.picosecond)
integ.setRandomNumberSeed(openmm_seed(args.seed))
ctx = openmm.Context(sysdef.system, integ, openmm.Platform.getPlatformByName("CPU"))


def energy():
    return ctx.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)


def protocol(frames, friction):
    rows = []
    for i, x in enumerate(frames):
        ctx.setPositions(x)
        ctx.setVelocitiesToTemperature(sysdef.temperature * unit.kelvin, openmm_seed(args.seed * 1000 + i))
        row = [energy()]
        for done in range(0, args.relax_steps + args.after_steps, args.every):
            integ.setFriction(friction if done < args.relax_steps else sysdef.friction)
            integ.step(min(args.every, args.relax_steps - done) if done < args.relax_steps else args.every)
            row.append(energy())
        rows.append(row)
    return np.array(rows) - e_ref


steps = [0] + list(range(args.every, args.relax_steps + args.after_steps + 1, args.every))
out = {"steps": steps, "reference_mean_kJmol": float(e_ref), "runs": {}}
print("steps:", steps)
for label, frames in (("landings", landings), ("plain A frames", controls)):
    for friction in args.frictions:
        d = protocol(frames, friction)
        mean, se = d.mean(0), d.std(0, ddof=1) / np.sqrt(len(d))
        out["runs"][f"{label} @ {friction:g}/ps"] = {"mean": mean.tolist(), "se": se.tolist()}
        print(f"{label:15s} relax {friction:6g}/ps: " + " ".join(f"{m:+6.1f}" for m in mean)
              + f"   (se ~{se[1:].mean():.1f})", flush=True)
if args.json:
    with open(args.json, "w") as f:
        json.dump(out, f, indent=1)
