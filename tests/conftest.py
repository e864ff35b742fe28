"""Shared pytest fixtures (keep this file small)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def openmm():
    """The ``openmm`` module, imported the package's way (torch first, plugins re-scanned)."""
    from asteroid_openmm._openmm import import_openmm

    return import_openmm()


@pytest.fixture
def make_context(openmm):
    """Factory: ``make_context(builtin, platform="CPU", seed=1)`` -> ``(context, integrator)``
    with the system's recommended integrator and its starting positions set."""

    def _make(builtin, platform: str = "CPU", seed: int = 1):
        integrator = builtin.make_integrator(seed=seed)
        context = openmm.Context(builtin.system, integrator, openmm.Platform.getPlatformByName(platform))
        context.setPositions(builtin.positions)
        return context, integrator

    return _make


@pytest.fixture
def one_torch_thread():
    """Run the test with one torch intra-op thread (restored after): tiny TorchForce models are
    much faster that way on a busy machine. Use with ``pytest.mark.usefixtures("one_torch_thread")``."""
    from asteroid_openmm.systems.ani import torch_threads

    with torch_threads(1):
        yield
