"""Which bonds of aspirin's raw chained forecasts trip the guard's bond check (more than bond_tolerance = 0.02 nm
from the real mean), per model: 8 chained forecasts from windows of the held-out plain run (hybrid_v27).

    python docs/results/hybrid_v28/chained_bonds.py MODEL.pt ...

Per model: the share of chains whose frames first exceed the tolerance at each forecast of the chain (1-8; "none"
= never), and the bonds that exceed it first, with how often.
"""
import sys
from collections import Counter
from pathlib import Path

import mdtraj
import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from asteroid_openmm import get_system, load_model  # noqa: E402
from asteroid_openmm.evaluation.metrics import bond_lengths  # noqa: E402
from asteroid_openmm.trajectories.bonds import infer_bonds  # noqa: E402

TOLERANCE, CHAINS = 0.02, 8
sd = get_system("aspirin")
xyz = mdtraj.load(str(ROOT / "runs/h27/heldout.dcd"), top=str(ROOT / "runs/h27/heldout.pdb")).xyz.astype(np.float64)
bonds = infer_bonds(xyz[0], sd.atomic_numbers)
mean = bond_lengths(xyz, bonds).mean(axis=0)
symbols = [a.element.symbol for a in sd.topology.atoms()]
for path in sys.argv[1:]:
    model = load_model(path, device="cpu")
    w = model.context_frames
    starts = np.arange(0, len(xyz) - w, 25)[:64]
    frames = np.stack([model.rollout(xyz[s:s + w], CHAINS)[0] for s in starts])
    dev = np.abs(bond_lengths(frames.reshape(-1, *frames.shape[2:]), bonds) - mean)
    dev = dev.reshape(len(starts), -1, len(bonds))
    over = dev > TOLERANCE
    first_frame = np.where(over.any(-1).any(-1), np.argmax(over.any(-1), axis=1), -1)
    depth = Counter("none" if f < 0 else str(f // model.horizon + 1) for f in first_frame)
    culprits = Counter()
    for c, f in enumerate(first_frame):
        if f >= 0:
            for b in np.flatnonzero(over[c, f]):
                i, j = bonds[b]
                culprits[f"{symbols[i]}{i}-{symbols[j]}{j}"] += 1
    print(f"{Path(path).name}: first failing forecast {dict(sorted(depth.items()))}; bonds {culprits.most_common(6)}")
