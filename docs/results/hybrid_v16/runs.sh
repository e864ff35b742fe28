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
python docs/results/hybrid_v16/rotamer_angles.py $H/eth_base.npz > docs/results/hybrid_v16/rotamer_angles.txt
python docs/results/hybrid_v16/regraft.py $H/r8s_rotmc4p_s1300.npz 400 > docs/results/hybrid_v16/regraft_r8s_rotmc4p_s1300.txt
python docs/results/hybrid_v16/graft_matching.py $H/r8s_rotmc4p_s1300.npz 400 > docs/results/hybrid_v16/graft_matching.txt
python docs/results/hybrid_v16/graft_matching.py $H/r8s_rotmc4p_s1300.npz 600 5 > docs/results/hybrid_v16/graft_matching_600.txt
python docs/results/hybrid_v16/rotamer_donors.py ethanol runs/energy/eth30.npz 0.01 > docs/results/hybrid_v16/rotamer_donors_ethanol.txt
python docs/results/hybrid_v16/rotamer_donors.py aspirin runs/energy/asp30.npz 0.01 > docs/results/hybrid_v16/rotamer_donors_aspirin.txt

# 100 ps ethanol hybrids at about 10x, paired (same seeds) with the fifteenth session's r8s_rotmc4p_s* runs.
for seed in 1300 1400 1600 1700; do
  bash $M 0 r8s_rotmc4p_rw60_s$seed $seed ethanol $S,rotamer_window=60
done
for seed in 1300 1400 1600 1700; do
  bash $M 0 r8s_rotmc4p_rw60_tmc4_s$seed $seed ethanol $S,rotamer_window=60,torsion_mc_steps=4
done
for seed in 1300 1400 1600 1700; do
  bash $M 0 r8s_rotmc4p_rw60_tmc4_mirror_s$seed $seed ethanol $S,rotamer_window=60,torsion_mc_steps=4,mirror_averaging=1
  bash $M 0 r8s_rotmc4p_rw60_tmc8_s$seed $seed ethanol $S,rotamer_window=60,torsion_mc_steps=8
done
# The integrator's defaults (rollouts=1): rotamer_window 60 (now the default) against 0, and with the landing moves.
bash $M 1 def_rw60_s1300 1300 ethanol rotamer_window=60
bash $M 1 def_rotmc4_tmc4_s1300 1300 ethanol thermal_rotors=1,rotor_mc_steps=4,torsion_mc_steps=4
bash $M 0 def_rw0_s1400 1400 ethanol rotamer_window=0
bash $M 1 def_rw60_s1400 1400 ethanol rotamer_window=60
bash $M 0 def_rotmc4_s1400 1400 ethanol thermal_rotors=1,rotor_mc_steps=4
bash $M 1 def_rotmc4_s1600 1600 ethanol thermal_rotors=1,rotor_mc_steps=4
python benchmarks/fidelity_noise.py $H/eth_base.json $H/def_rotmc4_s1400.json $H/def_rotmc4_s1600.json \
    $H/def_rw60_s1400.json --segments 4 --json docs/results/hybrid_v16/defaults_rotors_noise4.json --plot none \
    > docs/results/hybrid_v16/defaults_rotors_noise4.txt
# Alanine dipeptide (amber14), paired with the fifteenth session's runs (same seeds and sweep order, window 0 there).
A="--system alanine-dipeptide --reference-ps 1000 --time-ps 200 --reuse-plain runs/h15/ala.json"
for seed in 0 300 600; do
  OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py $A --seed $seed --sweep rotamer_window=60 \
      thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60 anchor_steps=480,rotamer_window=60 \
      anchor_steps=480,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60 \
      --json runs/h16/ala_s$seed.json --plot none --save-samples runs/h16/ala_s$seed.npz
done
# Pass rates, summary table, torsion-type breakdown and rotor kinetics of every ethanol run above.
R="$H/r8s_rotmc4p_s1300 $H/r8s_rotmc4p_s1400 $H/r8s_rotmc4p_s1600 $H/r8s_rotmc4p_s1700"
for n in rw60 rw60_tmc4; do
  for seed in 1300 1400 1600 1700; do R="$R $H/r8s_rotmc4p_${n}_s$seed"; done
done
for n in rw60_tmc4_mirror rw60_tmc8; do
  for seed in 1300 1400 1600 1700; do R="$R $H/r8s_rotmc4p_${n}_s$seed"; done
done
R="$R $H/def_s1300 $H/def_rw60_s1300 $H/def_rotmc4_s1300 $H/def_rotmc4_tmc4_s1300 $H/def_rw0_s1400 $H/def_rw60_s1400"
python benchmarks/fidelity_noise.py $H/eth_base.json $(for r in $R; do echo $r.json; done) --segments 4 \
    --json docs/results/hybrid_v16/session16_noise4.json --plot docs/results/hybrid_v16/session16_noise4.png \
    > docs/results/hybrid_v16/session16_noise4.txt
python docs/results/hybrid_v13/summary_table.py docs/results/hybrid_v16/session16_noise4.json \
    $(for r in $R; do echo $r.json; done) > docs/results/hybrid_v16/summary_table.md
python docs/results/hybrid_v15/methyl_breakdown.py $H/eth_base.npz $(for r in $R; do echo $r.npz; done) \
    > docs/results/hybrid_v16/methyl_breakdown.txt
python docs/results/hybrid_v16/regraft.py $H/r8s_rotmc4p_rw60_tmc4_s1300.npz 400 > docs/results/hybrid_v16/regraft_r8s_rotmc4p_rw60_tmc4_s1300.txt
python docs/results/hybrid_v16/regraft.py $H/r8s_rotmc4p_rw60_s1300.npz 400 > docs/results/hybrid_v16/regraft_r8s_rotmc4p_rw60_s1300.txt
python docs/results/hybrid_v16/donor_pool.py $H/r8s_rotmc4p_rw60_s1300.npz > docs/results/hybrid_v16/donor_pool_rw60_s1300.txt
