"""Grafting only the fast part of the donor's 1-2/1-3 distances (oracle test on real frames).

A donor's distances are its slow, conformation-dependent mean plus fast
vibration. Plain grafting copies both, so a donor from another conformation
brings its mean too. Here each distance series of a plain trajectory (saved
every 10 fs) is split by a centred moving average over ``WINDOW`` frames into a
slow part and a fast residual, and the target gets its own slow part plus the
donor's residual: ``slow(target) + d_donor - slow(donor)``; and, with no
knowledge of the target's slow part, the donor pool's mean slow part plus the
donor's residual. In the integrator,
``slow(target)`` would come from the forecast itself (a forecaster predicts the
conditional mean of modes it cannot time); here it is the oracle from the true
trajectory, to measure what the split can buy at best.

200 targets, one random donor each from 32 frames 0.7-11 ps earlier (as in a
``rollouts=8`` run). Prints mean energy change (kJ/mol) with its standard
error and the energy standard deviation.

Usage (repository root)::

    python docs/results/energy_diagnosis/lowpass_graft.py aspirin runs/energy/asp30.npz [WINDOW ...]
"""
import sys

import numpy as np

from common import load, moving_average

name, path = sys.argv[1], sys.argv[2]
windows = [int(w) for w in sys.argv[3:]] or [5, 11, 21]
bonds, X, E, fm, energy = load(name, path)
D = fm.distances(X)
rng = np.random.default_rng(2)
targets = np.sort(rng.choice(np.arange(1200, len(X) - 50), 200, replace=False))
pools = np.array([np.arange(t - 1100, t - 70, 33)[-32:] for t in targets])
donors = np.array([rng.choice(p) for p in pools])
et = E[targets]


def report(label, d):
    e = energy(fm.set_coordinates(X[targets], d))
    print(f"{label:28s} mean change {np.mean(e - et):+6.2f} +- {np.std(e - et) / np.sqrt(len(e)):.2f} kJ/mol, "
          f"sd {e.std():.2f} (targets {et.std():.2f})", flush=True)


report("plain graft", D[donors])
for w in windows:
    slow = moving_average(D, w)
    report(f"fast part, window {w * 10} fs", slow[targets] + D[donors] - slow[donors])
    report(f"slow part alone, {w * 10} fs", slow[targets])
    report(f"pool-mean slow + fast, {w * 10} fs", slow[pools].mean(1) + D[donors] - slow[donors])
