"""The ASTEROID forecaster: an equivariant spatiotemporal transformer.

Shape conventions: ``B`` windows, ``W`` context frames, ``N`` atoms, ``H``
forecast frames, ``M`` STI anchors, ``L = H + M - 1`` delays, ``K`` neighbours
per atom. Positions are in nm.

How the pieces fit
------------------
1. **Invariant tokens.** One token per (frame, atom): element embedding,
   rotation/translation-invariant features of the atom's recent motion, and a
   message summarising its neighbourhood in that frame (distances and their
   rates of change to its ``K`` nearest neighbours).
2. **Temporal encoder.** Per atom, causal self-attention over frames, so the
   state at frame ``t`` only knows frames ``<= t`` (``N`` sequences of ``W``
   tokens).
3. **Spatial mixing (local-global attention)** at the anchor frames: every
   atom attends to its ``K`` nearest neighbours (distance features enter as
   attention biases and values: short-range interactions) and to ``G`` global
   tokens that read from all atoms (long-range effects). Cost is
   ``O(N (K + G))`` per frame, so it grows linearly with system size.
4. **STI decoder.** From each of the last ``M`` context frames (anchors), a
   causal transformer decoder emits the delay embedding of the next ``L``
   frames (one token per block of ``delay_block`` frames), cross-attending to
   the encoder states up to its anchor. The anchors' overlapping predictions
   form a Hankel matrix (:mod:`.sti`); they are averaged, and their spread is
   the forecast's uncertainty. Longer horizons chain whole forecasts
   (:meth:`AsteroidModel.rollout`).
5. **Equivariant read-out.** Every predicted displacement is a linear
   combination, with invariant coefficients, of displacement vectors: the
   atom's own recent displacements, the vectors to its neighbours and their
   relative velocities. Forecasts therefore rotate, reflect and translate
   exactly with the input, by construction.
6. **Body-frame linear prior** (small molecules, ``body_history > 0``): a
   least-squares linear forecaster over *all* atoms' recent positions,
   applied in a frame aligned to a reference structure
   (:mod:`.body_frame`), captures collective vibrations that per-atom
   histories cannot. It rotates and translates exactly with the input
   (proper rotations; it is not reflection-equivariant), and its size grows
   as ``N^2``, so it is for molecules of a few dozen atoms.
7. **Bond/angle restoration** (``restore_pairs > 0``): every anchor's delay
   frames and the combined forecast pass through a SHAKE-like layer
   (:mod:`.geometry_restore`) that pulls bonded and 1-3 distances towards
   their training-data means by a learned amount per lead time, so long-lead
   forecasts (which regress towards a mean future) keep physical bonds and
   angles. Exactly E(3)-equivariant.
8. **Tumbling frame** (``rotation_lags > 0``): the molecule's finite
   whole-body rotation over each delay, predicted linearly from its
   mass-weighted rotations over the last frames (:mod:`.rotation`), turns
   the read-out's frames at the end; the linear parts forecast in the frame
   that turns with it. A linear read-out alone can only add ``omega x r``,
   which stretches a molecule that tumbles through a finite angle.

The neighbour search (:func:`knn_indices`) is chunked so its memory grows
linearly with ``N``; its arithmetic is ``O(N^2)`` with a small constant.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import rotation, sti
from .body_frame import kabsch_rotation
from .geometry_restore import element_masses, restore_distances
from .rotation import angular_displacement, rotation_between

MAX_ATOMIC_NUMBER = 118


def knn_indices(x: torch.Tensor, k: int, chunk: int = 4096) -> torch.Tensor:
    """Indices of the ``k`` nearest other atoms of every atom.

    Parameters
    ----------
    x : Tensor [B, N, 3]
        Positions (nm).
    k : int
        Neighbours per atom (``k <= N - 1``).
    chunk : int
        Rows of the distance matrix computed at once, so memory stays
        ``O(chunk * N)`` for large systems.

    Returns
    -------
    LongTensor [B, N, k]
    """
    b, n, _ = x.shape
    out = []
    for start in range(0, n, chunk):
        rows = x[:, start : start + chunk]
        d = torch.cdist(rows, x)  # [B, c, N]
        ar = torch.arange(start, start + rows.shape[1], device=x.device)
        # Exclude self with a mask: index assignment would cost a GPU->host sync.
        d = d.masked_fill(ar[:, None] == torch.arange(n, device=x.device), float("inf"))
        out.append(d.topk(k, dim=-1, largest=False).indices)
    return torch.cat(out, dim=1)


def gather_atoms(values: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """Gather neighbour values.

    values [B, ..., N, C] with index [B, N, K] -> [B, ..., N, K, C]; the middle
    dimensions (frames, anchors) share the same neighbour list.
    """
    b, n, k = index.shape
    mid = values.shape[1:-2]
    c = values.shape[-1]
    flat = values.reshape(b, -1, n, c)  # [B, S, N, C]
    s = flat.shape[1]
    idx = index.reshape(b, 1, n * k, 1).expand(b, s, n * k, c)
    gathered = torch.gather(flat, 2, idx).reshape(b, s, n, k, c)
    return gathered.reshape(b, *mid, n, k, c)


class GaussianRBF(nn.Module):
    """Gaussian radial basis expansion of distances (nm)."""

    def __init__(self, n: int, cutoff: float):
        super().__init__()
        self.register_buffer("centers", torch.linspace(0.0, cutoff, n))
        self.width = cutoff / (n - 1)

    def forward(self, d: torch.Tensor) -> torch.Tensor:
        return torch.exp(-(((d[..., None] - self.centers) / self.width) ** 2))


class FeedForward(nn.Module):
    def __init__(self, d: int, mult: int = 2):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, mult * d), nn.SiLU(), nn.Linear(mult * d, d))

    def forward(self, x):
        return x + self.net(x)


class LocalGlobalAttention(nn.Module):
    """Per-frame spatial attention: each atom over its K neighbours and G global tokens.

    Global tokens first read from all atoms of the frame (linear cost), then
    every atom attends jointly to its neighbours and to the global tokens.
    """

    def __init__(self, d: int, heads: int, pair_dim: int, n_global: int):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.norm = nn.LayerNorm(d)
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.pair_bias = nn.Linear(pair_dim, heads)
        self.pair_value = nn.Linear(pair_dim, d)
        self.out = nn.Linear(d, d)
        self.n_global = n_global
        if n_global:
            self.global_init = nn.Parameter(torch.randn(n_global, d) * 0.02)
            self.global_read = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ff = FeedForward(d)

    def forward(self, h: torch.Tensor, nbr: torch.Tensor, pair: torch.Tensor) -> torch.Tensor:
        # h [B, S, N, D]; nbr [B, N, K]; pair [B, S, N, K, P]
        b, s, n, d = h.shape
        x = self.norm(h)
        q = self.q(x).view(b, s, n, self.h, self.dh)
        kv = self.kv(x)
        kv_n = gather_atoms(kv, nbr)  # [B, S, N, K, 2D]
        k_n, v_n = kv_n.split(d, dim=-1)
        v_n = v_n + self.pair_value(pair)
        k_n = k_n.view(b, s, n, -1, self.h, self.dh)
        v_n = v_n.view(b, s, n, -1, self.h, self.dh)
        logits = torch.einsum("bsnhc,bsnkhc->bsnhk", q, k_n) / math.sqrt(self.dh)
        logits = logits + self.pair_bias(pair).permute(0, 1, 2, 4, 3)
        if self.n_global:
            g0 = self.global_init.expand(b * s, -1, -1)
            g, _ = self.global_read(g0, x.reshape(b * s, n, d), x.reshape(b * s, n, d), need_weights=False)
            kv_g = self.kv(g).view(b, s, self.n_global, 2, self.h, self.dh)
            k_g, v_g = kv_g[:, :, :, 0], kv_g[:, :, :, 1]  # [B, S, G, h, c]
            logits_g = torch.einsum("bsnhc,bsghc->bsnhg", q, k_g) / math.sqrt(self.dh)
            attn = torch.softmax(torch.cat([logits, logits_g], dim=-1), dim=-1)
            kk = k_n.shape[3]
            o = torch.einsum("bsnhk,bsnkhc->bsnhc", attn[..., :kk], v_n)
            o = o + torch.einsum("bsnhg,bsghc->bsnhc", attn[..., kk:], v_g)
        else:
            attn = torch.softmax(logits, dim=-1)
            o = torch.einsum("bsnhk,bsnkhc->bsnhc", attn, v_n)
        h = h + self.out(o.reshape(b, s, n, d))
        return self.ff(h)


class TemporalBlock(nn.Module):
    """Causal self-attention over frames, per atom."""

    def __init__(self, d: int, heads: int):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ff = FeedForward(d)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        b, s, n, d = h.shape
        x = h.permute(0, 2, 1, 3).reshape(b * n, s, d)
        mask = torch.ones(s, s, dtype=torch.bool, device=h.device).triu(1)
        y = self.norm(x)
        y, _ = self.attn(y, y, y, attn_mask=mask, need_weights=False)
        x = self.ff(x + y)
        return x.view(b, n, s, d).permute(0, 2, 1, 3)


class DecoderBlock(nn.Module):
    """Causal self-attention over delays, then cross-attention to the encoder up to the anchor."""

    def __init__(self, d: int, heads: int):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ff = FeedForward(d)

    def forward(self, q, memory, self_mask, memory_mask):
        y = self.n1(q)
        y, _ = self.self_attn(y, y, y, attn_mask=self_mask, need_weights=False)
        q = q + y
        y, _ = self.cross_attn(self.n2(q), memory, memory, attn_mask=memory_mask, need_weights=False)
        return self.ff(q + y)


class AsteroidModel(nn.Module):
    """ASTEROID spatiotemporal forecaster of molecular-dynamics frames.

    Parameters
    ----------
    atomic_numbers : array-like of int, shape [N]
        Elements of the system the model is trained for.
    context_frames : int
        ``W``, context frames given to every forecast.
    horizon : int
        ``H``, frames forecast per call.
    frame_interval : float
        Time between frames (ps).
    d_model, heads : int
        Width and attention heads.
    encoder_layers, decoder_layers : int
        Temporal encoder blocks (and as many spatial blocks), STI decoder blocks.
    neighbours : int
        ``K``, local-attention neighbours per atom (capped at ``N - 1``).
    global_tokens : int
        ``G``, global tokens per frame for long-range mixing (0 disables).
    anchors : int
        ``M``, STI anchors (last context frames that each predict a delay
        embedding). ``1`` disables the Hankel ensemble.
    history : int
        ``P``, own past displacements used as the read-out's temporal basis.
    rigid_lags : int
        Lags of the whole-system rigid-body motion in the read-out basis.
    body_history : int
        Past frames in the body-frame whole-molecule linear prior (0 = off).
    restore_pairs : int
        Number of bond/angle pairs whose distances forecast frames restore
        (0 = off; targets via :meth:`set_restore_targets`).
    delay_block : int
        Future frames emitted per decoder token.
    rbf, cutoff : int, float
        Radial basis size and range (nm) for distance features.
    displacement_scale : float
        Typical frame-to-frame displacement (nm) used to normalise motion
        features; set from the training data.
    atom_types : array-like of int, optional
        Extra per-atom identity (e.g. residue/atom-name class) embedded beside
        the element; ``None`` means elements only.
    noise_dim : int
        Per-atom Gaussian latent variables drawn afresh by every forward pass
        (0 = a deterministic forecaster). With them the model is a sampler of
        futures, trained with an energy score (:mod:`..training.losses`): a
        mean forecast puts a rotor whose future well is uncertain between its
        wells, at the barrier, and chained mean forecasts let rotors
        random-walk; a sampled future commits to one well.

    Attributes
    ----------
    noise_scale : float
        Stochastic models: sd of the latent draws relative to training's
        (default 1; 0 gives the noise-free path). Not part of the model file:
        an inference setting (``AsteroidIntegrator(noise_scale=...)``).
    """

    def __init__(
        self,
        atomic_numbers,
        context_frames: int = 16,
        horizon: int = 16,
        frame_interval: float = 0.005,
        d_model: int = 64,
        heads: int = 4,
        encoder_layers: int = 2,
        decoder_layers: int = 2,
        neighbours: int = 16,
        global_tokens: int = 4,
        anchors: int = 4,
        history: int = 4,
        rigid_lags: int = 4,
        body_history: int = 0,
        rotation_lags: int = 0,
        restore_pairs: int = 0,
        delay_block: int = 4,
        rbf: int = 16,
        cutoff: float = 0.8,
        displacement_scale: float = 0.01,
        atom_types=None,
        n_atom_types: int = 0,
        noise_dim: int = 0,
    ):
        super().__init__()
        z = np.asarray(atomic_numbers, dtype=np.int64)
        if z.ndim != 1 or len(z) < 2:
            raise ValueError(f"atomic_numbers must be a 1-D list of at least 2 elements, got shape {z.shape}")
        if np.any(z < 0) or np.any(z > MAX_ATOMIC_NUMBER):
            raise ValueError("atomic_numbers must lie in 0..118 (0 for virtual sites)")
        if context_frames < max(2, anchors + 1):
            raise ValueError(f"context_frames ({context_frames}) must exceed anchors ({anchors}) and be >= 2")
        if history >= context_frames - anchors + 1:
            history = context_frames - anchors
        self.config = dict(
            context_frames=int(context_frames), horizon=int(horizon), frame_interval=float(frame_interval),
            d_model=d_model, heads=heads, encoder_layers=encoder_layers, decoder_layers=decoder_layers,
            neighbours=neighbours, global_tokens=global_tokens, anchors=anchors, history=history,
            rigid_lags=rigid_lags, body_history=body_history, rotation_lags=int(rotation_lags),
            restore_pairs=int(restore_pairs),
            delay_block=delay_block, rbf=rbf,
            cutoff=cutoff, n_atom_types=int(n_atom_types), noise_dim=int(noise_dim),
        )
        self.context_frames = int(context_frames)
        self.horizon = int(horizon)
        self.frame_interval = float(frame_interval)
        self.n_atoms = len(z)
        self.n_anchors = int(anchors)
        self.n_delays = sti.delay_length(self.horizon, self.n_anchors)
        self.history = int(history)
        # The decoder emits delays in blocks: one token per ``delay_block`` future frames.
        self.delay_block = int(delay_block)
        self.n_delay_tokens = -(-self.n_delays // self.delay_block)
        self.k = min(int(neighbours), self.n_atoms - 1)
        self.register_buffer("atomic_numbers_t", torch.as_tensor(z))
        types = np.zeros(len(z), np.int64) if atom_types is None else np.asarray(atom_types, np.int64)
        self.register_buffer("atom_types_t", torch.as_tensor(types))
        self.register_buffer("displacement_scale", torch.tensor(float(displacement_scale)))

        d = d_model
        self.element = nn.Embedding(MAX_ATOMIC_NUMBER + 1, d)
        self.atom_type = nn.Embedding(max(1, n_atom_types), d) if n_atom_types else None
        self.motion = nn.Sequential(nn.Linear(4, d), nn.SiLU(), nn.Linear(d, d))
        self.frame_pos = nn.Parameter(torch.randn(self.context_frames, d) * 0.02)
        self.rbf = GaussianRBF(rbf, cutoff)
        pair_dim = rbf + 2
        # Per-frame local message: what each atom's neighbourhood looks like in that frame.
        self.pair_message = nn.Sequential(nn.Linear(pair_dim, d), nn.SiLU(), nn.Linear(d, d))
        self.temporal = nn.ModuleList(TemporalBlock(d, heads) for _ in range(encoder_layers))
        self.spatial = nn.ModuleList(
            LocalGlobalAttention(d, heads, pair_dim, global_tokens) for _ in range(encoder_layers)
        )
        self.noise_dim = int(noise_dim)
        self.noise_scale = 1.0
        if self.noise_dim < 0:
            raise ValueError(f"noise_dim must be >= 0, got {noise_dim}")
        if self.noise_dim:
            # Invariant scalars per atom, mixed across atoms by the spatial
            # attention; small at the start so a model fine-tuned from a
            # deterministic one starts near it, with some spread for the
            # energy score's gradient to grow.
            self.noise_embed = nn.Linear(self.noise_dim, d, bias=False)
            nn.init.normal_(self.noise_embed.weight, std=0.01)
        self.delay_embed = nn.Parameter(torch.randn(self.n_delay_tokens, d) * 0.02)
        self.decoder = nn.ModuleList(DecoderBlock(d, heads) for _ in range(decoder_layers))
        self.dec_norm = nn.LayerNorm(d)
        # Read-out coefficients (invariant scalars multiplying equivariant vectors).
        self.own_coeff = nn.Linear(d, self.delay_block * self.history)
        # Shared linear prior on the own-history coefficients [L, P]: zero is
        # persistence; training fits it (with ``rigid_prior``) by least squares
        # (:meth:`fit_linear_priors`), so the network learns a correction to
        # the best linear equivariant forecaster.
        self.own_prior = nn.Parameter(torch.zeros(self.n_delays, self.history))
        # Global path of the read-out: the whole system's rigid-body motion
        # (centroid translation and rotation) over the last ``rigid_lags``
        # frames, which per-atom histories see only through fast vibrations.
        self.rigid_lags = max(0, min(int(rigid_lags), self.context_frames - self.n_anchors))
        self.rigid_coeff = nn.Linear(d, self.delay_block * 2 * self.rigid_lags)
        nn.init.zeros_(self.rigid_coeff.weight)
        nn.init.zeros_(self.rigid_coeff.bias)
        self.rigid_prior = nn.Parameter(torch.zeros(self.n_delays, 2 * self.rigid_lags))
        # Whole-molecule linear prior in the body frame (small molecules only:
        # its size grows as N^2): every atom's forecast depends linearly on
        # every atom's recent positions, which captures collective vibrations
        # that per-atom histories cannot. Fitted by least squares, then fixed.
        self.body_history = max(0, min(int(body_history), self.context_frames - self.n_anchors))
        if self.body_history:
            n_feat = (self.body_history + 1) * 3 * self.n_atoms + 1
            self.register_buffer("body_reference", torch.zeros(self.n_atoms, 3))
            self.register_buffer("body_coeff", torch.zeros(n_feat, self.n_delays * 3 * self.n_atoms))
        # Tumbling frame (:mod:`.rotation`): each delay's finite whole-molecule
        # rotation, linear in the mass-weighted rotations over the last
        # ``rotation_lags`` frames; fitted by least squares, then fixed.
        self.rotation_lags = max(0, min(int(rotation_lags), self.context_frames - self.n_anchors))
        if self.rotation_lags:
            masses = torch.as_tensor(element_masses(z), dtype=torch.float32)
            self.register_buffer("mass_weights", masses / masses.sum().clamp(min=1e-12))
            self.register_buffer("rotation_coeff", torch.zeros(self.n_delays, self.rotation_lags))
        # Bond/angle distance restoration of forecast frames (:mod:`.geometry_restore`);
        # targets are set from training data by :meth:`set_restore_targets`.
        self.n_restore_pairs = int(restore_pairs)
        if self.n_restore_pairs:
            p_ = self.n_restore_pairs
            self.register_buffer("restore_pair_index", torch.zeros(p_, 2, dtype=torch.int64))
            self.register_buffer("restore_kind", torch.zeros(p_, dtype=torch.int64))
            self.register_buffer("restore_mean", torch.zeros(p_))
            self.register_buffer("restore_share", torch.full((p_, 2), 0.5))
            self.register_buffer("restore_degree", torch.ones(self.n_atoms, dtype=torch.int64))
            # keep = sigmoid(logit) per pair kind (bond, angle) and delay: how much of the
            # forecast's own distance deviation from the mean survives.
            self.restore_keep_logit = nn.Parameter(torch.zeros(2, self.n_delays))
        # How much each anchor's view counts for each forecast frame (softmax
        # over anchors); starts favouring the most recent anchor.
        self.view_logits = nn.Parameter(
            -torch.arange(self.n_anchors, dtype=torch.float32)[:, None].repeat(1, self.horizon)
        )
        c = 16
        self.query_proj = nn.Linear(d, self.delay_block * 2 * c)
        self.key_proj = nn.Linear(d, 2 * c)
        self.pair_proj = nn.Linear(pair_dim, 2 * c)
        self._c = c
        # Start at persistence: all read-out coefficients zero.
        for lin in (self.own_coeff, self.query_proj):
            nn.init.zeros_(lin.weight)
            nn.init.zeros_(lin.bias)

    # ------------------------------------------------------------------ properties
    @property
    def atomic_numbers(self) -> np.ndarray:
        """Atomic numbers the model was trained for, np.ndarray[int] [N]."""
        return self.atomic_numbers_t.cpu().numpy()

    @property
    def device(self) -> torch.device:
        return self.displacement_scale.device

    # ------------------------------------------------------------------ core
    def _pair_features(self, x: torch.Tensor, nbr: torch.Tensor) -> torch.Tensor:
        """Invariant pair features per frame: RBF(d), d-rate, d itself. x [B, S, N, 3] -> [B, S, N, K, R+2]."""
        xn = gather_atoms(x, nbr)  # [B, S, N, K, 3]
        dist = (xn - x[..., None, :]).norm(dim=-1)  # [B, S, N, K]
        rate = torch.zeros_like(dist)
        rate[:, 1:] = (dist[:, 1:] - dist[:, :-1]) / self.displacement_scale
        return torch.cat([self.rbf(dist), rate[..., None], dist[..., None] / self.rbf.centers[-1]], dim=-1)

    def _motion_features(self, x: torch.Tensor) -> torch.Tensor:
        """Invariant per-atom motion features from consecutive displacements. [B, S, N, 4]."""
        u = torch.zeros_like(x)
        u[:, 1:] = x[:, 1:] - x[:, :-1]
        u_prev = torch.zeros_like(u)
        u_prev[:, 1:] = u[:, :-1]
        s = self.displacement_scale
        nu, npv = u.norm(dim=-1), u_prev.norm(dim=-1)
        cos = (u * u_prev).sum(-1) / (nu * npv + 1e-12)
        dot = (u * u_prev).sum(-1) / s**2
        return torch.stack([nu / s, npv / s, cos, dot.clamp(-50, 50)], dim=-1)

    def forward(self, context: torch.Tensor) -> dict[str, torch.Tensor]:
        """Run the network.

        Parameters
        ----------
        context : Tensor [B, W, N, 3]
            Context frames (nm).

        Returns
        -------
        dict with ``anchor_predictions`` [B, M, L, N, 3] (each anchor's delay
        embedding, nm), ``views`` [B, M, H, N, 3] (aligned Hankel
        anti-diagonals), ``forecast`` [B, H, N, 3] (nm) and ``spread`` [B, H] (nm).
        """
        b, w, n, _ = context.shape
        if w != self.context_frames or n != self.n_atoms:
            raise ValueError(
                f"context has shape [.., {w}, {n}, 3]; this model needs {self.context_frames} frames of "
                f"{self.n_atoms} atoms"
            )
        x = context.to(self.displacement_scale.dtype)
        # Neighbour list from the last frame: a discrete, rotation-invariant choice.
        nbr = knn_indices(x[:, -1], self.k)
        pair = self._pair_features(x, nbr)
        ident = self.element(self.atomic_numbers_t)
        if self.atom_type is not None:
            ident = ident + self.atom_type(self.atom_types_t)
        h = ident + self.motion(self._motion_features(x)) + self.frame_pos[:, None, :]
        h = h + self.pair_message(pair).mean(dim=-2)
        # Temporal encoder over every frame (cheap: N sequences of W tokens) ...
        for block in self.temporal:
            h = block(h)
        # ... then local-global spatial attention at the anchor frames, whose
        # tokens already summarise their causal history.
        m_, l_, d = self.n_anchors, self.n_delay_tokens, h.shape[-1]
        anchor_idx = torch.arange(w - 1, w - 1 - m_, -1, device=x.device)  # [M]
        h_anchor = h[:, anchor_idx]  # [B, M, N, D]
        if self.noise_dim:
            # One draw per forecast, shared by the anchors: their views stay views of one future.
            z = torch.randn(b, 1, n, self.noise_dim, device=x.device, dtype=x.dtype) * self.noise_scale
            h_anchor = h_anchor + self.noise_embed(z)
        pair_t = pair[:, anchor_idx]  # [B, M, N, K, P']
        for block in self.spatial:
            h_anchor = block(h_anchor, nbr, pair_t)

        # STI decoder: anchors t = W-1-m, m = 0..M-1; each emits L delays.
        q = h_anchor[:, :, :, None, :] + self.delay_embed  # [B, M, N, L, D]
        q = q.reshape(b * m_ * n, l_, d)
        mem = h.permute(0, 2, 1, 3)[:, None].expand(b, m_, n, w, d).reshape(b * m_ * n, w, d)
        frames = torch.arange(w, device=x.device)
        mem_mask = (frames[None, :] > anchor_idx[:, None])  # [M, W] True = masked
        mem_mask = mem_mask[None, :, None, :].expand(b, m_, n, w).reshape(b * m_ * n, 1, w)
        mem_mask = mem_mask.expand(-1, l_, -1).repeat_interleave(self.decoder[0].cross_attn.num_heads, dim=0)
        self_mask = torch.ones(l_, l_, dtype=torch.bool, device=x.device).triu(1)
        for block in self.decoder:
            q = block(q, mem, self_mask, mem_mask)
        q = self.dec_norm(q).view(b, m_, n, l_, d)

        # Equivariant read-out, anchor frame positions x_t [B, M, N, 3].
        x_t = x[:, anchor_idx]
        # Own temporal basis: x_{t-p} - x_t, p = 1..P.
        past = torch.stack([x[:, anchor_idx - p] for p in range(1, self.history + 1)], dim=2)  # [B, M, P, N, 3]
        own_vec = past - x_t[:, :, None]
        # Each delay token carries the coefficients of its block of delays.
        l_full = self.n_delays
        a = self.own_coeff(q).view(b, m_, n, l_ * self.delay_block, self.history)[:, :, :, :l_full]
        a = a + self.own_prior
        delta = torch.einsum("bmnlp,bmpnc->bmlnc", a, own_vec)
        # Neighbour basis: relative positions and relative velocities at the anchor.
        x_prev = x[:, anchor_idx - 1]
        rel = gather_atoms(x_t, nbr) - x_t[..., None, :]  # [B, M, N, K, 3]
        v_t = x_t - x_prev
        rel_v = gather_atoms(v_t, nbr) - v_t[..., None, :]
        key = gather_atoms(self.key_proj(h_anchor), nbr) * self.pair_proj(pair_t)  # [B, M, N, K, 2c]
        qp = self.query_proj(q).view(b, m_, n, l_ * self.delay_block, -1)[:, :, :, :l_full]  # [B, M, N, L, 2c]
        c = self._c
        coeff_pos = torch.einsum("bmnlc,bmnkc->bmnlk", qp[..., :c], key[..., :c]) / c
        coeff_vel = torch.einsum("bmnlc,bmnkc->bmnlk", qp[..., c:], key[..., c:]) / c
        delta = delta + torch.einsum("bmnlk,bmnkc->bmlnc", coeff_pos, rel) / self.k
        delta = delta + torch.einsum("bmnlk,bmnkc->bmlnc", coeff_vel, rel_v)
        if self.rigid_lags:
            rigid = self._rigid_motion_basis(x, anchor_idx)  # [B, M, 2R, N, 3]
            g = self.rigid_coeff(q).view(b, m_, n, l_ * self.delay_block, -1)[:, :, :, :l_full] + self.rigid_prior
            delta = delta + torch.einsum("bmnlr,bmrnc->bmlnc", g, rigid)
        if self.body_history:
            feat, rot = self._body_features(x, anchor_idx)
            delta_body = (feat @ self.body_coeff).view(b, m_, l_full, n, 3)
            delta = delta + torch.einsum("bmlni,bmji->bmlnj", delta_body, rot)
        anchor_predictions = self._restore(x_t[:, :, None] + delta)  # [B, M, L, N, 3]
        if self.rotation_lags:
            # The linear read-out forecasts in the tumbling frame; turn it by the predicted rotation.
            rot = rotation.rotation_matrix(self._predicted_rotation(x, anchor_idx))  # [B, M, L, 3, 3]
            anchor_predictions = rotation.rotate_about_centre(
                anchor_predictions, rot, self.mass_weights.to(x.dtype))

        views = sti.gather_forecast_views(anchor_predictions, self.horizon)
        forecast, spread = sti.combine_views(views, torch.softmax(self.view_logits, dim=0))
        forecast = self._restore(forecast)
        return dict(anchor_predictions=anchor_predictions, views=views, forecast=forecast, spread=spread)

    def _recent_rotations(self, x: torch.Tensor, anchor_idx: torch.Tensor) -> torch.Tensor:
        """Mass-weighted rotation vectors [B, M, P, 3] from frame ``t - p`` to each anchor ``t``, p = 1..P."""
        weights = self.mass_weights.to(x.dtype)
        x_t = x[:, anchor_idx]
        return torch.stack([angular_displacement(x_t, x[:, anchor_idx - p], weights)
                            for p in range(1, self.rotation_lags + 1)], dim=2)

    def _predicted_rotation(self, x: torch.Tensor, anchor_idx: torch.Tensor) -> torch.Tensor:
        """Rotation vectors [B, M, L, 3] of the whole molecule from each anchor to each of its delays.

        ``sum_p rotation_coeff[l, p] w_p`` with ``w_p`` the mass-weighted
        rotation from frame ``t - p`` to the anchor frame ``t``.
        """
        return torch.einsum("lp,bmpi->bmli", self.rotation_coeff.to(x.dtype), self._recent_rotations(x, anchor_idx))

    def _rigid_motion_basis(self, x: torch.Tensor, anchor_idx: torch.Tensor) -> torch.Tensor:
        """Rigid-body displacement of every atom over the last ``p`` frames, p = 1..R.

        For each anchor ``t`` and lag ``p`` the displacement ``x_t - x_{t-p}`` is
        fitted by a rigid motion (translation of the centroid plus a rotation
        ``omega x r`` about it, by least squares); the basis vectors are its
        translation and its rotation part at each atom. Both rotate (and
        reflect) with the input, so the read-out stays equivariant.

        Returns Tensor [B, M, 2R, N, 3] (nm).
        """
        x_t = x[:, anchor_idx]  # [B, M, N, 3]
        c_t = x_t.mean(dim=2, keepdim=True)
        r = x_t - c_t
        # Inertia-like tensor J = sum_i (|r|^2 I - r r^T), regularised for linear molecules.
        eye = torch.eye(3, dtype=x.dtype, device=x.device)
        rr = torch.einsum("bmni,bmnj->bmij", r, r)
        j = (r * r).sum(dim=(-1, -2))[..., None, None] * eye - rr
        j = j + 1e-6 * eye
        # inv_ex, not solve: J is regularised (never singular), and the error
        # check of linalg.solve would cost a GPU->host sync per lag.
        j_inv = torch.linalg.inv_ex(j).inverse
        out = []
        for p in range(1, self.rigid_lags + 1):
            dx = x_t - x[:, anchor_idx - p]
            trans = dx.mean(dim=2, keepdim=True)
            torque = torch.cross(r, dx - trans, dim=-1).sum(dim=2)  # [B, M, 3]
            omega = (j_inv @ torque[..., None])[..., 0]
            rot = torch.cross(omega[:, :, None, :].expand_as(r), r, dim=-1)
            out += [trans.expand_as(r), rot]
        return torch.stack(out, dim=2)

    def _restore(self, y: torch.Tensor) -> torch.Tensor:
        """Bond/angle distance restoration of frames y [..., T, N, 3] (axis -3: delays 1..T)."""
        if not self.n_restore_pairs:
            return y
        pairs = self.restore_pair_index
        keep = torch.sigmoid(self.restore_keep_logit)[self.restore_kind][:, : y.shape[-3]].T  # [T, P]
        dist = (y[..., pairs[:, 1], :] - y[..., pairs[:, 0], :]).norm(dim=-1)  # [..., T, P]
        mean = self.restore_mean.to(y.dtype)
        target = mean + keep.to(y.dtype) * (dist - mean)
        return restore_distances(y, pairs, target, self.restore_share.to(y.dtype), self.restore_degree)

    @torch.no_grad()
    def set_restore_targets(self, pairs, kinds, mean_distances, masses) -> None:
        """Set the pairs and thermal mean distances (nm) the restoration layer pulls towards.

        Parameters
        ----------
        pairs : int array [P, 2]
            Bonded (1-2) and angle (1-3) atom pairs; ``P`` must equal the
            ``restore_pairs`` the model was built with.
        kinds : int array [P]
            0 for a bond, 1 for an angle pair.
        mean_distances : array [P]
            Mean distance of each pair in the training data (nm).
        masses : array [N]
            Atomic masses (Da): corrections move light atoms more.
        """
        pairs = torch.as_tensor(np.asarray(pairs, np.int64).reshape(-1, 2))
        if len(pairs) != self.n_restore_pairs:
            raise ValueError(f"{len(pairs)} restoration pairs given; this model was built for {self.n_restore_pairs}")
        inv = 1.0 / torch.as_tensor(np.asarray(masses, np.float64)).clamp(min=1e-3)
        share = torch.stack([inv[pairs[:, 0]], inv[pairs[:, 1]]], dim=1)
        self.restore_pair_index.copy_(pairs)
        self.restore_kind.copy_(torch.as_tensor(np.asarray(kinds, np.int64)))
        self.restore_mean.copy_(torch.as_tensor(np.asarray(mean_distances, np.float64)))
        self.restore_share.copy_(share / share.sum(dim=1, keepdim=True))
        self.restore_degree.copy_(torch.bincount(pairs.reshape(-1), minlength=self.n_atoms).clamp(min=1))

    def _body_features(self, x: torch.Tensor, anchor_idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Body-frame features of each anchor and the rotation into that frame.

        Each anchor frame is centred and aligned onto ``body_reference``
        (:func:`.body_frame.kabsch_rotation`); the features are its body-frame
        coordinates, the body-frame displacements ``x_{t-p} - x_t`` for
        ``p = 1..body_history`` and a constant 1.

        Returns features [B, M, (P+1) 3N + 1] and rotations [B, M, 3, 3]
        (body coordinates are ``(x - centroid) @ R``).
        """
        x_t = x[:, anchor_idx]  # [B, M, N, 3]
        centre = x_t.mean(dim=2, keepdim=True)
        rot = kabsch_rotation(x_t - centre, self.body_reference)
        lags = torch.stack([x[:, anchor_idx - p] for p in range(1, self.body_history + 1)], dim=2) - x_t[:, :, None]
        body_t = (x_t - centre) @ rot
        body_lags = torch.einsum("bmpni,bmij->bmpnj", lags, rot)
        b, m = x_t.shape[:2]
        ones = torch.ones(b, m, 1, dtype=x.dtype, device=x.device)
        return torch.cat([body_t.reshape(b, m, -1), body_lags.reshape(b, m, -1), ones], dim=-1), rot

    @torch.no_grad()
    def fit_linear_priors(self, windows, ridge: float = 1e-8, body_ridge: float = 1e-6) -> torch.Tensor:
        """Fit the network-free part of the read-out by least squares.

        With every network output at zero the model is a linear, equivariant
        forecaster. Up to three stages, each solved from normal equations
        accumulated in float64 over chunks of windows:

        0. if ``rotation_lags > 0``, the whole-molecule rotation from each
           anchor to each delay (``rotation_coeff``, on the mass-weighted
           Kabsch rotations of the training frames); the later stages fit
           targets turned back by the rotation this predicts (the tumbling
           frame);
        1. if ``body_history > 0``, the body-frame whole-molecule prior
           (``body_coeff``; ``body_reference`` is the first window's last
           context frame);
        2. on what stage 1 leaves, ``x[t+l] = x[t] + sum_k c[l, k] b_k`` over
           the basis ``b`` of the atom's own past displacements and the
           system's rigid-body motion (``own_prior`` and ``rigid_prior``).

        Training then starts from the best such forecaster and the network
        learns the non-linear correction.

        Parameters
        ----------
        windows : Tensor [B, W + L, N, 3], or an iterable of such Tensors
            Training windows (nm): context plus the ``L = H + M - 1`` frames
            the anchors' delay embeddings cover. An iterable of chunks keeps
            memory bounded for large samples (it is traversed twice, so pass
            a list, not a generator).
        ridge, body_ridge : float
            Tikhonov terms relative to the mean diagonal of each normal matrix.

        Returns
        -------
        Tensor [L, P + 2R]
            The fitted per-atom coefficients.
        """
        chunks = [windows] if isinstance(windows, torch.Tensor) else list(windows)
        w, m, l = self.context_frames, self.n_anchors, self.n_delays
        dev = self.device
        anchor_idx = torch.arange(w - 1, w - 1 - m, -1, device=dev)
        idx = (w - 1 - torch.arange(m, device=dev))[:, None] + 1 + torch.arange(l, device=dev)  # [M, L]

        def solve(g, rhs, rel):
            g = g + rel * torch.trace(g) / len(g) * torch.eye(len(g), dtype=g.dtype, device=g.device)
            return torch.linalg.solve(g, rhs)

        if self.rotation_lags:
            weights = self.mass_weights.double()
            g = rhs = 0.0
            for chunk in chunks:
                x = chunk.to(dev, torch.float64)
                past = self._recent_rotations(x, anchor_idx).transpose(-1, -2)  # [B, M, 3, P]
                target = rotation_between(x[:, anchor_idx, None], x[:, idx], weights)  # [B, M, L, 3]
                a = past.reshape(-1, self.rotation_lags)
                g = g + a.T @ a
                rhs = rhs + a.T @ target.transpose(-1, -2).reshape(len(a), l)
            self.rotation_coeff.copy_(solve(g, rhs, ridge).T.to(self.rotation_coeff.dtype))

        def future_frames(x):
            """Each anchor's delay frames [B, M, L, N, 3], in the tumbling frame when there is one."""
            future = x[:, idx]
            if not self.rotation_lags:
                return future
            rot = rotation.rotation_matrix(self._predicted_rotation(x, anchor_idx))
            return rotation.rotate_about_centre(future, rot.transpose(-1, -2), self.mass_weights.double())

        if self.body_history:
            first = chunks[0].to(dev, torch.float64)
            ref = first[0, w - 1]
            self.body_reference.copy_((ref - ref.mean(dim=0)).to(self.body_reference.dtype))
            g = rhs = 0.0
            for chunk in chunks:
                x = chunk.to(dev, torch.float64)
                feat, rot = self._body_features(x[:, :w], anchor_idx)
                x_t = x[:, anchor_idx]
                centre = x_t.mean(dim=2, keepdim=True)
                target = torch.einsum("bmlni,bmij->bmlnj", future_frames(x) - centre[:, :, None], rot) - (
                    (x_t - centre) @ rot
                )[:, :, None]
                a = feat.reshape(-1, feat.shape[-1])
                g = g + a.T @ a
                rhs = rhs + a.T @ target.reshape(len(a), -1)
            self.body_coeff.copy_(solve(g, rhs, body_ridge).to(self.body_coeff.dtype))

        g = rhs = 0.0
        for chunk in chunks:
            x = chunk.to(dev, torch.float64)
            x_t = x[:, anchor_idx]
            basis = torch.stack([x[:, anchor_idx - p] for p in range(1, self.history + 1)], dim=2) - x_t[:, :, None]
            if self.rigid_lags:
                basis = torch.cat([basis, self._rigid_motion_basis(x[:, :w], anchor_idx)], dim=2)
            target = future_frames(x) - x_t[:, :, None]  # [B, M, L, N, 3]
            if self.body_history:
                feat, rot = self._body_features(x[:, :w], anchor_idx)
                pred = (feat @ self.body_coeff.double()).view(*target.shape)
                target = target - torch.einsum("bmlni,bmji->bmlnj", pred, rot)
            a = basis.permute(0, 1, 3, 4, 2).reshape(-1, basis.shape[2])
            y = target.permute(0, 1, 3, 4, 2).reshape(-1, l)
            g = g + a.T @ a
            rhs = rhs + a.T @ y
        coeff = solve(g, rhs, ridge).T  # [L, P + 2R]
        self.own_prior.copy_(coeff[:, : self.history].to(self.own_prior.dtype))
        self.rigid_prior.copy_(coeff[:, self.history :].to(self.rigid_prior.dtype))
        return coeff

    def linear_prior_state(self) -> dict:
        """The network-free read-out coefficients (``own_prior``, ``rigid_prior``, ``view_logits``) as lists.

        Saved in a model file's ``extra`` right after :meth:`fit_linear_priors`,
        so evaluation can score the linear prior alone (:meth:`linear_prior_model`).
        """
        names = ("own_prior", "rigid_prior", "view_logits") + (("restore_keep_logit",) if self.n_restore_pairs else ())
        return {k: getattr(self, k).detach().cpu().tolist() for k in names}

    def linear_prior_model(self, state: dict) -> "AsteroidModel":
        """A copy of this model with the network switched off and the priors of ``state``.

        Its forecasts are those of the least-squares linear forecaster training
        started from (body-frame prior, which is not trained, plus the per-atom
        priors in ``state``): an ablation baseline.
        """
        import copy

        twin = copy.deepcopy(self)
        with torch.no_grad():
            for lin in (twin.own_coeff, twin.query_proj, twin.rigid_coeff):
                lin.weight.zero_()
                lin.bias.zero_()
            for k, v in state.items():
                getattr(twin, k).copy_(torch.as_tensor(v, dtype=getattr(twin, k).dtype))
        return twin.eval()

    # ------------------------------------------------------------------ public forecasting API
    def _check_context(self, context_nm) -> np.ndarray:
        arr = np.asarray(context_nm, dtype=np.float64)
        if arr.shape != (self.context_frames, self.n_atoms, 3):
            raise ValueError(
                f"context has shape {arr.shape}; this model needs ({self.context_frames}, {self.n_atoms}, 3): "
                f"{self.context_frames} frames of {self.n_atoms} atoms, positions in nm"
            )
        if not np.all(np.isfinite(arr)):
            bad = np.unique(np.nonzero(~np.isfinite(arr))[0])
            raise ValueError(f"context frames {bad.tolist()} contain NaN or inf coordinates")
        return arr

    @torch.no_grad()
    def forecast_torch(self, context: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Batched forecast on the model's device.

        Parameters
        ----------
        context : Tensor [B, W, N, 3]
            Context frames (nm), any device/dtype (moved to the model's).

        Returns
        -------
        (forecast [B, H, N, 3] nm, spread [B, H] nm), on the model's device.
        """
        out = self.forward(context.to(self.device))
        return out["forecast"], out["spread"]

    def forecast_with_uncertainty(self, context_nm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Forecast ``H`` frames and their STI spread.

        Parameters
        ----------
        context_nm : np.ndarray [W, N, 3]
            Context frames, positions in nm (unwrapped).

        Returns
        -------
        frames : np.ndarray [H, N, 3], nm
        spread : np.ndarray [H], nm — RMS disagreement of the overlapping
            anchor predictions of each frame.
        """
        return self.rollout(context_nm, 1)

    def forecast(self, context_nm: np.ndarray) -> np.ndarray:
        """Forecast ``H`` future frames (nm) from ``W`` context frames (nm): [W, N, 3] -> [H, N, 3]."""
        return self.forecast_with_uncertainty(context_nm)[0]

    @torch.no_grad()
    def rollout_torch(
        self, context: torch.Tensor, n_forecasts: int, max_spread: float | None = None,
        mirror: np.ndarray | None = None, context_perturb=None, mirror_mode: str = "average",
        carry_perturbation: bool = False,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Chain forecasts on the model's device, each fed the previous ones' output.

        Parameters
        ----------
        context : Tensor [B, W, N, 3]
            Context frames (nm), any device/dtype (moved to the model's).
        n_forecasts : int
            Forecasts to chain (R); the result has up to ``R * H`` frames.
        max_spread : float, optional
            Stop chaining once the last frame of a forecast has an STI spread
            (nm) above this, or a non-finite one, in any batch member: frames
            after it would be cut anyway. The check costs one host-device sync
            per chained forecast.
        mirror : int array [N], optional
            Mirror averaging: the relabelling ``P`` of
            :func:`asteroid_openmm.model.mirror.mirror_relabelling`. Each
            forecast of the chain is the mean of the forecast and the mirror
            image of the forecast of the mirrored, relabelled context, so the
            chain is exactly mirror-equivariant and cannot drift towards one
            handedness (both go in one batch).
        context_perturb : callable, optional
            Applied to the context ``[B, W, N, 3]`` (nm, on the model's
            device) of each chained forecast after the first, i.e. to what
            the model sees of its own earlier output; the returned frames are
            the model's. E.g. ``lambda c: kicks.kick_context(c, 1.0)`` with
            :class:`asteroid_openmm.model.torsion_kicks.TorsionKicks`.
        carry_perturbation : bool
            Whether the perturbed context replaces the chain's history, so that
            later forecasts whose context reaches back past the last forecast
            (W > H) see it too: right for a lasting change of state (a
            Metropolis move of a torsion), wrong for a transient one (a kick).
            Default False.
        mirror_mode : {"average", "sample"}
            What ``mirror`` does. ``"average"``: the mean of the two forecasts
            (above; twice the model cost). ``"sample"``: each forecast of the
            chain, per batch member, is either the plain one or the mirror
            image of the mirrored context's, with probability 1/2 each (drawn
            from torch's global generator). The chain's distribution is then
            mirror-symmetric, at the cost of one forecast, and no forecast is
            a mean of two futures (averaging two futures slows the motion the
            chain carries on).

        Returns
        -------
        (frames [B, R' * H, N, 3] nm, spread [B, R' * H] nm), on the model's
        device, with ``1 <= R' <= n_forecasts``.
        """
        if n_forecasts < 1:
            raise ValueError("n_forecasts must be >= 1")
        hist = context.to(self.device, self.displacement_scale.dtype)
        w = self.context_frames
        frames, spreads = [], []
        if mirror_mode not in ("average", "sample"):
            raise ValueError(f"mirror_mode must be 'average' or 'sample', got {mirror_mode!r}")
        if mirror is not None:
            perm = torch.as_tensor(np.asarray(mirror), dtype=torch.long, device=self.device)
            inverse = torch.argsort(perm)
            flip = torch.tensor([1.0, 1.0, -1.0], dtype=hist.dtype, device=self.device)
        for r in range(n_forecasts):
            ctx = hist[:, -w:]
            if r and context_perturb is not None:
                ctx = context_perturb(ctx)
                if carry_perturbation:
                    hist = ctx
            if mirror is None:
                f, sp = self.forecast_torch(ctx)
            elif mirror_mode == "sample":
                mirrored = (torch.rand(ctx.shape[0], device=self.device) < 0.5)[:, None, None, None]
                f, sp = self.forecast_torch(torch.where(mirrored, (ctx * flip)[:, :, perm], ctx))
                f = torch.where(mirrored, f[:, :, inverse] * flip, f)
            else:
                both, sp2 = self.forecast_torch(torch.cat([ctx, (ctx * flip)[:, :, perm]], dim=0))
                b = ctx.shape[0]
                f = 0.5 * (both[:b] + both[b:][:, :, inverse] * flip)
                sp = 0.5 * (sp2[:b] + sp2[b:])
            frames.append(f)
            spreads.append(sp)
            if r + 1 == n_forecasts:
                break
            if max_spread is not None:
                last = sp[:, -1]
                if not bool(torch.all(torch.isfinite(last) & (last <= max_spread))):
                    break
            hist = torch.cat([hist[:, -w:], f.to(hist.dtype)], dim=1)
        return torch.cat(frames, dim=1), torch.cat(spreads, dim=1)

    def rollout(
        self, context_nm: np.ndarray, n_forecasts: int, max_spread: float | None = None,
        mirror: np.ndarray | None = None, context_perturb=None, mirror_mode: str = "average",
        carry_perturbation: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Chain ``n_forecasts`` forecasts, each fed the previous ones' output.

        Parameters
        ----------
        context_nm : np.ndarray [W, N, 3]
            Context frames, positions in nm (unwrapped).
        n_forecasts : int
            Forecasts to chain (R).
        max_spread : float, optional
            Stop early once a forecast's last frame has an STI spread above
            this (nm); see :meth:`rollout_torch`.
        mirror : int array [N], optional
            Mirror relabelling for ``mirror_mode``; see :meth:`rollout_torch`.
        context_perturb : callable, optional
            Applied to the context of each chained forecast after the first (a
            batch of one, relative to the last context frame's centroid); see
            :meth:`rollout_torch`.
        mirror_mode : {"average", "sample"}
            Mirror averaging or mirror sampling; see :meth:`rollout_torch`.
        carry_perturbation : bool
            Whether later forecasts see the perturbed context too; see
            :meth:`rollout_torch`.

        Returns
        -------
        frames [R' * H, N, 3] (nm) and spread [R' * H] (nm); ``R' = n_forecasts``
        unless ``max_spread`` stopped the chain. The context is uploaded once
        and the result downloaded once; the chain stays on the model's device.
        """
        arr = self._check_context(context_nm)
        # Relative to the last frame's centroid: float32 keeps full precision
        # even for coordinates far from the origin (unwrapped periodic runs).
        origin = arr[-1].mean(axis=0)
        ctx = torch.as_tensor(arr - origin, dtype=torch.float32, device=self.device)[None]
        was_training = self.training
        self.eval()
        try:
            frames, spread = self.rollout_torch(ctx, n_forecasts, max_spread, mirror=mirror,
                                                context_perturb=context_perturb, mirror_mode=mirror_mode,
                                                carry_perturbation=carry_perturbation)
        finally:
            self.train(was_training)
        return frames[0].double().cpu().numpy() + origin, spread[0].double().cpu().numpy()

    def check_compatible(self, atomic_numbers=None, frame_interval_ps: float | None = None) -> None:
        """Raise ValueError if a system or trajectory does not match what this model was trained for.

        Parameters
        ----------
        atomic_numbers : array-like of int, optional
            Elements of the system, in atom order.
        frame_interval_ps : float, optional
            Time between frames (ps) the caller will feed the model.
        """
        if atomic_numbers is not None:
            z = np.asarray(atomic_numbers, dtype=np.int64)
            if len(z) != self.n_atoms:
                raise ValueError(
                    f"the system has {len(z)} atoms but the model was trained for {self.n_atoms}; "
                    "use a model trained on this system (asteroid-openmm train)"
                )
            bad = np.nonzero(z != self.atomic_numbers)[0]
            if len(bad):
                i = int(bad[0])
                raise ValueError(
                    f"element mismatch at atom {i}: system has Z={int(z[i])}, model expects "
                    f"Z={int(self.atomic_numbers[i])} ({len(bad)} atoms differ); the atom order must match "
                    "the training trajectory"
                )
        if frame_interval_ps is not None and not math.isclose(
            float(frame_interval_ps), self.frame_interval, rel_tol=1e-6, abs_tol=1e-9
        ):
            raise ValueError(
                f"frame interval {frame_interval_ps} ps does not match the model's {self.frame_interval} ps; "
                "record frames every model.frame_interval ps (frame stride = frame_interval / timestep), or keep every "
                "k-th frame of a trajectory saved k times as often (--frame-step k)"
            )
