"""Redaction properties (hypothesis) and end-to-end: text outside identifier spans never changes,
offsets stay valid, redacting twice equals redacting once, and a rescan of the tagged copy finds nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskflag.redact import TagRedactor, merge_spans, redact_text
from riskflag.types import IDENTIFIER_LABELS, Finding

PIECES = ["Dr. Lee", "wife Maria", "07/22/2024", "7/22", "410-555-0182", "MRN: 00451278", "Foley", "PT/OT",
          "Zoloft 50 mg", "BP 120/80", " ", "\n", ". ", "pt seen", "SON DAVID VISITED", "98 yo", "St. Mary's",
          "lives in Towson", "jdoe@example.org", "(", ")", ", "]


def _findings(text, spans):
    return [Finding(note_id="n", kind="identifier", label=lab, start=s, end=e, score=0.9, source="t")
            for s, e, lab in spans]


@st.composite
def text_and_spans(draw):
    text = draw(st.text(min_size=0, max_size=200))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        s = draw(st.integers(0, n))
        e = draw(st.integers(s, n))
        spans.append((s, e, draw(st.sampled_from(IDENTIFIER_LABELS))))
    return text, spans


@settings(max_examples=200, deadline=None)
@given(text_and_spans())
def test_text_outside_spans_unchanged(data):
    text, spans = data
    merged = merge_spans(_findings(text, spans))
    out = redact_text(text, _findings(text, spans))
    # rebuild: walking the merged spans, every outside segment appears verbatim and in order
    pos, opos = 0, 0
    for s, e, lab in merged:
        seg = text[pos:s]
        assert out[opos:opos + len(seg)] == seg
        opos += len(seg)
        tag = f"[{lab}]"
        assert out[opos:opos + len(tag)] == tag
        opos += len(tag)
        pos = e
    assert out[opos:] == text[pos:]


@settings(max_examples=200, deadline=None)
@given(text_and_spans())
def test_merged_offsets_valid(data):
    text, spans = data
    merged = merge_spans(_findings(text, spans))
    prev = 0
    for s, e, _ in merged:
        assert 0 <= prev <= s < e <= len(text)
        prev = e


@pytest.fixture(scope="module")
def nlp(nlp_ids):
    return nlp_ids


def _redact(nlp, text):
    from riskflag.engine import identifier_findings

    doc = nlp(text)
    return TagRedactor()(text, identifier_findings(doc, "n"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_redact_twice_equals_once_and_rescan_clean(nlp_ids, pieces):
    text = " ".join(pieces)
    once = _redact(nlp_ids, text)
    assert _redact(nlp_ids, once) == once
    assert not list(nlp_ids(once).spans["identifiers"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_pipeline_redaction_keeps_outside_text(nlp_ids, pieces):
    from riskflag.engine import identifier_findings
    from riskflag.pipeline.extensions import span_offsets

    text = " ".join(pieces)
    doc = nlp_ids(text)
    spans = sorted(span_offsets(sp) for sp in doc.spans["identifiers"])
    for s, e in spans:
        assert 0 <= s < e <= len(text)
    out = TagRedactor()(text, identifier_findings(doc, "n"))
    # every character outside the spans survives, in order
    keep = "".join(ch for i, ch in enumerate(text) if not any(s <= i < e for s, e in spans))
    it = iter(out)
    assert all(ch in it for ch in keep)


def test_cli_redact_and_rescan(tmp_path):
    from riskflag.cli import main

    src = tmp_path / "in.jsonl"
    notes = [{"id": "a", "text": "Pt seen by Dr. Lee on 07/22/2024. Wife Maria called, cell 410-555-0182. "
                                 "PT/OT consult; Foley in place; Zoloft 50 mg; BP 120/80."},
             {"id": "b", "text": "SOCIAL: SON DAVID VISITED. DR. SMITH AWARE. MRN: 00451278."}]
    src.write_text("\n".join(json.dumps(n) for n in notes) + "\n")
    assert main(["redact", str(src), "--out", str(tmp_path / "r")]) == 0
    red = [json.loads(x) for x in (tmp_path / "r" / "redacted.jsonl").read_text().splitlines()]
    assert "[NAME]" in red[0]["text"] and "Lee" not in red[0]["text"] and "Foley" in red[0]["text"]
    assert "PT/OT" in red[0]["text"] and "BP 120/80" in red[0]["text"]
    again = tmp_path / "again.jsonl"
    again.write_text("\n".join(json.dumps({"id": r["note_id"], "text": r["text"]}) for r in red) + "\n")
    assert main(["scan", str(again), "--out", str(tmp_path / "s"), "--no-risk"]) == 0
    assert (tmp_path / "s" / "findings.jsonl").read_text().strip() == ""
