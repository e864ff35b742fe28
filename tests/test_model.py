"""The ASTEROID model: symmetry, STI/Hankel algebra, forecasting API, model files."""

from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np
import pytest
import torch

from asteroid_openmm.model import AsteroidModel, load_model, save_model, sti

ETHANOL_Z = [6, 6, 8, 1, 1, 1, 1, 1, 1]


def randomised_model(z=ETHANOL_Z, seed=0, **kw) -> AsteroidModel:
    """An untrained model whose read-out coefficients are all active (zero-initialised ones would
    make the neighbour terms vanish and the symmetry test trivial)."""
    torch.manual_seed(seed)
    m = AsteroidModel(z, context_frames=8, horizon=6, frame_interval=0.005, d_model=32, history=3, **kw)
    with torch.no_grad():
        for lin in (m.own_coeff, m.query_proj):
            torch.nn.init.normal_(lin.weight, std=0.5)
        m.own_prior.normal_(std=0.3)
        m.rigid_prior.normal_(std=0.3)
        if m.body_history:
            m.body_reference.copy_(torch.as_tensor(random_context(n_atoms=len(z), seed=7)[-1]))
            m.body_reference -= m.body_reference.mean(dim=0)
            m.body_coeff.normal_(std=0.05)
        if m.rotation_lags:
            m.rotation_coeff.normal_(std=0.5)
    return m.eval()


def random_context(n_atoms=9, frames=8, seed=1, offset=0.0):
    rng = np.random.default_rng(seed)
    base = rng.normal(scale=0.15, size=(n_atoms, 3))
    walk = np.cumsum(rng.normal(scale=0.004, size=(frames, n_atoms, 3)), axis=0)
    return base + walk + offset


def random_rotation(seed=2):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(3, 3)))
    return q if np.linalg.det(q) > 0 else -q


def test_forecast_is_rotation_and_translation_equivariant():
    model = randomised_model()
    ctx = random_context()
    rot, shift = random_rotation(), np.array([1.7, -0.4, 2.3])
    f, s = model.forecast_with_uncertainty(ctx)
    f_rt, s_rt = model.forecast_with_uncertainty(ctx @ rot.T + shift)
    assert np.abs(f - ctx[-1]).max() > 1e-3, "forecast must move, or the test proves nothing"
    # float32 round-off: errors of ~1e-6 nm on displacements of ~1e-2 nm.
    np.testing.assert_allclose(f_rt, f @ rot.T + shift, atol=2e-5)
    np.testing.assert_allclose(s_rt, s, atol=2e-6)
    # Reflections too (E(3)), by construction of the read-out.
    mirror = np.diag([1.0, 1.0, -1.0])
    np.testing.assert_allclose(model.forecast(ctx @ mirror), f @ mirror, atol=2e-5)


def test_equivariance_is_exact_in_float64():
    model = randomised_model().double()
    ctx = torch.as_tensor(random_context())[None]
    rot, shift = torch.as_tensor(random_rotation(5)), torch.tensor([0.3, 0.2, -0.1], dtype=torch.float64)
    out = model(ctx)["forecast"]
    out_rt = model(ctx @ rot.T + shift)["forecast"]
    assert torch.allclose(out_rt, out @ rot.T + shift, atol=1e-11)


def test_tumbling_frame_is_exactly_equivariant():
    """The predicted whole-molecule rotation is a pseudo-vector: the forecast still rotates, reflects and
    translates with the input, to float64 round-off."""
    model = randomised_model(rotation_lags=3).double()
    ctx = torch.as_tensor(random_context())[None]
    out = model(ctx)["forecast"]
    for rot in (torch.as_tensor(random_rotation(5)), torch.diag(torch.tensor([1.0, -1.0, 1.0], dtype=torch.float64))):
        shift = torch.tensor([0.3, 0.2, -0.1], dtype=torch.float64)
        assert torch.allclose(model(ctx @ rot.T + shift)["forecast"], out @ rot.T + shift, atol=1e-11)
    # The rotation really acts: without it the forecast differs.
    with torch.no_grad():
        model.rotation_coeff.zero_()
    assert (model(ctx)["forecast"] - out).abs().max() > 1e-4


def spinning_molecules(n, rng, frames):
    """Rigid ethanol-sized molecules turning at a constant angular velocity about their centre of mass
    (random axis and speed per molecule, up to ~0.1 rad per frame), [n, frames, 9, 3] nm."""
    from asteroid_openmm.model.geometry_restore import element_masses
    from asteroid_openmm.model.rotation import rotation_matrix

    base = rng.normal(scale=0.15, size=(n, 9, 3))
    mass = element_masses(ETHANOL_Z)
    base -= np.einsum("nki,k->ni", base, mass / mass.sum())[:, None]
    omega = rng.normal(scale=0.06, size=(n, 3))
    rot = rotation_matrix(torch.as_tensor(omega[:, None] * np.arange(frames)[None, :, None])).numpy()
    return np.einsum("ntij,nkj->ntki", rot, base)


def test_tumbling_frame_forecasts_a_spinning_molecule():
    """A linear read-out can only add ``omega x r``; the tumbling frame turns a rigid molecule through the
    finite angle, so its fitted linear prior forecasts the spin almost exactly."""
    rng = np.random.default_rng(4)
    errors = {}
    for lags in (0, 3):
        model = AsteroidModel(ETHANOL_Z, context_frames=8, horizon=6, frame_interval=0.005, d_model=16, history=3,
                              anchors=2, rigid_lags=2, rotation_lags=lags).double()
        model.fit_linear_priors(torch.as_tensor(spinning_molecules(256, rng, 8 + model.n_delays)))
        test = spinning_molecules(32, np.random.default_rng(9), 14)
        with torch.no_grad():
            forecast = model(torch.as_tensor(test[:, :8]))["forecast"].numpy()
        errors[lags] = np.abs(forecast - test[:, 8:]).max()
        assert np.abs(test[:, -1] - test[:, 7]).max() > 0.2  # the molecules turn far within the horizon
    assert errors[3] < 2e-4, errors
    assert errors[0] > 20 * errors[3], errors


def test_rotation_helpers_round_trip():
    from asteroid_openmm.model.rotation import angular_displacement, rotate_about_centre, rotation_between, rotation_matrix

    gen = torch.Generator().manual_seed(0)
    x = torch.randn(5, 7, 3, generator=gen, dtype=torch.float64)
    masses = torch.rand(7, generator=gen, dtype=torch.float64) + 0.5
    v = torch.randn(5, 3, generator=gen, dtype=torch.float64) * 0.8
    r = rotation_matrix(v)
    assert torch.allclose(r @ r.transpose(-1, -2), torch.eye(3, dtype=torch.float64).expand(5, 3, 3), atol=1e-14)
    moved = rotate_about_centre(x, r, masses) + torch.tensor([0.1, -0.2, 0.3], dtype=torch.float64)
    assert torch.allclose(rotation_between(x, moved, masses), v, atol=1e-12)
    # The small-angle estimate is right to first order.
    tiny = rotate_about_centre(x, rotation_matrix(v * 1e-3), masses)
    assert torch.allclose(angular_displacement(tiny, x, masses), v * 1e-3, rtol=1e-2, atol=1e-9)
    assert torch.allclose(rotation_matrix(torch.zeros(3, dtype=torch.float64)), torch.eye(3, dtype=torch.float64))


ETHANOL_BONDS = [(0, 1), (1, 2), (0, 3), (0, 4), (0, 5), (1, 6), (1, 7), (2, 8)]


def with_restoration(model: AsteroidModel) -> AsteroidModel:
    """Rebuild ``model`` with bond/angle restoration on ethanol's bond graph (random keep values)."""
    from asteroid_openmm.model.geometry_restore import element_masses, restoration_pairs

    pairs, kinds = restoration_pairs(ETHANOL_BONDS)
    twin = AsteroidModel(ETHANOL_Z, restore_pairs=len(pairs), **{
        k: v for k, v in model.config.items() if k not in ("restore_pairs", "n_atom_types")})
    state = {k: v for k, v in model.state_dict().items()}
    twin.load_state_dict(state, strict=False)
    ctx = random_context()
    mean = np.linalg.norm(ctx[-1, pairs[:, 1]] - ctx[-1, pairs[:, 0]], axis=-1) * 0.9
    twin.set_restore_targets(pairs, kinds, mean, element_masses(ETHANOL_Z))
    with torch.no_grad():
        twin.restore_keep_logit.normal_()
    return twin.eval()


def test_restoration_layer_is_exactly_equivariant_and_pulls_distances_to_targets():
    from asteroid_openmm.model.geometry_restore import element_masses, restoration_pairs, restore_distances

    pairs, kinds = restoration_pairs(ETHANOL_BONDS)
    assert len(pairs) == 8 + 13 and kinds.tolist() == [0] * 8 + [1] * 13  # 8 bonds, 13 angles
    model = with_restoration(randomised_model(body_history=2)).double()
    plain = randomised_model(body_history=2).double()
    ctx = torch.as_tensor(random_context())[None]
    out = model(ctx)["forecast"]
    assert (out - plain(ctx)["forecast"]).abs().max() > 1e-3, "restoration must act"
    rot, shift = torch.as_tensor(random_rotation(9)), torch.tensor([0.1, -0.3, 0.2], dtype=torch.float64)
    assert torch.allclose(model(ctx @ rot.T + shift)["forecast"], out @ rot.T + shift, atol=1e-10)

    # The layer itself: distorted frames move towards the targets, hydrogens more than heavy atoms.
    x = torch.as_tensor(random_context()[-1])
    p = torch.as_tensor(pairs)
    target = torch.where(torch.as_tensor(kinds) == 0, 0.12, 0.22).double()  # bond, 1-3 distances (nm)
    inv = 1 / element_masses(ETHANOL_Z)
    share = torch.as_tensor(np.stack([inv[pairs[:, 0]], inv[pairs[:, 1]]], 1))
    share = share / share.sum(1, keepdim=True)
    degree = torch.bincount(p.reshape(-1), minlength=9)
    dist = lambda y: (y[p[:, 1]] - y[p[:, 0]]).norm(dim=-1)  # noqa: E731
    y = restore_distances(x, p, target, share, degree, sweeps=20)
    assert (dist(y) - target).abs().mean() < 0.3 * (dist(x) - target).abs().mean()
    # One C-H bond: the correction is shared in inverse proportion to the masses.
    one = torch.tensor([[0, 3]])
    k = pairs.tolist().index([0, 3])
    y = restore_distances(x, one, torch.tensor([0.2], dtype=x.dtype), share[k : k + 1], torch.bincount(one[0], minlength=9))
    moved = (y - x).norm(dim=-1)
    assert moved[3] / moved[0] == pytest.approx(12.011 / 1.008, rel=1e-3)


def test_body_frame_prior_is_rotation_and_translation_equivariant():
    """The whole-molecule prior works in a frame aligned to a reference (proper rotations only)."""
    model = randomised_model(body_history=3).double()
    ctx = torch.as_tensor(random_context())[None]
    plain = randomised_model().double()
    out = model(ctx)["forecast"]
    assert (out - plain(ctx)["forecast"]).abs().max() > 1e-3, "the body prior must contribute"
    for seed in (5, 6):
        rot = torch.as_tensor(random_rotation(seed))
        shift = torch.tensor([0.3, 0.2, -0.1], dtype=torch.float64)
        out_rt = model(ctx @ rot.T + shift)["forecast"]
        assert torch.allclose(out_rt, out @ rot.T + shift, atol=1e-10)


def oscillating_windows(rng, n_windows, n_frames, rotate=True):
    """A 9-atom 'molecule' vibrating in three internal modes (random amplitude and phase), each window
    in a random orientation and position. Its frames are linear in the modes' state, so a linear
    forecaster in the body frame can predict them; per-atom histories of a few frames cannot."""
    base = random_context(seed=11)[-1] * 2
    base -= base.mean(axis=0)
    modes = np.random.default_rng(12).normal(size=(3, 9, 3))
    modes -= modes.mean(axis=1, keepdims=True)
    freq = np.array([0.9, 1.7, 2.9])  # radians per frame
    out = []
    for _ in range(n_windows):
        amp, phase = rng.uniform(0.005, 0.02, 3), rng.uniform(0, 2 * np.pi, 3)
        t = np.arange(n_frames)[:, None]
        q = amp * np.cos(freq * t + phase)  # [T, 3]
        x = base + np.einsum("tk,kni->tni", q, modes)
        rot = random_rotation(int(rng.integers(1 << 30))) if rotate else np.eye(3)
        out.append(x @ rot.T + rng.normal(size=3))
    return np.stack(out)


def test_body_frame_prior_captures_collective_vibrations():
    rng = np.random.default_rng(4)
    kw = dict(context_frames=8, horizon=6, frame_interval=0.005, d_model=32, history=2, anchors=2, rigid_lags=1)
    with_body = AsteroidModel(ETHANOL_Z, body_history=2, **kw)
    own_only = AsteroidModel(ETHANOL_Z, **kw)
    n_frames = 8 + with_body.n_delays
    train = torch.as_tensor(oscillating_windows(rng, 400, n_frames))
    with_body.fit_linear_priors([train[:200], train[200:]])  # chunked accumulation
    own_only.fit_linear_priors(train)
    test = oscillating_windows(rng, 20, 8 + 6)
    err = {name: np.mean([np.abs(m.forecast(w[:8]) - w[8:]).mean() for w in test])
           for name, m in (("body", with_body), ("own", own_only))}
    motion = np.abs(test[:, 8:] - test[:, 7:8]).mean()
    assert err["body"] < 0.05 * motion, (err, motion)
    assert err["own"] > 0.3 * motion, (err, motion)  # the task really needs the collective prior


def test_linear_prior_model_reproduces_the_fitted_starting_point():
    rng = np.random.default_rng(8)
    model = AsteroidModel(ETHANOL_Z, context_frames=8, horizon=6, frame_interval=0.005, d_model=32, history=3,
                          anchors=2, body_history=2)
    model.fit_linear_priors(torch.as_tensor(oscillating_windows(rng, 100, 8 + model.n_delays)))
    state = model.linear_prior_state()
    ctx = random_context()
    start = model.forecast(ctx)
    with torch.no_grad():  # "training" moves the priors and the network
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    assert np.abs(model.forecast(ctx) - start).max() > 1e-3
    np.testing.assert_allclose(model.linear_prior_model(state).forecast(ctx), start, atol=1e-6)


def test_hankel_views_pick_the_anti_diagonals():
    b, m, h, n = 2, 3, 5, 4
    l = sti.delay_length(h, m)
    # Entry (anchor m, delay l) predicts absolute frame T - m + l + 1; encode that frame number.
    frame = (-torch.arange(m)[:, None] + torch.arange(l)[None, :] + 1).float()  # relative to T
    pred = frame[None, :, :, None, None].expand(b, m, l, n, 3).clone()
    views = sti.gather_forecast_views(pred, h)
    expected = torch.arange(1, h + 1).float()[None, None, :, None, None].expand(b, m, h, n, 3)
    assert torch.equal(views, expected)
    # Consistent views: zero spread; forecast equals any view.
    f, s = sti.combine_views(views)
    assert torch.equal(f, expected[:, 0]) and torch.all(s == 0)
    # Two anchors disagreeing by +-d on every coordinate: spread = sqrt(3) d.
    v = torch.zeros(1, 2, 1, 3, 3)
    v[:, 0] += 0.1
    v[:, 1] -= 0.1
    f, s = sti.combine_views(v)
    assert torch.allclose(f, torch.zeros_like(f)) and torch.allclose(s, torch.tensor([[0.1 * 3**0.5]]))
    with pytest.raises(ValueError, match="delay length"):
        sti.gather_forecast_views(pred[:, :, :-1], h)


def test_spread_is_zero_with_one_anchor_and_reported_per_frame():
    model = randomised_model(anchors=1)
    _, spread = model.forecast_with_uncertainty(random_context())
    assert spread.shape == (6,) and np.all(spread == 0)
    _, spread = randomised_model(anchors=3).forecast_with_uncertainty(random_context())
    assert spread.shape == (6,) and np.all(spread > 0)


def test_linear_priors_fit_ballistic_motion_exactly():
    """Windows of molecules drifting at constant velocity (a different one per window): the least-squares
    linear prior must reproduce ballistic extrapolation, and a fresh model then forecasts it exactly."""
    rng = np.random.default_rng(3)
    model = AsteroidModel(ETHANOL_Z, context_frames=8, horizon=6, frame_interval=0.005, d_model=32, history=3,
                          anchors=2, rigid_lags=2)
    n_frames = 8 + model.n_delays
    base = rng.normal(scale=0.15, size=(64, 1, 9, 3))
    velocity = rng.normal(scale=0.01, size=(64, 1, 1, 3))
    windows = base + velocity * np.arange(n_frames)[None, :, None, None]
    model.fit_linear_priors(torch.as_tensor(windows))
    ctx = windows[5, :8]
    expected = ctx[-1] + velocity[5, 0] * np.arange(1, 7)[:, None, None]
    np.testing.assert_allclose(model.forecast(ctx), expected, atol=1e-5)
    assert np.abs(expected - ctx[-1]).max() > 0.01  # the motion is large compared with the tolerance


def test_forecast_api_shapes_rollout_and_batched_variant():
    model = randomised_model()
    ctx = random_context()
    assert model.forecast(ctx).shape == (6, 9, 3)
    frames, spread = model.rollout(ctx, 3)
    assert frames.shape == (18, 9, 3) and spread.shape == (18,)
    # The first block of a rollout is the plain forecast; the second is a forecast of its output.
    np.testing.assert_allclose(frames[:6], model.forecast(ctx), atol=1e-6)
    second = model.forecast(np.concatenate([ctx, frames[:6]])[-8:])
    np.testing.assert_allclose(frames[6:12], second, atol=1e-6)
    batch = torch.as_tensor(np.stack([ctx, ctx + 0.5]), dtype=torch.float32)
    f, s = model.forecast_torch(batch)
    assert f.shape == (2, 6, 9, 3) and s.shape == (2, 6) and f.device == model.device
    np.testing.assert_allclose(f[1].numpy() - 0.5, f[0].numpy(), atol=1e-5)


def test_forecast_windows_scores_single_and_chained_forecasts_of_many_windows():
    from asteroid_openmm.evaluation.evaluate import forecast_windows

    model = randomised_model()
    contexts = np.stack([random_context(), random_context(seed=3) + 3.0, random_context(seed=4)])
    frames, spread, seconds = forecast_windows(model, contexts, batch_size=2, rollouts=2)
    assert frames.shape == (3, 12, 9, 3) and spread.shape == (3, 12) and seconds > 0
    for ctx, f in zip(contexts, frames):
        np.testing.assert_allclose(f, model.rollout(ctx, 2)[0], atol=1e-4)
    single, _, _ = forecast_windows(model, contexts)
    np.testing.assert_allclose(single, frames[:, :6], atol=1e-5)


def test_rollout_stops_chaining_when_the_sti_spread_is_too_large():
    model = randomised_model()
    ctx = random_context()
    # Two forecasts: an untrained model's third one runs off to hundreds of nm.
    frames, spread = model.rollout(ctx, 2)
    assert frames.shape == (12, 9, 3) and spread[5] > 0
    # A threshold below the first forecast's last-frame spread stops the chain after it ...
    short, short_spread = model.rollout(ctx, 2, max_spread=float(spread[5]) * 0.5)
    assert short.shape == (6, 9, 3) and short_spread.shape == (6,)
    np.testing.assert_allclose(short, frames[:6], atol=1e-5)
    # ... one above every spread chains both.
    full, _ = model.rollout(ctx, 2, max_spread=float(spread.max()) * 2)
    np.testing.assert_allclose(full, frames, atol=1e-5)
    # The batched device variant gives the same frames for every batch member.
    batch = torch.as_tensor(np.stack([ctx, ctx + 0.5]), dtype=torch.float32)
    f, s = model.rollout_torch(batch, 2)
    assert f.shape == (2, 12, 9, 3) and s.shape == (2, 12) and f.device == model.device
    np.testing.assert_allclose(f[1].numpy() - 0.5, f[0].numpy(), atol=1e-4)
    with pytest.raises(ValueError, match="n_forecasts"):
        model.rollout(ctx, 0)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (run on a GPU machine)")
def test_cuda_forecast_matches_cpu(tmp_path):
    model = randomised_model(body_history=2)  # every read-out path, the body-frame SVD included
    path = tmp_path / "m.pt"
    save_model(model, path)
    cpu, gpu = load_model(path, device="cpu"), load_model(path, device="auto")
    assert gpu.device.type == "cuda"  # "auto" picks the GPU when there is one
    ctx = random_context()
    a, sa = cpu.rollout(ctx, 2)
    b, sb = gpu.rollout(ctx, 2)
    np.testing.assert_allclose(b, a, atol=1e-4)
    np.testing.assert_allclose(sb, sa, atol=1e-4)
    f, _ = gpu.rollout_torch(torch.as_tensor(ctx, dtype=torch.float32)[None], 2)
    assert f.device.type == "cuda"
    # Mirror averaging (the mirrored context rides in the same batch) agrees across devices too.
    swap = np.array([0, 1, 2, 3, 5, 4, 7, 6, 8])
    a, sa = cpu.rollout(ctx, 2, mirror=swap)
    b, sb = gpu.rollout(ctx, 2, mirror=swap)
    np.testing.assert_allclose(b, a, atol=1e-4)
    np.testing.assert_allclose(sb, sa, atol=1e-4)


def test_bad_inputs_give_clear_errors():
    model = randomised_model()
    ctx = random_context()
    with pytest.raises(ValueError, match=r"needs \(8, 9, 3\)"):
        model.forecast(ctx[:5])
    with pytest.raises(ValueError, match=r"needs \(8, 9, 3\)"):
        model.forecast(ctx[:, :7])
    bad = ctx.copy()
    bad[3, 2, 1] = np.nan
    with pytest.raises(ValueError, match=r"context frames \[3\] contain NaN"):
        model.forecast(bad)
    with pytest.raises(ValueError, match="has 8 atoms but the model was trained for 9"):
        model.check_compatible(ETHANOL_Z[:8])
    with pytest.raises(ValueError, match="element mismatch at atom 2"):
        model.check_compatible([6, 6, 6, 1, 1, 1, 1, 1, 1])
    with pytest.raises(ValueError, match="frame interval 0.01 ps does not match"):
        model.check_compatible(frame_interval_ps=0.01)
    model.check_compatible(ETHANOL_Z, 0.005)  # matching: no error
    with pytest.raises(ValueError, match="context_frames"):
        AsteroidModel(ETHANOL_Z, context_frames=3, anchors=4)


def test_model_file_round_trip(tmp_path):
    model = randomised_model(anchors=2, body_history=2)
    path = save_model(model, tmp_path / "m.pt", provenance=dict(seed=3), extra=dict(note="x"))
    loaded = load_model(path, device="cpu")
    ctx = random_context()
    np.testing.assert_array_equal(loaded.forecast(ctx), model.forecast(ctx))
    assert loaded.context_frames == 8 and loaded.horizon == 6 and loaded.frame_interval == 0.005
    np.testing.assert_array_equal(loaded.atomic_numbers, ETHANOL_Z)
    assert loaded.provenance == dict(seed=3) and loaded.extra == dict(note="x")
    assert not loaded.training


def test_stochastic_model_samples_equivariant_futures_and_keeps_them_in_its_file(tmp_path):
    model = randomised_model(noise_dim=4)
    with torch.no_grad():
        model.noise_embed.weight.normal_(std=1.0)
    ctx = random_context()
    torch.manual_seed(5)
    a = model.forecast(ctx)
    b = model.forecast(ctx)
    torch.manual_seed(5)
    np.testing.assert_array_equal(model.forecast(ctx), a)  # reproducible under a seed
    assert np.abs(a - b).max() > 1e-4, "two draws must differ"
    # Equivariant in distribution, and sample by sample under the same latent draw.
    rot, shift = random_rotation(), np.array([0.3, 1.1, -2.0])
    torch.manual_seed(5)
    np.testing.assert_allclose(model.forecast(ctx @ rot.T + shift), a @ rot.T + shift, atol=2e-5)
    # noise_scale: 0 is the noise-free path whatever the draw; between, the sample moves towards it.
    model.noise_scale = 0.0
    torch.manual_seed(5)
    mean_path = model.forecast(ctx)
    np.testing.assert_array_equal(model.forecast(ctx), mean_path)
    model.noise_scale = 0.5
    torch.manual_seed(5)
    half = model.forecast(ctx)
    assert 0 < np.abs(half - mean_path).max() < np.abs(a - mean_path).max()
    model.noise_scale = 1.0
    path = save_model(model, tmp_path / "s.pt")
    loaded = load_model(path, device="cpu")
    assert loaded.noise_dim == 4 and loaded.noise_scale == 1.0
    torch.manual_seed(5)
    np.testing.assert_array_equal(loaded.forecast(ctx), a)
    # A deterministic model file fine-tuned into a stochastic one: the new
    # latent layer is the only weight that is not the file's.
    plain = save_model(randomised_model(), tmp_path / "d.pt")
    from asteroid_openmm.model.checkpoint import model_from_state, read_model_file

    grown = model_from_state(read_model_file(plain), noise_dim=3)
    assert grown.noise_dim == 3 and grown.noise_embed.weight.shape[1] == 3
    with torch.no_grad():
        grown.noise_embed.weight.zero_()
    np.testing.assert_allclose(grown.eval().forecast(ctx), load_model(plain, device="cpu").forecast(ctx), atol=1e-6)


def test_energy_score_prefers_samples_of_the_true_distribution_to_its_mean():
    from asteroid_openmm.training.losses import _energy_score

    gen = torch.Generator().manual_seed(0)
    truth = torch.randn(4000, 5, 3, generator=gen).repeat(2, 1, 1)
    msd = torch.ones(1, 1, 1)
    samples = torch.randn(8000, 5, 3, generator=gen)  # independent draws from the truth's distribution
    mean = torch.zeros(8000, 5, 3)
    too_wide = 2.0 * samples
    sampled, averaged, wide = (float(_energy_score(x, truth, msd)) for x in (samples, mean, too_wide))
    # Expected: sqrt(2) c / 2 for the right distribution, c for its mean, with c = E|N(0, I_3)| / sqrt(3).
    c = 2 * np.sqrt(2 / np.pi) / np.sqrt(3)
    assert sampled == pytest.approx(np.sqrt(2) * c / 2, rel=0.03)
    assert averaged == pytest.approx(c, rel=0.03)
    assert sampled < wide and sampled < averaged


class _Payload:
    """Any class: unpickling it would run arbitrary code paths."""


def test_model_files_are_loaded_safely(tmp_path):
    model = randomised_model()
    good = save_model(model, tmp_path / "good.pt")
    # A file that needs unpickling of an arbitrary object is refused, not executed.
    evil = tmp_path / "evil.pt"
    torch.save({"format": "asteroid-openmm-model", "payload": _Payload()}, evil)
    with pytest.raises(ValueError, match="refused for safety|not a readable"):
        load_model(evil)
    # Truncated file.
    data = good.read_bytes()
    cut = tmp_path / "cut.pt"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated, corrupt"):
        load_model(cut)
    # A valid torch file that is not a model.
    other = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(3)}, other)
    with pytest.raises(ValueError, match="missing format marker"):
        load_model(other)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model(tmp_path / "missing.pt")
    with pytest.raises(FileNotFoundError, match="neither a model file nor a built-in model name"):
        load_model("no-such-system")
    assert zipfile.is_zipfile(good)  # torch's zip format: data, not a pickle stream of objects
    with pytest.raises(pickle.UnpicklingError):
        torch.load(io.BytesIO(evil.read_bytes()), weights_only=True)


def test_model_runs_on_hundreds_of_atoms():
    """Local-global attention with K neighbours and G global tokens: no N x N attention."""
    z = [6, 1] * 200
    model = AsteroidModel(z, context_frames=6, horizon=4, frame_interval=0.005, d_model=16, neighbours=8,
                          global_tokens=2, anchors=2, history=2)
    rng = np.random.default_rng(0)
    base = rng.uniform(0, 3.0, size=(len(z), 3))
    ctx = base + np.cumsum(rng.normal(scale=0.003, size=(6, len(z), 3)), axis=0)
    f = model.forecast(ctx)
    assert f.shape == (4, len(z), 3) and np.all(np.isfinite(f))
