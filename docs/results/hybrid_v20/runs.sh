#!/bin/bash
# Every hybrid run of the twentieth session, in the order run (two at a time, one per core: CORE=0 / CORE=1), each
# 100 ps against the nineteenth session's plain runs (runs/h19/{eth,asp}_base.json from
# docs/results/hybrid_v19/{ethanol,aspirin}_base.sh). Hybrid seed = base seed + 10.
# Pass rates:
#   python benchmarks/fidelity_noise.py runs/h19/eth_base.json runs/h19/eth_ramp_s19{10,12,14}.json \
#       runs/h20/eth_*.json --segments 4
#   python benchmarks/fidelity_noise.py runs/h19/asp_base.json runs/h19/asp_ramp_s18{10,11}.json \
#       runs/h20/asp_*.json --segments 4
set -euo pipefail
cd "$(dirname "$0")"
R8S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
B="$R8S,max_spread=0.065"  # ethanol's best setting at about 10x since the seventeenth session
run() { CORE=$1 bash donor_runs.sh "$2" "$3" "$4" "$5"; }
for i in 0 2 4 6 8 10 12; do  # ethanol, fast-mode donors every 2 steps, 160 of them: 7 seeds
  run $((i / 2 % 2)) ethanol "eth_d2_s$((1910 + i))" $((1900 + i)) "$B,fast_mode_donor_stride=2,fast_mode_donor_frames=160"
done
for i in 0 6 8 10 12; do  # controls: the setting as it was (donors = recorded frames, 32 of them); run before the
  # defaults changed, so with plain "$B"; today's equivalent:
  run $((i / 2 % 2)) ethanol "eth_ctrl_s$((1910 + i))" $((1900 + i)) "$B,fast_mode_donor_stride=0,fast_mode_donor_frames=32"
done
for i in 0 2 4 6; do  # variants: every step / 320; every 2 steps / 32; recorded frames / 512; every 2 steps / 512
  run $((i / 2 % 2)) ethanol "eth_d1_s$((1910 + i))" $((1900 + i)) "$B,fast_mode_donor_stride=1,fast_mode_donor_frames=320"
  run $((i / 2 % 2)) ethanol "eth_d2p32_s$((1910 + i))" $((1900 + i)) "$B,fast_mode_donor_stride=2,fast_mode_donor_frames=32"
  run $((i / 2 % 2)) ethanol "eth_p512_s$((1910 + i))" $((1900 + i)) "$B,fast_mode_donor_stride=0,fast_mode_donor_frames=512"
  run $((i / 2 % 2)) ethanol "eth_d2p512_s$((1910 + i))" $((1900 + i)) "$B,fast_mode_donor_stride=2,fast_mode_donor_frames=512"
done
for i in 0 2 4 6; do  # 2 / 256, explicit knobs (then the new defaults: the same runs below with plain "$B")
  run $((i / 2 % 2)) ethanol "eth_d2p256_s$((1910 + i))" $((1900 + i)) "$B,fast_mode_donor_stride=2,fast_mode_donor_frames=256"
done
for i in 8 10 12 14; do  # the new defaults (fast_mode_donor_stride=2, fast_mode_donor_frames=256)
  run $((i / 2 % 2)) ethanol "eth_new_s$((1910 + i))" $((1900 + i)) "$B"
done
for i in 0 2; do  # ethanol defaults (rollouts=1), old and new donors; run before the defaults changed
  run $((i / 2 % 2)) ethanol "eth_def_s$((1910 + i))" $((1900 + i)) default
  run $((i / 2 % 2)) ethanol "eth_def_d2p256_s$((1910 + i))" $((1900 + i)) "fast_mode_donor_stride=2,fast_mode_donor_frames=256"
done
run 0 aspirin asp_def_s1812 1802 default  # before the defaults changed (now: add fast_mode_donor_stride=0,fast_mode_donor_frames=32)
run 1 aspirin asp_def_d2p256_s1812 1802 "fast_mode_donor_stride=2,fast_mode_donor_frames=256"
for i in 0 1; do  # aspirin r8s + tmc8 (the nineteenth session's ramp seeds 1810 / 1811), h = 0.3 (auto) and 0
  run $i aspirin "asp_d2_s$((1810 + i))" $((1800 + i)) "$R8S,fast_mode_donor_stride=2,fast_mode_donor_frames=160"
  run $i aspirin "asp_d2h0_s$((1810 + i))" $((1800 + i)) "$R8S,fast_mode_donor_stride=2,fast_mode_donor_frames=160,fast_mode_bandwidth=0"
done
for i in 0 1; do  # aspirin r8s + tmc8 with the new defaults (2 / 256)
  run $i aspirin "asp_new_s$((1810 + i))" $((1800 + i)) "$R8S"
done
for i in 0 2 4 6; do  # ethanol, longer jumps with the new defaults
  run $((i / 2 % 2)) ethanol "eth_ms08_s$((1910 + i))" $((1900 + i)) "$R8S,max_spread=0.08"
done
