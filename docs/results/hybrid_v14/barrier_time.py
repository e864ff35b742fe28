"""Time near the torsional barriers: the hydroxyl outside its core regions, the methyl near eclipsed.

    python docs/results/hybrid_v14/barrier_time.py runs/h12/eth_base.npz runs/h12/r8s_s1300.npz [more.npz ...]

Core regions of the C-C-O-H torsion: trans (beyond +-150 deg), g+ (30 to 90), g- (-90 to -30). A methyl
H-C-C-O torsion is "near eclipsed" within 15 degrees of an eclipsed position. The .npz files are
benchmarks/hybrid.py --save-samples outputs (positions in nm).
"""
import sys

import numpy as np

from asteroid_openmm.evaluation.metrics import dihedrals

QUADS = np.array([[0, 1, 2, 8], [3, 0, 1, 2], [4, 0, 1, 2], [5, 0, 1, 2]])  # ethanol's atom order


def barrier_time(x):
    t = dihedrals(np.asarray(x, np.float64), QUADS)
    oh = t[:, 0]
    core = (np.abs(oh) > 150) | ((oh > 30) & (oh < 90)) | ((oh > -90) & (oh < -30))
    methyl = t[:, 1:].reshape(-1)
    from_staggered = methyl % 120 - 60  # staggered (+-60, 180) at 0, eclipsed (0, +-120) at -60
    return 1 - core.mean(), np.mean(np.abs(from_staggered) > 45)


base = np.load(sys.argv[1])
for k in ("reference", "plain_A", "plain_B"):
    print(f"{k:24s} hydroxyl outside cores {barrier_time(base[k + '__positions_nm'])[0]:.3f}; "
          f"methyl near eclipsed {barrier_time(base[k + '__positions_nm'])[1]:.3f}")
for path in sys.argv[2:]:
    d = np.load(path)
    key = next(k for k in d.files if k.startswith("hybrid") and k.endswith("__positions_nm"))
    oh, me = barrier_time(d[key])
    print(f"{path.split('/')[-1]:24s} hydroxyl outside cores {oh:.3f}; methyl near eclipsed {me:.3f}")
