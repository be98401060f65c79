"""Cue-based name, place and facility detector: a title, kinship word, staff credential, place
preposition or facility word next to words that look like names (gazetteers, rarity, case).
Writes candidates to ``doc.spans["ids.cues"]``.

Everything it knows is data (``resources/identifiers/cues.json``, ``allow.json`` and the gazetteers,
see :mod:`riskflag.pipeline.id_lexicons`); the regexes below only find the cue positions, in C,
so the per-note Python work is proportional to the number of cues, not of tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc

from ..types import Evidence
from .extensions import IDENTIFIER_PREFIX, make_span, register_extensions
from .id_lexicons import IdentifierLexicons, load_lexicons

__all__ = ["CueDetector", "Candidate"]

Candidate = tuple[int, int, str, float, str, str]  # start, end, label, score, rule id, cue word

WORD = regex.compile(r"[A-Za-z](?:[A-Za-z']*[A-Za-z]|(?:-[A-Za-z]+)+)?")
#: a word or an initial ("A." / "A") after optional spaces/periods
NEXT_WORD = regex.compile(r"[ \t]*(?:\.[ \t]*)?([A-Za-z](?:[A-Za-z']*[A-Za-z])?(?:-[A-Za-z]+)*)(\.)?")
RARE_ZIPF = 3.0


def _alts(words: frozenset[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


class CueDetector:
    """Names after titles/kinship words/before credentials; places after place cues; facilities."""

    def __init__(self, *, name: str = "riskflag_id_cues", lexicons: str | None = None,
                 span_key: str = f"{IDENTIFIER_PREFIX}cues") -> None:
        register_extensions()
        self.name = name
        self.lexicons_source = lexicons
        self.span_key = span_key
        self.lex: IdentifierLexicons | None = None

    # -- loading ---------------------------------------------------------------------------------
    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        self.load()

    def load(self) -> None:
        lex = load_lexicons(self.lexicons_source)
        self.lex = lex
        c = lex.cues
        self._title = regex.compile(rf"(?i)(?<![\w.+/-])({_alts(c['title'])})(?![\w'])\.?")
        self._relative = regex.compile(
            rf"(?i)(?<![\w-])(?:pt'?s\s+|his\s+|her\s+|patient'?s\s+)?({_alts(c['relative'])})(?![\w'-])"
            r"(?:\s*\(\?\))?[ \t]*(?:[,:\-]+[ \t]*|\s+(?:is|named|called|name\s+is)\s+)?")
        self._credential = regex.compile(rf"(?i),?[ \t]+({_alts(c['credential'])})(?![\w-])")
        self._saint = regex.compile(r"(?i)(?<![\w.])(st\.?|saint|ste\.?)(?![A-Za-z])[ \t]*")
        fac = c["facility_word"] | c["place_word"]
        self._facility = regex.compile(rf"(?i)(?<![\w])({_alts(fac)})(?![\w])")
        self._facility_name = regex.compile(rf"(?i)(?<![\w])(?:{_alts(c['facility_name'])})(?![\w])")
        self._place_cue = regex.compile(rf"(?i)(?<![\w/])({_alts(c['place_before'])})[ \t]+(?:(?:in|at|to|from|the)[ \t]+)?")
        self._acronym = regex.compile(
            r"(?i:\b(?:transfer(?:red)?|xfer(?:red)?|sent|admit(?:ted)?|adm|brought|trans(?:ported)?|came|"
            r"arrived|discharged?|d/c(?:'?d)?|return(?:ed)?|accepted|go(?:ing)?|went|ambulance)\b[^\n.;]{0,25}?\b(?:to|from|at|by)\s+)"
            r"([A-Z]{2,5})(?![\w/-])")

    # -- word tests ------------------------------------------------------------------------------
    def _blocked(self, w: str) -> bool:
        lex = self.lex
        assert lex is not None
        return w in lex.cues["stop"] or w in lex.hard_allow

    def _namey(self, w: str, *, strict: bool = False) -> bool:
        """A word that could be (part of) a person name."""
        lw = w.lower()
        if len(lw) == 1:
            return True
        if self._blocked(lw):
            return False
        if not strict:
            return True
        lex = self.lex
        assert lex is not None
        return lw in lex.first or lw in lex.last or lex.zipf(lw) < RARE_ZIPF

    def _next_words(self, text: str, pos: int, limit: int = 3) -> Iterator[tuple[int, int, str]]:
        """Up to ``limit`` words following ``pos`` on the same line (initials keep their period)."""
        for _ in range(limit):
            m = NEXT_WORD.match(text, pos)
            if m is None:
                return
            s, e = m.span(1)
            end = m.end(2) if m.group(2) and len(m.group(1)) == 1 else e
            yield s, end, m.group(1)
            pos = end

    # -- rules -----------------------------------------------------------------------------------
    def match(self, text: str) -> list[Candidate]:
        if self.lex is None:
            self.load()
        out: list[Candidate] = []
        out.extend(self._titles(text))
        out.extend(self._relatives(text))
        out.extend(self._credentials(text))
        out.extend(self._facilities(text))
        out.extend(self._places(text))
        for m in self._acronym.finditer(text):
            w = m.group(1).lower()
            if not self._blocked(w) and self.lex.zipf(w) < 3.5 and w not in self.lex.allow["common"]:
                out.append((m.start(1), m.end(1), "FACILITY", 0.5, "cue.acronym", ""))
        return out

    def _titles(self, text: str) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        for m in self._title.finditer(text):
            cue = m.group(1).lower()
            strict_title = cue in lex.cues["title_strict"]
            words = list(self._next_words(text, m.end()))
            if not words:
                continue
            s, e, w = words[0]
            lw = w.lower()
            if len(lw) == 1:
                # "Dr. J. Smith" / "Mr. I": an initial must be a capital (MR d/t MVR is mitral regurgitation)
                if not w.isupper() or (len(words) == 1 and cue not in ("dr", "mr", "mrs", "ms", "miss")):
                    continue
            elif not self._namey(w) or (cue not in ("dr", "doctor", "drs") and lex.zipf(lw) >= 4.5) or not (
                    lw in lex.first or lw in lex.last or lex.zipf(lw) < (4.5 if cue in ("dr", "drs", "doctor") else RARE_ZIPF)
                    or (strict_title and cue != "ms" and w[:1].isupper() and not w.isupper())):
                continue
            end = e
            first_upper = w[:1].isupper()
            for s2, e2, w2 in words[1:]:
                if text[end:s2].count("\n") or "," in text[end:s2]:
                    break
                if len(w2) > 1 and (not self._namey(w2, strict=True) or w2[:1].isupper() != first_upper):
                    break
                end = e2
            score = 0.9 if strict_title else 0.75
            if len(lw) == 1 and end == e:
                score = 0.6
            yield (s, end, "NAME", score, f"cue.title.{cue}", cue)
            # "Dr. Griffin and Swackhamer aware"
            tail = regex.match(r"[ \t]*(?:and|&|,)[ \t]*(?:(?:dr|mr|mrs|ms)\.?[ \t]*)?([A-Za-z][A-Za-z'-]+)", text[end:end + 40])
            if tail and self._namey(tail.group(1), strict=True) and tail.group(1)[:1].isupper() == first_upper:
                yield (end + tail.start(1), end + tail.end(1), "NAME", 0.7, f"cue.title.{cue}.and", cue)

    def _relatives(self, text: str) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        for m in self._relative.finditer(text):
            cue = m.group(1).lower()
            words = list(self._next_words(text, m.end(), 2))
            if not words:
                continue
            s, e, w = words[0]
            lw = w.lower()
            if len(lw) < 2 or self._blocked(lw) or lw not in lex.first:
                continue
            if lw in lex.allow["common"] and not (w[:1].isupper() and not w.isupper()):
                score = 0.6
            else:
                score = 0.85
            end = e
            if len(words) > 1:
                s2, e2, w2 = words[1]
                if "\n" not in text[e:s2] and "," not in text[e:s2] and self._namey(w2, strict=True) and (
                        w2.lower() in lex.last) and w2.lower() not in lex.allow["common"]:
                    end = e2
            yield (s, end, "NAME", score, f"cue.relative.{cue}", cue)

    def _credentials(self, text: str) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        for m in self._credential.finditer(text):
            cred = m.group(1)
            if cred.lower() in ("do", "np", "slp", "otr", "dpt") and not cred.isupper():
                continue
            # up to three words before the credential, on the same line
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[line_start:m.start()]
            ws = list(WORD.finditer(before))[-3:]
            picked: list[tuple[int, int, str]] = []
            for wm in reversed(ws):
                w = wm.group(0)
                gap = before[wm.end():(picked[0][0] - line_start) if picked else len(before)]
                if regex.search(r"[^\s.,]", gap):
                    break
                lw = w.lower()
                if len(w) == 1 and w.isupper():
                    picked.insert(0, (line_start + wm.start(), line_start + wm.end(), w))
                    continue
                if (not self._namey(w, strict=True) or lex.zipf(lw) >= 4.0 or lw in lex.cues["relative"]
                        or lw in lex.cues["title"] or lw in lex.allow["common"]):
                    break
                if not text.isupper() and not w[:1].isupper():
                    break
                picked.insert(0, (line_start + wm.start(), line_start + wm.end(), w))
            while picked and len(picked[0][2]) == 1:
                picked.pop(0)
            if not picked:
                continue
            if not any(p[2].lower() in lex.first or p[2].lower() in lex.last for p in picked):
                continue
            yield (picked[0][0], picked[-1][1], "NAME", 0.8, f"cue.credential.{cred.lower()}", cred.lower())

    def _facilities(self, text: str) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        for m in self._facility_name.finditer(text):
            yield (m.start(), m.end(), "FACILITY", 0.6, "cue.facility_name", "")
        for m in self._saint.finditer(text):
            words = list(self._next_words(text, m.end(), 2))
            if not words:
                continue
            s, e, w = words[0]
            lw = w.lower().removesuffix("'s")
            if ((lw in lex.first or lw in lex.last or lw in lex.places) and (lw in lex.first or lex.zipf(lw) < 4.0)
                    and not self._blocked(lw) and w[:1].isupper()):
                    yield (m.start(), e, "FACILITY", 0.75, "cue.saint", "")
        for m in self._facility.finditer(text):
            fac = m.group(1).lower()
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[max(line_start, m.start() - 60):m.start()]
            ws = list(WORD.finditer(before))[-3:]
            picked: list[int] = []
            for wm in reversed(ws):
                w = wm.group(0)
                lw = w.lower()
                gap = before[wm.end():(picked[0] - (m.start() - len(before))) if picked else len(before)]
                if regex.search(r"[^\s'.]", gap) or self._blocked(lw) or lw in lex.cues["place_before"]:
                    break
                if lw in lex.allow["common"] or not (lw in lex.first or lw in lex.last or lw in lex.places
                                                     or lex.zipf(lw) < RARE_ZIPF):
                    break
                if not w[:1].isupper():
                    break
                picked.insert(0, m.start() - len(before) + wm.start())
            if picked:
                label = "ADDRESS" if fac in lex.cues["place_word"] else "FACILITY"
                yield (picked[0], m.end(), label, 0.7, f"cue.facility.{fac}", fac)

    def _places(self, text: str) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        lower = text.lower()
        present = set(WORD.findall(lower))
        hits = (present & lex.places.keys()) | (present & lex.place_first_words.keys())
        if not hits:
            return
        finder = regex.compile(rf"(?<![A-Za-z'-])(?:{_alts(frozenset(hits))})(?![A-Za-z'-])")
        for m in finder.finditer(lower):
            w = m.group(0)
            n = lex.place_first_words.get(w, 1)
            best = None
            if n > 1:
                seq = list(self._next_words(lower, m.end(), n - 1))
                for k in range(len(seq), 0, -1):
                    cand = " ".join([w] + [x[2] for x in seq[:k]])
                    if cand in lex.places:
                        best = (m.start(), seq[k - 1][1], cand)
                        break
            if best is None and w in lex.places:
                best = (m.start(), m.end(), w)
            if best is None:
                continue
            s, e, place = best
            kind = lex.places[place]
            orig = text[s:e]
            cue = self._place_cue_before(lower, s)
            zipf = lex.zipf(place) if " " not in place else 0.0
            if self._blocked(place) or place in lex.allow["common"]:
                continue
            mixed = not text.isupper() and not text.islower()
            if mixed and not orig[:1].isupper():
                continue
            if kind == "state":
                after_city = regex.search(r"(?i)[a-z]+,?[ \t]+$", lower[max(0, s - 30):s])
                if cue or (after_city and after_city.group(0).strip(" ,\t") in lex.places):
                    yield (s, e, "ADDRESS", 0.5, "cue.place.state", "")
                continue
            if cue:
                yield (s, e, "ADDRESS", 0.75 if zipf < 4.5 else 0.5, "cue.place", cue)
            elif zipf < 3.5:
                yield (s, e, "ADDRESS", 0.55, "gazetteer.place", "")

    def _place_cue_before(self, lower: str, s: int) -> str:
        window = lower[max(0, s - 25):s]
        m = regex.search(r"([a-z/']+)[ \t]+(?:(?:in|at|to|from|the)[ \t]+)?$", window)
        if m and m.group(1) in self.lex.cues["place_before"]:  # type: ignore[union-attr]
            return m.group(1)
        return ""

    # -- spaCy -----------------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, cands: list[Candidate]) -> None:
        spans = []
        for s, e, label, score, rid, cue in cands:
            span = make_span(doc, s, e, label, score=score, source=rid,
                             evidence=[Evidence("cue", rid, s, e, detail=cue or None)])
            if span is not None:
                spans.append(span)
        doc.spans[self.span_key] = spans

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc.text))
        return doc

    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> CueDetector:
        self.load()
        return self


@Language.factory(
    "riskflag_id_cues",
    assigns=["doc.spans"],
    default_config={"lexicons": None, "span_key": f"{IDENTIFIER_PREFIX}cues"},
)
def make_cue_detector(nlp: Language, name: str, lexicons: str | None, span_key: str) -> CueDetector:
    return CueDetector(name=name, lexicons=lexicons, span_key=span_key)
