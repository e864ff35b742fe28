"""How often would an exact sampler pass the hybrid benchmark's fidelity target?

``benchmarks/hybrid.py`` judges a hybrid run by ``JS(run, reference) /
floor`` for each metric, where the floor is the mean of ``JS(plain A,
reference)`` and ``JS(plain B, reference)``: two more runs of the same
length. Every term is a finite-sample estimate, and for slow coordinates
(rotor populations, energy) the estimates of single 100 ps runs scatter by
several-fold (ethanol, 100 ps: ``JS(plain A, ref)`` and ``JS(plain B, ref)``
of the dihedrals differed 15-fold in one benchmark). So a run that samples
*exactly* the right distribution can fail "every divergence <= 1.5x the
floor", and a worse one can pass by luck.

This script measures that directly from a benchmark's saved samples
(``hybrid.py --save-samples``), with no model of the noise: each plain run
(reference, plain A, plain B) is cut into consecutive pieces of equal length
(``--segments`` per benchmark run; a longer reference gives more), giving
at least ``3 x segments`` independent plain-MD segments.

* **Exact sampler**: every assignment of distinct plain segments to the
  roles (reference, floor run a, floor run b, tested run) is scored as the
  benchmark scores a hybrid: per metric ``JS(tested, ref) / mean(JS(a, ref),
  JS(b, ref))``. The fraction of assignments whose every ratio is <= 1.5 is
  the pass rate of a sampler indistinguishable from plain MD, at the
  segment length.
* **Hybrid runs**: each hybrid run is cut the same way, and each of its
  segments takes the tested role against every (reference, a, b) assignment
  of plain segments. Its pass rate and ratio quantiles are then directly
  comparable with the exact sampler's.

Histograms use the benchmark's bins (``FidelitySpec`` of ``hybrid.py``,
ranges from the whole reference run). Segments of one run are consecutive,
so they are nearly but not exactly independent.

Usage::

    python benchmarks/fidelity_noise.py runs/hybrid/ethanol.json [more.json ...] [--segments 2]

Every JSON must come from ``hybrid.py --save-samples`` (or ``--reuse-plain``
with ``--save-samples``) on the same plain runs; hybrid runs of all of them
are scored. Output: a table, ``--json`` (default: next to the first input,
``<name>_noise.json``) and ``--plot`` (the distribution of the worst ratio
per run; ``none`` to skip).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import hybrid as bench  # noqa: E402  (the benchmark's bins, metrics and sample layout)

PLAIN = ("reference", "plain A", "plain B")


def load(paths: list[str]) -> tuple[dict, dict]:
    """(first result JSON, {label: (positions [T, N, 3] nm, energies [T] kJ/mol)}) of plain and hybrid runs."""
    results = [json.loads(Path(p).read_text()) for p in paths]
    runs = {}
    for path, result in zip(paths, results):
        npz = result.get("samples_file")
        if not npz or not Path(npz).is_file():
            raise SystemExit(f"{path}: its samples file ({npz!r}) is missing; run hybrid.py with --save-samples")
        arrays = np.load(npz)
        for r in result["runs"]:
            if r["kind"] == "plain" and r["label"] in runs:
                continue  # the same plain runs, reused
            key = bench.samples_key(r["label"])
            label = r["label"] if r["kind"] == "plain" else f"{Path(path).stem}: {r['label']}"
            runs[label] = (arrays[key + "__positions_nm"].astype(np.float64), arrays[key + "__energy_kJmol"])
    missing = [p for p in PLAIN if p not in runs]
    if missing:
        raise SystemExit(f"{paths[0]}: no samples of {missing}")
    return results[0], runs


def fidelity_spec(result: dict, ref_x: np.ndarray, ref_e: np.ndarray) -> "bench.FidelitySpec":
    """The benchmark's histogram spec for the result's system (bonds from its topology)."""
    from asteroid_openmm.systems import get_system

    coordinates = bench.fidelity_coordinates(result["system"], get_system(result["system"]))
    return bench.FidelitySpec(ref_x, ref_e, *coordinates)


def segment_counts(spec, x: np.ndarray, e: np.ndarray, segments: int) -> list[dict]:
    """Histogram counts per metric for each of ``segments`` consecutive equal pieces of a run (remainder dropped)."""
    feats = spec.features(x, e)
    n = (len(e) // segments) * segments
    return [spec.counts({name: v[idx] for name, v in feats.items()}) for idx in np.array_split(np.arange(n), segments)]


def noise_floor(ref: dict, a: dict, b: dict, metrics) -> dict:
    """The benchmark's noise floor per metric: mean(JS(a, ref), JS(b, ref))."""
    js = bench.FidelitySpec.divergences_of_counts
    js_a, js_b = js(a, ref), js(b, ref)
    return {m: 0.5 * (js_a[m] + js_b[m]) for m in metrics}


def ratios(tested: dict, ref: dict, floor: dict, metrics) -> dict:
    """The benchmark's ratio per metric: JS(tested, ref) / the :func:`noise_floor` of the same reference."""
    js_t = bench.FidelitySpec.divergences_of_counts(tested, ref)
    return {m: js_t[m] / floor[m] if floor[m] > 0 else float("inf") for m in metrics}


def summarise(rows: list[dict], metrics) -> dict:
    """Pass rates and ratio quantiles over role assignments."""
    worst = np.array([max(r.values()) for r in rows])
    per = {m: np.array([r[m] for r in rows]) for m in metrics}
    q = (0.1, 0.5, 0.9)
    return dict(
        assignments=len(rows),
        pass_rate=float(np.mean(worst <= bench.RATIO_TARGET)),
        pass_rate_per_metric={m: float(np.mean(v <= bench.RATIO_TARGET)) for m, v in per.items()},
        worst_ratio_quantiles=dict(zip(("q10", "median", "q90"), np.quantile(worst, q).tolist())),
        ratio_median_per_metric={m: float(np.median(v)) for m, v in per.items()},
    )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("results", nargs="+", help="result JSONs of benchmarks/hybrid.py (with --save-samples)")
    p.add_argument("--segments", type=int, default=2, help="pieces each run is cut into (default 2)")
    p.add_argument("--json", default=None, help="output JSON (default <first>_noise.json)")
    p.add_argument("--plot", default=None, help="output plot (default <first>_noise.png; 'none' to skip)")
    args = p.parse_args(argv)
    if args.segments < 1 or 3 * args.segments < 4:
        p.error("--segments must be >= 2: the roles need 4 distinct plain segments")
    first = Path(args.results[0])
    out_json = Path(args.json or first.with_name(first.stem + "_noise.json"))
    out_plot = args.plot or str(first.with_name(first.stem + "_noise.png"))

    result, runs = load(args.results)
    spec = fidelity_spec(result, *runs["reference"])
    metrics = list(result["metric_names"])
    # Equal segment lengths everywhere: a longer reference gives more pieces.
    n_per_segment = len(runs["plain A"][1]) // args.segments
    counts = {label: segment_counts(spec, x, e, max(1, len(e) // n_per_segment)) for label, (x, e) in runs.items()}
    plain_segments = [c for label in PLAIN for c in counts[label]]
    seg_ps = result["time_ps"] / args.segments

    # Every (ref, {a, b}) of distinct plain segments, with its floor (computed once, shared by all tested runs).
    assignments = [(r, a, b) for r in range(len(plain_segments))
                   for a, b in itertools.combinations([i for i in range(len(plain_segments)) if i != r], 2)]
    floors = {(r, a, b): noise_floor(plain_segments[r], plain_segments[a], plain_segments[b], metrics)
              for r, a, b in assignments}
    # Exact sampler: every (ref, {a, b}, tested) of distinct plain segments.
    exact = [ratios(plain_segments[t], plain_segments[r], floors[r, a, b], metrics)
             for r, a, b in assignments for t in range(len(plain_segments)) if t not in (r, a, b)]
    worst = {"exact sampler (plain segments)": [max(r.values()) for r in exact]}
    summary = {"exact sampler (plain segments)": summarise(exact, metrics)}
    for label in runs:
        if label in PLAIN:
            continue
        rows = [ratios(seg, plain_segments[r], floors[r, a, b], metrics)
                for seg in counts[label] for r, a, b in assignments]
        summary[label] = summarise(rows, metrics)
        worst[label] = [max(r.values()) for r in rows]

    print(f"{result['system']}: runs cut into {args.segments} segments of {seg_ps:g} ps; "
          f"{len(plain_segments)} plain segments. Pass = every ratio <= {bench.RATIO_TARGET}")
    head = f"{'run':<60} {'n':>5} {'pass':>6} " + " ".join(f"{m:>10}" for m in metrics) + "   worst q10/med/q90"
    print(head)
    print("-" * len(head))
    for label, s in summary.items():
        med = " ".join(f"{s['ratio_median_per_metric'][m]:>5.2f}/{s['pass_rate_per_metric'][m]:>4.0%}"
                       for m in metrics)
        q = s["worst_ratio_quantiles"]
        print(f"{label[:60]:<60} {s['assignments']:>5} {s['pass_rate']:>6.0%} {med}   "
              f"{q['q10']:.2f}/{q['median']:.2f}/{q['q90']:.2f}")
    print("(per metric: median ratio / fraction of assignments with that ratio <= 1.5)")

    out = dict(command=" ".join(["python", "benchmarks/fidelity_noise.py", *(sys.argv[1:] if argv is None else argv)]),
               inputs=args.results, system=result["system"], segments=args.segments, segment_ps=seg_ps,
               ratio_target=bench.RATIO_TARGET, metrics=metrics, summary=summary)
    out_json.write_text(json.dumps(out, indent=1))
    print(f"wrote {out_json}")
    if out_plot.lower() != "none":
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 0.4 * len(summary) + 1.8))
        labels = list(summary)[::-1]  # exact sampler on top
        ax.boxplot([worst[k] for k in labels], orientation="horizontal", whis=(10, 90), showfliers=False)
        # Long labels keep their head (the file's name) and tail (the last settings), elided in between.
        ax.set_yticks(range(1, len(labels) + 1), [k if len(k) <= 70 else f"{k[:32]}...{k[-35:]}" for k in labels],
                      fontsize=7)
        ax.axvline(bench.RATIO_TARGET, color="red", ls="--", lw=1, label=f"{bench.RATIO_TARGET}x floor")
        ax.set_xscale("log")
        ax.set_xlabel(f"worst JS ratio to the floor over role assignments of {seg_ps:g} ps segments\n"
                      "(box 25-75%, whiskers 10-90%, orange: median)", fontsize=8)
        ax.set_title(f"{result['system']}: the 1.5x-floor criterion for an exact sampler and for hybrid runs",
                     fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
        fig.tight_layout()
        fig.savefig(out_plot, dpi=120)
        plt.close(fig)
        print(f"wrote {out_plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
