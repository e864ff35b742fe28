"""Aspirin's ester torsion (C1-O3-C4-C9) against depth in the forecast chain, and the carboxyl librations.

    python docs/results/hybrid_v28/ester_drift.py RUN.npz ...

Per run: the share of frames with |phi| < 90 degrees (the reference's is printed first) among real-MD frames
(depth 0) and among played-back frames by how many recorded frames (10 fs each) they lie after the last real one;
then the circular sd (degrees) of the carboxyl O-H torsions (C9-C10-O12-H20, O11-C10-O12-H20) and of the
carboxyl's twist against the ring (C5-C4-C9-C10), each next to the reference's.
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from asteroid_openmm.evaluation.metrics import dihedrals  # noqa: E402
from offline_setup import REFERENCE, hybrid_frames  # noqa: E402 (this folder)

ESTER = np.array([[1, 3, 4, 9]])
LIBRATIONS = np.array([[9, 10, 12, 20], [11, 10, 12, 20], [5, 4, 9, 10]])
DEPTHS = [(0, 0), (1, 15), (16, 30), (31, 45), (46, 60), (61, 10**6)]


def circular_sd(deg):
    r = np.abs(np.mean(np.exp(1j * np.radians(deg)), axis=0))
    return np.degrees(np.sqrt(-2 * np.log(r)))


def report(name, x, playback):
    phi = np.abs(dihedrals(x, ESTER)[:, 0])
    depth = np.zeros(len(x), int)
    for i in range(1, len(x)):
        depth[i] = depth[i - 1] + 1 if playback[i] else 0
    depth[0] = int(bool(playback[0]))
    shares = []
    for lo, hi in DEPTHS:
        m = (depth >= lo) & (depth <= hi)
        shares.append(f"{np.mean(phi[m] < 90):.2f} ({m.sum()})" if m.any() else "-")
    sds = " ".join(f"{v:.1f}" for v in circular_sd(dihedrals(x, LIBRATIONS)))
    print(f"{name:28s} all {np.mean(phi < 90):.2f} | " + " | ".join(shares) + f" || sd {sds}")


ref = np.load(REFERENCE)
print("ester cis share: all | real MD | played back at depth " + " | ".join(f"{lo}-{hi}" for lo, hi in DEPTHS[1:])
      + " (frames) || librations sd")
report("reference", ref["reference__positions_nm"].astype(np.float64), np.zeros(len(ref["reference__playback"]), bool))
for path in sys.argv[1:]:
    report(Path(path).stem, *hybrid_frames(path))
