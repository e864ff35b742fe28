"""Speed-ups of hybrid runs: against the benchmark's plain cost, and against the run's own real MD steps.

    python docs/results/hybrid_v25/speedups.py RUN.json ...

``speedup`` divides the plain runs' step cost (with --reuse-plain, timed in another session) by the hybrid's;
``in-run`` uses the cost of the hybrid's own real MD steps instead (benchmarks/hybrid.py ``speedup_in_run``, computed
here for JSON files written before it existed). Also: that in-run cost per step, and the played-back energy minus the
reference's (kJ/mol).
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from hybrid import speedup_in_run  # noqa: E402

for path in sys.argv[1:]:
    d = json.load(open(path))
    ref = next(r for r in d["runs"] if r["label"] == "reference")
    for r in d["runs"]:
        if r["kind"] == "plain":
            continue
        st = r["stats"]
        per = st["md_seconds"] / st["real_steps"]
        in_run = speedup_in_run(r)
        pb = r.get("energy_mean_playback_samples")
        print(f"{path.split('/')[-1][:-5]:24s} speedup {r['speedup']:5.1f}x  in-run {in_run:5.1f}x  "
              f"real step {1e3 * per:4.2f} ms  played back {pb - ref['energy_mean']:+5.1f} kJ/mol")
