#!/bin/bash
# Twenty-third session: chained aspirin hybrids with link_mc_steps (Metropolis moves of the rotamer torsions between
# chained forecasts), 100 ps each against the twenty-second session's MC-MD reference (../hybrid_v22/mc_runs.sh),
# one run per core.
set -euo pipefail
cd "$(dirname "$0")"
run_mc() { CORE=$1 bash ../hybrid_v22/mc_runs.sh "${@:2}"; }
R8S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
R8SP="$R8S,planar_ring_modes=1"
run_mc 0 l2_s2230 2230 "$R8SP,link_mc_steps=2" &
run_mc 1 l2_s2231 2231 "$R8SP,link_mc_steps=2" & wait
