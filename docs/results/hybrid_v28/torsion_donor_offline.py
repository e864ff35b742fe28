"""Offline: give a hybrid run's played-back aspirin frames the rotamer torsions of a library donor; what it does to
the dihedral divergence and the real energy.

    python docs/results/hybrid_v28/torsion_donor_offline.py MODEL.pt RUN.npz [HALF_WIDTH [TORSIONS]]

For each played-back frame a donor is drawn from the model's donor library among frames whose rotamer torsions all
lie within HALF_WIDTH degrees (default 30) of the frame's (Rotamers.choose, as the integrator's fast-mode donors),
the donor's bond and angle distances are set (FastModeResampler), then the lone-hydrogen rotamer torsions (or those
of the comma-separated TORSIONS, indices into Rotamers.quads) are turned to the donor's (Rotamers.take_torsions),
as the integrator's donor_hydrogen_torsions does; then, separately, also the methyl rotors' phases from the same
donor (RotorLibrations.set_phases). Prints pooled dihedral/bond/angle JS x 1e4 against the MC-MD reference (as the benchmark),
next to the run as it was and to plain B, and the played-back frames' mean real energy minus the reference's.
"""
import sys

import numpy as np

from offline_setup import hybrid, offline_setup  # this folder
from asteroid_openmm.evaluation.evaluate import potential_energies
from asteroid_openmm.evaluation.metrics import internal_coordinate_js
from asteroid_openmm.integrator.rotor_librations import RotorLibrations

model_path, run_path = sys.argv[1], sys.argv[2]
half_width = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
o = offline_setup(model_path, run_path)
sd, bonds, triplets, quads, ref, x, played = o.sd, o.bonds, o.triplets, o.quads, o.ref, o.x, o.played
library, rot, resampler = o.library, o.rot, o.resampler
rng = np.random.default_rng(0)

y = x.copy()
idx = np.flatnonzero(played)
torsions = ([int(t) for t in sys.argv[4].split(",")] if len(sys.argv) > 4  # indices into Rotamers.quads
            else np.flatnonzero(~rot.heavy))  # default: the lone-hydrogen ones, as donor_hydrogen_torsions
print("torsions taken from the donor:", rot.quads[torsions].tolist())
# As the integrator: donors in the frame's rotamer; their distances (smoothed bootstrap, bandwidth 0.3 with
# rollouts > 1), then the torsions.
picks = rot.choose(x[idx], library, rng, half_width)
resampled = resampler(x[idx], library, rng, bandwidth=0.3, picks=picks)
y[idx] = rot.take_torsions(resampled, library[picks], torsions, half_width)
z = y.copy()  # and the symmetric terminal rotors' (methyl) phases from the same donor, not the run's own pool
rotors = RotorLibrations(bonds, sd.atomic_numbers)
z[idx] = rotors.set_phases(y[idx], rotors.phases(library[picks]))

r = ref["reference__positions_nm"].astype(np.float64)
pb = ref["plain_B__positions_nm"].astype(np.float64)
for name, frames in (("plain B", pb), ("run as it was", x), ("fast modes + torsions from donor", y),
                     ("+ rotor phases from donor", z)):
    d = internal_coordinate_js(frames, r, bonds, triplets, quads, bins=hybrid.HIST_BINS)
    print(f"{name:32s} dihedrals {1e4 * d['dihedrals']:6.2f}  bonds {1e4 * d['bonds']:6.2f}  "
          f"angles {1e4 * d['angles']:6.2f}")

sub = idx[rng.choice(len(idx), size=min(1500, len(idx)), replace=False)]
e_ref = ref["reference__energy_kJmol"].mean()
e_x = potential_energies(sd, x[sub]) - e_ref
e_y = potential_energies(sd, y[sub]) - e_ref
e_z = potential_energies(sd, z[sub]) - e_ref
print(f"played-back energy vs reference ({len(sub)} frames): as run {e_x.mean():+.2f}, with donor torsions "
      f"{e_y.mean():+.2f} kJ/mol (paired difference {np.mean(e_y - e_x):+.2f} +- {np.std(e_y - e_x) / np.sqrt(len(sub)):.2f}), "
      f"+ donor rotor phases {e_z.mean():+.2f} (paired {np.mean(e_z - e_x):+.2f} +- {np.std(e_z - e_x) / np.sqrt(len(sub)):.2f})")
