#!/bin/bash
# Seventeenth session's third device call (carry .whl and .gpu): the best setting again on CUDA, after the
# context carry of the landing moves.
source .gpu/device_setup.sh >/dev/null 2>&1
B="--platform CUDA --device cuda --steps 20000 --rollouts 8 --relax-steps 20 --anchor-steps 40 --torsion-mc-steps 8"
run asp_best_carry 110 aspirin --model aspirin $B 2>&1 | tee $OUT/log_carry.txt
run eth_best_carry 80 ethanol --model ethanol $B 2>&1 | tee -a $OUT/log_carry.txt
