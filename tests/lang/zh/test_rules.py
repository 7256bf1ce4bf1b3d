"""The Chinese rule files: valid as shipped, and each kind of mistake reported with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import RulesError
from pipeline.grammar.zh.rules import load_zh_rules

from ...helpers import CONFIG_ROOT


def test_shipped_rules_load() -> None:
    rules = load_zh_rules(CONFIG_ROOT / "zh")
    assert rules.shared_events.types  # the type table is the shared one
    assert {r.name for r in rules.operations.operations} <= {
        o.name for o in load_zh_rules(CONFIG_ROOT / "zh").operations.operations}


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    target = tmp_path / "zh"
    shutil.copytree(CONFIG_ROOT / "zh", target)
    path = target / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(("name", "old", "new", "code", "line"), [
    ("provinces.yml", "code: CN-YN", "code: CN-XX", r"\[E003\]", "provinces.yml line 47"),
    ("operations.yml", "name: Clean Border", "name: Clean Borders", r"\[E100\]", "operations.yml line 22"),
    ("drugs.yml", "  heroin:", "  heroine:", r"\[E100\]", "drugs.yml line 5"),
    ("events.yml", "  licence: [驾驶证", "  licences: [驾驶证", r"\[E101\]", "events.yml line"),
    ("quantities.yml", "code: MOP", "code: MOPX", r"\[E102\]", "quantities.yml line"),
    ("operations.yml", "aliases: [网络扫毒]", "aliases: [百日行动]", r"\[E103\]", "operations.yml line"),
    ("events.yml", "clause_breaks:", "clause_brakes:", "unknown key 'clause_brakes'", "events.yml line"),
    ("events.yml", "classifier_wins: [起, 宗, 次, 株, 棵]", "classifier_wins: [起, 宗, 斤, 株, 棵]", r"\[E100\]",
     "events.yml line 48"),
])
def test_broken_rules_are_reported(tmp_path: Path, name: str, old: str, new: str, code: str, line: str) -> None:
    directory = _broken(tmp_path, name, old, new)
    with pytest.raises(RulesError, match=code) as caught:
        load_zh_rules(directory, CONFIG_ROOT / "shared")
    assert line in str(caught.value)
