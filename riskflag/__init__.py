"""riskflag: flag duty-to-warn risk passages and HIPAA identifiers in clinical notes.

Importing riskflag loads no rules and no model; build them explicitly::

    from riskflag import make_scanner, read_notes
    scanner = make_scanner()
    for result in scanner.scan(read_notes("notes.csv")):
        ...
"""

from __future__ import annotations

from ._version import __version__
from .engine import Scanner
from .errors import ConfigError, InputError, ModelError, RecordError, RiskflagError, RulesError
from .io import read_notes
from .pipeline import build_nlp
from .redact import redact_text
from .scan import make_scanner, scan, scan_files
from .types import Evidence, Finding, Note, NoteResult, Passage

__all__ = [
    "__version__",
    "scan",
    "scan_files",
    "make_scanner",
    "Scanner",
    "build_nlp",
    "read_notes",
    "redact_text",
    "Note",
    "Finding",
    "Evidence",
    "Passage",
    "NoteResult",
    "RiskflagError",
    "InputError",
    "RecordError",
    "RulesError",
    "ModelError",
    "ConfigError",
    "train_model",
    "evaluate_model",
    "load_model",
    "write_report",
    "scan_dask",
]

#: public functions whose modules load heavier dependencies, imported on first use
#: (``riskflag.train`` is the module; its ``train``/``evaluate`` are exported as ``train_model``/``evaluate_model``)
_LAZY = {"train_model": ("train", "train"), "evaluate_model": ("train", "evaluate"), "load_model": ("model", "load_model"),
         "write_report": ("report", "write_report"), "scan_dask": ("dask_frames", "scan_dask")}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attr)
    raise AttributeError(f"module 'riskflag' has no attribute '{name}'")
