"""Evaluate an ASTEROID model against baselines on every window of a held-out trajectory.

All methods are scored by the same code on the same windows. JSON keys
(lists have one value per horizon step ``k = 1 .. H``):

``model``, ``trajectories``, ``n_windows``, ``context_frames``, ``horizon``,
``frame_interval_ps``, ``lead_time_ps`` ([H], k * frame interval)
``methods.<name>`` for ``asteroid``, ``persistence``, ``linear_extrapolation``, ``linear_ar`` and, for
    models trained since the body-frame prior exists, ``linear_prior`` (ASTEROID's least-squares linear
    forecaster alone, network off: body-frame whole-molecule linear AR plus per-atom history; an
    ablation and the strongest linear AR baseline here):
    ``position_mae_nm`` mean |forecast - truth| over windows, atoms and x/y/z;
    ``rmsd_nm`` per-frame RMSD (no alignment) averaged over windows;
    ``bond_error_median_nm`` / ``bond_error_p99_nm`` |bond length - true| over windows and bonds;
    ``angle_error_median_deg`` / ``angle_error_p99_deg`` same for bond angles;
    ``asteroid`` also has ``sti_spread_nm`` (mean STI spread) and ``seconds_per_forecast``.
``thermal``: ``bond_length_std_nm`` and ``angle_std_deg`` — for each bond (angle) the standard
    deviation over the reference trajectory, median over bonds (angles): the thermal fluctuation;
    ``n_flexible_bonds``, ``n_constrained_bonds``. Bonds whose reference length varies by less than
    1e-5 nm are constraints: bond metrics use the flexible bonds, and each method also reports
    ``constrained_bond_error_max_nm`` [H] (largest constrained-bond error) when there are any.
``ratios``: ``asteroid_mae_over_<baseline>`` [H] for every baseline present and ``asteroid_bond_median_over_thermal`` [H].
``energy`` (only with ``--system``): ``reference_mean_kj_mol``, ``reference_std_kj_mol``,
    ``reference_p01_kj_mol``/``reference_p99_kj_mol`` (potential energy of the reference frames), and per
    method ``mean_excess_kj_mol`` [H] (mean forecast-frame energy minus the reference mean) and
    ``fraction_within_reference_p01_p99`` [H]; computed on ``energy_windows`` windows.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from . import metrics
from .metrics import CONSTRAINED_STD_NM

BASELINES = ("persistence", "linear_extrapolation", "linear_ar", "linear_prior")


def _windows(trajectories, w: int, h: int, stride: int, max_windows: int | None):
    """Every window (stride apart) of every trajectory: [B, W + H, N, 3] float32 nm."""
    out = []
    for t in trajectories:
        n = t.n_frames - (w + h) + 1
        if n < 1:
            raise ValueError(f"{t.source}: {t.n_frames} frames are too few for one window of {w} + {h} frames")
        starts = np.arange(0, n, stride)
        out.append(np.stack([t.positions[s : s + w + h] for s in starts]))
    win = np.concatenate(out)
    if max_windows and len(win) > max_windows:
        win = win[np.linspace(0, len(win) - 1, max_windows).astype(int)]
    return win


def _quality(pred, true, bonds, triplets) -> dict:
    be = metrics.bond_length_errors(pred, true, bonds)
    ae = metrics.angle_errors(pred, true, triplets)
    return dict(
        position_mae_nm=metrics.position_mae(pred, true).tolist(),
        rmsd_nm=metrics.rmsd(pred, true).tolist(),
        bond_error_median_nm=be["median"].tolist(),
        bond_error_p99_nm=be["p99"].tolist(),
        angle_error_median_deg=ae["median"].tolist(),
        angle_error_p99_deg=ae["p99"].tolist(),
    )


def forecast_windows(model, context: np.ndarray, batch_size: int = 64,
                     rollouts: int = 1) -> tuple[np.ndarray, np.ndarray, float]:
    """Batched model forecasts of [B, W, N, 3] contexts (nm).

    With ``rollouts`` R > 1 each context gets R chained forecasts, each fed
    the previous ones' frames (:meth:`AsteroidModel.rollout_torch`).
    Returns (forecast [B, R H, N, 3] nm, STI spread [B, R H] nm, seconds per
    context).
    """
    import torch

    frames, spreads = [], []
    t0 = time.perf_counter()
    for i in range(0, len(context), batch_size):
        c = np.asarray(context[i : i + batch_size], np.float64)
        # Forecast near the origin: float32 keeps its precision there.
        origin = c[:, -1].mean(axis=1, keepdims=True)[:, None]  # [b, 1, 1, 3]
        f, s = model.rollout_torch(torch.as_tensor(c - origin, dtype=torch.float32), rollouts)  # no-grad forecasts
        frames.append(f.double().cpu().numpy() + origin)
        spreads.append(s.double().cpu().numpy())
    seconds = (time.perf_counter() - t0) / max(len(context), 1)
    return np.concatenate(frames), np.concatenate(spreads), seconds


def potential_energies(builtin, frames: np.ndarray) -> np.ndarray:
    """Potential energy (kJ/mol) of each frame [..., N, 3] (nm) under a built-in system's force field."""
    from .._openmm import import_openmm
    from ..systems.ani import torch_threads

    openmm = import_openmm()
    integ = openmm.VerletIntegrator(0.001)
    platform = openmm.Platform.getPlatformByName("CPU" if "CPU" in _platforms(openmm) else "Reference")
    ctx = openmm.Context(builtin.system, integ, platform)
    flat = frames.reshape(-1, frames.shape[-2], 3)
    out = np.empty(len(flat))
    # One torch thread: torch's idle workers otherwise fight OpenMM's CPU threads (10x slower).
    with torch_threads(1):
        for i, x in enumerate(flat):
            ctx.setPositions(x)
            out[i] = ctx.getState(getEnergy=True).getPotentialEnergy().value_in_unit(
                openmm.unit.kilojoule_per_mole)
    del ctx
    return out.reshape(frames.shape[:-2])


def _platforms(openmm):
    return [openmm.Platform.getPlatform(i).getName() for i in range(openmm.Platform.getNumPlatforms())]


def evaluate(model, trajectories, system=None, stride: int = 1, max_windows: int | None = None,
             energy_windows: int = 32, model_path: str | None = None, progress: bool = True) -> dict:
    """Score a model and the baselines on held-out trajectories (see module docstring for the keys).

    Parameters
    ----------
    model : AsteroidModel
    trajectories : list of TrajectoryData
        Held-out data of the model's system (nm), at the model's frame interval.
    system : BuiltinSystem, optional
        When given, potential energies of forecast frames are compared with the reference frames.
    """
    from tqdm.auto import tqdm

    from .baselines import LinearAR, linear_extrapolation, persistence

    ref = trajectories[0]
    for t in trajectories:
        model.check_compatible(t.atomic_numbers, t.frame_interval)
    w, h = model.context_frames, model.horizon
    win = _windows(trajectories, w, h, stride, max_windows)
    context, truth = win[:, :w], win[:, w:]
    all_pos = np.concatenate([t.positions for t in trajectories])
    triplets = ref.angle_triplets()
    # Bonds that never fluctuate in the reference are constraints (e.g. HBonds):
    # they carry no thermal distribution, so they are scored separately.
    bond_std = metrics.thermal_fluctuation(all_pos, ref.bonds, triplets)["bond_std"]
    constrained = bond_std < CONSTRAINED_STD_NM
    bonds, constrained_bonds = ref.bonds[~constrained], ref.bonds[constrained]

    preds = {}
    fc, spread, sec = forecast_windows(model, context)
    preds["asteroid"] = fc
    preds["persistence"] = persistence(context, h)
    preds["linear_extrapolation"] = linear_extrapolation(context, h)
    ar = getattr(model, "extra", {}).get("linear_ar")
    if ar is None:
        raise ValueError("the model file carries no fitted linear AR baseline; re-train it with asteroid-openmm train")
    preds["linear_ar"] = LinearAR.from_dict(ar).predict(context, h)
    prior = getattr(model, "extra", {}).get("linear_prior")
    if prior is not None:
        preds["linear_prior"] = forecast_windows(model.linear_prior_model(prior), context)[0]

    result = dict(
        model=model_path, trajectories=[t.source for t in trajectories], n_windows=int(len(win)),
        context_frames=w, horizon=h, frame_interval_ps=model.frame_interval,
        lead_time_ps=[(k + 1) * model.frame_interval for k in range(h)], methods={},
    )
    for name, p in tqdm(preds.items(), desc="scoring", disable=not progress, leave=False):
        result["methods"][name] = _quality(p, truth, bonds, triplets)
        if len(constrained_bonds):
            err = np.abs(metrics.bond_lengths(p, constrained_bonds) - metrics.bond_lengths(truth, constrained_bonds))
            result["methods"][name]["constrained_bond_error_max_nm"] = err.max(axis=(0, 2)).tolist()
    result["methods"]["asteroid"]["sti_spread_nm"] = spread.mean(axis=0).tolist()
    result["methods"]["asteroid"]["seconds_per_forecast"] = sec

    thermal = metrics.thermal_fluctuation(all_pos, bonds, triplets)
    result["thermal"] = dict(bond_length_std_nm=float(thermal["bond_std_median"]),
                             angle_std_deg=float(thermal["angle_std_median"]),
                             n_flexible_bonds=int(len(bonds)), n_constrained_bonds=int(len(constrained_bonds)))
    a = np.asarray(result["methods"]["asteroid"]["position_mae_nm"])
    result["ratios"] = {
        f"asteroid_mae_over_{b}": (a / np.asarray(result["methods"][b]["position_mae_nm"])).tolist()
        for b in BASELINES if b in result["methods"]
    }
    result["ratios"]["asteroid_bond_median_over_thermal"] = (
        np.asarray(result["methods"]["asteroid"]["bond_error_median_nm"]) / result["thermal"]["bond_length_std_nm"]
    ).tolist()

    if system is not None:
        sel = np.linspace(0, len(win) - 1, min(energy_windows, len(win))).astype(int)
        ref_frames = all_pos[np.linspace(0, len(all_pos) - 1, min(len(all_pos), 2000)).astype(int)]
        e_ref = potential_energies(system, ref_frames)
        lo, hi = np.percentile(e_ref, [1, 99])
        energy = dict(reference_mean_kj_mol=float(e_ref.mean()), reference_std_kj_mol=float(e_ref.std()),
                      reference_p01_kj_mol=float(lo), reference_p99_kj_mol=float(hi), n_windows=int(len(sel)),
                      methods={})
        for name, p in tqdm(preds.items(), desc="energies", disable=not progress, leave=False):
            e = potential_energies(system, p[sel])  # [b, H]
            energy["methods"][name] = dict(
                mean_excess_kj_mol=(e.mean(axis=0) - e_ref.mean()).tolist(),
                fraction_within_reference_p01_p99=((e >= lo) & (e <= hi)).mean(axis=0).tolist(),
            )
        result["energy"] = energy
    return result


def plot_evaluation(result: dict, path) -> Path:
    """Error vs lead time for ASTEROID and every baseline (MAE and bond-length error), saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = np.asarray(result["lead_time_ps"]) * 1000.0  # fs reads better for short horizons
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    styles = dict(asteroid=("ASTEROID", "C3", "-o"), persistence=("persistence", "C0", "--"),
                  linear_extrapolation=("linear extrapolation", "C1", ":"), linear_ar=("linear AR", "C2", "-."),
                  linear_prior=("ASTEROID linear prior (network off)", "C4", "-"))
    for name, (label, color, style) in styles.items():
        if name not in result["methods"]:
            continue
        m = result["methods"][name]
        axes[0].plot(t, np.asarray(m["position_mae_nm"]) * 10, style, color=color, label=label, ms=3)
        axes[1].plot(t, np.asarray(m["bond_error_median_nm"]) * 10, style, color=color, label=label, ms=3)
    axes[1].axhline(result["thermal"]["bond_length_std_nm"] * 10, color="k", lw=1, alpha=0.6,
                    label="thermal bond fluctuation")
    axes[0].set_ylabel("position MAE (Å)")
    axes[1].set_ylabel("median bond-length error (Å)")
    for ax in axes:
        ax.set_xlabel("lead time (fs)")
        ax.grid(alpha=0.3)
    axes[0].set_yscale("log")
    axes[1].set_yscale("log")
    axes[0].legend(fontsize=8)
    axes[1].legend(fontsize=8)
    fig.suptitle(f"Forecast error vs horizon ({result['n_windows']} held-out windows)")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


# ---------------------------------------------------------------------- CLI
def add_arguments(parser) -> None:
    parser.add_argument("--model", "-m", required=True, help="model file (.pt) or built-in model name")
    parser.add_argument("--trajectory", "-t", nargs="+", required=True, help="held-out trajectory file(s)")
    parser.add_argument("--topology", "-p", help="topology (PDB) for formats without one")
    parser.add_argument("--frame-interval-ps", type=float, help="time between frames in ps (default: from the file)")
    parser.add_argument("--frame-step", type=int, default=1,
                        help="keep every k-th frame, for a model whose frame interval is k times the file's")
    parser.add_argument("--json", required=True, help="where to write the results (JSON)")
    parser.add_argument("--plot", help="PNG of error vs horizon for all methods")
    parser.add_argument("--system", help="built-in system name: also compare potential energies of forecast frames")
    parser.add_argument("--stride", type=int, default=1, help="frames between evaluated windows")
    parser.add_argument("--max-windows", type=int, help="evaluate at most this many windows (evenly spaced)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])


def run_from_args(args) -> int:
    from ..model import load_model
    from ..trajectories import load_trajectories

    model = load_model(args.model, device=args.device)
    trajs = load_trajectories(args.trajectory, topology=args.topology, frame_interval_ps=args.frame_interval_ps,
                              frame_step=args.frame_step)
    system = None
    if args.system:
        from ..systems import get_system

        system = get_system(args.system)
        model.check_compatible(system.atomic_numbers)
    result = evaluate(model, trajs, system=system, stride=args.stride, max_windows=args.max_windows,
                      model_path=str(args.model))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=1))
    if args.plot:
        plot_evaluation(result, args.plot)
    a = result["methods"]["asteroid"]["position_mae_nm"]
    print(f"{result['n_windows']} windows; position MAE at step 1 / {len(a)} (Å): ASTEROID {a[0]*10:.3f} / "
          f"{a[-1]*10:.3f}; " + "; ".join(
              f"{b} {result['methods'][b]['position_mae_nm'][0]*10:.3f} / {result['methods'][b]['position_mae_nm'][-1]*10:.3f}"
              for b in BASELINES if b in result["methods"]))
    print(f"median bond error at step {len(a)}: {result['methods']['asteroid']['bond_error_median_nm'][-1]*10:.4f} Å "
          f"(thermal fluctuation {result['thermal']['bond_length_std_nm']*10:.4f} Å); results in {args.json}")
    return 0
