"""Finder components: operations, quantities and dates, each into its own span group.

Each wraps a compiled grammar from ``pipeline.grammar`` and writes candidate
spans, with their normalised values on ``span._``, to ``doc.spans[<label>]``;
``crackdown_entities`` then resolves overlaps into ``doc.ents``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extensions import doc_text, register_extensions, token_arrays
from ..grammar.dates import DateGrammar, iso
from ..grammar.operations import OperationGrammar
from ..grammar.quantities import QuantityGrammar
from ..rules import DatesFile, OperationsFile, QuantitiesFile
from .base import RuleComponent

register_extensions()


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def _hashes(doc: Doc, words: set[str]) -> set[int]:
    return {int(doc.vocab.strings.add(w)) for w in words}


class _DigitShapes(dict):
    """Shape id -> whether the shape has a digit ("dd,ddd", "XX$dd.d"); shapes repeat a lot."""

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.strings = doc.vocab.strings

    def __missing__(self, shape: int) -> bool:
        self[shape] = "d" in self.strings[shape]
        return self[shape]


class Finder(RuleComponent):
    """A rule component that writes the matches of its grammar to ``doc.spans[spans_key]``."""

    label = ""

    def __init__(self, nlp: Language, name: str, spans_key: str):
        super().__init__(nlp, name)
        self.spans_key = spans_key

    def matches(self, doc: Doc) -> Iterable[Any]:
        """The grammar's matches in ``doc`` (each with ``start`` and ``end`` offsets)."""
        raise NotImplementedError

    def describe(self, span: Span, match: Any, doc: Doc) -> None:
        """Set the span's ``._`` values from its match."""
        raise NotImplementedError

    def annotate(self, doc: Doc) -> Doc:
        spans = []
        for match in self.matches(doc):
            span = _span(doc, match.start, match.end, self.label)
            if span is not None:
                self.describe(span, match, doc)
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


class OperationFinder(Finder):
    """Campaign names: known aliases by their match policy, and general name patterns."""

    sections = ("operations",)
    label = "OPERATION"

    def __init__(self, nlp: Language, name: str, spans_key: str):
        super().__init__(nlp, name, spans_key)
        self.grammar: OperationGrammar | None = None

    def setup(self) -> None:
        assert self.data is not None
        self.grammar = OperationGrammar(OperationsFile.model_validate(self.data["operations"]))

    def matches(self, doc: Doc) -> Iterable[Any]:
        assert self.grammar is not None
        return self.grammar.find(doc_text(doc))

    def describe(self, span: Span, match: Any, doc: Doc) -> None:
        span._.norm = match.name
        span._.rule = match.rule


class QuantityFinder(Finder):
    """Numbers with their unit, currency and qualifier."""

    sections = ("quantities",)
    label = "QUANTITY"

    def __init__(self, nlp: Language, name: str, spans_key: str):
        super().__init__(nlp, name, spans_key)
        self.grammar: QuantityGrammar | None = None
        self._words: set[int] | None = None
        self._shapes: _DigitShapes | None = None

    def setup(self) -> None:
        assert self.data is not None
        self.grammar = QuantityGrammar(QuantitiesFile.model_validate(self.data["quantities"]))
        self._words = None

    def starts(self, doc: Doc, text: str) -> list[int]:
        """Where a number can begin: tokens with a digit, number words, "a"/"an"."""
        assert self.grammar is not None
        if self._words is None or self._shapes is None:
            self._words = _hashes(doc, self.grammar.number_words())
            self._shapes = _DigitShapes(doc)
        words, shapes = self._words, self._shapes
        out = []
        for idx, length, lower, shape in token_arrays(doc):
            if lower not in words and not shapes[shape]:
                continue
            token = text[idx:idx + length]
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

    def describe(self, span: Span, match: Any, doc: Doc) -> None:
        span._.value = float(match.value)
        span._.unit = match.unit
        span._.qualifier = match.qualifier
        span._.rule = match.rule


class DateFinder(Finder):
    """Dates and periods, resolved against ``doc._.published``."""

    sections = ("dates", "quantities")
    label = "DATE"

    def __init__(self, nlp: Language, name: str, spans_key: str):
        super().__init__(nlp, name, spans_key)
        self.grammar: DateGrammar | None = None
        self._words: set[int] | None = None
        self._year_shapes: set[int] | None = None

    def setup(self) -> None:
        assert self.data is not None
        numbers = QuantitiesFile.model_validate(self.data["quantities"]).number_words
        self.grammar = DateGrammar(DatesFile.model_validate(self.data["dates"]), numbers)
        self._words = None

    def anchors(self, doc: Doc) -> list[tuple[int, int]]:
        """Tokens a date can hang on: month, weekday and period words, four-digit numbers."""
        assert self.grammar is not None
        if self._words is None or self._year_shapes is None:
            self._words = _hashes(doc, self.grammar.anchor_words)
            self._year_shapes = _hashes(doc, {"dddd", "ddddx"})
        words, years = self._words, self._year_shapes
        return [(idx, idx + length) for idx, length, lower, shape in token_arrays(doc)
                if lower in words or shape in years]

    def matches(self, doc: Doc) -> Iterable[Any]:
        assert self.grammar is not None
        return self.grammar.find(doc_text(doc), self.anchors(doc))

    def describe(self, span: Span, match: Any, doc: Doc) -> None:
        assert self.grammar is not None
        period = self.grammar.period(match, _reference(doc._.published))
        span._.period_start = period[0].isoformat() if period[0] else None
        span._.period_end = period[1].isoformat() if period[1] else None
        span._.norm = iso(period)
        span._.date_mod = match.mod
        span._.context_start = match.context_start
        span._.precise = match.precise
        span._.rule = f"date.{match.rule}"


def _reference(published: object) -> date | None:
    if published is None or published == "":
        return None
    if isinstance(published, date):
        return published
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        return None


@Language.factory("crackdown_operations", default_config={"spans_key": "operation"},
                  assigns=["doc.spans", "span._.norm", "span._.rule"])
def make_operations(nlp: Language, name: str, spans_key: str) -> OperationFinder:
    """Factory of the OPERATION finder."""
    return OperationFinder(nlp, name, spans_key)


@Language.factory("crackdown_quantities", default_config={"spans_key": "quantity"},
                  assigns=["doc.spans", "span._.value", "span._.unit", "span._.qualifier", "span._.rule"])
def make_quantities(nlp: Language, name: str, spans_key: str) -> QuantityFinder:
    """Factory of the QUANTITY finder."""
    return QuantityFinder(nlp, name, spans_key)


@Language.factory("crackdown_dates", default_config={"spans_key": "date"},
                  assigns=["doc.spans", "span._.period_start", "span._.period_end", "span._.norm"])
def make_dates(nlp: Language, name: str, spans_key: str) -> DateFinder:
    """Factory of the DATE finder."""
    return DateFinder(nlp, name, spans_key)
