#!/bin/bash
# Thirty-first session: alanine dipeptide (amber14, vacuum, HBonds, 300 K) with the "library" preset. A donor
# library for the shipped alanine model: 2 x 1 ns of plain MD after 10 ps of equilibration, seeds 3101/3102
# (independent of the benchmark's), sampled every 7 steps (14 fs, off the ~20 fs C=O stretch), 12,000 of the
# frames kept. Then 200 ps runs against a 1 ns reference, as in the twentieth session (same seeds).
set -euo pipefail
cd "$(dirname "$0")/../../.."
source .venv/bin/activate
mkdir -p runs/h31
for seed in 3101 3102; do
    OPENMM_CPU_THREADS=1 asteroid-openmm simulate alanine-dipeptide --steps 500000 --report-interval 7 \
        --equilibration-steps 5000 --out "runs/h31/ala_lib_$seed.dcd" --seed "$seed" --platform CPU --no-progress &
done
wait
asteroid-openmm donors alanine-dipeptide runs/h31/ala_lib_3101.dcd runs/h31/ala_lib_3102.dcd --temperature 300 \
    --frames 12000 --out runs/h31/ala_lib.pt
for seed in 2000 2300 2600; do
    OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py --system alanine-dipeptide --reference-ps 1000 --time-ps 200 \
        --seed "$seed" --plain-workers 2 --model runs/h31/ala_lib.pt --sweep preset=library anchor_steps=480 \
        --json "runs/h31/ala_s$seed.json" --plot none --save-samples "runs/h31/ala_s$seed.npz" \
        > "runs/h31/ala_s$seed.log" 2>&1
done
python docs/results/hybrid_v30/summary.py runs/h31/ala_s*.json > docs/results/hybrid_v31/alanine_full_run.txt
cp runs/h31/ala_s*.json docs/results/hybrid_v31/
# The same library preset after WELL_DIP went from 0.5 to 0.8 (psi's two basins were one well at 0.5), library only
for seed in 2000 2300 2600; do
    OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py --system alanine-dipeptide --reference-ps 1000 --time-ps 200 \
        --seed "$seed" --plain-workers 1 --model runs/h31/ala_lib.pt --sweep preset=library \
        --json "runs/h31/ala80_s$seed.json" --plot none --save-samples "runs/h31/ala80_s$seed.npz" \
        > "runs/h31/ala80_s$seed.log" 2>&1
done
python docs/results/hybrid_v30/summary.py runs/h31/ala80_s*.json > docs/results/hybrid_v31/alanine80_full_run.txt
python benchmarks/fidelity_noise.py runs/h31/ala80_s*.json --segments 2 --json docs/results/hybrid_v31/alanine_noise2.json \
    > docs/results/hybrid_v31/alanine_noise2.txt
cp runs/h31/ala80_s*.json docs/results/hybrid_v31/
