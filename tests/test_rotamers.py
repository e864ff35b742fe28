"""Rotamer-matched fast-mode donors: which torsions tell rotamers apart, and the donor draw."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_openmm.evaluation.metrics import dihedrals
from asteroid_openmm.integrator.rotamers import Rotamers, TorsionFreeEnergy, rotamer_torsions
from asteroid_openmm.integrator.rotor_librations import _turn_about_axis
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import infer_bonds


def _bonds_and_z(name):
    sysdef = get_system(name)
    x = np.asarray(sysdef.positions_nm(), np.float64)
    return x, infer_bonds(x, sysdef.atomic_numbers), np.asarray(sysdef.atomic_numbers)


@pytest.fixture(scope="module")
def ethanol():
    return _bonds_and_z("ethanol")


def test_rotamer_torsions_skip_rings_terminal_atoms_and_methyl_rotors(ethanol):
    _, bonds, z = ethanol
    # Ethanol: only the hydroxyl (C-C-O-H); the C-C bond only turns the methyl group.
    assert rotamer_torsions(bonds, z).tolist() == [[0, 1, 2, 8]]
    x, bonds, z = _bonds_and_z("aspirin")
    quads = rotamer_torsions(bonds, z)
    assert len(quads) == 4  # ester (two bonds), ring-carboxyl, carboxyl O-H; ring bonds and the methyl left out
    ring = {frozenset(p) for p in ((4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (9, 4))}
    assert not {frozenset((b, c)) for _, b, c, _ in quads} & ring
    assert not {frozenset((b, c)) for _, b, c, _ in quads} & {frozenset((0, 1))}  # acetyl methyl axis
    # Every quadruplet is a bonded chain a-b-c-d.
    bond_set = {frozenset(p) for p in bonds.tolist()}
    for a, b, c, d in quads:
        assert {frozenset((a, b)), frozenset((b, c)), frozenset((c, d))} <= bond_set
    assert len(rotamer_torsions(np.array([[0, 1], [0, 2], [0, 3], [0, 4]]), [6, 1, 1, 1, 1])) == 0  # methane


def _hydroxyl_at(x, angles_deg):
    """Copies of ethanol frame x with the hydroxyl H turned so that C-C-O-H is at each angle (degrees)."""
    frames = np.repeat(x[None], len(angles_deg), axis=0)
    now = dihedrals(frames, np.array([[0, 1, 2, 8]]))[:, 0]
    turn = np.radians(np.asarray(angles_deg) - now)
    frames[:, [8]] = _turn_about_axis(frames[:, [8]], frames[:, 1], frames[:, 2], turn)
    return frames


def test_donors_are_drawn_uniformly_within_the_window(ethanol):
    x, bonds, z = ethanol
    matcher = Rotamers(bonds, z)
    donors = _hydroxyl_at(x, [-170, -60, 55, 70, 178, 100])
    np.testing.assert_allclose(matcher.torsions(donors)[:, 0], [-170, -60, 55, 70, 178, 100], atol=1e-6)
    targets = _hydroxyl_at(x, [60.0] * 400 + [-175.0] * 400)
    picks = matcher.choose(targets, donors, np.random.default_rng(0), 60.0)
    # gauche+ (60): donors at 55, 70, 100 (40 degrees off); trans (-175): -170 and 178 across the +-180 wrap.
    assert set(picks[:400].tolist()) == {2, 3, 5} and set(picks[400:].tolist()) == {0, 4}
    counts = np.bincount(picks[:400], minlength=6)[[2, 3, 5]]
    assert counts.min() > 100  # uniform: about 133 each
    # No donor within the window: any donor (all match on zero torsions).
    lonely = matcher.choose(_hydroxyl_at(x, [-115.0] * 300), donors[[2, 3]], np.random.default_rng(1), 60.0)
    assert set(lonely.tolist()) == {0, 1}
    with pytest.raises(ValueError, match="half_width"):
        matcher.choose(targets, donors, np.random.default_rng(0), 0.0)


def test_donors_match_on_the_most_torsions_when_none_match_on_all():
    x, bonds, z = _bonds_and_z("aspirin")
    matcher = Rotamers(bonds, z)
    rng = np.random.default_rng(2)
    frames = x[None] + rng.normal(0, 0.01, (40, *x.shape))
    t_frames, t_donors = matcher.torsions(frames[:10]), matcher.torsions(frames[10:])
    picks = matcher.choose(frames[:10], frames[10:], rng, 30.0)
    diff = np.abs((t_frames[:, None] - t_donors[None] + 180) % 360 - 180)
    matches = (diff < 30).sum(-1)
    assert np.array_equal(matches[np.arange(10), picks], matches.max(axis=1))


def test_take_torsions_turns_to_the_donors_torsion_within_the_window(ethanol):
    """take_torsions: the hydroxyl turns rigidly to its donor's torsion (across the +-180 wrap too), keeping every
    bond length and angle; a donor in another well (beyond half_width) leaves it as it was; half_width 0 always
    turns."""
    x, bonds, z = ethanol
    matcher = Rotamers(bonds, z)
    frames = _hydroxyl_at(x, [60.0, 60.0, -175.0, 10.0])
    donors = _hydroxyl_at(x, [75.0, -60.0, 170.0, -10.0])
    donors = donors + np.random.default_rng(3).normal(0, 0.003, donors.shape)  # donors' own fast modes differ
    out = matcher.take_torsions(frames, donors, [0], half_width=60.0)
    got, want = matcher.torsions(out)[:, 0], matcher.torsions(donors)[:, 0]
    np.testing.assert_allclose(((got - want + 180) % 360 - 180)[[0, 2, 3]], 0, atol=1e-6)
    assert abs(got[1] - 60.0) < 1e-6  # the donor is gauche- (120 degrees away): another well, left alone

    def distances(f):
        return np.linalg.norm(f[:, :, None] - f[:, None], axis=-1)

    kept = np.ones((len(z), len(z)), bool)  # every distance but the hydroxyl H's to atoms beyond C-O
    kept[8] = kept[:, 8] = False
    kept[8, [1, 2, 8]] = kept[[1, 2, 8], 8] = True
    np.testing.assert_allclose(distances(out)[:, kept], distances(frames)[:, kept], atol=1e-12)
    anywhere = matcher.take_torsions(frames, donors, [0], half_width=0.0)
    np.testing.assert_allclose(((matcher.torsions(anywhere)[:, 0] - want + 180) % 360 - 180), 0, atol=1e-6)
    np.testing.assert_array_equal(matcher.take_torsions(frames, donors, []), frames)


def _aspirin_conformers(matcher, x, count, rng, sd_deg=40.0, noise_nm=0.0):
    """count copies of aspirin frame x with every rotamer torsion turned at random (and optional atom noise)."""
    from asteroid_openmm.integrator.rotor_librations import apply_turns

    frames = np.repeat(x[None], count, axis=0) + rng.normal(0, noise_nm, (count, *x.shape))
    return apply_turns(frames, matcher.turns, np.radians(rng.normal(0, sd_deg, (count, len(matcher.turns)))))


def test_nearest_donors_are_the_k_closest_in_heavy_torsions_in_the_hydrogens_well():
    """nearest: each frame's donor is one of its k nearest donors in the heavy-atom rotamer torsions among those
    whose lone-hydrogen torsion lies within the window, drawn uniformly among those k."""
    x, bonds, z = _bonds_and_z("aspirin")
    matcher = Rotamers(bonds, z)
    assert matcher.heavy.tolist().count(False) == 1  # the carboxyl O-H
    rng = np.random.default_rng(4)
    donors = _aspirin_conformers(matcher, x, 300, rng, sd_deg=60.0)
    frames = _aspirin_conformers(matcher, x, 5, rng, sd_deg=60.0)
    t_f, t_d = np.radians(matcher.torsions(frames)), np.radians(matcher.torsions(donors))
    heavy, light = np.flatnonzero(matcher.heavy), np.flatnonzero(~matcher.heavy)
    k = 7
    for i in range(len(frames)):
        picks = matcher.nearest(np.repeat(frames[i:i + 1], 700, axis=0), donors, rng, k, 30.0)
        well = np.all(np.cos(t_f[i, light] - t_d[:, light]) > np.cos(np.radians(30.0)), axis=1)
        distance = np.where(well, np.sum(1 - np.cos(t_f[i, heavy] - t_d[:, heavy]), axis=1), np.inf)
        assert set(picks.tolist()) == set(np.argsort(distance)[:k].tolist())
        assert np.bincount(picks, minlength=len(donors))[picks].min() > 60  # uniform: 100 each
    # No donor in the hydrogen's well: the nearest in the heavy torsions among all.
    far = matcher.nearest(frames[:1], donors[:0], rng, 3, 30.0)
    assert far.shape == (1,)
    with pytest.raises(ValueError, match="neighbours"):
        matcher.nearest(frames, donors, rng, 0, 30.0)


def test_graft_gives_the_donors_internal_geometry_the_frames_conformation_and_placement():
    """graft: heavy rotamer torsions are the frame's, every other internal coordinate (all distances but those
    across the turned bonds, the O-H torsion) the donor's; the mass-weighted centre is the frame's; a donor that is
    the frame moved rigidly comes back as the frame."""
    from scipy.spatial.transform import Rotation

    from asteroid_openmm.model.geometry_restore import restoration_pairs

    x, bonds, z = _bonds_and_z("aspirin")
    sysdef = get_system("aspirin")
    masses = np.array([a.element.mass._value for a in sysdef.topology.atoms()])
    matcher = Rotamers(bonds, z)
    rng = np.random.default_rng(5)
    frames = _aspirin_conformers(matcher, x, 6, rng, noise_nm=0.004)
    donors = _aspirin_conformers(matcher, x, 6, rng, noise_nm=0.004)
    donors = np.stack([r.apply(d) for r, d in zip(Rotation.random(6, random_state=6), donors)]) + 1.5
    out = matcher.graft(frames, donors, masses, frame_torsions=True)
    heavy = matcher.heavy
    np.testing.assert_allclose(matcher.torsions(out)[:, heavy], matcher.torsions(frames)[:, heavy], atol=1e-6)
    np.testing.assert_allclose(matcher.torsions(out)[:, ~heavy], matcher.torsions(donors)[:, ~heavy], atol=1e-6)
    pairs = restoration_pairs(bonds)[0]  # 1-2 and 1-3 pairs: bond lengths and angles

    def lengths(f):
        return np.linalg.norm(f[:, pairs[:, 0]] - f[:, pairs[:, 1]], axis=-1)

    np.testing.assert_allclose(lengths(out), lengths(donors), atol=1e-9)  # bonds and angles: the donor's
    centre = (masses / masses.sum()) @ out
    np.testing.assert_allclose(centre, (masses / masses.sum()) @ frames, atol=1e-9)
    moved = np.stack([r.apply(f) for r, f in zip(Rotation.random(6, random_state=7), frames)]) - 0.7
    np.testing.assert_allclose(matcher.graft(frames, moved, masses, frame_torsions=True), frames, atol=1e-9)
    # Without frame_torsions: the donor itself (every distance), placed on the frame.
    as_is = matcher.graft(frames, donors, masses)
    np.testing.assert_allclose(np.linalg.norm(as_is[:, :, None] - as_is[:, None], axis=-1),
                               np.linalg.norm(donors[:, :, None] - donors[:, None], axis=-1), atol=1e-9)
    np.testing.assert_allclose((masses / masses.sum()) @ as_is, (masses / masses.sum()) @ frames, atol=1e-9)
    np.testing.assert_allclose(matcher.graft(frames, moved, masses), frames, atol=1e-9)
    # Per frame: only the frames flagged take their own heavy torsions.
    flags = np.array([True, False, True, False, False, True])
    mixed = matcher.graft(frames, donors, masses, frame_torsions=flags)
    np.testing.assert_allclose(mixed[flags], out[flags], atol=1e-9)
    np.testing.assert_allclose(mixed[~flags], as_is[~flags], atol=1e-9)
    # in_rotamer: every rotamer torsion within the window.
    t_f, t_d = matcher.torsions(frames), matcher.torsions(donors)
    for w in (30.0, 90.0):
        want = np.all(np.abs((t_d - t_f + 180) % 360 - 180) < w, axis=1)
        np.testing.assert_array_equal(matcher.in_rotamer(frames, donors, w), want)
    assert matcher.in_rotamer(frames, frames, 1.0).all()


def test_wells_are_the_maxima_of_the_donors_torsion_density_and_donors_come_from_the_frames_well(ethanol):
    """wells: three hydroxyl wells (gauche+-, trans) give three edges at the density minima between them, a twofold
    spread two, one well none, and a shallow dip between two close maxima no edge; choose_in_wells draws uniformly
    in the frame's well, across the +-180 wrap too."""
    x, bonds, z = ethanol
    matcher = Rotamers(bonds, z)
    rng = np.random.default_rng(6)

    def library(centres, sd, count=3000):
        angles = np.concatenate([rng.normal(c, sd, count) for c in centres])
        return _hydroxyl_at(x, (angles + 180) % 360 - 180)

    three = library([60, 180, -60], 12)
    edges = matcher.wells(three)[0]
    np.testing.assert_allclose(edges, [-120, 0, 120], atol=6)
    assert matcher.wells(three)[0] is edges  # kept for the same array
    np.testing.assert_allclose(matcher.wells(library([0, 180], 20))[0], [-90, 90], atol=6)
    assert len(matcher.wells(library([100], 20))[0]) == 0
    assert len(matcher.wells(library([75, 115], 8))[0]) == 0  # two maxima with a shallow dip between: one well
    assert len(matcher.wells(library([70, 120], 10))[0]) == 2  # a dip to 0.74 of the lower maximum: two wells
    states = matcher.well_states(three, [edges])[:, 0]
    np.testing.assert_array_equal(np.bincount(states), [3000, 3000, 3000])  # each well is one state
    targets = _hydroxyl_at(x, [75.0] * 300 + [-170.0] * 300 + [170.0] * 300)
    picks = matcher.choose_in_wells(targets, three, rng)
    got = matcher.well_states(three[picks], [edges])[:, 0]
    want = matcher.well_states(targets, [edges])[:, 0]
    np.testing.assert_array_equal(got, want)
    assert want[300] == want[600]  # -170 and 170: the trans well across the wrap
    assert len(set(picks[:300].tolist())) > 250  # uniform within the well, not the nearest
    assert matcher.in_wells(targets, three[picks], [edges]).all()
    assert not matcher.in_wells(targets[:1], targets[300:301], [edges]).any()


def test_metropolis_samples_the_boltzmann_distribution_of_a_rotamer_torsion(ethanol):
    """With an asymmetric threefold potential in the hydroxyl torsion, Metropolis torsions follow exp(-U / kT)."""
    from asteroid_openmm.evaluation.metrics import bond_lengths
    from asteroid_openmm.model.geometry_restore import restoration_pairs

    x, bonds, z = ethanol
    rotamers = Rotamers(bonds, z)
    kT = 2.5  # kJ/mol

    def potential(phi_deg):
        phi = np.radians(phi_deg)
        return 3.0 * (1 - np.cos(3 * phi)) + 2.0 * (1 - np.cos(phi))  # three wells, trans (180) the highest

    def energy(frame):
        return potential(rotamers.torsions(frame[None])[0, 0])

    rng = np.random.default_rng(0)
    frame, u, samples, accepted = x.copy(), None, [], 0
    for _ in range(10000):
        frame, u, n, _ = rotamers.metropolis(frame, energy, kT, 1, rng, current_energy=u)
        accepted += n
        samples.append(rotamers.torsions(frame[None])[0, 0])
    assert u == pytest.approx(energy(frame))
    assert 0.1 < accepted / 10000 < 0.95
    edges = np.linspace(-180, 180, 13)
    fine = np.linspace(-180, 180, 3601)[:-1] + 0.05
    expected = np.histogram(fine, edges, weights=np.exp(-potential(fine) / kT))[0]
    expected /= expected.sum()
    observed = np.histogram(samples[500:], edges)[0] / len(samples[500:])
    assert np.abs(observed - expected).max() < 0.03, (observed.round(3), expected.round(3))
    # Only the hydroxyl H turns about the C-O axis: every bond length and angle (1-2, 1-3 distance) is kept.
    pairs = restoration_pairs(bonds)[0]
    np.testing.assert_allclose(bond_lengths(frame, pairs), bond_lengths(x, pairs), atol=1e-9)
    assert not np.allclose(frame, x)


def test_a_proposal_budget_scans_the_groups_at_random_and_keeps_the_boltzmann_distribution(ethanol):
    """max_proposals below steps x groups: that many proposals (one energy each), each on a random group, and the
    torsions still follow exp(-U / kT) (random-scan Metropolis)."""
    from asteroid_openmm.integrator.rotor_librations import RotorLibrations, metropolis_turns

    x, bonds, z = ethanol
    rotamers, rotors = Rotamers(bonds, z), RotorLibrations(bonds, z)
    (a, b, _, terminal), = rotors.rotors
    turns = rotamers.turns + [(b, a, terminal, np.radians(20.0))]
    kT = 2.5  # kJ/mol

    def energy(frame):
        hydroxyl = np.radians(rotamers.torsions(frame[None])[0, 0])
        methyl = np.radians(3 * rotors.phases(frame[None])[0, 0])
        return 3.0 * (1 - np.cos(3 * hydroxyl)) + 2.0 * (1 - np.cos(hydroxyl)) + 3.0 * (1 - np.cos(methyl))

    calls = []

    def counted(frame):
        calls.append(1)
        return energy(frame)

    rng = np.random.default_rng(1)
    frame, u, samples = x.copy(), energy(x), []
    for _ in range(24000):
        frame, u, _, _ = metropolis_turns(frame, counted, kT, 4, rng, turns, current_energy=u, max_proposals=1)
        samples.append(frame)
    assert len(calls) == 24000 and u == pytest.approx(energy(frame))
    frames = np.stack(samples[500:])
    samples = np.stack([rotamers.torsions(frames)[:, 0], rotors.phases(frames)[:, 0]], axis=1)
    fine = np.linspace(-180, 180, 3601)[:-1] + 0.05
    for column, period, u_of in ((0, 360, lambda p: 3.0 * (1 - np.cos(3 * p)) + 2.0 * (1 - np.cos(p))),
                                 (1, 120, lambda p: 3.0 * (1 - np.cos(3 * p)))):
        edges = np.linspace(-180, 180, 13) if period == 360 else np.linspace(0, 120, 9)
        grid = fine if period == 360 else np.linspace(0, 120, 1201)[:-1] + 0.05
        expected = np.histogram(grid, edges, weights=np.exp(-u_of(np.radians(grid)) / kT))[0]
        expected /= expected.sum()
        observed = np.histogram(samples[:, column], edges)[0] / len(samples)
        assert np.abs(observed - expected).max() < 0.03, (column, observed.round(3), expected.round(3))


def test_net_turns_carry_the_moves_over_to_other_frames_in_any_order():
    """metropolis_turns' net angles rebuild its frame from the start (aspirin: nested ester torsions and a
    methyl rotor), and turn other frames' torsions by the same amounts."""
    from asteroid_openmm.integrator.rotor_librations import RotorLibrations, apply_turns, metropolis_turns

    x, bonds, z = _bonds_and_z("aspirin")
    rotamers, rotors = Rotamers(bonds, z), RotorLibrations(bonds, z)
    turns = rotamers.turns + rotors.turns
    rng = np.random.default_rng(3)
    end, _, accepted, net = metropolis_turns(x, lambda f: float(rng.normal()), 1.0, 6, rng, turns)
    assert accepted > 5 and np.count_nonzero(net) == len(turns)
    np.testing.assert_allclose(apply_turns(x[None], turns, net)[0], end, atol=1e-9)
    np.testing.assert_allclose(apply_turns(x[None], turns[::-1], net[::-1])[0], end, atol=1e-9)
    # Another conformation, turned by the same net angles, has every torsion moved by the same amounts.
    other = apply_turns(x[None], turns, rng.normal(0.0, 1.0, len(turns)))[0]
    moved = apply_turns(other[None], turns, net)[0]
    for measure in (rotamers.torsions, rotors.phases):
        period = 360.0 if measure == rotamers.torsions else 120.0
        change = measure(np.stack([end, moved])) - measure(np.stack([x, other]))
        np.testing.assert_allclose((change[0] - change[1] + period / 2) % period - period / 2, 0.0, atol=1e-6)


def test_heavy_only_moves_leave_a_lone_hydrogen_rotor_alone_and_take_the_proposal_sd():
    """Rotamers.metropolis(heavy_only=True) turns only torsions whose turning side holds a heavy atom (aspirin: the
    ester's two and the ring-carboxyl bond, not the carboxyl O-H); sd_deg sets the proposals' spread."""
    from asteroid_openmm.integrator.rotor_librations import apply_turns

    x, bonds, z = _bonds_and_z("aspirin")
    rotamers = Rotamers(bonds, z)
    # The turning side lists the axis atom it hangs on; off the axis, the hydroxyl turns one hydrogen.
    off_axis = [[a for a in atoms if a not in (tail, head)] for tail, head, atoms, _ in rotamers.turns]
    hydroxyl = [i for i, atoms in enumerate(off_axis) if len(atoms) == 1]
    assert len(hydroxyl) == 1 and z[off_axis[hydroxyl[0]][0]] == 1
    assert rotamers.heavy.tolist() == [i not in hydroxyl for i in range(len(rotamers))]
    for sd in (5.0, 60.0):
        rng, nets = np.random.default_rng(4), []
        for _ in range(200):
            # A flat potential accepts every proposal: one step's net turns are the Gaussian draws.
            end, _, accepted, net = rotamers.metropolis(x, lambda f: 0.0, 1.0, 1, rng, sd_deg=sd, heavy_only=True)
            assert accepted == 3 and net[hydroxyl[0]] == 0.0 and np.all(net[rotamers.heavy] != 0.0)
            nets.append(net[rotamers.heavy])
        np.testing.assert_allclose(apply_turns(x[None], rotamers.turns, net)[0], end, atol=1e-9)
        assert np.degrees(np.std(nets)) == pytest.approx(sd, rel=0.1)
    with pytest.raises(ValueError, match="sd_deg"):
        rotamers.metropolis(x, lambda f: 0.0, 1.0, 1, np.random.default_rng(0), sd_deg=0.0)


def test_moves_under_the_torsion_free_energy_sample_the_frames_torsions(ethanol):
    """TorsionFreeEnergy: -kT ln of a von Mises kernel density of sample frames' torsions; Metropolis moves under it
    reproduce the samples' torsion distribution (here two unequal hydroxyl wells) without any potential."""
    x, bonds, z = ethanol
    rotamers = Rotamers(bonds, z)
    rng = np.random.default_rng(3)
    angles = np.where(rng.random(3000) < 0.7, rng.normal(60, 15, 3000), rng.normal(180, 20, 3000))
    samples = _hydroxyl_at(x, angles)
    kT = 2.5
    free = TorsionFreeEnergy(rotamers, samples, kT, kernel_deg=6.0)
    # The density by hand at two torsions: the ratio of kernel sums.
    kappa = 1 / np.radians(6.0) ** 2

    def density(phi):
        return np.exp(kappa * (np.cos(np.radians(phi - angles)) - 1)).sum()

    a, b = _hydroxyl_at(x, [75.0, -150.0])
    assert free(a) - free(b) == pytest.approx(-kT * np.log(density(75.0) / density(-150.0)), rel=1e-6)
    frame, u, chain = x.copy(), None, []
    for _ in range(8000):
        frame, u, _, _ = rotamers.metropolis(frame, free, kT, 1, rng, current_energy=u, sd_deg=30.0)
        chain.append(rotamers.torsions(frame[None])[0, 0])
    edges = np.linspace(-180, 180, 13)
    observed = np.histogram(chain[500:], edges)[0] / len(chain[500:])
    expected = np.histogram((angles + 180) % 360 - 180, edges)[0] / len(angles)
    assert np.abs(observed - expected).max() < 0.04, (observed.round(3), expected.round(3))
    with pytest.raises(ValueError, match="kernel_deg"):
        TorsionFreeEnergy(rotamers, samples, kT, kernel_deg=0.0)
    with pytest.raises(ValueError, match="samples"):
        TorsionFreeEnergy(rotamers, samples[0], kT)


def test_library_proposals_keep_the_boltzmann_distribution_whatever_the_library(ethanol):
    """TorsionProposals: Metropolis-Hastings moves whose torsions are drawn from sample frames' torsions (and a
    uniform share) sample exp(-U / kT) of the real potential exactly, also when the samples' distribution is wrong
    (here misweighted, shifted wells, one of three never visited); their log density is the kernel sum's; without the
    Hastings ratio the chain would follow the samples instead (checked on the same draws)."""
    from asteroid_openmm.integrator.rotamers import TorsionProposals
    from asteroid_openmm.integrator.rotor_librations import metropolis_turns

    x, bonds, z = ethanol
    rotamers = Rotamers(bonds, z)
    kT = 2.5

    def potential(phi_deg):
        phi = np.radians(phi_deg)
        return 3.0 * (1 - np.cos(3 * phi)) + 2.0 * (1 - np.cos(phi))

    def energy(frame):
        return potential(rotamers.torsions(frame[None])[0, 0])

    rng = np.random.default_rng(4)
    angles = np.where(rng.random(4000) < 0.8, rng.normal(40, 25, 4000), rng.normal(170, 30, 4000))
    proposals = TorsionProposals(rotamers, _hydroxyl_at(x, angles), kernel_deg=6.0)
    kappa = 1 / np.radians(6.0) ** 2
    norm = 2 * np.pi * np.i0(kappa) * np.exp(-kappa)  # the integral of exp(kappa (cos - 1)) over the circle
    for phi in (75.0, -150.0, -75.0):  # a well, a wing, and where no sample lies: the uniform share only
        kernels = np.exp(kappa * (np.cos(np.radians(phi - angles)) - 1)).mean() / norm
        expected_q = 0.9 * kernels + 0.1 / (2 * np.pi)
        assert proposals.log_density(0, np.radians(phi)) == pytest.approx(np.log(expected_q), abs=0.02)
    with pytest.raises(ValueError, match="kernel_deg"):
        TorsionProposals(rotamers, _hydroxyl_at(x, angles[:10]), kernel_deg=-1.0)
    with pytest.raises(ValueError, match="uniform"):
        TorsionProposals(rotamers, _hydroxyl_at(x, angles[:10]), uniform=0.0)

    edges = np.linspace(-180, 180, 13)
    fine = np.linspace(-180, 180, 3601)[:-1] + 0.05
    expected = np.histogram(fine, edges, weights=np.exp(-potential(fine) / kT))[0]
    expected /= expected.sum()

    def chain(moves, hastings=True, steps=20000):
        propose = moves.proposal(0)
        draws = [propose if hastings else (lambda f, r: (propose(f, r)[0], 0.0))]
        frame, u, out, accepted, largest = x.copy(), None, [], 0, 0.0
        run = np.random.default_rng(5)
        for _ in range(steps):
            frame, u, n, net = metropolis_turns(frame, energy, kT, 1, run, [rotamers.turns[0]], u, proposals=draws)
            accepted += n
            largest = max(largest, abs(net[0]))
            out.append(rotamers.torsions(frame[None])[0, 0])
        return np.histogram(out[200:], edges)[0] / len(out[200:]), accepted / steps, np.degrees(largest)

    observed, rate, largest = chain(proposals)
    assert np.abs(observed - expected).max() < 0.03, (observed.round(3), expected.round(3))
    assert rate > 0.1 and largest > 90  # it crosses between wells in one move
    biased, _, _ = chain(proposals, hastings=False, steps=6000)
    assert np.abs(biased - expected).max() > 0.06, (biased.round(3), expected.round(3))
    # Within a window: every turn at most the window, still exact (the window masses enter the ratio).
    windowed = TorsionProposals(rotamers, _hydroxyl_at(x, angles), kernel_deg=6.0, window_deg=60.0)
    observed, rate, largest = chain(windowed)
    assert np.abs(observed - expected).max() < 0.03, (observed.round(3), expected.round(3))
    assert rate > 0.1 and largest <= 60.5
    with pytest.raises(ValueError, match="window_deg"):
        TorsionProposals(rotamers, _hydroxyl_at(x, angles[:10]), window_deg=0.0)
    # Through Rotamers.metropolis too
    frame, _, n, net = rotamers.metropolis(x, lambda f: 0.0, kT, 20, np.random.default_rng(6), proposals=proposals)
    assert n > 0 and abs(net[0]) > 0
