"""The Python API: extract() returns the event table with declared dtypes, even when empty."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import pipeline
from pipeline.errors import InputError
from pipeline.schema import EVENT_COLUMNS, events_frame

from .helpers import SPRING, edit_rules


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


TEXTS = ["Police in Yunnan seized 5 kg of heroin on June 15.", "Guangxi police arrested 3 drug suspects."]


def test_a_dataframe_is_read_row_by_row(nlp) -> None:
    """Issue 15: a DataFrame gave 0 rows (its column names were iterated)."""
    frame = pd.DataFrame({"id": ["a", "b"], "published": ["2020-06-20", None], "text": TEXTS})
    expected = pipeline.extract(frame.to_dict("records"), nlp)
    assert len(expected) == 2
    assert_frame_equal(pipeline.extract(frame, nlp), expected)
    assert expected.loc[0, "period_end"] == pd.Timestamp("2020-06-15")


def test_a_dataframe_with_other_column_names(nlp) -> None:
    frame = pd.DataFrame({"body": TEXTS, "date": pd.to_datetime(["2020-06-20", None])}, index=["x", "y"])
    df = pipeline.extract(frame, nlp, text_field="body", date_field="date")
    assert df["doc_id"].tolist() == ["x", "y"]  # no id column: the index
    assert df[["event_type", "value"]].values.tolist() == [["drug_seizure", 5.0], ["arrest", 3.0]]
    assert df.loc[0, "period_end"] == pd.Timestamp("2020-06-15")
    entities = pipeline.extract_entities(frame, nlp, text_field="body", date_field="date")
    assert set(entities["doc_id"]) == {"x", "y"}


@pytest.mark.parametrize("frame, options, message", [
    (pd.DataFrame({"body": TEXTS}), {}, r"\[E090\] <DataFrame> has no text column 'text'.*body.*"
                                        r"Did you mean text_field='body'\?"),
    (pd.DataFrame({"title": ["A", "B"], "content": TEXTS}), {}, r"Did you mean text_field='content'\?"),
    (pd.DataFrame({"text": TEXTS}), {"id_field": "doc"}, r"no id column 'doc'"),
])
def test_a_dataframe_without_the_named_column_says_which_it_has(nlp, frame, options, message: str) -> None:
    with pytest.raises(InputError, match=message):
        pipeline.extract(frame, nlp, **options)


def test_a_bare_string_is_one_document(nlp) -> None:
    """Issue 15: a string was iterated character by character ("line 7: 'text' is empty")."""
    assert_frame_equal(pipeline.extract(TEXTS[0], nlp), pipeline.extract([TEXTS[0]], nlp))
    assert len(pipeline.extract(TEXTS[0], nlp)) == 1
    record = {"id": "r", "published": "2020-06-20", "text": TEXTS[0]}
    assert pipeline.extract(record, nlp)["doc_id"].tolist() == ["r"]


@pytest.mark.parametrize("bad", [5, None, b"bytes"])
def test_what_is_not_documents_is_refused(nlp, bad) -> None:
    with pytest.raises(InputError, match=r"\[E098\].*got " + type(bad).__name__):
        pipeline.extract(bad, nlp)


def test_load_warns_when_the_repository_model_is_stale(checkout) -> None:
    """Issue 15: after a config edit the old models/crackdown was used with no warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pipeline.load()  # built from these rules: no warning
    edit_rules(checkout)
    with pytest.warns(pipeline.StaleModelWarning, match=r"\[W010\].*make model"):
        nlp = pipeline.load()
    assert pipeline.extract(SPRING, nlp)["operation"].isna().all()  # the old rules
    nlp = pipeline.load(rebuild=True)
    assert pipeline.extract(SPRING, nlp)["operation"].tolist() == ["Spring Thunder"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pipeline.load(checkout / "models" / "crackdown")  # a path given: nothing to compare with
        pipeline.load()
