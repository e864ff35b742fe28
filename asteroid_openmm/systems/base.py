"""The :class:`BuiltinSystem` dataclass returned by :func:`asteroid_openmm.systems.get_system`.

Units: positions in nm (an OpenMM ``Quantity`` wrapping a float64 ``(N, 3)``
numpy array), temperature in K, timestep in ps, friction in 1/ps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

# OpenMM treats a random number seed of 0 as "pick one at random", so every
# user seed is mapped onto 1 .. 2**31 - 1 to stay reproducible.
_MAX_OPENMM_SEED = 2**31 - 1


def openmm_seed(seed: int) -> int:
    """Map any integer ``seed`` onto a valid, non-zero OpenMM random seed (deterministic)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    return int(seed) % (_MAX_OPENMM_SEED - 1) + 1


@dataclass
class BuiltinSystem:
    """A ready-to-simulate OpenMM system with its recommended MD settings.

    Attributes:
        name: registry name (e.g. ``"ethanol"``).
        topology: ``openmm.app.Topology``.
        system: ``openmm.System``.
        positions: starting positions, ``openmm.unit.Quantity`` (nm) of an ``(N, 3)`` array.
        temperature: recommended temperature in K.
        timestep: recommended timestep in ps.
        friction: recommended Langevin friction coefficient in 1/ps.
        atomic_numbers: ``np.ndarray[int]`` of shape ``(N,)``.
        description: one-line human description.
        potential: short name of the potential (e.g. ``"amber14 (vacuum)"``, ``"ANI-1x (8-model ensemble)"``).
        options: the options ``get_system`` was called with.
    """

    name: str
    topology: Any
    system: Any
    positions: Any
    temperature: float
    timestep: float
    friction: float
    atomic_numbers: np.ndarray
    description: str
    potential: str = ""
    options: dict = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec, topology, system, positions_nm, potential: str | None = None,
                  options: dict | None = None) -> "BuiltinSystem":
        """Assemble a built-in from its registry ``spec`` and the OpenMM objects a factory made.

        ``positions_nm`` is a float ``(N, 3)`` array in nm; elements come from the topology.
        """
        from asteroid_openmm._openmm import import_openmm

        unit = import_openmm().unit
        return cls(
            name=spec.name, topology=topology, system=system,
            positions=unit.Quantity(np.asarray(positions_nm, dtype=np.float64), unit.nanometer),
            temperature=spec.temperature, timestep=spec.timestep, friction=spec.friction,
            atomic_numbers=np.array([atom.element.atomic_number for atom in topology.atoms()], dtype=int),
            description=spec.description, potential=spec.potential if potential is None else potential,
            options=dict(options or {}),
        )

    @property
    def n_atoms(self) -> int:
        return int(len(self.atomic_numbers))

    def positions_nm(self) -> np.ndarray:
        """Starting positions as a plain float64 ``(N, 3)`` array in nm."""
        from asteroid_openmm._openmm import import_openmm

        openmm = import_openmm()
        return np.asarray(self.positions.value_in_unit(openmm.unit.nanometer), dtype=np.float64).reshape(-1, 3)

    def make_integrator(self, seed: int | None = None):
        """A ``openmm.LangevinMiddleIntegrator`` with the recommended temperature, friction and timestep.

        ``seed`` makes the thermostat's random numbers reproducible; ``None`` lets OpenMM pick one.
        """
        from asteroid_openmm._openmm import import_openmm

        openmm = import_openmm()
        unit = openmm.unit
        integrator = openmm.LangevinMiddleIntegrator(
            self.temperature * unit.kelvin,
            self.friction / unit.picosecond,
            self.timestep * unit.picosecond,
        )
        if seed is not None:
            integrator.setRandomNumberSeed(openmm_seed(seed))
        return integrator

    def mdtraj_topology(self):
        """The topology as an ``mdtraj.Topology``."""
        import mdtraj

        return mdtraj.Topology.from_openmm(self.topology)

    def __repr__(self) -> str:  # the default repr dumps the whole OpenMM objects
        return (
            f"BuiltinSystem(name={self.name!r}, n_atoms={self.n_atoms}, potential={self.potential!r}, "
            f"temperature={self.temperature} K, timestep={self.timestep} ps, friction={self.friction}/ps)"
        )
