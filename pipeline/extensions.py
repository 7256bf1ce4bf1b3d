"""Register the ``._`` attributes crackdown sets on Docs and Spans (idempotently).

Values are plain JSON types (ISO date strings, floats), so Docs keep them through
``DocBin`` and multiprocessing.
"""

from __future__ import annotations

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


def register_extensions() -> None:
    """Declare every extension once; calling again is a no-op."""
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
