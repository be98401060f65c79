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


def check_risk_cues() -> tuple[list[str], int]:
    """Risk cue rules and blockers: ``match`` examples must yield the rule, ``no_match`` must not."""
    from .pipeline import build_nlp

    nlp = build_nlp(identifiers=False)
    return nlp.get_pipe("riskflag_risk_cues").check_examples(nlp)


def check_context() -> tuple[list[str], int]:
    """ConText rules: each ``applies`` example must have a cue modified by the rule."""
    from .pipeline import build_nlp

    nlp = build_nlp(identifiers=False)
    return nlp.get_pipe("riskflag_context").check_examples(nlp)


def check_identifier_lexicons() -> tuple[list[str], int]:
    """Identifier gazetteers/allow/cue lists load and validate (each names its source), and no
    allow-listed word is flagged by the cue detector in a neutral sentence."""
    from .pipeline.id_cues import CueDetector
    from .pipeline.id_lexicons import HARD_ALLOW_LISTS, load_lexicons

    lex = load_lexicons()
    det = CueDetector()
    det.load()
    problems, n = [], 0
    for name, header in lex.headers.items():
        n += 1
        if not header.get("source"):
            problems.append(f"identifier_lexicons: {name} does not say where it came from")
    for key in HARD_ALLOW_LISTS:
        for word in sorted(lex.allow[key]):
            n += 1
            for text in (f"Pt {word} noted.", f"PT {word.upper()} NOTED."):
                if det.match(text):
                    problems.append(f"identifier_lexicons: allow-listed '{word}' ({key}) flagged in a neutral sentence")
                    break
    return problems, n


#: name -> function returning (problems, number of examples checked); other rule files add theirs
CHECKS: dict[str, Callable[[], tuple[list[str], int]]] = {
    "identifier_lexicons": check_identifier_lexicons,
    "patterns": check_patterns,
    "risk_cues": check_risk_cues,
    "context": check_context,
}


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
