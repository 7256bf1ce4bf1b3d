"""Read and validate the rule files in ``configs/`` into typed records.

Every file is parsed into pydantic models that forbid unknown keys, then checked
across files (ISO codes, event types, alias clashes). All problems are collected
and raised together, each with its file and line, so one run shows everything
to fix. A broken rule file therefore never builds a model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import pycountry
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import Errors, Problem, RulesError
from .schema import MeasureUnit
from .shared import EventTypeRule, SharedRules, check_classes, check_names, load_shared, shared_dir, shared_hash
from .shared import FactsFile as FactsFile  # the fact rules are shared: re-exported for their users

RULE_FILES = ("provinces.yml", "operations.yml", "quantities.yml", "dates.yml",
              "drugs.yml", "events.yml", "topic.yml")
LEARNED_DIR = "learned"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- provinces.yml ---------------------------------------------------------------
class ProvinceRule(_Strict):
    """One province-level division: its ISO code and the English names news uses."""

    code: str
    names: list[str] = Field(min_length=1)
    aliases: list[str] = []


class ProvincesFile(_Strict):
    suffixes: dict[str, list[str]]
    provinces: list[ProvinceRule] = Field(min_length=1)


# --- operations.yml --------------------------------------------------------------
class OperationRule(_Strict):
    """A named campaign: canonical name, aliases, and where aliases are recognised."""

    name: str = Field(min_length=1)
    aliases: list[str] = []
    match: Literal["cased", "quoted", "anywhere"] = "cased"


class OperationsFile(_Strict):
    operation_words: list[str] = Field(min_length=1)
    operation_word_modifiers: list[str] = []
    named_operation_word_modifiers: list[str] = []
    apposition_modifiers: list[str] = []
    quoted_name_words: list[str] = []
    name_introducers: list[str] = []
    code_name_cues: list[str] = []
    adjective_endings: list[str] = []
    name_stopwords: list[str] = []
    operations: list[OperationRule] = []


# --- quantities.yml --------------------------------------------------------------
class NumberWords(_Strict):
    ones: dict[str, float]
    tens: dict[str, float]
    scales: dict[str, float]
    fractions: dict[str, float] = {}
    point: list[str] = []
    negative: list[str] = []


class UnitRule(_Strict):
    """Surface forms of one unit, the normalised unit and the factor to it."""

    unit: MeasureUnit
    factor: float = Field(gt=0)
    forms: list[str] = Field(min_length=1)
    attached: bool = False


class CurrencyRule(_Strict):
    code: str
    prefixes: list[str] = []
    suffixes: list[str] = []

    @field_validator("code")
    @classmethod
    def _iso_4217(cls, code: str) -> str:
        if pycountry.currencies.get(alpha_3=code) is None:
            raise ValueError(Errors.E018.format(code=code))
        return code


QualifierName = Literal["more_than", "less_than", "about", "nearly"]


class QuantitiesFile(_Strict):
    number_words: NumberWords
    pronoun_one_before: list[str] = []
    pronoun_one_after: list[str] = []
    units: list[UnitRule] = Field(min_length=1)
    currencies: list[CurrencyRule] = []
    qualifiers: dict[QualifierName, list[str]] = {}
    postposed_qualifiers: dict[QualifierName, list[str]] = {}
    qualifiers_not_after: dict[str, list[str]] = {}
    article_unit_not_after: list[str] = []
    not_quantity_after: list[str] = []
    other_units: list[str] = []
    not_quantity_compound: list[str] = []
    fraction_words: list[str] = []
    rate_words: list[str] = []
    rate_periods: list[str] = []
    rate_window: int = Field(default=8, ge=1, le=30)
    not_quantity_before: list[str] = []
    age_words: list[str] = []
    age_superlatives: list[str] = []
    range_openers: list[str] = []
    range_joiners: list[str] = []
    paired_joiners: list[str] = []
    duration_modifiers: list[str] = []
    ratio_joiners: list[str] = []
    scale_suffixes: dict[str, float] = {}
    scale_suffix_blockers: list[str] = []

    @model_validator(mode="after")
    def _not_after_names_a_qualifier(self) -> "QuantitiesFile":
        """Each key of ``qualifiers_not_after`` is a qualifier form listed in ``qualifiers``."""
        forms = {form.lower() for forms in self.qualifiers.values() for form in forms}
        unknown = [key for key in self.qualifiers_not_after if key.lower() not in forms]
        if unknown:
            raise ValueError(f"qualifiers_not_after: {', '.join(unknown)} is not a qualifier form of `qualifiers`")
        return self


# --- dates.yml -------------------------------------------------------------------
class DatesFile(_Strict):
    months: dict[int, list[str]]
    weekdays: dict[int, list[str]]
    ambiguous_months: list[str] = []
    month_cues: list[str] = []
    year_cues: list[str] = []
    year_label_marks: list[str] = []
    year_label_openers: list[str] = []
    count_words: list[str] = []
    year_range: tuple[int, int] = (1900, 2099)
    relative: dict[str, int] = {}
    periods: list[Literal["year", "month", "week", "quarter", "weekend"]] = []
    day_words: dict[str, int] = {}
    ago_units: dict[str, int] = {}
    ordinals: dict[str, int] = {}
    parts: dict[Literal["half", "quarter"], int] = {}
    edges: dict[Literal["start", "end", "middle"], list[str]] = {}
    month_edge_words: list[str] = []
    prefixes: dict[Literal["since", "as_of", "before", "after", "from"], list[str]] = {}
    range_joiners: list[str] = []
    paired_joiners: list[str] = []
    range_openers: list[str] = []
    vague: list[str] = []
    anaphoric_units: list[str] = []
    back_reference_not_before: list[str] = []
    day_cues: list[str] = []

    @field_validator("months")
    @classmethod
    def _twelve(cls, months: dict[int, list[str]]) -> dict[int, list[str]]:
        if sorted(months) != list(range(1, 13)):
            raise ValueError(Errors.E019.format(name="months", first=1, last=12, keys=sorted(months)))
        return months

    @field_validator("weekdays")
    @classmethod
    def _seven(cls, days: dict[int, list[str]]) -> dict[int, list[str]]:
        if sorted(days) != list(range(7)):
            raise ValueError(Errors.E019.format(name="weekdays", first="0 (Monday)", last=6, keys=sorted(days)))
        return days


# --- drugs.yml -------------------------------------------------------------------
class DrugsFile(_Strict):
    drugs: dict[str, list[str]]
    anaphors: list[str] = []
    one_drug_anaphors: list[str] = []
    forms: list[str] = []


# --- events.yml ------------------------------------------------------------------
class KindCues(_Strict):
    """Cues that tell one case's figure (incident) from a sum over many (total)."""

    total_cues: list[str] = Field(min_length=1)
    incident_determiners: list[str] = Field(min_length=1)
    incident_nouns: list[str] = Field(min_length=1)
    incident_window: int = Field(default=4, ge=0, le=8)
    incident_gap_stops: list[str] = []
    incident_max_days: int = Field(default=31, ge=1, le=366)
    range_words: list[str] = []
    total_types: list[str] = []
    total_frames: list[str] = []
    total_frame_nouns: list[str] = []
    campaign_frames: list[str] = []
    campaign_nouns: list[str] = []
    several_counts: list[str] = []
    several_nouns: list[str] = []
    total_before_figure: list[str] = []
    share_bases: list[str] = []
    case_followup_stops: list[str] = []
    total_before_qualifiers: list[str] = []
    weight_phrases: list[str] = []
    weighed_words: list[str] = []
    weighed_totals: list[str] = []
    superlatives: list[str] = []
    adverb_phrases: list[str] = []
    superlative_window: int = Field(default=10, ge=1, le=30)
    ranking_openers: list[str] = []
    clause_openers: list[str] = []


class EventsFile(_Strict):
    noun_classes: dict[str, list[str]]
    noun_phrases: dict[str, list[str]] = {}
    verb_classes: dict[str, list[str]]
    # the type table of configs/shared/events.yml, filled in by load_rules (not written here)
    types: dict[str, EventTypeRule] = {}
    default_items: dict[str, str] = {}
    clause_predicates: list[str] = []
    hyphen_verb_prefixes: list[str] = []
    passive_fillers: list[str] = []
    forward_only_predicates: list[str] = []
    blockers: list[str] = []
    blockers_before_only: list[str] = []
    nominal_predicates: list[str] = []
    non_count_before: list[str] = []
    population_before: list[str] = []
    change_before: list[str] = []
    label_before: list[str] = []
    precursor_purposes: list[str] = []
    precursor_heads: list[str] = []
    non_count_after: list[str] = []
    item_end_verbs: list[str] = []
    finite_verbs: list[str] = []
    auxiliaries: list[str] = []
    coordinators: list[str] = []
    list_continuers: list[str] = []
    prepositions: list[str] = []
    item_skip: list[str] = []
    clause_breaks: list[str] = []
    speech_verbs: list[str] = []
    speech_period_words: list[str] = []
    start_verbs: list[str] = []
    back_references: list[str] = []
    named_back_nouns: list[str] = []
    named_back_determiners: list[str] = []
    open_start_words: list[str] = []
    province_not_location_after: list[str] = []
    province_not_location_before: list[str] = []
    province_name_joiners: list[str] = []
    province_route_words: list[str] = []
    province_clause_openers: list[str] = []
    province_location_agents: list[str] = []
    dateline_markers: list[str] = []
    dateline_window: int = Field(default=12, ge=1, le=40)
    local_cues: list[str] = []
    national_cues: list[str] = []
    national_share_bases: list[str] = []
    national_share_determiners: list[str] = []
    national_override_cues: list[str] = []
    national_openers: list[str] = []
    coverage_nouns: list[str] = []
    coverage_verbs: list[str] = []
    coverage_determiners: list[str] = []
    coverage_paragraphs: int = Field(default=3, ge=1, le=20)
    province_back_references: list[str] = []
    pronoun_subjects: list[str] = []
    province_apposition_words: list[str] = []
    campaign_references: list[str] = []
    umbrella_frames: list[str] = []
    umbrella_subjects: list[str] = []
    umbrella_other_story: list[str] = []
    umbrella_name_introducers: list[str] = []
    campaign_determiners: list[str] = []
    umbrella_comparatives: list[str] = []
    campaign_reach: int = Field(default=5, ge=0, le=12)
    ongoing_after_days: int = Field(default=31, ge=0)
    current_period_words: list[str] = []
    kind: KindCues
    counted_through: list[str] = []
    counted_through_links: list[str] = ["of"]
    judicial_subjects: list[str] = []
    judicial_not_across: list[str] = []
    police_agents: list[str] = []
    respective_words: list[str] = []
    alternating_links: list[str] = []
    alternating_place_words: list[str] = []
    described_one: list[str] = []
    holder_words: list[str] = []
    hiding_words: list[str] = []
    packing_words: list[str] = []
    contents_words: list[str] = []
    contents_reach: int = 4
    pronoun_items: list[str] = []
    cargo_containers: list[str] = []
    hypothetical_cues: list[str] = []
    possession_words: list[str] = []
    inclusion_verbs: list[str] = []
    measure_words: list[str] = []
    measured_back_references: list[str] = []
    relative_subjects: list[str] = []
    relative_pronouns: list[str] = []
    subject_relatives: list[str] = []
    relative_reach: int = Field(default=12, ge=1)
    aside_marks: dict[str, str] = {}
    aside_reach: int = Field(default=12, ge=1)
    continuation_subjects: list[str] = []
    subset_words: list[str] = []
    part_list_openers: list[str] = []
    verb_list_openers: list[str] = []
    verb_list_separators: list[str] = []
    verb_list_fillers: list[str] = []
    figure_marks: list[str] = []
    list_bullets: list[str] = []
    case_links: list[str] = []
    case_link_verbs: dict[str, str] = {}
    breakdown_openers: list[str] = []
    comparison_openers: list[str] = []
    mass_only_predicates: dict[str, list[str]] = {}
    recipient_predicates: dict[str, list[str]] = {}
    phrasal_particles: list[str] = []
    recipients: list[str] = []
    purpose_words: list[str] = []
    mass_default_noun: str | None = None
    comparison_words: list[str] = []
    comparison_than_words: list[str] = []
    time_after_amount: list[str] = []
    earlier_periods: dict[Literal["year", "month", "week"], list[str]] = {}
    story_time_dates: list[str] = []
    earlier_period_not_across: list[str] = []
    intention_before: list[str] = []


# --- topic.yml -------------------------------------------------------------------
class TopicFile(_Strict):
    """Cues that tell a drug-enforcement figure from one about another crime or subject."""

    drug_cues: list[str] = Field(min_length=1)
    ambiguous_drug_names: list[str] = []
    no_cue_phrases: list[str] = []
    drug_campaigns: list[str] = []
    other_crimes: dict[str, list[str]] = {}
    other_subjects: dict[str, list[str]] = {}
    business_nouns: list[str] = []
    business_classes: list[str] = []


# --- learned/*.yml ---------------------------------------------------------------
class LearnedFile(_Strict):
    """Rules learned from annotations (``crackdown rules train``), kept apart for review."""

    source: str | None = None
    province_aliases: dict[str, list[str]] = {}
    operation_aliases: dict[str, list[str]] = {}
    noun_classes: dict[str, list[str]] = {}
    verb_classes: dict[str, list[str]] = {}
    units: list[UnitRule] = []
    removal_candidates: list[dict[str, Any]] = []


FILE_MODELS: dict[str, type[_Strict]] = {
    "provinces.yml": ProvincesFile,
    "operations.yml": OperationsFile,
    "quantities.yml": QuantitiesFile,
    "dates.yml": DatesFile,
    "drugs.yml": DrugsFile,
    "events.yml": EventsFile,
    "topic.yml": TopicFile,
}


class RuleSet(BaseModel):
    """Every rule file of a rule directory, validated, with a hash of their bytes."""

    model_config = ConfigDict(extra="forbid")

    provinces: ProvincesFile
    operations: OperationsFile
    quantities: QuantitiesFile
    dates: DatesFile
    drugs: DrugsFile
    events: EventsFile
    topic: TopicFile
    learned: list[LearnedFile] = []
    shared: SharedRules | None = None
    hash: str = ""
    source: str = ""

    @property
    def facts(self) -> FactsFile:
        """The fact merging rules (language-free: configs/shared/facts.yml)."""
        return self.shared.facts if self.shared is not None else FactsFile()


M = TypeVar("M", bound=BaseModel)


class RuleLoader(yaml.SafeLoader):
    """YAML as analysts expect: only true/false are booleans ("on", "no", "off" stay words).

    Anchors and aliases are refused: rule files have no use for them, and a few
    nested aliases ("billion laughs") expand to gigabytes in whatever walks the data.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            kind = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
            raise yaml.composer.ComposerError(
                None, None, f"found the {kind}{event.anchor}; rule files may not use YAML anchors (&name) "
                "or aliases (*name): write the values out", event.start_mark)
        return super().compose_node(parent, index)


RuleLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
RuleLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _line_map(text: str) -> dict[tuple[Any, ...], int]:
    """Map each key path of a YAML document to the 1-based line it starts on."""
    lines: dict[tuple[Any, ...], int] = {}
    root = yaml.compose(text, Loader=RuleLoader)

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                key_value: Any = key.value
                if isinstance(key_value, str) and key_value.isdigit():
                    lines.setdefault(path + (int(key_value),), key.start_mark.line + 1)
                lines[path + (key_value,)] = key.start_mark.line + 1
                walk(value, path + (key_value,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))

    if root is not None:
        walk(root, ())
    return lines


def line_of(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    for cut in range(len(loc), -1, -1):
        if tuple(loc[:cut]) in lines:
            return lines[tuple(loc[:cut])]
    return 1


def _describe(error: Any, model: type[BaseModel], path: Path, line: int) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    if error["type"] == "extra_forbidden":
        key = error["loc"][-1]
        parent = error["loc"][:-1]
        expected = _expected_keys(model, parent)
        hint = f"; expected one of: {', '.join(expected)}" if expected else ""
        return Errors.E015.format(path=path, line=line, key=key, hint=hint)
    if error["type"] == "missing":
        return Errors.E016.format(path=path, line=line, key=loc)
    return Errors.E017.format(path=path, line=line, where=loc, detail=error["msg"], value=error.get("input"))


def _expected_keys(model: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """The keys a model accepts at ``path`` (to suggest the right spelling)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        annotation = fields[part].annotation
        current = _inner_model(annotation)
        if current is None:
            return []
    return sorted(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def parse_rule_file(path: Path, model: type[M], problems: list[Problem]) -> tuple[M | None, dict]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=RuleLoader)  # noqa: S506 - a SafeLoader subclass
        lines = _line_map(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.append(Problem(str(path), line, Errors.E001.format(path=path, detail=exc)))
        return None, {}
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), 1, Errors.E001.format(path=path, detail=f"not UTF-8 ({exc})")))
        return None, {}
    except RecursionError:
        problems.append(Problem(str(path), 1, Errors.E001.format(path=path, detail="nested too deeply")))
        return None, {}
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, Errors.E009.format(path=path, line=1, kind=type(data).__name__)))
        return None, lines
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        for error in exc.errors():
            line = line_of(lines, tuple(error["loc"]))
            problems.append(Problem(str(path), line, _describe(error, model, path, line)))
        return None, lines


def parse_rule_dir(directory: Path, models: Mapping[str, type[BaseModel]], expected: tuple[str, ...],
                   problems: list[Problem]) -> Iterator[tuple[str, Path, Any, dict]]:
    """Each rule file of `directory` that parses: (name, path, rules, line map); a missing one is a problem (E005)."""
    for name, model in models.items():
        path = directory / name
        if not path.exists():
            problems.append(Problem(str(path), 0, Errors.E005.format(
                path=directory, name=name, expected=", ".join(expected))))
            continue
        rules, lines = parse_rule_file(path, model, problems)
        if rules is not None:
            yield name, path, rules, lines


def _check_provinces(path: Path, rules: ProvincesFile, lines: dict, problems: list[Problem]) -> None:
    known = {s.code: s for s in pycountry.subdivisions.get(country_code="CN")}
    seen: dict[str, str] = {}
    for i, rule in enumerate(rules.provinces):
        line = line_of(lines, ("provinces", i))
        sub = known.get(rule.code)
        if sub is None:
            problems.append(Problem(str(path), line, Errors.E003.format(
                path=path, line=line, code=rule.code)))
            continue
        if sub.type not in rules.suffixes:
            problems.append(Problem(str(path), line, Errors.E013.format(
                path=path, line=line, kind=sub.type, code=rule.code)))
        for alias in rule.names + rule.aliases:
            key = alias.lower()
            if key in seen and seen[key] != rule.code:
                problems.append(Problem(str(path), line, Errors.E004.format(
                    path=path, line=line, alias=alias, first=seen[key], second=rule.code)))
            seen[key] = rule.code


def _check_operations(path: Path, rules: OperationsFile, lines: dict, problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for i, rule in enumerate(rules.operations):
        line = line_of(lines, ("operations", i))
        for alias in [rule.name] + rule.aliases:
            key = normalise_operation(alias, rules.operation_words)
            if key in seen and seen[key] != rule.name:
                problems.append(Problem(str(path), line, Errors.E004.format(
                    path=path, line=line, alias=alias, first=seen[key], second=rule.name)))
            seen[key] = rule.name


def _check_events(path: Path, rules: EventsFile, lines: dict, problems: list[Problem],
                  shared: SharedRules) -> None:
    """The classes words map onto are the shared ones; the type table is not written here."""
    if rules.types:
        line = line_of(lines, ("types",))
        problems.append(Problem(str(path), line, Errors.E104.format(
            path=path, line=line, name="types", problem="a shared vocabulary",
            expected=f"the type table in {shared.source}/events.yml, and only `default_items` here")))
    for section, known in (("noun_classes", shared.events.noun_classes), ("verb_classes", shared.events.verb_classes)):
        for cls in getattr(rules, section):
            check_classes(path, line_of(lines, (section, cls)), section.split("_")[0], cls, known, problems)
    for verb, cls in rules.case_link_verbs.items():
        for name in (verb, cls):
            check_classes(path, line_of(lines, ("case_link_verbs", verb)), "verb", name,
                          shared.events.verb_classes, problems)
    for cls in rules.noun_phrases:
        if cls not in rules.noun_classes:
            line = line_of(lines, ("noun_phrases", cls))
            problems.append(Problem(str(path), line, Errors.E014.format(
                path=path, line=line, name=cls, expected=", ".join(rules.noun_classes))))
    for name in rules.default_items:
        if name not in shared.events.types:
            line = line_of(lines, ("default_items", name))
            problems.append(Problem(str(path), line, Errors.E007.format(
                path=path, line=line, name=name, expected=", ".join(shared.events.types))))


def _check_shared_names(path: Path, rules: Any, lines: dict, problems: list[Problem], shared: SharedRules) -> None:
    """Province codes, canonical operation and drug names are declared in configs/shared/."""
    home = f"{shared.source}/{path.name}"
    if isinstance(rules, ProvincesFile):
        known = {s.code for s in pycountry.subdivisions.get(country_code="CN")}
        for i, province in enumerate(rules.provinces):
            if province.code not in known:
                continue  # E003 already says so
            check_names(path, line_of(lines, ("provinces", i)), "province code", province.code,
                        shared.provinces.provinces, home, problems)
    elif isinstance(rules, OperationsFile):
        for i, operation in enumerate(rules.operations):
            check_names(path, line_of(lines, ("operations", i)), "operation", operation.name,
                        shared.operations.operations, home, problems)
    elif isinstance(rules, DrugsFile):
        for name in rules.drugs:
            check_names(path, line_of(lines, ("drugs", name)), "drug", name, shared.drugs.drugs, home, problems)
    elif isinstance(rules, TopicFile):
        for i, name in enumerate(rules.drug_campaigns):
            check_names(path, line_of(lines, ("drug_campaigns", i)), "operation", name,
                        shared.operations.operations, f"{shared.source}/operations.yml", problems)


def with_types(events: EventsFile, shared: SharedRules) -> EventsFile:
    """The language's events file with the shared type table (and its own default items)."""
    types = {name: rule.model_copy(update={"default_item": events.default_items.get(name)})
             for name, rule in shared.events.types.items()}
    return events.model_copy(update={"types": types})


@lru_cache(maxsize=16)
def _lower_set(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def normalise_operation(text: str, operation_words: list[str]) -> str:
    """The lookup key of an operation name: lower case, no quotes, no trailing operation word.

    "Clean Border 2021 operation", '"clean border"', "'clean border'" and "Clean Border" share a key.
    """
    words = text.lower().replace('"', " ").replace("“", " ").replace("”", " ").strip(" '‘’").split()
    suffixes = _lower_set(tuple(operation_words))
    while len(words) > 1 and words[-1] in suffixes:
        words.pop()
    while len(words) > 1 and words[-1].isdigit() and (len(words[-1]) == 4 or len(words[-1]) <= 2):
        words.pop()  # a year or a round: "Clean Border 2021", "Thunderbolt 18"
    if len(words) > 1 and words[0] == "operation":
        words.pop(0)
    if words:
        words[-1] = re.sub(r"(?<=\w)-(?:19|20)\d\d$", "", words[-1])  # "Safe Mekong-2019"
    return " ".join(words)


def files_hash(directory: Path) -> str:
    """sha256 over the rule files' names and bytes (learned files and the shared files included)."""
    digest = hashlib.sha256()
    shared = shared_dir(directory)
    if shared.is_dir():
        digest.update(shared_hash(shared).encode())
    paths = sorted(directory.glob("*.yml"))  # every language's rule files, whatever their names
    paths += sorted((directory / LEARNED_DIR).glob("*.yml")) if (directory / LEARNED_DIR).is_dir() else []
    for path in paths:
        if path.exists():
            digest.update(str(path.relative_to(directory)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_rules(directory: "str | Path" = "configs/en") -> RuleSet:
    """Read and validate every rule file under ``directory``.

    Raises ``RulesError`` listing every problem (file, line, what to fix).
    """
    directory = Path(directory)
    return _load_cached(str(directory.resolve()), files_hash(directory))


@lru_cache(maxsize=8)
def _load_cached(directory_str: str, digest: str) -> RuleSet:
    directory = Path(directory_str)
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    try:
        shared = load_shared(shared_dir(directory))
    except RulesError as exc:
        raise RulesError(exc.problems) from None
    for name, path, rules, lines in parse_rule_dir(directory, FILE_MODELS, RULE_FILES, problems):
        if isinstance(rules, ProvincesFile):
            _check_provinces(path, rules, lines, problems)
        elif isinstance(rules, OperationsFile):
            _check_operations(path, rules, lines, problems)
        elif isinstance(rules, EventsFile):
            _check_events(path, rules, lines, problems, shared)
            rules = with_types(rules, shared)
        _check_shared_names(path, rules, lines, problems, shared)
        parsed[name.split(".")[0]] = rules
    learned: list[LearnedFile] = []
    learned_dir = directory / LEARNED_DIR
    if learned_dir.is_dir():
        for path in sorted(learned_dir.glob("*.yml")):
            rules, _ = parse_rule_file(path, LearnedFile, problems)
            if rules is not None:
                learned.append(rules)
    if problems:
        raise RulesError(str(p) for p in problems)
    ruleset = RuleSet(learned=learned, shared=shared, hash=digest, source=str(directory), **parsed)
    return merge_learned(ruleset)


def merge_learned(rules: RuleSet) -> RuleSet:
    """Fold learned aliases and trigger words into the hand-written rules (in memory only)."""
    if not rules.learned:
        return rules
    merged = rules.model_copy(deep=True)
    by_code = {p.code: p for p in merged.provinces.provinces}
    by_name = {o.name: o for o in merged.operations.operations}
    for learned in merged.learned:
        for code, aliases in learned.province_aliases.items():
            if code in by_code:
                by_code[code].aliases = _union(by_code[code].aliases, aliases)
        for name, aliases in learned.operation_aliases.items():
            if name in by_name:
                by_name[name].aliases = _union(by_name[name].aliases, aliases)
            else:
                rule = OperationRule(name=name, aliases=aliases)
                merged.operations.operations.append(rule)
                by_name[name] = rule
        for cls, words in learned.noun_classes.items():
            merged.events.noun_classes[cls] = _union(merged.events.noun_classes.get(cls, []), words)
        for cls, words in learned.verb_classes.items():
            merged.events.verb_classes[cls] = _union(merged.events.verb_classes.get(cls, []), words)
        merged.quantities.units.extend(learned.units)
    return merged


def _union(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys(first + second))
