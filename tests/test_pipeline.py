"""The spaCy pipeline: factories, component order, sections and sentence boundaries."""

from __future__ import annotations

import pytest
import spacy

from riskflag.pipeline import build_nlp
from riskflag.pipeline.sections import section_at


def test_blank_english_with_riskflag_components(nlp_ids):
    assert nlp_ids.lang == "en"
    assert nlp_ids.pipe_names[:2] == ["riskflag_sections", "riskflag_sentences"]
    assert nlp_ids.pipe_names[-1] == "riskflag_identifiers"
    analysis = nlp_ids.analyze_pipes(pretty=False)
    assert not any(analysis["problems"].values())


def test_components_via_the_spacy_factory_path():
    nlp = spacy.blank("en")
    nlp.add_pipe("riskflag_sections")
    nlp.add_pipe("riskflag_patterns")
    nlp.initialize()
    doc = nlp("Plan: call 410-555-0182")
    assert {s.label_ for s in doc.spans["ids.patterns"]} == {"PHONE"}
    assert [s.label_ for s in doc.spans["sections"]] == ["plan"]


def test_pipeline_round_trips_to_disk(tmp_path, nlp_ids):
    nlp_ids.to_disk(tmp_path / "nlp")
    assert (tmp_path / "nlp" / "riskflag_patterns" / "patterns.json").is_file()


@pytest.mark.parametrize(
    "text,char_of,category",
    [
        ("Past Psychiatric History: overdose 2015.\nAssessment: stable.", "overdose", "history"),
        ("Past Psychiatric History: overdose 2015.\nAssessment: stable.", "stable", "current"),
        ("FAMILY HISTORY:\nbrother died by suicide", "brother", "family_history"),
        ("S: pt reports low mood\nP: safety plan reviewed", "safety", "plan"),
        ("Patient education - call 988 if needed", "call", "education"),
    ],
)
def test_sections(nlp_ids, text, char_of, category):
    doc = nlp_ids(text)
    assert section_at(doc, text.index(char_of))[0] == category


def test_one_letter_headers_need_a_colon(nlp_ids):
    doc = nlp_ids("A patient was seen.\nP\nlan")
    assert section_at(doc, 0) == (None, None)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Denies SI. Endorses poor sleep.", ["Denies SI.", "Endorses poor sleep."]),
        ("SI: denies\nHI: denies\nMood: low", ["SI: denies", "HI: denies", "Mood: low"]),
        ("Pt reports that she has been feeling\nvery down for the past two weeks and\nsleeping poorly.",
         ["Pt reports that she has been feeling\nvery down for the past two weeks and\nsleeping poorly."]),
        ("Risk:\n- denies SI\n- denies HI", ["Risk:", "- denies SI", "- denies HI"]),
        # lower-case dictation: a "." ends the sentence unless it closes an abbreviation or initial
        ("i work at a store in tulsa. my husband hit me again.", ["i work at a store in tulsa.", "my husband hit me again."]),
        ("pt. states she is fine. he denies si.", ["pt. states she is fine.", "he denies si."]),
        ("seen by j. smith today", ["seen by j. smith today"]),
        ("1. take meds\n2. follow up", ["1. take meds", "2. follow up"]),
        ("Are you safe? yes", ["Are you safe? yes"]),
    ],
)
def test_sentences(nlp_ids, text, expected):
    assert [s.text.strip() for s in nlp_ids(text).sents] == expected


def test_max_length_is_configurable():
    assert build_nlp(risk=False, max_length=123).max_length == 123


def test_sentence_lexicon_is_a_validated_data_file():
    import json

    from riskflag.pipeline import sentences
    from riskflag.rules import resource_path

    data = json.loads(resource_path(sentences.SENTENCE_LEXICON).read_text(encoding="utf-8"))
    assert {"pt", "mg"} <= set(data["abbreviations"]) and "." in data["sentence_end"]
    end, abbreviations, bullets = sentences._lexicon()
    assert "pt" in abbreviations and "•" in bullets and "?" in end
