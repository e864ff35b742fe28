#!/bin/bash
# Eighteenth session: 100 ps ethanol hybrids against the twelfth session's plain runs (runs/h12/eth_base.json),
# one process per core (docs/results/hybrid_v14/model_runs.sh CORE NAME SEED MODEL SETTING).
# The best setting at >= 10x of the seventeenth session, with the guard's new rotor_bond_check=0 or a larger pool
# of fast-mode donors (with the check, as before). Usage: [CORE=N] [SEEDS="..."] bash runs.sh EXPERIMENT
set -e
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
BEST="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60"
BEST="$BEST,torsion_mc_steps=8,max_spread=0.065"
run() {  # CORE NAME SEED SETTING
  bash docs/results/hybrid_v14/model_runs.sh "$1" "$2" "$3" ethanol "$4"
}
case "${1:-all}" in
  donors512) for seed in ${SEEDS:-1300 1400 1600 1700}; do
               run "${CORE:-0}" r8s_tmc8_ms065_don512_s$seed $seed "$BEST,rotor_bond_check=1,fast_mode_donor_frames=512"; done ;;
  donors512_h05) for seed in ${SEEDS:-1300 1400 1600 1700}; do
               run "${CORE:-1}" r8s_tmc8_ms065_don512_h05_s$seed $seed \
                   "$BEST,rotor_bond_check=1,fast_mode_donor_frames=512,fast_mode_bandwidth=0.5"; done ;;
  # rotor_bond_check=0 (the new default): the guard no longer judges the raw forecast's methyl C-H bonds.
  rbc0) for seed in ${SEEDS:-1300 1400 1600 1700}; do
               run "${CORE:-0}" r8s_tmc8_ms065_rbc0_s$seed $seed "$BEST,rotor_bond_check=0"; done ;;
  aspirin_rbc0) for seed in ${SEEDS:-1800}; do  # against the plain runs of aspirin_base.sh
               OPENMM_CPU_THREADS=1 taskset -c "${CORE:-1}" python benchmarks/hybrid.py --system aspirin \
                   --model asteroid_openmm/pretrained/aspirin.pt --reference-ps 100 --time-ps 100 \
                   --reuse-plain runs/h18/asp_base.json --seed $seed --sweep "$BEST,rotor_bond_check=0" \
                   --json runs/h18/asp_rbc0_s$seed.json --plot none --save-samples runs/h18/asp_rbc0_s$seed.npz \
                   > runs/h18/asp_rbc0_s$seed.log 2>&1; done ;;
esac
