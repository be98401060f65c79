"""Run every shipped rule file's inline examples (``riskflag rules check`` and the tests)."""

from __future__ import annotations

from collections.abc import Callable

from .errors import RiskflagError

__all__ = ["check_all", "CHECKS"]


def check_patterns() -> tuple[list[str], int]:
    """Pattern rules: every ``match`` example must yield a match of that rule, no ``no_match`` may."""
    from .pipeline.patterns import PatternDetector

    det = PatternDetector()
    det.load()
    problems, n = [], 0
    for raw in det.raw_rules:
        rid = raw["id"]
        for kind, want in (("match", True), ("no_match", False)):
            for example in raw.get("examples", {}).get(kind, []):
                n += 1
                got = any(m.rule_id == rid for m in det.match(example, all_rules=True))
                if got != want:
                    problems.append(f"patterns: rule '{rid}' {'missed' if want else 'wrongly matched'} example {example!r}")
    return problems, n


#: name -> function returning (problems, number of examples checked); other rule files add theirs
CHECKS: dict[str, Callable[[], tuple[list[str], int]]] = {"patterns": check_patterns}


def check_all() -> tuple[list[str], int]:
    problems: list[str] = []
    total = 0
    for name, check in CHECKS.items():
        try:
            p, n = check()
        except RiskflagError as exc:
            p, n = [f"{name}: {exc}"], 0
        problems.extend(p)
        total += n
    return problems, total
