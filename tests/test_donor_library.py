"""Fast-mode donor libraries: real MD frames stored with a model, read back safely, attached from the CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from asteroid_openmm.model import AsteroidModel, load_model, save_model
from asteroid_openmm.model.donor_library import LIBRARY_KEY, MIN_LIBRARY_FRAMES, attach_donor_library, donor_library
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories import load_trajectory


@pytest.fixture(scope="module")
def ala_md(tmp_path_factory):
    """100 frames of plain alanine dipeptide MD (DCD + PDB + sidecar)."""
    from asteroid_openmm.simulate import simulate

    out = tmp_path_factory.mktemp("donors") / "md.dcd"
    simulate("alanine-dipeptide", steps=1000, report_interval=10, out=out, seed=5, progress=False, platform="CPU")
    return out


def small_model(atomic_numbers):
    torch.manual_seed(0)
    return AsteroidModel(atomic_numbers, context_frames=8, horizon=4, frame_interval=0.02, d_model=16, heads=2,
                         encoder_layers=1, decoder_layers=1, neighbours=8)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "asteroid_openmm.cli", *map(str, args)], capture_output=True,
                          text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})


def test_a_library_is_validated_kept_in_the_model_file_and_read_back_safely(ala_md, tmp_path):
    ala = get_system("alanine-dipeptide")
    frames = load_trajectory(ala_md).positions
    model = small_model(ala.atomic_numbers)
    assert donor_library(model) is None
    with pytest.raises(ValueError, match="shape"):
        attach_donor_library(model, frames[:, :5], 300.0)
    broken = np.array(frames)
    broken[7, 3, 1] = np.nan
    with pytest.raises(ValueError, match="donor frame 7"):
        attach_donor_library(model, broken, 300.0)
    with pytest.raises(ValueError, match=f"at least {MIN_LIBRARY_FRAMES} frames"):
        attach_donor_library(model, frames[:10], 300.0)
    with pytest.raises(ValueError, match="temperature"):
        attach_donor_library(model, frames, -1.0)
    library = attach_donor_library(model, frames, 300.0, source="md.dcd", max_frames=64, seed=2)
    assert library.frames.shape == (64, ala.n_atoms, 3) and library.temperature == 300.0
    # The kept frames are 64 distinct frames of the trajectory, in their order.
    index = [int(np.argmin(np.abs(frames - f).max(axis=(1, 2)))) for f in library.frames]
    assert len(set(index)) == 64 and index == sorted(index)
    np.testing.assert_allclose(library.frames, frames[index], atol=1e-6)
    path = save_model(model, tmp_path / "m.pt", extra=model.extra)
    loaded = donor_library(load_model(path, device="cpu"))  # torch.load(weights_only=True) inside
    np.testing.assert_array_equal(loaded.frames, library.frames)
    assert loaded.temperature == 300.0 and loaded.source == "md.dcd"
    model.extra[LIBRARY_KEY]["positions_nm"] = torch.zeros(3, 2)
    with pytest.raises(ValueError, match="attach it again"):
        donor_library(model)


def test_the_donors_command_attaches_a_library_from_trajectories(ala_md, tmp_path):
    ala = get_system("alanine-dipeptide")
    save_model(small_model(ala.atomic_numbers), tmp_path / "m.pt", provenance={"note": "kept"})
    r = cli("donors", tmp_path / "m.pt", ala_md, "--temperature", 300, "--skip-ps", 0.4, "--frames", 64,
            "--out", tmp_path / "with_donors.pt")
    assert r.returncode == 0, r.stderr
    model = load_model(tmp_path / "with_donors.pt", device="cpu")
    library = donor_library(model)
    assert library.frames.shape == (64, ala.n_atoms, 3) and library.temperature == 300.0
    assert model.provenance == {"note": "kept"} and str(ala_md) in library.source
    # --skip-ps 0.4 leaves out the first 20 frames (20 fs apart).
    frames = load_trajectory(ala_md).positions
    first = min(int(np.argmin(np.abs(frames - f).max(axis=(1, 2)))) for f in library.frames)
    assert first >= 20
    # Bad input: a model of another molecule, a missing file; one clear line each, no traceback.
    save_model(small_model([6, 1, 1, 1, 8]), tmp_path / "other.pt")
    r = cli("donors", tmp_path / "other.pt", ala_md, "--temperature", 300, "--out", tmp_path / "x.pt")
    assert r.returncode == 2 and "atoms" in r.stderr and "Traceback" not in r.stderr
    r = cli("donors", tmp_path / "m.pt", tmp_path / "nope.dcd", "--temperature", 300, "--out", tmp_path / "x.pt")
    assert r.returncode == 2 and "nope.dcd" in r.stderr and "Traceback" not in r.stderr
