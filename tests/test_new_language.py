"""Adding a language is files added, no module edited: a toy German pipeline from configs alone.

The README's "Adding a language" lists the files; this test writes them into a copy of
configs/ (the English rule files with German words added, and a config.cfg naming
the same components on spacy.blank("de")), builds the pipeline with the ordinary
build, loads it with spacy.load and routes a document to it by its ``lang`` field.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import spacy
import yaml

import pipeline
from pipeline.build import build_pipeline
from pipeline.languages import configured
from pipeline.routing import Router
from pipeline.rules import RuleLoader

from .helpers import copy_configs

GERMAN = {
    "events.yml": {"verb_classes": {"seize": ["beschlagnahmte", "beschlagnahmt"], "arrest": ["verhaftete"]},
                   "noun_classes": {"person": ["verdächtige", "tatverdächtige"]}},
    "topic.yml": {"drug_cues": ["rauschgift"]},
}


def _german(root: Path) -> Path:
    """configs/de: the English files with German words added, and a config.cfg for blank "de"."""
    english = copy_configs(root)
    german = root / "de"
    german.mkdir()
    for path in english.glob("*.yml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=RuleLoader)  # noqa: S506 - a SafeLoader
        for section, additions in GERMAN.get(path.name, {}).items():
            if isinstance(additions, dict):
                for cls, words in additions.items():
                    data[section][cls] = list(data[section][cls]) + words
            else:
                data[section] = list(data[section]) + additions
        (german / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    config = (english / "config.cfg").read_text(encoding="utf-8")
    (german / "config.cfg").write_text(config.replace('lang = "en"', 'lang = "de"')
                                       .replace('rules = "configs/en"', f'rules = "{german}"'), encoding="utf-8")
    return german


def test_a_toy_language_from_configs_alone(tmp_path: Path) -> None:
    german = _german(tmp_path / "configs")
    assert configured(tmp_path / "configs") == ["en", "de", "zh"]
    build_pipeline(german / "config.cfg", german, tmp_path / "models" / "crackdown-de")
    nlp = spacy.load(tmp_path / "models" / "crackdown-de")
    assert nlp.lang == "de"
    router = Router({"de": lambda: nlp}, "auto")
    text = "Die Polizei in Yunnan beschlagnahmte 94 kg Heroin und verhaftete 3 Verdächtige."
    events = pipeline.extract([{"id": "de-1", "text": text, "lang": "de"}], router)
    rows = [(r.event_type, r.value, r.unit, None if r.drug is pd.NA else r.drug, list(r.provinces), r.lang)
            for r in events.itertuples()]
    assert rows == [("drug_seizure", 94.0, "kg", "heroin", ["CN-YN"], "de"),
                    ("arrest", 3.0, "count", None, ["CN-YN"], "de")]
