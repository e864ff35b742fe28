#!/bin/bash
# Twenty-ninth session: donor_rotor_phases (methyl libration phases from the fast-mode donor) and
# library_torsion_moves (landing and link torsion moves proposing from the donor library) on aspirin, against the
# twenty-second session's MC-MD reference (runs/h22/asp_mc.json; hybrid_v26/runs.sh re-makes it), with the
# twenty-seventh session's pushforward model and its 10,000-frame library (hybrid_v27/retrain_aspirin.sh).
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
R=docs/results/hybrid_v29
export MODEL=runs/h27/asp_lib100data8pf.pt
RUN2=docs/results/hybrid_v25/run2.sh
# The twenty-eighth session's setting (L1 + r8sp + rotamer_window=30 + donor_hydrogen_torsions; its runs are
# lib100data8pf_l1rw30dh_s2230-2233, hybrid_v28/runs.sh)
BEST="link_mc_steps=1,link_mc_sd=28,fast_mode_library=1,rotamer_window=30,donor_hydrogen_torsions=1"
# Link moves under the library free energy, four proposals (energy breaks)
bash $RUN2 lib100data8pf_lib4rw30dh \
    "link_mc_steps=4,link_mc_sd=28,link_mc_library=1,fast_mode_library=1,rotamer_window=30,donor_hydrogen_torsions=1" \
    2230 2231
# Library proposals from anywhere on the circle (the first version, before library_torsion_window: re-run it with
# library_torsion_window=180) and within 60 degrees (the default)
bash $RUN2 lib100data8pf_l1rw30dhltm "$BEST,library_torsion_moves=1,library_torsion_window=180" 2230 2231
bash $RUN2 lib100data8pf_l1rw30dhltw60 "$BEST,library_torsion_moves=1" 2230 2231
# Methyl phases from the donor
bash $RUN2 lib100data8pf_l1rw30dhdrp "$BEST,donor_rotor_phases=1" 2230 2231
bash $RUN2 lib100data8pf_l1rw30dhdrp "$BEST,donor_rotor_phases=1" 2232 2233
# The same with the shipped aspirin model (twenty-fifth session; its own 4096-frame library), one core, for comparison
unset MODEL
S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
S="$S,planar_ring_modes=1,$BEST,donor_rotor_phases=1"
for s in 2230 2231; do CORE=0 bash docs/results/hybrid_v22/mc_runs.sh shipped_l1rw30dhdrp_s$s $s "$S"; done
