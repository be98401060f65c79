"""Chunked atomic output, resume bookkeeping and the ordered bounded map (no pipeline needed)."""

from __future__ import annotations

import json
from concurrent.futures import Future

import pytest

from riskflag.chunks import PARTS_DIR, ChunkOutput, ChunkStore, iter_chunks, run_fingerprint
from riskflag.engine import ScanStats
from riskflag.errors import ConfigError, ModelError
from riskflag.parallel import _ordered, open_engine
from riskflag.types import Note


def _notes(n, start=0):
    return [Note(f"n{i}", f"text {i}", i, "mem") for i in range(start, start + n)]


def _chunk(index, notes):
    stats = ScanStats()
    stats.notes = stats.ok = len(notes)
    rows = [{"note_id": n.note_id, "index": n.index, "source": "mem", "status": "ok", "error": None, "chars": 6,
             "n_identifiers": 1, "n_risk": 0, "n_current_risk": 0, "identifier_counts": {"NAME": 1},
             "risk_labels": [], "review": False} for n in notes]
    findings = [{"note_id": n.note_id, "kind": "identifier", "label": "NAME", "start": 0, "end": 4, "score": 0.9,
                 "source": "test", "evidence": []} for n in notes]
    return ChunkOutput(index, notes[0].index, rows, findings, None, stats, ["tok"], None)


def test_iter_chunks_sizes_and_skip():
    chunks = list(iter_chunks(_notes(7), 3))
    assert [i for i, _ in chunks] == [0, 1, 2]
    assert [len(c) for _, c in chunks] == [3, 3, 1]
    kept = list(iter_chunks(_notes(7), 3, skip={0, 2}))
    assert [(i, [n.index for n in c]) for i, c in kept] == [(1, [3, 4, 5])]
    with pytest.raises(ConfigError):
        list(iter_chunks(_notes(2), 0))


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_chunks_are_concatenated_in_input_order(tmp_path, fmt):
    store = ChunkStore(tmp_path, output_format=fmt)
    store.open({"inputs": [], "options": {}}, resume=False)
    notes = _notes(7)
    for index, chunk in reversed(list(iter_chunks(notes, 3))):  # written out of order
        store.write(_chunk(index, chunk))
    store.finalize({"stats": {}})
    assert not (tmp_path / PARTS_DIR).exists()
    if fmt == "jsonl":
        ids = [json.loads(line)["note_id"] for line in (tmp_path / "notes.jsonl").read_text().splitlines()]
        n_findings = len((tmp_path / "findings.jsonl").read_text().splitlines())
    else:
        import pyarrow.parquet as pq

        ids = pq.read_table(tmp_path / "notes.parquet").column("note_id").to_pylist()
        n_findings = pq.read_table(tmp_path / "findings.parquet").num_rows
    assert ids == [n.note_id for n in notes]
    assert n_findings == 7
    assert json.loads((tmp_path / "summary.json").read_text()) == {"stats": {}}


def test_resume_keeps_whole_chunks_and_drops_half_written_ones(tmp_path):
    fp = {"inputs": [{"path": "a.jsonl", "size": 1}], "options": {"risk": True}}
    store = ChunkStore(tmp_path)
    store.open(fp, resume=False)
    store.write(_chunk(0, _notes(3)))
    store.write(_chunk(1, _notes(3, 3)))
    (tmp_path / PARTS_DIR / "00000002.tmp").mkdir()  # killed while writing chunk 2
    again = ChunkStore(tmp_path)
    done = again.open(fp, resume=True)
    assert sorted(done) == [0, 1]
    assert sum(info["records"] for info in done.values()) == 6
    assert list(again.completed_note_ids()) == [f"n{i}" for i in range(6)]
    assert not (tmp_path / PARTS_DIR / "00000002.tmp").exists()


def test_resume_refuses_other_inputs_or_options(tmp_path):
    store = ChunkStore(tmp_path)
    store.open({"inputs": [{"path": "a", "size": 1}], "options": {"risk": True}}, resume=False)
    with pytest.raises(ConfigError, match="option risk") as err:
        ChunkStore(tmp_path).open({"inputs": [{"path": "a", "size": 1}], "options": {"risk": False}}, resume=True)
    assert err.value.code == "E522"
    with pytest.raises(ConfigError, match="inputs changed"):
        ChunkStore(tmp_path).open({"inputs": [{"path": "a", "size": 2}], "options": {"risk": True}}, resume=True)


def test_without_resume_old_parts_are_cleared(tmp_path):
    store = ChunkStore(tmp_path)
    store.open({"inputs": []}, resume=False)
    store.write(_chunk(0, _notes(2)))
    assert ChunkStore(tmp_path).open({"inputs": []}, resume=False) == {}
    assert [p.name for p in (tmp_path / PARTS_DIR).iterdir()] == ["run.json"]


def test_fingerprint_sees_a_changed_input(tmp_path):
    f = tmp_path / "notes.jsonl"
    f.write_text('{"id": 1, "text": "a"}\n')
    before = run_fingerprint([f], {"risk": True})
    f.write_text('{"id": 1, "text": "ab"}\n')
    assert run_fingerprint([f], {"risk": True}) != before


def test_scan_stats_merge_and_round_trip():
    a, b = ScanStats(notes=2, ok=1, errors=1, error_codes={"E205": 1}), ScanStats(notes=3, ok=2, errors=1,
                                                                                  error_codes={"E205": 1, "E202": 1})
    a.merge(b)
    assert (a.notes, a.ok, a.errors, a.error_codes) == (5, 3, 2, {"E205": 2, "E202": 1})
    assert ScanStats.from_dict(a.to_dict()) == a
    seen: set[str] = set()
    assert [a.count_id(x, i, seen) for i, x in enumerate(["x", "y", "x"])] == [False, False, True]


def _future(value=None, exc=None):
    f: Future = Future()
    if exc is not None:
        f.set_exception(exc)
    else:
        f.set_result(value)
    return f


def test_a_failed_worker_costs_one_chunk_not_the_batch():
    chunks = list(iter_chunks(_notes(5), 2))
    submitted = []

    def submit(index, notes):
        submitted.append(index)
        return _future(exc=MemoryError()) if index == 1 else _future(_chunk(index, notes))

    outs = list(_ordered(submit, chunks, 2, redacted=True))
    assert [o.index for o in outs] == [0, 1, 2]
    failed = outs[1]
    assert [r["note_id"] for r in failed.notes] == ["n2", "n3"]
    assert {r["status"] for r in failed.notes} == {"error"}
    assert {r["error"]["code"] for r in failed.notes} == {"E208"}
    assert failed.stats.errors == 2 and failed.redacted is not None and len(failed.redacted) == 2


def test_fatal_errors_stop_the_run():
    def submit(index, notes):
        return _future(exc=ModelError("tampered", code="E402"))

    with pytest.raises(ModelError):
        list(_ordered(submit, iter_chunks(_notes(2), 1), 2, redacted=False))


def test_ordered_map_keeps_a_bounded_window():
    in_flight, peak = [], [0]

    class Tracked:
        def __init__(self, chunk):
            self.chunk = chunk
            in_flight.append(self)
            peak[0] = max(peak[0], len(in_flight))

        def result(self):
            in_flight.remove(self)
            return self.chunk

    outs = list(_ordered(lambda i, n: Tracked(_chunk(i, n)), iter_chunks(_notes(40), 2), 3, redacted=False))
    assert len(outs) == 20 and peak[0] == 3


@pytest.mark.parametrize("kwargs", [{"workers": 0}, {"engine": "spark"}, {"scheduler": "tcp://x:1"}])
def test_bad_engine_options(kwargs):
    with pytest.raises(ConfigError):
        open_engine({"risk": False}, **kwargs)
