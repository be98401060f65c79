"""Scan a ``dask.dataframe`` of notes: the scanner mapped over its partitions.

    >>> import dask.dataframe as dd
    >>> ddf = dd.read_parquet("notes/*.parquet")                      # doctest: +SKIP
    >>> notes, findings = scan_dask(ddf, text_col="note_text", id_col="note_id")   # doctest: +SKIP
    >>> findings[findings.kind == "risk"].compute()                   # doctest: +SKIP

Each worker process builds the pipeline and loads the model once (on its first partition) and
keeps them for the next partitions. ``notes`` and ``findings`` are lazy Dask DataFrames with the
columns of ``notes.jsonl`` and ``findings.jsonl`` (nested values as JSON strings, as in the Parquet output); compute them together (``dask.compute(notes,
findings)``) so each partition is scanned once. Needs ``pip install 'riskflag[dask]'``.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .errors import ConfigError

__all__ = ["scan_dask"]

#: nested values are JSON strings, as in the Parquet output (see riskflag.outputs)
JSON_COLUMNS = {"notes": ("error", "identifier_counts"), "findings": ("evidence",)}


def _frame(rows: list[dict[str, Any]], table: str, *, include_text: bool = True) -> pd.DataFrame:
    """Rows as a DataFrame with the Parquet output schema (pyarrow-backed columns)."""
    import pyarrow as pa

    from .outputs import table_schema

    schema = table_schema(table)
    if not include_text and table == "findings":
        schema = schema.remove(schema.get_field_index("text"))
    encoded = [{k: (json.dumps(v, ensure_ascii=False) if k in JSON_COLUMNS[table] and v is not None else v)
                for k, v in row.items()} for row in rows]
    return pa.Table.from_pylist(encoded, schema=schema).to_pandas(types_mapper=pd.ArrowDtype)


def _scan_partition(pdf: pd.DataFrame, text_col: str, id_col: str | None, options: dict[str, Any],
                    include_text: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    from .parallel import worker_scanner
    from .scan import iter_results

    ids = pdf[id_col].tolist() if id_col else pdf.index.tolist()
    notes, findings = [], []
    for r in iter_results(pdf[text_col].tolist(), ids, scanner=worker_scanner(options)):
        notes.append(r.to_dict())
        findings.extend(f.to_dict(include_text=include_text) for f in r.findings)
    return _frame(notes, "notes"), _frame(findings, "findings", include_text=include_text)


def scan_dask(ddf: Any, *, text_col: str = "text", id_col: str | None = None, include_text: bool = False,
              **scanner_options: Any) -> tuple[Any, Any]:
    """Map the scanner over a Dask DataFrame's partitions; return lazy ``(notes, findings)`` frames.

    ``scanner_options`` are those of :func:`riskflag.make_scanner` (``risk``, ``identifiers``,
    ``model`` as a folder path, ``identifier_threshold``, ...). Without ``id_col`` the note id is
    the partition's index value. ``index`` in ``notes`` counts records within a partition.
    """
    try:
        import dask
        import dask.dataframe as dd
    except ImportError:
        raise ConfigError("scan_dask needs dask: pip install 'riskflag[dask]'", code="E524") from None
    if text_col not in ddf.columns:
        raise ConfigError(f"text column '{text_col}' not found; available columns: {', '.join(map(str, ddf.columns))}",
                          code="E103")
    if id_col is not None and id_col not in ddf.columns:
        raise ConfigError(f"id column '{id_col}' not found; available columns: {', '.join(map(str, ddf.columns))}",
                          code="E103")
    options = {**scanner_options, "include_text": include_text}
    parts = [dask.delayed(_scan_partition, pure=True)(p, text_col, id_col, options, include_text)
             for p in ddf.to_delayed()]
    notes = dd.from_delayed([p[0] for p in parts], meta=_frame([], "notes"), verify_meta=False)
    findings = dd.from_delayed([p[1] for p in parts], meta=_frame([], "findings", include_text=include_text),
                               verify_meta=False)
    return notes, findings
