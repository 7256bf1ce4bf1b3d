"""Provinces and campaign names in Chinese text, and the text normalisation under them."""

from __future__ import annotations

import pytest

from pipeline.grammar.zh.text import is_traditional, to_simplified


@pytest.mark.parametrize(("text", "span", "code"), [
    ("云南省公安厅", "云南省", "CN-YN"), ("云南警方", "云南", "CN-YN"),
    ("广西壮族自治区", "广西壮族自治区", "CN-GX"), ("廣西警方", "廣西", "CN-GX"),
    ("内蒙古自治区", "内蒙古自治区", "CN-NM"), ("北京市公安局", "北京市", "CN-BJ"),
    ("香港特别行政区", "香港特别行政区", "CN-HK"), ("澳門司警", "澳門", "CN-MO"),
    ("新疆维吾尔自治区", "新疆维吾尔自治区", "CN-XJ"), ("浙江西部", "浙江", "CN-ZJ"),
])
def test_province(zh, text: str, span: str, code: str) -> None:
    found = zh.provinces.find(to_simplified(text))
    assert [(text[p.start:p.end], p.norm) for p in found] == [(span, code)]


@pytest.mark.parametrize("text", ["滇警方", "桂林", "昆明市", "全国"])
def test_not_a_province(zh, text: str) -> None:
    assert zh.provinces.find(to_simplified(text)) == []


@pytest.mark.parametrize(("text", "span", "name"), [
    ("开展百日行动", "百日行动", "Hundred Days Action"),
    ("“净边”行动", "净边", "Clean Border"),
    ("“猎枭”行动", "猎枭", "Owl Hunt"), ("“除冰肃毒”专项行动", "除冰肃毒", "De-icing and Anti-Drug"),
    ("组织开展“清源斷流”专项行动", "清源斷流", "Cleaning the Source and Cutting Off the Flow"),
    ("“国门利剑2023”联合专项行动", "国门利剑2023", "National Gate Sword"),
    ("开展百城禁毒会战", "百城禁毒会战", "Hundred Cities Anti-Drug Campaign"),
    ("全省开展网络扫毒行动", "网络扫毒", "Online Drug Sweep"),
    ("“春雷”行动", "春雷", "春雷"),
    ("省公安厅开展“秋风三号”缉毒专项行动", "秋风三号", "秋风三号"),  # words between the name and 行动
    ("“清风”扫毒行动", "清风", "清风"),
    ("持续推进净边专项行动", "净边", "Clean Border"),  # a quoted-only name right before an operation word
    # three words between the quoted name and its operation word, one of them an alias (严打): one name
    ("“劲风Ⅰ号”禁毒严打整治专项行动启动以来", "劲风Ⅰ号", "劲风Ⅰ号"),
    ("“雷霆2024”禁毒严打集中统一专项行动", "雷霆2024", "Thunder"),
    ("在“寄递物流禁毒”工作中", "寄递物流禁毒", "Delivery Logistics Anti-Drug Action"),
    ("从“禁毒两打两控”中", "禁毒两打两控", "Two Strikes and Two Controls"),
])
def test_operation(zh, text: str, span: str, name: str) -> None:
    found = zh.operations.find(to_simplified(text))
    assert [(text[o.start:o.end], o.norm) for o in found] == [(span, name)]


@pytest.mark.parametrize("text", ["净边防线", "消毒液", "护航发展", "“埋包”方式"])
def test_quoted_only_names_need_quotes(zh, text: str) -> None:
    assert zh.operations.find(to_simplified(text)) == []


@pytest.mark.parametrize("text", [
    "中國禁毒主戰場雲南今年1至5月繳獲毒品6.5噸", "廣州海關一日對外披露，關員查出海洛因二千零七克。",
    "４，５６５", "百分之２．４", "澳門司警破獲一宗販毒案", "簡體字和繁體字", "乾隆年間著書",
])
def test_simplified_keeps_every_offset(text: str) -> None:
    simple = to_simplified(text)
    assert len(simple) == len(text)
    assert not is_traditional(simple) or simple == text


def test_simplified_converts_traditional_and_full_width() -> None:
    assert to_simplified("繳獲海洛因２０公斤") == "缴获海洛因20公斤"
    assert to_simplified("雲南") == "云南"
