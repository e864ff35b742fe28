"""Where the played-back energy excess of a hybrid run sits: re-graft its forecast frames' fast modes.

Takes played-back frames of a hybrid run (``benchmarks/hybrid.py --save-samples``) and gives them new 1-2/1-3
distances (thermal fast modes) from (a) the reference run's frames, (b) the hybrid's own real samples, with
copies (h = 0), the smoothed bootstrap (h = 0.3), and copies from donors in the frame's rotamer (60 degrees). If re-grafting from thermal reference frames removes the
excess, it sat in the donors (the run's own real frames); if not, in the forecast's torsions.
Prints mean energy minus the reference's mean (kJ/mol) with standard errors, and the sd.

Usage: python docs/results/hybrid_v16/regraft.py SAMPLES.npz [N_FRAMES]
"""
import sys

import numpy as np

sys.path.insert(0, "docs/results/energy_diagnosis")
from common import load  # noqa: E402

from asteroid_openmm.integrator.rotamers import Rotamers  # noqa: E402

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 400
bonds, _, _, fm, energy = load("ethanol", "runs/energy/eth15_5fs.npz")
d = np.load(path)
key = next(k[:-len("__playback")] for k in d.files if k.startswith("hybrid") and k.endswith("__playback"))
ref_x = d["reference__positions_nm"].astype(np.float64)
ref_e = d["reference__energy_kJmol"]
x = d[key + "__positions_nm"].astype(np.float64)
e = d[key + "__energy_kJmol"]
pb = d[key + "__playback"]
plains = [d[k] for k in d.files if k.startswith("plain") and k.endswith("__energy_kJmol")]
e0 = ref_e.mean()
rng = np.random.default_rng(0)
idx = np.sort(rng.choice(np.flatnonzero(pb), n, replace=False))
real = np.flatnonzero(~pb)


def show(name, values):
    print(f"{name:46s} {values.mean() - e0:+6.2f} ± {values.std() / np.sqrt(len(values)):.2f}   sd {values.std():5.1f}",
          flush=True)


print(f"{path}: {pb.mean():.2f} played back; reference mean {e0:.1f}")
for i, p in enumerate(plains):
    show(f"plain run {i} (all samples)", p)
show("hybrid, real samples (all)", e[~pb])
show("hybrid, played back (all)", e[pb])
show("hybrid, played back (this subset, recorded)", e[idx])
show("  re-evaluated", energy(x[idx]))
matcher = Rotamers(bonds, [6, 6, 8, 1, 1, 1, 1, 1, 1])
pools = [("reference frames", ref_x[rng.choice(len(ref_x), 2000, replace=False)]),
         ("hybrid's real samples", x[rng.choice(real, min(2000, len(real)), replace=False)])]
for name in ("plain_A", "plain_B"):  # other plain runs: how warm the donors are matters too
    px = d[name + "__positions_nm"].astype(np.float64)
    pools.append((f"{name} frames", px[rng.choice(len(px), 2000, replace=False)]))
for label, pool in pools:
    for h in (0.0, 0.3) if not label.startswith("plain") else (0.0,):
        show(f"  re-grafted from {label}, h={h}", energy(fm(x[idx], pool, rng, h)))
    show(f"  re-grafted from {label}, h=0, rotamer-matched",
         energy(fm(x[idx], pool, rng, 0.0, picks=matcher.choose(x[idx], pool, rng, 60.0))))
# The reference frames themselves, re-grafted from other reference frames: the method's own bias.
r_idx = rng.choice(len(ref_x), n, replace=False)
show("reference frames (subset)", ref_e[r_idx])
show("  re-grafted from reference frames, h=0", energy(fm(ref_x[r_idx], ref_x[rng.choice(len(ref_x), 2000)], rng, 0.0)))
