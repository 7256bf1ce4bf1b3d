"""The vocabularies every language shares, read from ``configs/shared/``.

Event classes and the type table, canonical operation and drug names, province codes
and the rules that merge mentions into facts are the same whatever the language of the text: each language's rule folder
(``configs/en/``, ``configs/zh/``) only maps its surface forms onto them, and its
loader checks that every name it maps to is declared here (E100, E101).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pycountry
from pydantic import BaseModel, ConfigDict, Field

from .errors import Errors, Problem, RulesError
from .schema import EVENT_TYPES, EventUnit

SHARED_DIR = "shared"
SHARED_FILES = ("events.yml", "operations.yml", "drugs.yml", "provinces.yml", "facts.yml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EventTypeRule(_Strict):
    """Which noun and predicate classes make an event type, and for which units."""

    nouns: list[str] = Field(min_length=1)
    verbs: list[str] = Field(min_length=1)
    units: list[EventUnit] = Field(min_length=1)
    default_item: str | None = None  # set from the language's `default_items` when loaded
    names_drug: bool = False  # the `drug` column names what was counted (seizures, drug cases)


class SharedEventsFile(_Strict):
    noun_classes: list[str] = Field(min_length=1)
    verb_classes: list[str] = Field(min_length=1)
    types: dict[str, EventTypeRule] = Field(min_length=1)


class SharedOperationsFile(_Strict):
    operations: list[str] = Field(min_length=1)


class SharedDrugsFile(_Strict):
    drugs: list[str] = Field(min_length=1)


class SharedProvincesFile(_Strict):
    provinces: list[str] = Field(min_length=1)


FactAttribute = Literal["provinces", "drug", "operation", "period_start", "period_end", "kind", "scope", "item"]
SeriesField = Literal["event_type", "unit", "provinces", "operation", "drug", "period_start", "period_end", "scope"]


class FactValueRule(_Strict):
    """When two values are one figure: equal to ``equal``, or one the other rounded (``rounded``)."""

    equal: float = Field(default=0.001, ge=0, lt=0.5)
    rounded: float = Field(default=0.1, ge=0, lt=0.5)


class FactDocumentsRule(_Strict):
    """When mentions in two documents are one fact: publication window and corroboration."""

    window_days: int = Field(default=7, ge=0)
    dated_window_days: int = Field(default=730, ge=0)
    incident_days: int = Field(default=31, ge=0)
    specific_digits: int = Field(default=3, ge=1)
    shared_figures: int = Field(default=2, ge=1)
    rounded: bool = False
    rounded_digits: int = Field(default=2, ge=1, le=15)
    candidates: int = Field(default=16, ge=1)


class FactsFile(_Strict):
    """How mentions (event rows) merge into facts (docs/event-schema.md, "Facts")."""

    value: FactValueRule = FactValueRule()
    block: list[FactAttribute] = ["provinces", "drug", "operation", "period_start", "period_end"]
    block_when_rounded: list[FactAttribute] = ["kind", "drug"]
    rounded_may_name: list[FactAttribute] = []
    same_sentence: bool = False
    periods_nest: bool = False
    documents: FactDocumentsRule = FactDocumentsRule()
    series: list[SeriesField] = Field(
        default=["event_type", "unit", "provinces", "operation", "drug", "period_start"], min_length=1)


class SharedRules(BaseModel):
    """The shared vocabularies, validated, with a hash of their bytes."""

    model_config = ConfigDict(extra="forbid")

    events: SharedEventsFile
    operations: SharedOperationsFile
    drugs: SharedDrugsFile
    provinces: SharedProvincesFile
    facts: FactsFile  # how mentions merge into facts: language-free
    hash: str = ""
    source: str = ""


SHARED_MODELS: dict[str, type[_Strict]] = {
    "events.yml": SharedEventsFile,
    "operations.yml": SharedOperationsFile,
    "drugs.yml": SharedDrugsFile,
    "provinces.yml": SharedProvincesFile,
    "facts.yml": FactsFile,
}


def shared_dir(language_dir: "str | Path") -> Path:
    """The shared folder beside a language's rule folder (``configs/en`` -> ``configs/shared``)."""
    return Path(language_dir).resolve().parent / SHARED_DIR


def shared_hash(directory: Path) -> str:
    """sha256 over the shared files' names and bytes."""
    digest = hashlib.sha256()
    for name in SHARED_FILES:
        path = directory / name
        if path.exists():
            digest.update(f"{SHARED_DIR}/{name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_shared(directory: "str | Path") -> SharedRules:
    """Read and validate ``configs/shared`` (RulesError lists every problem with file and line)."""
    directory = Path(directory).resolve()
    return _load_cached(str(directory), shared_hash(directory))


@lru_cache(maxsize=8)
def _load_cached(directory_str: str, digest: str) -> SharedRules:
    from .rules import line_of, parse_rule_dir  # the YAML reading of every rule file

    directory = Path(directory_str)
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    for name, path, rules, lines in parse_rule_dir(directory, SHARED_MODELS, SHARED_FILES, problems):
        if isinstance(rules, SharedEventsFile):
            _check_types(path, rules, lines, problems, line_of)
        elif isinstance(rules, SharedProvincesFile):
            known = {s.code for s in pycountry.subdivisions.get(country_code="CN")}
            for i, code in enumerate(rules.provinces):
                if code not in known:
                    line = line_of(lines, ("provinces", i))
                    problems.append(Problem(str(path), line, Errors.E003.format(path=path, line=line, code=code)))
        parsed[name.split(".")[0]] = rules
    if problems:
        raise RulesError(str(p) for p in problems)
    return SharedRules(hash=digest, source=str(directory), **parsed)


def _check_types(path: Path, rules: SharedEventsFile, lines: dict, problems: list[Problem], line_of: Any) -> None:
    for name, rule in rules.types.items():
        line = line_of(lines, ("types", name))
        if name not in EVENT_TYPES:
            problems.append(Problem(str(path), line, Errors.E007.format(
                path=path, line=line, name=name, expected=", ".join(EVENT_TYPES))))
        for noun in rule.nouns:
            if noun != "none" and noun not in rules.noun_classes:
                problems.append(Problem(str(path), line, Errors.E008.format(
                    path=path, line=line, name=noun, type_=name, section="noun_classes")))
        for verb in rule.verbs:
            if verb not in rules.verb_classes:
                problems.append(Problem(str(path), line, Errors.E008.format(
                    path=path, line=line, name=verb, type_=name, section="verb_classes")))


def check_names(path: Path, line: int, kind: str, name: str, known: list[str], home: str,
                problems: list[Problem]) -> None:
    """A problem (E100) unless ``name`` is one of the shared ``known`` names."""
    if name not in known:
        problems.append(Problem(str(path), line, Errors.E100.format(
            path=path, line=line, kind=kind, name=name, home=home, expected=", ".join(known))))


def check_classes(path: Path, line: int, section: str, name: str, known: list[str],
                  problems: list[Problem]) -> None:
    """A problem (E101) unless ``name`` is a shared noun or verb class."""
    if name not in known:
        problems.append(Problem(str(path), line, Errors.E101.format(
            path=path, line=line, name=name, section=section, home=f"{SHARED_DIR}/events.yml",
            expected=", ".join(known))))
