"""The error catalogue: every message crackdown raises or warns with, each with a code.

Messages say what was expected, show the bad value and give the fix, so that a
user can act on them and a test can match the code (``match=r"\\[E003\\]"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class _Coded(type):
    """Prefix every message attribute with its code: ``Errors.E001`` -> ``"[E001] ..."``."""

    def __getattribute__(cls, name: str) -> str:
        value = type.__getattribute__(cls, name)
        if name[:1] in ("E", "W") and name[1:].isdigit():
            return f"[{name}] {value}"
        return value


class Warnings(metaclass=_Coded):
    W001 = ("{path} line {line}: 'published' is {value!r}, not an ISO date "
            "(YYYY-MM-DD); the document is kept and its dates resolve without a year.")
    W002 = "{path}: {count} document(s) failed; see {failures} for each one and why."
    W003 = ("{path} line {line}: document {doc_id!r} has the same text as {first!r}; "
            "it is processed once and counted as a duplicate.")


class Errors(metaclass=_Coded):
    # Rule files (configs/)
    E001 = "{path} is not valid YAML: {detail}. Fix the syntax at the position shown."
    E002 = "{path} line {line}: {message}"
    E003 = ("{path} line {line}: unknown ISO 3166-2 code {code!r} for China; expected "
            "one of the codes pycountry ships, e.g. 'CN-YN' for Yunnan.")
    E004 = ("{path} line {line}: alias {alias!r} maps to {first!r} and to {second!r}; "
            "an alias must name one thing. Remove it from one of them.")
    E005 = "Rule directory {path} has no {name}; expected the rule files {expected}."
    E006 = "{count} problem(s) in the rule files:\n{problems}"
    E007 = ("{path} line {line}: event type {name!r} is not in the schema; expected one "
            "of {expected}.")
    E008 = ("{path} line {line}: class {name!r} is used by type {type_!r} but not defined "
            "under {section}; define it or remove it from the type.")
    # Models
    E010 = ("No pipeline at {path}. Build it from the rule files with `make model` "
            "(or `crackdown rules build`), or pass the path of a built pipeline.")
    E011 = ("Component {name!r} has no rules: it was neither initialised from configs/ "
            "nor loaded from disk. Build the pipeline with `crackdown rules build`.")
    E012 = ("Component {name!r}: lexeme flag {flag} is already used by {other!r}; set "
            "another free bit (19-63) as its anchor_flag in configs/config.cfg.")
    E016 = ("The pipeline at {path} has no fact rules (facts/rules.json): it was built before "
            "configs/facts.yml. Rebuild it with `make model` (or `crackdown rules build`).")
    # Inputs
    E020 = "{path} line {line}: not valid JSON ({detail}). Each line must be one JSON object."
    E021 = "{path} line {line}: expected a JSON object, got {kind}."
    E022 = "{path} line {line}: 'text' is {problem}; every document needs non-empty text."
    E023 = "{path}: not valid UTF-8 ({detail}). Re-encode the file as UTF-8."
    E024 = "{path}: looks like a binary file, not text."
    E025 = ("{path} line {line}: the text has {chars:,} characters, over the limit of "
            "{limit:,} (--max-chars); split the document or raise the limit.")
    E026 = ("{path} line {line}: document id {doc_id!r} was already used at line {first}; "
            "ids must be unique.")
    E027 = ("{path}: unsupported input type; expected .jsonl, .jsonl.gz, .json, .txt, "
            ".csv, .parquet or a folder of .txt files.")
    E028 = "{path}: no such file or folder."
    E029 = "{path} line {line}: field {field!r} is missing; expected columns include {expected}."
    E030 = "{path} line {line}: 'id' is {problem}; ids must be non-empty strings or numbers."
    E031 = ("{path} line {line}: document {doc_id!r} failed in the pipeline: {detail}. "
            "It is kept in failures.jsonl; please report it with that record.")
    E032 = ("{path} holds shards of a different run (pipeline {found}, expected {expected}); "
            "use a new --output folder or drop --resume.")
    E033 = "Unknown engine {engine!r}; expected 'local' or 'dask'."
    E034 = "The dask engine needs the optional extra: pip install 'crackdown[dask]' ({detail})."
    # Outputs
    E040 = "Unknown output format {fmt!r}; expected one of {expected}."
    E041 = ("{path} holds no crackdown output: expected events.parquet, events.jsonl, "
            "events.csv or an events/ dataset.")
    # Gold files
    E050 = ("{path} line {line}: gold document has no {field!r}; gold files follow "
            "the format of docs/event-schema.md.")


class CrackdownError(Exception):
    """Base class for errors a user can act on."""


class RulesError(CrackdownError):
    """One or more rule files are invalid; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        listing = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(Errors.E006.format(count=len(self.problems), problems=listing))


class ModelError(CrackdownError):
    """The pipeline cannot be loaded or is not initialised."""


class InputError(CrackdownError):
    """A document cannot be read; the message names the file and line."""

    def __init__(self, message: str, *, path: str = "", line: int = 0, record: object = None):
        super().__init__(message)
        self.path = path
        self.line = line
        self.record = record


class OutputError(CrackdownError):
    """An output location or format is not usable."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a rule file, with where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return Errors.E002.format(path=self.path, line=self.line, message=self.message)
