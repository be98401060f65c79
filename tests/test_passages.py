"""Doc → Passage candidates with cue and context features."""

from __future__ import annotations

import json

import pytest

from riskflag.passages import from_doc


@pytest.fixture(scope="module")
def nlp_risk():
    from riskflag.pipeline import build_nlp

    return build_nlp(identifiers=False)


def test_no_cue_no_passage(nlp_risk):
    assert from_doc(nlp_risk("Lungs clear. Heart regular rate and rhythm."), "n1") == []


def test_one_passage_per_cue_sentence(nlp_risk):
    text = "Sleeping poorly. Pt denies SI. Lungs clear. Endorses HI toward neighbor."
    ps = from_doc(nlp_risk(text), "n1", neighbours=0)
    assert [text[p.start:p.end] for p in ps] == ["Pt denies SI.", "Endorses HI toward neighbor."]
    assert ps[0].text == "Pt denies SI."
    assert ps[0].context == ("negated",)
    assert ps[1].context == ()
    assert all(p.note_id == "n1" for p in ps)


def test_neighbour_sentences_join_within_paragraph(nlp_risk):
    text = "Lungs clear.\n\nSleeping poorly. Pt denies SI. Appetite fair.\n\nExam normal."
    ps = from_doc(nlp_risk(text), "n1")
    assert [p.text for p in ps] == ["Sleeping poorly. Pt denies SI. Appetite fair."]


def test_header_line_joins_next(nlp_risk):
    text = "Suicidal ideation:\nDenies."
    ps = from_doc(nlp_risk(text), "n1")
    assert len(ps) == 1 and ps[0].end == len(text)


def test_whole_mode(nlp_risk):
    text = "No complaints today."
    ps = from_doc(nlp_risk(text), "n1", mode="whole")
    assert len(ps) == 1 and (ps[0].start, ps[0].end) == (0, len(text))
    assert ps[0].features == {"no_cue": 1.0}


def test_unknown_mode(nlp_risk):
    with pytest.raises(ValueError, match="unknown passage mode"):
        from_doc(nlp_risk("x"), mode="paragraph")


def test_features_cross_cues_with_context(nlp_risk):
    p = from_doc(nlp_risk("Pt denies suicidal ideation."), "n1")[0]
    f = p.features
    assert f["cue=sh_suicid"] == 1.0
    assert f["label=self_harm|negated"] >= 1.0
    assert f["trigger=neg_denies"] == 1.0
    assert f["context=negated"] == 1.0


def test_label_context_prefers_strong_cues(nlp_risk):
    p = from_doc(nlp_risk("Pt endorses SI and says if he loses his job he would be gone."), "n1")[0]
    assert "hypothetical" in p.cue_flags[-1]  # the weak cue "gone"
    assert p.label_context("self_harm") == ()


def test_passage_json_safe(nlp_risk):
    p = from_doc(nlp_risk("Pt denies SI."), "n1")[0]
    d = json.loads(json.dumps(p.to_dict()))
    assert d["cues"][0]["rule_id"] == "sh_si_abbrev"
    assert d["cue_flags"] == [["negated"]]


def test_long_run_on_sentence_is_windowed(nlp_risk):
    filler = " ".join(["word"] * 200)
    text = f"{filler} endorses SI {filler}"
    ps = from_doc(nlp_risk(text), "n1")
    assert len(ps) == 1 and ps[0].end - ps[0].start < 400


def test_adjacent_cue_sentences_never_merge_past_the_passage_cap(nlp_full):
    from riskflag.passages import MAX_PASSAGE_TOKENS, from_doc

    doc = nlp_full("Pt reports feeling tired. Denies SI. " * 300)
    passages = from_doc(doc, "long")
    assert len(passages) > 1
    for p in passages:
        assert len(doc.char_span(p.start, p.end, alignment_mode="expand")) <= MAX_PASSAGE_TOKENS
