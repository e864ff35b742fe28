#!/bin/bash
# Device check (not part of the package): CUDA paths of model, integrator and training.
export PYTHONUNBUFFERED=1
T0=$(date +%s)
log(){ echo "=== [$(( $(date +%s) - T0 ))s] $*"; }
log env
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; nproc
python3 -c "import sys,torch;print(sys.version.split()[0], torch.__version__, torch.cuda.is_available())"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl || exit 1
mkdir -p /tmp/cu12 && cp .gpu/libcufft.so.11 /tmp/cu12/ && xz -dc .gpu/libnvrtc.so.12.xz > /tmp/cu12/libnvrtc.so.12 && xz -dc .gpu/libnvrtc-builtins.so.12.8.xz > /tmp/cu12/libnvrtc-builtins.so.12.8
export LD_LIBRARY_PATH=/tmp/cu12:$LD_LIBRARY_PATH PYTHONPATH=/tmp/site:$PWD
CLI="python3 -m asteroid_openmm.cli"
log platforms
python3 -c "
from asteroid_openmm._openmm import import_openmm; from asteroid_openmm.simulate import available_platforms
mm=import_openmm(); print(available_platforms()); print([f[:200] for f in mm.Platform.getPluginLoadFailures()])"
log tests
timeout 90 python3 -m pytest -q -p no:cacheprovider tests/test_model.py 2>&1 | tail -4
log hybrid alanine runs, OpenMM CUDA platform
for dev in cuda cpu; do
  timeout 100 $CLI run alanine-dipeptide --model alanine-dipeptide --steps 25000 --out /tmp/run_$dev --platform CUDA --device $dev --no-progress 2>&1 | tail -6
  cp /tmp/run_$dev/summary.json $OUT/run_alanine_CUDA_model_$dev.json
done
timeout 60 $CLI run alanine-dipeptide --model alanine-dipeptide --steps 25000 --out /tmp/run_plain --platform CUDA --no-forecast --no-progress 2>&1 | tail -3
cp /tmp/run_plain/summary.json $OUT/run_alanine_CUDA_plain.json
log train CLI on cuda and cpu
for dev in cuda cpu; do
  timeout 100 $CLI train --trajectory .gpu/alanine_train.npz --frame-interval-ps 0.02 --out /tmp/m_$dev.pt --device $dev --epochs 2 --max-steps-per-epoch 100 --quiet 2>&1 | tail -2
  python3 -c "
import torch,json; p=torch.load('/tmp/m_$dev.pt',weights_only=True)['provenance']; p.pop('command',None); print(json.dumps(p))" > $OUT/train_$dev.json; head -c 600 $OUT/train_$dev.json; echo
done
log forecast benchmark
timeout 240 python3 benchmarks/gpu_forecast.py --json $OUT/gpu_forecast.json --plot $OUT/gpu_forecast.png --sizes 64,256,1024,4096,16384,65536,262144 --cpu-max-atoms 4096 --repeats 20
log done
