"""Training and evaluation on a short real trajectory (alanine dipeptide, amber14, 20 fs frames)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from asteroid_openmm.model import load_model
from asteroid_openmm.trajectories import load_trajectory
from asteroid_openmm.training.train import train

SMALL = dict(d_model=32, heads=2, encoder_layers=1, decoder_layers=1, neighbours=8, global_tokens=2, anchors=2,
             history=4)


@pytest.fixture(scope="module")
def alanine_traj(tmp_path_factory):
    """1500 frames of real MD, 20 fs apart (DCD + PDB + sidecar JSON)."""
    from asteroid_openmm.simulate import simulate

    out = tmp_path_factory.mktemp("ala") / "traj.dcd"
    simulate("alanine-dipeptide", steps=15_000, report_interval=10, out=out, seed=7, progress=False,
             platform="CPU")
    return out


def cli(*args):
    return subprocess.run([sys.executable, "-m", "asteroid_openmm.cli", *map(str, args)], capture_output=True,
                          text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})


def test_training_lowers_validation_loss(alanine_traj, tmp_path):
    traj = load_trajectory(alanine_traj)
    assert traj.frame_interval == pytest.approx(0.02)
    model, hist = train([traj], tmp_path / "m.pt", context_frames=8, horizon=4, epochs=6, batch_size=16, lr=2e-3,
                        max_steps_per_epoch=25, model_options=SMALL, progress=False, seed=1)
    # Training starts at the least-squares linear prior, already a good forecaster: the network must improve on it.
    print("initial", hist["initial_val_loss"], "val", hist["val_loss"])
    assert hist["val_loss"][-1] < hist["initial_val_loss"]
    assert min(hist["val_loss"]) < 0.985 * hist["initial_val_loss"]
    loaded = load_model(tmp_path / "m.pt", device="cpu")
    assert loaded.provenance["epochs_run"] == 6 and loaded.provenance["seed"] == 1
    assert "linear_ar" in loaded.extra and "linear_prior" in loaded.extra
    assert loaded.body_history > 0  # small molecule: the body-frame prior is on by default
    # Same seed, same data: same model (reproducible).
    model2, _ = train([traj], tmp_path / "m2.pt", context_frames=8, horizon=4, epochs=1, batch_size=16, lr=2e-3,
                      max_steps_per_epoch=5, model_options=SMALL, progress=False, seed=1)
    model3, _ = train([traj], tmp_path / "m3.pt", context_frames=8, horizon=4, epochs=1, batch_size=16, lr=2e-3,
                      max_steps_per_epoch=5, model_options=SMALL, progress=False, seed=1)
    for a, b in zip(model2.state_dict().values(), model3.state_dict().values()):
        assert torch.equal(a, b)


def test_pushforward_context_replaces_leading_context_frames_by_the_forecast(alanine_traj, tmp_path):
    from asteroid_openmm.training.train import pushforward_context
    from asteroid_openmm.trajectories import WindowDataset

    traj = load_trajectory(alanine_traj)
    w, h = 8, 4
    model, _ = train([traj], tmp_path / "m.pt", context_frames=w, horizon=h, epochs=1, batch_size=16,
                     max_steps_per_epoch=3, model_options=SMALL, progress=False, seed=1)
    lag = h + SMALL["anchors"] - 1
    dataset = WindowDataset([traj], w, h + lag, split="train")
    windows = torch.stack([dataset[i] for i in range(0, 400, 50)])
    assert windows.shape[1] == h + w + lag
    torch.manual_seed(0)
    same = pushforward_context(model, windows, w, h, 0.0)
    assert torch.equal(same, windows[:, h:])  # fraction 0: the plain windows, H frames later
    torch.manual_seed(0)
    pushed = pushforward_context(model, windows, w, h, 1.0)
    assert pushed.shape == same.shape
    # The frames the forecast covers (context frames w - h .. w - 1) start with forecast frames ...
    origin = windows[:, w - 1 : w].mean(dim=2, keepdim=True)
    with torch.no_grad():
        forecast = model(windows[:, :w] - origin)["forecast"] + origin
    assert torch.allclose(pushed[:, w - h], forecast[:, 0], atol=1e-5)
    assert not torch.allclose(pushed[:, w - h], windows[:, w], atol=1e-5)
    # ... every other frame, the targets included, is the true one.
    assert torch.equal(pushed[:, : w - h], windows[:, h:w])
    assert torch.equal(pushed[:, w:], windows[:, h + w :])
    replaced = [(pushed[:, k] - windows[:, h + k]).abs().amax(dim=(-1, -2)) > 0 for k in range(w - h, w)]
    counts = torch.stack(replaced, dim=1).sum(dim=1)
    assert counts.min() >= 1 and counts.max() <= h
    # With two levels, a context is that of the first or the second chained forecast.
    long_windows = torch.stack([WindowDataset([traj], w, 2 * h + lag, split="train")[i] for i in range(0, 800, 50)])
    torch.manual_seed(0)
    chained = pushforward_context(model, long_windows, w, h, 1.0, levels=2)
    assert torch.equal(chained[:, w:], long_windows[:, 2 * h + w :])  # true targets
    origin = long_windows[:, w - 1 : w].mean(dim=2, keepdim=True)
    with torch.no_grad():
        rollout = model.rollout_torch(long_windows[:, :w] - origin, 2)[0] + origin  # frames w .. w + 2h - 1
    second = (chained[:, 0] - long_windows[:, 2 * h]).abs().amax(dim=(-1, -2)) > 0
    assert 0 < int(second.sum()) < len(second)  # both depths drawn
    expect = torch.cat([long_windows[:, :w], rollout], dim=1)[:, -w:]
    assert torch.allclose(chained[second, :w], expect[second], atol=1e-4)
    # Depth one: the forecast from true frames covers only the context's last h frames.
    assert torch.equal(chained[~second, : w - h], long_windows[~second, 2 * h : 2 * h + w - h])
    # and a pushforward training run records its settings.
    _, hist = train([traj], tmp_path / "p.pt", context_frames=w, horizon=h, epochs=1, batch_size=16,
                    max_steps_per_epoch=3, model_options=SMALL, progress=False, seed=1, pushforward=0.5,
                    pushforward_levels=3)
    assert np.isfinite(hist["val_loss"]).all()
    assert load_model(tmp_path / "p.pt").provenance["pushforward"] == 0.5
    assert load_model(tmp_path / "p.pt").provenance["pushforward_levels"] == 3
    with pytest.raises(ValueError, match="pushforward_levels"):
        train([traj], tmp_path / "q.pt", context_frames=w, horizon=h, epochs=1, pushforward=0.5,
              pushforward_levels=0, progress=False)
    with pytest.raises(ValueError, match="pushforward"):
        train([traj], tmp_path / "q.pt", context_frames=w, horizon=h, epochs=1, pushforward=1.5, progress=False)


def test_train_resume_and_evaluate_cli(alanine_traj, tmp_path):
    model = tmp_path / "model.pt"
    common = ["--trajectory", alanine_traj, "--out", model, "--context-frames", 8, "--horizon", 4, "--batch-size", 16,
              "--max-steps-per-epoch", 5, "--d-model", 32, "--anchors", 2, "--quiet"]
    r = cli("train", *common, "--epochs", 1)
    assert r.returncode == 0, r.stderr
    r = cli("train", *common, "--epochs", 2, "--resume")
    assert r.returncode == 0, r.stderr
    assert load_model(model).provenance["epochs_run"] == 2  # one more epoch on top of the first

    out = tmp_path / "eval.json"
    png = tmp_path / "eval.png"
    r = cli("evaluate", "--model", model, "--trajectory", alanine_traj, "--json", out, "--plot", png,
            "--stride", 20, "--system", "alanine-dipeptide")
    assert r.returncode == 0, r.stderr
    ev = json.loads(out.read_text())
    assert set(ev["methods"]) == {"asteroid", "persistence", "linear_extrapolation", "linear_ar", "linear_prior"}
    for m in ev["methods"].values():
        assert len(m["position_mae_nm"]) == 4 and len(m["bond_error_median_nm"]) == 4
    # Persistence's one-step MAE equals the mean |x_{t+1} - x_t| of the data: same code, same windows.
    assert ev["methods"]["persistence"]["position_mae_nm"][0] > 0
    assert ev["thermal"]["n_constrained_bonds"] == 12 and ev["thermal"]["n_flexible_bonds"] == 9
    assert np.isfinite(ev["energy"]["reference_mean_kj_mol"])
    assert png.stat().st_size > 10_000


def test_train_and_evaluate_with_a_frame_step(alanine_traj, tmp_path):
    model = tmp_path / "model.pt"
    r = cli("train", "--trajectory", alanine_traj, "--out", model, "--context-frames", 4, "--horizon", 2,
            "--batch-size", 16, "--max-steps-per-epoch", 3, "--d-model", 32, "--anchors", 2, "--epochs", 1,
            "--quiet", "--frame-step", 2)
    assert r.returncode == 0, r.stderr
    every_frame = load_trajectory(alanine_traj).frame_interval
    assert load_model(model).frame_interval == pytest.approx(2 * every_frame)
    out = tmp_path / "eval.json"
    r = cli("evaluate", "--model", model, "--trajectory", alanine_traj, "--json", out, "--stride", 20)
    assert r.returncode == 2 and "--frame-step" in r.stderr and "Traceback" not in r.stderr
    r = cli("evaluate", "--model", model, "--trajectory", alanine_traj, "--json", out, "--stride", 20,
            "--frame-step", 2)
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text())["frame_interval_ps"] == pytest.approx(2 * every_frame)


def test_fine_tuning_a_model_into_a_stochastic_one(alanine_traj, tmp_path):
    base = tmp_path / "base.pt"
    r = cli("train", "--trajectory", alanine_traj, "--out", base, "--context-frames", 8, "--horizon", 4,
            "--batch-size", 16, "--max-steps-per-epoch", 3, "--d-model", 32, "--anchors", 2, "--epochs", 1, "--quiet")
    assert r.returncode == 0, r.stderr
    tuned = tmp_path / "tuned.pt"
    r = cli("train", "--trajectory", alanine_traj, "--out", tuned, "--context-frames", 8, "--horizon", 4,
            "--batch-size", 8, "--max-steps-per-epoch", 4, "--epochs", 1, "--quiet", "--init-from", base,
            "--noise-dim", 4, "--pushforward", 0.5)
    assert r.returncode == 0, r.stderr
    model, start = load_model(tuned, device="cpu"), load_model(base, device="cpu")
    assert model.noise_dim == 4 and model.config["d_model"] == 32  # the configuration is the file's
    assert model.provenance["init_from"] == str(base)
    # The least-squares starting point evaluation scores is still the original one.
    assert json.dumps(model.extra["linear_prior"], default=str) == json.dumps(start.extra["linear_prior"], default=str)
    ctx = load_trajectory(alanine_traj).positions[100:108]
    torch.manual_seed(0)
    a = model.forecast(ctx)
    b = model.forecast(ctx)
    assert np.all(np.isfinite(a)) and np.abs(a - b).max() > 1e-6, "a stochastic model samples different futures"
    # Fine-tuning a stochastic model without --noise-dim keeps it stochastic.
    again = tmp_path / "again.pt"
    r = cli("train", "--trajectory", alanine_traj, "--out", again, "--context-frames", 8, "--horizon", 4,
            "--batch-size", 8, "--max-steps-per-epoch", 2, "--epochs", 1, "--quiet", "--init-from", tuned)
    assert r.returncode == 0, r.stderr
    assert load_model(again, device="cpu").noise_dim == 4
    # Fine-tuning keeps the file's shape: other shape options or another horizon are refused clearly.
    traj = load_trajectory(alanine_traj)
    with pytest.raises(ValueError, match="only noise_dim"):
        train([traj], tmp_path / "x.pt", context_frames=8, horizon=4, epochs=1, init_from=base,
              model_options=dict(d_model=64), progress=False)
    with pytest.raises(ValueError, match="H=4"):
        train([traj], tmp_path / "x.pt", context_frames=8, horizon=6, epochs=1, init_from=base, progress=False)


def test_cli_errors_are_clear(alanine_traj, tmp_path):
    r = cli("train", "--trajectory", tmp_path / "nope.dcd", "--out", tmp_path / "m.pt")
    assert r.returncode == 2 and "nope.dcd" in r.stderr and "Traceback" not in r.stderr
    r = cli("train", "--trajectory", alanine_traj, "--out", tmp_path / "m.pt", "--resume")
    assert r.returncode == 2 and "no training state" in r.stderr
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a model")
    r = cli("evaluate", "--model", bad, "--trajectory", alanine_traj, "--json", tmp_path / "e.json")
    assert r.returncode == 2 and "corrupt" in r.stderr


def test_distributed_training_with_two_cpu_processes(alanine_traj, tmp_path):
    """torchrun + DistributedDataParallel, gloo backend, 2 processes."""
    model = tmp_path / "ddp.pt"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29517",
           "-m", "asteroid_openmm.cli", "train", "--trajectory", str(alanine_traj), "--out", str(model),
           "--context-frames", "8", "--horizon", "4", "--batch-size", "8", "--epochs", "1",
           "--max-steps-per-epoch", "4", "--d-model", "32", "--anchors", "2", "--device", "cpu", "--quiet"]
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert r.returncode == 0, r.stderr[-3000:]
    loaded = load_model(model)
    assert loaded.provenance["world_size"] == 2


def test_constrained_pairs_count_like_the_stiffest_flexible_pair():
    from asteroid_openmm.training.losses import ForecastLoss

    loss = ForecastLoss(np.ones(4), np.array([[0, 1], [1, 2], [0, 2]]), np.array([0.0, 0.003, 0.005]))
    std = 1 / loss.pair_inv_var.sqrt()
    np.testing.assert_allclose(std.numpy(), [0.003, 0.003, 0.005], rtol=1e-6)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (run on a GPU machine)")
def test_training_runs_on_cuda(openmm, make_context, tmp_path):
    """Training on the GPU, from frames of real MD (no files, so no mdtraj needed)."""
    from asteroid_openmm.systems import get_system
    from asteroid_openmm.trajectories.data import TrajectoryData

    ala = get_system("alanine-dipeptide")
    context, integrator = make_context(ala, seed=3)
    frames = []
    for _ in range(600):
        integrator.step(10)
        frames.append(context.getState(getPositions=True).getPositions(asNumpy=True).value_in_unit(openmm.unit.nanometer))
    traj = TrajectoryData(np.array(frames, np.float32), np.asarray(ala.atomic_numbers), 0.02, source="alanine MD")
    model, hist = train([traj], tmp_path / "m.pt", context_frames=8, horizon=4, epochs=2, batch_size=16, lr=2e-3,
                        max_steps_per_epoch=10, model_options=SMALL, progress=False, seed=1, device="cuda")
    assert np.all(np.isfinite(hist["val_loss"])) and np.all(np.isfinite(hist["train_loss"]))
    loaded = load_model(tmp_path / "m.pt", device="cpu")  # a GPU-trained file loads on the CPU
    assert loaded.provenance["device"].startswith("cuda")
    assert np.all(np.isfinite(loaded.forecast(np.array(frames[-8:]))))
