"""crackdown_events: build the event rows of an English document into ``doc._.events``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..attribution import Attributor, Rules
from ..cues import CueFamilies, PhraseAnchor, add_anchor_flag, tokenizer_joins
from ..events import EventAssembler
from ..extensions import forget_text, register_extensions, set_doc_values
from ..grammar.en.analysis import QuantityAnalyser
from ..grammar.en.facts import FactReader
from ..kind import FactKinds, KindRules
from ..lexicon import Lexicon
from ..rules import DrugsFile, EventsFile, QuantitiesFile, TopicFile
from ..topic import TopicRules
from ..typetable import TypeTable
from .base import RuleComponent

register_extensions()

DEFAULT_CUE_FLAG = 60  # the finders use 61-63


class EventBuilder(RuleComponent):
    """One row per quantified fact, typed, itemised and attributed (see pipeline.events).

    The English fact reader (grammar/en/facts.py) reads each sentence; the topic gate,
    attribution, kind and the rows are the language-free core.
    """

    sections = ("events", "drugs", "quantities", "topic")

    def __init__(self, nlp: Language, name: str, cue_flag: int | None = None):
        super().__init__(nlp, name)
        self.cue_flag = cue_flag
        self.assembler: EventAssembler | None = None
        self.analyser: QuantityAnalyser | None = None  # for `rules train` and `rules suggest`
        self.lexicon: Lexicon | None = None

    def setup(self) -> None:
        assert self.data is not None
        events = EventsFile.model_validate(self.data["events"])
        drugs = DrugsFile.model_validate(self.data["drugs"])
        quantities = QuantitiesFile.model_validate(self.data["quantities"])
        qualifiers: list[str] = [p for phrases in quantities.qualifiers.values() for p in phrases]
        tokenizer = self.nlp.tokenizer
        self.lexicon = lexicon = Lexicon(events, drugs, qualifiers, lambda text: [t.text for t in tokenizer(text)])
        rules = Rules(events)
        reader = FactReader(events, lexicon, TypeTable(events.types))
        topic = TopicRules(TopicFile.model_validate(self.data["topic"]), drugs)
        kinds = KindRules(events.kind)
        joins = tokenizer_joins(self.nlp)
        if self.cue_flag is not None:
            add_anchor_flag(self.nlp, self.cue_flag, PhraseAnchor(topic.phrases, joins), self.name)
        families = CueFamilies({**kinds.anchors, **rules.anchors}, joins)
        self.assembler = EventAssembler(reader, topic, rules, Attributor(events, lexicon), FactKinds(kinds),
                                        self.cue_flag, families)
        self.analyser = QuantityAnalyser(lexicon, reader.items, reader.views, rules)

    def annotate(self, doc: Doc) -> Doc:
        assert self.assembler is not None
        set_doc_values(doc, {"events": self.assembler.assemble(doc)})  # doc._.events, without an accessor
        forget_text(doc)
        return doc


@Language.factory("crackdown_events", default_config={"cue_flag": DEFAULT_CUE_FLAG},
                  requires=["doc.ents", "doc.sents", "doc.spans"], assigns=["doc._.events"])
def make_events(nlp: Language, name: str, cue_flag: int | None) -> EventBuilder:
    """Factory of the event builder; ``cue_flag`` is the lexeme flag bit (19-63) it marks the
    words a topic cue can start in with (None: the topic regex scans every document whole)."""
    return EventBuilder(nlp, name, cue_flag)
