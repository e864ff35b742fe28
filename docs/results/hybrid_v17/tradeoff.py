"""The speed-up / fidelity trade-off of 100 ps ethanol hybrid settings: mean 25 ps pass rate against mean speed-up.

    python docs/results/hybrid_v17/tradeoff.py NOISE.json PLOT.png RESULT.json [RESULT.json ...]

NOISE.json: benchmarks/fidelity_noise.py over the same results (pass rate per run and of plain MD itself).
A setting is the result files' name less its seed suffix (``name_s1300.json`` -> ``name``), so runs of one setting
by different code versions can carry different names. Prints a markdown table; the plot marks plain MD's own
pass rate and the 10x target.
"""
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

noise = json.load(open(sys.argv[1]))["summary"]
plain_rate = noise["exact sampler (plain segments)"]["pass_rate"]
settings = defaultdict(list)  # name -> [(speed-up, pass rate)]
for path in sys.argv[3:]:
    name = re.sub(r"_s\d+$", "", Path(path).stem)
    for run in json.load(open(path))["runs"]:
        if run["kind"] == "hybrid":
            label = next(k for k in noise if k.endswith(run["label"]) and k.startswith(Path(path).stem))
            settings[name].append((run["speedup"], noise[label]["pass_rate"]))

print("| setting (file name) | seeds | speed-up, mean (range) | 25 ps pass rate, mean (range) |")
print("|---|---|---|---|")
fig, ax = plt.subplots(figsize=(8, 5.5))
for name, points in settings.items():
    speed, rate = np.array(points).T
    print(f"| {name} | {len(points)} | {speed.mean():.1f}x ({speed.min():.1f}-{speed.max():.1f}) | "
          f"{rate.mean():.0%} ({rate.min():.0%}-{rate.max():.0%}) |")
    ax.errorbar(speed.mean(), 100 * rate.mean(),
                xerr=[[speed.mean() - speed.min()], [speed.max() - speed.mean()]],
                yerr=[[100 * (rate.mean() - rate.min())], [100 * (rate.max() - rate.mean())]], fmt="o", capsize=3)
    ax.annotate(name, (speed.mean(), 100 * rate.mean()), fontsize=7, xytext=(4, 4), textcoords="offset points")
ax.axhline(100 * plain_rate, color="k", ls="--", lw=1, label=f"plain MD itself ({plain_rate:.0%})")
ax.axvline(10, color="r", ls=":", lw=1, label="10x target")
ax.set_xlabel("speed-up over plain MD (CPU, one core per run)")
ax.set_ylabel("25 ps segments with every divergence within 1.5x the floor (%)")
ax.set_title("Ethanol (ANI-1x, 500 K), 100 ps hybrids: mean and range over seeds")
ax.legend(loc="lower left", fontsize=8)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=120)
print(f"\nwrote {sys.argv[2]}")
