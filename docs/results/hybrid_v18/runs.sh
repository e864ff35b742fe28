#!/bin/bash
# Eighteenth session: 100 ps ethanol hybrids against the twelfth session's plain runs (runs/h12/eth_base.json),
# one process per core (docs/results/hybrid_v14/model_runs.sh CORE NAME SEED MODEL SETTING).
# The best setting at >= 10x of the seventeenth session, with a larger pool of fast-mode donors.
set -e
cd "$(dirname "$0")/../../.."
BEST="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60"
BEST="$BEST,torsion_mc_steps=8,max_spread=0.065"
run() {  # CORE NAME SEED SETTING
  bash docs/results/hybrid_v14/model_runs.sh "$1" "$2" "$3" ethanol "$4"
}
case "${1:-all}" in
  donors512) for seed in ${SEEDS:-1300 1400 1600 1700}; do
               run "${CORE:-0}" r8s_tmc8_ms065_don512_s$seed $seed "$BEST,fast_mode_donor_frames=512"; done ;;
  donors512_h05) for seed in ${SEEDS:-1300 1400 1600 1700}; do
               run "${CORE:-1}" r8s_tmc8_ms065_don512_h05_s$seed $seed \
                   "$BEST,fast_mode_donor_frames=512,fast_mode_bandwidth=0.5"; done ;;
esac
