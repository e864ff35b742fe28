#!/bin/bash
# Thirty-first session: played-back frames that are real donor-library frames (donor_geometry, rotamer_wells,
# donor_neighbours; the "library" preset), and the aspirin model shipped with them. Aspirin runs are against the
# twenty-second session's MC-MD reference (runs/h22/asp_mc.json), ethanol's against the twenty-ninth session's plain
# runs (runs/h19/eth_base.json); one run per core.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
R=docs/results/hybrid_v31
# The model measured (and shipped from this session on as asteroid_openmm/pretrained/aspirin.pt): the twenty-seventh
# session's pushforward model with its 10,000-frame MC-MD library (hybrid_v27/retrain_aspirin.sh).
M=runs/h27/asp_lib100data8pf.pt
aspirin() {  # NAME SEED SETTING CORE
    MODEL=$M CORE=$4 bash docs/results/hybrid_v22/mc_runs.sh "$1" "$2" "$3"
}
pair() {  # NAME_PREFIX SETTING [SEED0 SEED1]: two aspirin seeds, one per core
    aspirin "$1_s${3:-2230}" "${3:-2230}" "$2" 0 & aspirin "$1_s${4:-2231}" "${4:-2231}" "$2" 1 & wait
}
# 1. Offline, on the twenty-ninth session's best runs (dh + donor_rotor_phases): donors matched on all heavy-atom
#    dihedrals; the donor's whole geometry turned to the forecast's heavy torsions ("transplant") or as it is.
python $R/donor_match_offline.py $M runs/h22/lib100data8pf_l1rw30dhdrp_s2230.npz 64 16 4 > $R/donor_match_offline.txt
python $R/donor_match_offline.py $M runs/h22/lib100data8pf_l1rw30dhdrp_s2230.npz 64 16 4 --nonring \
    > $R/donor_match_offline_nonring.txt
python $R/transplant_offline.py $M runs/h22/lib100data8pf_l1rw30dhdrp_s2230.npz 64 16 4 > $R/transplant_offline.txt
python $R/transplant_offline.py $M runs/h22/lib100data8pf_l1rw30dhdrp_s2231.npz 16 4 > $R/transplant_offline_s2231.txt
# the aspirin model shipped until this session (git show 72678a6:asteroid_openmm/pretrained/aspirin.pt), its own run
git show 72678a6:asteroid_openmm/pretrained/aspirin.pt > runs/h31/aspirin_shipped30.pt
python $R/transplant_offline.py runs/h31/aspirin_shipped30.pt runs/h22/shipped_chained_s2230.npz 16 4 \
    > $R/transplant_offline_shipped30.txt
# 2. In the run (the first run of each pair on seeds 2230/2231):
pair pf_chng16 preset=chained,donor_neighbours=16,donor_geometry=2  # run as donor_geometry=1 before 1 meant "as is"
pair pf_chg1w60 preset=chained,donor_geometry=1,rotamer_window=60
pair pf_chg1w90 preset=chained,donor_geometry=1,rotamer_window=90
pair pf_chg1w90l0 preset=chained,donor_geometry=1,rotamer_window=90,link_mc_steps=0
pair pf_chg1w90l0 preset=chained,donor_geometry=1,rotamer_window=90,link_mc_steps=0 2232 2233
python $R/transplant_offline.py $M runs/h22/pf_chng16_s2230.npz 256 1000 --as-is > $R/transplant_offline_as_is.txt
# The rotamer's wells instead of a window (the "library" preset: donor_geometry=1, rotamer_wells=1, no link moves)
pair pf_chg1wl0 preset=chained,donor_geometry=1,rotamer_wells=1,link_mc_steps=0
pair pf_chg1wl0 preset=chained,donor_geometry=1,rotamer_wells=1,link_mc_steps=0 2232 2233
# 3. Ablation: the same preset with the model's linear prior (network off), the same library attached
mkdir -p runs/h31
python - <<'PY'
from asteroid_openmm import load_model
from asteroid_openmm.model.checkpoint import save_model
m = load_model("runs/h27/asp_lib100data8pf.pt", device="cpu")
save_model(m.linear_prior_model(m.extra["linear_prior"]), "runs/h31/asp_linear_prior.pt",
           provenance={"ablation": "linear prior (network off) of runs/h27/asp_lib100data8pf.pt"}, extra=m.extra)
PY
M=runs/h31/asp_linear_prior.pt pair lp_library preset=library
# 4. Ethanol with the library preset (its shipped model and library); the other presets with the aspirin model;
#    a control whose donors ignore the forecast's rotamer (a 180-degree window: any library frame), one seed
OUT=runs/h31 CORE=0 bash docs/results/hybrid_v21/model_runs.sh ethanol eth_library_s1914 1904 shipped preset=library &
OUT=runs/h31 CORE=1 bash docs/results/hybrid_v21/model_runs.sh ethanol eth_library_s1916 1906 shipped preset=library &
wait
pair pf_chained preset=chained
pair pf_default preset=default
aspirin pf_purelib_s2230 2230 preset=chained,donor_geometry=1,rotamer_window=180,link_mc_steps=0 0
# 4. Analysis
A="runs/h22/pf_*_s223?.json runs/h22/lp_library_s223?.json"
python benchmarks/fidelity_noise.py runs/h22/asp_mc.json $A --segments 4 --json $R/aspirin_noise4.json \
    --plot $R/aspirin_noise4.png > $R/aspirin_noise4.txt
python benchmarks/fidelity_noise.py runs/h19/eth_base.json runs/h31/eth_library_s19*.json --segments 4 \
    --json $R/ethanol_noise4.json --plot $R/ethanol_noise4.png > $R/ethanol_noise4.txt
python docs/results/hybrid_v30/summary.py $A runs/h31/eth_library_s19*.json > $R/full_run.txt
python $R/state_dynamics.py runs/h22/lib100data8pf_l1rw30dhdrp_s2230.npz runs/h22/pf_chg1w90l0_s2230.npz \
    runs/h22/pf_chg1wl0_s223?.npz runs/h22/lp_library_s223?.npz runs/h22/pf_purelib_s2230.npz > $R/state_dynamics.txt
python $R/rotamer_rates.py runs/h22/pf_chg1wl0_s223?.npz runs/h22/pf_chg1w90l0_s2230.npz \
    runs/h22/pf_purelib_s2230.npz runs/h22/lib100data8pf_l1rw30dhdrp_s2230.npz > $R/rotamer_rates.txt
python $R/played_torsions.py runs/h22/lib100data8pf_l1rw30dhdrp_s2230.npz runs/h22/pf_chg1w60_s2230.npz \
    runs/h22/pf_chg1w90l0_s2230.npz runs/h22/pf_chg1wl0_s223?.npz > $R/played_torsions.txt
python $R/carboxyl_share.py runs/h22/lib100data8pf_l1rw30dhdrp_s223?.npz runs/h22/pf_chg1w90l0_s223?.npz \
    runs/h22/pf_chg1wl0_s223?.npz runs/h22/lp_library_s223?.npz runs/h22/pf_chained_s223?.npz > $R/carboxyl_share.txt
python $R/ethanol_hydroxyl.py runs/h30/eth_preset_s1914.npz runs/h30/eth_preset_s1916.npz \
    runs/h31/eth_library_s19*.npz > $R/ethanol_hydroxyl.txt
cp runs/h22/pf_*_s223?.json runs/h22/lp_library_s223?.json runs/h31/eth_library_s19*.json $R/
# The trade-off plot (file names: eth_default / eth_lib7 = the default / chained presets with the shipped ethanol
# model, thirtieth session; eth_library = the library preset; pf_* as above; lp_library = the linear-prior ablation)
ETH="runs/h30/eth_default_s19*.json runs/h30/eth_lib7_s19*.json runs/h31/eth_library_s19*.json"
python benchmarks/fidelity_noise.py runs/h19/eth_base.json $ETH --segments 4 --json $R/ethanol_tradeoff_noise4.json
python benchmarks/tradeoff.py $R/tradeoff.png --panel "Ethanol (ANI-1x, 500 K)" \
    $R/ethanol_tradeoff_noise4.json $ETH --panel "Aspirin (ANI-1x, 500 K, MC-MD ref.)" \
    $R/aspirin_noise4.json $A --group-by file --json $R/tradeoff.json > $R/tradeoff.md
