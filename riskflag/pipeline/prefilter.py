"""Cheap, sound prefilters that let the rule matchers skip work that cannot produce a match.

``required_literals(rx)``: a set of literal strings one of which every match of the regex must
contain (read from the regex's parse tree), so a regex need not run on a text holding none of them.
``TokenPatternFilter``: for spaCy token patterns, the token positions where a pattern can start a
match (a small automaton over the tokens' LOWER/ORTH hashes), so the ``Matcher`` only runs on short
windows around them.

Both only ever rule work out; when a rule uses syntax they do not model, they answer "may match"
and the rule runs as before. Results are therefore identical with or without them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Any

import ahocorasick
import numpy as np

try:  # the stdlib regex parser (Python 3.11+: re._parser; older: sre_parse)
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["required_literals", "required_digits", "required_shapes", "shape_text", "max_digit_run", "LiteralFilter", "LiteralIndex", "LiteralHits", "required_prefixes", "anchored_finditer", "TokenPatternFilter", "STAR_WINDOW"]

#: a match of a token pattern with ``*``/``+`` is looked for within this many tokens of its start
STAR_WINDOW = 64
_IGNORECASE = 2  # re.IGNORECASE == regex.IGNORECASE
_MAX_LITERALS = 64
_PARSE_FLAGS = 2 | 8 | 16 | 64  # IGNORECASE, MULTILINE, DOTALL, VERBOSE


def _lits(items: Any, ci: bool) -> set[str] | None:
    """Literals one of which every match of the parsed sequence ``items`` contains (None: unknown)."""
    best: set[str] | None = None

    def consider(cand: set[str] | None) -> None:
        nonlocal best
        # case-insensitive literals must be ASCII (elsewhere lower-casing is not case folding)
        if not cand or any(not s or (ci and not s.isascii()) for s in cand):
            return
        key = (min(map(len, cand)), -len(cand))
        if best is None or key > (min(map(len, best)), -len(best)):
            best = cand

    run: list[str] = []
    for op, av in list(items) + [(None, None)]:
        if op is _c.LITERAL:
            ch = chr(av)
            run.append(ch.lower() if ci else ch)
            continue
        if run:
            consider({"".join(run)})
            run = []
        if op is None:
            break
        if op is _c.SUBPATTERN:
            group, add_flags, del_flags, sub = av
            consider(_lits(sub, ci or bool(add_flags & _IGNORECASE)))
        elif op is _c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                got = _lits(branch, ci)
                if not got:
                    union = set()
                    break
                union |= got
            if union and len(union) <= _MAX_LITERALS:
                consider(union)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            lo, _, sub = av
            if lo >= 1:
                consider(_lits(sub, ci))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            consider(_lits(av, ci))
        elif op is _c.ASSERT and av[0] == 1:
            # a positive lookahead must match too, inside the searched span (``finditer(text, pos,
            # endpos)`` cuts the text at endpos); a lookbehind may look before pos, which
            # ``may_match_in`` windows do not cover
            consider(_lits(av[1], ci))
        # AT, IN, ANY, CATEGORY, ASSERT_NOT, GROUPREF...: no literal requirement taken from them
    if best is not None:
        # a literal that contains another one is implied by it: keep the shorter (fewer checks)
        best = {s for s in best if not any(o != s and o in s for o in best)}
    return best


def _shape_char(op: Any, av: Any, ci: bool) -> str | None:
    """The shape (``0`` digit, ``A`` upper, ``a`` lower case ASCII letter, else the character
    itself) every character matched by this one-character node has, if it has one."""
    if op is _c.LITERAL:
        ch = chr(av)
        if not ch.isascii():
            return None
        if ch.isdigit():
            return "0"
        if ch.isalpha():
            return None if ci else ("A" if ch.isupper() else "a")
        return ch
    if op is _c.IN:
        if _digit_class(av):
            return "0"
        if ci or not av:
            return None
        for lo, hi, shape in ((65, 90, "A"), (97, 122, "a")):
            if all((o is _c.RANGE and lo <= v[0] <= v[1] <= hi) or (o is _c.LITERAL and lo <= v <= hi) for o, v in av):
                return shape
    return None


def _shapes(items: Any, ci: bool) -> set[str] | None:
    """Like ``_lits`` over the text's shape (``shape_text``): strings of shape characters one of
    which every match's shape contains (``\\d \\d[A-Z]{2}`` -> ``0 0AA``)."""
    best: set[str] | None = None

    def consider(cand: set[str] | None) -> None:
        nonlocal best
        if not cand or any(not x for x in cand):
            return
        key = (min(map(len, cand)), -len(cand))
        if best is None or key > (min(map(len, best)), -len(best)):
            best = cand

    run: list[str] = []
    for op, av in list(items) + [(None, None)]:
        shape = _shape_char(op, av, ci) if op is not None else None
        if shape is not None:
            run.append(shape)
            continue
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            one = _shape_char(*sub[0], ci) if len(sub) == 1 else None
            if one is not None:
                run.append(one * lo)
                if lo == hi:
                    continue  # a fixed count: the run goes on
        if run:
            consider({"".join(run)})
            run = []
        if op is None:
            break
        if op is _c.SUBPATTERN:
            consider(_shapes(av[3], ci or bool(av[1] & _IGNORECASE)))
        elif op is _c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                got = _shapes(branch, ci)
                if not got:
                    union = set()
                    break
                union |= got
            if union and len(union) <= _MAX_LITERALS:
                consider(union)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            if av[0] >= 1:
                consider(_shapes(av[2], ci))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            consider(_shapes(av, ci))
        elif op is _c.ASSERT:  # shapes are only checked on the whole text: lookbehinds count too
            consider(_shapes(av[1], ci))
    if best is not None:
        best = {x for x in best if not any(o != x and o in x for o in best)}
    return best


_SHAPE_TABLE = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                             "0" * 10 + "A" * 26 + "a" * 26)


def shape_text(text: str) -> str | None:
    """An ASCII text with every digit as ``0``, upper-case letter as ``A`` and lower-case letter
    as ``a`` (None for other text)."""
    return text.translate(_SHAPE_TABLE) if text.isascii() else None


def _stdlib_syntax(pattern: str) -> str:
    """``pattern`` with the ``regex``-only syntax the analyses can do without rewritten for the
    stdlib parser: a Unicode property (``\\p{Lu}``, ``\\P{L}``) becomes "any character" (a class
    never yields a literal, a digit run or a shape, so every answer stays sound) and a branch-reset
    group ``(?|`` a plain group (group numbers do not matter here)."""
    if "\\p{" not in pattern and "\\P{" not in pattern and "(?|" not in pattern:
        return pattern
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            if pattern[i + 1] in "pP" and i + 2 < n and pattern[i + 2] == "{":
                close = pattern.find("}", i + 3)
                if close > 0:
                    out.append("\\s\\S" if in_class else "[\\s\\S]")
                    i = close + 1
                    continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a leading ']' is a literal member
                out.append("]")
                i += 1
            continue
        elif pattern.startswith("(?|", i):
            out.append("(?:")
            i += 3
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def required_shapes(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Shape strings one of which the shape of every match of ``pattern`` contains (None: none
    known). Letters only count in case-sensitive patterns."""
    try:
        parsed = _sre_parse.parse(_stdlib_syntax(pattern), flags & _PARSE_FLAGS)
    except Exception:  # noqa: BLE001
        return None
    ci = bool((flags | parsed.state.flags) & _IGNORECASE) or _scoped_ci(parsed)
    got = _shapes(parsed, ci)
    # a lone digit or letter shape is in almost every note: not worth a check
    return frozenset(got) if got and min(map(len, got)) >= 2 else None


def _digit_class(items: Any) -> bool:
    """Is a character set (IN items) made of ASCII digits only (``\\d``, ``[0-9]``, ``[12]``)?"""
    for op, av in items:
        if op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            continue
        if op is _c.RANGE and 48 <= av[0] <= av[1] <= 57:
            continue
        if op is _c.LITERAL and 48 <= av <= 57:
            continue
        return False
    return bool(items)


def _digits(items: Any) -> tuple[int, int | None]:
    """(run, pure) of a parsed sequence: every match holds ``run`` consecutive digits; ``pure`` is
    the least number of characters it matches when it matches digits only (else None)."""
    best = cur = 0
    pure: int | None = 0
    for op, av in items:
        req, node_pure = 0, None
        if op is _c.LITERAL:
            node_pure = 1 if 48 <= av <= 57 else None
        elif op is _c.IN:
            node_pure = 1 if _digit_class(av) else None
        elif op is _c.AT:
            node_pure = 0  # zero-width: does not break a run of digits
        elif op is _c.SUBPATTERN:
            req, node_pure = _digits(av[3])
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            req, node_pure = _digits(av)
        elif op is _c.ASSERT:  # its digits are in the (whole) text, but it does not extend a run
            req = _digits(av[1])[0]
        elif op is _c.BRANCH:
            got = [_digits(b) for b in av[1]]
            req = min(r for r, _ in got)
            pures = [pu for _, pu in got]
            node_pure = None if any(pu is None for pu in pures) else min(pures)  # type: ignore[type-var]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            lo, _, sub = av
            r, pu = _digits(sub)
            req = r if lo >= 1 else 0
            node_pure = None if pu is None else pu * lo
        if node_pure is None:
            pure = None
            cur = 0
        else:
            cur += node_pure
            if pure is not None:
                pure += node_pure
        best = max(best, cur, req)
    return best, pure


def _children(op: Any, av: Any) -> list[Any]:
    """The parsed sub-sequences under one node."""
    if op is _c.SUBPATTERN:
        return [av[3]]
    if op is _c.BRANCH:
        return list(av[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return [av[2]]
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return [av]
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [av[1]]
    return []


def _scoped_ci(items: Any) -> bool:
    """Does any group in the parsed tree switch IGNORECASE on (``(?i:...)``)?"""
    for op, av in items:
        if op is _c.SUBPATTERN and av[1] & _IGNORECASE:
            return True
        if any(_scoped_ci(sub) for sub in _children(op, av)):
            return True
    return False


def required_literals(pattern: str, flags: int = 0) -> tuple[frozenset[str], bool] | None:
    """(literals, case_insensitive): every match of ``pattern`` contains one of the literals
    (lower-cased, to compare with the lower-cased text, when any part of the regex ignores case).
    None when no such set is known (the regex always runs)."""
    try:  # only the flags the stdlib parser shares with ``regex`` (VERSION0 etc. are regex-only)
        parsed = _sre_parse.parse(_stdlib_syntax(pattern), flags & _PARSE_FLAGS)
    except Exception:  # noqa: BLE001 - syntax only the ``regex`` module knows: no prefilter
        return None
    ci = bool((flags | parsed.state.flags) & _IGNORECASE) or _scoped_ci(parsed)
    got = _lits(parsed, ci)
    if not got:
        return None
    return frozenset(got), ci


_MAX_PREFIXES = 256
_MIN_PREFIX = 2


def _prefixes(items: Any, ci: bool) -> tuple[set[str], bool, bool] | None:
    """(prefixes, complete, ci) of a parsed sequence: every match starts with one of the strings
    (lower-cased when ``ci``); ``complete``: the sequence matches exactly those strings. None when
    a match may start with anything."""
    out = {""}
    any_ci = ci
    items = list(items)
    for pos, (op, av) in enumerate(items):
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            # optional: the rest either starts with it or without it ('c-?ssrs': 'c-ssrs', 'cssrs')
            rest = items[pos + 1:]
            with_it, without = _prefixes(list(av[2]) + rest, ci), _prefixes(rest, ci)
            if with_it is None or without is None:
                break
            tail = with_it[0] | without[0]
            if with_it[2] or without[2]:
                out = {x.lower() for x in out}
                tail = {x.lower() for x in tail}
                any_ci = True
            out = {x + y for x in out for y in tail}
            if len(out) > _MAX_PREFIXES:
                return None
            return (out, with_it[1] and without[1], any_ci) if "" not in out else None
        if op is _c.LITERAL:
            ch = chr(av)
            out = {x + (ch.lower() if any_ci else ch) for x in out}
            continue
        if op is _c.SUBPATTERN:
            sub_ci = ci or bool(av[1] & _IGNORECASE)
            got = _prefixes(av[3], sub_ci)
        elif op is _c.BRANCH:
            got = None
            union: set[str] = set()
            complete, branch_ci = True, False
            for branch in av[1]:
                b = _prefixes(branch, ci)
                if b is None:
                    union = set()
                    break
                union |= b[0]
                complete = complete and b[1]
                branch_ci = branch_ci or b[2]
            if union:
                got = (union, complete, branch_ci)
        else:
            got = None
        if got is None:
            break
        sub, complete, sub_ci = got
        if sub_ci and not any_ci:  # mixed case rules: compare everything lower-cased (a superset)
            out = {x.lower() for x in out}
            any_ci = True
        if any_ci:
            sub = {x.lower() for x in sub}
        out = {x + y for x in out for y in sub}
        if len(out) > _MAX_PREFIXES:
            return None
        if not complete:
            return (out, False, any_ci) if "" not in out else None
    else:
        return (out, True, any_ci) if "" not in out else None
    return (out, False, any_ci) if "" not in out else None


def required_prefixes(pattern: str, flags: int = 0) -> tuple[frozenset[str], bool] | None:
    """(prefixes, case_insensitive): every match of ``pattern`` starts with one of the strings
    (lower-cased: compare with the lower-cased text), each at least 2 characters long; None when
    no such set is known. A regex with prefixes only needs trying where one of them occurs."""
    try:
        parsed = _sre_parse.parse(_stdlib_syntax(pattern), flags & _PARSE_FLAGS)
    except Exception:  # noqa: BLE001
        return None
    ci = bool((flags | parsed.state.flags) & _IGNORECASE)
    got = _prefixes(parsed, ci)
    if got is None or min(map(len, got[0])) < _MIN_PREFIX:
        return None
    # a prefix that starts with another one adds no start offset: keep the shorter
    kept = {x for x in got[0] if not any(y != x and x.startswith(y) for y in got[0])}
    return frozenset(kept), got[2]


def anchored_finditer(rx: Any, text: str, starts: Sequence[int], pos: int = 0, endpos: int | None = None,
                      timeout: float | None = None) -> list[Any]:
    """``list(rx.finditer(text, pos, endpos))`` for a regex every match of which starts at one of
    ``starts`` (sorted offsets, e.g. where its ``required_prefixes`` occur): the regex is only
    tried there. Same matches: each is the leftmost match at or after the end of the previous one,
    and a match attempt at an offset sees the text around it as a search would."""
    end = len(text) if endpos is None else endpos
    out = []
    nxt = pos
    for k in range(bisect_left(starts, pos), bisect_left(starts, end)):  # no copy of a long list's tail
        c = starts[k]
        if c < nxt:
            continue
        m = rx.match(text, c, end, timeout=timeout)
        if m is not None:
            out.append(m)
            nxt = max(m.end(), c + 1)
    return out


class LiteralFilter:
    """``may_match(text, lower)``: False only when the regex cannot match anywhere in ``text``:
    none of its required literals occurs, or (given the text's longest run of ASCII digits) it
    needs a longer run of digits than the text has."""

    __slots__ = ("literals", "ci", "digits", "shapes", "prefixes", "prefix_ci")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        pre = required_prefixes(pattern, flags)
        self.prefixes: tuple[str, ...] | None = tuple(sorted(pre[0])) if pre else None
        self.prefix_ci = pre[1] if pre else False
        got = required_literals(pattern, flags)
        self.literals: tuple[str, ...] | None = tuple(sorted(got[0], key=len, reverse=True)) if got else None
        self.ci = got[1] if got else False
        self.digits = required_digits(pattern, flags)
        shapes = required_shapes(pattern, flags)
        self.shapes: tuple[str, ...] | None = tuple(sorted(shapes, key=len, reverse=True)) if shapes else None

    def digits_and_shape_allow(self, max_digits: int | None, shape: str | None) -> bool:
        """False when the text's longest digit run or its shape rules a match out."""
        if max_digits is not None and self.digits > max_digits:
            return False
        return shape is None or self.shapes is None or any(x in shape for x in self.shapes)

    def may_match(self, text: str, lower: str | None, max_digits: int | None = None,
                  shape: str | None = None) -> bool:
        """``max_digits``: the longest run of digits in an ASCII ``text``; ``shape``: its
        ``shape_text`` (None: unknown)."""
        if not self.digits_and_shape_allow(max_digits, shape):
            return False
        lits = self.literals
        if lits is None:
            return True
        if self.ci:
            if lower is None:  # non-ASCII text: case folding is not just str.lower(); run the regex
                return True
            text = lower
        return any(s in text for s in lits)

    def may_match_hits(self, hits: LiteralHits, max_digits: int | None = None, shape: str | None = None) -> bool:
        """``may_match`` answered from a ``LiteralIndex`` scan of the text."""
        if not self.digits_and_shape_allow(max_digits, shape):
            return False
        lits = self.literals
        if lits is None:
            return True
        if self.ci and not hits.ascii:  # non-ASCII text: case folding is not just str.lower(); run the regex
            return True
        has = hits.has
        ci = self.ci
        return any(has(s, ci) for s in lits)

    def may_match_in_hits(self, hits: LiteralHits, start: int, end: int) -> bool:
        """``may_match_in`` answered from a ``LiteralIndex`` scan of the text."""
        lits = self.literals
        if lits is None:
            return True
        if self.ci and not hits.ascii:
            return True
        has_in = hits.has_in
        ci = self.ci
        return any(has_in(s, ci, start, end) for s in lits)

    def may_match_in(self, text: str, lower: str | None, start: int, end: int) -> bool:
        """Like ``may_match`` for a match lying inside ``text[start:end]``."""
        lits = self.literals
        if lits is None:
            return True
        if self.ci:
            if lower is None:
                return True
            text = lower
        find = text.find
        return any(find(s, start, end) >= 0 for s in lits)


class LiteralHits:
    """Where the indexed literals occur in one text: ``cs`` (case-sensitive literals, in the text)
    and ``ci`` (lower-cased literals, in the lower-cased text), literal -> sorted start offsets.
    Literals too short to index are looked up in the text itself. ``ascii``: the text is ASCII
    (only then do case-insensitive filters trust the lower-cased text, as in ``may_match``)."""

    __slots__ = ("cs", "ci", "ascii", "_text", "_lower", "_indexed_cs", "_indexed_ci")

    def __init__(self, text: str, lower: str, index: LiteralIndex) -> None:
        self._text = text
        self._lower = lower
        self._indexed_cs = index.indexed_cs
        self._indexed_ci = index.indexed_ci
        self.cs = _positions(index.automaton_cs, text)
        self.ci = _positions(index.automaton_ci, lower)
        self.ascii = text.isascii()

    def passing(self, index: LiteralIndex) -> bytearray:
        """Per filter of ``index`` (the index this text was scanned with), 1 when its literal test
        lets the regex run: ``may_match_hits`` without the digit and shape tests, answered from
        the literals found rather than filter by filter."""
        ok = bytearray(len(index.filters))
        for k in index.always:
            ok[k] = 1
        for found, by in ((self.cs, index.by_literal[False]), (self.ci, index.by_literal[True])):
            for lit in found:
                for k in by.get(lit, ()):
                    ok[k] = 1
        if not self.ascii:  # case folding is not just str.lower(): case-insensitive filters pass
            for k in index.case_insensitive:
                ok[k] = 1
        filters = index.filters
        for k in index.asked:
            if not ok[k] and filters[k].may_match_hits(self):
                ok[k] = 1
        return ok

    def has(self, literal: str, ci: bool) -> bool:
        """``literal in text`` (``ci``: in the lower-cased text)."""
        if ci:
            return literal in self.ci if literal in self._indexed_ci else literal in self._lower
        return literal in self.cs if literal in self._indexed_cs else literal in self._text

    def starts(self, f: LiteralFilter) -> list[int] | None:
        """Sorted offsets where a match of ``f``'s regex can start (where one of its prefixes
        occurs), or None when unknown (no prefixes; or case-insensitive ones in a non-ASCII text,
        whose lower-cased offsets may differ)."""
        if f.prefixes is None or (f.prefix_ci and not self.ascii):
            return None
        found, indexed = (self.ci, self._indexed_ci) if f.prefix_ci else (self.cs, self._indexed_cs)
        if not indexed.issuperset(f.prefixes):
            return None
        if len(f.prefixes) == 1:
            return found.get(f.prefixes[0], [])
        out: set[int] = set()
        for x in f.prefixes:
            got = found.get(x)
            if got:
                out.update(got)
        return sorted(out)

    def has_in(self, literal: str, ci: bool, start: int, end: int) -> bool:
        """``literal`` occurs inside ``text[start:end]`` (``ci``: in the lower-cased text)."""
        if ci:
            found, indexed, text = self.ci, self._indexed_ci, self._lower
        else:
            found, indexed, text = self.cs, self._indexed_cs, self._text
        if literal not in indexed:
            return text.find(literal, start, end) >= 0
        starts = found.get(literal)
        if not starts:
            return False
        i = bisect_left(starts, start)
        return i < len(starts) and starts[i] + len(literal) <= end


class LiteralIndex:
    """The literals of many ``LiteralFilter``s (plus any extra lower-case substrings) in one
    Aho-Corasick automaton each for case-sensitive and lower-cased search (pyahocorasick): one pass
    over a note finds every literal and where it occurs, instead of one substring search per
    literal per rule. Literals shorter than ``min_length`` (a space, a digit, "st") would hit
    everywhere; they stay plain substring searches. The filters' answers are the same as with
    ``may_match``/``may_match_in``."""

    def __init__(self, filters: Iterable[LiteralFilter], extra_lower: Iterable[str] = (), *, min_length: int = 3) -> None:
        filters = list(filters)
        cs: set[str] = set()
        ci: set[str] = {x for x in extra_lower if x}
        pre_cs: set[str] = set()
        pre_ci: set[str] = set()
        for f in filters:
            if f.literals:
                (ci if f.ci else cs).update(f.literals)
            if f.prefixes:  # always indexed: ``starts`` needs their offsets
                (pre_ci if f.prefix_ci else pre_cs).update(f.prefixes)
        self.indexed_cs = frozenset(x for x in cs if len(x) >= min_length) | pre_cs
        self.indexed_ci = frozenset(x for x in ci if len(x) >= min_length) | pre_ci
        self.automaton_cs = _automaton(self.indexed_cs)
        self.automaton_ci = _automaton(self.indexed_ci)
        # for ``LiteralHits.passing``: which filters each indexed literal lets through; filters
        # with no literal pass always, and those with a literal too short to index are asked
        self.filters = filters
        self.by_literal: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        self.always: list[int] = []
        self.asked: list[int] = []
        self.case_insensitive: list[int] = []
        for k, f in enumerate(filters):
            if f.literals is None:
                self.always.append(k)
                continue
            if f.ci:
                self.case_insensitive.append(k)
            indexed = self.indexed_ci if f.ci else self.indexed_cs
            if not indexed.issuperset(f.literals):
                self.asked.append(k)
                continue
            for lit in f.literals:
                self.by_literal[f.ci].setdefault(lit, []).append(k)

    def scan(self, text: str, lower: str | None = None) -> LiteralHits:
        """``lower``: ``text.lower()`` when already at hand."""
        return LiteralHits(text, text.lower() if lower is None else lower, self)


def _automaton(words: frozenset[str]) -> Any:
    if not words:
        return None
    a = ahocorasick.Automaton()
    for w in words:
        a.add_word(w, (w, len(w) - 1))
    a.make_automaton()
    return a


def _positions(automaton: Any, text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    if automaton is None:
        return out
    for end, (word, back) in automaton.iter(text):
        starts = out.get(word)
        if starts is None:
            out[word] = [end - back]
        else:
            starts.append(end - back)
    return out


def required_digits(pattern: str, flags: int = 0) -> int:
    """The length of a run of digits every match of ``pattern`` contains (0: none known)."""
    try:
        parsed = _sre_parse.parse(_stdlib_syntax(pattern), flags & _PARSE_FLAGS)
    except Exception:  # noqa: BLE001
        return 0
    return _digits(parsed)[0]


_DIGIT_RUNS = re.compile(r"[0-9]+")


def max_digit_run(text: str) -> int | None:
    """The longest run of ASCII digits in an ASCII text (None for other text: ``\\d`` also
    matches other scripts' digits there)."""
    if not text.isascii():
        return None
    return max(map(len, _DIGIT_RUNS.findall(text)), default=0)


def ascii_lower(text: str) -> str | None:
    """``text.lower()`` when the text is ASCII (so lower-casing equals case folding), else None."""
    return text.lower() if text.isascii() else None


# -- token patterns -------------------------------------------------------------------------
_SIMPLE_ATTRS = {"LOWER": 0, "ORTH": 1, "TEXT": 1}
_SUPPORTED_OPS = {None, "?", "*", "+", "!", "1"}
Step = tuple[str | None, int, frozenset[int] | None]  # (operator, 0 LOWER / 1 ORTH, values or None: any)


class TokenPatternFilter:
    """Start positions where spaCy token patterns may match, from the tokens' LOWER and ORTH hashes.

    Each token spec with a single LOWER/ORTH/TEXT value (or ``IN`` list) is a set constraint; any
    other spec matches every token (a superset, so never a missed match). Operators ``?``, ``*``,
    ``+`` and ``!`` are modelled; a pattern using anything else is "always" (``self.always``)."""

    def __init__(self, strings: Any) -> None:
        self.strings = strings
        #: per pattern: steps (op, attr, values or None), longest match, initial states, and for a
        #: fixed sequence (then optional steps) the constraints (offset, attr, values) after its
        #: first token and the sequence length
        self.patterns: list[tuple[list[Step], int, frozenset[int], list[tuple[int, int, frozenset[int]]] | None, int]] = []
        self.first: list[dict[int, list[int]]] = [{}, {}]  # attr -> hash -> pattern indices
        self.always = False  # some pattern cannot be anchored: the caller scans whole ranges

    def add(self, pattern: Sequence[dict[str, Any]]) -> None:
        steps: list[Step] = []
        star = False
        for spec in pattern:
            op = spec.get("OP")
            if op not in _SUPPORTED_OPS:
                self.always = True
                return
            op = None if op == "1" else op
            keys = [k for k in spec if k != "OP"]
            attr, vals = 0, None
            if len(keys) == 1 and keys[0] in _SIMPLE_ATTRS and op != "!":
                value = spec[keys[0]]
                if isinstance(value, str):
                    vals = frozenset([self.strings.add(value)])
                elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
                    vals = frozenset(self.strings.add(v) for v in value["IN"])
                if vals is not None:
                    attr = _SIMPLE_ATTRS[keys[0]]
            if op == "+":
                steps.append((None, attr, vals))
                op = "*"
            if op == "!":
                op = None
            star = star or op == "*"
            steps.append((op, attr, vals))
        maxlen = STAR_WINDOW if star else len(pattern)
        firsts = _closure(steps, {0})
        # a fixed sequence, possibly followed by optional steps (which may match nothing): it
        # matches where its fixed part does
        fixed = next((k for k, (op, _, _) in enumerate(steps) if op is not None), len(steps))
        seq = None
        if fixed and all(op in ("?", "*") for op, _, _ in steps[fixed:]):
            seq = [(k, attr, vals) for k, (_, attr, vals) in enumerate(steps[:fixed]) if k and vals is not None]
        idx = len(self.patterns)
        self.patterns.append((steps, maxlen, frozenset(firsts), seq, fixed))
        if len(steps) in firsts or any(steps[s][2] is None for s in firsts if s < len(steps)):
            self.always = True  # may start on any token
            return
        for s in firsts:
            _, attr, vals = steps[s]
            assert vals is not None
            for h in vals:
                self.first[attr].setdefault(h, []).append(idx)

    def _may_match(self, p: int, cols: tuple[list[int], list[int]], i: int, limit: int) -> bool:
        steps, _, init, seq, fixed = self.patterns[p]
        end = len(steps)
        if seq is not None:  # a fixed sequence (then optional steps): every constrained token in place
            return i + fixed <= limit and all(cols[attr][i + k] in vals for k, attr, vals in seq)
        states: set[int] | frozenset[int] = init
        pos = i
        while pos < limit:
            if end in states:
                return True
            nxt: set[int] = set()
            for s in states:
                if s == end:
                    continue
                op, attr, vals = steps[s]
                if vals is None or cols[attr][pos] in vals:
                    nxt.add(s if op == "*" else s + 1)
            if not nxt:
                return False
            states = _closure(steps, nxt)
            pos += 1
        return end in states

    def windows(self, lower: np.ndarray, orth: np.ndarray, ranges: Sequence[tuple[int, int]],
                lists: tuple[list[int], list[int]] | None = None) -> list[tuple[int, int]]:
        """Merged token windows (inside ``ranges``) that hold every possible match start and its
        longest possible match; windows that touch or overlap are merged. ``lower``/``orth``: the
        tokens' LOWER and ORTH hashes (uint64 arrays); ``lists``: the same as lists, when at hand."""
        cols = (lower.tolist(), orth.tolist()) if lists is None else lists
        first_l, first_o = self.first
        patterns = self.patterns
        out: list[list[int]] = []
        lower_l, orth_l = cols
        for lo, hi in ranges:
            if first_o:
                cand = [i for i in range(lo, hi) if lower_l[i] in first_l or orth_l[i] in first_o]
            else:
                cand = [i for i in range(lo, hi) if lower_l[i] in first_l]
            for i in cand:
                pl = first_l.get(lower_l[i])
                po = first_o.get(orth_l[i]) if first_o else None
                ps = (pl or []) + po if po else pl
                reach = -1
                for p in ps or ():
                    limit = min(hi, i + patterns[p][1])
                    if limit > reach and self._may_match(p, cols, i, limit):
                        reach = limit
                if reach < 0:
                    continue
                if out and i <= out[-1][1]:
                    out[-1][1] = max(out[-1][1], reach)
                else:
                    out.append([i, reach])
        return [(a, b) for a, b in out]



def _closure(steps: list[Step], states: set[int]) -> set[int]:
    """States reachable by skipping optional (``?``/``*``) steps."""
    todo = list(states)
    out = set(states)
    while todo:
        s = todo.pop()
        if s < len(steps) and steps[s][0] in ("?", "*") and s + 1 not in out:
            out.add(s + 1)
            todo.append(s + 1)
    return out
