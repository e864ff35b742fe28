"""Do played-back aspirin frames keep the rotamer dynamics, or only the populations? Transitions per ps and the
state autocorrelation of aspirin's two slow twofold torsions along each run's saved frames (10 fs apart).

    python docs/results/hybrid_v31/state_dynamics.py RUN.npz ...

States with a dead zone (the last state is kept inside it): aryl ester C1-O3-C4-C5 above +30 / below -30 degrees
(the two mirror wells at about +-90), ring-carboxyl C4-C9-C10-O11 within 60 / beyond 120 degrees of 0. The MC-MD
reference and plain A make Metropolis torsion moves every 40 steps (20 fs), as the hybrids' landings
and links do, so neither is Newtonian dynamics; a hybrid whose played-back rotamers ignored the forecast would
flip at random from frame to frame (transitions per ps in the hundreds, autocorrelation ~0 at 10 fs).
"""
import sys
from pathlib import Path

import numpy as np

from asteroid_openmm.evaluation.metrics import dihedrals

ROOT = Path(__file__).resolve().parents[3]
QUADS = np.array([[1, 3, 4, 5], [4, 9, 10, 11]])
FRAME_PS = 0.01


def states(phi):
    out = np.empty((len(phi), 2), np.int64)
    last = [1 if phi[0, 0] > 0 else 0, 1 if abs(phi[0, 1]) < 90 else 0]
    for i, (a, b) in enumerate(phi):
        if a > 30 or a < -30:
            last[0] = int(a > 30)
        if abs(b) < 60 or abs(b) > 120:
            last[1] = int(abs(b) < 60)
        out[i] = last
    return out


def describe(name, x):
    s = states(dihedrals(x, QUADS))
    cells = []
    for t, label in enumerate(("ester", "carboxyl")):
        flips = np.sum(s[1:, t] != s[:-1, t]) / (len(s) * FRAME_PS)
        z = s[:, t] - s[:, t].mean()
        ac = [np.mean(z[:-lag] * z[lag:]) / max(np.var(z), 1e-12) for lag in (1, 5, 20, 100)]
        cells.append(f"{label} {flips:6.2f}/ps, autocorrelation at 10/50/200/1000 fs " + " ".join(f"{a:5.2f}" for a in ac))
    print(f"{name:34s} " + " | ".join(cells))


ref = np.load(ROOT / "runs/h22/asp_mc.npz")
for key in ("reference", "plain_A", "plain_B"):
    describe(key, ref[f"{key}__positions_nm"].astype(np.float64))
for path in sys.argv[1:]:
    run = np.load(path)
    key = [k for k in run.files if k.startswith("hybrid_0") and k.endswith("__positions_nm")][0]
    describe(Path(path).stem, run[key].astype(np.float64))
