"""Doc → Passage candidates: the text the risk model scores, with cue and context features.

Two modes:
  ``"cues"``  (scanning) one passage per sentence that holds a risk cue, with ``neighbours``
              sentences either side from the same paragraph (training rows are 1-3 sentences); a
              cue sentence ending in ":" or "?" joins the next one; long run-on sentences are cut
              to a window of tokens around the cues; overlapping passages merge. Sentences with
              quoted or labelled speech ("Pt: ...") are candidates too, cue or not. Notes without cues yield no passage, so scanning
              cost scales with the cues, not the note length.
  ``"whole"`` (training rows) the whole text is one passage.

Features are a flat dict (for ``DictVectorizer``): cue rule ids, cue labels crossed with their
context flags, context trigger rule ids, the section category. Nothing here reads or logs text
beyond slicing the passage out of the note.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex
from spacy.tokens import Doc, Span

from .pipeline.extensions import doc_text
from .pipeline.risk_cues import CUES_KEY, SentenceIndex
from .pipeline.sections import SectionIndex, section_at, section_index
from .types import CONTEXT_FLAGS, Evidence, Passage

__all__ = ["from_doc", "from_docs", "passage_features", "MAX_PASSAGE_TOKENS", "WINDOW_TOKENS"]

MAX_PASSAGE_TOKENS = 80
WINDOW_TOKENS = 24
#: sentences either side of a cue sentence joined to its passage (same paragraph only)
NEIGHBOURS = 1
_SPEECH = regex.compile(r'["“”]|(?m)^[ \t]*(?:pt|patient|client|c|resident|child|caller|member)[ \t]*:')


def from_docs(docs: Sequence[Doc], note_ids: Sequence[str], *, mode: str = "cues") -> list[list[Passage]]:
    return [from_doc(d, n, mode=mode) for d, n in zip(docs, note_ids, strict=True)]


def _cues(doc: Doc) -> list[tuple[Span, frozenset[str], tuple[Evidence, ...]]]:
    spans = list(doc.spans.get(CUES_KEY, ()))
    ctx = doc._.risk_context
    if ctx is None or len(ctx) != len(spans):  # context component absent: read the span attributes
        ctx = [(frozenset(f for f in CONTEXT_FLAGS if getattr(s._, f)), tuple(s._.modifiers or ())) for s in spans]
    return [(s, flags, mods) for s, (flags, mods) in zip(spans, ctx, strict=True)]


def _neighbour(doc: Doc, tok: int, step: int, sents: SentenceIndex, text: str) -> tuple[int, int] | None:
    """Token range of the sentence before (step -1) or after (+1) token ``tok``, unless a blank
    line or a section header lies between (a neighbour only counts inside the same paragraph)."""
    i = tok + step
    gap = ""
    while 0 <= i < len(doc) and doc[i].is_space:
        gap += doc[i].text
        i += step
    if not 0 <= i < len(doc):
        return None
    lo, hi = (i, tok) if step < 0 else (tok, i)
    between = text[doc[lo].idx:doc[hi].idx]  # the tokens lo..hi-1 with their whitespace
    if "\n\n" in between.replace(" ", "").replace("\t", "") or "\n\n" in gap:
        return None
    a, b = sents.bounds(i)
    if b - a > MAX_PASSAGE_TOKENS:
        return None
    return a, b


def _speech_sentences(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Sentences quoting the patient or opening with a speaker label ("Pt:", "Client:"): implicit
    risk ("I already wrote the note") is mostly said, so speech is a candidate without a cue."""
    out = []
    for m in _SPEECH.finditer(text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and len(span):
            out.append((span.start, span.end))
    return out


def from_doc(doc: Doc, note_id: str = "", *, mode: str = "cues", neighbours: int = NEIGHBOURS,
             speech: bool = True) -> list[Passage]:
    """Passage candidates of one processed doc (see the module doc for the modes)."""
    cues = _cues(doc)
    if mode == "whole":
        text = doc_text(doc)
        return [_make(doc, text, note_id, 0, len(text), cues)]
    if mode != "cues":
        raise ValueError(f"unknown passage mode '{mode}'; use 'cues' or 'whole'")
    text = doc_text(doc)  # spaCy rebuilds doc.text on every access: cached once per doc
    anchors = [(span.start, span.end) for span, _, _ in cues]
    if speech:
        anchors += _speech_sentences(doc, text)
    if not anchors:
        return []
    # group cues by sentence (token ranges), joining a sentence that ends in ":" to the next
    ranges: list[list[int]] = []
    sents = SentenceIndex(doc)
    for a0, b0 in sorted(anchors):
        a, b = sents.bounds(a0)
        last = doc[b - 1].text
        if b < len(doc) and (last == ":" or last.endswith("?") or (b - a <= 2 and last not in {".", "!"})):
            b = sents.bounds(b)[1]
        if b - a > MAX_PASSAGE_TOKENS:
            a = max(a, a0 - WINDOW_TOKENS)
            b = min(b, b0 + WINDOW_TOKENS)
        else:
            for _ in range(neighbours):
                prev = _neighbour(doc, a, -1, sents, text)
                if prev is not None and b - prev[0] <= MAX_PASSAGE_TOKENS:
                    a = prev[0]
                nxt = _neighbour(doc, b - 1, +1, sents, text)
                if nxt is not None and nxt[1] - a <= MAX_PASSAGE_TOKENS:
                    b = nxt[1]
        if ranges and a < ranges[-1][1]:
            if max(ranges[-1][1], b) - ranges[-1][0] <= MAX_PASSAGE_TOKENS:
                ranges[-1][1] = max(ranges[-1][1], b)
                continue
            # merging would exceed the passage cap: start after the previous passage instead
            a = ranges[-1][1]
            if a >= b:
                continue
        ranges.append([a, b])
    out = []
    sections = section_index(doc)
    for a, b in ranges:
        sc = doc[a].idx
        last = doc[b - 1]
        ec = last.idx + len(last.text)
        inside = [c for c in cues if sc <= c[0].start_char and c[0].end_char <= ec]
        out.append(_make(doc, text, note_id, sc, ec, inside, sections))
    return out


def _make(doc: Doc, text: str, note_id: str, start: int, end: int,
          cues: list[tuple[Span, frozenset[str], tuple[Evidence, ...]]], sections: SectionIndex | None = None) -> Passage:
    cue_ev: list[Evidence] = []
    flags: list[tuple[str, ...]] = []
    triggers: list[Evidence] = []
    for span, fl, mods in cues:
        for ev in span._.evidence or ():
            cue_ev.append(Evidence("cue", ev.rule_id, ev.start, ev.end, detail=span.label_, weight=span._.score))
            flags.append(tuple(f for f in CONTEXT_FLAGS if f in fl))
        for m in mods:
            if m not in triggers:
                triggers.append(m)
    section, _ = section_at(doc, start, sections) if len(doc) else (None, None)
    common = set(CONTEXT_FLAGS)
    for f in flags:
        common &= set(f)
    context = tuple(f for f in CONTEXT_FLAGS if f in common) if flags else ()
    p = Passage(note_id=note_id, start=start, end=end, text=text[start:end], cues=tuple(cue_ev),
                context=context, section=section, cue_flags=tuple(flags), triggers=tuple(triggers))
    return Passage(note_id=p.note_id, start=p.start, end=p.end, text=p.text, cues=p.cues,
                   context=p.context, features=passage_features(p), section=p.section,
                   cue_flags=p.cue_flags, triggers=p.triggers)


def passage_features(p: Passage) -> dict[str, float]:
    """Cue and context features of a passage (a flat dict of floats for DictVectorizer)."""
    f: dict[str, float] = {}

    def inc(key: str, v: float = 1.0) -> None:
        f[key] = f.get(key, 0.0) + v

    seen_rules: set[tuple[str, str]] = set()
    for cue, fl in zip(p.cues, p.cue_flags, strict=True):
        label = cue.detail or "?"
        state = "+".join(fl) if fl else "affirmed"
        if (cue.rule_id, state) in seen_rules:
            continue
        seen_rules.add((cue.rule_id, state))
        inc(f"cue={cue.rule_id}")
        inc(f"cue={cue.rule_id}|{state}")
        inc(f"label={label}|{state}")
        inc(f"label={label}")
        for flag in fl:
            inc(f"label={label}|{flag}")
        if not fl:
            inc(f"label={label}|affirmed_weight", float(cue.weight or 0.0))
    for t in p.triggers:
        inc(f"trigger={t.rule_id}")
    for flag in p.context:
        f[f"context={flag}"] = 1.0
    if p.cues and not p.context:
        f["context=affirmed_any"] = 1.0
    if not p.cues:
        f["no_cue"] = 1.0
    if _SPEECH.search(p.text):
        f["speech"] = 1.0
    if p.section:
        f[f"section={p.section}"] = 1.0
    return f
