"""benchmarks/hybrid.py with every forecast's fast-mode donors drawn from a fixed library of real frames
(a feasibility test of donors that do not come from the hybrid's own short anchors; not an integrator feature).

    LIB=PATH.npz:KEY[:N] python docs/results/hybrid_v24/library_donors.py HYBRID_ARGS...

Before each forecast the integrator's donor pool is replaced by N (default 4096) random frames of array KEY of
PATH.npz (positions in nm), once the integrator has donors of its own.
"""
import os
import sys
from collections import deque
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import hybrid  # noqa: E402
from asteroid_openmm.integrator.asteroid_integrator import AsteroidIntegrator  # noqa: E402

path, key, *rest = os.environ["LIB"].split(":")
n = int(rest[0]) if rest else 4096
frames = np.load(path)[key].astype(np.float64)
library = frames[np.random.default_rng(0).choice(len(frames), min(n, len(frames)), replace=False)]
thermalise = AsteroidIntegrator._thermalise_fast_modes


def from_library(self, forecast):
    if self._fast_donors:
        self._fast_donors = deque(library, maxlen=len(library))
    return thermalise(self, forecast)


AsteroidIntegrator._thermalise_fast_modes = from_library
sys.exit(hybrid.main(sys.argv[1:]))
