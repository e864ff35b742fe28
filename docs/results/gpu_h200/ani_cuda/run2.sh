#!/bin/bash
# One device call: install the carried cp312 wheels, then ANI-1x (openmm-torch TorchForce) on OpenMM's CUDA platform.
export PYTHONUNBUFFERED=1
T0=$(date +%s)
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD
SP=$(python3 -c 'import torch, os; print(os.path.dirname(os.path.dirname(torch.__file__)))')
LIBDIRS=$(find $SP/nvidia \( -name 'libcufft.so.12' -o -name 'libnvrtc.so.13' -o -name 'libcudart.so.13' \) -printf '%h\n' 2>/dev/null | sort -u | tr '\n' ':')
echo "torch site: $SP; cuda lib dirs: $LIBDIRS"
export LD_LIBRARY_PATH=$PWD/.gpu:$LIBDIRS$LD_LIBRARY_PATH
PRE="env LD_PRELOAD=$PWD/.gpu/libc10shim.so"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
python3 -c "import torch; print(torch.__version__, torch.cuda.is_available())"
echo "== setup $(( $(date +%s) - T0 )) s"
timeout 150 $PRE python3 .gpu/ani_cuda2.py ethanol aspirin 2>&1 | grep -v -i "warning: importing\|OpenCL"
echo "== ani_cuda done $(( $(date +%s) - T0 )) s"
run() {  # name, timeout, args...
  local name=$1 lim=$2; shift 2
  timeout $lim $PRE python3 -m asteroid_openmm.cli run "$@" --out /tmp/$name --no-progress 2>&1 | grep -v -i "warning: importing" | tail -6
  cp /tmp/$name/summary.json $OUT/$name.json 2>/dev/null
  echo "== $name done $(( $(date +%s) - T0 )) s"
}
run eth_cuda_r1 50 ethanol --model ethanol --steps 3000 --platform CUDA --device cuda
run eth_cuda_r1_modelcpu 50 ethanol --model ethanol --steps 3000 --platform CUDA --device cpu
echo "== all done $(( $(date +%s) - T0 )) s"
