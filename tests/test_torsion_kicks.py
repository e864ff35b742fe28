"""Torsion kicks: which bonds turn, that a kick keeps bonds and angles, and its thermal size."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from asteroid_openmm._openmm import import_openmm
from asteroid_openmm.evaluation.metrics import angles, bond_lengths, dihedrals
from asteroid_openmm.model.torsion_kicks import BOLTZMANN_KJ_PER_MOL_K, TorsionKicks, rotatable_bonds
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import angle_triplets, bonds_from_topology, infer_bonds


def molecule(name):
    """(bonds, masses in amu from the System, positions in nm) of a built-in system."""
    s = get_system(name)
    x = s.positions_nm()
    bonds = bonds_from_topology(s.topology)
    bonds = bonds if len(bonds) else infer_bonds(x, s.atomic_numbers)
    dalton = import_openmm().unit.dalton
    masses = np.array([s.system.getParticleMass(i).value_in_unit(dalton) for i in range(s.system.getNumParticles())])
    return bonds, masses, x


def test_rotatable_bonds_are_the_non_ring_bonds_between_non_terminal_atoms():
    bonds, m, _ = molecule("ethanol")  # C0 C1 O2, H3-5 on C0, H6-7 on C1, H8 on O2
    found = {(a, b): set(side.tolist()) for a, b, side in rotatable_bonds(bonds, len(m))}
    assert found == {(1, 0): {0, 3, 4, 5}, (1, 2): {2, 8}}  # the methyl and the hydroxyl turn
    bonds, m, _ = molecule("aspirin")
    ring = {tuple(sorted(b)) for b in bonds.tolist()}
    for a, b, side in rotatable_bonds(bonds, len(m)):
        assert 2 * len(side) <= len(m) and b in side and a not in side
        # Removing the bond separates the turning side from the rest: no bond crosses the cut.
        crossing = [e for e in ring if (e[0] in side) != (e[1] in side)]
        assert crossing == [tuple(sorted((a, b)))]


def test_a_kick_keeps_bonds_angles_and_the_last_frame_and_adds_a_uniform_turn():
    bonds, m, x = molecule("ethanol")
    kicks = TorsionKicks(bonds, m, x, 300.0, 0.005)
    rng = np.random.default_rng(0)
    frames = torch.tensor(x + 0.002 * rng.standard_normal((3, 10, *x.shape)))
    torch.manual_seed(0)
    kicked = kicks.kick_context(frames, 2.0).numpy()
    np.testing.assert_allclose(kicked[:, -1], frames.numpy()[:, -1], atol=1e-12)  # the context ends where it did
    before, after = frames.numpy().reshape(-1, *x.shape), kicked.reshape(-1, *x.shape)
    np.testing.assert_allclose(bond_lengths(after, bonds), bond_lengths(before, bonds), atol=1e-12)
    triplets = angle_triplets(bonds)
    np.testing.assert_allclose(angles(after, triplets), angles(before, triplets), atol=1e-9)
    # The hydroxyl H is turned about C1-O2 by -omega * (frames before the last): a uniform extra angular velocity.
    quad = np.array([[6, 1, 2, 8]])
    turn = ((dihedrals(after, quad) - dihedrals(before, quad))[:, 0] + 180.0) % 360.0 - 180.0  # degrees
    per_frame = turn.reshape(3, 10)[:, :-1] / -np.arange(9, 0, -1)
    np.testing.assert_allclose(per_frame, per_frame[:, :1].repeat(9, axis=1), atol=1e-6)
    assert np.all(np.abs(per_frame[:, 0]) > 0)
    assert kicks.kick_context(frames, 0.0) is frames


def test_kick_size_is_the_thermal_angular_velocity_times_the_scale():
    bonds, m, x = molecule("ethanol")
    tau, temperature = 0.005, 300.0
    kicks = TorsionKicks(bonds, m, x, temperature, tau)
    # By hand for the hydroxyl: one H at distance r from the C1-O2 axis.
    c1, o2, h8 = x[1], x[2], x[8]
    axis = (o2 - c1) / np.linalg.norm(o2 - c1)
    r = (h8 - c1) - ((h8 - c1) @ axis) * axis
    inertia = m[8] * float(r @ r)
    expected = np.sqrt(BOLTZMANN_KJ_PER_MOL_K * temperature / inertia) * tau
    assert kicks.thermal_step[1] == pytest.approx(expected, rel=1e-9)
    assert kicks.thermal_step[0] < kicks.thermal_step[1]  # the methyl is heavier than the hydroxyl H
    # Over many trajectories the per-frame turn has sd = scale x the thermal step.
    torch.manual_seed(1)
    frames = torch.tensor(np.broadcast_to(x, (4000, 2, *x.shape)).copy())
    kicked = kicks.kick_context(frames, 0.5).numpy()[:, 0]  # one frame interval before the last
    quad = np.array([[6, 1, 2, 8]])
    turn = np.radians((dihedrals(kicked, quad)[:, 0] - dihedrals(x[None], quad)[0, 0] + 180.0) % 360.0 - 180.0)
    assert np.std(turn) == pytest.approx(0.5 * expected, rel=0.05)


def test_bad_positions_shape_is_named():
    bonds, m, x = molecule("ethanol")
    with pytest.raises(ValueError, match=r"positions_nm must be \(9, 3\)"):
        TorsionKicks(bonds, m, x[:5], 300.0, 0.005)


def test_rollout_perturbs_the_context_of_chained_forecasts_only():
    from asteroid_openmm.model import load_model

    model = load_model("ethanol")
    bonds, m, x0 = molecule("ethanol")
    rng = np.random.default_rng(0)
    context = x0 + 0.003 * rng.standard_normal((model.context_frames, *x0.shape))
    seen = []

    def shift(ctx):
        seen.append(tuple(ctx.shape))
        return ctx + 0.01

    plain, _ = model.rollout(context, 3)
    shifted, _ = model.rollout(context, 3, context_perturb=shift)
    w, h = model.context_frames, model.horizon
    assert seen == [(1, w, 9, 3), (1, w, 9, 3)]  # the second and third forecasts' contexts, not the caller's
    np.testing.assert_allclose(shifted[:h], plain[:h], atol=1e-6)
    # The second forecast saw its (own-output) context moved by 0.01 nm and, translation-equivariant, moved with
    # it; the third saw that moved output moved once more.
    np.testing.assert_allclose(shifted[h : 2 * h], plain[h : 2 * h] + 0.01, atol=1e-4)
    np.testing.assert_allclose(shifted[2 * h :], plain[2 * h :] + 0.02, atol=1e-4)
