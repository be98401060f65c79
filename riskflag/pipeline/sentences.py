"""Sentence and line boundaries for clinical text: notes wrap lines mid-sentence, use bullets,
headers ("Assessment:"), checkbox lines and semicolon-separated lists. Runs on the tokenizer's
output only (no model), so it is fast and deterministic."""

from __future__ import annotations

import functools

import numpy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import RulesError
from ..rules import _read_json, resource_path

__all__ = ["ClinicalSentencizer"]

SENTENCE_LEXICON = "sentences.json"
_LEXICON_KEYS = {"version", "description", "sentence_end", "abbreviations", "bullets"}


@functools.cache
def _lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(sentence-final tokens, abbreviations, bullet characters) from ``resources/sentences.json``."""
    data = _read_json(resource_path(SENTENCE_LEXICON))
    unknown = set(data) - _LEXICON_KEYS
    if unknown:
        raise RulesError(f"{SENTENCE_LEXICON}: unknown key(s) {', '.join(sorted(unknown))}", code="E303")
    return (frozenset(data["sentence_end"]), frozenset(a.lower() for a in data["abbreviations"]),
            frozenset(data["bullets"]))


@Language.factory(
    "riskflag_sentences",
    assigns=["token.is_sent_start"],
    default_config={"max_line_words": 8},
)
def make_sentencizer(nlp: Language, name: str, max_line_words: int) -> ClinicalSentencizer:
    return ClinicalSentencizer(name=name, max_line_words=max_line_words)


class ClinicalSentencizer:
    """Sentence starts at: sentence-final punctuation, blank lines, and line breaks where the
    next line is a bullet/header/numbered item or the previous line is short or ends a clause."""

    def __init__(self, *, name: str = "riskflag_sentences", max_line_words: int = 8) -> None:
        self.name = name
        self.max_line_words = max_line_words
        self._flags: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        # the rules only read each token's own string: per-string flags are computed once (cached
        # across docs), then combined over the doc with numpy; a token's trailing whitespace is
        # at most one space, so newlines are always tokens of their own
        orth = doc.to_array([ORTH]).reshape(-1)
        uniq, inv = numpy.unique(orth, return_inverse=True)
        cache = self._flags
        if len(cache) > _CACHE_MAX:
            cache.clear()
        strings = doc.vocab.strings
        missing = [h for h in uniq.tolist() if h not in cache]
        for h in missing:
            cache[h] = _string_flags(strings[h])
        bits = numpy.fromiter((cache[h] for h in uniq.tolist()), dtype=numpy.int64, count=len(uniq))[inv.reshape(-1)]

        def flag(k: int) -> numpy.ndarray:
            return (bits >> k) & 1 == 1

        starts = numpy.zeros(n, dtype=bool)
        starts[0] = True
        first_lower = flag(_LOWER1)
        has_nl = flag(_HAS_NL)
        # sentence-final punctuation: the next token starts a sentence unless it goes on in lower case;
        # after a bare "." a lower-case word starts one too (dictated and typed text is often all
        # lower case: "... in tulsa. my husband hit me") unless the "." ends an abbreviation
        # ("pt. states", "approx. 2 cm"), an initial ("j. smith") or a list number at a line start
        end = numpy.flatnonzero(flag(_END_TOK)[:-1])
        lower_next = first_lower[end + 1] & ~has_nl[end + 1]
        dot = end[flag(_DOT)[end] & (end > 0)]
        prev = dot - 1
        list_num = flag(_DIGIT1)[prev] & ((prev == 0) | has_nl[numpy.maximum(prev - 1, 0)])
        dot = dot[~flag(_ABBREV)[prev] & ~list_num & ~has_nl[prev] & ~flag(_SPACE)[prev]]
        lower_next[numpy.searchsorted(end, dot)] = False
        starts[end + 1] |= ~lower_next
        # line breaks
        nl = numpy.flatnonzero(has_nl)
        if nl.size:
            is_space = flag(_SPACE)
            wordy = flag(_WORDY) & ~is_space & ~has_nl
            cum = numpy.concatenate(([0], numpy.cumsum(wordy)))  # cum[i]: wordy tokens before i
            prev_nl = numpy.concatenate(([-1], nl[:-1]))
            line_words = cum[nl] - cum[prev_nl + 1]
            # the last non-space token before each line break (or the break itself when not space)
            pos = numpy.where(is_space, -1, numpy.arange(n))
            last_before = numpy.maximum.accumulate(numpy.concatenate(([-1], pos)))[nl]  # index < nl
            last = numpy.where(is_space[nl], last_before, nl)
            keep = nl + 1 < n
            nl, line_words, last = nl[keep], line_words[keep], last[keep]
            j = nl + 1
            after_ok = j + 1 < n
            after = numpy.where(after_ok, j + 1, 0)
            after_dot = flag(_DOT_PAREN)[after] & after_ok
            after_colon = flag(_COLON)[after] & after_ok
            last_clause = numpy.where(last >= 0, flag(_CLAUSE_END)[numpy.maximum(last, 0)], False)
            cond = (
                ((bits[nl] >> _NL_SHIFT) >= 2)
                | flag(_BULLET1)[j]
                | (flag(_DIGIT1)[j] & after_dot)
                | ((line_words <= self.max_line_words) & ~first_lower[j])
                | last_clause
                | (after_colon & flag(_UPPER1)[j])
            )
            starts[j[cond]] = True
        # SENT_START: 1 = starts a sentence, -1 = does not
        arr = numpy.where(starts, 1, -1).astype("int32").astype("uint64").reshape(-1, 1)
        doc.from_array([SENT_START], arr)
        return doc


# per-string flag bits
(_END_TOK, _LOWER1, _HAS_NL, _SPACE, _WORDY, _DOT_PAREN, _COLON, _CLAUSE_END, _BULLET1, _DIGIT1, _UPPER1, _DOT,
 _ABBREV) = range(13)
_NL_SHIFT = 16  # newline count in the bits above
_CACHE_MAX = 100_000  # distinct token strings kept (about 10 MB at most)


def _string_flags(text: str) -> int:
    """The token-string facts the sentence rules use, as bits (newline count above ``_NL_SHIFT``)."""
    _END, _ABBREVIATIONS, _BULLETS = _lexicon()
    first = text[:1]
    facts = (
        text in _END or (len(text) > 1 and text[-1] in "!?"),
        first.islower(),
        "\n" in text,
        not text.strip(),
        any(ch.isalnum() for ch in text),
        text in {".", ")"},
        text == ":",
        text in {".", ":", ";", "?", "!"},
        first in _BULLETS,
        first.isdigit(),
        first.isupper(),
        text == ".",
        len(text) == 1 or text.lower() in _ABBREVIATIONS,
    )
    bits = sum(1 << k for k, f in enumerate(facts) if f)
    return bits | (text.count("\n") << _NL_SHIFT)
