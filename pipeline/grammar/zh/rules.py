"""Read and validate the Chinese rule files in ``configs/zh/``.

Each file is parsed into pydantic models that forbid unknown keys (the YAML
reading, line numbers and error collection of ``pipeline.rules``), then checked
against the shared vocabularies it maps onto: ISO codes (pycountry), canonical
operation and drug names (``configs/operations.yml``, ``configs/drugs.yml``) and
the noun and verb classes of ``configs/events.yml``. Every problem is reported
at once with its file and line.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pycountry
from pydantic import BaseModel, ConfigDict, Field

from ...errors import Errors, Problem, RulesError
from ...rules import ProvinceRule, ProvincesFile, _Strict, line_of, parse_rule_dir
from ...shared import SharedEventsFile, check_classes, check_names, load_shared, shared_dir, shared_hash

SHARED_EVENTS = "configs/shared/events.yml"
ZH_RULE_FILES = ("provinces.yml", "operations.yml", "drugs.yml", "quantities.yml",
                 "dates.yml", "events.yml")


# --- provinces.yml: the English file's shape (an ISO code, names that take a suffix, aliases
# that do not), with Chinese names -----------------------------------------------
ZhProvinceRule = ProvinceRule
ZhProvincesFile = ProvincesFile


# --- operations.yml --------------------------------------------------------------
class ZhOperationRule(_Strict):
    """Chinese surface forms of one canonical (English) campaign name."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(min_length=1)
    match: Literal["anywhere", "quoted"] = "anywhere"


class ZhOperationsFile(_Strict):
    operation_words: list[str] = []
    operation_word_links: list[str] = []
    operations: list[ZhOperationRule] = []


# --- drugs.yml -------------------------------------------------------------------
class ZhDrugsFile(_Strict):
    drugs: dict[str, list[str]]
    anaphors: list[str] = []


# --- quantities.yml --------------------------------------------------------------
class ZhNumbers(_Strict):
    digits: str = Field(min_length=10)
    multipliers: str = Field(min_length=2)
    point: list[str] = []
    negative: list[str] = []
    words: dict[str, float] = {}
    not_numbers: list[str] = []
    ambiguous: list[str] = []
    # a lone multiplier (百, 千, 万) right after one of `lone_multiplier_after` is a round number
    # (近百名, 逾千人), not after one of `lone_multiplier_not_after` (最近, 附近)
    lone_multipliers: list[str] = []
    lone_multiplier_after: list[str] = []
    lone_multiplier_not_after: list[str] = []
    # ... or before one of `lone_multiplier_before` (百余名, 千多人)
    lone_multiplier_before: list[str] = []
    # units written with a multiplier first (千克): after a numeral the multiplier is the unit's
    # ("二十七千克" is 27 kg; cn2an reads no "二十七千")
    multiplier_led_units: list[str] = []


class ZhUnitRule(_Strict):
    unit: Literal["kg", "l", "percent"]
    factor: float = Field(gt=0)
    forms: list[str] = Field(min_length=1)


class ZhCurrencyRule(_Strict):
    code: str
    prefixes: list[str] = []
    suffixes: list[str] = []


QualifierName = Literal["more_than", "less_than", "about", "nearly"]


class ZhQuantitiesFile(_Strict):
    numbers: ZhNumbers
    units: list[ZhUnitRule] = Field(min_length=1)
    unit_not_before: dict[str, list[str]] = {}
    half: str = "半"
    percent_prefixes: list[str] = []
    currencies: list[ZhCurrencyRule] = []
    classifiers: list[str] = Field(min_length=1)
    classifier_not_before: dict[str, list[str]] = {}
    article_numerals: list[str] = []
    article_count_before: list[str] = []
    article_not_after: list[str] = []
    article_count_nouns: dict[str, list[str]] = {}
    qualifiers: dict[QualifierName, list[str]] = {}
    qualifiers_after: dict[QualifierName, list[str]] = {}
    inside_more_than: list[str] = []
    not_quantity_after: list[str] = []
    not_quantity_before: list[str] = []
    bare_count_multipliers: list[str] = []


# --- dates.yml -------------------------------------------------------------------
class ZhDateAffixes(_Strict):
    since: list[str] = []
    as_of: list[str] = []
    after: list[str] = []
    before: list[str] = []
    until: list[str] = []
    from_: list[str] = Field(default=[], alias="from")


class ZhDatesFile(_Strict):
    relative_years: dict[str, int] = {}
    relative_months: dict[str, int] = {}
    relative_weeks: dict[str, int] = {}
    relative_days: dict[str, int] = {}
    anaphoric_days: dict[str, int] = {}
    weekday_words: list[str] = []
    weekday_names: dict[str, int] = {}
    weekday_which: dict[str, Literal["last", "last2", "next", "next2", "this"]] = {}
    parts: dict[str, tuple[int, int]] = {}
    edges: dict[str, Literal["end_of", "start_of", "early", "middle", "late"]] = {}
    month_edges: list[str] = []
    range_joiners: list[str] = []
    paired_joiners: list[str] = []
    range_prefixes: list[str] = []
    range_suffixes: list[str] = []
    prefixes: ZhDateAffixes = ZhDateAffixes()
    suffixes: ZhDateAffixes = ZhDateAffixes()
    clause_since: list[str] = []
    clause_since_not_across: list[str] = []
    sentence_since: list[str] = []
    vague: list[str] = []
    first_months_prefixes: list[str] = ["前"]
    first_months_not_after: list[str] = []
    rolling_prefix: str = "近"
    two_digit_year_pivot: int = Field(default=50, ge=0, le=99)
    year_range: tuple[int, int] = (1600, 2099)


# --- events.yml ------------------------------------------------------------------
class ZhEventsFile(_Strict):
    noun_classes: dict[str, list[str]]
    classifier_classes: dict[str, str] = {}
    classifier_wins: list[str] = []
    classifier_nouns: dict[str, list[str]] = {}
    predicate_noun_defaults: dict[str, str] = {}
    verb_classes: dict[str, list[str]]
    clause_predicates: list[str] = []
    implied_nouns: dict[str, str] = {}
    weight_words: list[str] = []
    inherit_markers: list[str] = []
    sum_markers: list[str] = []
    passive_markers: list[str] = []
    licence_keeps_arrest: list[str] = []
    weight_heads: list[str] = []
    inherit_after_suffix: list[str] = []
    opening_asides: list[str] = []
    list_on_classes: list[str] = []
    modifier_suffixes: list[str] = []
    list_on_marks: list[str] = []
    breakdown_openers: list[str] = []
    breakdown_suffixes: list[str] = []
    blockers: list[str] = []
    change_words: list[str] = []
    noun_stops: list[str] = []
    item_skip: list[str] = []
    item_heads_after: list[str] = []
    coordinators: list[str] = []
    disposal_markers: list[str] = []
    respectively_markers: list[str] = []
    clause_breaks: list[str] = Field(min_length=1)
    topic_cues: list[str] = []
    topic_not_cues: list[str] = []
    offtopic_cues: list[str] = []
    kind_total_cues: list[str] = []
    kind_incident_cues: list[str] = []
    kind_report_verbs: list[str] = []
    kind_weight_phrases: list[str] = []
    kind_clause_total_cues: list[str] = []
    kind_total_types: list[str] = []
    back_references: list[str] = []
    current_period_words: list[str] = []
    province_not_location_after: list[str] = []
    province_not_location_before: list[str] = []
    province_location_agencies: list[str] = []
    dateline_markers: list[str] = []
    dateline_window: int = Field(default=30, ge=1, le=80)
    national_cues: list[str] = []
    national_scope_cues: list[str] = []
    national_rankings: list[str] = []
    local_cues: list[str] = []


ZH_FILE_MODELS: dict[str, type[_Strict]] = {
    "provinces.yml": ZhProvincesFile,
    "operations.yml": ZhOperationsFile,
    "drugs.yml": ZhDrugsFile,
    "quantities.yml": ZhQuantitiesFile,
    "dates.yml": ZhDatesFile,
    "events.yml": ZhEventsFile,
}


class ZhRuleSet(BaseModel):
    """The Chinese rule files, validated, with the shared event table they use."""

    model_config = ConfigDict(extra="forbid")

    provinces: ZhProvincesFile
    operations: ZhOperationsFile
    drugs: ZhDrugsFile
    quantities: ZhQuantitiesFile
    dates: ZhDatesFile
    events: ZhEventsFile
    shared_events: SharedEventsFile
    hash: str = ""


def zh_files_hash(directory: Path) -> str:
    """sha256 over the Chinese rule files' names and bytes."""
    digest = hashlib.sha256()
    for name in ZH_RULE_FILES:
        path = directory / name
        if path.exists():
            digest.update(name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_zh_rules(directory: "str | Path" = "configs/zh", shared: "str | Path | None" = None) -> ZhRuleSet:
    """Read and validate ``configs/zh`` against the shared vocabularies of ``shared``
    (``configs/shared`` beside it by default).

    Raises ``RulesError`` listing every problem (file, line, what to fix).
    """
    directory = Path(directory)
    shared_path = Path(shared) if shared is not None else shared_dir(directory)
    digest = zh_files_hash(directory) + shared_hash(shared_path)
    return _load_cached(str(directory.resolve()), str(shared_path.resolve()), digest)


@lru_cache(maxsize=4)
def _load_cached(directory_str: str, shared_str: str, digest: str) -> ZhRuleSet:
    directory = Path(directory_str)
    shared = load_shared(shared_str)
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    for name, path, rules, lines in parse_rule_dir(directory, ZH_FILE_MODELS, ZH_RULE_FILES, problems):
        _CHECKS[name](path, rules, lines, problems, shared)
        parsed[name.split(".")[0]] = rules
    if problems:
        raise RulesError(str(p) for p in problems)
    return ZhRuleSet(shared_events=shared.events, hash=digest[:64], **parsed)


# --- cross-file checks -------------------------------------------------------------
def _check_provinces(path: Path, rules: Any, lines: dict, problems: list[Problem], shared: Any) -> None:
    known = {s.code: s for s in pycountry.subdivisions.get(country_code="CN")}
    seen: dict[str, str] = {}
    for i, rule in enumerate(rules.provinces):
        line = line_of(lines, ("provinces", i))
        if rule.code not in known:
            problems.append(Problem(str(path), line, Errors.E003.format(path=path, line=line, code=rule.code)))
            continue
        check_names(path, line, "province code", rule.code, shared.provinces.provinces,
                    f"{shared.source}/provinces.yml", problems)
        if known[rule.code].type not in rules.suffixes:
            problems.append(Problem(str(path), line, Errors.E104.format(
                path=path, line=line, name=known[rule.code].type, problem="a pycountry type with no suffixes",
                expected="an entry under 'suffixes' (an empty list is fine)")))
        for form in rule.names + rule.aliases:
            _claim(seen, form, rule.code, path, line, problems)
            if len(form) < 2:
                problems.append(Problem(str(path), line, Errors.E104.format(
                    path=path, line=line, name=form, problem="a one-character name",
                    expected="a name of two characters or more (one-character abbreviations are not tagged)")))


def _check_operations(path: Path, rules: Any, lines: dict, problems: list[Problem], shared: Any) -> None:
    seen: dict[str, str] = {}
    for i, rule in enumerate(rules.operations):
        line = line_of(lines, ("operations", i))
        check_names(path, line, "operation", rule.name, shared.operations.operations,
                    f"{shared.source}/operations.yml", problems)
        for alias in rule.aliases:
            _claim(seen, alias, rule.name, path, line, problems)


def _check_drugs(path: Path, rules: Any, lines: dict, problems: list[Problem], shared: Any) -> None:
    seen: dict[str, str] = {}
    for name, forms in rules.drugs.items():
        line = line_of(lines, ("drugs", name))
        check_names(path, line, "drug", name, shared.drugs.drugs, f"{shared.source}/drugs.yml", problems)
        for form in forms:
            _claim(seen, form, name, path, line, problems)


def _check_quantities(path: Path, rules: Any, lines: dict, problems: list[Problem], shared: Any) -> None:
    for i, currency in enumerate(rules.currencies):
        if pycountry.currencies.get(alpha_3=currency.code) is None:
            line = line_of(lines, ("currencies", i))
            problems.append(Problem(str(path), line, Errors.E102.format(path=path, line=line, code=currency.code)))
    seen: dict[str, str] = {}
    for i, unit in enumerate(rules.units):
        for form in unit.forms:
            _claim(seen, form, f"{unit.unit} x{unit.factor:g}", path, line_of(lines, ("units", i)), problems)


def _check_dates(path: Path, rules: Any, lines: dict, problems: list[Problem], shared: Any) -> None:
    for word, (part, of) in rules.parts.items():
        if of not in (2, 4) or not 1 <= part <= of:
            line = line_of(lines, ("parts", word))
            problems.append(Problem(str(path), line, Errors.E104.format(
                path=path, line=line, name=word, problem=f"part {part} of {of}",
                expected="[1-2, 2] for halves or [1-4, 4] for quarters")))


def _check_events(path: Path, rules: Any, lines: dict, problems: list[Problem], shared: Any) -> None:
    nouns, verbs = list(shared.events.noun_classes), list(shared.events.verb_classes)
    for section, used, known in (("noun_classes", rules.noun_classes, nouns),
                                 ("verb_classes", rules.verb_classes, verbs)):
        for name in used:
            check_classes(path, line_of(lines, (section, name)), section.split("_")[0], name, known, problems)
    for form, cls in rules.classifier_classes.items():
        if cls != "none" and cls not in nouns:
            line = line_of(lines, ("classifier_classes", form))
            problems.append(Problem(str(path), line, Errors.E101.format(
                home=SHARED_EVENTS,
                path=path, line=line, name=cls, section="noun", expected=", ".join(nouns + ["none"]))))
    for i, form in enumerate(rules.classifier_wins):
        check_names(path, line_of(lines, ("classifier_wins", i)), "classifier with a class", form,
                    list(rules.classifier_classes), str(path), problems)
    for form, classes in rules.classifier_nouns.items():
        for cls in classes:
            if cls != "none" and cls not in nouns:
                line = line_of(lines, ("classifier_nouns", form))
                problems.append(Problem(str(path), line, Errors.E101.format(
                    home=SHARED_EVENTS,
                    path=path, line=line, name=cls, section="noun", expected=", ".join(nouns + ["none"]))))
    for verb, cls in rules.predicate_noun_defaults.items():
        for name, section, known in ((verb, "verb", verbs), (cls, "noun", nouns)):
            if name not in known:
                line = line_of(lines, ("predicate_noun_defaults", verb))
                problems.append(Problem(str(path), line, Errors.E101.format(
                home=SHARED_EVENTS,
                                    path=path, line=line, name=name, section=section, expected=", ".join(known))))
    for name in rules.clause_predicates:
        if name not in rules.verb_classes:
            line = line_of(lines, ("clause_predicates",))
            problems.append(Problem(str(path), line, Errors.E101.format(
                home=SHARED_EVENTS,
                path=path, line=line, name=name, section="verb", expected=", ".join(rules.verb_classes))))
    for i, name in enumerate(rules.kind_total_types):
        check_names(path, line_of(lines, ("kind_total_types", i)), "event type", name, list(shared.events.types),
                    SHARED_EVENTS, problems)
    seen: dict[str, str] = {}
    for cls, words in rules.noun_classes.items():
        for word in words:
            _claim(seen, word, cls, path, line_of(lines, ("noun_classes", cls)), problems)


def _claim(seen: dict[str, str], form: str, owner: str, path: Path, line: int, problems: list[Problem]) -> None:
    """Record that ``form`` names ``owner``; a form naming two things is a problem."""
    if form in seen and seen[form] != owner:
        problems.append(Problem(str(path), line, Errors.E103.format(
            path=path, line=line, form=form, first=seen[form], second=owner)))
    seen.setdefault(form, owner)


_CHECKS = {
    "provinces.yml": _check_provinces,
    "operations.yml": _check_operations,
    "drugs.yml": _check_drugs,
    "quantities.yml": _check_quantities,
    "dates.yml": _check_dates,
    "events.yml": _check_events,
}
