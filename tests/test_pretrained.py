"""The shipped models: found by system name, small, matching their built-in system, with evaluation JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from asteroid_openmm import get_system, load_model
from asteroid_openmm.model.checkpoint import available_pretrained, pretrained_path

SHIPPED = ["alanine-dipeptide", "aspirin", "ethanol"]


def test_the_three_models_ship():
    assert set(SHIPPED) <= set(available_pretrained())


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_model_matches_its_system_and_has_its_evaluation(name):
    path = pretrained_path(name)
    assert path.stat().st_size < 6.5e6  # aspirin's: 3.4 MB of weights and a 10,000-frame donor library (2.5 MB)
    model = load_model(name, device="cpu")
    builtin = get_system(name)
    model.check_compatible(builtin.atomic_numbers)
    stride = model.frame_interval / builtin.timestep
    assert stride == pytest.approx(round(stride)) and round(stride) >= 1  # frames are whole MD steps apart
    ev = json.loads(path.with_name(f"{name}.evaluation.json").read_text())
    assert ev["horizon"] == model.horizon and ev["context_frames"] == model.context_frames
    mae = {k: np.asarray(v["position_mae_nm"]) for k, v in ev["methods"].items()}
    assert {"asteroid", "persistence", "linear_extrapolation"} <= set(mae)
    assert np.all(mae["asteroid"] < mae["persistence"])  # the shipped model beats doing nothing
    # A forecast from the built-in's starting geometry is finite and moves.
    ctx = np.repeat(builtin.positions_nm()[None], model.context_frames, axis=0)
    ctx = ctx + np.random.default_rng(0).normal(scale=1e-3, size=ctx.shape)
    f = model.forecast(ctx)
    assert f.shape == (model.horizon, builtin.n_atoms, 3) and np.all(np.isfinite(f))
