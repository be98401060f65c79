"""Scanner: streams notes through one spaCy pass each (``nlp.pipe`` in batches), turns the doc's
span groups into Finding records, and isolates failures so one bad note never stops a batch."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from spacy.language import Language
from spacy.tokens import Doc

from .errors import RecordError, RiskflagError
from .pipeline.extensions import IDENTIFIERS_KEY, doc_text, span_offsets
from .types import Finding, Note, NoteResult

__all__ = ["Scanner", "RiskScorer", "ScanStats", "identifier_findings", "DEFAULT_BATCH_SIZE"]

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 64
#: notes longer than this are scanned in segments cut at line breaks (consistency stays per segment)
DEFAULT_SEGMENT_CHARS = 50_000


class RiskScorer(Protocol):
    """What the scanner needs from a risk model: findings for a batch of processed docs."""

    def find(self, docs: Sequence[Doc], note_ids: Sequence[str]) -> list[list[Finding]]: ...


@dataclass
class ScanStats:
    notes: int = 0
    ok: int = 0
    errors: int = 0
    review: int = 0
    identifiers: int = 0
    risk: int = 0
    current_risk: int = 0
    chars: int = 0
    seconds: float = 0.0
    duplicate_ids: int = 0
    error_codes: dict[str, int] = field(default_factory=dict)

    def add(self, result: NoteResult) -> None:
        self.notes += 1
        if result.error is not None:
            self.errors += 1
            self.error_codes[result.error.code] = self.error_codes.get(result.error.code, 0) + 1
            return
        self.ok += 1
        self.chars += len(result.note.text or "")
        for f in result.findings:
            if f.kind == "identifier":
                self.identifiers += 1
            else:
                self.risk += 1
                self.current_risk += bool(f.current)
        if result.current_risk_labels:
            self.review += 1

    def count_id(self, note_id: str, index: int, seen: set[str]) -> bool:
        """Record ``note_id`` in ``seen``; count and log it if it was there already (kept, not merged)."""
        if note_id in seen:
            self.duplicate_ids += 1
            log.warning("duplicate note id at record %d (kept, not merged)", index + 1)
            return True
        seen.add(note_id)
        return False

    def merge(self, other: ScanStats) -> None:
        """Add another chunk's counts (``seconds`` is wall time and is not summed)."""
        for name, value in other.__dict__.items():
            if name == "error_codes":
                for code, n in value.items():
                    self.error_codes[code] = self.error_codes.get(code, 0) + n
            elif name != "seconds":
                setattr(self, name, getattr(self, name) + value)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScanStats:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def to_dict(self) -> dict[str, Any]:
        return {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.__dict__.items()}


def identifier_findings(doc: Doc, note_id: str, *, include_text: bool = False) -> list[Finding]:
    """Finding records for the merged identifiers of a processed doc."""
    out = []
    text = doc_text(doc)
    for span in doc.spans.get(IDENTIFIERS_KEY, ()):
        s, e = span_offsets(span)
        out.append(Finding(
            note_id=note_id, kind="identifier", label=span.label_, start=s, end=e,
            score=float(span._.score), source=span._.source or "unknown",
            evidence=tuple(span._.evidence or ()), text=text[s:e] if include_text else None,
        ))
    return out


class Scanner:
    """Scan notes with a built pipeline and an optional risk model.

    >>> scanner = Scanner(build_nlp(), risk_model=load_model())   # doctest: +SKIP
    >>> for result in scanner.scan(read_notes("notes.csv")): ...  # doctest: +SKIP
    """

    def __init__(
        self,
        nlp: Language,
        *,
        risk_model: RiskScorer | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_chars: int | None = None,
        include_text: bool = False,
        redactor: Any = None,
        segment_chars: int = DEFAULT_SEGMENT_CHARS,
        track_duplicates: bool = True,
    ) -> None:
        self.nlp = nlp
        self.risk_model = risk_model
        self.batch_size = batch_size
        self.max_chars = max_chars if max_chars is not None else nlp.max_length
        self.include_text = include_text
        self.redactor = redactor
        self.segment_chars = segment_chars
        #: count repeated note ids here; off when chunks are scanned apart and the caller counts them
        self.track_duplicates = track_duplicates
        self.stats = ScanStats()
        self._seen_ids: set[str] = set()

    def scan(self, notes: Iterable[Note]) -> Iterator[NoteResult]:
        """Yield one NoteResult per input note, in input order."""
        start = time.perf_counter()
        chunk: list[Note] = []
        for note in notes:
            chunk.append(note)
            if len(chunk) >= self.batch_size:
                yield from self._finish(self._scan_chunk(chunk))
                chunk = []
        if chunk:
            yield from self._finish(self._scan_chunk(chunk))
        self.stats.seconds += time.perf_counter() - start

    def _finish(self, results: list[NoteResult]) -> Iterator[NoteResult]:
        for r in results:
            nid = r.note.note_id
            if self.track_duplicates:
                self.stats.count_id(nid, r.note.index, self._seen_ids)
            self.stats.add(r)
            if r.error is not None:
                log.info("record %d (%s) failed: %s", r.note.index + 1, nid, r.error)
            yield r

    def _precheck(self, note: Note) -> RiskflagError | None:
        if note.error is not None:
            return note.error
        if not isinstance(note.text, str):
            return RecordError(f"record {note.index + 1} has no text", code="E203")
        if not note.text.strip():
            return RecordError(f"record {note.index + 1} is empty", code="E205")
        if len(note.text) > self.max_chars:
            return RecordError(
                f"record {note.index + 1} has {len(note.text):,} characters, over the limit of "
                f"{self.max_chars:,} (--max-chars)", code="E206")
        return None

    def _scan_chunk(self, chunk: list[Note]) -> list[NoteResult]:
        errors: dict[int, RiskflagError] = {}
        todo: list[int] = []
        for i, note in enumerate(chunk):
            err = self._precheck(note)
            if err is not None:
                errors[i] = err
            else:
                todo.append(i)
        # long notes are scanned in segments cut at line breaks (bounded time and memory per doc)
        units: list[tuple[int, int, str]] = [
            (i, off, piece) for i in todo for off, piece in segment_text(chunk[i].text, self.segment_chars)
        ]
        docs: dict[int, Doc] = {}
        if units:
            try:
                for u, doc in enumerate(self.nlp.pipe((t for _, _, t in units), batch_size=self.batch_size)):
                    docs[u] = doc
            except Exception:  # one note broke the batch: redo one by one to isolate it
                docs = {}
                for u, (i, _, text) in enumerate(units):
                    if i in errors:
                        continue
                    try:
                        docs[u] = self.nlp(text)
                    except Exception as exc:  # noqa: BLE001 - isolate any failure to its note
                        errors[i] = _as_record_error(exc, chunk[i])
        findings: dict[int, list[Finding]] = {i: [] for i in todo}
        for u, doc in docs.items():
            i, off, _ = units[u]
            findings[i].extend(_shift(f, off) for f in identifier_findings(doc, chunk[i].note_id, include_text=self.include_text))
        if self.risk_model is not None and docs:
            order = [u for u in sorted(docs) if units[u][0] not in errors]
            try:
                risk = self.risk_model.find([docs[u] for u in order], [chunk[units[u][0]].note_id for u in order])
            except Exception:
                risk = []
                for u in order:
                    i = units[u][0]
                    try:
                        risk.append(self.risk_model.find([docs[u]], [chunk[i].note_id])[0])
                    except Exception as exc:  # noqa: BLE001
                        errors[i] = _as_record_error(exc, chunk[i])
                        risk.append([])
            for u, fs in zip(order, risk, strict=True):
                i, off, _ = units[u]
                findings[i].extend(_shift(f, off) for f in fs)
        results: list[NoteResult] = []
        for i, note in enumerate(chunk):
            if i in errors:
                results.append(NoteResult(note, (), errors[i]))
                continue
            fs = findings[i]
            fs.sort(key=lambda f: (f.start, f.end, f.kind, f.label))
            redacted = self.redactor(note.text, fs) if self.redactor is not None else None
            results.append(NoteResult(note, tuple(fs), None, redacted))
        return results


def segment_text(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Split ``text`` into (offset, piece) segments of at most ``max_chars``, cut after a line
    break (else after whitespace, else hard) so sentences are rarely split."""
    if len(text) <= max_chars:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(start + max_chars, n)
        if end < n:
            cut = text.rfind("\n", start + max_chars // 2, end)
            if cut < 0:
                cut = max(text.rfind(" ", start + max_chars // 2, end), -1)
            if cut >= 0:
                end = cut + 1
        out.append((start, text[start:end]))
        start = end
    return out


def _shift(f: Finding, off: int) -> Finding:
    if off == 0:
        return f
    ev = tuple(replace(e, start=e.start + off, end=e.end + off) if e.start is not None and e.end is not None else e
               for e in f.evidence)
    return replace(f, start=f.start + off, end=f.end + off, evidence=ev)


def _as_record_error(exc: Exception, note: Note) -> RiskflagError:
    if isinstance(exc, RiskflagError):
        return exc
    # exception messages may quote note text: keep only the type
    log.debug("record %d failed with %s", note.index + 1, type(exc).__name__)
    return RecordError(f"record {note.index + 1} could not be processed ({type(exc).__name__})", code="E207")
