#!/bin/bash
# Thirtieth session: the "chained" preset (AsteroidIntegrator.from_preset, asteroid_openmm/integrator/presets.py)
# on ethanol against the twenty-ninth session's re-made plain runs (runs/h19/eth_base.json,
# hybrid_v29/ethanol_base.sh) and on aspirin against the twenty-second session's MC-MD reference
# (runs/h22/asp_mc.json, hybrid_v26/runs.sh), shipped models with their donor libraries, one run per core.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
# The preset's first version, max_spread at the default 0.05 nm, written out knob by knob (ethanol, 4 seeds)
P="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,torsion_mc_steps=8,planar_ring_modes=1"
P="$P,link_mc_steps=1,link_mc_sd=28,fast_mode_library=1,rotamer_window=30,donor_hydrogen_torsions=1,donor_rotor_phases=1"
ethanol() {  # NAME BASE_SEED SETTING CORE
    OUT=runs/h30 CORE=$4 bash docs/results/hybrid_v21/model_runs.sh ethanol "$1" "$2" shipped "$3"
}
(ethanol eth_chained_s1914 1904 "$P" 0; ethanol eth_chained_s1911 1901 "$P" 0) &
(ethanol eth_chained_s1916 1906 "$P" 1; ethanol eth_chained_s1913 1903 "$P" 1) &
wait
# The preset as shipped (max_spread 0.08): aspirin, then ethanol, then two more aspirin seeds
CORE=0 bash docs/results/hybrid_v22/mc_runs.sh shipped_chained_s2230 2230 "preset=chained" &
CORE=1 bash docs/results/hybrid_v22/mc_runs.sh shipped_chained_s2231 2231 "preset=chained" &
wait
(ethanol eth_preset_s1914 1904 "preset=chained" 0; ethanol eth_preset_s1911 1901 "preset=chained" 0) &
(ethanol eth_preset_s1916 1906 "preset=chained" 1; ethanol eth_preset_s1913 1903 "preset=chained" 1) &
wait
CORE=0 bash docs/results/hybrid_v22/mc_runs.sh shipped_chained_s2232 2232 "preset=chained" &
CORE=1 bash docs/results/hybrid_v22/mc_runs.sh shipped_chained_s2233 2233 "preset=chained" &
wait
# Pass rates (25 ps segments) and full-run summaries
R=docs/results/hybrid_v30
python benchmarks/fidelity_noise.py runs/h19/eth_base.json runs/h30/eth_chained_s19*.json runs/h30/eth_preset_s19*.json \
    --segments 4 --json $R/ethanol_noise4.json --plot $R/ethanol_noise4.png > $R/ethanol_noise4.txt
python benchmarks/fidelity_noise.py runs/h22/asp_mc.json runs/h22/shipped_chained_s223*.json \
    runs/h22/shipped_l1rw30dhdrp_s223[01].json --segments 4 --json $R/aspirin_noise4.json --plot $R/aspirin_noise4.png \
    > $R/aspirin_noise4.txt
python $R/summary.py runs/h30/eth_chained_s19*.json runs/h30/eth_preset_s19*.json runs/h29/eth_flibrw30drp_s191*.json \
    runs/h22/shipped_chained_s223*.json runs/h22/shipped_l1rw30dhdrp_s223[01].json > $R/full_run.txt
cp runs/h30/eth_chained_s19*.json runs/h30/eth_preset_s19*.json runs/h22/shipped_chained_s223*.json $R/
# The trade-off along the chained preset (rollouts 2 and 4) and the default preset, ethanol, two seeds each
(ethanol eth_default_s1914 1904 "preset=default" 0; ethanol eth_chr4_s1914 1904 "preset=chained,rollouts=4" 0
 ethanol eth_chr2_s1914 1904 "preset=chained,rollouts=2" 0) &
(ethanol eth_default_s1916 1906 "preset=default" 1; ethanol eth_chr4_s1916 1906 "preset=chained,rollouts=4" 1
 ethanol eth_chr2_s1916 1906 "preset=chained,rollouts=2" 1) &
wait
# The same for aspirin (the default preset; the chained preset with rollouts=4), two seeds each
CORE=0 bash docs/results/hybrid_v22/mc_runs.sh shipped_default_s2230 2230 "preset=default" &
CORE=1 bash docs/results/hybrid_v22/mc_runs.sh shipped_default_s2231 2231 "preset=default" &
wait
CORE=0 bash docs/results/hybrid_v22/mc_runs.sh shipped_chr4_s2230 2230 "preset=chained,rollouts=4" &
CORE=1 bash docs/results/hybrid_v22/mc_runs.sh shipped_chr4_s2231 2231 "preset=chained,rollouts=4" &
wait
# The chained preset as a model without a donor library gets it (the library settings at their defaults), ethanol
NOLIB="preset=chained,fast_mode_library=0,rotamer_window=60,donor_hydrogen_torsions=0,donor_rotor_phases=0"
ethanol eth_chnolib_s1914 1904 "$NOLIB" 0 &
ethanol eth_chnolib_s1916 1906 "$NOLIB" 1 &
wait
# The chained preset without the smoothed bootstrap (library donors' distances copied), ethanol
ethanol eth_chbw0_s1914 1904 "preset=chained,fast_mode_bandwidth=0" 0 &
ethanol eth_chbw0_s1916 1906 "preset=chained,fast_mode_bandwidth=0" 1 &
wait
