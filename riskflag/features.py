"""The passage featurizer: a scikit-learn transformer (estimator contract: ``__init__`` stores
parameters, ``fit`` learns attributes ending in ``_`` and returns self, ``transform`` checks it is
fitted) that turns passages into one sparse matrix:

  word n-grams (TF-IDF)  +  character n-grams within words (TF-IDF)  +  cue/context feature dicts
  (``DictVectorizer``), combined as in a ``FeatureUnion``.

Input: a sequence of :class:`riskflag.types.Passage`, of dicts with ``text`` and ``features``, or
of plain strings (text only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .types import Passage

__all__ = ["PassageFeaturizer", "passage_parts"]

_NUM = re.compile(r"\d")
_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _WS.sub(" ", _NUM.sub("0", text.lower())).strip()


def passage_parts(X: Any) -> tuple[list[str], list[dict[str, float]]]:
    """(normalised texts, feature dicts) of a sequence of passages, dicts or strings."""
    if isinstance(X, str) or not isinstance(X, (Sequence, np.ndarray)) and not hasattr(X, "__iter__"):
        raise TypeError("PassageFeaturizer expects a sequence of Passage, dict or str")
    texts: list[str] = []
    feats: list[dict[str, float]] = []
    for x in X:
        if isinstance(x, Passage):
            texts.append(_norm(x.text))
            feats.append(dict(x.features))
        elif isinstance(x, dict):
            texts.append(_norm(str(x.get("text", ""))))
            feats.append(dict(x.get("features") or {}))
        elif isinstance(x, str):
            texts.append(_norm(x))
            feats.append({})
        else:
            raise TypeError(f"PassageFeaturizer cannot use items of type {type(x).__name__}")
    return texts, feats


class PassageFeaturizer(TransformerMixin, BaseEstimator):
    """Word + character n-grams and cue/context features of passages.

    Parameters
    ----------
    word_ngrams : (min_n, max_n) of word n-grams, or None to skip them
    char_ngrams : (min_n, max_n) of character n-grams inside word boundaries, or None
    min_df : minimum document frequency of an n-gram
    max_features : cap on each n-gram vocabulary (None: no cap)
    cue_weight : scale of the cue/context feature block
    """

    def __init__(self, word_ngrams: tuple[int, int] | None = (1, 2), char_ngrams: tuple[int, int] | None = (3, 5),
                 min_df: int = 2, max_features: int | None = 60000, cue_weight: float = 1.0) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_features = max_features
        self.cue_weight = cue_weight

    def fit(self, X: Any, y: Any = None) -> PassageFeaturizer:
        texts, feats = passage_parts(X)
        if not texts:
            raise ValueError("PassageFeaturizer needs at least one passage to fit")
        min_df = self.min_df if len(texts) >= 2 * self.min_df else 1
        self.word_ = None
        self.char_ = None
        if self.word_ngrams is not None:
            self.word_ = TfidfVectorizer(ngram_range=tuple(self.word_ngrams), min_df=min_df, sublinear_tf=True,
                                         max_features=self.max_features, token_pattern=r"(?u)\b\w[\w'/-]*\b|[+-](?=\w)",
                                         dtype=np.float32)
            self.word_.fit(texts)
        if self.char_ngrams is not None:
            self.char_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams), min_df=min_df,
                                         sublinear_tf=True, max_features=self.max_features, dtype=np.float32)
            self.char_.fit(texts)
        self.dict_ = DictVectorizer(dtype=np.float32).fit(feats)
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def transform(self, X: Any) -> sp.csr_matrix:
        check_is_fitted(self, "dict_")
        texts, feats = passage_parts(X)
        blocks = []
        if self.word_ is not None:
            blocks.append(self.word_.transform(texts))
        if self.char_ is not None:
            blocks.append(self.char_.transform(texts))
        d = self.dict_.transform(feats)
        if self.cue_weight != 1.0:
            d = d * self.cue_weight
        blocks.append(d)
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "dict_")
        names: list[str] = []
        if self.word_ is not None:
            names += [f"w:{n}" for n in self.word_.get_feature_names_out()]
        if self.char_ is not None:
            names += [f"c:{n}" for n in self.char_.get_feature_names_out()]
        names += [f"f:{n}" for n in self.dict_.get_feature_names_out()]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
