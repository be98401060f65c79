"""The Dask engine on a LocalCluster gives the same results as the local engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from riskflag.scan import scan, scan_files  # noqa: E402

SAMPLE_NOTES = Path(__file__).resolve().parents[1] / "data" / "sample_notes.jsonl"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c


def _sorted(path):
    return sorted(json.dumps(json.loads(line), sort_keys=True) for line in path.read_text().splitlines())


def test_cli_dask_engine_matches_local(cluster, tmp_path):
    from riskflag.cli import main

    local, remote = tmp_path / "local", tmp_path / "dask"
    assert main(["scan", str(SAMPLE_NOTES), "--out", str(local), "--chunk-size", "8"]) == 1
    assert main(["scan", str(SAMPLE_NOTES), "--out", str(remote), "--chunk-size", "8", "--engine", "dask",
                 "--scheduler", cluster.scheduler_address]) == 1
    assert _sorted(remote / "findings.jsonl") == _sorted(local / "findings.jsonl")
    assert (remote / "notes.jsonl").read_bytes() == (local / "notes.jsonl").read_bytes()
    summary = json.loads((remote / "summary.json").read_text())
    assert summary["engine"] == {"name": "dask", "workers": 2}


def test_scan_dask_dataframe_matches_pandas(cluster, tmp_path):
    import dask
    import dask.dataframe as dd
    import pandas as pd

    from riskflag.dask_frames import scan_dask

    df = pd.read_json(SAMPLE_NOTES, lines=True)
    with distributed.Client(cluster):
        notes, findings = scan_dask(dd.from_pandas(df, npartitions=3), id_col="id")
        notes, findings = dask.compute(notes, findings)
    ref_notes, ref_findings = scan(df, id_col="id")
    key = ["note_id", "kind", "label", "start", "end"]
    got = findings.sort_values(key).reset_index(drop=True)
    want = ref_findings.sort_values(key).reset_index(drop=True)
    assert got[key].astype(object).equals(want[key].astype(object))
    assert got["score"].tolist() == pytest.approx(want["score"].tolist())
    assert [json.loads(e) for e in got["evidence"]] == want["evidence"].tolist()
    assert sorted(notes["note_id"]) == sorted(ref_notes["note_id"])
    assert notes.set_index("note_id")["review"].sort_index().tolist() == \
        ref_notes.set_index("note_id")["review"].sort_index().tolist()


def test_scan_dask_reports_a_missing_column():
    import dask.dataframe as dd
    import pandas as pd

    from riskflag.dask_frames import scan_dask
    from riskflag.errors import ConfigError

    with pytest.raises(ConfigError, match="available columns: body"):
        scan_dask(dd.from_pandas(pd.DataFrame({"body": ["x"]}), npartitions=1))


def test_scan_files_accepts_the_dask_engine_without_a_scheduler(tmp_path):
    stats = scan_files([SAMPLE_NOTES], tmp_path, engine="dask", workers=1, risk=False, chunk_size=16)
    assert stats.notes == len(SAMPLE_NOTES.read_text().splitlines())
