#!/bin/bash
# Twenty-fifth session: the commands behind docs/benchmarks.md's section of that session (aspirin, 100 ps each,
# against the twenty-second session's MC-MD reference; ~2.5 minutes per pair of runs on two cores).
set -euo pipefail
cd "$(dirname "$0")/../../.."
R=docs/results/hybrid_v25
L1="link_mc_steps=1,link_mc_sd=28,fast_mode_library=1"
OLD=runs/h25/aspirin_before.pt   # the model shipped before this session (git show cb00e85:asteroid_openmm/pretrained/aspirin.pt)
NEW=runs/h25/asp_new.pt          # retrain_aspirin.sh; shipped from this session on
# One link move under the library's torsion free energy, on real frames (link_strain.txt)
OPENMM_CPU_THREADS=1 taskset -c 1 python $R/link_strain.py 300 > $R/link_strain.txt
# The previous model
MODEL=$OLD bash $R/run2.sh pmf1 "$L1,link_mc_library=1" 2230 2231
MODEL=$OLD bash $R/run2.sh pmf1 "$L1,link_mc_library=1" 2232 2233
MODEL=$OLD bash $R/run2.sh pmf4 "link_mc_steps=4,link_mc_sd=28,fast_mode_library=1,link_mc_library=1" 2230 2231
MODEL=$OLD bash $R/run2.sh pmf1f1 "$L1,link_mc_library=1,link_mc_flips=0.1" 2230 2231  # with link_flips.diff applied
# Fine-tuned from the previous model on the new data (not kept): train --init-from ... --lr 5e-4, same budget
MODEL=runs/h25/asp_ft.pt bash $R/run2.sh ft_l1 "$L1" 2230 2231
# The new model
for pair in "2230 2231" "2232 2233"; do
    MODEL=$NEW bash $R/run2.sh new_l1 "$L1" $pair
    MODEL=$NEW bash $R/run2.sh new_pmf1 "$L1,link_mc_library=1" $pair
    MODEL=$NEW bash $R/run2.sh new_pmf1rw30 "$L1,link_mc_library=1,rotamer_window=30" $pair
done
MODEL=$NEW bash $R/run2.sh new_pmf1f1 "$L1,link_mc_library=1,link_mc_flips=0.1" 2230 2231  # with link_flips.diff applied
MODEL=$NEW bash $R/run2.sh new_l1rw30 "$L1,rotamer_window=30" 2230 2231
MODEL=$NEW bash $R/run2.sh new_l1rw30 "$L1,rotamer_window=30" 2232 2233
MODEL=$NEW bash $R/run2.sh new_pmf1rw30 "$L1,link_mc_library=1,rotamer_window=30" 2234 2235
MODEL=$NEW bash $R/run2.sh new_pmf2rw30 "link_mc_steps=2,link_mc_sd=28,fast_mode_library=1,link_mc_library=1,rotamer_window=30" 2230 2231
MODEL=$NEW bash $R/run2.sh new_pmf1rw30t4 "$L1,link_mc_library=1,rotamer_window=30,torsion_mc_steps=4" 2230 2231
MODEL=$NEW bash $R/run2.sh new_pmf1f1rw30 "$L1,link_mc_library=1,rotamer_window=30,link_mc_flips=0.1" 2230 2231  # with link_flips.diff applied
# The integrator's defaults with the landing moves (the twenty-second session's best unchained setting), new model
CORE=0 MODEL=$NEW bash docs/results/hybrid_v22/mc_runs.sh def_s2220 2220 "torsion_mc_steps=8,planar_ring_modes=1" &
CORE=1 MODEL=$NEW bash docs/results/hybrid_v22/mc_runs.sh def_s2222 2222 "torsion_mc_steps=8,planar_ring_modes=1" &
wait
# Ethanol with the narrower rotamer match (shipped ethanol model), against the nineteenth session's plain runs
R8S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
for pair in "0 2" "4 6"; do
    set -- $pair
    for k in 0 1; do
        i=$([ $k = 0 ] && echo $1 || echo $2)
        OUT=runs/h25 CORE=$k bash docs/results/hybrid_v21/model_runs.sh ethanol "eth_flibrw30_s$((1910 + i))" \
            $((1900 + i)) shipped "$R8S,max_spread=0.08,fast_mode_library=1,rotamer_window=30" &
    done
    wait
done
python benchmarks/fidelity_noise.py runs/h19/eth_base.json runs/h24/eth_flib_s191[0246].json \
    runs/h25/eth_flibrw30_s191[0246].json --segments 4 --plot $R/ethanol_noise4.png --json $R/ethanol_noise4.json \
    > $R/ethanol_noise4.txt
# Plain MD speed now, and speed-ups against each run's own real MD steps
for c in 0 1; do OPENMM_CPU_THREADS=1 taskset -c $c python $R/plain_speed.py 4000 & done; wait
python $R/speedups.py runs/h22/{pmf1,pmf4,pmf1f1,ft_l1,new_l1,new_pmf1,new_pmf1f1,new_pmf1rw30,new_l1rw30,new_pmf1f1rw30,new_pmf2rw30,new_pmf1rw30t4,def}_s22*.json \
    docs/results/hybrid_v24/fastl1_s223*.json docs/results/hybrid_v24/fastl1t4_s223*.json \
    docs/results/hybrid_v24/eth_flib*.json > $R/speedups.txt
# The library's own divergence from the reference
python $R/library_divergence.py $NEW runs/h22/new_l1rw30_s2230.npz runs/h22/new_pmf1rw30_s2230.npz > $R/library_divergence.txt
# Pass rates and energies by state
python benchmarks/fidelity_noise.py runs/h22/asp_mc.json runs/h22/{pmf1,pmf4,pmf1f1,ft_l1,new_l1,new_pmf1,new_pmf1f1,new_pmf1rw30,new_l1rw30,def}_s22*.json \
    --segments 4 --plot $R/aspirin_noise4.png --json $R/aspirin_noise4.json > $R/aspirin_noise4.txt
python $R/energy_by_state.py runs/h22/{fastl1,pmf1,new_l1,new_pmf1,new_pmf1f1,new_pmf1rw30,new_l1rw30}_s2230.npz > $R/energy_by_state.txt
