"""Evaluation pictures (PNG): precision-recall curves with the chosen thresholds, a calibration
plot, and a confusion table by context type.

matplotlib is an optional extra (``pip install 'riskflag[plots]'``) imported only when a plot is
drawn. Figures are drawn on the Agg canvas directly, without pyplot, so importing or calling this
module never changes the matplotlib backend of a notebook or application.

    >>> pr_curves({"self_harm": y}, {"self_harm": p}, {"self_harm": 0.4}, "plots/")  # doctest: +SKIP
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["pr_curves", "calibration_plot", "context_confusion", "context_confusion_table", "CONTEXT_TYPES"]

#: rows of the context table: passages with no context flag are "affirmed"
CONTEXT_TYPES: tuple[str, ...] = ("affirmed", "negated", "historical", "hypothetical", "experiencer")
_COLOURS = {"self_harm": "#c62828", "harm_to_others": "#6a1b9a", "abuse_neglect": "#1565c0"}
_DPI = 110


def _figure(width: float, height: float) -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ConfigError("plots need matplotlib: pip install 'riskflag[plots]'", code="E510") from None
    fig = Figure(figsize=(width, height), dpi=_DPI)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    fig.savefig(tmp, format="png", bbox_inches="tight")
    os.replace(tmp, path)
    return path


def _arrays(y_true: Any, y_score: Any, label: str) -> tuple[Any, Any]:
    import numpy as np

    t = np.asarray(y_true).astype(bool).ravel()
    s = np.asarray(y_score, dtype=float).ravel()
    if t.shape != s.shape:
        raise ConfigError(f"label '{label}': {t.size} true values but {s.size} scores", code="E511")
    if s.size and (np.nanmin(s) < 0 or np.nanmax(s) > 1 or np.isnan(s).any()):
        raise ConfigError(f"label '{label}': scores must lie in 0..1", code="E511")
    return t, s


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(label)) or "label"


def pr_curves(
    y_true: Mapping[str, Any],
    y_score: Mapping[str, Any],
    thresholds: Mapping[str, float],
    out_dir: str | os.PathLike[str],
    *,
    target_recall: Mapping[str, float] | float | None = None,
) -> list[Path]:
    """One precision-recall PNG per label (``pr_<label>.png``) with the chosen threshold marked.

    ``y_true`` maps each label to 0/1 gold values, ``y_score`` to calibrated scores (same order),
    ``thresholds`` to the review threshold of that label (from the model manifest).
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve

    out = Path(out_dir)
    paths = []
    for label in y_true:
        if label not in y_score:
            raise ConfigError(f"no scores for label '{label}'", code="E511")
        t, s = _arrays(y_true[label], y_score[label], label)
        fig = _figure(5.6, 4.6)
        ax = fig.add_subplot()
        colour = _COLOURS.get(label, "#37474f")
        n_pos = int(t.sum())
        if n_pos and n_pos < t.size:
            precision, recall, _ = precision_recall_curve(t, s)
            ap = average_precision_score(t, s)
            ax.step(recall, precision, where="post", color=colour, lw=2, label=f"average precision {ap:.2f}")
            ax.axhline(n_pos / t.size, color="#9e9e9e", ls=":", lw=1, label=f"prevalence {n_pos / t.size:.2f}")
        else:
            ax.text(0.5, 0.5, "no positive examples" if not n_pos else "no negative examples",
                    ha="center", va="center", transform=ax.transAxes, color="#616161")
        thr = thresholds.get(label)
        if thr is not None and n_pos:
            pred = s >= thr
            tp = int((pred & t).sum())
            p_at = tp / int(pred.sum()) if pred.any() else 1.0
            r_at = tp / n_pos
            ax.plot([r_at], [p_at], "o", ms=10, mfc="white", mec=colour, mew=2.5,
                    label=f"threshold {thr:.2f}: precision {p_at:.2f}, recall {r_at:.2f}")
        goal = target_recall.get(label) if isinstance(target_recall, Mapping) else target_recall
        if goal is not None:
            ax.axvline(goal, color=colour, ls="--", lw=1, alpha=0.6, label=f"target recall {goal:.2f}")
        ax.set(xlim=(0, 1.01), ylim=(0, 1.03), xlabel="Recall (share of true passages found)",
               ylabel="Precision (share of flagged passages that are true)",
               title=f"{label}: precision-recall (n={t.size}, positives={n_pos})")
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="lower left", fontsize=8)
        paths.append(_save(fig, out / f"pr_{_slug(label)}.png"))
    return paths


def calibration_plot(
    y_true: Mapping[str, Any],
    y_score: Mapping[str, Any],
    out_dir: str | os.PathLike[str],
    *,
    n_bins: int = 10,
    name: str = "calibration.png",
) -> Path:
    """Reliability diagram of all labels (observed rate against mean score per bin, Brier score
    in the legend) above a histogram of the scores."""
    import numpy as np
    from sklearn.metrics import brier_score_loss

    fig = _figure(6.0, 6.4)
    grid = fig.add_gridspec(2, 1, height_ratios=(3, 1), hspace=0.08)
    ax, hist = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    ax.plot([0, 1], [0, 1], color="#9e9e9e", ls=":", lw=1, label="perfectly calibrated")
    edges = np.linspace(0, 1, n_bins + 1)
    for label in y_true:
        if label not in y_score:
            raise ConfigError(f"no scores for label '{label}'", code="E511")
        t, s = _arrays(y_true[label], y_score[label], label)
        if not s.size:
            continue
        colour = _COLOURS.get(label)
        bins = np.clip(np.digitize(s, edges[1:-1]), 0, n_bins - 1)
        xs, ys, ns = [], [], []
        for b in range(n_bins):
            m = bins == b
            if m.any():
                xs.append(float(s[m].mean()))
                ys.append(float(t[m].mean()))
                ns.append(int(m.sum()))
        brier = brier_score_loss(t, s) if 0 < t.sum() < t.size else float("nan")
        line = ax.plot(xs, ys, "-", color=colour, lw=1.5, label=f"{label} (Brier {brier:.3f})")[0]
        ax.scatter(xs, ys, s=[12 + 140 * math.sqrt(k / max(ns)) for k in ns], color=line.get_color(), zorder=3)
        hist.hist(s, bins=edges, histtype="step", lw=1.5, color=colour)
    ax.set(xlim=(0, 1), ylim=(0, 1), ylabel="Observed share that is true",
           title="Calibration (dot size: passages in the score bin)")
    ax.tick_params(labelbottom=False)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    hist.set(xlim=(0, 1), xlabel="Predicted score", ylabel="Passages")
    hist.grid(alpha=0.3)
    return _save(fig, Path(out_dir) / name)


def _flags(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)) or not hasattr(value, "__iter__"):
        return []  # None, NaN, pd.NA: no flag
    if isinstance(value, str):
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    return [str(v) for v in value]


def context_confusion(
    df: Any,
    *,
    context_col: str = "context",
    true_col: str = "y_true",
    pred_col: str = "y_pred",
    label_col: str | None = "label",
) -> Any:
    """Confusion counts (TP, FP, FN, TN), precision, recall and the flagged share per context type
    (and label). For non-current contexts (negated, historical, ...) the flagged share is the
    false-alarm rate to watch.

    Each row of ``df`` is one scored passage: its context flags (a list, or a comma-separated
    string; none means "affirmed"), the gold value and the prediction. A passage with several
    flags counts under each of them.
    """
    import pandas as pd

    missing = [c for c in (context_col, true_col, pred_col) if c not in df.columns]
    if missing:
        raise ConfigError(f"columns missing for the context table: {', '.join(missing)}; "
                          f"available: {', '.join(map(str, df.columns))}", code="E512")
    use_label = label_col is not None and label_col in df.columns
    rows: dict[tuple[str, str], list[int]] = {}
    cols = [context_col, true_col, pred_col] + ([label_col] if use_label else [])
    for rec in df[cols].itertuples(index=False, name=None):
        t, p = bool(rec[1]), bool(rec[2])
        label = str(rec[3]) if use_label else "all"
        for flag in _flags(rec[0]) or ["affirmed"]:
            c = rows.setdefault((label, flag), [0, 0, 0, 0])
            c[(0 if p else 2) if t else (1 if p else 3)] += 1
    order = {f: i for i, f in enumerate(CONTEXT_TYPES)}
    out = []
    for (label, flag), (tp, fp, fn, tn) in sorted(rows.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 99), kv[0][1])):
        out.append({"label": label, "context": flag, "n": tp + fp + fn + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
                    "precision": tp / (tp + fp) if tp + fp else float("nan"),
                    "recall": tp / (tp + fn) if tp + fn else float("nan"),
                    "flagged_share": (tp + fp) / (tp + fp + fn + tn)})
    table = pd.DataFrame(out, columns=["label", "context", "n", "tp", "fp", "fn", "tn", "precision", "recall",
                                       "flagged_share"])
    return table if use_label else table.drop(columns="label")


def context_confusion_table(
    df: Any,
    out_dir: str | os.PathLike[str],
    *,
    name: str = "context_confusion",
    **columns: Any,
) -> list[Path]:
    """Write the context confusion table as ``<name>.csv`` and ``<name>.png``; returns both paths.
    ``columns`` are passed to :func:`context_confusion` (``context_col``, ``true_col``, ...)."""
    table = context_confusion(df, **columns)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / f"{name}.csv"
    table.to_csv(csv_path, index=False, float_format="%.4f")
    shown = table.copy()
    for c in ("precision", "recall", "flagged_share"):
        shown[c] = shown[c].map(lambda x: "–" if x != x else f"{x:.2f}")
    fig = _figure(7.5, 0.5 + 0.3 * (len(shown) + 1))
    ax = fig.add_subplot()
    ax.axis("off")
    ax.set_title("Confusion by context type (flagged: share of passages at or above the threshold;\n"
                 "for negated, historical, hypothetical and others' experiences it should be near 0)", fontsize=9)
    if len(shown):
        heads = {"n": "passages", "tp": " TP ", "fp": " FP ", "fn": " FN ", "tn": " TN ", "flagged_share": "flagged"}
        tab = ax.table(cellText=shown.astype(str).values.tolist(), colLabels=[heads.get(c, c) for c in shown.columns],
                       loc="center", cellLoc="center")
        tab.auto_set_font_size(False)
        tab.set_fontsize(9)
        tab.auto_set_column_width(col=list(range(len(shown.columns))))
        tab.scale(1, 1.3)
        for (row, _col), cell in tab.get_celld().items():
            if row == 0:
                cell.set_facecolor("#eceff1")
                cell.set_text_props(weight="bold")
    else:
        ax.text(0.5, 0.5, "no passages", ha="center", va="center")
    return [_save(fig, out / f"{name}.png"), csv_path]
