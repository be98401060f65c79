"""Sentence and line boundaries for clinical text: notes wrap lines mid-sentence, use bullets,
headers ("Assessment:"), checkbox lines and semicolon-separated lists. Runs on the tokenizer's
output only (no model), so it is fast and deterministic."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["ClinicalSentencizer"]

_END = {".", "!", "?", "...", "…"}
_BULLETS = {"-", "*", "•", "·", "o", "+", "#", ">", "[", "☐", "☒", "☑", "□", "■", "▪"}


@Language.factory(
    "riskflag_sentences",
    assigns=["token.is_sent_start"],
    default_config={"max_line_words": 8},
)
def make_sentencizer(nlp: Language, name: str, max_line_words: int) -> ClinicalSentencizer:
    return ClinicalSentencizer(name=name, max_line_words=max_line_words)


class ClinicalSentencizer:
    """Sentence starts at: sentence-final punctuation, blank lines, and line breaks where the
    next line is a bullet/header/numbered item or the previous line is short or ends a clause."""

    def __init__(self, *, name: str = "riskflag_sentences", max_line_words: int = 8) -> None:
        self.name = name
        self.max_line_words = max_line_words

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        starts = [False] * n
        starts[0] = True
        line_words = 0
        prev_text = ""
        for i in range(n):
            tok = doc[i]
            text = tok.text
            ws = tok.whitespace_
            if i + 1 < n:
                nxt = doc[i + 1]
                if text in _END or (text[-1:] in "!?" and len(text) > 1):
                    nt = nxt.text
                    if not (nt[:1].islower() and "\n" not in ws and "\n" not in nt):
                        starts[i + 1] = True
                elif text == ":" and "\n" in ws:
                    starts[i + 1] = True
            if "\n" in text or "\n" in ws:
                # a line break inside/after this token
                nl_count = text.count("\n") + ws.count("\n")
                j = i + 1
                if j < n:
                    nxt_text = doc[j].text
                    last = prev_text if tok.is_space else text
                    if (
                        nl_count >= 2
                        or nxt_text[:1] in _BULLETS
                        or nxt_text[:1].isdigit() and j + 1 < n and doc[j + 1].text in {".", ")"}
                        or line_words <= self.max_line_words
                        or last in {".", ":", ";", "?", "!"}
                        or (j + 1 < n and doc[j + 1].text == ":" and nxt_text[:1].isupper())
                    ):
                        starts[j] = True
                line_words = 0
            elif not tok.is_space and not tok.is_punct:
                line_words += 1
            if not tok.is_space:
                prev_text = text
        for i in range(1, n):
            doc[i].is_sent_start = starts[i]
        doc[0].is_sent_start = True
        return doc
