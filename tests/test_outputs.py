"""What a run writes reads back equal, in every format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import pipeline
from pipeline.corpus import RunConfig, run_corpus
from pipeline.outputs import read_entities, read_events, write_table
from pipeline.schema import ENTITY_COLUMNS, EVENT_COLUMNS

from .helpers import GOLD, read_jsonl


@pytest.fixture(scope="module")
def tables(nlp):
    docs = read_jsonl(GOLD / "news.jsonl")
    return pipeline.extract(docs, nlp), pipeline.extract_entities(docs, nlp)


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_round_trip(tables, tmp_path: Path, fmt: str) -> None:
    events, entities = tables
    assert len(events) > 50 and events["provinces"].map(len).max() >= 1
    write_table(events, tmp_path / f"events.{fmt}", fmt, EVENT_COLUMNS)
    write_table(entities, tmp_path / f"entities.{fmt}", fmt, ENTITY_COLUMNS)
    assert_frame_equal(read_events(tmp_path), events)
    assert_frame_equal(read_entities(tmp_path / f"entities.{fmt}"), entities)


def test_empty_round_trip(tmp_path: Path, nlp) -> None:
    empty = pipeline.extract([], nlp)
    for fmt in ("parquet", "csv", "jsonl"):
        write_table(empty, tmp_path / f"events.{fmt}", fmt, EVENT_COLUMNS)
        assert_frame_equal(read_events(tmp_path / f"events.{fmt}"), empty)


def test_a_plain_parquet_reader_gets_the_declared_dtypes(model_dir: Path, tmp_path: Path) -> None:
    """Issue 15: ``pd.read_parquet`` on a run's tables gives what ``read_events`` gives
    (dates as datetime64, categories with their declared values, nullable integers)."""
    run_corpus([GOLD / "news.jsonl"], RunConfig(output=tmp_path, workers=1, shard_size=4, model=str(model_dir)))
    events, entities = pd.read_parquet(tmp_path / "events.parquet"), pd.read_parquet(tmp_path / "entities.parquet")
    assert str(events["period_end"].dtype).startswith("datetime64")
    assert events["unit"].cat.categories.tolist() == ["kg", "l", "count"]
    assert_frame_equal(events, read_events(tmp_path))
    assert_frame_equal(entities, read_entities(tmp_path))
    assert_frame_equal(pd.read_parquet(tmp_path / "shards" / "events"), read_events(tmp_path))


def test_entity_units_are_a_category_like_event_units(tables) -> None:
    _, entities = tables
    assert isinstance(entities["unit"].dtype, pd.CategoricalDtype)
    units = set(entities["unit"].dropna())
    assert {"kg", "count", "CNY"} <= units
    assert set(EVENT_COLUMNS["unit"].categories) <= set(entities["unit"].cat.categories)
