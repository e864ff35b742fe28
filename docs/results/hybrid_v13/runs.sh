#!/bin/bash
# The thirteenth session's 100 ps ethanol hybrid runs, each against the plain runs of runs/h12/eth_base.json
# (twelfth session; docs/results/hybrid_v12/reuse_runs.sh), one process per core. Results: runs/h12/NAME.json,
# copied here without the .npz samples (4 MB each).
S=rollouts=8,relax_steps=20,anchor_steps=40
R=docs/results/hybrid_v12/reuse_runs.sh
for seed in 1500 1600 1700 1800; do
  bash $R 0 r8s_s$seed $seed $S
  bash $R 1 r8s_mirror_s$seed $seed $S,mirror_averaging=1
done
for seed in 1300 1400 1500; do bash $R 0 r8s_fc0_s$seed $seed $S,forecast_context=0; done
# Frame kicks (commit 97c1efc: the forecast frames themselves turned at a constant angular velocity):
for seed in 1300 1400; do
  bash $R 0 r8s_kick05_s$seed $seed $S,torsion_kick=0.5
  bash $R 1 r8s_kick025_s$seed $seed $S,torsion_kick=0.25
done
# Context kicks (this module's form since commit 6c186b5):
for seed in 1300 1400; do
  bash $R 0 r8s_ckick1_s$seed $seed $S,torsion_kick=1
  bash $R 1 r8s_mckick075_s$seed $seed $S,mirror_averaging=1,torsion_kick=0.75
done
