"""Property tests: finding offsets always lie within their note; output order follows input order."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskflag.engine import Scanner
from riskflag.types import Note

PIECES = st.sampled_from([
    "Pt seen today. ", "Call 410-555-0182. ", "email kim.r@example.org ", "SSN 212-67-8890 ",
    "Dr. Alvarez ", "on 07/22/2024 ", "\n", "Denies SI/HI. ", "IP 10.1.2.3 ", "  ", "ÄÖÜ ß ", "😀 ",
    "MRN: 4471029 ", "lives at 12 Oak St, Springfield, IL 62704 ", "[x] no ",
])
TEXTS = st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=25).map("".join))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.one_of(TEXTS, st.none()), min_size=1, max_size=8), batch=st.integers(1, 4),
       segment=st.sampled_from([50, 10_000]))
def test_offsets_within_note_and_order_follows_input(nlp_ids, texts, batch, segment):
    notes = [Note(f"n{i}", t, i) for i, t in enumerate(texts)]
    results = list(Scanner(nlp_ids, batch_size=batch, segment_chars=segment).scan(notes))
    assert [r.note.note_id for r in results] == [n.note_id for n in notes]
    for r in results:
        if r.status == "error":
            assert r.findings == ()
            continue
        text = r.note.text
        for f in r.findings:
            assert 0 <= f.start < f.end <= len(text)
            assert text[f.start:f.end].strip()
            for e in f.evidence:
                if e.start is not None:
                    assert 0 <= e.start <= e.end <= len(text)
