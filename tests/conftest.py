"""Shared fixtures. Tests use synthetic notes only; tests that read ../shared/data skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("RISKFLAG_SHARED_DATA", ROOT.parent / "shared" / "data"))
SAMPLE_NOTES = ROOT / "data" / "sample_notes.jsonl"


@pytest.fixture(scope="session")
def nlp_ids():
    """Identifier-only pipeline (no risk components), built once per session."""
    from riskflag.pipeline import build_nlp

    return build_nlp(risk=False)


@pytest.fixture(scope="session")
def nlp_full():
    """The full pipeline (identifiers + risk components), built once per session."""
    from riskflag.pipeline import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or skip: users clone the project without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not available")
    return SHARED_DATA
