"""Consistent, realistic surrogates for redaction (``riskflag redact --surrogates``).

Within one note the same identifier always gets the same surrogate (names word by word, so "Hank
Przybylo" and "Mr. Przybylo" keep the same surname), and every date is shifted by one random
per-note offset so intervals between dates survive. Surrogate names and places are drawn from the
shipped gazetteers (US Census names, GeoNames places); phone numbers use the fictional 555-01xx
range; e-mails use example.org; other numbers keep their format with random digits/letters. The
offset and choices come from a fresh random generator per note (``seed`` makes them reproducible).
Case follows the original (ALL CAPS stays ALL CAPS).
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from .redact import redact_text
from .types import Finding

__all__ = ["SurrogateRedactor", "NoteSurrogates"]

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_MON3 = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}
_MON3["sept"] = 9
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})$")
_MONTH_NAME = re.compile(r"^(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?P<suf>st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?$", re.I)
_YEAR = re.compile(r"^'?(\d{2}|\d{4})(')?$")


def _match_case(value: str, like: str) -> str:
    if like.isupper() and any(c.isalpha() for c in like):
        return value.upper()
    if like.islower():
        return value.lower()
    return value


class NoteSurrogates:
    """Surrogate choices for one note."""

    def __init__(self, rng: random.Random) -> None:
        from .pipeline.id_lexicons import load_lexicons

        self.rng = rng
        lex = load_lexicons()
        self.first = [w for w, r in lex.first.items() if r < 1500]
        self.last = [w for w, r in lex.last.items() if r < 5000 and lex.zipf(w) < 3.5]
        self.first_rank, self.last_rank = lex.first, lex.last
        self.cities = [p for p, k in lex.places.items() if k == "city" and " " not in p and lex.zipf(p) < 3.0]
        self.shift = timedelta(days=-rng.randint(30, 730))
        self.words: dict[str, str] = {}
        self.values: dict[tuple[str, str], str] = {}

    def __call__(self, label: str, value: str, start: int, end: int) -> str:
        key = (label, value.lower())
        if key not in self.values:
            self.values[key] = self._make(label, value)
        return self.values[key]

    def _word(self, w: str, pool: list[str]) -> str:
        k = w.lower()
        if k not in self.words:
            self.words[k] = self.rng.choice(pool).capitalize()
        return _match_case(self.words[k], w) if not w[:1].isupper() or w.isupper() else self.words[k]

    def _make(self, label: str, value: str) -> str:
        if label == "NAME":
            def repl(m: re.Match[str]) -> str:
                w = m.group(0)
                if len(w) == 1:
                    return _match_case(self.rng.choice("ABCDEFGHJKLMNPRSTW"), w)
                lw = w.lower()
                fr, lr = self.first_rank.get(lw), self.last_rank.get(lw)
                is_first = fr is not None and (lr is None or fr < lr)
                return self._word(w, self.first if is_first else self.last)
            return re.sub(r"[A-Za-z]+(?:'[A-Za-z]+)?", repl, value)
        if label in ("ADDRESS", "LOCATION", "FACILITY"):
            def repl_place(m: re.Match[str]) -> str:
                w = m.group(0)
                if len(w) == 1 or w.lower() in ("st", "saint", "hospital", "medical", "center", "rehab", "house", "county",
                                 "street", "road", "avenue", "drive", "lane", "box", "po", "apt", "suite"):
                    return w
                return self._word(w, self.cities or self.last)
            out = re.sub(r"[A-Za-z]+", repl_place, value)
            return re.sub(r"\d", lambda _m: str(self.rng.randint(0, 9)), out)
        if label == "DATE":
            return self._date(value)
        if label in ("PHONE", "FAX"):
            digits = f"{self.rng.randint(201, 989)}555{self.rng.randint(100, 199):04d}"
            it = iter(digits)
            out = re.sub(r"\d", lambda _m: next(it, "0"), value)
            return out
        if label == "EMAIL":
            return f"{self.rng.choice(self.first)}.{self.rng.randint(10, 99)}@example.org"
        if label == "URL":
            return f"https://example.org/{self.rng.randint(1000, 9999)}"
        if label == "IP":
            return f"192.0.2.{self.rng.randint(1, 254)}"
        if label == "AGE":
            return "90+"
        return self._scramble(value)

    def _scramble(self, value: str) -> str:
        def r(m: re.Match[str]) -> str:
            c = m.group(0)
            if c.isdigit():
                return str(self.rng.randint(0, 9))
            return _match_case(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ"), c)
        return re.sub(r"[A-Za-z0-9]", r, value)

    def _date(self, value: str) -> str:
        v = value.strip()
        base_year = 2000
        m = _NUMERIC.match(v)
        if m:
            a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
            year = int(y) if y and len(y) == 4 else (2000 + int(y) if y and int(y) < 50 else 1900 + int(y) if y else base_year)
            try:
                d = date(year, a, b) + self.shift
            except ValueError:
                return self._scramble(value)
            if y:
                ys = str(d.year) if len(y) == 4 else f"{d.year % 100:02d}"
                return f"{d.month}{sep}{d.day}{sep}{ys}"
            return f"{d.month}{sep}{d.day}"
        m = _ISO.match(v)
        if m:
            try:
                d = date(int(m.group(1)), int(m.group(3)), int(m.group(4))) + self.shift
            except ValueError:
                return self._scramble(value)
            return f"{d.year}{m.group(2)}{d.month:02d}{m.group(2)}{d.day:02d}"
        m = _MONTH_NAME.match(v)
        if m and m.group("mon")[:3].lower() in _MON3:
            year = int(m.group("year")) if m.group("year") else base_year
            try:
                d = date(year, _MON3[m.group("mon")[:3].lower()], int(m.group("day"))) + self.shift
            except ValueError:
                return self._scramble(value)
            out = f"{_MONTHS[d.month - 1].capitalize()} {d.day}{m.group('suf') or ''}"
            if m.group("year"):
                out += f", {d.year}"
            return _match_case(out, value)
        m = _YEAR.match(v)
        if m:
            y = m.group(1)
            shifted = (date(int(y) if len(y) == 4 else 1900 + int(y), 7, 1) + self.shift).year
            return value.replace(y, str(shifted) if len(y) == 4 else f"{shifted % 100:02d}")
        if v.lower().rstrip(".") in _MONTHS or v.lower().rstrip(".")[:3] in _MON3:
            idx = _MON3.get(v.lower()[:3], 1)
            d = date(base_year, idx, 15) + self.shift
            return _match_case(_MONTHS[d.month - 1].capitalize(), value)
        return self._scramble(value)


class SurrogateRedactor:
    """The scanner's redactor with ``--surrogates``: ``redactor(text, findings) -> text``."""

    def __init__(self, *, seed: int | None = None) -> None:
        self.seed = seed
        self._count = 0

    def __call__(self, text: str, findings: Iterable[Finding]) -> str:
        seed = secrets.randbits(64) if self.seed is None else self.seed + self._count
        self._count += 1
        return redact_text(text, findings, replacement=NoteSurrogates(random.Random(seed)))
