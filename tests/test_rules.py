"""Rule files: typed, validated on load, every problem reported together with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.build import build_pipeline
from pipeline.errors import RulesError
from pipeline.rules import RULE_FILES, load_rules, normalise_operation

from .helpers import CONFIGS, DATA


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    for name in RULE_FILES + ("config.cfg",):
        shutil.copy(CONFIGS / name, tmp_path / name)
    return tmp_path


def test_the_shipped_rules_are_valid() -> None:
    rules = load_rules(CONFIGS)
    assert len(rules.provinces.provinces) == 34
    assert len(rules.hash) == 64


def test_broken_files_list_every_problem_with_file_and_line(rules_copy: Path) -> None:
    shutil.copy(DATA / "broken" / "operations.yml", rules_copy / "operations.yml")
    shutil.copy(DATA / "broken" / "provinces.yml", rules_copy / "provinces.yml")
    with pytest.raises(RulesError, match=r"\[E006\] 5 problem") as info:
        load_rules(rules_copy)
    problems = info.value.problems
    text = "\n".join(problems)
    assert "operations.yml line 5: unknown key 'lable'; expected one of: aliases, match, name" in text
    assert "operations.yml line 9: operations.1.match: Input should be 'cased', 'quoted' or 'anywhere'" in text
    assert "provinces.yml line 5: unknown ISO 3166-2 code 'CN-XX'" in text
    assert "[E004]" in text and "'Yunnan' maps to 'CN-YN' and to 'CN-GX'" in text
    assert all(p.startswith("[E0") for p in problems), problems  # every problem has its own code


def test_a_broken_rule_file_never_builds_a_model(rules_copy: Path, tmp_path: Path) -> None:
    (rules_copy / "quantities.yml").write_text(
        (rules_copy / "quantities.yml").read_text().replace("rate_window: 8", "rate_window: many"))
    with pytest.raises(RulesError, match=r"quantities.yml line \d+: rate_window"):
        build_pipeline(rules_copy / "config.cfg", rules_copy, tmp_path / "model")
    assert not (tmp_path / "model").exists()


def test_missing_file_is_named(rules_copy: Path) -> None:
    (rules_copy / "drugs.yml").unlink()
    with pytest.raises(RulesError, match=r"\[E005\].*no drugs.yml"):
        load_rules(rules_copy)


def test_yaml_syntax_error_has_a_line(rules_copy: Path) -> None:
    (rules_copy / "drugs.yml").write_text("drugs:\n  heroin: [heroin\n")
    with pytest.raises(RulesError, match=r"drugs.yml line \d+: \[E001\]"):
        load_rules(rules_copy)


def test_unknown_event_class_is_reported(rules_copy: Path) -> None:
    path = rules_copy / "events.yml"
    path.write_text(path.read_text().replace("deployment: {nouns: [personnel]", "deployment: {nouns: [staffers]"))
    with pytest.raises(RulesError, match=r"class 'staffers' is used by type 'deployment'"):
        load_rules(rules_copy)


@pytest.mark.parametrize("text, key", [
    ("Clean Border 2021 operation", "clean border"),
    ('"clean border"', "clean border"),
    ("Operation Thunder", "thunder"),
    ("Hundred Days Action", "hundred days"),
])
def test_operation_keys(text: str, key: str) -> None:
    words = load_rules(CONFIGS).operations.operation_words
    assert normalise_operation(text, words) == key
