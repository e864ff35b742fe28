source .venv/bin/activate
export OPENMM_CPU_THREADS=1
taskset -c 0 python benchmarks/hybrid.py --system ethanol --model asteroid_openmm/pretrained/ethanol.pt --reference-ps 100 --time-ps 100 \
  --reuse-plain runs/h6/ethanol_100ps.json --sweep rollouts=8,bond_tolerance=0.04 \
  --json runs/h6/ethanol_100ps_bondtol.json --plot none > runs/h6/ethanol_bondtol.log 2>&1 &
taskset -c 1 python benchmarks/hybrid.py --system ethanol --model runs/pf6/ethanol_pf015.pt --reference-ps 100 --time-ps 100 \
  --reuse-plain runs/h6/ethanol_100ps.json --sweep rollouts=8,min_motion_fraction=0.1 \
  --json runs/h6/ethanol_100ps_pf015_motion.json --plot none > runs/h6/ethanol_pf015_motion.log 2>&1 &
wait
echo done > runs/h6/reuse2_finished
