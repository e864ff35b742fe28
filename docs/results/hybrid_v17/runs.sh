#!/bin/bash
# Seventeenth session: every command behind docs/benchmarks.md's seventeenth-session section, in order.
# 100 ps ethanol hybrids against the twelfth session's plain runs (runs/h12/eth_base.json), one core each;
# docs/results/hybrid_v14/model_runs.sh CORE NAME SEED MODEL SETTING runs benchmarks/hybrid.py for one seed.
set -e
cd "$(dirname "$0")/../../.."
H=runs/h12
R8="rollouts=8,relax_steps=20,anchor_steps=40,thermal_rotors=1,rotor_mc_steps=4,rotamer_window=60"
# 1. Longer jumps: max_spread 0.08 nm (default 0.05) with 8 and 16 landing torsion moves (code before the context
#    carry below; paired with the sixteenth session's r8s_rotmc4p_rw60_tmc8 runs).
for seed in 1300 1400 1600 1700; do
  bash docs/results/hybrid_v14/model_runs.sh $(( (seed / 100) % 2 )) r8s_tmc8_ms08_s$seed $seed ethanol \
      $R8,torsion_mc_steps=8,max_spread=0.08
done
for seed in 1300 1400; do
  bash docs/results/hybrid_v14/model_runs.sh $(( (seed / 100) % 2 )) r8s_tmc16_ms08_s$seed $seed ethanol \
      $R8,torsion_mc_steps=16,max_spread=0.08
done
# 2. Aspirin, 10 ps at the best ethanol setting, before (commit 31a9433, a worktree) and after the context carry.
A="aspirin --model aspirin --steps 20000 --rollouts 8 --relax-steps 20 --anchor-steps 40 --no-progress"
git worktree add -f /tmp/wt31 31a9433
(cd /tmp/wt31 && OPENMM_CPU_THREADS=1 python -m asteroid_openmm.cli run $A --torsion-mc-steps 8 --thermal-rotors 1 \
    --rotor-mc-steps 4 --rotamer-window 60 --seed 5 --out /work/main/runs/h17/asp_old)
OPENMM_CPU_THREADS=1 python -m asteroid_openmm.cli run $A --torsion-mc-steps 8 --seed 5 --out runs/h17/asp_new
OPENMM_CPU_THREADS=1 python -m asteroid_openmm.cli run $A --torsion-mc-steps 8 --seed 6 --out runs/h17/asp_new_s6
OPENMM_CPU_THREADS=1 python -m asteroid_openmm.cli run $A --seed 5 --out runs/h17/asp_new_tmc0
# 3. Ethanol with the context carry, the best setting of the sixteenth session.
for seed in 1300 1400 1600 1700; do
  bash docs/results/hybrid_v14/model_runs.sh $(( (seed / 100) % 2 )) r8s_tmc8_carry_s$seed $seed ethanol \
      $R8,torsion_mc_steps=8
done
# 4. The integrator's new defaults (rollouts=1, rotamer_window=60, thermal_rotors=1, rotor_mc_steps=4), context carry
#    included; paired with the sixteenth session's def_rotmc4_s1400 / _s1600 (no carry).
for seed in 1400 1600; do
  bash docs/results/hybrid_v14/model_runs.sh $(( seed == 1400 ? 0 : 1 )) def_carry_s$seed $seed ethanol \
      thermal_rotors=1,rotor_mc_steps=4
done
# 5. Longer jumps with the context carry: max_spread 0.065.
for seed in 1300 1400 1600 1700; do
  bash docs/results/hybrid_v14/model_runs.sh $(( (seed / 100) % 2 )) r8s_tmc8_ms065_carry_s$seed $seed ethanol \
      $R8,torsion_mc_steps=8,max_spread=0.065
done
# 6. Alanine dipeptide (amber14) at the new defaults and with anchor_steps=480, paired with the sixteenth session.
for seed in 0 300 600; do
  OPENMM_CPU_THREADS=1 python benchmarks/hybrid.py --system alanine-dipeptide --reference-ps 1000 --time-ps 200 \
      --reuse-plain runs/h15/ala.json --seed $seed --sweep default anchor_steps=480 --json runs/h17/ala_s$seed.json \
      --plot none --save-samples runs/h17/ala_s$seed.npz
done
# 7. The same with mirror_sampling=1 (the g+ / g- balance at no extra forecast).
for seed in 1300 1400 1600 1700; do
  bash docs/results/hybrid_v14/model_runs.sh $(( (seed / 100) % 2 )) r8s_tmc8_ms065_msamp_s$seed $seed ethanol \
      $R8,torsion_mc_steps=8,max_spread=0.065,mirror_sampling=1
done
# 8. Pass rates of every 100 ps ethanol setting of sessions 12-17, and the trade-off table and plot.
R=""
for n in r8s r8s_mirror; do for s in 1300 1400 1500 1600 1700 1800; do R="$R $H/${n}_s$s.json"; done; done
for n in r8s_rotmc4p r8s_rotmc4p_rw60 r8s_rotmc4p_rw60_tmc4 r8s_rotmc4p_rw60_tmc4_mirror r8s_rotmc4p_rw60_tmc8 \
         r8s_tmc8_ms08 r8s_tmc8_carry r8s_tmc8_ms065_carry r8s_tmc8_ms065_msamp; do
  for s in 1300 1400 1600 1700; do R="$R $H/${n}_s$s.json"; done
done
R="$R $H/r8s_tmc16_ms08_s1300.json $H/r8s_tmc16_ms08_s1400.json $H/def_rw60_s1300.json $H/def_rw60_s1400.json"
R="$R $H/def_rotmc4_s1400.json $H/def_rotmc4_s1600.json $H/def_carry_s1400.json $H/def_carry_s1600.json"
python benchmarks/fidelity_noise.py $H/eth_base.json $R --segments 4 --json docs/results/hybrid_v17/session17_noise4.json \
    --plot docs/results/hybrid_v17/session17_noise4.png > docs/results/hybrid_v17/session17_noise4.txt
python docs/results/hybrid_v17/tradeoff.py docs/results/hybrid_v17/session17_noise4.json \
    docs/results/hybrid_v17/tradeoff.png $R > docs/results/hybrid_v17/tradeoff.md
python docs/results/hybrid_v13/rotor_kinetics.py $H/eth_base.json $R > docs/results/hybrid_v17/rotor_kinetics.txt
python docs/results/hybrid_v13/summary_table.py docs/results/hybrid_v17/session17_noise4.json $R \
    > docs/results/hybrid_v17/summary_table.md
