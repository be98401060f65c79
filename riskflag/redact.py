"""Replace identifier findings in a note by ``[LABEL]`` tags (or, with a surrogate generator,
by consistent fake values). Text outside identifier spans is never changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .types import Finding

__all__ = ["redact_text", "merge_spans", "TagRedactor", "make_redactor"]


def merge_spans(findings: Iterable[Finding]) -> list[tuple[int, int, str]]:
    """Identifier spans sorted, with overlapping ones merged (the earlier/longer label wins)."""
    spans = sorted(((f.start, f.end, f.label) for f in findings if f.kind == "identifier" and f.end > f.start),
                   key=lambda x: (x[0], -x[1]))
    out: list[list] = []
    for s, e, lab in spans:
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e, lab])
    return [(s, e, lab) for s, e, lab in out]


def redact_text(
    text: str,
    findings: Iterable[Finding],
    *,
    replacement: Callable[[str, str, int, int], str] | None = None,
) -> str:
    """Return ``text`` with identifier spans replaced. ``replacement(label, value, start, end)``
    gives the new string; by default ``[LABEL]``."""
    parts: list[str] = []
    pos = 0
    for s, e, lab in merge_spans(findings):
        parts.append(text[pos:s])
        parts.append(replacement(lab, text[s:e], s, e) if replacement else f"[{lab}]")
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


class TagRedactor:
    """Callable used by the scanner: ``redactor(text, findings) -> redacted text``."""

    def __call__(self, text: str, findings: Iterable[Finding]) -> str:
        return redact_text(text, findings)


def make_redactor(*, surrogates: bool = False) -> Callable[[str, Iterable[Finding]], str]:
    """The scanner's redactor: tags by default; consistent surrogates when asked."""
    if surrogates:
        from .surrogates import SurrogateRedactor

        return SurrogateRedactor()
    return TagRedactor()
