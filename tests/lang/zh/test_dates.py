"""Chinese dates resolved against the published date, as the English grammar resolves them."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.grammar.zh.dates import resolve_date
from pipeline.grammar.zh.text import to_simplified

PUBLISHED = date(2021, 8, 10)


@pytest.mark.parametrize(("text", "span", "start", "end"), [
    ("7月31日", "7月31日", "2021-07-31", "2021-07-31"),
    ("12月31日", "12月31日", "2020-12-31", "2020-12-31"),
    ("2021年", "2021年", "2021-01-01", "2021-12-31"),
    ("二〇〇九年", "二〇〇九年", "2009-01-01", "2009-12-31"),
    ("今年1至6月", "今年1至6月", "2021-01-01", "2021-06-30"),
    ("1至5月", "1至5月", "2021-01-01", "2021-05-31"),
    ("上半年", "上半年", "2021-01-01", "2021-06-30"),
    ("去年上半年", "去年上半年", "2020-01-01", "2020-06-30"),
    ("2020年下半年", "2020年下半年", "2020-07-01", "2020-12-31"),
    ("去年", "去年", "2020-01-01", "2020-12-31"),
    ("去年12月", "去年12月", "2020-12-01", "2020-12-31"),
    ("今年5月底", "今年5月底", "2021-05-31", "2021-05-31"),
    ("8月7日至8日", "8月7日至8日", "2021-08-07", "2021-08-08"),
    ("2014年10月至2015年3月", "2014年10月至2015年3月", "2014-10-01", "2015-03-31"),
    ("2014年至2015年间", "2014年至2015年", "2014-01-01", "2015-12-31"),
    ("昨天", "昨天", "2021-08-09", "2021-08-09"),
    ("19日", "19日", "2021-07-19", "2021-07-19"),
    ("今年第一季度", "今年第一季度", "2021-01-01", "2021-03-31"),
    ("九十年代", "九十年代", "1990-01-01", "1999-12-31"),
    ("5年前", "5年前", "2016-08-10", "2016-08-10"),
    ("上周一", "上周一", "2021-08-02", "2021-08-02"),
    ("今年以来", "今年", "2021-01-01", None),
    ("自10月21日起", "10月21日", "2020-10-21", None),
    ("截至今年4月", "今年4月", None, "2021-04-30"),
    ("2015年以前", "2015年", None, "2014-12-31"),
    ("9月30日百城禁毒会战打响以来", "9月30日", "2020-09-30", None),
    # the day a report was told is no start of what it tells "since" (clause_since_not_across)
    ("昨日通报了全省参加禁毒会战以来的战果", "昨日", "2021-08-09", "2021-08-09"),
    ("2022年5月", "2022年5月", "2022-05-01", "2022-05-31"),
    ("二零一七年下半年", "二零一七年下半年", "2017-07-01", "2017-12-31"),
])
def test_date(zh, text: str, span: str, start: str | None, end: str | None) -> None:
    found = zh.dates.find(to_simplified(text))
    assert [text[d.start:d.end] for d in found] == [span]
    period = resolve_date(found[0], PUBLISHED)
    assert tuple(d.isoformat() if d else None for d in period) == (start, end)


@pytest.mark.parametrize("text", ["近年来", "近三年", "去年同期", "週末"])
def test_vague_dates_are_entities_without_a_period(zh, text: str) -> None:
    found = zh.dates.find(to_simplified(text))
    assert len(found) == 1 and not found[0].precise


def test_anaphoric_day_counts_from_the_last_day_named(zh) -> None:
    found = zh.dates.find("1月19日，支队侦破一起案件。次日，又侦破一起。")
    assert resolve_date(found[1], PUBLISHED, anchor=date(2021, 1, 19)) == (date(2021, 1, 20), date(2021, 1, 20))


def test_dates_in_a_book_title_are_not_entities(zh) -> None:
    assert zh.dates.find("公布了《2024年中国毒情形势报告》") == []
