"""Hydroxyl torsion (C-C-O-H) state populations of every run in benchmark results with saved samples.

g+ and g- are mirror images: equal in equilibrium.

    python docs/results/hybrid_v12/oh_states.py runs/h12/eth_base.json [more.json ...]
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import fidelity_noise  # noqa: E402

from asteroid_openmm.evaluation.metrics import dihedrals  # noqa: E402

_, runs = fidelity_noise.load(sys.argv[1:])
for label, (x, _) in runs.items():
    d = dihedrals(x, np.array([[0, 1, 2, 8]]))[:, 0]
    print(f"{label:<90} trans {np.mean(np.abs(d) > 120):.3f}  g+ {np.mean((d > 0) & (d < 120)):.3f}  "
          f"g- {np.mean((d < 0) & (d > -120)):.3f}")
