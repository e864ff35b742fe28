#!/bin/bash
# Nineteenth session: aspirin (ANI-1x, shipped model) at 100 ps with landing_context (new, default on), against the
# same plain runs as the eighteenth session's docs/results/hybrid_v18/aspirin_base.sh (same seeds).
# Reference (100 ps) and hybrids in this process, plain A and B in a worker beside it (--plain-workers 2): one core each.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h19
R8="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60"
OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py --system aspirin --model asteroid_openmm/pretrained/aspirin.pt \
    --reference-ps 100 --time-ps 100 --seed 1800 --plain-workers 2 \
    --sweep "$R8,torsion_mc_steps=8,max_spread=0.065" "$R8,torsion_mc_steps=8" \
            "$R8,torsion_mc_steps=8,landing_context=0" default \
    --json runs/h19/asp_base.json --plot runs/h19/asp_base.png --save-samples runs/h19/asp_base.npz
