#!/bin/bash
# Fifteenth session (2026-11-27): thermal rotor librations on 100 ps ethanol hybrids, 2-core CPU machine, one
# process per core, against the twelfth session's plain runs (runs/h12/eth_base.json). Outputs in runs/h12/,
# JSON copied here without the .npz samples.
set -euo pipefail
cd "$(dirname "$0")/../../.."
S=rollouts=8,relax_steps=20,anchor_steps=40
M=docs/results/hybrid_v14/model_runs.sh
bash $M 0 r8s_rot_s1300 1300 ethanol $S,thermal_rotors=1 & bash $M 1 r8s_rot_s1400 1400 ethanol $S,thermal_rotors=1; wait
bash $M 0 r8s_mirror_rot_s1300 1300 ethanol $S,mirror_averaging=1,thermal_rotors=1 &
bash $M 1 r8s_mirror_rot_s1400 1400 ethanol $S,mirror_averaging=1,thermal_rotors=1; wait
# rotor_mc_steps (commit a13e39c: the pool holds every equilibrium real frame, the first context's included)
for mc in 4 8; do
  bash $M 0 r8s_rotmc${mc}_s1300 1300 ethanol $S,thermal_rotors=1,rotor_mc_steps=$mc &
  bash $M 1 r8s_rotmc${mc}_s1400 1400 ethanol $S,thermal_rotors=1,rotor_mc_steps=$mc; wait
  [ $mc = 4 ] && { bash $M 0 r8s_mirror_rotmc4_s1300 1300 ethanol $S,mirror_averaging=1,thermal_rotors=1,rotor_mc_steps=4 &
    bash $M 1 r8s_mirror_rotmc4_s1400 1400 ethanol $S,mirror_averaging=1,thermal_rotors=1,rotor_mc_steps=4; wait; }
done
# The pool from anchor phases only, used from 16 phases on (this commit):
bash $M 0 r8s_rotmc4p_s1300 1300 ethanol $S,thermal_rotors=1,rotor_mc_steps=4 &
bash $M 1 r8s_rotmc4p_s1400 1400 ethanol $S,thermal_rotors=1,rotor_mc_steps=4; wait
# Ethanol at the integrator's defaults (rollouts=1), one seed, with and without:
bash $M 0 def_s1300 1300 ethanol default & bash $M 1 def_rotmc4_s1300 1300 ethanol thermal_rotors=1,rotor_mc_steps=4; wait
source .venv/bin/activate
# Alanine dipeptide (amber14), three seeds, one core:
mkdir -p runs/h15
A="--system alanine-dipeptide --reference-ps 1000 --time-ps 200 --sweep default thermal_rotors=1,rotor_mc_steps=4
   anchor_steps=480 anchor_steps=480,thermal_rotors=1,rotor_mc_steps=4"
OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py $A --json runs/h15/ala.json --plot runs/h15/ala.png \
    --save-samples runs/h15/ala.npz
for seed in 300 600; do
  OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py $A --reuse-plain runs/h15/ala.json --seed $seed \
      --json runs/h15/ala_s$seed.json --plot none --save-samples runs/h15/ala_s$seed.npz
done
H=runs/h12
python benchmarks/fidelity_noise.py $H/eth_base.json $H/r8s_s1300.json $H/r8s_s1400.json $H/r8s_mirror_s1300.json \
    $H/r8s_mirror_s1400.json $H/r8s_rot_s1300.json $H/r8s_rot_s1400.json $H/r8s_mirror_rot_s1300.json \
    $H/r8s_mirror_rot_s1400.json --segments 4 --json docs/results/hybrid_v15/session15_noise4.json \
    --plot docs/results/hybrid_v15/session15_noise4.png > docs/results/hybrid_v15/session15_noise4.txt
python docs/results/hybrid_v13/summary_table.py docs/results/hybrid_v15/session15_noise4.json $H/r8s_rot_s1300.json \
    $H/r8s_rot_s1400.json $H/r8s_mirror_rot_s1300.json $H/r8s_mirror_rot_s1400.json \
    > docs/results/hybrid_v15/summary_table.md
python docs/results/hybrid_v15/methyl_breakdown.py $H/eth_base.npz $H/r8s_s1300.npz $H/r8s_s1400.npz \
    $H/r8s_mirror_s1300.npz $H/r8s_mirror_s1400.npz $H/r8s_rot_s1300.npz $H/r8s_rot_s1400.npz \
    $H/r8s_mirror_rot_s1300.npz $H/r8s_mirror_rot_s1400.npz > docs/results/hybrid_v15/methyl_breakdown.txt
python docs/results/hybrid_v15/rotor_offline.py runs/energy/eth15_5fs.npz $H/eth_base.npz \
    > docs/results/hybrid_v15/rotor_offline.txt
(python docs/results/hybrid_v15/rotor_pool.py $H/eth_base.npz runs/energy/eth15_5fs.npz 0
 python docs/results/hybrid_v15/rotor_pool.py $H/eth_base.npz runs/energy/eth15_5fs.npz 4 skip) \
    > docs/results/hybrid_v15/rotor_pool.txt
