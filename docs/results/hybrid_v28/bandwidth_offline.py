"""Offline: does the smoothed bootstrap of fast modes (fast_mode_bandwidth, 0.3 automatic at rollouts > 1) cost
played-back energy when the donors are a 10,000-frame library?

    python docs/results/hybrid_v28/bandwidth_offline.py MODEL.pt RUN.npz

The run's played-back frames are given fresh library donors (rotamer_window 30, as the run) with each bandwidth,
the same donors for every bandwidth; prints pooled bond/angle/dihedral JS x 1e4 against the MC-MD reference and the
mean real energy of 1500 frames minus the reference's, with the paired difference to bandwidth 0.3.
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
import hybrid  # noqa: E402
from asteroid_openmm import get_system, load_model  # noqa: E402
from asteroid_openmm.evaluation.evaluate import potential_energies  # noqa: E402
from asteroid_openmm.evaluation.metrics import internal_coordinate_js  # noqa: E402
from asteroid_openmm.integrator.fast_modes import FastModeResampler, planar_ring_quads  # noqa: E402
from asteroid_openmm.integrator.rotamers import Rotamers  # noqa: E402
from asteroid_openmm.model.donor_library import donor_library  # noqa: E402

BANDWIDTHS = (0.3, 0.0, 0.15)
sd = get_system("aspirin")
bonds, triplets, quads, _ = hybrid.fidelity_coordinates("aspirin", sd)
ref = np.load(ROOT / "runs/h22/asp_mc.npz")
run = np.load(sys.argv[2])
key = [k for k in run.files if k.startswith("hybrid_0") and k.endswith("__positions_nm")][0]
x = run[key].astype(np.float64)
idx = np.flatnonzero(run[key.replace("__positions_nm", "__playback")])
library = donor_library(load_model(sys.argv[1], device="cpu")).frames
rot = Rotamers(bonds, sd.atomic_numbers)
masses = np.array([a.element.mass._value for a in sd.topology.atoms()])
resampler = FastModeResampler(bonds, masses, planar_quads=planar_ring_quads(bonds, library[:200]))
picks = rot.choose(x[idx], library, np.random.default_rng(0), 30.0)
sub = np.random.default_rng(1).choice(len(idx), size=min(1500, len(idx)), replace=False)
r = ref["reference__positions_nm"].astype(np.float64)
e_ref = ref["reference__energy_kJmol"].mean()
relative = {}  # bandwidth -> energies minus the reference's mean
for h in BANDWIDTHS:
    y = x.copy()
    y[idx] = resampler(x[idx], library, np.random.default_rng(2), bandwidth=h, picks=picks)
    d = internal_coordinate_js(y, r, bonds, triplets, quads, bins=hybrid.HIST_BINS)
    relative[h] = potential_energies(sd, y[idx[sub]]) - e_ref
    diff = relative[h] - relative[BANDWIDTHS[0]]
    print(f"bandwidth {h:4.2f}: bonds {1e4 * d['bonds']:5.2f}  angles {1e4 * d['angles']:5.2f}  dihedrals "
          f"{1e4 * d['dihedrals']:5.2f}  energy {relative[h].mean():+.2f} kJ/mol (paired vs {BANDWIDTHS[0]}: "
          f"{diff.mean():+.2f} +- {diff.std() / np.sqrt(len(diff)):.2f})")
