"""Thermal librations of symmetric terminal rotors: which groups, their phase, and the rigid turn that sets it."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_openmm.evaluation.metrics import bond_lengths, dihedrals
from asteroid_openmm.integrator.rotor_librations import RotorLibrations, symmetric_terminal_rotors
from asteroid_openmm.model.geometry_restore import restoration_pairs
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import infer_bonds


@pytest.fixture(scope="module")
def ethanol():
    sysdef = get_system("ethanol")
    x = np.asarray(sysdef.positions_nm(), np.float64)
    return x, infer_bonds(x, sysdef.atomic_numbers), np.asarray(sysdef.atomic_numbers)


def _twisted(x, n, seed=0, noise=0.002):
    """n copies of x with random rigid turns of the methyl H's about the C-C axis and a little noise (nm)."""
    from asteroid_openmm.integrator.rotor_librations import _turn_about_axis

    rng = np.random.default_rng(seed)
    frames = np.repeat(x[None], n, axis=0) + rng.normal(0, noise, (n, *x.shape))
    frames[:, [3, 4, 5]] = _turn_about_axis(frames[:, [3, 4, 5]], frames[:, 1], frames[:, 0],
                                            rng.uniform(-np.pi, np.pi, n))
    return frames


def test_methyl_groups_are_found_and_other_groups_are_not(ethanol):
    x, bonds, z = ethanol
    rotors = symmetric_terminal_rotors(bonds, z)
    assert len(rotors) == 1
    a, b, c, terminal = rotors[0]
    assert (a, b, c) == (0, 1, 2) and terminal.tolist() == [3, 4, 5]  # CH3 on CH2, phase against the O
    ala = get_system("alanine-dipeptide")
    ala_bonds = np.array([[bd[0].index, bd[1].index] for bd in ala.topology.bonds()])
    assert len(symmetric_terminal_rotors(ala_bonds, ala.atomic_numbers)) == 3  # ACE, ALA and NME methyls
    # Aspirin: one methyl; the carboxylic acid (C=O and O-H) is not symmetric.
    asp = get_system("aspirin")
    asp_rotors = symmetric_terminal_rotors(infer_bonds(asp.positions_nm(), asp.atomic_numbers), asp.atomic_numbers)
    assert len(asp_rotors) == 1 and all(int(np.asarray(asp.atomic_numbers)[t]) == 1 for t in asp_rotors[0][3])
    # Methane: no other atom to turn against.
    methane = np.array([[0, 0, 0], [0.063, 0.063, 0.063], [-0.063, -0.063, 0.063], [-0.063, 0.063, -0.063],
                        [0.063, -0.063, -0.063]])
    assert symmetric_terminal_rotors(infer_bonds(methane, [6, 1, 1, 1, 1]), [6, 1, 1, 1, 1]) == []


def test_phase_is_periodic_and_blind_to_the_labels_of_equivalent_atoms(ethanol):
    x, bonds, z = ethanol
    rl = RotorLibrations(bonds, z)
    frames = _twisted(x, 20)
    phases = rl.phases(frames)
    assert phases.shape == (20, 1) and np.all((phases >= 0) & (phases < 120))
    swapped = frames.copy()
    swapped[:, [3, 4, 5]] = frames[:, [5, 3, 4]]
    np.testing.assert_allclose(rl.phases(swapped), phases, atol=1e-9)
    # A rigid turn of the methyl changes its phase and each H-C-C-O dihedral alike.
    rigid = _twisted(x, 20, noise=0.0)
    t = dihedrals(rigid, np.array([[3, 0, 1, 2]]))[:, 0] - dihedrals(x[None], np.array([[3, 0, 1, 2]]))[0, 0]
    change = rl.phases(rigid)[:, 0] - rl.phases(x[None])[0, 0]
    np.testing.assert_allclose((change - t + 60) % 120 - 60, 0, atol=1e-9)


def test_set_phases_turns_rigidly_by_the_least_angle(ethanol):
    x, bonds, z = ethanol
    rl = RotorLibrations(bonds, z)
    frames = _twisted(x, 30, seed=1)
    targets = np.random.default_rng(2).uniform(0, 120, (30, 1))
    out = rl.set_phases(frames, targets)
    np.testing.assert_allclose((rl.phases(out) - targets + 60) % 120 - 60, 0, atol=1e-9)
    pairs = restoration_pairs(bonds)[0]
    np.testing.assert_allclose(bond_lengths(out, pairs), bond_lengths(frames, pairs), atol=1e-12)
    np.testing.assert_array_equal(out[:, [0, 1, 2, 6, 7, 8]], frames[:, [0, 1, 2, 6, 7, 8]])
    turned = dihedrals(out, np.array([[3, 0, 1, 2]])) - dihedrals(frames, np.array([[3, 0, 1, 2]]))
    assert np.abs((turned + 180) % 360 - 180).max() <= 60 + 1e-6


def test_draws_take_every_rotor_of_a_frame_from_one_donor(ethanol):
    x, bonds, z = ethanol
    rl = RotorLibrations(bonds, z)
    donors, forecast = _twisted(x, 7, seed=3), _twisted(x, 50, seed=4)
    out = rl(forecast, donors, np.random.default_rng(0))
    gap = np.abs((rl.phases(out)[:, None, :] - rl.phases(donors)[None] + 60) % 120 - 60).max(axis=2).min(axis=1)
    assert gap.max() < 1e-9
    # No rotors or no donors: frames come back unchanged (as a copy).
    np.testing.assert_array_equal(rl(forecast, donors[:0], np.random.default_rng(0)), forecast)


def test_metropolis_samples_the_boltzmann_distribution_of_the_phase(ethanol):
    """With a threefold cosine potential in the phase, Metropolis phases follow exp(-U / kT)."""
    x, bonds, z = ethanol
    rl = RotorLibrations(bonds, z)
    kT, barrier = 2.5, 6.0  # kJ/mol

    def energy(frame):
        return 0.5 * barrier * (1 - np.cos(np.radians(3 * rl.phases(frame[None])[0, 0])))

    rng = np.random.default_rng(0)
    frame, u, samples, accepted = x.copy(), None, [], 0
    for _ in range(3000):
        frame, u, n, _ = rl.metropolis(frame, energy, kT, 1, rng, current_energy=u)
        accepted += n
        samples.append(rl.phases(frame[None])[0, 0])
    assert u == pytest.approx(energy(frame))
    assert 0.2 < accepted / 3000 < 0.95
    edges = np.linspace(0, 120, 13)
    centres = 0.5 * (edges[1:] + edges[:-1])
    expected = np.exp(-0.5 * barrier * (1 - np.cos(np.radians(3 * centres))) / kT)
    expected /= expected.sum()
    observed = np.histogram(samples[500:], edges)[0] / len(samples[500:])
    assert np.abs(observed - expected).max() < 0.03, (observed.round(3), expected.round(3))
    # A rigid turn: the bonds and angles of the frame are those it started with.
    pairs = restoration_pairs(bonds)[0]
    np.testing.assert_allclose(bond_lengths(frame, pairs), bond_lengths(x, pairs), atol=1e-9)
    # An energy that is not finite is never accepted.
    same, _, n, _ = rl.metropolis(x, lambda f: np.nan if not np.allclose(f, x) else 0.0, kT, 5, rng)
    assert n == 0 and np.array_equal(same, x)


def test_turns_between_recovers_a_turn_of_the_labelled_atoms_beyond_the_period(ethanol):
    """turns_between measures the turn of the labelled atoms (any angle up to 180 degrees), not the phase change
    modulo the period: apply_turns with it takes the first frame's group onto the second's."""
    from asteroid_openmm.integrator.rotor_librations import apply_turns

    x, bonds, z = ethanol
    rotors = RotorLibrations(bonds, z)
    for degrees in (-170.0, -100.0, -3.0, 0.0, 25.0, 119.0, 150.0):
        after = apply_turns(x[None], rotors.turns, [np.radians(degrees)])[0]
        turn = rotors.turns_between(x, after)
        assert np.degrees(turn[0]) == pytest.approx(degrees, abs=1e-6)
        np.testing.assert_allclose(apply_turns(x[None], rotors.turns, turn)[0], after, atol=1e-9)
    # A 120-degree turn leaves the phase where it was but moves every hydrogen by 0.18 nm: it is still measured.
    after = apply_turns(x[None], rotors.turns, [np.radians(120.0)])[0]
    assert rotors.phases(after[None])[0, 0] == pytest.approx(rotors.phases(x[None])[0, 0], abs=1e-6)
    assert np.degrees(rotors.turns_between(x, after)[0]) == pytest.approx(120.0, abs=1e-6)
