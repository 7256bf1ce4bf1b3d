"""crackdown_events: build the event rows of a document into ``doc._.events``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..events import EventAssembler
from ..extensions import forget_text, register_extensions
from ..rules import DrugsFile, EventsFile, QuantitiesFile, TopicFile
from .base import RuleComponent

register_extensions()


class EventBuilder(RuleComponent):
    """One row per quantified fact, typed, itemised and attributed (see pipeline.events)."""

    sections = ("events", "drugs", "quantities", "topic")

    def __init__(self, nlp: Language, name: str):
        super().__init__(nlp, name)
        self.assembler: EventAssembler | None = None

    def setup(self) -> None:
        assert self.data is not None
        quantities = QuantitiesFile.model_validate(self.data["quantities"])
        qualifiers: list[str] = [p for phrases in quantities.qualifiers.values() for p in phrases]
        tokenizer = self.nlp.tokenizer
        self.assembler = EventAssembler(
            EventsFile.model_validate(self.data["events"]),
            DrugsFile.model_validate(self.data["drugs"]),
            TopicFile.model_validate(self.data["topic"]),
            qualifiers,
            lambda text: [t.text for t in tokenizer(text)],
        )

    def annotate(self, doc: Doc) -> Doc:
        assert self.assembler is not None
        doc._.events = self.assembler.assemble(doc)
        forget_text(doc)
        return doc


@Language.factory("crackdown_events", default_config={},
                  requires=["doc.ents", "doc.sents", "doc.spans"], assigns=["doc._.events"])
def make_events(nlp: Language, name: str) -> EventBuilder:
    """Factory of the event builder."""
    return EventBuilder(nlp, name)
