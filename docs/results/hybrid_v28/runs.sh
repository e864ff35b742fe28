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
# In the run: the pushforward model
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l1rw30dh "$L1,rotamer_window=30,donor_hydrogen_torsions=1" 2230 2231
# Two more seeds, with and without
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l1rw30dh "$L1,rotamer_window=30,donor_hydrogen_torsions=1" 2232 2233
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l1rw30 "$L1,rotamer_window=30" 2232 2233
# The ester torsion drifts with chain depth (ester_drift.py): two link proposals per torsion
MODEL=runs/h27/asp_lib100data8pf.pt bash $RUN2 lib100data8pf_l2rw30dh \
    "link_mc_steps=2,link_mc_sd=28,fast_mode_library=1,rotamer_window=30,donor_hydrogen_torsions=1" 2230 2231
