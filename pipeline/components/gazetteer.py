"""Province patterns for spaCy's span_ruler, generated from configs/provinces.yml."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pycountry
from spacy.tokens import Span
from spacy.util import registry

from ..normalize import province_variants
from ..rules import load_rules


@registry.misc("crackdown.province_patterns.v1")
def province_patterns(rules_dir: str = "configs/en") -> list[dict[str, Any]]:
    """One phrase pattern per surface form; its ``id`` is the ISO 3166-2 code (the norm)."""
    rules = load_rules(rules_dir).provinces
    types = {s.code: s.type for s in pycountry.subdivisions.get(country_code="CN")}
    patterns: list[dict[str, Any]] = []
    for province in rules.provinces:
        suffixes = rules.suffixes.get(types[province.code], [])
        for form in province_variants(province.names, province.aliases, suffixes):
            patterns.append({"label": "PROVINCE", "pattern": form, "id": province.code})
    return patterns


@registry.misc("crackdown.places_not_before.v1")
def places_not_before(words: list[str]) -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    """span_ruler's `spans_filter`: drop a province name that a word of `words` follows, for then it
    names another thing ("the Taiwan Strait"); the list is set in the language's config.cfg."""
    blocked = frozenset(word.lower() for word in words)

    def keep(existing: Iterable[Span], found: Iterable[Span]) -> list[Span]:
        spans = list(existing)
        for span in found:
            doc = span.doc
            if span.end < len(doc) and doc[span.end].lower_ in blocked:
                continue
            spans.append(span)
        return spans

    return keep
