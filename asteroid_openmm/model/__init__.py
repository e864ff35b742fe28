"""The ASTEROID model: network, STI/Hankel algebra and model files."""

from .asteroid import AsteroidModel
from .checkpoint import available_pretrained, load_model, save_model

__all__ = ["AsteroidModel", "load_model", "save_model", "available_pretrained"]
