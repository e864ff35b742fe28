#!/bin/bash
# Twenty-seventh session: the models of retrain_aspirin.sh (plain-MD training data started from the 10,000-frame
# donor library's frames; that library attached) in chained aspirin runs against the twenty-second session's MC-MD
# reference (runs/h22/asp_mc.json; hybrid_v26/runs.sh re-makes it), and the analysis files of this folder.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
R=docs/results/hybrid_v27
L1="link_mc_steps=1,link_mc_sd=28,fast_mode_library=1"
R8SP="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8,planar_ring_modes=1"
RUN2=docs/results/hybrid_v25/run2.sh
# The library's energies (shipped 4096-frame library; the 10,000-frame one)
python $R/library_energy.py runs/h25/aspirin_lib50.pt runs/h25/asp_lib100.pt > $R/library_energy.txt
# 5 epochs (the 20-minute budget on a shared CPU)
MODEL=runs/h27/asp_lib100data.pt bash $RUN2 lib100data_l1rw30 "$L1,rotamer_window=30" 2230 2231
MODEL=runs/h27/asp_lib100data.pt CORE=0 bash docs/results/hybrid_v22/mc_runs.sh lib100data_pmf1rw30_s2230 2230 \
    "$R8SP,$L1,link_mc_library=1,rotamer_window=30"
MODEL=runs/h27/asp_lib100data.pt CORE=0 bash docs/results/hybrid_v22/mc_runs.sh lib100data_l1rw30_s2232 2232 \
    "$R8SP,$L1,rotamer_window=30"
# 8 epochs, training seeds 0 and 1; pushforward
MODEL=runs/h27/asp_lib100data8.pt bash $RUN2 lib100data8_l1rw30 "$L1,rotamer_window=30" 2230 2231
MODEL=runs/h27/asp_lib100data8s1.pt bash $RUN2 lib100data8s1_l1rw30 "$L1,rotamer_window=30" 2230 2231
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l1rw30 "$L1,rotamer_window=30" 2230 2231
# Analysis
RUNS="runs/h22/lib100_l1rw30_s2230 runs/h22/lib100_l1rw30_s2231 runs/h22/lib100data_l1rw30_s2230 runs/h22/lib100data_l1rw30_s2231
  runs/h22/lib100data_l1rw30_s2232 runs/h22/lib100data_pmf1rw30_s2230 runs/h22/lib100data8_l1rw30_s2230
  runs/h22/lib100data8_l1rw30_s2231 runs/h22/lib100data8s1_l1rw30_s2230 runs/h22/lib100data8s1_l1rw30_s2231
  runs/h22/lib100data8pf_l1rw30_s2230 runs/h22/lib100data8pf_l1rw30_s2231"
python $R/full_run.py $(for r in $RUNS; do echo $r.json; done) > $R/full_run.txt
python docs/results/hybrid_v25/speedups.py runs/h22/asp_mc.json $(for r in $RUNS; do echo $r.json; done) > $R/speedups.txt
python benchmarks/fidelity_noise.py runs/h22/asp_mc.json $(for r in $RUNS; do echo $r.json; done) --segments 4 \
    --json $R/aspirin_noise4.json --plot $R/aspirin_noise4.png > $R/aspirin_noise4.txt
python docs/results/hybrid_v25/energy_by_state.py $(for r in $RUNS; do echo $r.npz; done) > $R/energy_by_state.txt
python $R/dihedral_blame.py $(for r in $RUNS; do echo $r.npz; done) > $R/dihedral_blame.txt
for r in $RUNS; do [ -f docs/results/hybrid_v26/$(basename $r).json ] || cp $r.json $R/; done  # new ones only
