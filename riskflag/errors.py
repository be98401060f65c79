"""Coded errors. Messages never contain note text: they name ids, columns, rule ids, counts."""

from __future__ import annotations

__all__ = [
    "RiskflagError",
    "InputError",
    "RecordError",
    "RulesError",
    "ModelError",
    "ConfigError",
]


class RiskflagError(Exception):
    """Base error; ``code`` is a short greppable identifier such as ``E101``."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        self.message = message
        super().__init__(f"[{self.code}] {message}")

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class InputError(RiskflagError):
    """The input as a whole cannot be read (missing file, unknown format, missing column)."""

    code = "E100"


class RecordError(RiskflagError):
    """One record cannot be scanned; the batch carries on and the note gets status ``error``.

    Codes: E201 malformed record, E202 invalid UTF-8, E203 missing text, E204 text not a string,
    E205 empty text, E206 note too large, E207 processing failure.
    """

    code = "E200"


class RulesError(RiskflagError):
    """A shipped or user rule file is invalid (unknown key, bad regex, failing example)."""

    code = "E300"


class ModelError(RiskflagError):
    """A model file is missing, tampered with (sha256 mismatch) or incompatible."""

    code = "E400"


class ConfigError(RiskflagError):
    """Invalid options or configuration."""

    code = "E500"
