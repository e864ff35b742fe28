#!/bin/bash
# Nineteenth session: new ethanol plain runs (reference, A, B; the twelfth session's samples are gone) and the best
# setting at >= 10x with landing_context on (the new default) and off, three seeds each (hybrid seeds 1910-1915).
# Reference (100 ps) and hybrids in this process, plain A and B in a worker beside it (--plain-workers 2): one core each.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h19
BEST="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60"
BEST="$BEST,torsion_mc_steps=8,max_spread=0.065"
OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py --system ethanol --reference-ps 100 --time-ps 100 --seed 1900 \
    --plain-workers 2 \
    --sweep "$BEST" "$BEST,landing_context=0" "$BEST" "$BEST,landing_context=0" "$BEST" "$BEST,landing_context=0" \
    --json runs/h19/eth_base.json --plot runs/h19/eth_base.png --save-samples runs/h19/eth_base.npz
