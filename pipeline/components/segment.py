"""crackdown_segmenter: paragraphs and sentences, from the text and the tokenizer's decisions.

spaCy's Sentencizer would do for sentences, but it visits every token in Python,
which costs more than all the rule matching together; this finds candidate
boundaries with one regular expression over the text and asks the tokenizer
only there (a period inside "Feb." or "U.S." is not a boundary). Paragraphs
(blank-line separated, or one a line when there is no blank line) always start
a sentence and are kept in ``doc.spans["paragraph"]`` as an attribution cue.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extensions import SEGMENTS_KEY, doc_text, token_bounds
from .batching import BatchPipe

BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")
LINE_RE = re.compile(r"\n")
# end punctuation, closing quotes or brackets, space, then something that starts a sentence
# (a language's config.cfg sets its own: Chinese needs no space after 。)
DEFAULT_SENTENCE_END = r"[.!?。！？]+[\"'”’)\]]*(?=\s+[\"“'‘(\[]?[A-Z0-9])"
SENTENCE_END_RE = re.compile(DEFAULT_SENTENCE_END)

# Lines of a list inside a paragraph are sentences of their own: every line after one that ends
# in a colon ("The campaign in numbers:" then "cases uncovered - 20,542"), and a line opened by a
# bullet ("- 2.8 kg of hashish;"). Hard-wrapped prose keeps its sentences across line breaks.
DEFAULT_LIST_OPENER = r"[:：][ \t]*\n"
DEFAULT_LIST_ITEM = r"\n(?=[ \t]*[-*•·–][ \t])"
DEFAULT_SPANS_KEY = "paragraph"
# News sentences stay under 80 tokens. Event assembly looks across a sentence for each of
# its numbers, so one "sentence" of 40,000 tokens (a flattened table, a list of figures)
# would cost minutes; a longer stretch is cut, after a comma or semicolon where it can be.
DEFAULT_MAX_SENTENCE_TOKENS = 128
CUT_AFTER = (",", ";", ":", "，", "；")


LIST_LINE_WORDS = 8  # a line of a list is short ("cases uncovered - 20,542"); wrapped prose runs longer
QUOTES = "\"“'‘「『"


def _list_like(lines: str) -> bool:
    """Whether the lines after a line ending in a colon are a list, not prose wrapped at line ends (a
    quotation after "said:", "...and detained" then "4,500 drug suspects"): each short, the first no
    quotation, and none cut before a number that opens the next."""
    rows = lines.split("\n")
    if not rows or rows[0].lstrip()[:1] in tuple(QUOTES):
        return False
    for row, following in zip(rows, [*rows[1:], ""], strict=True):
        if len(row.split()) > LIST_LINE_WORDS:
            return False
        if row.rstrip()[-1:].isalpha() and following.lstrip()[:1].isdigit():
            return False
    return True


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


class Segmenter(BatchPipe):
    """Set sentence starts (paragraph starts and sentence ends) and record paragraphs."""

    def __init__(self, nlp: Language, name: str, spans_key: str = DEFAULT_SPANS_KEY,
                 sentence_end: str = DEFAULT_SENTENCE_END,
                 max_sentence_tokens: int = DEFAULT_MAX_SENTENCE_TOKENS,
                 list_opener: str = DEFAULT_LIST_OPENER, list_item: str = DEFAULT_LIST_ITEM):
        self.name = name
        self.spans_key = spans_key
        self.sentence_end = re.compile(sentence_end)
        self.list_opener = re.compile(list_opener) if list_opener else None
        self.list_item = re.compile(list_item) if list_item else None
        self.max_sentence_tokens = max_sentence_tokens

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            doc.spans[self.spans_key] = []
            return doc
        text = doc_text(doc)
        offsets = token_bounds(doc)[0]
        starts = [-1] * len(doc)  # -1: not a sentence start
        spans = []
        for p_start, p_end in paragraph_bounds(text):
            first = bisect_right(offsets, p_start) - 1
            last = bisect_left(offsets, p_end)
            if first < 0 or first >= last:
                continue
            starts[first] = 1
            spans.append(Span(doc, first, last))  # doc[first:last] makes Token objects: 3x the time
            for m in self.sentence_end.finditer(text, p_start, p_end):
                end_token = bisect_right(offsets, m.start()) - 1
                if offsets[end_token] != m.start():
                    continue  # the stop belongs to a longer token: "Feb.", "U.S.", "No."
                nxt = bisect_left(offsets, m.end())
                while nxt < last and text[offsets[nxt]].isspace():  # a whitespace token
                    nxt += 1
                if nxt < last:
                    starts[nxt] = 1
            for line_end in self._list_lines(text, p_start, p_end):
                nxt = bisect_left(offsets, line_end)
                while nxt < last and text[offsets[nxt]].isspace():
                    nxt += 1
                if nxt < last:
                    starts[nxt] = 1
        starts[0] = 1
        array = np.array(starts, dtype=np.int64)
        if self.max_sentence_tokens and len(doc) > self.max_sentence_tokens:
            self._cut_long(array, text, offsets)
        doc.from_array([SENT_START], array.view(np.uint64).reshape(-1, 1))  # type: ignore[arg-type]
        doc.spans[self.spans_key] = spans
        # for event assembly (attribution.DocContext): what it would read back from the Doc
        ends = token_bounds(doc)[1]
        doc.user_data[SEGMENTS_KEY] = (self.spans_key, (array == 1).nonzero()[0].tolist(),
                                       [(offsets[p.start], ends[p.end - 1]) for p in spans])
        return doc

    def _list_lines(self, text: str, start: int, end: int) -> list[int]:
        """Where the lines of a list in the paragraph [start, end) begin (``list_opener``, ``list_item``)."""
        found = [m.end() for m in self.list_item.finditer(text, start, end)] if self.list_item else []
        opened = self.list_opener.search(text, start, end) if self.list_opener else None
        if opened is not None and _list_like(text[opened.end():end]):
            found.append(opened.end())
            found += [m.end() for m in LINE_RE.finditer(text, opened.end(), end)]
        return found

    def _cut_long(self, starts: np.ndarray, text: str, offsets: list[int]) -> None:
        """Start a sentence at least every ``max_sentence_tokens`` tokens (in place)."""
        limit = self.max_sentence_tokens
        bounds = np.append(np.flatnonzero(starts == 1), len(starts))
        for first, end in zip(bounds[:-1], bounds[1:], strict=True):
            at = int(first)
            while end - at > limit:
                cut = at + limit
                for i in range(cut - 1, at + limit // 2, -1):  # the last comma in the second half
                    if text[offsets[i]] in CUT_AFTER:
                        cut = i + 1
                        break
                starts[cut] = 1
                at = cut


@Language.factory(
    "crackdown_segmenter",
    default_config={"spans_key": DEFAULT_SPANS_KEY, "sentence_end": DEFAULT_SENTENCE_END,
                    "max_sentence_tokens": DEFAULT_MAX_SENTENCE_TOKENS, "list_opener": DEFAULT_LIST_OPENER,
                    "list_item": DEFAULT_LIST_ITEM},
    assigns=["token.is_sent_start", "doc.sents", "doc.spans"],
)
def make_segmenter(nlp: Language, name: str, spans_key: str, sentence_end: str,
                   max_sentence_tokens: int, list_opener: str, list_item: str) -> Segmenter:
    """Factory of the segmenter; ``sentence_end`` is the regular expression of a sentence's end,
    ``max_sentence_tokens`` the longest sentence before it is cut (bounds the work per sentence),
    ``list_opener`` and ``list_item`` where the lines of a list start (empty: never)."""
    return Segmenter(nlp, name, spans_key, sentence_end, max_sentence_tokens, list_opener, list_item)
