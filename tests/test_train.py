"""train()/evaluate() on a tiny synthetic frame; input validation; threshold selection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from riskflag.errors import ConfigError, InputError
from riskflag.train import (
    choose_thresholds,
    evaluate,
    format_metrics,
    read_table,
    train,
    validate_frame,
)

FAST = {"featurizer": {"char_ngrams": None, "min_df": 1}, "calibration_cv": 2}


def tiny_frame(n: int = 8) -> pd.DataFrame:
    rows = []
    pos = {
        "self_harm": ["Pt endorses SI with plan to overdose.", "She wants to kill herself tonight.",
                      "Reports passive death wish daily."],
        "harm_to_others": ["Endorses HI toward his neighbor.", "I will kill him if he comes back.",
                           "He threatened to shoot his coworker."],
        "abuse_neglect": ["Her husband hits her when he drinks.", "Child discloses physical abuse by stepfather.",
                          "Son took her social security checks."],
    }
    neg = [("Pt denies SI/HI.", "negated"), ("No thoughts of self-harm.", "negated"),
           ("h/o SI in 2015, none since.", "historical"), ("Brother died by suicide.", "experiencer"),
           ("Killing time before group.", "idiom"), ("Lungs clear, heart regular.", "unrelated"),
           ("Safety plan reviewed: if SI returns, call 988.", "hypothetical")]
    i = 0
    for k in range(n):
        for lab, texts in pos.items():
            for t in texts:
                rows.append({"id": f"r{i}", "text": f"{t} Visit {k}.", **{x: int(x == lab) for x in pos},
                             "context": "current"})
                i += 1
        for t, c in neg:
            rows.append({"id": f"r{i}", "text": f"{t} Visit {k}.", **dict.fromkeys(pos, 0), "context": c})
            i += 1
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def trained():
    return train(tiny_frame(), cv=2, params=FAST)


def test_train_and_evaluate(trained):
    model, report = trained
    assert set(report["thresholds"]) == {"self_harm", "harm_to_others", "abuse_neglect"}
    assert all(0 < t < 1 for t in report["thresholds"].values())
    m = evaluate(model, tiny_frame(2))
    assert m["any_risk"]["recall"] >= 0.9
    assert m["non_current_flagged"]["n"] == 12
    assert set(m["labels"]["self_harm"]) >= {"precision", "recall", "f1", "pr_auc", "brier", "reliability"}
    table = format_metrics(m)
    assert "macro F1" in table and "Visit" not in table  # never passage text


def test_holdout_report():
    _, report = train(tiny_frame(), cv=2, holdout=0.25, params=FAST)
    assert report["holdout"]["rows"] + report["holdout"]["rows_train"] == len(tiny_frame())


def test_show_errors_only_on_request(trained):
    model, _ = trained
    assert "errors" not in evaluate(model, tiny_frame(1))
    assert isinstance(evaluate(model, tiny_frame(1), show_errors=True)["errors"], list)


@pytest.mark.parametrize(("mutate", "error", "code"), [
    (lambda d: d.drop(columns="text"), InputError, "E111"),
    (lambda d: d.drop(columns="abuse_neglect"), InputError, "E111"),
    (lambda d: d.assign(text=[""] + d.text.tolist()[1:]), InputError, "E112"),
    (lambda d: d.assign(self_harm=[2] + d.self_harm.tolist()[1:]), InputError, "E113"),
    (lambda d: d.head(6), InputError, "E114"),
])
def test_validation_errors(mutate, error, code):
    with pytest.raises(error) as exc:
        validate_frame(mutate(tiny_frame(1)))
    assert exc.value.code == code


def test_unknown_label():
    with pytest.raises(ConfigError, match="unknown label"):
        validate_frame(tiny_frame(1), labels=("self_harm", "violence"))


def test_choose_thresholds_keeps_target_recall():
    rng = np.random.default_rng(0)
    y = (rng.random((200, 1)) < 0.3).astype(int)
    s = np.clip(y * 0.6 + rng.random((200, 1)) * 0.5, 0, 1)
    t = choose_thresholds(y, s, ["self_harm"], target_recall=0.95)["self_harm"]
    assert ((s[:, 0] >= t) & (y[:, 0] == 1)).sum() / y.sum() >= 0.95
    t2 = choose_thresholds(y, s, ["self_harm"], target_recall=0.8)["self_harm"]
    assert t2 >= t


def test_choose_thresholds_rejects_bad_target():
    with pytest.raises(ConfigError):
        choose_thresholds(np.ones((2, 1)), np.ones((2, 1)), ["self_harm"], target_recall=1.5)


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet"])
def test_read_table_formats(tmp_path, ext):
    df = tiny_frame(1)
    p = tmp_path / f"d.{ext}"
    {"csv": lambda: df.to_csv(p, index=False), "jsonl": lambda: df.to_json(p, orient="records", lines=True),
     "parquet": lambda: df.to_parquet(p)}[ext]()
    assert read_table(p)["text"].tolist() == df["text"].tolist()


def test_read_table_unknown_format(tmp_path):
    p = tmp_path / "d.xlsx"
    p.write_text("x")
    with pytest.raises(InputError, match="unknown table format"):
        read_table(p)


def test_grouped_splits_keep_groups_together():
    df = tiny_frame(4)
    groups = [t.split(" Visit")[0] for t in df.text]  # every variant of one sentence is one group
    _, report = train(df, cv=2, holdout=0.25, params=FAST, groups=groups)
    assert report["holdout"]["rows"] > 0


def test_groups_length_checked():
    with pytest.raises(ConfigError, match="groups"):
        train(tiny_frame(2), cv=2, params=FAST, groups=["a"])


def test_cli_train_and_evaluate(tmp_path, capsys):
    from riskflag.cli import main

    data = tmp_path / "d.csv"
    tiny_frame(4).to_csv(data, index=False)
    out = tmp_path / "m"
    assert main(["train", str(data), "--out", str(out), "--cv", "2", "--holdout", "0", "--C", "10"]) == 0
    assert (out / "manifest.json").is_file()
    capsys.readouterr()
    assert main(["evaluate", str(out), str(data)]) == 0
    printed = capsys.readouterr().out
    assert "macro F1" in printed and "Visit" not in printed
    assert main(["evaluate", str(out), str(data), "--json"]) == 0
    import json

    assert "macro_f1" in json.loads(capsys.readouterr().out)


def test_tables_without_context_or_id_columns_concatenate(trained):
    """Rows from a table with no ``context`` or ``id`` column (missing cells after concatenation)
    train and evaluate: missing values are read as empty strings, not NaN."""
    model, _ = trained
    df = tiny_frame(2)
    bare = tiny_frame(2).drop(columns=["context", "id"])
    both = pd.concat([df, bare], ignore_index=True)
    m = evaluate(model, both, show_errors=True)
    assert "" in m["contexts"] and m["contexts"][""]["n"] == len(bare)
    assert all(isinstance(e["id"], str) for e in m["errors"])
    _, report = train(both, cv=2, holdout=0.25, params=FAST)
    assert report["holdout"]["rows"] > 0
