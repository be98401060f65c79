"""The output contract (see README "Output contract"): ``findings``, ``notes`` and ``redacted``
tables in an output folder, as JSONL or Parquet, written while scanning (streamed)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .io import open_writer
from .types import NoteResult

__all__ = ["OutputSet", "FINDINGS", "NOTES", "REDACTED", "SUMMARY", "table_schema"]

FINDINGS = "findings"
NOTES = "notes"
REDACTED = "redacted"
SUMMARY = "summary.json"


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    return {
        FINDINGS: pa.schema([
            ("note_id", pa.string()), ("kind", pa.string()), ("label", pa.string()),
            ("start", pa.int64()), ("end", pa.int64()), ("score", pa.float64()), ("source", pa.string()),
            ("current", pa.bool_()), ("context", pa.list_(pa.string())), ("evidence", pa.string()),
            ("text", pa.string()),
        ]),
        NOTES: pa.schema([
            ("note_id", pa.string()), ("index", pa.int64()), ("source", pa.string()), ("status", pa.string()),
            ("error", pa.string()), ("chars", pa.int64()), ("n_identifiers", pa.int64()), ("n_risk", pa.int64()),
            ("n_current_risk", pa.int64()), ("identifier_counts", pa.string()), ("risk_labels", pa.list_(pa.string())),
            ("review", pa.bool_()),
        ]),
        REDACTED: pa.schema([("note_id", pa.string()), ("status", pa.string()), ("text", pa.string())]),
    }


def table_schema(table: str) -> Any:
    """The pyarrow schema of one output table (``findings``, ``notes`` or ``redacted``)."""
    return _schemas()[table]


class OutputSet:
    """Open writers for one scan's output folder; ``write(result)`` appends one note's records."""

    def __init__(self, out_dir: str | os.PathLike[str], *, output_format: str = "jsonl",
                 include_text: bool = False, redacted: bool = False, findings: bool = True) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.include_text = include_text
        self.output_format = output_format
        schemas = _schemas() if output_format == "parquet" else {}
        self.notes = open_writer(self.out_dir / NOTES, output_format, json_columns=("error", "identifier_counts"),
                                 schema=schemas.get(NOTES))
        self.findings = open_writer(self.out_dir / FINDINGS, output_format, json_columns=("evidence",),
                                    schema=schemas.get(FINDINGS)) if findings else None
        self.redacted = open_writer(self.out_dir / REDACTED, output_format, schema=schemas.get(REDACTED)) if redacted else None

    def write(self, result: NoteResult) -> None:
        self.notes.write(result.to_dict())
        if self.findings is not None:
            for f in result.findings:
                self.findings.write(f.to_dict(include_text=self.include_text))
        if self.redacted is not None:
            self.redacted.write({"note_id": result.note.note_id, "status": result.status, "text": result.redacted})

    def close(self, summary: dict[str, Any] | None = None) -> None:
        self.notes.close()
        if self.findings is not None:
            self.findings.close()
        if self.redacted is not None:
            self.redacted.close()
        if summary is not None:
            tmp = self.out_dir / (SUMMARY + ".part")
            tmp.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            os.replace(tmp, self.out_dir / SUMMARY)

    def paths(self) -> list[Path]:
        ws = [self.notes, self.findings, self.redacted]
        return [w.path for w in ws if w is not None]
