"""What a run writes reads back equal, in every format."""

from __future__ import annotations

from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

import pipeline
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
