"""Mirror averaging and sampling: the relabelling that keeps a mirror image's labelled handedness, exactly
mirror-equivariant chained forecasts, and chains that take the plain or the mirrored forecast at random."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_openmm.model.mirror import MIRROR, mirror_relabelling
from asteroid_openmm.systems import get_system
from asteroid_openmm.trajectories.bonds import bonds_from_topology, handedness, infer_bonds, stereo_centres


def molecule(name):
    s = get_system(name)
    x = s.positions_nm()
    bonds = bonds_from_topology(s.topology)
    return (bonds if len(bonds) else infer_bonds(x, s.atomic_numbers)), np.asarray(s.atomic_numbers), x


@pytest.mark.parametrize("name", ["ethanol", "aspirin"])
def test_achiral_molecules_have_a_relabelling_that_restores_every_sp3_centre(name):
    bonds, z, x = molecule(name)
    p = mirror_relabelling(bonds, z, x)
    assert p is not None and sorted(p.tolist()) == list(range(len(z)))
    assert np.array_equal(z[p], z)  # same elements
    edges = {tuple(sorted(b)) for b in bonds.tolist()}
    assert {tuple(sorted((int(p[i]), int(p[j])))) for i, j in edges} == edges  # a bond-graph automorphism
    centres = stereo_centres(bonds)
    raw = handedness(x * MIRROR, centres)
    fixed = handedness((x * MIRROR)[p], centres)
    assert np.array_equal(fixed, handedness(x, centres))
    assert not np.array_equal(raw, fixed)  # the raw mirror image has the other handedness somewhere


def test_a_chiral_molecule_has_none():
    bonds, z, x = molecule("alanine-dipeptide")
    assert mirror_relabelling(bonds, z, x) is None


def ethanol_chain_inputs(seed):
    """(shipped ethanol model, a context near the built-in geometry [W, N, 3] nm, the mirror relabelling)."""
    from asteroid_openmm.model import load_model

    model = load_model("ethanol")
    bonds, z, x0 = molecule("ethanol")
    rng = np.random.default_rng(seed)
    context = x0 + 0.003 * rng.standard_normal((model.context_frames, *x0.shape))
    return model, context, mirror_relabelling(bonds, z, x0)


def test_mirror_averaged_rollout_is_exactly_mirror_equivariant():
    model, context, p = ethanol_chain_inputs(0)
    f, spread = model.rollout(context, 2, mirror=p)
    g, spread_g = model.rollout((context * MIRROR)[:, p], 2, mirror=p)
    np.testing.assert_allclose((g * MIRROR)[:, np.argsort(p)], f, atol=1e-6)
    np.testing.assert_allclose(spread_g, spread, atol=1e-7)
    # Without averaging the model is not mirror-equivariant, and the averaged forecast differs from its own.
    f0, _ = model.rollout(context, 2)
    g0, _ = model.rollout((context * MIRROR)[:, p], 2)
    assert np.abs((g0 * MIRROR)[:, np.argsort(p)] - f0).max() > 1e-4
    assert np.abs(f - f0).max() > 1e-5


def test_mirror_sampled_rollout_takes_the_plain_or_the_mirrored_forecast_per_link():
    import torch

    model, context, p = ethanol_chain_inputs(1)
    inverse, h, w = np.argsort(p), model.horizon, model.context_frames
    with pytest.raises(ValueError, match="mirror_mode"):
        model.rollout(context, 1, mirror=p, mirror_mode="mean")
    chosen = []
    for seed in range(6):
        torch.manual_seed(seed)
        f, _ = model.rollout(context, 3, mirror=p, mirror_mode="sample")
        assert f.shape == (3 * h, *context.shape[1:])
        ctx = context
        for r in range(3):
            link = f[r * h:(r + 1) * h]
            plain = model.rollout(ctx, 1)[0]
            mirrored = (model.rollout((ctx * MIRROR)[:, p], 1)[0] * MIRROR)[:, inverse]
            assert np.abs(plain - mirrored).max() > 1e-4  # the two options differ...
            errors = [np.abs(link - option).max() for option in (plain, mirrored)]
            assert min(errors) < 1e-5  # ...and each link is one of them
            chosen.append(int(np.argmin(errors)))
            ctx = np.concatenate([ctx, link])[-w:]
    assert 0 < sum(chosen) < len(chosen)  # both occur
