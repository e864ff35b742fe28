"""Named integrator settings: the measured trade-offs of docs/benchmarks.md behind one word.

The integrator's defaults jump one forecast at a time (about 2.5x on the
ANI-1x molecules; ethanol then passes the fidelity criterion as often as
plain MD, aspirin, whose slow rotamers need torsion moves, does not); the
settings that reach about 10x chain eight forecasts per jump and need a
dozen knobs, each measured on its own. A preset names such a set::

    integrator = AsteroidIntegrator.from_preset("chained", model, temperature, friction, timestep)

The ``library`` preset is ``chained`` for a model that carries a donor
library, with played-back frames that are the library's own frames in the
forecast's rotamer wells (``donor_geometry=1``, ``rotamer_wells``); the
only one that met the issue's full-run fidelity target on aspirin.

Keyword arguments given with it override the preset's. A preset is only a
starting point for the constructor: what it sets lands in the integrator's
global variables like any other setting, so XML and checkpoints keep it.
Step counts are set in model frames, so a preset fits any frame stride.
"""

from __future__ import annotations

import math

#: Preset name -> one-line description (``asteroid-openmm run --preset``).
PRESETS = {
    "default": "the integrator's defaults: one forecast per jump, about 2.5x on the ANI-1x molecules (ethanol "
               "passes as often as plain MD; aspirin's slow rotamers need the chained preset's torsion moves)",
    "chained": "eight chained forecasts per jump with the measured fidelity moves (landing and link torsion moves, "
               "donor-library fast modes when the model has a library): about 10x on ethanol and aspirin",
    "library": "the chained preset for a model with a donor library, whose played-back frames are real library "
               "frames in the forecast's rotamer wells placed where the forecast puts the molecule, no link moves: "
               "about 12x on aspirin with every divergence within 1.5x the noise floor",
}

#: The "chained" preset's anchor and relaxation, in model frames (20 and 40 steps at the ANI-1x molecules' 10 steps
#: per frame, as measured).
CHAINED_RELAX_FRAMES = 2
CHAINED_ANCHOR_FRAMES = 4


def preset_settings(name: str, model, timestep_ps: float) -> dict:
    """The :class:`~.asteroid_integrator.AsteroidIntegrator` keyword arguments of a named preset.

    Parameters
    ----------
    name : str
        A key of :data:`PRESETS`.
    model : AsteroidModel
        The forecaster the integrator will run: its frame interval sets the
        preset's step counts, and whether it carries a fast-mode donor
        library (``asteroid-openmm donors``) sets the library knobs.
    timestep_ps : float
        The MD timestep (ps).

    Returns
    -------
    dict
        Keyword arguments (an empty dict for ``"default"``).
    """
    from asteroid_openmm.model.donor_library import donor_library

    from .asteroid_integrator import nearest_frame_stride

    if name not in PRESETS:
        raise ValueError(f"unknown integrator preset {name!r}; known: {', '.join(PRESETS)}")
    if name == "default":
        return {}
    if not (math.isfinite(timestep_ps) and timestep_ps > 0):
        raise ValueError(f"timestep must be a finite time > 0 ps, got {timestep_ps}")
    if not hasattr(model, "frame_interval"):
        raise ValueError("model has no 'frame_interval'; pass an AsteroidModel "
                         "(asteroid_openmm.model.load_model('model.pt'))")
    stride = nearest_frame_stride(model.frame_interval, timestep_ps)
    settings = dict(
        rollouts=8, relax_steps=CHAINED_RELAX_FRAMES * stride, anchor_steps=CHAINED_ANCHOR_FRAMES * stride,
        torsion_mc_steps=8, planar_ring_modes=True, link_mc_steps=1, link_mc_sd=28.0,
        # Ethanol's chains stop at the default 0.05 nm in half their jumps (9.2-9.6x in-run, thirtieth session);
        # aspirin's rarely reach it.
        max_spread=0.08,
    )
    library = donor_library(model) is not None
    if name == "library" and not library:
        raise ValueError("the 'library' preset plays back frames of the model's donor library, and this model has "
                         "none: attach one (asteroid-openmm donors MODEL TRAJECTORY... --temperature T --out NEW.pt) "
                         "or use the 'chained' preset")
    if library:
        # Thousands of real frames to draw fast modes from: donors can match the forecast's rotamer closely
        # (aspirin: 25 ps pass rate 40% with a 30-degree window, 24-31% with 60; twenty-fifth session) and lend it
        # their hydroxyl torsions and methyl phases too (twenty-eighth and twenty-ninth sessions). These were
        # measured with libraries only, so a model without one keeps the defaults for them.
        settings.update(fast_mode_library=True, rotamer_window=30.0, donor_hydrogen_torsions=True,
                        donor_rotor_phases=True)
    if name == "library":
        # Played-back frames are library frames in the forecast's wells (aspirin, four seeds: 11.1-12.5x in-run, every
        # full-run divergence within 1.5x the noise floor; thirty-first session). Within a well the librations come
        # from the library, so link moves, which widened the chains' damped librations, are left out (11.3-11.7x
        # instead of 8.9-9.9x at the same fidelity with a 90-degree window).
        settings.update(donor_geometry=1, rotamer_wells=True, link_mc_steps=0)
    return settings
