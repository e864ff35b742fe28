#!/bin/bash
# Two aspirin runs against the MC-MD reference, one per core: [MODEL=FILE] bash run2.sh NAME SETTING SEED0 SEED1
# SETTING is added to "r8sp" (below); results in runs/h22/NAME_sSEED.{json,npz,log}.
cd "$(dirname "$0")/../../.."
R8SP="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8,planar_ring_modes=1"
MODEL="${MODEL:-}" CORE=0 bash docs/results/hybrid_v22/mc_runs.sh "$1_s$3" "$3" "$R8SP,$2" &
MODEL="${MODEL:-}" CORE=1 bash docs/results/hybrid_v22/mc_runs.sh "$1_s$4" "$4" "$R8SP,$2" &
wait
