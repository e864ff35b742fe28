"""One line per hybrid run of benchmarks/hybrid.py result JSONs: speed-ups, full-run ratios, played-back energy.

    python docs/results/hybrid_v30/summary.py RUN.json ...

Ratios are the benchmark's own: to ``floor_ref`` (mean of JS(plain A, ref) and JS(plain B, ref)), the target's
floor, and the worst ratio to ``floor_ab`` (JS(plain A, plain B)). "played back" is the mean potential energy of
the played-back samples minus the reference's (kJ/mol).
"""
import json
import sys

for path in sys.argv[1:]:
    result = json.load(open(path))
    reference = next(r for r in result["runs"] if r["label"] == "reference")
    for run in result["runs"]:
        if run["kind"] != "hybrid":
            continue
        ratios = " ".join(f"{k} {v:.2f}" for k, v in run["ratio_to_floor_ref"].items())
        st = run["stats"]
        print(f"{path.split('/')[-1]:28s} reported {run['speedup']:5.2f}x, in-run {run['speedup_in_run']:5.2f}x  "
              f"jumps {st['jumps_accepted']}/{st['jumps_truncated']}/{st['jumps_rejected']}  {ratios}  "
              f"worst {run['worst_ratio_floor_ref']:.2f} (A-B floor {run['worst_ratio_floor_ab']:.2f})  "
              f"target met {run['fidelity_target_met']}  played back "
              f"{run['energy_mean_playback_samples'] - reference['energy_mean']:+.1f}")
