"""Aspirin's played-back energy by torsion state: mean potential energy minus the reference's in the same state.

    python docs/results/hybrid_v25/energy_by_state.py RUN.npz ...

States: the ester torsion |C1-O3-C4-C5| in five bins (0-45 is syn) and the carboxyl |C4-C9-C10-O11| below or above 90
degrees (above: flipped). Per state: the share of samples and the mean energy (reference: kJ/mol; runs: minus the
reference's in that state, played-back samples only). RUN.npz: benchmarks/hybrid.py --save-samples files.
"""
import sys, numpy as np
from asteroid_openmm.evaluation.metrics import dihedrals
Q = np.array([[2, 1, 3, 4], [1, 3, 4, 5], [4, 9, 10, 11], [11, 10, 12, 20]])
ref = np.load("runs/h22/asp_mc.npz")
def stats(x, e):
    d = np.abs(dihedrals(x.astype(np.float64), Q))
    out = []
    for t, edges in ((1, (0, 45, 75, 105, 135, 181)), (2, (0, 90, 181))):
        for lo, hi in zip(edges[:-1], edges[1:]):
            m = (d[:, t] >= lo) & (d[:, t] < hi)
            out.append((m.mean(), e[m].mean() if m.any() else np.nan))
    return out
r = stats(ref["reference__positions_nm"], ref["reference__energy_kJmol"])
labels = ["est0-45", "est45-75", "est75-105", "est105-135", "est135-180", "cbx0-90", "cbx90-180"]
print("reference      " + " ".join(f"{l}: {s:.3f} {m:7.1f}" for l, (s, m) in zip(labels, r)))
for p in sys.argv[1:]:
    z = np.load(p); key = [k for k in z.files if k.startswith("hybrid") and k.endswith("positions_nm")][0]
    pb = z[key.replace("positions_nm", "playback")]
    h = stats(z[key][pb], z[key.replace("positions_nm", "energy_kJmol")][pb])
    print(p.split("/")[-1][:-4].ljust(18) + " ".join(f"{l}: {s:.3f} {m - rm:+6.1f}" for l, (s, m), (_, rm) in zip(labels, h, r)))
