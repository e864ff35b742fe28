"""AsteroidIntegrator: drop-in use, exact accounting, guard, ensemble, serialisation, constraints.

Real OpenMM (Reference platform: fastest for 22 atoms on few cores) and real
AsteroidModel objects. Forecast behaviour is controlled by subclassing
AsteroidModel and overriding ``forecast_torch``:

* ``ReverseModel`` replays its context backwards in time: every frame is a
  genuine MD configuration with genuine frame-to-frame motion, so the guard
  accepts it -- a deterministic stand-in for a good model.
* ``HugeModel`` / ``TranslateModel`` / ``NaNModel``: deliberately broken.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
import torch

from asteroid_openmm._openmm import import_openmm

openmm = import_openmm()
from openmm import app, unit  # noqa: E402

from asteroid_openmm.integrator import AsteroidIntegrator, AsteroidReporter  # noqa: E402
from asteroid_openmm.integrator.asteroid_integrator import MIN_ROTOR_DONORS  # noqa: E402
from asteroid_openmm.integrator.reporter import read_stats_csv  # noqa: E402
from asteroid_openmm.integrator.rotor_librations import apply_turns  # noqa: E402
from asteroid_openmm.model import AsteroidModel  # noqa: E402
from asteroid_openmm.systems import get_system  # noqa: E402

DT = 0.002  # ps
FRAME = 0.01  # ps -> frame stride 5
W, H = 10, 8  # full jump = 8 frames * 5 steps = 40 steps
KB = 0.00831446261815324  # kJ/mol/K


class ReverseModel(AsteroidModel):
    """Forecast = the context played backwards (real configurations, real motion, zero spread)."""

    def forecast_torch(self, context):
        c = context.to(self.device)
        frames = c.flip(1)[:, 1 : self.horizon + 1].clone()
        return frames, torch.zeros(c.shape[0], self.horizon, device=self.device)


class GrowingSpreadModel(ReverseModel):
    """Good frames whose STI spread grows 0.01 nm per frame (adaptive truncation)."""

    def forecast_torch(self, context):
        frames, _ = super().forecast_torch(context)
        spread = 0.01 * torch.arange(self.horizon, dtype=torch.float32)[None].expand(frames.shape[0], -1)
        return frames, spread.clone()


class SmoothedModel(ReverseModel):
    """Real conformational motion with near-mean fast modes: running means of the reversed context
    (bond and angle vibrations averaged out, as in a forecast that cannot predict them)."""

    def forecast_torch(self, context):
        frames, spread = super().forecast_torch(context)
        c = context.to(self.device).flip(1)
        smooth = torch.stack([c[:, k + 1 : k + 4].mean(1) for k in range(self.horizon)], dim=1)
        return smooth, spread


class SamplingModel(ReverseModel):
    """A stochastic forecaster: the reversed context plus 0.0005 nm of noise from torch's global generator."""

    def forecast_torch(self, context):
        frames, spread = super().forecast_torch(context)
        return frames + 0.0005 * torch.randn(frames.shape, device=frames.device), spread


class HugeModel(AsteroidModel):
    """Broken: atoms displaced by ~5 nm at random."""

    def forecast_torch(self, context):
        c = context.to(self.device)
        g = torch.Generator().manual_seed(0)
        noise = 5.0 * torch.randn(c.shape[0], self.horizon, c.shape[2], 3, generator=g)
        return c[:, -1:] + noise, torch.zeros(c.shape[0], self.horizon)


class InflatingModel(AsteroidModel):
    """Broken but chirally intact: the molecule swells 10% per frame (bonds and energy explode, handedness kept)."""

    def forecast_torch(self, context):
        last = context.to(self.device)[:, -1:]
        centre = last.mean(dim=2, keepdim=True)
        grow = 1.0 + 0.1 * torch.arange(1, self.horizon + 1, dtype=last.dtype)[None, :, None, None]
        return centre + grow * (last - centre), torch.zeros(last.shape[0], self.horizon)


class TranslateModel(ReverseModel):
    """Broken but internally intact: the whole molecule jumps 3 nm per frame (energy and bonds look fine)."""

    def forecast_torch(self, context):
        frames, spread = super().forecast_torch(context)
        shift = 3.0 * torch.arange(1, self.horizon + 1, dtype=frames.dtype)[None, :, None, None]
        return frames + shift, spread


class NaNModel(AsteroidModel):
    """Broken: NaN everywhere."""

    def forecast_torch(self, context):
        c = context.to(self.device)
        nan = torch.full((c.shape[0], self.horizon, c.shape[2], 3), float("nan"))
        return nan, torch.full((c.shape[0], self.horizon), float("nan"))


@pytest.fixture(scope="module")
def ala():
    return get_system("alanine-dipeptide")


def make_model(cls, ala, **kw):
    torch.manual_seed(0)
    kw = dict(dict(context_frames=W, horizon=H, frame_interval=FRAME, d_model=16, heads=2,
                   encoder_layers=1, decoder_layers=1, neighbours=8), **kw)
    return cls(ala.atomic_numbers, **kw)


def reference():
    return openmm.Platform.getPlatformByName("Reference")


def make_simulation(ala, integrator, seed=1):
    sim = app.Simulation(ala.topology, ala.system, integrator, reference())
    sim.context.setPositions(ala.positions)
    sim.context.setVelocitiesToTemperature(ala.temperature * unit.kelvin, seed)
    return sim


def positions_nm(context):
    return np.array(context.getState(getPositions=True, enforcePeriodicBox=False).getPositions(asNumpy=True)
                    .value_in_unit(unit.nanometer))


def plain_md_frames(ala, n_frames, seed, every=20):
    """Positions (nm) of a separate plain Langevin run, every `every` steps: a donor library's stand-in."""
    md = openmm.Context(ala.system, openmm.LangevinMiddleIntegrator(ala.temperature, ala.friction, DT), reference())
    md.setPositions(ala.positions)
    md.setVelocitiesToTemperature(ala.temperature, seed)
    frames = []
    for _ in range(n_frames):
        md.getIntegrator().step(every)
        frames.append(positions_nm(md))
    return np.array(frames)


def time_ps(context):
    return context.getState().getTime().value_in_unit(unit.picosecond)


class PlaybackProbe:
    """Reporter recording (step, in_playback, positions) to see what reporters see."""

    def __init__(self, interval):
        self.interval = interval
        self.rows = []

    def describeNextReport(self, simulation):
        return {"steps": self.interval - simulation.currentStep % self.interval, "periodic": False,
                "include": ["positions"]}

    def report(self, simulation, state):
        self.rows.append((simulation.currentStep, simulation.integrator.in_playback,
                          np.array(state.getPositions(asNumpy=True).value_in_unit(unit.nanometer))))


# ----------------------------------------------------------------------------- construction
def test_frame_interval_mismatch_names_both_values(ala):
    model = make_model(ReverseModel, ala)
    with pytest.raises(ValueError, match=r"0\.003.*0\.01|0\.01.*0\.003"):
        AsteroidIntegrator(model, 300, 1, 0.003)
    with pytest.raises(ValueError, match=r"frame_stride \(4\).*0\.002.*0\.01"):
        AsteroidIntegrator(model, 300, 1, 0.002, frame_stride=4)
    with pytest.raises(ValueError, match="multiple of frame_stride"):
        AsteroidIntegrator(model, 300, 1, 0.002, anchor_steps=23)
    with pytest.raises(ValueError, match="velocity_policy"):
        AsteroidIntegrator(model, 300, 1, 0.002, velocity_policy="maxwell")
    integ = AsteroidIntegrator(model, 300 * unit.kelvin, 1 / unit.picosecond, 2 * unit.femtosecond)
    s = integ.settings
    assert s["frame_stride"] == 5 and s["context_frames"] == W and s["horizon"] == H
    assert s["anchor_steps"] % 5 == 0 and s["anchor_steps"] >= s["relax_steps"]


def test_step_without_context_and_wrong_system_size(ala):
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), 300, 1, DT)
    with pytest.raises(RuntimeError, match="attach"):
        integ.step(1)
    small = openmm.System()
    for _ in range(3):
        small.addParticle(12.0)
    ctx = openmm.Context(small, integ, reference())
    ctx.setPositions(np.eye(3))
    with pytest.raises(ValueError, match="3 particles.*22"):
        integ.step(1)


# ----------------------------------------------------------------------------- drop-in use
def test_simulation_with_reporters_exact_step_and_time_accounting(ala, tmp_path):
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=3)
    sim = make_simulation(ala, integ)
    state_out = io.StringIO()
    probe = PlaybackProbe(6)
    # 40-step jumps: 10 and 20 divide the jump length, 7 and 13 and 6 do not.
    import mdtraj
    from mdtraj.reporters import HDF5Reporter

    h5 = HDF5Reporter(str(tmp_path / "t.h5"), 11)
    sim.reporters += [
        app.DCDReporter(str(tmp_path / "t.dcd"), 7, enforcePeriodicBox=False),
        app.XTCReporter(str(tmp_path / "t.xtc"), 9),
        app.StateDataReporter(state_out, 10, step=True, time=True, potentialEnergy=True, temperature=True),
        app.CheckpointReporter(str(tmp_path / "t.chk"), 50),
        h5,
        AsteroidReporter(str(tmp_path / "stats.csv"), 13),
        probe,
    ]
    sim.step(503)
    assert sim.currentStep == 503
    assert time_ps(sim.context) == pytest.approx(503 * DT, abs=1e-9)
    st = integ.stats
    assert st.real_steps + st.forecast_steps == 503
    assert st.jumps_accepted >= 5 and st.forecast_steps >= 200, st
    sim.step(97)
    assert sim.currentStep == 600 and time_ps(sim.context) == pytest.approx(600 * DT, abs=1e-9)

    h5.close()
    top = mdtraj.Topology.from_openmm(ala.topology)
    traj = mdtraj.load_dcd(str(tmp_path / "t.dcd"), top=top)
    assert traj.n_frames == 600 // 7
    assert np.all(np.isfinite(traj.xyz))
    assert mdtraj.load_xtc(str(tmp_path / "t.xtc"), top=top).n_frames == 600 // 9
    h5traj = mdtraj.load_hdf5(str(tmp_path / "t.h5"))
    np.testing.assert_allclose(h5traj.time, np.arange(11, 601, 11) * DT, atol=1e-6)
    assert (tmp_path / "t.chk").stat().st_size > 0
    rows = [line.split(",") for line in state_out.getvalue().strip().splitlines()[1:]]
    assert [int(r[0]) for r in rows] == list(range(10, 601, 10))
    assert all(float(r[1]) == pytest.approx(int(r[0]) * DT) for r in rows)
    assert all(math.isfinite(float(r[2])) and math.isfinite(float(r[3])) for r in rows)
    stats = read_stats_csv(tmp_path / "stats.csv")
    assert [r["step"] for r in stats] == list(range(13, 601, 13))
    assert stats[-1]["forecast_steps"] > 0 and stats[-1]["jumps_accepted"] > 0
    # Reporters saw forecast frames while they were being played back.
    playback = [r for r in probe.rows if r[1]]
    assert len(playback) >= 5
    assert [r[0] for r in probe.rows] == list(range(6, 601, 6))


def test_chunking_does_not_change_the_trajectory(ala):
    """step(1) x 300 and step(300) give the same run: playback/landing bookkeeping is exact."""
    finals = []
    for chunks in ([300], [1] * 300, [7, 33, 40, 1, 219]):
        integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=5)
        sim = make_simulation(ala, integ)
        for n in chunks:
            integ.step(n)
        assert sim.currentStep == 300
        finals.append((positions_nm(sim.context), integ.stats.jumps_accepted, integ.stats.forecast_steps))
    for x, acc, fc in finals[1:]:
        assert acc == finals[0][1] and fc == finals[0][2]
        np.testing.assert_allclose(x, finals[0][0], atol=1e-10)


def test_a_sampling_model_gives_reproducible_runs_per_seed(ala):
    """Forecast draws are seeded per jump from random_seed and leave the caller's torch generator alone."""
    finals = []
    for seed in (21, 21, 22):
        integ = AsteroidIntegrator(make_model(SamplingModel, ala), ala.temperature, ala.friction, DT,
                                   random_seed=seed)
        sim = make_simulation(ala, integ)
        torch.manual_seed(0)
        before = torch.get_rng_state()
        sim.step(200)
        assert torch.equal(torch.get_rng_state(), before)
        assert integ.stats.jumps_accepted > 0
        finals.append(positions_nm(sim.context))
    np.testing.assert_array_equal(finals[0], finals[1])
    assert np.abs(finals[0] - finals[2]).max() > 1e-4


def test_noise_scale_reaches_the_model_during_forecasts_only(ala):
    """``noise_scale`` is an integrator setting (XML keeps it) that the model sees while it forecasts."""

    class ScaleRecordingModel(ReverseModel):
        def forecast_torch(self, context):
            self.seen.append(self.noise_scale)
            return super().forecast_torch(context)

    model = make_model(ScaleRecordingModel, ala)
    model.seen = []
    integ = AsteroidIntegrator(model, ala.temperature, ala.friction, DT, random_seed=4, noise_scale=0.25)
    sim = make_simulation(ala, integ)
    sim.step(200)
    assert integ.stats.jumps_accepted > 0 and model.seen and set(model.seen) == {0.25}
    assert model.noise_scale == 1.0  # restored after each forecast
    restored = AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(integ), model)
    assert restored.get_setting("noise_scale") == 0.25
    with pytest.raises(ValueError, match="noise_scale"):
        AsteroidIntegrator(model, ala.temperature, ala.friction, DT, noise_scale=-1.0)


def test_bare_context(ala):
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=2)
    ctx = openmm.Context(ala.system, integ, reference())
    ctx.setPositions(ala.positions)
    ctx.setVelocitiesToTemperature(300, 1)
    total = 0
    for n in (1, 2, 3, 17, 40, 100, 7, 130):
        integ.step(n)
        total += n
        assert ctx.getStepCount() == total
        assert time_ps(ctx) == pytest.approx(total * DT, abs=1e-9)
    assert integ.stats.jumps_accepted > 0
    assert np.isfinite(ctx.getState(getEnergy=True).getPotentialEnergy()._value)


# ----------------------------------------------------------------------------- guard
@pytest.mark.parametrize("cls,reason", [
    (HugeModel, "bond"), (TranslateModel, "displacement"), (NaNModel, "non-finite"), (AsteroidModel, "frozen"),
])
def test_broken_models_are_caught_and_md_continues(ala, cls, reason):
    integ = AsteroidIntegrator(make_model(cls, ala), ala.temperature, ala.friction, DT, random_seed=4)
    sim = make_simulation(ala, integ)
    out = io.StringIO()
    sim.reporters.append(app.StateDataReporter(out, 5, step=True, potentialEnergy=True, temperature=True))
    sim.step(400)
    st = integ.stats
    assert sim.currentStep == 400
    assert st.jumps_attempted >= 3 and st.jumps_accepted == 0 and st.jumps_rejected == st.jumps_attempted
    assert st.real_steps == 400 and st.forecast_steps == 0
    assert any(reason in r for r in st.rejection_reasons), st.rejection_reasons
    values = np.array([[float(v) for v in line.split(",")] for line in out.getvalue().strip().splitlines()[1:]])
    assert len(values) == 80 and np.all(np.isfinite(values))
    assert np.all(np.abs(values[:, 1]) < 500)  # kJ/mol: never an exploded frame


def test_rejection_restores_the_exact_pre_jump_state(ala):
    """A jump rejected after real energy evaluations leaves positions and velocities bit-identical."""
    integ = AsteroidIntegrator(make_model(InflatingModel, ala), ala.temperature, ala.friction, DT, random_seed=6,
                               bond_tolerance=100.0, displacement_factor=1e6,  # let it reach the energy check
                               thermal_fast_modes=False)  # (they would repair the swollen bonds)
    sim = make_simulation(ala, integ)
    checked = 0
    for _ in range(60):
        sim.step(5)
        if integ.getGlobalVariableByName("steps_to_forecast") == 0:  # the next step() starts with a forecast
            before = sim.context.getState(getPositions=True, getVelocities=True)
            x0, v0 = before.getPositions(asNumpy=True)._value, before.getVelocities(asNumpy=True)._value
            rejected = integ.stats.jumps_rejected
            integ._attempt_jump(sim.context)
            after = sim.context.getState(getPositions=True, getVelocities=True)
            assert integ.stats.jumps_rejected == rejected + 1 and not integ.in_playback
            assert np.array_equal(after.getPositions(asNumpy=True)._value, x0)
            assert np.array_equal(after.getVelocities(asNumpy=True)._value, v0)
            checked += 1
    assert checked >= 2
    assert any("energy" in r or "force" in r for r in integ.stats.rejection_reasons), integ.stats.rejection_reasons
    assert np.isfinite(sim.context.getState(getEnergy=True).getPotentialEnergy()._value)


def test_adaptive_truncation_by_spread(ala):
    integ = AsteroidIntegrator(make_model(GrowingSpreadModel, ala), ala.temperature, ala.friction, DT,
                               random_seed=7, max_spread=0.035)
    sim = make_simulation(ala, integ)
    sim.step(400)
    st = integ.stats
    assert st.jumps_accepted > 0 and st.jumps_truncated == st.jumps_accepted
    # Spread 0.00, 0.01, 0.02, 0.03 pass: every jump is 4 frames = 20 steps.
    assert st.forecast_steps % 20 == 0 and st.forecast_steps > 0
    assert sim.currentStep == 400


# ----------------------------------------------------------------------------- ensemble
def _block_mean(x, blocks=20):
    x = np.asarray(x)
    b = x[: len(x) // blocks * blocks].reshape(blocks, -1).mean(axis=1)
    return x.mean(), b.std(ddof=1) / np.sqrt(blocks)


def test_forecasting_off_samples_the_langevin_middle_ensemble(ala):
    """Temperature and potential-energy averages agree with LangevinMiddleIntegrator within 4 sigma."""
    ndof = 3 * ala.system.getNumParticles() - ala.system.getNumConstraints() - 3
    gamma, n_samples, every = 5.0, 5000, 20
    results = {}
    for kind in ("middle", "asteroid"):
        if kind == "middle":
            integ = openmm.LangevinMiddleIntegrator(300, gamma, DT)
            integ.setRandomNumberSeed(11)
        else:
            integ = AsteroidIntegrator(make_model(ReverseModel, ala), 300, gamma, DT, forecasting=False,
                                       random_seed=12)
        ctx = openmm.Context(ala.system, integ, reference())
        ctx.setPositions(ala.positions)
        ctx.setVelocitiesToTemperature(300, 13)
        integ.step(3000)
        temps, energies = [], []
        for _ in range(n_samples):
            integ.step(every)
            st = ctx.getState(getEnergy=True)
            temps.append(2 * st.getKineticEnergy()._value / (ndof * KB))
            energies.append(st.getPotentialEnergy()._value)
        results[kind] = (_block_mean(temps), _block_mean(energies))
    (t1, st1), (e1, se1) = results["middle"]
    (t2, st2), (e2, se2) = results["asteroid"]
    t_err, e_err = math.hypot(st1, st2), math.hypot(se1, se2)
    # Power: a 16 K (5%) temperature error or a 6 kJ/mol shift (half a standard deviation) would fail.
    assert t_err < 4.0 and e_err < 1.5, (t_err, e_err)
    assert abs(t1 - t2) < 4 * t_err, (t1, t2, t_err)
    assert abs(e1 - e2) < 4 * e_err, (e1, e2, e_err)
    assert abs(t2 - 300) < 4 * st2


# ----------------------------------------------------------------------------- constraints, velocities
def test_hbond_constraints_hold_after_jumps(ala):
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=8)
    sim = make_simulation(ala, integ)
    cons = [ala.system.getConstraintParameters(i) for i in range(ala.system.getNumConstraints())]
    pairs = np.array([(c[0], c[1]) for c in cons])
    d0 = np.array([c[2].value_in_unit(unit.nanometer) for c in cons])
    seen_playback = seen_landing = 0
    was_playing = False
    for _ in range(160):
        sim.step(3)
        x = positions_nm(sim.context)
        d = np.linalg.norm(x[pairs[:, 0]] - x[pairs[:, 1]], axis=1)
        assert np.max(np.abs(d - d0) / d0) < 1e-5
        seen_playback += integ.in_playback
        seen_landing += was_playing and not integ.in_playback
        was_playing = integ.in_playback
    assert seen_playback >= 10 and seen_landing >= 3 and integ.stats.jumps_accepted >= 3


def test_thermal_fast_modes_give_played_back_frames_real_bond_fluctuations(ala):
    """Forecast frames with averaged-out vibrations are played back with real bond/angle fluctuations."""
    bonds = np.array([[b[0].index, b[1].index] for b in ala.topology.bonds()])
    masses = np.array([ala.system.getParticleMass(i)._value for i in range(ala.system.getNumParticles())])
    heavy_bonds = bonds[(masses[bonds[:, 0]] > 2) & (masses[bonds[:, 1]] > 2)]  # X-H bonds are constrained
    spread = {}
    for thermal in (True, False):
        integ = AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT, random_seed=12,
                                   thermal_fast_modes=thermal, energy_sigma_low=100)
        sim = make_simulation(ala, integ)
        probe = PlaybackProbe(5)
        sim.reporters.append(probe)
        sim.step(2000)
        assert integ.stats.forecast_steps > 500
        lengths = {True: [], False: []}
        for _, playing, x in probe.rows[40:]:
            lengths[playing].append(np.linalg.norm(x[heavy_bonds[:, 0]] - x[heavy_bonds[:, 1]], axis=1))
        real, played = (np.std(lengths[k], axis=0).mean() for k in (False, True))
        spread[thermal] = played / real
    print("played-back / real bond-length spread (thermal fast modes on, off):", spread)
    # Averaged frames have too narrow a bond-length distribution; thermal fast modes restore it.
    assert spread[False] < 0.75, spread
    assert 0.8 < spread[True] < 1.25, spread


def test_reporters_between_model_frames_see_the_nearest_frame_or_the_interpolation(ala):
    """playback_interpolation: a reporter every step (frame stride 5) sees, between two model frames, the nearest
    one (default; the later on a tie) or, with playback_interpolation=1, the linear interpolation of the two."""
    for linear in (False, True):
        integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=4,
                                   playback_interpolation=linear)
        assert integ.get_setting("playback_interpolation") == int(linear)
        sim = make_simulation(ala, integ)
        probe = PlaybackProbe(1)
        sim.reporters.append(probe)
        sim.step(400)
        assert integ.stats.forecast_steps > 100
        rows = {step: (playing, x) for step, playing, x in probe.rows}
        checked = 0
        for step, (playing, x) in rows.items():
            # A playback step k steps past a model frame, with both neighbouring frames reported in the same jump.
            k = step % 5
            before, after = rows.get(step - k), rows.get(step - k + 5)
            if not (playing and k and before and after and all(
                    rows.get(s, (False,))[0] for s in range(step - k, step - k + 6))):
                continue
            if linear:
                expected = (1 - k / 5) * before[1] + k / 5 * after[1]
                # Interpolated positions have their HBonds constraints re-applied: those atoms move a little.
                np.testing.assert_allclose(x, expected, atol=2e-3)
                assert np.abs(x - before[1]).max() > 1e-3 and np.abs(x - after[1]).max() > 1e-3
            else:
                np.testing.assert_allclose(x, (after if k >= 3 else before)[1], atol=1e-6)
            checked += 1
        assert checked > 50, checked
    xml = openmm.XmlSerializer.serialize(integ)
    old = "\n".join(line for line in xml.splitlines() if 'name="playback_interpolation"' not in line)
    assert AsteroidIntegrator.from_xml(old, integ.model).get_setting("playback_interpolation") == 1  # as before


def test_fast_mode_library_donates_the_committed_frames_fast_modes(ala):
    """fast_mode_library: committed frames take their 1-2/1-3 distances from the model's donor library (real frames
    of a separate plain run), not from the run's own real frames; a missing library or one of another temperature
    is refused with the fix named."""
    from asteroid_openmm.model.donor_library import attach_donor_library

    library = plain_md_frames(ala, 80, seed=8)
    model = make_model(ReverseModel, ala)
    with pytest.raises(ValueError, match="no fast-mode donor library.*asteroid-openmm donors"):
        AsteroidIntegrator(model, ala.temperature, ala.friction, DT, fast_mode_library=True)
    attach_donor_library(model, library, ala.temperature)
    with pytest.raises(ValueError, match="taken at"):
        AsteroidIntegrator(model, 1.5 * ala.temperature, ala.friction, DT, fast_mode_library=True)
    integ = AsteroidIntegrator(model, ala.temperature, ala.friction, DT, random_seed=3, fast_mode_library=True)
    with pytest.raises(ValueError, match="taken at"):
        integ.setTemperature(2 * ala.temperature)
    restored = AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(integ), model)
    assert restored.get_setting("fast_mode_library") == 1
    sim = make_simulation(ala, integ)
    committed, thermalise = [], integ._thermalise_fast_modes

    def spy(frames):
        out = thermalise(frames)
        committed.append(out)
        return out

    integ._thermalise_fast_modes = spy
    sim.step(600)
    assert committed and integ.stats.jumps_accepted > 0
    fast_modes = integ._fast_mode_resampler()
    got = fast_modes.coordinates(np.concatenate(committed))

    def nearest(donors):  # each committed frame's largest distance difference (nm) to its closest donor
        return np.abs(got[:, None] - fast_modes.coordinates(donors)[None]).max(axis=-1).min(axis=1)

    # rollouts=1: no smoothing, so each frame copies one library frame's distances (to the solver's ~1e-3 nm).
    from_library, from_own = nearest(library), nearest(np.stack(integ._fast_donors))
    print("largest distance difference to the closest library / own donor (nm):", from_library.max(), from_own.min())
    assert from_library.max() < 2e-3 and from_own.min() > 5e-3


def test_fast_mode_covariance_history_keeps_recent_equilibrium_frames(ala):
    """``fast_mode_covariance_frames`` / ``fast_mode_donor_frames``: covariance and donors come from that many
    recent real frames."""
    integ = AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT, random_seed=12,
                               rollouts=2, fast_mode_covariance_frames=6, fast_mode_donor_frames=5,
                               energy_sigma_low=100)
    sim = make_simulation(ala, integ)
    seen = []
    resample = integ._thermalise_fast_modes

    def spy(frames):
        seen.append(len(integ._fast_distances))
        return resample(frames)

    integ._thermalise_fast_modes = spy
    sim.step(1500)
    assert integ.stats.forecast_steps > 0 and seen
    assert len(integ._fast_distances) == 6  # bounded by the setting
    assert len(integ._fast_donors) == 5  # the donor pool too
    # The newest entry is the newest equilibrium real frame's 1-2/1-3 distances.
    newest = integ._fast_mode_resampler().distances(integ._fast_donors[-1])
    np.testing.assert_allclose(integ._fast_distances[-1], newest)
    integ.set_setting("fast_mode_covariance_frames", 3)
    assert len(integ._fast_distances) == 3
    integ.set_setting("fast_mode_donor_frames", 2)
    assert len(integ._fast_donors) == 2
    integ.setTemperature(ala.temperature * 1.1)  # thermal samples of another temperature are forgotten
    assert len(integ._fast_donors) == 0 and len(integ._fast_distances) == 0
    with pytest.raises(ValueError, match="fast_mode_donor_frames"):
        AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT,
                           fast_mode_donor_frames=0)
    with pytest.raises(ValueError, match="fast_mode_covariance_frames"):
        AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT,
                           fast_mode_covariance_frames=-1)


def test_fast_mode_donor_stride_takes_donors_every_few_equilibrium_steps(ala):
    """``fast_mode_donor_stride`` k: a donor every k steps of equilibrium real MD (never in relaxation or playback),
    each the Context's positions at that step; 0 keeps the recorded frames (every frame_stride steps)."""
    stride = int(round(FRAME / DT))
    counts = {}
    for k in (0, 3):
        # NaN forecasts are all rejected: every step is equilibrium real MD.
        integ = AsteroidIntegrator(make_model(NaNModel, ala), ala.temperature, ala.friction, DT, random_seed=4,
                                   fast_mode_donor_stride=k, fast_mode_donor_frames=1000)
        sim = make_simulation(ala, integ)
        sim.step(300)
        counts[k] = len(integ._fast_donors)
    # Donors start with the first recorded frame, which sets up the bond list.
    assert counts == {0: 300 // stride, 3: (300 - stride) // 3}, counts

    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=4,
                               fast_mode_donor_stride=3, fast_mode_donor_frames=1000, energy_sigma_low=100)
    sim = make_simulation(ala, integ)
    add = integ._add_fast_mode_donor
    taken = []

    def spy(x):
        assert not integ.in_playback and not integ._relax_active
        np.testing.assert_allclose(x, positions_nm(sim.context), atol=1e-6)
        taken.append(sim.context.getState().getStepCount())
        add(x)

    integ._add_fast_mode_donor = spy
    sim.step(600)
    assert integ.stats.jumps_accepted > 0 and len(taken) == len(integ._fast_donors)
    # Steps between donors: 3 within a stretch of real MD, more across a jump and its relaxation.
    gaps = np.diff(taken)
    assert gaps.min() == 3 and (gaps > 3).sum() >= integ.stats.jumps_accepted - 1, gaps
    with pytest.raises(ValueError, match="fast_mode_donor_stride"):
        AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT,
                           fast_mode_donor_stride=-1)


def test_thermal_fast_modes_switched_on_mid_run_wait_for_donors(ala):
    """Switched on after real MD recorded no donors, thermal fast modes leave frames as forecast, then use donors."""
    integ = AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT, random_seed=5,
                               thermal_fast_modes=False, energy_sigma_low=100)
    sim = make_simulation(ala, integ)
    sim.step(600)
    assert integ.stats.forecast_steps > 0 and len(integ._fast_donors) == 0
    integ.set_setting("thermal_fast_modes", 1)
    frames = np.stack(integ._history)
    np.testing.assert_array_equal(integ._thermalise_fast_modes(frames), frames)  # no donors yet: as forecast
    sim.step(600)
    assert len(integ._fast_donors) > 0
    assert not np.array_equal(integ._thermalise_fast_modes(frames), frames)


def test_rotamer_window_draws_fast_mode_donors_in_the_forecast_frames_rotamer(ala):
    """``rotamer_window``: each frame's donor matches its rotamer torsions on as many torsions as any donor does."""
    with pytest.raises(ValueError, match="rotamer_window"):
        AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT, rotamer_window=-5)
    seen = {}
    for window in (60.0, 0.0):
        integ = AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT, random_seed=12,
                                   energy_sigma_low=100, rotamer_window=window)
        sim = make_simulation(ala, integ)
        resampler, calls = integ._fast_mode_resampler, []  # built on first use

        def spy(frames, donors, rng, bandwidth=0.0, covariance_sample=None, picks=None, resampler=resampler,
                calls=calls):
            calls.append((frames, donors, picks))
            return resampler()(frames, donors, rng, bandwidth, covariance_sample, picks)

        integ._fast_mode_resampler = lambda spy=spy: spy
        sim.step(1500)
        assert integ.stats.forecast_steps > 0 and calls
        seen[window] = (integ, calls)
    assert all(picks is None for _, _, picks in seen[0.0][1])  # 0: any donor, the resampler's own draw
    integ, calls = seen[60.0]
    matcher = integ._rotamers_of_system()
    assert len(matcher) == 4  # alanine dipeptide: two amide bonds, phi, psi
    used = set()
    for frames, donors, picks in calls:
        diff = np.abs((matcher.torsions(frames)[:, None] - matcher.torsions(donors)[None] + 180) % 360 - 180)
        matches = (diff < 60).sum(-1)
        assert np.array_equal(matches[np.arange(len(picks)), picks], matches.max(axis=1))
        used.update(picks.tolist())
    assert len(used) > 3


def test_forecast_context_chooses_what_the_next_forecast_sees(ala):
    """The next forecast's context holds the model's own frames (default) or the played-back ones."""
    for own in (True, False):
        # No landing moves: they turn the context frames too (see test_landing_metropolis_moves_use_the_real_...).
        # Nor landing_context: it makes the carried frames continuous with the landing frame (the next test).
        integ = AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT, random_seed=12,
                                   forecast_context=own, energy_sigma_low=100, rotor_mc_steps=0,
                                   landing_context=False)
        assert integ.get_setting("forecast_context") == int(own)
        sim = make_simulation(ala, integ)
        raw, forecast = [], integ._forecast

        def spy(ctx, context, forecast=forecast):
            frames, spread, link_seconds = forecast(ctx, context)
            raw.append(frames)
            return frames, spread, link_seconds

        integ._forecast = spy
        played = None
        for _ in range(400):
            if integ.in_playback:
                played = integ._jump.frames
            was_playing = integ.in_playback
            sim.step(1)
            if was_playing and not integ.in_playback:
                break
        assert played is not None and not integ.in_playback
        n = len(played) - 1  # committed frames; the last one is the landing frame
        context = np.stack(list(integ._history)[-n:-1])
        # Thermal fast modes made the played-back frames differ from the model's ...
        assert not np.allclose(played[1:-1], raw[-1][: n - 1], atol=1e-4)
        # ... and the setting decides which of them the next forecast sees.
        expected = raw[-1][: n - 1] if own else played[1:-1]
        np.testing.assert_allclose(context, expected, atol=1e-12)


def test_landing_context_makes_the_carried_frames_continuous_with_the_landing_frame(ala):
    """landing_context: the model's frames carried into the next context get the landing frame's rotor turns and
    a growing share of the rest of its difference, so the context has no one-frame jump at the landing."""
    runs = {}
    for match in (False, True):
        integ = AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT, random_seed=12,
                                   energy_sigma_low=100, rotor_mc_steps=0, landing_context=match)
        assert integ.get_setting("landing_context") == int(match)
        sim = make_simulation(ala, integ)
        landings, land = [], integ._land

        def landing(ctx, integ=integ, land=land, landings=landings):
            raw, committed = integ._jump.context, integ._jump.frames[-1]
            land(ctx)
            landings.append((raw, np.stack(integ._history), committed))

        integ._land = landing
        while len(landings) < 3:  # by the third landing thermal rotors have their donors
            sim.step(10)
        runs[match] = landings
    rotors = integ._rotor_librations()
    assert len(rotors) == 3  # alanine dipeptide's methyl groups
    heavy = np.asarray(ala.atomic_numbers) > 1
    (raw, off, _), turns = runs[False][0], []
    np.testing.assert_allclose(runs[True][0][0], raw, atol=1e-12)  # the same first jump in both runs
    np.testing.assert_allclose(off[-len(raw) + 1:-1], raw[1:-1], atol=1e-12)  # without: carried as forecast
    for k, (raw, on, committed) in enumerate(runs[True]):
        m = len(raw) - 2  # carried model frames (fewer than the context holds)
        assert 2 <= m < len(on) - 1
        landed = on[-1]  # the committed frame with constraints applied
        turn = rotors.turns_between(raw[-1], committed)
        turns.append(np.abs(np.degrees(turn)).max())
        turned = apply_turns(raw[-m - 1:-1], rotors.turns, turn)
        rest = landed - apply_turns(raw[-1][None], rotors.turns, turn)[0]
        # The model's frames, turned like the landing frame's rotors, the k-th of m moved k / (m + 1) of the rest
        # of the way: their own frame-to-frame motion is kept, and the last step is 1 / (m + 1) of the rest.
        share = np.arange(1, m + 1)[:, None, None] / (m + 1)
        np.testing.assert_allclose(on[-m - 1:-1], turned + share * rest[None], atol=1e-9)
        np.testing.assert_allclose(np.diff(on[-m - 1:-1], axis=0)[:, heavy] - np.diff(raw[1:-1], axis=0)[:, heavy],
                                   np.broadcast_to(rest[heavy] / (m + 1), (m - 1, heavy.sum(), 3)), atol=1e-9)
        if k == 0:  # against the run without: the step into the landing frame departs far less from the model's
            own = raw[-1] - raw[-2]
            excess_off = np.linalg.norm(landed - off[-2] - own, axis=-1).max()
            assert np.linalg.norm(landed - on[-2] - own, axis=-1).max() < 0.5 * excess_off
    assert max(turns) > 1.0  # thermal rotors turned the landing frames' methyl groups, and the context with them


def test_finite_difference_velocities_have_bath_kinetic_energy(ala):
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=9,
                               velocity_policy="finite-difference")
    sim = make_simulation(ala, integ)
    ndof = 3 * ala.system.getNumParticles() - ala.system.getNumConstraints() - 3
    landings = 0
    for _ in range(300):
        playing = integ.in_playback
        sim.step(1)
        if playing and not integ.in_playback:  # this step landed; no real step after it yet
            ke = sim.context.getState(getEnergy=True).getKineticEnergy()._value
            assert 2 * ke / (ndof * KB) == pytest.approx(300.0, rel=1e-6)
            landings += 1
    assert landings >= 3


# ----------------------------------------------------------------------------- serialisation
def test_fast_mode_bandwidth_is_automatic_for_chained_jumps(ala):
    from asteroid_openmm.integrator.asteroid_integrator import AUTO_FAST_MODE_BANDWIDTH

    model = make_model(ReverseModel, ala)
    for rollouts, expected in ((1, 0.0), (3, AUTO_FAST_MODE_BANDWIDTH)):
        integ = AsteroidIntegrator(model, ala.temperature, ala.friction, DT, rollouts=rollouts)
        assert integ.get_setting("fast_mode_bandwidth") == -1  # automatic, kept as such in XML and checkpoints
        assert integ._fast_mode_bandwidth() == expected
    integ.set_setting("rollouts", 1)
    assert integ._fast_mode_bandwidth() == 0.0
    integ.set_setting("fast_mode_bandwidth", 0.5)
    assert integ._fast_mode_bandwidth() == 0.5
    with pytest.raises(ValueError, match="fast_mode_bandwidth"):
        AsteroidIntegrator(model, ala.temperature, ala.friction, DT, fast_mode_bandwidth=-0.5)


def test_xml_round_trip_keeps_every_setting(ala):
    model = make_model(ReverseModel, ala)
    integ = AsteroidIntegrator(model, 310, 2.0, DT, rollouts=2, anchor_steps=30, relax_steps=15, relax_friction=60,
                               velocity_policy="finite-difference", max_spread=0.03, energy_sigma_low=3,
                               energy_sigma_high=5, force_factor=2.5, bond_tolerance=0.015, displacement_factor=3,
                               min_motion_fraction=0.1, min_jump_frames=3, guard_evaluations=4,
                               thermal_fast_modes=False, forecast_context=False, constraint_tolerance=1e-7,
                               fast_mode_bandwidth=0.7, fast_mode_covariance_frames=200, torsion_kick=0.4, fast_mode_donor_frames=100,
                               thermal_rotors=True, rotor_mc_steps=3, rotamer_window=45, random_seed=21)
    assert integ.get_setting("fast_mode_bandwidth") == pytest.approx(0.7)
    assert integ.get_setting("rotamer_window") == pytest.approx(45)
    assert integ.get_setting("torsion_kick") == pytest.approx(0.4)
    assert integ.get_setting("fast_mode_covariance_frames") == 200
    assert integ.get_setting("fast_mode_donor_frames") == 100
    assert integ.get_setting("thermal_rotors") == 1 and integ.get_setting("rotor_mc_steps") == 3
    xml = openmm.XmlSerializer.serialize(integ)
    plain = openmm.XmlSerializer.deserialize(xml)
    assert type(plain) is openmm.CustomIntegrator
    restored = AsteroidIntegrator.from_xml(xml, model)
    assert isinstance(restored, AsteroidIntegrator)
    assert restored.settings == integ.settings
    assert restored.getRandomNumberSeed() == integ.getRandomNumberSeed()
    assert restored.getConstraintTolerance() == pytest.approx(1e-7)
    assert openmm.XmlSerializer.serialize(restored) == xml
    with pytest.raises(ValueError, match="not made by AsteroidIntegrator"):
        AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(openmm.CustomIntegrator(0.001)), model)
    # A plain deserialised copy still runs (Langevin MD with the stored settings).
    ctx = openmm.Context(ala.system, plain, reference())
    ctx.setPositions(ala.positions)
    plain.step(10)
    assert ctx.getStepCount() == 10


def test_checkpoint_and_state_restore_mid_forecast(ala, tmp_path):
    model = make_model(ReverseModel, ala)
    integ = AsteroidIntegrator(model, ala.temperature, ala.friction, DT, random_seed=10, max_spread=0.04)
    sim = make_simulation(ala, integ)
    while not integ.in_playback or integ.stats.jumps_accepted < 2:
        sim.step(3)
    saved_step, saved_time, saved_x = sim.currentStep, time_ps(sim.context), positions_nm(sim.context)
    sim.saveCheckpoint(str(tmp_path / "c.chk"))
    sim.saveState(str(tmp_path / "s.xml"))
    xml = openmm.XmlSerializer.serialize(integ)
    sim.step(123)

    # Same simulation: load in the middle of a later run.
    for load in (sim.loadCheckpoint, sim.loadState):
        load(str(tmp_path / ("c.chk" if load == sim.loadCheckpoint else "s.xml")))
        assert sim.currentStep == saved_step and time_ps(sim.context) == pytest.approx(saved_time, abs=1e-12)
        np.testing.assert_allclose(positions_nm(sim.context), saved_x, atol=1e-9)
        real_before, accepted_before = integ.stats.real_steps, integ.stats.jumps_accepted
        sim.step(1)
        # Stale forecast discarded: the step was real MD (re-anchoring), not playback.
        assert not integ.in_playback and integ.stats.real_steps == real_before + 1
        sim.step(299)
        assert sim.currentStep == saved_step + 300
        assert time_ps(sim.context) == pytest.approx(saved_time + 300 * DT, abs=1e-9)
        assert integ.stats.jumps_accepted > accepted_before
        assert np.isfinite(sim.context.getState(getEnergy=True).getPotentialEnergy()._value)
        assert integ.get_setting("max_spread") == 0.04

    # Fresh simulation from the serialised integrator + checkpoint.
    integ2 = AsteroidIntegrator.from_xml(xml, model)
    sim2 = app.Simulation(ala.topology, ala.system, integ2, reference())
    sim2.loadCheckpoint(str(tmp_path / "c.chk"))
    assert sim2.currentStep == saved_step and integ2.settings == integ.settings
    sim2.step(250)
    assert sim2.currentStep == saved_step + 250 and integ2.stats.jumps_accepted > 0


# ----------------------------------------------------------------------------- guard logic, settings
def test_guard_truncates_bisects_and_probes_the_middle():
    from asteroid_openmm.integrator.guard import JumpGuard, RealMDStatistics

    rng = np.random.default_rng(0)
    n_atoms = 4
    ref = RealMDStatistics(bonds=np.array([[0, 1]]), heavy=np.ones(n_atoms, bool))
    x = np.zeros((n_atoms, 3))
    x[1, 0] = 0.1  # bond 0-1 of 0.1 nm
    prev = None
    for i in range(10):
        frame = x + 0.01 * i * np.array([1.0, 0, 0])  # rigid drift 0.01 nm per frame
        frame = frame + 1e-4 * rng.normal(size=frame.shape)
        ref.add_frame(frame, energy=-10.0 + rng.normal(), max_force=100.0, previous=prev)
        prev = frame
    start = prev
    frames = start + 0.01 * np.arange(1, 9)[:, None, None] * np.array([1.0, 0, 0])
    guard = JumpGuard(max_spread=0.05, energy_sigma_low=4, energy_sigma_high=4, force_factor=3, bond_tolerance=0.02,
                      displacement_factor=4, min_motion_fraction=0.25, min_jump_frames=2, guard_evaluations=3, kT=2.5)
    good_forces = np.full((n_atoms, 3), 10.0)
    calls = []

    def evaluate_with(bad_from):
        def evaluate(frame):
            k = int(round((frame[0, 0] - start[0, 0]) / 0.01)) - 1  # which forecast frame this is
            calls.append(k)
            return (1e3 if k >= bad_from else -10.0), good_forces
        return evaluate

    spread = np.zeros(8)
    assert guard.decide(start, frames, spread, ref, evaluate_with(99)).n_frames == 8
    assert calls == [7, 3]  # landing, then the middle probe
    # NaN from frame 5 on: cut before it, landing re-chosen among the good frames.
    broken = frames.copy()
    broken[5:] = np.nan
    calls.clear()
    d = guard.decide(start, broken, spread, ref, evaluate_with(99))
    assert d.n_frames == 5 and "non-finite" in d.reason and calls == [4, 2]
    # Landing implausible: bisect back to the first half of the jump.
    calls.clear()
    d = guard.decide(start, frames, spread, ref, evaluate_with(6))
    assert d.n_frames == 4 and "above" in d.reason and calls[:2] == [7, 3]
    # STI spread above max_spread from frame 3 on: adaptive jump of 3 frames.
    d = guard.decide(start, frames, np.array([0, 0.01, 0.02, 0.06, 0.07, 0.08, 0.09, 0.1]), ref,
                     evaluate_with(99))
    assert d.n_frames == 3 and "spread" in d.reason
    # Frozen forecast (no motion after the first frame) and a stretched bond.
    frozen = np.repeat(frames[:1], 8, axis=0)
    assert guard.decide(start, frozen, spread, ref, evaluate_with(99)).n_frames == 0
    stretched = frames.copy()
    stretched[:, 1, 0] += 0.05
    assert "bond" in guard.decide(start, stretched, spread, ref, evaluate_with(99)).reason


def test_guard_leaves_bonds_to_rebuilt_atoms_unjudged(ala):
    """``rebuilt_atoms``: a stretched methyl C-H bond is judged unless committed frames rebuild its hydrogen."""
    from asteroid_openmm.integrator.guard import JumpGuard, RealMDStatistics

    bonds = np.array([[b[0].index, b[1].index] for b in ala.topology.bonds()])
    x = np.array(ala.positions.value_in_unit(unit.nanometer))
    ref = RealMDStatistics(bonds, heavy=np.ones(len(x), bool))
    drift = 0.002 * np.array([1.0, 0.0, 0.0])
    for i in range(6):
        ref.add_frame(x + i * drift, energy=-10.0, max_force=100.0, previous=None if i == 0 else x + (i - 1) * drift)
    start = x + 5 * drift
    frames = start + drift * np.arange(1, 9)[:, None, None]
    stretched = frames.copy()
    stretched[3:, 1] += 0.03 * (stretched[3:, 1] - stretched[3:, 0]) / np.linalg.norm(x[1] - x[0])  # ACE C1-H1
    kw = dict(max_spread=0.05, energy_sigma_low=4, energy_sigma_high=4, force_factor=3, bond_tolerance=0.02,
              displacement_factor=1e6, min_motion_fraction=0, min_jump_frames=2, guard_evaluations=3, kT=2.5)
    judged = JumpGuard(**kw).screen(start, stretched, np.zeros(8), ref)
    assert judged.n_frames == 3 and judged.reason.startswith("bond length")
    assert JumpGuard(**kw, rebuilt_atoms=[1, 2, 3]).screen(start, stretched, np.zeros(8), ref).n_frames == 8
    # Another bond to a rebuilt atom's partner is still judged.
    other = frames.copy()
    other[3:, 4] += 0.05
    assert JumpGuard(**kw, rebuilt_atoms=[1, 2, 3]).screen(start, other, np.zeros(8), ref).n_frames == 3
    # The integrator rebuilds rotor atoms only with thermal fast modes and thermal rotors, and without the check.
    integ = AsteroidIntegrator(make_model(SmoothedModel, ala), ala.temperature, ala.friction, DT)
    integ._ref = RealMDStatistics(bonds, heavy=np.ones(len(x), bool))
    assert len(integ._rebuilt_atoms()) == 0  # rotor_bond_check=True by default
    integ.set_setting("rotor_bond_check", 0)
    assert sorted(integ._rebuilt_atoms().tolist()) == [1, 2, 3, 11, 12, 13, 19, 20, 21]  # three methyl groups
    integ.set_setting("thermal_rotors", 0)
    assert len(integ._rebuilt_atoms()) == 0


def test_guard_catches_inverted_sp3_centres(ala):
    """A mirror-image or H-swapped sp3 centre keeps every distance and energy, but is no thermal motion."""
    from asteroid_openmm.integrator.guard import JumpGuard, RealMDStatistics

    bonds = np.array([[b[0].index, b[1].index] for b in ala.topology.bonds()])
    x = np.array(ala.positions.value_in_unit(unit.nanometer))
    ref = RealMDStatistics(bonds, heavy=np.ones(len(x), bool))
    # sp3 centres: ACE CH3, CA, CB, NME C; not the planar carbonyl carbons or the amide nitrogens.
    assert sorted(ref.stereo_centres[:, 0].tolist()) == [0, 8, 10, 18]
    drift = 0.002 * np.array([1.0, 0.0, 0.0])
    prev = None
    for i in range(6):
        ref.add_frame(x + i * drift, energy=-10.0 + 0.1 * i, max_force=100.0, previous=prev)
        prev = x + i * drift
    start = prev
    frames = start + drift * np.arange(1, 9)[:, None, None]
    guard = JumpGuard(max_spread=0.05, energy_sigma_low=4, energy_sigma_high=4, force_factor=3, bond_tolerance=0.02,
                      displacement_factor=1e6, min_motion_fraction=0, min_jump_frames=2, guard_evaluations=3, kT=2.5)

    def evaluate(frame):
        return -10.0, np.full(frame.shape, 10.0)

    spread = np.zeros(8)
    assert guard.decide(start, frames, spread, ref, evaluate).n_frames == 8
    swapped = frames.copy()
    swapped[5:, [11, 12]] = swapped[5:, [12, 11]]  # HB1 <-> HB2: the CB methyl inverted
    d = guard.decide(start, swapped, spread, ref, evaluate)
    assert d.n_frames == 5 and d.reason == "sp3 centre inverted"
    # The model's frames are fine but the frames to be played back are not.
    d = guard.decide(start, frames, spread, ref, evaluate, committed=swapped)
    assert d.n_frames == 5 and d.reason == "sp3 centre inverted"
    mirror = frames * np.array([-1.0, 1.0, 1.0])
    assert guard.decide(start, mirror, spread, ref, evaluate).n_frames == 0


def test_forecasting_toggle_and_settings(ala):
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=14)
    sim = make_simulation(ala, integ)
    sim.step(200)
    accepted = integ.stats.jumps_accepted
    assert accepted > 0
    integ.forecasting = False
    forecast_before = integ.stats.forecast_steps
    sim.step(200)
    assert integ.stats.forecast_steps - forecast_before <= 40  # at most the jump in flight finishes
    assert not integ.in_playback
    integ.forecasting = True
    integ.set_setting("anchor_steps", 40)
    integ.set_setting("velocity_policy", "finite-difference")
    assert integ.get_setting("anchor_steps") == 40 and integ.get_setting("velocity_policy") == 1
    with pytest.raises(ValueError, match="fixed by the model"):
        integ.set_setting("horizon", 4)
    integ.setTemperature(310 * unit.kelvin)
    assert integ.getTemperature().value_in_unit(unit.kelvin) == pytest.approx(310)
    sim.step(400)
    assert integ.stats.jumps_accepted > accepted and sim.currentStep == 800


def test_mirror_settings_are_settings_and_warn_for_a_chiral_molecule(ala):
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=3,
                               mirror_averaging=True)
    assert integ.get_setting("mirror_averaging") == 1 and integ.get_setting("mirror_sampling") == 0
    restored = AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(integ), integ.model)
    assert restored.get_setting("mirror_averaging") == 1
    sampling = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT,
                                  mirror_sampling=True)
    restored = AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(sampling), sampling.model)
    assert restored.get_setting("mirror_sampling") == 1 and restored.get_setting("mirror_averaging") == 0
    with pytest.raises(ValueError, match="exclude each other"):
        AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT,
                           mirror_averaging=True, mirror_sampling=True)
    sim = make_simulation(ala, integ)
    with pytest.warns(UserWarning, match="chiral"):
        sim.step(400)
    assert integ.stats.forecast_steps > 0  # forecasts go on, not averaged


def test_torsion_kicks_change_chained_forecasts_only(ala):
    from asteroid_openmm.evaluation.metrics import bond_lengths

    with pytest.raises(ValueError, match="torsion_kick"):
        AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, torsion_kick=-1)
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=5,
                               torsion_kick=1.0, rollouts=2)
    sim = make_simulation(ala, integ)
    calls, forecast = [], integ._forecast

    def spy(ctx, context):
        frames, spread, link_seconds = forecast(ctx, context)
        calls.append((frames, integ.model.rollout(context, integ.get_setting("rollouts"))[0]))
        return frames, spread, link_seconds

    integ._forecast = spy
    sim.step(400)
    assert calls and integ.stats.jumps_accepted > 0
    assert len(integ._kicks) == 7  # alanine dipeptide's non-ring bonds between non-terminal atoms
    kicked, raw = calls[0]
    bonds, h = integ._ref.bonds, integ.get_setting("horizon")
    np.testing.assert_allclose(kicked[:h], raw[:h], atol=1e-6)  # the first forecast sees the real context
    assert np.abs(kicked[h:] - raw[h:]).max() > 1e-3  # the second saw a kicked context ...
    np.testing.assert_allclose(bond_lengths(kicked, bonds), bond_lengths(raw, bonds), atol=1e-4)  # ... bonds kept


def test_thermal_rotors_give_forecast_methyl_groups_real_libration_phases(ala):
    """Each committed forecast frame's methyl groups take the phases of one earlier equilibrium real frame."""
    from asteroid_openmm.evaluation.metrics import bond_lengths
    from asteroid_openmm.model.geometry_restore import restoration_pairs

    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=8,
                               thermal_rotors=True, rollouts=2)
    sim = make_simulation(ala, integ)
    seen, thermalise = [], integ._thermalise_rotors

    def spy(frames):
        pool = np.array(integ._rotor_phases)
        out = thermalise(frames)
        seen.append((frames, out, pool))
        return out

    integ._thermalise_rotors = spy
    sim.step(2000)
    assert seen and integ.stats.jumps_accepted > 0
    rotors = integ._rotor_librations()
    assert len(rotors) == 3  # alanine dipeptide's three methyl groups
    # Donors come from anchor phases only, and too few of them leave the forecast as it is.
    assert len(seen[0][2]) == 0 and np.array_equal(seen[0][0], seen[0][1])
    full = [item for item in seen if len(item[2]) >= MIN_ROTOR_DONORS]
    assert full and all(np.array_equal(b, a) for b, a, pool in seen if len(pool) < MIN_ROTOR_DONORS)
    pairs = restoration_pairs(integ._ref.bonds)[0]
    for before, after, pool in full:
        phases = rotors.phases(after)
        # Every frame's phases are one pool row (the same donor for all rotors), up to the period's wrap.
        gap = np.abs((phases[:, None, :] - pool[None, :, :] + 60) % 120 - 60).max(axis=2).min(axis=1)
        assert gap.max() < 1e-6
        # A rigid turn about each rotor axis: bonds and angles (1-2, 1-3 distances) kept, no turn beyond 60 deg.
        np.testing.assert_allclose(bond_lengths(after, pairs), bond_lengths(before, pairs), atol=1e-9)
        turned = np.abs((phases - rotors.phases(before) + 60) % 120 - 60)
        assert turned.max() <= 60 + 1e-6


@pytest.mark.parametrize("setting, owner, groups, steps", [("rotor_mc_steps", "_rotor_librations", 3, 4),
                                                          ("torsion_mc_steps", "_rotamers_of_system", 4, 4),
                                                          ("torsion_mc_steps", "_rotamers_of_system", 4, 30)])
def test_landing_metropolis_moves_use_the_real_potential(ala, setting, owner, groups, steps):
    """rotor_mc_steps / torsion_mc_steps: each landing frame's methyl phases / rotamer torsions get Metropolis
    moves with real energies, at most anchor_steps evaluations per landing (30 torsion steps ask for 120)."""
    with pytest.raises(ValueError, match=setting):
        AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, **{setting: -1})
    # landing_context off: it turns and shifts the context further (test_landing_context_makes_the_carried_...).
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=9,
                               landing_context=False, **{"rotor_mc_steps": 4, setting: steps})
    sim = make_simulation(ala, integ)
    moves, metropolis = [], None
    budget = integ.get_setting("anchor_steps")

    def spy(frame, energy, kT, steps, rng, current_energy=None, max_proposals=None):
        calls = []

        def counted(x):
            calls.append(1)
            return energy(x)

        out = metropolis(frame, counted, kT, steps, rng, current_energy, max_proposals)
        # Every proposal is one energy evaluation, within the landing's budget.
        assert len(calls) == min(steps * groups, max_proposals) + (current_energy is None)
        assert max_proposals <= budget and (steps * groups <= budget or max_proposals < steps * groups)
        # The energies are the Context's own: the same frame evaluated afresh gives the same energy.
        assert out[1] == pytest.approx(energy(out[0]), abs=1e-6)
        moves.append((frame, out, steps, kT))
        return out

    land = integ._land

    lib = getattr(integ, owner)
    measure, period = (("phases", 120.0) if owner == "_rotor_librations" else ("torsions", 360.0))
    carried = []

    def landing(ctx):
        nonlocal metropolis
        if metropolis is None:
            metropolis, lib().metropolis = lib().metropolis, spy
        before = integ._jump.context[-2]
        land(ctx)
        # The landing state the run continues from is the frame the moves ended at.
        x = ctx.getState(getPositions=True).getPositions(asNumpy=True).value_in_unit(unit.nanometer)
        np.testing.assert_allclose(x, moves[-1][1][0], atol=1e-6)
        # The context frames before it were turned as the landing frame was: no jump in those torsions.
        angle = getattr(lib(), measure)
        landed = angle(moves[-1][1][0][None])[0] - angle(moves[-1][0][None])[0]
        context = angle(integ._history[-2][None])[0] - angle(before[None])[0]
        np.testing.assert_allclose((context - landed + period / 2) % period - period / 2, 0.0, atol=1e-6)
        carried.append(np.abs((landed + period / 2) % period - period / 2).max())

    integ._land = landing
    sim.step(800)
    assert moves and integ.stats.jumps_accepted - 1 <= len(moves) <= integ.stats.jumps_accepted  # one per landing
    assert moves[0][2] == steps and moves[0][3] == pytest.approx(0.0083144626 * float(ala.temperature), rel=1e-4)
    assert sum(m[1][2] for m in moves) > 0  # some proposals were accepted ...
    assert all(m[1][2] <= min(steps * groups, budget) for m in moves)  # ... at most one per proposal
    assert max(carried) > 5.0  # the context check above saw real turns


def test_link_moves_turn_chained_contexts_under_the_real_potential(ala, monkeypatch):
    """link_mc_steps: before each chained forecast after the first, Metropolis moves of the model's last frame's
    rotamer torsions with real energies; the turned context carries on through the chain (W > H here), the forecast
    before each link ramps the turns in, and the Context is back at its pre-jump positions afterwards."""
    from asteroid_openmm.integrator.rotamers import Rotamers

    with pytest.raises(ValueError, match="link_mc_steps"):
        AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, link_mc_steps=-1)
    with pytest.raises(ValueError, match="link_mc_sd"):
        AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, link_mc_sd=0)
    integ = AsteroidIntegrator(make_model(ReverseModel, ala), ala.temperature, ala.friction, DT, random_seed=21,
                               rollouts=3, link_mc_steps=4, link_mc_sd=30)
    xml = openmm.XmlSerializer.serialize(integ)
    restored = AsteroidIntegrator.from_xml(xml, integ.model)
    assert restored.get_setting("link_mc_steps") == 4 and restored.get_setting("link_mc_sd") == 30
    old = "\n".join(line for line in xml.splitlines() if 'name="link_mc_steps"' not in line)
    assert AsteroidIntegrator.from_xml(old, integ.model).get_setting("link_mc_steps") == 0  # off before it existed
    sim = make_simulation(ala, integ)
    # An independent judge of the moves' energies: the same System in another Context.
    judge = openmm.Context(ala.system, openmm.VerletIntegrator(0.001), reference())
    moves, forecasts = [], []
    metropolis, forecast = Rotamers.metropolis, integ._forecast

    def counting_metropolis(self, frame, energy, kT, steps, rng, current_energy=None, max_proposals=None,
                            sd_deg=None, heavy_only=False):
        calls = []

        def counted(x):
            calls.append(1)
            return energy(x)

        out = metropolis(self, frame, counted, kT, steps, rng, current_energy, max_proposals, sd_deg, heavy_only)
        # Only the torsions that turn heavy atoms move (alanine dipeptide: all four).
        assert heavy_only and self.heavy.all() and len(self) == 4 and sd_deg == 30 and steps == 4
        assert len(calls) == min(steps * len(self), max_proposals) + 1
        judge.setPositions(out[0])
        assert out[1] == pytest.approx(judge.getState(getEnergy=True).getPotentialEnergy().value_in_unit(
            unit.kilojoule_per_mole), abs=1e-6)
        moves.append((np.array(frame), out))
        return out

    def spy(ctx, context):
        before = positions_nm(ctx)
        frames, spread, link_seconds = forecast(ctx, context)
        np.testing.assert_allclose(positions_nm(ctx), before, atol=1e-9)  # the Context is back where it was
        forecasts.append((context, frames, link_seconds))
        return frames, spread, link_seconds

    monkeypatch.setattr(Rotamers, "metropolis", counting_metropolis)
    integ._forecast = spy
    sim.step(600)
    assert forecasts and integ.stats.jumps_accepted > 0 and len(moves) == 2 * len(forecasts)
    assert all(seconds > 0 for _, _, seconds in forecasts) and integ.stats.guard_seconds > 0
    turns, model = integ._rotamers_of_system().turns, integ.model

    def ramped(frames, net):
        return np.stack([apply_turns(f[None], turns, net * (k + 1) / H)[0] for k, f in enumerate(frames)])

    for i, (context, frames, _) in enumerate(forecasts):
        # The chain rebuilt by hand: each link's moves start from the model's last frame and turn the whole context,
        # which replaces the chain's history.
        history, expected = np.array(context), []
        for r in range(3):
            f = model.rollout(history[-W:], 1)[0]
            if r == 2:
                expected.append(f)
                break
            frame, (moved, _, _, net) = moves[2 * i + r]
            np.testing.assert_allclose(frame, f[-1], atol=1e-5)
            np.testing.assert_allclose(moved, apply_turns(f[-1][None], turns, net)[0], atol=1e-5)
            expected.append(ramped(f, net))
            history = apply_turns(np.concatenate([history, f])[-W:], turns, net)
        np.testing.assert_allclose(frames, np.concatenate(expected), atol=1e-4)
    assert max(np.abs(out[3]).max() for _, out in moves) > np.radians(5)  # real turns were made and carried


def test_link_moves_under_the_library_free_energy_evaluate_no_forces(ala, monkeypatch):
    """link_mc_library: link moves accept by the donor library's torsion free energy, not by real energies (the
    Context is not asked for one), and still turn the chain; a missing library is refused with the fix named."""
    from asteroid_openmm.integrator.rotamers import Rotamers, TorsionFreeEnergy
    from asteroid_openmm.model.donor_library import attach_donor_library

    model = make_model(ReverseModel, ala)
    with pytest.raises(ValueError, match="no fast-mode donor library.*asteroid-openmm donors"):
        AsteroidIntegrator(model, ala.temperature, ala.friction, DT, rollouts=3, link_mc_steps=2, link_mc_library=True)
    attach_donor_library(model, plain_md_frames(ala, 200, seed=9), ala.temperature)
    integ = AsteroidIntegrator(model, ala.temperature, ala.friction, DT, random_seed=22, rollouts=3, link_mc_steps=2,
                               link_mc_library=True, rotor_mc_steps=0)  # no landing moves: no real energies at all
    assert AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(integ), model).get_setting("link_mc_library") == 1
    with pytest.raises(ValueError, match="taken at"):
        integ.setTemperature(2 * ala.temperature)
    sim = make_simulation(ala, integ)
    energies, metropolis = [], Rotamers.metropolis

    def spy(self, frame, energy, *args, **kwargs):
        energies.append(energy)
        out = metropolis(self, frame, energy, *args, **kwargs)
        assert out[1] == pytest.approx(energy(out[0]))
        energies.append(out[3])
        return out

    def no_real_energy(ctx):
        raise AssertionError("a link move asked for a real energy")

    monkeypatch.setattr(Rotamers, "metropolis", spy)
    monkeypatch.setattr(integ, "_real_energy", no_real_energy)
    sim.step(600)
    assert integ.stats.jumps_accepted > 0 and energies
    free_energies, turns = energies[::2], energies[1::2]
    assert all(isinstance(f, TorsionFreeEnergy) for f in free_energies)
    assert free_energies[0].kT == pytest.approx(integ.get_setting("temperature") * 0.0083144626, rel=1e-4)
    assert max(np.abs(net).max() for net in turns) > np.radians(5)  # accepted turns
    integ.set_setting("link_mc_library", 0)
    assert integ.get_setting("link_mc_library") == 0


def test_library_torsion_moves_propose_from_the_donor_library_at_landings_and_links(ala, monkeypatch):
    """library_torsion_moves: the landing's and the links' rotamer torsion moves get the donor library's
    TorsionProposals (exactness: tests/test_rotamers.py) and turn torsions; a missing library is refused with the
    fix named; kept by XML; off by default."""
    from asteroid_openmm.integrator.rotamers import Rotamers, TorsionProposals
    from asteroid_openmm.model.donor_library import attach_donor_library

    model = make_model(ReverseModel, ala)
    assert AsteroidIntegrator(model, ala.temperature, ala.friction, DT).get_setting("library_torsion_moves") == 0
    with pytest.raises(ValueError, match="no fast-mode donor library.*asteroid-openmm donors"):
        AsteroidIntegrator(model, ala.temperature, ala.friction, DT, library_torsion_moves=True)
    attach_donor_library(model, plain_md_frames(ala, 200, seed=9), ala.temperature)
    integ = AsteroidIntegrator(model, ala.temperature, ala.friction, DT, random_seed=23, rollouts=3, link_mc_steps=1,
                               torsion_mc_steps=2, library_torsion_moves=True, library_torsion_window=90)
    restored = AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(integ), model)
    assert restored.get_setting("library_torsion_moves") == 1 and restored.get_setting("library_torsion_window") == 90
    with pytest.raises(ValueError, match="library_torsion_window"):
        AsteroidIntegrator(model, ala.temperature, ala.friction, DT, library_torsion_moves=True,
                           library_torsion_window=270)
    sim = make_simulation(ala, integ)
    calls, metropolis = [], Rotamers.metropolis

    def spy(self, frame, energy, kT, steps, rng, *args, **kwargs):
        out = metropolis(self, frame, energy, kT, steps, rng, *args, **kwargs)
        calls.append((steps, kwargs.get("proposals"), out[3]))
        return out

    monkeypatch.setattr(Rotamers, "metropolis", spy)
    sim.step(600)
    assert integ.stats.jumps_accepted > 0
    assert {steps for steps, _, _ in calls} == {1, 2}  # links and landings
    assert all(isinstance(p, TorsionProposals) for _, p, _ in calls)
    assert len({id(p) for _, p, _ in calls}) == 1  # built once
    assert max(np.abs(net).max() for _, _, net in calls) > np.radians(5)  # accepted turns
    assert max(np.abs(net).max() for steps, _, net in calls if steps == 1) <= np.radians(90.5)  # one link move each


def test_xml_from_before_a_setting_existed_keeps_the_old_behaviour(ala):
    """An integrator serialised before landing_context / rotor_bond_check / fast_mode_donor_stride /
    planar_ring_modes existed loads with the behaviour it had."""
    model = make_model(ReverseModel, ala)
    integ = AsteroidIntegrator(model, ala.temperature, ala.friction, DT, landing_context=True, rotor_bond_check=False,
                               planar_ring_modes=True)
    assert integ.get_setting("fast_mode_donor_stride") == 2  # the default, at most frame_stride (5 here)
    xml = openmm.XmlSerializer.serialize(integ)
    new_names = ("landing_context", "rotor_bond_check", "fast_mode_donor_stride", "planar_ring_modes", "noise_scale")
    old = "\n".join(line for line in xml.splitlines() if not any(f'name="{n}"' in line for n in new_names))
    assert old != xml
    restored = AsteroidIntegrator.from_xml(old, model)
    assert restored.get_setting("landing_context") == 0 and restored.get_setting("rotor_bond_check") == 1
    assert restored.get_setting("fast_mode_donor_stride") == 0 and restored.get_setting("planar_ring_modes") == 0
    assert restored.get_setting("noise_scale") == 1.0
    current = AsteroidIntegrator.from_xml(xml, model)
    assert current.get_setting("landing_context") == 1 and current.get_setting("fast_mode_donor_stride") == 2
    assert current.get_setting("planar_ring_modes") == 1


def test_every_free_setting_is_a_cli_knob():
    """`asteroid-openmm run` exposes every integrator setting that neither the model, the system nor another flag
    fixes, so a new setting cannot be left out of the CLI."""
    from asteroid_openmm.integrator.asteroid_integrator import SETTINGS
    from asteroid_openmm.integrator.run import KNOBS

    fixed_elsewhere = {"context_frames", "horizon", "frame_interval", "frame_stride",  # the model
                       "temperature", "friction",  # --temperature / --friction
                       "forecasting", "velocity_seed"}  # --no-forecast / --seed
    assert set(SETTINGS) - fixed_elsewhere == set(KNOBS)


def test_presets_name_measured_settings_in_model_frames_and_keep_overrides(ala):
    """from_preset: "default" is the constructor's defaults; "chained" sets its step counts in model frames (so any
    stride gets whole frames), turns the donor-library knobs on only for a model that carries a library, lets
    explicit settings override it, and lands in the integrator's globals (XML keeps it); "library" adds the
    donor-frame playback and needs a library; unknown names are refused with the known ones listed."""
    from asteroid_openmm.integrator import PRESETS
    from asteroid_openmm.integrator.presets import preset_settings
    from asteroid_openmm.model.donor_library import attach_donor_library

    model = make_model(ReverseModel, ala)
    assert AsteroidIntegrator.from_preset("default", model, ala.temperature, ala.friction, DT,
                                          random_seed=5).settings == \
        AsteroidIntegrator(model, ala.temperature, ala.friction, DT, random_seed=5).settings
    stride = int(round(FRAME / DT))
    for dt, steps_per_frame in ((DT, stride), (DT / 2, 2 * stride)):
        chained = preset_settings("chained", model, dt)
        assert chained["relax_steps"] == 2 * steps_per_frame and chained["anchor_steps"] == 4 * steps_per_frame
        assert chained["rollouts"] == 8 and chained["link_mc_steps"] == 1
    assert not any(k in chained for k in ("fast_mode_library", "donor_rotor_phases", "donor_hydrogen_torsions"))
    with pytest.raises(ValueError, match="'library' preset.*has none.*asteroid-openmm donors"):
        preset_settings("library", model, DT)
    attach_donor_library(model, plain_md_frames(ala, 64, seed=4, every=5), ala.temperature)
    integ = AsteroidIntegrator.from_preset("chained", model, ala.temperature, ala.friction, DT, max_spread=0.1,
                                           rollouts=4)
    got = integ.settings
    assert chained["max_spread"] == pytest.approx(0.08)
    assert got["rollouts"] == 4 and got["max_spread"] == pytest.approx(0.1)  # the overrides
    assert got["anchor_steps"] == 4 * stride and got["torsion_mc_steps"] == 8 and got["planar_ring_modes"] == 1
    assert got["fast_mode_library"] == 1 and got["rotamer_window"] == pytest.approx(30)
    assert got["donor_rotor_phases"] == 1 and got["donor_hydrogen_torsions"] == 1
    assert AsteroidIntegrator.from_xml(openmm.XmlSerializer.serialize(integ), model).settings == got
    # "library": the chained preset with library frames played back in the forecast's wells, no link moves.
    library = AsteroidIntegrator.from_preset("library", model, ala.temperature, ala.friction, DT).settings
    assert library["donor_geometry"] == 1 and library["rotamer_wells"] == 1 and library["link_mc_steps"] == 0
    assert library["rollouts"] == 8 and library["fast_mode_library"] == 1 and library["torsion_mc_steps"] == 8
    with pytest.raises(ValueError, match="unknown integrator preset 'fast'.*default, chained, library"):
        AsteroidIntegrator.from_preset("fast", model, ala.temperature, ala.friction, DT)
    assert set(PRESETS) == {"default", "chained", "library"}
