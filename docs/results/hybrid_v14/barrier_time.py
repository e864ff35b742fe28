"""Time near the torsional barriers: the hydroxyl outside its core regions, the methyl near eclipsed.

    python docs/results/hybrid_v14/barrier_time.py runs/h12/eth_base.npz runs/h12/r8s_s1300.npz [more.npz ...]

Core regions of the C-C-O-H torsion: trans (beyond +-150 deg), g+ (30 to 90), g- (-90 to -30). A methyl
H-C-C-O torsion is "near eclipsed" within 15 degrees of an eclipsed position. The .npz files are
benchmarks/hybrid.py --save-samples outputs (positions in nm).
"""
import sys
from pathlib import Path

import numpy as np

from asteroid_openmm.evaluation.metrics import dihedrals

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hybrid_v13"))
from rotor_kinetics import rotor_states  # noqa: E402

QUADS = np.array([[0, 1, 2, 8], [3, 0, 1, 2], [4, 0, 1, 2], [5, 0, 1, 2]])  # ethanol's atom order


def near_barriers(x):
    """(hydroxyl outside its cores [T], each methyl H-C-C-O torsion near eclipsed [T, 3]) of frames x [T, 9, 3] (nm)."""
    t = dihedrals(np.asarray(x, np.float64), QUADS)
    from_staggered = t[:, 1:] % 120 - 60  # staggered (+-60, 180) at 0, eclipsed (0, +-120) at -60
    return rotor_states(t[:, 0]) < 0, np.abs(from_staggered) > 45


def barrier_time(x):
    """(fraction of frames with the hydroxyl outside its cores, fraction of methyl torsions near eclipsed)."""
    outside, eclipsed = near_barriers(x)
    return outside.mean(), eclipsed.mean()


if __name__ == "__main__":
    base = np.load(sys.argv[1])
    for k in ("reference", "plain_A", "plain_B"):
        oh, me = barrier_time(base[k + "__positions_nm"])
        print(f"{k:24s} hydroxyl outside cores {oh:.3f}; methyl near eclipsed {me:.3f}")
    for path in sys.argv[2:]:
        d = np.load(path)
        key = next(k for k in d.files if k.startswith("hybrid") and k.endswith("__positions_nm"))
        oh, me = barrier_time(d[key])
        print(f"{path.split('/')[-1]:24s} hydroxyl outside cores {oh:.3f}; methyl near eclipsed {me:.3f}")
