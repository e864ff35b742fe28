"""An ordinary OpenMM script, made hybrid by changing one line: the integrator.

Alanine dipeptide in vacuum (Amber14, HBonds constraints, 300 K, 2 fs) set up
the usual way -- PDBFile, ForceField, Simulation, DCDReporter,
StateDataReporter -- except that the integrator is an ``AsteroidIntegrator``
with the shipped alanine-dipeptide model instead of a
``LangevinMiddleIntegrator``. Everything else (reporters, minimisation,
``simulation.step``, step count and time) works as before; the reporters see
the forecast trajectory at their own intervals.

Usage::

    python examples/01_drop_in_integrator.py [--out DIR] [--steps N] [--model PATH_OR_NAME] [--quick]

Needs the shipped model ``asteroid_openmm/pretrained/alanine-dipeptide.pt``
(``make models``), or ``--model`` pointing at a model trained on alanine
dipeptide at a frame interval that is a whole number of 2 fs steps.
Writes ``trajectory.dcd``, ``topology.pdb`` and ``state.csv`` to ``--out``
(default: a new temporary folder) and prints the integrator's statistics.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from openmm import LangevinMiddleIntegrator, unit  # noqa: F401  (LangevinMiddleIntegrator: the line we replace)
from openmm.app import DCDReporter, ForceField, HBonds, NoCutoff, PDBFile, Simulation, StateDataReporter

from asteroid_openmm import AsteroidIntegrator, load_model
from asteroid_openmm.systems import get_spec


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="output folder (default: a new temporary folder)")
    parser.add_argument("--steps", type=int, help="MD steps (default: 50000 = 100 ps; 3000 with --quick)")
    parser.add_argument("--model", default="alanine-dipeptide", help="model file or built-in model name")
    parser.add_argument("--quick", action="store_true", help="a short run (for tests)")
    args = parser.parse_args(argv)
    steps = args.steps or (3000 if args.quick else 50_000)
    out = Path(args.out or tempfile.mkdtemp(prefix="asteroid-example-01-"))
    out.mkdir(parents=True, exist_ok=True)

    try:
        model = load_model(args.model)
    except FileNotFoundError as exc:
        print(f"error: {exc}\nThe shipped models are made by `make models`.", file=sys.stderr)
        return 2

    # ---- an ordinary OpenMM script from here on
    pdb = PDBFile(get_spec("alanine-dipeptide").geometry_path())
    forcefield = ForceField("amber14-all.xml")
    system = forcefield.createSystem(pdb.topology, nonbondedMethod=NoCutoff, constraints=HBonds)

    # integrator = LangevinMiddleIntegrator(300 * unit.kelvin, 1 / unit.picosecond, 0.002 * unit.picoseconds)
    integrator = AsteroidIntegrator(model, 300 * unit.kelvin, 1 / unit.picosecond, 0.002 * unit.picoseconds)

    simulation = Simulation(pdb.topology, system, integrator)
    simulation.context.setPositions(pdb.positions)
    simulation.minimizeEnergy()
    simulation.context.setVelocitiesToTemperature(300 * unit.kelvin)
    with open(out / "topology.pdb", "w") as fh:
        PDBFile.writeFile(pdb.topology, simulation.context.getState(getPositions=True).getPositions(), fh)
    simulation.reporters.append(DCDReporter(str(out / "trajectory.dcd"), 100))
    simulation.reporters.append(StateDataReporter(str(out / "state.csv"), 100, step=True, time=True,
                                                  potentialEnergy=True, temperature=True))
    simulation.reporters.append(StateDataReporter(sys.stdout, max(steps // 10, 1), step=True, time=True,
                                                  potentialEnergy=True, temperature=True, speed=True))
    t0 = time.perf_counter()
    simulation.step(steps)
    wall = time.perf_counter() - t0
    # ---- end of the ordinary script

    st = integrator.stats
    sim_ps = simulation.context.getTime().value_in_unit(unit.picosecond)
    print(f"\nsimulated {sim_ps:g} ps ({simulation.currentStep} steps) in {wall:.1f} s wall")
    print(f"forecast fraction {st.forecast_fraction:.1%}: {st.forecast_steps} forecast steps, {st.real_steps} real")
    print(f"jumps: {st.jumps_attempted} attempted, {st.jumps_accepted} accepted ({st.jumps_truncated} truncated), "
          f"{st.jumps_rejected} rejected")
    if st.rejection_reasons:
        print("guard: " + "; ".join(f"{k}: {v}" for k, v in sorted(st.rejection_reasons.items())))
    print(f"wrote {out}/trajectory.dcd, topology.pdb, state.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
