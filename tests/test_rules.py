"""Rule loading: validation with coded errors, and every shipped rule's inline examples."""

from __future__ import annotations

import json

import pytest

from riskflag.errors import RulesError
from riskflag.pipeline.patterns import PATTERN_SCHEMA
from riskflag.rule_check import CHECKS, check_all
from riskflag.rules import load_rules, rules_version


def _file(tmp_path, rules):
    p = tmp_path / "r.json"
    p.write_text(json.dumps({"version": "t", "patterns": rules}))
    return p


GOOD = {"id": "x", "label": "EMAIL", "regex": "a+", "score": 0.5}


@pytest.mark.parametrize(
    "rule,code,fragment",
    [
        ({**GOOD, "colour": "red"}, "E304", "allowed:"),
        ({k: v for k, v in GOOD.items() if k != "regex"}, "E304", "missing required key 'regex'"),
        ({**GOOD, "label": "NOPE"}, "E304", "unknown label"),
        ({**GOOD, "score": 1.5}, "E304", "0..1"),
        ({**GOOD, "score": "high"}, "E304", "wrong type"),
    ],
)
def test_invalid_rules_are_rejected_with_codes(tmp_path, rule, code, fragment):
    with pytest.raises(RulesError) as exc:
        load_rules(_file(tmp_path, [rule]), PATTERN_SCHEMA)
    assert exc.value.code == code
    assert fragment in str(exc.value)


def test_duplicate_ids_and_bad_json(tmp_path):
    with pytest.raises(RulesError, match="duplicate rule id"):
        load_rules(_file(tmp_path, [GOOD, GOOD]), PATTERN_SCHEMA)
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(RulesError) as exc:
        load_rules(bad, PATTERN_SCHEMA)
    assert exc.value.code == "E302"


def test_bad_regex_is_reported_at_compile(tmp_path):
    from riskflag.pipeline.patterns import PatternRule

    with pytest.raises(RulesError, match="rule 'x': invalid regex"):
        PatternRule.from_dict({**GOOD, "regex": "(unclosed"})


def test_header_has_hash_and_version(tmp_path):
    rules, header = load_rules(_file(tmp_path, [GOOD]), PATTERN_SCHEMA)
    assert rules == [GOOD]
    assert header["version"] == "t" and len(header["sha256"]) == 64
    assert rules_version()


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_shipped_rule_examples(name):
    problems, checked = CHECKS[name]()
    assert checked > 0
    assert problems == []


def test_check_all_reports_problems():
    problems, checked = check_all()
    assert problems == [] and checked > 0
