"""The tokenizer's faster suffix search and URL guard give spaCy's own results."""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from riskflag.pipeline.affixes import LiteralGuard, SuffixSearch, last_char_test, speed_up_tokenizer

_PIECES = ["'s", "n't", "(?<=[0-9])%", "(?<=[0-9])(?:km|kg|mg)", r"\.\.+", "[.,;:!?]", r"(?<=[a-z])\.",
           "(?:x|y)+", "a?", r"\d", "(?i:ab)", "[^a]"]
_CHARS = st.sampled_from([*"abkgmnstxy'09.,;:!?% -\n\"()/@", "km", "mg", "n't", "...", "www.", "http://", ".com"])
_TEXT = st.lists(_CHARS, max_size=24).map("".join)


@pytest.fixture(scope="module")
def stock_and_fast():
    stock = spacy.blank("en")
    fast = spacy.blank("en")
    assert speed_up_tokenizer(fast.tokenizer, fast.Defaults.suffixes)
    return stock, fast


@pytest.mark.parametrize("piece, yes, no", [
    ("'s", "s", "x"), ("(?<=[0-9])%", "%", "9"), ("(?<=[0-9])(?:km|kg|mg)", "g", "x"),
    (r"\.\.+", ".", "a"), ("[.,;:!?]", "?", "a"), (r"(?<=[a-z])\.", ".", "z"), ("(?:x|y)+", "y", "z"),
])
def test_last_char_test(piece, yes, no):
    test = last_char_test(piece)
    assert test is not None and test(yes) and not test(no)


@pytest.mark.parametrize("piece", ["a?", r"\d", "(?i:ab)", "[^a]", "(?i)s", "(", ""])
def test_last_char_test_gives_up_when_unsure(piece):
    assert last_char_test(piece) is None


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_suffix_search_equals_the_regex(text):
    fast = SuffixSearch(_PIECES)
    full = re.compile("|".join(p + "$" for p in _PIECES))
    got, want = fast.search(text), full.search(text)
    assert (got and got.span()) == (want and want.span())


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_tokens_equal_spacys(stock_and_fast, text):
    stock, fast = stock_and_fast
    assert [(t.idx, t.text) for t in fast.make_doc(text)] == [(t.idx, t.text) for t in stock.make_doc(text)]


def test_tokens_equal_spacys_on_a_note(stock_and_fast):
    stock, fast = stock_and_fast
    text = ("Pt's BP 120/80mmHg, wt 70kg (down 2kg)... Seen 3/4/2021 at www.clinic.org/notes?id=7; "
            "e-mail a.b@c.com. He didn't say 'no'!! Dose: 5mg/kg q6h -- 50%.\n\"Fine,\" he said.")
    assert [t.text for t in fast.make_doc(text)] == [t.text for t in stock.make_doc(text)]


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_url_guard_equals_the_regex(stock_and_fast, text):
    url = stock_and_fast[0].tokenizer.url_match.__self__
    guard = LiteralGuard(url)
    assert guard.literals == (".",)
    got, want = guard.match(text), url.match(text)
    assert (got and got.span()) == (want and want.span())


def test_custom_suffixes_are_left_alone():
    nlp = spacy.blank("en")
    custom = re.compile(r"x$").search
    nlp.tokenizer.suffix_search = custom
    assert not speed_up_tokenizer(nlp.tokenizer, nlp.Defaults.suffixes)
    assert nlp.tokenizer.suffix_search == custom


def test_serialised_pipeline_keeps_the_patterns(stock_and_fast):
    stock, fast = stock_and_fast
    restored = spacy.blank("en").tokenizer.from_bytes(fast.tokenizer.to_bytes())
    assert restored.suffix_search.__self__.pattern == stock.tokenizer.suffix_search.__self__.pattern
    assert restored.url_match.__self__.pattern == stock.tokenizer.url_match.__self__.pattern
