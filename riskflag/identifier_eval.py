"""Token-level evaluation of identifier detection on labelled JSONL, the way the field scores it.

Gold file: one JSON object a line, ``{"id", "text", "spans": [{"start", "end", "label"}, ...]}``.
Tokens are maximal runs of letters and digits; a token is a gold identifier token when it overlaps a
gold span, a predicted one when it overlaps a predicted span. Reported: token recall and precision
over all identifier types together, recall per gold label, and (on request) the most frequent
missed and false tokens. Those lists print text from the user's own labelled file; the CLI says so.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .errors import InputError

__all__ = ["IdentifierEval", "evaluate_identifiers", "score_note", "tokens", "read_gold"]

TOKEN_RE = regex.compile(r"[\p{L}\p{N}]+")


def tokens(text: str) -> list[tuple[int, int]]:
    """Maximal runs of letters and digits, as (start, end) character offsets."""
    return [m.span() for m in TOKEN_RE.finditer(text)]


def _overlaps(spans: list[tuple[int, int]], starts: list[int], s: int, e: int) -> int:
    """Index of a span (sorted by start) overlapping [s, e), or -1."""
    i = bisect.bisect_left(starts, e)
    for j in range(i - 1, max(-1, i - 9), -1):
        if spans[j][1] > s:
            return j
    return -1


@dataclass
class IdentifierEval:
    """Counts from a token-level evaluation; ``to_dict`` gives the report (text lists only on request)."""

    notes: int = 0
    gold_tokens: int = 0
    pred_tokens: int = 0
    true_positive: int = 0
    gold_by_label: Counter = field(default_factory=Counter)
    found_by_label: Counter = field(default_factory=Counter)
    missed: Counter = field(default_factory=Counter)
    false: Counter = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold_tokens if self.gold_tokens else 1.0

    @property
    def precision(self) -> float:
        return self.true_positive / self.pred_tokens if self.pred_tokens else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def per_label_recall(self) -> dict[str, float]:
        return {lab: self.found_by_label[lab] / n for lab, n in sorted(self.gold_by_label.items()) if n}

    def to_dict(self, *, top: int = 0) -> dict[str, Any]:
        d: dict[str, Any] = {
            "notes": self.notes,
            "gold_tokens": self.gold_tokens,
            "predicted_tokens": self.pred_tokens,
            "true_positive_tokens": self.true_positive,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
            "f1": round(self.f1, 4),
            "recall_by_label": {k: round(v, 4) for k, v in self.per_label_recall().items()},
            "gold_tokens_by_label": dict(sorted(self.gold_by_label.items())),
        }
        if top:
            d["top_missed"] = self.missed.most_common(top)
            d["top_false"] = self.false.most_common(top)
        return d


def score_note(text: str, gold: Iterable[tuple[int, int, str]], predicted: Iterable[tuple[int, int]],
               result: IdentifierEval) -> None:
    """Add one note's token counts to ``result``."""
    g = sorted((int(s), int(e), str(lab)) for s, e, lab in gold)
    gspans = [(s, e) for s, e, _ in g]
    gstarts = [s for s, _ in gspans]
    p = sorted((int(s), int(e)) for s, e in predicted)
    pstarts = [s for s, _ in p]
    result.notes += 1
    for s, e in tokens(text):
        gi = _overlaps(gspans, gstarts, s, e)
        is_pred = _overlaps(p, pstarts, s, e) >= 0
        if gi >= 0:
            label = g[gi][2]
            result.gold_tokens += 1
            result.gold_by_label[label] += 1
            if is_pred:
                result.true_positive += 1
                result.found_by_label[label] += 1
            else:
                result.missed[text[s:e].lower()] += 1
        if is_pred:
            result.pred_tokens += 1
            if gi < 0:
                result.false[text[s:e].lower()] += 1


def read_gold(path: str | Path) -> Iterator[dict[str, Any]]:
    """Records of a labelled JSONL file (validated: ``text`` string, ``spans`` list of start/end/label)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"gold file not found: {p}", code="E101")
    with open(p, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                raise InputError(f"{p.name} line {n}: not valid JSON", code="E104") from None
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise InputError(f"{p.name} line {n}: a record needs a 'text' string", code="E104")
            spans = rec.get("spans", [])
            if not isinstance(spans, list) or not all(
                isinstance(s, dict) and isinstance(s.get("start"), int) and isinstance(s.get("end"), int) for s in spans
            ):
                raise InputError(f"{p.name} line {n}: 'spans' must be a list of objects with integer start/end",
                                 code="E104")
            rec.setdefault("id", str(n))
            yield rec


def evaluate_identifiers(gold_path: str | Path, *, nlp: Any = None, identifier_threshold: float | None = None,
                         batch_size: int = 32) -> IdentifierEval:
    """Run the identifier pipeline over a labelled JSONL file and score it at token level."""
    from .pipeline import build_nlp
    from .pipeline.extensions import IDENTIFIERS_KEY, span_offsets

    if nlp is None:
        nlp = build_nlp(risk=False, identifier_threshold=identifier_threshold)
    result = IdentifierEval()
    records = list(read_gold(gold_path))
    for rec, doc in zip(records, nlp.pipe((r["text"] for r in records), batch_size=batch_size), strict=True):
        gold = [(s["start"], s["end"], s.get("label", "ID")) for s in rec.get("spans", [])]
        pred = [span_offsets(sp) for sp in doc.spans.get(IDENTIFIERS_KEY, ())]
        score_note(rec["text"], gold, pred, result)
    return result
