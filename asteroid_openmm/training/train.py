"""Train an ASTEROID model on MD trajectories.

Windows of ``W`` context + ``H`` future frames are cut from contiguous time
blocks (train / validation / test), so no validation or test frame is ever
inside a training window. Training uses AdamW with warm-up and a cosine
learning-rate schedule over the epoch or time budget, keeps the weights with
the best validation loss, stops early when validation stops improving, and
writes a resumable training state next to the model after every epoch. Under
``torchrun`` it uses DistributedDataParallel (gloo on CPU, NCCL on CUDA).
"""

from __future__ import annotations

import json
import math
import os
import shlex
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

DEFAULT_MODEL = dict(d_model=64, heads=4, encoder_layers=2, decoder_layers=2, neighbours=16, global_tokens=4,
                     anchors=4, history=12, rotation_lags=6)
# The body-frame whole-molecule prior has (P + 1) 3N x (H + M - 1) 3N
# coefficients: worth it for small molecules, too big beyond a few dozen atoms.
BODY_PRIOR_HISTORY = 6
BODY_PRIOR_MAX_ATOMS = 32
# Windows sampled for the least-squares fit of the linear priors.
PRIOR_FIT_WINDOWS = 16384


def _distributed():
    """(rank, world_size, is_distributed) from torchrun's environment."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    return int(os.environ.get("RANK", "0")), world, world > 1


def state_path(out) -> Path:
    """Resumable training state written beside the model file."""
    out = Path(out)
    return out.with_name(out.name + ".train-state")


def train(
    trajectories,
    out,
    context_frames: int = 16,
    horizon: int = 16,
    epochs: int = 100,
    max_minutes: float | None = None,
    batch_size: int = 32,
    lr: float = 1e-3,
    weight_decay: float = 1e-4,
    seed: int = 0,
    device: str = "auto",
    resume: bool = False,
    patience: int = 10,
    stride: int = 1,
    fractions=(0.8, 0.1, 0.1),
    model_options: dict | None = None,
    loss_weights: dict | None = None,
    max_steps_per_epoch: int | None = None,
    progress: bool = True,
    provenance: dict | None = None,
    restore_geometry: bool = True,
    pushforward: float = 0.0,
    pushforward_levels: int = 1,
    init_from=None,
):
    """Train a model and write it to ``out``.

    Parameters
    ----------
    trajectories : list of TrajectoryData
        Trajectories of one system (positions in nm, same frame interval).
    out : path
        Model file to write (the best validation weights).
    context_frames, horizon : int
        ``W`` and ``H``.
    epochs : int
        Upper bound on epochs.
    max_minutes : float, optional
        Wall-clock budget for the whole call (set-up, least-squares prior fit,
        training and validation); the learning-rate schedule spans it.
    stride : int
        Step between consecutive training windows (frames).
    fractions : (train, validation, test)
        Contiguous time-block split of every trajectory.
    model_options : dict
        Keyword arguments of :class:`~asteroid_openmm.model.AsteroidModel`.
    loss_weights : dict
        Fields of :class:`~asteroid_openmm.training.losses.LossWeights`.
    restore_geometry : bool
        Give the model the bond/angle distance restoration layer (needs bonds
        in the topology; see :mod:`asteroid_openmm.model.geometry_restore`).
    pushforward : float
        Fraction of training windows whose context starts with the model's
        own forecast (see :func:`pushforward_context`), so that it learns to
        forecast from contexts that hold forecast frames, as chained
        forecasts and the integrator's contexts do. 0 disables.
    pushforward_levels : int
        Longest chain of forecasts that builds a pushforward context: a
        context may be that of the 1st .. ``pushforward_levels``-th chained
        forecast (uniformly), so the model learns to correct the drift of
        long chained jumps (``rollouts`` of the integrator).
    init_from : path, optional
        Model file to start from (fine-tuning) instead of a fresh model with
        least-squares priors: its configuration and weights, same system and
        frame interval. ``model_options`` may only set ``noise_dim`` then.

    A model with ``noise_dim`` > 0 (in ``model_options``) is a stochastic
    forecaster, trained with the energy score on two samples per window
    (:mod:`~asteroid_openmm.training.losses`).

    Returns
    -------
    (AsteroidModel, dict)
        The best model (on CPU, eval mode) and the training history.
    """
    import torch
    from torch.utils.data import DataLoader
    from tqdm.auto import tqdm

    t_call = time.time()

    from ..evaluation.baselines import LinearAR
    from ..model import AsteroidModel, save_model
    from ..model.checkpoint import resolve_device
    from ..model.geometry_restore import element_masses, restoration_pairs
    from ..trajectories import WindowDataset
    from .losses import ForecastLoss, LossWeights, model_samples, training_statistics, validity_pairs

    rank, world, distributed = _distributed()
    if distributed:
        import torch.distributed as dist

        backend = "nccl" if str(device).startswith("cuda") else "gloo"
        if not dist.is_initialized():
            dist.init_process_group(backend)
        dev = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}") if backend == "nccl" else torch.device("cpu")
    else:
        dev = resolve_device(device)
    main_process = rank == 0

    trajectories = list(trajectories)
    if not trajectories:
        raise ValueError("no training trajectories given")
    ref = trajectories[0]
    for t in trajectories[1:]:
        if t.n_atoms != ref.n_atoms or not np.array_equal(t.atomic_numbers, ref.atomic_numbers):
            raise ValueError(f"{t.source} is not the same system as {ref.source} (atoms/elements differ)")
        if not math.isclose(t.frame_interval, ref.frame_interval, rel_tol=1e-6):
            raise ValueError(
                f"{t.source} has frame interval {t.frame_interval} ps but {ref.source} has {ref.frame_interval} ps"
            )

    torch.manual_seed(seed)
    np.random.seed(seed)
    model_opts = {**DEFAULT_MODEL, **(model_options or {})}
    if model_opts.get("body_history") is None:
        model_opts["body_history"] = BODY_PRIOR_HISTORY if ref.n_atoms <= BODY_PRIOR_MAX_ATOMS else 0
    n_anchors = model_opts.get("anchors", 4)
    # The first anchor's delay embedding reaches M - 1 frames beyond the horizon: windows hold them too.
    max_lag = horizon + n_anchors - 1
    if not 0.0 <= pushforward <= 1.0:
        raise ValueError(f"pushforward must be a fraction in [0, 1], got {pushforward}")
    if int(pushforward_levels) < 1:
        raise ValueError(f"pushforward_levels must be >= 1, got {pushforward_levels}")
    # Pushforward windows start levels * H frames earlier: those frames feed the chain of forecasts.
    lead = horizon * int(pushforward_levels) if pushforward > 0 else 0
    train_set = WindowDataset(trajectories, context_frames, lead + max_lag, split="train", fractions=fractions,
                              stride=stride)
    val_set = WindowDataset(trajectories, context_frames, max_lag, split="validation", fractions=fractions,
                            stride=max(stride, 2))
    # Normalisation and baselines come from the training blocks only.
    train_blocks = [trajectories[ti].positions[a:b] for (ti, a, b) in train_set.blocks]
    pairs = validity_pairs(ref.bonds, ref.n_atoms)
    msd, pair_std, scale, pair_mean = training_statistics(train_blocks, pairs, max_lag)
    linear_ar = LinearAR.fit(train_blocks, order=context_frames - 1)

    # Bond/angle restoration of forecast frames towards the training data's mean distances.
    restore, restore_kind = restoration_pairs(ref.bonds) if restore_geometry else (np.zeros((0, 2), np.int64), [])
    if init_from is not None:
        model = _initial_model(init_from, ref, context_frames, horizon, model_options or {})
    else:
        model = AsteroidModel(ref.atomic_numbers, context_frames, horizon, ref.frame_interval,
                              displacement_scale=scale, restore_pairs=len(restore), **model_opts)
    model = model.to(dev)
    if init_from is None and len(restore):
        # Restoration pairs (1-2, 1-3) are validity pairs too: reuse their training means.
        row = {tuple(p): k for k, p in enumerate(pairs.tolist())}
        mean_dist = pair_mean[[row[tuple(p)] for p in restore.tolist()]]
        model.set_restore_targets(restore, restore_kind, mean_dist, element_masses(ref.atomic_numbers))
    if not resume and init_from is None:
        # Start from the best linear equivariant forecaster (least squares on training windows).
        sample = np.linspace(0, len(train_set) - 1, min(len(train_set), PRIOR_FIT_WINDOWS)).astype(int)
        model.fit_linear_priors([torch.stack([train_set[int(i)] for i in sample[k : k + 2048]])
                                 for k in range(0, len(sample), 2048)])
    # Kept in the model file so evaluation can score the linear prior alone.
    linear_prior = None if resume else (model.extra.get("linear_prior") if init_from is not None
                                        else model.linear_prior_state())
    loss_fn = ForecastLoss(msd, pairs, pair_std, LossWeights(**(loss_weights or {})),
                           energy_score=model.noise_dim > 0).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    history = dict(epoch=[], train_loss=[], val_loss=[], lr=[], seconds=[])
    best_val, best_state, start_epoch, bad_epochs, elapsed_before = float("inf"), None, 0, 0, 0.0

    sp = state_path(out)
    if resume:
        if not sp.is_file():
            raise FileNotFoundError(f"--resume: no training state {str(sp)!r} to resume from")
        st = torch.load(sp, map_location="cpu", weights_only=True)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["optimizer"])
        history = st["history"]
        best_val, best_state = st["best_val"], st["best_state"]
        start_epoch, bad_epochs, elapsed_before = st["epoch"] + 1, st["bad_epochs"], st["elapsed"]
        torch.set_rng_state(st["torch_rng"])
        linear_prior = st.get("linear_prior")

    train_model = model
    sampler = None
    if distributed:
        from torch.nn.parallel import DistributedDataParallel
        from torch.utils.data.distributed import DistributedSampler

        train_model = DistributedDataParallel(model, device_ids=[dev.index] if dev.type == "cuda" else None)
        sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=seed)
    gen = torch.Generator().manual_seed(seed + start_epoch)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=sampler is None, sampler=sampler,
                              generator=gen if sampler is None else None, drop_last=len(train_set) > batch_size)
    val_loader = DataLoader(val_set, batch_size=2 * batch_size, shuffle=False)

    steps_per_epoch = len(train_loader) if max_steps_per_epoch is None else min(len(train_loader), max_steps_per_epoch)
    total_steps = max(1, steps_per_epoch * epochs)
    warmup = min(200, total_steps // 10 + 1)
    budget = None if max_minutes is None else 60.0 * max_minutes
    t_start = time.time() - elapsed_before
    step = start_epoch * steps_per_epoch

    def lr_at(step_, elapsed_):
        frac = step_ / total_steps
        if budget:
            frac = max(frac, elapsed_ / budget)
        warm = min(1.0, (step_ + 1) / warmup)
        return lr * warm * 0.5 * (1 + math.cos(math.pi * min(frac, 1.0)))

    def center(batch):
        # Translation-equivariant model: centring on the last context frame only helps float32.
        batch = batch.to(dev, torch.float32)
        return batch - batch[:, context_frames - 1 : context_frames].mean(dim=2, keepdim=True)

    # The budget covers everything from the call on (set-up, prior fit, validation passes):
    # stepping stops early enough for the final validation pass to fit.
    deadline = None if budget is None else t_call + budget - elapsed_before
    t_val = time.time()
    if not resume:
        # Validation loss of the starting point (the linear-AR prior), for comparison.
        history["initial_val_loss"] = evaluate_loss(model, loss_fn, val_loader, context_frames, center)
    val_seconds = time.time() - t_val if not resume else 0.0
    stop_reason = "epochs"
    for epoch in range(start_epoch, epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        model.train()
        running, seen = 0.0, 0
        bar = tqdm(total=steps_per_epoch, desc=f"epoch {epoch + 1}/{epochs}", leave=False,
                   disable=not (progress and main_process))
        out_of_time = False
        for i, batch in enumerate(train_loader):
            if i >= steps_per_epoch:
                break
            if lead:
                batch = pushforward_context(model, batch.to(dev, torch.float32), context_frames, horizon,
                                            pushforward, int(pushforward_levels))
            batch = center(batch)
            for g in opt.param_groups:
                g["lr"] = lr_at(step, time.time() - t_start)
            out_ = model_samples(train_model, batch[:, :context_frames], loss_fn.energy_score)
            losses = loss_fn(out_, batch, context_frames)
            opt.zero_grad(set_to_none=True)
            losses["total"].backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            running += float(losses["total"].detach()) * len(batch)
            seen += len(batch)
            bar.update(1)
            bar.set_postfix(loss=f"{running / seen:.4f}")
            if deadline is not None and time.time() + val_seconds > deadline:
                out_of_time = True
                break
        bar.close()
        t_val = time.time()
        val = evaluate_loss(model, loss_fn, val_loader, context_frames, center)
        val_seconds = time.time() - t_val
        if distributed:
            t = torch.tensor([val], device=dev)
            torch.distributed.all_reduce(t)
            val = float(t) / world
        history["epoch"].append(epoch + 1)
        history["train_loss"].append(running / max(seen, 1))
        history["val_loss"].append(val)
        history["lr"].append(opt.param_groups[0]["lr"])
        history["seconds"].append(time.time() - t_start)
        if val < best_val - 1e-6:
            best_val, bad_epochs = val, 0
            best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        else:
            bad_epochs += 1
        if main_process:
            if progress:
                tqdm.write(f"epoch {epoch + 1}: train {history['train_loss'][-1]:.4f}  val {val:.4f}  "
                           f"best {best_val:.4f}  lr {history['lr'][-1]:.2e}  {history['seconds'][-1]:.0f} s")
            tmp = sp.with_name(sp.name + ".tmp")
            sp.parent.mkdir(parents=True, exist_ok=True)
            torch.save(dict(model=model.state_dict(), optimizer=opt.state_dict(), history=history,
                            best_val=best_val, best_state=best_state, epoch=epoch, bad_epochs=bad_epochs,
                            elapsed=time.time() - t_start, torch_rng=torch.get_rng_state(),
                            linear_prior=linear_prior), tmp)
            os.replace(tmp, sp)
        if out_of_time:
            stop_reason = "time budget"
            break
        if bad_epochs >= patience:
            stop_reason = "early stopping"
            break

    model.load_state_dict(best_state)
    model = model.cpu().eval()
    prov = dict(
        trajectories=[t.source for t in trajectories],
        n_train_windows=len(train_set), n_val_windows=len(val_set), fractions=list(fractions), stride=stride,
        seed=seed, epochs_run=len(history["epoch"]), stop_reason=stop_reason, pushforward=pushforward,
        pushforward_levels=int(pushforward_levels), init_from=None if init_from is None else str(init_from),
        training_seconds=round(history["seconds"][-1], 1) if history["seconds"] else 0.0,
        wall_seconds=round(time.time() - t_call + elapsed_before, 1),
        best_val_loss=best_val, world_size=world, device=str(dev), lr=lr, batch_size=batch_size,
        loss_weights=asdict(loss_fn.weights), n_parameters=sum(p.numel() for p in model.parameters()),
        history=history, **(provenance or {}),
    )
    if main_process:
        extra = dict(linear_ar=linear_ar.to_dict())
        if linear_prior is not None:
            extra["linear_prior"] = linear_prior
        save_model(model, out, provenance=prov, extra=extra)
    if distributed:
        torch.distributed.barrier()
    return model, history


def _initial_model(path, ref, context_frames: int, horizon: int, model_options: dict):
    """The model of file ``path`` to fine-tune, checked against the training data and settings."""
    from ..model.checkpoint import model_from_state, read_model_file

    other = sorted(set(model_options) - {"noise_dim"})
    if other:
        raise ValueError(f"init_from: the model's configuration comes from {str(path)!r}; "
                         f"options {other} cannot change it (only noise_dim can)")
    model = model_from_state(read_model_file(path), noise_dim=model_options.get("noise_dim"))
    model.check_compatible(ref.atomic_numbers, ref.frame_interval)
    if (model.context_frames, model.horizon) != (context_frames, horizon):
        raise ValueError(f"init_from: {str(path)!r} has W={model.context_frames}, H={model.horizon}; "
                         f"training asked for W={context_frames}, H={horizon}")
    return model


def pushforward_context(model, windows, context_frames: int, horizon: int, fraction: float, levels: int = 1):
    """Training windows whose context holds the model's own forecast frames (the pushforward trick).

    ``windows`` [B, levels H + W + L, N, 3] (nm) hold ``levels * H`` extra
    leading frames. The returned windows are their last ``W + L`` frames; the
    targets stay the true frames. A random ``fraction`` of them get a context
    with forecast frames, from a chain of ``k`` forecasts (``k`` uniform in
    ``1 .. levels``; no gradient):

    * ``k = 1``: a forecast from the true frames ``H`` before the context
      replaces the first ``j`` context frames it covers (``j`` uniform in
      ``1 .. min(W, H)``). ``j = W`` (for ``W <= H``) is a chained forecast's
      context, smaller ``j`` the integrator's (forecast frames, then real MD).
    * ``k > 1``: the context is that of the ``k``-th chained forecast
      (:meth:`AsteroidModel.rollout_torch`): each forecast is fed the last
      ``W`` frames of the previous context and forecast, so errors compound
      as they do in long jumps, and the model learns to pull them back.

    Returns Tensor [B, W + L, N, 3] (nm).
    """
    import torch

    w, h = context_frames, horizon
    lead = levels * h
    main = windows[:, lead:].clone()
    b = len(windows)
    chosen = torch.rand(b, device=windows.device) < fraction
    if not chosen.any():
        return main
    depth = torch.randint(1, levels + 1, (b,), device=windows.device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for k in range(1, levels + 1):
            rows = torch.nonzero(chosen & (depth == k)).flatten()
            if not len(rows):
                continue
            # The chain starts k H frames before the main window's context.
            ctx = windows[rows, lead - k * h : lead - k * h + w]
            for _ in range(k):
                origin = ctx[:, -1:].mean(dim=2, keepdim=True)
                forecast = model(ctx - origin)["forecast"] + origin
                ctx = torch.cat([ctx, forecast], dim=1)[:, -w:]
            if k > 1:
                main[rows, :w] = ctx
                continue
            # One forecast: frame w + i of the chain is context frame w - h + i of main.
            covered = forecast[:, max(0, h - w):][:, :w]
            offset, n_cov = max(0, w - h), covered.shape[1]
            j = torch.randint(1, min(w, h) + 1, (len(rows),), device=windows.device)
            mask = (torch.arange(n_cov, device=windows.device)[None, :] < j[:, None])[..., None, None]
            sub = main[rows]
            sub[:, offset : offset + n_cov] = torch.where(mask, covered, sub[:, offset : offset + n_cov])
            main[rows] = sub
    model.train(was_training)
    return main


def evaluate_loss(model, loss_fn, loader, context_frames, center) -> float:
    """Mean total loss over a loader (no gradients)."""
    import torch

    from .losses import model_samples

    model.eval()
    total, n = 0.0, 0
    with torch.no_grad():
        for batch in loader:
            batch = center(batch)
            losses = loss_fn(model_samples(model, batch[:, :context_frames], loss_fn.energy_score), batch,
                             context_frames)
            total += float(losses["total"]) * len(batch)
            n += len(batch)
    model.train()
    return total / max(n, 1)


# ---------------------------------------------------------------------- CLI
def add_arguments(parser) -> None:
    parser.add_argument("--trajectory", "-t", nargs="+", required=True,
                        help="trajectory file(s) of one system: any format mdtraj reads, or MD17-style .npz (R in Å)")
    parser.add_argument("--topology", "-p", help="topology (PDB) for formats without one (DCD, XTC, ...)")
    parser.add_argument("--frame-interval-ps", type=float,
                        help="time between frames in ps (default: read from the file or its .json sidecar)")
    parser.add_argument("--frame-step", type=int, default=1,
                        help="keep every k-th frame: the model's frame interval becomes k times the file's "
                             "(longer forecasts per call, fewer chained ones)")
    parser.add_argument("--out", "-o", required=True, help="model file to write (.pt)")
    parser.add_argument("--context-frames", type=int, default=16, help="W, context frames per forecast")
    parser.add_argument("--horizon", type=int, default=16, help="H, frames forecast per call")
    parser.add_argument("--epochs", type=int, default=100, help="maximum epochs")
    parser.add_argument("--max-minutes", type=float, help="wall-clock training budget in minutes")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3, help="peak learning rate")
    parser.add_argument("--patience", type=int, default=10, help="early-stopping patience (epochs)")
    parser.add_argument("--stride", type=int, default=1, help="frames between consecutive training windows")
    parser.add_argument("--max-steps-per-epoch", type=int, help="cap on optimiser steps per epoch")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--resume", action="store_true", help="continue from OUT.train-state")
    parser.add_argument("--d-model", type=int, default=DEFAULT_MODEL["d_model"], help="model width")
    parser.add_argument("--anchors", type=int, default=DEFAULT_MODEL["anchors"], help="STI anchors M")
    parser.add_argument("--neighbours", type=int, default=DEFAULT_MODEL["neighbours"], help="local-attention neighbours K")
    parser.add_argument("--body-history", type=int,
                        help=f"past frames in the body-frame whole-molecule linear prior (0 disables; default "
                             f"{BODY_PRIOR_HISTORY} for systems of up to {BODY_PRIOR_MAX_ATOMS} atoms, else 0)")
    parser.add_argument("--rotation-lags", type=int, default=DEFAULT_MODEL["rotation_lags"],
                        help="past frames whose mass-weighted whole-molecule rotations predict the forecast's "
                             "finite rotation (tumbling frame; 0 disables)")
    parser.add_argument("--no-restore", action="store_true",
                        help="no bond/angle distance restoration layer on forecast frames")
    parser.add_argument("--distance-weight", type=float, default=0.2, help="weight of the bond/angle validity loss")
    parser.add_argument("--pushforward", type=float, default=0.0,
                        help="fraction of training windows whose context starts with the model's own forecast, "
                             "so it learns to forecast from forecast frames (chained forecasts, hybrid runs); "
                             "0 disables (default)")
    parser.add_argument("--pushforward-levels", type=int, default=1,
                        help="longest chain of forecasts that builds a pushforward context (1: one forecast; "
                             "k: contexts of the 1st..k-th chained forecast, for long chained jumps)")
    parser.add_argument("--noise-dim", type=int,
                        help="latent variables per atom: a stochastic model that samples futures, trained with the "
                             "energy score (default: 0, deterministic; with --init-from, the file's)")
    parser.add_argument("--init-from", metavar="MODEL",
                        help="fine-tune this model file (its configuration and weights; --d-model, --anchors, "
                             "--neighbours, --body-history, --rotation-lags are then not used)")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def run_from_args(args) -> int:
    import torch

    from ..trajectories import load_trajectories

    if args.threads:
        torch.set_num_threads(args.threads)
    for name in ("context_frames", "horizon", "epochs", "batch_size", "stride"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be >= 1")
    trajs = load_trajectories(args.trajectory, topology=args.topology, frame_interval_ps=args.frame_interval_ps,
                              frame_step=args.frame_step)
    model, history = train(
        trajs, args.out, context_frames=args.context_frames, horizon=args.horizon, epochs=args.epochs,
        max_minutes=args.max_minutes, batch_size=args.batch_size, lr=args.lr, seed=args.seed, device=args.device,
        resume=args.resume, patience=args.patience, stride=args.stride,
        max_steps_per_epoch=args.max_steps_per_epoch,
        model_options=({} if args.noise_dim is None else dict(noise_dim=args.noise_dim)) if args.init_from else dict(
            d_model=args.d_model, anchors=args.anchors, neighbours=args.neighbours,
            body_history=args.body_history, rotation_lags=args.rotation_lags, noise_dim=args.noise_dim or 0),
        init_from=args.init_from,
        loss_weights=dict(distance=args.distance_weight), progress=not args.quiet,
        restore_geometry=not args.no_restore, pushforward=args.pushforward,
        pushforward_levels=args.pushforward_levels,
        provenance=dict(command=" ".join(shlex.quote(a) for a in sys.argv)),
    )
    if _distributed()[0] == 0:
        prov = model.provenance if hasattr(model, "provenance") else {}
        print(json.dumps(dict(out=str(args.out), epochs=len(history["epoch"]),
                              best_val_loss=min(history["val_loss"]) if history["val_loss"] else None,
                              n_parameters=sum(p.numel() for p in model.parameters()), **{
                                  k: v for k, v in prov.items() if k in ("stop_reason",)}), indent=None))
    return 0
