"""Learned identifier component: a scikit-learn logistic regression over candidate words, for names
and places that have no cue a rule could use ("Both Suzette and Hank are here", "transfer to
Quartermain 3"). Writes ``doc.spans["ids.model"]``.

Candidates are words that are not stop words or allow-listed and are either in a name/place
gazetteer or, in mixed-case notes, capitalised words rare in English; everything else is skipped, so
the Python work per note is proportional to the candidates. Features (binary, indexed with a fitted
vocabulary; a word's logits are the sum of its features' coefficient rows): gazetteer hits and rank
buckets, English frequency bucket, case of the word and of the note, suffixes, length, neighbouring
cue words, neighbouring punctuation and line breaks, and the note section.

The model is trained by ``python data/identifiers/make_model.py`` on synthetic notes the project
generates (``data/identifiers/``), never on evaluation data, and saved to ``models/identifiers/``
with a manifest (versions, classes, lexicon fingerprint, sha256 of the model file) that is checked
on load.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelError
from ..types import IDENTIFIER_LABELS, Evidence
from .extensions import IDENTIFIER_PREFIX, doc_text, make_span, register_extensions
from .id_lexicons import (
    IdentifierLexicons,
    Words,
    doc_words,
    find_words,
    load_lexicons,
    taken_offsets,
)

__all__ = ["IdentifierModel", "TokenFeaturizer", "train_identifier_model", "load_identifier_model",
           "MODEL_FILE", "MANIFEST_FILE", "CLASSES"]

log = logging.getLogger(__name__)

MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
CLASSES = ("O", "NAME", "PLACE")
CLASS_LABEL = {"NAME": "NAME", "PLACE": "LOCATION"}
GOLD_CLASS = {"NAME": "NAME", "ADDRESS": "PLACE", "LOCATION": "PLACE", "FACILITY": "PLACE"}
RARE_ZIPF = 3.0
COMMON_ZIPF = 4.5
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
FORMAT_VERSION = 1
#: share of candidate words that are identifiers in real notes (synthetic notes hold far more); the
#: model's "O" logit is shifted by the log prior ratio so its scores fit real notes (a standard prior
#: correction, fixed in advance, not tuned on evaluation data)
TARGET_PRIOR = 0.02
#: the model alone never flags a word below this probability (synthetic dev data is easier than real notes)
MIN_SCORE_FLOOR = 0.5
#: identifier scores rank evidence: validated pattern > pattern with context > cue/gazetteer > learned guess,
#: so a model probability p becomes the score 0.7 * p (p >= 0.5 clears the default threshold 0.3)
MODEL_SCORE_SCALE = 0.7


def _case(w: str) -> str:
    if w.isupper():
        return "U" if len(w) > 1 else "I"
    if w.islower():
        return "l"
    if w[:1].isupper() and w[1:].islower():
        return "T"
    return "M"


_TAG = "\\[(?:" + "|".join(IDENTIFIER_LABELS) + ")\\]"
_TAG_AFTER = re.compile(r"[\s.,;:'-]*\(?" + _TAG)
_TAG_BEFORE = re.compile(_TAG + r"\)?[\s.,;:'-]*$")


def _next_to_tag(text: str, ws: Words, i: int) -> bool:
    """The word touches a redaction tag (scores there reflect the tag, not the note)."""
    return bool(_TAG_AFTER.match(text, ws.ends[i]) or _TAG_BEFORE.search(text, max(0, ws.starts[i] - 40),
                                                                          ws.starts[i]))


def _sentence_start(text: str, ws: Words, i: int) -> bool:
    """The word opens a sentence or line (its capital says nothing)."""
    if i == 0 or not text:
        return True
    gap = text[ws.ends[i - 1]:ws.starts[i]]
    return "\n" in gap or "." in gap or ":" in gap or "!" in gap or "?" in gap


def _gap_kind(g: str) -> str:
    if not g:
        return "none"
    if "\n" in g:
        return "nl"
    s = g.strip()
    if not s:
        return "sp"
    return s[0] if s[0] in ",.:;()-/&#'\"" else "o"


class TokenFeaturizer:
    """Candidate selection and binary features for the identifier model (no fitting of its own:
    the feature vocabulary lives in the trained model)."""

    def __init__(self, lex: IdentifierLexicons) -> None:
        self.lex = lex
        c = lex.cues
        self.cue_vocab = frozenset().union(c["title"], c["relative"], c["credential"], c["name_verb_after"],
                                           c["name_prep_before"], c["place_before"], c["facility_word"],
                                           c["stop"], c["place_word"], c["saint"])
        self.blocked = lex.hard_allow | c["stop"] | c["relative"] | c["title"] | c["credential"] | WEEKDAYS

    def candidates(self, ws: Words, text: str = "") -> list[int]:
        lex = self.lex
        first, last, places, freq, blocked = lex.first, lex.last, lex.places, lex.word_freq, self.blocked
        mixed = not ws.upper_doc and not ws.lower_doc
        raw = ws.raw
        out = []
        tagged = "[" in text
        for i, w in enumerate(ws.low):
            if len(w) < 2 or w in blocked:
                continue
            if tagged and ((raw[i] in IDENTIFIER_LABELS and text[ws.starts[i] - 1:ws.starts[i]] == "[")
                           or _next_to_tag(text, ws, i)):
                continue  # a redaction tag such as "[NAME]", or a word whose context a tag replaced
            if places.get(w) == "state" and w not in first and w not in last:
                continue  # a state alone is not a Safe Harbor identifier
            if w in first or w in last or w in places:
                # a frequent English word ("white", "long") is a candidate only when capitalised in a
                # mixed-case note
                if freq.get(w, 0.0) < COMMON_ZIPF or (mixed and raw[i][:1].isupper() and not raw[i].isupper()
                                                      and not _sentence_start(text, ws, i)):
                    out.append(i)
            elif (mixed and freq.get(w, 0.0) < RARE_ZIPF and raw[i][:1].isupper() and not raw[i].isupper()
                  and not _sentence_start(text, ws, i)):
                # an unknown capitalised word in a mixed-case note; in ALL CAPS or lower-case notes a word
                # in no name list is left to the cue rules (misspellings and jargon look the same)
                out.append(i)
        return out

    def _word_class(self, w: str) -> str:
        lex = self.lex
        if w in self.cue_vocab:
            return w
        if w in lex.first:
            return "<first>"
        if w in lex.last and lex.zipf(w) < 4.0:
            return "<last>"
        if w in lex.places:
            return "<place>"
        if w in lex.hard_allow:
            return "<allow>"
        return "<rare>" if lex.zipf(w) < RARE_ZIPF else "<word>"

    def features(self, text: str, ws: Words, idx: Iterable[int], sections: tuple[list[int], list[str]] | None = None
                 ) -> list[list[str]]:
        lex = self.lex
        low, raw, starts, ends = ws.low, ws.raw, ws.starts, ws.ends
        n = len(raw)
        doc_case = "U" if ws.upper_doc else ("l" if ws.lower_doc else "m")
        rows = []
        for i in idx:
            w, r = low[i], raw[i]
            f = ["b", "doc:" + doc_case]
            case = _case(r)
            f.append("c:" + case)
            f.append("cd:" + case + doc_case)
            z = lex.zipf(w)
            f.append(f"z:{int(z)}")
            fr = lex.first.get(w)
            if fr is not None:
                f.append("first")
                f.append("first:" + ("top" if fr < 300 else "rest"))
            lr = lex.last.get(w)
            if lr is not None:
                f.append("last:" + ("0" if lr < 1000 else "1" if lr < 10000 else "2" if lr < 40000 else "3"))
                f.append(f"lastz:{int(z)}")
            if fr is not None:
                f.append(f"firstz:{int(z)}")
            if w in lex.places:
                f.append("place:" + lex.places[w])
            if w in lex.allow["common"]:
                f.append("common")
            f.append("s3:" + w[-3:])
            f.append(f"len:{min(len(w), 9)}")
            if "-" in w or "'" in w:
                f.append("punct_in")
            gb = text[ends[i - 1]:starts[i]] if i > 0 else "\n"
            ga = text[ends[i]:starts[i + 1]] if i + 1 < n else "\n"
            f.append("gb:" + _gap_kind(gb))
            f.append("ga:" + _gap_kind(ga))
            if any(ch.isdigit() for ch in ga):
                f.append("ga_digit")
            if any(ch.isdigit() for ch in gb):
                f.append("gb_digit")
            for off, tag in ((-1, "p1"), (-2, "p2"), (1, "n1"), (2, "n2")):
                j = i + off
                if 0 <= j < n:
                    cls = self._word_class(low[j])
                    f.append(f"{tag}:{cls}")
                    if off in (-1, 1):
                        f.append(f"{tag}c:{_case(raw[j])}{case}")
                else:
                    f.append(f"{tag}:<edge>")
            if sections is not None and sections[0]:
                k = bisect.bisect_right(sections[0], starts[i]) - 1
                f.append("sec:" + (sections[1][k] if k >= 0 else "none"))
            rows.append(f)
        return rows


def _row_sums(coef: np.ndarray, indices: list[int], indptr: list[int]) -> np.ndarray:
    """``X @ coef`` for the binary CSR matrix (``indices``, ``indptr``), without building it: scipy's
    per-matrix checks cost more than the product on a note's few dozen rows. (Equal to the sparse
    product up to floating-point summation order.)"""
    n_rows = len(indptr) - 1
    out = np.zeros((n_rows, coef.shape[1]), dtype=np.float64)
    if not indices:
        return out
    starts = np.asarray(indptr[:-1])
    filled = starts < np.asarray(indptr[1:])  # reduceat gives a row with no features the next row's value
    sums = np.add.reduceat(coef[np.asarray(indices)], starts[filled], axis=0)
    out[filled] = sums
    return out


def _section_index(doc: Doc) -> tuple[list[int], list[str]]:
    spans = doc.spans.get("sections", [])
    return [s.start_char for s in spans], [s.label_ for s in spans]


def load_identifier_model(path: str | Path) -> dict[str, Any]:
    """Load a saved model folder, checking the manifest and the model file's sha256."""
    import joblib
    import sklearn

    folder = Path(path)
    mpath, fpath = folder / MANIFEST_FILE, folder / MODEL_FILE
    if not mpath.is_file() or not fpath.is_file():
        raise ModelError(f"identifier model not found in {folder} (expected {MANIFEST_FILE} and {MODEL_FILE}); "
                         "build it with: python data/identifiers/make_model.py", code="E401")
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    digest = hashlib.sha256(fpath.read_bytes()).hexdigest()
    if digest != manifest.get("sha256"):
        raise ModelError(f"identifier model file {fpath.name} does not match its manifest (sha256)", code="E402")
    if manifest.get("format") != FORMAT_VERSION:
        raise ModelError(f"identifier model format {manifest.get('format')} is not supported", code="E403")
    if manifest.get("sklearn") != sklearn.__version__:
        warnings.warn(f"identifier model was saved with scikit-learn {manifest.get('sklearn')}, "
                      f"running {sklearn.__version__}", stacklevel=2)
    bundle = joblib.load(fpath)
    bundle["manifest"] = manifest
    return bundle


class IdentifierModel:
    """spaCy component: score candidate words with the trained model; write spans above ``min_score``."""

    def __init__(self, *, name: str = "riskflag_id_model", model: str | None = None, min_score: float | None = None,
                 span_key: str = f"{IDENTIFIER_PREFIX}model") -> None:
        register_extensions()
        self.name = name
        self.model_source = model
        self.min_score = min_score
        self.span_key = span_key
        self.bundle: dict[str, Any] | None = None

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        self.load()

    def load(self) -> None:
        from ..paths import shipped_model_path

        path = Path(self.model_source) if self.model_source else shipped_model_path("identifiers")
        self.bundle = load_identifier_model(path)
        lex = load_lexicons()
        if self.bundle["manifest"].get("lexicons") != lex.fingerprint():
            warnings.warn("identifier model was trained with different lexicon files; retrain it with "
                          "python data/identifiers/make_model.py", stacklevel=2)
        self.featurizer = TokenFeaturizer(lex)
        self.vocab: dict[str, int] = self.bundle["vocab"]
        self.coef = np.asarray(self.bundle["coef"], dtype=np.float64)  # (n_features, n_classes)
        self.intercept = np.asarray(self.bundle["intercept"], dtype=np.float64)
        self.classes = list(self.bundle["classes"])
        if self.min_score is None:
            self.min_score = float(self.bundle["manifest"].get("min_score", 0.5))

    def predict(self, text: str, ws: Words, sections: tuple[list[int], list[str]] | None = None
                ) -> list[tuple[int, np.ndarray]]:
        """(word index, class probabilities) for every candidate word."""
        if self.bundle is None:
            self.load()
        idx = self.featurizer.candidates(ws, text)
        if not idx:
            return []
        rows = self.featurizer.features(text, ws, idx, sections)
        vocab = self.vocab
        indptr, indices = [0], []
        for f in rows:
            indices.extend(vocab[x] for x in f if x in vocab)
            indptr.append(len(indices))
        logits = _row_sums(self.coef, indices, indptr) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        return list(zip(idx, p, strict=True))

    def __call__(self, doc: Doc) -> Doc:
        ws = doc_words(doc)
        preds = self.predict(doc_text(doc), ws, _section_index(doc))
        spans = []
        o = self.classes.index("O")
        assert self.min_score is not None
        taken = taken_offsets(doc) if preds else {}
        for i, p in preds:
            score = 1.0 - float(p[o])
            if score < self.min_score:
                continue
            probe = doc.char_span(ws.starts[i], ws.ends[i], alignment_mode="expand")
            if probe is None or (probe.start_char, probe.end_char) in taken:
                continue  # an earlier detector holds these offsets (spaCy shares extension values between spans)
            k = int(np.argmax(np.where(np.arange(len(p)) == o, -1.0, p)))
            label = CLASS_LABEL.get(self.classes[k], "NAME")
            span = make_span(doc, ws.starts[i], ws.ends[i], label, score=MODEL_SCORE_SCALE * score,
                             source="model.identifiers",
                             evidence=[Evidence("model", "model.identifiers", ws.starts[i], ws.ends[i],
                                                weight=score)])
            if span is not None:
                spans.append(span)
        doc.spans[self.span_key] = spans
        return doc

    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        """Save the model file and manifest, so a saved pipeline is self-contained."""
        from ..paths import shipped_model_path

        src = Path(self.model_source) if self.model_source else shipped_model_path("identifiers")
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        for name in (MODEL_FILE, MANIFEST_FILE):
            (out / name).write_bytes((src / name).read_bytes())

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> IdentifierModel:
        if (Path(path) / MANIFEST_FILE).is_file():
            self.model_source = str(path)
        self.load()
        return self


@Language.factory(
    "riskflag_id_model",
    assigns=["doc.spans"],
    requires=[],
    default_config={"model": None, "min_score": None, "span_key": f"{IDENTIFIER_PREFIX}model"},
)
def make_identifier_model(nlp: Language, name: str, model: str | None, min_score: float | None,
                          span_key: str) -> IdentifierModel:
    return IdentifierModel(name=name, model=model, min_score=min_score, span_key=span_key)


# -- training ---------------------------------------------------------------------------------------
def _examples(records: Iterable[dict[str, Any]], feat: TokenFeaturizer, nlp: Language | None
              ) -> tuple[list[list[str]], list[str]]:
    X: list[list[str]] = []
    y: list[str] = []
    for rec in records:
        text = rec["text"]
        ws = find_words(text)
        sections = None
        if nlp is not None:
            sections = _section_index(nlp(text))
        idx = feat.candidates(ws, text)
        gold = sorted((s["start"], s["end"], GOLD_CLASS.get(s["label"], "O")) for s in rec.get("spans", []))
        for i, f in zip(idx, feat.features(text, ws, idx, sections), strict=True):
            cls = "O"
            for s, e, c in gold:
                if s < ws.ends[i] and ws.starts[i] < e:
                    cls = c
                    break
            X.append(f)
            y.append(cls)
    return X, y


def train_identifier_model(train_path: str | Path, out_dir: str | Path, *, dev_fraction: float = 0.2,
                           target_recall: float = 0.9, C: float = 0.5, seed: int = 0,
                           target_prior: float = TARGET_PRIOR) -> dict[str, Any]:
    """Fit the candidate-word classifier on labelled JSONL (synthetic notes), choose ``min_score`` on a
    held-out part of the same synthetic data for ``target_recall``, save model + manifest."""
    import joblib
    import sklearn
    import spacy
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from ..identifier_eval import read_gold

    records = list(read_gold(train_path))
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(records))
    n_dev = int(len(records) * dev_fraction)
    dev = [records[i] for i in order[:n_dev]]
    train = [records[i] for i in order[n_dev:]]
    lex = load_lexicons()
    feat = TokenFeaturizer(lex)
    nlp = spacy.blank("en")
    nlp.add_pipe("riskflag_sections")
    nlp.initialize()
    Xtr, ytr = _examples(train, feat, nlp)
    Xdv, ydv = _examples(dev, feat, nlp)
    dv = DictVectorizer()
    A = dv.fit_transform([dict.fromkeys(f, 1) for f in Xtr])
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit(A, ytr)
    classes = list(clf.classes_)
    o = classes.index("O")
    train_prior = float(np.mean([c != "O" for c in ytr]))
    o_shift = float(np.log((1 - target_prior) / target_prior) - np.log((1 - train_prior) / train_prior))
    logits = clf.decision_function(dv.transform([dict.fromkeys(f, 1) for f in Xdv]))
    if logits.ndim == 1:
        logits = np.stack([np.zeros_like(logits), logits], axis=1)
    logits[:, o] += o_shift
    logits -= logits.max(axis=1, keepdims=True)
    P = np.exp(logits)
    P /= P.sum(axis=1, keepdims=True)
    score = 1.0 - P[:, o]
    pos = np.array([c != "O" for c in ydv])
    cands = np.sort(np.unique(np.round(score, 3)))[::-1]
    min_score = 0.5
    for t in cands:
        if pos.sum() and (score[pos] >= t).mean() >= target_recall:
            min_score = float(t)
            break
    min_score = float(min(max(min_score, MIN_SCORE_FLOOR), 0.9))
    pred = score >= min_score
    dev_recall = float((pred & pos).sum() / max(1, pos.sum()))
    dev_precision = float((pred & pos).sum() / max(1, pred.sum()))
    coef = np.zeros((len(dv.vocabulary_), len(classes)))
    intercept = np.zeros(len(classes))
    if clf.coef_.shape[0] == 1:  # binary: sklearn keeps one row for the positive class
        coef[:, 1] = clf.coef_[0]
        intercept[1] = clf.intercept_[0]
    else:
        coef[:, :] = clf.coef_.T
        intercept[:] = clf.intercept_
    intercept[o] += o_shift
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    bundle = {"vocab": {k: int(v) for k, v in dv.vocabulary_.items()}, "coef": coef, "intercept": intercept,
              "classes": classes}
    joblib.dump(bundle, out / MODEL_FILE, compress=3)
    data_sha = hashlib.sha256(Path(train_path).read_bytes()).hexdigest()
    manifest = {
        "format": FORMAT_VERSION,
        "name": "riskflag identifier word classifier",
        "classes": classes,
        "labels": CLASS_LABEL,
        "min_score": round(min_score, 4),
        "train_prior": round(train_prior, 4),
        "target_prior": target_prior,
        "o_logit_shift": round(o_shift, 4),
        "target_recall": target_recall,
        "dev_recall": round(dev_recall, 4),
        "dev_precision": round(dev_precision, 4),
        "n_train_candidates": len(ytr),
        "n_dev_candidates": len(ydv),
        "n_features": len(dv.vocabulary_),
        "C": C,
        "seed": seed,
        "training_data": Path(train_path).name,
        "training_data_sha256": data_sha,
        "lexicons": lex.fingerprint(),
        "sklearn": sklearn.__version__,
        "sha256": hashlib.sha256((out / MODEL_FILE).read_bytes()).hexdigest(),
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    log.info("identifier model: %d train / %d dev candidates, dev recall %.3f precision %.3f at %.3f",
             len(ytr), len(ydv), dev_recall, dev_precision, min_score)
    return manifest
