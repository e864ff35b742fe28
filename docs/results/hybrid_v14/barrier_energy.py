"""Does the real potential energy see the torsional barriers in forecast frames? (feasibility of energy weighting)

For real MD frames (the ``x``/``e`` arrays of a plain-frames file, nm and kJ/mol) and for the frames of 8 chained
forecasts from 300 real windows (raw forecast frames, energies evaluated with the system's potential), printed:
the mean potential energy of frames with a methyl torsion within 15 degrees of eclipsed, and with the hydroxyl
outside its core regions (see barrier_time.py), minus the mean of the other frames, with standard errors, and
the energy sd. Forecast frames are judged raw and with thermal fast modes (the integrator's smoothed bootstrap,
h = 0.3, donors: the window's 16 real context frames), as a guard would see them. If forecast frames near a
barrier are as much higher in energy as real ones, an energy-based acceptance could tell barrier frames apart;
the sd says how many frames it would need.

    python docs/results/hybrid_v14/barrier_energy.py runs/energy/eth15_5fs.npz MODEL.pt [MODEL.pt ...]
"""
import sys

import numpy as np
import torch
from barrier_time import near_barriers

from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.integrator.fast_modes import FastModeResampler
from asteroid_openmm.trajectories.bonds import infer_bonds
from asteroid_openmm.model import load_model
from asteroid_openmm.systems import get_system

openmm = import_openmm()
torch.set_num_threads(1)
data = np.load(sys.argv[1])
x, e = data["x"].astype(np.float64), data["e"]
system = get_system("ethanol")
masses = np.array([system.system.getParticleMass(i)._value for i in range(system.system.getNumParticles())])
resampler = FastModeResampler(infer_bonds(x[0], np.asarray(system.atomic_numbers)), masses)
ctx = openmm.Context(system.system, openmm.VerletIntegrator(0.001), openmm.Platform.getPlatformByName("CPU"))


def energies(frames):
    out = []
    for f in frames:
        ctx.setPositions(f)
        out.append(ctx.getState(getEnergy=True).getPotentialEnergy().value_in_unit(openmm.unit.kilojoule_per_mole))
    return np.array(out)


def report(tag, frames, en):
    outside, eclipsed = near_barriers(frames)
    eclipsed = eclipsed.any(axis=1)
    parts = []
    for name, mask in (("methyl near eclipsed", eclipsed), ("hydroxyl outside cores", outside)):
        a, b = en[mask], en[~mask]
        se = np.sqrt(a.var() / max(len(a), 1) + b.var() / len(b))
        parts.append(f"{name} {mask.mean():.3f} of frames, {a.mean() - b.mean():+.1f} +- {se:.1f} kJ/mol")
    print(f"{tag:>22}: energy sd {en.std():.1f}; " + "; ".join(parts), flush=True)


report("real MD", x, e)
for path in sys.argv[2:]:
    model = load_model(path)
    W, H, R = model.context_frames, model.horizon, 8
    starts = np.random.default_rng(0).choice(np.arange(W, len(x) - H * R), 300, replace=False)
    c = torch.tensor(np.stack([x[s - W:s] for s in starts]), dtype=torch.float32)
    torch.manual_seed(0)
    f = model.rollout_torch(c, R)[0].double().numpy()[:, H - 1::H]  # the last frame of every link
    rng = np.random.default_rng(1)
    thermal = np.concatenate([resampler(f[i], x[s - W:s], rng, bandwidth=0.3) for i, s in enumerate(starts)])
    f = f.reshape(-1, *x.shape[1:])
    name = path.split("/")[-1]
    report(name + " raw", f, energies(f))
    report(name + " thermal", thermal, energies(thermal))
