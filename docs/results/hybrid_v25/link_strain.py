"""What a link move costs in real energy when it accepts by the library's torsion free energy.

    python docs/results/hybrid_v25/link_strain.py [N_FRAMES]

From N real frames of the MC-MD reference (runs/h22/asp_mc.npz; the frames and their ANI-1x energies), one link
move as the integrator makes it (one Gaussian proposal of sd 28 degrees per heavy rotamer torsion) under (a) the real
potential and (b) TorsionFreeEnergy of the shipped aspirin model's donor library (several kernel widths, and the
density over the moved torsions only or over every rotamer torsion). A move that keeps the Boltzmann distribution
leaves the mean energy of equilibrium frames unchanged; one that samples the torsions' marginal distribution
without their coupling to the rest of the frame raises it. Prints the mean energy change (kJ/mol) and its standard
error, the acceptance, and the torsions' circular mean shift.
"""
import sys, numpy as np
ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from asteroid_openmm import get_system, load_model
from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.integrator.rotamers import Rotamers, TorsionFreeEnergy
from asteroid_openmm.integrator.rotor_librations import context_energy
from asteroid_openmm.model.donor_library import donor_library
from asteroid_openmm.trajectories.bonds import infer_bonds
openmm = import_openmm()

n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
sd = get_system("aspirin")
ctx = openmm.Context(sd.system, openmm.VerletIntegrator(0.0005), openmm.Platform.getPlatformByName("CPU"),
                     {"Threads": "1"})
energy = context_energy(ctx)
ref = np.load(ROOT / "runs/h22/asp_mc.npz")
x_all = ref["reference__positions_nm"].astype(np.float64)
pick = np.random.default_rng(0).choice(len(x_all), n, replace=False)
z = np.asarray(sd.atomic_numbers)
rot = Rotamers(infer_bonds(x_all[0], z), z)
kT = 0.0083144626 * 500.0
library = donor_library(load_model("aspirin")).frames.astype(np.float64)
heavy = np.flatnonzero(rot.heavy)
variants = {"real": energy}
for kernel in (6.0, 12.0):
    variants[f"library, moved torsions, {kernel:g} deg"] = TorsionFreeEnergy(rot, library, kT, heavy, kernel)
variants["library, every torsion, 6 deg"] = TorsionFreeEnergy(rot, library, kT, None, 6.0)
for name, target in variants.items():
    rng = np.random.default_rng(1)
    de, acc = [], 0
    for i in pick:
        x0 = x_all[i]
        x1, _, a, _ = rot.metropolis(x0, target, kT, 1, rng, sd_deg=28.0, heavy_only=True)
        acc += a
        de.append(energy(x1) - energy(x0) if a else 0.0)  # both from this Context (the file holds float32 frames)
    de = np.array(de)
    print(f"{name:38s} mean dE {de.mean():+6.2f} +- {de.std() / np.sqrt(n):4.2f} kJ/mol  accepted "
          f"{acc / (n * len(heavy)):.2f} of proposals", flush=True)
