"""Chinese quantities: unit or classifier inside the span, qualifiers, what is not a quantity."""

from __future__ import annotations

import pytest

from pipeline.grammar.zh.text import to_simplified


@pytest.mark.parametrize(("text", "span", "value", "unit", "qualifier"), [
    ("缴获海洛因94公斤", "94公斤", 94, "kg", "exact"),
    ("查获冰毒27吨", "27吨", 27000, "kg", "exact"),
    ("海洛因870克", "870克", 0.87, "kg", "exact"),
    ("鸦片13.17千克", "13.17千克", 13.17, "kg", "exact"),
    ("三斤半", "三斤半", 1.75, "kg", "exact"),
    ("一吨半", "一吨半", 1500, "kg", "exact"),
    ("破获案件5.4万起", "5.4万起", 54000, "count", "exact"),
    ("抓获7.7万名", "7.7万名", 77000, "count", "exact"),
    ("破获3起", "3起", 3, "count", "exact"),
    ("两名男子", "两名", 2, "count", "exact"),
    ("三千三百四十一名", "三千三百四十一名", 3341, "count", "exact"),
    ("300余名", "300余名", 300, "count", "more_than"),
    ("1000多人", "1000多人", 1000, "count", "more_than"),
    ("七千多克", "七千多克", 7, "kg", "more_than"),
    ("缴获毒品逾3吨", "3吨", 3000, "kg", "more_than"),
    ("超过500名", "500名", 500, "count", "more_than"),
    ("近300千克", "300千克", 300, "kg", "nearly"),
    ("约3.5吨", "3.5吨", 3500, "kg", "about"),
    ("接近3亿", "3亿", 3e8, "count", "nearly"),
    ("300人左右", "300人", 300, "count", "about"),
    ("繳獲毒品6.5噸", "6.5噸", 6500, "kg", "exact"),
    ("1.75萬餘人次", "1.75萬餘人次", 17500, "count", "more_than"),
    ("200多万元", "200多万元", 2000000, "CNY", "more_than"),
    ("约九萬四千澳門元", "九萬四千澳門元", 94000, "MOP", "about"),
    ("人民币 8千元", "人民币 8千元", 8000, "CNY", "exact"),
    ("增长17.41%", "17.41%", 17.41, "percent", "exact"),
    ("百分之五", "百分之五", 5, "percent", "exact"),
    ("２２％", "２２％", 22, "percent", "exact"),
    ("开展清查3400余次", "3400余次", 3400, "count", "more_than"),  # 次 counts checks (G404次列车 does not)
])
def test_quantity(zh, text: str, span: str, value: float, unit: str, qualifier: str) -> None:
    found = zh.quantities.find(to_simplified(text))
    assert [(text[q.start:q.end], q.unit, q.qualifier) for q in found] == [(span, unit, qualifier)]
    assert found[0].value == pytest.approx(value)


@pytest.mark.parametrize("text", [
    "侦破一起特大运毒案件", "制服了一名放哨男子", "为期8个月的整治", "2009年", "5月31日", "13时许",
    "G404次列车", "第33个国际禁毒日", "代号2014-310", "同比增长4.9倍", "戒毒3年以上", "数十名群众",
    "呈现四升一降的态势", "五百分之2.2", "10年前", "《2010中国禁毒报告》", "历时两个多月", "3人以上的团伙",
])
def test_not_a_quantity(zh, text: str) -> None:
    assert zh.quantities.find(to_simplified(text)) == []
