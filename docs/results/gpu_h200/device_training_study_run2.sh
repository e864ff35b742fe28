#!/bin/bash
# Device exploration (not part of the package): alanine loss/optimiser variants at the CPU run's step count.
export PYTHONUNBUFFERED=1
T0=$(date +%s)
log(){ echo "=== [$(( $(date +%s) - T0 ))s] $*"; }
nvidia-smi --query-gpu=name --format=csv,noheader
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/openmm-8*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD
CLI="python3 -m asteroid_openmm.cli"
STEPS=${STEPS:-16}
run(){ name=$1; shift
  $CLI train --trajectory .gpu2/ala_train.npz --frame-interval-ps 0.02 --out /tmp/$name.pt --device cuda --threads 2 \
    --epochs $STEPS --max-steps-per-epoch 200 --patience 100 --d-model 32 --quiet "$@" > /tmp/$name.train.log 2>&1
  $CLI evaluate --model /tmp/$name.pt --trajectory .gpu2/ala_test.npz --frame-interval-ps 0.02 --stride 4 \
    --json $OUT/$name.eval.json --device cuda > /tmp/$name.eval.log 2>&1
  python3 - <<PY >> $OUT/summary.txt
import json; r=json.load(open("$OUT/$name.eval.json")); a=r["ratios"]["asteroid_mae_over_persistence"]
b=r["ratios"]["asteroid_bond_median_over_thermal"]
print("$name", "ratio@1/6/11/16", [round(a[i],4) for i in (0,5,10,15)], "bond worst", round(max(b),3))
PY
  log "$name done"
}
log start
run sq_lr2 --lr 2e-3 &
run sq_lr3 --lr 3e-3 &
run sq_dw01 --distance-weight 0.1 &
run sq_lr2_dw01 --lr 2e-3 --distance-weight 0.1 &
run sq_b16 --batch-size 16 &
run sq_lr2_s1 --lr 2e-3 --seed 1 &
wait
cat $OUT/summary.txt
log end
