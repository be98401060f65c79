"""Every custom ``Doc``/``Span`` attribute riskflag uses, registered in one place, idempotently.

Detector spans carry:
  ``span._.score``     evidence strength 0..1
  ``span._.source``    rule or model id that produced the span
  ``span._.exact``     (start_char, end_char) when the match does not fall on token boundaries
  ``span._.evidence``  list of :class:`riskflag.types.Evidence`
Context attributes on risk cue spans (set by the context component):
  ``negated``, ``historical``, ``hypothetical``, ``experiencer`` (bool) and ``modifiers`` (context
  Evidence: rule id, trigger offsets, flag). Span extensions are keyed by character offsets, so two
  cues of different labels on the same characters share them; ``doc._.risk_context`` holds the
  exact result per cue: a list aligned with ``doc.spans["risk_cues"]`` of (flags, modifiers).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from ..types import CONTEXT_FLAGS, Evidence

__all__ = ["register_extensions", "make_span", "span_offsets", "doc_text", "doc_lower", "IDENTIFIER_PREFIX",
           "IDENTIFIERS_KEY"]

#: detectors write identifier candidates to span groups named ``ids.<detector>``
IDENTIFIER_PREFIX = "ids."
#: the merged, thresholded identifiers
IDENTIFIERS_KEY = "identifiers"

_SPAN_DEFAULTS: dict[str, object] = {
    "score": 0.0,
    "source": "",
    "exact": None,
    "evidence": None,
    "modifiers": None,
    **{flag: False for flag in CONTEXT_FLAGS},
}
_DOC_DEFAULTS: dict[str, object] = {"note_id": None, "risk_context": None}


def register_extensions() -> None:
    """Register riskflag's extension attributes (safe to call repeatedly)."""
    for name, default in _SPAN_DEFAULTS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in _DOC_DEFAULTS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def make_span(
    doc: Doc,
    start: int,
    end: int,
    label: str,
    *,
    score: float,
    source: str,
    evidence: list[Evidence] | None = None,
) -> Span | None:
    """Span over the tokens covering characters ``start:end``; keeps the exact character offsets
    when they fall inside tokens (``MRN:12345`` is one token). None for an empty/whitespace range."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    if span.start_char != start or span.end_char != end:
        span._.exact = (start, end)
    span._.score = float(score)
    span._.source = source
    span._.evidence = list(evidence) if evidence else []
    return span


def span_offsets(span: Span) -> tuple[int, int]:
    """Exact character offsets of a detector span (end exclusive)."""
    exact = span._.exact
    if exact is not None:
        return exact
    return span.start_char, span.end_char


_TEXT_KEY = "riskflag.text"
_LOWER_KEY = "riskflag.lower"
_HASHES_KEY = "riskflag.lower_orth"


class TextKeepingTokenizer:
    """spaCy's tokenizer, keeping the input string in ``doc.user_data`` so ``doc_text`` need not
    rebuild it (spaCy's tokenizer is lossless: ``doc.text`` equals its input). Everything else is
    delegated to the wrapped tokenizer."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[_TEXT_KEY] = text
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc and kept in ``doc.user_data`` (spaCy rebuilds ``doc.text``
    from every token on each access; components call this instead). Docs made by ``build_nlp``'s
    tokenizer carry it from the start."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def token_hashes(doc: Doc) -> tuple[Any, Any, list[int], list[int]]:
    """The tokens' LOWER and ORTH hashes, as uint64 arrays and as lists, computed once per doc
    (the cue and context matchers both read them) and kept in ``doc.user_data``."""
    got = doc.user_data.get(_HASHES_KEY)
    if got is None or len(got[2]) != len(doc):
        from spacy.attrs import LOWER, ORTH

        arr = doc.to_array([LOWER, ORTH])
        got = (arr[:, 0], arr[:, 1], arr[:, 0].tolist(), arr[:, 1].tolist())
        doc.user_data[_HASHES_KEY] = got
    return got


def doc_lower(doc: Doc) -> str | None:
    """The doc's text lower-cased, when it is ASCII (then lower-casing equals case folding, so
    case-insensitive literal prefilters may use it); None otherwise. Cached like ``doc_text``."""
    ud = doc.user_data
    if _LOWER_KEY in ud:
        return ud[_LOWER_KEY]
    text = doc_text(doc)
    lower = text.lower() if text.isascii() else None
    ud[_LOWER_KEY] = lower
    return lower
