"""Chinese numerals: values through cn2an, and where numerals are found."""

from __future__ import annotations

import pytest

from pipeline.grammar.zh.numbers import parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("三千三百四十一", 3341), ("5.4万", 54000), ("两千零七", 2007), ("二千零七", 2007), ("1000", 1000),
    ("7.7万", 77000), ("三十一点四", 31.4), ("九万四千", 94000), ("1.75万", 17500), ("4.78万亿", 4.78e12),
    ("四万万", 4e8), ("10万万", 1e9), ("千三", 1300), ("百三", 130), ("负10000", -10000), ("负三十二", -32),
    ("1,050,000,000", 1050000000), ("1,100.9亿", 110090000000), (".5", 0.5), ("肆佰陆拾", 460),
    ("俩千两百贰拾二", 2222), ("5万4千6百", 54600), ("十", 10), ("两", 2),
    # a written decimal before a multiplier, which cn2an alone rejects
    ("二百零七点五万", 2075000), ("三点五万", 35000), ("一点二亿", 1.2e8), ("零点七万", 7000),
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["", "万", "点", "点万"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "found"), [
    ("抓获三千三百四十一名", [("三千三百四十一", 3341, False)]),
    ("500余万", [("500余万", 5000000, True)]),
    ("十多万", [("十多万", 100000, True)]),
    ("一切都好", []), ("我家在四川", []), ("陆地上", []), ("百城禁毒会战", []), ("万", []),
    ("二百五, 二百五", [("二百五", 250, False), ("二百五", 250, False)]),
    ("代号2014-310", [("2014", 2014, False), ("310", 310, False)]),
    # a lone multiplier after a qualifier is a round number; elsewhere it is a word
    ("抓获近百名", [("百", 100, False)]), ("逾千人", [("千", 1000, False)]), ("近万名群众", [("万", 10000, False)]),
    ("百姓和千家", []), ("全市百名民警", []), ("最近百名", []), ("附近千人", []),
    # a unit written with a multiplier first takes it (quantities.yml multiplier_led_units)
    ("氯胺酮二十七千克", [("二十七", 27, False)]), ("九百八十千克", [("九百八十", 980, False)]),
    ("三千三百克", [("三千三百", 3300, False)]),
    ("一万二千克", [("一万二千", 12000, False)]),  # a whole numeral keeps its 千: 12,000 克
])
def test_find_numbers(zh, text: str, found: list) -> None:
    got = [(text[n.start:n.end], n.value, n.more_than) for n in zh.quantities.numbers.find(text)]
    assert got == [(t, pytest.approx(v), m) for t, v, m in found]
