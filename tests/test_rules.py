"""Rule files: typed, validated on load, every problem reported together with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.build import build_pipeline
from pipeline.errors import RulesError
from pipeline.rules import load_rules, normalise_operation

from .helpers import CONFIGS, DATA, copy_configs


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    return copy_configs(tmp_path / "configs")


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
    path = rules_copy.parent / "shared" / "events.yml"  # the type table is shared by every language
    path.write_text(path.read_text().replace("deployment: {nouns: [personnel]", "deployment: {nouns: [staffers]"))
    with pytest.raises(RulesError, match=r"class 'staffers' is used by type 'deployment'"):
        load_rules(rules_copy)


@pytest.mark.parametrize(("name", "old", "new", "code"), [
    ("events.yml", "  personnel: [officer", "  staff: [officer", r"\[E101\].*class 'staff' is not a noun class"),
    ("events.yml", "default_items: {", "types: {arrest: {nouns: [person], verbs: [arrest], units: [count]}}\n"
                                      "default_items: {", r"\[E104\].*'types' is a shared vocabulary"),
    ("operations.yml", "- name: Clean Border\n", "- name: Clean Borders\n", r"\[E100\].*operation 'Clean Borders'"),
    ("drugs.yml", "  heroin: [", "  heroine: [", r"\[E100\].*drug 'heroine'"),
    ("topic.yml", " Clean Border, De-icing", " Clean Borders, De-icing", r"\[E100\].*operation 'Clean Borders'"),
    ("quantities.yml", "qualifiers_not_after:\n  top:", "qualifiers_not_after:\n  tpo:",
     r"qualifiers_not_after: tpo is not a qualifier form"),
])
def test_language_rules_map_onto_the_shared_vocabularies(rules_copy: Path, name: str, old: str, new: str,
                                                         code: str) -> None:
    """A class, type table, campaign or drug a language file names must be declared in configs/shared/."""
    path = rules_copy / name
    assert old in path.read_text(), old
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(RulesError, match=code):
        load_rules(rules_copy)


def test_the_type_table_is_the_shared_one_with_the_languages_default_items() -> None:
    rules = load_rules(CONFIGS)
    assert rules.shared is not None
    assert list(rules.events.types) == list(rules.shared.events.types)
    assert rules.events.types["arrest"].default_item == "suspects"
    assert rules.shared.events.types["arrest"].default_item is None


@pytest.mark.parametrize("text, key", [
    ("Clean Border 2021 operation", "clean border"),
    ('"clean border"', "clean border"),
    ("Operation Thunder", "thunder"),
    ("Hundred Days Action", "hundred days"),
])
def test_operation_keys(text: str, key: str) -> None:
    words = load_rules(CONFIGS).operations.operation_words
    assert normalise_operation(text, words) == key
