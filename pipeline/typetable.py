"""The type table: which (noun class, predicate classes, unit) make which event type.

Language-free: both grammars read a quantity's counted noun and its predicate in their
own way, then ask this table, built from ``configs/shared/events.yml`` ``types``, what
event that makes. The first type in the file's order that takes the noun class, the
unit and one of the predicate classes wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .shared import EventTypeRule


class TypeTable:
    """noun class x predicate classes x unit -> event type (first match in file order)."""

    def __init__(self, types: Mapping[str, EventTypeRule]):
        self.types = dict(types)
        # (noun class, unit) -> [(event type, its predicate classes)], in file order
        self._by: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = {}
        for name, rule in self.types.items():
            verbs = frozenset(rule.verbs)
            for noun in rule.nouns:
                for unit in rule.units:
                    self._by.setdefault((noun, unit), []).append((name, verbs))

    def type_of(self, noun: str, verbs: Iterable[str], unit: str) -> str | None:
        """The event type a noun of class ``noun`` in ``unit`` makes with a predicate of any of
        the classes ``verbs``; None when no type takes them."""
        for name, classes in self._by.get((noun, unit), ()):
            if not classes.isdisjoint(verbs):
                return name
        return None
