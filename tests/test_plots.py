"""Evaluation plots on synthetic arrays: files are written, are PNGs and are not empty."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib", reason="plots need the plots extra (pip install -e '.[plots]')")

from riskflag.errors import ConfigError  # noqa: E402
from riskflag.plots import calibration_plot, context_confusion, context_confusion_table, pr_curves  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"
LABELS = ("self_harm", "harm_to_others", "abuse_neglect")


@pytest.fixture(scope="module")
def data() -> tuple[dict, dict]:
    rng = np.random.default_rng(7)
    y_true, y_score = {}, {}
    for i, label in enumerate(LABELS):
        t = rng.random(300) < 0.2 + 0.1 * i
        y_true[label] = t.astype(int)
        y_score[label] = np.clip(0.35 * t + rng.random(300) * 0.65, 0, 1)
    return y_true, y_score


def is_png(p: Path) -> bool:
    return p.is_file() and p.stat().st_size > 2_000 and p.read_bytes()[:8] == PNG


def test_pr_curves_one_png_per_label(data: tuple[dict, dict], tmp_path: Path) -> None:
    y_true, y_score = data
    paths = pr_curves(y_true, y_score, {"self_harm": 0.4, "harm_to_others": 0.5}, tmp_path / "plots",
                      target_recall=0.9)
    assert [p.name for p in paths] == [f"pr_{label}.png" for label in LABELS]
    assert all(is_png(p) for p in paths)
    assert not list((tmp_path / "plots").glob("*.part"))


def test_pr_curves_degenerate_and_bad_input(tmp_path: Path) -> None:
    [p] = pr_curves({"x/y": [0, 0, 0]}, {"x/y": [0.1, 0.2, 0.3]}, {"x/y": 0.5}, tmp_path)
    assert p.name == "pr_x_y.png" and is_png(p)
    with pytest.raises(ConfigError, match="E511"):
        pr_curves({"a": [0, 1]}, {"a": [0.5]}, {}, tmp_path)
    with pytest.raises(ConfigError, match="0..1"):
        pr_curves({"a": [0, 1]}, {"a": [0.5, 1.5]}, {}, tmp_path)
    with pytest.raises(ConfigError, match="no scores"):
        pr_curves({"a": [0, 1]}, {}, {}, tmp_path)


def test_calibration_plot(data: tuple[dict, dict], tmp_path: Path) -> None:
    p = calibration_plot(*data, tmp_path, n_bins=8)
    assert p == tmp_path / "calibration.png" and is_png(p)


def test_context_confusion_counts() -> None:
    df = pd.DataFrame({
        "label": ["self_harm"] * 6,
        "context": [[], ["negated"], ["negated"], "historical, hypothetical", None, ["experiencer"]],
        "y_true": [1, 0, 1, 0, 1, 0],
        "y_pred": [1, 1, 0, 0, 0, 0],
    })
    table = context_confusion(df)
    got = {r.context: (r.tp, r.fp, r.fn, r.tn) for r in table.itertuples()}
    assert got == {"affirmed": (1, 0, 1, 0), "negated": (0, 1, 1, 0), "historical": (0, 0, 0, 1),
                   "hypothetical": (0, 0, 0, 1), "experiencer": (0, 0, 0, 1)}
    assert list(table.context) == ["affirmed", "negated", "historical", "hypothetical", "experiencer"]
    assert table.set_index("context").loc["affirmed", "recall"] == 0.5
    assert table.set_index("context").loc["negated", "flagged_share"] == 0.5
    assert "label" not in context_confusion(df.drop(columns="label")).columns
    with pytest.raises(ConfigError, match="E512"):
        context_confusion(df.drop(columns="y_pred"))


def test_context_confusion_table_writes_png_and_csv(tmp_path: Path) -> None:
    df = pd.DataFrame({"label": ["self_harm", "abuse_neglect"] * 20, "context": [["negated"], []] * 20,
                       "gold": [1, 0, 1, 1] * 10, "pred": [1, 1, 0, 1] * 10})
    png, csv = context_confusion_table(df, tmp_path, true_col="gold", pred_col="pred")
    assert is_png(png) and csv.read_text().startswith("label,context,n,tp,fp,fn,tn,precision,recall,flagged_share")
    assert len(pd.read_csv(csv)) == 2


def test_plots_need_matplotlib(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for mod in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ConfigError, match=r"riskflag\[plots\]"):
        calibration_plot({"a": [0, 1]}, {"a": [0.1, 0.9]}, tmp_path)
