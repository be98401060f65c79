"""Chunked, atomic, resumable output: a scan writes its tables in chunks of input records.

Each chunk of ``chunk_size`` consecutive input records is written to its own folder under
``OUT/.riskflag-parts/`` and becomes visible by one atomic rename (``00000012.tmp`` → ``00000012``),
so a killed scan leaves only whole chunks behind. ``--resume`` keeps those chunks, skips their
records and scans the rest; at the end the chunks are concatenated, in input order, into the
final ``notes``/``findings``/``redacted`` tables (each written as ``.part`` and renamed) and the
parts folder is removed. ``run.json`` holds a fingerprint of the inputs and of every option that
changes the output, so a scan is never resumed with different inputs or settings.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .engine import Scanner, ScanStats
from .errors import ConfigError
from .outputs import FINDINGS, NOTES, REDACTED, SUMMARY, OutputSet
from .types import Note

__all__ = ["ChunkOutput", "ChunkStore", "scan_chunk", "iter_chunks", "run_fingerprint", "PARTS_DIR",
           "DEFAULT_CHUNK_SIZE"]

log = logging.getLogger(__name__)

PARTS_DIR = ".riskflag-parts"
RUN_FILE = "run.json"
CHUNK_FILE = "chunk.json"
DEFAULT_CHUNK_SIZE = 500


@dataclass
class ChunkOutput:
    """The output rows of one chunk of input records (what a worker sends back)."""

    index: int
    first_record: int
    notes: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    redacted: list[dict[str, Any]] | None
    stats: ScanStats
    pipeline: list[str] = field(default_factory=list)
    model: dict[str, Any] | None = None

    @property
    def note_ids(self) -> list[str]:
        return [r["note_id"] for r in self.notes]


def iter_chunks(notes: Iterable[Note], chunk_size: int, *, skip: Iterable[int] = ()) -> Iterator[tuple[int, list[Note]]]:
    """Group notes into ``(chunk index, notes)``; chunks whose index is in ``skip`` are read and dropped."""
    if chunk_size < 1:
        raise ConfigError(f"chunk size must be at least 1, not {chunk_size}", code="E520")
    skip = set(skip)
    chunk: list[Note] = []
    index = 0
    for note in notes:
        chunk.append(note)
        if len(chunk) == chunk_size:
            if index not in skip:
                yield index, chunk
            chunk, index = [], index + 1
    if chunk and index not in skip:
        yield index, chunk


def scan_chunk(scanner: Scanner, index: int, notes: list[Note], *, include_text: bool = False) -> ChunkOutput:
    """Scan one chunk and return its output rows and statistics (no note text unless asked for)."""
    stats = ScanStats()
    note_rows: list[dict[str, Any]] = []
    finding_rows: list[dict[str, Any]] = []
    redacted: list[dict[str, Any]] | None = [] if scanner.redactor is not None else None
    for result in scanner.scan(notes):
        stats.add(result)
        note_rows.append(result.to_dict())
        finding_rows.extend(f.to_dict(include_text=include_text) for f in result.findings)
        if redacted is not None:
            redacted.append({"note_id": result.note.note_id, "status": result.status, "text": result.redacted})
    stats.seconds = 0.0
    model = getattr(scanner.risk_model, "manifest", None)
    return ChunkOutput(index, notes[0].index if notes else 0, note_rows, finding_rows, redacted, stats,
                       list(scanner.nlp.pipe_names), model)


def run_fingerprint(inputs: Iterable[str | os.PathLike[str]], options: dict[str, Any]) -> dict[str, Any]:
    """What must match for a resume: each input's path, size and modification time, and the options."""
    files = []
    for p in inputs:
        path = Path(p)
        if str(p) == "-" or not path.exists():  # stdin, or missing (the reader reports it)
            files.append({"path": str(p)})
            continue
        st = path.stat()
        entry: dict[str, Any] = {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        if path.is_dir():  # a folder of .txt files: its file list and their sizes
            entry["files"] = sorted((str(f.relative_to(path)), f.stat().st_size) for f in path.rglob("*.txt"))
        files.append(entry)
    return {"inputs": files, "options": {k: (str(v) if isinstance(v, os.PathLike) else v) for k, v in sorted(options.items())}}


class ChunkStore:
    """The parts folder of one scan output folder."""

    def __init__(self, out_dir: str | os.PathLike[str], *, output_format: str = "jsonl",
                 include_text: bool = False, redacted: bool = False) -> None:
        self.out_dir = Path(out_dir)
        self.parts = self.out_dir / PARTS_DIR
        self.output_format = output_format
        self.include_text = include_text
        self.redacted = redacted
        self.completed: dict[int, dict[str, Any]] = {}

    # ------------------------------------------------------------------ start / resume
    def open(self, fingerprint: dict[str, Any], *, resume: bool) -> dict[int, dict[str, Any]]:
        """Prepare the parts folder; with ``resume``, return the chunks already written."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        run_file = self.parts / RUN_FILE
        if resume and run_file.exists():
            previous = json.loads(run_file.read_text(encoding="utf-8"))
            if previous != _jsonable(fingerprint):
                raise ConfigError(
                    f"cannot resume into {self.out_dir}: the inputs or options differ from the interrupted scan "
                    f"({', '.join(_differences(previous, _jsonable(fingerprint)))}); run without --resume to start over",
                    code="E522")
            for d in self.parts.iterdir():
                if d.is_dir() and d.name.endswith(".tmp"):
                    shutil.rmtree(d)  # a chunk that was being written when the scan stopped
                elif d.is_dir() and (d / CHUNK_FILE).exists():
                    info = json.loads((d / CHUNK_FILE).read_text(encoding="utf-8"))
                    self.completed[int(info["index"])] = info
            log.info("resuming: %d chunk(s) already written", len(self.completed))
            return dict(self.completed)
        if resume:
            log.warning("nothing to resume in %s: starting a new scan", self.out_dir)
        if self.parts.exists():
            shutil.rmtree(self.parts)
        self.parts.mkdir()
        tmp = run_file.with_name(RUN_FILE + ".part")
        tmp.write_text(json.dumps(_jsonable(fingerprint), indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, run_file)
        return {}

    def completed_note_ids(self) -> Iterator[str]:
        """Note ids of the chunks already written (to keep counting duplicate ids across a resume)."""
        for index in sorted(self.completed):
            yield from self._read_column(self.parts / _chunk_name(index), NOTES, "note_id")

    # ------------------------------------------------------------------ write
    def write(self, chunk: ChunkOutput) -> None:
        """Write one chunk's tables and make them visible with one rename."""
        final = self.parts / _chunk_name(chunk.index)
        tmp = self.parts / (_chunk_name(chunk.index) + ".tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        out = OutputSet(tmp, output_format=self.output_format, include_text=self.include_text,
                        redacted=self.redacted)
        try:
            out.notes.write_many(chunk.notes)
            assert out.findings is not None
            out.findings.write_many(chunk.findings)
            if out.redacted is not None:
                out.redacted.write_many(chunk.redacted or ())
        finally:
            out.close()
        info = {"index": chunk.index, "first_record": chunk.first_record, "records": len(chunk.notes),
                "stats": chunk.stats.to_dict(), "pipeline": chunk.pipeline, "model": chunk.model}
        (tmp / CHUNK_FILE).write_text(json.dumps(info, sort_keys=True), encoding="utf-8")
        os.replace(tmp, final)
        self.completed[chunk.index] = info

    # ------------------------------------------------------------------ finish
    def finalize(self, summary: dict[str, Any]) -> list[Path]:
        """Concatenate the chunks in input order into the final tables, write summary.json, remove the parts."""
        order = [self.parts / _chunk_name(i) for i in sorted(self.completed)]
        tables = [NOTES, FINDINGS] + ([REDACTED] if self.redacted else [])
        written = [self._concat(table, order) for table in tables]
        tmp = self.out_dir / (SUMMARY + ".part")
        tmp.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self.out_dir / SUMMARY)
        shutil.rmtree(self.parts)
        return written

    def _ext(self) -> str:
        return ".jsonl" if self.output_format == "jsonl" else ".parquet"

    def _concat(self, table: str, chunk_dirs: list[Path]) -> Path:
        final = self.out_dir / (table + self._ext())
        tmp = final.with_name(final.name + ".part")
        if self.output_format == "jsonl":
            with open(tmp, "wb") as out:
                for d in chunk_dirs:
                    with open(d / final.name, "rb") as f:
                        shutil.copyfileobj(f, out, 1 << 20)
        else:
            import pyarrow.parquet as pq

            from .outputs import table_schema

            with pq.ParquetWriter(tmp, table_schema(table)) as writer:
                for d in chunk_dirs:
                    for batch in pq.ParquetFile(d / final.name).iter_batches(batch_size=10_000):
                        writer.write_batch(batch)
                if not chunk_dirs:
                    writer.write_table(table_schema(table).empty_table())
        os.replace(tmp, final)
        return final

    def _read_column(self, chunk_dir: Path, table: str, column: str) -> Iterator[str]:
        path = chunk_dir / (table + self._ext())
        if self.output_format == "jsonl":
            with open(path, encoding="utf-8") as f:
                for line in f:
                    yield json.loads(line)[column]
        else:
            import pyarrow.parquet as pq

            yield from pq.read_table(path, columns=[column]).column(column).to_pylist()


def _chunk_name(index: int) -> str:
    return f"{index:08d}"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    diffs = []
    if old.get("inputs") != new.get("inputs"):
        diffs.append("inputs changed")
    old_opts, new_opts = old.get("options", {}), new.get("options", {})
    diffs += [f"option {k}" for k in sorted(set(old_opts) | set(new_opts)) if old_opts.get(k) != new_opts.get(k)]
    return diffs or ["run settings"]
