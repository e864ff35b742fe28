#!/bin/bash
# Twenty-ninth session: the ethanol plain runs (reference, A, B) re-made (the nineteenth session's samples were lost
# with runs/; same command and seeds as hybrid_v19/ethanol_base.sh), with the twenty-fifth session's best ethanol
# setting with and without donor_rotor_phases, two seeds each, in the same process.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h19
BEST="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
BEST="$BEST,max_spread=0.08,fast_mode_library=1,rotamer_window=30"
OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py --system ethanol --reference-ps 100 --time-ps 100 --seed 1900 \
    --plain-workers 2 \
    --sweep "$BEST" "$BEST,donor_rotor_phases=1" "$BEST" "$BEST,donor_rotor_phases=1" \
    --json runs/h19/eth_base.json --plot runs/h19/eth_base.png --save-samples runs/h19/eth_base.npz
# Two more seeds each, against those plain runs, one core each (the second pair after the aspirin runs of runs.sh)
for i in 4 6; do
    OUT=runs/h29 CORE=1 bash docs/results/hybrid_v21/model_runs.sh ethanol "eth_flibrw30drp_s$((1910 + i))" \
        $((1900 + i)) shipped "$BEST,donor_rotor_phases=1"
    OUT=runs/h29 CORE=0 bash docs/results/hybrid_v21/model_runs.sh ethanol "eth_flibrw30_s$((1910 + i))" \
        $((1900 + i)) shipped "$BEST"
done
