"""MD17 molecules in vacuum with the ANI-1x neural network potential (torchani).

The potential is torchani 2.2.4's ANI-1x (wB97X/6-31G(d) level of theory),
loaded from the parameter files bundled inside the torchani wheel -- nothing
is downloaded. (That wheel ships an *empty* ``resources/ani-1x_8x.info``, which
makes ``torchani.models.ANI1x()`` try to download the model zoo; we bypass the
``.info`` file and hand the bundled constants, self-energy and network
directories straight to the ``torchani.neurochem`` loaders.)

The model is wrapped in a TorchScript module that takes OpenMM positions in nm,
feeds ANI coordinates in Å and returns the energy in kJ/mol (ANI predicts
Hartree); ``openmmtorch.TorchForce`` then gets forces by autograd.

Options (keywords of :func:`asteroid_openmm.systems.get_system`):

``ani_model_index``: ``None`` (default) uses the standard 8-network ANI-1x
    ensemble (energy = ensemble mean); an integer 0..7 uses that single network
    only, roughly 3x faster and slightly less accurate.

Recommended MD settings: 500 K, 0.5 fs, no constraints, Langevin (middle)
friction 1/ps -- a light thermostat coupling that keeps the dynamics close to
Newtonian on the 0.1-10 ps time scales of the forecasts while still
thermalising a small molecule within a few ps.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import warnings

import numpy as np
import torch

from .base import BuiltinSystem

ANI_RESOURCE_DIR = "ani-1x_8x"
ANI_CONSTANTS_FILE = "rHCNO-5.2R_16-3.5A_a4-8.params"
ANI_SAE_FILE = "sae_linfit.dat"
ANI_ENSEMBLE_PREFIX = "train"
ANI_ENSEMBLE_SIZE = 8
ANI_ELEMENTS = {1: "H", 6: "C", 7: "N", 8: "O"}
HARTREE_TO_KJ_PER_MOL = 2625.4996387552483  # torchani.units.HARTREE_TO_KJOULEMOL (CODATA 2014)
NM_TO_ANGSTROM = 10.0


def _import_torchani():
    """Import torchani without its optional-dependency warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import torchani
    return torchani


def _import_openmmtorch():
    """Import openmmtorch (after torch and openmm), silencing its ``simtk.openmm`` deprecation warning."""
    from asteroid_openmm._openmm import import_openmm

    import_openmm()
    previous_disable = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        import openmmtorch
    finally:
        logging.disable(previous_disable)
    return openmmtorch


@contextlib.contextmanager
def torch_threads(n: int = 1):
    """Temporarily set torch's intra-op thread count (restored on exit).

    ANI on a 9-21 atom molecule is far too small to gain from parallel torch
    ops, and torch's spinning worker threads compete with OpenMM's CPU threads:
    on a busy 2-core machine the 8-model ethanol ran at ~11 steps/s with 2 torch
    threads and ~300 steps/s with 1. Wrap MD loops that use a TorchForce on the
    CPU/Reference platforms in ``with torch_threads(1):``.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def has_torch_force(system) -> bool:
    """Whether an ``openmm.System`` contains an openmm-torch ``TorchForce``."""
    openmmtorch = _import_openmmtorch()
    return any(openmmtorch.TorchForce.isinstance(system.getForce(i)) for i in range(system.getNumForces()))


def ani_resource_dir() -> str:
    """Directory of the ANI-1x parameter files bundled with torchani."""
    torchani = _import_torchani()
    path = os.path.join(os.path.dirname(torchani.__file__), "resources", ANI_RESOURCE_DIR)
    missing = [
        p
        for p in (ANI_CONSTANTS_FILE, ANI_SAE_FILE, f"{ANI_ENSEMBLE_PREFIX}0")
        if not os.path.exists(os.path.join(path, p))
    ]
    if missing:
        raise FileNotFoundError(
            f"torchani's bundled ANI-1x parameters are missing from {path} ({', '.join(missing)}); "
            "reinstall torchani==2.2.4 from PyPI"
        )
    return path


def _check_model_index(model_index):
    if model_index is None:
        return None
    if isinstance(model_index, bool) or not isinstance(model_index, (int, np.integer)):
        raise ValueError(f"ani_model_index must be None (8-model ensemble) or an integer 0..7, got {model_index!r}")
    if not 0 <= int(model_index) < ANI_ENSEMBLE_SIZE:
        raise ValueError(
            f"ani_model_index must be None (8-model ensemble) or 0..{ANI_ENSEMBLE_SIZE - 1}, got {model_index}"
        )
    return int(model_index)


@functools.lru_cache(maxsize=None)
def load_ani1x(model_index: int | None = None):
    """The torchani ANI-1x model (not scripted), from the bundled files, cached per process.

    ``model_index=None`` gives the 8-network ``BuiltinEnsemble``; 0..7 one ``BuiltinModel``.
    Species are torchani's internal indices (``periodic_table_index=False``): H=0, C=1, N=2, O=3.
    """
    model_index = _check_model_index(model_index)
    _import_torchani()
    from torchani import neurochem
    from torchani.aev import AEVComputer
    from torchani.models import BuiltinEnsemble, BuiltinModel
    from torchani.nn import SpeciesConverter

    root = ani_resource_dir()
    consts = neurochem.Constants(os.path.join(root, ANI_CONSTANTS_FILE))
    aev_computer = AEVComputer(**consts)
    energy_shifter, sae_dict = neurochem.load_sae(os.path.join(root, ANI_SAE_FILE), return_dict=True)
    prefix = os.path.join(root, ANI_ENSEMBLE_PREFIX)
    common = dict(
        species_converter=SpeciesConverter(consts.species),
        aev_computer=aev_computer,
        energy_shifter=energy_shifter,
        species_to_tensor=consts.species_to_tensor,
        consts=consts,
        sae_dict=sae_dict,
        periodic_table_index=False,
    )
    if model_index is None:
        networks = neurochem.load_model_ensemble(consts.species, prefix, ANI_ENSEMBLE_SIZE)
        model = BuiltinEnsemble(neural_networks=networks, **common)
    else:
        networks = neurochem.load_model(consts.species, os.path.join(f"{prefix}{model_index}", "networks"))
        model = BuiltinModel(neural_networks=networks, **common)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def ani_species(atomic_numbers) -> list[int]:
    """torchani internal species indices for ``atomic_numbers`` (ValueError outside H, C, N, O)."""
    bad = sorted({int(z) for z in atomic_numbers} - set(ANI_ELEMENTS))
    if bad:
        raise ValueError(f"ANI-1x only supports H, C, N and O; got atomic numbers {bad}")
    order = ["H", "C", "N", "O"]  # torchani ANI-1x species order
    return [order.index(ANI_ELEMENTS[int(z)]) for z in atomic_numbers]


class ANIPotential(torch.nn.Module):
    """OpenMM positions (nm, ``Tensor[N, 3]``) -> ANI-1x energy (kJ/mol, scalar ``Tensor``)."""

    def __init__(self, model, species: list[int]):
        super().__init__()
        self.model = model
        self.register_buffer("species", torch.tensor(species, dtype=torch.long).unsqueeze(0))
        self.length_scale = NM_TO_ANGSTROM
        self.energy_scale = HARTREE_TO_KJ_PER_MOL

    def forward(self, positions: torch.Tensor) -> torch.Tensor:
        coordinates = (positions.to(torch.float32) * self.length_scale).unsqueeze(0)
        energies = self.model((self.species, coordinates)).energies
        return energies.sum() * self.energy_scale


@functools.lru_cache(maxsize=None)
def scripted_ani_potential(atomic_numbers: tuple[int, ...], model_index: int | None = None):
    """TorchScript ANI-1x potential for a molecule with ``atomic_numbers`` (cached per process).

    Input: positions ``Tensor[N, 3]`` in nm; output: energy (scalar) in kJ/mol.
    """
    model = load_ani1x(_check_model_index(model_index))
    module = ANIPotential(model, ani_species(atomic_numbers))
    return torch.jit.script(module)


def make_torch_force(atomic_numbers, model_index: int | None = None):
    """A new ``openmmtorch.TorchForce`` computing ANI-1x energies and forces for the molecule."""
    openmmtorch = _import_openmmtorch()
    module = scripted_ani_potential(tuple(int(z) for z in atomic_numbers), _check_model_index(model_index))
    force = openmmtorch.TorchForce(module)
    force.setName("ANI-1x")
    return force


def create_ani_system(spec, ani_model_index: int | None = None) -> BuiltinSystem:
    """Build an MD17 molecule with the ANI-1x potential (see the module docstring)."""
    from asteroid_openmm._openmm import import_openmm

    openmm = import_openmm()
    from openmm import app
    unit = openmm.unit

    model_index = _check_model_index(ani_model_index)
    pdb = app.PDBFile(spec.geometry_path())
    topology = pdb.topology
    atomic_numbers = np.array([atom.element.atomic_number for atom in topology.atoms()], dtype=int)
    positions = np.array(pdb.getPositions(asNumpy=True).value_in_unit(unit.nanometer), dtype=np.float64)

    system = openmm.System()
    for atom in topology.atoms():
        system.addParticle(atom.element.mass)
    system.addForce(make_torch_force(atomic_numbers, model_index))

    if model_index is None:
        potential = "ANI-1x (8-model ensemble)"
    else:
        potential = f"ANI-1x (single model {model_index})"
    return BuiltinSystem.from_spec(spec, topology, system, positions, potential=potential,
                                   options={"ani_model_index": model_index})
