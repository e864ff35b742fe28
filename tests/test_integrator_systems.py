"""AsteroidIntegrator on other kinds of systems (periodic water, ANI TorchForce) and the ``run`` CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from asteroid_openmm._openmm import import_openmm

openmm = import_openmm()
from openmm import app, unit  # noqa: E402

from asteroid_openmm.integrator import AsteroidIntegrator  # noqa: E402
from asteroid_openmm.model import AsteroidModel, save_model  # noqa: E402


class ReverseModel(AsteroidModel):
    """Forecast = the context played backwards: real configurations with real motion (accepted by the guard)."""

    def forecast_torch(self, context):
        c = context.to(self.device)
        return c.flip(1)[:, 1 : self.horizon + 1].clone(), torch.zeros(c.shape[0], self.horizon)


def small_model(cls, atomic_numbers, frame_interval, **kw):
    torch.manual_seed(0)
    return cls(atomic_numbers, context_frames=10, horizon=8, frame_interval=frame_interval, d_model=16, heads=2,
               encoder_layers=1, decoder_layers=1, neighbours=8, **kw)


def test_periodic_water_box_unwrapped_and_rigid(tmp_path):
    forcefield = app.ForceField("amber14/tip3p.xml")
    modeller = app.Modeller(app.Topology(), [])
    modeller.addSolvent(forcefield, boxSize=openmm.Vec3(1.5, 1.5, 1.5) * unit.nanometer)
    system = forcefield.createSystem(modeller.topology, nonbondedMethod=app.CutoffPeriodic,
                                     nonbondedCutoff=0.7 * unit.nanometer, constraints=app.HBonds, rigidWater=True)
    z = np.array([a.element.atomic_number for a in modeller.topology.atoms()])
    integ = AsteroidIntegrator(small_model(ReverseModel, z, 0.01), 300, 1, 0.002, random_seed=1)
    sim = app.Simulation(modeller.topology, system, integ, openmm.Platform.getPlatformByName("Reference"))
    sim.context.setPositions(modeller.positions)
    sim.minimizeEnergy(maxIterations=50)  # solvent from the template box has a few clashes
    sim.context.setVelocitiesToTemperature(300, 1)
    box0 = sim.context.getState().getPeriodicBoxVectors(asNumpy=True)._value
    sim.reporters.append(app.DCDReporter(str(tmp_path / "w.dcd"), 5, enforcePeriodicBox=False))
    sim.step(400)
    assert sim.currentStep == 400 and integ.stats.jumps_accepted > 0

    import mdtraj

    xyz = mdtraj.load_dcd(str(tmp_path / "w.dcd"), top=mdtraj.Topology.from_openmm(modeller.topology)).xyz
    # Unwrapped: nothing ever jumps by a box length between frames 10 fs apart.
    assert np.abs(np.diff(xyz, axis=0)).max() < 0.3
    # Rigid water after jumps.
    state = sim.context.getState(getPositions=True, enforcePeriodicBox=False)
    x = state.getPositions(asNumpy=True).value_in_unit(unit.nanometer)
    for i in range(system.getNumConstraints()):
        a, b, d0 = system.getConstraintParameters(i)
        d = np.linalg.norm(x[a] - x[b])
        assert abs(d - d0.value_in_unit(unit.nanometer)) / d0.value_in_unit(unit.nanometer) < 1e-5
    np.testing.assert_allclose(state.getPeriodicBoxVectors(asNumpy=True)._value, box0)


@pytest.mark.usefixtures("one_torch_thread")
def test_ani_torchforce_system():
    from asteroid_openmm.systems import get_system

    s = get_system("ethanol", ani_model_index=0)
    integ = AsteroidIntegrator(small_model(ReverseModel, s.atomic_numbers, 0.001), s.temperature, s.friction,
                               s.timestep, random_seed=2)
    sim = app.Simulation(s.topology, s.system, integ, openmm.Platform.getPlatformByName("CPU"))
    sim.context.setPositions(s.positions)
    sim.context.setVelocitiesToTemperature(s.temperature, 2)
    sim.step(180)
    assert sim.currentStep == 180
    assert sim.context.getState().getTime().value_in_unit(unit.picosecond) == pytest.approx(180 * s.timestep)
    st = integ.stats
    assert st.jumps_accepted > 0 and st.forecast_steps > 0, st
    # Bonds were inferred from geometry (ANI systems have no bond terms); none broke.
    assert len(integ._system_info["bonds"]) == 8
    assert np.isfinite(sim.context.getState(getEnergy=True).getPotentialEnergy()._value)


@pytest.mark.usefixtures("one_torch_thread")
def test_planar_ring_modes_on_an_aromatic_ring():
    """planar_ring_modes: toluene's forecast frames take the ring's out-of-plane modes from the donors too (20
    quads about the 6 ring bonds; the methyl carbon's wag is left to the model); off (the default), bonds and angles
    only; switched on mid-run, the resampler is rebuilt."""
    from asteroid_openmm.systems import get_system

    s = get_system("toluene", ani_model_index=0)
    model = small_model(ReverseModel, s.atomic_numbers, 0.005)
    quads = {}
    for planar in (True, False):
        integ = AsteroidIntegrator(model, s.temperature, s.friction, s.timestep, random_seed=3, rollouts=2,
                                   planar_ring_modes=planar)
        context = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CPU"))
        context.setPositions(s.positions)
        context.setVelocitiesToTemperature(s.temperature, 3)
        integ.step(300)
        assert integ.stats.jumps_accepted > 0
        quads[planar] = len(integ._fast_modes.quads)
        assert integ._fast_modes.coordinates(s.positions.value_in_unit(unit.nanometer)).shape == (
            len(integ._fast_modes.pairs) + quads[planar],)
    assert quads == {True: 20, False: 0}
    # A molecule without planar rings: the setting on keeps one resampler (no quads) from jump to jump.
    e = get_system("ethanol", ani_model_index=0)
    flat_integ = AsteroidIntegrator(small_model(ReverseModel, e.atomic_numbers, 0.005), e.temperature, e.friction,
                                    e.timestep, random_seed=3, rollouts=2, planar_ring_modes=True,
                                    fast_mode_covariance_frames=64)
    flat_context = openmm.Context(e.system, flat_integ, openmm.Platform.getPlatformByName("CPU"))
    flat_context.setPositions(e.positions)
    flat_context.setVelocitiesToTemperature(e.temperature, 3)
    flat_integ.step(200)
    built, history = flat_integ._fast_modes, len(flat_integ._fast_distances)
    flat_integ.step(200)
    assert flat_integ.stats.jumps_attempted > 1 and len(built.quads) == 0
    assert flat_integ._fast_modes is built and len(flat_integ._fast_distances) > history
    assert AsteroidIntegrator(model, s.temperature, s.friction, s.timestep).get_setting("planar_ring_modes") == 0
    integ.set_setting("planar_ring_modes", 1)  # the last run's integrator: rebuilt with the quads
    integ.step(200)
    assert len(integ._fast_modes.quads) == 20
    assert all(len(c) == len(integ._fast_modes.pairs) + 20 for c in integ._fast_distances)


def _ethanol_donor_run(setting: str, **settings):
    """400 steps of ANI-1x ethanol with a donor ``setting`` on (checked off by default and kept by XML), recording
    each fast-mode resampling (donors, picks, resampled frames) and each set of frames it committed.

    Returns (integrator, resampler, calls, outputs)."""
    from asteroid_openmm.systems import get_system

    s = get_system("ethanol", ani_model_index=0)
    model = small_model(ReverseModel, s.atomic_numbers, 0.005)
    assert AsteroidIntegrator(model, s.temperature, s.friction, s.timestep).get_setting(setting) == 0
    integ = AsteroidIntegrator(model, s.temperature, s.friction, s.timestep, random_seed=3, rollouts=2,
                               **{setting: True}, **settings)
    assert AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(integ), model).get_setting(setting) == 1
    context = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CPU"))
    context.setPositions(s.positions)
    context.setVelocitiesToTemperature(s.temperature, 3)
    resampler, thermalise, calls, outputs = integ._fast_mode_resampler, integ._thermalise_fast_modes, [], []

    def spy_resampler(frames, donors, rng, bandwidth=0.0, covariance_sample=None, picks=None):
        out = resampler()(frames, donors, rng, bandwidth, covariance_sample, picks)
        calls.append((donors, picks, out))
        return out

    def spy_thermalise(frames):
        outputs.append(thermalise(frames))
        return outputs[-1]

    def no_pool_draw(frames):
        raise AssertionError("the run's own rotor phases were drawn")

    integ._fast_mode_resampler = lambda: spy_resampler
    integ._thermalise_fast_modes = spy_thermalise
    if setting == "donor_rotor_phases":
        integ._thermalise_rotors = no_pool_draw
    integ.step(400)
    assert integ.stats.jumps_accepted > 0 and len(calls) == len(outputs) > 0
    return integ, resampler(), calls, outputs


@pytest.mark.usefixtures("one_torch_thread")
def test_donor_hydrogen_torsions_give_forecast_frames_their_donors_hydroxyl_torsion():
    """donor_hydrogen_torsions: each committed forecast frame of ethanol takes its fast-mode donor's hydroxyl torsion
    where the donor lies within rotamer_window of the frame's, and keeps its own otherwise; the bond and angle
    distances stay those the donor gave; off by default; kept by XML."""
    integ, fast_modes, calls, outputs = _ethanol_donor_run("donor_hydrogen_torsions", rotamer_window=30)
    rotamers = integ._rotamers_of_system()
    assert rotamers.quads.tolist() == [[0, 1, 2, 8]] and not rotamers.heavy.any()
    turned = 0
    for (donors, picks, resampled), out in zip(calls, outputs):
        got, donor, own = (rotamers.torsions(f)[:, 0] for f in (out, donors[picks], resampled))
        near = np.abs((donor - own + 180) % 360 - 180) < 30
        np.testing.assert_allclose(((got - donor + 180) % 360 - 180)[near], 0, atol=1e-6)
        np.testing.assert_allclose(got[~near], own[~near], atol=1e-6)
        np.testing.assert_allclose(fast_modes.coordinates(out), fast_modes.coordinates(resampled), atol=1e-9)
        turned += int(np.sum(near & (np.abs(got - own) > 1.0)))
    assert turned > 0  # the torsions did move to the donors'


@pytest.mark.usefixtures("one_torch_thread")
def test_donor_rotor_phases_give_forecast_frames_their_donors_methyl_phase():
    """donor_rotor_phases: each committed forecast frame of ethanol has its fast-mode donor's methyl libration phase
    (the turn of least size, so the forecast's well), the bond and angle distances the donor gave, no other atom
    moved, and no draw from the run's own phases; off by default; kept by XML."""
    integ, fast_modes, calls, outputs = _ethanol_donor_run("donor_rotor_phases", rotamer_window=0)
    rotors = integ._rotor_librations()
    assert len(rotors) == 1  # the methyl group
    period, terminal, moved = 120.0, rotors.terminal_atoms, 0
    for (donors, picks, resampled), out in zip(calls, outputs):
        assert picks is not None  # one draw, shared by the distances and the phases
        got, donor, own = (rotors.phases(f)[:, 0] for f in (out, donors[picks], resampled))
        np.testing.assert_allclose((got - donor + period / 2) % period - period / 2, 0, atol=1e-6)
        np.testing.assert_allclose(fast_modes.coordinates(out), fast_modes.coordinates(resampled), atol=1e-9)
        np.testing.assert_allclose(np.delete(out, terminal, axis=1), np.delete(resampled, terminal, axis=1))
        moved += int(np.sum(np.abs((got - own + period / 2) % period - period / 2) > 1.0))
    assert moved > 0  # the phases did move to the donors'


@pytest.mark.usefixtures("one_torch_thread")
@pytest.mark.parametrize("choice", ["donor_neighbours", "rotamer_wells"])
def test_donor_geometry_makes_forecast_frames_real_donor_frames_at_the_forecasts_place(choice):
    """donor_geometry=1: every committed forecast frame of ANI-1x ethanol is one of the run's real donor frames (all
    its interatomic distances) placed on the forecast frame (the same mass-weighted centre), drawn among the
    donor_neighbours nearest or in the forecast frame's hydroxyl well (rotamer_wells); off by default; XML keeps
    the settings; bad values refused."""
    from asteroid_openmm.systems import get_system

    s = get_system("ethanol", ani_model_index=0)
    model = small_model(ReverseModel, s.atomic_numbers, 0.005)
    plain = AsteroidIntegrator(model, s.temperature, s.friction, s.timestep)
    assert all(plain.get_setting(k) == 0 for k in ("donor_geometry", "donor_neighbours", "rotamer_wells"))
    for bad in ({"donor_geometry": 3}, {"donor_neighbours": -1}, {"donor_neighbours": 1.5}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            AsteroidIntegrator(model, s.temperature, s.friction, s.timestep, **bad)
    chosen = {"donor_neighbours": 4} if choice == "donor_neighbours" else {"rotamer_wells": True}
    integ = AsteroidIntegrator(model, s.temperature, s.friction, s.timestep, random_seed=3, rollouts=2,
                               donor_geometry=1, **chosen)
    again = AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(integ), model)
    assert again.get_setting("donor_geometry") == 1 and again.get_setting(choice) == int(chosen[choice])
    context = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CPU"))
    context.setPositions(s.positions)
    context.setVelocitiesToTemperature(s.temperature, 3)
    thermalise, records = integ._thermalise_fast_modes, []

    def spy(frames):
        donors = np.stack(integ._fast_donors) if integ._fast_donors else np.zeros((0, *frames.shape[1:]))
        records.append((np.array(frames), thermalise(frames), donors))
        return records[-1][1]

    integ._thermalise_fast_modes = spy
    integ.step(400)
    assert integ.stats.jumps_accepted > 0 and records
    masses = np.array([s.system.getParticleMass(i).value_in_unit(unit.dalton) for i in range(s.system.getNumParticles())])
    weights = masses / masses.sum()

    def distances(f):
        return np.linalg.norm(f[..., :, None, :] - f[..., None, :, :], axis=-1)

    checked, wells_seen = 0, 0
    for frames, out, donors in records:
        if not len(donors):
            continue
        mismatch = np.abs(distances(out)[:, None] - distances(donors)[None]).max(axis=(2, 3))  # [frames, donors]
        assert np.all(mismatch.min(axis=1) < 1e-9)  # each frame is some donor, rigidly moved
        np.testing.assert_allclose(np.einsum("n,fnk->fk", weights, out), np.einsum("n,fnk->fk", weights, frames),
                                   atol=1e-9)
        if choice == "rotamer_wells":
            rotamers = integ._rotamers_of_system()
            edges = rotamers.wells(donors)
            have = np.isin(rotamers.well_states(frames, edges)[:, 0], rotamers.well_states(donors, edges)[:, 0])
            assert rotamers.in_wells(frames, out, edges)[have].all()  # the hydroxyl's well is the forecast's
            wells_seen = max(wells_seen, len(edges[0]))
        checked += len(out)
    assert checked > 0
    assert choice != "rotamer_wells" or wells_seen >= 2  # the donors did span more than one hydroxyl well


@pytest.mark.parametrize("md_torch_threads", [1, None])
def test_torch_threads_during_steps_with_a_torchforce_on_the_cpu(md_torch_threads):
    """With a TorchForce on the CPU platform, step() runs torch with md_torch_threads and restores the caller's."""
    from asteroid_openmm.systems import get_system

    s = get_system("ethanol", ani_model_index=0)
    seen, n = [], s.system.getNumParticles()

    def probe(state):  # a zero force that records torch's thread count each time OpenMM evaluates forces
        seen.append(torch.get_num_threads())
        return 0.0 * unit.kilojoule_per_mole, np.zeros((n, 3)) * unit.kilojoule_per_mole / unit.nanometer

    s.system.addForce(openmm.PythonForce(probe))
    integ = AsteroidIntegrator(small_model(ReverseModel, s.atomic_numbers, 0.001), s.temperature, s.friction,
                               s.timestep, random_seed=2)
    integ.md_torch_threads = md_torch_threads
    context = openmm.Context(s.system, integ, openmm.Platform.getPlatformByName("CPU"))
    context.setPositions(s.positions)
    previous = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        seen.clear()
        integ.step(60)
        assert torch.get_num_threads() == 3
    finally:
        torch.set_num_threads(previous)
    assert seen and set(seen) == ({1} if md_torch_threads == 1 else {3}), seen


def run_cli(argv):
    """``asteroid-openmm run ARGV`` through the subcommand module (independent of the other subcommands)."""
    import argparse

    from asteroid_openmm.integrator import run

    parser = argparse.ArgumentParser()
    run.add_arguments(parser)
    return run.run_from_args(parser.parse_args(argv))


@pytest.fixture(scope="module")
def alanine_model_file(tmp_path_factory):
    from asteroid_openmm.systems import get_system

    s = get_system("alanine-dipeptide")
    path = tmp_path_factory.mktemp("model") / "ala.pt"
    save_model(small_model(AsteroidModel, s.atomic_numbers, 0.01), path, provenance={"test": True})
    return path


@pytest.mark.parametrize("source", ["builtin", "pdb"])
def test_run_cli(tmp_path, alanine_model_file, source, capsys):
    from asteroid_openmm.systems.registry import get_spec

    system = "alanine-dipeptide" if source == "builtin" else str(get_spec("alanine-dipeptide").geometry_path())
    out = tmp_path / "run"
    rc = run_cli([system, "--model", str(alanine_model_file), "--steps", "150", "--out", str(out),
               "--report-interval", "20", "--platform", "Reference", "--seed", "3", "--no-progress",
               "--anchor-steps", "20", "--max-spread", "0.1", "--thermal-fast-modes", "0"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "speed-up" in printed and "accepted" in printed
    for name in ("trajectory.dcd", "topology.pdb", "state.csv", "asteroid_stats.csv", "summary.json"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["steps"] == 150 and summary["simulated_ps"] == pytest.approx(0.3)
    assert summary["real_steps"] + summary["forecast_steps"] == 150
    assert summary["settings"]["anchor_steps"] == 20 and summary["settings"]["max_spread"] == 0.1
    assert summary["settings"]["thermal_fast_modes"] == 0
    # The untrained model only repeats/averages its context: every jump is rejected as frozen.
    assert summary["jumps_attempted"] > 0 and summary["jumps_accepted"] == 0
    assert len((out / "asteroid_stats.csv").read_text().strip().splitlines()) == 1 + 150 // 20
    # The sidecar makes the hybrid trajectory readable by train/evaluate without --frame-interval-ps.
    from asteroid_openmm.trajectories import load_trajectory

    traj = load_trajectory(out / "trajectory.dcd")
    assert traj.frame_interval == pytest.approx(20 * 0.002) and traj.n_frames == 150 // 20


def test_run_cli_preset_with_overrides(tmp_path, alanine_model_file):
    """--preset sets the named settings; knobs given with it override them; the summary records the preset."""
    out = tmp_path / "run"
    rc = run_cli(["alanine-dipeptide", "--model", str(alanine_model_file), "--steps", "60", "--out", str(out),
                  "--report-interval", "20", "--platform", "Reference", "--no-progress", "--preset", "chained",
                  "--rollouts", "2"])
    assert rc == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["preset"] == "chained" and summary["real_steps"] + summary["forecast_steps"] == 60
    settings = summary["settings"]
    assert settings["rollouts"] == 2 and settings["torsion_mc_steps"] == 8 and settings["link_mc_steps"] == 1
    assert settings["anchor_steps"] == 20 and settings["relax_steps"] == 10  # 4 and 2 frames of 0.01 ps, 2 fs steps
    with pytest.raises(SystemExit):
        run_cli(["alanine-dipeptide", "--model", str(alanine_model_file), "--steps", "10", "--out", str(out),
                 "--no-progress", "--preset", "fastest"])


def test_run_cli_equilibration_steps_run_plain_md_first_and_report_only_the_run(tmp_path, alanine_model_file):
    """--equilibration-steps: plain MD (no jumps) before the run, which alone is reported, counted and timed; its
    step count and clock start at zero; a negative count is refused."""
    out = tmp_path / "run"
    rc = run_cli(["alanine-dipeptide", "--model", str(alanine_model_file), "--steps", "60", "--out", str(out),
                  "--report-interval", "20", "--platform", "Reference", "--no-progress", "--equilibration-steps",
                  "300"])
    assert rc == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["equilibration_steps"] == 300
    assert summary["real_steps"] + summary["forecast_steps"] == 60  # the equilibration is not in the stats
    rows = (out / "state.csv").read_text().strip().splitlines()[1:]
    assert [int(r.split(",")[0]) for r in rows] == [20, 40, 60]  # steps counted from the run's start
    assert float(rows[-1].split(",")[1]) == pytest.approx(60 * 0.002)  # and its clock (ps)
    with pytest.raises(ValueError, match="equilibration-steps"):
        run_cli(["alanine-dipeptide", "--model", str(alanine_model_file), "--steps", "10", "--out", str(out),
                 "--no-progress", "--equilibration-steps", "-1"])


def test_run_cli_rejects_a_model_for_another_system(tmp_path, capsys):
    path = tmp_path / "wrong.pt"
    save_model(small_model(AsteroidModel, [6, 1, 1, 1, 8], 0.01), path)
    with pytest.raises(ValueError, match="22 atoms"):
        run_cli(["alanine-dipeptide", "--model", str(path), "--steps", "10", "--out", str(tmp_path / "o"),
                 "--platform", "Reference", "--no-progress"])
