"""Docs to tables: the event and entity rows of annotated Docs, with the declared schema."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from spacy.tokens import Doc

from .extensions import span_values
from .schema import entities_frame, events_frame

# the span values an entity row carries, in the table's column order
ENTITY_VALUES = ("norm", "value", "unit", "qualifier", "period_start", "period_end", "rule")


def doc_events(doc: Doc) -> list[dict[str, Any]]:
    """The event rows ``crackdown_events`` put on the Doc, with the language that read them."""
    return [{**row, "lang": doc.lang_} for row in doc._.events or []]


def doc_entities(doc: Doc, text: str | None = None) -> list[dict[str, Any]]:
    """One row per entity with its normalised values and the rule that found it.

    ``text`` is the document's text when the caller has it (``doc.text`` and
    ``span.text`` rebuild it from the tokens).
    """
    rows = []
    doc_id = doc._.doc_id
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        values = span_values(doc, start, end, ENTITY_VALUES)
        rows.append({"doc_id": doc_id, "label": ent.label_,
                     "text": text[start:end] if text is not None else ent.text,
                     "start": start, "end": end, **values, "lang": doc.lang_})
    return rows


def events_table(docs: Iterable[Doc]) -> pd.DataFrame:
    """The event table of ``docs`` (declared columns and dtypes, even when empty)."""
    return events_frame(row for doc in docs for row in doc_events(doc))


def entities_table(docs: Iterable[Doc]) -> pd.DataFrame:
    """The entity table of ``docs``."""
    return entities_frame(row for doc in docs for row in doc_entities(doc))
