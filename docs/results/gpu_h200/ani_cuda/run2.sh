#!/bin/bash
# Second device call (as run, with the setup now in device_setup.sh): energies and forces against torch,
# step cost with and without CUDA graphs, short default hybrid runs with the model on CUDA and on the CPU.
source .gpu/device_setup.sh
timeout 150 $PRE python3 .gpu/ani_cuda2.py ethanol aspirin 2>&1 | grep -v -i "warning: importing\|OpenCL"
echo "== ani_cuda done $(( $(date +%s) - T0 )) s"
run eth_cuda_r1 50 ethanol --model ethanol --steps 3000 --platform CUDA --device cuda
run eth_cuda_r1_modelcpu 50 ethanol --model ethanol --steps 3000 --platform CUDA --device cpu
echo "== all done $(( $(date +%s) - T0 )) s"
