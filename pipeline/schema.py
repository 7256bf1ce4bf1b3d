"""The contract in code: labels, event types, units, qualifiers and the table schemas.

One place declares every column of the event and entity tables with its dtype;
``conform`` is the only way a frame gets those dtypes, whether it was just built
or read back from disk, so tables always compare equal after a round trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pycountry

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
# Normalised units, declared once: rule files, grammars and tables all use these.
EventUnit = Literal["kg", "l", "count"]  # what an event counts: mass, volume or things
MeasureUnit = Literal["kg", "l", "percent"]  # what a unit word of a rule file normalises to
EVENT_UNITS: tuple[str, ...] = get_args(EventUnit)
MEASURE_UNITS: tuple[str, ...] = get_args(MeasureUnit)
# An entity's unit: the event units, percent, or an ISO 4217 currency (the codes pycountry
# ships, as the rules' currencies are checked against).
ENTITY_UNITS = (*EVENT_UNITS, *(u for u in MEASURE_UNITS if u not in EVENT_UNITS),
                *sorted(c.alpha_3 for c in pycountry.currencies))
QUALIFIERS = ("exact", "about", "more_than", "less_than", "nearly")
SCOPES = ("national", "provincial", "local", "unknown")
PROVINCE_CUES = ("sentence", "clause", "respectively", "alternating", "paragraph", "focus", "none")
OPERATION_CUES = ("sentence", "document", "campaign_period", "year_campaign", "none")
PERIOD_CUES = ("sentence", "back_reference", "paragraph", "report", "comparison", "none")
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
    "lang": "string",  # the language of the pipeline that read the document
}

# The columns of docs/event-schema.md, in its order (the gold rows carry these).
CONTRACT_EVENT_COLUMNS: list[str] = list(EVENT_COLUMNS)[:17]

# One row per real-world figure: the mentions of one fact merged (pipeline.factindex).
FACT_COLUMNS: dict[str, Any] = {
    "fact_id": "string",
    # what the fact is: the contract's columns of a row, from event_type to kind, same dtypes
    **{name: EVENT_COLUMNS[name] for name in CONTRACT_EVENT_COLUMNS[1:13]},
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
    "unit": pd.CategoricalDtype(ENTITY_UNITS),
    "qualifier": pd.CategoricalDtype(QUALIFIERS),
    "period_start": "date",
    "period_end": "date",
    "rule": "string",
    "lang": "string",
}

# Milliseconds, the coarsest unit Parquet stores a timestamp in: a plain reader
# (``pd.read_parquet``) then gets the dtype ``read_events`` gives.
DATE_DTYPE = "datetime64[ms]"


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
    """The Arrow schema a table is written with, carrying pandas' metadata.

    Categories are dictionaries of their declared values and dates are timestamps
    (Parquet has no type a plain reader turns into datetime64), so ``pd.read_parquet``
    gives back the declared dtypes with no help from ``read_events``.
    """
    return _arrow_schema(tuple(columns.items()))


@lru_cache(maxsize=16)
def _arrow_schema(items: tuple[tuple[str, Any], ...]) -> pa.Schema:
    fields = []
    for name, dtype in items:
        if dtype == "list":
            kind = pa.list_(pa.string())
        elif dtype == "date":
            kind = pa.timestamp("ms")
        elif dtype == "Int64":
            kind = pa.int64()
        elif dtype == "float64":
            kind = pa.float64()
        elif isinstance(dtype, pd.CategoricalDtype):
            kind = pa.dictionary(pa.int32(), pa.string())
        else:
            kind = pa.string()
        fields.append(pa.field(name, kind))
    schema = pa.schema(fields)
    # pandas' own description of the declared frame: string, Int64 and category
    # columns come back as such from any pandas reader.
    empty = conform(pd.DataFrame(), dict(items))
    return schema.with_metadata(pa.Table.from_pandas(empty, schema=schema, preserve_index=False).schema.metadata)


def to_arrow(frame: pd.DataFrame, columns: Mapping[str, Any]) -> pa.Table:
    """A conformed frame as an Arrow table with ``arrow_schema(columns)``."""
    return pa.Table.from_pandas(frame, schema=arrow_schema(columns), preserve_index=False)


def arrow_table(columns: Mapping[str, list[Any]], spec: Mapping[str, Any]) -> pa.Table:
    """Columns of plain values (text, numbers, ISO dates, lists of text, None) as the Arrow table
    ``to_arrow(conform(frame, spec), spec)`` makes of them, built column by column: no pandas
    frame and no conversion per cell, for tables written in bulk (the facts of a corpus).
    Values of another kind take the way through ``conform``."""
    length = len(next(iter(columns.values()))) if columns else 0
    try:
        arrays = [_arrow_column(columns.get(name, [None] * length), dtype) for name, dtype in spec.items()]
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return to_arrow(conform(pd.DataFrame(columns), spec), spec)
    return pa.Table.from_arrays(arrays, schema=arrow_schema(spec))


def _arrow_column(values: list[Any], dtype: Any) -> pa.Array:
    """One column for ``arrow_table``; raises on a value it does not take as ``conform`` would."""
    if dtype == "list":  # conform: no list is an empty list
        if not all(v is None or type(v) is list for v in values):
            raise TypeError("a list column holds something else")
        return pa.array([[] if v is None else v for v in values], pa.list_(pa.string()))
    if dtype == "date":  # ISO dates parsed by Arrow; anything else as conform parses it
        text = pa.array(values, pa.string())
        dates = pc.strptime(text, format="%Y-%m-%d", unit="ms", error_is_null=True)
        if dates.null_count == text.null_count and not pc.any(pc.greater(pc.utf8_length(text), 10)).as_py():
            return dates
        return pa.array(pd.to_datetime(pd.Series(values, dtype=object), errors="coerce").astype(DATE_DTYPE),
                        pa.timestamp("ms"))
    if dtype in ("Int64", "float64"):
        kinds = (int,) if dtype == "Int64" else (int, float)
        if not all(v is None or type(v) in kinds for v in values):
            raise TypeError("a number column holds something else")
        return pa.array(values, pa.int64() if dtype == "Int64" else pa.float64(), from_pandas=True)
    if isinstance(dtype, pd.CategoricalDtype):  # a value that is not a category is missing
        categories = pa.array(list(dtype.categories), pa.string())
        codes = pc.index_in(pa.array(values, pa.string()), value_set=categories)
        return pa.DictionaryArray.from_arrays(codes, categories)
    return pa.array(values, pa.string())
