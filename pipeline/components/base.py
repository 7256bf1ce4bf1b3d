"""Shared lifecycle of rule-driven components: rules in at initialize(), out with to_disk()."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import Errors, ModelError
from ..rules import load_rules
from .batching import BatchPipe

RULES_FILE = "rules.json"


class RuleComponent(BatchPipe):
    """A component whose rules come from ``configs/`` once and then live in the pipeline.

    ``initialize(rules_dir=...)`` reads and validates the rule files and keeps the
    sections named in ``sections``; ``to_disk`` writes them next to the component,
    so a pipeline loaded with ``spacy.load`` needs nothing from ``configs/``.
    Subclasses compile what they need in ``setup`` and annotate in ``annotate``;
    ``nlp.pipe`` hands them documents a batch at a time (``BatchPipe``).
    """

    sections: tuple[str, ...] = ()

    def __init__(self, nlp: Language, name: str):
        self.nlp = nlp
        self.name = name
        self.data: dict[str, Any] | None = None

    # -- lifecycle ------------------------------------------------------------------
    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *,
                   nlp: Language | None = None, rules_dir: str = "configs/en") -> None:
        """Read the rule files of ``rules_dir`` (validated; every problem raised together)."""
        rules = self.read_rules(rules_dir)
        self.data = {section: getattr(rules, section).model_dump(mode="json", by_alias=True)
                     for section in self.sections}
        self.data["rules_hash"] = rules.hash
        self.setup()

    def read_rules(self, rules_dir: str) -> Any:
        """The validated rule set of ``rules_dir`` (a language's components read their own files)."""
        return load_rules(rules_dir)

    def setup(self) -> None:
        """Compile ``self.data`` into matchers; called after initialize and loading."""

    def __call__(self, doc: Doc) -> Doc:
        if self.data is None:
            raise ModelError(Errors.E011.format(name=self.name))
        return self.annotate(doc)

    def annotate(self, doc: Doc) -> Doc:
        raise NotImplementedError

    # -- serialisation ----------------------------------------------------------------
    def to_disk(self, path: "str | Path", *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / RULES_FILE, self.data)

    def from_disk(self, path: "str | Path", *, exclude: Iterable[str] = ()) -> "RuleComponent":
        self.data = srsly.read_json(Path(path) / RULES_FILE)
        self.setup()
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self.data).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "RuleComponent":
        self.data = srsly.json_loads(data.decode("utf-8"))
        self.setup()
        return self
