# Sourced by run1.sh and run2.sh on the device: install the carried cp312 wheels (.whl), find CUDA 13's
# cuFFT/NVRTC/cudart in the image's torch, put the nvrtc 12 stub (.gpu) on the library path, and define
# PRE (preloads the c10 shim) and run NAME LIMIT_S ARGS... (one `asteroid-openmm run`, summary to $OUT/NAME.json).
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
run() {  # name, timeout, args...
  local name=$1 lim=$2; shift 2
  timeout $lim $PRE python3 -m asteroid_openmm.cli run "$@" --out /tmp/$name --no-progress 2>&1 | grep -v -i "warning: importing" | tail -6
  cp /tmp/$name/summary.json $OUT/$name.json 2>/dev/null
  echo "== $name done $(( $(date +%s) - T0 )) s"
}
