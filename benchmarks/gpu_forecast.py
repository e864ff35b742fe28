"""Cost of an ASTEROID forecast on each device: shipped models, and scaling with system size.

What the integrator pays per jump is one ``model.rollout`` call: one upload of
the context, R chained forecasts on the model's device, one download of the
frames and their STI spread. This script times exactly that call (after
warm-up, median of repeats, CUDA synchronised by the download itself) for

* the shipped models (``asteroid-openmm`` pretrained: ethanol, aspirin,
  alanine dipeptide) with R = 1, 4 and 8 chained forecasts, on every device;
* freshly initialised models of the default architecture (W = H = 16,
  d_model 64) on water-like boxes of N atoms (100 atoms/nm^3), to show how
  the cost grows with N (the local-global attention is linear in N; the
  k-nearest-neighbour search is an O(N^2) distance scan done in row chunks
  so its memory stays O(N)), with peak GPU memory;

and it counts the host<->device copies of one integrator-style jump with the
torch profiler. Timings depend on the machine: the JSON records the devices,
torch version and CPU threads.

Usage::

    python benchmarks/gpu_forecast.py --json docs/results/gpu_forecast.json --plot docs/results/gpu_forecast.png

Units: positions in nm, times in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from asteroid_openmm.model import AsteroidModel, available_pretrained, load_model

WATER_Z = (8, 1, 1)
ATOMS_PER_NM3 = 100.0  # liquid water: ~33.4 molecules/nm^3


def devices() -> list[str]:
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def synthetic_context(n_atoms: int, frames: int, seed: int = 0, spread_nm: float | None = None) -> np.ndarray:
    """[frames, N, 3] context (nm): random uniform positions with small thermal-like jitter per frame."""
    rng = np.random.default_rng(seed)
    side = (n_atoms / ATOMS_PER_NM3) ** (1 / 3) if spread_nm is None else spread_nm
    base = rng.uniform(0.0, side, size=(n_atoms, 3))
    steps = rng.normal(scale=0.003, size=(frames, n_atoms, 3)).cumsum(axis=0)
    return base[None] + steps


def time_call(fn, repeats: int, warmup: int = 2, budget_s: float = 20.0) -> dict:
    """Median/min wall time (ms) of ``fn()`` after ``warmup`` calls; stops early after ``budget_s``."""
    for _ in range(warmup):
        fn()
    times = []
    t_end = time.perf_counter() + budget_s
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
        if time.perf_counter() > t_end:
            break
    return dict(median_ms=statistics.median(times), min_ms=min(times), repeats=len(times))


def count_copies(model: AsteroidModel, ctx: np.ndarray, rollouts: int) -> dict:
    """Host<->device memcpy events of one ``model.rollout`` call, from the torch profiler (CUDA only)."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        model.rollout(ctx, rollouts, max_spread=1e9)
        torch.cuda.synchronize()
    counts = {"HtoD": 0, "DtoH": 0}
    for ev in prof.events():
        name = ev.name
        for kind in counts:
            if "Memcpy" in name and kind in name:
                counts[kind] += 1
    # The profiler lists each copy once as a CUDA activity; the copies of
    # scalars (the STI-spread check between chained forecasts) are included.
    return counts


def shipped_models(repeats: int) -> list[dict]:
    rows = []
    for name in available_pretrained():
        for dev in devices():
            model = load_model(name, device=dev)
            ctx = synthetic_context(model.n_atoms, model.context_frames, spread_nm=0.4)
            for r in (1, 4, 8):
                t = time_call(lambda: model.rollout(ctx, r), repeats)
                row = dict(model=name, device=dev, n_atoms=model.n_atoms, rollouts=r,
                           frames=r * model.horizon, **t)
                row["ms_per_frame"] = row["median_ms"] / row["frames"]
                if dev == "cuda":
                    row["copies"] = count_copies(model, ctx, r)
                rows.append(row)
                print(f"{name:18s} {dev:4s} R={r}: {row['median_ms']:8.2f} ms "
                      f"({row['ms_per_frame']:.3f} ms/frame){'  copies ' + str(row.get('copies')) if dev == 'cuda' else ''}",
                      flush=True)
    return rows


def scaling(sizes: list[int], cpu_max_atoms: int, repeats: int) -> list[dict]:
    rows = []
    for n in sizes:
        z = np.resize(np.array(WATER_Z), n)
        torch.manual_seed(0)
        model = AsteroidModel(z, context_frames=16, horizon=16).eval()
        ctx = synthetic_context(n, 16)
        for dev in devices():
            if dev == "cpu" and n > cpu_max_atoms:
                continue
            model = model.to(dev)
            if dev == "cuda":
                torch.cuda.empty_cache()
                torch.cuda.reset_peak_memory_stats()
            try:
                t = time_call(lambda: model.rollout(ctx, 1), repeats)
            except torch.OutOfMemoryError as exc:
                rows.append(dict(n_atoms=n, device=dev, error=f"out of memory: {exc}"[:200]))
                print(f"N={n:7d} {dev:4s}: out of memory", flush=True)
                continue
            row = dict(n_atoms=n, device=dev, **t)
            row["us_per_atom"] = row["median_ms"] * 1e3 / n
            if dev == "cuda":
                row["peak_gpu_mib"] = torch.cuda.max_memory_allocated() / 2**20
            rows.append(row)
            print(f"N={n:7d} {dev:4s}: {row['median_ms']:9.2f} ms  ({row['us_per_atom']:.3f} us/atom)"
                  + (f"  peak {row['peak_gpu_mib']:.0f} MiB" if dev == "cuda" else ""), flush=True)
    return rows


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.2))
    labels = {"cpu": f"cpu ({result['cpu_threads']} threads)", "cuda": result["devices"].get("cuda", "cuda")}
    for dev, marker in (("cpu", "o"), ("cuda", "s")):
        pts = [(r["n_atoms"], r["median_ms"]) for r in result["scaling"] if r["device"] == dev and "median_ms" in r]
        if pts:
            n, ms = zip(*pts)
            ax.loglog(n, ms, marker=marker, label=labels[dev])
    # A line of slope 1 through the middle point of the largest sizes, for reference.
    timed = sorted((r["n_atoms"], r["median_ms"]) for r in result["scaling"]
                   if "median_ms" in r and r["device"] == ("cuda" if "cuda" in result["devices"] else "cpu"))
    if len(timed) >= 2:
        n_mid, ms_mid = timed[len(timed) * 2 // 3]
        n0, n1 = timed[0][0], timed[-1][0]
        ax.loglog([n0, n1], [ms_mid * n0 / n_mid, ms_mid * n1 / n_mid], "k:", label="linear in N")
    ax.set_xlabel("atoms N")
    ax.set_ylabel("one 16-frame forecast (ms)")
    ax.set_title("ASTEROID forecast cost (W=H=16, d_model=64)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--json", default="gpu_forecast.json", help="result file")
    p.add_argument("--plot", help="PNG of forecast cost vs N")
    p.add_argument("--sizes", default="64,256,1024,4096,16384,65536",
                   help="comma-separated atom counts for the scaling part")
    p.add_argument("--cpu-max-atoms", type=int, default=4096, help="largest N timed on the CPU")
    p.add_argument("--repeats", type=int, default=20, help="timed calls per measurement")
    p.add_argument("--skip-shipped", action="store_true", help="only the scaling part")
    p.add_argument("--replot", metavar="JSON", help="only redraw --plot from an earlier result file")
    args = p.parse_args(argv)
    if args.replot:
        plot(json.loads(Path(args.replot).read_text()), Path(args.plot or "gpu_forecast.png"))
        return 0

    result = dict(
        torch=torch.__version__,
        cpu_threads=torch.get_num_threads(),
        devices={"cpu": platform.processor() or platform.machine()},
    )
    if torch.cuda.is_available():
        result["devices"]["cuda"] = torch.cuda.get_device_name(0)
    result["shipped"] = [] if args.skip_shipped else shipped_models(args.repeats)
    result["scaling"] = scaling([int(s) for s in args.sizes.split(",")], args.cpu_max_atoms, args.repeats)
    Path(args.json).write_text(json.dumps(result, indent=1))
    print(f"wrote {args.json}")
    if args.plot:
        plot(result, Path(args.plot))
        print(f"wrote {args.plot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
