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
    from .consolidate import fact_rules
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


def _area_holds(areas: Sequence[str]) -> np.ndarray:
    """``holds[a, b]``: a total counted under province key ``areas[a]`` holds a fact under
    ``areas[b]`` (a total naming no province holds them all; else b's provinces are a's)."""
    sets = [None if area == NATIONAL else set(area.split("+")) for area in areas]
    holds = np.zeros((len(areas), len(areas)), dtype=bool)
    for a, outer in enumerate(sets):
        for b, inner in enumerate(sets):
            holds[a, b] = outer is None or (inner is not None and inner <= outer)
    return holds


CHUNK = 256  # totals compared with a row group at once (a CHUNK x rows boolean matrix)


def _left_out(table: pd.DataFrame, group: list[str]) -> dict[int, tuple[str, str]]:
    """Row -> (why it is left out, the fact kept instead)."""
    left: dict[int, tuple[str, str]] = {}
    fact_ids = table["fact_id"].astype(object).to_numpy()
    is_total = (table["kind"] == "total").fillna(False).to_numpy(dtype=bool)
    superseded = is_total & table["superseded_by"].notna().to_numpy()
    for i in np.flatnonzero(superseded).tolist():
        left[i] = ("superseded by a later total of its series", str(table.at[i, "superseded_by"]))
    # two totals of one series ending together: the largest is kept (the rest are parts of it
    # or restatements)
    series = table[is_total & ~superseded & table["series"].notna().to_numpy()]
    series = series.assign(when=_when(series), order=np.arange(len(table))[series.index])
    series = series.sort_values(["series", "when", "value", "order"], ascending=[True, True, False, True])
    first = series.groupby(["series", "when"], dropna=False, sort=False)["fact_id"].transform("first")
    for i, kept in zip(series.index[series.duplicated(["series", "when"])],
                       first[series.duplicated(["series", "when"])], strict=True):
        left[int(i)] = ("a total of the same series and period as a larger one", str(kept))
    # a fact inside a total kept in its own row: counted in the total already
    fact_lo, fact_hi, hold_lo, hold_hi = (a.astype("int64") for a in _bounds(table))
    operation = pd.factorize(table["operation"].astype(object), use_na_sentinel=True)[0]
    drug = pd.factorize(table["drug"].astype(object), use_na_sentinel=True)[0]
    area, areas = pd.factorize(table["province"].astype(object))
    holds = _area_holds(list(areas))
    values = table["value"].to_numpy()
    dropped = np.zeros(len(table), dtype=bool)
    dropped[list(left)] = True
    for rows in table.groupby(list(dict.fromkeys([*group, "event_type", "unit"])), observed=True,
                              dropna=False).indices.values():
        rows = np.sort(np.asarray(rows))
        containers = rows[is_total[rows] & ~dropped[rows]]
        if not len(containers):
            continue
        # totals of identical coverage hold each other: the largest (then the first) stands for them
        cover = pd.DataFrame({"area": area[containers], "op": operation[containers], "drug": drug[containers],
                              "lo": hold_lo[containers], "hi": hold_hi[containers], "flo": fact_lo[containers],
                              "fhi": fact_hi[containers], "value": -values[containers], "row": containers})
        cover = cover.sort_values(["area", "op", "drug", "lo", "hi", "flo", "fhi", "value", "row"])
        containers = cover.drop_duplicates(["area", "op", "drug", "lo", "hi", "flo", "fhi"])["row"].to_numpy()
        found = np.full(len(rows), -1)
        for start in range(0, len(containers), CHUNK):
            t = containers[start:start + CHUNK][:, None]
            inside = ((fact_lo[rows] >= hold_lo[t]) & (fact_hi[rows] <= hold_hi[t]) & (rows != t)
                      & ((operation[t] == -1) | (operation[rows] == operation[t]))
                      & ((drug[t] == -1) | (drug[rows] == drug[t])) & holds[area[t], area[rows]])
            hit = inside.any(axis=0) & (found < 0)
            found[hit] = t[inside.argmax(axis=0)[hit], 0]
        for i, t in zip(rows[found >= 0].tolist(), found[found >= 0].tolist(), strict=True):
            if i not in left:
                left[i] = ("inside a total kept in its row", str(fact_ids[t]))
    return left


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
