"""Docs to tables: the event and entity rows of annotated Docs, with the declared schema."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from spacy.tokens import Doc

from .schema import entities_frame, events_frame


def doc_events(doc: Doc) -> list[dict[str, Any]]:
    """The event rows ``crackdown_events`` put on the Doc."""
    return list(doc._.events or [])


def doc_entities(doc: Doc) -> list[dict[str, Any]]:
    """One row per entity with its normalised values and the rule that found it."""
    rows = []
    for ent in doc.ents:
        rows.append({
            "doc_id": doc._.doc_id,
            "label": ent.label_,
            "text": ent.text,
            "start": ent.start_char,
            "end": ent.end_char,
            "norm": ent._.norm,
            "value": ent._.value,
            "unit": ent._.unit,
            "qualifier": ent._.qualifier,
            "period_start": ent._.period_start,
            "period_end": ent._.period_end,
            "rule": ent._.rule,
        })
    return rows


def events_table(docs: Iterable[Doc]) -> pd.DataFrame:
    """The event table of ``docs`` (declared columns and dtypes, even when empty)."""
    return events_frame(row for doc in docs for row in doc_events(doc))


def entities_table(docs: Iterable[Doc]) -> pd.DataFrame:
    """The entity table of ``docs``."""
    return entities_frame(row for doc in docs for row in doc_entities(doc))
