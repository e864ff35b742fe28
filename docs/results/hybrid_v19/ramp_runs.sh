#!/bin/bash
# Nineteenth session: a variant of landing_context, measured and not kept, against this session's plain runs
# (aspirin_base.sh, ethanol_base.sh), with the hybrid seeds of the kept version's runs there. The variant spread the
# landing frame's difference as a ramp over every frame the context holds, n = max(carried frames, frames held),
# the k-th of them taking k/(n+1), so a short jump's ramp reached into the frames before it (in _land:
# `share = np.arange(n - held + 1, n + 1) / (n + 1); context += share[:, None, None] * (landed - last[0])[None]`).
# Run with the code as it is, this script measures the kept version at these seeds.
# Usage: [CORE=N] bash ramp_runs.sh ethanol|aspirin
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
R8="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
run() {  # SYSTEM NAME BASE_SEED (hybrid seed = BASE_SEED + 10) SETTING
  OPENMM_CPU_THREADS=1 taskset -c "${CORE:-0}" python benchmarks/hybrid.py --system "$1" --reference-ps 100 \
      --time-ps 100 --reuse-plain "runs/h19/${1:0:3}_base.json" --seed "$3" --sweep "$4" \
      --json "runs/h19/$2.json" --plot none --save-samples "runs/h19/$2.npz" > "runs/h19/$2.log" 2>&1
}
case "$1" in
  ethanol) for base in 1900 1902 1904; do run ethanol eth_ramp_s$((base + 10)) $base "$R8,max_spread=0.065"; done ;;
  aspirin) for base in 1801 1800; do run aspirin asp_ramp_s$((base + 10)) $base "$R8$([ $base = 1800 ] && echo ,max_spread=0.065)"; done ;;
esac
# Pass rates: python benchmarks/fidelity_noise.py runs/h19/eth_base.json runs/h19/eth_ramp_s19{10,12,14}.json --segments 4
#             python benchmarks/fidelity_noise.py runs/h19/asp_base.json runs/h19/asp_ramp_s18{11,10}.json --segments 4
