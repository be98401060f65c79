"""End to end: --workers N and --resume after a killed scan give the same outputs as one plain run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from riskflag.chunks import PARTS_DIR
from riskflag.cli import main

SAMPLE_NOTES = Path(__file__).resolve().parents[1] / "data" / "sample_notes.jsonl"

pytestmark = pytest.mark.slow


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _sorted_findings(out):
    return sorted(json.dumps(f, sort_keys=True) for f in _lines(out / "findings.jsonl"))


@pytest.fixture(scope="module")
def notes_file(tmp_path_factory):
    """The sample notes three times over, with unique ids, plus one repeated id and one empty note."""
    rows = [json.loads(line) for line in SAMPLE_NOTES.read_text(encoding="utf-8").splitlines()]
    path = tmp_path_factory.mktemp("in") / "notes.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for k in range(3):
            for r in rows:
                f.write(json.dumps({"id": f"{r['id']}-{k}", "text": r["text"]}) + "\n")
        f.write(json.dumps({"id": f"{rows[0]['id']}-0", "text": rows[1]["text"]}) + "\n")  # duplicate id
        f.write(json.dumps({"id": "empty", "text": ""}) + "\n")
    return path


@pytest.fixture(scope="module")
def reference(notes_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref")
    assert main(["scan", str(notes_file), "--out", str(out), "--redact", "--no-risk"]) == 3
    return out


def test_workers_give_identical_outputs(notes_file, reference, tmp_path):
    code = main(["scan", str(notes_file), "--out", str(tmp_path), "--redact", "--no-risk", "--workers", "2",
                 "--chunk-size", "16"])
    assert code == 3
    assert (tmp_path / "notes.jsonl").read_bytes() == (reference / "notes.jsonl").read_bytes()
    assert _sorted_findings(tmp_path) == _sorted_findings(reference)
    assert [r["note_id"] for r in _lines(tmp_path / "redacted.jsonl")] == [
        r["note_id"] for r in _lines(reference / "redacted.jsonl")]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["stats"]["duplicate_ids"] == 1  # counted across chunks and workers
    assert summary["stats"]["errors"] == 1
    assert summary["engine"] == {"name": "local", "workers": 2}
    assert "riskflag_identifiers" in summary["pipeline"]


def test_killed_scan_resumes_without_losing_or_repeating_notes(notes_file, reference, tmp_path):
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "riskflag", "scan", str(notes_file), "--out", str(out), "--redact", "--no-risk",
            "--chunk-size", "4"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = out / PARTS_DIR
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        written = [d for d in parts.glob("*") if d.is_dir() and not d.name.endswith(".tmp")] if parts.is_dir() else []
        if len(written) >= 3:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the scan finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "notes.jsonl").exists()  # nothing final was written by the killed run

    code = main(["scan", str(notes_file), "--out", str(out), "--redact", "--no-risk", "--chunk-size", "4",
                 "--resume"])
    assert code == 3
    notes = _lines(out / "notes.jsonl")
    n_input = len(notes_file.read_text(encoding="utf-8").splitlines())
    assert [r["index"] for r in notes] == list(range(n_input))  # exactly one line per input note, in order
    assert (out / "notes.jsonl").read_bytes() == (reference / "notes.jsonl").read_bytes()
    assert _sorted_findings(out) == _sorted_findings(reference)
    assert len(_lines(out / "redacted.jsonl")) == n_input
    summary = json.loads((out / "summary.json").read_text())
    assert summary["resumed_records"] >= 12
    assert summary["stats"]["notes"] == n_input and summary["stats"]["duplicate_ids"] == 1
    assert not (out / PARTS_DIR).exists()


def test_resume_with_other_options_is_a_usage_error(notes_file, tmp_path, capsys):
    out = tmp_path / "out"
    (out / PARTS_DIR).mkdir(parents=True)
    (out / PARTS_DIR / "run.json").write_text(json.dumps({"inputs": [], "options": {}}))
    assert main(["scan", str(notes_file), "--out", str(out), "--no-risk", "--resume"]) == 2
    assert "E522" in capsys.readouterr().err


def test_resume_of_stdin_is_refused(tmp_path, capsys):
    assert main(["scan", "-", "--out", str(tmp_path), "--resume"]) == 2
    assert "E521" in capsys.readouterr().err
