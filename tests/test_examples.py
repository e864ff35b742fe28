"""The examples in examples/ run end to end in their --quick mode (each in a subprocess).

Examples 01 and 04 use the shipped models (``make models``) and are skipped,
with the reason, when those are absent. 02 and 03 train their own tiny models.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from asteroid_openmm.model.checkpoint import pretrained_path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(name: str, out: Path, timeout: float = 300) -> str:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.run([sys.executable, str(EXAMPLES / name), "--quick", "--out", str(out)],
                          capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, f"{name} failed (rc {proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


def needs_shipped(name: str):
    return pytest.mark.skipif(not pretrained_path(name).is_file(),
                              reason=f"no shipped model {pretrained_path(name)} (run `make models`)")


def test_every_example_has_a_docstring_and_quick_flag():
    scripts = sorted(EXAMPLES.glob("[0-9][0-9]_*.py"))
    assert [s.name[:2] for s in scripts] == ["01", "02", "03", "04"]
    for s in scripts:
        text = s.read_text()
        assert text.startswith('"""'), f"{s.name} has no module docstring"
        assert "--quick" in text and "--out" in text


@needs_shipped("alanine-dipeptide")
def test_01_drop_in_integrator(tmp_path):
    stdout = run_example("01_drop_in_integrator.py", tmp_path)
    assert "forecast fraction" in stdout and "jumps:" in stdout
    for f in ("trajectory.dcd", "topology.pdb", "state.csv"):
        assert (tmp_path / f).stat().st_size > 0
    # The example differs from a plain OpenMM script only in its integrator line.
    text = (EXAMPLES / "01_drop_in_integrator.py").read_text()
    assert "# integrator = LangevinMiddleIntegrator(" in text and "integrator = AsteroidIntegrator(" in text


def test_02_train_on_your_trajectory(tmp_path):
    stdout = run_example("02_train_on_your_trajectory.py", tmp_path)
    for f in ("train.dcd", "train.pdb", "heldout.dcd", "model.pt", "evaluation.json", "evaluation.png", "hybrid.dcd"):
        assert (tmp_path / f).stat().st_size > 0, f
    ev = json.loads((tmp_path / "evaluation.json").read_text())
    assert np.all(np.isfinite(ev["methods"]["asteroid"]["position_mae_nm"]))
    assert "forecast fraction" in stdout


def test_03_train_from_md17_npz(tmp_path):
    run_example("03_train_from_md17_npz.py", tmp_path)
    data = np.load(tmp_path / "ethanol_train.npz")
    assert data["R"].ndim == 3 and data["R"].shape[1:] == (9, 3)
    # Å, not nm: C-C bond of ethanol is ~1.5 Å.
    d = np.linalg.norm(data["R"][:, 0] - data["R"][:, 1], axis=-1)
    assert 0.8 < np.median(d) < 2.0
    assert sorted(set(data["z"].tolist())) == [1, 6, 8]
    ev = json.loads((tmp_path / "evaluation.json").read_text())
    assert ev["frame_interval_ps"] == pytest.approx(0.005)
    assert (tmp_path / "evaluation.png").stat().st_size > 0


@needs_shipped("ethanol")
def test_04_ani_torchforce_hybrid(tmp_path):
    stdout = run_example("04_ani_torchforce_hybrid.py", tmp_path)
    assert "TorchForce present: True" in stdout and "preset 'chained': rollouts=8" in stdout
    assert "forecast_fraction" in stdout and "jumps_accepted" in stdout
    assert (tmp_path / "asteroid_stats.csv").stat().st_size > 0
