"""LiteralIndex (one Aho-Corasick pass) must answer exactly as LiteralFilter's substring searches."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from riskflag.pipeline.prefilter import LiteralFilter, LiteralIndex

PATTERNS = [
    r"(?i)\bsuicid\w*",
    r"(?i)kill(?:ing|ed)?\s+(?:my|him|her)self",
    r"\bSSN\s*\d{3}",
    r"(?i)(?:cut|cutting)\s+(?:my|her|his)\s+(?:wrist|arm)s?",
    r"Dr\.\s+[A-Z][a-z]+",
    r"\d{3}-\d{2}-\d{4}",  # no literal: always runs
]
FILTERS = [LiteralFilter(regex.compile(p).pattern, regex.compile(p).flags) for p in PATTERNS]
INDEX = LiteralIndex(FILTERS, extra_lower=["s/p", "h/o"])
#: every literal indexed / only long ones (the rest searched in the text)
INDEXES = [INDEX, LiteralIndex(FILTERS, min_length=1), LiteralIndex(FILTERS, min_length=6)]

ALPHABET = st.sampled_from(list("abcdikltsuwSDrKI .-/0123456789é") + ["suicid", "kill", "cut", "SSN", "Dr.", "s/p", "myself", "wrist"])


def _texts():
    return st.lists(ALPHABET, max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_texts())
def test_index_agrees_with_substring_search(text: str) -> None:
    lower = text.lower()
    ascii_lower = lower if text.isascii() else None
    for index in INDEXES:
        hits = index.scan(text, lower)
        for f in FILTERS:
            assert f.may_match_hits(hits) == f.may_match(text, ascii_lower)


@settings(max_examples=150, deadline=None)
@given(st.lists(ALPHABET, max_size=12).map("".join))
def test_index_agrees_inside_every_window(text: str) -> None:
    lower = text.lower()
    ascii_lower = lower if text.isascii() else None
    for index in INDEXES:
        hits = index.scan(text, lower)
        for a in range(len(text) + 1):
            for b in range(a, len(text) + 1):
                for f in FILTERS:
                    assert f.may_match_in_hits(hits, a, b) == f.may_match_in(text, ascii_lower, a, b), (a, b)


def test_extra_substrings_are_found_in_lower_case() -> None:
    hits = INDEX.scan("Pt S/P fall")
    assert hits.has("s/p", True) and not hits.has("h/o", True)
    assert hits.ci["s/p"] == [3]


def test_short_literals_are_searched_in_the_text() -> None:
    index = LiteralIndex([LiteralFilter(r"\d+st\b"), LiteralFilter(r"(?i)[a-z]pt\b")])
    assert "st" not in index.indexed_cs and "pt" not in index.indexed_ci
    hits = index.scan("12st xPt")
    assert hits.has("st", False) and hits.has("pt", True) and not hits.has("xy", True)
    assert hits.has_in("pt", True, 5, 8) and not hits.has_in("pt", True, 0, 7)


def test_prefixes_are_always_indexed() -> None:
    f = LiteralFilter(r"(?i)\bno\s+longer")
    assert f.prefixes == ("no",)
    hits = LiteralIndex([f]).scan("No plan. Not now; no  longer")
    assert hits.starts(f) == [0, 9, 13, 18]  # candidates: 'now' too (the regex then fails there)


def test_overlapping_literals_are_all_reported() -> None:
    hits = LiteralIndex([LiteralFilter("(?i)killing"), LiteralFilter("(?i)kill"), LiteralFilter("(?i)ill")]).scan("KILLING time")
    assert hits.ci == {"kill": [0], "killing": [0], "ill": [1]}


ANCHORED = [
    r"(?i)\b(?:abus\w*|molest\w*|rape)\b",
    r"(?i)\b(?:struck|hit)\s+(?:an?\s+)?(?:staff|nurse)",
    r"\bSSN\s*\d{3}",
    r"(?i:dr)\. [A-Z]\w+",
    r"(?i)(?<=\bpt )(?:cut|cutting)\s+(?:her|his)?",
    r"(?i)kill(?:ing|ed)?(?=\s+time)",
    r"(?i)\bno\s+longer\b",
    r"(?i)\bc-?ssrs\b",
]


def test_required_prefixes() -> None:
    from riskflag.pipeline.prefilter import required_prefixes

    assert required_prefixes(r"\b(?:abus\w*|molest\w*|rape)\b", regex.IGNORECASE) == (frozenset({"abus", "molest", "rape"}), True)
    assert required_prefixes(r"\bSSN\s*\d") == (frozenset({"SSN"}), False)
    assert required_prefixes(r"(?:battered|batterer|batter)\b") == (frozenset({"batter"}), False)
    assert required_prefixes(r"(?i:Dr)\. Smith") == (frozenset({"dr. smith"}), True)
    assert required_prefixes(r"(?:abc|x)yz") == (frozenset({"abcyz", "xyz"}), False)
    assert required_prefixes(r"\bc-?ssrs") == (frozenset({"c-ssrs", "cssrs"}), False)
    assert required_prefixes(r"(?:mon\s+)?jan") == (frozenset({"mon", "jan"}), False)
    for no_prefix in (r"\w+ing", r"(?:ab|c)?\w", r"h\b", r"(?:abc|x)\w", r"q\s?1"):
        assert required_prefixes(no_prefix) is None, no_prefix


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["abuse", "Abused", "molested", "rape", "grape", " ", "hit", "struck", "a", "staff",
                                 "nurse", "SSN", "ssn", "123", "Dr.", "dr.", "Smith", "pt", "cut", "her", "killing",
                                 "time", "\n", "é", "no", "longer", "c-", "C", "ssrs"]), max_size=25).map("".join),
       st.integers(0, 60), st.integers(0, 60))
def test_anchored_finditer_equals_finditer(text: str, a: int, b: int) -> None:
    from riskflag.pipeline.prefilter import anchored_finditer

    a, b = min(a, b, len(text)), min(max(a, b), len(text))
    rxs = [regex.compile(p) for p in ANCHORED]
    filters = [LiteralFilter(rx.pattern, rx.flags) for rx in rxs]
    hits = LiteralIndex(filters).scan(text)
    for rx, f in zip(rxs, filters, strict=True):
        assert f.prefixes is not None, rx.pattern
        starts = hits.starts(f)
        want = [m.span() for m in rx.finditer(text, a, b)]
        if starts is None:  # non-ASCII text with case-insensitive prefixes: the caller searches as usual
            assert f.prefix_ci and not text.isascii()
            continue
        assert [m.span() for m in anchored_finditer(rx, text, starts, a, b)] == want, rx.pattern


@settings(max_examples=300, deadline=None)
@given(_texts())
def test_passing_agrees_with_may_match(text: str) -> None:
    """``LiteralHits.passing`` (literal -> filters) gives each filter's ``may_match`` answer."""
    ascii_lower = text.lower() if text.isascii() else None
    for index in INDEXES:
        hits = index.scan(text)
        assert list(hits.passing(index)) == [int(f.may_match(text, ascii_lower)) for f in FILTERS]
