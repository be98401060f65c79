"""Token-level identifier evaluation: library, CLI, and the floor on the shared deid corpus."""

from __future__ import annotations

import json

import pytest

from riskflag.identifier_eval import IdentifierEval, score_note, tokens


def test_tokens_are_letter_digit_runs():
    text = "Dr. O'Rourke 07/22/2024"
    assert [text[s:e] for s, e in tokens(text)] == ["Dr", "O", "Rourke", "07", "22", "2024"]


def test_score_note_counts():
    text = "Dr Lee saw Ann on 7/22"
    gold = [(3, 6, "NAME"), (11, 14, "NAME"), (18, 22, "DATE")]
    pred = [(3, 6), (18, 20), (7, 10)]
    r = IdentifierEval()
    score_note(text, gold, pred, r)
    assert r.gold_tokens == 4 and r.pred_tokens == 3 and r.true_positive == 2
    assert r.per_label_recall() == {"DATE": 0.5, "NAME": 0.5}
    assert r.missed == {"ann": 1, "22": 1}
    assert r.false == {"saw": 1}
    d = r.to_dict()
    assert "top_missed" not in d and d["recall"] == 0.5


def test_cli_evaluate(tmp_path, capsys):
    from riskflag.cli import main

    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "1", "text": "Dr. Lee saw pt on 07/22/2024.",
                                "spans": [{"start": 4, "end": 7, "label": "NAME"},
                                          {"start": 18, "end": 28, "label": "DATE"}]}) + "\n")
    assert main(["evaluate-identifiers", str(gold), "--json", "--top", "0"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["recall"] == 1.0 and report["gold_tokens"] == 4
    assert main(["evaluate-identifiers", str(gold)]) == 0
    assert "your own labelled file" in capsys.readouterr().out


def test_cli_evaluate_bad_file(tmp_path):
    from riskflag.cli import main

    bad = tmp_path / "b.jsonl"
    bad.write_text("{not json\n")
    assert main(["evaluate-identifiers", str(bad)]) == 2
    assert main(["evaluate-identifiers", str(tmp_path / "missing.jsonl")]) == 2


#: measured floors on the shared deid nursing corpus (targets: recall 0.98, precision 0.85); raise as it improves
DEID_RECALL_FLOOR = 0.98
DEID_PRECISION_FLOOR = 0.93


@pytest.mark.shared
@pytest.mark.slow
def test_deid_corpus_floor(shared_data, nlp_ids):
    from riskflag.identifier_eval import evaluate_identifiers

    path = shared_data / "phi" / "deid_nursing_dev.jsonl"
    if not path.is_file():
        pytest.skip("deid corpus not available")
    r = evaluate_identifiers(path, nlp=nlp_ids)
    assert r.recall >= DEID_RECALL_FLOOR
    assert r.precision >= DEID_PRECISION_FLOOR


#: measured on data/identifiers/probe_nonclinical.jsonl (project-written non-clinical and mixed text): the
#: "probe-dev" half guided rule work, the "probe-held" half was written at the same time and never tuned on
PROBE_FLOORS = {"probe-dev": (0.95, 0.97), "probe-held": (0.84, 0.97)}


@pytest.mark.slow
@pytest.mark.parametrize("half", sorted(PROBE_FLOORS))
def test_nonclinical_probe_floor(nlp_ids, tmp_path, half):
    import json
    from pathlib import Path

    from riskflag.identifier_eval import evaluate_identifiers

    src = Path(__file__).resolve().parents[1] / "data" / "identifiers" / "probe_nonclinical.jsonl"
    rows = [line for line in src.read_text(encoding="utf-8").splitlines() if json.loads(line)["id"].startswith(half)]
    assert len(rows) == 30
    part = tmp_path / f"{half}.jsonl"
    part.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = evaluate_identifiers(part, nlp=nlp_ids)
    recall_floor, precision_floor = PROBE_FLOORS[half]
    assert r.recall >= recall_floor
    assert r.precision >= precision_floor
