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
import weakref
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
            blocks.append(tfidf_transform(self.word_, texts))
        if self.char_ is not None:
            blocks.append(tfidf_transform(self.char_, texts))
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


# -- fast character n-grams -----------------------------------------------------------------
#: per fitted vectorizer: (fast counting function, its cache), or None: use sklearn's transform
_FAST_STATE: weakref.WeakKeyDictionary[Any, tuple[Any, dict[str, Any]] | None] = weakref.WeakKeyDictionary()
_CHAR_CACHE_MAX = 50_000  # distinct words kept per vectorizer
_WHITE_SPACES = re.compile(r"\s\s+")  # sklearn's _white_spaces


def _char_wb_indices(word: str, vocab: dict[str, int], min_n: int, max_n: int) -> np.ndarray:
    """Vocabulary indices of the char_wb n-grams of one word, as sklearn's ``_char_wb_ngrams``."""
    w = " " + word + " "
    w_len = len(w)
    out = []
    for n in range(min_n, max_n + 1):
        offset = 0
        j = vocab.get(w[offset:offset + n])
        if j is not None:
            out.append(j)
        while offset + n < w_len:
            offset += 1
            j = vocab.get(w[offset:offset + n])
            if j is not None:
                out.append(j)
        if offset == 0:
            break
    return np.asarray(out, dtype=np.int64)


def _count_matrix(rows_idx: list[list[int] | np.ndarray], vec: Any) -> Any:
    """CSR counts (rows: vocabulary indices with repeats), as ``CountVectorizer._count_vocab``."""
    n_rows, n_cols = len(rows_idx), len(vec.vocabulary_)
    lengths = np.fromiter((len(r) for r in rows_idx), dtype=np.int64, count=n_rows)
    parts = [np.asarray(r, dtype=np.int64) for r in rows_idx if len(r)]
    cols = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
    keys, counts = np.unique(rows * n_cols + cols, return_counts=True)
    indptr = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(keys // n_cols, minlength=n_rows), out=indptr[1:])
    X = sp.csr_array((counts.astype(np.intc), (keys % n_cols).astype(np.int32), indptr),
                     shape=(n_rows, n_cols), dtype=vec.dtype)
    X.sort_indices()
    return X


def _char_wb_counts(vec: Any, texts: list[str], cache: dict[str, Any]) -> Any:
    """Counts of a char_wb analyzer from n-gram indices cached per word (a passage's n-grams
    never cross a space)."""
    vocab = vec.vocabulary_
    min_n, max_n = vec.ngram_range
    if len(cache) > _CHAR_CACHE_MAX:
        cache.clear()
    rows: list[np.ndarray] = []
    for text in texts:
        parts = []
        for w in _WHITE_SPACES.sub(" ", text.lower()).split():
            idx = cache.get(w)
            if idx is None:
                idx = cache[w] = _char_wb_indices(w, vocab, min_n, max_n)
            if idx.size:
                parts.append(idx)
        rows.append(np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64))
    return _count_matrix(rows, vec)


def _word_counts(vec: Any, texts: list[str], cache: dict[str, Any]) -> Any:
    """Counts of a word analyzer (sklearn's token pattern, then 1..max_n-grams joined by spaces)."""
    vocab = vec.vocabulary_
    max_n = vec.ngram_range[1]
    findall = cache.get("\0findall")
    if findall is None:
        findall = cache["\0findall"] = re.compile(vec.token_pattern).findall
    get = vocab.get
    rows: list[list[int]] = []
    for text in texts:
        tokens = findall(text.lower())
        grams = list(tokens)
        n_tok = len(tokens)
        for n in range(2, min(max_n + 1, n_tok + 1)):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(n_tok - n + 1))
        rows.append([j for j in map(get, grams) if j is not None])
    return _count_matrix(rows, vec)


def _fast_counts(vec: Any) -> Any:
    """The fast counting function for this fitted vectorizer's settings, or None."""
    if not (vec.preprocessor is None and not vec.strip_accents and vec.lowercase and vec.input == "content"
            and not vec.binary and hasattr(vec, "vocabulary_") and hasattr(vec, "_tfidf")):
        return None
    if vec.analyzer == "char_wb":
        return _char_wb_counts
    if (vec.analyzer == "word" and vec.tokenizer is None and vec.stop_words is None and vec.ngram_range[0] == 1
            and isinstance(vec.token_pattern, str)):
        return _word_counts
    return None


def tfidf_transform(vec: Any, texts: list[str]) -> Any:
    """``vec.transform(texts)`` for a fitted word or char_wb ``TfidfVectorizer``, with the n-gram
    counting done with cached per-word indices and numpy (the same matrix, several times faster).
    On first use with a vectorizer the fast path is checked against sklearn's own and dropped if
    they differ in any way."""
    if vec not in _FAST_STATE:
        state: tuple[Any, dict[str, Any]] | None = None
        fast = _fast_counts(vec)
        if fast is not None:
            sample = texts[:50] or ["a b"]
            state = (fast, {})
            want = vec.transform(sample)
            got = vec._tfidf.transform(fast(vec, sample, state[1]), copy=False)
            if not (want.shape == got.shape and np.array_equal(want.indptr, got.indptr)
                    and np.array_equal(want.indices, got.indices) and np.array_equal(want.data, got.data)
                    and want.dtype == got.dtype and type(want) is type(got)):
                state = None
        _FAST_STATE[vec] = state
    state = _FAST_STATE[vec]
    if state is None or not texts:
        return vec.transform(texts)
    fast, cache = state
    return vec._tfidf.transform(fast(vec, texts, cache), copy=False)
