"""Offline: a played-back frame as its library donor turned to the forecast's heavy rotamer torsions (the donor's
whole internal geometry, the forecast's conformation), against the integrator's distance transplant.

    python docs/results/hybrid_v31/transplant_offline.py MODEL.pt RUN.npz [K ...]

Baseline as donor_match_offline.py (the integrator's fast modes: donor in the rotamer window, its bond/angle
distances with the smoothed bootstrap at 0.3, its lone-hydrogen torsions and methyl phases). "transplant": the same
donor, its heavy rotamer torsions turned rigidly to the frame's (Rotamers.take_torsions), then superposed on the
frame (mass-weighted Kabsch). "transplant K": the donor drawn among the K library frames in the rotamer nearest in
the heavy rotamer torsions. Paired real-energy changes and pooled JS x 1e4 against the MC-MD reference.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hybrid_v28"))
from offline_setup import hybrid, offline_setup  # hybrid_v28's, shared
from asteroid_openmm.evaluation.evaluate import potential_energies
from asteroid_openmm.evaluation.metrics import internal_coordinate_js
from asteroid_openmm.integrator.rotor_librations import RotorLibrations

model_path, run_path = sys.argv[1], sys.argv[2]
ks = [int(k) for k in sys.argv[3:] if not k.startswith('--')] or [16]
o = offline_setup(model_path, run_path)
sd, bonds, triplets, quads, ref, x, played = o.sd, o.bonds, o.triplets, o.quads, o.ref, o.x, o.played
library, rot, resampler = o.library, o.rot, o.resampler
masses = np.array([a.element.mass._value for a in sd.topology.atoms()])
rotors = RotorLibrations(bonds, sd.atomic_numbers)
lone_h, heavy = np.flatnonzero(~rot.heavy), np.flatnonzero(rot.heavy)
print("heavy rotamer torsions:", rot.quads[heavy].tolist())

rng = np.random.default_rng(0)
idx = np.flatnonzero(played)
idx = idx[rng.choice(len(idx), size=min(1500, len(idx)), replace=False)]
frames = x[idx]
base_picks = rot.choose(frames, library, np.random.default_rng(1), 30.0)


def superpose(mobile, target):
    """mobile [F, N, 3] rigidly moved onto target [F, N, 3], mass-weighted least squares (Kabsch)."""
    w = masses / masses.sum()
    mc = np.einsum("n,fnk->fk", w, mobile)[:, None]
    tc = np.einsum("n,fnk->fk", w, target)[:, None]
    a, b = mobile - mc, target - tc
    h = np.einsum("n,fni,fnj->fij", w, a, b)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.einsum("fij,fjk->fik", u, vt)))
    u[:, :, -1] *= d[:, None]
    r = np.einsum("fij,fjk->fik", u, vt)
    return np.einsum("fni,fij->fnj", a, r) + tc


def integrator_way(picks, seed):
    y = resampler(frames, library, np.random.default_rng(seed), bandwidth=0.3, picks=picks)
    y = rot.take_torsions(y, library[picks], lone_h, 30.0)
    return rotors.set_phases(y, rotors.phases(library[picks]))


def transplant(picks):
    y = rot.take_torsions(library[picks], frames, heavy, 0.0)
    return superpose(y, frames)


def knn_picks(k, seed):
    r = np.random.default_rng(seed)
    tl, tf = np.radians(rot.torsions(library)), np.radians(rot.torsions(frames))
    picks = np.empty(len(frames), np.int64)
    for i in range(len(frames)):
        d = np.sum(1.0 - np.cos(tf[i, heavy] - tl[:, heavy]), axis=1) + 1e3 * np.sum(
            np.cos(tf[i, lone_h] - tl[:, lone_h]) < np.cos(np.radians(30.0)), axis=1)
        picks[i] = np.argpartition(d, k)[:k][r.integers(k)]
    return picks


e_ref = ref["reference__energy_kJmol"].mean()
r_ref = ref["reference__positions_nm"].astype(np.float64)
base = integrator_way(base_picks, 2)
e_base = potential_energies(sd, base) - e_ref


def report(name, y):
    e = potential_energies(sd, y) - e_ref
    d = internal_coordinate_js(y, r_ref, bonds, triplets, quads, bins=hybrid.HIST_BINS)
    diff = e - e_base
    rms = np.sqrt(np.mean(np.sum((y - frames) ** 2, axis=-1)))
    print(f"{name:28s} energy vs reference {e.mean():+6.2f} kJ/mol (paired vs baseline {diff.mean():+.2f} +- "
          f"{diff.std() / np.sqrt(len(diff)):.2f}); JS x1e4 bonds {1e4 * d['bonds']:5.2f} angles "
          f"{1e4 * d['angles']:5.2f} dihedrals {1e4 * d['dihedrals']:5.2f}; rms move {10 * rms:.3f} A", flush=True)


def as_is(picks):
    return superpose(library[picks], frames)


report("as run", frames)
report("baseline (integrator's way)", base)
report("transplant, rotamer window", transplant(base_picks))
if "--as-is" in sys.argv:
    for w in (30.0, 60.0):
        report(f"donor as is, window {w:g}", as_is(rot.choose(frames, library, np.random.default_rng(1), w)))
for k in ks:
    picks = knn_picks(k, 3)
    if "--as-is" in sys.argv:
        report(f"donor as is, nearest {k}", as_is(picks))
        continue
    report(f"integrator's way, nearest {k}", integrator_way(picks, 2))
    report(f"transplant, nearest {k}", transplant(picks))
