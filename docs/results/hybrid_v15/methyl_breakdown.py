"""Where the dihedral divergence of 100 ps ethanol hybrids sits: the methyl's torsions against the hydroxyl's.

    python docs/results/hybrid_v15/methyl_breakdown.py runs/h12/eth_base.npz runs/h12/r8s_s1300.npz [more.npz ...]

For each run (benchmarks/hybrid.py --save-samples files, positions in nm): the Jensen-Shannon divergence against
the reference run of the three H-C-C-O torsions (methyl against the O), the six H-C-C-H torsions (methyl against
the CH2 hydrogens) and the three torsions about C-O (hydroxyl), each group pooled as the benchmark pools all twelve
(64 periodic bins); then the methyl's libration phase (asteroid_openmm.integrator.rotor_librations, degrees modulo
120) with its divergence (32 bins), mean and sd, over all frames, played-back frames and real frames.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import hybrid  # noqa: E402

from asteroid_openmm.evaluation.metrics import dihedrals, js_divergence  # noqa: E402
from asteroid_openmm.integrator.rotor_librations import RotorLibrations  # noqa: E402
from asteroid_openmm.systems import get_system  # noqa: E402

sysdef = get_system("ethanol")
bonds, _, quads, _ = hybrid.fidelity_coordinates("ethanol", sysdef)
rotors = RotorLibrations(bonds, sysdef.atomic_numbers)
OXYGEN, HYDROXYL_H = 2, 8
groups = {
    "H-C-C-O": [i for i, q in enumerate(quads) if HYDROXYL_H not in q and OXYGEN in q],
    "H-C-C-H": [i for i, q in enumerate(quads) if HYDROXYL_H not in q and OXYGEN not in q],
    "about C-O": [i for i, q in enumerate(quads) if HYDROXYL_H in q],
}
base = np.load(sys.argv[1])
ref_x = base["reference__positions_nm"].astype(np.float64)
ref_t, ref_phase = dihedrals(ref_x, quads), rotors.phases(ref_x)[:, 0]


def row(name, x, played=None):
    t, phase = dihedrals(x, quads), rotors.phases(x)[:, 0]
    parts = "  ".join(f"{g} {js_divergence(t[:, c], ref_t[:, c], 64, (-180, 180)):.5f}" for g, c in groups.items())
    line = (f"{name:26s} all 12 {js_divergence(t, ref_t, 64, (-180, 180)):.5f}  {parts}  methyl phase: "
            f"JS {js_divergence(phase, ref_phase, 32, (0, 120)):.5f} mean {phase.mean():.1f} sd {phase.std():.1f}")
    if played is not None:
        line += f" (played back sd {phase[played].std():.1f}, real sd {phase[~played].std():.1f})"
    print(line)


print(f"{'reference':26s} methyl phase mean {ref_phase.mean():.1f} sd {ref_phase.std():.1f}")
for k in ("plain_A", "plain_B"):
    row(k, base[k + "__positions_nm"].astype(np.float64))
for path in sys.argv[2:]:
    d = np.load(path)
    key = next(k for k in d.files if k.startswith("hybrid") and k.endswith("__positions_nm"))
    row(Path(path).stem, d[key].astype(np.float64), d[key.replace("positions_nm", "playback")] > 0)
