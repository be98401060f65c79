"""The featurizer follows the scikit-learn estimator contract."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from riskflag.features import PassageFeaturizer
from riskflag.types import Passage

DOCS = [
    {"text": "Pt denies SI.", "features": {"cue=sh_si_abbrev": 1.0, "label=self_harm|negated": 1.0}},
    {"text": "Endorses SI with plan.", "features": {"cue=sh_si_abbrev": 1.0, "label=self_harm|affirmed": 1.0}},
    "Lungs clear.",
    Passage(note_id="n", start=0, end=10, text="Wants to die", features={"cue=sh_death_wish": 1.0}),
]


@pytest.mark.parametrize("check", [
    check_no_attributes_set_in_init, check_parameters_default_constructible, check_get_params_invariance,
    check_set_params,
])
def test_sklearn_contract(check):
    check("PassageFeaturizer", PassageFeaturizer())


def test_not_fitted():
    with pytest.raises(NotFittedError):
        PassageFeaturizer().transform(DOCS)


def test_fit_returns_self_and_shapes():
    f = PassageFeaturizer(min_df=1)
    assert f.fit(DOCS) is f
    X = f.transform(DOCS)
    assert X.shape == (4, f.n_features_out_) == (4, len(f.get_feature_names_out()))
    names = list(f.get_feature_names_out())
    assert "f:cue=sh_si_abbrev" in names and any(n.startswith("w:") for n in names)


def test_deterministic_and_picklable():
    f = PassageFeaturizer(min_df=1).fit(DOCS)
    g = pickle.loads(pickle.dumps(f))
    assert (f.transform(DOCS) != g.transform(DOCS)).nnz == 0
    h = clone(f).fit(DOCS)
    assert np.array_equal(f.get_feature_names_out(), h.get_feature_names_out())


def test_unseen_features_ignored():
    f = PassageFeaturizer(min_df=1).fit(DOCS)
    X = f.transform([{"text": "zzz", "features": {"never=seen": 1.0}}])
    assert X.shape[1] == f.n_features_out_


@pytest.mark.parametrize("bad", ["just a string", [1, 2]])
def test_bad_input(bad):
    with pytest.raises(TypeError):
        PassageFeaturizer().fit(bad)


def test_blocks_can_be_switched_off():
    f = PassageFeaturizer(word_ngrams=None, char_ngrams=None).fit(DOCS)
    assert all(n.startswith("f:") for n in f.get_feature_names_out())


@pytest.mark.parametrize("texts", [
    ["pt denies si/hi, no plan.", "  wants to  kill   him\tnow ", "x", ""],
    ["café naïve über 00/00/0000 c-ssrs", "a b c d e f g h i j k l m n o p", "hi"],
])
@pytest.mark.parametrize("options", [
    {"analyzer": "char_wb", "ngram_range": (3, 5)},
    {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w[\w'/-]*\b|[+-](?=\w)"},
])
def test_fast_tfidf_equals_sklearn(texts: list[str], options: dict) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from riskflag.features import tfidf_transform

    vec = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options)
    vec.fit(["pt denies si hi no plan wants to kill him", "café über naïve c-ssrs scale", "a b c"])
    want, got = vec.transform(texts), tfidf_transform(vec, texts)
    assert type(got) is type(want) and got.dtype == want.dtype
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)
