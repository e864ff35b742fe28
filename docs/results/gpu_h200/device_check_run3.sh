#!/bin/bash
export PYTHONUNBUFFERED=1
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD
timeout 100 python3 -m pytest -q -p no:cacheprovider --tb=short tests/test_model.py "tests/test_training.py::test_training_runs_on_cuda" 2>&1 | tail -15
timeout 40 python3 .gpu/syncs.py ethanol 2>&1 | tail -8
timeout 100 python3 benchmarks/gpu_forecast.py --json $OUT/gpu_forecast_shipped.json --sizes 64,1024,4096 --cpu-max-atoms 1 --repeats 20 2>&1 | grep -v -i "warn"
