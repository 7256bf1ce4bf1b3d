"""Assemble the pipeline from ``configs/`` and save it into ``models/``.

``models/`` is a build product: ``build_pipeline`` reproduces it from the spaCy
config and the rule files, deterministically (building twice gives identical
files), and the result loads with ``spacy.load`` without ``configs/``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .about import __version__
from .rules import files_hash

DEFAULT_CONFIG = Path("configs") / "en" / "config.cfg"
MODEL_NAME = "crackdown"


def build_pipeline(config_path: "str | Path" = DEFAULT_CONFIG, rules_dir: "str | Path | None" = None,
                   output: "str | Path | None" = None) -> Language:
    """Build (and optionally save) the pipeline: config + rule files -> initialised Language.

    ``rules_dir`` defaults to the folder holding ``config_path``. Each component
    validates its rule files in ``nlp.initialize()``, before anything is saved, so a
    broken file never builds a model (RulesError lists all).
    """
    config_path = Path(config_path)
    rules_dir = Path(rules_dir) if rules_dir is not None else config_path.parent
    rules_hash = files_hash(rules_dir)  # the components validate the files in nlp.initialize()
    config = spacy.util.load_config(config_path, overrides={"paths.rules": str(rules_dir)})
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    # Record the rules' origin as the portable default, not this machine's path.
    nlp.config["paths"]["rules"] = str(Path("configs") / rules_dir.name)
    nlp.meta.update({
        "name": MODEL_NAME if nlp.lang == "en" else f"{MODEL_NAME}-{nlp.lang}",
        "version": __version__,
        "description": f"Rule-based extraction of anti-drug enforcement events from news ({nlp.lang}).",
        "license": "MIT",
        "author": "crackdown contributors",
        "rules_hash": rules_hash,
        "rules_version": __version__,
    })
    if output is not None:
        save(nlp, Path(output))
    return nlp


def save(nlp: Language, output: Path) -> None:
    """Write the pipeline to ``output`` whole: into a fresh folder that then replaces the old
    one, so no file of an earlier build survives and a failed write leaves the old model."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        nlp.to_disk(fresh)
        if output.exists():
            shutil.rmtree(output)
        fresh.rename(output)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh)
