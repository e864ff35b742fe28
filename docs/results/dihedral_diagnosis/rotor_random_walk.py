"""Offline (eighth session): how far chained forecasts move ethanol's C-C dihedrals from the last context frame, against the true frames. Usage (repo root): python docs/results/dihedral_diagnosis/rotor_random_walk.py [MODEL]"""
import sys
import numpy as np, torch
from asteroid_openmm.evaluation.metrics import dihedrals
from asteroid_openmm.model import load_model
from asteroid_openmm.trajectories import dihedral_quadruplets, load_trajectory
torch.set_num_threads(1)
t = load_trajectory("runs/forecast/ethanol/test.dcd")
q = dihedral_quadruplets(t.bonds)[:9]
print("elements", t.atomic_numbers, "quads", q[:9].tolist())
model = load_model(sys.argv[1] if len(sys.argv) > 1 else "ethanol").eval()
W, H, R = model.context_frames, model.horizon, 8
starts = np.arange(0, len(t.positions) - W - R * H, 15)
ctx = np.stack([t.positions[s:s + W] for s in starts]).astype(np.float64)
true = np.stack([t.positions[s + W:s + W + R * H] for s in starts]).astype(np.float64)
o = ctx[:, -1].mean(axis=1, keepdims=True)[:, None]
with torch.no_grad():
    f, _ = model.rollout_torch(torch.as_tensor(ctx - o, dtype=torch.float32), R)
f = f.double().numpy() + o
def dih(x):  # [B, T, N, 3] -> [B, T, 9] degrees
    B, T = x.shape[:2]
    return dihedrals(x.reshape(-1, *x.shape[-2:]), q).reshape(B, T, -1)
d0 = dih(ctx[:, -1:])
for name, x in (("true", true), ("model", f)):
    d = dih(x)
    dd = (d - d0 + 180) % 360 - 180
    dist = lambda i, j: np.linalg.norm(x[..., i, :] - x[..., j, :], axis=-1)
    print(name)
    for r in range(R):
        sl = slice(r * H, (r + 1) * H)
        folded = np.mod(d[:, sl] + 180.0, 120.0)
        print(f"  fc{r+1}: |d dihedral| rms {np.sqrt((dd[:, sl]**2).mean()):6.1f} deg, mean signed {dd[:, sl].mean():6.1f}, folded std {folded.std():5.1f}, eclipsed {np.mean(np.abs(folded-60)<30):.3f}")
