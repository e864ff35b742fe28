#!/bin/bash
# Sixteenth session: rotamer-matched fast-mode donors (rotamer_window) and landing Metropolis moves of rotamer
# torsions (torsion_mc_steps). Every command that produced a file in this folder, from the repository root, with
# the twelfth session's plain ethanol runs (runs/h12/eth_base.json) and the fifteenth's alanine dipeptide ones
# (runs/h15/ala.json). One process per core (model_runs.sh pins it).
set -euo pipefail
source .venv/bin/activate
H=runs/h12
M=docs/results/hybrid_v14/model_runs.sh
S=rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4

# Offline: where the played-back energy excess sits, and the grafting bias with rotamer-matched donors.
python docs/results/hybrid_v16/regraft.py $H/r8s_rotmc4p_s1300.npz 400 > docs/results/hybrid_v16/regraft_r8s_rotmc4p_s1300.txt
python docs/results/hybrid_v16/graft_matching.py $H/r8s_rotmc4p_s1300.npz 400 > docs/results/hybrid_v16/graft_matching.txt
python docs/results/hybrid_v16/rotamer_donors.py ethanol runs/energy/eth30.npz 0.01 > docs/results/hybrid_v16/rotamer_donors_ethanol.txt
python docs/results/hybrid_v16/rotamer_donors.py aspirin runs/energy/asp30.npz 0.01 > docs/results/hybrid_v16/rotamer_donors_aspirin.txt

# 100 ps ethanol hybrids at about 10x, paired (same seeds) with the fifteenth session's r8s_rotmc4p_s* runs.
for seed in 1300 1400 1600 1700; do
  bash $M 0 r8s_rotmc4p_rw60_s$seed $seed ethanol $S,rotamer_window=60
done
for seed in 1300 1400; do
  bash $M 0 r8s_rotmc4p_rw60_tmc4_s$seed $seed ethanol $S,rotamer_window=60,torsion_mc_steps=4
done
python docs/results/hybrid_v16/regraft.py $H/r8s_rotmc4p_rw60_s1300.npz 400 > docs/results/hybrid_v16/regraft_r8s_rotmc4p_rw60_s1300.txt
python docs/results/hybrid_v16/donor_pool.py $H/r8s_rotmc4p_rw60_s1300.npz > docs/results/hybrid_v16/donor_pool_rw60_s1300.txt
