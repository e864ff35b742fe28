#!/bin/bash
# Twenty-third session: chained aspirin hybrids with link moves (link_mc_steps: Metropolis moves of rotamer torsions
# between chained forecasts), 100 ps each against the twenty-second session's MC-MD reference (runs/h22/asp_mc.json,
# made by ../hybrid_v22/mc_reference.sh), one run per core; each run one call of ../hybrid_v22/mc_runs.sh.
# Names: l<steps>sd<sd>[h] (h = heavy-atom torsions only, link_mc_hydrogens=0); "l2" = sd 40, before link_mc_sd existed.
set -euo pipefail
cd "$(dirname "$0")"
run_mc() { CORE=$1 bash ../hybrid_v22/mc_runs.sh "${@:2}"; }
R8SP="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
R8SP="$R8SP,planar_ring_modes=1"
ALL="link_mc_hydrogens=1"
# link moves of every rotamer torsion, 2 proposals of sd 40 (the landing moves' sd), seeds 2230 / 2231
run_mc 0 l2_s2230 2230 "$R8SP,link_mc_steps=2,link_mc_sd=40,$ALL" & run_mc 1 l2_s2231 2231 "$R8SP,link_mc_steps=2,link_mc_sd=40,$ALL" & wait
# smaller proposals: 2 of sd 20, 4 of sd 15, 2 of sd 30
run_mc 0 l2sd20_s2230 2230 "$R8SP,link_mc_steps=2,link_mc_sd=20,$ALL" & run_mc 1 l4sd15_s2230 2230 "$R8SP,link_mc_steps=4,link_mc_sd=15,$ALL" & wait
run_mc 0 l2sd20_s2231 2231 "$R8SP,link_mc_steps=2,link_mc_sd=20,$ALL" & run_mc 1 l2sd30_s2230 2230 "$R8SP,link_mc_steps=2,link_mc_sd=30,$ALL" & wait
# heavy-atom torsions only (the default, link_mc_hydrogens=0)
run_mc 0 hl2sd20_s2230 2230 "$R8SP,link_mc_steps=2,link_mc_sd=20" & run_mc 1 hl2sd20_s2231 2231 "$R8SP,link_mc_steps=2,link_mc_sd=20" & wait
run_mc 0 l2sd20_s2232 2232 "$R8SP,link_mc_steps=2,link_mc_sd=20,$ALL" & run_mc 1 l2sd20_s2233 2233 "$R8SP,link_mc_steps=2,link_mc_sd=20,$ALL" & wait
# the same chained setting without link moves, seeds 2230-2233
run_mc 0 nolink_s2230 2230 "$R8SP" & run_mc 1 nolink_s2231 2231 "$R8SP" & wait
run_mc 0 nolink_s2232 2232 "$R8SP" & run_mc 1 nolink_s2233 2233 "$R8SP" & wait
# heavy-atom link moves at seeds 2232 / 2233, then with half the landing moves (torsion_mc_steps=4)
run_mc 0 hl2sd20_s2232 2232 "$R8SP,link_mc_steps=2,link_mc_sd=20" & run_mc 1 hl2sd20_s2233 2233 "$R8SP,link_mc_steps=2,link_mc_sd=20" & wait
R8SP4="${R8SP/torsion_mc_steps=8/torsion_mc_steps=4}"
run_mc 0 hl2tmc4_s2230 2230 "$R8SP4,link_mc_steps=2,link_mc_sd=20" & run_mc 1 hl2tmc4_s2231 2231 "$R8SP4,link_mc_steps=2,link_mc_sd=20" & wait
# heavy-atom link moves with longer anchors (anchor_steps=100), and with 16 chained forecasts
RL="relax_steps=20,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8,planar_ring_modes=1"
RL="$RL,link_mc_steps=2,link_mc_sd=20"
run_mc 0 hl2a100_s2230 2230 "rollouts=8,anchor_steps=100,$RL" & run_mc 1 hl2r16_s2230 2230 "rollouts=16,anchor_steps=40,$RL" & wait
run_mc 0 hl2a100_s2231 2231 "rollouts=8,anchor_steps=100,$RL" & run_mc 1 hl2a60_s2230 2230 "rollouts=8,anchor_steps=60,$RL" & wait
# one proposal per link of sd 28 (about the variance of two of sd 20), heavy-atom torsions
run_mc 0 hl1sd28_s2230 2230 "$R8SP,link_mc_steps=1,link_mc_sd=28" & run_mc 1 hl1sd28_s2231 2231 "$R8SP,link_mc_steps=1,link_mc_sd=28" & wait
# heavy-atom link moves with fast-mode donors not matched to the frame's rotamer (rotamer_window=0)
R8SP0="${R8SP/rotamer_window=60/rotamer_window=0}"
run_mc 0 hl2rw0_s2230 2230 "$R8SP0,link_mc_steps=2,link_mc_sd=20" & run_mc 1 hl2rw0_s2231 2231 "$R8SP0,link_mc_steps=2,link_mc_sd=20" & wait
# four link proposals of sd 20, heavy-atom torsions
run_mc 0 hl4sd20_s2230 2230 "$R8SP,link_mc_steps=4,link_mc_sd=20" & run_mc 1 hl4sd20_s2231 2231 "$R8SP,link_mc_steps=4,link_mc_sd=20" & wait
# ethanol: the twentieth session's r8s + tmc8 + max_spread=0.08 (runs/h20/eth_ms08_s1910-1916) with link moves of
# its hydroxyl (a lone-hydrogen torsion, so link_mc_hydrogens=1), same seeds, against the nineteenth session's plain
# runs (../hybrid_v21/model_runs.sh with OUT=runs/h23)
R8S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
for i in 0 2 4 6; do
  CORE=$((i / 2 % 2)) OUT=runs/h23 bash ../hybrid_v21/model_runs.sh ethanol "eth_lh2_s$((1910 + i))" $((1900 + i)) \
    shipped "$R8S,max_spread=0.08,link_mc_steps=2,link_mc_hydrogens=1" &
  [ $((i % 4)) = 2 ] && wait
done
wait
