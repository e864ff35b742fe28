#!/bin/bash
# Every hybrid run of the twenty-first session, in the order run (two at a time, one per core: CORE=0 / CORE=1),
# each 100 ps against the nineteenth session's plain runs (runs/h19/{eth,asp}_base.json from
# docs/results/hybrid_v19/{ethanol,aspirin}_base.sh). Hybrid seed = base seed + 10. The aspirin r8s runs with the
# shipped model and planar_ring_modes off are the twentieth session's asp_new_s181{0,1}
# (docs/results/hybrid_v20/runs.sh). The stochastic model: train.sh.
# Pass rates:
#   python benchmarks/fidelity_noise.py runs/h19/asp_base.json runs/h20/asp_new_s181{0,1}.json runs/h21/asp_*.json \
#       --segments 4
#   python benchmarks/fidelity_noise.py runs/h19/eth_base.json runs/h21/eth_*.json --segments 4
set -euo pipefail
cd "$(dirname "$0")"
R8S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
A100="${R8S/anchor_steps=40/anchor_steps=100}"
run() { CORE=$1 bash model_runs.sh "$2" "$3" "$4" "$5" "$6"; }
# planar_ring_modes with every quad about the ring bonds (commit 474e502; the runs then took it from the setting)
for i in 0 1; do run 1 aspirin "asp_pl_s181$i" "180$i" shipped "$R8S,planar_ring_modes=1"; done
# planar_ring_modes as shipped: outer atoms in the ring or terminal
for i in 0 1; do run 1 aspirin "asp_plh_s181$i" "180$i" shipped "$R8S,planar_ring_modes=1"; done
# longer anchors
for i in 0 1; do run 1 aspirin "asp_a100_s181$i" "180$i" shipped "$A100,planar_ring_modes=0"; done
# the stochastic model (train.sh), then with longer anchors and planar ring modes
for i in 0 1; do run $i aspirin "asp_stoch_s181$i" "180$i" runs/s21/asp/stoch_30min.pt "$R8S" & done; wait
for i in 0 1; do run $i aspirin "asp_a100pl_s181$i" "180$i" shipped "$A100,planar_ring_modes=1" & done; wait
for i in 0 1; do run $i aspirin "asp_stochpl_s181$i" "180$i" runs/s21/asp/stoch_30min.pt "$R8S,planar_ring_modes=1" & done; wait
for i in 0 1; do run $i aspirin "asp_stocha100_s181$i" "180$i" runs/s21/asp/stoch_30min.pt "$A100" & done; wait
# ethanol: four more seeds of the twentieth session's r8s + tmc8 max_spread=0.08 (runs/h20/eth_ms08_s19{10..16})
for i in 8 10 12 14; do
  run $((i / 2 % 2)) ethanol "eth_ms08_s$((1910 + i))" $((1900 + i)) shipped "$R8S,max_spread=0.08" &
  [ $((i / 2 % 2)) = 1 ] && wait
done
wait
# defaults (rollouts=1), seed 1812, with planar_ring_modes; then the stochastic model there (both on core 1)
run 1 aspirin asp_defpl_s1812 1802 shipped "planar_ring_modes=1"
run 1 aspirin asp_defstochpl_s1812 1802 runs/s21/asp/stoch_30min.pt "planar_ring_modes=1"
# the stochastic model at half its latent noise (noise_scale), core 1
for i in 0 1; do run 1 aspirin "asp_stochpl_n05_s181$i" "180$i" runs/s21/asp/stoch_30min.pt "$R8S,planar_ring_modes=1,noise_scale=0.5"; done
# the stochastic model after 60 minutes of training (train.sh), both cores
for i in 0 1; do run $i aspirin "asp_stoch60pl_s181$i" "180$i" runs/s21/asp/stoch_60min.pt "$R8S,planar_ring_modes=1" & done; wait
# without the landing's torsion Metropolis moves (torsion_mc_steps=0), both cores
R8="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60"
for i in 0 1; do run $i aspirin "asp_tmc0_s181$i" "180$i" shipped "$R8" & done; wait
# an exact sampler that crosses the rotamer barriers: plain MD + the landing's torsion moves every 40 steps,
# two 40 ps chains (mc_md_reference.py), one per core
cd ../../..
for i in 0 1; do
  OPENMM_CPU_THREADS=1 taskset -c $i python docs/results/hybrid_v21/mc_md_reference.py runs/s21/mcmd/chain$i.npz 40 \
      $((21 + i)) > runs/s21/mcmd/chain$i.log 2>&1 &
done
wait
# then two longer chains (100 ps, seeds 23 and 24)
for i in 2 3; do
  OPENMM_CPU_THREADS=1 taskset -c $((i - 2)) python docs/results/hybrid_v21/mc_md_reference.py \
      runs/s21/mcmd/chain$i.npz 100 $((21 + i)) > runs/s21/mcmd/chain$i.log 2>&1 &
done
wait
