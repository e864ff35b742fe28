"""Forecasting windows and leakage-free train / validation / test splits.

A *window* is ``context_frames`` (W) consecutive frames followed by
``target_frames`` (H) future frames, all from one trajectory:
frames ``[s, s + W + H)``.

Splits are contiguous blocks of time, per trajectory: train is the first
``fractions[0]`` of the frames, validation the next ``fractions[1]``, test
the last ``fractions[2]``. Every window lies entirely inside one block, so no
validation or test frame ever appears in a training window (context or
target). ``gap_frames`` optionally drops frames at the start of the
validation and test blocks, to decorrelate them further from the preceding
block.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
from torch.utils.data import Dataset

from .data import TrajectoryData
from .io import check_same_system

#: Split names, in time order.
SPLITS = ("train", "validation", "test")
_ALIASES = {"training": "train", "val": "validation", "valid": "validation", "testing": "test"}


def canonical_split(split: str) -> str:
    """Normalise a split name (``'val'`` -> ``'validation'``); ``'all'`` passes through."""
    name = _ALIASES.get(str(split).lower(), str(split).lower())
    if name not in SPLITS and name != "all":
        raise ValueError(f"unknown split {split!r}; use one of {SPLITS + ('all',)}")
    return name


def _check_fractions(fractions) -> tuple[float, float, float]:
    f = tuple(float(x) for x in fractions)
    if len(f) != 3:
        raise ValueError(f"fractions must be (train, validation, test); got {fractions!r}")
    if any(x < 0 for x in f) or not np.isclose(sum(f), 1.0, atol=1e-6):
        raise ValueError(f"fractions must be non-negative and sum to 1; got {fractions!r}")
    return f


def split_trajectory(
    traj: TrajectoryData | int, fractions=(0.8, 0.1, 0.1), gap_frames: int = 0
) -> dict[str, list[tuple[int, int]]]:
    """Split a trajectory into contiguous train / validation / test time blocks.

    Parameters
    ----------
    traj : TrajectoryData or int
        The trajectory, or its number of frames T.
    fractions : tuple of 3 floats
        Fractions of the frames for train, validation and test (sum to 1).
    gap_frames : int
        Frames left out at the start of the validation and test blocks.

    Returns
    -------
    dict
        ``{"train": [(start, stop)], "validation": [...], "test": [...]}`` with
        half-open frame ranges; a split with no frames has an empty list.
        Blocks are in time order and never overlap. Boundaries are
        ``round(f_train * T)`` and ``round((f_train + f_val) * T)``.
    """
    n = traj if isinstance(traj, (int, np.integer)) else traj.n_frames
    n = int(n)
    f = _check_fractions(fractions)
    if gap_frames < 0:
        raise ValueError(f"gap_frames must be >= 0; got {gap_frames}")
    a = int(round(f[0] * n))
    b = max(a, int(round((f[0] + f[1]) * n)))
    # With an empty validation block (b == a) there is still one gap before test.
    ranges = {"train": (0, a), "validation": (a + gap_frames, b), "test": (b + gap_frames, n)}
    return {k: ([(s, e)] if e > s else []) for k, (s, e) in ranges.items()}


class WindowDataset(Dataset):
    """Windows of ``context_frames + target_frames`` frames from one split.

    Parameters
    ----------
    trajectories : TrajectoryData or sequence of TrajectoryData
        Trajectories of one system (same atoms and frame interval).
    context_frames : int
        W, frames given to the forecaster.
    target_frames : int
        H, future frames to predict.
    split : {"train", "validation", "test", "all"}
        Which time block of every trajectory to draw windows from; ``"all"``
        uses every frame (for a separate held-out trajectory). ``"val"`` is
        accepted for ``"validation"``.
    fractions : tuple of 3 floats
        See :func:`split_trajectory`.
    stride : int
        Frames between the starts of consecutive windows.
    gap_frames : int
        See :func:`split_trajectory`.

    Attributes
    ----------
    windows : np.ndarray of int64, shape (n_windows, 2)
        ``(trajectory_index, start_frame)`` of every window.
    blocks : list of (int, int, int)
        ``(trajectory_index, start, stop)`` half-open time blocks of this
        split; every window lies inside one of them.

    Notes
    -----
    Item ``i`` is a float32 tensor of shape (W + H, N, 3) in nm: frames
    ``[s, s + W + H)`` of trajectory ``t`` where ``(t, s) = windows[i]``;
    the first W frames are the context and the last H the target.

    Raises
    ------
    ValueError
        If a trajectory's block for ``split`` cannot hold one window, or
        the trajectories are of different systems.
    """

    def __init__(
        self,
        trajectories: TrajectoryData | Sequence[TrajectoryData],
        context_frames: int,
        target_frames: int,
        split: str = "train",
        fractions=(0.8, 0.1, 0.1),
        stride: int = 1,
        gap_frames: int = 0,
    ) -> None:
        if isinstance(trajectories, TrajectoryData):
            trajectories = [trajectories]
        self.trajectories = list(trajectories)
        if not self.trajectories:
            raise ValueError("WindowDataset needs at least one trajectory")
        check_same_system(self.trajectories)
        for name, value in (
            ("context_frames", context_frames),
            ("target_frames", target_frames),
            ("stride", stride),
        ):
            if int(value) != value or value < 1:
                raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
        self.context_frames = int(context_frames)
        self.target_frames = int(target_frames)
        self.stride = int(stride)
        self.split = canonical_split(split)
        self.fractions = _check_fractions(fractions)
        length = self.window_length

        blocks: list[tuple[int, int, int]] = []
        windows: list[np.ndarray] = []
        for ti, traj in enumerate(self.trajectories):
            if self.split == "all":
                ranges = [(0, traj.n_frames)]
            else:
                ranges = split_trajectory(traj, self.fractions, gap_frames)[self.split]
            n_here = 0
            for start, stop in ranges:
                blocks.append((ti, start, stop))
                if stop - start >= length:
                    starts = np.arange(start, stop - length + 1, self.stride, dtype=np.int64)
                    windows.append(np.stack([np.full_like(starts, ti), starts], axis=1))
                    n_here += len(starts)
            if n_here == 0:
                got = sum(e - s for s, e in ranges)
                if self.split != "all" and self.fractions[SPLITS.index(self.split)] == 0:
                    why = f"its fraction is 0 in fractions={self.fractions}"
                else:
                    where = f" (frames {ranges[0][0]}..{ranges[0][1] - 1})" if ranges else ""
                    why = f"it has {got} frames{where} of {traj.n_frames}"
                raise ValueError(
                    f"{traj.source}: the '{self.split}' block is too short for one window: "
                    f"{why}, but a window needs {length} = {self.context_frames} context + "
                    f"{self.target_frames} target frames. Use a longer trajectory, fewer "
                    "context/target frames, or a larger fraction for this split."
                )
        self.blocks = blocks
        self.windows = np.concatenate(windows, axis=0)

    @property
    def window_length(self) -> int:
        """W + H, frames per window."""
        return self.context_frames + self.target_frames

    @property
    def n_atoms(self) -> int:
        """N, atoms per frame."""
        return self.trajectories[0].n_atoms

    @property
    def atomic_numbers(self) -> np.ndarray:
        """Element numbers [N] (int64) of the system."""
        return self.trajectories[0].atomic_numbers

    @property
    def frame_interval(self) -> float:
        """Time between frames, in ps."""
        return self.trajectories[0].frame_interval

    @property
    def bonds(self) -> np.ndarray:
        """Bonds [nb, 2] of the first trajectory (the system's bond graph)."""
        return self.trajectories[0].bonds

    def __len__(self) -> int:
        return int(self.windows.shape[0])

    def _locate(self, index: int) -> tuple[int, int]:
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"window index {index} out of range for {n} windows")
        ti, start = self.windows[index]
        return int(ti), int(start)

    def __getitem__(self, index: int) -> torch.Tensor:
        ti, start = self._locate(int(index))
        frames = self.trajectories[ti].positions[start : start + self.window_length]
        # Copy: a training loop that edits a batch in place must not edit the data.
        return torch.from_numpy(frames.copy())

    def frame_indices(self, index: int) -> tuple[int, np.ndarray]:
        """``(trajectory_index, frame_indices)`` of window ``index`` (context then target)."""
        ti, start = self._locate(int(index))
        return ti, np.arange(start, start + self.window_length, dtype=np.int64)

    def used_frames(self, trajectory_index: int = 0) -> np.ndarray:
        """Sorted unique frame indices of one trajectory used by any window."""
        sel = self.windows[self.windows[:, 0] == trajectory_index, 1]
        if sel.size == 0:
            return np.zeros(0, dtype=np.int64)
        return np.unique((sel[:, None] + np.arange(self.window_length)[None, :]).ravel())

    def arrays(self, indices=None) -> tuple[np.ndarray, np.ndarray]:
        """Windows as numpy arrays ``(context [B, W, N, 3], target [B, H, N, 3])`` in nm.

        Parameters
        ----------
        indices : sequence of int, optional
            Which windows; all by default (mind the memory for large sets).
        """
        idx = range(len(self)) if indices is None else indices
        stacked = np.stack(
            [
                self.trajectories[t].positions[s : s + self.window_length]
                for t, s in (self._locate(int(i)) for i in idx)
            ],
            axis=0,
        )
        return stacked[:, : self.context_frames], stacked[:, self.context_frames :]

    def __repr__(self) -> str:
        return (
            f"WindowDataset(split={self.split!r}, n_windows={len(self)}, "
            f"context_frames={self.context_frames}, target_frames={self.target_frames}, "
            f"stride={self.stride}, n_trajectories={len(self.trajectories)})"
        )


__all__ = ["SPLITS", "canonical_split", "split_trajectory", "WindowDataset"]
