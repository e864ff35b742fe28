"""Hybrid MD on a machine-learned potential: ANI-1x through openmm-torch, with ASTEROID forecasts.

The built-in ``ethanol`` system is an ``openmm.System`` whose only force is an
openmm-torch ``TorchForce`` wrapping the TorchScript ANI-1x 8-network
ensemble (positions in nm -> energy in kJ/mol; forces by autograd). Every
real MD step costs a neural-network evaluation, which is what the forecasts
save. The hybrid ``AsteroidIntegrator`` takes the shipped ethanol model, the
system's recommended settings (500 K, 1/ps, 0.5 fs) and a preset of its own
settings (``--preset``: ``chained``, eight chained forecasts per jump, about
10x plain MD in 100 ps benchmarks, by default; ``default``, one forecast per
jump, about 2.5x); an
``AsteroidReporter`` writes the integrator's statistics as CSV, and the
final statistics are printed.

Usage::

    python examples/04_ani_torchforce_hybrid.py [--out DIR] [--steps N] [--model PATH_OR_NAME] [--preset NAME]
                                                [--quick]

Needs the shipped model ``asteroid_openmm/pretrained/ethanol.pt`` (``make models``)
or ``--model`` pointing at a model trained on ANI-1x ethanol. For the plain-MD
comparison and fidelity figures, see ``asteroid-openmm demo``.
"""

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

from asteroid_openmm import AsteroidIntegrator, AsteroidReporter, get_system, load_model
from asteroid_openmm.integrator import PRESETS
from asteroid_openmm.systems.ani import has_torch_force, torch_threads


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="output folder (default: a new temporary folder)")
    parser.add_argument("--steps", type=int, help="MD steps of 0.5 fs (default: 20000 = 10 ps; 2000 with --quick)")
    parser.add_argument("--model", default="ethanol", help="model file or built-in model name")
    parser.add_argument("--preset", default="chained", choices=list(PRESETS),
                        help="integrator settings (AsteroidIntegrator.from_preset; default: chained)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="a short run (for tests)")
    args = parser.parse_args(argv)
    steps = args.steps or (2000 if args.quick else 20_000)
    out = Path(args.out or tempfile.mkdtemp(prefix="asteroid-example-04-"))
    out.mkdir(parents=True, exist_ok=True)

    try:
        model = load_model(args.model)
    except FileNotFoundError as exc:
        print(f"error: {exc}\nThe shipped models are made by `make models`.", file=sys.stderr)
        return 2

    from openmm import Platform, unit
    from openmm.app import DCDReporter, PDBFile, Simulation, StateDataReporter

    from asteroid_openmm.simulate import available_platforms

    ethanol = get_system("ethanol")  # ANI-1x 8-network ensemble as an openmm-torch TorchForce
    import openmmtorch  # after get_system: asteroid_openmm imports torch and OpenMM in the right order

    forces = [ethanol.system.getForce(i) for i in range(ethanol.system.getNumForces())]
    kinds = ["openmm-torch TorchForce" if openmmtorch.TorchForce.isinstance(f) else type(f).__name__ for f in forces]
    print(f"{ethanol.description}: {ethanol.n_atoms} atoms, {ethanol.potential}; forces: "
          + ", ".join(f"{f.getName()} ({k})" for f, k in zip(forces, kinds))
          + f"; TorchForce present: {has_torch_force(ethanol.system)}")

    integrator = AsteroidIntegrator.from_preset(args.preset, model, ethanol.temperature * unit.kelvin,
                                                ethanol.friction / unit.picosecond,
                                                ethanol.timestep * unit.picoseconds, random_seed=args.seed)
    print(f"preset {args.preset!r}: rollouts={integrator.get_setting('rollouts')}, "
          f"anchor_steps={integrator.get_setting('anchor_steps')}")
    # openmm-torch has CUDA and CPU kernels but no OpenCL ones: take the fastest platform that runs it.
    platform = next(p for p in available_platforms() if p in ("CUDA", "CPU", "Reference"))
    simulation = Simulation(ethanol.topology, ethanol.system, integrator, Platform.getPlatformByName(platform))
    simulation.context.setPositions(ethanol.positions)
    simulation.minimizeEnergy()
    simulation.context.setVelocitiesToTemperature(ethanol.temperature * unit.kelvin, args.seed)
    with open(out / "topology.pdb", "w") as fh:
        PDBFile.writeFile(ethanol.topology, simulation.context.getState(getPositions=True).getPositions(), fh)
    stats_reporter = AsteroidReporter(str(out / "asteroid_stats.csv"), 200)
    simulation.reporters += [
        DCDReporter(str(out / "trajectory.dcd"), 10),
        StateDataReporter(sys.stdout, max(steps // 5, 1), step=True, time=True, potentialEnergy=True, speed=True),
        stats_reporter,
    ]
    # A 9-atom ANI model is too small for parallel torch ops; torch's spinning worker threads would slow
    # OpenMM's CPU threads down a lot. One torch thread on the CPU platform.
    with torch_threads(1) if platform in ("CPU", "Reference") else contextlib.nullcontext():
        t0 = time.perf_counter()
        simulation.step(steps)
        wall = time.perf_counter() - t0
    stats_reporter.close()

    st = integrator.stats
    print(f"\nsimulated {steps * ethanol.timestep:g} ps ({steps} steps) on OpenMM {platform} in {wall:.1f} s wall")
    print("integrator statistics (AsteroidIntegrator.stats):")
    for key, value in st.as_dict().items():
        print(f"  {key:18s} {value:.4g}" if isinstance(value, float) else f"  {key:18s} {value}")
    if st.rejection_reasons:
        print("  guard decisions: " + "; ".join(f"{k}: {v}" for k, v in sorted(st.rejection_reasons.items())))
    print(f"wrote {out}/trajectory.dcd, topology.pdb, asteroid_stats.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
