"""Faster drop-in affix functions for spaCy's tokenizer, with the same results.

spaCy's English tokenizer asks ``suffix_search`` (one regex of ~80 alternatives, each ending in
``$``) about every new whitespace-delimited chunk, and the regex tries every alternative at every
offset of the chunk. A match must end at the chunk's last character, so only the alternatives that
can end with that character can match: ``SuffixSearch`` reads from the parsed regex which
characters each alternative can end with, and searches with a regex of only the alternatives that
fit the chunk's last character (in their original order, so the leftmost match and the alternative
chosen are the same). ``LiteralGuard`` skips a regex (``url_match``) on a chunk that lacks a
literal every match of it contains (``prefilter.required_literals``).

``speed_up_tokenizer`` installs both when the tokenizer's regexes are the ones spaCy's
``compile_suffix_regex`` builds from the language defaults; otherwise it leaves the tokenizer as
it is. The objects keep ``.pattern``, so ``nlp.to_disk`` stores the original regexes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .prefilter import required_literals

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

__all__ = ["SuffixSearch", "LiteralGuard", "speed_up_tokenizer", "last_char_test"]

#: "the alternative may end with any character"
_ANY = None
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


def _class_test(items: Any) -> Callable[[str], bool] | None:
    """A test for a character class without categories or negation (None: not supported)."""
    singles: set[int] = set()
    ranges: list[tuple[int, int]] = []
    for op, av in items:
        if op is _c.LITERAL:
            singles.add(av)
        elif op is _c.RANGE:
            ranges.append(av)
        else:  # NEGATE, CATEGORY (\d, \w ...): any character
            return None
    return lambda ch: ord(ch) in singles or any(lo <= ord(ch) <= hi for lo, hi in ranges)


def _last_test(items: Sequence[Any]) -> Callable[[str], bool] | None:
    """A test that is True for every character a match of ``items`` can end with (a superset);
    None when any character may end it."""
    for op, av in reversed(list(items)):
        if op in _ZERO_WIDTH:
            continue  # anchors and lookarounds consume nothing: the character before them ends it
        if op is _c.LITERAL:
            return lambda ch, code=av: ord(ch) == code
        if op is _c.IN:
            return _class_test(av)
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                return _ANY
            return _last_test(sub.data)
        if op is _c.BRANCH:
            tests = [_last_test(b.data) for b in av[1]]
            if any(t is None for t in tests):
                return _ANY
            return lambda ch, ts=tuple(tests): any(t(ch) for t in ts)  # type: ignore[misc]
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            return _last_test(av[2].data)
        return _ANY  # optional repeats, ANY, NOT_LITERAL, group references ...
    return _ANY  # consumes nothing


def last_char_test(piece: str, flags: int = 0) -> Callable[[str], bool] | None:
    """For a suffix rule ``piece`` (matched as ``piece$``): a test true for every character a match
    can end with, or None (any character; also for case-insensitive or unparsable rules)."""
    try:
        parsed = _parser.parse(piece, flags)
    except Exception:  # noqa: BLE001
        return _ANY
    if (flags | parsed.state.flags) & re.IGNORECASE:
        return _ANY
    return _last_test(parsed.data)


class SuffixSearch:
    """``rx.search`` for ``rx = compile_suffix_regex(pieces)``, searching a chunk with only the
    alternatives that can end with its last character."""

    def __init__(self, pieces: Sequence[str], flags: int = 0) -> None:
        self.pieces = [p for p in pieces if p.strip()]
        self.flags = flags
        self.rx = re.compile("|".join(p + "$" for p in self.pieces), flags)
        self.pattern = self.rx.pattern
        self.tests = [last_char_test(p, flags) for p in self.pieces]
        self._by_char: dict[str, re.Pattern[str] | None] = {}

    def _for(self, ch: str) -> re.Pattern[str] | None:
        keep = [p for p, t in zip(self.pieces, self.tests, strict=True) if t is None or t(ch)]
        if len(keep) == len(self.pieces):
            rx: re.Pattern[str] | None = self.rx
        else:
            rx = re.compile("|".join(p + "$" for p in keep), self.flags) if keep else None
        self._by_char[ch] = rx
        return rx

    def search(self, string: str) -> re.Match[str] | None:
        if not string or string[-1] == "\n":  # "$" also matches before a final newline
            return self.rx.search(string)
        ch = string[-1]
        rx = self._by_char[ch] if ch in self._by_char else self._for(ch)
        return None if rx is None else rx.search(string)


class LiteralGuard:
    """``rx.match`` that returns None without running the regex when the string lacks every
    literal one of which each match contains."""

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx = rx
        self.pattern = rx.pattern
        got = required_literals(rx.pattern, rx.flags)
        self.literals: tuple[str, ...] | None = tuple(got[0]) if got and not got[1] else None

    def match(self, string: str) -> re.Match[str] | None:
        lits = self.literals
        if lits is not None and not any(x in string for x in lits):
            return None
        return self.rx.match(string)


def speed_up_tokenizer(tokenizer: Any, suffixes: Sequence[str] | None) -> bool:
    """Install ``SuffixSearch`` and a guarded ``url_match`` on a spaCy tokenizer whose
    ``suffix_search`` is ``compile_suffix_regex(suffixes).search``. True when installed."""
    current = getattr(tokenizer.suffix_search, "__self__", None)
    if suffixes is None or not isinstance(current, re.Pattern):
        return False
    fast = SuffixSearch(list(suffixes), current.flags)
    if fast.pattern != current.pattern:
        return False
    tokenizer.suffix_search = fast.search
    url = getattr(tokenizer.url_match, "__self__", None)
    if isinstance(url, re.Pattern) and tokenizer.url_match.__name__ == "match":
        guard = LiteralGuard(url)
        if guard.literals is not None:
            tokenizer.url_match = guard.match
    return True
