#!/bin/bash
# Thirtieth session: the integrator presets (AsteroidIntegrator.from_preset, asteroid_openmm/integrator/presets.py).
# Ethanol runs are against the twenty-ninth session's re-made plain runs (runs/h19/eth_base.json,
# hybrid_v29/ethanol_base.sh), aspirin's against the twenty-second session's MC-MD reference (runs/h22/asp_mc.json,
# hybrid_v26/runs.sh); shipped models with their donor libraries unless named; one run per core, in this order.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
R=docs/results/hybrid_v30
ethanol() {  # NAME BASE_SEED SETTING CORE [MODEL]
    OUT=runs/h30 CORE=$4 bash docs/results/hybrid_v21/model_runs.sh ethanol "$1" "$2" "${5:-shipped}" "$3"
}
aspirin() {  # NAME SEED SETTING CORE
    CORE=$4 bash docs/results/hybrid_v22/mc_runs.sh "$1" "$2" "$3"
}
four_ethanol() {  # NAME_PREFIX SETTING [MODEL]: base seeds 1904, 1901 on core 0 and 1906, 1903 on core 1
    (ethanol "$1_s1914" 1904 "$2" 0 "${3:-}"; ethanol "$1_s1911" 1901 "$2" 0 "${3:-}") &
    (ethanol "$1_s1916" 1906 "$2" 1 "${3:-}"; ethanol "$1_s1913" 1903 "$2" 1 "${3:-}") &
    wait
}
pair() {  # SYSTEM NAME_PREFIX SETTING: two seeds, one per core
    if [ "$1" = ethanol ]; then
        ethanol "$2_s1914" 1904 "$3" 0 & ethanol "$2_s1916" 1906 "$3" 1 &
    else
        aspirin "$2_s2230" 2230 "$3" 0 & aspirin "$2_s2231" 2231 "$3" 1 &
    fi
    wait
}
# 1. The preset's first version, max_spread at the default 0.05 nm, spelled out knob by knob
P="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,torsion_mc_steps=8,planar_ring_modes=1"
P="$P,link_mc_steps=1,link_mc_sd=28,fast_mode_library=1,rotamer_window=30,donor_hydrogen_torsions=1,donor_rotor_phases=1"
four_ethanol eth_chained "$P"
# 2. The preset as shipped (max_spread 0.08): aspirin (four seeds), ethanol (four seeds)
pair aspirin shipped_chained preset=chained
four_ethanol eth_preset preset=chained
aspirin shipped_chained_s2232 2232 preset=chained 0 & aspirin shipped_chained_s2233 2233 preset=chained 1 & wait
# 3. The trade-off: the default preset, the chained one with fewer forecasts per jump, and without the bootstrap
pair ethanol eth_default preset=default
pair ethanol eth_chr4 preset=chained,rollouts=4
pair ethanol eth_chr2 preset=chained,rollouts=2
pair aspirin shipped_default preset=default
pair aspirin shipped_chr4 preset=chained,rollouts=4
pair ethanol eth_chbw0 preset=chained,fast_mode_bandwidth=0
# 4. Bigger ethanol donor libraries from fresh plain MD at 500 K (seeds independent of every benchmark run; 2 ps of
#    equilibration), 12,000 frames kept: library NAME SEED0 STEPS_PER_CHAIN REPORT_INTERVAL OUT (two chains, one per core)
library() {
    for seed in $2 $(($2 + 1)); do
        OPENMM_CPU_THREADS=1 taskset -c $((seed - $2)) asteroid-openmm simulate ethanol --steps "$3" \
            --report-interval "$4" --equilibration-steps 4000 --out "runs/h30/$1_$seed.dcd" --seed "$seed" \
            --platform CPU --no-progress &
    done
    wait
    asteroid-openmm donors ethanol "runs/h30/$1_$2.dcd" "runs/h30/$1_$(($2 + 1)).dcd" --temperature 500 \
        --frames 12000 --out "$5"
}
# 2 x 75 ps sampled every 10 fs (15,000 frames)
library eth_lib 3001 150000 20 runs/h30/ethanol_lib12k.pt
four_ethanol eth_lib12k preset=chained runs/h30/ethanol_lib12k.pt
# 4b. 2 x 50 ps sampled every 7 steps (3.5 fs, off the O-H stretch's ~10 fs period; 28,570 frames); two seeds
library eth_lib7 3003 100000 7 runs/h30/ethanol_lib7.pt
ethanol eth_lib7_s1914 1904 preset=chained 0 runs/h30/ethanol_lib7.pt &
ethanol eth_lib7_s1916 1906 preset=chained 1 runs/h30/ethanol_lib7.pt &
wait
cp runs/h30/ethanol_lib7.pt asteroid_openmm/pretrained/ethanol.pt  # shipped: the same weights, this library
# Two more seeds with the shipped model, which now carries that library
ethanol eth_lib7_s1911 1901 preset=chained 0 & ethanol eth_lib7_s1913 1903 preset=chained 1 & wait
# 5. Pass rates, full-run summaries, the trade-off plot, the ethanol dihedral and library analysis
ETH="runs/h30/eth_chained_s19*.json runs/h30/eth_preset_s19*.json runs/h30/eth_default_s19*.json"
ETH="$ETH runs/h30/eth_chr4_s19*.json runs/h30/eth_chr2_s19*.json runs/h30/eth_chbw0_s19*.json"
ETH="$ETH runs/h30/eth_lib12k_s19*.json runs/h30/eth_lib7_s19*.json runs/h29/eth_flibrw30drp_s191*.json"
ETH="$ETH runs/h29/eth_flibrw30_s191*.json"
ASP="runs/h22/shipped_chained_s223*.json runs/h22/shipped_default_s223*.json runs/h22/shipped_chr4_s223*.json"
ASP="$ASP runs/h22/shipped_l1rw30dhdrp_s223[01].json"
python benchmarks/fidelity_noise.py runs/h19/eth_base.json $ETH --segments 4 --json $R/ethanol_noise4.json \
    --plot $R/ethanol_noise4.png > $R/ethanol_noise4.txt
python benchmarks/fidelity_noise.py runs/h22/asp_mc.json $ASP --segments 4 --json $R/aspirin_noise4.json \
    --plot $R/aspirin_noise4.png > $R/aspirin_noise4.txt
python $R/summary.py $ETH $ASP > $R/full_run.txt
python benchmarks/tradeoff.py $R/tradeoff.png --panel "Ethanol (ANI-1x, 500 K)" $R/ethanol_noise4.json $ETH \
    --panel "Aspirin (ANI-1x, 500 K, MC-MD reference)" $R/aspirin_noise4.json $ASP --group-by file \
    --json $R/tradeoff.json > $R/tradeoff.md
# (runs/h30/ethanol_shipped29.pt: the ethanol model as shipped before this session, `git show
#  6a78a9e:asteroid_openmm/pretrained/ethanol.pt`; the shipped one now carries ethanol_lib7.pt's library)
python $R/ethanol_dihedrals.py --library runs/h30/ethanol_shipped29.pt --library runs/h30/ethanol_lib12k.pt \
    --library runs/h30/ethanol_lib7.pt \
    runs/h30/eth_preset_s19*.npz runs/h30/eth_lib12k_s19*.npz runs/h30/eth_lib7_s19*.npz runs/h30/eth_default_s19*.npz \
    > $R/ethanol_dihedrals.txt
cp runs/h30/eth_*_s19*.json runs/h22/shipped_chained_s223*.json runs/h22/shipped_default_s223*.json \
    runs/h22/shipped_chr4_s223*.json $R/
