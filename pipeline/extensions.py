"""Register the ``._`` attributes crackdown sets on Docs and Spans (idempotently).

Values are plain JSON types (ISO date strings, floats), so Docs keep them through
``DocBin`` and multiprocessing.
"""

from __future__ import annotations

from spacy.attrs import IDX, LENGTH, LOWER, SHAPE
from spacy.tokens import Doc, Span

SPAN_EXTENSIONS = {
    "norm": None,  # PROVINCE: ISO 3166-2 code; OPERATION: canonical name; DATE: ISO period
    "value": None,  # QUANTITY: float in the normalised unit
    "unit": None,  # QUANTITY: kg, l, count, percent or an ISO 4217 code
    "qualifier": None,  # QUANTITY: exact, about, more_than, less_than, nearly
    "period_start": None,  # DATE: ISO date or None
    "period_end": None,  # DATE: ISO date or None
    "date_mod": None,  # DATE: since, as_of, before, after, from or ""
    "context_start": None,  # DATE: where its prefix ("as of") starts
    "precise": None,  # DATE: False for weekdays, vague and fuzzy dates
    "rule": None,  # every entity: id of the rule that found it
}

DOC_EXTENSIONS = {
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


ARRAYS_KEY = "crackdown.arrays"


def token_arrays(doc: Doc) -> list[list[int]]:
    """[offset, length, lower-case id, shape id] of every token, read in C once per Doc:
    the finders look only at the few tokens that can start a match."""
    arrays = doc.user_data.get(ARRAYS_KEY)
    if arrays is None:
        arrays = doc.to_array([IDX, LENGTH, LOWER, SHAPE]).tolist()
        doc.user_data[ARRAYS_KEY] = arrays
    return arrays


def forget_text(doc: Doc) -> None:
    """Drop the per-Doc caches once the last component is done with them."""
    doc.user_data.pop(TEXT_KEY, None)
    doc.user_data.pop(ARRAYS_KEY, None)


def register_extensions() -> None:
    """Declare every extension once; calling again is a no-op."""
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
