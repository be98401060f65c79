"""Load and validate rule files shipped in ``riskflag/resources`` (or given by path).

Every rule file is JSON: ``{"version": str, "description": str, <collection>: [rule, ...]}``.
Each rule is validated against a :class:`RuleSchema`: unknown keys are rejected and the allowed
ones listed, required keys must be present, regexes are compiled. Nothing is loaded at import.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from .errors import RulesError

__all__ = ["RuleSchema", "load_rules", "resource_path", "rules_version", "compile_regex", "REGEX_TIMEOUT"]

REGEX_TIMEOUT = 2.0  # seconds per regex search on one note


@dataclass(frozen=True)
class RuleSchema:
    """Keys a rule may have. ``types`` maps key -> type or tuple of types."""

    collection: str
    required: Mapping[str, Any]
    optional: Mapping[str, Any] = field(default_factory=dict)
    check: Callable[[dict[str, Any], str], None] | None = None


def resource_path(name: str) -> Path:
    """Path of a file shipped under ``riskflag/resources``."""
    return Path(str(resources.files("riskflag") / "resources" / name))


def rules_version() -> str:
    """The shipped rule set's version (``resources/VERSION``)."""
    return resource_path("VERSION").read_text(encoding="utf-8").strip()


def _read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise RulesError(f"rule file not found: {path}", code="E301") from None
    except json.JSONDecodeError as exc:
        raise RulesError(f"rule file {path.name} is not valid JSON (line {exc.lineno})", code="E302") from None


def load_rules(source: str | Path, schema: RuleSchema) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Load a rule file: a resource name (``"identifiers/patterns.json"``) or a path.

    Returns ``(rules, header)`` where header holds ``version``, ``description``, ``sha256`` and
    ``path``. Raises RulesError naming the rule id and key at fault.
    """
    path = Path(source)
    if not path.is_absolute() and not path.exists():
        path = resource_path(str(source))
    data = _read_json(path)
    if not isinstance(data, dict) or schema.collection not in data:
        raise RulesError(f"rule file {path.name} must be an object with a '{schema.collection}' list", code="E303")
    rules = data[schema.collection]
    if not isinstance(rules, list):
        raise RulesError(f"'{schema.collection}' in {path.name} must be a list", code="E303")
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        where = f"{path.name} {schema.collection}[{i}]"
        validate_rule(rule, schema, where)
        rid = rule.get("id")
        if rid is not None:
            if rid in seen:
                raise RulesError(f"duplicate rule id '{rid}' in {path.name}", code="E305")
            seen.add(rid)
    header = {k: v for k, v in data.items() if k != schema.collection}
    header["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    header["path"] = str(path)
    return rules, header


def validate_rule(rule: Any, schema: RuleSchema, where: str) -> None:
    if not isinstance(rule, dict):
        raise RulesError(f"{where}: a rule must be an object", code="E303")
    allowed = {**schema.required, **schema.optional}
    rid = rule.get("id", where)
    unknown = sorted(set(rule) - set(allowed))
    if unknown:
        raise RulesError(
            f"rule '{rid}' ({where}): unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
            code="E304",
        )
    for key in schema.required:
        if key not in rule:
            raise RulesError(f"rule '{rid}' ({where}): missing required key '{key}'", code="E304")
    for key, value in rule.items():
        typ = allowed[key]
        if typ is not None and not isinstance(value, typ):
            raise RulesError(f"rule '{rid}' ({where}): key '{key}' has the wrong type", code="E304")
    if schema.check is not None:
        schema.check(rule, str(rid))


def compile_regex(pattern: str, rule_id: str, flags: int = 0) -> regex.Pattern[str]:
    """Compile a rule's regex (``regex`` module, VERSION0), naming the rule on failure."""
    try:
        return regex.compile(pattern, flags | regex.VERSION0)
    except regex.error as exc:
        raise RulesError(f"rule '{rule_id}': invalid regex ({exc})", code="E306") from None
