"""Prefilters only ever skip work that cannot match: results with and without them are identical."""

from __future__ import annotations

import numpy as np
import pytest
import regex
import spacy
from spacy.matcher import Matcher

from riskflag.pipeline.prefilter import (
    LiteralFilter,
    TokenPatternFilter,
    ascii_lower,
    required_literals,
)
from riskflag.pipeline.risk_cues import CUE_SCHEMA
from riskflag.rules import load_rules

TEXTS = [
    "Pt denies SI/HI. No self-harm. Hx of suicide attempt in 2019; now endorses suicidal ideation.",
    "He said he would kill him if he came back. Threatened his brother with a knife.",
    "Left SI joint injection. Heart attack in 2010. Stabbing chest pain. Tobacco abuse.",
    "Any urges to cut? -- No. Mother has a history of depression. Killing time at home.",
    "CPS report filed; bruises in various stages of healing. Left alone without food.",
    "SELF-HARM: NONE. SUICIDAL IDEATION: DENIED. HOMICIDAL: NO.",
    "Naïve patient — café worker, no SI; überweisung 12/03/2024.",
    "",
]


@pytest.mark.parametrize(("pattern", "flags", "expected"), [
    (r"\b(?:suicid\w*|parasuicid\w*)\b", regex.IGNORECASE, ({"suicid"}, True)),
    (r"\bguns?\b|\bgunshot\b", 0, ({"gun"}, False)),
    (r"(?i:abc)de", 0, ({"abc"}, True)),
    (r"\d{5}", 0, None),
    (r"a?b*", 0, None),
])
def test_required_literals(pattern: str, flags: int, expected: tuple[set[str], bool] | None) -> None:
    got = required_literals(pattern, flags)
    if expected is None:
        assert got is None
    else:
        assert got is not None and set(got[0]) == expected[0] and got[1] == expected[1]


def _rule_regexes() -> list[tuple[str, int]]:
    out = []
    cues, _ = load_rules("risk_cues.json", CUE_SCHEMA)
    for r in cues:
        if "regex" in r:
            out.append((r["regex"], 0 if r.get("case_sensitive") else regex.IGNORECASE))
    return out


def _shipped_regexes() -> list[tuple[str, str, int, list[str]]]:
    """(rule id, regex, flags, example texts) of every regex in the shipped rule files."""
    import json

    from riskflag.rules import resource_path

    out = []
    for r in json.loads(resource_path("identifiers/patterns.json").read_text(encoding="utf-8"))["patterns"]:
        ex = r.get("examples", {})
        out.append((r["id"], r["regex"], 0, [*ex.get("match", []), *ex.get("no_match", [])]))
    cues = json.loads(resource_path("risk_cues.json").read_text(encoding="utf-8"))
    for r in [*cues["cues"], *cues["blockers"]]:
        if "regex" in r:
            ex = r.get("examples", {})
            flags = 0 if r.get("case_sensitive") else regex.IGNORECASE
            out.append((r["id"], r["regex"], flags, [*ex.get("match", []), *ex.get("no_match", [])]))
    for r in json.loads(resource_path("context_rules.json").read_text(encoding="utf-8"))["context_rules"]:
        if isinstance(r.get("pattern"), str):
            ex = r.get("examples", {})
            out.append((r["id"], r["pattern"], 0, [*ex.get("applies", []), *ex.get("does_not_apply", [])]))
    return out


@pytest.mark.parametrize(("rule_id", "pattern", "flags", "examples"), _shipped_regexes(),
                         ids=[r[0] for r in _shipped_regexes()])
def test_every_shipped_regex_filter_passes_its_matches(rule_id: str, pattern: str, flags: int,
                                                      examples: list[str]) -> None:
    """Literal, digit-run and shape prefilters of every shipped regex let through every text it
    matches (its own examples, shouted and lower-cased too, and the shared texts)."""
    from riskflag.pipeline.prefilter import LiteralIndex, max_digit_run, shape_text

    rx = regex.compile(pattern, flags | regex.VERSION0)
    lf = LiteralFilter(rx.pattern, rx.flags)
    index = LiteralIndex([lf])
    texts = [*examples, *(e.upper() for e in examples), *(e.lower() for e in examples), *TEXTS]
    matched = 0
    for text in texts:
        m = rx.search(text)
        if m is None:
            continue
        matched += 1
        low = ascii_lower(text)
        assert lf.may_match(text, low, max_digit_run(text), shape_text(text)), (rule_id, text)
        assert lf.may_match_hits(index.scan(text), max_digit_run(text), shape_text(text)), (rule_id, text)
        # a window from the match on: what ``finditer(text, pos, endpos)`` over it would find
        assert lf.may_match_in(text, low, m.start(), len(text)), (rule_id, text)
        assert lf.may_match_in_hits(index.scan(text), m.start(), len(text)), (rule_id, text)
        starts = index.scan(text).starts(lf)
        if starts is not None:  # prefix-anchored search finds what a full search finds
            from riskflag.pipeline.prefilter import anchored_finditer

            assert [x.span() for x in anchored_finditer(rx, text, starts)] == [x.span() for x in rx.finditer(text)], (rule_id, text)
    assert matched or not examples, f"{rule_id}: no example matched (the test would check nothing)"


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\p{Lu}\p{Ll}+straße", r"[\s\S][\s\S]+straße"),
    (r"[\p{L}'-]+ \P{N}", r"[\s\S'-]+ [\s\S]"),
    (r"(?|a(\d)|b(\d))", r"(?:a(\d)|b(\d))"),
    (r"\\p{x} [\]\p{L}]", r"\\p{x} [\]\s\S]"),
    (r"plain \d+", r"plain \d+"),
])
def test_regex_only_syntax_is_rewritten_for_the_stdlib_parser(pattern: str, expected: str) -> None:
    from riskflag.pipeline.prefilter import _stdlib_syntax

    assert _stdlib_syntax(pattern) == expected


def test_lookarounds_and_unicode_properties_give_requirements() -> None:
    from riskflag.pipeline.prefilter import required_digits, required_shapes

    # a positive lookahead must match too; a negative one says nothing
    assert required_literals(r"\p{Lu}\p{Ll}+(?=,? [A-Z]{2}\d \d[A-Z]{2})") == (frozenset({" "}), False)
    assert required_shapes(r"\p{Lu}\p{Ll}+(?=,? [A-Z]{2}\d \d[A-Z]{2})") == frozenset({" AA0 0AA"})
    assert required_literals(r"\p{Lu}\w+(?= said)") == (frozenset({" said"}), False)
    # a lookbehind may lie before a window's start: no literal from it; a negative one: nothing
    assert required_literals(r"(?<=Dr\. )\p{Lu}\w+") is None
    assert required_literals(r"\p{Lu}\w+(?! said)") is None
    assert required_digits(r"(?<=\d{3}-)\w+") == 3
    assert required_digits(r"\d(?=\d)\d") == 1


@pytest.mark.parametrize(("pattern", "flags"), _rule_regexes())
def test_literal_filter_never_skips_a_match(pattern: str, flags: int) -> None:
    rx = regex.compile(pattern, flags | regex.VERSION0)
    lf = LiteralFilter(rx.pattern, rx.flags)
    for text in TEXTS:
        if rx.search(text):
            assert lf.may_match(text, ascii_lower(text))
            assert lf.may_match_in(text, ascii_lower(text), 0, len(text))


PATTERNS = [
    [{"LOWER": {"IN": ["kill", "hurt"]}}, {"LOWER": {"IN": ["him", "myself"]}}],
    [{"LOWER": "self"}, {"ORTH": "-", "OP": "?"}, {"LOWER": {"REGEX": "^harm"}}],
    [{"LOWER": {"IN": ["of", "in"]}}, {"LOWER": {"IN": ["his", "her"]}, "OP": "*"}, {"LOWER": "mother"}],
    [{"LOWER": {"IN": ["left", "leaves"]}}, {"LOWER": {"IN": ["alone", "home"]}}, {"IS_ALPHA": True, "OP": "?"}],
    [{"ORTH": {"IN": [":", "-"]}}, {"LOWER": {"IN": ["none", "no", "denied"]}}],
    [{"LOWER": "no"}, {"LOWER": "food", "OP": "+"}],
]


@pytest.mark.parametrize("text", TEXTS)
def test_token_windows_hold_every_match(text: str) -> None:
    nlp = spacy.blank("en")
    doc = nlp(text)
    matcher = Matcher(nlp.vocab)
    filt = TokenPatternFilter(nlp.vocab.strings)
    for i, pat in enumerate(PATTERNS):
        matcher.add(f"p{i}", [pat], greedy="LONGEST")
        filt.add(pat)
    assert not filt.always
    full = sorted(matcher(doc))
    lower = np.array([t.lower for t in doc], dtype=np.uint64)
    orth = np.array([t.orth for t in doc], dtype=np.uint64)
    windows = filt.windows(lower, orth, [(0, len(doc))])
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(windows, windows[1:], strict=False))  # disjoint, apart
    got = sorted((m, a + s, a + e) for a, b in windows for m, s, e in matcher(doc[a:b]))
    assert got == full


def test_unknown_operator_means_always() -> None:
    filt = TokenPatternFilter(spacy.blank("en").vocab.strings)
    filt.add([{"LOWER": "a", "OP": "{2}"}])
    assert filt.always


@pytest.mark.parametrize(("pattern", "run"), [
    (r"\d{3}[- ]?\d{2}", 3), (r"(?:19|20)\d{2}", 4), (r"\d?\d", 1), (r"[0-9]{5}(?:-\d{4})?", 5),
    (r"(?:\d{4}[ -]){3}\d{4}|\d{15,16}", 4), (r"[a-z]+", 0), (r"\d{2}(?=x)\d", 2),
])
def test_required_digits(pattern: str, run: int) -> None:
    from riskflag.pipeline.prefilter import max_digit_run, required_digits

    assert required_digits(pattern) == run
    rx = regex.compile(pattern, regex.VERSION0)
    for text in ["zip 12345-6789", "call 555 123 4567", "born 1987", "x 12x3", "٣٤٥٦٧ non-ASCII digits", "abc"]:
        if rx.search(text):
            assert LiteralFilter(pattern).may_match(text, ascii_lower(text), max_digit_run(text))


@pytest.mark.parametrize(("pattern", "shapes"), [
    (r"\d \d[A-Z]{2}", {"0 0AA"}), (r"[A-Z]{2}\d{2}", {"AA00"}), (r"\d{3}-\d{4}", {"000-0000"}),
    (r"(?i)[a-z]\d\d", {"00"}), (r"\d", None), (r"[a-z]+", None),
])
def test_required_shapes(pattern: str, shapes: set[str] | None) -> None:
    from riskflag.pipeline.prefilter import required_shapes, shape_text

    got = required_shapes(pattern)
    assert (set(got) if got else None) == shapes
    rx = regex.compile(pattern, regex.VERSION0)
    lf = LiteralFilter(pattern)
    for text in ["SW1A 1AA", "ab12 CD34", "555-1234", "x99", "no digits", "NAÏVE 1 2AB"]:
        if rx.search(text):
            assert lf.may_match(text, ascii_lower(text), None, shape_text(text))
