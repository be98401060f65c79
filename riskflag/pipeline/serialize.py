"""Saving a rule-file component with the pipeline: ``nlp.to_disk`` copies the component's rule
file into its folder and ``from_disk`` loads it from there, so a saved pipeline is self-contained."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["RuleFileSerializer"]


class RuleFileSerializer:
    """Mixin for components with ``rules_source``, ``header`` (holding ``path``) and ``load()``;
    subclasses set ``rules_filename``."""

    rules_filename: str = "rules.json"
    rules_source: str
    header: dict[str, Any]

    def load(self) -> None:  # pragma: no cover - provided by the component
        raise NotImplementedError

    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        src = Path(self.header.get("path") or "")
        if src.is_file():
            (p / self.rules_filename).write_bytes(src.read_bytes())

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> Any:
        f = Path(path) / self.rules_filename
        if f.is_file():
            self.rules_source = str(f)
        self.load()
        return self
