"""The HTML review report in a real headless Chromium (Debian's chromium, driven by Playwright).

Skips when chromium or playwright is missing: ``apt-get install -y chromium`` and
``pip install -e '.[browser]'``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("report_screenshot", ROOT / "scripts" / "report_screenshot.py")
shot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shot)

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[browser]')")
if shot.chromium_path() is None:
    pytest.skip("chromium is not installed (apt-get install -y chromium)", allow_module_level=True)

NOTES = [
    {"id": "a-1", "text": "Client called from 555-201-7788. She said she wants to kill herself tonight and has pills."},
    {"id": "a-2", "text": "Routine follow-up. Sleeping better. Email jo@example.org for scheduling."},
    {"id": "a-3", "text": "Mother reports that her partner hits the kids when drunk; bruises seen on arm."},
    {"id": "a-4", "text": "Denies thoughts to kill himself. Denies wanting to hurt them."},
    {"id": "a-5", "text": None},
    {"id": "a-6", "text": "Angry at his boss; says he will hurt my manager <b>tomorrow</b> & \"mean it\"."},
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    src = tmp / "notes.jsonl"
    src.write_text("".join(json.dumps(n) + "\n" for n in NOTES), encoding="utf-8")
    return shot.build([src], tmp / "out", stand_in=True)


@pytest.fixture(scope="module")
def browser():
    with shot.open_browser() as b:
        yield b


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all("article.note:not([hidden])", "els => els.map(e => e.dataset.id)")


def test_report_loads_cleanly_and_filters_work(report: Path, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    assert problems == []
    assert requests == [report.as_uri()]  # nothing else is fetched: self-contained

    everything = visible_ids(page)
    assert everything[:3] == ["a-1", "a-3", "a-6"]  # notes needing review first
    assert set(everything) == {n["id"] for n in NOTES}
    assert page.locator("#f-count").inner_text() == "Showing 6 of 6 notes in this report"
    assert page.locator("#privacy").inner_text().startswith("This report contains note text")

    page.select_option("#f-status", "review")
    assert visible_ids(page) == ["a-1", "a-3", "a-6"]
    page.uncheck("input[data-filter-label][value=self_harm]")
    assert visible_ids(page) == ["a-3", "a-6"]
    page.select_option("#f-status", "error")
    assert visible_ids(page) == ["a-5"]
    page.check("input[data-filter-label][value=self_harm]")
    page.uncheck("input[data-filter-label][value=none]")
    assert visible_ids(page) == []
    page.select_option("#f-status", "all")
    assert visible_ids(page) == ["a-1", "a-3", "a-6"]  # a-4's negated passages score below the threshold
    page.check("input[data-filter-label][value=none]")
    page.select_option("#f-status", "all")
    page.fill("#f-search", "a-4")
    assert visible_ids(page) == ["a-4"]
    page.fill("#f-search", "")
    assert len(visible_ids(page)) == 6

    # identifiers highlighted and can be toggled off; escaped text rendered as text
    phone = page.locator("article#note-0 span.idf[data-label=PHONE]")
    assert phone.inner_text() == "555-201-7788"
    assert phone.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.uncheck("#f-ids")
    assert phone.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.check("#f-ids")
    assert "<b>tomorrow</b>" in page.locator("article[data-id=a-6] .text").inner_text()
    assert page.locator("article[data-id=a-6] .text b").count() == 0
    mark = page.locator("article#note-0 mark.risk").first
    assert "kill herself" in mark.inner_text()
    assert mark.evaluate("e => getComputedStyle(e).borderBottomColor") == "rgb(198, 40, 40)"  # self-harm red

    png = shot.screenshot(browser, report, tmp_path / "report.png", full_page=True)
    assert png.stat().st_size > 10_000
    assert problems == []
    page.close()


@pytest.mark.parametrize("options", [{}, {"max_notes": 0}, {"redact_text": True, "max_notes": 2}], ids=["no-text", "empty", "redacted"])
def test_report_variants_load_without_errors(report: Path, browser, tmp_path: Path, options: dict) -> None:
    from riskflag.report import write_report

    notes = [report.parent.parent / "notes.jsonl"] if options.get("redact_text") else None
    info = write_report(report.parent, notes=notes, out=tmp_path / "variant.html", **options)
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(info.path.as_uri())
    assert problems == []
    assert len(visible_ids(page)) == info.notes_shown
    privacy = page.locator("#privacy").inner_text()
    if options.get("redact_text"):
        assert "replaced by [LABEL]" in privacy and "555-201-7788" not in page.content()
        assert page.locator("#left-out").is_visible()
    else:
        assert privacy.startswith("This report contains no note text")
    page.close()
