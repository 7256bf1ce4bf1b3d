"""FirstCharIndex: an alternation tried with only the alternatives that can start at a
character matches exactly what the full alternation matches."""

from __future__ import annotations

import json

import pytest

from pipeline.grammar.en.dates import DateGrammar
from pipeline.grammar.firsts import FirstCharIndex, first_chars
from pipeline.rules import load_rules

from .helpers import CONFIGS, ROOT

GRAMMAR = DateGrammar(load_rules(CONFIGS).dates, load_rules(CONFIGS).quantities.number_words)


@pytest.mark.parametrize("pattern, expected", [
    (r"(?<![\w])(?:the\s+)?year", set("ty")),  # a lookbehind is zero-width; an optional word is skipped
    (r"(?:[12]\d|3[01]|0?[1-9])th", set("0123456789")),
    (r"\d{4}", set("0123456789")),  # \d by its ASCII digits
    (r"(?:May|june)\b", set("mj")),  # lower-cased: the alternations are case-insensitive
    (r"a?", None),  # can match nothing: any character
    (r"[^a]b", None),  # a negated set
    (r"\u212aelvin", None),  # the Kelvin sign folds onto "k": not an ASCII start
    (r"(a)\1", set("a")),
])
def test_first_chars(pattern, expected):
    found = first_chars(pattern)
    assert (set(found) if found is not None else None) == expected


def _texts() -> list[str]:
    texts = ["Kelvin ſeized 5 kg on May 3, 2019 and the \u212aelvin case", "", "2019-20 mid-2020 the 1990s ١٢٣٤"]
    for name in ("seed", "news", "news2", "offtopic"):
        path = ROOT / "data" / "gold" / f"{name}.jsonl"
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def test_the_date_alternation_matches_as_the_full_one_at_every_position():
    index = GRAMMAR._combined
    assert isinstance(index, FirstCharIndex)
    for text in _texts():
        for pos in range(len(text) + 1):
            full, quick = index.full.match(text, pos), index.match(text, pos)
            assert (full and (full.span(), full.lastgroup)) == (quick and (quick.span(), quick.lastgroup)), \
                (text[pos:pos + 30], pos)


@pytest.mark.parametrize("text, expected", [
    ("K9", ("kelvin", (0, 2))),
    ("\u212a9", ("kelvin", (0, 2))),  # Kelvin sign: not ASCII, tried with every alternative
    ("ſ1", ("s", (0, 2))),  # the long s folds onto "s"
    ("x1", None),
])
def test_non_ascii_characters_use_the_full_alternation(text, expected):
    index = FirstCharIndex([("kelvin", r"k\d"), ("s", r"s\d")])
    m = index.match(text, 0)
    assert (m and (m.lastgroup, m.span())) == expected
