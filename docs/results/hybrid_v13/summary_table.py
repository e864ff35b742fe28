"""One markdown row per hybrid run: speed-up, full-length ratios to the floor, rotor kinetics, 25 ps pass rate.

    python docs/results/hybrid_v13/summary_table.py NOISE.json RESULT.json [RESULT.json ...]

NOISE.json: the output of benchmarks/fidelity_noise.py over the same results (its pass rates per run).
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import fidelity_noise  # noqa: E402
from rotor_kinetics import rotor_kinetics  # noqa: E402

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
        rate, trans, gplus, gminus = rotor_kinetics(x, first["sample_interval_ps"])
        r = run["ratio_to_floor_ref"]
        print(f"| {run['setting']} | {run['seed']} | {run['speedup']:.2f}x | {r['bonds']:.2f} | {r['angles']:.2f} | "
              f"{r['dihedrals']:.1f} | {r['energy']:.2f} | {e.mean() - ref_e:+.1f} | {rate:.2f} | "
              f"{trans:.2f} / {gplus:.2f} / {gminus:.2f} | {noise[label]['pass_rate']:.0%} |")
