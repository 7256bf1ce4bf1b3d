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
    W001 = ("{path} line {line}: 'published' is {value}, not an ISO date "
            "(YYYY-MM-DD); the document is kept and its dates resolve without a year.")
    W002 = "{path}: {count} document(s) failed; see {failures} for each one and why."
    W003 = ("{path} line {line}: document {doc_id!r} has the same text as {first!r}; "
            "it is processed once and counted as a duplicate.")
    W011 = ("{count} gold document(s) are not in {lang!r} (by their `lang` field, else their script) "
            "and are left out of `rules train --lang {lang}`: {examples}. Train them with their own --lang.")
    W012 = ("The compiled modules of crackdown were built from other sources than the package now "
            "holds ({changed}), so the source runs instead, slower. `make setup` compiles them again.")
    W010 = ("The pipeline at {path} was built from other rules than {rules} now holds (rules "
            "{built}, now {current}), so it runs the old rules. Rebuild it with `make model`, "
            "or add --rebuild to the command.")


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
    E009 = "{path} line {line}: expected a mapping of keys, got {kind}."
    E013 = ("{path} line {line}: no suffixes for pycountry type {kind!r} of {code}; add it under "
            "'suffixes' (an empty list is fine).")
    E014 = "{path} line {line}: noun phrase class {name!r} is not one of noun_classes: {expected}."
    E015 = "{path} line {line}: unknown key {key!r}{hint}"
    E016 = "{path} line {line}: missing key {key!r}"
    E017 = "{path} line {line}: {where}: {detail} (got {value!r})"
    E018 = "{code!r} is not an ISO 4217 currency code (e.g. 'CNY', 'USD')"
    E019 = "{name} must have the keys {first} to {last}, got {keys}"
    # Models
    E010 = ("No pipeline at {path}. Build it from the rule files with `make model` "
            "(or `crackdown rules build`), or pass the path of a built pipeline.")
    E011 = ("Component {name!r} has no rules: it was neither initialised from configs/ "
            "nor loaded from disk. Build the pipeline with `crackdown rules build`.")
    E012 = ("Component {name!r}: lexeme flag {flag} is already used by {other!r}; set "
            "another free bit (19-63) as its anchor_flag in configs/config.cfg.")
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
    E035 = ("The run's counts do not add up: {read} document(s) read, but {processed} processed + "
            "{failed} failed + {duplicate} duplicate. This is a bug; please report it with the inputs.")
    # Outputs
    E040 = "Unknown output format {fmt!r}; expected one of {expected}."
    E041 = ("{path} holds no crackdown output: expected events.parquet, events.jsonl, "
            "events.csv or an events/ dataset.")
    # Gold files
    E050 = ("{path} line {line}: gold document has no {field!r}; gold files follow "
            "the format of docs/event-schema.md.")
    # Damaged inputs (the run goes on)
    E060 = ("{path}: reading stopped at line {line}, the file is damaged ({detail}); the records "
            "before it are kept.")
    E061 = ("{path} line {line}: the line is over {limit:,} characters, more than a document "
            "under --max-chars needs; it is skipped unread.")
    E062 = ("{path} line {line}: bad CSV quoting ({detail}); the row is skipped. Quote fields that hold "
            "commas, quotes or line breaks, and double the quotes inside them.")
    E063 = "{path}: the file is empty (0 bytes)."
    E064 = "{path} line {line}: the row has {found} field(s), the header has {expected}; the row is skipped."
    E065 = "{path}: not a readable Parquet file ({detail})."
    E066 = ("{path}: row group {group} (rows {first:,} to {last:,}) cannot be read ({detail}); those "
            "rows are skipped, the other row groups are kept.")
    E067 = "{path}: cannot be read ({detail})."
    E068 = ("{path}: the file has {size:,} bytes, more than {limit:,} characters can take "
            "(--max-chars); split the document or raise the limit.")
    E069 = ("{path} line {line}: {field!r} holds a lone surrogate ({where}), which is not valid "
            "Unicode; fix the escape in the source.")
    # Faults of a corpus run (its output folder, its workers, its disk)
    E070 = ("{path} line {line}: document {doc_id!r} took more than {seconds:.3g} s, its time budget "
            "(--doc-timeout {timeout:g} s per 250,000 characters); it is skipped.")
    E071 = ("{path} line {line}: document {doc_id!r} ran past its time budget of {seconds:.3g} s "
            "(--doc-timeout) and did not stop when interrupted; its worker was stopped and the shard run "
            "again without it.")
    E072 = ("{path}: the disk is full ({detail}). The finished shards are kept: free some space and run "
            "the same command with --resume to continue.")
    E073 = ("Stopped by {signal}. The finished shards are kept in {path}: run the same command with "
            "--resume to continue.")
    E074 = ("{path}: cannot write ({detail}). The finished shards are kept: fix it and run the same "
            "command with --resume to continue.")
    E075 = "{path} is a file, not a folder; --output needs a folder (it is created if missing)."
    E076 = "{path}: cannot write the output folder ({detail}); choose another --output."
    E077 = ("{path} is in use by another crackdown run (pid {pid}); wait for it to finish, or choose "
            "another --output.")
    E078 = ("{path} holds shards of a run over other inputs or read options ({what}); run without "
            "--resume to start again, or use a new --output.")
    E079 = ("The pipeline at {path} changed during the run (rules {found}, the run started with "
            "{expected}); run again.")
    E080 = ("Cannot reach the Dask scheduler at {address} within {timeout:g} s ({detail}); check the "
            "address, or raise --connect-timeout.")
    E081 = ("A worker process (pid {pid}) died ({how}) while processing shard {index} (documents from "
            "{source} line {line}); that shard was lost. The finished shards are kept: run the same "
            "command with --resume to continue.")
    E082 = ("{path} is not a crackdown pipeline ({detail}); build one with `make model`, or pass "
            "--model the folder `crackdown rules build` wrote.")
    E083 = ("The worker processes could not be started, or all of them died ({detail}). The finished "
            "shards are kept: run the same command with --resume to continue.")
    E084 = ("The process that writes the final files and merges the facts (pid {pid}) died ({how}). The "
            "finished shards are kept: run the same command with --resume to continue.")
    # Usage: the command line and the Python API
    E090 = "{path} has no {role} column {field!r}; its columns are: {columns}. {fix}"
    E091 = "{value!r} is not a date; expected YYYY-MM-DD, e.g. 2019-06-21."
    E092 = ("{path}: no such file. Pass a sentence in quotes, or the path of an existing "
            "text file.")
    E093 = "Nothing to score: give --quantities FILE, --dates FILE, or both."
    E094 = "No document with id {ids} in {inputs}."
    E095 = "{count} documents: choose some with --id, or raise --limit."
    E096 = "{path} has no manifest.json: is it the output folder of `crackdown run`?"
    E097 = "Unexpected {kind}: {detail}. This is a bug; please report it with the command that shows it."
    E098 = ("expected a text, a record (dict), an iterable of them or a pandas DataFrame; "
            "got {kind}.")
    E099 = "pipeline.display draws in Jupyter and needs IPython: pip install 'crackdown[notebook]' ({detail})."


    # Languages: configs/<lang>/ mapped onto configs/shared/, and the choice of a pipeline
    E100 = ("{path} line {line}: {kind} {name!r} is not a canonical name of {home}; "
            "use one of its names ({expected}) or add it there first.")
    E101 = ("{path} line {line}: class {name!r} is not a {section} class of "
            "{home}; expected one of {expected}.")
    E102 = "{path} line {line}: {code!r} is not an ISO 4217 currency code (e.g. 'CNY', 'USD')."
    E103 = ("{path} line {line}: {form!r} is listed under both {first!r} and {second!r}; "
            "a form must name one thing.")
    E104 = "{path} line {line}: {name!r} is {problem}; expected {expected}."
    E105 = ("Unknown language {lang!r}; expected {expected}. A language is a folder "
            "configs/<lang>/ with a config.cfg (see the README, 'Adding a language').")
    E106 = ("No pipeline for language {lang!r} at {path}. Build it with `make model` "
            "(or `crackdown rules build --lang {lang}`).")
    E107 = "{path} line {line}: 'lang' is {value!r}; expected one of {expected}, or leave it out to detect it."
    E108 = ("The pipeline at {path} has no fact rules (facts/rules.json): it was built before "
            "configs/shared/facts.yml. Rebuild it with `make model` (or `crackdown rules build`).")
    E109 = ("`rules {command}` learns from how the English fact reader (crackdown_events) reads each "
            "quantity; {path}/config.cfg builds events with {factory!r}, which it cannot learn from. "
            "Edit that language's rule files by hand (`rules check --lang` validates them).")
    E110 = ("No gold document of {files} is in {lang!r} (by its `lang` field, else its script): "
            "`rules train --lang {lang}` has nothing to learn from. Give gold files in that language.")
    # Inputs


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


class StaleModelWarning(UserWarning):
    """The repository's pipeline was built from rules that have changed since (W010)."""


class CountError(CrackdownError):
    """A run's counts do not add up (E035): a document was lost or counted twice."""


class OutputError(CrackdownError):
    """An output location or format is not usable."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a rule file, with where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path} line {self.line}: "
        rest = self.message.partition("] ")[2]
        if self.message.startswith("[E") and rest.startswith(where):
            return self.message  # a catalogued message that already says where: once is enough
        return Errors.E002.format(path=self.path, line=self.line, message=self.message)
