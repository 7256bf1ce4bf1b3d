"""``crackdown rules check``: lint the rule files beyond what loading them validates.

Loading reports errors (bad keys, unknown codes, an alias naming two things).
The lint adds what is legal but probably wrong: an alias listed twice, a word
that two rules claim (a province name that is also an operation alias, a
trigger that is also a blocker), and, given gold files, rules that match
nothing in them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import RulesError
from .rules import RuleLoader, RuleSet, _line_map, line_of, load_rules, normalise_operation


@dataclass(frozen=True)
class Finding:
    """One lint result: ``error`` stops a build, ``warning`` and ``info`` do not."""

    level: str
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path} line {self.line}" if self.line else self.path
        return f"{self.level}: {where}: {self.message}"


def _unknown_campaigns(rules: RuleSet, rules_dir: Path) -> list[Finding]:
    """Drug campaigns of topic.yml that operations.yml does not name (they never match)."""
    path = rules_dir / "topic.yml"
    names = {o.name for o in rules.operations.operations}
    lines = _lines(path)
    return [Finding("warning", str(path), line_of(lines, ("drug_campaigns", i)),
                    f"drug campaign {name!r} is not a canonical name in operations.yml, so it is never a cue")
            for i, name in enumerate(rules.topic.drug_campaigns) if name not in names]


def _lines(path: Path) -> dict[tuple[Any, ...], int]:
    text = path.read_text(encoding="utf-8")
    yaml.load(text, Loader=RuleLoader)  # noqa: S506 - a SafeLoader subclass
    return _line_map(text)


def check_rules(rules_dir: "str | Path" = "configs/en", gold: Sequence["str | Path"] = ()) -> list[Finding]:
    """Every finding for the rules in ``rules_dir`` (errors first).

    A folder of another language than English is checked as its pipeline loads it:
    every component reads and validates its rule files (the lints are English ones).
    """
    rules_dir = Path(rules_dir)
    if (rules_dir / "config.cfg").is_file() and _lang_of(rules_dir / "config.cfg") != "en":
        from .build import build_pipeline

        try:
            build_pipeline(rules_dir / "config.cfg", rules_dir)
        except RulesError as exc:
            return [_finding(problem) for problem in exc.problems]
        return []
    try:
        rules = load_rules(rules_dir)
    except RulesError as exc:
        return [_finding(problem) for problem in exc.problems]
    findings: list[Finding] = []
    findings += _duplicates(rules, rules_dir)
    findings += _shadowing(rules, rules_dir)
    findings += _unknown_campaigns(rules, rules_dir)
    if gold:
        findings += _unused(rules, rules_dir, gold)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order[f.level], f.path, f.line))


def _lang_of(config: Path) -> str:
    import spacy

    return str(spacy.util.load_config(config)["nlp"]["lang"])


GENERIC_CODE = "E002"  # "a problem in a rule file": the finding's "error:" says as much
PROBLEM_RE = re.compile(r"\[(?P<code>[EW]\d+)\] (?P<path>\S+?) line (?P<line>\d+): (?P<message>.*)", re.DOTALL)


def _finding(problem: str) -> Finding:
    """An error of loading as a finding: its file and line once, then its message (with its
    own code when it has one: E002 only says "a problem in a rule file")."""
    m = PROBLEM_RE.match(problem)
    if m is None:
        return Finding("error", "", 0, problem)
    message = m["message"]
    inner = re.match(r"\[[EW]\d+\] ", message)
    if inner is not None:  # "[E002] f line 3: [E001] f is not valid YAML" -> "[E001] is not valid YAML"
        rest = message[inner.end():]
        message = inner.group() + (rest[len(m["path"]) + 1:] if rest.startswith(m["path"] + " ") else rest)
    elif m["code"] != GENERIC_CODE:
        message = f"[{m['code']}] {message}"
    return Finding("error", m["path"], int(m["line"]), message)


def _duplicates(rules: RuleSet, rules_dir: Path) -> list[Finding]:
    out = []
    path = rules_dir / "operations.yml"
    lines = _lines(path)
    for i, op in enumerate(rules.operations.operations):
        seen: set[str] = set()
        for alias in op.aliases:
            key = normalise_operation(alias, rules.operations.operation_words)
            if key in seen:
                out.append(Finding("warning", str(path), line_of(lines, ("operations", i)),
                                   f"operation {op.name!r}: alias {alias!r} repeats another alias "
                                   f"(same name once quotes, case and operation words are removed)"))
            seen.add(key)
    path = rules_dir / "provinces.yml"
    lines = _lines(path)
    for i, province in enumerate(rules.provinces.provinces):
        forms = [f.lower() for f in province.names + province.aliases]
        for form in sorted({f for f in forms if forms.count(f) > 1}):
            out.append(Finding("warning", str(path), line_of(lines, ("provinces", i)),
                               f"{province.code}: {form!r} is listed more than once"))
    path = rules_dir / "events.yml"
    lines = _lines(path)
    owner: dict[str, list[str]] = defaultdict(list)
    for cls, words in rules.events.noun_classes.items():
        for word in words:
            owner[word.lower()].append(cls)
    for word, classes in sorted(owner.items()):
        if len(classes) > 1:
            out.append(Finding("warning", str(path), line_of(lines, ("noun_classes", classes[1])),
                               f"noun {word!r} is in two classes ({', '.join(classes)}); the first wins"))
    return out


def _shadowing(rules: RuleSet, rules_dir: Path) -> list[Finding]:
    """Words two rules of different labels or roles both claim."""
    out = []
    provinces = {f.lower(): p.code for p in rules.provinces.provinces for f in p.names + p.aliases}
    ops_path = rules_dir / "operations.yml"
    lines = _lines(ops_path)
    for i, op in enumerate(rules.operations.operations):
        for alias in [op.name] + op.aliases:
            if alias.lower() in provinces:
                out.append(Finding("warning", str(ops_path), line_of(lines, ("operations", i)),
                                   f"operation alias {alias!r} is also the province {provinces[alias.lower()]}; "
                                   "the operation wins where both match"))
    events_path = rules_dir / "events.yml"
    lines = _lines(events_path)
    triggers = {w.lower(): cls for cls, words in rules.events.verb_classes.items() for w in words}
    for i, word in enumerate(rules.events.blockers):
        if word.lower() in triggers:
            out.append(Finding("warning", str(events_path), line_of(lines, ("blockers", i)),
                               f"blocker {word!r} is also a {triggers[word.lower()]} trigger; "
                               "it will block the events it should find"))
    units = {f.lower() for u in rules.quantities.units for f in u.forms}
    drugs_path = rules_dir / "drugs.yml"
    lines = _lines(drugs_path)
    for canonical, forms in rules.drugs.drugs.items():
        for form in forms:
            if form.lower() in units:
                out.append(Finding("warning", str(drugs_path), line_of(lines, ("drugs", canonical)),
                                   f"drug name {form!r} is also a unit"))
    return out


def _unused(rules: RuleSet, rules_dir: Path, gold: Sequence["str | Path"]) -> list[Finding]:
    """Aliases and drug names that occur in none of the gold texts (a hint, not an error)."""
    from .scoring import read_gold

    texts = " \n ".join(g.record.text.lower() for path in gold for g in read_gold(path))
    out = []

    def absent(form: str) -> bool:
        # a plural counts: "cluster crackdowns" is a match of the alias "cluster crackdown"
        return re.search(rf"(?<![\w-]){re.escape(form.lower())}(?:e?s)?(?![\w-])", texts) is None

    path = rules_dir / "operations.yml"
    lines = _lines(path)
    for i, op in enumerate(rules.operations.operations):
        if all(absent(a) for a in [op.name] + op.aliases):
            out.append(Finding("info", str(path), line_of(lines, ("operations", i)),
                               f"operation {op.name!r} matches nothing in the gold files"))
    path = rules_dir / "drugs.yml"
    lines = _lines(path)
    for canonical, forms in rules.drugs.drugs.items():
        if all(absent(f) for f in forms):
            out.append(Finding("info", str(path), line_of(lines, ("drugs", canonical)),
                               f"drug {canonical!r} matches nothing in the gold files"))
    return out
