"""The registry of built-in systems.

Each entry is a :class:`SystemSpec`: static metadata (cheap to list) plus the
dotted path of the factory that builds the system. Factories live in one
module per family (``amber.py``, ``ani.py``) and are imported only when a
system of that family is built, so listing systems imports neither torch nor
OpenMM.

Options accepted by every system (override the recommended settings):
``temperature`` (K), ``timestep`` (ps), ``friction`` (1/ps).
Family options: see ``SystemSpec.options`` (e.g. ``ani_model_index`` for the ANI systems).
"""

from __future__ import annotations

import importlib
import math
import os
from dataclasses import dataclass

GEOMETRY_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "geometries")

COMMON_OPTIONS = ("temperature", "timestep", "friction")


@dataclass(frozen=True)
class SystemSpec:
    """Static description of a built-in system.

    ``factory`` is ``"module:function"``; the function is called as
    ``function(spec, **family_options)`` and returns a ``BuiltinSystem``.
    """

    name: str
    factory: str
    geometry: str  # file name in geometries/
    potential: str
    temperature: float  # K
    timestep: float  # ps
    friction: float  # 1/ps
    description: str
    options: tuple[str, ...] = ()  # family options accepted by the factory

    def geometry_path(self) -> str:
        return os.path.join(GEOMETRY_DIR, self.geometry)

    @property
    def n_atoms(self) -> int:
        """Number of atoms, read from the geometry file without building the system."""
        with open(self.geometry_path(), encoding="ascii") as fh:
            return sum(1 for line in fh if line.startswith(("ATOM  ", "HETATM")))


_REGISTRY: dict[str, SystemSpec] = {}


def register_system(spec: SystemSpec, overwrite: bool = False) -> None:
    """Add a system to the registry (for plugins and tests)."""
    if spec.name in _REGISTRY and not overwrite:
        raise ValueError(f"a built-in system named {spec.name!r} is already registered")
    _REGISTRY[spec.name] = spec


def list_systems() -> list[str]:
    """Names of all built-in systems, in registration order."""
    return list(_REGISTRY)


def get_spec(name: str) -> SystemSpec:
    """The :class:`SystemSpec` for ``name`` (ValueError listing the valid names if unknown)."""
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(f"unknown system {name!r}; valid names: {', '.join(_REGISTRY)}")
    return _REGISTRY[name]


def _positive_float(name: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return number


def get_system(name: str, **options):
    """Build the built-in system ``name`` and return a :class:`BuiltinSystem`.

    Options: ``temperature`` (K), ``timestep`` (ps), ``friction`` (1/ps) override
    the recommended settings for any system; ANI systems also take
    ``ani_model_index`` (``None``: 8-model ensemble, ``0..7``: one network, ~3x faster).
    Unknown names or options raise ValueError.
    """
    spec = get_spec(name)
    allowed = COMMON_OPTIONS + spec.options
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ValueError(
            f"unknown option(s) {', '.join(unknown)} for system {name!r}; valid options: {', '.join(allowed)}"
        )
    overrides = {k: _positive_float(k, options[k]) for k in COMMON_OPTIONS if options.get(k) is not None}
    family_options = {k: options[k] for k in spec.options if k in options}

    module_name, function_name = spec.factory.split(":")
    factory = getattr(importlib.import_module(module_name), function_name)
    built = factory(spec, **family_options)
    for key, value in overrides.items():
        setattr(built, key, value)
    built.options = {**built.options, **overrides}
    return built


def _register_builtins() -> None:
    amber_common = dict(temperature=300.0, timestep=0.002, friction=1.0, geometry="alanine-dipeptide.pdb")
    register_system(
        SystemSpec(
            name="alanine-dipeptide",
            factory="asteroid_openmm.systems.amber:create_vacuum",
            potential="amber14 (vacuum)",
            description="Alanine dipeptide (ACE-ALA-NME) in vacuum, Amber14, HBonds constraints",
            **amber_common,
        )
    )
    register_system(
        SystemSpec(
            name="alanine-dipeptide-implicit",
            factory="asteroid_openmm.systems.amber:create_implicit",
            potential="amber14 + OBC2",
            description="Alanine dipeptide (ACE-ALA-NME), Amber14 with OBC2 implicit solvent, HBonds constraints",
            **amber_common,
        )
    )
    md17 = [
        ("ethanol", "Ethanol C2H5OH"),
        ("malonaldehyde", "Malonaldehyde (enol form, intramolecular H-bond) C3H4O2"),
        ("aspirin", "Aspirin (acetylsalicylic acid) C9H8O4"),
        ("benzene", "Benzene C6H6"),
        ("toluene", "Toluene C7H8"),
        ("naphthalene", "Naphthalene C10H8"),
        ("salicylic-acid", "Salicylic acid C7H6O3"),
        ("uracil", "Uracil C4H4N2O2"),
    ]
    for name, what in md17:
        register_system(
            SystemSpec(
                name=name,
                factory="asteroid_openmm.systems.ani:create_ani_system",
                geometry=f"{name}.pdb",
                potential="ANI-1x",
                temperature=500.0,
                timestep=0.0005,
                friction=1.0,
                description=f"{what} in vacuum (MD17 molecule), ANI-1x neural network potential",
                options=("ani_model_index",),
            )
        )


_register_builtins()
