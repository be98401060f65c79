"""Risk cues: phrases, token patterns and regexes that may describe self-harm, harm to others or
abuse/neglect, read from ``resources/risk_cues.json``. Cues are recall-first candidates: the
context component flags them and the model scores the passages that hold them.

Blockers (false friends and idioms such as "SI joint", "killing time", "tobacco abuse",
"staple gun", "hemispatial neglect") are data too: a cue overlapping a blocker of its label is
dropped and kept in ``doc.spans["risk_cues.blocked"]`` for inspection.

Writes ``doc.spans["risk_cues"]``: label = risk label, ``span._.source`` = rule id,
``span._.score`` = the rule's prior weight, ``span._.evidence`` = one cue Evidence per rule that
matched the span."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import regex
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..errors import RecordError, RulesError
from ..rules import REGEX_TIMEOUT, RuleSchema, compile_regex, load_rules
from ..types import RISK_LABELS, Evidence
from .extensions import doc_lower, doc_text, make_span, register_extensions, token_hashes
from .prefilter import LiteralFilter, LiteralIndex, TokenPatternFilter, anchored_finditer
from .sections import section_at, section_index
from .serialize import RuleFileSerializer

__all__ = ["RiskCueDetector", "RuleMatcher", "Cue", "SentenceIndex", "CUES_KEY", "BLOCKED_KEY", "CUE_SCHEMA",
           "BLOCKER_SCHEMA", "SECTION_BLOCKER_SCHEMA"]

CUES_KEY = "risk_cues"
BLOCKED_KEY = "risk_cues.blocked"
BLOCKER_WINDOW = 120  # characters either side of a cue searched for blockers


def _check_examples(rule: dict[str, Any], rid: str) -> None:
    ex = rule.get("examples", {})
    if set(ex) - {"match", "no_match"}:
        raise RulesError(f"rule '{rid}': examples take only 'match' and 'no_match'", code="E304")
    if not any(k in rule for k in ("literals", "pattern", "regex")):
        raise RulesError(f"rule '{rid}': needs one of 'literals', 'pattern', 'regex'", code="E304")
    pat = rule.get("pattern")
    if pat is not None and not (pat and all(isinstance(p, list) and p for p in pat)):
        raise RulesError(f"rule '{rid}': 'pattern' must be a list of token patterns (lists)", code="E304")


def _check_cue(rule: dict[str, Any], rid: str) -> None:
    if rule["label"] not in RISK_LABELS:
        raise RulesError(f"rule '{rid}': unknown label '{rule['label']}'; allowed: {', '.join(RISK_LABELS)}", code="E304")
    if not 0.0 <= float(rule.get("weight", 1.0)) <= 1.0:
        raise RulesError(f"rule '{rid}': weight must be within 0..1", code="E304")
    _check_examples(rule, rid)


def _check_blocker(rule: dict[str, Any], rid: str) -> None:
    bad = [lab for lab in rule["blocks"] if lab not in RISK_LABELS]
    if bad or not rule["blocks"]:
        raise RulesError(f"blocker '{rid}': 'blocks' must list risk labels ({', '.join(RISK_LABELS)}); got {bad}", code="E304")
    _check_examples(rule, rid)


_MATCH_KEYS = {"literals": list, "pattern": list, "regex": str, "case_sensitive": bool, "examples": dict, "comment": str}
CUE_SCHEMA = RuleSchema(collection="cues", required={"id": str, "label": str},
                        optional={**_MATCH_KEYS, "weight": (int, float)}, check=_check_cue)
BLOCKER_SCHEMA = RuleSchema(collection="blockers", required={"id": str, "blocks": list, "regex": str},
                            optional={"case_sensitive": bool, "examples": dict, "comment": str},
                            check=_check_blocker)


def _check_section_blocker(rule: dict[str, Any], rid: str) -> None:
    if not rule["sections"] or not all(isinstance(x, str) for x in rule["sections"]):
        raise RulesError(f"section blocker '{rid}': 'sections' must list section ids", code="E304")
    if not rule["cues"] or not all(isinstance(x, str) for x in rule["cues"]):
        raise RulesError(f"section blocker '{rid}': 'cues' must list cue rule ids", code="E304")
    if set(rule.get("examples", {})) - {"match", "no_match"}:
        raise RulesError(f"section blocker '{rid}': examples take only 'match' and 'no_match'", code="E304")


SECTION_BLOCKER_SCHEMA = RuleSchema(collection="section_blockers",
                                    required={"id": str, "sections": list, "cues": list},
                                    optional={"examples": dict, "comment": str}, check=_check_section_blocker)


class SentenceIndex:
    """Sentence bounds of every token, computed once per doc (``token.sent`` rescans the doc)."""

    def __init__(self, doc: Doc) -> None:
        import numpy as np
        from spacy.attrs import SENT_START

        n = len(doc)
        flags = doc.to_array([SENT_START]).reshape(-1) if n else np.zeros(0, dtype=np.int32)
        is_start = flags == 1
        if n:
            is_start[0] = True
        self.starts = np.flatnonzero(is_start)
        self.ends = np.append(self.starts[1:], n)
        self.sid = np.cumsum(is_start) - 1

    def bounds(self, token: int) -> tuple[int, int]:
        i = self.sid[token]
        return int(self.starts[i]), int(self.ends[i])


@dataclass(frozen=True)
class Hit:
    """One rule match: token range and character range (end exclusive)."""

    key: str
    start: int
    end: int
    start_char: int
    end_char: int


class RuleMatcher:
    """One rule shape for three matchers: literal phrases (PhraseMatcher on LOWER, or ORTH when
    case-sensitive), spaCy token patterns (Matcher) and regexes on the text.

    Prefilters (``prefilter.py``) keep the cost down without changing a result: token patterns run
    only on short windows where a match can start, and a regex runs only on a note holding one of
    the literals every match of it contains."""

    def __init__(self, vocab: Vocab, make_doc: Callable[[str], Doc]) -> None:
        self.vocab = vocab
        self.make_doc = make_doc
        self.phrase_lower = PhraseMatcher(vocab, attr="LOWER")
        self.phrase_orth = PhraseMatcher(vocab, attr="ORTH")
        self.matcher = Matcher(vocab)
        self.regexes: list[tuple[str, regex.Pattern[str]]] = []
        self._literal_filters: list[LiteralFilter] = []
        self._literal_index: LiteralIndex | None = None  # built on first use, after every add()
        self._n_phrase = self._n_pattern = 0
        self._windows = TokenPatternFilter(vocab.strings)

    def add(self, key: str, *, literals: Iterable[str] = (), patterns: Sequence[list[dict[str, Any]]] = (),
            regex_pattern: str | None = None, case_sensitive: bool = False) -> None:
        lits = [x for x in literals if x and x.strip()]
        if lits:
            docs = [self.make_doc(x if case_sensitive else x.lower()) for x in lits]
            (self.phrase_orth if case_sensitive else self.phrase_lower).add(key, docs)
            self._n_phrase += 1
        if patterns:
            try:
                self.matcher.add(key, [list(p) for p in patterns], greedy="LONGEST")
            except (ValueError, KeyError, TypeError) as exc:
                raise RulesError(f"rule '{key}': invalid token pattern ({type(exc).__name__}: {exc})", code="E307") from None
            for pat in patterns:
                self._windows.add(pat)
            self._n_pattern += 1
        if regex_pattern is not None:
            flags = 0 if case_sensitive else regex.IGNORECASE
            rx = compile_regex(regex_pattern, key, flags)
            self.regexes.append((key, rx))
            self._literal_filters.append(LiteralFilter(rx.pattern, rx.flags))
            self._literal_index = None

    def _pattern_hits(self, doc: Doc, ranges: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int, int]]:
        """Token-pattern matches, run only on the windows where a pattern can match (inside
        ``ranges`` when given). Windows are disjoint and each holds every match that starts in
        it, so the ``LONGEST`` filter sees the same overlaps as on the whole doc."""
        n = len(doc)
        limits = [(0, n)] if ranges is None else list(ranges)
        if self._windows.always:
            windows = limits
        else:
            lower, orth, lower_l, orth_l = token_hashes(doc)
            windows = self._windows.windows(lower, orth, limits, (lower_l, orth_l))
        out: list[tuple[int, int, int]] = []
        matcher = self.matcher
        for a, b in windows:
            if a == 0 and b == n:
                out.extend(matcher(doc))
            else:
                out.extend((mid, a + s, a + e) for mid, s, e in matcher(doc[a:b]))
        return out

    def __call__(self, doc: Doc, ranges: Sequence[tuple[int, int]] | None = None, text: str | None = None) -> list[Hit]:
        """Matches in the doc, or only inside the given (non-overlapping) token ranges. Regexes
        see the whole text (``finditer`` from/to offsets) without ranges, and each range's own
        text with them."""
        hits: list[Hit] = []
        strings = self.vocab.strings

        def hit(mid: int, s: int, e: int) -> Hit:
            return Hit(strings[mid], s, e, doc[s].idx, doc[e - 1].idx + len(doc[e - 1]))

        if self._n_phrase:
            for pm in (self.phrase_lower, self.phrase_orth):
                if len(pm):
                    if ranges is None:
                        hits.extend(hit(mid, s, e) for mid, s, e in pm(doc))
                    else:  # the PhraseMatcher reports doc offsets for a span
                        for a, b in ranges:
                            hits.extend(hit(mid, s, e) for mid, s, e in pm(doc[a:b]))
        if self._n_pattern:
            hits.extend(hit(mid, s, e) for mid, s, e in self._pattern_hits(doc, ranges))
        if not self.regexes:
            return hits
        if text is None:
            text = doc_text(doc)
        if self._literal_index is None:
            self._literal_index = LiteralIndex(self._literal_filters)
        found = self._literal_index.scan(text, doc_lower(doc))
        todo = [(key, rx, lf) for (key, rx), lf, ok in zip(self.regexes, self._literal_filters,
                                                            found.passing(self._literal_index), strict=True) if ok]
        if not todo:
            return hits
        if ranges is None:
            pieces = [(text, 0, 0, len(text))]
        else:  # each range's own text
            pieces = []
            for a, b in ranges:
                if b > a:
                    ca, cb = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
                    pieces.append((text[ca:cb], ca, 0, cb - ca))
        for key, rx, lf in todo:
            starts = found.starts(lf)  # where a match can start (None: anywhere)
            for piece, off, ca, cb in pieces:
                if ranges is not None and not lf.may_match_in_hits(found, off, off + cb):
                    continue
                try:
                    if starts is None:
                        matches = list(rx.finditer(piece, ca, cb, timeout=REGEX_TIMEOUT))
                    else:
                        local = starts if off == 0 else [c - off for c in starts if off <= c < off + cb]
                        matches = anchored_finditer(rx, piece, local, ca, cb, timeout=REGEX_TIMEOUT)
                    spans = [(m.start() + off, m.end() + off) for m in matches]
                except TimeoutError:
                    raise RecordError(f"rule '{key}' timed out", code="E207") from None
                for s, e in spans:
                    if s == e:
                        continue
                    span = doc.char_span(s, e, alignment_mode="expand")
                    if span is None or len(span) == 0:
                        continue
                    hits.append(Hit(key, span.start, span.end, s, e))
        return hits


@dataclass(frozen=True)
class Cue:
    start_char: int
    end_char: int
    label: str
    rule_id: str
    weight: float
    rule_ids: tuple[str, ...]


@Language.factory(
    "riskflag_risk_cues",
    assigns=["doc.spans"],
    default_config={"rules": "risk_cues.json", "span_key": CUES_KEY},
)
def make_risk_cues(nlp: Language, name: str, rules: str, span_key: str) -> RiskCueDetector:
    return RiskCueDetector(nlp.vocab, nlp.make_doc, name=name, rules=rules, span_key=span_key)


class RiskCueDetector(RuleFileSerializer):
    rules_filename = "risk_cues.json"

    """Finds risk cues (``match``) and writes them to ``doc.spans[span_key]`` (``set_annotations``)."""

    def __init__(self, vocab: Vocab, make_doc: Callable[[str], Doc], *, name: str = "riskflag_risk_cues",
                 rules: str = "risk_cues.json", span_key: str = CUES_KEY) -> None:
        register_extensions()
        self.vocab = vocab
        self.make_doc = make_doc
        self.name = name
        self.rules_source = rules
        self.span_key = span_key
        self.raw_rules: list[dict[str, Any]] = []
        self.raw_blockers: list[dict[str, Any]] = []
        self.header: dict[str, Any] = {}
        self._by_id: dict[str, dict[str, Any]] = {}
        self._matcher: RuleMatcher | None = None
        self._blockers: list[tuple[str, frozenset[str], regex.Pattern[str]]] = []
        self._blocker_filters: list[LiteralFilter] = []
        self._blocker_index: LiteralIndex | None = None
        self.raw_section_blockers: list[dict[str, Any]] = []
        #: cue rule id -> [(section ids, section blocker id)]
        self._section_blocks: dict[str, list[tuple[frozenset[str], str]]] = {}

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        self.load()

    def load(self) -> None:
        self.raw_rules, self.header = load_rules(self.rules_source, CUE_SCHEMA)
        self.raw_blockers, _ = load_rules(self.rules_source, BLOCKER_SCHEMA)
        matcher = RuleMatcher(self.vocab, self.make_doc)
        for r in self.raw_rules:
            matcher.add(r["id"], literals=r.get("literals", ()), patterns=r.get("pattern", ()),
                        regex_pattern=r.get("regex"), case_sensitive=r.get("case_sensitive", False))
        self._blockers = [
            (b["id"], frozenset(b["blocks"]),
             compile_regex(b["regex"], b["id"], 0 if b.get("case_sensitive") else regex.IGNORECASE))
            for b in self.raw_blockers
        ]
        self._blocker_filters = [LiteralFilter(rx.pattern, rx.flags) for _, _, rx in self._blockers]
        self._blocker_index = LiteralIndex(self._blocker_filters)
        self._by_id = {r["id"]: r for r in self.raw_rules}
        self._blocks = {b["id"]: frozenset(b["blocks"]) for b in self.raw_blockers}
        self.raw_section_blockers = (load_rules(self.rules_source, SECTION_BLOCKER_SCHEMA)[0]
                                     if "section_blockers" in self.header else [])
        self._section_blocks = {}
        for b in self.raw_section_blockers:
            unknown = [c for c in b["cues"] if c not in self._by_id]
            if unknown:
                raise RulesError(f"section blocker '{b['id']}': unknown cue rule(s) {', '.join(unknown)}", code="E304")
            for c in b["cues"]:
                self._section_blocks.setdefault(c, []).append((frozenset(b["sections"]), b["id"]))
        self._matcher = matcher

    # -- matching -------------------------------------------------------------------------
    def match(self, doc: Doc) -> tuple[list[Cue], list[tuple[Cue, str]]]:
        """(cues kept, [(cue, blocker id)] dropped)."""
        if self._matcher is None:
            self.load()
        assert self._matcher is not None
        text = doc_text(doc)
        hits = self._matcher(doc, text=text)
        if not hits:
            return [], []
        raw = sorted(((h.start_char, h.end_char, self._by_id[h.key]["label"], h.key) for h in hits),
                     key=lambda x: (x[0], -(x[1] - x[0]), x[3]))
        blocked: list[tuple[Cue, str]] = []
        kept: list[Cue] = []
        if self._section_blocks:
            raw = self._drop_by_section(doc, raw, blocked)
        blocker_spans = self._blocker_hits(text, raw, doc_lower(doc)) if raw else []
        for s, e, label, rid in raw:
            weight = float(self._by_id[rid].get("weight", 1.0))
            cue = Cue(s, e, label, rid, weight, (rid,))
            bid = next((b for bs, be, b in blocker_spans if bs < e and s < be and label in self._blocks[b]), None)
            if bid is not None:
                blocked.append((cue, bid))
                continue
            # a cue inside a kept cue of the same label adds its rule id there
            for i, k in enumerate(kept):
                if k.label == label and k.start_char <= s and e <= k.end_char:
                    if rid not in k.rule_ids:
                        kept[i] = Cue(k.start_char, k.end_char, k.label, k.rule_id, max(k.weight, weight),
                                      k.rule_ids + (rid,))
                    break
            else:
                kept.append(cue)
        return kept, blocked

    def _drop_by_section(self, doc: Doc, raw: list[tuple[int, int, str, str]],
                         blocked: list[tuple[Cue, str]]) -> list[tuple[int, int, str, str]]:
        """Cues of a rule a section blocker names, inside one of its sections (for example weak cues
        such as 'blade' or 'bleeding' in an operative description), go to ``blocked``."""
        index = None
        out = []
        for s, e, label, rid in raw:
            rules = self._section_blocks.get(rid)
            if rules:
                if index is None:
                    index = section_index(doc)
                section = section_at(doc, s, index)[1]
                bid = next((b for ids, b in rules if section in ids), None)
                if bid is not None:
                    blocked.append((Cue(s, e, label, rid, float(self._by_id[rid].get("weight", 1.0)), (rid,)), bid))
                    continue
            out.append((s, e, label, rid))
        return out

    def _blocker_hits(self, text: str, raw: list[tuple[int, int, str, str]],
                      lower: str | None = None) -> list[tuple[int, int, str]]:
        """Blockers are regexes searched only in windows around cues (cheap on long notes), only
        when a cue has a label they block, and only where the text holds a literal every match of
        the blocker contains."""
        windows: list[list[int]] = []
        for s, e, _, _ in raw:
            a, b = max(0, s - BLOCKER_WINDOW), min(len(text), e + BLOCKER_WINDOW)
            if windows and a <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], b)
            else:
                windows.append([a, b])
        labels = {label for _, _, label, _ in raw}
        out: list[tuple[int, int, str]] = []
        found = None
        for blk, lf in zip(self._blockers, self._blocker_filters, strict=True):
            if labels.isdisjoint(blk[1]):
                continue  # it blocks no label present
            if found is None:
                assert self._blocker_index is not None
                found = self._blocker_index.scan(text, lower)
            starts = found.starts(lf)
            for a, b in windows:
                if lf.may_match_in_hits(found, a, b):
                    out.extend(self.blocker_matches(text, a, b, [blk], starts=starts))
        return out

    def blocker_matches(self, text: str, start: int = 0, end: int | None = None,
                        blockers: list[tuple[str, frozenset[str], regex.Pattern[str]]] | None = None,
                        starts: list[int] | None = None) -> list[tuple[int, int, str]]:
        """(start, end, blocker id) of every blocker match in ``text[start:end]`` (``starts``: the
        offsets where a match of the one blocker given can start, from ``LiteralHits.starts``)."""
        end = len(text) if end is None else end
        out: list[tuple[int, int, str]] = []
        for bid, _, rx in (self._blockers if blockers is None else blockers):
            try:
                found = (rx.finditer(text, start, end, timeout=REGEX_TIMEOUT) if starts is None
                         else anchored_finditer(rx, text, starts, start, end, timeout=REGEX_TIMEOUT))
                out.extend((m.start(), m.end(), bid) for m in found)
            except TimeoutError:
                raise RecordError(f"blocker '{bid}' timed out", code="E207") from None
        return out

    def set_annotations(self, doc: Doc, cues: list[Cue], blocked: list[tuple[Cue, str]]) -> None:
        spans = []
        for c in cues:
            ev = [Evidence("cue", rid, c.start_char, c.end_char) for rid in c.rule_ids]
            span = make_span(doc, c.start_char, c.end_char, c.label, score=c.weight, source=c.rule_id, evidence=ev)
            if span is not None:
                spans.append(span)
        doc.spans[self.span_key] = spans
        bspans = []
        for c, bid in blocked:
            span = make_span(doc, c.start_char, c.end_char, c.label, score=c.weight, source=c.rule_id,
                             evidence=[Evidence("blocker", bid, c.start_char, c.end_char)])
            if span is not None:
                bspans.append(span)
        doc.spans[BLOCKED_KEY] = bspans

    def __call__(self, doc: Doc) -> Doc:
        cues, blocked = self.match(doc)
        self.set_annotations(doc, cues, blocked)
        return doc

    # -- examples (``riskflag rules check``) --------------------------------------------------
    def check_examples(self, nlp: Language | None = None) -> tuple[list[str], int]:
        """Every rule's and blocker's examples (section blockers need ``nlp``, the pipeline up to
        this component, since their examples need sections)."""
        if self._matcher is None:
            self.load()
        problems: list[str] = []
        n = 0
        for r in self.raw_rules:
            for kind, want in (("match", True), ("no_match", False)):
                for ex in r.get("examples", {}).get(kind, []):
                    n += 1
                    cues, _ = self.match(self.make_doc(ex))
                    got = any(r["id"] in c.rule_ids for c in cues)
                    if got != want:
                        problems.append(f"risk_cues: rule '{r['id']}' {'missed' if want else 'wrongly matched'} example {ex!r}")
        for b in self.raw_blockers:
            for kind, want in (("match", True), ("no_match", False)):
                for ex in b.get("examples", {}).get(kind, []):
                    n += 1
                    got = any(bid == b["id"] for _, _, bid in self.blocker_matches(ex))
                    if got != want:
                        problems.append(f"risk_cues: blocker '{b['id']}' {'missed' if want else 'wrongly matched'} example {ex!r}")
        if nlp is not None:
            for b in self.raw_section_blockers:
                for kind, want in (("match", True), ("no_match", False)):
                    for ex in b.get("examples", {}).get(kind, []):
                        n += 1
                        doc = nlp(ex)
                        got = any(ev.rule_id == b["id"] for span in doc.spans.get(BLOCKED_KEY, [])
                                  for ev in span._.evidence)
                        if got != want:
                            problems.append(f"risk_cues: section blocker '{b['id']}' "
                                            f"{'missed' if want else 'wrongly matched'} example {ex!r}")
        return problems, n
