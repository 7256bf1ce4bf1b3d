"""Helpers for notebooks: one row per province, tidy summaries, province names.

    events = pipeline.read_events("out")
    pipeline.summarize(events)
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pycountry

from .annotate import model_path

NO_PROVINCE = "(none)"


def explode_provinces(events: pd.DataFrame, column: str = "province") -> pd.DataFrame:
    """One row per (event, province); an event with no province keeps one row with <NA>.

    An event attributed to two provinces appears under both, so totals over the
    exploded table count it twice: sum the unexploded table for national totals.
    """
    out = events.explode("provinces", ignore_index=True).rename(columns={"provinces": column})
    out[column] = out[column].astype("string")
    return out


def summarize(events: pd.DataFrame, by: tuple[str, ...] = ("event_type", "province", "operation")) -> pd.DataFrame:
    """Events and total value by event type, province and operation, each unit on its own row.

    Units are never added together: kilograms, litres and counts are separate rows.
    Rows are sorted by event type, unit and then descending total.
    """
    table = explode_provinces(events)
    table["province"] = table["province"].fillna(NO_PROVINCE)
    table["operation"] = table["operation"].fillna(NO_PROVINCE)
    keys = [*by, "unit"]
    summary = (table.groupby(keys, observed=True, dropna=False)
               .agg(events=("value", "size"), total=("value", "sum"), documents=("doc_id", "nunique"))
               .reset_index())
    summary = summary.sort_values(["event_type", "unit", "total"], ascending=[True, True, False],
                                  ignore_index=True)
    return summary


@lru_cache(maxsize=4)
def _names(model: str) -> dict[str, str]:
    """ISO code -> the first English name in the pipeline's province patterns."""
    names: dict[str, str] = {}
    path = Path(model) / "provinces" / "patterns"  # span_ruler writes JSON Lines here
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            pattern = json.loads(line)
            names.setdefault(pattern["id"], pattern["pattern"])
    return names


def province_name(code: str, model: "str | Path | None" = None) -> str:
    """'CN-YN' -> 'Yunnan' (the English name the rules use; pycountry's name otherwise)."""
    name = _names(str(model_path(model))).get(code)
    if name:
        return name
    subdivision = pycountry.subdivisions.get(code=code)
    return subdivision.name if subdivision is not None else code
