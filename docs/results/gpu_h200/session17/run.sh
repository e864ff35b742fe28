#!/bin/bash
# Seventeenth session's device call, carrying .whl and .gpu (made here by docs/results/gpu_h200/ani_cuda/fetch_wheels.sh):
# the CUDA tests, then the hybrid on OpenMM's CUDA platform with the model on CUDA, for the code paths added since the
# thirteenth session (rotamer-matched fast-mode donors, thermal rotors, landing Metropolis moves of rotors and rotamer
# torsions, each an energy evaluation on the GPU): ethanol and aspirin at the new defaults (3 ps) and at the
# best-fidelity setting measured on the CPU (10 ps).
source .gpu/device_setup.sh
timeout 150 $PRE python3 -m pytest -q -p no:cacheprovider tests/test_model.py tests/test_training.py -k cuda 2>&1 | tail -3
echo "== tests done $(( $(date +%s) - T0 )) s"
CUDA="--platform CUDA --device cuda"
BEST="--steps 20000 --rollouts 8 --relax-steps 20 --anchor-steps 40 --torsion-mc-steps 8"
run eth_best 80 ethanol --model ethanol $CUDA $BEST
run asp_best 80 aspirin --model aspirin $CUDA $BEST
run eth_defaults 90 ethanol --model ethanol $CUDA --steps 6000
run asp_defaults 90 aspirin --model aspirin $CUDA --steps 6000
echo "== all done $(( $(date +%s) - T0 )) s"
