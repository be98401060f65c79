"""Scan the shipped sample, write its HTML review report and screenshot it in headless Chromium.

    python scripts/report_screenshot.py                      # -> build/report/report.html, report.png, report_note.png
    python scripts/report_screenshot.py --stand-in-risk      # layout preview before a risk model exists

Needs Debian's chromium (``apt-get install -y chromium``) and the ``browser`` extra
(``pip install -e '.[browser]'``, which brings Playwright). Playwright drives the system browser
at ``/usr/bin/chromium``; it never downloads one. The browser test (tests/test_report_browser.py)
uses the helpers below.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample_notes.jsonl"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    """The system Chromium, or None. ``RISKFLAG_CHROMIUM`` names another binary (and when it
    names none that exists, no browser is used: the browser tests skip)."""
    override = os.environ.get("RISKFLAG_CHROMIUM")
    cands = [override] if override is not None else ["/usr/bin/chromium", shutil.which("chromium"),
                                                       shutil.which("chromium-browser")]
    for cand in cands:
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    return None


@contextlib.contextmanager
def open_browser() -> Iterator[Any]:
    """A Playwright Chromium browser on the system binary (raises RuntimeError when unavailable)."""
    exe = chromium_path()
    if exe is None:
        raise RuntimeError("chromium not found (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise RuntimeError("playwright is not installed (pip install -e '.[browser]')") from exc
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(browser: Any, html: Path, png: Path, *, width: int = 1200, height: int = 1600,
               full_page: bool = False, focus: str | None = None) -> Path:
    """Open ``html`` (a file on disk) and save a PNG of it, scrolled to the CSS selector ``focus``."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(html.resolve().as_uri())
        if focus and page.locator(focus).count():
            page.locator(focus).first.evaluate("e => e.scrollIntoView()")
        png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png), full_page=full_page)
    finally:
        page.close()
    return png


class StandInRisk:
    """A few cue phrases in place of the risk model, for layout previews and browser tests.

    Not a model: it finds sentences with an obvious cue and calls them current unless the
    sentence also holds a negation word.
    """

    manifest = {"name": "stand-in (cue phrases only, not a model)", "version": "0-preview",
                "thresholds": {"self_harm": 0.5, "harm_to_others": 0.5, "abuse_neglect": 0.5}}
    CUES = {
        "self_harm": r"\b(kill (my|him|her)self|end(ing)? (my|his|her) life|suicid\w*|overdos\w*|cut(ting)? (my|her|him)sel(f|ves))\b",
        "harm_to_others": r"\b(hurt|kill|shoot|stab) (him|her|them|my \w+)\b|\bget back at\b",
        "abuse_neglect": r"\b(hits?|hit|beats?|burn(ed|s)?|locks?) (me|her|him|the kids?|the children)\b|\bbruis\w+\b",
    }
    NEGATION = r"\b(denies|denied|no|not|never|without)\b"

    def find(self, docs: Sequence[Any], note_ids: Sequence[str]) -> list[list[Any]]:
        from riskflag.types import Evidence, Finding

        out = []
        for doc, nid in zip(docs, note_ids, strict=True):
            found = []
            for m_sent in re.finditer(r"[^.!?\n]+[.!?]?", doc.text):
                sent, base = m_sent.group(0), m_sent.start()
                for label, pattern in self.CUES.items():
                    cue = re.search(pattern, sent, flags=re.I)
                    if cue is None:
                        continue
                    neg = re.search(self.NEGATION, sent[:cue.start()], flags=re.I)
                    ev = [Evidence("cue", f"standin_{label}", base + cue.start(), base + cue.end())]
                    if neg:
                        ev.append(Evidence("context", "standin_negation", base + neg.start(), base + neg.end(), "negated"))
                    s = base + len(sent) - len(sent.lstrip())
                    found.append(Finding(nid, "risk", label, s, base + len(sent.rstrip()), 0.2 if neg else 0.85,
                                         "standin", current=not neg, context=("negated",) if neg else (),
                                         evidence=tuple(ev)))
            out.append(found)
        return out


def build(notes: Sequence[Path], out_dir: Path, *, stand_in: bool = False, redact_text: bool = False,
          model: str | None = None) -> Path:
    """Scan ``notes`` into ``out_dir`` (with the shipped model, ``model``, or the stand-in) and
    write ``out_dir/report.html``."""
    from riskflag.report import write_report
    from riskflag.scan import scan_files

    scan_files([str(p) for p in notes], out_dir, model=StandInRisk() if stand_in else model)
    return write_report(out_dir, notes=[str(p) for p in notes], redact_text=redact_text).path


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", nargs="+", type=Path, default=[SAMPLE], help="notes to scan (default: the shipped sample)")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "report", help="scan output folder")
    ap.add_argument("--png", type=Path, default=None, help="screenshot path (default: OUT/report.png)")
    ap.add_argument("--full-page", action="store_true", help="capture the whole page, not the first screen")
    ap.add_argument("--redact-text", action="store_true", help="show identifiers as [LABEL]")
    ap.add_argument("--model", default=None, help="risk model folder (default: the shipped model)")
    ap.add_argument("--stand-in-risk", action="store_true",
                    help="use cue phrases instead of the risk model (layout preview only)")
    args = ap.parse_args(argv)
    from riskflag.errors import RiskflagError

    try:
        html = build(args.notes, args.out, stand_in=args.stand_in_risk, redact_text=args.redact_text, model=args.model)
    except RiskflagError as exc:
        print(f"report_screenshot: {exc} (pass --model DIR, or --stand-in-risk for a layout preview)", file=sys.stderr)
        return 1
    png = args.png or args.out / "report.png"
    note_png = png.with_name(png.stem + "_note.png")
    try:
        with open_browser() as browser:
            screenshot(browser, html, png, full_page=args.full_page)
            screenshot(browser, html, note_png, height=1100, focus="article.note.review, article.note")
    except RuntimeError as exc:
        print(f"report_screenshot: {exc}", file=sys.stderr)
        return 1
    print(f"report: {html}\nscreenshots: {png} (overview), {note_png} (first note needing review)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
