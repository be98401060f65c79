"""Pattern identifier detector: regexes with validators and context words, read from a rule file
(default ``resources/identifiers/patterns.json``). Writes candidates to ``doc.spans["ids.patterns"]``.

Matching (``match``) is separate from writing spans (``set_annotations``). Each regex search runs
with a timeout, so one pathological note cannot stall a batch: a timeout is a record error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import RecordError, RulesError
from ..rules import REGEX_TIMEOUT, RuleSchema, compile_regex, load_rules
from ..types import IDENTIFIER_LABELS, Evidence
from .extensions import IDENTIFIER_PREFIX, doc_text, make_span, register_extensions
from .id_lexicons import Words, doc_words, find_words
from .prefilter import LiteralFilter, LiteralIndex, anchored_finditer, max_digit_run, shape_text
from .serialize import RuleFileSerializer
from .validators import get_validator, preload

__all__ = ["PatternDetector", "PatternRule", "PATTERN_SCHEMA", "Match"]


#: rule tags; a policy enables or disables tagged rules
RULE_TAGS = ("year", "year_bare")
#: year policy: "context" (years in a date-like or history context), "all" (every 1930-2049 number too), "none"
YEAR_POLICIES = ("context", "all", "none")
DEFAULT_YEAR_POLICY = "context"


def _check_pattern(rule: dict[str, Any], rid: str) -> None:
    if rule["label"] not in IDENTIFIER_LABELS:
        raise RulesError(f"rule '{rid}': unknown label '{rule['label']}'; allowed: {', '.join(IDENTIFIER_LABELS)}", code="E304")
    if not 0.0 <= float(rule["score"]) <= 1.0:
        raise RulesError(f"rule '{rid}': score must be within 0..1", code="E304")
    ex = rule.get("examples", {})
    for tag in rule.get("tags", []):
        if tag not in RULE_TAGS:
            raise RulesError(f"rule '{rid}': unknown tag '{tag}'; allowed: {', '.join(RULE_TAGS)}", code="E304")
    if set(ex) - {"match", "no_match"}:
        raise RulesError(f"rule '{rid}': examples take only 'match' and 'no_match'", code="E304")
    for lab in rule.get("context_labels", {}):
        if lab not in IDENTIFIER_LABELS:
            raise RulesError(f"rule '{rid}': unknown context label '{lab}'", code="E304")


PATTERN_SCHEMA = RuleSchema(
    collection="patterns",
    required={"id": str, "label": str, "regex": str, "score": (int, float)},
    optional={
        "group": (str, int),
        "validator": str,
        "context": list,
        "context_score": (int, float),
        "context_window": int,
        "requires_context": bool,
        "context_labels": dict,
        "examples": dict,
        "comment": str,
        "tags": list,
        "exclude_context": list,
        "exclude_window": int,
        "trigger": list,
    },
    check=_check_pattern,
)


@dataclass(frozen=True)
class PatternRule:
    id: str
    label: str
    pattern: regex.Pattern[str]
    score: float
    group: str | int = 0
    validator: Callable[[str], bool] | None = None
    context: tuple[str, ...] = ()
    context_score: float = 0.0
    context_window: int = 40
    requires_context: bool = False
    context_labels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tags: tuple[str, ...] = ()
    exclude_context: tuple[str, ...] = ()
    exclude_window: int = 15
    trigger: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PatternRule:
        return cls(
            id=d["id"],
            label=d["label"],
            pattern=compile_regex(d["regex"], d["id"]),
            score=float(d["score"]),
            group=d.get("group", 0),
            validator=get_validator(d["validator"]) if d.get("validator") else None,
            context=tuple(w.lower() for w in d.get("context", ())),
            context_score=float(d.get("context_score", 0.0)),
            context_window=int(d.get("context_window", 40)),
            requires_context=bool(d.get("requires_context", False)),
            context_labels=tuple((lab, tuple(w.lower() for w in words)) for lab, words in d.get("context_labels", {}).items()),
            tags=tuple(d.get("tags", ())),
            exclude_context=tuple(w.lower() for w in d.get("exclude_context", ())),
            exclude_window=int(d.get("exclude_window", 15)),
            trigger=tuple(w.lower() for w in d.get("trigger", ())),
        )

    @property
    def trigger_split(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """(trigger words, trigger substrings)."""
        cached = self.__dict__.get("_trigger_split")
        if cached is None:
            cached = (frozenset(t for t in self.trigger if t.isalpha()),
                      tuple(t for t in self.trigger if not t.isalpha()))
            object.__setattr__(self, "_trigger_split", cached)
        return cached

    def enabled(self, years: str) -> bool:
        if "year" in self.tags and years == "none":
            return False
        return not ("year_bare" in self.tags and years != "all")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    label: str
    score: float
    rule_id: str
    evidence: tuple[Evidence, ...]


@Language.factory(
    "riskflag_patterns",
    assigns=["doc.spans"],
    default_config={"rules": "identifiers/patterns.json", "span_key": f"{IDENTIFIER_PREFIX}patterns",
                    "years": DEFAULT_YEAR_POLICY},
)
def make_pattern_detector(nlp: Language, name: str, rules: str, span_key: str, years: str) -> PatternDetector:
    return PatternDetector(name=name, rules=rules, span_key=span_key, years=years)


class PatternDetector(RuleFileSerializer):
    rules_filename = "patterns.json"

    """Regex + validator + context-word identifier detector."""

    def __init__(self, *, name: str = "riskflag_patterns", rules: str = "identifiers/patterns.json",
                 span_key: str = f"{IDENTIFIER_PREFIX}patterns", years: str = DEFAULT_YEAR_POLICY) -> None:
        register_extensions()
        if years not in YEAR_POLICIES:
            from ..errors import ConfigError

            raise ConfigError(f"unknown year policy '{years}'; allowed: {', '.join(YEAR_POLICIES)}", code="E501")
        self.years = years
        self.name = name
        self.rules_source = rules
        self.span_key = span_key
        self.rules: list[PatternRule] = []
        self._filters: list[LiteralFilter] = []
        self._index = LiteralIndex(())
        self.raw_rules: list[dict[str, Any]] = []
        self.header: dict[str, Any] = {}

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        self.load()

    def load(self) -> None:
        self.raw_rules, self.header = load_rules(self.rules_source, PATTERN_SCHEMA)
        self.rules = [PatternRule.from_dict(r) for r in self.raw_rules]
        preload({r["validator"] for r in self.raw_rules if r.get("validator")})
        self._filters = [LiteralFilter(r.pattern.pattern, r.pattern.flags) for r in self.rules]
        self._index = LiteralIndex(self._filters, [t for r in self.rules for t in r.trigger_split[1]])

    def match(self, text: str, *, all_rules: bool = False, words: Words | None = None) -> list[Match]:
        """Matches of every enabled rule (``all_rules``: ignore the year policy, for example checks).
        A rule with a ``trigger`` runs only when one of its trigger words is among the note's words
        (or, for a trigger with non-letters, occurs in the lower-cased text); any rule runs only
        when the text holds a literal every match of its regex contains (``prefilter.py``)."""
        if not self.rules:
            self.load()
        out: list[Match] = []
        lower = text.lower()
        present = self._index.scan(text, lower)
        digits = max_digit_run(text)
        shape = shape_text(text)
        wordset = set((words if words is not None else find_words(text)).low)
        passing = present.passing(self._index)
        for rule, lf, literal_ok in zip(self.rules, self._filters, passing, strict=True):
            if not literal_ok or not lf.digits_and_shape_allow(digits, shape):
                continue
            if not all_rules and not rule.enabled(self.years):
                continue
            if rule.trigger:
                tw, ts = rule.trigger_split
                if wordset.isdisjoint(tw) and not any(present.has(t, True) for t in ts):
                    continue
            try:
                starts = present.starts(lf)
                found = (list(rule.pattern.finditer(text, timeout=REGEX_TIMEOUT)) if starts is None
                         else anchored_finditer(rule.pattern, text, starts, timeout=REGEX_TIMEOUT))
            except TimeoutError:
                raise RecordError(f"pattern '{rule.id}' timed out", code="E207") from None
            for m in found:
                start, end = m.span(rule.group)
                if start < 0 or start == end:
                    continue
                value = text[start:end]
                if rule.validator is not None and not rule.validator(value):
                    continue
                score = rule.score
                label = rule.label
                evidence = [Evidence("pattern", rule.id, start, end)]
                if rule.validator is not None:
                    evidence.append(Evidence("validator", rule.id))
                if rule.context or rule.context_labels or rule.exclude_context:
                    window = lower[max(0, start - rule.context_window):start]
                    if rule.exclude_context and _find_word(lower[max(0, start - rule.exclude_window):start],
                                                           rule.exclude_context) is not None:
                        continue
                    word = _find_word(window, rule.context)
                    if word is not None:
                        score = min(1.0, score + rule.context_score)
                        evidence.append(Evidence("context_word", rule.id, detail=word))
                    elif rule.requires_context:
                        continue
                    for lab, words in rule.context_labels:
                        w = _find_word(window, words)
                        if w is not None:
                            label = lab
                            evidence.append(Evidence("context_word", rule.id, detail=w))
                            break
                out.append(Match(start, end, label, score, rule.id, tuple(evidence)))
        return out

    def set_annotations(self, doc: Doc, matches: list[Match]) -> None:
        """One span per token-aligned offsets: spaCy keys span extension values (score, source, evidence)
        by offsets, so two rules matching the same text would share the values written last ("passport
        number 123456789" came out as SSN with the source id.generic). The highest-scoring match wins (the
        earlier rule on a tie) and keeps its own label, score, source and evidence."""
        best: dict[tuple[int, int], int] = {}
        for k, m in enumerate(matches):
            probe = doc.char_span(m.start, m.end, alignment_mode="expand")
            if probe is None or len(probe) == 0:
                continue
            key = (probe.start_char, probe.end_char)
            if key not in best or m.score > matches[best[key]].score:
                best[key] = k
        spans = []
        for k in sorted(best.values()):
            m = matches[k]
            span = make_span(doc, m.start, m.end, m.label, score=m.score, source=m.rule_id, evidence=list(m.evidence))
            if span is not None:
                spans.append(span)
        doc.spans[self.span_key] = spans

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc_text(doc), words=doc_words(doc)))
        return doc


def _find_word(window: str, words: tuple[str, ...]) -> str | None:
    """First context word present in the window as a whole word (not inside another word)."""
    for w in words:
        i = window.rfind(w)
        while i >= 0:
            before = window[i - 1] if i > 0 else " "
            after = window[i + len(w)] if i + len(w) < len(window) else " "
            if not before.isalnum() and (not after.isalpha() or not w[-1:].isalnum()):
                return w
            i = window.rfind(w, 0, i)
    return None
