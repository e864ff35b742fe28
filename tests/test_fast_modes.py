"""Thermal fast modes: forecast frames get the bond/angle distances of real MD frames.

Real frames: alanine dipeptide (amber14, no constraints so every bond
vibrates) run with Langevin dynamics on the Reference platform; toluene
(ANI-1x, one network, CPU platform) for the out-of-plane modes of a planar ring.
"""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_openmm.evaluation.metrics import dihedrals
from asteroid_openmm.integrator.fast_modes import FastModeResampler, planar_ring_quads, signed_volumes


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


def test_smoothed_bootstrap_keeps_mean_and_spread_and_adds_diversity(md_frames):
    """A long jump draws many frames from few donors: h > 0 gives new, thermal, bond lengths and angles."""
    from asteroid_openmm.trajectories.bonds import angle_triplets

    frames, masses, bonds = md_frames
    fm = FastModeResampler(bonds, masses)
    donors = frames[:30]
    d = fm.distances(donors)
    plain = fm.draw_coordinates(donors, 3000, np.random.default_rng(5))
    assert len(np.unique(plain, axis=0)) <= len(donors)  # copies of the donors' distance vectors
    assert np.all(np.isin(plain[:, 0], d[:, 0]))
    smooth = fm.draw_coordinates(donors, 3000, np.random.default_rng(5), bandwidth=0.5)
    assert len(np.unique(smooth, axis=0)) == len(smooth)
    bond = np.array([k for k, p in enumerate(fm.pairs.tolist()) if p in np.sort(bonds, axis=1).tolist()])
    np.testing.assert_allclose(smooth[:, bond].mean(0), d[:, bond].mean(0), atol=0.15 * d[:, bond].std(0).max())
    np.testing.assert_allclose(smooth[:, bond].std(0), d[:, bond].std(0, ddof=1), rtol=0.15)

    # Angles (from the three distances of each triplet) keep their spread: the noise has the donors' covariance,
    # so a 1-3 distance moves with its two bonds (independent noise per distance would widen the angles).
    def angles_of(dist):
        index = {tuple(p): k for k, p in enumerate(fm.pairs.tolist())}
        tri = angle_triplets(bonds)
        cols = np.array([[index[tuple(sorted((a, c)))], index[tuple(sorted((c, b)))], index[tuple(sorted((a, b)))]]
                         for a, c, b in tri.tolist()])
        b1, b2, b3 = dist[:, cols[:, 0]], dist[:, cols[:, 1]], dist[:, cols[:, 2]]
        return np.degrees(np.arccos(np.clip((b1**2 + b2**2 - b3**2) / (2 * b1 * b2), -1, 1)))

    a_don, a_smooth = angles_of(d), angles_of(smooth)
    np.testing.assert_allclose(a_smooth.std(0), a_don.std(0, ddof=1), rtol=0.15)
    np.testing.assert_allclose(a_smooth.mean(0), a_don.mean(0), atol=0.15 * a_don.std(0).max())
    # Frames built from smoothed targets still hit them.
    forecast = _smoothed(frames[30:])
    out = fm(forecast, donors, np.random.default_rng(6), bandwidth=0.5)
    target = fm.draw_coordinates(donors, len(forecast), np.random.default_rng(6), bandwidth=0.5)
    assert np.abs(fm.distances(out) - target).mean() < 0.1 * d.std(0).mean()  # 10x below the thermal spread


def test_smoothing_noise_takes_the_covariance_of_a_longer_history(md_frames):
    """``covariance_sample``: the noise follows that sample's covariance; the donors still set the mean and picks."""
    frames, masses, bonds = md_frames
    fm = FastModeResampler(bonds, masses)
    donors, history = frames[:8], frames
    d, hist = fm.distances(donors), fm.distances(history)
    h = 1.0
    draw = fm.draw_coordinates(donors, 20000, np.random.default_rng(7), bandwidth=h, covariance_sample=hist)
    # Covariance of the draw: (donors' covariance (ddof 0) + h^2 x the history's) / (1 + h^2).
    expected = (np.cov(d.T, ddof=0) + h**2 * np.cov(hist.T)) / (1 + h**2)
    got = np.cov(draw.T)
    scale = np.sqrt(np.outer(np.diag(expected), np.diag(expected)))
    assert np.abs(got - expected).max() / scale.max() < 0.06
    np.testing.assert_allclose(draw.mean(0), d.mean(0), atol=0.05 * d.std(0).max())
    # Without it, the noise spans only the 8 donors' deviations: a different covariance.
    own = np.cov(fm.draw_coordinates(donors, 20000, np.random.default_rng(7), bandwidth=h).T)
    assert np.abs(own - expected).max() / scale.max() > 0.1
    # A history of fewer than two frames falls back to the donors.
    np.testing.assert_array_equal(
        fm.draw_coordinates(donors, 50, np.random.default_rng(8), bandwidth=h, covariance_sample=hist[:1]),
        fm.draw_coordinates(donors, 50, np.random.default_rng(8), bandwidth=h))


@pytest.fixture(scope="module")
def toluene_frames(openmm):
    """(frames [60, N, 3] nm every 5 fs, masses, bonds) of toluene (ANI-1x, one network) at 500 K."""
    from openmm import unit

    from asteroid_openmm.systems import get_system
    from asteroid_openmm.systems.ani import torch_threads
    from asteroid_openmm.trajectories.bonds import infer_bonds

    s = get_system("toluene", ani_model_index=0)
    integ = openmm.LangevinMiddleIntegrator(s.temperature, s.friction, s.timestep)
    integ.setRandomNumberSeed(4)
    ctx = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CPU"))
    ctx.setPositions(s.positions)
    ctx.setVelocitiesToTemperature(s.temperature, 4)
    frames = []
    with torch_threads(1):  # a tiny model: much faster on one thread
        integ.step(400)
        for _ in range(60):
            integ.step(10)
            frames.append(ctx.getState(getPositions=True).getPositions(asNumpy=True).value_in_unit(unit.nanometer))
    frames = np.array(frames, np.float64)
    masses = np.array([s.system.getParticleMass(i).value_in_unit(unit.dalton) for i in range(s.system.getNumParticles())])
    return frames, masses, infer_bonds(frames[0], s.atomic_numbers)


def test_planar_ring_quads_are_those_of_flat_rings_only(toluene_frames):
    import networkx as nx

    frames, _, bonds = toluene_frames
    quads = planar_ring_quads(bonds, frames[:1])
    ring = set(nx.cycle_basis(nx.Graph(bonds.tolist()))[0])
    # 6 ring bonds, each with 2 x 2 outer neighbours, less the 4 with the methyl carbon (a heavy substituent) as an
    # outer atom; every central bond is a ring bond, every outer atom a ring atom or a hydrogen.
    assert len(quads) == 20 and all({j, k} <= ring for j, k in quads[:, 1:3].tolist())
    degree = np.bincount(bonds.ravel())
    assert all(a in ring or degree[a] == 1 for a in quads[:, [0, 3]].ravel().tolist())
    # A chair (torsions near 60 degrees) is puckered: its torsions are conformation, left to the model.
    ang = np.radians(np.arange(6) * 60.0)
    chair = np.stack([0.1445 * np.cos(ang), 0.1445 * np.sin(ang), np.array([1, -1] * 3) * 0.025], axis=1)
    ring_bonds = np.array([[i, (i + 1) % 6] for i in range(6)])
    assert len(planar_ring_quads(ring_bonds, chair[None])) == 0
    flat = chair * [1.0, 1.0, 0.0]
    assert len(planar_ring_quads(ring_bonds, flat[None])) == 6
    assert planar_ring_quads(np.zeros((0, 2), np.int64), frames[:1]).shape == (0, 4)


def test_planar_ring_modes_restore_out_of_plane_fluctuations(toluene_frames):
    """Distances leave a damped ring out-of-plane motion damped; the quads' signed volumes make it thermal."""
    frames, masses, bonds = toluene_frames
    quads = planar_ring_quads(bonds, frames[:1])
    forecast, donors = _smoothed(frames[30:]), frames[:30]

    def out_of_plane(x):  # rms distance of the ring's dihedrals from 0 or 180 degrees
        a = np.abs(dihedrals(x, quads))
        return np.sqrt((np.minimum(a, 180.0 - a) ** 2).mean())

    pairs_only = FastModeResampler(bonds, masses)(forecast, donors, np.random.default_rng(0))
    planar = FastModeResampler(bonds, masses, planar_quads=quads)
    out = planar(forecast, donors, np.random.default_rng(0))
    thermal = out_of_plane(donors)
    print(f"out-of-plane rms: donors {thermal:.2f}, forecast {out_of_plane(forecast):.2f}, "
          f"pairs only {out_of_plane(pairs_only):.2f}, with planar quads {out_of_plane(out):.2f} degrees")
    assert out_of_plane(forecast) < 0.6 * thermal and out_of_plane(pairs_only) < 0.75 * thermal
    assert out_of_plane(out) == pytest.approx(thermal, rel=0.15)
    # Each frame takes its donor's volumes and distances.
    pick = np.random.default_rng(0).integers(len(donors), size=len(forecast))
    err = np.abs(planar.coordinates(out) - planar.coordinates(donors)[pick])
    n_pairs = len(planar.pairs)
    print(f"largest error: distances {err[:, :n_pairs].max():.2e} nm, volumes {err[:, n_pairs:].max():.2e} nm^3")
    for part, spread in ((err[:, :n_pairs], planar.distances(frames).std(0)),
                         (err[:, n_pairs:], signed_volumes(frames, quads).std(0))):
        assert part.mean() < 0.05 * spread.mean() and part.max() < 0.5 * spread.max()
    assert planar.coordinates(out).shape == (len(out), len(planar.pairs) + len(quads))
    # Still equivariant under rotations and translations.
    q, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(3, 3)))
    q *= np.sign(np.linalg.det(q))
    moved = planar(forecast @ q.T + 1.0, donors @ q.T - 2.0, np.random.default_rng(0))
    np.testing.assert_allclose(moved, out @ q.T + 1.0, atol=1e-8)
