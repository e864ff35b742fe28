"""Hydroxyl rotor (C-C-O-H of ethanol) kinetics and populations of every run in benchmark results with saved samples.

A transition is a move between the core regions trans (|phi| > 150), g+ (30..90) and g- (-90..-30 degrees),
counted with hysteresis (the rotor must reach the next core). Samples are 10 fs apart in benchmarks/hybrid.py.

    python docs/results/hybrid_v13/rotor_kinetics.py runs/h12/eth_base.json runs/h12/r8s_*.json
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import fidelity_noise  # noqa: E402

from asteroid_openmm.evaluation.metrics import dihedrals  # noqa: E402


def rotor_states(phi: np.ndarray) -> np.ndarray:
    """Core region of each C-C-O-H angle (degrees): 0 trans, 1 g+, 2 g-, -1 outside the cores."""
    core = np.full(np.shape(phi), -1)
    core[np.abs(phi) > 150] = 0
    core[(phi > 30) & (phi < 90)] = 1
    core[(phi < -30) & (phi > -90)] = 2
    return core


def rotor_kinetics(x: np.ndarray, interval_ps: float) -> tuple[float, float, float, float]:
    """(transitions per ps, trans, g+, g- populations) of ethanol's C-C-O-H torsion in frames x [T, 9, 3] (nm)."""
    phi = dihedrals(x, np.array([[0, 1, 2, 8]]))[:, 0]  # degrees
    core = rotor_states(phi)
    rate = np.count_nonzero(np.diff(core[core >= 0])) / (len(phi) * interval_ps)
    return (rate, float(np.mean(np.abs(phi) > 120)), float(np.mean((phi > 0) & (phi < 120))),
            float(np.mean((phi < 0) & (phi > -120))))


if __name__ == "__main__":
    first, runs = fidelity_noise.load(sys.argv[1:])
    print(f"{'run':<90} {'transitions/ps':>14}  trans    g+    g-")
    for label, (x, _) in runs.items():
        rate, trans, gplus, gminus = rotor_kinetics(x, first["sample_interval_ps"])
        print(f"{label[:90]:<90} {rate:14.2f}  {trans:.2f}  {gplus:.2f}  {gminus:.2f}")
