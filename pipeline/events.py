"""Assemble event rows: the facts a language's reader finds, attributed, judged and tabulated.

Language-free. A document with no drug cue has no event (topic.py). Otherwise a
language's ``SentenceReader`` (for English, ``grammar/en/facts.py``) reads the facts
of each sentence with a quantity: which quantities are events, of what type and what
item. ``attribution.py`` gives each its provinces, operation and period, ``kind.py``
its kind, and ``event_rows`` makes the rows of the event table, with provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from spacy.tokens import Doc, Span

from .attribution import Attribution, Attributor, DocContext, Rules
from .cues import CueFamilies, flagged_spans
from .extensions import doc_text, doc_value, entities, span_value, span_value_list
from .kind import FactKinds, KindVerdict
from .topic import AMBIGUOUS, DRUG, NO_DRUG_CUE, DocumentTopic, TopicRules


@dataclass(slots=True)
class Fact:
    """One event: a typed, itemised quantity, before attribution."""

    span: Span
    sent: int
    event_type: str
    item: str
    drug: str | None
    trigger: str  # the predicate's words
    how: str  # how the predicate was found (a reader's own names: "active", "passive", ...)
    next_start: int = 0  # where the sentence's next quantity starts (a date after the fact is its own up to there)
    topic_cue: str = ""
    verbs: frozenset[str] = frozenset()  # the predicate's classes


class SentenceReader(Protocol):
    """A language's reader of facts, one sentence at a time."""

    def read(self, ctx: DocContext, index: int, ents: list[Span], previous: list[Fact],
             why: dict[int, str] | None = None) -> list[Fact]:
        """The facts of sentence ``index`` (entities ``ents``; ``previous``: the facts of the
        sentence before); ``why`` gets the reason each other quantity is not a fact."""
        ...


class EventAssembler:
    """Turns an annotated Doc into event row dicts (the event table's rows)."""

    def __init__(self, reader: SentenceReader, topic: TopicRules, rules: Rules, attributor: Attributor,
                 kinds: FactKinds, cue_flag: int | None = None, families: CueFamilies | None = None):
        """``cue_flag``: the lexeme flag of the words a topic cue may start in; ``families``: the
        kind and attribution cue families (cues.py). Without them the cue regexes scan everything."""
        self.reader = reader
        self.topic = topic
        self.rules = rules
        self.attributor = attributor
        self.kinds = kinds
        self.cue_flag = cue_flag
        self.families = families

    def assemble(self, doc: Doc, why: dict[int, str] | None = None) -> list[dict[str, object]]:
        """Event rows of ``doc``, in text order, with provenance.

        A document with no drug cue anywhere has no event (and costs one scan for cues).
        ``why``, when given, gets the reason each other quantity is not an event, by its
        start offset (``explain`` shows them).
        """
        ents = entities(doc)  # Doc.ents builds new Spans on every access: read it once
        tokens = flagged_spans(doc, self.cue_flag) if self.cue_flag is not None else None
        cues = self.topic.read(doc_text(doc), _operations(doc, ents), tokens)
        if not any(c.topic in (DRUG, AMBIGUOUS) for c in cues):
            if why is not None:
                why.update((e.start_char, NO_DRUG_CUE) for e in ents if e.label_ == "QUANTITY")
            return []
        ctx = DocContext(doc, self.rules, ents, self.families)
        ctx.topic = DocumentTopic(cues, ctx.lead_span())
        by_sentence: dict[int, list[Span]] = {}
        for ent in ents:
            by_sentence.setdefault(ctx.sent_of(ent.start_char), []).append(ent)
        facts: list[Fact] = []
        for index, sentence_ents in sorted(by_sentence.items()):
            if any(e.label_ == "QUANTITY" for e in sentence_ents):
                previous = [f for f in facts if f.sent == index - 1]
                facts.extend(self.reader.read(ctx, index, sentence_ents, previous, why))
        attributions = self.attributor.attribute(ctx, facts)
        return event_rows(ctx, facts, attributions, self.kinds.kinds(ctx, facts, attributions))

    def explain(self, doc: Doc) -> dict[int, str]:
        """Why each quantity of an annotated ``doc`` that is not an event is not one (by offset)."""
        why: dict[int, str] = {}
        self.assemble(doc, why)
        return why


def _operations(doc: Doc, ents: list[Span]) -> list[tuple[int, int, str | None]]:
    """(start, end, canonical name) of the document's OPERATION entities."""
    return [(e.start_char, e.end_char, span_value(doc, "norm", e.start_char, e.end_char))
            for e in ents if e.label_ == "OPERATION"]


ROW_VALUES = ("value", "unit", "qualifier", "rule")  # the quantity's span._ values a row carries


def event_rows(ctx: DocContext, facts: list[Fact], attributions: list[Attribution],
               kinds: list[KindVerdict]) -> list[dict[str, object]]:
    """The event table's rows of a document's facts, with their attribution, kind and provenance."""
    doc = ctx.doc
    doc_id = doc_value(doc, "doc_id")
    rows = []
    for fact, where, kind in zip(facts, attributions, kinds, strict=True):
        sent_start, sent_end = ctx.sentences[fact.sent]
        start, end = fact.span.start_char, fact.span.end_char
        period = where.period
        value, unit, qualifier, rule = span_value_list(doc, start, end, ROW_VALUES)
        rows.append({
            "doc_id": doc_id,
            "event_type": fact.event_type,
            "value": value,
            "unit": unit,
            "qualifier": qualifier,
            "item": fact.item,
            "drug": fact.drug,
            "provinces": where.provinces,
            "scope": where.scope,
            "operation": where.operation,
            "period_start": period[0].isoformat() if period[0] else None,
            "period_end": period[1].isoformat() if period[1] else None,
            "kind": kind.kind,
            "raw": ctx.text[start:end],
            "sentence": ctx.text[sent_start:sent_end],
            "start": start,
            "end": end,
            "paragraph": ctx.sent_para[fact.sent],
            "sent_start": sent_start,
            "sent_end": sent_end,
            "rule": rule,
            "trigger": f"{fact.how}:{fact.trigger}",
            "province_cue": where.province_cue,
            "operation_cue": where.operation_cue,
            "period_cue": where.period_cue,
            "kind_cue": kind.cue,
            "topic_cue": fact.topic_cue,
        })
    return rows
