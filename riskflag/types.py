"""Core records: frozen dataclasses with JSON-safe ``to_dict`` copies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import RiskflagError

__all__ = ["Note", "Evidence", "Finding", "Passage", "NoteResult", "RISK_LABELS", "IDENTIFIER_LABELS"]

RISK_LABELS: tuple[str, ...] = ("self_harm", "harm_to_others", "abuse_neglect")
IDENTIFIER_LABELS: tuple[str, ...] = (
    "NAME", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "HEALTH_PLAN", "ACCOUNT",
    "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "ADDRESS", "LOCATION", "FACILITY", "ID",
)
CONTEXT_FLAGS: tuple[str, ...] = ("negated", "historical", "hypothetical", "experiencer")


@dataclass(frozen=True, slots=True)
class Note:
    """One input record. ``error`` is set when the record could not be read; ``text`` is then None."""

    note_id: str
    text: str | None = field(repr=False)  # never in reprs: tracebacks and worker logs must not carry note text
    index: int = 0
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    error: RiskflagError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and isinstance(self.text, str)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a finding exists: a cue, context trigger, pattern, validator, context word or feature."""

    kind: str
    rule_id: str
    start: int | None = None
    end: int | None = None
    detail: str | None = None
    weight: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "rule_id": self.rule_id}
        if self.start is not None:
            d["start"], d["end"] = self.start, self.end
        if self.detail is not None:
            d["detail"] = self.detail
        if self.weight is not None:
            d["weight"] = round(float(self.weight), 4)
        return d


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier or risk finding with character offsets into the original note (end exclusive)."""

    note_id: str
    kind: str  # "identifier" | "risk"
    label: str
    start: int
    end: int
    score: float
    source: str
    current: bool | None = None
    context: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    text: str | None = field(default=None, repr=False)

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "note_id": self.note_id,
            "kind": self.kind,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "score": round(float(self.score), 4),
            "source": self.source,
        }
        if self.kind == "risk":
            d["current"] = bool(self.current)
            d["context"] = list(self.context)
        d["evidence"] = [e.to_dict() for e in self.evidence]
        if include_text and self.text is not None:
            d["text"] = self.text
        return d


@dataclass(frozen=True, slots=True)
class Passage:
    """A risk candidate: a sentence or cue window with the features the model scores."""

    note_id: str
    start: int
    end: int
    text: str = field(repr=False)
    cues: tuple[Evidence, ...] = ()
    context: tuple[str, ...] = ()
    features: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    section: str | None = None
    #: context flags of each cue (aligned with ``cues``) and the context evidence behind them
    cue_flags: tuple[tuple[str, ...], ...] = ()
    triggers: tuple[Evidence, ...] = ()

    def label_context(self, label: str) -> tuple[str, ...]:
        """Flags shared by every strong cue of ``label`` in this passage (else every strong cue, else
        the label's weak cues, else all cues): context around a weak cue is too loose to block."""
        pairs = list(zip(self.cues, self.cue_flags, strict=False))
        # the label's strong cues decide; weak ones (weight < 0.5) only when there is nothing else
        for pick in (lambda c: c.detail == label and (c.weight or 0) >= 0.5, lambda c: (c.weight or 0) >= 0.5,
                     lambda c: c.detail == label, lambda c: True):
            sets = [set(f) for c, f in pairs if pick(c)]
            if sets:
                break
        else:
            return ()
        common = set.intersection(*sets)
        return tuple(f for f in CONTEXT_FLAGS if f in common)

    def to_dict(self) -> dict[str, Any]:
        return {
            "note_id": self.note_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "cues": [c.to_dict() for c in self.cues],
            "context": list(self.context),
            "features": dict(self.features),
            "section": self.section,
            "cue_flags": [list(f) for f in self.cue_flags],
            "triggers": [t.to_dict() for t in self.triggers],
        }


@dataclass(frozen=True, slots=True)
class NoteResult:
    """What the scanner produced for one note."""

    note: Note
    findings: tuple[Finding, ...] = ()
    error: RiskflagError | None = None
    redacted: str | None = field(default=None, repr=False)

    @property
    def status(self) -> str:
        return "error" if self.error is not None else "ok"

    @property
    def current_risk_labels(self) -> list[str]:
        return sorted({f.label for f in self.findings if f.kind == "risk" and f.current})

    def to_dict(self) -> dict[str, Any]:
        ident = [f for f in self.findings if f.kind == "identifier"]
        risk = [f for f in self.findings if f.kind == "risk"]
        by_label: dict[str, int] = {}
        for f in ident:
            by_label[f.label] = by_label.get(f.label, 0) + 1
        current = self.current_risk_labels
        return {
            "note_id": self.note.note_id,
            "index": self.note.index,
            "source": self.note.source,
            "status": self.status,
            "error": self.error.to_dict() if self.error is not None else None,
            "chars": len(self.note.text) if isinstance(self.note.text, str) else None,
            "n_identifiers": len(ident),
            "n_risk": len(risk),
            "n_current_risk": sum(1 for f in risk if f.current),
            "identifier_counts": by_label,
            "risk_labels": current,
            "review": bool(current),
        }
