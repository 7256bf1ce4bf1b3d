"""Helpers for notebooks: sums that are safe to add, tidy summaries, province names.

    facts = pipeline.read_facts("out")         # one row per real-world figure
    pipeline.totals(facts, by=["event_type", "province"])
    pipeline.summarize(facts)

Event rows are mentions: summing them counts a headline and its body, or a story and
its reprints, twice. Facts are safe to count, and ``totals`` is safe to add: it leaves
out what would count the same drugs or people twice and says what it left out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry

from .annotate import model_path

NO_PROVINCE = "(none)"
NATIONAL = "national / unknown"  # the province key of a fact that names no province
DERIVED = ("province", "year", "month")  # keys ``totals`` computes from the fact columns


def explode_provinces(events: pd.DataFrame, column: str = "province") -> pd.DataFrame:
    """One row per (event, province); an event with no province keeps one row with <NA>.

    An event attributed to two provinces appears under both, so totals over the
    exploded table count it twice: sum the unexploded table for national totals.
    """
    out = events.explode("provinces", ignore_index=True).rename(columns={"provinces": column})
    out[column] = out[column].astype("string")
    return out


def as_facts(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` if it is a fact table; an event table is merged into facts first (with the
    rules of the default pipeline), so old notebooks that pass events still add safely."""
    if "n_mentions" in table.columns:
        return table
    from .corpus import fact_rules
    from .factindex import merge_events

    return merge_events(table, fact_rules(None))[1]


def province_key(provinces: pd.Series) -> pd.Series:
    """The province a fact is counted under: its code, codes joined by "+" when the text
    names several (counted once, not under each), or "national / unknown"."""
    return pd.Series(["+".join(sorted(p)) if len(p) else NATIONAL for p in provinces],
                     index=provinces.index, dtype="string")


def _when(facts: pd.DataFrame) -> pd.Series:
    """When a figure stands: the end of its period, else when it was first reported."""
    return facts["period_end"].fillna(facts["first_published"])


def _keyed(facts: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    table = facts.reset_index(drop=True).copy()
    table["province"] = province_key(table["provinces"])
    when = _when(table)
    table["year"] = when.dt.year.astype("Int64")
    table["month"] = when.dt.to_period("M").astype("string")
    for name in by:
        if name not in table.columns:
            raise KeyError(f"totals: no column {name!r}; use fact columns or one of {', '.join(DERIVED)}")
        if table[name].dtype.name in ("string", "object"):
            table[name] = table[name].astype("string").fillna(NO_PROVINCE)
    return table


def _bounds(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Time each fact covers (lo, hi) and, as a total, the time it holds (lo, hi).

    A fact stands from its period's start (else its end, else its first report) to its
    period's end (else its first report); a fact with no date at all cannot be placed, so
    only a total that holds all time holds it. A total holds from its start (or always) to
    its end (else its first report, else always).
    """
    lowest, highest = np.datetime64("0001-01-01", "s"), np.datetime64("9999-12-31", "s")
    start, end, first = (table[c].to_numpy(dtype="datetime64[s]") for c in
                         ("period_start", "period_end", "first_published"))
    fact_lo = np.where(~np.isnat(start), start, np.where(~np.isnat(end), end, first))
    fact_hi = np.where(~np.isnat(end), end, np.where(~np.isnat(first), first, start))
    timeless = np.isnat(fact_lo)
    fact_lo = np.where(timeless, lowest, fact_lo)
    fact_hi = np.where(timeless, highest, fact_hi)
    hold_lo = np.where(~np.isnat(start), start, lowest)
    hold_hi = np.where(~np.isnat(end), end, np.where(~np.isnat(first), first, highest))
    return fact_lo, fact_hi, hold_lo, hold_hi


def _areas_within(provinces: tuple[str, ...]) -> set[str]:
    """The province keys a total of ``provinces`` holds (every non-empty subset)."""
    return {"+".join(sorted(c)) for k in range(1, len(provinces) + 1) for c in combinations(provinces, k)}


def _left_out(table: pd.DataFrame, group: list[str]) -> dict[int, tuple[str, str]]:
    """Row -> (why it is left out, the fact kept instead)."""
    left: dict[int, tuple[str, str]] = {}
    is_total = (table["kind"] == "total").fillna(False).to_numpy()
    # two totals of one series: keep the latest; ending together: the largest (the rest are
    # parts of it or restatements)
    for i in np.flatnonzero(is_total & table["superseded_by"].notna().to_numpy()).tolist():
        left[i] = ("superseded by a later total of its series", str(table.at[i, "superseded_by"]))
    series = table[is_total & table["superseded_by"].isna().to_numpy() & table["series"].notna().to_numpy()]
    for _, same in series.groupby(["series", _when(series)], dropna=False):
        if len(same) > 1:
            keep = same["value"].idxmax()
            for i in same.index.drop(keep):
                left[i] = ("a total of the same series and period as a larger one", str(table.at[keep, "fact_id"]))
    # a fact inside a total kept in its own row: counted in the total already
    fact_lo, fact_hi, hold_lo, hold_hi = _bounds(table)
    values = table["value"].to_numpy()
    operation = table["operation"].astype(object).where(table["operation"].notna(), None).to_numpy()
    drug = table["drug"].astype(object).where(table["drug"].notna(), None).to_numpy()
    area = table["province"].to_numpy(dtype=object)
    keys = [*group, "event_type", "unit"]
    for _, rows in table.groupby(list(dict.fromkeys(keys)), observed=True, dropna=False).indices.items():
        rows = np.asarray(rows)
        containers = [i for i in rows if is_total[i] and i not in left]
        for t in containers:
            inside = (fact_lo[rows] >= hold_lo[t]) & (fact_hi[rows] <= hold_hi[t]) & (rows != t)
            if operation[t] is not None:
                inside &= operation[rows] == operation[t]
            if drug[t] is not None:
                inside &= drug[rows] == drug[t]
            if area[t] != NATIONAL:
                inside &= np.isin(area[rows], list(_areas_within(tuple(area[t].split("+")))))
            for i in rows[inside]:
                if i in left:
                    continue
                mutual = is_total[i] and _holds(i, t, fact_lo, fact_hi, hold_lo, hold_hi, area, operation, drug)
                if mutual and (values[i], -i) > (values[t], -t):
                    continue  # the same coverage: the larger (then the first) is the one kept
                left[i] = ("inside a total kept in its row", str(table.at[t, "fact_id"]))
    return left


def _holds(t: int, i: int, fact_lo: np.ndarray, fact_hi: np.ndarray, hold_lo: np.ndarray, hold_hi: np.ndarray,
           area: np.ndarray, operation: np.ndarray, drug: np.ndarray) -> bool:
    """Whether total ``t`` holds fact ``i`` (the scalar form of the test in ``_left_out``)."""
    return bool(fact_lo[i] >= hold_lo[t] and fact_hi[i] <= hold_hi[t]
                and (operation[t] is None or operation[i] == operation[t])
                and (drug[t] is None or drug[i] == drug[t])
                and (area[t] == NATIONAL or area[i] in _areas_within(tuple(area[t].split("+")))))


def totals(facts: pd.DataFrame, by: Sequence[str] = ("event_type", "province")) -> pd.DataFrame:
    """Sums of facts that are safe to add, by ``by`` (fact columns, or ``province``, ``year``,
    ``month``) and unit: kilograms, litres and counts are never added together.

    A row never adds a total to the incidents inside it, a national figure to provincial
    ones, or two totals of one series: what it leaves out, with the reason and the fact
    kept instead, is in ``result.attrs["left_out"]`` (and counted in ``left_out``):

    - a total superseded by a later total of its series (the latest is kept), and of the
      totals of one series ending together, all but the largest;
    - a fact inside a total kept in the same row: same type and unit, its provinces within
      the total's (a total naming none holds them all), its time within the total's, and
      the total's operation and drug, if it names them.

    Facts with no province are kept under "national / unknown" and never added to a
    province's row; a fact attributed to several provinces has its own row ("CN-GD+CN-GX").
    An event table is merged into facts first.
    """
    by = list(by)
    table = _keyed(as_facts(facts), by)
    left = _left_out(table, by)
    keys = [*by, "unit"] if "unit" not in by else by
    mask = table.index.isin(list(left))
    kept = table[~mask]
    documents = kept[keys].join(kept["doc_ids"].explode().rename("doc"))
    result = (kept.groupby(keys, observed=True, dropna=False)
              .agg(total=("value", "sum"), facts=("fact_id", "size"), mentions=("n_mentions", "sum"))
              .join(documents.groupby(keys, observed=True, dropna=False)["doc"].nunique().rename("documents")))
    out = table[mask].assign(reason=[left[i][0] for i in table.index[mask]],
                             kept_instead=[left[i][1] for i in table.index[mask]])
    counts = out.groupby(keys, observed=True, dropna=False).size().rename("left_out")
    result = result.join(counts, how="outer").reset_index()
    result[["facts", "mentions", "documents", "left_out"]] = (
        result[["facts", "mentions", "documents", "left_out"]].fillna(0).astype("int64"))
    result["total"] = result["total"].fillna(0.0)
    result = result[[*keys, "total", "facts", "mentions", "documents", "left_out"]]
    result = result.sort_values(keys, ignore_index=True)
    result.attrs["left_out"] = out[["fact_id", *[k for k in keys if k not in ("fact_id",)], "value", "kind",
                                    "reason", "kept_instead"]].reset_index(drop=True)
    return result


def summarize(facts: pd.DataFrame, by: tuple[str, ...] = ("event_type", "province", "operation")) -> pd.DataFrame:
    """Facts, mentions, documents and the safe total (``totals``) by event type, province and
    operation, each unit on its own row, sorted by event type, unit and descending total.

    An event table is merged into facts first; what the totals leave out is in
    ``result.attrs["left_out"]``.
    """
    summary = totals(facts, by)
    left = summary.attrs["left_out"]
    summary = summary.sort_values(["event_type", "unit", "total"], ascending=[True, True, False], ignore_index=True)
    summary.attrs["left_out"] = left
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
    """'CN-YN' -> 'Yunnan' (the English name the rules use; pycountry's name otherwise);
    a joined key 'CN-GD+CN-GX' -> 'Guangdong + Guangxi ...'; 'national / unknown' as is."""
    if "+" in code:
        return " + ".join(province_name(part, model) for part in code.split("+"))
    name = _names(str(model_path(model))).get(code)
    if name:
        return name
    subdivision = pycountry.subdivisions.get(code=code)
    return subdivision.name if subdivision is not None else code
