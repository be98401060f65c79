"""Surrogate redaction: consistent within a note, dates shifted by one offset, text outside spans kept."""

from __future__ import annotations

import random
import re
from datetime import date

from riskflag.surrogates import NoteSurrogates, SurrogateRedactor
from riskflag.types import Finding


def _f(text, needle, label, start=0):
    s = text.index(needle, start)
    return Finding(note_id="n", kind="identifier", label=label, start=s, end=s + len(needle), score=0.9, source="t")


def test_same_name_same_surrogate():
    text = "Dr. Okafor saw pt. Later Okafor called. Wife Maria and Okafor agreed."
    fs = [_f(text, "Okafor", "NAME"), _f(text, "Okafor", "NAME", 20), _f(text, "Okafor", "NAME", 50),
          _f(text, "Maria", "NAME")]
    out = SurrogateRedactor(seed=1)(text, fs)
    assert "Okafor" not in out and "Maria" not in out
    names = re.findall(r"Dr\. (\w+) saw pt\. Later (\w+) called\. Wife (\w+) and (\w+) agreed\.", out)[0]
    assert names[0] == names[1] == names[3]
    assert names[2] != names[0]


def test_dates_shift_by_one_offset():
    text = "Admitted 07/22/2024, discharged 07/29/2024."
    fs = [_f(text, "07/22/2024", "DATE"), _f(text, "07/29/2024", "DATE")]
    out = SurrogateRedactor(seed=3)(text, fs)
    got = re.findall(r"(\d+)/(\d+)/(\d{4})", out)
    d1, d2 = (date(int(y), int(m), int(d)) for m, d, y in got)
    assert (d2 - d1).days == 7
    assert d1 != date(2024, 7, 22)


def test_case_and_outside_text_kept():
    text = "SOCIAL: SON DAVID VISITED. MRN: 00451278."
    fs = [_f(text, "DAVID", "NAME"), _f(text, "00451278", "MRN")]
    out = SurrogateRedactor(seed=5)(text, fs)
    assert out.startswith("SOCIAL: SON ") and " VISITED. MRN: " in out
    name = out.split("SON ")[1].split(" ")[0]
    assert name.isupper() and name != "DAVID"
    mrn = out.rsplit(" ", 1)[1].rstrip(".")
    assert len(mrn) == 8 and mrn.isdigit()


def test_other_labels():
    s = NoteSurrogates(random.Random(0))
    assert s("PHONE", "410-555-0182", 0, 12).count("-") == 2
    assert s("EMAIL", "a@b.org", 0, 7).endswith("@example.org")
    assert s("AGE", "93", 0, 2) == "90+"
    assert s("DATE", "'92", 0, 3).startswith("'")
    assert s("IP", "10.0.0.1", 0, 8).startswith("192.0.2.")


def test_cli_surrogates(tmp_path):
    import json

    from riskflag.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Dr. Lee saw pt on 07/22/2024. Dr. Lee agrees."}) + "\n")
    assert main(["redact", str(src), "--out", str(tmp_path / "r"), "--surrogates"]) == 0
    out = json.loads((tmp_path / "r" / "redacted.jsonl").read_text())["text"]
    assert "Lee" not in out and "07/22/2024" not in out and "[NAME]" not in out
    first, second = re.findall(r"Dr\. (\w+)", out)
    assert first == second
