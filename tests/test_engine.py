"""Scanner: batching, input order, per-note error isolation, duplicates, size limit."""

from __future__ import annotations

import pytest

from riskflag.engine import Scanner
from riskflag.errors import RecordError
from riskflag.types import Note


def _notes(*items):
    return [Note(nid, text, i) for i, (nid, text) in enumerate(items)]


@pytest.fixture()
def scanner(nlp_ids):
    return Scanner(nlp_ids, batch_size=3, max_chars=2_000)


def test_results_follow_input_order_across_batches(scanner):
    notes = _notes(*[(f"n{i}", f"Note {i}: call 410-555-01{i:02d}.") for i in range(10)])
    results = list(scanner.scan(notes))
    assert [r.note.note_id for r in results] == [f"n{i}" for i in range(10)]
    assert all(r.status == "ok" for r in results)
    assert scanner.stats.notes == 10 and scanner.stats.ok == 10


def test_bad_notes_get_error_status_and_batch_carries_on(scanner):
    notes = _notes(("ok1", "Seen today."), ("empty", "   \n"), ("none", None), ("big", "x " * 2_000), ("ok2", "Fine."))
    notes[2] = Note("none", None, 2, error=RecordError("record 3 has no text", code="E203"))
    results = list(scanner.scan(notes))
    assert [(r.note.note_id, r.status, r.error.code if r.error else None) for r in results] == [
        ("ok1", "ok", None), ("empty", "error", "E205"), ("none", "error", "E203"), ("big", "error", "E206"),
        ("ok2", "ok", None),
    ]
    assert scanner.stats.errors == 3
    assert scanner.stats.error_codes == {"E205": 1, "E203": 1, "E206": 1}


def test_component_failure_is_isolated_to_its_note(nlp_ids, monkeypatch):
    scanner = Scanner(nlp_ids, batch_size=4)
    real_call = nlp_ids.__class__.__call__

    def flaky(self, text, *a, **kw):
        if "BOOM" in text:
            raise ValueError("contains BOOM text")
        return real_call(self, text, *a, **kw)

    def pipe_fails(self, texts, **kw):
        texts = list(texts)
        if any("BOOM" in t for t in texts):
            raise ValueError("batch failed")
        return (real_call(self, t) for t in texts)

    monkeypatch.setattr(nlp_ids.__class__, "__call__", flaky)
    monkeypatch.setattr(nlp_ids.__class__, "pipe", pipe_fails)
    results = list(scanner.scan(_notes(("a", "fine"), ("b", "BOOM here"), ("c", "also fine"))))
    assert [r.status for r in results] == ["ok", "error", "ok"]
    assert results[1].error.code == "E207"
    assert "BOOM" not in results[1].error.message  # exception text may quote the note: never kept


def test_duplicate_ids_are_kept_and_counted(scanner):
    results = list(scanner.scan(_notes(("d", "one"), ("d", "two"), ("e", "three"))))
    assert [r.note.text for r in results] == ["one", "two", "three"]
    assert scanner.stats.duplicate_ids == 1


def test_findings_have_offsets_into_the_original_text(scanner):
    text = "Daughter's cell: (410) 555-0182; email kim.r@example.org."
    (result,) = scanner.scan(_notes(("x", text)))
    got = {(f.label, text[f.start:f.end]) for f in result.findings}
    assert ("PHONE", "(410) 555-0182") in got
    assert ("EMAIL", "kim.r@example.org") in got
    assert all(f.text is None for f in result.findings)  # no text unless asked


def test_include_text(nlp_ids):
    (result,) = Scanner(nlp_ids, include_text=True).scan(_notes(("x", "email kim.r@example.org")))
    assert [f.text for f in result.findings if f.label == "EMAIL"] == ["kim.r@example.org"]


def test_long_notes_are_scanned_in_segments_with_original_offsets(nlp_ids):
    from riskflag.engine import segment_text

    line = "Seen today, plan unchanged.\n"
    text = line * 50 + "Call 410-555-0182 now.\n" + line * 50
    pieces = segment_text(text, 500)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 500 and text[o:o + len(p)] == p for o, p in pieces)
    (whole,) = Scanner(nlp_ids).scan(_notes(("x", text)))
    (seg,) = Scanner(nlp_ids, segment_chars=500).scan(_notes(("x", text)))
    assert [(f.label, f.start, f.end) for f in seg.findings] == [(f.label, f.start, f.end) for f in whole.findings]
    assert [text[f.start:f.end] for f in seg.findings if f.label == "PHONE"] == ["410-555-0182"]


def test_public_functions_are_exported_lazily():
    import riskflag
    import riskflag.train as train_module

    assert riskflag.train_model is train_module.train
    assert riskflag.evaluate_model is train_module.evaluate
    for name in ("load_model", "write_report", "scan_dask"):
        assert callable(getattr(riskflag, name)) and name in riskflag.__all__


def test_reprs_never_show_note_text():
    from riskflag.types import Finding, Note, NoteResult, Passage

    note = Note("n1", "secret words about Jane", 0, "mem")
    finding = Finding(note_id="n1", kind="identifier", label="NAME", start=19, end=23, score=0.9, source="t",
                      text="Jane")
    result = NoteResult(note, (finding,), None, "secret [NAME]")
    for obj in (note, finding, result):
        assert "secret" not in repr(obj) and "Jane" not in repr(obj)
    assert "note_id='n1'" in repr(note)
    assert Passage.__dataclass_fields__["text"].repr is False
