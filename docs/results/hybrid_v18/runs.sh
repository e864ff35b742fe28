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
  aspirin_rbc0|aspirin_rbc1)  # against the plain runs of aspirin_base.sh
             check=${1#aspirin_rbc}
             for seed in ${SEEDS:-1800}; do
               OPENMM_CPU_THREADS=1 taskset -c "${CORE:-1}" python benchmarks/hybrid.py --system aspirin \
                   --model asteroid_openmm/pretrained/aspirin.pt --reference-ps 100 --time-ps 100 \
                   --reuse-plain runs/h18/asp_base.json --seed $seed --sweep "$BEST,rotor_bond_check=$check" \
                   --json runs/h18/asp_rbc${check}_s$seed.json --plot none \
                   --save-samples runs/h18/asp_rbc${check}_s$seed.npz > runs/h18/asp_rbc${check}_s$seed.log 2>&1
             done ;;
esac
# The order this session ran them in (after aspirin_base.sh):
#   CORE=0 bash runs.sh rbc0; CORE=1 SEEDS="1800 1900" bash runs.sh aspirin_rbc0; CORE=0 SEEDS=1900 bash runs.sh aspirin_rbc1
#   CORE=1 SEEDS="1300 1400" bash runs.sh donors512; CORE=0 SEEDS="1600 1700" bash runs.sh donors512
# Analyses:
#   python benchmarks/fidelity_noise.py runs/h18/asp_base.json runs/h18/asp_rbc0_s1800.json runs/h18/asp_rbc1_s1900.json \
#       runs/h18/asp_rbc0_s1900.json --segments 4 --json docs/results/hybrid_v18/aspirin_noise4.json --plot none
#   H=runs/h12; python benchmarks/fidelity_noise.py $H/eth_base.json $H/r8s_tmc8_ms065_carry_s{1300,1400,1600,1700}.json \
#       $H/r8s_tmc8_ms065_rbc0_s{1300,1400,1600,1700}.json $H/r8s_tmc8_ms065_don512_s{1300,1400,1600,1700}.json \
#       --segments 4 --json docs/results/hybrid_v18/session18_noise4.json --plot docs/results/hybrid_v18/session18_noise4.png
#   python docs/results/hybrid_v18/torsion_breakdown.py aspirin runs/h18/asp_base.npz runs/h18/asp_base.npz
#   OPENMM_CPU_THREADS=1 python docs/results/hybrid_v18/aspirin_bond_guard.py 20 7 rollouts=8 relax_steps=20 \
#       anchor_steps=40 torsion_mc_steps=8 [thermal_rotors=0 [rotor_mc_steps=0] | rotor_bond_check=0]
