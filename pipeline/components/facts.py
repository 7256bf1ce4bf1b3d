"""crackdown_facts: give each event row its mention id, published date and fact within its document."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import Errors, ModelError
from ..extensions import doc_value, register_extensions
from ..facts import FigureMatcher, mention_id, merge_document
from ..rules import FactsFile
from ..shared import SharedRules, load_shared, shared_dir
from .base import RuleComponent

register_extensions()


class FactMerger(RuleComponent):
    """Mentions of one figure in a document (a headline and its body) share a ``fact_id``: the
    mention id of the first. The rules (``configs/shared/facts.yml``) are saved with the pipeline, so
    a corpus run merges facts across documents with the same rules (``pipeline.factindex``)."""

    sections = ("facts",)

    def __init__(self, nlp: Language, name: str):
        super().__init__(nlp, name)
        self.matcher: FigureMatcher | None = None

    def read_rules(self, rules_dir: str) -> SharedRules:
        """The merge rules are language-free: configs/shared/facts.yml beside the language's rules."""
        return load_shared(shared_dir(rules_dir))

    def setup(self) -> None:
        assert self.data is not None
        self.matcher = FigureMatcher(FactsFile.model_validate(self.data["facts"]))

    @property
    def rules(self) -> FactsFile:
        """The merge rules this pipeline was built with."""
        if self.matcher is None:
            raise ModelError(Errors.E011.format(name=self.name))
        return self.matcher.rules

    def annotate(self, doc: Doc) -> Doc:
        assert self.matcher is not None
        rows = doc_value(doc, "events") or []  # doc._.events, without an accessor object
        if not rows:
            return doc
        doc_id, published = doc_value(doc, "doc_id"), doc_value(doc, "published")
        ids = [mention_id(doc_id, row.get("start"), row.get("end")) for row in rows]
        which, facts = merge_document(rows, self.matcher, ids)
        for row, row_id, index in zip(rows, ids, which, strict=True):
            row["mention_id"] = row_id
            row["published"] = published
            row["fact_id"] = facts[index].fact_id
        return doc


@Language.factory("crackdown_facts", default_config={}, requires=["doc._.events"], assigns=["doc._.events"])
def make_facts(nlp: Language, name: str) -> FactMerger:
    """Factory of the within-document fact merger."""
    return FactMerger(nlp, name)


def fact_rules_of(nlp: Any) -> FactsFile | None:
    """The fact merging rules of a loaded pipeline (or of a Router's first language: they are
    shared); None for one built without facts."""
    if not isinstance(nlp, Language):
        nlp = nlp.nlp(nlp.languages[0])
    pipe = nlp.get_pipe("facts") if "facts" in nlp.pipe_names else None
    return pipe.rules if isinstance(pipe, FactMerger) else None
