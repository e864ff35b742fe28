"""``asteroid-openmm demo --quick``: runs end to end, writes every file, every number is finite.

Uses the shipped ethanol model when there is one (``make models``); otherwise
a tiny throwaway model trained here on a short ANI-1x ethanol run (it is only
a smoke test of the demo's machinery, not of forecast quality).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from asteroid_openmm.model.checkpoint import pretrained_path

SMALL = dict(d_model=16, heads=2, encoder_layers=1, decoder_layers=1, neighbours=8, global_tokens=2, anchors=2,
             history=3)


@pytest.fixture(scope="module")
def ethanol_model(tmp_path_factory):
    """(--model argument or None for the shipped default, description)."""
    if pretrained_path("ethanol").is_file():
        return None, "shipped"
    from asteroid_openmm.simulate import simulate
    from asteroid_openmm.systems.ani import torch_threads
    from asteroid_openmm.training.train import train
    from asteroid_openmm.trajectories import load_trajectory

    d = tmp_path_factory.mktemp("demo-model")
    with torch_threads(1):
        simulate("ethanol", steps=3000, report_interval=10, out=d / "md.dcd", seed=3, progress=False,
                 platform="CPU", equilibration_steps=200, system_options={"ani_model_index": 0})
        train([load_trajectory(d / "md.dcd")], d / "tiny.pt", context_frames=8, horizon=8, epochs=2, batch_size=16,
              max_steps_per_epoch=10, model_options=SMALL, progress=False, device="cpu")
    return str(d / "tiny.pt"), "tiny throwaway"


def _walk_numbers(x, path=""):
    if isinstance(x, dict):
        for k, v in x.items():
            yield from _walk_numbers(v, f"{path}.{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from _walk_numbers(v, f"{path}[{i}]")
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        yield path, x


def test_demo_quick(ethanol_model, tmp_path):
    model, what = ethanol_model
    out = tmp_path / "demo"
    cmd = [sys.executable, "-m", "asteroid_openmm.cli", "demo", "--quick", "--out", str(out), "--no-progress"]
    if model is not None:
        cmd += ["--model", model]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=dict(os.environ))
    assert proc.returncode == 0, f"demo failed ({what} model):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    s = json.loads((out / "summary.json").read_text())

    for key in ("system", "model", "platform", "steps", "simulated_ps", "runs", "speedup", "hybrid", "fidelity",
                "plots", "files", "total_wall_seconds"):
        assert key in s, key
    assert s["system"] == "ethanol" and s["quick"] is True
    assert s["hybrid"]["preset"] == "default" and s["hybrid"]["settings"]["rollouts"] == 1
    assert set(s["runs"]) == {"md", "hybrid", "md2"}
    for run in s["runs"].values():
        assert run["wall_seconds"] > 0 and run["n_frames"] > 10
    for key in ("forecast_fraction", "jumps_accepted", "jumps_truncated", "jumps_rejected", "real_steps",
                "forecast_steps"):
        assert key in s["hybrid"]
    assert s["hybrid"]["real_steps"] + s["hybrid"]["forecast_steps"] == s["steps"]
    for pair in ("hybrid_vs_md", "md2_vs_md"):
        for key in ("bond_lengths", "angles", "dihedrals", "potential_energy"):
            assert 0.0 <= s["fidelity"][pair][key] <= 1.0
    # Every number is finite (undefined ones, e.g. an acceptance rate with no attempts, are null).
    bad = [p for p, v in _walk_numbers(s) if not math.isfinite(v)]
    assert not bad, bad
    assert s["all_finite"] is True
    for run in s["runs"].values():
        assert math.isfinite(run["potential_energy_mean_kj_mol"])
    assert s["speedup"] == pytest.approx(s["runs"]["md"]["wall_seconds"] / s["runs"]["hybrid"]["wall_seconds"])

    for name in ("md.dcd", "md.pdb", "hybrid.dcd", "hybrid.pdb", "md2.dcd", "hybrid_stats.csv", "timeline.csv",
                 "distributions.png", "timeline.png"):
        assert (out / name).stat().st_size > 0, name
    assert "forecast_error" in s["plots"] or "forecast_error_plot_skipped" in s
    # The printed table carries the same numbers.
    assert f"{s['speedup']:.2f}x" in proc.stdout
    assert f"{s['fidelity']['hybrid_vs_md']['dihedrals']:.4f}" in proc.stdout


def test_demo_without_a_shipped_model_names_make_models(tmp_path):
    if pretrained_path("benzene").is_file():
        pytest.skip("benzene has a shipped model")
    proc = subprocess.run([sys.executable, "-m", "asteroid_openmm.cli", "demo", "--system", "benzene", "--quick",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "make models" in proc.stderr and "Traceback" not in proc.stderr
