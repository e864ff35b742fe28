#!/bin/bash
# Thirteenth session's device call, carrying .whl and .gpu (made here by docs/results/gpu_h200/ani_cuda/fetch_wheels.sh):
# the CUDA tests (mirror averaging included), the speed-up baseline against a long plain mean on CUDA, and 10 ps
# hybrid runs at rollouts=8/relax 20/anchor 40 on CUDA with and without mirror averaging.
cp docs/results/gpu_h200/session13/baseline_check.py .gpu/
source .gpu/device_setup.sh
timeout 150 $PRE python3 -m pytest -q -p no:cacheprovider tests/test_model.py tests/test_training.py -k cuda 2>&1 | tail -4
echo "== tests done $(( $(date +%s) - T0 )) s"
timeout 100 $PRE python3 .gpu/baseline_check.py CUDA ethanol aspirin 2>&1 | grep -v -i "warning: importing\|OpenCL" | tee $OUT/baseline_check.txt
echo "== baseline done $(( $(date +%s) - T0 )) s"
R8S="--steps 20000 --platform CUDA --device cuda --rollouts 8 --relax-steps 20 --anchor-steps 40"
run eth_r8s 75 ethanol --model ethanol $R8S
run eth_r8s_mirror 75 ethanol --model ethanol $R8S --mirror-averaging 1
run asp_r8s 75 aspirin --model aspirin $R8S
run asp_r8s_mirror 75 aspirin --model aspirin $R8S --mirror-averaging 1
echo "== all done $(( $(date +%s) - T0 )) s"
