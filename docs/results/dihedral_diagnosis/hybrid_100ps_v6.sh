# 100 ps hybrid benchmarks, ethanol and aspirin side by side, each pinned to its own core
# (OpenMM CPU threads 1; the benchmark runs torch with 1 thread). Sixth session.
source .venv/bin/activate
export OPENMM_CPU_THREADS=1
taskset -c 0 python benchmarks/hybrid.py --system ethanol --model asteroid_openmm/pretrained/ethanol.pt --reference-ps 100 --time-ps 100 \
  --sweep default relax_friction=10 rollouts=4 rollouts=8 relax_friction=10,rollouts=8 \
  --json runs/h6/ethanol_100ps.json --plot runs/h6/ethanol_100ps.png --save-samples runs/h6/ethanol_samples.npz > runs/h6/ethanol.log 2>&1 &
taskset -c 1 python benchmarks/hybrid.py --system aspirin --model asteroid_openmm/pretrained/aspirin.pt --reference-ps 100 --time-ps 100 \
  --sweep default rollouts=4 rollouts=8 relax_friction=10,rollouts=8 \
  --json runs/h6/aspirin_100ps.json --plot runs/h6/aspirin_100ps.png --save-samples runs/h6/aspirin_samples.npz > runs/h6/aspirin.log 2>&1 &
wait
echo done > runs/h6/finished
