"""The Chinese pipeline as spaCy components: built with nlp.to_disk, loaded with spacy.load, scored on the gold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from spacy.language import Language

import pipeline
from pipeline.annotate import annotate, as_records
from pipeline.schema import ENTITY_COLUMNS, EVENT_COLUMNS
from pipeline.scoring import evaluate
from pipeline.table import entities_table, events_table

from ...helpers import GOLD, ROOT, read_jsonl


def test_the_chinese_pipeline_is_the_english_components_on_blank_zh(zh_nlp: Language) -> None:
    assert zh_nlp.lang == "zh"
    assert zh_nlp.config["nlp"]["tokenizer"]["segmenter"] == "char"
    assert zh_nlp.pipe_names == ["segmenter", "provinces", "operations", "quantities", "dates", "entities",
                                 "events", "facts"]


def test_gold_scores(zh_nlp: Language) -> None:
    """The issue's acceptance: event F1 and entity micro F1 >= 0.95 on data/gold/zh.jsonl."""
    report = evaluate(zh_nlp, [GOLD / "zh.jsonl"])
    assert report.events.f1 >= 0.95, (report.missed, report.spurious)
    assert report.entities_micro.f1 >= 0.95, report.entity_errors


def test_same_tables_and_columns_as_english(zh_nlp: Language) -> None:
    text = "云南警方缴获海洛因94公斤，抓获犯罪嫌疑人3名。"
    events = pipeline.extract([{"id": "a", "published": "2021-06-26", "text": text}], zh_nlp)
    entities = pipeline.extract_entities(text, zh_nlp)
    assert list(events.columns)[:len(EVENT_COLUMNS)] == list(EVENT_COLUMNS)
    assert list(entities.columns)[:len(ENTITY_COLUMNS)] == list(ENTITY_COLUMNS)
    rows = [(r.event_type, r.value, r.unit, r.item, None if pd.isna(r.drug) else r.drug, list(r.provinces))
            for r in events.itertuples()]
    assert rows == [
        ("drug_seizure", 94.0, "kg", "海洛因", "heroin", ["CN-YN"]),
        ("arrest", 3.0, "count", "犯罪嫌疑人", None, ["CN-YN"])]


@pytest.mark.parametrize(("text", "raw", "value", "unit"), [
    ("廣西警方繳獲冰毒1.2噸。", "1.2噸", 1200.0, "kg"),  # traditional characters, offsets of the original
    ("雲南省公安廳破獲毒品案件三千三百四十一起。", "三千三百四十一起", 3341.0, "count"),
])
def test_traditional_text_keeps_its_offsets(zh_nlp: Language, text: str, raw: str, value: float,
                                             unit: str) -> None:
    events = pipeline.extract(text, zh_nlp)
    row = events.iloc[0]
    assert (row.raw, row.value, row.unit) == (raw, value, unit)
    assert text[row.start:row.end] == raw


def test_spacy_load_in_a_fresh_process(zh_model_dir: Path) -> None:
    """The factories come from entry points: no import of the package before spacy.load."""
    code = ("import json, spacy, sys\n"
            f"nlp = spacy.load({str(zh_model_dir)!r})\n"
            "doc = nlp('云南警方缴获海洛因94公斤。')\n"
            "print(json.dumps([[e.text, e.label_] for e in doc.ents], ensure_ascii=False))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [["云南", "PROVINCE"], ["94公斤", "QUANTITY"]]


def test_batches_give_the_rows_of_one_document_at_a_time(zh_nlp: Language) -> None:
    """Each component over a batch (annotate(..., streaming=False)) gives the same rows as one
    document through the whole pipeline at a time, on every Chinese gold and unseen report."""
    docs = [d for name in ("data/gold/zh.jsonl", "data/unseen/zh2.jsonl", "data/unseen/zh5.jsonl")
            for d in read_jsonl(ROOT / name)]
    streamed = list(annotate(zh_nlp, as_records(docs)))
    batched = list(annotate(zh_nlp, as_records(docs), batch_size=8, streaming=False))
    assert len(events_table(streamed)) > 100
    pd.testing.assert_frame_equal(events_table(batched), events_table(streamed))
    pd.testing.assert_frame_equal(entities_table(batched), entities_table(streamed))
