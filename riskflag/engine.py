"""Scanner: streams notes through one spaCy pass each (``nlp.pipe`` in batches), turns the doc's
span groups into Finding records, and isolates failures so one bad note never stops a batch."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from spacy.language import Language
from spacy.tokens import Doc

from .errors import RecordError, RiskflagError
from .pipeline.extensions import IDENTIFIERS_KEY, span_offsets
from .types import Finding, Note, NoteResult

__all__ = ["Scanner", "RiskScorer", "ScanStats", "identifier_findings", "DEFAULT_BATCH_SIZE"]

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 64


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

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def identifier_findings(doc: Doc, note_id: str, *, include_text: bool = False) -> list[Finding]:
    """Finding records for the merged identifiers of a processed doc."""
    out = []
    text = doc.text
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
    ) -> None:
        self.nlp = nlp
        self.risk_model = risk_model
        self.batch_size = batch_size
        self.max_chars = max_chars if max_chars is not None else nlp.max_length
        self.include_text = include_text
        self.redactor = redactor
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
            if nid in self._seen_ids:
                self.stats.duplicate_ids += 1
                log.warning("duplicate note id at record %d (kept, not merged)", r.note.index + 1)
            else:
                self._seen_ids.add(nid)
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
        docs: dict[int, Doc] = {}
        if todo:
            try:
                for i, doc in zip(todo, self.nlp.pipe((chunk[i].text for i in todo), batch_size=self.batch_size), strict=True):
                    docs[i] = doc
            except Exception:  # one note broke the batch: redo one by one to isolate it
                docs = {}
                for i in todo:
                    try:
                        docs[i] = self.nlp(chunk[i].text)
                    except Exception as exc:  # noqa: BLE001 - isolate any failure to its note
                        errors[i] = _as_record_error(exc, chunk[i])
        findings: dict[int, list[Finding]] = {
            i: identifier_findings(doc, chunk[i].note_id, include_text=self.include_text) for i, doc in docs.items()
        }
        if self.risk_model is not None and docs:
            order = sorted(docs)
            try:
                risk = self.risk_model.find([docs[i] for i in order], [chunk[i].note_id for i in order])
                for i, fs in zip(order, risk, strict=True):
                    findings[i].extend(fs)
            except Exception:
                for i in order:
                    try:
                        findings[i].extend(self.risk_model.find([docs[i]], [chunk[i].note_id])[0])
                    except Exception as exc:  # noqa: BLE001
                        errors[i] = _as_record_error(exc, chunk[i])
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


def _as_record_error(exc: Exception, note: Note) -> RiskflagError:
    if isinstance(exc, RiskflagError):
        return exc
    # exception messages may quote note text: keep only the type
    log.debug("record %d failed with %s", note.index + 1, type(exc).__name__)
    return RecordError(f"record {note.index + 1} could not be processed ({type(exc).__name__})", code="E207")
