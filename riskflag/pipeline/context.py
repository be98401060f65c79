"""ConText for risk cues: negated, historical, hypothetical, experiencer.

Trigger rules are data in medspaCy's format (``resources/context_rules.json``:
``{category, literal, pattern, direction}`` plus id, max_scope, allowed_types, examples). A trigger's
scope runs FORWARD, BACKWARD or BIDIRECTIONALly from it and ends at the sentence boundary, at a
TERMINATE trigger (clause words: "but", ";", "endorses"), at a trigger of another category, or
after ``max_scope`` tokens. PSEUDO rules are look-alikes that cancel triggers they overlap
("no change", "history of present illness"). CURRENT triggers ("now", "he'll") end historical and
hypothetical scopes only. Note sections add flags too (``section_context`` in the rule file:
history → historical, family history → experiencer, plan/education → hypothetical).

Sets on every ``doc.spans["risk_cues"]`` span the booleans ``negated``, ``historical``,
``hypothetical``, ``experiencer`` and ``modifiers``: a list of context Evidence (rule id, trigger
offsets, flag) that explains them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..errors import RulesError
from ..rules import RuleSchema, load_rules
from ..types import CONTEXT_FLAGS, RISK_LABELS, Evidence
from .extensions import register_extensions
from .risk_cues import CUES_KEY, RuleMatcher, SentenceIndex
from .sections import section_at, section_index
from .serialize import RuleFileSerializer

__all__ = ["ContextComponent", "CONTEXT_SCHEMA", "CATEGORY_FLAGS", "DIRECTIONS", "Trigger"]

#: medspaCy category -> riskflag context flag
CATEGORY_FLAGS: dict[str, str] = {
    "NEGATED_EXISTENCE": "negated",
    "HISTORICAL": "historical",
    "HYPOTHETICAL": "hypothetical",
    "FAMILY": "experiencer",
    "OTHER_EXPERIENCER": "experiencer",
}
SPECIAL_CATEGORIES = ("TERMINATE", "CURRENT")
DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO")
#: categories whose scope a CURRENT trigger ends ("h/o SI; now endorses SI")
TERMINATED_BY_CURRENT = frozenset({"historical", "hypothetical"})


def _check_rule(rule: dict[str, Any], rid: str) -> None:
    cat, direction = rule["category"], rule["direction"]
    if cat not in CATEGORY_FLAGS and cat not in SPECIAL_CATEGORIES:
        raise RulesError(f"context rule '{rid}': unknown category '{cat}'; allowed: "
                         f"{', '.join([*CATEGORY_FLAGS, *SPECIAL_CATEGORIES])}", code="E304")
    if direction not in DIRECTIONS:
        raise RulesError(f"context rule '{rid}': unknown direction '{direction}'; allowed: {', '.join(DIRECTIONS)}",
                         code="E304")
    if cat in SPECIAL_CATEGORIES and direction != "TERMINATE":
        raise RulesError(f"context rule '{rid}': category {cat} needs direction TERMINATE", code="E304")
    for key in ("allowed_types", "excluded_types"):
        bad = [t for t in rule.get(key, []) if t not in RISK_LABELS]
        if bad:
            raise RulesError(f"context rule '{rid}': {key} has unknown label(s) {bad}", code="E304")
    if "max_scope" in rule and rule["max_scope"] < 0:
        raise RulesError(f"context rule '{rid}': max_scope must be >= 0", code="E304")
    pat = rule.get("pattern")
    if pat is not None and not isinstance(pat, (list, str)):
        raise RulesError(f"context rule '{rid}': pattern must be a token pattern (list) or a regex (string)", code="E304")
    ex = rule.get("examples", {})
    if set(ex) - {"applies", "does_not_apply"}:
        raise RulesError(f"context rule '{rid}': examples take only 'applies' and 'does_not_apply'", code="E304")


CONTEXT_SCHEMA = RuleSchema(
    collection="context_rules",
    required={"id": str, "literal": str, "category": str, "direction": str},
    optional={"pattern": (list, str), "max_scope": int, "allowed_types": list, "excluded_types": list,
              "terminated_by": list, "examples": dict, "comment": str, "metadata": dict},
    check=_check_rule,
)


@dataclass(frozen=True)
class Trigger:
    rule_id: str
    category: str
    flag: str | None
    direction: str
    start: int  # token
    end: int
    start_char: int
    end_char: int
    max_scope: int | None
    allowed: frozenset[str] | None
    terminated_by: frozenset[str]
    cross_sentence: str | None = None


@Language.factory(
    "riskflag_context",
    assigns=["span._.negated", "span._.historical", "span._.hypothetical", "span._.experiencer", "span._.modifiers"],
    requires=["doc.spans", "token.is_sent_start"],
    default_config={"rules": "context_rules.json", "span_key": CUES_KEY, "use_sections": True},
)
def make_context(nlp: Language, name: str, rules: str, span_key: str, use_sections: bool) -> ContextComponent:
    return ContextComponent(nlp.vocab, nlp.make_doc, name=name, rules=rules, span_key=span_key,
                            use_sections=use_sections)


class ContextComponent(RuleFileSerializer):
    rules_filename = "context_rules.json"

    def __init__(self, vocab: Vocab, make_doc: Callable[[str], Doc], *, name: str = "riskflag_context",
                 rules: str = "context_rules.json", span_key: str = CUES_KEY, use_sections: bool = True) -> None:
        register_extensions()
        self.vocab = vocab
        self.make_doc = make_doc
        self.name = name
        self.rules_source = rules
        self.span_key = span_key
        self.use_sections = use_sections
        self.raw_rules: list[dict[str, Any]] = []
        self.header: dict[str, Any] = {}
        self.section_context: dict[str, str] = {}
        self._rules: dict[str, dict[str, Any]] = {}
        self._order: dict[str, int] = {}
        self._matcher: RuleMatcher | None = None

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        self.load()

    def load(self) -> None:
        self.raw_rules, self.header = load_rules(self.rules_source, CONTEXT_SCHEMA)
        sc = self.header.get("section_context", {})
        if not isinstance(sc, dict) or any(v not in CONTEXT_FLAGS for v in sc.values()):
            raise RulesError(f"section_context must map section categories to one of {', '.join(CONTEXT_FLAGS)}",
                             code="E304")
        self.section_context = dict(sc)
        m = RuleMatcher(self.vocab, self.make_doc)
        for r in self.raw_rules:
            pat = r.get("pattern")
            if isinstance(pat, str):
                m.add(r["id"], regex_pattern=pat, case_sensitive=True)
            elif isinstance(pat, list):
                m.add(r["id"], patterns=[pat])
            else:
                m.add(r["id"], literals=[r["literal"]])
        self._rules = {r["id"]: r for r in self.raw_rules}
        self._order = {r["id"]: i for i, r in enumerate(self.raw_rules)}
        self._matcher = m

    # -- matching -------------------------------------------------------------------------
    def triggers(self, doc: Doc, ranges: list[tuple[int, int]] | None = None) -> list[Trigger]:
        """Context triggers in the doc (or in token ranges) after PSEUDO and overlap resolution."""
        if self._matcher is None:
            self.load()
        assert self._matcher is not None
        out = []
        for h in self._matcher(doc, ranges):
            r = self._rules[h.key]
            allowed = set(r["allowed_types"]) if "allowed_types" in r else set(RISK_LABELS)
            allowed -= set(r.get("excluded_types", ()))
            out.append(Trigger(h.key, r["category"], CATEGORY_FLAGS.get(r["category"]), r["direction"], h.start, h.end,
                               h.start_char, h.end_char, r.get("max_scope"), frozenset(allowed),
                               frozenset(r.get("terminated_by", ())), r.get("metadata", {}).get("cross_sentence")))
        if not out:
            return out
        pseudo = [t for t in out if t.direction == "PSEUDO"]
        rest = [t for t in out if t.direction != "PSEUDO"]
        if pseudo:
            rest = [t for t in rest if not any(p.start < t.end and t.start < p.end and (t.end - t.start) <= (p.end - p.start)
                                               for p in pseudo)]
        # overlapping triggers: the longest wins (then the earliest)
        # (ties: a rule with a pattern, being more specific, beats a plain literal; then file order)
        rest.sort(key=lambda t: (-(t.end - t.start), t.start, "pattern" not in self._rules[t.rule_id],
                                 self._order[t.rule_id]))
        kept: list[Trigger] = []
        for t in rest:
            if not any(k.start < t.end and t.start < k.end for k in kept):
                kept.append(t)
        kept.sort(key=lambda t: (t.start, t.end))
        return kept

    def __call__(self, doc: Doc) -> Doc:
        cues = list(doc.spans.get(self.span_key, ()))
        doc._.risk_context = []
        if not cues:
            return doc
        found: list[list[Evidence]] = [[] for _ in cues]
        sents = SentenceIndex(doc)
        triggers = self.triggers(doc, _cue_sentence_ranges(doc, cues, sents))
        # triggers inside a cue ("no" in "no reason to live") are part of the cue, unless they
        # only act on the token they touch ("-SI")
        if triggers:
            triggers = [t for t in triggers if t.max_scope == 0
                        or not any(c.start <= t.start and t.end <= c.end for c in cues)]
        if triggers:
            self._apply_triggers(doc, cues, triggers, found, sents)
        if self.use_sections and self.section_context:
            sections = section_index(doc)
            for c, mods in zip(cues, found, strict=True):
                cat, sid = section_at(doc, c.start_char, sections)
                flag = self.section_context.get(cat or "")
                if flag is not None:
                    mods.append(Evidence("context", f"section:{sid}", detail=flag))
        # span extensions are keyed by offsets only: cues of two labels on the same characters
        # share them, so the exact per-cue result is also kept in doc._.risk_context (same order)
        for c, mods in zip(cues, found, strict=True):
            flags = {m.detail for m in mods}
            for flag in CONTEXT_FLAGS:
                setattr(c._, flag, flag in flags)
            c._.modifiers = list(mods)
        doc._.risk_context = [(frozenset(m.detail for m in mods if m.detail), tuple(mods)) for mods in found]
        return doc

    def _apply_triggers(self, doc: Doc, cues: list[Any], triggers: list[Trigger], found: list[list[Evidence]],
                        sents: SentenceIndex) -> None:
        # answers that reach back into the question before them ("Any urges to cut? -- No.")
        answers = [(q, t) for t in triggers if t.cross_sentence == "previous_question"
                   for q in [_question_before(doc, sents.bounds(t.start)[0], sents)] if q is not None]
        for c, mods in zip(cues, found, strict=True):
            s0, s1 = sents.bounds(c.start)
            # triggers that cannot modify this cue's label neither modify it nor end its scopes
            here = [t for t in triggers if s0 <= t.start < s1 and (t.flag is None or c.label_ in t.allowed)]
            for t in here:
                if t.flag is None or c.label_ not in t.allowed:
                    continue
                if not self._in_scope(t, c.start, c.end, here, s0, s1):
                    continue
                mods.append(Evidence("context", t.rule_id, t.start_char, t.end_char, detail=t.flag))
            if answers:
                for (q0, q1), t in answers:
                    if q0 <= c.start < q1 and t.flag is not None and c.label_ in t.allowed:
                        mods.append(Evidence("context", t.rule_id, t.start_char, t.end_char, detail=t.flag))

    @staticmethod
    def _ends_scope(t: Trigger, other: Trigger) -> bool:
        if other is t:
            return False
        if other.category == "TERMINATE":
            return True
        if other.category == "CURRENT":
            return t.flag in TERMINATED_BY_CURRENT or "CURRENT" in t.terminated_by
        if other.category in t.terminated_by:
            return True
        return other.flag is not None and other.flag != t.flag

    def _in_scope(self, t: Trigger, cs: int, ce: int, here: list[Trigger], s0: int, s1: int) -> bool:
        if t.max_scope == 0:  # acts only on a cue it overlaps or touches
            return cs <= t.end and t.start <= ce
        if t.direction in ("FORWARD", "BIDIRECTIONAL") and cs >= t.end:
            end = s1
            for o in here:
                if o.start >= t.end and self._ends_scope(t, o):
                    end = min(end, o.start)
            if t.max_scope is not None:
                end = min(end, t.end + t.max_scope)
            if cs < end:
                return True
        if t.direction in ("BACKWARD", "BIDIRECTIONAL") and ce <= t.start:
            begin = s0
            for o in here:
                if o.end <= t.start and self._ends_scope(t, o):
                    begin = max(begin, o.end)
            if t.max_scope is not None:
                begin = max(begin, t.start - t.max_scope)
            if ce > begin:
                return True
        return False

    # -- examples (``riskflag rules check``) --------------------------------------------------
    def check_examples(self, nlp: Language) -> tuple[list[str], int]:
        """Run every rule's examples through ``nlp`` (a pipeline holding cues + this component)."""
        problems: list[str] = []
        n = 0
        for r in self.raw_rules:
            for kind, want in (("applies", True), ("does_not_apply", False)):
                for ex in r.get("examples", {}).get(kind, []):
                    n += 1
                    doc = nlp(ex)
                    got = any(any(m.rule_id == r["id"] for m in mods) for _, mods in doc._.risk_context)
                    if got != want:
                        problems.append(f"context: rule '{r['id']}' {'did not apply to' if want else 'wrongly applied to'} "
                                        f"example {ex!r}")
        return problems, n


def _question_before(doc: Doc, start: int, sents: SentenceIndex) -> tuple[int, int] | None:
    """Token range of the question sentence that ends right before token ``start``, if any."""
    i = start - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i < 0 or not doc[i].text.endswith("?"):
        return None
    j = i - 1 if doc[i].text == "?" and i > 0 else i
    return sents.bounds(j)[0], i + 1


def _cue_sentence_ranges(doc: Doc, cues: list[Any], sents: SentenceIndex) -> list[tuple[int, int]]:
    """Token ranges of the sentences holding cues, each with the sentence after it (an answer
    may follow a question), merged: triggers are only looked for there."""
    ranges: list[list[int]] = []
    n = len(doc)
    for c in sorted(cues, key=lambda c: c.start):
        a, b = sents.bounds(c.start)
        j = b
        while j < n and doc[j].is_space:
            j += 1
        if j < n:
            b = sents.bounds(j)[1]
        if ranges and a <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], b)
        else:
            ranges.append([a, b])
    return [(a, b) for a, b in ranges]
