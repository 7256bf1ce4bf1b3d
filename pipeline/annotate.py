"""Load the built pipeline and run it over records: the annotate step of the data flow."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import components  # noqa: F401  (registers the factories)
from .components.facts import fact_rules_of
from .errors import Errors, ModelError
from .extensions import TEXT_KEY, set_doc_values
from .reader import Record, records_from
from .table import entities_table, events_table

MODEL_ENV = "CRACKDOWN_MODEL"
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "crackdown"
DEFAULT_BATCH_SIZE = 64


def model_path(path: "str | Path | None" = None) -> Path:
    """Where the pipeline is: ``path``, else $CRACKDOWN_MODEL, else the repository's models/crackdown."""
    return Path(path or os.environ.get(MODEL_ENV) or DEFAULT_MODEL)


def load(path: "str | Path | None" = None) -> Language:
    """Load the built pipeline with ``spacy.load`` (see ``model_path`` for the default)."""
    location = model_path(path)
    if not (location / "config.cfg").exists():
        raise ModelError(Errors.E010.format(path=location))
    return spacy.load(location)


def make_doc(nlp: Language, record: Record) -> Doc:
    """A Doc for a record, carrying its id and published date for the components."""
    doc = nlp.make_doc(record.text)
    doc.user_data[TEXT_KEY] = record.text  # the tokenizer keeps the text: no need to rebuild it
    set_doc_values(doc, {"doc_id": record.doc_id, "published": record.published})
    return doc


def annotate(nlp: Language, records: Iterable[Record], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Doc]:
    """Run the pipeline over records in batches (``nlp.pipe``), in order."""
    docs = (make_doc(nlp, record) for record in records)
    yield from nlp.pipe(docs, batch_size=batch_size)


def extract(items: Iterable[Any], nlp: Language | None = None) -> pd.DataFrame:
    """The event table of texts or records (dicts with ``id``, ``text``, optional ``published``).

    Mentions of one figure share a ``fact_id`` across the documents given, as in a corpus
    run. An empty input gives an empty frame with the same columns and dtypes.
    """
    nlp = nlp or load()
    events = events_table(annotate(nlp, records_from(items)))
    rules = fact_rules_of(nlp)
    if rules is not None and len(events):
        from .factindex import merge_events

        events, _ = merge_events(events, rules)
    return events


def extract_entities(items: Iterable[Any], nlp: Language | None = None) -> pd.DataFrame:
    """The entity table of texts or records."""
    nlp = nlp or load()
    return entities_table(annotate(nlp, records_from(items)))
