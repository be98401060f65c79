"""High-level scanning: files → output folder (``scan_files``) and pandas → DataFrames (``scan``)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .engine import DEFAULT_BATCH_SIZE, Scanner, ScanStats
from .io import read_notes
from .outputs import OutputSet
from .pipeline import build_nlp
from .types import Note, NoteResult

__all__ = ["scan_files", "scan", "make_scanner", "iter_results"]

log = logging.getLogger(__name__)


def make_scanner(
    *,
    identifiers: bool = True,
    risk: bool = True,
    identifier_threshold: float | None = None,
    model: str | os.PathLike[str] | Any | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_chars: int = 5_000_000,
    include_text: bool = False,
    redact: bool = False,
    surrogates: bool = False,
) -> Scanner:
    """Build the pipeline, load the risk model and return a ready Scanner."""
    nlp = build_nlp(identifiers=identifiers or redact, risk=risk, identifier_threshold=identifier_threshold,
                    max_length=max_chars)
    risk_model = _load_risk_model(model) if risk else None
    redactor = None
    if redact:
        from .redact import make_redactor

        redactor = make_redactor(surrogates=surrogates)
    return Scanner(nlp, risk_model=risk_model, batch_size=batch_size, max_chars=max_chars,
                   include_text=include_text, redactor=redactor)


def _load_risk_model(model: Any) -> Any:
    if model is not None and not isinstance(model, (str, os.PathLike)):
        return model  # an already loaded model object
    try:
        from .model import load_model
    except ImportError:
        log.warning("risk model support is not available; scanning identifiers only")
        return None
    return load_model(model)


def scan_files(
    inputs: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    input_format: str | None = None,
    id_col: str | None = None,
    text_col: str | None = None,
    output_format: str = "jsonl",
    include_text: bool = False,
    redact: bool = False,
    progress: bool | None = None,
    **scanner_options: Any,
) -> ScanStats:
    """Scan files into ``out_dir`` (findings, notes, optional redacted copy, summary.json)."""
    notes = read_notes(inputs, input_format=input_format, id_col=id_col, text_col=text_col)
    first = next(notes, None)  # read the first record now so column errors come before any output
    scanner = make_scanner(include_text=include_text, redact=redact, **scanner_options)
    outputs = OutputSet(out_dir, output_format=output_format, include_text=include_text, redacted=redact)
    stream: Iterable[Note] = _chain(first, notes)
    bar = _progress(progress)
    try:
        for result in scanner.scan(stream):
            outputs.write(result)
            if bar is not None:
                bar.update(1)
                if scanner.stats.notes % 256 == 0:
                    bar.set_postfix(review=scanner.stats.review, errors=scanner.stats.errors, refresh=False)
    finally:
        if bar is not None:
            bar.close()
    outputs.close(summary=_summary(scanner, inputs))
    return scanner.stats


def _chain(first: Note | None, rest: Iterator[Note]) -> Iterator[Note]:
    if first is not None:
        yield first
        yield from rest


def _progress(enabled: bool | None) -> Any:
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" notes", file=sys.stderr, dynamic_ncols=True, desc="riskflag")


def _summary(scanner: Scanner, inputs: Sequence[Any]) -> dict[str, Any]:
    import sklearn
    import spacy

    from ._version import __version__
    from .rules import rules_version

    model = scanner.risk_model
    return {
        "stats": scanner.stats.to_dict(),
        "inputs": [Path(str(p)).name for p in inputs],
        "versions": {"riskflag": __version__, "spacy": spacy.__version__, "scikit-learn": sklearn.__version__,
                     "rules": rules_version()},
        "pipeline": list(scanner.nlp.pipe_names),
        "model": getattr(model, "manifest", None),
    }


def iter_results(texts: Iterable[str], ids: Iterable[Any] | None = None, *, scanner: Scanner | None = None,
                 **scanner_options: Any) -> Iterator[NoteResult]:
    """Scan an iterable of texts (and ids) and yield NoteResults in order."""
    scanner = scanner or make_scanner(**scanner_options)
    ids_iter = iter(ids) if ids is not None else None

    def notes() -> Iterator[Note]:
        from .io import _make_note

        for i, text in enumerate(texts):
            rid = next(ids_iter) if ids_iter is not None else i
            note = _make_note(rid, text, "<memory>", i + 1)
            yield Note(note.note_id, note.text, i, note.source, note.meta, note.error)

    yield from scanner.scan(notes())


def scan(data: Any, *, text_col: str = "text", id_col: str | None = None, scanner: Scanner | None = None,
         **scanner_options: Any) -> tuple[Any, Any]:
    """Scan a pandas DataFrame, Series or list of strings.

    Returns ``(notes, findings)`` as DataFrames with the columns of ``notes.jsonl`` and
    ``findings.jsonl``. Findings include the matched text only with ``include_text=True``.
    """
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        if text_col not in data.columns:
            from .errors import InputError

            raise InputError(f"text column '{text_col}' not found; available columns: {', '.join(map(str, data.columns))}",
                             code="E103")
        texts = data[text_col].tolist()
        ids = data[id_col].tolist() if id_col else data.index.tolist()
    elif isinstance(data, pd.Series):
        texts, ids = data.tolist(), data.index.tolist()
    else:
        texts = list(data)
        ids = list(range(len(texts)))
    include_text = bool(scanner_options.get("include_text", False))
    note_rows, finding_rows = [], []
    for r in iter_results(texts, ids, scanner=scanner, **scanner_options):
        note_rows.append(r.to_dict())
        finding_rows.extend(f.to_dict(include_text=include_text) for f in r.findings)
    cols = ["note_id", "kind", "label", "start", "end", "score", "source", "current", "context", "evidence"]
    if include_text:
        cols.append("text")
    return pd.DataFrame(note_rows), pd.DataFrame(finding_rows, columns=cols)
