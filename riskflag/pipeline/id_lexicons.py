"""Gazetteers, allow-lists and cue lists for identifier detection, loaded from
``riskflag/resources/identifiers/`` and validated on load (every file names its source).

Files:
  first_names.json, last_names.json  ``entries``: lower-case names, ordered by frequency (rank = index)
  places.json                         ``entries``: {place (lower case, may be multi-word): kind}
  word_freq.json                      ``entries``: {word: Zipf frequency}
  allow.json, cues.json               ``lists``: {name: {"comment", "entries": [...]}}

Nothing is loaded at import; :func:`load_lexicons` caches one instance per folder.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RulesError
from ..rules import resource_path

__all__ = ["IdentifierLexicons", "load_lexicons", "HARD_ALLOW_LISTS", "LEXICON_FILES", "CUE_LISTS", "Words", "taken_offsets",
           "doc_words", "WORD_RE", "fold"]

#: a word: letters with inner apostrophes/hyphens (O'Rourke, Forman-Lyons, Mary's)
#: words are runs of letters in any script ("Tomás", "Hernández-Ruiz", "O'Brien"); digits and "_" excluded
WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*(?:-[^\W\d_]+)*")
#: the same, captured: ``split`` gives the gaps and the words interleaved in one pass
_WORD_SPLIT = re.compile(f"({WORD_RE.pattern})")


def fold(word: str) -> str:
    """Accents removed ("hernández" -> "hernandez"), the way the gazetteers store names and places."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


@dataclass
class Words:
    """The words of a note, found once (one C-level regex pass) and shared by the cue detector and the
    learned model: offsets, original strings and lower-case keys (possessive 's removed)."""

    starts: list[int]
    ends: list[int]
    raw: list[str]
    low: list[str]
    upper_doc: bool
    lower_doc: bool

    def __len__(self) -> int:
        return len(self.raw)




def find_words(text: str) -> Words:
    parts = _WORD_SPLIT.split(text)  # gap, word, gap, word, ..., gap
    raw = parts[1::2]
    gaps = parts[0::2]
    n = len(raw)
    lens = [0] * (2 * n + 1)
    lens[0::2] = map(len, gaps)
    lens[1::2] = map(len, raw)
    acc = list(itertools.accumulate(lens))
    starts = acc[0:2 * n:2]
    ends = acc[1:2 * n:2]
    low = list(map(str.lower, raw))
    if not text.isascii():  # lookup keys without accents, as in the gazetteers (raw keeps the original)
        low = [w if w.isascii() else fold(w) for w in low]
    if "'s" in text or "\u2019s" in text or "'S" in text:
        low = [w[:-2] if w.endswith(("'s", "\u2019s")) and len(w) > 3 else w for w in low]
    letters = sum(map(len, raw)) or 1
    upper_words = list(filter(str.isupper, raw))
    upper = sum(map(len, upper_words))
    capitalised = len(upper_words) + sum(1 for _ in filter(str.istitle, raw))
    # ALL CAPS: most letters upper case; lower case: (almost) no word starts with a capital
    return Words(starts, ends, raw, low, upper / letters > 0.6, capitalised <= 0.02 * max(1, len(raw)))


def taken_offsets(doc: Any, prefix: str = "ids.") -> dict[tuple[int, int], float]:
    """Token-aligned (start_char, end_char) -> score of every span already written to an ``ids.*`` group.

    spaCy keys span extension values by the span's character offsets, so a second span over the same
    tokens would overwrite the first one's score, source and evidence: detectors skip those offsets."""
    out: dict[tuple[int, int], float] = {}
    for key in doc.spans:
        if key.startswith(prefix):
            for sp in doc.spans[key]:
                k = (sp.start_char, sp.end_char)
                out[k] = max(out.get(k, 0.0), sp._.score)
    return out


def doc_words(doc: Any) -> Words:
    """Words of a spaCy Doc, computed once per doc (cached in ``doc.user_data``)."""
    key = "riskflag.words"
    w = doc.user_data.get(key)
    if w is None:
        from .extensions import doc_text

        w = find_words(doc_text(doc))
        doc.user_data[key] = w
    return w

LEXICON_FILES = ("first_names.json", "last_names.json", "places.json", "word_freq.json", "allow.json", "cues.json")
HEADER_KEYS = {"version", "description", "source", "licence"}
#: allow-lists that block gazetteer and model guesses outright (``common`` only lowers them)
HARD_ALLOW_LISTS = ("abbreviation", "eponym", "drug", "unit_word", "header", "clinical")
ALLOW_LISTS = (*HARD_ALLOW_LISTS, "common")
CUE_LISTS = ("title", "title_strict", "relative", "credential", "name_verb_after", "name_prep_before",
             "place_before", "facility_word", "saint", "street_suffix", "stop", "place_word", "facility_name", "role",
             "eponym_next")


def _load_json(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except FileNotFoundError:
        raise RulesError(f"lexicon file not found: {path}", code="E301") from None
    except json.JSONDecodeError as exc:
        raise RulesError(f"lexicon file {path.name} is not valid JSON (line {exc.lineno})", code="E302") from None
    if not isinstance(data, dict):
        raise RulesError(f"lexicon file {path.name} must be a JSON object", code="E303")
    data["_sha256"] = hashlib.sha256(raw).hexdigest()
    return data


def _check_header(data: dict[str, Any], name: str, collection: str) -> None:
    allowed = HEADER_KEYS | {collection, "_sha256"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise RulesError(f"{name}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed - {'_sha256'}))}",
                         code="E304")
    for key in ("version", "description", "source", collection):
        if key not in data:
            raise RulesError(f"{name}: missing required key '{key}' (every list must say where it came from)",
                             code="E304")


def _words(entries: Any, where: str) -> list[str]:
    if not isinstance(entries, list) or not all(isinstance(w, str) and w and w == w.lower() for w in entries):
        raise RulesError(f"{where}: entries must be a list of non-empty lower-case strings", code="E304")
    return entries


def _lists(data: dict[str, Any], name: str, expected: tuple[str, ...]) -> dict[str, list[str]]:
    lists = data["lists"]
    if not isinstance(lists, dict):
        raise RulesError(f"{name}: 'lists' must be an object", code="E303")
    unknown = sorted(set(lists) - set(expected))
    if unknown:
        raise RulesError(f"{name}: unknown list(s) {', '.join(unknown)}; allowed: {', '.join(expected)}", code="E304")
    out: dict[str, list[str]] = {}
    for key in expected:
        item = lists.get(key)
        if not isinstance(item, dict) or set(item) - {"comment", "entries"}:
            raise RulesError(f"{name}: list '{key}' must be an object with 'comment' and 'entries'", code="E304")
        out[key] = _words(item.get("entries"), f"{name} list '{key}'")
    return out


@dataclass
class IdentifierLexicons:
    """Lookup tables for the name/place detectors and the learned model's features."""

    first: dict[str, int]
    last: dict[str, int]
    places: dict[str, str]
    word_freq: dict[str, float]
    allow: dict[str, frozenset[str]]
    cues: dict[str, frozenset[str]]
    hard_allow: frozenset[str] = frozenset()
    place_first_words: dict[str, int] = field(default_factory=dict)
    facility_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    headers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.hard_allow = frozenset().union(*(self.allow[k] for k in HARD_ALLOW_LISTS))
        longest: dict[str, int] = {}
        for place in self.places:
            parts = place.split()
            if len(parts) > 1:
                longest[parts[0]] = max(longest.get(parts[0], 1), len(parts))
        self.place_first_words = longest
        fac: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted(self.cues["facility_name"], key=lambda p: -len(p.split())):
            parts = tuple(p[:-2] if p.endswith("'s") and len(p) > 3 else p for p in WORD_RE.findall(phrase))
            if parts:
                fac.setdefault(parts[0], []).append(parts)
        self.facility_first = fac

    def zipf(self, word: str) -> float:
        return self.word_freq.get(word, 0.0)

    def is_name(self, word: str) -> bool:
        return word in self.first or word in self.last

    def fingerprint(self) -> str:
        """One hash over every lexicon file (stored in the learned model's manifest)."""
        h = hashlib.sha256()
        for name in sorted(self.headers):
            h.update(self.headers[name].get("_sha256", "").encode())
        return h.hexdigest()


_CACHE: dict[str, IdentifierLexicons] = {}


def load_lexicons(folder: str | Path | None = None) -> IdentifierLexicons:
    """Load (once per folder) and validate the identifier lexicons."""
    base = Path(folder) if folder is not None else resource_path("identifiers")
    key = str(base.resolve())
    if key in _CACHE:
        return _CACHE[key]
    headers: dict[str, dict[str, Any]] = {}
    raw: dict[str, dict[str, Any]] = {}
    for name in LEXICON_FILES:
        data = _load_json(base / name)
        collection = "lists" if name in ("allow.json", "cues.json") else "entries"
        _check_header(data, name, collection)
        raw[name] = data
        headers[name] = {k: v for k, v in data.items() if k not in ("entries", "lists")}
    first = {w: i for i, w in enumerate(_words(raw["first_names.json"]["entries"], "first_names.json"))}
    last = {w: i for i, w in enumerate(_words(raw["last_names.json"]["entries"], "last_names.json"))}
    places = raw["places.json"]["entries"]
    if not isinstance(places, dict) or not all(isinstance(k, str) and k == k.lower() and isinstance(v, str)
                                               for k, v in places.items()):
        raise RulesError("places.json: entries must map lower-case place names to a kind", code="E304")
    freq = raw["word_freq.json"]["entries"]
    if not isinstance(freq, dict) or not all(isinstance(v, int | float) for v in freq.values()):
        raise RulesError("word_freq.json: entries must map words to numbers", code="E304")
    allow = {k: frozenset(v) for k, v in _lists(raw["allow.json"], "allow.json", ALLOW_LISTS).items()}
    cues = {k: frozenset(v) for k, v in _lists(raw["cues.json"], "cues.json", CUE_LISTS).items()}
    lex = IdentifierLexicons(first=first, last=last, places=dict(places), word_freq=dict(freq), allow=allow,
                             cues=cues, headers=headers)
    _CACHE[key] = lex
    return lex
