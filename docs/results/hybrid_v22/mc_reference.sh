#!/bin/bash
# Aspirin against an exact-sampler reference (plain MD + 8 torsion Metropolis proposals per rotamer torsion every
# 40 steps, 150 ps) with plain-MD noise-floor runs of 100 ps (one worker process: plain A then plain B beside the
# reference), then three chained settings in the main process. One process per core.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h22
R8S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
A100="rollouts=8,relax_steps=20,anchor_steps=100,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py --system aspirin --reference-ps 150 --time-ps 100 \
    --reference-torsion-mc 8 --plain-workers 2 --seed 2200 --sweep "$R8S" "$R8S,planar_ring_modes=1" \
    "$A100,planar_ring_modes=1" --json runs/h22/asp_mc.json --save-samples runs/h22/asp_mc.npz \
    --plot runs/h22/asp_mc.png > runs/h22/asp_mc.log 2>&1
