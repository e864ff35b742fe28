"""Model files: one ``.pt`` file holding config, weights, normalisation, atomic numbers, frame interval
and training provenance.

The file holds only tensors and plain Python containers, and is always read
with ``torch.load(weights_only=True)``: loading a model never unpickles
arbitrary objects.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch

from .asteroid import AsteroidModel

FORMAT = "asteroid-openmm-model"
FORMAT_VERSION = 1
PRETRAINED_DIR = Path(__file__).resolve().parent.parent / "pretrained"


def model_state(model: AsteroidModel, provenance: dict | None = None, extra: dict | None = None) -> dict:
    """The plain-data content of a model file (see :func:`save_model`)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "config": dict(model.config),
        "atomic_numbers": model.atomic_numbers.tolist(),
        "atom_types": model.atom_types_t.cpu().tolist(),
        "frame_interval_ps": model.frame_interval,
        "displacement_scale_nm": float(model.displacement_scale),
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "provenance": dict(provenance or {}),
        "extra": dict(extra or {}),
    }


def save_model(model: AsteroidModel, path, provenance: dict | None = None, extra: dict | None = None) -> Path:
    """Write ``model`` to ``path`` atomically (a crash never leaves a half-written file).

    Parameters
    ----------
    provenance : dict, optional
        How the model was made (data files, seeds, epochs, time, command);
        plain JSON-like values only.
    extra : dict, optional
        Other plain data to keep beside the model (e.g. fitted baselines).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(model_state(model, provenance, extra), tmp)
    os.replace(tmp, path)
    return path


def read_model_file(path) -> dict:
    """Read and validate a model file's content safely (``weights_only=True``)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file {str(path)!r} does not exist")
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for corrupt or unsafe files
        raise ValueError(
            f"{str(path)!r} is not a readable asteroid-openmm model file ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}); it may be truncated, corrupt, or contain "
            "pickled objects that are refused for safety. Re-train or re-download it"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{str(path)!r} is not an asteroid-openmm model file (missing format marker)")
    if data.get("format_version", 0) > FORMAT_VERSION:
        raise ValueError(
            f"{str(path)!r} has format version {data['format_version']}, newer than this asteroid_openmm "
            f"understands ({FORMAT_VERSION}); upgrade asteroid_openmm"
        )
    missing = [k for k in ("config", "atomic_numbers", "state_dict", "frame_interval_ps") if k not in data]
    if missing:
        raise ValueError(f"{str(path)!r} is missing {missing}; the file is corrupt")
    return data


def model_from_state(data: dict, noise_dim: int | None = None) -> AsteroidModel:
    """Build an :class:`AsteroidModel` from the content of a model file.

    ``noise_dim`` (optional) gives the model that many latent variables
    (a stochastic model to fine-tune from a deterministic one); their input
    layer is new, every other weight is the file's.
    """
    cfg = dict(data["config"])
    if noise_dim is not None:
        cfg["noise_dim"] = int(noise_dim)
    model = AsteroidModel(
        data["atomic_numbers"],
        atom_types=data.get("atom_types"),
        displacement_scale=data.get("displacement_scale_nm", 0.01),
        **cfg,
    )
    try:
        missing, unexpected = model.load_state_dict(data["state_dict"], strict=False)
    except RuntimeError as exc:
        raise ValueError(f"model weights do not match the stored configuration: {exc}") from None
    new_layer = cfg.get("noise_dim", 0) != data["config"].get("noise_dim", 0)
    missing = [k for k in missing if not (new_layer and k.startswith("noise_embed."))]
    unexpected = [k for k in unexpected if not (new_layer and k.startswith("noise_embed."))]
    if missing or unexpected:
        raise ValueError(
            f"model weights do not match the stored configuration: missing {missing}, unexpected {unexpected}"
        )
    model.provenance = data.get("provenance", {})
    model.extra = data.get("extra", {})
    return model


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """``"auto"`` -> CUDA when available, else CPU."""
    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was requested but torch sees no CUDA GPU; use device='cpu' or 'auto'")
    return dev


def pretrained_path(name: str) -> Path:
    """Path of the shipped model for a built-in system name."""
    return PRETRAINED_DIR / f"{name}.pt"


def available_pretrained() -> list[str]:
    """Built-in system names that have a shipped model."""
    if not PRETRAINED_DIR.is_dir():
        return []
    return sorted(p.stem for p in PRETRAINED_DIR.glob("*.pt"))


def load_model(path_or_name, device: str | torch.device = "auto") -> AsteroidModel:
    """Load an ASTEROID model.

    Parameters
    ----------
    path_or_name : str or path
        A model file written by :func:`save_model` / ``asteroid-openmm train``,
        or the name of a built-in system with a shipped model (e.g. ``"ethanol"``).
    device : str
        ``"auto"`` (CUDA when available), ``"cpu"`` or ``"cuda"``.

    Returns
    -------
    AsteroidModel
        In eval mode, on ``device``. Its ``forecast`` takes and returns nm.
    """
    path = Path(path_or_name)
    if not path.is_file() and not str(path_or_name).endswith(".pt") and os.sep not in str(path_or_name):
        candidate = pretrained_path(str(path_or_name))
        if candidate.is_file():
            path = candidate
        else:
            shipped = ", ".join(available_pretrained()) or "none"
            raise FileNotFoundError(
                f"{str(path_or_name)!r} is neither a model file nor a built-in model name "
                f"(shipped models: {shipped})"
            )
    model = model_from_state(read_model_file(path))
    return model.to(resolve_device(device)).eval()
