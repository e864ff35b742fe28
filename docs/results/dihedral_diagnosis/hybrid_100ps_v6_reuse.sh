# Hybrid-only runs against the plain runs of the 100 ps benchmarks above (--reuse-plain), one core each.
source .venv/bin/activate
export OPENMM_CPU_THREADS=1
taskset -c 0 python benchmarks/hybrid.py --system ethanol --model runs/pf6/ethanol_pf015.pt --reference-ps 100 --time-ps 100 \
  --reuse-plain runs/h6/ethanol_100ps.json --sweep rollouts=4 rollouts=8 default \
  --json runs/h6/ethanol_100ps_pf015.json --plot runs/h6/ethanol_100ps_pf015.png > runs/h6/ethanol_pf015.log 2>&1 &
taskset -c 1 python benchmarks/hybrid.py --system aspirin --model asteroid_openmm/pretrained/aspirin.pt --reference-ps 100 --time-ps 100 \
  --reuse-plain runs/h6/aspirin_100ps.json --sweep rollouts=8,anchor_steps=200 rollouts=6 rollouts=8,max_spread=0.02 \
  --json runs/h6/aspirin_100ps_more.json --plot runs/h6/aspirin_100ps_more.png > runs/h6/aspirin_more.log 2>&1 &
wait
echo done > runs/h6/reuse_finished
