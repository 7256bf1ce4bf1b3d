"""The on-disk index of ids and texts a corpus run has met."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline.seen import SeenIndex


@pytest.fixture
def seen(tmp_path: Path):
    index = SeenIndex(tmp_path / "seen.sqlite")
    yield index
    index.close()


def test_an_id_met_again_points_at_its_first_place(seen: SeenIndex) -> None:
    assert seen.add_id("a", "one.jsonl", 1) is None
    assert seen.add_id("b", "one.jsonl", 2) is None
    assert seen.add_id("a", "two.jsonl", 7) == ("one.jsonl", 1)
    assert seen.add_id("a", "two.jsonl", 9) == ("one.jsonl", 1)  # still the first, not the last


@pytest.mark.parametrize("first, again", [
    ("A", "a"),                      # ids are exact: case counts
    ("doc 1", "doc 1 "),             # and so do spaces
    ("北京/1.txt", "北京/2.txt"),
])
def test_distinct_ids_are_distinct(seen: SeenIndex, first: str, again: str) -> None:
    assert seen.add_id(first, "x", 1) is None
    assert seen.add_id(again, "x", 2) is None


@pytest.mark.parametrize("text", ["Police seized 5 kg of heroin.", "缉毒 5 公斤", "x" * 100_000, "\n"])
def test_a_text_met_again_names_the_first_document(seen: SeenIndex, text: str) -> None:
    assert seen.add_text(text, "first") is None
    assert seen.add_text(text + " ", "other") is None
    assert seen.add_text(text, "second") == "first"


def test_close_removes_the_file_and_a_new_index_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite"
    index = SeenIndex(path)
    index.add_id("a", "x", 1)
    index.close()
    assert not path.exists()
    again = SeenIndex(path)
    assert again.add_id("a", "x", 1) is None
    again.close()


def test_a_file_left_by_a_killed_run_is_not_inherited(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE ids (id TEXT PRIMARY KEY, source TEXT, line INTEGER) WITHOUT ROWID")
    db.execute("INSERT INTO ids VALUES ('b', 'old.jsonl', 1)")
    db.commit()
    db.close()
    index = SeenIndex(path)
    assert index.add_id("b", "new.jsonl", 1) is None
    index.close()
