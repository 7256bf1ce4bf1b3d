"""Which entry of which English rule file an entity's rule or an event's cue comes from.

The ids in the tables stay short and stable ("gazetteer.CN-YN", "quantity.digits+kg",
"active:seized", "total:a total of"); this reads them back to the entry of ``configs/``
that decided them, with its line ("configs/en/events.yml:58 verb_classes.seize"), for
``crackdown explain``. Rules that are grammar in code (date patterns, bare numbers,
attribution order) have no entry: None.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...lexicon import inflections, verb_bases
from ...rules import (
    DrugsFile,
    EventsFile,
    OperationsFile,
    ProvincesFile,
    QuantitiesFile,
    TopicFile,
    line_of,
    parse_rule_file,
)
from ...topic import forms


@dataclass(frozen=True, slots=True)
class Source:
    """An entry of a rule file: the file, the entry's key path and its line."""

    path: str
    entry: str  # "verb_classes.seize[0] = seized"
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.entry}"


class RuleSources:
    """Reads rule ids and cues back to the entries of an English rule folder."""

    def __init__(self, rules_dir: Path):
        self.dir = Path(rules_dir)
        self._files: dict[str, tuple[Any, dict]] = {}
        for name, model in (("provinces.yml", ProvincesFile), ("operations.yml", OperationsFile),
                            ("quantities.yml", QuantitiesFile), ("events.yml", EventsFile),
                            ("topic.yml", TopicFile), ("drugs.yml", DrugsFile)):
            path = self.dir / name
            rules, lines = parse_rule_file(path, model, []) if path.is_file() else (None, {})
            self._files[name] = (rules, lines)

    def _at(self, name: str, *loc: Any, value: str = "") -> Source:
        lines = self._files[name][1]
        entry = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        return Source(str(self.dir / name), f"{entry} = {value}" if value else entry, line_of(lines, tuple(loc)))

    def _rules(self, name: str) -> Any:
        return self._files[name][0]

    # -- entities --------------------------------------------------------------------------
    def entity(self, label: str, rule: str | None, norm: str | None = None, unit: str | None = None) -> Source | None:
        """The entry behind an entity's ``rule`` (and its normalised value or unit)."""
        rule = rule or ""
        if rule.startswith("gazetteer.") and self._rules("provinces.yml") is not None:
            code = rule.split(".", 1)[1]
            for i, province in enumerate(self._rules("provinces.yml").provinces):
                if province.code == code:
                    return self._at("provinces.yml", "provinces", i, value=code)
        if label == "OPERATION" and norm and self._rules("operations.yml") is not None:
            for i, operation in enumerate(self._rules("operations.yml").operations):
                if operation.name == norm:
                    return self._at("operations.yml", "operations", i, value=norm)
        if rule.startswith("quantity.") and self._rules("quantities.yml") is not None:
            return self._quantity(rule, unit)
        return None

    def _quantity(self, rule: str, unit: str | None) -> Source | None:
        quantities = self._rules("quantities.yml")
        numbers, _, form = rule.split(".", 1)[1].partition("+")
        if form == "currency":
            for i, currency in enumerate(quantities.currencies):
                if currency.code == unit:
                    return self._at("quantities.yml", "currencies", i, value=currency.code)
            return None
        if form == "shared_unit":  # "1,640 and 205 kilograms", "30 and 50 yuan": the next number's unit
            for i, rule_ in enumerate(quantities.units):
                if rule_.unit == unit:
                    return self._at("quantities.yml", "units", i, value=f"{rule_.unit} (shared with the next number)")
            for i, currency in enumerate(quantities.currencies):
                if currency.code == unit:
                    return self._at("quantities.yml", "currencies", i,
                                    value=f"{currency.code} (shared with the next number)")
            return None
        if form:
            for i, rule_ in enumerate(quantities.units):
                if form.lower() in (f.lower() for f in rule_.forms):
                    return self._at("quantities.yml", "units", i, value=f"{rule_.unit} x {rule_.factor:g} ({form})")
            return None
        return self._at("quantities.yml", "number_words") if numbers == "words" else None  # "digits": grammar

    # -- events ------------------------------------------------------------------------------
    def event(self, row: dict[str, Any]) -> dict[str, Source | None]:
        """The entries behind an event row's ``trigger``, ``topic_cue`` and ``kind_cue``."""
        return {"trigger": self._trigger(str(row.get("trigger") or "")),
                "topic_cue": self._topic(str(row.get("topic_cue") or "")),
                "kind_cue": self._kind(str(row.get("kind_cue") or ""))}

    def _trigger(self, trigger: str) -> Source | None:
        events = self._rules("events.yml")
        how, _, phrase = trigger.partition(":")
        if events is None or not phrase:
            return None
        if how == "possession":
            return self._listed("events.yml", ("possession_words",), events.possession_words, phrase.split()[-1])
        if how == "packed":
            return self._listed("events.yml", ("packing_words",), events.packing_words, phrase)
        if how == "measured_back":
            return self._listed("events.yml", ("measured_back_references",), events.measured_back_references,
                                phrase.split()[0])
        squashed = "".join(phrase.split())  # a trigger is written as tokens: "community - based"
        for cls, words in events.verb_classes.items():
            lowered = ["".join(w.lower().split()) for w in words]
            if squashed in lowered:
                i = lowered.index(squashed)
                return self._at("events.yml", "verb_classes", cls, i, value=words[i])
        for cls, words in events.verb_classes.items():
            for i, word in enumerate(words):
                if phrase in inflections(word.lower()):  # "recovering" from "recover"
                    return self._at("events.yml", "verb_classes", cls, i, value=word)
                head, _, particle = word.lower().partition(" ")
                first, _, rest = phrase.partition(" ")
                if particle in events.phrasal_particles and rest == particle \
                        and first in inflections(head) | verb_bases(head):
                    return self._at("events.yml", "verb_classes", cls, i, value=word)  # "pick up" from "picked up"
        return None

    def _topic(self, cue: str) -> Source | None:
        level, _, text = cue.partition(":")
        topic, drugs = self._rules("topic.yml"), self._rules("drugs.yml")
        if not text or topic is None:
            return None
        text = text.lower()
        for i, phrase in enumerate(topic.drug_cues):
            if text in forms(phrase):
                return self._at("topic.yml", "drug_cues", i, value=phrase)
        for i, name in enumerate(topic.drug_campaigns):
            if name.lower() == text:
                return self._at("topic.yml", "drug_campaigns", i, value=name)
        if drugs is not None:
            for name, written in drugs.drugs.items():
                if text == name.lower() or any(text in forms(f) for f in written):
                    return self._at("drugs.yml", "drugs", name, value=text)
        return None

    def _kind(self, cue: str) -> Source | None:
        events = self._rules("events.yml")
        kind, _, text = cue.partition(":")
        if events is None or not text:
            return None
        cues = events.kind
        if kind == "type":
            return self._listed("events.yml", ("kind", "total_types"), cues.total_types, text)
        if kind == "total":
            found = self._listed("events.yml", ("kind", "total_cues"), cues.total_cues, text)
            if found is not None:
                return found
            frames = [i for i, f in enumerate(cues.total_frames) if text.startswith(f.lower())]
            if frames:
                return self._at("events.yml", "kind", "total_frames", frames[0], value=cues.total_frames[frames[0]])
            before = [(len(p), i) for i, p in enumerate(cues.total_before_figure) if text.startswith(p.lower())]
            return self._at("events.yml", "kind", "total_before_figure", max(before)[1],
                            value=cues.total_before_figure[max(before)[1]]) if before else None
        if kind == "incident":
            nouns = [(len(n), i) for i, n in enumerate(cues.incident_nouns) if text.endswith(n.lower())]
            if not nouns:
                return None
            i = max(nouns)[1]
            return self._at("events.yml", "kind", "incident_nouns", i, value=cues.incident_nouns[i])
        return None

    def _listed(self, name: str, loc: tuple[str, ...], entries: list[str], text: str) -> Source | None:
        lowered = [e.lower() for e in entries]
        if text.lower() not in lowered:
            return None
        i = lowered.index(text.lower())
        return self._at(name, *loc, i, value=entries[i])
