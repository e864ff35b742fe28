#!/bin/bash
# Twenty-eighth session: donor_hydrogen_torsions (lone-hydrogen rotamer torsions of forecast frames from their
# fast-mode donor) on aspirin, against the twenty-second session's MC-MD reference (runs/h22/asp_mc.json;
# hybrid_v26/runs.sh re-makes it), with the twenty-seventh session's models (hybrid_v27/retrain_aspirin.sh).
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
R=docs/results/hybrid_v28
L1="link_mc_steps=1,link_mc_sd=28,fast_mode_library=1"
RUN2=docs/results/hybrid_v25/run2.sh
# Offline: the played-back frames of the twenty-seventh session's pushforward runs, hydroxyl torsion from a donor
for s in 2230 2231; do
  python $R/torsion_donor_offline.py runs/h27/asp_lib100data8pf.pt runs/h22/lib100data8pf_l1rw30_s$s.npz
done > $R/torsion_donor_offline.txt 2>&1
for s in 2230 2231; do  # every rotamer torsion from the donor
  python $R/torsion_donor_offline.py runs/h27/asp_lib100data8pf.pt runs/h22/lib100data8pf_l1rw30_s$s.npz 30 0,1,2,3
done > $R/torsion_donor_offline_all.txt 2>&1
# In the run: the pushforward model
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l1rw30dh "$L1,rotamer_window=30,donor_hydrogen_torsions=1" 2230 2231
# Two more seeds, with and without
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l1rw30dh "$L1,rotamer_window=30,donor_hydrogen_torsions=1" 2232 2233
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l1rw30 "$L1,rotamer_window=30" 2232 2233
# The ester torsion drifts with chain depth (ester_drift.py): two link proposals per torsion
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l2rw30dh \
    "link_mc_steps=2,link_mc_sd=28,fast_mode_library=1,rotamer_window=30,donor_hydrogen_torsions=1" 2230 2231
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l2rw30dh \
    "link_mc_steps=2,link_mc_sd=28,fast_mode_library=1,rotamer_window=30,donor_hydrogen_torsions=1" 2232 2233
# The fine-tuned model (finetune.sh: pushforward 0.5, 4 levels, 3 epochs from the pushforward model)
MODEL=runs/h28/asp_pf4.pt bash $RUN2 pf4_l1rw30dh "$L1,rotamer_window=30,donor_hydrogen_torsions=1" 2230 2231
# Which bonds trip the guard in raw chained forecasts (pf4: the methyl's C-H, rebuilt anyway): chained_bonds.py
python $R/chained_bonds.py runs/h27/asp_lib100data8pf.pt runs/h27/asp_lib100data8.pt runs/h28/asp_pf4.pt \
    runs/h27/asp_lib100data.pt > $R/chained_bonds.txt 2>&1
MODEL=runs/h28/asp_pf4.pt bash $RUN2 pf4_l1rw30dhrb0 "$L1,rotamer_window=30,donor_hydrogen_torsions=1,rotor_bond_check=0" 2230 2231
MODEL=runs/h27/asp_lib100data8.pt bash $RUN2 lib100data8_l1rw30dhrb0 "$L1,rotamer_window=30,donor_hydrogen_torsions=1,rotor_bond_check=0" 2230 2231
# Offline: the smoothed bootstrap's cost in played-back energy with the 10,000-frame library
python $R/bandwidth_offline.py runs/h27/asp_lib100data8pf.pt runs/h22/lib100data8pf_l1rw30_s2230.npz \
    > $R/bandwidth_offline.txt 2>&1
# Analysis
RUNS=""
for name in lib100data8pf_l1rw30 lib100data8pf_l1rw30dh lib100data8pf_l2rw30dh; do
    for s in 2230 2231 2232 2233; do RUNS="$RUNS runs/h22/${name}_s$s"; done
done
RUNS="$RUNS runs/h22/pf4_l1rw30dh_s2230 runs/h22/pf4_l1rw30dh_s2231 runs/h22/pf4_l1rw30dhrb0_s2230
  runs/h22/pf4_l1rw30dhrb0_s2231 runs/h22/lib100data8_l1rw30dhrb0_s2230 runs/h22/lib100data8_l1rw30dhrb0_s2231"
python docs/results/hybrid_v27/full_run.py $(for r in $RUNS; do echo $r.json; done) > $R/full_run.txt
python docs/results/hybrid_v25/speedups.py runs/h22/asp_mc.json $(for r in $RUNS; do echo $r.json; done) > $R/speedups.txt
python benchmarks/fidelity_noise.py runs/h22/asp_mc.json $(for r in $RUNS; do echo $r.json; done) --segments 4 \
    --json $R/aspirin_noise4.json --plot $R/aspirin_noise4.png > $R/aspirin_noise4.txt
python $R/ester_drift.py $(for r in $RUNS; do echo $r.npz; done) > $R/ester_drift.txt
for r in $RUNS; do [ -f docs/results/hybrid_v27/$(basename $r).json ] || cp $r.json $R/; done  # new ones only
