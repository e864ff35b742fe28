"""The ``asteroid-openmm`` command line.

Each subcommand lives in the module that does the work; that module provides
``add_arguments(parser)`` and ``run_from_args(args)``. Modules are imported only
when their subcommand runs, so ``asteroid-openmm --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, one-line help)
SUBCOMMANDS = {
    "systems": ("asteroid_openmm.systems.cli", "list the built-in systems"),
    "simulate": ("asteroid_openmm.simulate", "run plain OpenMM MD and write a trajectory"),
    "train": ("asteroid_openmm.training.train", "train an ASTEROID model on trajectories"),
    "evaluate": ("asteroid_openmm.evaluation.evaluate", "evaluate a model against baselines on a held-out trajectory"),
    "donors": ("asteroid_openmm.model.donor_library", "attach a fast-mode donor library (real MD frames) to a model"),
    "run": ("asteroid_openmm.integrator.run", "run a hybrid MD + ASTEROID-forecast simulation"),
    "demo": ("asteroid_openmm.demo", "plain MD vs hybrid, side by side, on a built-in system"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asteroid-openmm",
        description="ASTEROID spatiotemporal forecasts as an OpenMM surrogate integrator. "
        "Units everywhere: nm, ps, kJ/mol, K.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        sp = sub.add_parser(
            name,
            help=help_text,
            description=(module.__doc__ or help_text).strip().splitlines()[0],
            formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        )
        module.add_arguments(sp)
        sp.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args._module.run_from_args(args)
    except (ValueError, FileNotFoundError) as exc:
        # Bad input: one clear line, no traceback.
        print(f"asteroid-openmm {args.command}: error: {exc}", file=sys.stderr)
        return 2
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
