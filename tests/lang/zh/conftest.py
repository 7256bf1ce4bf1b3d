"""Fixtures of the Chinese grammar: the rules of configs/zh, validated once."""

from __future__ import annotations

import pytest

from pipeline.grammar.zh.extract import ZhGrammar, zh_grammar

from ...helpers import CONFIGS


@pytest.fixture(scope="session")
def zh() -> ZhGrammar:
    return zh_grammar(str(CONFIGS / "zh"))
