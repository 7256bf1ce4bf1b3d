"""spaCy components of the Chinese pipeline: the finders and the event reader behind the seam.

They are the components of the English pipeline with the Chinese grammar inside:
each finder writes its spans to the same span group with the same ``span._``
values, ``crackdown_entities`` resolves them into ``doc.ents``, and the event
builder writes the same rows into ``doc._.events``. Their rules come from
``configs/zh/`` (checked against ``configs/shared/``) in ``initialize()`` and are
saved with ``to_disk``; ``configs/zh/config.cfg`` names them, so a pipeline on
``spacy.blank("zh")`` with the character segmenter is assembled and loaded the
spaCy way. Matching runs on ``to_simplified(text)``, whose offsets are the
original's, so traditional text keeps its offsets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ...components.base import RuleComponent
from ...extensions import doc_text, forget_text, register_extensions, set_span_values, token_bounds
from ..periods import iso
from .dates import DateGrammar, ZhDate
from .extract import ZhDoc, ZhGrammar, events, layout, published_date, resolve_all
from .gazetteer import NameMatch, OperationFinder, ProvinceFinder
from .quantities import QuantityGrammar, ZhQuantity
from .rules import ZhDatesFile, ZhOperationsFile, ZhProvincesFile, ZhQuantitiesFile, ZhRuleSet, load_zh_rules
from .text import to_simplified

register_extensions()

SIMPLIFIED_KEY = "crackdown.zh.simplified"
MATCHES_KEY = "crackdown.zh.matches"  # (label, start, end) -> the grammar's match, for the event builder
DEFAULT_RULES = "configs/zh"


def simplified(doc: Doc) -> str:
    """The Doc's text in simplified characters (same length and offsets), computed once per Doc."""
    text = doc.user_data.get(SIMPLIFIED_KEY)
    if text is None:
        text = doc.user_data[SIMPLIFIED_KEY] = to_simplified(doc_text(doc))
    return str(text)


def _matches(doc: Doc) -> dict[tuple[str, int, int], Any]:
    found = doc.user_data.get(MATCHES_KEY)
    if found is None:
        found = doc.user_data[MATCHES_KEY] = {}
    return found  # type: ignore[no-any-return]


def _span(doc: Doc, start: int, end: int, label: str, span_id: str = "") -> Span | None:
    """The span of exactly these characters (each Chinese character is a token of the char segmenter)."""
    starts, ends = token_bounds(doc)
    from bisect import bisect_left, bisect_right

    first = bisect_right(starts, start) - 1
    last = bisect_left(ends, end)
    if first < 0 or last >= len(ends) or starts[first] != start or ends[last] != end:
        return None
    return Span(doc, first, last + 1, label=label, span_id=span_id)


class ZhComponent(RuleComponent):
    """A Chinese rule component: reads configs/zh (and the shared vocabularies) at initialize()."""

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None,
                   rules_dir: str = DEFAULT_RULES) -> None:
        super().initialize(get_examples, nlp=nlp, rules_dir=rules_dir)

    def read_rules(self, rules_dir: str) -> ZhRuleSet:
        return load_zh_rules(rules_dir)


class ZhFinder(ZhComponent):
    """Writes the matches of a Chinese grammar to ``doc.spans[spans_key]`` with their values."""

    label = ""
    # the grammar a subclass runs, built from the validated config section (``sections[0]``)
    grammar_type: Any = None
    file_model: Any = None
    grammar: Any = None

    def __init__(self, nlp: Language, name: str, spans_key: str):
        super().__init__(nlp, name)
        self.spans_key = spans_key

    def setup(self) -> None:
        assert self.data is not None
        self.grammar = self.grammar_type(self.file_model.model_validate(self.data[self.sections[0]]))

    def find(self, doc: Doc) -> Iterable[Any]:
        """The grammar's matches (each with ``start`` and ``end``) on the simplified text."""
        assert self.grammar is not None
        return self.grammar.find(simplified(doc))

    def describe(self, match: Any, doc: Doc) -> dict[str, object]:
        """The span's ``._`` values, from its match."""
        raise NotImplementedError

    def span_id(self, match: Any) -> str:
        return ""

    def annotate(self, doc: Doc) -> Doc:
        spans = []
        kept = _matches(doc)
        for match in self.find(doc):
            span = _span(doc, match.start, match.end, self.label, self.span_id(match))
            if span is None:
                continue
            set_span_values(doc, match.start, match.end, self.describe(match, doc))
            kept[(self.label, match.start, match.end)] = match
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


class _ZhNameFinder(ZhFinder):
    """A finder of names normalised to a canonical one (provinces, campaigns)."""

    def describe(self, match: NameMatch, doc: Doc) -> dict[str, object]:
        return {"norm": match.norm, "rule": match.rule}


class ZhProvinceFinder(_ZhNameFinder):
    """Province names, full and short (云南省, 云南), normalised to ISO codes."""

    sections = ("provinces",)
    label = "PROVINCE"
    grammar_type = ProvinceFinder
    file_model = ZhProvincesFile

    def span_id(self, match: NameMatch) -> str:
        return match.norm  # crackdown_entities reads a province's code from its id, as from the span_ruler's

class ZhOperationFinder(_ZhNameFinder):
    """Campaign names (百日行动, “净边”), normalised to the shared canonical names."""

    sections = ("operations",)
    label = "OPERATION"
    grammar_type = OperationFinder
    file_model = ZhOperationsFile


class ZhQuantityFinder(ZhFinder):
    """Numbers (Arabic and Chinese, 万 and 亿) with their unit or classifier inside the span."""

    sections = ("quantities",)
    label = "QUANTITY"
    grammar_type = QuantityGrammar
    file_model = ZhQuantitiesFile

    def describe(self, match: ZhQuantity, doc: Doc) -> dict[str, object]:
        return {"value": float(match.value), "unit": match.unit, "qualifier": match.qualifier, "rule": match.rule}


class ZhDateFinder(ZhFinder):
    """Dates and periods (7月31日, 今年1至6月, 上半年), resolved against ``doc._.published``.

    A date inside a campaign name is not one (the operations component runs first);
    当天 and 次日 count from the last day named before them.
    """

    sections = ("dates",)
    label = "DATE"
    grammar_type = DateGrammar
    file_model = ZhDatesFile

    def find(self, doc: Doc) -> Iterable[ZhDate]:
        assert self.grammar is not None
        operations = [(s.start_char, s.end_char) for s in doc.spans.get("operation", [])]
        dates = [d for d in self.grammar.find(simplified(doc))
                 if not any(s < d.end and d.start < e for s, e in operations)]
        self._periods = resolve_all(dates, published_date(doc._.published))
        return dates

    def describe(self, match: ZhDate, doc: Doc) -> dict[str, object]:
        period = self._periods.get(match.start, (None, None))
        return {"period_start": period[0].isoformat() if period[0] else None,
                "period_end": period[1].isoformat() if period[1] else None,
                "norm": iso(period), "date_mod": match.mod, "precise": match.precise, "rule": match.rule}


class ZhEventBuilder(ZhComponent):
    """One row per quantified fact, read and attributed by the Chinese grammar (``extract.events``)."""

    sections = ("provinces", "operations", "drugs", "quantities", "dates", "events", "shared_events")

    def __init__(self, nlp: Language, name: str):
        super().__init__(nlp, name)
        self.grammar: ZhGrammar | None = None

    def setup(self) -> None:
        assert self.data is not None
        rules = ZhRuleSet.model_validate({k: v for k, v in self.data.items() if k != "rules_hash"})
        self.grammar = ZhGrammar(rules)

    def annotate(self, doc: Doc) -> Doc:
        assert self.grammar is not None
        doc._.events = events(self.document(doc), self.grammar, doc._.doc_id or "")
        for key in (MATCHES_KEY, SIMPLIFIED_KEY):
            doc.user_data.pop(key, None)
        forget_text(doc)  # the caches the shared components keep until the last one
        return doc

    @staticmethod
    def document(doc: Doc) -> ZhDoc:
        """The document as the Chinese grammar reads it: its entities (as resolved) and layout."""
        text = simplified(doc)
        kept = _matches(doc)
        found: dict[str, list[Any]] = {"PROVINCE": [], "OPERATION": [], "QUANTITY": [], "DATE": []}
        for ent in doc.ents:
            match = kept.get((ent.label_, ent.start_char, ent.end_char))
            if match is not None:
                found[ent.label_].append(match)
        paragraphs, sentences, datelines = layout(text)
        data: dict[Any, Any] = doc.user_data
        periods = {d.start: (published_date(data.get(("._.", "period_start", d.start, d.end))),
                             published_date(data.get(("._.", "period_end", d.start, d.end))))
                   for d in found["DATE"]}
        return ZhDoc(doc_text(doc), text, published_date(doc._.published), paragraphs, sentences,
                     found["PROVINCE"], found["OPERATION"], found["QUANTITY"], found["DATE"], periods, datelines)


@Language.factory("crackdown_zh_provinces", default_config={"spans_key": "province"},
                  assigns=["doc.spans", "span._.norm", "span._.rule"])
def make_zh_provinces(nlp: Language, name: str, spans_key: str) -> ZhProvinceFinder:
    """Factory of the Chinese PROVINCE finder."""
    return ZhProvinceFinder(nlp, name, spans_key)


@Language.factory("crackdown_zh_operations", default_config={"spans_key": "operation"},
                  assigns=["doc.spans", "span._.norm", "span._.rule"])
def make_zh_operations(nlp: Language, name: str, spans_key: str) -> ZhOperationFinder:
    """Factory of the Chinese OPERATION finder."""
    return ZhOperationFinder(nlp, name, spans_key)


@Language.factory("crackdown_zh_quantities", default_config={"spans_key": "quantity"},
                  assigns=["doc.spans", "span._.value", "span._.unit", "span._.qualifier", "span._.rule"])
def make_zh_quantities(nlp: Language, name: str, spans_key: str) -> ZhQuantityFinder:
    """Factory of the Chinese QUANTITY finder."""
    return ZhQuantityFinder(nlp, name, spans_key)


@Language.factory("crackdown_zh_dates", default_config={"spans_key": "date"},
                  assigns=["doc.spans", "span._.period_start", "span._.period_end", "span._.norm"])
def make_zh_dates(nlp: Language, name: str, spans_key: str) -> ZhDateFinder:
    """Factory of the Chinese DATE finder."""
    return ZhDateFinder(nlp, name, spans_key)


@Language.factory("crackdown_zh_events", default_config={},
                  requires=["doc.ents"], assigns=["doc._.events"])
def make_zh_events(nlp: Language, name: str) -> ZhEventBuilder:
    """Factory of the Chinese event builder."""
    return ZhEventBuilder(nlp, name)
