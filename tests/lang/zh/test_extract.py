"""The prototype Chinese extractor against the gold file, the unseen phrasings and the peer suites."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.grammar.zh.extract import extract_zh
from pipeline.grammar.zh.score import score_peer_dates, score_peer_numbers, score_peer_quantities
from pipeline.scoring import match_events

from ...helpers import PEER, read_jsonl
from .conftest import ZhGrammar

UNSEEN = read_jsonl(__import__("pathlib").Path(__file__).parent / "data" / "unseen_phrasings.jsonl")


def test_issue_sentence(zh: ZhGrammar) -> None:
    """The sentence of issue 13 that gave no entity in the English pipeline."""
    out = extract_zh("云南警方缴获海洛因94公斤，抓获犯罪嫌疑人3名。", "2021-06-01", grammar=zh)
    assert [(e["label"], e["text"]) for e in out["entities"]] == [
        ("PROVINCE", "云南"), ("QUANTITY", "94公斤"), ("QUANTITY", "3名")]
    assert [(r["event_type"], r["value"], r["unit"], r["item"], r["drug"], r["provinces"]) for r in out["events"]] == [
        ("drug_seizure", 94.0, "kg", "海洛因", "heroin", ["CN-YN"]),
        ("arrest", 3.0, "count", "犯罪嫌疑人", None, ["CN-YN"])]


def test_traditional_text_keeps_original_item_and_offsets(zh: ZhGrammar) -> None:
    text = "雲南警方繳獲鴉片13.17千克。"
    row = extract_zh(text, None, grammar=zh)["events"][0]
    assert (row["item"], row["drug"], row["raw"]) == ("鴉片", "opium", "13.17千克")
    assert text[row["start"]:row["end"]] == row["raw"]


@pytest.mark.parametrize("doc", UNSEEN, ids=[d["id"] for d in UNSEEN])
def test_unseen_phrasings(zh: ZhGrammar, doc: dict[str, Any]) -> None:
    rows = extract_zh(doc["text"], doc["published"], doc["id"], grammar=zh)["events"]
    gold = [{"event_type": t, "value": v, "unit": u} for t, v, u in doc["expected"]]
    pairs = match_events(gold, rows)
    assert (len(pairs), len(rows)) == (len(gold), len(gold)), [(r["event_type"], r["raw"]) for r in rows]


@pytest.mark.parametrize(("scorer", "name", "floor"), [
    (score_peer_numbers, "zh_numbers.jsonl", 0.95),
    (score_peer_quantities, "zh_quantities.jsonl", 0.92),
    (score_peer_dates, "zh_dates.jsonl", 0.82),
])
def test_peer_suites(zh: ZhGrammar, scorer: Any, name: str, floor: float) -> None:
    """Floors a little under today's figures, so a change that loses cases is seen."""
    assert scorer(PEER / name, zh)["f1"] >= floor


def test_off_topic_figures_are_not_events(zh: ZhGrammar) -> None:
    text = ("全年共立案侦办走私犯罪案件4959起。支队抽调700余名警力协助开展疫情检测。"
            "同时收缴枪支4支、子弹20发。")
    assert extract_zh(text, "2023-01-01", grammar=zh)["events"] == []
