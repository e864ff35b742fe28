"""Offline: chained forecasts' methyl libration, and what thermal rotor phases from real frames do to it.

    python docs/results/hybrid_v15/rotor_offline.py runs/energy/eth15_5fs.npz runs/h12/eth_base.npz \
        > docs/results/hybrid_v15/rotor_offline.txt

From 200 random windows of a plain-MD frames file at the model's 5 fs (key ``x``, nm): W context frames, then 8
chained forecasts of H frames, plain and mirror-averaged. Compared against the 100 ps plain reference run of the
twelfth session (``--save-samples`` file, frames every 10 fs), which also supplies the donors. Printed: the methyl's libration phase sd per
chained forecast; the divergence of the nine pooled methyl torsions (H-C-C-X) from the whole reference after
thermal fast modes alone, and after thermal rotors too, with donor pools of 64 to 5000 reference frames (what
the integrator's pool of real frames would give if it held that many independent thermal samples).
"""
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
import hybrid  # noqa: E402

from asteroid_openmm.evaluation.metrics import dihedrals, js_divergence  # noqa: E402
from asteroid_openmm.integrator.fast_modes import FastModeResampler  # noqa: E402
from asteroid_openmm.integrator.rotor_librations import RotorLibrations  # noqa: E402
from asteroid_openmm.model import load_model  # noqa: E402
from asteroid_openmm.model.mirror import mirror_relabelling  # noqa: E402
from asteroid_openmm.systems import get_system  # noqa: E402

torch.set_num_threads(1)
sysdef = get_system("ethanol")
bonds, _, quads, _ = hybrid.fidelity_coordinates("ethanol", sysdef)
methyl = quads[[i for i, q in enumerate(quads) if 8 not in q]]
x5 = np.load(sys.argv[1])["x"].astype(np.float64)
ref = np.load(sys.argv[2])["reference__positions_nm"].astype(np.float64)
model = load_model("ethanol")
W, H, R = model.context_frames, model.horizon, 8
z = np.asarray(sysdef.atomic_numbers)
masses = np.array([sysdef.system.getParticleMass(i)._value for i in range(len(z))])
fast, rotors = FastModeResampler(bonds, masses), RotorLibrations(bonds, z)
mirror = mirror_relabelling(bonds, z, ref[0])
rng = np.random.default_rng(0)
starts = rng.choice(np.arange(W, len(x5)), 200, replace=False)
context = torch.tensor(np.stack([x5[s - W:s] for s in starts]), dtype=torch.float32)
ref_t = dihedrals(ref, methyl)
ref_sd = rotors.phases(ref)[:, 0].std()


def js(frames):
    return js_divergence(dihedrals(frames, methyl), ref_t, 64, (-180, 180))


print(f"ethanol, {len(starts)} windows, W={W}, H={H}, R={R}; reference methyl phase sd {ref_sd:.1f} deg")
with torch.no_grad():
    for tag, kw in (("plain chain", {}), ("mirror-averaged chain", {"mirror": mirror})):
        torch.manual_seed(0)
        raw = model.rollout_torch(context, R, **kw)[0].double().numpy()
        per_link = rotors.phases(raw.reshape(-1, *raw.shape[2:]))[:, 0].reshape(len(starts), R, H)
        print(f"{tag}: phase sd per chained forecast " + " ".join(f"{per_link[:, k].std():.1f}" for k in range(R)))
        frames = raw.reshape(-1, *raw.shape[2:])
        thermal = fast(frames, ref[rng.choice(len(ref), 64)], rng, 0.5)
        print(f"  raw: methyl torsions JS {js(frames):.5f}; thermal fast modes: {js(thermal):.5f}")
        for n in (64, 300, 1000, 5000):
            donors = ref[rng.choice(len(ref), n, replace=False)]
            out = rotors(thermal, donors, rng)
            print(f"  + thermal rotors, {n:5d} donors: methyl torsions JS {js(out):.5f}; "
                  f"phase sd {rotors.phases(out)[:, 0].std():.1f}")
