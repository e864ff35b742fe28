"""Import OpenMM so that openmm-torch's kernels can always be found.

openmm-torch's plugin links against libtorch's CUDA libraries. OpenMM loads its
plugins when ``openmm`` is first imported; if ``torch`` has not been imported
yet, those libraries are not in the process and the TorchForce kernels fail to
load silently (a Context then fails with "does not support all required
kernels"). Users routinely import ``openmm`` first, so every module of this
package gets OpenMM through :func:`import_openmm`, which imports torch and then
re-scans the plugin directory once.
"""

from __future__ import annotations

import os

_plugins_reloaded = False


def import_openmm():
    """Return the ``openmm`` module with the openmm-torch plugins loaded.

    Safe to call any number of times and in any import order.
    """
    global _plugins_reloaded
    import torch  # noqa: F401  (must be in the process before the plugins load)
    import openmm

    if not _plugins_reloaded:
        plugin_dir = os.path.join(openmm.version.openmm_library_path, "plugins")
        if os.path.isdir(plugin_dir):
            # Re-load only the libtorch-dependent plugins: re-scanning the whole
            # directory would register OpenMM's own platforms a second time.
            for name in sorted(os.listdir(plugin_dir)):
                if "Torch" in name:
                    try:
                        openmm.Platform.loadPluginLibrary(os.path.join(plugin_dir, name))
                    except Exception:
                        # e.g. the OpenCL variant on a machine without OpenCL: that
                        # platform is unavailable anyway.
                        pass
        _plugins_reloaded = True
    import openmm.app  # noqa: F401  (callers use openmm.app)
    return openmm
