"""Thermal fast modes: forecast frames get the bond/angle distances of real MD frames.

Real frames: alanine dipeptide (amber14, no constraints so every bond
vibrates) run with Langevin dynamics on the Reference platform.
"""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_openmm.evaluation.metrics import dihedrals
from asteroid_openmm.integrator.fast_modes import FastModeResampler


@pytest.fixture(scope="module")
def md_frames(openmm):
    """(frames [60, N, 3] nm every 10 fs, masses, bonds) of unconstrained alanine dipeptide at 300 K."""
    from openmm import app, unit

    from asteroid_openmm.systems import get_system

    ala = get_system("alanine-dipeptide")
    system = app.ForceField("amber14-all.xml").createSystem(ala.topology, nonbondedMethod=app.NoCutoff,
                                                             constraints=None)
    integ = openmm.LangevinMiddleIntegrator(300 * unit.kelvin, 5 / unit.picosecond, 0.001 * unit.picoseconds)
    integ.setRandomNumberSeed(3)
    ctx = openmm.Context(system, integ, openmm.Platform.getPlatformByName("Reference"))
    ctx.setPositions(ala.positions)
    ctx.setVelocitiesToTemperature(300 * unit.kelvin, 3)
    integ.step(500)
    frames = []
    for _ in range(60):
        integ.step(10)
        frames.append(ctx.getState(getPositions=True).getPositions(asNumpy=True).value_in_unit(unit.nanometer))
    masses = np.array([system.getParticleMass(i).value_in_unit(unit.dalton) for i in range(system.getNumParticles())])
    bonds = np.array([[b[0].index, b[1].index] for b in ala.topology.bonds()])
    return np.array(frames, np.float64), masses, bonds


def _smoothed(frames, k=8):
    """A 'forecast' with near-mean fast modes: running means of real frames (bonds and angles too cold)."""
    return np.stack([frames[i : i + k].mean(0) for i in range(len(frames) - k)])


def test_distances_are_set_to_those_of_the_donors(md_frames):
    frames, masses, bonds = md_frames
    fm = FastModeResampler(bonds, masses)
    forecast, donors = _smoothed(frames[30:]), frames[:30]
    rng = np.random.default_rng(0)
    pick = np.random.default_rng(0).integers(len(donors), size=len(forecast))
    out = fm(forecast, donors, rng)
    assert out.shape == forecast.shape and np.all(np.isfinite(out))
    target = fm.distances(donors)[pick]
    err = np.abs(fm.distances(out) - target)
    spread = fm.distances(frames).std(axis=0)  # thermal fluctuation of each 1-2/1-3 distance
    assert err.mean() < 0.05 * spread.mean() and err.max() < 0.5 * spread.max()
    # Before: the forecast's bond lengths were far from the donors' (too narrow a distribution).
    assert np.abs(fm.distances(forecast) - target).mean() > 10 * err.mean()
    # The spread of the resampled distances is the real one, not the forecast's.
    assert fm.distances(out).std(axis=0).mean() == pytest.approx(fm.distances(donors).std(axis=0).mean(), rel=0.2)
    assert fm.distances(forecast).std(axis=0).mean() < 0.7 * fm.distances(donors).std(axis=0).mean()


def test_conformation_is_kept(md_frames):
    """Only fast modes change: heavy-atom torsions and the overall shape stay the forecast's."""
    frames, masses, bonds = md_frames
    fm = FastModeResampler(bonds, masses)
    forecast = _smoothed(frames[30:])
    out = fm(forecast, frames[:30], np.random.default_rng(1))
    phi_psi = np.array([[4, 6, 8, 14], [6, 8, 14, 16]])  # C-N-CA-C, N-CA-C-N
    change = np.abs((dihedrals(out, phi_psi) - dihedrals(forecast, phi_psi) + 180) % 360 - 180)
    real = dihedrals(frames, phi_psi)
    thermal = np.abs((real - real.mean(0) + 180) % 360 - 180).mean()
    print(f"phi/psi change: mean {change.mean():.2f}, max {change.max():.2f}; thermal {thermal:.2f} degrees")
    assert change.mean() < 0.5 * thermal
    heavy = masses > 2
    assert np.sqrt(((out - forecast)[:, heavy] ** 2).sum(-1).mean()) < 0.01  # nm


def test_equivariance_and_masses(md_frames):
    frames, masses, bonds = md_frames
    fm = FastModeResampler(bonds, masses)
    forecast, donors = _smoothed(frames[30:]), frames[:30]
    q, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(3, 3)))
    q *= np.sign(np.linalg.det(q))
    shift = np.array([1.0, -2.0, 0.5])
    out = fm(forecast, donors, np.random.default_rng(4))
    # Donors move rigidly elsewhere too: only their distances matter.
    out_rot = fm(forecast @ q.T + shift, donors @ q + 3.0, np.random.default_rng(4))
    np.testing.assert_allclose(out_rot, out @ q.T + shift, atol=1e-9)
    # Hydrogens take most of each correction.
    moved = np.linalg.norm(out - forecast, axis=-1).mean(0)
    assert moved[masses < 2].mean() > 1.5 * moved[masses > 2].mean()


def test_virtual_sites_and_empty_inputs(md_frames):
    frames, masses, bonds = md_frames
    massless = masses.copy()
    massless[0] = 0.0  # pretend atom 0 is a virtual site: its pairs are left out
    fm = FastModeResampler(bonds, massless)
    assert not np.any(fm.pairs == 0)
    out = fm(frames[30:35], frames[:5], np.random.default_rng(0))
    np.testing.assert_array_equal(out[:, 0], frames[30:35, 0])
    none = FastModeResampler(np.zeros((0, 2), np.int64), masses)
    np.testing.assert_array_equal(none(frames[:3], frames[3:6], np.random.default_rng(0)), frames[:3])
    np.testing.assert_array_equal(fm(frames[:3], frames[:0], np.random.default_rng(0)), frames[:3])
