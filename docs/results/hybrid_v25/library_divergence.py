"""How far a donor library's own bond, angle and dihedral histograms are from the MC-MD reference's, next to the
benchmark's noise floor and the hybrids'.

    python docs/results/hybrid_v25/library_divergence.py MODEL.pt [RUN.npz ...]

JS divergences (bits) against runs/h22/asp_mc.npz's reference samples on the benchmark's own bins
(benchmarks/hybrid.py FidelitySpec): the plain A-B floor, plain A, the model's library (all frames and half of them),
and each hybrid run (all samples, played-back ones, real ones). Played-back frames take their bond lengths and angles
from the library, so a library that is a short sample of MD caps how close they can come.
"""
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
import hybrid  # noqa: E402
from asteroid_openmm import get_system, load_model  # noqa: E402
from asteroid_openmm.model.donor_library import donor_library  # noqa: E402

ref = np.load(ROOT / "runs/h22/asp_mc.npz")
floor = json.load(open(ROOT / "runs/h22/asp_mc.json"))["noise_floor"]["plain_a_vs_plain_b"]
x_ref, e_ref = ref["reference__positions_nm"].astype(np.float64), ref["reference__energy_kJmol"]
bonds, triplets, quads, _ = hybrid.fidelity_coordinates("aspirin", get_system("aspirin"))
spec = hybrid.FidelitySpec(x_ref, e_ref, bonds, triplets, quads, None)
reference = spec.features(x_ref, e_ref)


def js(x):
    out = spec.divergences(reference, spec.features(np.asarray(x, np.float64), np.zeros(len(x))))
    return "  ".join(f"{k} {1e4 * out[k]:5.2f}" for k in ("bonds", "angles", "dihedrals"))


print("JS x 1e4 against the reference")
print(f"{'plain A-B floor':32s}", "  ".join(f"{k} {1e4 * floor[k]:5.2f}" for k in ("bonds", "angles", "dihedrals")))
print(f"{'plain A':32s}", js(ref["plain_A__positions_nm"]))
library = donor_library(load_model(sys.argv[1])).frames
print(f"{'library (' + str(len(library)) + ' frames)':32s}", js(library))
print(f"{'half of it':32s}", js(library[: len(library) // 2]))
for path in sys.argv[2:]:
    z = np.load(path)
    key = next(k for k in z.files if k.startswith("hybrid") and k.endswith("positions_nm"))
    x, played = z[key], z[key.replace("positions_nm", "playback")]
    name = Path(path).stem
    print(f"{name + ' all':32s}", js(x))
    print(f"{name + ' played back':32s}", js(x[played]))
