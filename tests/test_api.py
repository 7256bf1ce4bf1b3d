"""The Python API: extract() returns the event table with declared dtypes, even when empty."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import pipeline
from pipeline.errors import InputError
from pipeline.schema import EVENT_COLUMNS, events_frame


def test_extract_texts(nlp) -> None:
    df = pipeline.extract(["Police in Yunnan seized 94kg of opium and arrested two suspects."], nlp)
    assert list(df.columns) == list(EVENT_COLUMNS)
    assert df[["event_type", "value", "unit"]].values.tolist() == [
        ["drug_seizure", 94.0, "kg"], ["arrest", 2.0, "count"]]
    assert df.loc[0, "provinces"] == ["CN-YN"]
    assert df.loc[0, "drug"] == "opium"
    assert str(df["event_type"].dtype) == "category"
    assert str(df["start"].dtype) == "Int64"


def test_extract_records_with_published(nlp) -> None:
    df = pipeline.extract([{"id": "a", "published": "2019-06-21",
                            "text": "Yunnan police seized 20 kg of heroin last year."}], nlp)
    assert df.loc[0, "doc_id"] == "a"
    assert df.loc[0, "period_start"] == pd.Timestamp("2018-01-01")
    assert df.loc[0, "period_end"] == pd.Timestamp("2018-12-31")


def test_empty_input_gives_the_full_schema(nlp) -> None:
    assert_frame_equal(pipeline.extract([], nlp), events_frame([]))
    assert_frame_equal(pipeline.extract(["No numbers here at all."], nlp), events_frame([]))


@pytest.mark.parametrize("bad, message", [
    ({"id": "x"}, r"\[E022\].*'text' is missing"),
    ({"id": "x", "text": "   "}, r"\[E022\].*empty"),
    ({"id": "x", "text": 5}, r"\[E022\].*a int, not a string"),
    (7, r"\[E021\].*expected a JSON object"),
])
def test_bad_records_raise_with_the_position(nlp, bad, message: str) -> None:
    with pytest.raises(InputError, match=message):
        pipeline.extract(["fine text", bad], nlp)


def test_extract_entities(nlp) -> None:
    df = pipeline.extract_entities(["In Guangxi Zhuang Autonomous Region, 5 kg were seized on Jan. 17."], nlp)
    assert df["label"].tolist() == ["PROVINCE", "QUANTITY", "DATE"]
    assert df.loc[0, "norm"] == "CN-GX"
