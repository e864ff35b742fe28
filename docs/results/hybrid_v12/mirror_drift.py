"""Is the shipped ethanol model mirror-equivariant? Chained forecasts from real contexts and their mirror images.

The mirror image of a context (z -> -z) is relabelled with
``mirror_relabelling`` so that every sp3 centre keeps its labelled handedness
(otherwise the model has never seen such a frame). For an equivariant model,
mirroring the forecast of the mirrored context back gives the original
forecast. Printed per chained forecast: rms difference (nm), mean change of
the hydroxyl torsion C-C-O-H from the last context frame (degrees) for both,
and the trans / g+ / g- populations at the end of the chain.

    python docs/results/hybrid_v12/mirror_drift.py runs/energy/eth15_5fs.npz 8 > docs/results/hybrid_v12/mirror_drift.txt

(the frames file: ``plain_frames.py`` of docs/results/energy_diagnosis; positions in nm under key ``x``).
"""
import sys

import numpy as np
import torch

from asteroid_openmm.evaluation.metrics import dihedrals
from asteroid_openmm.model import load_model
from asteroid_openmm.model.mirror import MIRROR, mirror_relabelling
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import infer_bonds

torch.set_num_threads(1)
x = np.load(sys.argv[1])["x"].astype(np.float64)
R = int(sys.argv[2]) if len(sys.argv) > 2 else 8
model = load_model("ethanol")
W, H = model.context_frames, model.horizon
z = get_system("ethanol").atomic_numbers
P = mirror_relabelling(infer_bonds(x[0], z), z, x[0])
print("relabelling (atom: takes the place of):", {i: int(p) for i, p in enumerate(P) if i != p})
starts = np.random.default_rng(0).choice(np.arange(W, len(x) - 10), 150, replace=False)
ctx = np.stack([x[s - W:s] for s in starts])
ctx = ctx - ctx[:, -1:].mean(axis=2, keepdims=True)
with torch.no_grad():
    f = model.rollout_torch(torch.tensor(ctx, dtype=torch.float32), R)[0].double().numpy()
    fm = model.rollout_torch(torch.tensor((ctx * MIRROR)[:, :, P], dtype=torch.float32), R)[0].double().numpy()
fm = (fm * MIRROR)[:, :, np.argsort(P)]  # mirrored back into the original labelling
oh = np.array([[0, 1, 2, 8]])
d0 = dihedrals(ctx[:, -1], oh)[:, 0]
wrap = lambda a: (a + 180) % 360 - 180  # noqa: E731
print("forecast  rms|f - mirror(f(mirror))| nm   OH drift f (deg)   OH drift mirrored (deg)")
for k in range(R):
    j = (k + 1) * H - 1
    rms = np.sqrt(((f[:, k * H:(k + 1) * H] - fm[:, k * H:(k + 1) * H]) ** 2).sum(-1).mean())
    print(f"{k + 1:>8} {rms:>33.4f} {wrap(dihedrals(f[:, j], oh)[:, 0] - d0).mean():>18.1f} "
          f"{wrap(dihedrals(fm[:, j], oh)[:, 0] - d0).mean():>24.1f}")


def states(a):
    return f"trans {np.mean(np.abs(a) > 120):.2f} g+ {np.mean((a > 0) & (a < 120)):.2f} g- {np.mean((a < 0) & (a > -120)):.2f}"


print("contexts:", states(d0))
print("end of chain, f:", states(dihedrals(f[:, -1], oh)[:, 0]))
print("end of chain, mirrored:", states(dihedrals(fm[:, -1], oh)[:, 0]))
