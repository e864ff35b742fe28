"""List the GPU->host synchronisations of one forecast (device check helper, not shipped)."""
import sys, traceback, warnings
import numpy as np, torch
from asteroid_openmm.model import load_model

seen = {}
def show(message, category, filename, lineno, file=None, line=None):
    stack = [f"{f.filename.split('asteroid_openmm/')[-1]}:{f.lineno} {f.line}" for f in traceback.extract_stack()
             if "asteroid_openmm/" in f.filename and "syncs.py" not in f.filename]
    key = " <- ".join(reversed(stack[-3:]))
    seen[key] = seen.get(key, 0) + 1
warnings.showwarning = show
for name in sys.argv[1:]:
    seen.clear()
    m = load_model(name, device="cuda")
    ctx = np.random.default_rng(0).normal(scale=0.15, size=(1, m.n_atoms, 3)) + np.random.default_rng(1).normal(
        scale=0.003, size=(m.context_frames, m.n_atoms, 3)).cumsum(0)
    m.rollout(ctx, 2); torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("warn")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        m.rollout(ctx, 2, max_spread=1e9)
    torch.cuda.set_sync_debug_mode(0)
    print(f"{name}: {sum(seen.values())} syncs in one 2-forecast rollout")
    for k, v in seen.items():
        print(f"  {v} x {k}")
