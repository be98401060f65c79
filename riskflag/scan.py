"""High-level scanning: files → output folder (``scan_files``) and pandas → DataFrames (``scan``)."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .chunks import DEFAULT_CHUNK_SIZE, ChunkStore, iter_chunks, run_fingerprint
from .engine import DEFAULT_BATCH_SIZE, Scanner, ScanStats
from .errors import ConfigError
from .io import read_notes
from .parallel import open_engine
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
    track_duplicates: bool = True,
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
                   include_text=include_text, redactor=redactor, track_duplicates=track_duplicates)


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
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    **scanner_options: Any,
) -> ScanStats:
    """Scan files into ``out_dir`` (findings, notes, optional redacted copy, summary.json).

    Notes are scanned in chunks of ``chunk_size`` records, each written atomically, so an
    interrupted scan continues with ``resume=True``; ``workers`` > 1 scans chunks in that many
    processes, ``engine="dask"`` on a Dask cluster (``scheduler`` address, or a local one).
    """
    started = time.perf_counter()
    if resume and any(str(p) == "-" for p in inputs):
        raise ConfigError("a scan of standard input cannot be resumed (--resume needs files)", code="E521")
    options = {**scanner_options, "include_text": include_text, "redact": redact}
    fingerprint = run_fingerprint(inputs, {
        **{k: v for k, v in options.items() if k != "batch_size"},
        "input_format": input_format, "id_col": id_col, "text_col": text_col, "output_format": output_format,
        "chunk_size": chunk_size, "riskflag": __version__,
    })
    notes = read_notes(inputs, input_format=input_format, id_col=id_col, text_col=text_col)
    first = next(notes, None)  # read the first record now so column errors come before any output
    runner = open_engine(options, engine=engine, workers=workers, scheduler=scheduler)
    try:
        store = ChunkStore(out_dir, output_format=output_format, include_text=include_text, redacted=redact)
        done = store.open(fingerprint, resume=resume)
        stats = ScanStats()
        for info in done.values():
            stats.merge(ScanStats.from_dict(info["stats"]))
        seen = set(store.completed_note_ids())
        bar = _progress(progress, initial=stats.notes)
        try:
            for chunk in runner.map(iter_chunks(_chain(first, notes), chunk_size, skip=done)):
                for row in chunk.notes:
                    chunk.stats.count_id(row["note_id"], row["index"], seen)
                store.write(chunk)
                stats.merge(chunk.stats)
                if bar is not None:
                    bar.update(len(chunk.notes))
                    bar.set_postfix(review=stats.review, errors=stats.errors, refresh=False)
        finally:
            if bar is not None:
                bar.close()
    finally:
        runner.close()
    stats.seconds = time.perf_counter() - started
    meta = next((info for info in store.completed.values() if info.get("pipeline")), {})
    store.finalize(_summary(stats, inputs, meta, engine=engine, workers=runner.workers,
                            resumed=sum(info["records"] for info in done.values())))
    return stats


def _chain(first: Note | None, rest: Iterator[Note]) -> Iterator[Note]:
    if first is not None:
        yield first
        yield from rest


def _progress(enabled: bool | None, initial: int = 0) -> Any:
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" notes", file=sys.stderr, dynamic_ncols=True, desc="riskflag", initial=initial)


def _summary(stats: ScanStats, inputs: Sequence[Any], meta: dict[str, Any], *, engine: str, workers: int,
             resumed: int) -> dict[str, Any]:
    import sklearn
    import spacy

    from .rules import rules_version

    return {
        "stats": stats.to_dict(),
        "inputs": [Path(str(p)).name for p in inputs],
        "versions": {"riskflag": __version__, "spacy": spacy.__version__, "scikit-learn": sklearn.__version__,
                     "rules": rules_version()},
        "pipeline": meta.get("pipeline", []),
        "model": meta.get("model"),
        "engine": {"name": engine, "workers": workers},
        "resumed_records": resumed,
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
