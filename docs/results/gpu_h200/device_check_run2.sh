#!/bin/bash
export PYTHONUNBUFFERED=1
T0=$(date +%s)
log(){ echo "=== [$(( $(date +%s) - T0 ))s] $*"; }
log env
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl || exit 1
mkdir -p /tmp/cu12 && cp .gpu/libcufft.so.11 /tmp/cu12/ && xz -dc .gpu/libnvrtc.so.12.xz > /tmp/cu12/libnvrtc.so.12 && xz -dc .gpu/libnvrtc-builtins.so.12.8.xz > /tmp/cu12/libnvrtc-builtins.so.12.8
export LD_LIBRARY_PATH=/tmp/cu12:$LD_LIBRARY_PATH PYTHONPATH=/tmp/site:$PWD
CLI="python3 -m asteroid_openmm.cli"
log tests
timeout 150 python3 -m pytest -q -p no:cacheprovider --tb=short tests/test_model.py "tests/test_training.py::test_training_runs_on_cuda" 2>&1 | tail -40
log syncs
timeout 60 python3 .gpu/syncs.py ethanol aspirin alanine-dipeptide 2>&1 | tail -40
log train CLI on cuda
timeout 100 $CLI train --trajectory .gpu/alanine_train.npz --frame-interval-ps 0.02 --out /tmp/m_cuda.pt --device cuda --epochs 2 --max-steps-per-epoch 100 --quiet 2>&1 | tail -12
python3 -c "
import torch,json; p=torch.load('/tmp/m_cuda.pt',weights_only=True)['provenance']; p.pop('command',None); print(json.dumps(p))" > $OUT/train_cuda.json; head -c 700 $OUT/train_cuda.json; echo
log hybrid alanine, OpenMM CUDA platform, model on cuda
timeout 60 $CLI run alanine-dipeptide --model alanine-dipeptide --steps 25000 --out /tmp/run_cuda --platform CUDA --device cuda --no-progress 2>&1 | tail -5
cp /tmp/run_cuda/summary.json $OUT/run_alanine_CUDA_model_cuda.json
log forecast benchmark
timeout 200 python3 benchmarks/gpu_forecast.py --json $OUT/gpu_forecast.json --plot $OUT/gpu_forecast.png --sizes 64,256,1024,4096,16384,65536,262144 --cpu-max-atoms 4096 --repeats 20 2>&1 | grep -v -i "warn"
log done
