#!/bin/bash
# Twenty-sixth session: a bigger donor library for aspirin (10,000 frames of 100 ps of MC-MD instead of 4096 of
# 50 ps), against the twenty-second session's MC-MD reference, re-made with its own command and seeds after the
# work tree's runs/ was lost (the reference was sampled anew, so its noise floor is compared below with the old JSON).
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
R=docs/results/hybrid_v26
L1="link_mc_steps=1,link_mc_sd=28,fast_mode_library=1"
OLD=runs/h25/aspirin_lib50.pt   # the shipped model before this session (4096-frame library)
NEW=runs/h25/asp_lib100.pt      # the same model with the bigger library
cp asteroid_openmm/pretrained/aspirin.pt $OLD
# The reference (150 ps of MC-MD, seed 2200) and the plain runs A and B (100 ps), as in hybrid_v22/mc_reference.sh,
# with one chained hybrid of the old library (seed 2210)
S="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=30,torsion_mc_steps=8,planar_ring_modes=1,$L1,link_mc_library=1"
OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py --system aspirin --reference-ps 150 --time-ps 100 \
    --reference-torsion-mc 8 --plain-workers 2 --seed 2200 --model $OLD --sweep "$S" \
    --json runs/h22/asp_mc.json --save-samples runs/h22/asp_mc.npz --plot runs/h22/asp_mc.png > runs/h22/asp_mc.log 2>&1
# The bigger library (2 x 50 ps of MC-MD, seeds 2403 and 2404)
OUT=$NEW bash docs/results/hybrid_v25/make_library.sh
python docs/results/hybrid_v25/library_divergence.py $OLD > $R/library_divergence_old.txt
python docs/results/hybrid_v25/library_divergence.py $NEW > $R/library_divergence_new.txt
# The twenty-fifth session's two best chained settings with the bigger library (not shipped: see docs/benchmarks.md)
MODEL=$NEW bash docs/results/hybrid_v25/run2.sh lib100_pmf1rw30 "$L1,link_mc_library=1,rotamer_window=30" 2210 2230
MODEL=$NEW bash docs/results/hybrid_v25/run2.sh lib100_l1rw30 "$L1,rotamer_window=30" 2230 2231
# The new chains at the shipped library's size
asteroid-openmm donors $OLD runs/h25/lib_2403_md17.npz runs/h25/lib_2404_md17.npz --temperature 500 \
    --frame-interval 0.01 --frames 4096 --out runs/h25/asp_lib100_4096.pt
MODEL=runs/h25/asp_lib100_4096.pt bash docs/results/hybrid_v25/run2.sh lib100k4_l1rw30 "$L1,rotamer_window=30" 2230 2231
python docs/results/hybrid_v25/speedups.py runs/h22/asp_mc.json runs/h22/lib100_*.json runs/h22/lib100k4_*.json > $R/speedups.txt
python benchmarks/fidelity_noise.py runs/h22/asp_mc.json runs/h22/lib100_*.json runs/h22/lib100k4_*.json --segments 4 \
    --json $R/aspirin_noise4.json --plot $R/aspirin_noise4.png > $R/aspirin_noise4.txt
# The union of the shipped library's 4096 frames (extracted to runs/h25/lib_shipped_md17.npz, in A) and the new chains
asteroid-openmm donors $OLD runs/h25/lib_shipped_md17.npz runs/h25/lib_2403_md17.npz runs/h25/lib_2404_md17.npz \
    --temperature 500 --frame-interval 0.01 --frames 14096 --out runs/h25/asp_libunion.pt
python docs/results/hybrid_v25/library_divergence.py runs/h25/asp_libunion.pt > $R/library_divergence_union.txt
MODEL=runs/h25/asp_libunion.pt bash docs/results/hybrid_v25/run2.sh libunion_l1rw30 "$L1,rotamer_window=30" 2230 2231
