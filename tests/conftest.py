"""Shared fixtures: the pipeline built from configs/ into a temporary folder, then spacy.load-ed."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path
from typing import Any

import pytest
import spacy

from pipeline.build import build_pipeline

from .helpers import CONFIGS, GOLD, copy_configs, read_jsonl


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


@pytest.fixture
def checkout(model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's configs/ and models/crackdown, as the default location."""
    root = tmp_path / "repo"
    copy_configs(root / "configs")
    shutil.copytree(model_dir, root / "models" / "crackdown")
    monkeypatch.setattr(importlib.import_module("pipeline.annotate"), "DEFAULT_MODEL", root / "models" / "crackdown")
    monkeypatch.delenv("CRACKDOWN_MODEL", raising=False)
    return root
