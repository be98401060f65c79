"""Merge identifier candidates from every detector group (``doc.spans["ids.*"]``) into the final
``doc.spans["identifiers"]``: resolve overlaps, propagate each found string to its other
occurrences in the note (consistency), and apply the recall-first threshold."""

from __future__ import annotations

from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..types import Evidence
from .extensions import (
    IDENTIFIER_PREFIX,
    IDENTIFIERS_KEY,
    doc_text,
    make_span,
    register_extensions,
    span_offsets,
)

__all__ = ["IdentifierMerger", "DEFAULT_IDENTIFIER_THRESHOLD"]

DEFAULT_IDENTIFIER_THRESHOLD = 0.3
CONSISTENCY_MIN_CHARS = 3
CONSISTENCY_FACTOR = 0.95
#: only findings at least this sure are copied to the note's other occurrences (a weak model guess is not)
CONSISTENCY_MIN_SCORE = 0.45


@Language.factory(
    "riskflag_identifiers",
    assigns=["doc.spans"],
    default_config={"threshold": DEFAULT_IDENTIFIER_THRESHOLD, "consistency": True},
)
def make_identifier_merger(nlp: Language, name: str, threshold: float, consistency: bool) -> IdentifierMerger:
    return IdentifierMerger(name=name, threshold=threshold, consistency=consistency)


class IdentifierMerger:
    def __init__(self, *, name: str = "riskflag_identifiers", threshold: float = DEFAULT_IDENTIFIER_THRESHOLD,
                 consistency: bool = True) -> None:
        register_extensions()
        self.name = name
        self.threshold = threshold
        self.consistency = consistency

    def __call__(self, doc: Doc) -> Doc:
        candidates: list[tuple[int, int, Span]] = []
        for key in list(doc.spans):
            if key.startswith(IDENTIFIER_PREFIX):
                for span in doc.spans[key]:
                    if span._.score >= self.threshold:
                        s, e = span_offsets(span)
                        candidates.append((s, e, span))
        if candidates:
            candidates = self._drop_eponyms(doc_text(doc), candidates)
        kept = resolve_overlaps(candidates)
        if self.consistency and kept:
            kept = resolve_overlaps(kept + self._drop_eponyms(doc_text(doc), self._propagate(doc, kept)))
        doc.spans[IDENTIFIERS_KEY] = [span for _, _, span in kept]
        return doc

    def _lexicons(self) -> Any:
        lex = getattr(self, "_lex", None)
        if lex is None:
            from .id_lexicons import load_lexicons

            lex = self._lex = load_lexicons()
        return lex

    def _drop_eponyms(self, text: str, cands: list[tuple[int, int, Span]]) -> list[tuple[int, int, Span]]:
        """A capitalised word before a clinical noun ("Johnson knee holder", "Prentiss maneuver", "Bruce
        protocol", cues.json ``eponym_next``) or after a catheter/port size ("18-French Robinson", "12-mm
        VersaStep port") names an instrument, test or disease: dropped unless a strong cue named it."""
        nouns = self._lexicons().cues["eponym_next"]
        stop = self._lexicons().cues["stop"]
        out = []
        for s, e, span in cands:
            if span.label_ in _EPONYM_LABELS and not span._.source.startswith(_STRONG_SOURCES):
                m = _AFTER_WORDS.match(text, e)
                mid = m.group(1) if m else ""
                if mid in _ROMAN_GRADES and " " not in text[s:e].strip():
                    continue  # "Tanner II", "Mallampati IV": a stage or class follows
                if m and (mid.lower() in nouns or (
                        m.group(2) and m.group(2).lower() in nouns and mid.lower() not in stop
                        and (mid.islower() or mid.isupper() and m.group(2).isupper()))):
                    continue
                if _SIZE_BEFORE.search(text, max(0, s - 16), s):
                    continue
                last = text[s:e].rsplit(None, 1)
                if len(last) == 2 and last[1].lower() in nouns:
                    continue  # the noun inside the span: "Santa Barbara T-tube"
            out.append((s, e, span))
        return out

    def _distinctive(self, word: str) -> bool:
        """A part of a found full name that identifies on its own: not a clinical or everyday word."""
        lex = self._lexicons()
        w = word.lower()
        return (w not in lex.hard_allow and w not in lex.allow["common"] and w not in lex.cues["stop"]
                and lex.zipf(w) < 4.0)

    def _propagate(self, doc: Doc, kept: list[tuple[int, int, Span]]) -> list[tuple[int, int, Span]]:
        text = doc_text(doc)
        covered = [(s, e) for s, e, _ in kept]
        seen: dict[str, Span] = {}
        parts: dict[str, Span] = {}
        for s, e, span in kept:
            value = text[s:e].strip()
            if (len(value) >= CONSISTENCY_MIN_CHARS and any(ch.isalnum() for ch in value)
                    and span._.score >= CONSISTENCY_MIN_SCORE and span.label_ != "AGE"):
                # an age ("100") identifies only where it is an age: "100 in the evening" is a dose
                key = value.lower()
                if key not in seen or seen[key]._.score < span._.score:
                    seen[key] = span
                if span.label_ == "NAME" and " " in value:
                    # "Robert Fitzgerald" ... later "Fitzgerald": each distinctive part of a full name
                    for part in _NAME_PART.findall(value):
                        if self._distinctive(part):
                            parts.setdefault(part.lower(), span)
        for key, span in parts.items():
            seen.setdefault(key, span)
        extra: list[tuple[int, int, Span]] = []
        lower = text.lower() if text.isascii() else None
        for key, src in seen.items():
            for s, e in _whole_word_occurrences(text, lower, key):
                if any(cs <= s and e <= ce for cs, ce in covered):
                    continue
                span = make_span(
                    doc, s, e, src.label_, score=src._.score * CONSISTENCY_FACTOR,
                    source=f"consistency:{src._.source}",
                    evidence=[Evidence("consistency", src._.source, *span_offsets(src))],
                )
                if span is not None:
                    extra.append((s, e, span))
        return extra


def _whole_word_occurrences(text: str, lower: str | None, key: str) -> list[tuple[int, int]]:
    r"""Offsets of ``key`` (lower case) in ``text``, case-insensitively, not inside a longer word:
    ``regex`` ``(?<!\w)key(?!\w)`` with IGNORECASE. ``lower``: ``text.lower()`` for an ASCII text,
    searched with ``str.find`` (compiling one regex per key and note cost more than the search)."""
    if lower is None or not key.isascii():
        pat = regex.compile(r"(?<![\w])" + regex.escape(key) + r"(?![\w])", regex.IGNORECASE)
        return [m.span() for m in pat.finditer(text)]
    out = []
    n = len(key)
    i = lower.find(key)
    while i >= 0:
        e = i + n
        if (i == 0 or not _is_word_char(lower[i - 1])) and (e == len(lower) or not _is_word_char(lower[e])):
            out.append((i, e))
            i = lower.find(key, e if n else i + 1)
        else:
            i = lower.find(key, i + 1)
    return out


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_EPONYM_LABELS = frozenset({"NAME", "LOCATION", "ADDRESS", "FACILITY"})
#: sources that name a person or place whatever follows ("Dr. Hank's dilators" is still Dr. Hank)
_STRONG_SOURCES = ("cue.title.", "cue.relative", "cue.credential", "cue.label", "cue.introduced", "cue.signature",
                   "cue.last_comma_first", "cue.contact", "cue.university", "cue.facility_name")
#: the next word (after an optional possessive), and the one after it
_AFTER_WORDS = regex.compile(r"(?:['\u2019]s|s['\u2019])?[ \t]+([A-Za-z][A-Za-z-]*)(?:[ \t]+([A-Za-z][A-Za-z-]*))?")
_ROMAN_GRADES = frozenset({"II", "III", "IV", "V"})
#: a catheter, port, needle or dilator size right before: "18-French", "12-mm", "#14 Fr", "21-gauge", "size #20"
_SIZE_BEFORE = regex.compile(r"(?i)(?:\d[ \t]*-?[ \t]*(?:french|fr|mm|gauge|ga)\.?|\bsize[ \t]+\#?\d{1,2})[ \t]+\Z")

#: labels for one kind of thing (a place): overlapping candidates of these merge instead of clashing
_PLACE_LABELS = frozenset({"ADDRESS", "LOCATION", "FACILITY"})


def _same_kind(a: str, b: str) -> bool:
    return a == b or (a in _PLACE_LABELS and b in _PLACE_LABELS)


_NAME_PART = regex.compile(r"[\p{L}][\p{L}'-]{3,}")


def resolve_overlaps(cands: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """Greedy: highest score first (then longest); a candidate overlapping a kept one is dropped,
    unless it has the same label (or both are places: "Towson" ADDRESS inside "Towson Rehab" FACILITY),
    in which case the kept span grows to cover both."""
    order = sorted(cands, key=lambda c: (-c[2]._.score, -(c[1] - c[0]), c[0]))
    kept: list[list[Any]] = []
    for s, e, span in order:
        merged = False
        clash = False
        for k in kept:
            if s < k[1] and k[0] < e:
                if _same_kind(span.label_, k[2].label_):
                    if s < k[0] or e > k[1]:
                        k[0], k[1] = min(s, k[0]), max(e, k[1])
                        k[3] = True
                    merged = True
                else:
                    clash = True
                break
        if not merged and not clash:
            kept.append([s, e, span, False])
    out: list[tuple[int, int, Any]] = []
    for s, e, span, grown in sorted(kept, key=lambda k: k[0]):
        if grown:
            doc = span.doc
            new = make_span(doc, s, e, span.label_, score=span._.score, source=span._.source, evidence=span._.evidence)
            if new is None:
                continue
            span = new
        out.append((s, e, span))
    return out
