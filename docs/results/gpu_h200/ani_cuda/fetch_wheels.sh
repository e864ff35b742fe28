#!/bin/bash
# Run here (x86-64, with a package index): the cp312 wheels the device's Python 3.12 + torch 2.11 image lacks.
# Then build the two shims and call the device with carry [".whl", ".gpu"] (see run1.sh / run2.sh).
set -e
mkdir -p .whl .gpu
P="--python-version 3.12 --implementation cp --only-binary=:all: --platform manylinux_2_34_x86_64 --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64"
python3 -m pip download --no-deps $P -d .whl openmm==8.6.1 openmmtorch==1.5 OpenMM-CUDA-13==8.6.1 OpenMM-Torch-CUDA-13==1.5 \
    torchani==2.2.4 mdtraj==1.11.1.post2 lark-parser==0.12.0 importlib-metadata==10.2.0 lazy-importer==0.1.0
D=docs/results/gpu_h200/ani_cuda
g++ -O2 -shared -fPIC -Wl,-z,lazy -o .gpu/libc10shim.so $D/c10_shim.cpp
gcc -shared -fPIC -Wl,-soname,libnvrtc.so.12 -o .gpu/libnvrtc.so.12 $D/nvrtc12_stub.c
cp $D/ani_cuda.py $D/ani_cuda2.py $D/device_setup.sh .gpu/
