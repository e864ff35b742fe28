"""Where alanine dipeptide's step-16 forecast error comes from: whole-molecule rotation vs internal motion.

For each model: MAE / persistence at lead steps 1 and 16 (per-coordinate absolute error, as
`asteroid-openmm evaluate` scores it), the same after removing the best rigid superposition
(internal motion only), the rotation error of the forecast (rms per axis, radians, mass-weighted
Kabsch), and what the forecast would score with its rotation replaced by a linear least-squares
predictor of the finite rotation from the last 6 mass-weighted rotations ("shape + predicted
rotation"). Also the Langevin thermostat's unpredictable rotation at 320 fs (the floor of any
rotation forecast) from the inertia tensor: var = kT/I / gamma^2 (2 g t - 3 + 4 e^-gt - e^-2gt).

Usage (repo root, after benchmarks/forecast_quality.py made runs/forecast/alanine-dipeptide):
    python docs/results/alanine_error_budget/error_budget.py LABEL=MODEL [...] --json OUT
"""
import argparse
import json

import mdtraj as md
import numpy as np
import torch
from scipy.spatial.transform import Rotation

from asteroid_openmm import load_model
from asteroid_openmm.evaluation.evaluate import forecast_windows
from asteroid_openmm.trajectories import load_trajectory

D = "runs/forecast/alanine-dipeptide/"
W = H = 16
KT = 0.0083145 * 300.0  # kJ/mol
GAMMA_T = 1.0 * 0.32  # friction 1/ps times the 16-frame lead (320 fs)


def kabsch(a, b, w):
    """Lab-frame rotation matrices R [B,3,3] with b - c_b ~ R (a - c_a), weights w [N]."""
    ca, cb = com(a, w), com(b, w)
    h = np.einsum("n,bni,bnj->bij", w, b - cb, a - ca)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(u @ vt))
    u[:, :, -1] *= d[:, None]
    return u @ vt


def com(x, w):
    return np.einsum("bni,n->bi", x, w / w.sum())[:, None]


def rotvec(a, b, w):
    return Rotation.from_matrix(kabsch(a, b, w)).as_rotvec()


def turn(x, r, w):
    c = com(x, w)
    return np.einsum("bij,bnj->bni", r, x - c) + c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+")
    ap.add_argument("--json", required=True)
    ap.add_argument("--windows", type=int, default=1500)
    args = ap.parse_args()
    torch.set_num_threads(1)
    mass = np.array([a.element.mass for a in md.load_topology(D + "test.pdb").atoms])
    test = load_trajectory(D + "test.dcd", topology=D + "test.pdb").positions
    train = load_trajectory(D + "train.dcd", topology=D + "train.pdb").positions
    last = np.arange(W - 1, len(test) - H, 4)[: args.windows]  # last context frame of each window
    ctx = np.stack([test[t - W + 1 : t + 1] for t in last])
    fut = np.stack([test[t + 1 : t + H + 1] for t in last])

    # Linear predictor of the finite rotation at lead k from the last 6 mass-weighted rotations (train data).
    st = np.arange(W, len(train) - H, 5)[:8000]
    feat_tr = np.stack([rotvec(train[st - p], train[st], mass) for p in range(1, 7)], -1)
    feat_te = np.stack([rotvec(test[last - p], test[last], mass) for p in range(1, 7)], -1)
    predicted = {}
    for k in (0, 15):
        y = rotvec(train[st], train[st + k + 1], mass)
        coef = np.linalg.lstsq(feat_tr.reshape(-1, 6), y.reshape(-1), rcond=None)[0]
        predicted[k] = Rotation.from_rotvec(feat_te @ coef).as_matrix()

    c = ctx[:, -1] - com(ctx[:, -1], mass)
    inertia = np.einsum("n,bn->b", mass, (c**2).sum(-1))[:, None, None] * np.eye(3) - np.einsum(
        "n,bni,bnj->bij", mass, c, c)
    principal = np.linalg.eigvalsh(inertia).mean(0)  # amu nm^2
    g = GAMMA_T
    factor = 2 * g - 3 + 4 * np.exp(-g) - np.exp(-2 * g)
    # kT / I in (kJ/mol) / (amu nm^2) = 1 ps^-2; gamma = 1 / ps.
    floor = np.sqrt(KT / principal * factor)
    result = dict(windows=len(last), thermostat_rotation_floor_rad_per_principal_axis=floor.tolist(),
                  thermostat_rotation_floor_rms_rad=float(np.sqrt((floor**2).mean())), models={})

    def scores(frames, k):
        truth, pers = fut[:, k], np.abs(ctx[:, -1] - fut[:, k]).mean()
        p = frames[:, k]
        aligned = turn(p, kabsch(p, truth, mass), mass)
        aligned = aligned - com(aligned, mass) + com(truth, mass)
        rot_err = rotvec(p, truth, mass)
        # The forecast's shape, turned back to the last context frame's orientation, then by the predictor.
        shape = turn(p, kabsch(p, ctx[:, -1], mass), mass)
        replaced = turn(shape, predicted[k], mass)
        return dict(mae_over_persistence=float(np.abs(p - truth).mean() / pers),
                    internal_mae_over_persistence=float(np.abs(aligned - truth).mean() / pers),
                    rotation_error_rms_rad=float(np.sqrt((rot_err**2).mean())),
                    shape_plus_predicted_rotation_mae_over_persistence=float(np.abs(replaced - truth).mean() / pers))

    result["persistence"] = {f"step{k + 1}": scores(np.repeat(ctx[:, -1:], H, 1), k) for k in (0, 15)}
    for spec in args.models:
        label, _, path = spec.rpartition("=")
        frames = forecast_windows(load_model(path).eval(), ctx)[0]
        result["models"][label or path] = {f"step{k + 1}": scores(frames, k) for k in (0, 15)}
    print(json.dumps(result, indent=1))
    with open(args.json, "w") as fh:
        json.dump(result, fh, indent=1)


if __name__ == "__main__":
    main()
