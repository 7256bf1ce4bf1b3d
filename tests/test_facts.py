"""Facts: when mentions are one figure, within a document and across a corpus (configs/facts.yml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import RulesError
from pipeline.factindex import FactIndex, _AttributeCodes, facts_of
from pipeline.facts import Figure, FigureMatcher, mention_id, merge_document, round_to, significant_digits
from pipeline.rules import FactsFile, load_rules
from pipeline.scoring import evaluate, pair_counts, read_gold, score_facts

from .helpers import CONFIGS, GOLD, copy_configs

RULES = load_rules(CONFIGS).facts
MATCHER = FigureMatcher(RULES)


def row(value: float, event_type: str = "drug_seizure", unit: str = "kg", **attrs: Any) -> dict[str, Any]:
    """A hand-made event row: every attribute unknown unless given."""
    base: dict[str, Any] = {"doc_id": "d", "event_type": event_type, "value": value, "unit": unit,
                            "qualifier": "exact", "item": "drugs", "drug": None, "provinces": [], "scope": None,
                            "operation": None, "period_start": None, "period_end": None, "kind": "incident",
                            "published": "2020-01-10", "start": None, "end": None, "sent_start": None}
    base.update(attrs)
    return base


@pytest.mark.parametrize(("value", "digits"), [
    (10400.0, 3), (10000.0, 1), (2000.0, 1), (0.072, 2), (2446.0, 4), (1e6, 1), (2.01, 3), (15.9, 3), (0.0, 1),
])
def test_significant_digits(value: float, digits: int) -> None:
    assert significant_digits(value) == digits


@pytest.mark.parametrize(("value", "digits", "mode", "expected"), [
    (220.0, 1, "nearest", 200.0), (250.0, 1, "nearest", 300.0), (10400.0, 1, "down", 10000.0),
    (11915.0, 2, "up", 12000.0), (2446.0, 2, "down", 2400.0), (58.0, 1, "down", 50.0), (0.0, 1, "nearest", 0.0),
])
def test_round_to(value: float, digits: int, mode: str, expected: float) -> None:
    assert round_to(value, digits, mode) == pytest.approx(expected)


# (first value, qualifier), (second value, qualifier) -> how they are one figure
VALUES = [
    ((56.0, "exact"), (56.0, "exact"), "equal"),
    ((10.4, "exact"), (10.4004, "exact"), "equal"),  # a unit conversion's float noise
    ((2000.0, "exact"), (2000.0, "more_than"), "equal"),  # "two tonnes", "more than two tonnes"
    ((200.0, "exact"), (220.0, "more_than"), "rounded"),  # headline "200 kg", body "more than 220 kg"
    ((10000.0, "more_than"), (10400.0, "exact"), "rounded"),  # "over 10 tonnes", 10.4 tonnes
    ((2400.0, "more_than"), (2446.0, "exact"), "rounded"),
    ((300.0, "nearly"), (297.88, "exact"), "rounded"),
    ((13.0, "about"), (15.0, "exact"), None),  # neither a rounding of the other
    ((10.4, "exact"), (10.5, "exact"), None),  # same precision, different figures
    ((20.0, "exact"), (24.0, "exact"), None),  # 24 rounds to 20, but 17% apart
    ((2400.0, "nearly"), (2446.0, "exact"), None),  # "nearly 2,400" is not 2,446
    ((20000.0, "more_than"), (23000.0, "exact"), "rounded"),  # another outlet's "more than 20 tonnes"
    ((50.0, "more_than"), (59.0, "exact"), None),  # rounds down to 50 but 15.3% apart
    ((107.0, "exact"), (107.52, "exact"), "rounded"),  # a headline's "107 kg": the body's 107.52 kg cut
    ((108.0, "exact"), (107.52, "exact"), "rounded"),  # ... or rounded to the nearest
    ((108.0, "exact"), (107.2, "exact"), None),  # neither: 107.2 rounds and cuts to 107
    ((107.0, "nearly"), (107.52, "exact"), None),  # "nearly 107" is below it
    ((70.0, "exact"), (78.0, "exact"), None),  # "70 pellets" is not 78 cut: two digits or fewer are only rounded
]


@pytest.mark.parametrize(("first", "second", "how"), VALUES)
def test_same_value(first: tuple[float, str], second: tuple[float, str], how: str | None) -> None:
    a = Figure("arrest", "count", first[0], first[1])
    b = Figure("arrest", "count", second[0], second[1])
    assert MATCHER.same_value(a, b) == how
    assert MATCHER.same_value(b, a) == how


# attributes of two mentions of an equal value -> one figure?
ATTRIBUTES = [
    ({}, {}, True),
    ({"provinces": ["CN-YN"]}, {"provinces": []}, True),  # a headline with no province
    ({"provinces": ["CN-YN"]}, {"provinces": ["CN-HN", "CN-YN"]}, True),  # one set holds the other
    ({"provinces": ["CN-YN"]}, {"provinces": ["CN-GD"]}, False),
    ({"drug": "heroin"}, {"drug": None}, True),
    ({"drug": "heroin"}, {"drug": "opium"}, False),
    # outlets name one campaign differently: the operation tells no figures apart
    ({"operation": "Guangdong Anti-Drug Sword"}, {"operation": "Anti-Drug Sword"}, True),
    ({"period_end": "2023-12-31"}, {"period_end": None}, True),
    ({"period_end": "2023-12-31"}, {"period_end": "2023-08-31"}, False),
    ({"period_start": "2018-01-17"}, {"period_start": "2018-01-19"}, False),
    # periods_nest: one period inside another that states its start
    ({"period_start": "2021-03-01"}, {"period_start": "2021-03-14", "period_end": "2021-03-14"}, True),
    ({"period_start": "2006-05-01", "period_end": "2006-05-31"},
     {"period_start": "2006-01-01", "period_end": "2006-05-31"}, True),  # "in May", "January to May"
    ({"period_start": "2006-05-01", "period_end": "2006-06-30"},
     {"period_start": "2006-01-01", "period_end": "2006-05-31"}, False),  # overlapping, not nested
    ({"period_start": "2021-03-14", "period_end": "2021-03-14"},
     {"period_start": "2021-03-15", "period_end": "2021-03-15"}, False),  # two days
    ({"period_end": "2023-12-31"}, {"period_start": "2023-08-14", "period_end": "2023-08-14"}, False),  # "as of"
    ({"period_start": "2021-04-01"}, {"period_start": "2021-03-14", "period_end": "2021-03-14"}, False),  # before it
    ({"kind": "total"}, {"kind": "incident"}, True),  # an equal figure restated without its cue
    ({"scope": "national"}, {"scope": "local"}, True),  # scope is not compared
]


@pytest.mark.parametrize(("first", "second", "same"), ATTRIBUTES)
def test_attributes_that_tell_figures_apart(first: dict, second: dict, same: bool) -> None:
    a, b = Figure.of_row(row(56.0, **first)), Figure.of_row(row(56.0, **second))
    assert (MATCHER.match(a, b) is not None) is same
    assert (MATCHER.match(b, a) is not None) is same


_PROVINCES = st.lists(st.sampled_from(["CN-YN", "CN-GD", "CN-GX", "CN-SH"]), max_size=3).map(lambda p: tuple(sorted(p)))
_ATTRIBUTES = st.tuples(_PROVINCES, st.sampled_from([None, "a", "b"]), st.sampled_from([None, "a", "b"]))


@settings(max_examples=300, deadline=None)
@given(_ATTRIBUTES, _ATTRIBUTES, st.sampled_from([None, "unknown", "national", "local"]),
       st.sampled_from([None, "unknown", "national", "local"]))
def test_encoded_attributes_agree_as_the_matcher_says(first: tuple, second: tuple, one: str | None,
                                                     other: str | None) -> None:
    """The merge's encoded attributes (provinces as bits, scope's "unknown" as unstated) agree
    exactly when ``FigureMatcher.agree_on`` says; provinces listed twice are not encoded."""
    names = ("provinces", "drug", "operation", "scope")
    codes = _AttributeCodes(names)
    a, b = (*first, one), (*second, other)
    encoded = codes.encode(a), codes.encode(b)
    if len(set(first[0])) < len(first[0]) or len(set(second[0])) < len(second[0]):
        assert None in encoded
    else:
        assert codes.agree(*encoded) is FigureMatcher.agree_on(names, a, b)
        assert codes.agree(*encoded[::-1]) is FigureMatcher.agree_on(names, b, a)


_PERIODS = st.sampled_from([(None, None), ("2021-03-01", None), (None, "2021-03-31"), ("2021-03-01", "2021-03-31"),
                            ("2021-03-14", "2021-03-14"), ("2021-01-01", "2021-03-31"), ("2021-03-15", "2021-04-30")])


@settings(max_examples=200, deadline=None)
@given(_PERIODS, _PERIODS, st.sampled_from([None, "a", "b"]), st.sampled_from([None, "a", "b"]))
def test_encoded_periods_nest_as_the_matcher_says(first: tuple, second: tuple, one: str | None,
                                                  other: str | None) -> None:
    names = ("drug", "period_start", "period_end")
    codes = _AttributeCodes(names, nest=True)
    a, b = (one, *first), (other, *second)
    assert codes.agree(codes.encode(a), codes.encode(b)) is FigureMatcher.agree_on(names, a, b, nest=True)
    assert codes.agree(codes.encode(b), codes.encode(a)) is FigureMatcher.agree_on(names, b, a, nest=True)


@pytest.mark.parametrize(("kind", "period"), [("incident", ("2021-03-14", "2021-03-14")),
                                              ("total", ("2021-03-01", "2021-03-31"))])
def test_nested_periods_keep_an_incidents_day_and_a_totals_whole_period(kind: str, period: tuple) -> None:
    """A merged fact keeps the narrower period of an incident ("this month" and "on March 14"),
    the wider of a total."""
    month = Figure.of_row(row(23.44, kind=kind, period_start="2021-03-01", period_end="2021-03-31"))
    day = Figure.of_row(row(23.44, kind=kind, period_start="2021-03-14", period_end="2021-03-14"))
    for first, second in ((month, day.copy()), (day, month.copy())):
        merged = first.copy()
        assert MATCHER.match(merged, second) == "equal"
        merged.absorb(second)
        assert (merged.period_start, merged.period_end) == period


def test_more_provinces_than_bits_are_compared_unencoded() -> None:
    codes = _AttributeCodes(("provinces",))
    assert codes.encode((tuple(f"P{i:02d}" for i in range(_AttributeCodes.BITS)),)) is not None
    assert codes.encode((("P99",),)) is None
    assert codes.encode((("P00", "P01"),)) is not None


@pytest.mark.parametrize(("first", "second", "same"), [
    ({"kind": "total"}, {"kind": "total"}, True),
    ({"kind": "total"}, {"kind": "incident"}, False),  # a rounded match must be the same kind
    ({"drug": None}, {"drug": "heroin"}, False),  # "more than 7,000 g of drugs" is not "7,030 g of heroin"
    ({"drug": "heroin"}, {"drug": None}, True),  # a headline's "over 7,000 g of heroin" names the body's drugs
    ({"drug": "opium"}, {"drug": "heroin"}, False),
    # a rounded value inside an open period ("more than 7 tonnes this month", "7,030 kg on March 14")
    ({"period_start": "2021-03-01"}, {"period_start": "2021-03-14", "period_end": "2021-03-14"}, True),
    # ... but not a closed part of a closed period: August-December's total is a part of the year's
    ({"period_start": "2019-08-01", "period_end": "2019-12-31", "kind": "total"},
     {"period_start": "2019-01-01", "period_end": "2019-12-31", "kind": "total"}, False),
    # an incident's day inside another report's month of it is its date told more exactly
    ({"period_start": "2021-04-01", "period_end": "2021-04-30"},
     {"period_start": "2021-04-17", "period_end": "2021-04-17"}, True),
    ({"drug": "mdma"}, {"drug": "mdma", "provinces": ["CN-SH"]}, True),
])
def test_a_rounded_value_needs_more_agreement(first: dict, second: dict, same: bool) -> None:
    a = Figure.of_row(row(7000.0, **{"qualifier": "more_than", **first}))
    b = Figure.of_row(row(7030.0, **second))
    assert (MATCHER.match(a, b) is not None) is same
    assert (MATCHER.match(b, a) is not None) is same


def test_a_rounded_mention_may_name_a_province_the_precise_one_does_not() -> None:
    """``rounded_may_name`` reads an empty province list as unstated, as it reads no drug."""
    matcher = FigureMatcher(FactsFile(block_when_rounded=["kind", "provinces"], rounded_may_name=["provinces"]))
    coarse = Figure.of_row(row(7000.0, qualifier="more_than", provinces=["CN-YN"]))
    assert matcher.match(coarse, Figure.of_row(row(7030.0, provinces=[]))) == "rounded"
    assert matcher.match(Figure.of_row(row(7000.0, qualifier="more_than", provinces=[])),
                         Figure.of_row(row(7030.0, provinces=["CN-YN"]))) is None


def test_type_and_unit_are_never_merged() -> None:
    assert MATCHER.match(Figure.of_row(row(20.0)), Figure.of_row(row(20.0, "precursor_seizure"))) is None
    assert MATCHER.match(Figure.of_row(row(20.0)), Figure.of_row(row(20.0, unit="count"))) is None


def test_a_document_repeats_its_headline_once() -> None:
    """dev-09: the headline's "200 kg" is the body's "more than 220 kg"; the eight, three and two
    suspects caught on three days are three facts."""
    rows = [row(200.0, drug="methamphetamine", provinces=["CN-GX"], sent_start=0, start=24, end=30),
            row(220.0, qualifier="more_than", drug="methamphetamine", provinces=["CN-GX"], sent_start=40),
            row(650.0, sent_start=40),
            row(8.0, "arrest", "count", period_start="2018-01-17", period_end="2018-01-17", sent_start=90),
            row(3.0, "arrest", "count", period_start="2018-01-19", period_end="2018-01-19", sent_start=90),
            row(2.0, "arrest", "count", period_start="2018-01-24", period_end="2018-01-24", sent_start=90)]
    ids = [mention_id("dev-09", i, i + 1) for i in range(len(rows))]
    which, facts = merge_document(rows, MATCHER, ids)
    assert which == [0, 0, 1, 2, 3, 4]
    assert facts[0].fact_id == ids[0] and facts[0].mentions == 2
    assert (facts[0].figure.value, facts[0].figure.qualifier) == (220.0, "more_than")  # the precise one


def test_one_sentence_does_not_restate_its_own_figure() -> None:
    rows = [row(2.0, "arrest", "count", sent_start=0), row(2.0, "arrest", "count", sent_start=0),
            row(2.0, "arrest", "count", sent_start=50)]
    which, _ = merge_document(rows, MATCHER, ["a", "b", "c"])
    assert which == [0, 1, 0]


def test_facts_yml_is_validated_with_file_and_line(tmp_path: Path) -> None:
    rules = copy_configs(tmp_path / "configs")
    facts = tmp_path / "configs" / "shared" / "facts.yml"
    facts.write_text(facts.read_text().replace("block: [provinces,", "block: [province,")
                     .replace("  window_days: 7", "  window_dayz: 7"))
    with pytest.raises(RulesError, match=r"\[E006\]") as error:
        load_rules(rules)
    problems = "\n".join(error.value.problems)
    assert "facts.yml line" in problems and "window_dayz" in problems and "'province'" in problems


def test_facts_yml_counts_in_the_rules_hash(tmp_path: Path) -> None:
    rules = copy_configs(tmp_path / "configs")
    before = load_rules(rules).hash
    facts = tmp_path / "configs" / "shared" / "facts.yml"
    facts.write_text(facts.read_text().replace("window_days: 7", "window_days: 3"))
    after = load_rules(rules)
    assert after.hash != before and after.facts.documents.window_days == 3


# --- across documents ---------------------------------------------------------------------
def story(doc_id: str, published: str | None, *figures: tuple[float, str, str]) -> list[dict[str, Any]]:
    """A document's rows: (value, event type, unit) each, in Guangdong, with no period."""
    return [row(value, event_type, unit, doc_id=doc_id, published=published, provinces=["CN-GD"],
                start=i * 10, end=i * 10 + 2) for i, (value, event_type, unit) in enumerate(figures)]


MAOMING = ((56.0, "arrest", "count"), (15.9, "drug_seizure", "kg"), (50.0, "precursor_seizure", "kg"))


def test_a_story_reprinted_by_another_outlet_is_the_same_facts() -> None:
    rows = story("a", "2019-11-22", *MAOMING) + story("b", "2019-11-23", *MAOMING)
    ids, facts = facts_of(rows, RULES)
    assert ids[:3] == ids[3:] and len(facts) == 3
    assert facts[0]["doc_ids"] == ["a", "b"] and facts[0]["n_mentions"] == 2
    assert (facts[0]["first_published"], facts[0]["last_published"]) == ("2019-11-22", "2019-11-23")


def test_the_same_figures_a_year_apart_are_other_facts() -> None:
    rows = story("a", "2019-11-22", *MAOMING) + story("b", "2020-11-22", *MAOMING)
    _, facts = facts_of(rows, RULES)
    assert len(facts) == 6


def test_a_common_figure_in_two_stories_needs_corroboration() -> None:
    """"two suspects" in two Guangdong stories of one week: two facts; with a second shared
    figure, or a specific one, one story."""
    two = (2.0, "arrest", "count")
    _, facts = facts_of(story("a", "2020-01-01", two) + story("b", "2020-01-02", two), RULES)
    assert len(facts) == 2
    _, facts = facts_of(story("a", "2020-01-01", two, (30.0, "drug_seizure", "kg"))
                        + story("b", "2020-01-02", two, (30.0, "drug_seizure", "kg")), RULES)
    assert len(facts) == 2
    _, facts = facts_of(story("a", "2020-01-01", (15.9, "drug_seizure", "kg"))
                        + story("b", "2020-01-02", (15.9, "drug_seizure", "kg")), RULES)
    assert len(facts) == 1


def test_a_dated_total_restated_months_later_is_one_fact() -> None:
    annual = {"period_start": "2023-01-01", "period_end": "2023-12-31", "kind": "total"}
    rows = [row(42000.0, "case_solved", "count", doc_id="a", published="2024-01-31", **annual),
            row(42000.0, "case_solved", "count", doc_id="b", published="2024-06-19", **annual),
            # a headline with no period, dated by its body: one figure of the document
            row(42000.0, "case_solved", "count", doc_id="c", published="2024-06-20", start=0, sent_start=0),
            row(42000.0, "case_solved", "count", doc_id="c", published="2024-06-20", start=9, sent_start=9, **annual),
            # undated, and two figures no other report shares: not corroborated
            row(42000.0, "case_solved", "count", doc_id="d", published="2024-06-21")]
    ids, facts = facts_of(rows, RULES)
    assert ids[0] == ids[1] == ids[2] == ids[3] != ids[4]
    assert facts[0]["n_docs"] == 3 and facts[0]["n_mentions"] == 4


@pytest.mark.parametrize(("period", "merged"), [
    (("2024-05-01", "2024-05-31"), True),  # "in May", in a year-end review: May 1 is a bound both state
    (("2024-06-01", "2024-06-30"), False),  # another month
])
@pytest.mark.parametrize("reverse", [False, True])
def test_a_figure_dated_since_a_day_meets_a_later_report_of_the_whole_period(
        period: tuple[str | None, str], merged: bool, reverse: bool) -> None:
    """"2.06 tons ... seized since May 1" on May 15, and a review in January that dates the
    same bust to May: the two periods agree (one states no end) and share their start, so the
    figure is filed and probed under its start as well as its end."""
    meth = {"provinces": ["CN-SC"], "drug": "methamphetamine"}
    rows = [row(2060.0, doc_id="a", published="2024-05-15", period_start="2024-05-01", **meth),
            row(2060.0, doc_id="b", published="2025-01-22", period_start=period[0], period_end=period[1], **meth)]
    ids, _ = facts_of(rows[::-1] if reverse else rows, RULES)
    assert (ids[0] == ids[1]) is merged


@pytest.mark.parametrize(("first", "later", "period_end", "merged"), [
    ("2024-06-04", "2024-07-18", "2024-05-31", True),  # undated on June 4, "in May" six weeks later
    ("2024-06-04", "2024-07-18", "2024-04-30", False),  # ... a period that ended a month before the report
    ("2024-06-04", "2024-07-18", "2024-06-30", False),  # ... or that ended after it
])
@pytest.mark.parametrize("dated_first", [False, True])
def test_an_undated_report_and_a_later_one_dating_it_to_the_period_just_before(
        first: str, later: str, period_end: str, merged: bool, dated_first: bool) -> None:
    """An undated figure happened shortly before its report: a later report that dates it to a
    period ending within ``documents.window_days`` before that report names the same figure,
    whichever of the two the corpus holds first."""
    hunan = {"provinces": ["CN-HN"], "drug": "methamphetamine"}
    rows = [row(2060.0, doc_id="a", published=first, **hunan),
            row(2060.0, doc_id="b", published=later, period_start=period_end[:8] + "01", period_end=period_end,
                **hunan)]
    ids, _ = facts_of(rows[::-1] if dated_first else rows, RULES)
    assert (ids[0] == ids[1]) is merged


def test_a_rounded_restatement_dated_just_before_an_undated_report_is_corroborated() -> None:
    """"More than 2 tonnes of methamphetamine ... in August" and an undated 2.06 tonnes reported on
    September 4 in the same province: the dates corroborate the rounded figure."""
    anhui = {"provinces": ["CN-AH"], "drug": "methamphetamine"}
    rows = [row(2060.0, doc_id="a", published="2025-09-04", **anhui),
            row(2000.0, doc_id="b", published="2025-10-23", qualifier="more_than", period_start="2025-08-01",
                period_end="2025-08-31", **anhui),
            row(2000.0, doc_id="c", published="2025-10-23", qualifier="more_than", **anhui)]
    ids, _ = facts_of(rows, RULES)
    assert ids[0] == ids[1] != ids[2]
    ids, _ = facts_of([rows[1], rows[0]], RULES)  # the dated report first
    assert ids[0] == ids[1]


def test_no_published_date_no_merge_of_undated_figures() -> None:
    rows = story("a", None, (15.9, "drug_seizure", "kg")) + story("b", None, (15.9, "drug_seizure", "kg"))
    assert len(facts_of(rows, RULES)[1]) == 2


def test_a_reprint_caught_as_a_duplicate_adds_no_fact() -> None:
    rows = story("a", "2019-11-22", *MAOMING)
    _, alone = facts_of(rows, RULES)
    _, facts = facts_of(rows, RULES, reprints=[("a-copy", "a", "2019-11-25")])
    assert len(facts) == len(alone) == 3
    assert all(f["doc_ids"] == ["a", "a-copy"] and f["n_docs"] == 2 and f["n_mentions"] == 2 for f in facts)
    assert all(f["last_published"] == "2019-11-25" for f in facts)


def test_later_totals_of_a_series_supersede_earlier_ones() -> None:
    hundred = {"operation": "Hundred Days Action", "kind": "total", "published": "2022-09-01"}
    rows = [row(3341.0, "arrest", "count", doc_id="a", period_end="2022-07-31", **hundred),
            row(5102.0, "arrest", "count", doc_id="b", period_end="2022-08-31", **hundred),
            row(2589.0, "case_solved", "count", doc_id="b", period_end="2022-07-31", **hundred),
            row(12.0, "case_solved", "count", doc_id="b", period_end="2022-07-31", **hundred)]
    _, facts = facts_of(rows, RULES)
    by_value = {f["value"]: f for f in facts}
    assert by_value[3341.0]["superseded_by"] == by_value[5102.0]["fact_id"]
    assert by_value[5102.0]["superseded_by"] is None
    assert by_value[3341.0]["series"] == by_value[5102.0]["series"] == \
        "event_type=arrest;unit=count;operation=Hundred Days Action"
    # totals ending together are not one after the other
    assert by_value[2589.0]["superseded_by"] is None and by_value[12.0]["superseded_by"] is None


def corpus_rows(n: int = 60) -> list[dict[str, Any]]:
    """Documents that repeat, reprint and restate figures, over a few weeks."""
    rows = []
    for d in range(n):
        day = f"2020-01-{1 + d % 28:02d}"
        for k in range(d % 4 + 1):
            value = [56.0, 15.9, 2.0, 10400.0, 10000.0, 220.0, 200.0][(d * 3 + k) % 7]
            rows.append(row(value, ["arrest", "drug_seizure"][k % 2], ["count", "kg"][k % 2], doc_id=f"d{d}",
                            published=day, provinces=[["CN-GD"], [], ["CN-YN"]][d % 3], start=k, end=k + 1,
                            qualifier=["exact", "more_than"][d % 2], sent_start=k,
                            kind=["incident", "total"][d % 5 == 0],
                            period_end=None if d % 3 else "2019-12-31"))
    return rows


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=8))
def test_fact_ids_do_not_depend_on_how_the_corpus_is_cut(cuts: list[int]) -> None:
    """Whole documents in batches of any size (shards) give the same ids and facts."""
    rows = corpus_rows()
    expected = facts_of(rows, RULES)
    index = FactIndex(":memory:", RULES)
    ids: list[str] = []
    start, docs = 0, sorted({r["doc_id"] for r in rows}, key=lambda d: int(d[1:]))
    for size in cuts * 10:
        batch = set(docs[start:start + size])
        if not batch:
            break
        ids += index.add_rows([r for r in rows if r["doc_id"] in batch])
        start += size
    if start < len(docs):
        ids += index.add_rows([r for r in rows if r["doc_id"] in set(docs[start:])])
    facts = [f for chunk in index.facts(chunk=7) for f in chunk]
    index.close()
    assert ids == expected[0]
    assert facts == expected[1]


@pytest.mark.parametrize("capacity", [1, 50])
def test_facts_do_not_depend_on_what_is_held_in_memory(capacity: int) -> None:
    """Blocks dropped from memory are read back from disk: the same facts with little held."""
    rows = corpus_rows()
    index = FactIndex(":memory:", RULES, capacity=capacity)
    ids = [i for d in range(60) for i in index.add_rows([r for r in rows if r["doc_id"] == f"d{d}"])]
    facts = [f for chunk in index.facts() for f in chunk]
    index.close()
    assert (ids, facts) == facts_of(rows, RULES)
    assert len(facts) < len({r["doc_id"] + str(r["start"]) for r in rows})  # some merged across documents


def test_rounded_figures_across_documents_only_when_the_rules_say() -> None:
    annual = {"period_start": "2017-01-01", "period_end": "2017-10-31", "kind": "total", "provinces": ["CN-GD"]}
    rows = [row(10000.0, doc_id="a", published="2017-11-28", qualifier="more_than", **annual),
            row(10400.0, doc_id="b", published="2017-11-29", **annual)]
    strict = RULES.model_copy(update={"documents": RULES.documents.model_copy(update={"rounded": False})})
    assert len(facts_of(rows, strict)[1]) == 2
    assert RULES.documents.rounded and len(facts_of(rows, RULES)[1]) == 1  # configs/shared/facts.yml


def test_roundings_across_documents_go_to_rounded_digits() -> None:
    """Outlets round to one or two significant digits: "1,200" for 1,216 is found, "1,220"
    only when ``documents.rounded_digits`` allows three (each rounding is a block to probe)."""
    total = {"provinces": ["CN-GD"], "period_start": "2020-01-01", "period_end": "2020-06-30", "kind": "total"}
    for coarse, digits, merged in ((1200.0, 2, True), (1220.0, 2, False), (1220.0, 3, True)):
        rules = RULES.model_copy(update={"documents": RULES.documents.model_copy(update={"rounded_digits": digits})})
        rows = [row(1216.0, "arrest", "count", doc_id="a", published="2020-07-02", **total),
                row(coarse, "arrest", "count", doc_id="b", published="2020-07-03", qualifier="about", **total)]
        assert (len(facts_of(rows, rules)[1]) == 1) is merged, (coarse, digits)


def test_a_decimal_rounded_to_three_digits_by_another_outlet_is_the_same_fact() -> None:
    """configs/shared/facts.yml ``rounded_digits``: "23.44 kg" and the next day's "23.4 kg"."""
    bust = {"provinces": ["CN-YN"], "kind": "incident"}
    rows = [row(23.44, doc_id="a", published="2021-03-21", period_start="2021-03-14", period_end="2021-03-14",
                **bust),
            row(23.4, doc_id="b", published="2021-03-22", **bust)]
    assert len(facts_of(rows, RULES)[1]) == 1


def test_another_outlet_rounding_a_story_is_the_same_facts() -> None:
    """One bust told by two outlets a day apart: "2.06 tonnes" and "more than 2 tonnes", with the
    same 318 kg beside it (a second shared figure corroborates the rounded one)."""
    bust = {"provinces": ["CN-YN"], "drug": "methamphetamine"}
    rows = [row(2060.0, doc_id="a", published="2022-03-10", start=0, end=4, **bust),
            row(318.0, doc_id="a", published="2022-03-10", start=10, end=14, provinces=["CN-YN"]),
            row(2000.0, doc_id="b", published="2022-03-11", qualifier="more_than", start=0, end=4, **bust),
            row(318.0, doc_id="b", published="2022-03-11", start=10, end=14)]
    ids, facts = facts_of(rows, RULES)
    assert ids[0] == ids[2] and ids[1] == ids[3] and len(facts) == 2
    assert facts[0]["value"] == 2060.0  # the precise figure
    # a rounded figure alone, in a story with nothing else in common, is not corroborated
    ids, facts = facts_of(rows[:2] + rows[2:3], RULES)
    assert len(facts) == 3


def test_a_figure_is_compared_with_the_last_facts_of_its_blocks() -> None:
    """Forty 56-suspect stories in one week, each in its own province: the forty-first, in
    the first one's province, is compared with the last ``candidates`` facts only."""
    codes = ["CN-AH", "CN-BJ", "CN-CQ", "CN-FJ", "CN-GS", "CN-GD", "CN-GX", "CN-GZ", "CN-HI", "CN-HE",
             "CN-HL", "CN-HA", "CN-HB", "CN-HN", "CN-JS", "CN-JX", "CN-JL", "CN-LN", "CN-NM", "CN-NX"] * 2
    rows = [row(56.0, "arrest", "count", doc_id=f"s{i}", provinces=[code], published="2020-03-02", start=0,
                period_end="2020-03-01") for i, code in enumerate(codes)]
    rows.append(row(56.0, "arrest", "count", doc_id="late", provinces=[codes[-1]], published="2020-03-03", start=0,
                    period_end="2020-03-01"))
    ids, _ = facts_of(rows, RULES)
    assert ids[-1] == ids[-2]  # the last of its province: among the last compared, so joined
    small = RULES.model_copy(update={"documents": RULES.documents.model_copy(update={"candidates": 1})})
    rows[-1]["provinces"] = [codes[0]]  # twenty stories back: beyond one candidate
    ids, _ = facts_of(rows, small)
    assert ids[-1] not in ids[:-1]


# --- against the gold ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["facts.jsonl", "news.jsonl", "news2.jsonl", "zh.jsonl"])
def test_merging_the_gold_rows_gives_the_gold_facts(name: str) -> None:
    """The oracle: the merge rules alone, given the gold rows and their attributes."""
    gold = read_gold(GOLD / name)
    score = score_facts(gold, [[] for _ in gold], RULES)
    assert score.oracle_pairs.fp == 0 and score.oracle_pairs.fn == 0, score.oracle_pairs
    assert score.oracle_facts == score.gold_facts


def test_pair_counts() -> None:
    prf = pair_counts(["a", "a", "a", "b", "c"], [1, 1, 2, 2, 3])
    assert (prf.tp, prf.fp, prf.fn) == (1, 1, 2)


@pytest.mark.parametrize("name", ["facts.jsonl", "news.jsonl", "news2.jsonl"])
def test_pipeline_facts_on_the_gold(nlp, name: str) -> None:
    """Pairwise "same fact" F1 >= 0.95 over the mentions the pipeline finds, and the number of
    facts among them within 5% of the gold's."""
    score = evaluate(nlp, [GOLD / name]).facts[str(GOLD / name)]
    pairs = score.pairs
    assert pairs.f1 >= 0.95 or (pairs.tp, pairs.fp, pairs.fn) == (0, 0, 0), score.errors
    assert abs(score.predicted_facts_matched - score.gold_facts_matched) <= 0.05 * score.gold_facts_matched


def test_fact_rules_are_saved_with_the_pipeline(nlp) -> None:
    assert nlp.get_pipe("facts").rules == FactsFile.model_validate(RULES.model_dump())
    doc = nlp("Yunnan police seize 94 kg of opium\n\nPolice in Yunnan seized 94 kg of opium and arrested "
              "two suspects on June 15.")
    rows = doc._.events
    assert [r["mention_id"] for r in rows] == [":20-25", ":60-65", ":88-91"]
    assert [r["fact_id"] for r in rows] == [":20-25", ":20-25", ":88-91"]


def test_a_shards_blocks_at_once_are_each_figures_blocks() -> None:
    """``BlockKeys.placed_all`` (numpy, a shard at once) gives what ``placed`` gives one figure at a
    time: Python's hash of the same tuples, sorted, each once (rounded values, zero, undated,
    unpublished, periods of any length, dates that are no dates)."""
    from pipeline.factparts import BlockKeys, TupleHash

    assert TupleHash.works()
    keys = BlockKeys(RULES)
    values = [0.0, -0.0, 1.0, 0.5, 1e-9, 3.7, 1000.0, 2500.0, 6100.0, 123456.0, 7.0, 2.06]
    periods = [(None, None), ("2020-01-01", None), (None, "2020-01-31"), ("2020-01-01", "2020-01-31"),
               ("2020-01-01", "2020-12-31"), ("garbage", None), ("", "x")]
    figures = [(event_type, unit, value, sig, start, end, published)
               for event_type, unit in (("drug_seizure", "kg"), ("arrest", "count"), ("", "None"))
               for value in values for sig in (1, 2, 4) for start, end in periods
               for published in (None, 1, 737_000, 737_003, 737_019)]
    probes, blocks = keys.placed_all(*(list(column) for column in zip(*figures, strict=True)))
    assert list(zip(probes.to_pylist(), blocks.to_pylist(), strict=True)) == [keys.placed(*f) for f in figures]
    assert keys.placed_all([], [], [], [], [], [], [])[0].to_pylist() == []
