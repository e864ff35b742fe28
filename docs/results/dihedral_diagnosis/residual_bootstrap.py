"""Offline (eighth session): chained forecasts fed (a) their own mean frames, (b) mean frames + a bootstrapped residual trajectory of another held-out window. Usage (repo root): python docs/results/dihedral_diagnosis/residual_bootstrap.py [MODEL]"""
import sys
import numpy as np
import torch
from asteroid_openmm.evaluation.metrics import dihedrals
from asteroid_openmm.model import load_model
from asteroid_openmm.trajectories import dihedral_quadruplets, load_trajectory

torch.set_num_threads(1)
rng = np.random.default_rng(0)
t = load_trajectory("runs/forecast/ethanol/test.dcd")
q = dihedral_quadruplets(t.bonds)[:9]
model = load_model(sys.argv[1] if len(sys.argv) > 1 else "ethanol").eval()
W, H, R = model.context_frames, model.horizon, 8

def eclipsed(x):
    folded = np.mod(dihedrals(x.reshape(-1, *x.shape[-2:]), q).ravel() + 180.0, 120.0)
    return float(np.mean(np.abs(folded - 60.0) < 30.0))

def fc(c):
    c = np.asarray(c, np.float64)
    o = c[:, -1].mean(axis=1, keepdims=True)[:, None]
    with torch.no_grad():
        f, _ = model.rollout_torch(torch.as_tensor(c - o, dtype=torch.float32), 1)
    return f.double().numpy() + o

def kabsch(a, b):
    """rotation Rm with (a - ca) @ Rm ~ (b - cb)"""
    a = a - a.mean(0); b = b - b.mean(0)
    u, s, vt = np.linalg.svd(a.T @ b)
    d = np.sign(np.linalg.det(u @ vt))
    return u @ np.diag([1, 1, d]) @ vt

starts = np.arange(0, len(t.positions) - W - R * H, 15)
ctx = np.stack([t.positions[s:s + W] for s in starts]).astype(np.float64)
true = np.stack([t.positions[s + W:s + W + R * H] for s in starts]).astype(np.float64)
# residual bank from one-step forecasts on the same windows (held-out data)
f1 = fc(ctx)
res = true[:, :H] - f1
print(len(starts), "windows; residual rms (A)", 10 * np.sqrt((res ** 2).mean()))
print("true ", [round(eclipsed(true[:, r * H:(r + 1) * H]), 3) for r in range(R)])
for mode in ("mean", "bootstrap", "bootstrap-half"):
    c = ctx.copy(); outm, outn = [], []
    for r in range(R):
        f = fc(c)
        if mode == "mean":
            noisy = f
        else:
            scale = 1.0 if mode == "bootstrap" else 0.5
            js = rng.integers(0, len(res), len(f))
            noisy = np.empty_like(f)
            for i, j in enumerate(js):
                Rm = kabsch(ctx[j, -1], c[i, -1])
                noisy[i] = f[i] + scale * res[j] @ Rm
        outm.append(eclipsed(f)); outn.append(eclipsed(noisy))
        c = noisy[:, -W:]
    print(f"{mode:15s} mean frames", [round(v, 3) for v in outm])
    print(f"{mode:15s} fed frames ", [round(v, 3) for v in outn])
