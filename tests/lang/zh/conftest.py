"""Fixtures of the Chinese grammar: the rules of configs/zh, validated once."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from pipeline.build import build_pipeline
from pipeline.grammar.zh.extract import ZhGrammar, zh_grammar

from ...helpers import CONFIG_ROOT

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def zh() -> ZhGrammar:
    return zh_grammar(str(CONFIG_ROOT / "zh"))


@pytest.fixture(scope="session")
def zh_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chinese pipeline freshly built from configs/zh (what `make model` does)."""
    path = tmp_path_factory.mktemp("model") / "crackdown-zh"
    build_pipeline(CONFIG_ROOT / "zh" / "config.cfg", CONFIG_ROOT / "zh", path)
    return path


@pytest.fixture(scope="session")
def zh_nlp(zh_model_dir: Path) -> Language:
    """The built Chinese pipeline loaded back with spacy.load."""
    return spacy.load(zh_model_dir)
