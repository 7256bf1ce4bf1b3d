"""Safe sums: ``totals`` never adds a figure to one it is part of, and says what it left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pipeline
from pipeline.analysis import NATIONAL, province_key
from pipeline.factindex import facts_of
from pipeline.rules import load_rules
from pipeline.schema import FACT_COLUMNS, facts_frame
from pipeline.scoring import read_gold

from .helpers import CONFIGS, GOLD

RULES = load_rules(CONFIGS).facts


def fact(fact_id: str, value: float, kind: str = "incident", event_type: str = "drug_seizure", unit: str = "kg",
         **attrs: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"fact_id": fact_id, "event_type": event_type, "value": value, "unit": unit,
                            "kind": kind, "provinces": [], "n_mentions": 1, "n_docs": 1, "doc_ids": [fact_id],
                            "first_published": "2020-06-01"}
    base.update(attrs)
    return base


def total_of(frame: pd.DataFrame, **keys: str) -> float:
    rows = frame
    for name, value in keys.items():
        rows = rows[rows[name] == value]
    assert len(rows) == 1, rows
    return float(rows["total"].iloc[0])


YEAR_2019 = {"period_start": "2019-01-01", "period_end": "2019-12-31", "first_published": "2020-01-20"}


def test_a_total_is_not_added_to_the_incidents_inside_it() -> None:
    facts = facts_frame([fact("yn-2019", 1000.0, "total", provinces=["CN-YN"], **YEAR_2019),
                         fact("yn-bust", 50.0, provinces=["CN-YN"], period_start="2019-05-02",
                              period_end="2019-05-02"),
                         fact("yn-2020-bust", 30.0, provinces=["CN-YN"], first_published="2020-03-01")])
    result = pipeline.totals(facts, by=["event_type", "province"])
    assert total_of(result, province="CN-YN") == 1030.0  # the 2020 bust is outside the 2019 total
    left = result.attrs["left_out"]
    assert left["fact_id"].tolist() == ["yn-bust"] and left["kept_instead"].tolist() == ["yn-2019"]
    assert result["left_out"].sum() == 1


def test_a_national_figure_is_not_added_to_provincial_ones() -> None:
    facts = facts_frame([fact("cn-2019", 65100.0, "total", **YEAR_2019),
                         fact("yn-2019", 10000.0, "total", provinces=["CN-YN"], **YEAR_2019),
                         fact("gd-heroin", 20.0, provinces=["CN-GD"], drug="heroin", period_end="2019-07-01")])
    by_province = pipeline.totals(facts, by=["event_type", "province"])
    assert total_of(by_province, province=NATIONAL) == 65100.0  # kept, under "national / unknown"
    assert total_of(by_province, province="CN-YN") == 10000.0
    assert by_province["left_out"].sum() == 0
    national = pipeline.totals(facts, by=["event_type"])
    assert total_of(national, event_type="drug_seizure") == 65100.0
    assert set(national.attrs["left_out"]["fact_id"]) == {"yn-2019", "gd-heroin"}


def test_two_totals_of_one_series_keep_the_latest() -> None:
    series = "event_type=arrest;unit=count;operation=Hundred Days Action"
    facts = facts_frame([
        fact("jul", 3341.0, "total", "arrest", "count", operation="Hundred Days Action", period_end="2022-07-31",
             series=series, superseded_by="aug"),
        fact("aug", 5102.0, "total", "arrest", "count", operation="Hundred Days Action", period_end="2022-08-31",
             series=series)])
    result = pipeline.totals(facts, by=["event_type"])
    assert total_of(result, event_type="arrest") == 5102.0  # not 8,443
    assert result.attrs["left_out"]["reason"].str.startswith("superseded").all()


def test_a_total_of_one_drug_is_inside_the_total_of_all_drugs_not_the_reverse() -> None:
    facts = facts_frame([fact("all", 2000.0, "total", provinces=["CN-XJ"], **YEAR_2019),
                         fact("heroin", 660.0, "total", provinces=["CN-XJ"], drug="heroin", **YEAR_2019),
                         fact("other-op", 5.0, "total", provinces=["CN-XJ"], operation="Clean Border",
                              **YEAR_2019)])
    result = pipeline.totals(facts, by=["province"])
    assert total_of(result, province="CN-XJ") == 2000.0
    facts = facts_frame([fact("heroin", 660.0, "total", provinces=["CN-XJ"], drug="heroin", **YEAR_2019),
                         fact("op-bust", 5.0, provinces=["CN-XJ"], period_end="2019-03-01")])
    assert total_of(pipeline.totals(facts, by=["province"]), province="CN-XJ") == 665.0


def test_several_provinces_are_one_row_and_units_never_mix() -> None:
    facts = facts_frame([fact("a", 20.0, provinces=["CN-GX", "CN-GD"]), fact("b", 3.0, provinces=["CN-GD"]),
                         fact("c", 5.0, unit="count", provinces=["CN-GD"])])
    result = pipeline.totals(facts, by=["province"])
    assert set(zip(result["province"], result["unit"], result["total"], strict=True)) == {
        ("CN-GD+CN-GX", "kg", 20.0), ("CN-GD", "kg", 3.0), ("CN-GD", "count", 5.0)}
    assert province_key(pd.Series([[], ["CN-YN"]])).tolist() == [NATIONAL, "CN-YN"]
    assert pipeline.province_name("CN-GD+CN-GX").startswith("Guangdong + Guangxi")


def test_an_empty_fact_table_gives_empty_totals() -> None:
    result = pipeline.totals(facts_frame([]), by=["event_type", "province"])
    assert list(result.columns) == ["event_type", "province", "unit", "total", "facts", "mentions", "documents",
                                    "left_out"]
    assert result.empty and result.attrs["left_out"].empty


def gold_facts(*names: str) -> pd.DataFrame:
    """The facts of gold files: their rows, with the gold's attributes, merged by the rules."""
    rows = []
    for name in names:
        for g in read_gold(GOLD / name):
            for i, event in enumerate(g.events):
                rows.append(dict(event, doc_id=g.record.doc_id, published=g.record.published, start=i, end=i,
                                 sent_start=event["sentence"]))
    return facts_frame(facts_of(rows, RULES)[1])


def test_totals_of_the_sample_corpus_checked_by_hand() -> None:
    """The sample's gold rows (seed + news): the sums an analyst can check against the articles."""
    result = pipeline.totals(gold_facts("seed.jsonl", "news.jsonl"), by=["event_type", "province"])
    seized = result[(result["event_type"] == "drug_seizure") & (result["unit"] == "kg")]
    # Xinjiang 2011: "more than two tonnes", its 1,560 kg of cannabis, 660 kg of heroin and 19 kg of
    # meth inside it, and the headline's "two tonnes" once: 2,000 kg, not 6,239
    assert total_of(seized, province="CN-XJ") == 2000.0
    # Yunnan: 10.4 tonnes in 2018 (its 983 kg inside), 94 kg of opium in 2019, 3.91 kg in July 2022
    assert total_of(seized, province="CN-YN") == pytest.approx(10497.91)
    # Guangxi: the headline's 200 kg is the body's "more than 220 kg", plus 650 kg
    assert total_of(seized, province="CN-GX") == 870.0
    # national or unknown, kept apart: Hundred Days Action 1,313.2 + 2019 65,100 + Jan-May 2020
    # 15,600 + first half of 2022 4,260 + 17 t of ice (year unknown) + 30 g of marijuana
    # (its 252.1 kg of 2019 cannabis inside the 2019 total, 72 g of ice inside the 17 t)
    assert total_of(seized, province=NATIONAL) == pytest.approx(103273.23)
    left = result.attrs["left_out"]
    assert set(left[left["event_type"] == "drug_seizure"]["value"]) == {660.0, 19.0, 1560.0, 983.0, 252.1, 0.072}
    # 12 major cases are parts of the 2,589 cases. The 167 cases of the Delivery Logistics action
    # are one fact (the two reports name the campaign differently) and counted once: the rows do
    # not say the action is part of the Hundred Days Action whose total the 2,589 are
    cases = left[left["event_type"] == "case_solved"]
    assert set(cases["value"]) == {12.0, 268.0}
    assert total_of(result[result["event_type"] == "case_solved"], province=NATIONAL) == 106705.0


def test_totals_of_facts_jsonl_checked_by_hand() -> None:
    """The three clusters of real reports: reprints, a total and its update, a provincial total
    and the busts inside it."""
    facts = gold_facts("facts.jsonl")
    assert len(facts) == 21
    by_province = pipeline.totals(facts, by=["event_type", "province"])
    arrests = by_province[by_province["event_type"] == "arrest"]
    assert total_of(arrests, province=NATIONAL) == 118000.0  # 65,000 in 2023 + 53,000 in 2022, not + 39,000
    assert total_of(arrests, province="CN-GD") == 16056.0  # Jan-Oct 2017 16,000 (its 14 inside) + 56 in 2019
    seized = by_province[by_province["event_type"] == "drug_seizure"]
    assert total_of(seized, province="CN-GD") == pytest.approx(10415.9)  # 10.4 t (60 + 250 kg inside) + 15.9
    assert total_of(seized, province=NATIONAL) == 25900.0  # 2023; Jan-Aug's 16.5 t superseded
    national = pipeline.totals(facts, by=["event_type"])
    # Yunnan's 2023 12.2 t and 2,900 cases are inside the national 2023 totals
    assert total_of(national, event_type="drug_seizure") == pytest.approx(25900 + 10400 + 15.9 + 20)
    assert total_of(national, event_type="case_solved") == 42000 + 13000
    assert total_of(national, event_type="arrest") == 65000 + 53000 + 16000 + 56


def test_read_facts_summarize_and_events_in_place_of_facts(tmp_path: Path, model_dir: Path) -> None:
    """A run's facts read back with the declared schema; summarize (and totals) take events too."""
    from pipeline.corpus import RunConfig, run_corpus

    out = tmp_path / "out"
    run_corpus([GOLD / "news.jsonl"], RunConfig(output=out, model=str(model_dir), workers=1))
    facts = pipeline.read_facts(out)
    assert list(facts.columns) == list(FACT_COLUMNS)
    summary = pipeline.summarize(facts)
    seized = summary[(summary["event_type"] == "drug_seizure") & (summary["unit"] == "kg")]
    assert seized[seized["province"] == "CN-XJ"]["total"].tolist() == [2000.0]
    events = pipeline.read_events(out)
    pd.testing.assert_frame_equal(pipeline.summarize(events), summary)
