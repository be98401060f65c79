"""End-to-end CLI tests on small files: exit codes, outputs, help, privacy of stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from riskflag.cli import EXIT_RECORD_ERRORS, EXIT_USAGE, build_parser, main

SECRET = "Zebediah Quintavalle"  # appears only inside note text: must never reach stdout/stderr


def _read_jsonl(path):
    return [json.loads(x) for x in path.read_text().splitlines()]


def _subcommands(parser):
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict):
            for name, sub in action.choices.items():
                yield [name], sub
                for deeper, subsub in _subcommands(sub):
                    yield [name, *deeper], subsub


def test_every_command_has_help(capsys):
    commands = list(_subcommands(build_parser()))
    assert {"scan", "redact", "info", "rules"} <= {c[0] for c, _ in commands}
    for path, _ in commands:
        assert main([*path, "--help"]) == 0
        out = capsys.readouterr().out
        assert "usage: riskflag " + " ".join(path) in out


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("riskflag ")


def test_python_dash_m():
    proc = subprocess.run([sys.executable, "-m", "riskflag", "--help"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "exit codes" in proc.stdout


def _bad_batch(tmp_path):
    p = tmp_path / "batch.jsonl"
    big = "Pt reports feeling tired. " * 120_000  # ~3 MB
    lines = [
        json.dumps({"id": "good", "text": f"Seen with daughter {SECRET}; cell 410-555-0182."}).encode(),
        json.dumps({"id": "empty", "text": ""}).encode(),
        json.dumps({"id": "null", "text": None}).encode(),
        b'{"id": "broken", "text": "' + SECRET.encode() + b" unterminated",
        b'{"id": "utf8", "text": "' + SECRET.encode() + b' \xff\xfe"}',
        json.dumps({"id": "big", "text": big}).encode(),
        json.dumps({"id": "good", "text": f"Duplicate id, {SECRET} again."}).encode(),
    ]
    p.write_bytes(b"\n".join(lines) + b"\n")
    return p


def test_bad_batch_finishes_with_every_record_and_no_text_in_logs(tmp_path, capsys):
    src = _bad_batch(tmp_path)
    out = tmp_path / "out"
    code = main(["scan", str(src), "--out", str(out), "--log-level", "DEBUG", "--no-risk"])
    captured = capsys.readouterr()
    assert code == EXIT_RECORD_ERRORS
    notes = _read_jsonl(out / "notes.jsonl")
    assert [(n["note_id"], n["status"]) for n in notes] == [
        ("good", "ok"), ("empty", "error"), ("null", "error"), ("batch.jsonl:4", "error"), ("utf8", "error"),
        ("big", "ok"), ("good", "ok"),
    ]
    assert [n["error"]["code"] for n in notes if n["error"]] == ["E205", "E203", "E201", "E202"]
    assert SECRET not in captured.out + captured.err
    assert "Traceback" not in captured.err
    assert "3 error" not in captured.err and "4 error" in captured.err
    findings = _read_jsonl(out / "findings.jsonl")
    assert {f["note_id"] for f in findings} <= {"good", "big"}
    assert all("text" not in f for f in findings)
    assert json.loads((out / "summary.json").read_text())["stats"]["duplicate_ids"] == 1


def test_too_large_note_gets_error_status(tmp_path):
    src = tmp_path / "n.jsonl"
    src.write_text(json.dumps({"id": "huge", "text": "word " * 50_000}) + "\n")
    assert main(["scan", str(src), "--out", str(tmp_path / "o"), "--max-chars", "10000", "--no-risk"]) == EXIT_RECORD_ERRORS
    (note,) = _read_jsonl(tmp_path / "o" / "notes.jsonl")
    assert note["error"]["code"] == "E206"


def test_missing_column_is_a_usage_error(tmp_path, capsys):
    src = tmp_path / "n.csv"
    src.write_text("a,b\n1,2\n")
    assert main(["scan", str(src), "--out", str(tmp_path / "o")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "available columns: a, b" in err
    assert not (tmp_path / "o" / "notes.jsonl").exists()


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert main(["scan", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")]) == EXIT_USAGE
    assert "E102" in capsys.readouterr().err


def test_include_text_and_redact(tmp_path):
    src = tmp_path / "n.csv"
    pd.DataFrame({"note_id": ["a"], "note_text": ["Email pt at kim.r@example.org today."]}).to_csv(src, index=False)
    out = tmp_path / "o"
    assert main(["scan", str(src), "--out", str(out), "--include-text", "--redact", "--no-risk"]) == 0
    (finding,) = [f for f in _read_jsonl(out / "findings.jsonl") if f["label"] == "EMAIL"]
    assert finding["text"] == "kim.r@example.org"
    (red,) = _read_jsonl(out / "redacted.jsonl")
    assert red == {"note_id": "a", "status": "ok", "text": "Email pt at [EMAIL] today."}


def test_redact_command(tmp_path):
    src = tmp_path / "n.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Fax 212-555-0199 please"}) + "\n")
    assert main(["redact", str(src), "--out", str(tmp_path / "o")]) == 0
    (red,) = _read_jsonl(tmp_path / "o" / "redacted.jsonl")
    assert red["text"] == "Fax [FAX] please"
    assert (tmp_path / "o" / "notes.jsonl").is_file()


def test_parquet_output(tmp_path):
    src = tmp_path / "n.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"n{i}", "text": t}) for i, t in
                             enumerate(["call 410-555-0182", "", "nothing here"])) + "\n")
    out = tmp_path / "o"
    assert main(["scan", str(src), "--out", str(out), "--output-format", "parquet", "--no-risk"]) == EXIT_RECORD_ERRORS
    notes = pd.read_parquet(out / "notes.parquet")
    findings = pd.read_parquet(out / "findings.parquet")
    assert notes["note_id"].tolist() == ["n0", "n1", "n2"]
    assert notes["status"].tolist() == ["ok", "error", "ok"]
    assert set(findings["label"]) == {"PHONE"}


def test_folder_input(tmp_path):
    d = tmp_path / "notes"
    (d / "sub").mkdir(parents=True)
    (d / "one.txt").write_text("Seen today.")
    (d / "sub" / "two.txt").write_text("Call 410-555-0182")
    assert main(["scan", str(d), "--out", str(tmp_path / "o"), "--no-risk"]) == 0
    assert [n["note_id"] for n in _read_jsonl(tmp_path / "o" / "notes.jsonl")] == ["one.txt", "sub/two.txt"]


@pytest.mark.parametrize("argv", [["scan"], ["scan", "x.jsonl"], ["nope"], ["scan", "x", "--out", "o", "--output-format", "xml"]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == EXIT_USAGE
