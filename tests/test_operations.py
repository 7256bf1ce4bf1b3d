"""OPERATION: known aliases by match policy, unseen names by the general rules, generic phrases not."""

from __future__ import annotations

import pytest

from pipeline.grammar.en.operations import OperationGrammar
from pipeline.rules import load_rules

from .helpers import CONFIGS

GRAMMAR = OperationGrammar(load_rules(CONFIGS).operations)


def operations(text: str):
    return [(text[m.start:m.end], m.name) for m in GRAMMAR.find(text)]


@pytest.mark.parametrize("text, expected", [
    ('the launch of the "Hundred Days Action" to crack down', [("Hundred Days Action", "Hundred Days Action")]),
    ("during the Hundred Days Action, police", [("Hundred Days Action", "Hundred Days Action")]),
    ('deepen the "clean border" operation', [("clean border", "Clean Border")]),
    ('the Clean Border 2021 operation', [("Clean Border", "Clean Border")]),
    ('promote the "eradication" action', [("eradication", "Eradication")]),
    ('the "Thunder Operations" against drug crime', [("Thunder Operations", "Thunder")]),
    ("launched Operation Thunder in May", [("Operation Thunder", "Thunder")]),
    ('the anti-drug operation in the delivery logistics was carried out',
     [("anti-drug operation in the delivery logistics", "Delivery Logistics Anti-Drug Action")]),
    # names the config does not know
    ('police launched the "Spring Breeze" campaign', [("Spring Breeze", "Spring Breeze")]),
    ('the "net sweep" action continued', [("net sweep", "Net Sweep")]),
    ("launched Operation Mountain Eagle last week", [("Operation Mountain Eagle", "Mountain Eagle")]),
    ("a provincial Strike Hard Campaign began", [("Strike Hard Campaign", "Strike Hard")]),
    ("During the Hundred Days Action, police", [("Hundred Days Action", "Hundred Days Action")]),
    ("During Hundred Days Action police", [("Hundred Days Action", "Hundred Days Action")]),
    # not operations
    ("police launched cluster crackdowns to wipe out networks", []),
    ("a special operation against trafficking", []),
    ('carried out "drug driving" control', []),
    ('focused on rectifying "black warehouses"', []),
    ("eradication of poppy fields", []),
    ("The Campaign Was A Success In Yunnan Province Today", []),
])
def test_operations(text: str, expected) -> None:
    assert operations(text) == expected
