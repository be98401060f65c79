"""Where shipped data lives: rule files in ``riskflag/resources``, models in the top-level
``models/`` folder (installed as the data package ``riskflag_models``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["shipped_model_path", "SHARED_DATA_ENV"]

SHARED_DATA_ENV = "RISKFLAG_SHARED_DATA"


def shipped_model_path(name: str) -> Path:
    """Path of a shipped model folder or file, e.g. ``shipped_model_path("risk-default")``."""
    return Path(str(resources.files("riskflag_models") / name))
