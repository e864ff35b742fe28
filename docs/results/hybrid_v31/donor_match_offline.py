"""Offline: fast-mode donors matched to a played-back frame on all heavy-atom dihedrals, not only the rotamer
torsions; what it does to the real energy and the divergences of a hybrid run's played-back aspirin frames.

    python docs/results/hybrid_v31/donor_match_offline.py MODEL.pt RUN.npz [K ...]

Baseline: each played-back frame redone as the integrator does it (a donor drawn uniformly in its rotamer,
``Rotamers.choose`` with a 30 degree window; its bond/angle distances with the smoothed bootstrap at bandwidth 0.3;
the lone hydrogens' torsions and the methyl phases from the same donor). Variant K: the donor drawn uniformly among
the K library frames in that rotamer nearest to the frame in all heavy-atom dihedrals (sum of 1 - cos of the
differences). Same frames, same random streams. Prints the paired real-energy change and pooled JS x 1e4 against
the MC-MD reference.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hybrid_v28"))
from offline_setup import hybrid, offline_setup  # hybrid_v28's, shared
from asteroid_openmm.evaluation.evaluate import potential_energies
from asteroid_openmm.evaluation.metrics import dihedrals, internal_coordinate_js
from asteroid_openmm.integrator.rotor_librations import RotorLibrations

model_path, run_path = sys.argv[1], sys.argv[2]
ks = [int(k) for k in sys.argv[3:] if not k.startswith('--')] or [64, 16, 4]
o = offline_setup(model_path, run_path)
sd, bonds, triplets, quads, ref, x, played = o.sd, o.bonds, o.triplets, o.quads, o.ref, o.x, o.played
library, rot, resampler = o.library, o.rot, o.resampler
z = np.asarray(sd.atomic_numbers)
heavy_quads = quads[np.all(z[quads] > 1, axis=1)]
if "--nonring" in sys.argv:  # leave out dihedrals about planar-ring bonds: their out-of-plane modes come from the donor
    ring = {tuple(sorted(q[1:3])) for q in o.resampler.quads}
    heavy_quads = np.array([q for q in heavy_quads if tuple(sorted(q[1:3])) not in ring])
print(f"{len(heavy_quads)} heavy-atom dihedrals of {len(quads)}; library {len(library)} frames")
rotors = RotorLibrations(bonds, sd.atomic_numbers)
lone_h = np.flatnonzero(~rot.heavy)

rng = np.random.default_rng(0)
idx = np.flatnonzero(played)
idx = idx[rng.choice(len(idx), size=min(1500, len(idx)), replace=False)]
frames = x[idx]
base_picks = rot.choose(frames, library, np.random.default_rng(1), 30.0)
phi_l = np.radians(dihedrals(library, heavy_quads))
phi_f = np.radians(dihedrals(frames, heavy_quads))
cl, sl = np.cos(phi_l), np.sin(phi_l)
# The rotamer each frame's baseline donor matched: restrict variant donors to frames that match as well.
rphi_l = np.radians(rot.torsions(library))
rphi_f = np.radians(rot.torsions(frames))
limit = np.cos(np.radians(30.0))


def redo(picks, seed):
    r = np.random.default_rng(seed)
    y = resampler(frames, library, r, bandwidth=0.3, picks=picks)
    y = rot.take_torsions(y, library[picks], lone_h, 30.0)
    return rotors.set_phases(y, rotors.phases(library[picks]))


def knn_picks(k, seed):
    r = np.random.default_rng(seed)
    picks = np.empty(len(frames), np.int64)
    for i in range(len(frames)):
        match = np.sum(np.cos(rphi_f[i] - rphi_l) > limit, axis=1)
        d = np.sum(1.0 - (np.cos(phi_f[i]) * cl + np.sin(phi_f[i]) * sl), axis=1)
        d = np.where(match == match.max(), d, np.inf)
        near = np.argpartition(d, k)[:k]
        picks[i] = near[r.integers(k)]
    return picks


e_ref = ref["reference__energy_kJmol"].mean()
r_ref = ref["reference__positions_nm"].astype(np.float64)
base = redo(base_picks, 2)
e_base = potential_energies(sd, base) - e_ref
e_run = potential_energies(sd, frames) - e_ref


def report(name, y, e):
    d = internal_coordinate_js(y, r_ref, bonds, triplets, quads, bins=hybrid.HIST_BINS)
    diff = e - e_base
    print(f"{name:28s} energy vs reference {e.mean():+6.2f} kJ/mol (paired vs baseline {diff.mean():+.2f} +- "
          f"{diff.std() / np.sqrt(len(diff)):.2f}); JS x1e4 bonds {1e4 * d['bonds']:5.2f} angles "
          f"{1e4 * d['angles']:5.2f} dihedrals {1e4 * d['dihedrals']:5.2f}", flush=True)


report("as run", frames, e_run)
report("baseline (rotamer window)", base, e_base)
for k in ks:
    y = redo(knn_picks(k, 3), 2)
    report(f"nearest {k} in heavy dihedrals", y, potential_energies(sd, y) - e_ref)
