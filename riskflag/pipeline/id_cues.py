"""Cue-based name, place and facility detector: a title, kinship word, staff credential, place
preposition or facility word next to words that look like names (gazetteers, rarity, case).
Writes candidates to ``doc.spans["ids.cues"]``.

Everything it knows is data (``resources/identifiers/cues.json``, ``allow.json`` and the gazetteers,
see :mod:`riskflag.pipeline.id_lexicons`); the regexes below only find the cue positions, in C,
so the per-note Python work is proportional to the number of cues, not of tokens.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from itertools import compress
from pathlib import Path
from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc

from ..rules import resource_path
from ..types import IDENTIFIER_LABELS, Evidence
from .extensions import IDENTIFIER_PREFIX, doc_text, make_span, register_extensions
from .id_lexicons import (
    IdentifierLexicons,
    Words,
    doc_words,
    find_words,
    load_lexicons,
    taken_offsets,
)

__all__ = ["CueDetector", "Candidate"]

Candidate = tuple[int, int, str, float, str, str]  # start, end, label, score, rule id, cue word

RARE_ZIPF = 3.0


def _case(w: str) -> str:
    return "U" if w.isupper() else "l" if w.islower() else "T" if w[:1].isupper() else "M"

#: what may separate a title from the name ("Dr. Lee", "Dr.Berz", "MR  SMITH")
_TITLE_GAP = regex.compile(r"\.?[ \t]*\Z")
#: between the parts of one name ("Edward C. Jones"; "SMITH, JOHN" is two spans)
_NAME_GAP = regex.compile(r"\.?[ \t]{1,3}\Z")
#: between a kinship word and the name ("son David", "wife, Helen", "SISTER,JANET", "daughter - Ann")
_REL_GAP = regex.compile(r"[ \t]*(?:\(\?\))?[ \t]*[,:\-]*[ \t]*\Z")
#: between a name and the credential after it ("Jones, MD", "Marie Munroe RN")
_CRED_GAP = regex.compile(r"[ \t]*[.,]?[ \t]+\Z|\.?[ \t]{1,3}\Z")
#: inside a facility name ("Sacred Heart", "St. Mary's Hospital")
_FAC_GAP = regex.compile(r"[ \t]{1,3}\Z")
#: gaps between words, compiled once (the per-word checks below run on every note)
_SPACE_OR_APOSTROPHE = regex.compile(r"[ ']")
_VALUE_AFTER = regex.compile(r"[ \t,:]*\d")
_PERIOD_GAP = regex.compile(r"\.[ \t]{1,2}\Z")
_COORDINATION_GAP = regex.compile(r"[ \t]*(?:,[ \t]*|[ \t]+(?:and|&)[ \t]+|,[ \t]*(?:and|&)[ \t]+)")
_SENTENCE_END_GAP = regex.compile(r"[.!?][ \t]+")
_COMMA_GAP = regex.compile(r",[ \t]?")
_COLON_GAP = regex.compile(r"[ \t]*:[ \t]*")
_COMMA_OR_SPACE_GAP = regex.compile(r",?[ \t]")
_PERIOD_SPACE_GAP = regex.compile(r"\.[ \t]")
_ONE_SPACE_GAP = regex.compile(r"[ \t]")
_SPACE_OR_SLASH_GAP = regex.compile(r"[ \t]{1,3}|/")
_NUMBER_AFTER_LABEL = regex.compile(r"[ \t]*(?:#|no\.?|number)?[ \t]*[:#-]?[ \t]*\(?\d{3}")
_SPACED_SMALL_NUMBER = regex.compile(r"[ \t]+\d{1,2}[ \t]+")
_DIGIT_AFTER = regex.compile(r"[ \t]*\.?\d")
#: titles written as ordinary words: a period after them ends the sentence, and in mixed case the name is capitalised
_WORD_TITLES = frozenset({"doctor", "mister", "professor", "reverend", "madam", "officer", "detective", "judge",
                          "pastor", "miss"})
_NAME_LABELS = frozenset({"name", "patient", "pt", "client", "guardian", "contact", "parent", "mother", "father",
                          "spouse", "provider", "physician", "pcp", "referring", "attending", "signed", "author",
                          # form fields outside the clinic ("Student: Aiden Brooks", "Cardholder: Robert K. Ellis")
                          "student", "employee", "beneficiary", "cardholder", "policyholder", "holder", "tenant",
                          "applicant", "insured", "recipient", "customer", "sender", "attn", "attention", "witness",
                          "owner", "driver", "member", "subscriber", "to", "from", "cc"})
_WORK_VERBS = frozenset({"works", "worked", "working", "employed", "retired", "employer", "employee", "work"})
#: job titles followed by "of"/"at" and the employer ("CEO OF IBM", "engineer at Boeing")
_JOB_TITLES = frozenset({"ceo", "cfo", "coo", "cto", "president", "founder", "owner", "chairman", "engineer",
                         "accountant", "lawyer", "attorney", "professor", "teacher", "librarian", "mechanic"})
_CALENDAR = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                       "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                       "saturday", "sunday"})
_WEAK_PLACE_CUES = frozenset({"in", "at", "to", "from", "near", "via", "go", "going", "went", "return", "returned"})
#: verbs that follow a person's name ("Suzette called", "bob visited")
_PERSON_VERBS = frozenset({"visited", "visiting", "called", "calls", "phoned", "phones", "reports", "reported", "states",
                           "stated", "says", "said", "asked", "asks", "agrees", "agreed", "wants", "wanted", "requested",
                           "requests", "understands", "consented", "arrived", "came", "spoke", "talked", "verbalized",
                           "verbalizes", "expressed", "expresses", "feels", "felt", "updated", "notified"})
#: auxiliaries after a first name as subject ("Anne is family contact"): only for first names, not surnames
_SUBJECT_AUX = frozenset({"is", "was", "has", "will"})
_TAG = "\\[(?:" + "|".join(IDENTIFIER_LABELS) + ")\\]"
_TAG_NEAR_AFTER = regex.compile(r"[ \t]*" + _TAG)
_TAG_NEAR_BEFORE = regex.compile(_TAG + r"[ \t]*$")
_GENERIC_FACILITY = frozenset({"hospital", "hosp", "clinic", "clinics", "rehab", "rehabilitation", "house", "home",
                               "center", "centre", "infirmary", "hospice", "school", "college", "university",
                               "church", "pharmacy", "shelter", "residence", "institute", "academy"})
_AFTER_FACILITY = frozenset({"er", "ew", "ed", "hospital", "rehab", "icu", "micu", "ccu", "cath", "team", "nurse"})
_MOVE_VERBS = frozenset({"transfer", "transferred", "xfer", "xferred", "sent", "admit", "admitted", "adm", "brought",
                         "transported", "came", "arrived", "discharge", "discharged", "dc", "return", "returned",
                         "accepted", "go", "going", "went", "ambulance", "transfered", "trans", "tx", "txd", "txed",
                         "referred", "arrival", "medflight", "medflighted", "flown", "airlifted", "helicopter",
                         "enroute", "route", "come", "coming", "followed", "managed", "transport", "transferring",
                         "tranferred", "presented", "taken", "moved"})
#: a patient's path between places written as an arrow ("OSH -> GH EW", "found down->GH")
_ARROW = regex.compile(r"[ \t]*-*>[ \t]*\Z")
_ARROW_ANY = regex.compile(r"-*>[ \t]*(?=\w)")
#: verbs of talking to someone: a first name follows ("talked with Helen", "paged Omar")
_TALK_VERBS = frozenset({"spoke", "speak", "speaking", "spoken", "talked", "talk", "talking", "discussed", "met",
                         "paged", "notified", "updated", "informed", "contacted", "told", "asked", "phoned", "texted",
                         "emailed", "e-mailed", "messaged", "reassured", "consulted", "call", "calling", "text",
                         "texting", "tell", "ask", "email", "message"})
#: labels of a phone number in a contact list: the words before them name the contact ("Ann Ruiz cell# ...")
_PHONE_LABELS = frozenset({"cell", "home", "work", "phone", "tel", "mobile", "pager", "beeper", "ph", "hm", "wk", "c"})
#: someone who comes from a hospital ("Surgeon from Harbor", "team from Lakeview")
_FROM_ROLE = frozenset({"surgeon", "surgeons", "doctor", "doctors", "dr", "md", "physician", "team", "nurse", "rn",
                        "staff", "someone", "representative", "rep", "liaison", "coordinator", "fellow", "resident",
                        "attending", "transport", "ambulance", "crew", "medflight"})
#: the last word of a self-introduction: a first name follows ("my name is Ana", "this is mike", "i'm Tomasz")
_INTRO_END = frozenset({"is", "it's", "i'm", "name's", "am", "called", "calls", "its", "im"})
_INTRO = regex.compile(r"(?i)(?:\bmy\s+name\s+is|\bthis\s+is|\bit'?s|\bi'?m|\bi\s+am|\bname'?s|\bnamed|"
                       r"\bcalled|\bgoes\s+by|\bcalls\s+(?:him|her)self)\s+\Z")
_UNIVERSITY = frozenset({"u", "univ", "university"})
#: how hospital acronyms end: "...H" (hospital), "...MC" (medical center), "...HC"/"...HS" (health centre/system)
_HOSPITAL_ACRONYM = regex.compile(r"[a-z]{1,4}(?:h|mc|hc|hs)")
#: descriptors inside a facility name, between the proper name and the facility word
#: a ward number after a name ("Quartermain 4"), not a dose ("lovastatin 10 mg")
_WARD_NUMBER = regex.compile(r"[ \t]{0,2}\d{1,2}\b(?![ \t]*(?:mg|mcg|g|gm|ml|cc|units?|u|meq|mmol|%|\.\d|mm|cm|l\b|lpm|"
                             r"tabs?|puffs?|drops?|mg/|x\b|times|hours?|hrs?|days?|min))(?!/\d\d)", regex.IGNORECASE)
#: a department inside a hospital, not a place the patient came from ("taken to Postanesthesia Care Unit")
_DEPARTMENT_NEXT = frozenset({"suite", "unit", "care", "department", "dept", "clinic", "service", "services", "room",
                              "lab", "laboratory", "floor", "ward", "bay", "area", "team", "consult", "diagnosis"})
_DEPARTMENT_SUFFIX = ("ology", "ologie", "scopy", "graphy", "ative", "ive", "atric", "atrics", "ics", "ery", "ency",
                      "ine")
_STRONG_FACILITY = frozenset({"hospital", "hosp", "rehab", "clinic", "ctr", "center", "centre", "infirmary"})
_FACILITY_PARTS = frozenset({"med", "medical", "health", "ctr", "general", "regional", "memorial", "community",
                             "university", "county", "city", "state", "children's", "childrens", "womens", "women's",
                             "mercy", "care", "rehabilitation", "rehab", "nursing", "cancer", "heart", "specialty"})
#: words that start a place name before a proper name ("Greater Baltimore", "North Shore", "Fort Worth")
_PLACE_PREFIX = frozenset({"greater", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
                           "upper", "lower", "new", "mount", "mt", "fort", "ft", "port", "lake", "san", "santa"})
_APOS_NAME = regex.compile(r"[od]'[a-z]{3,}")
_ACRONYM_BEFORE = frozenset({"to", "from", "at", "by", "into", "the"}) | _MOVE_VERBS


class CueDetector:
    """Names after titles/kinship words/before credentials; places after place cues; facilities."""

    def __init__(self, *, name: str = "riskflag_id_cues", lexicons: str | None = None,
                 span_key: str = f"{IDENTIFIER_PREFIX}cues") -> None:
        register_extensions()
        self.name = name
        self.lexicons_source = lexicons
        self.span_key = span_key
        self.lex: IdentifierLexicons | None = None
        self._trigger_words: frozenset[str] | None = None

    # -- loading ---------------------------------------------------------------------------------
    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        self.load()

    def load(self) -> None:
        self.lex = load_lexicons(self.lexicons_source)
        self._trigger_words = None

    def _triggers(self, fac_words: frozenset[str]) -> frozenset[str]:
        """Every word that starts a cue rule (computed once)."""
        cached = getattr(self, "_trigger_words", None)
        if cached is None:
            lex = self.lex
            assert lex is not None
            c = lex.cues
            cached = frozenset().union(c["role"], lex.first.keys(), _NAME_LABELS, {"per"}, _WORK_VERBS, c["title"],
                                       c["relative"], c["credential"], {"st", "saint", "ste"}, fac_words,
                                       lex.facility_first.keys(), _UNIVERSITY, {"family"}, _TALK_VERBS, _PERSON_VERBS,
                                       _PHONE_LABELS, _JOB_TITLES, _INTRO_END)
            self._trigger_words = cached
        return cached

    # -- word tests ------------------------------------------------------------------------------
    def _blocked(self, w: str) -> bool:
        lex = self.lex
        assert lex is not None
        if "'" in w and (w.endswith("'t") or (w.endswith("'s") and len(w) <= 5)):
            return True  # "con't", "p's", "x's", "cpk's": contractions and plurals of abbreviations
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
        return self._is_name(lw) or lex.zipf(lw) < RARE_ZIPF

    def _is_name(self, lw: str) -> bool:
        lex = self.lex
        assert lex is not None
        if lw in lex.first or lw in lex.last:
            return True
        return "-" in lw and all(p in lex.first or p in lex.last for p in lw.split("-"))

    # -- rules (on the note's words; Python work only at cue words) -----------------------------
    def match(self, text: str, words: Words | None = None) -> list[Candidate]:
        if self.lex is None:
            self.load()
        lex = self.lex
        assert lex is not None
        ws = words if words is not None else find_words(text)
        if not len(ws):
            return []
        c = lex.cues
        out: list[Candidate] = []
        title, relative, cred = c["title"], c["relative"], c["credential"]
        fac_words = c["facility_word"] | c["place_word"]
        saint = {"st", "saint", "ste"}
        fac_first = lex.facility_first
        role = c["role"]
        first = lex.first
        mixed = not ws.upper_doc and not ws.lower_doc
        present = set(ws.low)
        hits = present & self._triggers(fac_words)
        hits.update(w for w in present if len(w) == 1 or "-" in w)
        low = ws.low
        for i in list(compress(range(len(low)), map(hits.__contains__, low))):
            w = low[i]
            if len(w) == 1:
                out.extend(self._initial_at(text, ws, i))
            elif "-" in w:
                out.extend(self._hyphen_at(ws, i))
                if w.rsplit("-", 1)[1] in relative:
                    out.extend(self._relative_at(text, ws, i, cue=w.rsplit("-", 1)[1]))
            if w in role:
                out.extend(self._role_at(text, ws, i))
            if w in first:
                out.extend(self._full_name_at(text, ws, i))
                out.extend(self._last_comma_first_at(text, ws, i))
                if mixed:
                    out.extend(self._titled_first_at(text, ws, i))
                out.extend(self._subject_at(text, ws, i))
            if w in _NAME_LABELS:
                out.extend(self._labelled_name_at(text, ws, i))
            if w == "per":
                out.extend(self._per_at(text, ws, i))
            if w in _WORK_VERBS or w in _JOB_TITLES:
                out.extend(self._employer_at(text, ws, i))
            if w in _UNIVERSITY:
                out.extend(self._university_at(text, ws, i))
            if w in _PHONE_LABELS:
                out.extend(self._contact_name_at(text, ws, i))
            if w in _TALK_VERBS:
                out.extend(self._contacted_at(text, ws, i))
            if w in _INTRO_END:
                out.extend(self._introduced_at(text, ws, i))
            if w in _PERSON_VERBS and mixed:
                out.extend(self._surname_subject_at(text, ws, i))
            if w == "family":
                out.extend(self._family_at(text, ws, i))
            if w in title:
                out.extend(self._title_at(text, ws, i))
            if w in relative:
                out.extend(self._relative_at(text, ws, i))
            if w in cred:
                out.extend(self._credential_at(text, ws, i))
            if w in saint:
                out.extend(self._saint_at(text, ws, i))
            if w in fac_words:
                out.extend(self._facility_at(text, ws, i))
            if w in fac_first:
                out.extend(self._facility_name_at(text, ws, i))
        out.extend(self._places(text, ws))
        out.extend(self._signature(text, ws))
        out.extend(self._coordinated(text, ws, out))
        out.extend(self._acronyms(text, ws))
        return out

    @staticmethod
    def _gap(text: str, ws: Words, i: int) -> str:
        """Text between word i-1 and word i."""
        return text[ws.ends[i - 1]:ws.starts[i]] if i > 0 else text[:ws.starts[0]]

    def _title_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        cue = ws.low[i]
        if i > 0 and ws.ends[i - 1] >= ws.starts[i] - 1 and text[ws.starts[i] - 1:ws.starts[i]] in "+/-":
            return  # "3-4+MR"
        n = len(ws)
        j = i + 1
        if j >= n or not _TITLE_GAP.match(self._gap(text, ws, j)):
            return
        w, lw = ws.raw[j], ws.low[j]
        if cue in _WORD_TITLES and ("." in self._gap(text, ws, j) or ws.raw[i].lower().endswith("'s") or (
                not ws.upper_doc and not ws.lower_doc and _case(w) != "T")):
            return  # a spelled-out title: "her doctor.  Mother has", "the doctor's hand", "his doctor advised"
        strict_title = cue in lex.cues["title_strict"]
        doctor = cue in ("dr", "drs", "doctor")
        mixed = not ws.upper_doc and not ws.raw[i].isupper()  # "3-4+ MR. Given"; "mrs. Park" in a lower-case note
        titled_pair = (mixed and strict_title and _case(w) == "T" and lw not in lex.cues["stop"]
                       and j + 1 < n and _NAME_GAP.match(self._gap(text, ws, j + 1)) and _case(ws.raw[j + 1]) == "T"
                       and ws.low[j + 1] in lex.last and not self._blocked(ws.low[j + 1]))
        titled_surname = (mixed and strict_title and (cue != "ms" or ws.raw[i] == "Ms") and _case(w) == "T" and lw in lex.last
                          and lw not in lex.cues["stop"] and not (self._blocked(lw) and lex.zipf(lw) >= 4.5))
        if cue == "md" and not (self._is_name(lw) or (_case(w) == "T" and not ws.upper_doc)):
            return  # "MD AWRE": after "md" only a listed name, or a capitalised word in mixed case
        if cue == "ms" and ws.raw[i] == "MS" and not self._is_name(lw):
            return  # "MS" is mental status: "A: NO IMPROVEMENT IN MS. TOLERATING EXTUBATION"
        if lw in ("o", "d") and j + 1 < n and _SPACE_OR_APOSTROPHE.fullmatch(self._gap(text, ws, j + 1)) and (
                ws.low[j + 1] in lex.last or lex.zipf(ws.low[j + 1]) == 0.0) and len(ws.low[j + 1]) > 2:
            yield (ws.starts[j], ws.ends[j + 1], "NAME", 0.85, f"cue.title.{cue}", cue)  # "Dr. o rourke"
            return
        if len(lw) == 1:
            if not w.isupper() or cue not in ("dr", "mr", "mrs", "ms", "miss"):
                return
        elif titled_pair or titled_surname:
            pass  # "Dr. Art White", "Mrs. Park"
        elif self._blocked(lw) and not (doctor and lw in lex.allow["eponym"] and lw in lex.last):
            return
        else:
            z = lex.zipf(lw)
            surname_title = cue in ("mrs", "miss", "mister") or (cue == "mr" and (ws.upper_doc or not ws.raw[i].isupper()))
            if not doctor and z >= 4.5 and not (surname_title and lw in lex.last and lw not in lex.allow["common"]):
                return
            if not (self._is_name(lw) or z < (4.5 if doctor else RARE_ZIPF)
                    or (strict_title and cue != "ms" and w[:1].isupper() and not w.isupper())):
                return
        end = ws.ends[j]
        first_upper = w[:1].isupper()
        k = j + 1
        while k < n and k <= j + 2:
            if not _NAME_GAP.match(self._gap(text, ws, k)) or (
                    self._gap(text, ws, k).startswith(".") and len(ws.raw[k - 1]) > 1):
                break  # "per Dr. Martyn. Thermodilution ...": a sentence ends after the surname
            w2 = ws.raw[k]
            if len(w2) == 1:
                if not w2.isupper():
                    break
            elif not self._namey(w2, strict=True) or w2[:1].isupper() != first_upper:
                break
            end = ws.ends[k]
            k += 1
        if len(ws.raw[k - 1]) == 1 and k - 1 > j:  # a trailing initial belongs to the next sentence
            k -= 1
            end = ws.ends[k - 1]
        score = 0.9 if strict_title else 0.75
        if len(lw) == 1 and k == j + 1:
            score = 0.6
        yield (ws.starts[j], end, "NAME", score, f"cue.title.{cue}", cue)
        # "Dr. Griffin and Swackhamer aware"
        if k + 1 < n and ws.low[k] == "and" and _NAME_GAP.match(self._gap(text, ws, k + 1)):
            w3 = ws.raw[k + 1]
            if (self._namey(w3, strict=True) and w3[:1].isupper() == first_upper and self._is_name(ws.low[k + 1])
                    and lex.zipf(ws.low[k + 1]) < 4.5):
                yield (ws.starts[k + 1], ws.ends[k + 1], "NAME", 0.7, f"cue.title.{cue}.and", cue)

    def _role_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'NP Janice', 'caseworker Leona Labowich': a role word, then a first name."""
        lex = self.lex
        assert lex is not None
        j = i + 1
        if j >= len(ws) or not _TITLE_GAP.match(self._gap(text, ws, j)):
            return
        lw = ws.low[j]
        if len(lw) < 2 or self._blocked(lw) or lw in lex.allow["common"] or lex.zipf(lw) >= 5.0:
            return
        if lw not in lex.first and not (self._surname(ws.raw[j]) and lex.zipf(lw) == 0.0 and (
                lw in lex.last or (not ws.upper_doc and not ws.lower_doc and _case(ws.raw[j]) == "T"))):
            return  # in ALL CAPS or lower-case notes an unknown word after "PA"/"HO" is jargon or a typo
        if lw not in lex.first and ws.raw[i].isupper() and len(ws.raw[i]) <= 3 and _VALUE_AFTER.match(text[ws.ends[j]:ws.ends[j] + 4]):
            return  # "PA STAS 73,72": a value follows, so PA/NP/RN is a measurement or device, not a person
        end = ws.ends[j]
        if j + 1 < len(ws) and _NAME_GAP.match(self._gap(text, ws, j + 1)) and self._surname(ws.raw[j + 1]):
            end = ws.ends[j + 1]
        yield (ws.starts[j], end, "NAME", 0.7, f"cue.role.{ws.low[i]}", ws.low[i])

    def _initial_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'W. Marotta', 'j. o'brien': an initial with a period, then a surname."""
        lex = self.lex
        assert lex is not None
        j = i + 1
        if j >= len(ws) or not _PERIOD_GAP.match(self._gap(text, ws, j)):
            return
        if ws.starts[i] > 0 and text[ws.starts[i] - 1] not in " \t\n(,;:-":
            return  # "u/o.", "90's.", "a.m."
        w2 = ws.raw[j]
        if _case(w2) not in ("U", "T") and not ws.lower_doc:
            return
        lw2 = ws.low[j]
        if text[ws.ends[j]:ws.ends[j] + 1].isdigit():
            return  # "R. Spo2>95%"
        if lw2 not in lex.last and (ws.upper_doc or ws.lower_doc or _case(w2) != "T") and not _APOS_NAME.fullmatch(lw2):
            return  # "P. ANTIBX", "S. INTUBATED", "p. redraw": SOAP letters before jargon
        if self._surname(w2) or (lw2 in lex.last and lex.zipf(lw2) < 4.5 and not self._blocked(lw2)
                                 and lw2 not in lex.allow["common"]):
            yield (ws.starts[i], ws.ends[j], "NAME", 0.6, "cue.initial", "")

    def _hyphen_at(self, ws: Words, i: int) -> Iterator[Candidate]:
        """'DAUGHTER-KRISSY', 'COPING-SISTER': a kinship word glued to a first name by a hyphen."""
        lex = self.lex
        assert lex is not None
        parts = ws.low[i].split("-")
        pos = ws.starts[i]
        offsets = []
        for p in parts:
            offsets.append(pos)
            pos += len(p) + 1
        for k in range(len(parts) - 1):
            if parts[k] in lex.cues["relative"] and parts[k + 1] in lex.first and not self._blocked(parts[k + 1]):
                yield (offsets[k + 1], offsets[k + 1] + len(parts[k + 1]), "NAME", 0.75, f"cue.relative.{parts[k]}",
                       parts[k])

    def _coordinated(self, text: str, ws: Words, found: list[Candidate]) -> list[Candidate]:
        """'Sons Smokey, Morris and Roger', 'Both Suzette and Hank': first names joined to a found name
        by a comma, 'and' or '&', in the same case."""
        lex = self.lex
        assert lex is not None
        ends = {e: s for s, e, lab, *_ in found if lab == "NAME"}
        if not ends:
            return []
        index = {e: k for k, e in enumerate(ws.ends)}
        extra: list[Candidate] = []
        for end in sorted(ends):
            k = index.get(end)
            if k is None:
                continue
            case = _case(ws.raw[k])
            while k + 1 < len(ws):
                j = k + 1
                if ws.low[j] in ("and", "&") and j + 1 < len(ws):
                    j += 1
                gap = text[ws.ends[k]:ws.starts[j]]
                if "\n" in gap or not _COORDINATION_GAP.fullmatch(gap):
                    break
                w, lw = ws.raw[j], ws.low[j]
                if (lw not in lex.first or self._blocked(lw) or lw in lex.allow["common"] or _case(w) != case
                        or lex.zipf(lw) >= 5.0):
                    break
                extra.append((ws.starts[j], ws.ends[j], "NAME", 0.6, "cue.coordinated", ""))
                k = j
        return extra

    def _signature(self, text: str, ws: Words) -> Iterator[Candidate]:
        """A note that ends with a line holding only a name ('SUSAN', 'Marie Munroe'), or with a name
        after the last sentence ('... NOT 1400U/HR. SUSAN')."""
        lex = self.lex
        assert lex is not None
        n = len(ws)
        if not n or text[ws.ends[-1]:].strip(" \t\n.,"):
            return
        line_start = text.rfind("\n", 0, ws.starts[-1]) + 1
        k = n - 1
        while k > 0 and ws.starts[k - 1] >= line_start:
            k -= 1
        names = list(range(k, n))
        if not 1 <= len(names) <= 3 or text[line_start:ws.starts[k]].strip():
            # a signature after the last sentence of the line: one or two words after ". "
            k = n - 1
            if k > 0 and _NAME_GAP.match(self._gap(text, ws, k)) and not self._gap(text, ws, k).startswith("."):
                k -= 1
            if k == 0 or not _SENTENCE_END_GAP.fullmatch(self._gap(text, ws, k)) or len(ws.raw[k - 1]) < 2:
                return
            names = list(range(k, n))
            if len({_case(ws.raw[j]) for j in names}) != 1 or ws.low[k] in lex.allow["common"]:
                return
        if ws.low[names[-1]] in lex.cues["credential"]:
            return  # the credential rule handles "Name RN"
        if ws.low[k] not in lex.first or self._blocked(ws.low[k]) or lex.zipf(ws.low[k]) >= 5.0:
            return
        if all(self._namey(ws.raw[j], strict=True) for j in names):
            yield (ws.starts[k], ws.ends[n - 1], "NAME", 0.6, "cue.signature", "")

    def _last_comma_first_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'SMITH, JOHN' / 'Smith, John A.': a surname, a comma, then this first name, in the same case."""
        lex = self.lex
        assert lex is not None
        if i == 0 or not _COMMA_GAP.fullmatch(self._gap(text, ws, i)):
            return
        w1, lw1, w2, lw2 = ws.raw[i - 1], ws.low[i - 1], ws.raw[i], ws.low[i]
        if _case(w1) != _case(w2) or _case(w1) not in ("U", "T") or len(lw1) < 2 or len(lw2) < 2:
            return
        for lw in (lw1, lw2):
            if self._blocked(lw) or lw in lex.allow["common"] or lw in lex.places or lw in lex.cues["relative"]:
                return
        if lw1 in lex.last and (lex.zipf(lw1) < 4.5 or lex.last[lw1] < 1000) and lex.zipf(lw2) < 5.5:
            yield (ws.starts[i - 1], ws.ends[i], "NAME", 0.7, "cue.last_comma_first", "")

    def _labelled_name_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'Patient: Jane Roe', 'Name: SMITH, JOHN': the value of a name field (same line)."""
        lex = self.lex
        assert lex is not None
        j = i + 1
        if j < len(ws) and ws.low[i] in ("patient", "pt") and ws.low[j] == "name":
            j += 1
        if j >= len(ws) or not _COLON_GAP.fullmatch(self._gap(text, ws, j)):
            return
        end = None
        k = j
        while k < len(ws) and k - j < 4:
            gap = self._gap(text, ws, k)
            if k > j and not (_COMMA_OR_SPACE_GAP.fullmatch(gap) or (gap.startswith(".") and len(ws.raw[k - 1]) == 1
                                                                  and _PERIOD_SPACE_GAP.fullmatch(gap))):
                break
            lw = ws.low[k]
            named_pair = (k == j and lw in lex.first and k + 1 < len(ws) and _case(ws.raw[k]) == "T"
                          and _case(ws.raw[k + 1]) == "T" and _ONE_SPACE_GAP.fullmatch(self._gap(text, ws, k + 1))
                          and (self._surname(ws.raw[k + 1]) or ws.low[k + 1] in lex.last
                               and not self._blocked(ws.low[k + 1])))  # "From: Grace Kim": a common word, but a full name
            if (self._blocked(lw) or lw in lex.allow["common"] and not named_pair
                    or lex.zipf(lw) >= 4.5 and lw not in lex.first and not (k > j and lw in lex.last)
                    or not (self._is_name(lw) or lex.zipf(lw) < RARE_ZIPF or len(lw) == 1)):
                break
            end = ws.ends[k]
            k += 1
        if end is not None and k > j and any(self._is_name(ws.low[x]) for x in range(j, k)):
            yield (ws.starts[j], end, "NAME", 0.8, f"cue.label.{ws.low[i]}", ws.low[i])

    def _titled_first_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """In mixed-case text, a capitalised first name inside a sentence ('She told Kevin ...')."""
        lex = self.lex
        assert lex is not None
        w, lw = ws.raw[i], ws.low[i]
        if not (w[:1].isupper() and w[1:].islower()) or len(lw) < 3:
            return
        if (self._blocked(lw) or lw in lex.allow["common"] or lw in lex.places or lex.zipf(lw) >= 5.5 or lw in _CALENDAR
                or lw in lex.cues["role"] or lw in lex.cues["title"] or lw in lex.cues["relative"]):
            return
        gap = self._gap(text, ws, i) if i > 0 else "\n"
        if i == 0 or any(ch in gap for ch in ".:!?\n") or ws.low[i - 1] in lex.cues["title"]:
            return  # sentence start says nothing; titles have their own rule
        if f"{ws.low[i - 1]} {lw}" in lex.places or (i + 1 < len(ws) and f"{lw} {ws.low[i + 1]}" in lex.places):
            return  # part of a place name: "North Carolina", "Santa Barbara" (the place rules decide)
        yield (ws.starts[i], ws.ends[i], "NAME", 0.5, "cue.titled_first", "")

    def _subject_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'bob visited', 'Emily reports', 'SUZETTE CALLED': a first name right before a verb people do."""
        lex = self.lex
        assert lex is not None
        j = i + 1
        if j >= len(ws) or not (ws.low[j] in _PERSON_VERBS or ws.low[j] in _SUBJECT_AUX) or not _FAC_GAP.match(
                self._gap(text, ws, j)):
            return
        lw = ws.low[i]
        common_name = (lex.first.get(lw, 10**6) < 300 and lex.zipf(lw) < 5.0 and not ws.upper_doc
                       and _case(ws.raw[i]) == "T")  # "Kevin was admitted": a frequent first name, capitalised
        if ws.low[j] in _SUBJECT_AUX and (lex.zipf(lw) >= 4.5 and not common_name or (not ws.upper_doc and _case(ws.raw[i]) != "T") or len(lw) < 3 or lw in lex.last and lex.last[lw] < 500
                                          or lw in _CALENDAR or lw in lex.places):
            return  # "Mark is", "May was", "Lee has": a first name that is also a frequent word or surname
        if self._blocked(lw) or lw in lex.allow["common"] or lex.zipf(lw) >= 5.5 or len(lw) < 2:
            return
        if not ws.upper_doc and not ws.lower_doc and not ws.raw[i][:1].isupper():
            return
        yield (ws.starts[i], ws.ends[i], "NAME", 0.6, "cue.subject", ws.low[j])

    def _introduced_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'my name is Aisha', "hey it's mike from accounting", 'this is Tomasz': a listed first name after a
        self-introduction."""
        lex = self.lex
        assert lex is not None
        j = i + 1
        if j >= len(ws) or not _INTRO.search(text, max(0, ws.starts[j] - 24), ws.starts[j]):
            return
        w, lw = ws.raw[j], ws.low[j]
        if (lw not in lex.first or len(lw) < 3 or self._blocked(lw) or lw in lex.allow["common"]
                or lex.zipf(lw) >= 5.0 or lw in _CALENDAR):
            return
        if not ws.upper_doc and not ws.lower_doc and _case(w) != "T" and not w.islower():
            return
        end = ws.ends[j]
        if j + 1 < len(ws) and _NAME_GAP.match(self._gap(text, ws, j + 1)) and _case(ws.raw[j + 1]) == _case(w) and (
                self._surname(ws.raw[j + 1])):
            end = ws.ends[j + 1]
        yield (ws.starts[j], end, "NAME", 0.65, "cue.introduced", ws.low[i])

    def _contacted_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'talked with helen from case management', 'PAGED OMAR': a listed first name after a verb of talking."""
        lex = self.lex
        assert lex is not None
        n = len(ws)
        j = i + 1
        if j < n and ws.low[j] in ("with", "w", "to") and _FAC_GAP.match(self._gap(text, ws, j)):
            j += 1
        if j >= n or not _SPACE_OR_SLASH_GAP.fullmatch(self._gap(text, ws, j)):
            return
        w, lw = ws.raw[j], ws.low[j]
        if (lw not in lex.first or len(lw) < 3 or self._blocked(lw) or lw in lex.allow["common"]
                or lex.zipf(lw) >= 5.0 or lw in lex.cues["relative"] or lw in lex.cues["role"] or lw in _CALENDAR):
            return
        if not ws.upper_doc and not ws.lower_doc and _case(w) != "T":
            return
        end = ws.ends[j]
        if j + 1 < n and _NAME_GAP.match(self._gap(text, ws, j + 1)) and _case(ws.raw[j + 1]) == _case(w) and (
                self._surname(ws.raw[j + 1])):
            end = ws.ends[j + 1]
        yield (ws.starts[j], end, "NAME", 0.6, "cue.contacted", ws.low[i])

    def _surname_subject_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'Dr Sullivan phoned', 'Okafor called': in mixed case, a capitalised listed surname before a verb people do."""
        lex = self.lex
        assert lex is not None
        k = i - 1
        if k < 0 or not _FAC_GAP.match(self._gap(text, ws, i)):
            return
        w, lw = ws.raw[k], ws.low[k]
        if (_case(w) != "T" or lw in lex.first or lw not in lex.last or lex.zipf(lw) >= 4.5 or self._blocked(lw)
                or lw in lex.allow["common"] or lw in lex.cues["role"] or lw in lex.cues["relative"]
                or lw in lex.cues["title"] or lw in _CALENDAR):
            return
        gap = self._gap(text, ws, k) if k > 0 else "\n"
        if any(ch in gap for ch in ".:!?\n"):
            return  # a sentence start says nothing about capitals
        if lw in lex.places and ws.low[k - 1] in ("of", "in", "from", "at", "to", "near"):
            return  # "Neil Meitz of Towson visited": the place rule has it
        yield (ws.starts[k], ws.ends[k], "NAME", 0.55, "cue.subject.surname", ws.low[i])

    def _contact_name_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'Lopie Certusi cell# 410-...': one to three capitalised words right before a phone label that a
        number follows; at least one a listed name or a word English text does not know."""
        lex = self.lex
        assert lex is not None
        if not _NUMBER_AFTER_LABEL.match(text[ws.ends[i]:ws.ends[i] + 16]):
            return
        picked: list[int] = []
        k = i
        while k > 0 and len(picked) < 3 and _NAME_GAP.match(self._gap(text, ws, k)):
            w, lw = ws.raw[k - 1], ws.low[k - 1]
            if (len(lw) < 2 or not w.isalpha() or not w[:1].isupper() or self._blocked(lw) or lw in lex.allow["common"]
                    or lw in lex.cues["relative"] or lw in lex.cues["role"] or lw in _PHONE_LABELS
                    or not ((lw in lex.first and lex.zipf(lw) < 5.0) or (lw in lex.last and lex.zipf(lw) < 3.5)
                            or lex.zipf(lw) == 0.0)):
                break
            picked.insert(0, k - 1)
            k -= 1
        if picked and any(self._is_name(ws.low[p]) or lex.zipf(ws.low[p]) == 0.0 for p in picked):
            yield (ws.starts[picked[0]], ws.ends[picked[-1]], "NAME", 0.6, "cue.contact", ws.low[i])

    def _university_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'U Maryland', 'Univ. of Iowa', 'University of Texas': a university (and its hospital) named by a place."""
        lex = self.lex
        assert lex is not None
        j = i + 1
        if j < len(ws) and ws.low[j] == "of" and _TITLE_GAP.match(self._gap(text, ws, j)):
            j += 1
        elif ws.low[i] == "u" and not ws.raw[i].isupper():
            return  # "4 u" (units)
        if j >= len(ws) or not _TITLE_GAP.match(self._gap(text, ws, j)):
            return
        end = None
        for k in (j + 1, j):  # two-word places first ("New Mexico")
            if k < len(ws) and " ".join(ws.low[j:k + 1]) in lex.places and all(
                    _NAME_GAP.match(self._gap(text, ws, x)) for x in range(j + 1, k + 1)):
                end = k
                break
        if end is None or not (ws.raw[j][:1].isupper() or ws.lower_doc):
            return
        yield (ws.starts[i], ws.ends[end], "FACILITY", 0.85, "cue.university", ws.low[i])

    def _family_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'the Romero family', 'KEEP ROMERO FAMILY AWARE': a surname right before 'family'."""
        lex = self.lex
        assert lex is not None
        k = i - 1
        if k < 0 or not _NAME_GAP.match(self._gap(text, ws, i)):
            return
        w, lw = ws.raw[k], ws.low[k]
        if len(lw) < 3 or self._blocked(lw) or lw in lex.allow["common"] or lw in lex.cues["relative"]:
            return
        if not (w[:1].isupper() or ws.lower_doc) or lw in lex.places or lw in lex.first:
            return
        titled = _case(w) == "T" and not ws.upper_doc and not ws.lower_doc
        if (lw in lex.last and lex.zipf(lw) < (5.0 if titled else 4.0)) or (lex.zipf(lw) == 0.0 and titled):
            yield (ws.starts[k], ws.ends[k], "NAME", 0.6, "cue.family", "family")

    def _employer_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'works at Boeing', 'retired from Acme Tool Co', 'employed by Starbucks': an employer that identifies."""
        lex = self.lex
        assert lex is not None
        j = i + 1
        title = ws.low[i] in _JOB_TITLES
        preps = ("of", "at", "for", "with") if title else ("at", "for", "by", "from", "with", "as")
        if j < len(ws) and ws.low[j] in preps and _FAC_GAP.match(self._gap(text, ws, j)):
            if ws.low[j] == "as":
                return
            j += 1
        elif title or ws.low[i] == "work":
            return  # "work restrictions", "work history": only "work at/for ..." names an employer
        if (j + 1 < len(ws) and ws.low[j] == "the" and not ws.upper_doc and ws.raw[j + 1][:1].isupper()
                and _FAC_GAP.match(self._gap(text, ws, j + 1))):
            j += 1  # "works at the Kroger distribution center"
        first = j
        while j < len(ws) and j - first < 4 and _FAC_GAP.match(self._gap(text, ws, j)):
            w, lw = ws.raw[j], ws.low[j]
            acronym = w.isupper() and 2 <= len(w) <= 4 and w.isalpha() and lex.zipf(lw) < 4.5
            lower_ok = ws.lower_doc and j == first and lex.zipf(lw) < 4.2  # "i work at walmart"
            if (not w[:1].isupper() and not lower_ok) or self._blocked(lw) or (
                    ws.upper_doc and lex.zipf(lw) >= 3.0 and not acronym):
                break
            if j == first and (lw in lex.allow["common"] or lw in ("the", "a", "an", "home", "night", "nights")):
                break
            j += 1
        if j > first:
            yield (ws.starts[first], ws.ends[j - 1], "FACILITY", 0.6, "cue.employer", ws.low[i])

    def _per_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'per Douglass, will hold': an uncommon surname right after 'per'."""
        lex = self.lex
        assert lex is not None
        j = i + 1
        if j >= len(ws) or not _FAC_GAP.match(self._gap(text, ws, j)):
            return
        w, lw = ws.raw[j], ws.low[j]
        if self._blocked(lw) or lw in lex.allow["common"] or lw in lex.cues["title"] or lw in lex.cues["role"]:
            return
        if not ws.upper_doc and not ws.lower_doc and not w[:1].isupper():
            return
        if lw in lex.last and lex.zipf(lw) < 3.5:
            yield (ws.starts[j], ws.ends[j], "NAME", 0.55, "cue.per", "per")

    def _surname(self, w: str) -> bool:
        lex = self.lex
        assert lex is not None
        lw = w.lower()
        if len(lw) < 2 or self._blocked(lw) or lw in lex.allow["common"] or lw in lex.cues["relative"]:
            return False
        return (self._is_name(lw) and lex.zipf(lw) < 3.5) or (
            lex.zipf(lw) == 0.0 and lw not in lex.places and len(lw) >= 3 and any(v in lw for v in "aeiouy"))

    def _full_name_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        """'Rita Hickey', 'LEONA LABOWICH', 'Edward C. Jones': a first name, optional initial, a surname
        (a rare word or a not-too-common Census surname), in the same case."""
        lex = self.lex
        assert lex is not None
        w, lw = ws.raw[i], ws.low[i]
        titled = not ws.upper_doc and not ws.lower_doc and w[:1].isupper() and w[1:].islower()
        if len(lw) < 2 or self._blocked(lw) or lw in lex.allow["common"] or lex.zipf(lw) >= (6.0 if titled else 5.0):
            return
        n = len(ws)
        j = i + 1
        initial = False
        if j < n and len(ws.raw[j]) == 1 and ws.raw[j].isupper() and _NAME_GAP.match(self._gap(text, ws, j)):
            initial = True
            j += 1
        elif (j + 1 < n and ws.low[j] in lex.first and _case(ws.raw[j]) == _case(w) and not self._blocked(ws.low[j])
              and ws.low[j] not in lex.allow["common"] and _NAME_GAP.match(self._gap(text, ws, j))
              and _NAME_GAP.match(self._gap(text, ws, j + 1)) and self._surname(ws.raw[j + 1])
              and _case(ws.raw[j + 1]) == _case(w)):
            j += 1  # a middle name: "KAREN ANN YANULIS", "mary theresa kondouli"
        if j >= n or not _NAME_GAP.match(self._gap(text, ws, j)) or (
                self._gap(text, ws, j).startswith(".") and len(ws.raw[j - 1]) > 1):  # "Carmen.  Mother's"
            return
        w2 = ws.raw[j]
        lw2 = ws.low[j]
        titled_surname = titled and _case(w2) == "T" and lw2 in lex.last and lex.zipf(lw2) < 4.5 and not (
            self._blocked(lw2) or lw2 in lex.allow["common"])
        # a frequent first name and a frequent surname together ("martin carey", "KAREN LOPEZ")
        popular_pair = (lex.first.get(lw, 99999) < 1000 and lex.last.get(lw2, 99999) < 5000 and lex.zipf(lw2) < 4.0
                        and not self._blocked(lw2) and lw2 not in lex.allow["common"] and lw2 not in lex.places)
        if _case(w2) != _case(w) or not (self._surname(w2) or titled_surname or popular_pair or (
                initial and self._is_name(lw2) and not self._blocked(lw2))):
            return
        if not ws.upper_doc and not ws.lower_doc and not w[:1].isupper():
            return
        yield (ws.starts[i], ws.ends[j], "NAME", 0.65, "cue.full_name", "")

    def _relative_at(self, text: str, ws: Words, i: int, cue: str | None = None) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        cue = cue or ws.low[i]
        n = len(ws)
        j = i + 1
        if j + 1 < n and ws.low[j] in ("is", "named", "called"):
            j += 1
        if j >= n or not _REL_GAP.match(self._gap(text, ws, j)):
            return
        w, lw = ws.raw[j], ws.low[j]
        mixed = not ws.upper_doc and not ws.lower_doc
        if len(lw) < 2 or lw in lex.cues["stop"]:
            return
        if self._blocked(lw) and not (mixed and _case(w) == "T" and lw in lex.first):
            return  # "son, Ed," is a name; "son ED" or "son, ed" is not
        if lw in lex.cues["relative"]:
            return  # "his sister's son"
        if lw in lex.first:
            score = 0.6 if lw in lex.allow["common"] and not (w[:1].isupper() and not w.isupper()) else 0.85
        elif (lw not in lex.allow["common"] and lw not in lex.cues["relative"] and lw not in lex.places
              and lw not in lex.cues["role"] and lw not in lex.cues["title"]
              and ((mixed and _case(w) == "T" and lex.zipf(lw) < 4.0)
                   or (ws.upper_doc and 0.0 < lex.zipf(lw) < 3.5)
                   or (ws.lower_doc and lex.zipf(lw) == 0.0 and len(lw) >= 4 and w.isalpha()
                       and not lw.endswith(("ed", "ing", "ly"))))):
            # "son: Vladimir", "Sons Smokey, ...", "BROTHER VINNY": a capitalised word rare in English after a
            # kinship word (in ALL CAPS only words English text knows at all: a misspelling has no frequency)
            score = 0.65
        else:
            return
        end = ws.ends[j]
        if j + 1 < n and _NAME_GAP.match(self._gap(text, ws, j + 1)):
            w2, lw2 = ws.raw[j + 1], ws.low[j + 1]
            if (self._namey(w2, strict=True) and lw2 in lex.last and lw2 not in lex.allow["common"]
                    and lex.zipf(lw2) < 4.5):
                end = ws.ends[j + 1]
        yield (ws.starts[j], end, "NAME", score, f"cue.relative.{cue}", cue)

    def _credential_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        cred = ws.raw[i]
        if cred.lower() in ("do", "np", "slp", "otr", "dpt") and not cred.isupper():
            return
        if cred.lower() == "rn" and i > 0 and _SPACED_SMALL_NUMBER.fullmatch(self._gap(text, ws, i)):
            w, lw = ws.raw[i - 1], ws.low[i - 1]  # "Per Quartermain 3 RN": the nurse of a ward named after someone
            if (len(lw) > 3 and w.isalpha() and (w[:1].isupper() or ws.lower_doc) and lex.zipf(lw) < 4.0
                    and not self._blocked(lw) and lw not in lex.allow["common"]):
                yield (ws.starts[i - 1], ws.ends[i - 1], "FACILITY", 0.55, "cue.ward.rn", "rn")
            return
        picked: list[int] = []
        k = i
        while k > 0 and len(picked) < 3:
            if not _CRED_GAP.match(self._gap(text, ws, k)):
                break
            w, lw = ws.raw[k - 1], ws.low[k - 1]
            if len(w) == 1 and w.isupper():
                picked.insert(0, k - 1)
                k -= 1
                continue
            if (not picked and k > 1 and lw in lex.last and self._blocked(lw) and lw not in lex.cues["stop"]
                    and ws.low[k - 2] in lex.first and not self._blocked(ws.low[k - 2])
                    and _case(ws.raw[k - 2]) == _case(w) and _NAME_GAP.match(self._gap(text, ws, k - 1))):
                picked = [k - 2, k - 1]  # "Bernard Foley CRT": a first name makes the clinical word a surname
                break
            if (not self._namey(w, strict=True) or (lex.zipf(lw) >= 4.0 and lw not in lex.first and lw not in lex.last)
                    or (lw in lex.places and not self._is_name(lw))
                    or lex.zipf(lw) >= 5.0 or lw in lex.cues["relative"]
                    or lw in lex.cues["title"] or lw in lex.allow["common"]):
                break
            if not ws.upper_doc and not w[:1].isupper():
                break
            picked.insert(0, k - 1)
            k -= 1
        while picked and len(ws.raw[picked[0]]) == 1:
            picked.pop(0)
        if picked and any(self._is_name(ws.low[p]) or any(self._is_name(x) for x in ws.low[p].split("-"))
                          for p in picked):
            yield (ws.starts[picked[0]], ws.ends[picked[-1]], "NAME", 0.8, f"cue.credential.{cred.lower()}",
                   cred.lower())

    def _saint_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        j = i + 1
        if j >= len(ws) or not _TITLE_GAP.match(self._gap(text, ws, j)):
            return
        w, lw = ws.raw[j], ws.low[j]
        if ((lw in lex.first or lw in lex.last or lw in lex.places) and (lw in lex.first or lex.zipf(lw) < 4.0)
                and not self._blocked(lw) and w[:1].isupper()):
            yield (ws.starts[i], ws.ends[j], "FACILITY", 0.75, "cue.saint", "")

    def _facility_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        fac = ws.low[i]
        k = i
        first = None
        fac_words = lex.cues["facility_word"]
        while k > 0 and i - k < 5:
            if not _FAC_GAP.match(self._gap(text, ws, k)):
                break
            w, lw = ws.raw[k - 1], ws.low[k - 1]
            if first is None and (lw in _FACILITY_PARTS or lw in fac_words) and w[:1].isupper() and i - k < 3:
                k -= 1  # "Baltimore Med Ctr", "Laurel Regional Medical Center": descriptors inside the name
                continue
            if first is not None and lw in _PLACE_PREFIX and w[:1].isupper():
                first = k - 1  # "Greater Baltimore", "North Shore"
                break
            if (self._blocked(lw) or lw in lex.cues["place_before"] or lw in lex.allow["common"]
                    or (lex.zipf(lw) >= 5.0 and lw not in lex.places)
                    or (lw.endswith(_DEPARTMENT_SUFFIX + ("iatry",)) and not self._is_name(lw) and lw not in lex.places)):
                break  # "high school", "Ophthalmology clinic"
            known_place = (lw in lex.places and lex.zipf(lw) < (5.0 if fac in _STRONG_FACILITY else 4.0)) or (
                fac in _STRONG_FACILITY and k - 2 >= 0 and ws.low[k - 2] in ("to", "from", "at") and lex.zipf(lw) < 3.0
                and all(p.isalpha() for p in lw.split("-")))
            if not (self._is_name(lw) or lw in lex.places or lex.zipf(lw) < RARE_ZIPF) or not (
                    w[:1].isupper() or known_place):
                break
            if ((ws.upper_doc or ws.lower_doc) and fac not in lex.cues["place_word"] and lw not in lex.places
                    and not known_place
                    and (lex.zipf(lw) >= 4.0 or "-" in lw)):
                break  # "BEGIN REHAB", "DEMENTIA-NSG HOME": capitals say nothing in an ALL CAPS note
            first = k - 1
            k -= 1
        if first is not None:
            if fac in lex.cues["place_word"]:
                yield (ws.starts[first], ws.ends[i], "ADDRESS", 0.7, f"cue.facility.{fac}", fac)
            else:  # "Laurel Regional", "Union Memorial", "Baltimore Rehab" (the generic word is part of the name)
                yield (ws.starts[first], ws.ends[i], "FACILITY", 0.7, f"cue.facility.{fac}", fac)

    def _facility_name_at(self, text: str, ws: Words, i: int) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        for phrase in lex.facility_first[ws.low[i]]:
            n = len(phrase)
            if i + n <= len(ws) and tuple(ws.low[i:i + n]) == phrase and all(
                    _NAME_GAP.match(self._gap(text, ws, k)) for k in range(i + 1, i + n)):
                end = i + n - 1
                while (end + 1 < len(ws) and ws.low[end + 1] in lex.cues["facility_word"]
                       and ws.low[end + 1] not in _GENERIC_FACILITY and _NAME_GAP.match(self._gap(text, ws, end + 1))):
                    end += 1
                yield (ws.starts[i], ws.ends[end], "FACILITY", 0.6, "cue.facility_name", "")
                return

    def _places(self, text: str, ws: Words) -> Iterator[Candidate]:
        lex = self.lex
        assert lex is not None
        low = ws.low
        present = set(low)
        hits = (present & lex.places.keys()) | (present & lex.place_first_words.keys())
        if not hits:
            return
        mixed = not ws.upper_doc and not ws.lower_doc
        n = len(ws)
        for i in compress(range(n), map(hits.__contains__, low)):
            w = low[i]
            best = None
            for k in range(min(lex.place_first_words.get(w, 1), n - i), 1, -1):
                cand = " ".join(low[i:i + k])
                if cand in lex.places:
                    best = (i + k - 1, cand)
                    break
            if best is None and w in lex.places:
                best = (i, w)
            if best is None:
                continue
            last, place = best
            if self._blocked(place) or place in lex.allow["common"]:
                continue
            if mixed and not ws.raw[i][:1].isupper():
                continue
            s, e = ws.starts[i], ws.ends[last]
            kind = lex.places[place]
            cue = low[i - 1] if i > 0 and low[i - 1] in lex.cues["place_before"] else ""
            if ((not cue or cue in _WEAK_PLACE_CUES) and i > 1 and low[i - 1] in ("in", "at", "to", "from", "the")
                    and low[i - 2] in lex.cues["place_before"]):
                cue = low[i - 2]
            zipf = lex.zipf(place) if " " not in place else 0.0
            if kind == "state":
                continue  # a state alone is not a Safe Harbor identifier ("City, ST 12345" is a pattern)
            if cue:
                titled = (mixed or ws.upper_doc) and ws.raw[i][:1].isupper() and not ws.raw[i].isupper()
                if zipf >= (4.8 if ws.lower_doc and kind == "city" else 3.8) and not titled and cue in _WEAK_PLACE_CUES:
                    continue  # "able to bear weight", "in reserve"
                yield (s, e, "ADDRESS", 0.75 if zipf < 4.5 else 0.5, "cue.place", cue)
            elif zipf < 3.5 and ((not ws.upper_doc and _case(ws.raw[i]) == "T" and i > 0
                                  and not any(ch in self._gap(text, ws, i) for ch in ".:!?\n"))
                                 or " " in place or (
                    last + 1 < n and lex.places.get(low[last + 1].removesuffix("'s")) == "state")):
                # without a cue only a capitalised place in mixed case ("SALINE", "flushing" are clinical words)
                yield (s, e, "ADDRESS", 0.55, "gazetteer.place", "")

    def _acronyms(self, text: str, ws: Words) -> Iterator[Candidate]:
        """An unknown capitalised acronym after 'transferred to', 'sent to', 'admitted from', an arrow
        ('OSH -> GH') ... (a hospital); a ward named after someone ('transfer to Quartermain 4')."""
        lex = self.lex
        assert lex is not None
        low = ws.low
        n = len(ws)
        mixed = not ws.upper_doc and not ws.lower_doc
        preps = ("to", "from", "at", "by", "into")
        idx = list(compress(range(1, n), map(_ACRONYM_BEFORE.__contains__, low[:-1])))
        arrows = set()
        if ">" in text:
            for m in _ARROW_ANY.finditer(text):
                i = bisect.bisect_left(ws.starts, m.end())
                if 0 < i < n:
                    arrows.add(i)
            idx = sorted(set(idx) | arrows)
        for i in idx:
            prev = low[i - 1]
            if prev == "the" and i > 1 and low[i - 2] in preps:
                prev = low[i - 2]
            if i in arrows and _ARROW.search(text, ws.ends[i - 1], ws.starts[i]):
                prev = "to"
            if prev not in preps and prev not in _MOVE_VERBS:
                continue
            w, lw = ws.raw[i], low[i]
            from_someone = prev == "from" and i > 1 and low[i - 2] in _FROM_ROLE
            if self._blocked(lw) or lw in lex.allow["common"] or lw in lex.cues["stop"]:
                continue
            arrow = i in arrows and prev == "to" and low[i - 1] != "to"
            moved = from_someone or not arrow and (any(v in _MOVE_VERBS for v in low[max(0, i - 6):i])
                                   or "d/c" in text[ws.starts[max(0, i - 6)]:ws.starts[i]].lower())
            after = text[ws.ends[i]:ws.ends[i] + 4]
            z = lex.zipf(lw)
            # a ward or unit named after someone: "transferred to Quartermain 4", "transfer to quartermain2"
            if _WARD_NUMBER.match(text, ws.ends[i]) and len(lw) > 3 and w.isalpha() and not (
                    lw.endswith("x") and after[:1].isdigit()) and (
                    (moved and (w[:1].isupper() or ws.lower_doc) and z < 4.0)
                    or ((moved or prev == "from") and z == 0.0 and lw not in lex.places)):
                yield (ws.starts[i], ws.ends[i], "FACILITY", 0.55, "cue.ward", low[i - 1])
                continue
            if moved and low[i - 1] in ("to", "from", "at") and len(lw) >= 3 and w.isalpha() and lw not in _CALENDAR and (
                    not self._gap(text, ws, i).strip()) and not lw.endswith(_DEPARTMENT_SUFFIX) and (
                    i + 1 >= n or low[i + 1] not in _DEPARTMENT_NEXT) and (
                    (mixed and _case(w) == "T" and z < 5.0 and (lw in lex.last or lw in lex.places))
                    or (ws.upper_doc and (lw in lex.last or lw in lex.places) and z < 3.5)) and not (
                    lw in lex.cues["role"] or lw in lex.cues["title"] or lw in lex.cues["relative"]
                    or lex.places.get(lw) == "state"):
                # "went to Harbor", "ADMITTED TO CALVERT": a proper name where the patient went or came from
                end = i
                while (end + 1 < n and end - i < 2 and _FAC_GAP.match(self._gap(text, ws, end + 1))
                       and _case(ws.raw[end + 1]) == _case(w) and not self._blocked(low[end + 1])
                       and low[end + 1] not in lex.allow["common"] and (mixed or low[end + 1] in lex.last)):
                    end += 1
                yield (ws.starts[i], ws.ends[end], "FACILITY", 0.42, "cue.moved_name", low[i - 1])
                continue
            if (moved and low[i - 1] in preps and len(lw) > 5 and w.isalpha() and z < 3.0 and i + 1 < n
                    and low[i + 1] in _AFTER_FACILITY and _FAC_GAP.match(self._gap(text, ws, i + 1))
                    and lw not in lex.allow["common"] and not lw.endswith(_DEPARTMENT_SUFFIX)):
                # "arrived via amb from kernan ew": a name before ER/EW/hospital where the patient came from
                yield (ws.starts[i], ws.ends[i], "FACILITY", 0.5, "cue.moved_name", low[i - 1])
                continue
            if not (2 <= len(w) <= 5 and w.isalpha()) or z >= 3.5:
                continue
            if not (w.isupper() or ws.lower_doc or (moved and w.islower() and len(w) <= 3)
                    or (w.islower() and _HOSPITAL_ACRONYM.fullmatch(lw) and len(lw) <= 4)):
                continue
            next_word = low[i + 1] if i + 1 < n else ""
            if prev not in preps:
                continue
            if not (_FAC_GAP.match(self._gap(text, ws, i)) or i in arrows):
                continue
            if moved or next_word in _AFTER_FACILITY:
                yield (ws.starts[i], ws.ends[i], "FACILITY", 0.5, "cue.acronym", low[i - 1])
            elif (prev in ("to", "from", "at", "by") and _HOSPITAL_ACRONYM.fullmatch(lw) and not arrow
                  and not _DIGIT_AFTER.match(after)):
                yield (ws.starts[i], ws.ends[i], "FACILITY", 0.5, "cue.acronym.hospital", low[i - 1])

    # -- spaCy -----------------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, cands: list[Candidate]) -> None:
        spans = []
        text = doc_text(doc)
        tagged = "[" in text
        taken = taken_offsets(doc) if cands else {}
        for s, e, label, score, rid, cue in sorted(cands, key=lambda c: -c[3]):
            if tagged and (_TAG_NEAR_AFTER.match(text, e) or _TAG_NEAR_BEFORE.search(text, max(0, s - 40), s)):
                continue  # next to a redaction tag: the context that made this a cue was redacted
            probe = doc.char_span(s, e, alignment_mode="expand")
            if probe is None or (probe.start_char, probe.end_char) in taken:
                continue  # one span per offsets: spaCy shares extension values between them
            taken[(probe.start_char, probe.end_char)] = score
            span = make_span(doc, s, e, label, score=score, source=rid,
                             evidence=[Evidence("cue", rid, s, e, detail=cue or None)])
            if span is not None:
                spans.append(span)
        doc.spans[self.span_key] = spans

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc_text(doc), doc_words(doc)))
        return doc

    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        """Save the lexicon files this detector uses, so a saved pipeline is self-contained."""
        from .id_lexicons import LEXICON_FILES

        if self.lex is None:
            self.load()
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        src = Path(self.lexicons_source) if self.lexicons_source else resource_path("identifiers")
        for name in LEXICON_FILES:
            (out / name).write_bytes((src / name).read_bytes())

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> CueDetector:
        if (Path(path) / "cues.json").is_file():
            self.lexicons_source = str(path)
        self.load()
        return self


@Language.factory(
    "riskflag_id_cues",
    assigns=["doc.spans"],
    default_config={"lexicons": None, "span_key": f"{IDENTIFIER_PREFIX}cues"},
)
def make_cue_detector(nlp: Language, name: str, lexicons: str | None, span_key: str) -> CueDetector:
    return CueDetector(name=name, lexicons=lexicons, span_key=span_key)
