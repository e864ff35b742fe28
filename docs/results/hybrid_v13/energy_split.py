"""Potential energy of a hybrid run's played-back (forecast) and real-MD samples, against the reference.

    python docs/results/hybrid_v13/energy_split.py runs/h12/eth_base.npz runs/h12/r8s_s1300.npz [more.npz ...]

The .npz files are benchmarks/hybrid.py --save-samples outputs (key suffixes __energy_kJmol, __playback).
"""
import sys

import numpy as np

base = np.load(sys.argv[1])
e_ref = base["reference__energy_kJmol"]
print(f"reference: mean {e_ref.mean():.2f} kJ/mol, sd {e_ref.std():.2f}")
for k in ("plain_A", "plain_B"):
    e = base[k + "__energy_kJmol"]
    print(f"{k}: mean - reference {e.mean() - e_ref.mean():+.2f}, sd {e.std():.2f}")
for path in sys.argv[2:]:
    d = np.load(path)
    for key in (k for k in d.files if k.startswith("hybrid") and k.endswith("__energy_kJmol")):
        e, played = d[key], d[key.replace("__energy_kJmol", "__playback")].astype(bool)
        print(f"{path.split('/')[-1]} {key.split('__')[0]}: played back {played.mean():.2f} of samples, "
              f"mean - reference {e[played].mean() - e_ref.mean():+.2f} (sd {e[played].std():.2f}); "
              f"real MD samples {e[~played].mean() - e_ref.mean():+.2f} (sd {e[~played].std():.2f})")
