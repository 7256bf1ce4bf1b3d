"""Register the ``._`` attributes crackdown sets on Docs and Spans (idempotently).

Values are plain JSON types (ISO date strings, floats), so Docs keep them through
``DocBin`` and multiprocessing.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import numpy
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span

SPAN_EXTENSIONS: dict[str, Any] = {
    "norm": None,  # PROVINCE: ISO 3166-2 code; OPERATION: canonical name; DATE: ISO period
    "value": None,  # QUANTITY: float in the normalised unit
    "unit": None,  # QUANTITY: kg, l, count, percent or an ISO 4217 code
    "qualifier": None,  # QUANTITY: exact, about, more_than, less_than, nearly
    "qualifier_end": None,  # QUANTITY: where a qualifier written after it ends ("300,000-plus"), else None
    "period_start": None,  # DATE: ISO date or None
    "period_end": None,  # DATE: ISO date or None
    "date_mod": None,  # DATE: since, as_of, before, after, from or ""
    "context_start": None,  # DATE: where its prefix ("as of") starts
    "precise": None,  # DATE: False for weekdays, vague and fuzzy dates
    "duration": None,  # DATE: the ISO 8601 length a date referring back names ("the nine months": P9M)
    "rule": None,  # every entity: id of the rule that found it
}

DOC_EXTENSIONS: dict[str, Any] = {
    "doc_id": None,
    "published": None,  # ISO date string or None
    "events": None,  # list of event row dicts, set by crackdown_events
}


TEXT_KEY = "crackdown.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc and kept until the last component (Doc.text joins
    every token in Python, and every component needs it)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


BOUNDS_KEY = "crackdown.bounds"


def token_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end character offset of every token, read in C once per Doc and kept
    until the last component (components map character matches to tokens with them)."""
    bounds = doc.user_data.get(BOUNDS_KEY)
    if bounds is None or len(bounds[0]) != len(doc):  # none yet, or the Doc was retokenized
        array = doc.to_array([IDX, LENGTH]) if len(doc) else numpy.zeros((0, 2), dtype=numpy.uint64)
        bounds = (array[:, 0].tolist(), (array[:, 0] + array[:, 1]).tolist())
        doc.user_data[BOUNDS_KEY] = bounds
    return bounds  # type: ignore[no-any-return]


def char_span(doc: Doc, start_char: int, end_char: int, label: str) -> Span | None:
    """``doc.char_span(start_char, end_char, label, alignment_mode="expand")``, from the
    cached token offsets (Doc.char_span builds several Token objects per call)."""
    starts, ends = token_bounds(doc)
    if not starts or end_char <= start_char or start_char >= len(doc_text(doc)):
        return None
    first = bisect_right(starts, start_char) - 1
    if first < 0:
        return None
    if start_char == ends[first]:
        first += 1  # in the whitespace after a token: the span starts at the next one
    last = bisect_right(starts, end_char - 1) - 1
    return Span(doc, first, last + 1, label=label)


# spaCy keeps a span's ``._`` values in ``doc.user_data`` under ("._.", name,
# start_char, end_char) (spacy.tokens.underscore.Underscore._get_key); the two helpers
# below use that key directly, and tests/test_extensions.py checks the round trip.
def set_span_values(doc: Doc, start_char: int, end_char: int, values: dict[str, object]) -> None:
    """Set the ``span._`` values of the span at these offsets, all at once.

    ``span._.x = v`` builds an accessor object per access; finders set four to seven
    values on every match, so they write the same entries directly.
    """
    data: dict[Any, Any] = doc.user_data
    for name, value in values.items():
        data[("._.", name, start_char, end_char)] = value


def set_doc_values(doc: Doc, values: dict[str, object]) -> None:
    """Set ``doc._`` values (keyed like spaCy's Underscore, with no offsets), all at once."""
    data: dict[Any, Any] = doc.user_data
    for name, value in values.items():
        data[("._.", name, None, None)] = value


def span_value(doc: Doc, name: str, start_char: int, end_char: int) -> Any:
    """``span._.<name>`` of the span at these offsets (None when unset), without an accessor."""
    data: dict[Any, Any] = doc.user_data
    return data.get(("._.", name, start_char, end_char), SPAN_EXTENSIONS[name])


def span_value_list(doc: Doc, start_char: int, end_char: int, names: tuple[str, ...]) -> list[Any]:
    """Several ``span._`` values of the span at these offsets, in the order of ``names`` (one call)."""
    data: dict[Any, Any] = doc.user_data
    get = data.get
    return [get(("._.", name, start_char, end_char), SPAN_EXTENSIONS[name]) for name in names]


def span_values(doc: Doc, start_char: int, end_char: int, names: tuple[str, ...]) -> dict[str, Any]:
    """Several ``span._`` values of the span at these offsets, by name."""
    data: dict[Any, Any] = doc.user_data
    return {name: data.get(("._.", name, start_char, end_char), SPAN_EXTENSIONS[name]) for name in names}


ENTS_KEY = "crackdown.ents"  # the entities as crackdown_entities set them (Doc.ents makes new Spans)
SEGMENTS_KEY = "crackdown.segments"  # the segmenter's sentence-start tokens and paragraph offsets
SPANS_KEY = "crackdown.spans"  # the Span lists the finders wrote to doc.spans, by span group key


def entities(doc: Doc) -> list[Span]:
    """``list(doc.ents)``, as ``crackdown_entities`` set them when it did (kept until the last
    component: reading ``Doc.ents`` walks every token and makes a new Span per entity)."""
    found = doc.user_data.get(ENTS_KEY)
    return list(found) if found is not None else list(doc.ents)


def set_group(doc: Doc, key: str, spans: list[Span]) -> None:
    """``doc.spans[key] = spans``, keeping the list until the last component: iterating a
    SpanGroup makes a new Span (and three Tokens) per span, and the resolver reads every group."""
    doc.spans[key] = spans
    kept: dict[str, Any] = doc.user_data.setdefault(SPANS_KEY, {})
    kept[key] = (doc.spans[key], spans)


def group_spans(doc: Doc, key: str) -> list[Span]:
    """``list(doc.spans.get(key, []))``: the list ``set_group`` kept while the group is the one
    it wrote (the same object, of the same length), else read from the group."""
    group = doc.spans.get(key)
    if group is None:
        return []
    kept = doc.user_data.get(SPANS_KEY, {}).get(key)
    if kept is not None and kept[0] is group and len(kept[1]) == len(group):
        return kept[1]  # type: ignore[no-any-return]
    return list(group)


def doc_value(doc: Doc, name: str) -> Any:
    """``doc._.<name>`` (None when unset), without an accessor object."""
    data: dict[Any, Any] = doc.user_data
    return data.get(("._.", name, None, None), DOC_EXTENSIONS[name])


def forget_text(doc: Doc) -> None:
    """Drop the per-Doc caches once the last component is done with them."""
    for key in (TEXT_KEY, BOUNDS_KEY, ENTS_KEY, SEGMENTS_KEY, SPANS_KEY):
        doc.user_data.pop(key, None)


def register_extensions() -> None:
    """Declare every extension once; calling again is a no-op."""
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
