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
MODEL=$OLD bash $R/run2.sh pmf1f1 "$L1,link_mc_library=1,link_mc_flips=0.1" 2230 2231
# Fine-tuned from the previous model on the new data (not kept): train --init-from ... --lr 5e-4, same budget
MODEL=runs/h25/asp_ft.pt bash $R/run2.sh ft_l1 "$L1" 2230 2231
# The new model
for pair in "2230 2231" "2232 2233"; do
    MODEL=$NEW bash $R/run2.sh new_l1 "$L1" $pair
    MODEL=$NEW bash $R/run2.sh new_pmf1 "$L1,link_mc_library=1" $pair
    MODEL=$NEW bash $R/run2.sh new_pmf1rw30 "$L1,link_mc_library=1,rotamer_window=30" $pair
done
MODEL=$NEW bash $R/run2.sh new_pmf1f1 "$L1,link_mc_library=1,link_mc_flips=0.1" 2230 2231
MODEL=$NEW bash $R/run2.sh new_l1rw30 "$L1,rotamer_window=30" 2230 2231
# The integrator's defaults with the landing moves (the twenty-second session's best unchained setting), new model
CORE=0 MODEL=$NEW bash docs/results/hybrid_v22/mc_runs.sh def_s2220 2220 "torsion_mc_steps=8,planar_ring_modes=1" &
CORE=1 MODEL=$NEW bash docs/results/hybrid_v22/mc_runs.sh def_s2222 2222 "torsion_mc_steps=8,planar_ring_modes=1" &
wait
# Pass rates and energies by state
python benchmarks/fidelity_noise.py runs/h22/asp_mc.json runs/h22/{pmf1,pmf4,pmf1f1,ft_l1,new_l1,new_pmf1,new_pmf1f1,new_pmf1rw30,new_l1rw30,def}_s22*.json \
    --segments 4 --plot $R/aspirin_noise4.png --json $R/aspirin_noise4.json > $R/aspirin_noise4.txt
python $R/energy_by_state.py runs/h22/{fastl1,pmf1,new_l1,new_pmf1,new_pmf1f1,new_pmf1rw30,new_l1rw30}_s2230.npz > $R/energy_by_state.txt
