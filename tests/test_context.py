"""ConText component: rule file validation, inline examples, clinical templates, scope, sections."""

from __future__ import annotations

import json

import pytest

from riskflag.errors import RulesError
from riskflag.pipeline.context import CONTEXT_SCHEMA
from riskflag.rules import load_rules


@pytest.fixture(scope="module")
def nlp_risk():
    from riskflag.pipeline import build_nlp

    return build_nlp(identifiers=False)


def cue_flags(nlp, text):
    """[(cue text, label, sorted flags)] of a text."""
    doc = nlp(text)
    return [(c.text, c.label_, sorted(doc._.risk_context[i][0])) for i, c in enumerate(doc.spans["risk_cues"])]


def flags_of(nlp, text, cue):
    found = [f for t, _, f in cue_flags(nlp, text) if t == cue]
    assert found, f"no cue {cue!r} in {cue_flags(nlp, text)}"
    return found[0]


def test_context_rule_examples():
    from riskflag.rule_check import check_context

    problems, n = check_context()
    assert n > 40
    assert problems == []


@pytest.mark.parametrize(("text", "cue"), [
    ("SI/HI: denies.", "SI/HI"),
    ("Suicidal ideation: no", "Suicidal"),
    ("Homicidal ideation: none.", "Homicidal"),
    ("Suicidal ideation [ ] yes [x] no", "Suicidal"),
    ("[x] No SI", "SI"),
    ("-SI, -HI", "-SI"),
    ("-SI, -HI", "-HI"),
    ("PHQ-9 item 9 = 0", "PHQ-9 item 9"),
    ("C-SSRS negative", "C-SSRS"),
    ("Pt denies suicidal ideation.", "suicidal"),
    ("No SI or HI.", "SI"),
    ("Denies SI/HI.", "SI/HI"),
    ("SI/HI denied.", "SI/HI"),
    ("Therapist: Any urges to cut this week?\nClient: No. First week in a while.", "urges to cut"),
])
def test_negated_templates(nlp_risk, text, cue):
    assert "negated" in flags_of(nlp_risk, text, cue)


@pytest.mark.parametrize(("text", "cue"), [
    ("Endorses passive SI, denies plan or intent.", "passive SI"),
    ("Denies plan or intent but endorses passive SI.", "passive SI"),
    ("Passive SI without plan or intent.", "Passive SI"),
    ("Denies HI; endorses SI with plan to overdose.", "SI"),
    ("PHQ-9 item 9 = 2", "PHQ-9 item 9 = 2"),  # the positive score is part of the cue (sh_means_behaviour)
    ("+SI", "+SI"),
    ("Mother reports that pt said he wants to kill himself.", "kill himself"),
])
def test_not_negated(nlp_risk, text, cue):
    assert "negated" not in flags_of(nlp_risk, text, cue)


@pytest.mark.parametrize(("text", "cue", "flag"), [
    ("h/o SI in 2015, none since.", "SI", "historical"),
    ("History of suicide attempt by overdose.", "suicide attempt", "historical"),
    ("Safety plan reviewed: if SI returns, call 988.", "SI", "hypothetical"),
    ("Counseled on safe storage of firearms.", "firearms", "hypothetical"),
    ("Brother died by suicide.", "suicide", "experiencer"),
    ("Her mother attempted suicide in 2001.", "suicide", "experiencer"),
    ("Past Psychiatric History:\nOne suicide attempt at 16.", "suicide attempt", "historical"),
    ("Family History:\nPaternal uncle completed suicide.", "suicide", "experiencer"),
    ("A patient on the unit who tried to hang herself was discussed.", "hang herself", "experiencer"),
    ("her client was choked by her boyfriend.", "choked", "experiencer"),
    ("What would you do if you had thoughts of killing yourself?", "killing yourself", "hypothetical"),
    ("In case of thoughts of self-harm, go to the ER.", "self-harm", "hypothetical"),
    ("The main character in the series tries to kill himself.", "kill himself", "hypothetical"),
    ('Says "a year ago I would have punched him."', "punched him", "hypothetical"),
    ("Suicidal ideation, currently in remission.", "Suicidal", "historical"),
])
def test_flags(nlp_risk, text, cue, flag):
    assert flag in flags_of(nlp_risk, text, cue)


@pytest.mark.parametrize(("text", "cue", "flag"), [
    ("If he finds out he'll kill me.", "kill me", "hypothetical"),
    ("He wants to kill his wife.", "kill his", "experiencer"),
    ("He told his wife he would kill himself.", "kill himself", "experiencer"),
    ("History of two overdoses; now endorses SI with plan.", "SI", "historical"),
    # lower-case dictation: the job sentence before does not make the next one someone else's
    ("i work at a store in tulsa. my husband hit me again last night.", "hit me", "experiencer"),
    ("Her boyfriend choked her on Saturday.", "choked her on", "experiencer"),
])
def test_flag_not_set(nlp_risk, text, cue, flag):
    assert flag not in flags_of(nlp_risk, text, cue)


def test_scope_stops_at_sentence(nlp_risk):
    assert flags_of(nlp_risk, "Denies HI. Reports SI daily.", "SI") == []


def test_modifiers_explain_flags(nlp_risk):
    doc = nlp_risk("Pt denies suicidal ideation.")
    span = doc.spans["risk_cues"][0]
    assert span._.negated is True
    assert [m.rule_id for m in span._.modifiers] == ["neg_denies"]
    assert span._.modifiers[0].detail == "negated"


@pytest.mark.parametrize(("rule", "message"), [
    ({"id": "x", "literal": "no", "category": "NEGATED", "direction": "FORWARD"}, "unknown category"),
    ({"id": "x", "literal": "no", "category": "NEGATED_EXISTENCE", "direction": "SIDEWAYS"}, "unknown direction"),
    ({"id": "x", "literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "colour": 1}, "unknown key"),
    ({"id": "x", "literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD",
      "allowed_types": ["PROBLEM"]}, "allowed_types"),
])
def test_invalid_rules_rejected(tmp_path, rule, message):
    f = tmp_path / "ctx.json"
    f.write_text(json.dumps({"version": "t", "context_rules": [rule]}))
    with pytest.raises(RulesError, match=message):
        load_rules(f, CONTEXT_SCHEMA)


def test_component_round_trip(tmp_path, nlp_risk):
    import spacy

    nlp_risk.to_disk(tmp_path / "p")
    nlp2 = spacy.load(tmp_path / "p")
    doc = nlp2("Pt denies SI.")
    assert doc.spans["risk_cues"][0]._.negated
    assert (tmp_path / "p" / "riskflag_context" / "context_rules.json").is_file()
