"""Sentence and line boundaries for clinical text: notes wrap lines mid-sentence, use bullets,
headers ("Assessment:"), checkbox lines and semicolon-separated lists. Runs on the tokenizer's
output only (no model), so it is fast and deterministic."""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
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
        # one pass over plain Python lists: token attribute access is the cost here
        texts = [t.text for t in doc]
        wss = [t.whitespace_ for t in doc]
        starts = [0] * n
        starts[0] = 1
        line_words = 0
        prev_text = ""
        max_words = self.max_line_words
        for i in range(n):
            text = texts[i]
            ws = wss[i]
            is_space = not text.strip()
            if i + 1 < n:
                if text in _END or (len(text) > 1 and text[-1] in "!?"):
                    nt = texts[i + 1]
                    if not (nt[:1].islower() and "\n" not in ws and "\n" not in nt):
                        starts[i + 1] = 1
                elif text == ":" and "\n" in ws:
                    starts[i + 1] = 1
            if "\n" in text or "\n" in ws:
                j = i + 1
                if j < n:
                    nl_count = text.count("\n") + ws.count("\n")
                    nxt_text = texts[j]
                    after = texts[j + 1] if j + 1 < n else ""
                    last = prev_text if is_space else text
                    if (
                        nl_count >= 2
                        or nxt_text[:1] in _BULLETS
                        or (nxt_text[:1].isdigit() and after in {".", ")"})
                        or (line_words <= max_words and not nxt_text[:1].islower())
                        or last in {".", ":", ";", "?", "!"}
                        or (after == ":" and nxt_text[:1].isupper())
                    ):
                        starts[j] = 1
                line_words = 0
            elif not is_space and any(ch.isalnum() for ch in text):
                line_words += 1
            if not is_space:
                prev_text = text
        # SENT_START: 1 = starts a sentence, -1 = does not
        arr = numpy.array([[1 if x else -1] for x in starts], dtype="int32").astype("uint64")
        doc.from_array([SENT_START], arr)
        return doc
