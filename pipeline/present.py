"""Event rows written for people: amounts, periods and attribution cues as short labelled text.

``extract``, ``explain``, ``show`` and ``display`` print rows through these, so a number
reads "20,000,000", not "2e+07", an empty period is empty, and a cue stands beside
what it decided ("CN-YN (cue: sentence)"). Columns are taken from the schema in its
order, so a column added to ``EVENT_COLUMNS`` shows without a change here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from .schema import EVENT_COLUMNS

QUALIFIER_WORDS = {"exact": "", "about": "about", "more_than": "more than", "less_than": "less than",
                   "nearly": "nearly"}
# Where a row is in the text: for tables and provenance, not for reading a row.
LOCATION = ("doc_id", "sentence", "start", "end", "paragraph", "sent_start", "sent_end")
PROVENANCE = ("raw", "rule", "trigger", "mention_id", "fact_id", "published", "lang")
AMOUNT = ("value", "unit", "qualifier")
PERIOD = ("period_start", "period_end")
CUE_SUFFIX = "_cue"
NO_CUE = "none"  # nothing was attributed: no cue to show


def number(value: Any) -> str:
    """A number as written for people: '20,000,000', '2.3', '0.000045' (never an exponent)."""
    if is_missing(value):
        return ""
    text = format(Decimal(repr(float(value))), ",f")
    return text[:-2] if text.endswith(".0") else text


def amount(value: Any, unit: Any, qualifier: Any = None) -> str:
    """'more than 94 kg', '3,341', '20,000,000 CNY', '5.9%'."""
    if is_missing(value):
        return ""
    words = QUALIFIER_WORDS.get(str(qualifier), "") if not is_missing(qualifier) else ""
    figure = number(value)
    if unit == "percent":
        figure += "%"
    elif not is_missing(unit) and unit != "count":
        figure += f" {unit}"
    return f"{words} {figure}".strip()


def period(start: Any, end: Any) -> str:
    """'2019-06-15', '2019-01-01 to 2019-06-30', 'from 2019-05-01', 'until 2019-07-31', or ''."""
    first, last = day(start), day(end)
    if first and last:
        return first if first == last else f"{first} to {last}"
    if first:
        return f"from {first}"
    return f"until {last}" if last else ""


def day(value: Any) -> str:
    """An ISO date, or '' for a missing one."""
    if is_missing(value):
        return ""
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def text(value: Any) -> str:
    """Any cell as text: lists joined with commas, dates as ISO, numbers without noise."""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if is_missing(value):
        return ""
    if isinstance(value, (date, pd.Timestamp)):
        return day(value)
    if isinstance(value, float):
        return number(value)
    return str(value)


def is_missing(value: Any) -> bool:
    """None, NaN, NaT and pd.NA (a list is never missing)."""
    if value is None:
        return True
    if isinstance(value, (list, tuple, dict, str)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def event_fields(row: Mapping[str, Any], *, provenance: bool = False,
                 columns: Iterable[str] = EVENT_COLUMNS) -> dict[str, str]:
    """One event row as labelled strings, in the schema's order.

    Amount (value, unit, qualifier) and period (start, end) are one field each; the
    location columns are left out. With ``provenance``, each ``X_cue`` column is written
    beside the field it decided ("CN-YN (cue: sentence)"), and the quantity as written,
    its rule and the trigger are shown; without it, they are left out.
    """
    names = list(columns)
    fields: dict[str, str] = {}
    for name in names:
        if name in LOCATION or name.endswith(CUE_SUFFIX) or (name in PROVENANCE and not provenance):
            continue
        if name in AMOUNT:
            if "amount" not in fields:
                fields["amount"] = amount(row.get("value"), row.get("unit"), row.get("qualifier"))
        elif name in PERIOD:
            if "period" not in fields:
                fields["period"] = period(row.get("period_start"), row.get("period_end"))
        else:
            fields[name] = text(row.get(name))
    if provenance:
        for name in names:
            if name.endswith(CUE_SUFFIX) and not is_missing(row.get(name)) and row[name] != NO_CUE:
                subject = _subject(name[:-len(CUE_SUFFIX)], fields)
                cue = f"(cue: {row[name]})"
                fields[subject] = f"{fields[subject] or '-'} {cue}" if subject in fields else str(row[name])
    return fields


def _subject(stem: str, fields: Mapping[str, str]) -> str:
    """The field a cue column decided: province_cue -> provinces, period_cue -> period."""
    for candidate in (stem, f"{stem}s"):
        if candidate in fields:
            return candidate
    return f"{stem}{CUE_SUFFIX}"
