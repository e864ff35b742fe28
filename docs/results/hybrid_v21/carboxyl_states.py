"""Aspirin's carboxyl flips and the potential energy by conformational state, in plain, hybrid and MC-MD runs.

    python docs/results/hybrid_v21/carboxyl_states.py BASE.npz [RUN.npz ...] [--mcmd CHAIN.npz ...]

BASE.npz and RUN.npz are benchmarks/hybrid.py --save-samples files of aspirin; CHAIN.npz are mc_md_reference.py
outputs. Per run: the carboxyl's transitions (|C4-C9-C10-O11| below 60 / above 120 degrees, with hysteresis) and,
for hybrids, how many were first seen during playback and how many at a real sample (the landing's Metropolis moves
or real MD); then the share of samples (hybrids: played-back ones) and their mean potential energy relative to the
reference's mean, by state: carboxyl flipped (|C4-C9-C10-O11| > 90), ester twist (C1-O3-C4-C9 > 0), acetyl cis
(|C0-C1-O3-C4| < 90).
"""
import sys
from pathlib import Path

import numpy as np

from asteroid_openmm.evaluation.metrics import dihedrals

args = sys.argv[1:]
mcmd = args[args.index("--mcmd") + 1:] if "--mcmd" in args else []
args = args[: args.index("--mcmd")] if "--mcmd" in args else args
base = np.load(args[0])
reference_mean = base["reference__energy_kJmol"].mean()
runs = {name: (base[f"{key}__positions_nm"], base[f"{key}__energy_kJmol"], None)
        for name, key in (("reference", "reference"), ("plain A", "plain_A"), ("plain B", "plain_B"))}
for path in args[1:]:
    data = np.load(path)
    for key in data.files:
        if key.startswith("hybrid") and key.endswith("__positions_nm"):
            stem = key[: -len("__positions_nm")]
            runs[f"{Path(path).stem}:{key.split('_')[1]}"] = (data[key], data[f"{stem}__energy_kJmol"],
                                                              data[f"{stem}__playback"].astype(bool))
for path in mcmd:
    data = np.load(path)
    runs[f"MC-MD {Path(path).stem}"] = (data["positions_nm"], data["energy_kJmol"], None)


def torsion(x, q):
    return dihedrals(x, np.array([q]))[:, 0]


def transitions(x, played):
    phi = np.abs(torsion(x, (4, 9, 10, 11)))
    state = np.where(phi < 60, 0, np.where(phi > 120, 1, -1))
    current, total, in_playback = None, 0, 0
    for i in np.flatnonzero(state >= 0):
        if current is not None and state[i] != current:
            total += 1
            in_playback += int(played is not None and played[i] and i > 0 and played[i - 1])
        current = state[i]
    return total, in_playback


print("state: carboxyl flipped (4) + ester twist > 0 (2) + acetyl cis (1); share / mean energy - reference mean "
      "(kJ/mol); hybrids: played-back samples")
for name, (x, energy, played) in runs.items():
    total, in_playback = transitions(x, played)
    flips = f"{total} flips" + ("" if played is None else f" ({in_playback} in playback)")
    if played is not None:
        x, energy = x[played], energy[played]
    state = (4 * (np.abs(torsion(x, (4, 9, 10, 11))) > 90) + 2 * (torsion(x, (1, 3, 4, 9)) > 0)
             + (np.abs(torsion(x, (0, 1, 3, 4))) < 90))
    cells = [f"{k}: {np.mean(state == k):.0%} / {energy[state == k].mean() - reference_mean:+.1f}"
             for k in range(8) if np.sum(state == k) > 20]
    print(f"{name:24s} {flips:22s} all {energy.mean() - reference_mean:+5.1f} | " + "; ".join(cells))
