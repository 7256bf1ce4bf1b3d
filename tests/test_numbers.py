"""Number words and digits: a table of strings and the numbers in them, with offsets."""

from __future__ import annotations

import pytest

from pipeline.normalize import NumberParser, build_qualifier_table, number_atoms, parse_digits, qualifier_of
from pipeline.rules import load_rules

from .helpers import CONFIGS, PEER, read_jsonl

RULES = load_rules(CONFIGS)
PARSER = NumberParser(RULES.quantities.number_words)


def numbers(text: str):
    atoms = number_atoms(PARSER, text, 0, len(text))
    return [(text[n.start:n.end], round(n.value, 9)) for n in PARSER.parse(atoms)]


@pytest.mark.parametrize("text, expected", [
    ("1,313.2", 1313.2),
    ("2,589", 2589),
    (".08", 0.08),
    ("1 234 567", 1234567),
    ("40\u202f000", 40000),
    ("72.1", 72.1),
])
def test_parse_digits(text: str, expected: float) -> None:
    assert parse_digits(text) == pytest.approx(expected)


@pytest.mark.parametrize("text, expected", [
    ("three", [("three", 3)]),
    ("Three criminal cases", [("Three", 3)]),
    ("twenty-one", [("twenty-one", 21)]),
    ("two hundred", [("two hundred", 200)]),
    ("one hundred and sixty-one", [("one hundred and sixty-one", 161)]),
    ("1.2 million", [("1.2 million", 1_200_000)]),
    ("2.15 million drug users", [("2.15 million", 2_150_000)]),
    ("a hundred and two", [("a hundred and two", 102)]),
    ("3 million and a half", [("3 million and a half", 3_500_000)]),
    ("five and a half million", [("five and a half million", 5_500_000)]),
    ("half million", [("half million", 500_000)]),
    ("one billion and three quarters million", [("one billion and three quarters million", 1_000_750_000)]),
    ("two hundred point zero three", [("two hundred point zero three", 200.03)]),
    ("4000 3 hundred and 21", [("4000", 4000), ("3 hundred and 21", 321)]),
    ("3 hundred and 2 hundred", [("3 hundred", 300), ("2 hundred", 200)]),
    ("three-nought-four", [("three", 3), ("nought", 0), ("four", 4)]),
    ("minus five point five", [("minus five point five", -5.5)]),
    ("hundred", []),
    ("a", []),
])
def test_number_runs(text: str, expected) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize("phrase, expected", [
    (None, "exact"), ("more than", "more_than"), ("Over", "more_than"), ("about", "about"),
    ("some", "about"), ("nearly", "nearly"), ("up to", "less_than"), ("at least", "more_than"),
    ("close to", "nearly"), ("fewer than", "less_than"),
])
def test_qualifiers(phrase, expected: str) -> None:
    assert qualifier_of(phrase, build_qualifier_table(RULES.quantities)) == expected


NUMBER_CASES = [c for c in read_jsonl(PEER / "numbers.jsonl") if c["scope"] == "all"
                # Signs and the pronoun "one" are decided by the quantity grammar around the parser.
                and not any(x["text"].lstrip().startswith("-") for x in c["expected"])
                and " one " not in f" {c['text'].lower()} "]


@pytest.mark.parametrize("case", NUMBER_CASES, ids=[c["id"] for c in NUMBER_CASES])
def test_peer_numbers(case) -> None:
    """Recognizers-Text number cases: every number with its text and value."""
    expected = [(x["text"], round(x["value"], 9)) for x in case["expected"]]
    assert numbers(case["text"]) == expected
