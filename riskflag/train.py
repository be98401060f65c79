"""Train and evaluate risk models on labelled passages (pandas DataFrames; no CLI code here).

A training table has a ``text`` column and one 0/1 column per risk label (``self_harm``,
``harm_to_others``, ``abuse_neglect``); optional ``id`` and ``context`` (current, negated,
historical, hypothetical, experiencer, idiom, unrelated) columns are used for reporting.

    model, report = train(df)                      # thresholds from out-of-fold scores
    metrics = evaluate(model, eval_df)             # per-label P/R/F1, PR-AUC, calibration, contexts

Each row is run through the same spaCy pipeline as a scan (cues + context); the model is fitted on
whole rows and evaluated end to end: a row is flagged for a label when one of its cue passages
scores at or above the label's threshold and context does not block it. Per-label thresholds are
the highest that keep ``target_recall`` on out-of-fold scores (never on evaluation data).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ConfigError, InputError
from .model import RiskModel, build_pipeline, file_sha256, save_model
from .passages import from_doc
from .types import RISK_LABELS

__all__ = [
    "train", "evaluate", "cross_validate", "choose_thresholds", "read_table", "validate_frame", "frame_sha256",
    "format_metrics", "NON_CURRENT_CONTEXTS", "DEFAULT_TARGET_RECALL",
]

log = logging.getLogger(__name__)

DEFAULT_TARGET_RECALL = 0.95
NON_CURRENT_CONTEXTS = ("negated", "historical", "hypothetical", "experiencer", "idiom")
MIN_EXAMPLES = 5
THRESHOLD_FLOOR, THRESHOLD_CEIL = 0.02, 0.9


# -- input --------------------------------------------------------------------------------
def read_table(path: str | os.PathLike[str]) -> Any:
    """A labelled table from CSV, TSV, JSONL or Parquet (by extension)."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise InputError(f"training data not found: {p}", code="E101")
    ext = "".join(p.suffixes[-2:]).lower() if p.suffix.lower() == ".gz" else p.suffix.lower()
    try:
        if ext in (".csv", ".csv.gz"):
            return pd.read_csv(p)
        if ext in (".tsv", ".tsv.gz"):
            return pd.read_csv(p, sep="\t")
        if ext in (".jsonl", ".ndjson", ".jsonl.gz"):
            return pd.read_json(p, lines=True, dtype=False)
        if ext == ".parquet":
            return pd.read_parquet(p)
    except (ValueError, OSError) as exc:
        raise InputError(f"could not read {p.name} ({type(exc).__name__})", code="E102") from None
    raise InputError(f"unknown table format '{p.suffix}' for {p.name}; use .csv, .tsv, .jsonl or .parquet", code="E102")


def validate_frame(df: Any, *, labels: Sequence[str] = RISK_LABELS, text_col: str = "text",
                   min_examples: int = MIN_EXAMPLES) -> tuple[list[str], np.ndarray]:
    """(texts, Y) of a labelled frame, or a clear error: unknown labels, missing columns, label
    values other than 0/1, empty texts, too few positive or negative examples of a label."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise InputError("training data must be a pandas DataFrame", code="E110")
    unknown = [lab for lab in labels if lab not in RISK_LABELS]
    if unknown:
        raise ConfigError(f"unknown label(s) {', '.join(map(str, unknown))}; known: {', '.join(RISK_LABELS)}", code="E501")
    if not labels:
        raise ConfigError("no labels to train", code="E501")
    if text_col not in df.columns:
        raise InputError(f"text column '{text_col}' not found; available columns: {', '.join(map(str, df.columns))}",
                         code="E111")
    missing = [lab for lab in labels if lab not in df.columns]
    if missing:
        raise InputError(f"label column(s) missing: {', '.join(missing)}; available columns: "
                         f"{', '.join(map(str, df.columns))}", code="E111")
    texts = df[text_col]
    bad = [i for i, t in enumerate(texts.tolist()) if not isinstance(t, str) or not t.strip()]
    if bad:
        where = ", ".join(str(i + 1) for i in bad[:10]) + (" ..." if len(bad) > 10 else "")
        raise InputError(f"{len(bad)} row(s) have empty or non-text '{text_col}' (rows {where})", code="E112")
    cols = []
    for lab in labels:
        col = pd.to_numeric(df[lab], errors="coerce")
        if col.isna().any() or not col.isin([0, 1]).all():
            rows = [str(i + 1) for i, ok in enumerate(col.isin([0, 1]).tolist()) if not ok][:10]
            raise InputError(f"label column '{lab}' must hold 0 or 1 (rows {', '.join(rows)})", code="E113")
        cols.append(col.to_numpy(dtype=int))
    Y = np.vstack(cols).T if cols else np.zeros((len(df), 0), dtype=int)
    for j, lab in enumerate(labels):
        pos = int(Y[:, j].sum())
        neg = len(Y) - pos
        if pos < min_examples or neg < min_examples:
            raise InputError(f"label '{lab}' has {pos} positive and {neg} negative example(s); at least "
                             f"{min_examples} of each are needed", code="E114")
    return [str(t) for t in texts.tolist()], Y


def frame_sha256(df: Any, *, labels: Sequence[str] = RISK_LABELS, text_col: str = "text") -> str:
    """A content hash of the text and label columns (row order matters)."""
    h = hashlib.sha256()
    for rec in df[[text_col, *labels]].itertuples(index=False, name=None):
        h.update(json.dumps([rec[0], *map(int, rec[1:])], ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _str_column(df: Any, col: str, missing: str = "") -> list[str]:
    """A column as strings, missing cells as ``missing`` (pandas 3 keeps NaN through ``astype(str)``,
    which is what concatenating a table without the column gives)."""
    return [missing if v is None or (isinstance(v, float) and v != v) else str(v) for v in df[col].tolist()]


def _nlp(nlp: Any) -> Any:
    if nlp is not None:
        return nlp
    from .pipeline import build_nlp

    return build_nlp(identifiers=False)


def _docs(texts: Sequence[str], nlp: Any) -> list[Any]:
    return list(_nlp(nlp).pipe(texts, batch_size=256))


# -- thresholds ---------------------------------------------------------------------------
def choose_thresholds(Y: np.ndarray, scores: np.ndarray, labels: Sequence[str], *,
                      target_recall: float = DEFAULT_TARGET_RECALL) -> dict[str, float]:
    """Per label, the highest threshold whose recall on (held-out) ``scores`` reaches the target."""
    if not 0 < target_recall <= 1:
        raise ConfigError(f"target recall must be in (0, 1], got {target_recall}", code="E502")
    out = {}
    for j, lab in enumerate(labels):
        pos = np.sort(scores[Y[:, j] == 1, j])[::-1]
        if pos.size == 0:
            out[lab] = 0.5
            continue
        k = max(1, math.ceil(target_recall * pos.size))
        t = float(pos[k - 1])
        if t <= 0:  # positives without any candidate passage: no threshold reaches them, so aim
            nz = pos[pos > 0]  # for the target among those that have one
            t = float(nz[max(1, math.ceil(target_recall * nz.size)) - 1]) if nz.size else THRESHOLD_FLOOR
        out[lab] = float(min(max(t - 1e-9, THRESHOLD_FLOOR), THRESHOLD_CEIL))
    return out


def _folds(Y: np.ndarray, k: int, seed: int, groups: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import KFold, StratifiedGroupKFold, StratifiedKFold

    key = np.array(["".join(map(str, r)) for r in Y])
    if groups is not None:
        return list(StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed).split(key, key, groups))
    _, counts = np.unique(key, return_counts=True)
    if counts.min() >= k:
        return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(key, key))
    return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(key))


# -- training -----------------------------------------------------------------------------
def _fit(docs: Sequence[Any], Y: np.ndarray, params: dict[str, Any]) -> Any:
    passages = [from_doc(d, mode="whole")[0] for d in docs]
    pipe = build_pipeline(**params)
    pipe.fit(passages, Y)
    return pipe


def _fit_with_thresholds(docs: Sequence[Any], Y: np.ndarray, labels: Sequence[str], *, params: dict[str, Any],
                         cv: int, seed: int, target_recall: float, groups: np.ndarray | None = None,
                         progress: Callable[[str], None] | None = None) -> tuple[RiskModel, dict[str, Any]]:
    """Out-of-fold scores → thresholds; then fit on all rows."""
    oof = np.zeros(Y.shape, dtype=float)
    for i, (tr, te) in enumerate(_folds(Y, cv, seed, groups)):
        if progress:
            progress(f"fold {i + 1}/{cv}")
        m = RiskModel(_fit([docs[t] for t in tr], Y[tr], params), labels=labels, thresholds=dict.fromkeys(labels, 0.5))
        oof[te] = m.doc_scores([docs[t] for t in te])[0]
    thresholds = choose_thresholds(Y, oof, labels, target_recall=target_recall)
    if progress:
        progress("final fit")
    model = RiskModel(_fit(docs, Y, params), labels=labels, thresholds=thresholds)
    oof_metrics = _metrics(Y, oof, oof >= np.array([thresholds[lab] for lab in labels]), labels)
    return model, {"thresholds": thresholds, "oof": oof_metrics}


def train(df: Any, *, labels: Sequence[str] = RISK_LABELS, text_col: str = "text", id_col: str | None = "id",
          context_col: str | None = "context", target_recall: float = DEFAULT_TARGET_RECALL, cv: int = 5,
          holdout: float = 0.0, seed: int = 0, params: dict[str, Any] | None = None, nlp: Any = None,
          min_examples: int = MIN_EXAMPLES, groups: Sequence[Any] | None = None,
          progress: Callable[[str], None] | None = None,
          ) -> tuple[RiskModel, dict[str, Any]]:
    """Fit a RiskModel on a labelled DataFrame; returns ``(model, report)``.

    Thresholds come from ``cv``-fold out-of-fold scores at ``target_recall``. With ``holdout`` > 0
    a stratified share of rows is kept aside first: a model fitted on the rest is evaluated on it
    (``report["holdout"]``), then the returned model is refitted on all rows the same way.
    ``groups`` (one value per row, e.g. the template a generated row came from) keeps each group
    on one side of every split, so near-duplicates do not inflate the scores or the thresholds.
    """
    labels = tuple(labels)
    texts, Y = validate_frame(df, labels=labels, text_col=text_col, min_examples=min_examples)
    if cv < 2:
        raise ConfigError(f"cv must be at least 2 (got {cv})", code="E503")
    if not 0 <= holdout < 1:
        raise ConfigError(f"holdout must be in [0, 1) (got {holdout})", code="E504")
    params = dict(params or {})
    garr = None if groups is None else np.asarray([str(g) for g in groups])
    if garr is not None and len(garr) != len(texts):
        raise ConfigError(f"groups has {len(garr)} values for {len(texts)} rows", code="E505")
    t0 = time.perf_counter()
    nlp = _nlp(nlp)
    docs = _docs(texts, nlp)
    report: dict[str, Any] = {"rows": len(texts), "labels": list(labels), "target_recall": target_recall, "cv": cv,
                              "seed": seed, "params": params,
                              "positives": {lab: int(Y[:, j].sum()) for j, lab in enumerate(labels)}}
    if holdout > 0:
        from sklearn.model_selection import train_test_split

        idx = np.arange(len(texts))
        key = np.array(["".join(map(str, r)) for r in Y])
        if context_col and context_col in df.columns:
            key = np.char.add(key, np.array(_str_column(df, context_col), dtype=str))
        _, counts = np.unique(key, return_counts=True)
        strat = key if counts.min() >= 2 else None
        if garr is not None:
            from sklearn.model_selection import StratifiedGroupKFold

            n_splits = max(2, round(1 / holdout))
            tr, te = next(StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(idx, key, garr))
        else:
            tr, te = train_test_split(idx, test_size=holdout, random_state=seed, stratify=strat)
        if progress:
            progress(f"holdout: fitting on {len(tr)} rows, evaluating on {len(te)}")
        m, _ = _fit_with_thresholds([docs[i] for i in tr], Y[tr], labels, params=params, cv=cv, seed=seed,
                                    target_recall=target_recall, groups=None if garr is None else garr[tr],
                                    progress=progress)
        report["holdout"] = evaluate(m, df.iloc[te], labels=labels, text_col=text_col, id_col=id_col,
                                     context_col=context_col, docs=[docs[i] for i in te])
        report["holdout"]["rows_train"] = len(tr)
    model, fit_report = _fit_with_thresholds(docs, Y, labels, params=params, cv=cv, seed=seed,
                                             target_recall=target_recall, groups=garr, progress=progress)
    report.update(fit_report)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    model.manifest = {
        "target_recall": target_recall,
        "training_data": {"sha256": frame_sha256(df, labels=labels, text_col=text_col), "rows": len(texts),
                          "positives": report["positives"]},
        "training": {"cv": cv, "seed": seed, "holdout": holdout, "grouped": garr is not None, "params": params},
    }
    return model, report


def save_trained(model: RiskModel, report: dict[str, Any], out_dir: str | os.PathLike[str], *,
                 data_path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None) -> Path:
    """Save a model from :func:`train` with its report's metrics in the manifest (and the names
    and sha256 of the training files when given)."""
    extra = dict(model.manifest)
    if data_path is not None:
        paths = [data_path] if isinstance(data_path, (str, os.PathLike)) else list(data_path)
        extra["training_data"] = {**extra.get("training_data", {}),
                                  "files": [{"file": Path(p).name, "sha256": file_sha256(p)} for p in paths]}
    metrics: dict[str, Any] = {"oof": _summary(report.get("oof", {}))}
    if "holdout" in report:
        metrics["holdout"] = _summary(report["holdout"])
    extra["metrics"] = metrics
    return save_model(model, out_dir, extra=extra)


def _summary(m: dict[str, Any]) -> dict[str, Any]:
    keep = ("rows", "macro_f1", "any_risk", "non_current_flagged", "labels")
    out = {k: m[k] for k in keep if k in m}
    if "labels" in out:
        out["labels"] = {lab: {k: v for k, v in d.items() if k != "reliability"} for lab, d in out["labels"].items()}
    return out


# -- evaluation ---------------------------------------------------------------------------
def _prf(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    tp = int((y & p).sum())
    fp = int((~y & p).sum())
    fn = int((y & ~p).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "tp": tp, "fp": fp, "fn": fn, "support": int(y.sum())}


def _metrics(Y: np.ndarray, scores: np.ndarray, pred: np.ndarray, labels: Sequence[str], *,
             n_bins: int = 10) -> dict[str, Any]:
    from sklearn.metrics import average_precision_score, brier_score_loss

    Yb = Y.astype(bool)
    out: dict[str, Any] = {"rows": int(len(Y)), "labels": {}}
    f1s = []
    for j, lab in enumerate(labels):
        m = _prf(Yb[:, j], pred[:, j])
        y, s = Y[:, j], scores[:, j]
        m["pr_auc"] = float(average_precision_score(y, s)) if 0 < y.sum() < len(y) else float("nan")
        m["brier"] = float(brier_score_loss(y, np.clip(s, 0, 1))) if len(y) else float("nan")
        bins = np.clip((s * n_bins).astype(int), 0, n_bins - 1)
        m["reliability"] = [{"bin": f"{b / n_bins:.1f}-{(b + 1) / n_bins:.1f}", "n": int((bins == b).sum()),
                             "mean_score": float(s[bins == b].mean()), "observed": float(y[bins == b].mean())}
                            for b in range(n_bins) if (bins == b).any()]
        out["labels"][lab] = m
        f1s.append(m["f1"])
    out["macro_f1"] = float(np.mean(f1s)) if f1s else 0.0
    out["any_risk"] = _prf(Yb.any(axis=1), pred.any(axis=1))
    return out


def evaluate(model: RiskModel, df: Any, *, labels: Sequence[str] | None = None, text_col: str = "text",
             id_col: str | None = "id", context_col: str | None = "context", nlp: Any = None,
             docs: Sequence[Any] | None = None, show_errors: bool = False,
             plots_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Per-label precision/recall/F1 at the model's thresholds, PR-AUC, Brier score and reliability
    bins, any-risk recall, and flagged-current share per ``context`` value. With ``show_errors``
    the result holds the misclassified rows (their text: the caller's own data). ``plots_dir``
    writes PR curves, a calibration plot and the context table as PNGs (needs matplotlib)."""
    labels = tuple(labels or model.labels)
    missing = [lab for lab in labels if lab not in model.labels]
    if missing:
        raise ConfigError(f"the model has no label(s) {', '.join(missing)}", code="E501")
    texts, Y = validate_frame(df, labels=labels, text_col=text_col, min_examples=0)
    if docs is None:
        docs = _docs(texts, nlp)
    eff_all, _ = model.doc_scores(docs)
    cols = [model.labels.index(lab) for lab in labels]
    scores = eff_all[:, cols]
    thr = np.array([model.thresholds[lab] for lab in labels])
    pred = scores >= thr
    out = _metrics(Y, scores, pred, labels)
    out["thresholds"] = {lab: model.thresholds[lab] for lab in labels}
    ctx = _str_column(df, context_col) if context_col and context_col in df.columns else None
    if ctx is not None:
        table: dict[str, dict[str, Any]] = {}
        any_pred = pred.any(axis=1)
        any_true = Y.any(axis=1)
        for c, p, t in zip(ctx, any_pred, any_true, strict=True):
            row = table.setdefault(c, {"n": 0, "flagged": 0, "positives": 0})
            row["n"] += 1
            row["flagged"] += int(p)
            row["positives"] += int(t)
        for row in table.values():
            row["flagged_share"] = row["flagged"] / row["n"]
        out["contexts"] = dict(sorted(table.items()))
        nc = [i for i, c in enumerate(ctx) if c in NON_CURRENT_CONTEXTS and not any_true[i]]
        out["non_current_flagged"] = {"n": len(nc), "flagged": int(any_pred[nc].sum()) if nc else 0,
                                      "share": float(any_pred[nc].mean()) if nc else 0.0}
    if show_errors:
        ids = _str_column(df, id_col) if id_col and id_col in df.columns else [str(i) for i in range(len(df))]
        errs = []
        for i in range(len(texts)):
            for j, lab in enumerate(labels):
                if bool(Y[i, j]) != bool(pred[i, j]):
                    errs.append({"id": ids[i], "label": lab, "gold": int(Y[i, j]), "score": round(float(scores[i, j]), 4),
                                 "context": ctx[i] if ctx else None, "text": texts[i]})
        out["errors"] = errs
    if plots_dir is not None:
        out["plots"] = [str(p) for p in _plots(plots_dir, Y, scores, pred, labels, model, ctx)]
    return out


def _plots(plots_dir: str | os.PathLike[str], Y: np.ndarray, scores: np.ndarray, pred: np.ndarray,
           labels: Sequence[str], model: RiskModel, ctx: list[str] | None) -> list[Path]:
    import pandas as pd

    from . import plots

    yt = {lab: Y[:, j] for j, lab in enumerate(labels)}
    ys = {lab: scores[:, j] for j, lab in enumerate(labels)}
    paths = plots.pr_curves(yt, ys, {lab: model.thresholds[lab] for lab in labels}, plots_dir,
                            target_recall=model.manifest.get("target_recall"))
    paths.append(plots.calibration_plot(yt, ys, plots_dir))
    if ctx is not None:
        rows = [{"context": "affirmed" if c in ("current", "unrelated") else c, "label": lab,
                 "y_true": bool(Y[i, j]), "y_pred": bool(pred[i, j])}
                for j, lab in enumerate(labels) for i, c in enumerate(ctx)]
        paths += plots.context_confusion_table(pd.DataFrame(rows), plots_dir)
    return paths


def cross_validate(df: Any, k: int = 5, *, labels: Sequence[str] = RISK_LABELS, text_col: str = "text",
                   id_col: str | None = "id", context_col: str | None = "context", seed: int = 0,
                   target_recall: float = DEFAULT_TARGET_RECALL, params: dict[str, Any] | None = None,
                   nlp: Any = None, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """K-fold estimate: train on k-1 folds (thresholds from their own inner folds), evaluate on the
    fold left out; returns every fold's metrics and their mean and standard deviation."""
    labels = tuple(labels)
    texts, Y = validate_frame(df, labels=labels, text_col=text_col)
    if k < 2:
        raise ConfigError(f"--cv must be at least 2 (got {k})", code="E503")
    nlp = _nlp(nlp)
    docs = _docs(texts, nlp)
    folds = []
    for i, (tr, te) in enumerate(_folds(Y, k, seed)):
        if progress:
            progress(f"cv fold {i + 1}/{k}")
        m, _ = _fit_with_thresholds([docs[t] for t in tr], Y[tr], labels, params=dict(params or {}), cv=3, seed=seed,
                                    target_recall=target_recall)
        folds.append(evaluate(m, df.iloc[te], labels=labels, text_col=text_col, id_col=id_col,
                              context_col=context_col, docs=[docs[t] for t in te]))
    summary: dict[str, Any] = {"k": k, "folds": [_summary(f) for f in folds]}

    def stat(get: Callable[[dict[str, Any]], float]) -> dict[str, float]:
        v = np.array([get(f) for f in folds], dtype=float)
        return {"mean": float(np.nanmean(v)), "sd": float(np.nanstd(v))}

    summary["macro_f1"] = stat(lambda f: f["macro_f1"])
    summary["any_risk_recall"] = stat(lambda f: f["any_risk"]["recall"])
    summary["labels"] = {lab: {m: stat(lambda f, lab=lab, m=m: f["labels"][lab][m])
                               for m in ("precision", "recall", "f1", "pr_auc", "brier")} for lab in labels}
    if all("non_current_flagged" in f for f in folds):
        summary["non_current_flagged_share"] = stat(lambda f: f["non_current_flagged"]["share"])
    return summary


# -- reporting ----------------------------------------------------------------------------
def format_metrics(m: dict[str, Any], *, title: str = "") -> str:
    """A readable table of :func:`evaluate` output (no passage text)."""
    lines = [title] if title else []
    lines.append(f"{'label':<16}{'thresh':>8}{'prec':>8}{'recall':>8}{'F1':>8}{'PR-AUC':>8}{'Brier':>8}{'support':>9}")
    thr = m.get("thresholds", {})
    for lab, d in m["labels"].items():
        t = thr.get(lab)
        lines.append(f"{lab:<16}{(f'{t:.3f}' if t is not None else '-'):>8}{d['precision']:>8.3f}{d['recall']:>8.3f}"
                     f"{d['f1']:>8.3f}{d['pr_auc']:>8.3f}{d['brier']:>8.3f}{d['support']:>9}")
    a = m["any_risk"]
    lines.append(f"{'any risk':<16}{'':>8}{a['precision']:>8.3f}{a['recall']:>8.3f}{a['f1']:>8.3f}{'':>16}{a['support']:>9}")
    lines.append(f"macro F1 {m['macro_f1']:.3f} over {m['rows']} passages")
    if "non_current_flagged" in m:
        nc = m["non_current_flagged"]
        lines.append(f"non-current passages (negated/historical/hypothetical/experiencer/idiom) flagged current: "
                     f"{nc['flagged']}/{nc['n']} = {nc['share']:.1%}")
    if "contexts" in m:
        lines.append(f"{'context':<16}{'n':>7}{'positives':>11}{'flagged':>9}{'share':>8}")
        for c, row in m["contexts"].items():
            lines.append(f"{c:<16}{row['n']:>7}{row['positives']:>11}{row['flagged']:>9}{row['flagged_share']:>8.1%}")
    rel = [(lab, d.get("reliability", [])) for lab, d in m["labels"].items()]
    if any(r for _, r in rel):
        lines.append("calibration (score bin: n, mean score → observed rate)")
        for lab, bins in rel:
            lines.append(f"  {lab}: " + "; ".join(f"{b['bin']}: {b['n']}, {b['mean_score']:.2f}→{b['observed']:.2f}"
                                                for b in bins))
    return "\n".join(lines)
