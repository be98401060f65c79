"""Risk cue rules and blockers: inline examples, idioms and false friends, rule validation."""

from __future__ import annotations

import json

import pytest

from riskflag.errors import RulesError
from riskflag.pipeline.risk_cues import CUE_SCHEMA
from riskflag.rules import load_rules


@pytest.fixture(scope="module")
def nlp_risk():
    from riskflag.pipeline import build_nlp

    return build_nlp(identifiers=False)


def strong(nlp, text):
    doc = nlp(text)
    return [(c.text, c.label_) for c in doc.spans["risk_cues"] if c._.score >= 0.5]


def test_cue_rule_examples():
    from riskflag.rule_check import check_risk_cues

    problems, n = check_risk_cues()
    assert n > 80
    assert problems == []


@pytest.mark.parametrize(("text", "label"), [
    ("Endorses SI with plan.", "self_harm"),
    ("He wants to kill himself.", "self_harm"),
    ("Reports passive death wish.", "self_harm"),
    ("Took an overdose of sertraline.", "self_harm"),
    ("Endorses HI toward neighbor.", "harm_to_others"),
    ("I will kill him if he comes back.", "harm_to_others"),
    ("History of domestic violence.", "abuse_neglect"),
    ("Her husband hits her when he drinks.", "abuse_neglect"),
    ("CPS report filed.", "abuse_neglect"),
])
def test_strong_cues(nlp_risk, text, label):
    assert label in {lab for _, lab in strong(nlp_risk, text)}


@pytest.mark.parametrize(("text", "label"), [
    ("Tenderness over the SI joint.", "self_harm"),
    ("Left SI joint injection performed.", "self_harm"),
    ("History of tobacco abuse.", "abuse_neglect"),
    ("Alcohol abuse, in remission.", "abuse_neglect"),
    ("Polysubstance abuse.", "abuse_neglect"),
    ("Skin closed with staple gun.", "self_harm"),
    ("Skin closed with staple gun.", "harm_to_others"),
    ("Left hemispatial neglect after stroke.", "abuse_neglect"),
    ("Just killing time before group.", "harm_to_others"),
    ("I could kill for a coffee.", "harm_to_others"),
    ("Stabbing pain in the chest.", "harm_to_others"),
    ("Status post heart attack.", "harm_to_others"),
    ("Aggressive tumor resection.", "harm_to_others"),
])
def test_idioms_and_false_friends_blocked(nlp_risk, text, label):
    assert label not in {lab for _, lab in strong(nlp_risk, text)}


def test_blocked_cues_kept_for_inspection(nlp_risk):
    doc = nlp_risk("Tenderness over the SI joint.")
    assert [s._.evidence[0].rule_id for s in doc.spans["risk_cues.blocked"]] == ["block_si_joint"]


def test_cue_evidence_has_offsets(nlp_risk):
    text = "Pt endorses SI."
    doc = nlp_risk(text)
    span = doc.spans["risk_cues"][0]
    ev = span._.evidence[0]
    assert (ev.kind, ev.rule_id) == ("cue", "sh_si_abbrev")
    assert text[ev.start:ev.end] == "SI"


@pytest.mark.parametrize(("rule", "message"), [
    ({"id": "x", "label": "violence", "literals": ["hit"]}, "unknown label"),
    ({"id": "x", "label": "self_harm"}, "needs one of"),
    ({"id": "x", "label": "self_harm", "literals": ["x"], "weight": 3}, "weight"),
    ({"id": "x", "label": "self_harm", "regex": "(unclosed"}, "invalid regex"),
    ({"id": "x", "label": "self_harm", "literals": ["x"], "extra": 1}, "unknown key"),
])
def test_invalid_cue_rules(tmp_path, rule, message):
    from riskflag.pipeline.risk_cues import RiskCueDetector

    f = tmp_path / "cues.json"
    f.write_text(json.dumps({"version": "t", "cues": [rule], "blockers": []}))
    with pytest.raises(RulesError, match=message):
        load_rules(f, CUE_SCHEMA)
        import spacy

        nlp = spacy.blank("en")
        RiskCueDetector(nlp.vocab, nlp.make_doc, rules=str(f)).load()


def _cues(doc, key="risk_cues"):
    return {(s.text.lower(), s._.source) for s in doc.spans.get(key, [])}


def test_weak_cues_in_operative_text_are_blocked_by_section(nlp_risk):
    doc = nlp_risk("HPI: Routine follow-up.\nPROCEDURE IN DETAIL: The skin was incised with a #15 blade and "
                   "bleeding was controlled. The patient then said he wants to kill himself.")
    kept = _cues(doc)
    assert not any(src.endswith("_weak") for _, src in kept)  # 'blade', 'bleeding': surgery
    assert any(src == "sh_kill_self" for _, src in kept)  # an explicit cue there still counts
    blocked = [s for s in doc.spans["risk_cues.blocked"] if s._.source.endswith("_weak")]
    assert blocked and all(any(ev.rule_id == "block_weak_in_operative_text" for ev in s._.evidence) for s in blocked)


@pytest.mark.parametrize("text", [
    "HPI: She cut her forearm with a razor blade last night.",
    "FINDINGS: Spiral fracture of the left femur in a 4-month-old.",
    "She cut her forearm with a razor blade last night.",
])
def test_weak_cues_outside_operative_sections_stay(nlp_risk, text):
    assert any(src.endswith("_weak") for _, src in _cues(nlp_risk(text)))


def test_section_blocker_must_name_known_cues(tmp_path):
    import spacy

    from riskflag.pipeline.risk_cues import RiskCueDetector

    f = tmp_path / "cues.json"
    f.write_text(json.dumps({"version": "t", "cues": [{"id": "c", "label": "self_harm", "literals": ["x"]}], "blockers": [],
                             "section_blockers": [{"id": "s", "sections": ["procedure"], "cues": ["nope"]}]}))
    nlp = spacy.blank("en")
    with pytest.raises(RulesError, match="unknown cue rule"):
        RiskCueDetector(nlp.vocab, nlp.make_doc, rules=str(f)).load()
