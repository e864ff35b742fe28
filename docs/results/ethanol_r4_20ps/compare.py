"""Divergences of `asteroid-openmm run` outputs (ethanol) against the training trajectories; energies against the demo's plain runs. Usage: python compare.py RUN_DIR ..."""
import sys, json, csv, numpy as np
from asteroid_openmm.trajectories import load_trajectory, load_trajectories, dihedral_quadruplets, angle_triplets
from asteroid_openmm.evaluation.metrics import dihedrals, js_divergence, bond_lengths, angles
ref = np.concatenate([t.positions for t in load_trajectories(["runs/forecast/ethanol/train.dcd", "runs/forecast/ethanol/train2.dcd"])])
b = load_trajectory("runs/forecast/ethanol/train.dcd").bonds
tri, q = angle_triplets(b), dihedral_quadruplets(b)
e_md = np.array([float(r["md_potential_energy_kj_mol"]) for r in csv.DictReader(open("demo-output/timeline.csv"))])
e_md2 = np.array([float(r["md2_potential_energy_kj_mol"]) for r in csv.DictReader(open("demo-output/timeline.csv"))])
def feats(x):
    return bond_lengths(x, b).ravel(), angles(x, tri).ravel(), dihedrals(x, q).ravel()
R = feats(ref)
rng_e = (min(e_md.min(), e_md2.min()) - 30, max(e_md.max(), e_md2.max()) + 60)
def row(name, x, e):
    f = feats(x)
    js = [js_divergence(a, r, bins=64) for a, r in zip(f[:2], R[:2])] + [js_divergence(f[2], R[2], bins=64, range=(-180, 180))]
    je = js_divergence(e, e_md, bins=64, range=rng_e)
    print(f"{name:24s} bonds {js[0]:.4f} angles {js[1]:.4f} dihedrals {js[2]:.4f} energy(vs demo md) {je:.4f}")
md2 = load_trajectory("demo-output/md2.dcd")
row("plain 20 ps (demo md2)", md2.positions, e_md2)
for d in sys.argv[1:]:
    t = load_trajectory(f"{d}/trajectory.dcd")
    e = np.array([float(r['"Potential Energy (kJ/mole)"'] if '"Potential Energy (kJ/mole)"' in r else r["Potential Energy (kJ/mole)"]) for r in csv.DictReader(open(f"{d}/state.csv"))])
    s = json.load(open(f"{d}/summary.json"))
    row(d.split("/")[-1] + f" ({s['speedup_vs_real_md']:.1f}x, fc {s['forecast_fraction']:.2f})", t.positions, e)
