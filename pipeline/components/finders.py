"""Finder components: operations, quantities and dates, each into its own span group.

Each wraps a compiled grammar from ``pipeline.grammar`` and writes candidate
spans, with their normalised values on ``span._``, to ``doc.spans[<label>]``;
``crackdown_entities`` then resolves overlaps into ``doc.ents``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from spacy.lang.lex_attrs import word_shape
from spacy.language import Language
from spacy.tokens import Doc

from ..cues import add_anchor_flag, flagged_spans
from ..extensions import char_span, doc_text, doc_value, register_extensions, set_group, set_span_values
from ..grammar.en.dates import DateGrammar, duration, iso
from ..grammar.en.operations import OperationGrammar
from ..grammar.en.quantities import QuantityGrammar
from ..rules import DatesFile, OperationsFile, QuantitiesFile
from .base import RuleComponent

register_extensions()


class AnchorFlag:
    """Lexeme flag: can a match start at (or hang on) this word type?

    spaCy computes a flag once per word type and stores it on the lexeme, so finding
    the few candidate tokens of a Doc is one ``to_array`` call, not Python per token.
    A class rather than a closure so the vocab stays picklable.
    """

    def __init__(self, words: set[str], shapes: frozenset[str] = frozenset(), any_digit: bool = False):
        if any(not shape.startswith("d") for shape in shapes):
            raise ValueError(f"anchor shapes are shapes of numbers ('dddd'), got {sorted(shapes)}")
        self.words = frozenset(words)
        self.shapes = shapes
        self.any_digit = any_digit

    def __call__(self, text: str) -> bool:
        if text.lower() in self.words:
            return True
        if self.any_digit:
            return any(c.isdigit() for c in text)
        # the shapes are of numbers: no need to compute the shape of a word
        return bool(self.shapes) and text[:1].isdigit() and word_shape(text) in self.shapes


class Finder(RuleComponent):
    """A rule component that writes the matches of its grammar to ``doc.spans[spans_key]``."""

    label = ""

    def __init__(self, nlp: Language, name: str, spans_key: str):
        super().__init__(nlp, name)
        self.spans_key = spans_key

    def matches(self, doc: Doc) -> Iterable[Any]:
        """The grammar's matches in ``doc`` (each with ``start`` and ``end`` offsets)."""
        raise NotImplementedError

    def describe(self, match: Any, doc: Doc) -> dict[str, object]:
        """The span's ``._`` values, from its match."""
        raise NotImplementedError

    def annotate(self, doc: Doc) -> Doc:
        spans = []
        for match in self.matches(doc):
            span = char_span(doc, match.start, match.end, self.label)
            if span is not None:
                set_span_values(doc, span.start_char, span.end_char, self.describe(match, doc))
                spans.append(span)
        set_group(doc, self.spans_key, spans)
        return doc


class AnchoredFinder(Finder):
    """A finder whose grammar is tried only at tokens with its lexeme flag (``anchor_flag``)."""

    def __init__(self, nlp: Language, name: str, spans_key: str, anchor_flag: int):
        super().__init__(nlp, name, spans_key)
        self.anchor_flag = anchor_flag


class OperationFinder(AnchoredFinder):
    """Campaign names: known aliases by their match policy, and general name patterns.

    The operation words ("campaign", "operations") are the lexeme flag: a known name next
    to one is looked up back from it.
    """

    sections = ("operations",)
    label = "OPERATION"
    grammar: OperationGrammar | None = None

    def setup(self) -> None:
        assert self.data is not None
        self.grammar = OperationGrammar(OperationsFile.model_validate(self.data["operations"]))
        add_anchor_flag(self.nlp, self.anchor_flag, AnchorFlag(self.grammar.words), self.name)

    def matches(self, doc: Doc) -> Iterable[Any]:
        assert self.grammar is not None
        return self.grammar.find(doc_text(doc), flagged_spans(doc, self.anchor_flag))

    def describe(self, match: Any, doc: Doc) -> dict[str, object]:
        return {"norm": match.name, "rule": match.rule}


class QuantityFinder(AnchoredFinder):
    """Numbers with their unit, currency and qualifier."""

    sections = ("quantities",)
    label = "QUANTITY"
    grammar: QuantityGrammar | None = None

    def setup(self) -> None:
        assert self.data is not None
        self.grammar = QuantityGrammar(QuantitiesFile.model_validate(self.data["quantities"]))
        add_anchor_flag(self.nlp, self.anchor_flag, AnchorFlag(self.grammar.number_words(), any_digit=True),
                        self.name)

    def starts(self, doc: Doc, text: str) -> list[int]:
        """Where a number can begin: tokens with a digit, number words, "a"/"an"."""
        out = []
        for idx, end in flagged_spans(doc, self.anchor_flag):
            token = text[idx:end]
            if not token[0].isdigit() and not token[0].isalpha():
                # "$35.8", ".08": start at the digits (a prefix is read back from the text)
                k = next((i for i, c in enumerate(token) if c.isdigit()), 0)
                idx += k - 1 if k and token[k - 1] == "." else k
            elif token[0].isalpha() and any(c.isdigit() for c in token):
                idx += next(i for i, c in enumerate(token) if c.isdigit())  # "RMB5", "HK$35.8"
            out.append(idx)
        return out

    def matches(self, doc: Doc) -> Iterable[Any]:
        assert self.grammar is not None
        text = doc_text(doc)
        return self.grammar.find(text, self.starts(doc, text))

    def describe(self, match: Any, doc: Doc) -> dict[str, object]:
        values: dict[str, object] = {"value": float(match.value), "unit": match.unit,
                                     "qualifier": match.qualifier, "rule": match.rule}
        if getattr(match, "qualifier_end", None) is not None:  # the Chinese grammar has none
            values["qualifier_end"] = match.qualifier_end
        return values


class DateFinder(AnchoredFinder):
    """Dates and periods, resolved against ``doc._.published``."""

    sections = ("dates", "quantities")
    label = "DATE"
    grammar: DateGrammar | None = None

    def setup(self) -> None:
        assert self.data is not None
        numbers = QuantitiesFile.model_validate(self.data["quantities"]).number_words
        self.grammar = DateGrammar(DatesFile.model_validate(self.data["dates"]), numbers)
        # four-digit numbers are years ("dddd"; "ddddx" is "1990s"); "dxx", "ddxx" are days ("the 27th")
        add_anchor_flag(self.nlp, self.anchor_flag,
                        AnchorFlag(self.grammar.anchor_words, shapes=frozenset({"dddd", "ddddx", "dxx", "ddxx"})),
                        self.name)

    def anchors(self, doc: Doc) -> list[tuple[int, int]]:
        """Tokens a date can hang on: month, weekday and period words, four-digit numbers."""
        return flagged_spans(doc, self.anchor_flag)

    def matches(self, doc: Doc) -> Iterable[Any]:
        assert self.grammar is not None
        return self.grammar.find(doc_text(doc), self.anchors(doc))

    def describe(self, match: Any, doc: Doc) -> dict[str, object]:
        assert self.grammar is not None
        period = self.grammar.period(match, _reference(doc_value(doc, "published")))  # doc._.published
        return {"period_start": period[0].isoformat() if period[0] else None,
                "period_end": period[1].isoformat() if period[1] else None,
                "norm": iso(period), "date_mod": match.mod, "context_start": match.context_start,
                "precise": match.precise, "duration": duration(match.spec), "rule": f"date.{match.rule}"}


def _reference(published: object) -> date | None:
    if published is None or published == "":
        return None
    if isinstance(published, date):
        return published
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        return None


@Language.factory("crackdown_operations", default_config={"spans_key": "operation", "anchor_flag": 61},
                  assigns=["doc.spans", "span._.norm", "span._.rule"])
def make_operations(nlp: Language, name: str, spans_key: str, anchor_flag: int) -> OperationFinder:
    """Factory of the OPERATION finder; ``anchor_flag`` is the lexeme flag bit it marks operation words with."""
    return OperationFinder(nlp, name, spans_key, anchor_flag)


@Language.factory("crackdown_quantities", default_config={"spans_key": "quantity", "anchor_flag": 62},
                  assigns=["doc.spans", "span._.value", "span._.unit", "span._.qualifier",
                           "span._.qualifier_end", "span._.rule"])
def make_quantities(nlp: Language, name: str, spans_key: str, anchor_flag: int) -> QuantityFinder:
    """Factory of the QUANTITY finder; ``anchor_flag`` is the lexeme flag bit it marks number starts with."""
    return QuantityFinder(nlp, name, spans_key, anchor_flag)


@Language.factory("crackdown_dates", default_config={"spans_key": "date", "anchor_flag": 63},
                  assigns=["doc.spans", "span._.period_start", "span._.period_end", "span._.norm"])
def make_dates(nlp: Language, name: str, spans_key: str, anchor_flag: int) -> DateFinder:
    """Factory of the DATE finder; ``anchor_flag`` is the lexeme flag bit it marks date words with."""
    return DateFinder(nlp, name, spans_key, anchor_flag)
