#!/bin/bash
# Twenty-second session's hybrid runs (each one call of ../hybrid_v21/model_runs.sh with OUT=runs/h22; 100 ps
# against runs/h19/*_base.json).
set -euo pipefail
cd "$(dirname "$0")"
run() { CORE=$1 OUT=runs/h22 bash ../hybrid_v21/model_runs.sh "${@:2}"; }
R8S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
# aspirin r8s + planar_ring_modes with mirror sampling / mirror averaging, seeds 1810 / 1811, one per core
for i in 0 1; do run $i aspirin "asp_plms_s181$i" "180$i" shipped "$R8S,planar_ring_modes=1,mirror_sampling=1" & done; wait
for i in 0 1; do run $i aspirin "asp_plma_s181$i" "180$i" shipped "$R8S,planar_ring_modes=1,mirror_averaging=1" & done; wait
# torsion kicks (the chained contexts' thermal angular velocities about rotatable bonds), scale 1 and 0.5, seed 1810
run 0 aspirin asp_plk1_s1810 1800 shipped "$R8S,planar_ring_modes=1,torsion_kick=1" &
run 1 aspirin asp_plk05_s1810 1800 shipped "$R8S,planar_ring_modes=1,torsion_kick=0.5" & wait
# shorter chains: rollouts=4 (anchor 40 / relax 20, tmc8) and rollouts=4 with anchor 20 / relax 10, tmc4; planar; seed 1810
R4="rollouts=4,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,planar_ring_modes=1"
run 0 aspirin asp_r4_s1810 1800 shipped "$R4,relax_steps=20,anchor_steps=40,torsion_mc_steps=8" &
run 1 aspirin asp_r4a20_s1810 1800 shipped "$R4,relax_steps=10,anchor_steps=20,torsion_mc_steps=4" & wait
# against the exact-sampler reference (mc_reference.sh first): the landing moves at shorter chains, one per core
run_mc() { CORE=$1 bash mc_runs.sh "${@:2}"; }
TMC="thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8,planar_ring_modes=1"
run_mc 0 mc_r1 2210 "$TMC" &
run_mc 1 mc_r2 2210 "rollouts=2,$TMC" && run_mc 1 mc_r4 2210 "rollouts=4,relax_steps=20,anchor_steps=40,$TMC"; wait
# the rollouts=1 setting on a second seed, and with half the landing moves (torsion_mc_steps=4), one per core
run_mc 0 mc_r1_s2222 2212 "$TMC" &
run_mc 1 mc_r1tmc4 2210 "${TMC/torsion_mc_steps=8/torsion_mc_steps=4}"; wait
