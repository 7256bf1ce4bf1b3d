"""Shared fixtures: the pipeline built from configs/ into a temporary folder, then spacy.load-ed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy

from pipeline.build import build_pipeline

from .helpers import CONFIGS, GOLD, read_jsonl


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pipeline freshly built from configs/ (what `make model` does)."""
    path = tmp_path_factory.mktemp("model") / "crackdown"
    build_pipeline(CONFIGS / "config.cfg", CONFIGS, path)
    return path


@pytest.fixture(scope="session")
def nlp(model_dir: Path) -> spacy.language.Language:
    """The built pipeline loaded back with spacy.load (the round trip every user makes)."""
    return spacy.load(model_dir)


@pytest.fixture(scope="session")
def gold_docs() -> list[dict[str, Any]]:
    return read_jsonl(GOLD / "seed.jsonl") + read_jsonl(GOLD / "news.jsonl")
