"""The risk model: a scikit-learn Pipeline (PassageFeaturizer → one calibrated linear classifier per
label) with per-label review thresholds, saved as ``model.joblib`` next to ``manifest.json``.

The manifest records the versions (riskflag, spaCy, scikit-learn, rule files), the labels, the
thresholds and target recall, the training data's sha256 and the model file's sha256.
:func:`load_model` verifies that sha256 *before* unpickling and refuses a file that does not match
(E401); it warns when the versions differ from the running ones.

``RiskModel.find(docs, note_ids)`` is what the scanner calls: passages holding cues are scored in
one batch across docs. A finding is ``current`` for a label when its score reaches the label's
threshold and the passage earns it (:meth:`RiskModel.min_score`): an affirmed strong cue of that
label (or first-person patient speech) needs only the threshold; a passage whose strong cues of the
label are all negated / historical / hypothetical / other-person needs ``context_min_score`` (0.95:
context is decisive unless the model is near-certain, which covers context-rule misses such as
"denied SI at triage, later disclosed a plan"), or is never current when the flag is in
``block_flags``; a passage with only weak cues ("wound", "alone", "blade") or other labels' cues
needs ``weak_min_score``. Every finding carries the context flags, triggers and top features.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from .errors import ModelError
from .passages import from_docs
from .types import CONTEXT_FLAGS, RISK_LABELS, Evidence, Finding, Passage

__all__ = [
    "RiskModel", "build_pipeline", "load_model", "save_model", "describe_default_model", "file_sha256",
    "DEFAULT_MODEL_NAME", "MODEL_FILE", "MANIFEST_FILE", "BLOCKING_FLAGS", "ModelVersionWarning",
]

log = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "risk-default"
MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1
#: context flags that may veto "current" (all the label's cues must carry one); off by default
BLOCKING_FLAGS: tuple[str, ...] = CONTEXT_FLAGS
DEFAULT_BLOCK_FLAGS: tuple[str, ...] = ()
#: cues at or above this weight are strong; passages without an affirmed one (or speech) need
#: WEAK_MIN_SCORE to be current (keeps operative and exam text from being flagged)
STRONG_CUE = 0.5
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'll|I'd|me|my|myself|we|us)\b")
#: score a passage needs when the label has no affirmed strong cue there (only weak cues, or strong
#: cues of other labels)
WEAK_MIN_SCORE = 0.55
#: score a passage needs when every strong cue of the label is negated/historical/hypothetical/
#: other-person (context is decisive unless the model is near-certain, e.g. a context-rule miss)
CONTEXT_MIN_SCORE = 0.95
TOP_FEATURES = 5


class ModelVersionWarning(UserWarning):
    """The model was saved with other versions of riskflag, spaCy, scikit-learn or the rules."""


def build_pipeline(*, C: float = 100.0, calibration: str = "sigmoid", calibration_cv: int = 3,
                   featurizer: dict[str, Any] | None = None, random_state: int = 0) -> Any:
    """featurizer → one-vs-rest calibrated logistic regression (scores are probabilities)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    from .features import PassageFeaturizer

    base = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, solver="liblinear",
                              random_state=random_state)
    clf = CalibratedClassifierCV(base, method=calibration, cv=calibration_cv)
    return Pipeline([("features", PassageFeaturizer(**(featurizer or {}))), ("clf", OneVsRestClassifier(clf))])


def file_sha256(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def current_versions() -> dict[str, str]:
    import sklearn
    import spacy

    from ._version import __version__
    from .rules import rules_version

    return {"riskflag": __version__, "spacy": spacy.__version__, "scikit-learn": sklearn.__version__,
            "rules": rules_version()}


def rule_hashes() -> dict[str, str]:
    from .rules import resource_path

    return {name: file_sha256(resource_path(name)) for name in ("risk_cues.json", "context_rules.json")}


class RiskModel:
    """A fitted pipeline plus its labels, thresholds and manifest; implements ``RiskScorer``."""

    def __init__(self, pipeline: Any, *, labels: Sequence[str] = RISK_LABELS, thresholds: dict[str, float],
                 manifest: dict[str, Any] | None = None, block_flags: Sequence[str] = DEFAULT_BLOCK_FLAGS,
                 weak_min_score: float = WEAK_MIN_SCORE, context_min_score: float = CONTEXT_MIN_SCORE) -> None:
        self.pipeline = pipeline
        self.weak_min_score = float(weak_min_score)
        self.context_min_score = float(context_min_score)
        self.labels = tuple(labels)
        self.thresholds = {lab: float(thresholds[lab]) for lab in self.labels}
        self.manifest = manifest or {}
        self.block_flags = tuple(block_flags)
        self._coef: np.ndarray | None = None
        self._names: np.ndarray | None = None

    @property
    def model_id(self) -> str:
        return str(self.manifest.get("name") or "risk-model")

    # -- scoring --------------------------------------------------------------------------
    def features(self, passages: Sequence[Passage]) -> Any:
        """The featurizer's sparse matrix of the passages."""
        return self.pipeline.named_steps["features"].transform(list(passages))

    def predict_proba(self, passages: Sequence[Passage], X: Any = None) -> np.ndarray:
        """(n_passages, n_labels) calibrated probabilities."""
        if not passages:
            return np.zeros((0, len(self.labels)))
        if X is None:
            X = self.features(passages)
        return np.asarray(self.pipeline.named_steps["clf"].predict_proba(X), dtype=float)

    def blocked(self, passage: Passage, label: str) -> tuple[str, ...]:
        """The blocking context flags of ``label`` in this passage (empty: nothing blocks it)."""
        return tuple(f for f in passage.label_context(label) if f in self.block_flags)

    @staticmethod
    def anchored(passage: Passage, label: str | None = None) -> bool:
        """A passage holds an affirmed strong cue (weight >= 0.5, no context flag) of ``label`` (of
        any label when None), or first-person patient speech and no strong cue at all (speech does
        not override negated/historical/... cues; a quoted word in a dictated note is not speech)."""
        strong = [not f for c, f in zip(passage.cues, passage.cue_flags, strict=False)
                  if (c.weight or 0) >= STRONG_CUE and (label is None or c.detail == label)]
        if any(strong):
            return True
        if label is not None and any((c.weight or 0) >= STRONG_CUE for c in passage.cues):
            return False
        return not strong and bool(passage.features.get("speech")) and bool(_FIRST_PERSON.search(passage.text))

    def min_score(self, passage: Passage, label: str) -> float:
        """The score this passage needs, besides the label's threshold, to be current for ``label``:
        0 with an affirmed strong cue of the label (or patient speech); ``context_min_score`` when
        every strong cue of the label carries a context flag (negated, historical, hypothetical,
        other person), or 2 (never) when such a flag is in ``block_flags``; ``weak_min_score``
        otherwise (only weak cues such as "wound", "alone", "blade", or other labels' cues)."""
        if self.anchored(passage, label):
            return 0.0
        own = [f for c, f in zip(passage.cues, passage.cue_flags, strict=False)
               if c.detail == label and (c.weight or 0) >= STRONG_CUE]
        if own:  # all flagged (else anchored)
            return 2.0 if self.blocked(passage, label) else self.context_min_score
        return self.weak_min_score

    @staticmethod
    def reportable(passage: Passage, label: str) -> bool:
        """A passage scored below the label's threshold is still reported when it holds a strong
        cue of the label ("denies SI", "brother died by suicide"), so a reviewer sees how context
        read it. Weak cues alone ("wound", "wife", "bleeding") below the threshold are not findings:
        on real notes they were nine in ten risk findings, all noise."""
        return any(c.detail == label and (c.weight or 0) >= STRONG_CUE for c in passage.cues)

    def score_passages(self, passages: Sequence[Passage], X: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities, current-eligible mask): eligible when the score reaches
        :meth:`min_score` (the label's threshold is applied by the caller)."""
        probs = self.predict_proba(passages, X)
        need = np.array([[self.min_score(p, lab) for lab in self.labels] for p in passages]).reshape(probs.shape)
        return probs, probs >= need

    def doc_scores(self, docs: Sequence[Doc]) -> tuple[np.ndarray, np.ndarray]:
        """Per doc and label: (highest score of a passage context does not block, highest score of
        any passage). A doc is flagged current for a label when the first reaches the threshold."""
        per_doc = from_docs(docs, [""] * len(docs))
        flat = [p for ps in per_doc for p in ps]
        eff = np.zeros((len(docs), len(self.labels)))
        raw = np.zeros((len(docs), len(self.labels)))
        if not flat:
            return eff, raw
        probs, ok = self.score_passages(flat)
        k = 0
        for d, ps in enumerate(per_doc):
            for _ in ps:
                raw[d] = np.maximum(raw[d], probs[k])
                eff[d] = np.maximum(eff[d], np.where(ok[k], probs[k], 0.0))
                k += 1
        return eff, raw

    def find(self, docs: Sequence[Doc], note_ids: Sequence[str]) -> list[list[Finding]]:
        """Risk findings per doc: passages with cues, scored in one batch across the docs."""
        per_doc = from_docs(docs, note_ids)
        flat = [p for ps in per_doc for p in ps]
        out: list[list[Finding]] = [[] for _ in docs]
        if not flat:
            return out
        X = self.features(flat)
        probs, ok = self.score_passages(flat, X)
        k = 0
        for d, ps in enumerate(per_doc):
            for p in ps:
                for j, lab in enumerate(self.labels):
                    score = float(probs[k, j])
                    if score < self.thresholds[lab] and not self.reportable(p, lab):
                        continue
                    current = bool(score >= self.thresholds[lab] and ok[k, j])
                    out[d].append(Finding(
                        note_id=p.note_id, kind="risk", label=lab, start=p.start, end=p.end, score=score,
                        source=self.model_id, current=current, context=p.label_context(lab),
                        evidence=self._evidence(p, lab, j, X, k)))
                k += 1
        return out

    # -- evidence -------------------------------------------------------------------------
    def _evidence(self, p: Passage, label: str, j: int, X: Any, row: int) -> tuple[Evidence, ...]:
        ev: list[Evidence] = [c for c in p.cues if c.detail == label] + [c for c in p.cues if c.detail != label]
        ev += list(p.triggers)
        ev += self.top_features(X, row, j)
        return tuple(ev)

    def _linear(self) -> tuple[np.ndarray, np.ndarray]:
        if self._coef is None:
            clf = self.pipeline.named_steps["clf"]
            rows = []
            for est in clf.estimators_:
                cals = getattr(est, "calibrated_classifiers_", None)
                if cals:
                    rows.append(np.mean([np.ravel(c.estimator.coef_) for c in cals], axis=0))
                else:
                    rows.append(np.ravel(getattr(est, "coef_", np.zeros(1))))
            self._coef = np.vstack(rows)
            self._names = self.pipeline.named_steps["features"].get_feature_names_out()
        assert self._names is not None
        return self._coef, self._names

    def top_features(self, X: Any, row: int, j: int, k: int = TOP_FEATURES) -> list[Evidence]:
        """The k features pushing this passage's score for label j up the most (weight = coef × value)."""
        coef, names = self._linear()
        lo, hi = X.indptr[row], X.indptr[row + 1]
        if hi == lo:
            return []
        indices = X.indices[lo:hi]
        contrib = X.data[lo:hi] * coef[j, indices]
        order = np.argsort(-contrib)[:k].tolist()
        return [Evidence("feature", str(names[indices[i]]), weight=float(contrib[i]))
                for i in order if contrib[i] > 0]

    def describe(self) -> str:
        m = self.manifest
        thr = ", ".join(f"{lab} {self.thresholds[lab]:.3f}" for lab in self.labels)
        data = m.get("training_data", {})
        return (f"risk model: {self.model_id} (trained {m.get('created', '?')} on {data.get('rows', '?')} passages, "
                f"sha256 {str(m.get('sha256', '?'))[:12]}…); thresholds: {thr}")


# -- persistence --------------------------------------------------------------------------
def save_model(model: RiskModel, out_dir: str | os.PathLike[str], *, name: str | None = None,
               extra: dict[str, Any] | None = None) -> Path:
    """Write ``model.joblib`` and ``manifest.json`` to ``out_dir``; returns the folder."""
    import joblib

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / MODEL_FILE
    joblib.dump(model.pipeline, path, compress=3)
    manifest = {
        "format": MANIFEST_FORMAT,
        "name": name or out.name,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "versions": current_versions(),
        "rule_files": rule_hashes(),
        "labels": list(model.labels),
        "thresholds": {k: round(v, 6) for k, v in model.thresholds.items()},
        "block_flags": list(model.block_flags),
        "weak_min_score": model.weak_min_score,
        "context_min_score": model.context_min_score,
        **(extra or {}),
        "model_file": MODEL_FILE,
        "sha256": file_sha256(path),
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    model.manifest = manifest
    return out


def _resolve(path: str | os.PathLike[str] | None) -> Path:
    if path is None:
        from .paths import shipped_model_path

        return shipped_model_path(DEFAULT_MODEL_NAME)
    p = Path(path)
    if p.is_file() and p.name == MANIFEST_FILE:
        return p.parent
    return p


def read_manifest(path: str | os.PathLike[str] | None = None) -> tuple[Path, dict[str, Any]]:
    folder = _resolve(path)
    mf = folder / MANIFEST_FILE
    if not mf.is_file():
        raise ModelError(f"no risk model at {folder} (missing {MANIFEST_FILE})", code="E402")
    try:
        manifest = json.loads(mf.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ModelError(f"{mf} is not valid JSON", code="E403") from None
    missing = [k for k in ("labels", "thresholds", "sha256", "model_file") if k not in manifest]
    if missing:
        raise ModelError(f"{mf} lacks {', '.join(missing)}", code="E403")
    bad = [lab for lab in manifest["labels"] if lab not in RISK_LABELS or lab not in manifest["thresholds"]]
    if bad:
        raise ModelError(f"{mf}: unknown labels or missing thresholds: {', '.join(map(str, bad))}", code="E403")
    return folder, manifest


def load_model(path: str | os.PathLike[str] | None = None) -> RiskModel:
    """Load a model folder (None: the shipped default). The model file's sha256 must equal the
    manifest's before anything is unpickled (E401); other versions give a ModelVersionWarning."""
    import joblib

    folder, manifest = read_manifest(path)
    model_path = folder / str(manifest["model_file"])
    if model_path.name != str(manifest["model_file"]) or not model_path.is_file():
        raise ModelError(f"model file {manifest['model_file']!s} not found in {folder}", code="E402")
    digest = file_sha256(model_path)
    if digest != manifest["sha256"]:
        raise ModelError(f"model file {model_path} does not match its manifest (sha256 {digest[:12]}… ≠ "
                         f"{str(manifest['sha256'])[:12]}…): refusing to load a modified or corrupted model",
                         code="E401")
    _check_versions(manifest)
    try:
        pipeline = joblib.load(model_path)
    except Exception as exc:  # noqa: BLE001 - an incompatible pickle surfaces as many types
        raise ModelError(f"model file {model_path} could not be loaded ({type(exc).__name__})", code="E404") from None
    return RiskModel(pipeline, labels=manifest["labels"], thresholds=manifest["thresholds"], manifest=manifest,
                     block_flags=manifest.get("block_flags", DEFAULT_BLOCK_FLAGS),
                     weak_min_score=float(manifest.get("weak_min_score", WEAK_MIN_SCORE)),
                     context_min_score=float(manifest.get("context_min_score", manifest.get("weak_min_score",
                                                                                             CONTEXT_MIN_SCORE))))


def _check_versions(manifest: dict[str, Any]) -> None:
    saved = manifest.get("versions", {})
    now = current_versions()
    diffs = [f"{k} {saved[k]} (running {now[k]})" for k in ("riskflag", "spacy", "scikit-learn")
             if k in saved and saved[k] != now[k]]
    saved_rules = manifest.get("rule_files", {})
    if saved_rules:
        cur = rule_hashes()
        diffs += [f"rule file {k} changed since training" for k, v in saved_rules.items() if cur.get(k) not in (None, v)]
    if diffs:
        msg = f"risk model '{manifest.get('name', '?')}' was saved with " + "; ".join(diffs) + ": retrain or check its metrics"
        log.warning(msg)
        warnings.warn(msg, ModelVersionWarning, stacklevel=3)


def describe_default_model() -> str:
    """One line about the shipped model (``riskflag info``), without unpickling it."""
    try:
        folder, m = read_manifest(None)
    except ModelError as exc:
        return f"risk model: not available ({exc})"
    thr = ", ".join(f"{k} {float(v):.3f}" for k, v in m["thresholds"].items())
    data = m.get("training_data", {})
    return (f"risk model: {m.get('name', folder.name)} (trained {m.get('created', '?')} on {data.get('rows', '?')} "
            f"passages; sha256 {str(m['sha256'])[:12]}…); thresholds: {thr}")
