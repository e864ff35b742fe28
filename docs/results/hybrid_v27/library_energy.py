"""Real ANI-1x potential energy of donor-library frames against the MC-MD reference's (aspirin, 500 K).

    python docs/results/hybrid_v27/library_energy.py MODEL.pt ...

Per model file: the library's mean energy minus the reference's (kJ/mol) with a block error (ten blocks of the
library's frames in their stored order), and the library's energy sd (the reference's is printed first). A library
is a sample of the same MC-MD as the reference, so it should sit within its own sampling error of 0.
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from asteroid_openmm import get_system, load_model  # noqa: E402
from asteroid_openmm.evaluation.evaluate import potential_energies  # noqa: E402
from asteroid_openmm.model.donor_library import donor_library  # noqa: E402

sd = get_system("aspirin")
ref = np.load(ROOT / "runs/h22/asp_mc.npz")
e_ref = ref["reference__energy_kJmol"]
print(f"reference: {len(e_ref)} samples, sd {e_ref.std():.2f} kJ/mol")
for path in sys.argv[1:]:
    frames = donor_library(load_model(path, device="cpu")).frames
    e = potential_energies(sd, frames)
    blocks = np.array_split(e - e_ref.mean(), 10)
    err = np.std([b.mean() for b in blocks]) / np.sqrt(len(blocks))
    print(f"{path}: {len(e)} frames, mean {e.mean() - e_ref.mean():+.2f} +- {err:.2f} (block error) kJ/mol "
          f"vs reference, sd {e.std():.2f}")
