"""Finder components: operations, quantities and dates, each into its own span group.

Each wraps a compiled grammar from ``pipeline.grammar`` and writes candidate
spans, with their normalised values on ``span._``, to ``doc.spans[<label>]``;
``crackdown_entities`` then resolves overlaps into ``doc.ents``.
"""

from __future__ import annotations

from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extensions import register_extensions
from ..grammar.dates import DateGrammar, iso
from ..grammar.operations import OperationGrammar
from ..grammar.quantities import QuantityGrammar
from ..rules import DatesFile, OperationsFile, QuantitiesFile
from .base import RuleComponent

register_extensions()


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


class OperationFinder(RuleComponent):
    """Campaign names: known aliases by their match policy, and general name patterns."""

    sections = ("operations",)

    def __init__(self, nlp: Language, name: str, spans_key: str):
        super().__init__(nlp, name)
        self.spans_key = spans_key
        self.grammar: OperationGrammar | None = None

    def setup(self) -> None:
        assert self.data is not None
        self.grammar = OperationGrammar(OperationsFile.model_validate(self.data["operations"]))

    def annotate(self, doc: Doc) -> Doc:
        assert self.grammar is not None
        spans = []
        for match in self.grammar.find(doc.text):
            span = _span(doc, match.start, match.end, "OPERATION")
            if span is None:
                continue
            span._.norm = match.name
            span._.rule = match.rule
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


class QuantityFinder(RuleComponent):
    """Numbers with their unit, currency and qualifier."""

    sections = ("quantities",)

    def __init__(self, nlp: Language, name: str, spans_key: str):
        super().__init__(nlp, name)
        self.spans_key = spans_key
        self.grammar: QuantityGrammar | None = None

    def setup(self) -> None:
        assert self.data is not None
        self.grammar = QuantityGrammar(QuantitiesFile.model_validate(self.data["quantities"]))

    def annotate(self, doc: Doc) -> Doc:
        assert self.grammar is not None
        spans = []
        for match in self.grammar.find(doc.text):
            span = _span(doc, match.start, match.end, "QUANTITY")
            if span is None:
                continue
            span._.value = float(match.value)
            span._.unit = match.unit
            span._.qualifier = match.qualifier
            span._.rule = match.rule
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


class DateFinder(RuleComponent):
    """Dates and periods, resolved against ``doc._.published``."""

    sections = ("dates", "quantities")

    def __init__(self, nlp: Language, name: str, spans_key: str):
        super().__init__(nlp, name)
        self.spans_key = spans_key
        self.grammar: DateGrammar | None = None

    def setup(self) -> None:
        assert self.data is not None
        numbers = QuantitiesFile.model_validate(self.data["quantities"]).number_words
        self.grammar = DateGrammar(DatesFile.model_validate(self.data["dates"]), numbers)

    def annotate(self, doc: Doc) -> Doc:
        assert self.grammar is not None
        ref = _reference(doc._.published)
        spans = []
        for match in self.grammar.find(doc.text):
            span = _span(doc, match.start, match.end, "DATE")
            if span is None:
                continue
            period = self.grammar.period(match, ref)
            span._.period_start = period[0].isoformat() if period[0] else None
            span._.period_end = period[1].isoformat() if period[1] else None
            span._.norm = iso(period)
            span._.date_mod = match.mod
            span._.context_start = match.context_start
            span._.precise = match.precise
            span._.rule = f"date.{match.rule}"
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


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
