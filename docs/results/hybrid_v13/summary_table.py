"""One markdown row per hybrid run: speed-up, full-length ratios to the floor, rotor kinetics, 25 ps pass rate.

    python docs/results/hybrid_v13/summary_table.py NOISE.json RESULT.json [RESULT.json ...]

NOISE.json: the output of benchmarks/fidelity_noise.py over the same results (its pass rates per run).
"""
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import fidelity_noise  # noqa: E402

from asteroid_openmm.evaluation.metrics import dihedrals  # noqa: E402

noise = json.load(open(sys.argv[1]))["summary"]
print("| run | seed | speed-up | bonds | angles | dihedrals | energy | mean energy - reference (kJ/mol) "
      "| rotor transitions/ps | trans / g+ / g- | pass rate, 25 ps segments |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for path in sys.argv[2:]:
    result = json.load(open(path))
    first, samples = fidelity_noise.load([path])
    ref_e = samples["reference"][1].mean()
    for run in result["runs"]:
        if run["kind"] != "hybrid":
            continue
        label = next(k for k in samples if k.endswith(run["label"]))
        x, e = samples[label]
        phi = dihedrals(x, np.array([[0, 1, 2, 8]]))[:, 0]
        core = np.full(len(phi), -1)
        core[np.abs(phi) > 150], core[(phi > 30) & (phi < 90)], core[(phi < -30) & (phi > -90)] = 0, 1, 2
        rate = np.count_nonzero(np.diff(core[core >= 0])) / (len(phi) * first["sample_interval_ps"])
        r = run["ratio_to_floor_ref"]
        print(f"| {run['setting']} | {run['seed']} | {run['speedup']:.2f}x | {r['bonds']:.2f} | {r['angles']:.2f} | "
              f"{r['dihedrals']:.1f} | {r['energy']:.2f} | {e.mean() - ref_e:+.1f} | {rate:.2f} | "
              f"{np.mean(np.abs(phi) > 120):.2f} / {np.mean((phi > 0) & (phi < 120)):.2f} / "
              f"{np.mean((phi < 0) & (phi > -120)):.2f} | {noise[label]['pass_rate']:.0%} |")
