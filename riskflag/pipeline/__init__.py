"""The spaCy pipeline: ``spacy.blank("en")`` plus riskflag's own components.

Component order (``nlp.analyze_pipes()`` checks it):
  riskflag_sections → riskflag_sentences → identifier detectors (write ``ids.*`` span groups)
  → riskflag_identifiers (merge) → risk cues → context
Components are registered by importing their modules here; importing loads no rules.
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.language import Language

from . import context as _context  # noqa: F401
from . import id_cues as _id_cues  # noqa: F401
from . import id_model as _id_model  # noqa: F401
from . import identifiers as _identifiers  # noqa: F401  (importing registers the factories)
from . import patterns as _patterns  # noqa: F401
from . import risk_cues as _risk_cues  # noqa: F401
from . import sections as _sections  # noqa: F401
from . import sentences as _sentences  # noqa: F401
from .affixes import speed_up_tokenizer
from .extensions import (
    IDENTIFIER_PREFIX,
    IDENTIFIERS_KEY,
    TextKeepingTokenizer,
    register_extensions,
)

__all__ = ["build_nlp", "IDENTIFIERS_KEY", "IDENTIFIER_PREFIX", "IDENTIFIER_COMPONENTS", "RISK_COMPONENTS"]

#: identifier detectors, in order; each writes its own ``ids.*`` span group
IDENTIFIER_COMPONENTS: list[tuple[str, dict[str, Any]]] = [
    ("riskflag_patterns", {}),
    ("riskflag_id_cues", {}),
    ("riskflag_id_model", {}),
]
#: risk components after the identifier merge (added by the risk package when present)
RISK_COMPONENTS: list[tuple[str, dict[str, Any]]] = [
    ("riskflag_risk_cues", {}),
    ("riskflag_context", {}),
]

MAX_NOTE_CHARS = 5_000_000


def build_nlp(
    *,
    identifiers: bool = True,
    risk: bool = True,
    identifier_threshold: float | None = None,
    max_length: int = MAX_NOTE_CHARS,
) -> Language:
    """Blank English tokenizer + riskflag components, initialised (rules loaded) and ready."""
    register_extensions()
    nlp = spacy.blank("en")
    nlp.max_length = max_length
    speed_up_tokenizer(nlp.tokenizer, nlp.Defaults.suffixes)  # same tokens, fewer regex alternatives tried
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("riskflag_sections")
    nlp.add_pipe("riskflag_sentences")
    if identifiers:
        for factory, config in IDENTIFIER_COMPONENTS:
            nlp.add_pipe(factory, config=config)
        merge_cfg: dict[str, Any] = {}
        if identifier_threshold is not None:
            merge_cfg["threshold"] = float(identifier_threshold)
        nlp.add_pipe("riskflag_identifiers", config=merge_cfg)
    if risk:
        for factory, config in RISK_COMPONENTS:
            nlp.add_pipe(factory, config=config)
    nlp.initialize()
    return nlp
