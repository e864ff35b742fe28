"""The speed-up / fidelity trade-off of hybrid settings: 25 ps pass rate against speed-up, one panel per system.

Usage::

    python benchmarks/tradeoff.py PLOT.png --panel TITLE NOISE.json RESULT.json [RESULT.json ...] [--panel ...]
        [--speedup in-run|reported] [--group-by setting|file] [--json OUT.json]

``RESULT.json``: ``benchmarks/hybrid.py`` results; ``NOISE.json``: ``benchmarks/fidelity_noise.py`` over the
same results (each run's pass rate and plain MD's own). Runs are grouped into settings by their setting text
(``--group-by setting``, the default: a setting spelled out knob by knob and the same setting as a preset are
different points) or by result file name less its ``_sSEED`` suffix (``--group-by file``, shorter names). The speed-up is the in-run one (``--speedup in-run``, the default: against the run's
own real MD steps, in the same minutes) or the reported one (against the plain runs, which ``--reuse-plain`` may
have timed in another session). Prints a markdown table per panel, writes the plot (mean and range over seeds per
setting, plain MD's own pass rate, the 10x target) and, with ``--json``, the table.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

SPEEDUP_KEYS = {"in-run": ("speedup_in_run", "speed-up over the run's own real MD steps (CPU, one core per run)"),
                "reported": ("speedup", "speed-up over plain MD (CPU, one core per run)")}


def settings_of(noise: dict, results: list[str], speedup: str, group_by: str) -> dict[str, list[tuple]]:
    """Setting name -> [(speed-up, pass rate)] of its runs."""
    key = SPEEDUP_KEYS[speedup][0]
    settings = defaultdict(list)
    for path in results:
        stem = Path(path).stem
        for run in json.load(open(path))["runs"]:
            if run["kind"] != "hybrid":
                continue
            label = f"{stem}: {run['label']}"
            if label not in noise:
                raise SystemExit(f"{label!r} is not in the fidelity_noise result: run fidelity_noise.py over {path}")
            name = re.sub(r"_s\d+$", "", stem) if group_by == "file" else run["setting"]
            settings[name].append((run[key], noise[label]["pass_rate"]))
    return settings


def main(argv=None) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plot", help="output plot (.png)")
    parser.add_argument("--panel", nargs="+", action="append", required=True, metavar="TITLE NOISE RESULT",
                        help="a panel: its title, a fidelity_noise.py JSON and the hybrid.py results it scored")
    parser.add_argument("--speedup", choices=list(SPEEDUP_KEYS), default="in-run")
    parser.add_argument("--group-by", choices=["setting", "file"], default="setting")
    parser.add_argument("--json", help="also write the table as JSON")
    args = parser.parse_args(argv)
    if any(len(panel) < 3 for panel in args.panel):
        parser.error("each --panel needs a title, a fidelity_noise.py JSON and at least one hybrid.py result")

    table = {}
    fig, axes = plt.subplots(1, len(args.panel), figsize=(6.5 * len(args.panel), 5.2), squeeze=False)
    for ax, (title, noise_path, *results) in zip(axes[0], args.panel):
        noise = json.load(open(noise_path))["summary"]
        plain_rate = noise["exact sampler (plain segments)"]["pass_rate"]
        settings = settings_of(noise, results, args.speedup, args.group_by)
        print(f"\n{title} (plain MD passes {plain_rate:.0%})\n")
        print(f"| setting | runs | {args.speedup} speed-up, mean (range) | 25 ps pass rate, mean (range) |")
        print("|---|---|---|---|")
        rows = table[title] = {"plain_md_pass_rate": plain_rate, "settings": {}}
        for name, points in sorted(settings.items(), key=lambda kv: np.mean([p[0] for p in kv[1]])):
            speed, rate = np.array(points).T
            rows["settings"][name] = {"speedup": speed.tolist(), "pass_rate": rate.tolist()}
            print(f"| {name} | {len(points)} | {speed.mean():.1f}x ({speed.min():.1f}-{speed.max():.1f}) | "
                  f"{rate.mean():.0%} ({rate.min():.0%}-{rate.max():.0%}) |")
            ax.errorbar(speed.mean(), 100 * rate.mean(),
                        xerr=[[speed.mean() - speed.min()], [speed.max() - speed.mean()]],
                        yerr=[[100 * (rate.mean() - rate.min())], [100 * (rate.max() - rate.mean())]],
                        fmt="o", capsize=3)
            ax.annotate(name, (speed.mean(), 100 * rate.mean()), fontsize=7, xytext=(4, 4),
                        textcoords="offset points")
        ax.axhline(100 * plain_rate, color="k", ls="--", lw=1, label=f"plain MD itself ({plain_rate:.0%})")
        ax.axvline(10, color="r", ls=":", lw=1, label="10x target")
        ax.set_xlim(left=0)
        ax.set_ylim(0, 100)
        ax.set_xlabel(SPEEDUP_KEYS[args.speedup][1])
        ax.set_ylabel("25 ps segments with every divergence within 1.5x the floor (%)")
        ax.set_title(f"{title}: mean and range over seeds", fontsize=10)
        ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(args.plot, dpi=120)
    print(f"\nwrote {args.plot}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(table, f, indent=1)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
