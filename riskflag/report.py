"""HTML review report: one self-contained page (inline CSS and JS, no network) built from a scan's
output folder and, optionally, the original notes.

The page lists notes needing review first (then errors, then the rest), highlights each risk
passage in the note text with its label, score, context and evidence, highlights identifiers by
type, and offers filters by risk label and review status. It is the one riskflag output that may
contain note text, and it says so at the top.

The output folder is streamed: only the notes shown (``max_notes``) and their findings are kept
in memory, so the report of a million-note scan stays small.

    >>> write_report("out/", notes=["notes.csv"])            # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from .errors import InputError
from .types import IDENTIFIER_LABELS, RISK_LABELS

__all__ = ["write_report", "ReportInfo", "DEFAULT_MAX_NOTES", "REPORT_NAME", "risk_label_text"]

log = logging.getLogger(__name__)

DEFAULT_MAX_NOTES = 2000
INDEX_PASSAGE_CHARS = 160
REPORT_NAME = "report.html"
_JSON_COLUMNS = ("error", "identifier_counts", "evidence")

RISK_NAMES = {"self_harm": "Self-harm", "harm_to_others": "Harm to others", "abuse_neglect": "Abuse or neglect"}
RISK_COLOURS = {"self_harm": "#c62828", "harm_to_others": "#6a1b9a", "abuse_neglect": "#1565c0"}
CONTEXT_NAMES = {
    "negated": "negated (the note says it is absent)",
    "historical": "historical (in the past)",
    "hypothetical": "hypothetical (if / would / in case)",
    "experiencer": "about someone other than the patient",
}
IDENTIFIER_NAMES = {
    "NAME": "Name", "DATE": "Date", "AGE": "Age", "PHONE": "Phone number", "FAX": "Fax number",
    "EMAIL": "Email address", "SSN": "Social Security number", "MRN": "Medical record number",
    "HEALTH_PLAN": "Health plan number", "ACCOUNT": "Account number", "LICENSE": "Licence number",
    "VEHICLE": "Vehicle identifier", "DEVICE": "Device identifier", "URL": "Web address", "IP": "IP address",
    "ADDRESS": "Street address", "LOCATION": "Place", "FACILITY": "Facility", "ID": "Other identifier",
}
#: identifier highlight colours by family: names orange, dates yellow, contact green, numbers blue/purple, places pink
IDENTIFIER_COLOURS = {
    "NAME": "#ffcc80", "DATE": "#fff59d", "AGE": "#ffee58", "PHONE": "#c5e1a5", "FAX": "#aed581", "EMAIL": "#a5d6a7",
    "URL": "#b2dfdb", "IP": "#80cbc4", "SSN": "#90caf9", "MRN": "#81d4fa", "HEALTH_PLAN": "#b3e5fc",
    "ACCOUNT": "#9fa8da", "LICENSE": "#b39ddb", "VEHICLE": "#ce93d8", "DEVICE": "#e1bee7", "ID": "#cfd8dc",
    "ADDRESS": "#f8bbd0", "LOCATION": "#f48fb1", "FACILITY": "#ffab91",
}
EVIDENCE_NAMES = {"cue": "Cue phrase", "context": "Context trigger", "feature": "Model feature",
                  "blocker": "Blocking phrase",
                  "pattern": "Pattern", "validator": "Validator", "context_word": "Context word",
                  "section": "Section"}


@dataclass
class ReportInfo:
    """What ``write_report`` wrote."""

    path: Path
    notes_total: int
    notes_shown: int
    notes_left_out: int
    review_total: int
    with_text: bool
    redacted: bool


@dataclass
class _Entry:
    row: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    text: str | None = None
    text_problem: str | None = None

    @property
    def index(self) -> int:
        return int(self.row.get("index") or 0)


# ----------------------------------------------------------------------------- reading the output folder


def _table_path(out_dir: Path, name: str) -> Path | None:
    for ext in (".jsonl", ".parquet"):
        p = out_dir / (name + ext)
        if p.is_file():
            return p
    return None


def _iter_table(path: Path | None) -> Iterator[dict[str, Any]]:
    """Rows of a findings/notes table (JSONL or Parquet), with JSON-string columns decoded."""
    if path is None:
        return
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
            for row in batch.to_pylist():
                for k in _JSON_COLUMNS:
                    if isinstance(row.get(k), str):
                        try:
                            row[k] = json.loads(row[k])
                        except json.JSONDecodeError:
                            row[k] = None
                yield row
        return
    bad = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                bad += 1
                continue
            if isinstance(row, dict):
                yield row
    if bad:
        log.warning("%s: skipped %d malformed lines", path.name, bad)


def _read_summary(out_dir: Path) -> dict[str, Any]:
    p = out_dir / "summary.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class _Stats:
    notes: int = 0
    ok: int = 0
    errors: int = 0
    review: int = 0
    error_codes: Counter = field(default_factory=Counter)
    review_by_label: Counter = field(default_factory=Counter)
    identifiers: Counter = field(default_factory=Counter)
    risk: Counter = field(default_factory=Counter)
    risk_current: Counter = field(default_factory=Counter)


def _category(row: dict[str, Any]) -> int:
    """Display order: 0 needs review, 1 error, 2 has (non-current) risk passages, 3 the rest."""
    if row.get("status") == "error":
        return 1
    if row.get("review"):
        return 0
    return 2 if (row.get("n_risk") or 0) > 0 else 3


def _select(notes_path: Path, max_notes: int, stats: _Stats) -> tuple[list[_Entry], Counter]:
    """One pass over the notes table: counts for the whole scan, and the notes to show."""
    kept: list[list[_Entry]] = [[], [], [], []]
    totals: Counter = Counter()
    for row in _iter_table(notes_path):
        stats.notes += 1
        if "index" not in row or row["index"] is None:
            row["index"] = stats.notes - 1
        cat = _category(row)
        totals[cat] += 1
        if row.get("status") == "error":
            stats.errors += 1
            stats.error_codes[(row.get("error") or {}).get("code", "?")] += 1
        else:
            stats.ok += 1
        if row.get("review"):
            stats.review += 1
            stats.review_by_label.update(row.get("risk_labels") or [])
        stats.identifiers.update({k: int(v) for k, v in (row.get("identifier_counts") or {}).items()})
        if len(kept[cat]) < max_notes:
            kept[cat].append(_Entry(row))
    shown = [e for group in kept for e in group][:max_notes]
    shown_by_cat = Counter(_category(e.row) for e in shown)
    left_out = Counter({c: totals[c] - shown_by_cat[c] for c in range(4)})
    return shown, left_out


def _attach_findings(entries: list[_Entry], findings_path: Path | None, notes_path: Path,
                     stats: _Stats, duplicates: bool) -> None:
    """Give each shown note its findings. Findings carry only the note id, so for duplicate ids
    the findings go, in order, to the occurrences of that id (each takes as many as it counts)."""
    wanted = {e.row["note_id"] for e in entries}
    by_index = {e.index: e for e in entries}
    occurrences: dict[str, list[tuple[int, int]]] = defaultdict(list)  # id -> [(index, n findings)]
    if duplicates:
        for i, row in enumerate(_iter_table(notes_path)):
            if row.get("note_id") in wanted:
                idx = row["index"] if row.get("index") is not None else i
                occurrences[row["note_id"]].append((idx, _n_findings(row)))
    else:
        for e in entries:
            occurrences[e.row["note_id"]].append((e.index, _n_findings(e.row)))
    pos: dict[str, list[int]] = {nid: [0, 0] for nid in occurrences}  # occurrence, taken
    malformed = 0
    for f in _iter_table(findings_path):
        if not (isinstance(f.get("start"), int) and isinstance(f.get("end"), int) and f.get("label") is not None
                and f.get("kind") in ("risk", "identifier")):
            malformed += 1
            continue
        if f.get("kind") == "risk":
            stats.risk[f.get("label")] += 1
            if f.get("current"):
                stats.risk_current[f.get("label")] += 1
        nid = f.get("note_id")
        if nid not in wanted:
            continue
        occ, state = occurrences[nid], pos[nid]
        while state[0] < len(occ) - 1 and state[1] >= occ[state[0]][1]:
            state[0], state[1] = state[0] + 1, 0
        state[1] += 1
        entry = by_index.get(occ[state[0]][0])
        if entry is not None:
            entry.findings.append(f)
    if malformed:
        log.warning("report: skipped %d findings without kind, label or integer offsets", malformed)


def _n_findings(row: dict[str, Any]) -> int:
    return int(row.get("n_identifiers") or 0) + int(row.get("n_risk") or 0)


def _attach_texts(entries: list[_Entry], notes: Sequence[str | os.PathLike[str]], **read_options: Any) -> int:
    """Read the original notes (streamed) and keep the text of the shown notes only."""
    from .io import read_notes

    if any(str(p) == "-" for p in notes):
        raise InputError("the report cannot read notes from standard input; pass the notes file", code="E122")
    by_index = {e.index: e for e in entries if e.row.get("status") == "ok"}
    if not by_index:
        return 0
    last = max(by_index)
    attached = 0
    for note in read_notes(notes, **read_options):
        entry = by_index.get(note.index)
        if entry is not None:
            if note.note_id != entry.row.get("note_id") or not note.ok:
                entry.text_problem = ("the notes given do not match this scan (a different note id, or an unreadable "
                                      "record, at this position)")
            elif entry.row.get("chars") is not None and len(note.text or "") != entry.row["chars"]:
                entry.text_problem = "the notes given do not match this scan (the note length differs)"
            elif any(not (0 <= f["start"] <= f["end"] <= len(note.text)) for f in entry.findings):
                entry.text_problem = "the notes given do not match this scan (findings lie outside the text)"
            else:
                entry.text = note.text
                attached += 1
        if note.index >= last:
            break
    missing = sum(1 for e in by_index.values() if e.text is None)
    if missing:
        log.warning("report: %d shown notes have no matching text in the notes given", missing)
    return attached


# ----------------------------------------------------------------------------- plain language


def risk_label_text(label: str, current: bool | None = None, context: Sequence[str] = ()) -> str:
    """``"Self-harm (current)"``, ``"Harm to others (not current: negated)"``."""
    name = RISK_NAMES.get(label, str(label).replace("_", " ").capitalize())
    if current is None:
        return name
    if current:
        return f"{name} (current)"
    flags = ", ".join(str(c) for c in context)
    return f"{name} (not current{': ' + flags if flags else ''})"


def _cls(label: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(label))


def _id_name(label: str) -> str:
    return IDENTIFIER_NAMES.get(label, str(label))


def _fmt_score(x: Any) -> str:
    try:
        return f"{float(x):.2f}"
    except (TypeError, ValueError):
        return "?"


# ----------------------------------------------------------------------------- highlighting


def _identifier_spans(findings: Sequence[dict[str, Any]], n: int) -> list[tuple[int, int, dict[str, Any]]]:
    """Identifier spans clipped to the text, overlaps merged (the earlier, longer one wins)."""
    spans = sorted(((max(0, f["start"]), min(n, f["end"]), f) for f in findings
                    if f.get("kind") == "identifier" and f["end"] > f["start"]), key=lambda x: (x[0], -x[1]))
    out: list[tuple[int, int, dict[str, Any]]] = []
    for s, e, f in spans:
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e), out[-1][2])
        elif s < e:
            out.append((s, e, f))
    return out


def _plain(text: str, start: int, end: int, ids: Sequence[tuple[int, int, dict[str, Any]]], redact: bool) -> str:
    """Escaped text[start:end], with identifiers replaced by [LABEL] when ``redact``."""
    if not redact:
        return escape(text[start:end])
    parts, pos = [], start
    for s, e, f in ids:
        if e <= start or s >= end:
            continue
        parts.append(escape(text[pos:max(pos, s)]))
        parts.append(escape(f"[{f['label']}]"))
        pos = max(pos, e)
    parts.append(escape(text[pos:end]) if pos < end else "")
    return "".join(parts)


def _excerpt(text: str, f: dict[str, Any], ids: Sequence[tuple[int, int, dict[str, Any]]], redact: bool) -> str:
    """Up to INDEX_PASSAGE_CHARS of a passage, around its first cue phrase (in bold)."""
    s0, e0 = max(0, int(f["start"])), min(len(text), int(f["end"]))
    cues = sorted((int(ev["start"]), int(ev["end"])) for ev in f.get("evidence") or ()
                  if ev.get("kind") == "cue" and ev.get("start") is not None and ev.get("end") is not None
                  and s0 <= int(ev["start"]) < int(ev["end"]) <= e0)
    if not cues:
        cut = min(e0, s0 + INDEX_PASSAGE_CHARS)
        return _plain(text, s0, cut, ids, redact) + ("…" if cut < e0 else "")
    cs, ce = cues[0]
    start = max(s0, cs - INDEX_PASSAGE_CHARS // 3)
    if start > s0:  # start at a word
        space = text.find(" ", start, cs)
        start = space + 1 if space != -1 else start
    end = min(e0, max(ce, start + INDEX_PASSAGE_CHARS))
    return ("…" if start > s0 else "") + _plain(text, start, cs, ids, redact) + \
        f"<b>{_plain(text, cs, ce, ids, redact)}</b>" + _plain(text, ce, end, ids, redact) + ("…" if end < e0 else "")


def _highlight(text: str, risks: Sequence[dict[str, Any]], ids: Sequence[tuple[int, int, dict[str, Any]]],
               redact: bool) -> str:
    """The note text as HTML: risk passages in <mark>, identifiers and cue words in <span>.

    Offsets are applied to the original text; the text is cut at every span boundary and each
    piece is escaped on its own, so markup never splits a character or an escape sequence."""
    n = len(text)
    events: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for i, f in enumerate(risks):
        events[max(0, f["start"])].append(("r+", i))
        events[min(n, f["end"])].append(("r-", i))
        for ev in f.get("evidence") or ():
            if ev.get("start") is not None and ev.get("end") is not None and ev["end"] > ev["start"]:
                t = "c" if ev.get("kind") == "cue" else "t"
                events[max(0, ev["start"])].append((t + "+", 0))
                events[min(n, ev["end"])].append((t + "-", 0))
    for j, (s, e, _f) in enumerate(ids):
        events[s].append(("i+", j))
        events[e].append(("i-", j))
    bounds = sorted(set(events) | {0, n})
    active: set[int] = set()
    ident: int | None = None
    cue = trig = 0
    open_set: frozenset[int] = frozenset()
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        started = []
        for kind, k in events.get(a, ()):
            if kind == "r+":
                active.add(k)
                started.append(k)
            elif kind == "r-":
                active.discard(k)
            elif kind == "i+":
                ident = k
            elif kind == "i-" and ident == k:
                ident = None
            elif kind == "c+":
                cue += 1
            elif kind == "c-":
                cue -= 1
            elif kind == "t+":
                trig += 1
            elif kind == "t-":
                trig -= 1
        if frozenset(active) != open_set:
            if open_set:
                out.append("</mark>")
            if active:
                out.append(_mark_open(risks, sorted(active)))
            open_set = frozenset(active)
        for k in sorted(started):
            if k in active and risks[k]["end"] > risks[k]["start"]:
                out.append(f'<sup class="pn rk-{_cls(risks[k]["label"])}" data-risk="{k + 1}">{k + 1}</sup>')
        if ident is not None:
            s, _e, f = ids[ident]
            piece = escape(f"[{f['label']}]") if redact and a == s else ("" if redact else escape(text[a:b]))
            tip = f"{_id_name(f['label'])} ({f['label']}) · score {_fmt_score(f.get('score'))} · {f.get('source', '')}"
            piece = (f'<span class="idf id-{_cls(f["label"])}" data-label="{escape(str(f["label"]))}" '
                     f'title="{escape(tip)}">{piece}</span>')
        else:
            piece = escape(text[a:b])
        if trig > 0 and piece:
            piece = f'<span class="trig">{piece}</span>'
        out.append(f'<span class="cue">{piece}</span>' if cue > 0 and piece else piece)
    if open_set:
        out.append("</mark>")
    return "".join(out)


def _mark_open(risks: Sequence[dict[str, Any]], ks: Sequence[int]) -> str:
    fs = [risks[k] for k in ks]
    lead = max(fs, key=lambda f: (bool(f.get("current")), float(f.get("score") or 0)))
    cur = "cur" if any(f.get("current") for f in fs) else "noncur"
    tip = "; ".join(f"{k + 1}. {risk_label_text(risks[k]['label'], bool(risks[k].get('current')), risks[k].get('context') or ())}"
                    f" · score {_fmt_score(risks[k].get('score'))}" for k in ks)
    labels = " ".join(sorted({_cls(f["label"]) for f in fs}))
    return (f'<mark class="risk rk-{_cls(lead["label"])} {cur}" data-labels="{labels}" '
            f'title="{escape(tip)}">')


# ----------------------------------------------------------------------------- page pieces


CSS = """
:root{--ink:#1b1f24;--muted:#5b6470;--line:#d7dce2;--bg:#f6f7f9;--card:#fff}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:#22303c;color:#fff;padding:14px 24px}
header.top h1{margin:0;font-size:22px}
header.top p{margin:2px 0 0;color:#c9d3dc;font-size:13px}
main{max-width:1100px;margin:0 auto;padding:12px 24px 48px}
h2{font-size:18px;margin:26px 0 8px}
.privacy{margin:14px 0;padding:10px 14px;border-radius:6px;border:2px solid #b71c1c;background:#fff3f3;font-weight:600}
.privacy.safe{border-color:#2e7d32;background:#f1f8f1}
.notice{margin:8px 0;padding:8px 12px;border-left:4px solid #f9a825;background:#fffbea}
.glance{display:flex;flex-wrap:wrap;gap:10px}
.glance div{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:130px}
.glance b{display:block;font-size:22px}
.glance .alert b{color:#b71c1c}
table{border-collapse:collapse;background:var(--card);font-size:14px}
th,td{border:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:#eef1f4}
td.num{text-align:right}
#review-index td:nth-child(-n+3){white-space:nowrap}
.cols{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.legend span.sw{display:inline-block;margin:2px 6px 2px 0}
#filters{position:sticky;top:0;z-index:5;background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:18px 0 10px;display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center;box-shadow:0 2px 6px rgba(0,0,0,.06)}
#filters label{white-space:nowrap}
#f-count{color:var(--muted);margin-left:auto}
article.note{scroll-margin-top:110px;background:var(--card);border:1px solid var(--line);border-left:6px solid #9aa5b1;border-radius:6px;margin:14px 0;padding:10px 16px}
article.note.review{border-left-color:#b71c1c}
article.note.error{border-left-color:#f9a825}
article.note h3{margin:0;font-size:16px;display:flex;flex-wrap:wrap;gap:8px;align-items:baseline}
.badge{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;border-radius:10px;background:#eceff1;color:#37474f}
.badge.review{background:#b71c1c;color:#fff}
.badge.error{background:#f9a825;color:#000}
.meta{color:var(--muted);font-size:13px}
ol.passages{padding-left:22px;margin:8px 0}
ol.passages li{margin:4px 0}
ol.passages .ev{color:var(--muted);font-size:13px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#fbfbfc;border:1px solid var(--line);border-radius:4px;padding:10px 12px;margin:8px 0;max-height:36em;overflow:auto}
mark.risk{background:transparent;color:inherit;border-bottom:3px solid;padding:1px 0}
mark.risk.cur{background:rgba(198,40,40,.10)}
mark.risk.noncur{border-bottom-style:dashed}
sup.pn{font:700 10px system-ui,sans-serif;color:#fff;background:#37474f;border-radius:8px;padding:0 4px;margin-right:2px}
span.cue{font-weight:700;text-decoration:underline;text-decoration-thickness:2px}
span.trig{font-style:italic;text-decoration:underline dotted;text-decoration-thickness:2px}
span.idf{border-radius:3px;padding:0 1px;outline:1px solid rgba(0,0,0,.18)}
body.hide-ids span.idf{background:transparent!important;outline:none}
.lab{font-weight:600}
.lab.cur{color:#b71c1c}
details summary{cursor:pointer;color:#24527a}
details.below{font-size:13px;color:var(--muted);margin:4px 0}
footer{color:var(--muted);font-size:13px;margin-top:30px}
[hidden]{display:none!important}
@media print{#filters{position:static}.text{max-height:none}}
"""

JS = """
(function () {
  'use strict';
  var notes = Array.prototype.slice.call(document.querySelectorAll('article.note'));
  var status = document.getElementById('f-status');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter-label]'));
  var search = document.getElementById('f-search');
  var ids = document.getElementById('f-ids');
  var count = document.getElementById('f-count');
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var st = status.value, q = search.value.trim().toLowerCase(), shown = 0;
    notes.forEach(function (n) {
      var ok = true, d = n.dataset;
      if (st === 'review') { ok = d.review === '1'; }
      else if (st === 'noreview') { ok = d.review !== '1' && d.status === 'ok'; }
      else if (st === 'error') { ok = d.status === 'error'; }
      if (ok) {
        var labels = d.labels ? d.labels.split(' ') : [];
        ok = labels.length ? labels.some(function (l) { return on[l] !== false; }) : on.none !== false;
      }
      if (ok && q) { ok = d.id.toLowerCase().indexOf(q) >= 0; }
      n.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = 'Showing ' + shown + ' of ' + notes.length + ' notes in this report';
    document.body.classList.toggle('hide-ids', !ids.checked);
  }
  [status, ids].concat(boxes).forEach(function (el) { el.addEventListener('change', apply); });
  search.addEventListener('input', apply);
  apply();
})();
"""


def _palette_css(id_labels: Sequence[str], risk_labels: Sequence[str]) -> str:
    rules = []
    for i, lab in enumerate(id_labels):
        colour = IDENTIFIER_COLOURS.get(lab, f"hsl({(i * 47) % 360} 70% 85%)")
        rules.append(f".id-{_cls(lab)}{{background:{colour}}}")
    for lab in risk_labels:
        colour = RISK_COLOURS.get(lab, "#455a64")
        c = _cls(lab)
        rules.append(f"mark.rk-{c}{{border-bottom-color:{colour}}} .lab.rk-{c}{{color:{colour}}} "
                     f"sup.rk-{c}{{background:{colour}}}")
    return "\n".join(rules)


def _privacy(with_text: bool, redact: bool, any_text_requested: bool) -> str:
    if with_text and redact:
        return ('<div class="privacy" id="privacy">This report contains note text with the detected identifiers '
                'replaced by [LABEL]. Automatic redaction can miss identifiers, so treat this file as protected '
                'health information (PHI): keep it where the records are kept and do not email it.</div>')
    if with_text:
        return ('<div class="privacy" id="privacy">This report contains note text: protected health information '
                '(PHI), including names, dates and other identifiers. Keep it where the records are kept, do not '
                'email or upload it, and delete it when the review is done.</div>')
    extra = (" The notes given did not match this scan, so no text is shown." if any_text_requested else
             " To see the highlighted passages, run <code>riskflag report DIR --notes INPUT</code> with the scanned notes.")
    return ('<div class="privacy safe" id="privacy">This report contains no note text: it shows note ids, '
            f'positions, labels and scores only. Note ids can themselves identify patients.{extra}</div>')


def _is_flagged(f: dict[str, Any], thresholds: dict[str, Any]) -> bool:
    """A risk finding worth a reviewer's eye: current, or scored at or above its label's threshold."""
    thr = thresholds.get(f["label"]) if isinstance(thresholds, dict) else None
    try:
        return bool(f.get("current")) or float(f.get("score") or 0) >= float(thr if thr is not None else 0.5)
    except (TypeError, ValueError):
        return bool(f.get("current"))


def _own_evidence(f: dict[str, Any]) -> dict[str, Any]:
    """The finding with only its own cues (a passage's cues for other labels are left out)."""
    ev = [e for e in f.get("evidence") or ()
          if not (e.get("kind") == "cue" and e.get("detail") in RISK_LABELS and e.get("detail") != f["label"])]
    return {**f, "evidence": ev}


def _feature_name(name: str) -> str:
    return name[2:] if name.startswith("f:") else name


def _risk_item(anchor: str, k: int, f: dict[str, Any], text: str | None, ids: Sequence[Any], redact: bool,
               thresholds: dict[str, Any]) -> str:
    cur = bool(f.get("current"))
    label = escape(risk_label_text(f["label"], cur, f.get("context") or ()))
    thr = thresholds.get(f["label"]) if isinstance(thresholds, dict) else None
    score = f"score {_fmt_score(f.get('score'))}" + (f" (review threshold {_fmt_score(thr)})" if thr is not None else "")
    ctx = [CONTEXT_NAMES.get(c, str(c)) for c in f.get("context") or ()]
    parts = [f'<span class="lab rk-{_cls(f["label"])}{" cur" if cur else ""}">{label}</span> · {escape(score)}',
             f' · characters {int(f["start"])}–{int(f["end"])}']
    if ctx:
        lead = "Not current because" if not cur else "Context words in the passage (the model still rates it current)"
        parts.append(f'<div class="ev">{lead}: {escape("; ".join(ctx))}</div>')
    grouped: dict[tuple[Any, ...], list[str]] = {}
    features = []
    for ev in f.get("evidence") or ():
        kind = str(ev.get("kind", ""))
        if kind == "feature":
            features.append(ev)
            continue
        key = (kind, ev.get("start"), ev.get("end"), ev.get("detail"))
        grouped.setdefault(key, []).append(str(ev.get("rule_id", "")))
    ev_lines = []
    for (kind, s0, e0, detail), rules in grouped.items():
        quote = ""
        if text is not None and s0 is not None and e0 is not None:
            quote = f" “{_plain(text, int(s0), int(e0), ids, redact)}”"
        shown_detail = detail not in (None, "") and not (kind == "cue" and detail in (f["label"], *RISK_LABELS))
        detail_html = f" → {escape(str(detail))}" if shown_detail else ""
        rules_txt = ", ".join(dict.fromkeys(rules))
        ev_lines.append(f"{escape(EVIDENCE_NAMES.get(kind, kind))}{quote}{detail_html} "
                        f"<small>(rule{'s' if len(set(rules)) > 1 else ''} {escape(rules_txt)})</small>")
    if features:
        features.sort(key=lambda e: -abs(float(e.get("weight") or 0)))
        feats = ", ".join(f"{escape(_feature_name(str(e.get('detail') or e.get('rule_id'))))} "
                          f"({float(e.get('weight') or 0):+.2f})" for e in features[:5])
        ev_lines.append(f"<small>top model features: {feats}</small>")
    ev_lines.append(f"<small>found by {escape(str(f.get('source', '')))}</small>")
    parts.append('<div class="ev">Why: ' + "; ".join(ev_lines) + "</div>")
    return f'<li id="{anchor}-p{k + 1}">' + "".join(parts) + "</li>"


def _note_html(n: int, e: _Entry, redact: bool, thresholds: dict[str, Any]) -> str:
    row = e.row
    nid = str(row.get("note_id"))
    anchor = f"note-{n}"
    status = row.get("status", "ok")
    review = bool(row.get("review"))
    all_risks = [f for f in e.findings if f.get("kind") == "risk"]
    risks = sorted((_own_evidence(f) for f in all_risks if _is_flagged(f, thresholds)),
                   key=lambda f: (f["start"], f["end"], f["label"]))
    below = sorted((f for f in all_risks if not _is_flagged(f, thresholds)), key=lambda f: -float(f.get("score") or 0))
    idents = [f for f in e.findings if f.get("kind") == "identifier"]
    labels = " ".join(sorted({_cls(f["label"]) for f in risks}))
    classes = "note" + (" review" if review else "") + (" error" if status == "error" else "")
    where = f"record {int(row.get('index') or 0) + 1}" + (f" of {escape(str(row['source']))}" if row.get("source") else "")
    if status == "error":
        badge = '<span class="badge error">Could not be scanned</span>'
    elif review:
        names = ", ".join(RISK_NAMES.get(lab, lab) for lab in row.get("risk_labels") or ())
        badge = f'<span class="badge review">Needs review: {escape(names)}</span>'
    elif risks:
        badge = '<span class="badge">Risk passages, none current</span>'
    else:
        badge = '<span class="badge">No risk passage</span>'
    h = [f'<article class="{classes}" id="{anchor}" data-id="{escape(nid)}" data-status="{escape(str(status))}" '
         f'data-review="{1 if review else 0}" data-labels="{labels}">',
         f'<h3><span>Note <code>{escape(nid)}</code></span>{badge}<span class="meta">{where}</span></h3>']
    if status == "error":
        err = row.get("error") or {}
        h.append(f'<p>Error <code>{escape(str(err.get("code", "?")))}</code>: {escape(str(err.get("message", "")))}. '
                 "This note was not checked: review it by hand or fix the record and scan again.</p></article>")
        return "".join(h)
    ids = _identifier_spans(idents, len(e.text)) if e.text is not None else []
    if risks:
        items = [_risk_item(anchor, k, f, e.text, ids, redact, thresholds) for k, f in enumerate(risks)]
        h.append('<ol class="passages">' + "".join(items) + "</ol>")
    if below:
        items = "".join(
            f"<li>{escape(risk_label_text(f['label'], bool(f.get('current')), f.get('context') or ()))} · score "
            f"{_fmt_score(f.get('score'))} · characters {int(f['start'])}–{int(f['end'])}</li>" for f in below)
        h.append(f'<details class="below"><summary>{len(below)} candidate passage{"s" if len(below) > 1 else ""} '
                 f"scored below the review threshold (not highlighted)</summary><ul>{items}</ul></details>")
    counts = Counter(f["label"] for f in idents)
    if counts:
        h.append('<p class="meta">Identifiers: ' + ", ".join(
            f'<span class="idf id-{_cls(lab)}">{escape(_id_name(lab))}</span> ×{c}' for lab, c in sorted(counts.items()))
            + "</p>")
    if e.text is not None:
        body = f'<div class="text">{_highlight(e.text, risks, ids, redact)}</div>'
        if review or risks:
            h.append(body)
        else:
            h.append(f"<details><summary>Show note text ({len(e.text):,} characters)</summary>{body}</details>")
    else:
        if e.text_problem:
            h.append(f'<p class="notice">Text not shown: {escape(e.text_problem)}.</p>')
        if e.findings:
            rows = "".join(
                f"<tr><td>{'Risk' if f.get('kind') == 'risk' else 'Identifier'}</td>"
                f"<td>{escape(risk_label_text(f['label'], bool(f.get('current')), f.get('context') or ()) if f.get('kind') == 'risk' else _id_name(f['label']))}</td>"
                f"<td class=num>{int(f['start'])}–{int(f['end'])}</td><td class=num>{_fmt_score(f.get('score'))}</td></tr>"
                for f in sorted(e.findings, key=lambda f: (f["start"], f["end"])))
            h.append("<details><summary>Findings by position</summary><table><tr><th>Kind</th><th>Label</th>"
                     f"<th>Characters</th><th>Score</th></tr>{rows}</table></details>")
    h.append("</article>")
    return "".join(h)


def _versions_html(summary: dict[str, Any]) -> str:
    rows = []
    for k, v in (summary.get("versions") or {}).items():
        rows.append(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>")
    if summary.get("pipeline"):
        rows.append(f"<tr><th>pipeline</th><td>{escape(' → '.join(map(str, summary['pipeline'])))}</td></tr>")
    model = summary.get("model")
    if isinstance(model, dict) and model:
        for k, v in model.items():
            if isinstance(v, (str, int, float, bool)):
                rows.append(f"<tr><th>model {escape(str(k))}</th><td>{escape(str(v)[:200])}</td></tr>")
            elif isinstance(v, dict) and len(v) <= 12 and all(isinstance(x, (str, int, float, bool)) for x in v.values()):
                rows.append(f"<tr><th>model {escape(str(k))}</th><td>"
                            + escape(", ".join(f"{a}: {b}" for a, b in v.items())) + "</td></tr>")
    else:
        rows.append("<tr><th>risk model</th><td>none (identifiers only)</td></tr>")
    if summary.get("inputs"):
        rows.append(f"<tr><th>inputs</th><td>{escape(', '.join(map(str, summary['inputs'])))}</td></tr>")
    return "<table>" + "".join(rows) + "</table>" if rows else "<p>summary.json not found.</p>"


def _render(out_dir: Path, entries: list[_Entry], stats: _Stats, left_out: Counter, summary: dict[str, Any],
            *, with_text: bool, redact: bool, text_requested: bool, max_notes: int) -> Iterator[str]:
    model = summary.get("model") if isinstance(summary.get("model"), dict) else {}
    thresholds = model.get("thresholds") or {}
    risk_labels = list(RISK_LABELS) + sorted({str(x) for x in stats.risk} - set(RISK_LABELS))
    id_labels = list(IDENTIFIER_LABELS) + sorted({str(x) for x in stats.identifiers} - set(IDENTIFIER_LABELS))
    versions = summary.get("versions") or {}
    model_version = model.get("version") or model.get("name") if model else None
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    yield ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "script-src 'unsafe-inline'; img-src data:\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<meta name=\"robots\" content=\"noindex\">"
           f"<title>riskflag review report: {escape(out_dir.name)}</title>"
           f"<style>{CSS}\n{_palette_css(id_labels, risk_labels)}</style></head><body>")
    yield (f'<header class="top"><h1>Risk review report</h1><p>Scan folder <code>{escape(out_dir.name)}</code> · '
           f"generated {generated} · riskflag {escape(str(versions.get('riskflag', '?')))} · rules "
           f"{escape(str(versions.get('rules', '?')))} · risk model {escape(str(model_version or 'none'))}</p></header><main>")
    yield _privacy(with_text, redact, text_requested)
    shown = len(entries)
    yield ('<section id="glance"><h2>At a glance</h2><div class="glance">'
           f"<div><b>{stats.notes:,}</b>notes scanned</div>"
           f'<div class="{"alert" if stats.review else ""}"><b>{stats.review:,}</b>need review</div>'
           f"<div><b>{stats.errors:,}</b>could not be scanned</div>"
           f"<div><b>{shown:,}</b>shown in this report</div></div>")
    total_left = sum(left_out.values())
    if total_left:
        msg = (f"This report shows {shown:,} of {stats.notes:,} notes (limit {max_notes:,}); {total_left:,} are left out: "
               f"{left_out[0]:,} needing review, {left_out[1]:,} with errors, {left_out[2]:,} with non-current risk "
               f"passages and {left_out[3]:,} others. Notes needing review come first; raise --max-notes to include more.")
        yield f'<p class="notice" id="left-out">{escape(msg)}</p>'
    if not stats.review:
        yield '<p>No note has a current risk passage.</p>'
    yield "</section>"
    # review index
    review_entries = [(i, e) for i, e in enumerate(entries) if e.row.get("review")]
    if review_entries:
        with_text = any(e.text is not None for _, e in review_entries)
        yield ('<section id="review-index"><h2>Notes needing review</h2><table><tr><th>Note</th><th>Current risk</th>'
               "<th>Highest score</th>" + ("<th>Passage with the highest score</th>" if with_text else "") + "</tr>")
        for i, e in review_entries:
            cur = [f for f in e.findings if f.get("kind") == "risk" and f.get("current")]
            top = max(cur, key=lambda f: float(f.get("score") or 0), default=None)
            names = ", ".join(RISK_NAMES.get(lab, lab) for lab in e.row.get("risk_labels") or ())
            cell = ""
            if with_text:
                if e.text is not None and top is not None:
                    ids = _identifier_spans([f for f in e.findings if f.get("kind") == "identifier"], len(e.text))
                    cell = _excerpt(e.text, _own_evidence(top), ids, redact)
                cell = f"<td>{cell}</td>"
            yield (f'<tr><td><a href="#note-{i}">{escape(str(e.row.get("note_id")))}</a></td><td>{escape(names)}</td>'
                   f"<td class=num>{_fmt_score(top.get('score')) if top is not None else ''}</td>{cell}</tr>")
        yield "</table></section>"
    # legend
    yield ('<section id="legend"><h2>How to read this report</h2><div class="legend"><p>'
           "Risk passages are underlined in the colour of their type and numbered; the numbered list above each "
           "note says what was found and why. <b>Solid, shaded</b>: current (needs duty-to-warn review). "
           "<b>Dashed</b>: not current (negated, historical, hypothetical, or about someone else). "
           "<span class=\"cue\">Bold underlined words</span> are the cue phrases that triggered the passage; "
           "<span class=\"trig\">italic dotted words</span> are what made it not current (such as “denies”). "
           "Scores are calibrated probabilities between 0 and 1.</p><p>")
    yield " ".join(f'<span class="sw"><mark class="risk rk-{_cls(lab)} cur">{escape(risk_label_text(lab))}</mark></span>'
                   for lab in risk_labels)
    yield "</p><p>Identifiers (hover for the type): " + " ".join(
        f'<span class="sw idf id-{_cls(lab)}">{escape(_id_name(lab))}</span>' for lab in id_labels) + "</p></div></section>"
    # counts
    yield '<section id="counts"><h2>Counts per label</h2><div class="cols"><table><tr><th>Risk type</th>' \
          "<th>Notes needing review</th><th>Current passages</th><th>All scored passages</th></tr>"
    for lab in risk_labels:
        yield (f'<tr><td><span class="lab rk-{_cls(lab)}">{escape(risk_label_text(lab))}</span></td>'
               f"<td class=num>{stats.review_by_label[lab]:,}</td><td class=num>{stats.risk_current[lab]:,}</td>"
               f"<td class=num>{stats.risk[lab]:,}</td></tr>")
    yield "</table><table><tr><th>Identifier type</th><th>Found</th></tr>"
    for lab, c in sorted(stats.identifiers.items(), key=lambda x: (-x[1], x[0])):
        yield (f'<tr><td><span class="idf id-{_cls(lab)}">{escape(_id_name(lab))}</span> <small>{escape(str(lab))}</small>'
               f"</td><td class=num>{c:,}</td></tr>")
    if not stats.identifiers:
        yield "<tr><td colspan=2>none</td></tr>"
    yield "</table>"
    if stats.error_codes:
        yield "<table><tr><th>Error code</th><th>Notes</th></tr>" + "".join(
            f"<tr><td><code>{escape(str(c))}</code></td><td class=num>{n:,}</td></tr>"
            for c, n in sorted(stats.error_codes.items())) + "</table>"
    yield "</div></section>"
    # filters + notes
    yield ('<h2>Notes</h2><div id="filters" role="search"><label>Show <select id="f-status">'
           '<option value="all">all notes</option><option value="review">needing review</option>'
           '<option value="noreview">not needing review</option><option value="error">could not be scanned</option>'
           "</select></label><span>Risk type:</span>")
    for lab in risk_labels:
        yield (f'<label><input type="checkbox" data-filter-label value="{_cls(lab)}" checked> '
               f"{escape(RISK_NAMES.get(lab, lab))}</label>")
    yield ('<label><input type="checkbox" data-filter-label value="none" checked> no risk passage</label>'
           '<label><input type="checkbox" id="f-ids" checked> highlight identifiers</label>'
           '<label>Note id <input type="search" id="f-search" size="12"></label><span id="f-count"></span></div>')
    yield '<section id="notes">'
    for i, e in enumerate(entries):
        yield _note_html(i, e, redact, thresholds)
    if not entries:
        yield "<p>No notes in this scan.</p>"
    yield "</section>"
    yield f'<section id="about"><h2>About this scan</h2>{_versions_html(summary)}</section>'
    yield ("<footer>Made by riskflag from the scan outputs; this page loads nothing from the network. "
           "riskflag flags passages for a clinician to review: it does not decide whether a duty to warn exists.</footer>")
    yield f"</main><script>{JS}</script></body></html>\n"


def write_report(
    out_dir: str | os.PathLike[str],
    *,
    notes: Sequence[str | os.PathLike[str]] | None = None,
    out: str | os.PathLike[str] | None = None,
    redact_text: bool = False,
    max_notes: int = DEFAULT_MAX_NOTES,
    input_format: str | None = None,
    id_col: str | None = None,
    text_col: str | None = None,
) -> ReportInfo:
    """Write the HTML review report for a scan's output folder (default ``out_dir/report.html``).

    ``notes`` are the scanned inputs (same files, same order); without them the report shows
    findings by position but no text. ``redact_text`` shows identifiers as ``[LABEL]``.
    """
    folder = Path(out_dir)
    if max_notes < 0:
        raise InputError(f"--max-notes must be 0 or more, not {max_notes}", code="E121")
    notes_path = _table_path(folder, "notes")
    if notes_path is None:
        raise InputError(f"no notes.jsonl or notes.parquet in {folder}; is it a riskflag scan output folder?", code="E120")
    findings_path = _table_path(folder, "findings")
    summary = _read_summary(folder)
    stats = _Stats()
    entries, left_out = _select(notes_path, max_notes, stats)
    dup = (summary.get("stats") or {}).get("duplicate_ids")
    _attach_findings(entries, findings_path, notes_path, stats, duplicates=dup is None or dup > 0)
    attached = 0
    if notes:
        attached = _attach_texts(entries, notes, input_format=input_format, id_col=id_col, text_col=text_col)
    target = Path(out) if out is not None else folder / REPORT_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        for chunk in _render(folder, entries, stats, left_out, summary, with_text=attached > 0, redact=redact_text,
                             text_requested=bool(notes), max_notes=max_notes):
            fh.write(chunk)
    os.replace(tmp, target)
    info = ReportInfo(target, stats.notes, len(entries), sum(left_out.values()), stats.review, attached > 0, redact_text)
    log.info("report: %d of %d notes shown (%d need review), text %s -> %s", info.notes_shown, info.notes_total,
             info.review_total, "redacted" if redact_text and attached else ("shown" if attached else "absent"), target.name)
    return info
