#!/bin/bash
# Twenty-fourth session's aspirin runs (100 ps each, against the twenty-second session's MC-MD reference; one
# process per core). Results: the *.json files here (runs/h22/NAME.json and .npz when run).
set -euo pipefail
cd "$(dirname "$0")/../../.."
R8SP="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8,planar_ring_modes=1"
LINKS="link_mc_steps=2,link_mc_sd=20"
for seed in 2230 2231; do
    # Fast-mode donors matched within 25 degrees instead of 60 (the later rotamer_window wins).
    bash docs/results/hybrid_v22/mc_runs.sh "rw25_s$seed" "$seed" "$R8SP,$LINKS,rotamer_window=25"
    # A donor pool of 2048 frames instead of 256.
    bash docs/results/hybrid_v22/mc_runs.sh "p2048_s$seed" "$seed" "$R8SP,$LINKS,fast_mode_donor_frames=2048"
    # Donors from a fixed library: 4096 frames of the MC-MD plain run A.
    source .venv/bin/activate
    LIB=runs/h22/asp_mc.npz:plain_A__positions_nm OPENMM_CPU_THREADS=1 python docs/results/hybrid_v24/library_donors.py \
        --system aspirin --reference-ps 150 --time-ps 100 --reference-torsion-mc 8 --reuse-plain runs/h22/asp_mc.json \
        --seed "$seed" --sweep "$R8SP,$LINKS" --json "runs/h22/libA_s$seed.json" --plot none \
        --save-samples "runs/h22/libA_s$seed.npz"
    # link_hold (link_hold.diff, not kept): git apply docs/results/hybrid_v24/link_hold.diff first.
    # bash docs/results/hybrid_v22/mc_runs.sh "hold2_s$seed" "$seed" "$R8SP,$LINKS,link_hold=1"
done
# The shipped donor library (make_library.sh first, if the model has none).
for seed in 2230 2231 2232 2233; do
    bash docs/results/hybrid_v22/mc_runs.sh "flib_s$seed" "$seed" "$R8SP,$LINKS,fast_mode_library=1"
    bash docs/results/hybrid_v22/mc_runs.sh "flibl1_s$seed" "$seed" "$R8SP,link_mc_steps=1,link_mc_sd=28,fast_mode_library=1"
done
for seed in 2230 2231; do
    bash docs/results/hybrid_v22/mc_runs.sh "flibnl_s$seed" "$seed" "$R8SP,fast_mode_library=1"
    bash docs/results/hybrid_v22/mc_runs.sh "flibrw30_s$seed" "$seed" "$R8SP,$LINKS,fast_mode_library=1,rotamer_window=30"
done
# Donors among the k nearest in heavy-atom 1-4 distances (donor_neighbours.diff, not kept: git apply it first).
# for k in 32 512; do for seed in 2230 2231; do
#     bash docs/results/hybrid_v22/mc_runs.sh "flibl1nn${k}_s$seed" "$seed" \
#         "$R8SP,link_mc_steps=1,link_mc_sd=28,fast_mode_library=1,fast_mode_donor_neighbours=$k"
# done; done
# Pass rates
python benchmarks/fidelity_noise.py runs/h22/asp_mc.json runs/h22/hl2sd20_s223[0-3].json runs/h22/rw25_s223[01].json \
    runs/h22/p2048_s223[01].json runs/h22/libA_s223[01].json runs/h22/hold2_s223[01].json runs/h22/flib_s223[0-3].json \
    runs/h22/flibnl_s223[01].json runs/h22/flibrw30_s223[01].json runs/h22/flibl1_s223[0-3].json \
    runs/h22/flibl1nn32_s223[01].json runs/h22/flibl1nn512_s223[01].json runs/h22/flibl1rw30_s223[01].json \
    runs/h22/fastl1t4_s223[0-3].json --segments 4 \
    --plot docs/results/hybrid_v24/aspirin_noise4.png --json docs/results/hybrid_v24/aspirin_noise4.json \
    > docs/results/hybrid_v24/aspirin_noise4.txt
# The best setting and the one without link moves again after the rotamer matching was sped up (bit-identical runs)
for seed in 2230 2231 2232 2233; do
    bash docs/results/hybrid_v22/mc_runs.sh "fastl1_s$seed" "$seed" "$R8SP,link_mc_steps=1,link_mc_sd=28,fast_mode_library=1"
done
for seed in 2230 2231; do
    bash docs/results/hybrid_v22/mc_runs.sh "fastnl_s$seed" "$seed" "$R8SP,fast_mode_library=1"
    bash docs/results/hybrid_v22/mc_runs.sh "flibl1rw30_s$seed" "$seed" \
        "$R8SP,link_mc_steps=1,link_mc_sd=28,fast_mode_library=1,rotamer_window=30"
done
for seed in 2230 2231 2232 2233; do
    bash docs/results/hybrid_v22/mc_runs.sh "fastl1t4_s$seed" "$seed" \
        "$R8SP,link_mc_steps=1,link_mc_sd=28,fast_mode_library=1,torsion_mc_steps=4"
done
# Ethanol with the shipped library, at the twentieth session's setting and seeds, against the nineteenth
# session's plain runs
R8S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60,torsion_mc_steps=8"
for i in 0 2 4 6; do
    OUT=runs/h24 bash docs/results/hybrid_v21/model_runs.sh ethanol "eth_flib_s$((1910 + i))" $((1900 + i)) shipped \
        "$R8S,max_spread=0.08,fast_mode_library=1"
done
python benchmarks/fidelity_noise.py runs/h19/eth_base.json runs/h20/eth_ms08_s191[0246].json \
    runs/h24/eth_flib_s191[0246].json --segments 4 --plot docs/results/hybrid_v24/ethanol_noise4.png \
    --json docs/results/hybrid_v24/ethanol_noise4.json > docs/results/hybrid_v24/ethanol_noise4.txt
# Diagnostics
python docs/results/hybrid_v24/ester_angle.py runs/h22/hl2sd20_s223[0-3].npz runs/h22/nolink_s223[0-3].npz \
    runs/h22/hold2_s223[01].npz runs/h22/rw25_s223[01].npz runs/h22/p2048_s223[01].npz runs/h22/libA_s223[01].npz \
    runs/h22/flib_s223[0-3].npz > docs/results/hybrid_v24/ester_angle.txt
for seed in 5 6; do
    python docs/results/hybrid_v24/pool_stages.py "dict(link_mc_steps=2, random_seed=$seed)"
done > docs/results/hybrid_v24/pool_stages.txt
ORACLE=1 python docs/results/hybrid_v24/pool_stages.py "dict(link_mc_steps=2)" >> docs/results/hybrid_v24/pool_stages.txt
python docs/results/hybrid_v24/between_frames.py 4000 "dict(playback_interpolation=True)" \
    > docs/results/hybrid_v24/between_frames_linear.txt
python docs/results/hybrid_v24/between_frames.py 4000 > docs/results/hybrid_v24/between_frames_nearest.txt
