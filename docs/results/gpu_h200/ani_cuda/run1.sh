#!/bin/bash
# First device call (as run, with the setup now in device_setup.sh; the call itself installed without --upgrade):
# ANI-1x through openmm-torch on OpenMM's CUDA platform, then hybrid runs.
source .gpu/device_setup.sh
timeout 120 $PRE python3 .gpu/ani_cuda.py ethanol aspirin 2>&1 | grep -v -i "warning: importing\|OpenCL"
echo "== ani_cuda done $(( $(date +%s) - T0 )) s"
run eth_cuda_r1 75 ethanol --model ethanol --steps 10000 --platform CUDA --device cuda
run eth_cuda_r1_modelcpu 75 ethanol --model ethanol --steps 10000 --platform CUDA --device cpu
run eth_cuda_r8 75 ethanol --model ethanol --steps 20000 --platform CUDA --device cuda --rollouts 8 --relax-steps 20 --anchor-steps 40
run asp_cuda_r1 75 aspirin --model aspirin --steps 10000 --platform CUDA --device cuda
run asp_cuda_r8 75 aspirin --model aspirin --steps 20000 --platform CUDA --device cuda --rollouts 8 --relax-steps 20 --anchor-steps 40
echo "== all done $(( $(date +%s) - T0 )) s"
