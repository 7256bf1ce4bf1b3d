"""The contract in code: labels, event types, units, qualifiers and the table schemas.

One place declares every column of the event and entity tables with its dtype;
``conform`` is the only way a frame gets those dtypes, whether it was just built
or read back from disk, so tables always compare equal after a round trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

LABELS = ("PROVINCE", "OPERATION", "QUANTITY", "DATE")

EVENT_TYPES = (
    "drug_seizure",
    "precursor_seizure",
    "case_solved",
    "case_opened",
    "arrest",
    "network_dismantled",
    "deployment",
    "compulsory_treatment",
    "community_treatment",
    "inspection",
    "licence_revoked",
)
EVENT_UNITS = ("kg", "l", "count")
QUALIFIERS = ("exact", "about", "more_than", "less_than", "nearly")
SCOPES = ("national", "provincial", "local", "unknown")
PROVINCE_CUES = ("sentence", "paragraph", "focus", "none")
OPERATION_CUES = ("sentence", "document", "none")
PERIOD_CUES = ("sentence", "back_reference", "paragraph", "report", "none")
KINDS = ("incident", "total")

# Column -> dtype. "list" is a column of Python lists of strings; "date" is
# datetime64 at day resolution.
EVENT_COLUMNS: dict[str, Any] = {
    "doc_id": "string",
    "event_type": pd.CategoricalDtype(EVENT_TYPES),
    "value": "float64",
    "unit": pd.CategoricalDtype(EVENT_UNITS),
    "qualifier": pd.CategoricalDtype(QUALIFIERS),
    "item": "string",
    "drug": "string",
    "provinces": "list",
    "scope": pd.CategoricalDtype(SCOPES),
    "operation": "string",
    "period_start": "date",
    "period_end": "date",
    "kind": pd.CategoricalDtype(KINDS),
    "raw": "string",
    "sentence": "string",
    "start": "Int64",
    "end": "Int64",
    # The mention and its fact (docs/event-schema.md, "Facts"): a row is a mention of a fact.
    "mention_id": "string",
    "published": "date",
    "fact_id": "string",
    # Provenance: where the row came from and which rules decided it.
    "paragraph": "Int64",
    "sent_start": "Int64",
    "sent_end": "Int64",
    "rule": "string",
    "trigger": "string",
    "province_cue": pd.CategoricalDtype(PROVINCE_CUES),
    "operation_cue": pd.CategoricalDtype(OPERATION_CUES),
    "period_cue": pd.CategoricalDtype(PERIOD_CUES),
    "kind_cue": "string",
    "topic_cue": "string",
}

# The columns of docs/event-schema.md, in its order (the gold rows carry these).
CONTRACT_EVENT_COLUMNS: list[str] = list(EVENT_COLUMNS)[:17]

# One row per real-world figure: the mentions of one fact merged (pipeline.factindex).
FACT_COLUMNS: dict[str, Any] = {
    "fact_id": "string",
    "event_type": pd.CategoricalDtype(EVENT_TYPES),
    "value": "float64",
    "unit": pd.CategoricalDtype(EVENT_UNITS),
    "qualifier": pd.CategoricalDtype(QUALIFIERS),
    "item": "string",
    "drug": "string",
    "provinces": "list",
    "scope": pd.CategoricalDtype(SCOPES),
    "operation": "string",
    "period_start": "date",
    "period_end": "date",
    "kind": pd.CategoricalDtype(KINDS),
    "n_mentions": "Int64",
    "n_docs": "Int64",
    "doc_ids": "list",
    "first_published": "date",
    "last_published": "date",
    # totals only: what makes two totals one series, and the later total of the series
    "series": "string",
    "superseded_by": "string",
}

ENTITY_COLUMNS: dict[str, Any] = {
    "doc_id": "string",
    "label": pd.CategoricalDtype(LABELS),
    "text": "string",
    "start": "Int64",
    "end": "Int64",
    "norm": "string",
    "value": "float64",
    "unit": "string",
    "qualifier": pd.CategoricalDtype(QUALIFIERS),
    "period_start": "date",
    "period_end": "date",
    "rule": "string",
}

DATE_DTYPE = "datetime64[s]"


def _to_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        # CSV stores a list as "CN-YN|CN-GX"; an empty cell is no province.
        return [v for v in value.split("|") if v]
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    if pd.isna(value):
        return []
    raise TypeError(f"expected a list of strings, got {value!r}")


def conform(frame: pd.DataFrame, columns: Mapping[str, Any]) -> pd.DataFrame:
    """Return ``frame`` with exactly ``columns``, in order, each with its declared dtype.

    Missing columns are added empty, so an empty input gives an empty frame with
    the full schema.
    """
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for name, dtype in columns.items():
        col = frame[name] if name in frame.columns else pd.Series([None] * len(frame))
        col = col.reset_index(drop=True)
        if dtype == "list":
            out[name] = pd.Series([_to_list(v) for v in col], dtype=object)
        elif dtype == "date":
            out[name] = pd.to_datetime(col, errors="coerce").astype(DATE_DTYPE)
        elif isinstance(dtype, pd.CategoricalDtype):
            values = col.astype(object).where(col.notna(), None)
            out[name] = pd.Categorical(values, dtype=dtype)
        elif dtype == "Int64":
            out[name] = pd.to_numeric(col, errors="coerce").astype("Int64")
        elif dtype == "float64":
            out[name] = pd.to_numeric(col, errors="coerce").astype("float64")
        else:
            values = col.astype(object).where(col.notna(), None)
            out[name] = pd.Series(values, dtype=dtype)
    return out


def events_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build the event table from row dicts (as ``doc._.events`` holds them)."""
    return conform(pd.DataFrame(list(rows)), EVENT_COLUMNS)


def facts_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build the fact table from row dicts."""
    return conform(pd.DataFrame(list(rows)), FACT_COLUMNS)


def entities_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build the entity table from row dicts."""
    return conform(pd.DataFrame(list(rows)), ENTITY_COLUMNS)


def arrow_schema(columns: Mapping[str, Any]) -> pa.Schema:
    """The Arrow schema a table is written with (categories as strings, dates as date32)."""
    fields = []
    for name, dtype in columns.items():
        if dtype == "list":
            kind = pa.list_(pa.string())
        elif dtype == "date":
            kind = pa.date32()
        elif dtype == "Int64":
            kind = pa.int64()
        elif dtype == "float64":
            kind = pa.float64()
        else:
            kind = pa.string()
        fields.append(pa.field(name, kind))
    return pa.schema(fields)


def to_arrow(frame: pd.DataFrame, columns: Mapping[str, Any]) -> pa.Table:
    """A conformed frame as an Arrow table with ``arrow_schema(columns)``."""
    plain = frame.copy()
    for name, dtype in columns.items():
        if isinstance(dtype, pd.CategoricalDtype):
            plain[name] = plain[name].astype(object).where(plain[name].notna(), None)
    return pa.Table.from_pandas(plain, schema=arrow_schema(columns), preserve_index=False)
