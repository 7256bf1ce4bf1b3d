"""Segmentation: paragraphs (crackdown_paragraphs) and sentences (crackdown_sentencizer)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")
LINE_RE = re.compile(r"\n")

DEFAULT_SPANS_KEY = "paragraph"


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Paragraphs of ``text``: blank-line separated, or one a line when there is no blank line."""
    splitter = BLANK_LINE_RE if BLANK_LINE_RE.search(text) else LINE_RE
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in splitter.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    out = []
    for s, e in bounds:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


class ParagraphMarker:
    """Store paragraphs in ``doc.spans[spans_key]`` and make each start a sentence.

    Runs before the sentencizer, which keeps these boundaries (its ``overwrite`` is off).
    """

    def __init__(self, nlp: Language, name: str, spans_key: str = DEFAULT_SPANS_KEY):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end in paragraph_bounds(doc.text):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            spans.append(span)
            span[0].is_sent_start = True
            for token in span:
                if token.is_space and "\n" in token.text and token.i + 1 < len(doc):
                    token.is_sent_start = False
        for token in doc:
            if token.is_space and "\n" in token.text and token.i > 0:
                token.is_sent_start = False
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory(
    "crackdown_paragraphs",
    default_config={"spans_key": DEFAULT_SPANS_KEY},
    assigns=["token.is_sent_start", "doc.spans"],
)
def make_paragraphs(nlp: Language, name: str, spans_key: str) -> ParagraphMarker:
    """Factory of the paragraph marker (paragraphs are a cue for attribution)."""
    return ParagraphMarker(nlp, name, spans_key)


class StableSentencizer(Sentencizer):
    """spaCy's sentencizer, serialised with its punctuation sorted.

    The stock one writes a set in hash order, so two builds of the same rules
    would differ byte for byte; sorting makes ``models/`` reproducible.
    """

    def _cfg(self) -> dict:
        return {"punct_chars": sorted(self.punct_chars), "overwrite": self.overwrite}

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps(self._cfg())

    def to_disk(self, path: "str | Path", *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path).with_suffix(".json")
        srsly.write_json(path, self._cfg())


@Language.factory(
    "crackdown_sentencizer",
    default_config={"punct_chars": None, "overwrite": False},
    assigns=["token.is_sent_start", "doc.sents"],
)
def make_sentencizer(nlp: Language, name: str, punct_chars: list[str] | None,
                     overwrite: bool) -> StableSentencizer:
    """Factory of the sentencizer (keeps the paragraph starts set before it)."""
    return StableSentencizer(name, punct_chars=punct_chars, overwrite=overwrite)
