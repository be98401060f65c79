"""Streaming readers (CSV, TSV, JSONL, Parquet, folder of .txt, stdin) and writers (JSONL, Parquet).

Readers yield one :class:`~riskflag.types.Note` per input record, in input order, and never raise
for a bad record: the record comes out as a Note with ``error`` set, so the batch can report it.
Errors that make the whole input unusable (missing file, missing text column) raise InputError.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .errors import InputError, RecordError
from .types import Note

__all__ = [
    "read_notes",
    "detect_format",
    "ID_COLUMNS",
    "TEXT_COLUMNS",
    "JsonlWriter",
    "ParquetTableWriter",
    "open_writer",
]

log = logging.getLogger(__name__)

ID_COLUMNS = ("id", "note_id", "noteid", "doc_id", "document_id", "row_id", "record_id", "encounter_id", "name", "filename")
TEXT_COLUMNS = ("text", "note_text", "note", "notetext", "body", "content", "document", "report_text", "transcription")
FORMATS = ("csv", "tsv", "jsonl", "parquet", "txt", "dir")
_EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet", ".txt": "txt", ".text": "txt",
}
PARQUET_BATCH_ROWS = 1024


def detect_format(path: str | os.PathLike[str]) -> str:
    """Guess the input format from a path: a folder, or the file extension."""
    p = Path(path)
    if str(path) == "-":
        return "jsonl"
    if p.is_dir():
        return "dir"
    fmt = _EXTENSIONS.get(p.suffix.lower())
    if fmt is None:
        raise InputError(
            f"cannot tell the format of '{p.name}' from its extension; use --input-format "
            f"({', '.join(FORMATS)})",
            code="E101",
        )
    return fmt


def read_notes(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    input_format: str | None = None,
    id_col: str | None = None,
    text_col: str | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Note]:
    """Stream notes from one or more inputs; ``"-"`` reads standard input (JSONL unless
    ``input_format`` says ``txt``). Record indexes run across all inputs, in order."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if input_format is not None and input_format not in FORMATS:
        raise InputError(f"unknown input format '{input_format}'; choose one of {', '.join(FORMATS)}", code="E101")
    for p in paths:
        if str(p) != "-" and not Path(p).exists():
            raise InputError(f"input not found: {p}", code="E102")
    index = 0
    for p in paths:
        fmt = input_format or detect_format(p)
        if str(p) != "-" and Path(p).is_dir():
            fmt = "dir"
        reader = _READERS[fmt]
        for note in reader(p, id_col=id_col, text_col=text_col, stdin=stdin):
            yield _with_index(note, index)
            index += 1


def _with_index(note: Note, index: int) -> Note:
    return Note(note.note_id, note.text, index, note.source, note.meta, note.error)


def _source_name(path: str | os.PathLike[str]) -> str:
    return "<stdin>" if str(path) == "-" else Path(path).name


def _open_binary(path: str | os.PathLike[str], stdin: IO[bytes] | None) -> IO[bytes]:
    if str(path) == "-":
        return stdin if stdin is not None else sys.stdin.buffer
    return open(path, "rb")  # noqa: SIM115 - closed by the caller


def _pick_column(columns: Sequence[str], wanted: str | None, candidates: Sequence[str], role: str, source: str) -> str | None:
    if wanted is not None:
        if wanted in columns:
            return wanted
        raise InputError(
            f"{role} column '{wanted}' not found in {source}; available columns: {', '.join(map(str, columns)) or '(none)'}",
            code="E103",
        )
    lower = {str(c).lower(): c for c in columns}
    for cand in candidates:
        if cand in lower:
            return lower[cand]
    return None


def _resolve_columns(columns: Sequence[str], id_col: str | None, text_col: str | None, source: str) -> tuple[str | None, str]:
    text = _pick_column(columns, text_col, TEXT_COLUMNS, "text", source)
    if text is None:
        raise InputError(
            f"no text column found in {source}; pass --text-col (available columns: "
            f"{', '.join(map(str, columns)) or '(none)'}; looked for {', '.join(TEXT_COLUMNS)})",
            code="E103",
        )
    ident = _pick_column(columns if id_col else [c for c in columns if c != text], id_col, ID_COLUMNS, "id", source)
    if ident is None:
        log.info("no id column in %s; using record numbers as note ids", source)
    return ident, text


def _make_note(raw_id: Any, raw_text: Any, source: str, record_no: int) -> Note:
    """Build a Note from raw cell values, turning bad values into a coded record error."""
    note_id = _clean_id(raw_id, source, record_no)
    if raw_text is None or (isinstance(raw_text, float) and math.isnan(raw_text)):
        return Note(note_id, None, source=source, error=RecordError(f"record {record_no} has no text (missing or null)", code="E203"))
    if not isinstance(raw_text, str):
        return Note(note_id, None, source=source, error=RecordError(
            f"record {record_no} text is {type(raw_text).__name__}, not a string", code="E204"))
    if _has_surrogates(raw_text):
        return Note(note_id, None, source=source, error=RecordError(f"record {record_no} is not valid UTF-8", code="E202"))
    return Note(note_id, raw_text, source=source)


def _clean_id(raw_id: Any, source: str, record_no: int) -> str:
    if raw_id is None or (isinstance(raw_id, float) and math.isnan(raw_id)) or raw_id == "":
        return f"{source}:{record_no}"
    if isinstance(raw_id, float) and raw_id.is_integer():
        raw_id = int(raw_id)
    text = str(raw_id)
    if _has_surrogates(text):
        return f"{source}:{record_no}"
    return text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _read_jsonl(path: str | os.PathLike[str], *, id_col: str | None, text_col: str | None, stdin: IO[bytes] | None) -> Iterator[Note]:
    source = _source_name(path)
    fh = _open_binary(path, stdin)
    try:
        record_no = 0
        for raw in fh:
            if not raw.strip():
                continue
            record_no += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                # Recover the id if the damage is confined to the text.
                obj = _loads_or_none(raw.decode("utf-8", errors="replace"))
                rid = obj.get(id_col or "id") if isinstance(obj, dict) else None
                yield Note(_clean_id(rid, source, record_no), None, source=source,
                           error=RecordError(f"record {record_no} is not valid UTF-8", code="E202"))
                continue
            obj = _loads_or_none(line)
            if not isinstance(obj, dict):
                yield Note(f"{source}:{record_no}", None, source=source,
                           error=RecordError(f"record {record_no} is not a JSON object (malformed line)", code="E201"))
                continue
            columns = list(obj)
            tcol = _pick_column(columns, None, TEXT_COLUMNS, "text", source) if text_col is None else text_col
            icol = id_col if id_col is not None else _pick_column([c for c in columns if c != tcol], None, ID_COLUMNS, "id", source)
            if tcol is None or tcol not in obj:
                if record_no == 1 and text_col is None and tcol is None:
                    _resolve_columns(columns, id_col, text_col, source)  # raises with the column list
                yield Note(_clean_id(obj.get(icol) if icol else None, source, record_no), None, source=source,
                           error=RecordError(f"record {record_no} has no '{tcol or 'text'}' field", code="E203"))
                continue
            meta = {k: v for k, v in obj.items() if k not in (tcol, icol) and isinstance(v, (str, int, float, bool))}
            note = _make_note(obj.get(icol) if icol else None, obj[tcol], source, record_no)
            yield Note(note.note_id, note.text, source=source, meta=meta, error=note.error)
    finally:
        if str(path) != "-":
            fh.close()


def _loads_or_none(line: str) -> Any:
    try:
        return json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return None


def _read_delimited(path: str | os.PathLike[str], *, id_col: str | None, text_col: str | None, stdin: IO[bytes] | None, delimiter: str) -> Iterator[Note]:
    source = _source_name(path)
    csv.field_size_limit(sys.maxsize)
    fh = _open_binary(path, stdin)
    text_fh = io.TextIOWrapper(fh, encoding="utf-8", errors="surrogateescape", newline="")
    try:
        reader = csv.reader(text_fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        icol, tcol = _resolve_columns(header, id_col, text_col, source)
        ti = header.index(tcol)
        ii = header.index(icol) if icol is not None else None
        record_no = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                record_no += 1
                yield Note(f"{source}:{record_no}", None, source=source,
                           error=RecordError(f"record {record_no} is malformed CSV", code="E201"))
                continue
            if not row:
                continue
            record_no += 1
            rid = row[ii] if ii is not None and ii < len(row) else None
            if len(row) != len(header):
                yield Note(_clean_id(rid, source, record_no), None, source=source, error=RecordError(
                    f"record {record_no} has {len(row)} fields, header has {len(header)}", code="E201"))
                continue
            yield _make_note(rid, row[ti], source, record_no)
    finally:
        text_fh.detach()
        if str(path) != "-":
            fh.close()


def _read_csv(path, **kw) -> Iterator[Note]:  # type: ignore[no-untyped-def]
    return _read_delimited(path, delimiter=",", **kw)


def _read_tsv(path, **kw) -> Iterator[Note]:  # type: ignore[no-untyped-def]
    return _read_delimited(path, delimiter="\t", **kw)


def _read_parquet(path: str | os.PathLike[str], *, id_col: str | None, text_col: str | None, stdin: IO[bytes] | None) -> Iterator[Note]:
    import pyarrow.parquet as pq

    source = _source_name(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise InputError(f"cannot read Parquet file {source}: {type(exc).__name__}", code="E104") from None
    icol, tcol = _resolve_columns(pf.schema_arrow.names, id_col, text_col, source)
    columns = [tcol] + ([icol] if icol else [])
    record_no = 0
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
        texts = batch.column(tcol).to_pylist()
        ids = batch.column(icol).to_pylist() if icol else [None] * len(texts)
        for rid, text in zip(ids, texts, strict=True):
            record_no += 1
            if isinstance(text, bytes):
                try:
                    text = text.decode("utf-8")
                except UnicodeDecodeError:
                    yield Note(_clean_id(rid, source, record_no), None, source=source,
                               error=RecordError(f"record {record_no} is not valid UTF-8", code="E202"))
                    continue
            yield _make_note(rid, text, source, record_no)


def _read_dir(path: str | os.PathLike[str], *, id_col: str | None, text_col: str | None, stdin: IO[bytes] | None) -> Iterator[Note]:
    root = Path(path)
    source = root.name or str(root)
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".text"))
    if not files:
        log.warning("no .txt files under %s", source)
    for record_no, f in enumerate(files, 1):
        yield _read_text_file(f, f.relative_to(root).as_posix(), source, record_no)


def _read_txt(path: str | os.PathLike[str], *, id_col: str | None, text_col: str | None, stdin: IO[bytes] | None) -> Iterator[Note]:
    if str(path) == "-":
        data = (stdin if stdin is not None else sys.stdin.buffer).read()
        yield _decode_note(data, "stdin", "<stdin>", 1)
        return
    p = Path(path)
    yield _read_text_file(p, p.name, p.parent.name or ".", 1)


def _read_text_file(f: Path, note_id: str, source: str, record_no: int) -> Note:
    try:
        data = f.read_bytes()
    except OSError as exc:
        return Note(note_id, None, source=source, error=RecordError(f"cannot read file ({exc.strerror})", code="E201"))
    return _decode_note(data, note_id, source, record_no)


def _decode_note(data: bytes, note_id: str, source: str, record_no: int) -> Note:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Note(note_id, None, source=source, error=RecordError(f"record {record_no} is not valid UTF-8", code="E202"))
    return Note(note_id, text, source=source)


_READERS = {
    "csv": _read_csv,
    "tsv": _read_tsv,
    "jsonl": _read_jsonl,
    "parquet": _read_parquet,
    "dir": _read_dir,
    "txt": _read_txt,
}


# ----------------------------------------------------------------------------- writers


class JsonlWriter:
    """Append dicts as JSON lines; written to ``path + '.part'`` and renamed on close."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._tmp = self.path.with_name(self.path.name + ".part")
        self._fh: IO[str] | None = open(self._tmp, "w", encoding="utf-8")  # noqa: SIM115

    def write(self, record: dict[str, Any]) -> None:
        assert self._fh is not None
        self._fh.write(json.dumps(record, ensure_ascii=False))
        self._fh.write("\n")

    def write_many(self, records: Iterable[dict[str, Any]]) -> None:
        for r in records:
            self.write(r)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            os.replace(self._tmp, self.path)

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ParquetTableWriter:
    """Buffer dicts and write them as Parquet row groups; nested values are stored as JSON strings."""

    def __init__(self, path: str | os.PathLike[str], *, json_columns: Sequence[str] = (), rows_per_group: int = 10_000,
                 schema: Any = None) -> None:
        self.path = Path(path)
        self._tmp = self.path.with_name(self.path.name + ".part")
        self.json_columns = set(json_columns)
        self.rows_per_group = rows_per_group
        self._rows: list[dict[str, Any]] = []
        self._writer: Any = None
        self._schema: Any = schema

    def write(self, record: dict[str, Any]) -> None:
        row = {k: (json.dumps(v, ensure_ascii=False) if k in self.json_columns and v is not None else v) for k, v in record.items()}
        self._rows.append(row)
        if len(self._rows) >= self.rows_per_group:
            self._flush()

    def write_many(self, records: Iterable[dict[str, Any]]) -> None:
        for r in records:
            self.write(r)

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._rows:
            return
        if self._schema is None:
            self._schema = _infer_schema(self._rows, self.json_columns)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._tmp, self._schema)
        table = pa.Table.from_pylist(self._rows, schema=self._schema)
        self._writer.write_table(table)
        self._rows = []

    def close(self) -> None:
        self._flush()
        if self._writer is None:  # nothing written: still leave a readable, empty file
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = self._schema if self._schema is not None else pa.schema([])
            pq.write_table(schema.empty_table(), self._tmp)
        else:
            self._writer.close()
        self._writer = None
        os.replace(self._tmp, self.path)

    def __enter__(self) -> ParquetTableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _infer_schema(rows: list[dict[str, Any]], json_columns: set[str]) -> Any:
    import pyarrow as pa

    fields: dict[str, Any] = {}
    for row in rows:
        for k, v in row.items():
            if k in fields and fields[k] != pa.null():
                continue
            if k in json_columns or isinstance(v, str):
                fields[k] = pa.string()
            elif isinstance(v, bool):
                fields[k] = pa.bool_()
            elif isinstance(v, int):
                fields[k] = pa.int64()
            elif isinstance(v, float):
                fields[k] = pa.float64()
            elif v is None:
                fields.setdefault(k, pa.null())
            elif isinstance(v, list) and all(isinstance(x, str) for x in v):
                fields[k] = pa.list_(pa.string())
            else:
                fields[k] = pa.string()
    # nulls in the first group default to string so later groups fit
    return pa.schema([(k, pa.string() if t == pa.null() else t) for k, t in fields.items()])


def open_writer(path: str | os.PathLike[str], output_format: str, *, json_columns: Sequence[str] = (),
                schema: Any = None) -> JsonlWriter | ParquetTableWriter:
    """Open ``path`` (without extension) as ``.jsonl`` or ``.parquet`` (with an optional pyarrow schema)."""
    p = Path(path)
    if output_format == "jsonl":
        return JsonlWriter(p.with_suffix(".jsonl"))
    if output_format == "parquet":
        return ParquetTableWriter(p.with_suffix(".parquet"), json_columns=json_columns, schema=schema)
    raise InputError(f"unknown output format '{output_format}'; choose jsonl or parquet", code="E105")
