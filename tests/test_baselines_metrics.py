"""Baseline forecasters and forecast-quality metrics on hand-made data with known answers."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from asteroid_openmm.evaluation.baselines import LinearAR, linear_extrapolation, persistence
from asteroid_openmm.evaluation.metrics import (
    angle_errors,
    angles,
    bond_length_errors,
    bond_lengths,
    dihedrals,
    internal_coordinate_js,
    js_divergence,
    position_mae,
    rmsd,
    thermal_fluctuation,
)
from asteroid_openmm.trajectories import TrajectoryData, WindowDataset

RNG = np.random.default_rng(1234)


# ------------------------------------------------------------------ baselines
def test_persistence_repeats_last_frame():
    ctx = RNG.standard_normal((4, 6, 5, 3)).astype(np.float32)
    out = persistence(ctx, 3)
    assert out.shape == (4, 3, 5, 3) and out.dtype == np.float32
    for k in range(3):
        np.testing.assert_array_equal(out[:, k], ctx[:, -1])


def test_linear_extrapolation_exact_on_linear_motion():
    x0 = RNG.standard_normal((2, 1, 5, 3))
    v = RNG.standard_normal((2, 1, 5, 3))
    t = np.arange(10.0)[None, :, None, None]
    traj = x0 + v * t  # [2, 10, 5, 3], uniform velocity
    pred = linear_extrapolation(traj[:, :6], 4)
    np.testing.assert_allclose(pred, traj[:, 6:], rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="at least 2 context frames"):
        linear_extrapolation(traj[:, :1], 2)


def _ar2_trajectory(a, n_frames=4000, n_atoms=10, noise=1e-3, seed=0):
    """Positions whose displacements follow d[t+1] = a1 d[t] + a2 d[t-1] + noise (nm)."""
    rng = np.random.default_rng(seed)
    d = np.zeros((n_frames - 1, n_atoms, 3))
    d[:2] = noise * rng.standard_normal((2, n_atoms, 3))
    eps = noise * rng.standard_normal(d.shape)
    for t in range(2, len(d)):
        d[t] = a[0] * d[t - 1] + a[1] * d[t - 2] + eps[t]
    x0 = rng.standard_normal((1, n_atoms, 3))
    return np.concatenate([x0, x0 + np.cumsum(d, axis=0)], axis=0)


def test_linear_ar_recovers_ar2_coefficients():
    a_true = (1.6, -0.8)  # a damped oscillation, like a bond vibration
    pos = _ar2_trajectory(a_true)
    model = LinearAR.fit(pos, order=2)
    np.testing.assert_allclose(model.coefficients, a_true, atol=0.02)
    # an order-4 fit puts ~0 weight on the extra lags
    model4 = LinearAR.fit(pos, order=4)
    np.testing.assert_allclose(model4.coefficients, list(a_true) + [0, 0], atol=0.05)


def test_linear_ar_from_window_dataset_and_order_default():
    pos = _ar2_trajectory((1.6, -0.8), n_frames=1500, n_atoms=4)
    traj = TrajectoryData(pos, np.full(4, 18), frame_interval=0.002)
    ds = WindowDataset(traj, context_frames=5, target_frames=2, split="train")
    model = LinearAR.fit(ds)
    assert model.order == 4 and model.frame_interval == 0.002  # order defaults to W - 1
    with pytest.raises(ValueError, match="order <= 4"):
        LinearAR.fit(ds, order=5)
    with pytest.raises(ValueError, match="context_frames"):
        LinearAR.fit(pos)


def test_linear_ar_translation_equivariant_and_iterative():
    model = LinearAR([1.5, -0.7, 0.1])
    ctx = RNG.standard_normal((3, 6, 4, 3))
    shift = np.array([1.7, -3.2, 0.4])
    np.testing.assert_allclose(model.predict(ctx + shift, 5), model.predict(ctx, 5) + shift, atol=1e-12)
    # step 2 equals one step from the context extended by step 1
    p1 = model.predict(ctx, 1)
    p2 = model.predict(ctx, 2)
    np.testing.assert_allclose(model.predict(np.concatenate([ctx, p1], axis=1), 1), p2[:, 1:], atol=1e-12)
    # AR(1) with a = 1 is constant velocity
    np.testing.assert_allclose(LinearAR([1.0]).predict(ctx, 4), linear_extrapolation(ctx, 4), atol=1e-12)
    with pytest.raises(ValueError, match="at least 4 context frames"):
        model.predict(ctx[:, :3], 1)


def test_linear_ar_dict_round_trip_is_json_safe():
    model = LinearAR([1.25, -0.5], frame_interval=0.005)
    d = json.loads(json.dumps(model.to_dict()))
    back = LinearAR.from_dict(d)
    np.testing.assert_array_equal(back.coefficients, model.coefficients)
    assert back.frame_interval == 0.005 and back.order == 2
    with pytest.raises(ValueError, match="LinearAR"):
        LinearAR.from_dict({"type": "Other"})


# -------------------------------------------------------------------- metrics
def test_position_mae_and_rmsd_known_values():
    true = RNG.standard_normal((5, 3, 4, 3))
    pred = true.copy()
    pred[:, 0, :, 0] += 0.3  # horizon 0: every atom off by 0.3 nm in x
    pred[:, 2, 0, :] += 0.2  # horizon 2: atom 0 off by 0.2 nm in x, y and z
    np.testing.assert_allclose(position_mae(pred, true), [0.1, 0.0, 0.2 * 3 / 12], atol=1e-12)
    np.testing.assert_allclose(rmsd(pred, true), [0.3, 0.0, math.sqrt(3 * 0.04 / 4)], atol=1e-12)
    with pytest.raises(ValueError, match="shape"):
        position_mae(pred[:, :2], true)


def test_internal_coordinates_on_hand_made_geometry():
    # right triangle 0.3-0.4-0.5 nm with the right angle at atom 1
    x = np.array([[0.3, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.4, 0.0]])
    np.testing.assert_allclose(bond_lengths(x, [[0, 1], [1, 2], [0, 2]]), [0.3, 0.4, 0.5])
    np.testing.assert_allclose(angles(x, [[0, 1, 2]]), [90.0])
    line = np.array([[0.0, 0, 0], [0.1, 0, 0], [0.2, 0, 0]])
    np.testing.assert_allclose(angles(line, [[0, 1, 2]]), [180.0])
    tri = np.array([[0.0, 0, 0], [1.0, 0, 0], [0.5, math.sqrt(3) / 2, 0]])
    np.testing.assert_allclose(angles(tri, [[0, 1, 2]]), [60.0])
    trans = np.array([[0.0, 1, 0], [0, 0, 0], [1, 0, 0], [1, -1, 0]])
    cis = np.array([[0.0, 1, 0], [0, 0, 0], [1, 0, 0], [1, 1, 0]])
    gauche = np.array([[0.0, 1, 0], [0, 0, 0], [1, 0, 0], [1, 0, 1]])
    q = [[0, 1, 2, 3]]
    np.testing.assert_allclose(np.abs(dihedrals(trans, q)), [180.0])
    np.testing.assert_allclose(dihedrals(cis, q), [0.0], atol=1e-12)
    np.testing.assert_allclose(np.abs(dihedrals(gauche, q)), [90.0])
    # batched leading axes
    assert bond_lengths(np.stack([x, x]), [[0, 1]]).shape == (2, 1)


def test_bond_and_angle_errors_median_p99():
    base = np.array([[0.3, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.4, 0.0]])
    true = np.broadcast_to(base, (4, 2, 3, 3)).copy()
    pred = true.copy()
    pred[:, 1, 0, 0] += 0.01  # horizon 1: bond 0-1 longer by 0.01 nm
    bonds = [[0, 1], [1, 2]]
    e = bond_length_errors(pred, true, bonds)
    np.testing.assert_allclose(e["median"], [0.0, 0.005], atol=1e-12)  # median of 0.01 x4 and 0 x4
    np.testing.assert_allclose(e["p99"], [0.0, 0.01], atol=1e-12)
    a = angle_errors(pred, true, [[0, 1, 2]])
    np.testing.assert_allclose(a["median"], [0.0, 0.0], atol=1e-9)  # stretching along a bond keeps the angle
    empty = bond_length_errors(pred, true, np.zeros((0, 2), int))
    assert np.all(np.isnan(empty["median"])) and empty["median"].shape == (2,)


def test_thermal_fluctuation_definition():
    # bond 0-1 alternates 0.09 / 0.11 nm (std 0.01); angle alternates 80 / 100 degrees (std 10)
    frames = []
    for t in range(10):
        r = 0.09 if t % 2 == 0 else 0.11
        th = math.radians(80 if t % 2 == 0 else 100)
        frames.append([[r, 0, 0], [0, 0, 0], [0.1 * math.cos(th), 0.1 * math.sin(th), 0]])
    fl = thermal_fluctuation(np.array(frames), [[0, 1], [1, 2]])
    np.testing.assert_allclose(fl["bond_std"], [0.01, 0.0], atol=1e-12)
    assert fl["bond_std_median"] == pytest.approx(0.005)
    assert fl["angle_std_median"] == pytest.approx(10.0)
    assert fl["mean_abs_step"] > 0


def test_js_divergence_limits():
    a = RNG.normal(size=5000)
    assert js_divergence(a, a) == 0.0
    assert js_divergence(a, a + 100.0) == pytest.approx(1.0)
    b = RNG.normal(loc=0.5, size=5000)
    mid = js_divergence(a, b)
    assert 0.0 < mid < 1.0 and mid == pytest.approx(js_divergence(b, a))
    assert js_divergence([1.0, 1.0], [1.0]) == 0.0
    with pytest.raises(ValueError, match="non-empty"):
        js_divergence([], [1.0])


def test_internal_coordinate_js():
    # H-O-O-H-like chain with fluctuating geometry; periodic dihedral bins
    n = 2000
    x = np.zeros((n, 4, 3))
    x[:, 1] = [0, 0, 0]
    x[:, 2] = [0.15, 0, 0]
    phi = RNG.uniform(-math.pi, math.pi, n)
    x[:, 0] = [0, 0.1, 0]
    x[:, 3] = np.stack([np.full(n, 0.15), 0.1 * np.cos(phi), 0.1 * np.sin(phi)], axis=1)
    x += 0.002 * RNG.standard_normal(x.shape)
    bonds = [[0, 1], [1, 2], [2, 3]]
    same = internal_coordinate_js(x, x, bonds)
    assert all(same[k] == 0.0 for k in ("bonds", "angles", "dihedrals", "bonds_mean", "dihedrals_mean"))
    # rigid other ensemble: dihedral fixed at 0 degrees -> large dihedral JS
    y = x.copy()
    y[:, 3] = [0.15, 0.1, 0.0]
    diff = internal_coordinate_js(x, y, bonds)
    assert diff["dihedrals"] > 0.8 and diff["bonds"] < diff["dihedrals"]
    none = internal_coordinate_js(x[:, :1], x[:, :1], np.zeros((0, 2), int))
    assert all(math.isnan(v) for v in none.values())
