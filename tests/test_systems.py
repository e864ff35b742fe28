"""Built-in systems: registry, every system builds and runs, ANI-1x through openmm-torch is right."""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import time

import numpy as np
import pytest

from asteroid_openmm.systems import BuiltinSystem, get_spec, get_system, list_systems

pytestmark = pytest.mark.usefixtures("one_torch_thread")

AMBER = ["alanine-dipeptide", "alanine-dipeptide-implicit"]
MD17 = ["ethanol", "malonaldehyde", "aspirin", "benzene", "toluene", "naphthalene", "salicylic-acid", "uracil"]
N_ATOMS = {
    "alanine-dipeptide": 22,
    "alanine-dipeptide-implicit": 22,
    "ethanol": 9,
    "malonaldehyde": 9,
    "aspirin": 21,
    "benzene": 12,
    "toluene": 15,
    "naphthalene": 18,
    "salicylic-acid": 16,
    "uracil": 12,
}
FORMULA = {  # element -> count
    "ethanol": {6: 2, 8: 1, 1: 6},
    "malonaldehyde": {6: 3, 8: 2, 1: 4},
    "aspirin": {6: 9, 8: 4, 1: 8},
    "benzene": {6: 6, 1: 6},
    "toluene": {6: 7, 1: 8},
    "naphthalene": {6: 10, 1: 8},
    "salicylic-acid": {6: 7, 8: 3, 1: 6},
    "uracil": {6: 4, 7: 2, 8: 2, 1: 4},
}


def _build(name: str) -> BuiltinSystem:
    # One ANI-1x network for speed; the 8-model ensemble is tested on ethanol below.
    return get_system(name, ani_model_index=0) if name in MD17 else get_system(name)


def _energy_forces(openmm, context, positions_nm):
    context.setPositions(positions_nm)
    state = context.getState(getEnergy=True, getForces=True)
    energy = state.getPotentialEnergy().value_in_unit(openmm.unit.kilojoule_per_mole)
    forces = state.getForces(asNumpy=True).value_in_unit(openmm.unit.kilojoule_per_mole / openmm.unit.nanometer)
    return energy, np.asarray(forces)


def test_list_systems():
    assert list_systems() == AMBER + MD17


def test_unknown_system_lists_valid_names():
    with pytest.raises(ValueError) as info:
        get_system("water-box")
    message = str(info.value)
    assert "water-box" in message
    for name in list_systems():
        assert name in message


def test_unknown_and_bad_options():
    with pytest.raises(ValueError, match="unknown option.*cutoff"):
        get_system("alanine-dipeptide", cutoff=1.0)
    with pytest.raises(ValueError, match="ani_model_index"):
        get_system("alanine-dipeptide", ani_model_index=0)  # amber systems take no ANI option
    with pytest.raises(ValueError, match="ani_model_index"):
        get_system("ethanol", ani_model_index=8)
    with pytest.raises(ValueError, match="temperature"):
        get_system("ethanol", temperature=-5)


@pytest.mark.parametrize("name", AMBER + MD17)
def test_system_builds_and_runs(name, openmm, make_context):
    unit = openmm.unit
    s = _build(name)
    assert s.name == name
    assert s.n_atoms == N_ATOMS[name] == get_spec(name).n_atoms
    assert s.system.getNumParticles() == s.topology.getNumAtoms() == N_ATOMS[name]
    assert s.atomic_numbers.dtype.kind == "i" and s.atomic_numbers.shape == (N_ATOMS[name],)
    assert [a.element.atomic_number for a in s.topology.atoms()] == s.atomic_numbers.tolist()
    xyz = s.positions.value_in_unit(unit.nanometer)
    assert np.asarray(xyz).shape == (N_ATOMS[name], 3)
    assert 0.05 < np.ptp(np.asarray(xyz), axis=0).max() < 2.0  # nm, not Å
    assert s.mdtraj_topology().n_atoms == N_ATOMS[name]
    assert s.mdtraj_topology().n_bonds > 0
    if name in MD17:
        counts = {int(z): int(c) for z, c in zip(*np.unique(s.atomic_numbers, return_counts=True))}
        assert counts == FORMULA[name]
        assert (s.temperature, s.timestep, s.friction) == (500.0, 0.0005, 1.0)
        assert s.system.getNumConstraints() == 0
    else:
        assert (s.temperature, s.timestep, s.friction) == (300.0, 0.002, 1.0)
        assert [r.name for r in s.topology.residues()] == ["ACE", "ALA", "NME"]
        assert s.system.getNumConstraints() == 12  # every bond to hydrogen

    integrator_check = s.make_integrator(seed=5)
    assert isinstance(integrator_check, openmm.LangevinMiddleIntegrator)
    assert integrator_check.getTemperature().value_in_unit(unit.kelvin) == pytest.approx(s.temperature)
    assert integrator_check.getFriction().value_in_unit(unit.picosecond**-1) == pytest.approx(s.friction)
    assert integrator_check.getStepSize().value_in_unit(unit.picosecond) == pytest.approx(s.timestep)

    context, integrator = make_context(s)
    e0 = context.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
    context.setVelocitiesToTemperature(s.temperature * unit.kelvin, 1)
    integrator.step(10)
    state = context.getState(getEnergy=True, getPositions=True)
    e1 = state.getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
    assert math.isfinite(e0) and math.isfinite(e1)
    assert np.isfinite(state.getPositions(asNumpy=True).value_in_unit(unit.nanometer)).all()
    # Starting geometries are minima: 10 steps of thermal motion raise E by a bounded amount.
    assert -20.0 < e1 - e0 < 5.0 * N_ATOMS[name] * 0.0083145 * s.temperature * 3
    if name in MD17:
        assert e0 < -1e5  # ANI total energies: ~ -2.6e5 kJ/mol per heavy atom


def test_implicit_solvent_lowers_energy(openmm, make_context):
    vacuum = get_system("alanine-dipeptide")
    implicit = get_system("alanine-dipeptide-implicit")
    assert implicit.system.getNumForces() > vacuum.system.getNumForces()
    e = []
    for s in (vacuum, implicit):
        context, _ = make_context(s, platform="Reference")
        e.append(context.getState(getEnergy=True).getPotentialEnergy().value_in_unit(openmm.unit.kilojoule_per_mole))
    assert e[1] < e[0] - 10.0  # solvation free energy of a polar peptide is negative


def test_ani_ensemble_ethanol(openmm, make_context):
    unit = openmm.unit
    ensemble = get_system("ethanol")
    single = get_system("ethanol", ani_model_index=0)
    assert "8-model" in ensemble.potential and ensemble.options["ani_model_index"] is None
    context, integrator = make_context(ensemble)
    e_ens = context.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
    context1, _ = make_context(single)
    e_one = context1.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole)
    assert e_ens != e_one
    assert abs(e_ens - e_one) < 20.0  # ensemble members agree to a few kJ/mol near the minimum
    context.setVelocitiesToTemperature(ensemble.temperature * unit.kelvin, 1)
    integrator.step(10)
    assert math.isfinite(context.getState(getEnergy=True).getPotentialEnergy().value_in_unit(unit.kilojoule_per_mole))


def test_ani_energy_units_match_torchani(openmm, make_context):
    """OpenMM energy (kJ/mol, nm) == torchani's ANI-1x called directly (Hartree, Å) x 2625.5."""
    import torch

    from asteroid_openmm.systems.ani import ani_species, load_ani1x

    s = get_system("uracil", ani_model_index=0)
    context, _ = make_context(s, platform="Reference")
    e_openmm = context.getState(getEnergy=True).getPotentialEnergy().value_in_unit(openmm.unit.kilojoule_per_mole)
    species = torch.tensor([ani_species(s.atomic_numbers)])
    coordinates = torch.tensor(s.positions_nm()[None] * 10.0, dtype=torch.float32)  # Å
    with torch.no_grad():
        e_hartree = load_ani1x(0)((species, coordinates)).energies.item()
    assert e_openmm == pytest.approx(e_hartree * 2625.4996, rel=1e-6)


@pytest.mark.parametrize("model_index", [0, None])
def test_torchforce_forces_are_minus_energy_gradient(model_index, openmm, make_context):
    s = get_system("ethanol", ani_model_index=model_index)
    context, _ = make_context(s, platform="Reference")
    rng = np.random.default_rng(0)
    x0 = s.positions_nm() + rng.normal(0.0, 0.005, (s.n_atoms, 3))  # off-minimum: sizeable forces
    _, forces = _energy_forces(openmm, context, x0)
    h = 3e-4  # nm; ANI runs in float32, so much smaller steps drown in round-off
    # directional derivative along random unit vectors
    for _ in range(2):
        d = rng.normal(size=x0.shape)
        d /= np.linalg.norm(d)
        fd = (_energy_forces(openmm, context, x0 + h * d)[0] - _energy_forces(openmm, context, x0 - h * d)[0]) / (2 * h)
        assert fd == pytest.approx(-(forces * d).sum(), rel=0.01, abs=5.0)
    # individual components
    scale = np.abs(forces).max()
    for i, k in [(0, 0), (2, 1), (5, 2), (8, 0)]:
        dx = np.zeros_like(x0)
        dx[i, k] = h
        fd = (_energy_forces(openmm, context, x0 + dx)[0] - _energy_forces(openmm, context, x0 - dx)[0]) / (2 * h)
        assert -forces[i, k] == pytest.approx(fd, abs=0.01 * scale + 5.0)


def test_scripted_module_is_cached():
    from asteroid_openmm.systems.ani import scripted_ani_potential

    get_system("benzene", ani_model_index=0)
    hits = scripted_ani_potential.cache_info().hits
    start = time.perf_counter()
    get_system("benzene", ani_model_index=0)
    assert scripted_ani_potential.cache_info().hits == hits + 1
    assert time.perf_counter() - start < 1.0


def test_option_overrides(openmm):
    s = get_system("alanine-dipeptide", temperature=350, timestep=0.001, friction=5)
    assert (s.temperature, s.timestep, s.friction) == (350.0, 0.001, 5.0)
    integrator = s.make_integrator()
    assert integrator.getTemperature().value_in_unit(openmm.unit.kelvin) == pytest.approx(350.0)
    assert integrator.getStepSize().value_in_unit(openmm.unit.picosecond) == pytest.approx(0.001)


def test_integrator_seed_is_reproducible(openmm, make_context):
    s = get_system("alanine-dipeptide")
    runs = []
    for _ in range(2):
        context, integrator = make_context(s, platform="Reference", seed=0)  # seed 0 too: not OpenMM's "random"
        context.setVelocitiesToTemperature(300 * openmm.unit.kelvin, 11)
        integrator.step(20)
        runs.append(context.getState(getPositions=True).getPositions(asNumpy=True).value_in_unit(openmm.unit.nanometer))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_import_order_openmm_first():
    """`import openmm` before the package must still give working openmm-torch kernels."""
    code = (
        "import openmm\n"
        "import asteroid_openmm\n"
        "from asteroid_openmm.systems import get_system\n"
        "s = get_system('ethanol', ani_model_index=0)\n"
        "c = openmm.Context(s.system, s.make_integrator(1), openmm.Platform.getPlatformByName('CPU'))\n"
        "c.setPositions(s.positions)\n"
        "print('ENERGY', c.getState(getEnergy=True).getPotentialEnergy().value_in_unit(openmm.unit.kilojoule_per_mole))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    energy = float(result.stdout.split("ENERGY")[1])
    assert math.isfinite(energy) and energy < -1e5


def test_systems_cli_table(capsys):
    from asteroid_openmm.systems import cli

    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    assert cli.run_from_args(parser.parse_args([])) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["name", "atoms", "potential"]
    rows = {line.split()[0]: line for line in out.splitlines()[2:] if line.strip() and not line.startswith("*")}
    assert set(rows) == set(list_systems())
    assert rows["aspirin"].split()[1] == "21"
    assert "ANI-1x" in rows["aspirin"] and "0.5" in rows["aspirin"] and "500" in rows["aspirin"]
    assert "amber14" in rows["alanine-dipeptide"] and "300" in rows["alanine-dipeptide"]
