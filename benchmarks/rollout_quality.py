"""Chained (iterative) forecasts on a held-out trajectory: how fast do they drift?

A jump of the integrator with ``rollouts=R`` plays back R chained forecasts,
each fed the previous ones' output, and every jump's frames are the context of
the next forecast. This script measures what chaining does to the frames, for
one or more models on the same windows of a held-out trajectory:

* position MAE per lead frame (Å; persistence beside it);
* median bond-length error per lead frame over the thermal bond-length
  fluctuation of the reference data (the core issue's validity measure);
* per forecast block r = 1..R (frames ``(r-1) H + 1 .. r H``), the
  Jensen-Shannon divergence (bits, 64 bins, all dihedrals pooled) of the
  dihedral angles of the forecast frames against the true frames at the same
  times, and the same for bond lengths;
* with ``--system``, the potential energy of forecast frames minus the mean
  of the true frames (kJ/mol), per block, on up to 32 windows.

With ``--played-back-context`` each model is also chained the way the
integrator would with ``forecast_context=False``: every forecast's frames
get thermal fast modes (:mod:`asteroid_openmm.integrator.fast_modes`, bond
and angle distances of random frames of the window's real context) before
they become the next forecast's context; the scores are those of the
model's own frames, so the two chains differ only in what the model is fed.

Usage (the pushforward comparison in docs/benchmarks.md)::

    python benchmarks/rollout_quality.py --model shipped=ethanol pushforward=runs/pf/ethanol_pf.pt \\
        --trajectory runs/forecast/ethanol/test.dcd --system ethanol --rollouts 4 \\
        --json docs/results/rollout_ethanol.json --plot docs/results/rollout_ethanol.png

Units: positions nm (MAE printed in Å), energies kJ/mol.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from asteroid_openmm.evaluation import metrics
from asteroid_openmm.evaluation.evaluate import forecast_windows, potential_energies
from asteroid_openmm.model import load_model
from asteroid_openmm.trajectories import angle_triplets, dihedral_quadruplets, load_trajectory

ENERGY_WINDOWS = 32


def chained_forecasts(model, contexts: np.ndarray, rollouts: int) -> np.ndarray:
    """R chained forecasts of each context [B, W, N, 3] (nm) -> [B, R H, N, 3] (nm)."""
    model.eval()
    return forecast_windows(model, contexts, rollouts=rollouts)[0]


def chained_with_played_back_context(model, contexts: np.ndarray, rollouts: int, resampler, seed: int = 0):
    """Like :func:`chained_forecasts`, but each forecast is fed the previous ones with thermal fast modes."""
    rng = np.random.default_rng(seed)
    w = model.context_frames
    history = np.asarray(contexts, np.float64)
    out = []
    for _ in range(rollouts):
        f = chained_forecasts(model, history[:, -w:], 1)
        out.append(f)
        played = np.stack([resampler(f[b], contexts[b], rng) for b in range(len(f))])
        history = np.concatenate([history, played], axis=1)
    return np.concatenate(out, axis=1)


def block_js(pred: np.ndarray, true: np.ndarray, values, horizon: int, rollouts: int, **hist) -> list[float]:
    """JS divergence of ``values(frames)`` (pooled) between forecast and true frames, per forecast block."""
    return [
        metrics.js_divergence(values(pred[:, r * horizon : (r + 1) * horizon]).ravel(),
                              values(true[:, r * horizon : (r + 1) * horizon]).ravel(), bins=64, **hist)
        for r in range(rollouts)
    ]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", nargs="+", required=True,
                   help="model files or built-in model names, optionally as LABEL=PATH")
    p.add_argument("--trajectory", required=True, help="held-out trajectory (any format the package reads)")
    p.add_argument("--topology", help="topology for formats without one")
    p.add_argument("--frame-interval-ps", type=float, help="time between frames (default: from the file)")
    p.add_argument("--system", help="built-in system: also compare potential energies of forecast frames")
    p.add_argument("--rollouts", type=int, default=4, help="chained forecasts R (default 4)")
    p.add_argument("--stride", type=int, default=20, help="frames between window starts (default 20)")
    p.add_argument("--played-back-context", action="store_true",
                   help="also chain each model on its played-back frames (thermal fast modes), as the integrator "
                   "does with forecast_context=False")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--json", required=True, help="results (JSON)")
    p.add_argument("--plot", help="PNG: MAE and bond error vs lead, dihedral JS per block")
    args = p.parse_args(argv)
    if args.rollouts < 1 or args.stride < 1:
        raise SystemExit("--rollouts and --stride must be >= 1")
    torch.set_num_threads(args.threads)

    traj = load_trajectory(args.trajectory, topology=args.topology, frame_interval_ps=args.frame_interval_ps)
    models = {}
    for spec in args.model:
        label, _, path = spec.rpartition("=")
        models[label or Path(path).stem] = load_model(path, device="cpu")
    first = next(iter(models.values()))
    w, h, r = first.context_frames, first.horizon, args.rollouts
    for label, m in models.items():
        m.check_compatible(atomic_numbers=traj.atomic_numbers, frame_interval_ps=traj.frame_interval)
        if (m.context_frames, m.horizon) != (w, h):
            raise SystemExit(f"{label}: W/H {m.context_frames}/{m.horizon} differ from {w}/{h}; compare like with like")
    starts = np.arange(0, traj.n_frames - (w + r * h) + 1, args.stride)
    if len(starts) == 0:
        raise SystemExit(f"{args.trajectory} has {traj.n_frames} frames, fewer than one window of {w} + {r * h}")
    windows = np.stack([traj.positions[s : s + w + r * h] for s in starts])
    contexts, truth = windows[:, :w], windows[:, w:]
    bonds = traj.bonds
    quads = dihedral_quadruplets(bonds)
    thermal = metrics.thermal_fluctuation(traj.positions, bonds, angle_triplets(bonds))["bond_std_median"]
    lead_ps = (np.arange(1, r * h + 1) * traj.frame_interval).tolist()

    result = dict(trajectory=str(args.trajectory), n_windows=len(starts), context_frames=w, horizon=h, rollouts=r,
                  frame_interval_ps=traj.frame_interval, lead_time_ps=lead_ps, thermal_bond_std_nm=thermal,
                  persistence_mae_nm=metrics.position_mae(np.repeat(contexts[:, -1:], r * h, axis=1), truth).tolist(),
                  models={})
    builtin = None
    if args.system:
        from asteroid_openmm.systems import get_system

        builtin = get_system(args.system)
        sample = np.linspace(0, len(starts) - 1, min(len(starts), ENERGY_WINDOWS)).astype(int)
        e_true = potential_energies(builtin, truth[sample])
        result["true_energy_mean_kj_mol"] = float(e_true.mean())
        result["true_energy_std_kj_mol"] = float(e_true.std())
    runs = [(label, m, False) for label, m in models.items()]
    if args.played_back_context:
        from asteroid_openmm.integrator.fast_modes import FastModeResampler
        from asteroid_openmm.model.geometry_restore import element_masses

        resampler = FastModeResampler(bonds, element_masses(traj.atomic_numbers))
        runs += [(f"{label} (played-back context)", m, True) for label, m in models.items()]
    for label, m, played_back in runs:
        pred = (chained_with_played_back_context(m, contexts, r, resampler) if played_back
                else chained_forecasts(m, contexts, r))
        bond_err = metrics.bond_length_errors(pred, truth, bonds)["median"]
        res = dict(
            model=str(getattr(m, "source", label)),
            provenance={k: m.provenance.get(k) for k in ("pushforward", "training_seconds", "epochs_run", "seed")},
            position_mae_nm=metrics.position_mae(pred, truth).tolist(),
            bond_error_median_nm=bond_err.tolist(),
            bond_error_over_thermal=(bond_err / thermal).tolist(),
            dihedral_js_per_block=block_js(pred, truth, lambda x: metrics.dihedrals(x, quads), h, r,
                                           range=(-180.0, 180.0)),
            bond_js_per_block=block_js(pred, truth, lambda x: metrics.bond_lengths(x, bonds), h, r),
        )
        if builtin is not None:
            e = potential_energies(builtin, pred[sample])  # [S, R H]
            res["energy_excess_per_block_kj_mol"] = [
                float(e[:, k * h : (k + 1) * h].mean() - result["true_energy_mean_kj_mol"]) for k in range(r)
            ]
        result["models"][label] = res
        mae = np.asarray(res["position_mae_nm"]) * 10
        print(f"{label}: MAE (Å) at frames {h}/{r * h}: {mae[h - 1]:.3f}/{mae[-1]:.3f}; bond error/thermal max "
              f"{max(res['bond_error_over_thermal']):.2f}; dihedral JS per block "
              f"{' '.join(f'{v:.4f}' for v in res['dihedral_js_per_block'])}"
              + (f"; energy excess per block {' '.join(f'{v:+.0f}' for v in res['energy_excess_per_block_kj_mol'])}"
                 " kJ/mol" if builtin is not None else ""))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=1))
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(1, 3, figsize=(15, 4.2))
        t = np.asarray(lead_ps)
        ax[0].plot(t, np.asarray(result["persistence_mae_nm"]) * 10, "k--", label="persistence")
        for label, res in result["models"].items():
            ax[0].plot(t, np.asarray(res["position_mae_nm"]) * 10, label=label)
            ax[1].plot(t, res["bond_error_over_thermal"], label=label)
            ax[2].plot(np.arange(1, r + 1), res["dihedral_js_per_block"], "o-", label=label)
        for k in range(1, r):
            for a in ax[:2]:
                a.axvline(k * h * traj.frame_interval, color="0.85", lw=0.8)
        ax[0].set(xlabel="lead time (ps)", ylabel="position MAE (Å)", title=f"{r} chained forecasts")
        ax[1].axhline(1.5, color="r", lw=0.8, ls=":")
        ax[1].set(xlabel="lead time (ps)", ylabel="median bond error / thermal std")
        ax[2].set(xlabel="forecast block", ylabel="dihedral JS vs true frames (bits)", xticks=range(1, r + 1))
        for a in ax:
            a.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
        print(f"wrote {args.json}, {args.plot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
