#!/bin/bash
# Twentieth session: alanine dipeptide (amber14, 200 ps runs against a 1 ns reference, as in the fifteenth session),
# the new fast-mode donor defaults (every 2 steps, 256 donors) against the old ones (recorded frames, 32), at the
# defaults and at anchor_steps=480. Run with the code of the twentieth session (the new defaults).
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h20
OLD="fast_mode_donor_stride=0,fast_mode_donor_frames=32"
OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py --system alanine-dipeptide --reference-ps 1000 --time-ps 200 \
    --seed 2000 --plain-workers 2 \
    --sweep default "$OLD" anchor_steps=480 "anchor_steps=480,$OLD" \
    --json runs/h20/ala.json --plot none --save-samples runs/h20/ala.npz
