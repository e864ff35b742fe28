"""Aspirin's ester angle C1-O3-C4 by ester torsion (|C1-O3-C4-C5| bins), reference and plain runs vs hybrids.

    python docs/results/hybrid_v24/ester_angle.py RUN.npz ...

RUN.npz: benchmarks/hybrid.py --save-samples files (the first hybrid in each). Per bin: the share of samples and the
angle's mean / sd (degrees); then, per hybrid, the bin means of its played-back and its real-MD samples.
"""
import sys, numpy as np
ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]
from asteroid_openmm.evaluation.metrics import dihedrals
def ang(x, t):
    a, b, c = x[:, t[0]], x[:, t[1]], x[:, t[2]]
    u, v = a - b, c - b
    return np.degrees(np.arccos(np.clip((u * v).sum(-1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1), -1, 1)))
Q = np.array([[2, 1, 3, 4], [1, 3, 4, 5]])
def table(name, x, pb=None):
    x = x.astype(np.float64)
    d = dihedrals(x, Q); a = ang(x, (1, 3, 4))
    e1 = np.abs(d[:, 1]); t0 = np.abs(d[:, 0])
    out = f"{name:22s} all {a.mean():6.1f}/{a.std():4.1f} |"
    for lo, hi in ((0, 45), (45, 75), (75, 105), (105, 135), (135, 181)):
        m = (e1 >= lo) & (e1 < hi)
        out += f" {lo}-{hi}: {m.mean():.3f} {a[m].mean() if m.any() else np.nan:6.1f}/{a[m].std() if m.any() else np.nan:4.1f} |"
    out += f" acetyl|phi|>90 {np.mean(t0 > 90):.2f}"
    if pb is not None:
        out += f" | pb {a[pb].mean():6.1f}/{a[pb].std():4.1f} real {a[~pb].mean():6.1f}/{a[~pb].std():4.1f} ({(~pb).mean():.2f})"
    print(out)
ref = np.load(ROOT / "runs/h22/asp_mc.npz")
for k in ("reference", "plain_A", "plain_B"):
    table(k, ref[k + "__positions_nm"])
for p in sys.argv[1:]:
    z = np.load(p); key = [k for k in z.files if k.startswith("hybrid") and k.endswith("positions_nm")][0]
    table(p.split("/")[-1][:-4], z[key], z[key.replace("positions_nm", "playback")])
print("conditional on ester |phi| bin, playback vs real")
for p in sys.argv[1:]:
    z = np.load(p); key = [k for k in z.files if k.startswith("hybrid") and k.endswith("positions_nm")][0]
    x = z[key].astype(np.float64); pb = z[key.replace("positions_nm", "playback")]
    d = np.abs(dihedrals(x, Q)[:, 1]); a = ang(x, (1, 3, 4))
    out = p.split("/")[-1][:-4].ljust(22)
    for lo, hi in ((0, 45), (45, 75), (75, 105), (105, 135)):
        m = (d >= lo) & (d < hi)
        out += f" {lo}-{hi}: pb {a[m & pb].mean():6.1f} real {a[m & ~pb].mean():6.1f} ({(m & ~pb).sum():4d}) |"
    print(out)
