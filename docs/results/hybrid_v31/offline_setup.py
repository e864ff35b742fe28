"""What this folder's offline scripts share: a hybrid run's saved frames, and aspirin with its fidelity coordinates,
the MC-MD reference and a model's donor library, set up for fast-mode resampling as the integrator does it."""
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))
import hybrid  # noqa: E402
from asteroid_openmm import get_system, load_model  # noqa: E402
from asteroid_openmm.integrator.fast_modes import FastModeResampler, planar_ring_quads  # noqa: E402
from asteroid_openmm.integrator.rotamers import Rotamers  # noqa: E402
from asteroid_openmm.model.donor_library import donor_library  # noqa: E402

REFERENCE = ROOT / "runs/h22/asp_mc.npz"


def hybrid_frames(run_path):
    """(positions [F, N, 3] nm, played-back flags [F]) of the hybrid in a benchmarks/hybrid.py --save-samples file."""
    run = np.load(run_path)
    key = [k for k in run.files if k.startswith("hybrid_0") and k.endswith("__positions_nm")][0]
    return run[key].astype(np.float64), run[key.replace("__positions_nm", "__playback")]


def offline_setup(model_path, run_path):
    """Aspirin (``sd``), its ``bonds``/``triplets``/``quads``, the reference (``ref``), the run's frames ``x`` and
    flags ``played``, the model's donor ``library``, its ``Rotamers`` (``rot``) and a ``resampler``."""
    sd = get_system("aspirin")
    bonds, triplets, quads, _ = hybrid.fidelity_coordinates("aspirin", sd)
    x, played = hybrid_frames(run_path)
    library = donor_library(load_model(model_path, device="cpu")).frames
    masses = np.array([a.element.mass._value for a in sd.topology.atoms()])
    return SimpleNamespace(
        sd=sd, bonds=bonds, triplets=triplets, quads=quads, ref=np.load(REFERENCE), x=x, played=played,
        library=library, rot=Rotamers(bonds, sd.atomic_numbers),
        resampler=FastModeResampler(bonds, masses, planar_quads=planar_ring_quads(bonds, library[:200])))
