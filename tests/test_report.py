"""HTML review report (no browser): escaping, highlight offsets, ordering, caps, privacy notice."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskflag.cli import main
from riskflag.errors import InputError, RecordError
from riskflag.outputs import OutputSet
from riskflag.report import _highlight, _identifier_spans, risk_label_text, write_report
from riskflag.types import Evidence, Finding, Note, NoteResult

VOID = {"meta", "br", "input", "img", "hr", "link"}


def ident(nid: str, label: str, s: int, e: int) -> Finding:
    return Finding(nid, "identifier", label, s, e, 0.9, label.lower(), evidence=(Evidence("pattern", label.lower(), s, e),))


def risk(nid: str, label: str, s: int, e: int, *, current: bool = True, context: tuple[str, ...] = (),
         cue: tuple[int, int] | None = None, score: float = 0.8, trigger: tuple[int, int] | None = None) -> Finding:
    ev = [Evidence("cue", f"cue_{label}", *cue, detail=label)] if cue else []
    if trigger:
        ev.append(Evidence("context", "neg_denies", *trigger, detail=context[0]))
    ev.append(Evidence("feature", "lr", detail="plan", weight=0.7))
    return Finding(nid, "risk", label, s, e, score, "test-model", current=current, context=context, evidence=tuple(ev))


def span_of(text: str, part: str) -> tuple[int, int]:
    s = text.index(part)
    return s, s + len(part)


T1 = "Pt Ann Lee (555-201-7788) said: I want to kill myself <tonight> & \"soon\"."
T2 = "Follow-up. Denies wanting to hurt anyone. Email ann@example.org."
T3 = "Routine visit, blood pressure fine."
T4 = "He said last year that he hit his son."


def build_scan(tmp: Path, *, output_format: str = "jsonl", extra: list[tuple[Note, list[Finding] | Exception]] = ()) -> tuple[Path, Path]:
    """A scan output folder written by the real writers, and the matching notes file."""
    items: list[tuple[Note, list[Finding] | Exception]] = [
        (Note("n-ok", T3), []),
        (Note("n-neg", T2), [risk("n-neg", "harm_to_others", *span_of(T2, "Denies wanting to hurt anyone."), current=False,
                                  context=("negated",), cue=span_of(T2, "hurt"), score=0.6,
                                  trigger=span_of(T2, "Denies")),
                             ident("n-neg", "EMAIL", *span_of(T2, "ann@example.org"))]),
        (Note("n-err", None), RecordError("record 3 has no text (missing or null)", code="E203")),
        (Note("n-<b>1</b>", T1), [ident("n-<b>1</b>", "NAME", *span_of(T1, "Ann Lee")),
                                  ident("n-<b>1</b>", "PHONE", *span_of(T1, "555-201-7788")),
                                  risk("n-<b>1</b>", "self_harm", *span_of(T1, 'I want to kill myself <tonight> & "soon".'),
                                       cue=span_of(T1, "kill myself"), score=0.93),
                                  risk("n-<b>1</b>", "harm_to_others", *span_of(T1, 'I want to kill myself <tonight> & "soon".'),
                                       current=False, context=("hypothetical",), score=0.03)]),
        (Note("n-hist", T4), [risk("n-hist", "abuse_neglect", 0, len(T4), current=False, context=("historical",))]),
        *extra,
    ]
    out = tmp / "out"
    outputs = OutputSet(out, output_format=output_format)
    with open(tmp / "notes.jsonl", "w", encoding="utf-8") as fh:
        for i, (note, fs) in enumerate(items):
            note = Note(note.note_id, note.text, i, "notes.jsonl")
            fh.write(json.dumps({"id": note.note_id, "text": note.text}) + "\n")
            if isinstance(fs, Exception):
                outputs.write(NoteResult(note, (), fs))
            else:
                outputs.write(NoteResult(note, tuple(sorted(fs, key=lambda f: (f.start, f.end)))))
    outputs.close(summary={"versions": {"riskflag": "9.9", "rules": "2026.test"}, "pipeline": ["a", "b"],
                           "model": {"name": "risk-lr", "version": "1.2.3", "thresholds": {"self_harm": 0.42}},
                           "stats": {"duplicate_ids": sum(1 for n, _ in extra if n.note_id in {"n-ok", "n-neg"})}})
    return out, tmp / "notes.jsonl"


def articles(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r'<article class="[^"]*" id="note-\d+" data-id="([^"]*)"', html)]


def strip_tags(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", re.sub(r"<sup[^>]*>\d+</sup>", "", html)))


class TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] }")
        else:
            self.stack.pop()


def assert_well_formed(html: str) -> None:
    p = TagBalance()
    p.feed(html)
    p.close()
    assert not p.errors and not p.stack, (p.errors[:3], p.stack[-3:])


@pytest.fixture
def scan_dir(tmp_path: Path) -> tuple[Path, Path]:
    return build_scan(tmp_path)


def test_report_with_text_orders_highlights_and_warns(scan_dir: tuple[Path, Path]) -> None:
    out, notes = scan_dir
    info = write_report(out, notes=[notes])
    html = info.path.read_text(encoding="utf-8")
    assert info.path == out / "report.html" and info.with_text and info.notes_shown == 5 and info.review_total == 1
    assert articles(html) == ["n-<b>1</b>", "n-err", "n-neg", "n-hist", "n-ok"]  # review, error, risk, rest
    assert "This report contains note text" in html and 'id="privacy"' in html
    assert_well_formed(html)
    # the risk passage is highlighted exactly, with its cue, label and evidence
    marks = [strip_tags(m) for m in re.findall(r"<mark class=\"risk[^>]*>(.*?)</mark>", html, flags=re.S)]
    assert 'I want to kill myself <tonight> & "soon".' in marks
    assert "Denies wanting to hurt anyone." in marks
    assert "Self-harm (current)" in html and "Harm to others (not current: negated)" in html
    assert "Abuse or neglect (not current: historical)" in html
    assert '<span class="trig">Denies</span>' in html and "Context trigger “Denies” → negated" in html
    assert "→ self_harm" not in html  # a cue's label is not repeated as its detail
    assert "review threshold 0.42" in html and "“kill myself”" in html and "plan (+0.70)" in html
    assert 'data-label="PHONE"' in html and "Phone number (PHONE)" in html
    assert "<code>E203</code>" in html and "record 3 has no text" in html
    # a candidate scored below its threshold is listed apart, not highlighted, not a filter label
    first = html[html.index('id="note-0"'):html.index('id="note-1"')]
    assert 'data-labels="self_harm"' in first and first.count("<mark") == 1
    assert "1 candidate passage scored below the review threshold" in first
    assert "Harm to others (not current: hypothetical) · score 0.03" in first
    index = html[html.index('id="review-index"'):html.index('id="legend"')]
    assert 'href="#note-0"' in index and "I want to <b>kill myself</b> &lt;tonight&gt;" in index and "0.93" in index
    # versions and model
    assert "2026.test" in html and "1.2.3" in html and "a → b" in html


def test_report_escapes_text_and_ids(scan_dir: tuple[Path, Path]) -> None:
    out, notes = scan_dir
    html = write_report(out, notes=[notes]).path.read_text(encoding="utf-8")
    assert "<tonight>" not in html and "&lt;tonight&gt;" in html
    assert "n-<b>1</b>" not in html and "n-&lt;b&gt;1&lt;/b&gt;" in html
    assert "&amp; &quot;soon&quot;" in html


def test_report_is_self_contained(scan_dir: tuple[Path, Path]) -> None:
    out, notes = scan_dir
    html = write_report(out, notes=[notes]).path.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "@import" not in html and "url(" not in html
    assert html.count("<script>") == 1 and "<link" not in html


def test_report_without_notes_has_no_text(scan_dir: tuple[Path, Path]) -> None:
    out, _ = scan_dir
    info = write_report(out)
    html = info.path.read_text(encoding="utf-8")
    assert not info.with_text and "This report contains no note text" in html
    for secret in ("Ann Lee", "kill myself", "555-201-7788", "ann@example.org", "blood pressure"):
        assert secret not in html
    assert "Findings by position" in html and "Self-harm (current)" in html


def test_report_redacted_text_hides_identifiers(scan_dir: tuple[Path, Path]) -> None:
    out, notes = scan_dir
    info = write_report(out, notes=[notes], redact_text=True, out=out / "r.html")
    html = info.path.read_text(encoding="utf-8")
    assert info.redacted and "replaced by [LABEL]" in html
    for secret in ("Ann Lee", "555-201-7788", "ann@example.org"):
        assert secret not in html
    assert "[NAME]" in html and "[PHONE]" in html and "[EMAIL]" in html and "kill myself" in html
    assert "Passage with the highest score" in html
    assert_well_formed(html)


def test_report_cap_keeps_review_first_and_says_what_is_left_out(scan_dir: tuple[Path, Path]) -> None:
    out, notes = scan_dir
    info = write_report(out, notes=[notes], max_notes=2)
    html = info.path.read_text(encoding="utf-8")
    assert (info.notes_shown, info.notes_left_out) == (2, 3)
    assert articles(html) == ["n-<b>1</b>", "n-err"]
    assert 'id="left-out"' in html and "shows 2 of 5 notes" in html and "raise --max-notes" in html
    assert "ann@example.org" not in html  # text of notes left out is not in the page


def test_report_parquet_outputs(tmp_path: Path) -> None:
    out, notes = build_scan(tmp_path, output_format="parquet")
    assert (out / "findings.parquet").is_file()
    html = write_report(out, notes=[notes]).path.read_text(encoding="utf-8")
    assert articles(html)[0] == "n-<b>1</b>" and "Self-harm (current)" in html and "<code>E203</code>" in html


def test_report_duplicate_ids_keep_their_own_findings(tmp_path: Path) -> None:
    t = "Call 555-303-4444 today."
    dup = [(Note("n-ok", t), [ident("n-ok", "PHONE", *span_of(t, "555-303-4444"))])]
    out, notes = build_scan(tmp_path, extra=dup)
    html = write_report(out, notes=[notes]).path.read_text(encoding="utf-8")
    assert articles(html).count("n-ok") == 2
    assert html.count('data-label="PHONE"') == 2  # once in T1, once in the duplicate; none in T3
    assert_well_formed(html)


def test_report_refuses_text_that_does_not_match_the_scan(scan_dir: tuple[Path, Path], tmp_path: Path) -> None:
    out, notes = scan_dir
    rows = [json.loads(line) for line in notes.read_text(encoding="utf-8").splitlines()]
    rows[3]["text"] = rows[3]["text"] + " extra"
    other = tmp_path / "other.jsonl"
    other.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    html = write_report(out, notes=[other]).path.read_text(encoding="utf-8")
    assert "the note length differs" in html and "Ann Lee" not in html
    assert "blood pressure" in html  # the other notes still match


def test_report_skips_malformed_findings(scan_dir: tuple[Path, Path]) -> None:
    out, notes = scan_dir
    with open(out / "findings.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"note_id": "n-ok", "kind": "risk", "label": "self_harm", "start": null, "end": 3}\n{not json\n')
    html = write_report(out, notes=[notes]).path.read_text(encoding="utf-8")
    assert articles(html)[-1] == "n-ok" and "blood pressure" in html


def test_report_errors_without_output_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="E120"):
        write_report(tmp_path)
    assert main(["report", str(tmp_path)]) == 2


def test_cli_report_and_scan_report(scan_dir: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, notes = scan_dir
    assert main(["report", str(out), "--notes", str(notes), "--out", str(tmp_path / "x.html"), "--max-notes", "3"]) == 0
    err = capsys.readouterr().err
    assert "report of 3 notes" in err and "left out" in err and "Ann Lee" not in err
    assert (tmp_path / "x.html").is_file()
    src = tmp_path / "scan.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Reach me at 555-201-7788 or bob@example.com."}) + "\n", encoding="utf-8")
    rc = main(["scan", str(src), "--out", str(tmp_path / "s"), "--report", "--no-risk"])
    assert rc == 0
    html = (tmp_path / "s" / "report.html").read_text(encoding="utf-8")
    assert "bob@example.com" in html and "This report contains note text" in html
    assert "bob@example.com" not in capsys.readouterr().err


def test_risk_label_text() -> None:
    assert risk_label_text("self_harm", True) == "Self-harm (current)"
    assert risk_label_text("abuse_neglect", False, ["historical", "experiencer"]) == "Abuse or neglect (not current: historical, experiencer)"
    assert risk_label_text("new_label") == "New label"


def test_highlight_redacts_identifier_split_by_passage() -> None:
    text = "Seen with Ann Lee today. Plan: call."
    f_risk = {"kind": "risk", "label": "self_harm", "start": text.index("Lee"), "end": 24, "current": True, "evidence": []}
    ids = _identifier_spans([{"kind": "identifier", "label": "NAME", "start": 10, "end": 17, "score": 1}], len(text))
    html = _highlight(text, [f_risk], ids, redact=True)
    assert strip_tags(html) == "Seen with [NAME] today. Plan: call."
    assert "Ann" not in html and "Lee" not in html


spans = st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="ab <>&\"'\n\u00e9\U0001f600", max_size=40),
       risk_spans=st.lists(spans, max_size=4), id_spans=st.lists(spans, max_size=4), cue_spans=st.lists(spans, max_size=3),
       redact=st.booleans())
def test_highlight_keeps_text_exact_and_markup_balanced(text: str, risk_spans: list, id_spans: list, cue_spans: list,
                                                         redact: bool) -> None:
    n = len(text)
    evidence = [{"kind": "cue" if i % 2 else "context", "rule_id": "c", "start": min(s, n), "end": min(e, n)}
                for i, (s, e) in enumerate(cue_spans)]
    risks = [{"kind": "risk", "label": lab, "start": min(s, n), "end": min(e, n), "current": i % 2 == 0,
              "score": 0.5, "evidence": evidence}
             for i, ((s, e), lab) in enumerate(zip(risk_spans, ["self_harm", "harm_to_others", "abuse_neglect", "x y"] * 2, strict=False))]
    idf = [{"kind": "identifier", "label": "NAME", "start": min(s, n), "end": min(e, n), "score": 1.0} for s, e in id_spans]
    ids = _identifier_spans(idf, n)
    html = _highlight(text, risks, ids, redact=redact)
    assert_well_formed(html)
    if not redact:
        assert strip_tags(html) == text
        for m in re.finditer(r"<mark [^>]*>(.*?)</mark>", html, flags=re.S):
            assert strip_tags(m.group(1)) in text
    else:
        expected, pos = [], 0
        for s, e, _f in ids:
            expected += [text[pos:s], "[NAME]"]
            pos = e
        assert strip_tags(html) == "".join(expected) + text[pos:]
