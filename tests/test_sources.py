"""Rule ids and cues read back to the entry of configs/en/ that decided them (`crackdown explain`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.grammar.en.sources import RuleSources

from .helpers import CONFIGS, DATA, read_jsonl


@pytest.fixture(scope="module")
def sources() -> RuleSources:
    return RuleSources(CONFIGS)


def where(source: Any) -> tuple[str, str] | None:
    return None if source is None else (Path(source.path).name, source.entry)


def listed(name: str, key: str, value: str) -> tuple[str, str]:
    """The entry `key[i] = value` of configs/en/<name>, its index read from the file (a new cue shifts it)."""
    node: Any = yaml.safe_load((CONFIGS / name).read_text(encoding="utf-8"))
    for part in key.split("."):
        node = node[part]
    return name, f"{key}[{node.index(value)}] = {value}"


@pytest.mark.parametrize("label, rule, norm, unit, expected", [
    ("PROVINCE", "gazetteer.CN-YN", "CN-YN", None, ("provinces.yml", "provinces[32] = CN-YN")),
    ("OPERATION", "operation.alias.quoted", "Clean Border", None, ("operations.yml", "operations[2] = Clean Border")),
    ("QUANTITY", "quantity.digits+kg", None, "kg", ("quantities.yml", "units[0] = kg x 1 (kg)")),
    ("QUANTITY", "quantity.words+tonnes", None, "kg", ("quantities.yml", "units[4] = kg x 1000 (tonnes)")),
    ("QUANTITY", "quantity.digits+currency", None, "CNY", ("quantities.yml", "currencies[0] = CNY")),
    ("QUANTITY", "quantity.digits+shared_unit", None, "kg",
     ("quantities.yml", "units[0] = kg (shared with the next number)")),
    ("QUANTITY", "quantity.words", None, "count", ("quantities.yml", "number_words")),
    ("QUANTITY", "quantity.digits", None, "count", None),  # a bare number: grammar, no entry
    ("DATE", "date.mdy", None, None, None),  # a date pattern: grammar
    ("OPERATION", "operation.capitalised_name", "Strike Hard", None,
     ("operations.yml", "operations[12] = Strike Hard")),
    ("OPERATION", "operation.capitalised_name", "Spring Sweep", None, None),  # a name not configured
])
def test_an_entity_rule_names_its_entry(sources: RuleSources, label: str, rule: str, norm: str | None,
                                        unit: str | None, expected: tuple[str, str] | None) -> None:
    assert where(sources.entity(label, rule, norm, unit)) == expected


@pytest.mark.parametrize("field, value, expected", [
    ("trigger", "active:seized", listed("events.yml", "verb_classes.seize", "seized")),
    ("trigger", "passive:recovering", listed("events.yml", "verb_classes.seize", "recovered")),  # an -ing form
    ("trigger", "active:pick up", listed("events.yml", "verb_classes.arrest", "picked up")),  # a phrasal verb's
    ("trigger", "clause:community - based rehabilitation",
     listed("events.yml", "verb_classes.community", "community-based rehabilitation")),
    ("trigger", "possession:arrested with", listed("events.yml", "possession_words", "with")),
    ("topic_cue", "item:heroin", ("drugs.yml", "drugs.heroin = heroin")),
    ("topic_cue", "sentence:drug trafficking", listed("topic.yml", "drug_cues", "drug trafficking")),
    ("topic_cue", "paragraph:drugs", listed("topic.yml", "drug_cues", "drug")),  # a plural
    ("topic_cue", "document:lead", None),
    ("kind_cue", "total:a total of", listed("events.yml", "kind.total_cues", "a total of")),
    ("kind_cue", "incident:a recent case", listed("events.yml", "kind.incident_nouns", "case")),
    ("kind_cue", "type:compulsory_treatment", listed("events.yml", "kind.total_types", "compulsory_treatment")),
    ("kind_cue", "document:story", None),
])
def test_an_event_cue_names_its_entry(sources: RuleSources, field: str, value: str,
                                      expected: tuple[str, str] | None) -> None:
    assert where(sources.event({field: value})[field]) == expected


def test_every_trigger_and_configured_entity_of_the_english_output_has_its_entry(sources: RuleSources) -> None:
    rows = [row for path in sorted((DATA / "snapshot" / "en").rglob("*.events.jsonl")) for row in read_jsonl(path)]
    assert len(rows) > 500
    for row in rows:
        assert sources.event(row)["trigger"] is not None, row["trigger"]
    for path in sorted((DATA / "snapshot" / "en").rglob("*.entities.jsonl")):
        for ent in read_jsonl(path):
            rule = str(ent["rule"])
            if ent["label"] == "PROVINCE" or rule.startswith(("quantity.digits+", "quantity.words", "operation.alias")):
                assert sources.entity(ent["label"], ent["rule"], ent["norm"], ent["unit"]) is not None, ent


def test_explain_shows_where_each_rule_comes_from() -> None:
    result = CliRunner().invoke(app, ["explain", "Police in Yunnan seized a total of 94kg of opium.",
                                      "--published", "2019-06-21"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "provinces.yml:" in result.output and "provinces[32] = CN-YN" in result.output
    assert "verb_classes.seize[0] = seized" in result.output
    assert "kind.total_cues[0] = a total of" in result.output
