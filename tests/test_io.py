"""Streaming readers: every format, column detection, and per-record errors."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from riskflag.errors import InputError
from riskflag.io import detect_format, read_notes

NOTES = [("a1", "Pt seen for follow-up."), ("a2", "Denies SI/HI."), ("a3", "Mood 'ok'. Sleep fair,\nappetite good.")]


def _write(tmp_path, fmt):
    df = pd.DataFrame(NOTES, columns=["note_id", "note_text"])
    p = tmp_path / f"notes.{fmt}"
    if fmt == "csv":
        df.to_csv(p, index=False)
    elif fmt == "tsv":
        df.to_csv(p, sep="\t", index=False)
    elif fmt == "jsonl":
        df.rename(columns={"note_id": "id", "note_text": "text"}).to_json(p, orient="records", lines=True)
    elif fmt == "parquet":
        df.to_parquet(p)
    return p


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet"])
def test_formats_stream_in_order_with_autodetected_columns(tmp_path, fmt):
    notes = list(read_notes(_write(tmp_path, fmt)))
    assert [(n.note_id, n.text) for n in notes] == NOTES
    assert [n.index for n in notes] == [0, 1, 2]
    assert all(n.ok for n in notes)


def test_folder_of_txt_uses_relative_paths_as_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("second")
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "ignore.bin").write_bytes(b"\x00")
    notes = list(read_notes(tmp_path))
    assert [(n.note_id, n.text) for n in notes] == [("a.txt", "first"), ("b/x.txt", "second")]


def test_stdin_jsonl_and_text():
    data = b'{"id": "s1", "text": "hello"}\n'
    assert [(n.note_id, n.text) for n in read_notes("-", stdin=io.BytesIO(data))] == [("s1", "hello")]
    notes = list(read_notes("-", input_format="txt", stdin=io.BytesIO(b"one note")))
    assert [(n.note_id, n.text) for n in notes] == [("stdin", "one note")]


def test_missing_text_column_lists_available_columns(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("mrn,body_text\n1,hello\n")
    with pytest.raises(InputError) as exc:
        list(read_notes(p))
    assert exc.value.code == "E103"
    assert "mrn" in str(exc.value) and "body_text" in str(exc.value)
    assert [n.text for n in read_notes(p, text_col="body_text")] == ["hello"]


def test_explicit_missing_column_is_an_error(tmp_path):
    p = _write(tmp_path, "csv")
    with pytest.raises(InputError, match="available columns: note_id, note_text"):
        list(read_notes(p, id_col="nope"))


def test_no_id_column_uses_record_numbers(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("text\nfirst\nsecond\n")
    assert [n.note_id for n in read_notes(p)] == ["x.csv:1", "x.csv:2"]


def test_bad_jsonl_records_become_coded_errors(tmp_path):
    p = tmp_path / "bad.jsonl"
    lines = [
        b'{"id": "ok", "text": "fine"}',
        b"{not json",
        b'{"id": "nul", "text": null}',
        b'{"id": "num", "text": 42}',
        b'{"id": "utf", "text": "bad \xff bytes"}',
        b'["a", "list"]',
        b'{"id": "notext"}',
    ]
    p.write_bytes(b"\n".join(lines) + b"\n")
    notes = list(read_notes(p))
    assert [(n.note_id, n.error.code if n.error else None) for n in notes] == [
        ("ok", None), ("bad.jsonl:2", "E201"), ("nul", "E203"), ("num", "E204"), ("utf", "E202"),
        ("bad.jsonl:6", "E201"), ("notext", "E203"),
    ]
    for n in notes:
        if n.error:
            assert "bytes" not in n.error.message and "fine" not in n.error.message


def test_bad_csv_rows_and_invalid_utf8(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"id,text\nr1,good\nr2,bad \xfe\xff\nr3,too,many\nr4,\n")
    notes = list(read_notes(p))
    assert [(n.note_id, n.error.code if n.error else None) for n in notes] == [
        ("r1", None), ("r2", "E202"), ("r3", "E201"), ("r4", None),
    ]
    assert notes[3].text == ""


def test_parquet_nulls(tmp_path):
    p = tmp_path / "n.parquet"
    pd.DataFrame({"id": ["p1", "p2"], "text": ["x", None]}).to_parquet(p)
    notes = list(read_notes(p))
    assert notes[1].error is not None and notes[1].error.code == "E203"


@pytest.mark.parametrize("name,fmt", [("a.csv", "csv"), ("a.TSV", "tsv"), ("a.ndjson", "jsonl"), ("a.parquet", "parquet")])
def test_detect_format(tmp_path, name, fmt):
    p = tmp_path / name
    p.write_text("")
    assert detect_format(p) == fmt


def test_unknown_extension_and_missing_file(tmp_path):
    p = tmp_path / "a.xyz"
    p.write_text("")
    with pytest.raises(InputError, match="--input-format"):
        list(read_notes(p))
    with pytest.raises(InputError) as exc:
        list(read_notes(tmp_path / "missing.csv"))
    assert exc.value.code == "E102"


def test_indexes_run_across_inputs(tmp_path):
    a = tmp_path / "a.jsonl"
    b = tmp_path / "b.jsonl"
    a.write_text(json.dumps({"id": "1", "text": "x"}) + "\n")
    b.write_text(json.dumps({"id": "2", "text": "y"}) + "\n")
    assert [(n.note_id, n.index, n.source) for n in read_notes([a, b])] == [("1", 0, "a.jsonl"), ("2", 1, "b.jsonl")]
