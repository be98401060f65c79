"""Every identifier pattern's inline examples, the validators, and rule/lexicon validation."""

from __future__ import annotations

import json

import pytest

from riskflag.errors import RulesError
from riskflag.pipeline.patterns import PatternDetector
from riskflag.rules import resource_path


def _examples():
    data = json.loads(resource_path("identifiers/patterns.json").read_text(encoding="utf-8"))
    for rule in data["patterns"]:
        for kind in ("match", "no_match"):
            for ex in rule.get("examples", {}).get(kind, []):
                yield pytest.param(rule["id"], ex, kind == "match", id=f"{rule['id']}-{kind}-{ex[:18]}")


@pytest.fixture(scope="module")
def detector():
    det = PatternDetector()
    det.load()
    return det


@pytest.mark.parametrize(("rule_id", "example", "want"), list(_examples()))
def test_pattern_examples(detector, rule_id, example, want):
    got = any(m.rule_id == rule_id for m in detector.match(example, all_rules=True))
    assert got == want


def test_every_pattern_has_examples():
    data = json.loads(resource_path("identifiers/patterns.json").read_text(encoding="utf-8"))
    for rule in data["patterns"]:
        assert rule.get("examples", {}).get("match"), rule["id"]
        assert rule.get("examples", {}).get("no_match"), rule["id"]


def test_rules_check_includes_identifier_files():
    from riskflag.rule_check import CHECKS

    assert "patterns" in CHECKS and "identifier_lexicons" in CHECKS
    problems, n = CHECKS["identifier_lexicons"]()
    assert not problems and n > 0


@pytest.mark.parametrize(("name", "value", "ok"), [
    ("ssn", "123-45-6789", True), ("ssn", "000-12-3456", False), ("ssn", "666-12-3456", False),
    ("ssn", "923-45-6789", False), ("npi", "1234567893", True), ("npi", "1234567890", False),
    ("dea", "AB1234563", True), ("dea", "AB1234567", False), ("luhn", "4111111111111111", True),
    ("luhn", "4111111111111112", False), ("month_day", "7/22", True), ("month_day", "4/5", False),
    ("month_day", "1/2", False), ("month_day", "13/2", False), ("ipv4", "10.0.0.254", True),
    ("ipv4", "0.0.0.0", False), ("nanp_phone", "410-555-0182", True), ("nanp_phone", "123-456-7890", False),
    ("us_zip", "21204", True), ("us_zip", "00000", False), ("street", "123 Main St", True),
    ("street", "8u reg insulin SQ", False), ("md_pair", "10/03/10/04", True), ("md_pair", "12/30/01/02", True),
    ("md_pair", "10/05/12/40", False), ("md_pair", "10/05/10/05", False),
    ("iban", "GB82 WEST 1234 5698 7654 32", True), ("iban", "GB82 WEST 1234 5698 7654 33", False),
    ("uk_postcode", "NW1 6XE", True), ("uk_postcode", "V2 4MI", False),
    ("national_phone", "07700 900123", True), ("national_phone", "0700 1900", False),
    ("nanp_phone", "+1 (555) 123-4567", True),
])
def test_validators(name, value, ok):
    from riskflag.pipeline.validators import get_validator

    assert get_validator(name)(value) is ok


def test_unknown_key_rejected(tmp_path):
    bad = {"version": "1", "description": "x", "patterns": [
        {"id": "r", "label": "DATE", "regex": "x", "score": 0.5, "colour": "red"}]}
    p = tmp_path / "p.json"
    p.write_text(json.dumps(bad))
    with pytest.raises(RulesError) as exc:
        PatternDetector(rules=str(p)).load()
    assert exc.value.code == "E304" and "colour" in str(exc.value)


def test_unknown_tag_rejected(tmp_path):
    bad = {"version": "1", "description": "x", "patterns": [
        {"id": "r", "label": "DATE", "regex": "x", "score": 0.5, "tags": ["sometimes"]}]}
    p = tmp_path / "p.json"
    p.write_text(json.dumps(bad))
    with pytest.raises(RulesError):
        PatternDetector(rules=str(p)).load()


def test_lexicons_need_a_source(tmp_path):
    import shutil

    from riskflag.pipeline.id_lexicons import LEXICON_FILES, load_lexicons

    for name in LEXICON_FILES:
        shutil.copy(resource_path(f"identifiers/{name}"), tmp_path / name)
    data = json.loads((tmp_path / "cues.json").read_text())
    del data["source"]
    (tmp_path / "cues.json").write_text(json.dumps(data))
    with pytest.raises(RulesError) as exc:
        load_lexicons(tmp_path)
    assert "source" in str(exc.value)


def test_lexicons_reject_upper_case(tmp_path):
    import shutil

    from riskflag.pipeline.id_lexicons import LEXICON_FILES, load_lexicons

    for name in LEXICON_FILES:
        shutil.copy(resource_path(f"identifiers/{name}"), tmp_path / name)
    data = json.loads((tmp_path / "allow.json").read_text())
    data["lists"]["drug"]["entries"].append("Zoloft")
    (tmp_path / "allow.json").write_text(json.dumps(data))
    with pytest.raises(RulesError):
        load_lexicons(tmp_path)


def test_shipped_lists_keep_false_friends():
    from riskflag.pipeline.id_lexicons import load_lexicons

    lex = load_lexicons()
    for w in ("pt", "ot", "gi", "foley", "zoloft", "micu"):
        assert w in lex.hard_allow
    for name, header in lex.headers.items():
        assert header.get("source"), name


def test_model_manifest_checked(tmp_path):
    import shutil

    from riskflag.errors import ModelError
    from riskflag.paths import shipped_model_path
    from riskflag.pipeline.id_model import MANIFEST_FILE, MODEL_FILE, load_identifier_model

    src = shipped_model_path("identifiers")
    bundle = load_identifier_model(src)
    assert bundle["manifest"]["training_data"] == "train.jsonl"
    shutil.copy(src / MANIFEST_FILE, tmp_path / MANIFEST_FILE)
    (tmp_path / MODEL_FILE).write_bytes((src / MODEL_FILE).read_bytes() + b"tampered")
    with pytest.raises(ModelError) as exc:
        load_identifier_model(tmp_path)
    assert exc.value.code == "E402"
    with pytest.raises(ModelError):
        load_identifier_model(tmp_path / "missing")


def test_shipped_model_matches_lexicons():
    """Retrain (python data/identifiers/make_model.py) after changing any identifier list."""
    from riskflag.paths import shipped_model_path
    from riskflag.pipeline.id_lexicons import load_lexicons
    from riskflag.pipeline.id_model import load_identifier_model

    manifest = load_identifier_model(shipped_model_path("identifiers"))["manifest"]
    assert manifest["lexicons"] == load_lexicons().fingerprint()
    assert 0.5 <= manifest["min_score"] <= 0.9


@pytest.mark.parametrize(("text", "value", "label", "source"), [
    ("passport number 123456789", "123456789", "ID", "id.generic"),
    ("Model #:  1234.,Serial #:   123456789.", "123456789", "DEVICE", "device.serial"),
    ("SSN: 512-44-7391", "512-44-7391", "SSN", "ssn"),
])
def test_same_text_two_rules_keeps_one_consistent_span(nlp_ids, text, value, label, source):
    """spaCy keys span extension values by offsets: two rules matching the same text used to share the score and
    source written last (a passport number came out as SSN from id.generic); the best-scoring rule now wins whole."""
    doc = nlp_ids(text)
    spans = [s for s in doc.spans["ids.patterns"] if s.text == value]
    assert len(spans) == 1
    assert (spans[0].label_, spans[0]._.source) == (label, source)
    found = [(s.label_, s._.source) for s in doc.spans["identifiers"] if s.text == value]
    assert found == [(label, source)]
