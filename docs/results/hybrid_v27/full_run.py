"""Full-run ratios to the A-B floor and guard stops (all; frozen-frame ones) of benchmarks/hybrid.py result JSONs.

    python docs/results/hybrid_v27/full_run.py RUN.json ...
"""
import json
import sys

for path in sys.argv[1:]:
    for run in json.load(open(path))["runs"]:
        if run["kind"] == "plain":
            continue
        ratios = " ".join(f"{k} {v:.2f}" for k, v in run["ratio_to_floor_ab"].items())
        reasons = run.get("rejection_reasons", {})
        frozen = sum(v for k, v in reasons.items() if "frozen" in k)
        print(f"{path.split('/')[-1]:36s} {ratios}  guard stops {sum(reasons.values())} (frozen {frozen})")
