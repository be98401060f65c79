"""Note sections: header lines ("Past Psychiatric History:", "A/P -") start a section that runs to
the next header. Sections go to ``doc.spans["sections"]`` with the category as label and the
section id as ``span._.source``. Headers are data: ``resources/sections.json``."""

from __future__ import annotations

import bisect
from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import RulesError
from ..rules import RuleSchema, load_rules
from .extensions import doc_text, make_span, register_extensions
from .serialize import RuleFileSerializer

__all__ = ["SectionDetector", "section_at", "section_index", "SectionIndex", "SECTIONS_KEY", "SECTION_SCHEMA"]

SECTIONS_KEY = "sections"
SECTION_SCHEMA = RuleSchema(
    collection="sections",
    required={"id": str, "category": str, "literals": list},
    optional={"comment": str},
)


@Language.factory(
    "riskflag_sections",
    assigns=["doc.spans"],
    default_config={"rules": "sections.json"},
)
def make_sections(nlp: Language, name: str, rules: str) -> SectionDetector:
    return SectionDetector(name=name, rules=rules)


class SectionDetector(RuleFileSerializer):
    rules_filename = "sections.json"

    def __init__(self, *, name: str = "riskflag_sections", rules: str = "sections.json") -> None:
        register_extensions()
        self.name = name
        self.rules_source = rules
        self._regex: regex.Pattern[str] | None = None
        self._by_literal: dict[str, tuple[str, str]] = {}
        self.header: dict[str, Any] = {}

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        self.load()

    def load(self) -> None:
        rules, self.header = load_rules(self.rules_source, SECTION_SCHEMA)
        by_literal: dict[str, tuple[str, str]] = {}
        for rule in rules:
            for lit in rule["literals"]:
                if not isinstance(lit, str) or not lit.strip():
                    raise RulesError(f"section '{rule['id']}': literals must be non-empty strings", code="E304")
                by_literal[lit.lower()] = (rule["id"], rule["category"])
        alts = "|".join(regex.escape(x) for x in sorted(by_literal, key=len, reverse=True))
        # a header: start of line, optional bullet/number, the literal, then ':' or '-' or end of line
        self._regex = regex.compile(
            rf"(?im)^[ \t]*(?:[#*\-•]+[ \t]*|\d{{1,2}}[.)][ \t]*)?(?P<h>{alts})[ \t]*(?::|[ \t]-[ \t]|-(?=[ \t])|$)",
        )
        self._by_literal = by_literal

    def __call__(self, doc: Doc) -> Doc:
        if self._regex is None:
            self.load()
        assert self._regex is not None
        text = doc_text(doc)
        heads: list[tuple[int, str, str]] = []
        for m in self._regex.finditer(text):
            lit = m.group("h").lower()
            sid, cat = self._by_literal[lit]
            # one-letter SOAP headers ("S:", "A:") only count with a colon
            if len(lit) <= 2 and not m.group(0).rstrip().endswith(":"):
                continue
            heads.append((m.start("h"), sid, cat))
        spans = []
        for i, (start, sid, cat) in enumerate(heads):
            end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
            span = make_span(doc, start, end, cat, score=1.0, source=sid)
            if span is not None:
                spans.append(span)
        doc.spans[SECTIONS_KEY] = spans
        return doc


SectionIndex = tuple[list[int], list[int], list[str], list[str]]


def section_index(doc: Doc) -> SectionIndex:
    """(starts, ends, categories, ids) of the doc's sections, for repeated ``section_at`` calls."""
    spans = doc.spans.get(SECTIONS_KEY, [])
    return ([s.start_char for s in spans], [s.end_char for s in spans], [s.label_ for s in spans],
            [s._.source for s in spans])


def section_at(doc: Doc, char: int, index: SectionIndex | None = None) -> tuple[str | None, str | None]:
    """(category, section id) of the section holding character offset ``char`` (``index``: the
    doc's ``section_index``, when the caller looks up many offsets)."""
    if index is None:
        index = section_index(doc)
    starts, ends, labels, sources = index
    if not starts:
        return None, None
    i = bisect.bisect_right(starts, char) - 1
    if i < 0:
        return None, None
    if starts[i] <= char < ends[i]:
        return labels[i], sources[i]
    return None, None
