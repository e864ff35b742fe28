"""List the built-in systems: name, atoms, potential, timestep and temperature.

Usage: ``asteroid-openmm systems [--verbose]``. Building a system is not needed
for the table, so this is fast (no torch or OpenMM import).
"""

from __future__ import annotations

import argparse


def format_table(verbose: bool = False) -> str:
    """The systems table as text (one row per built-in system)."""
    from .registry import get_spec, list_systems

    header = ["name", "atoms", "potential", "timestep (fs)", "temperature (K)", "friction (1/ps)"]
    if verbose:
        header.append("description")
    rows = []
    footnote = False
    for name in list_systems():
        spec = get_spec(name)
        potential = spec.potential
        if "ani_model_index" in spec.options:
            potential += " (8-model ensemble)*"
            footnote = True
        row = [
            name,
            str(spec.n_atoms),
            potential,
            f"{spec.timestep * 1000:g}",
            f"{spec.temperature:g}",
            f"{spec.friction:g}",
        ]
        if verbose:
            row.append(spec.description)
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if footnote:
        lines.append("")
        lines.append(
            "* get_system(name, ani_model_index=0..7) or --ani-model-index uses one ANI-1x network (~3x faster)"
        )
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--verbose", "-v", action="store_true", help="also print each system's description")


def run_from_args(args: argparse.Namespace) -> int:
    print(format_table(verbose=getattr(args, "verbose", False)))
    return 0
