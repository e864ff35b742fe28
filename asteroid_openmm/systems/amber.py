"""Alanine dipeptide (ACE-ALA-NME, 22 atoms) with the Amber14 force field.

``alanine-dipeptide``: ``amber14-all.xml`` in vacuum (NoCutoff).
``alanine-dipeptide-implicit``: the same plus the OBC2 implicit solvent (``implicit/obc2.xml``).

Both: bonds to hydrogen constrained (HBonds), 2 fs timestep, 300 K,
Langevin (middle) friction 1/ps. The starting geometry
(``geometries/alanine-dipeptide.pdb``) is a minimised C7eq conformer built at
development time by ``asteroid_openmm.systems._make_geometries``.
No options.
"""

from __future__ import annotations

from .base import BuiltinSystem

AMBER_FORCEFIELD = "amber14-all.xml"
AMBER_IMPLICIT = "implicit/obc2.xml"


def amber_forcefield(implicit: bool = False):
    from asteroid_openmm._openmm import import_openmm

    import_openmm()
    from openmm import app
    files = [AMBER_FORCEFIELD] + ([AMBER_IMPLICIT] if implicit else [])
    return app.ForceField(*files)


def create_amber_system(spec, implicit: bool = False) -> BuiltinSystem:
    """Build alanine dipeptide in vacuum or OBC2 implicit solvent (see the module docstring)."""
    from asteroid_openmm._openmm import import_openmm

    openmm = import_openmm()
    from openmm import app
    unit = openmm.unit

    pdb = app.PDBFile(spec.geometry_path())
    topology = pdb.topology
    system = amber_forcefield(implicit).createSystem(
        topology, nonbondedMethod=app.NoCutoff, constraints=app.HBonds
    )
    positions = pdb.getPositions(asNumpy=True).value_in_unit(unit.nanometer)
    return BuiltinSystem.from_spec(spec, topology, system, positions)


def create_vacuum(spec) -> BuiltinSystem:
    return create_amber_system(spec, implicit=False)


def create_implicit(spec) -> BuiltinSystem:
    return create_amber_system(spec, implicit=True)
