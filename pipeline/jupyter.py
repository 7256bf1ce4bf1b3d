"""Draw one document in a Jupyter notebook: its entities highlighted, its event rows under them."""

from __future__ import annotations

from typing import Any

from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import CrackdownError, Errors
from .render import COLORS, STYLE, entities_data, events_html


def display(doc_or_text: "Doc | str", nlp: Language | None = None, *, published: str | None = None) -> None:
    """Show a Doc, or a text run through ``nlp`` (default ``pipeline.load()``), inline.

    The entities are drawn by displaCy in its Jupyter mode, in ``pipeline.COLORS`` (a
    quantity that became an event row in the EVENT colour, labelled with its type);
    the event rows follow as a table, cues beside what they decided.
    """
    try:
        from IPython.display import HTML
        from IPython.display import display as show
    except ImportError as exc:
        raise CrackdownError(Errors.E099.format(detail=exc)) from exc

    doc = doc_or_text if isinstance(doc_or_text, Doc) else _annotate(doc_or_text, nlp, published)
    data, colors = entities_data(doc)
    displacy.render(data, style="ent", manual=True, jupyter=True, options={"colors": colors})
    show(HTML(f"<style>{STYLE}</style>{events_html(doc)}"))


def _annotate(text: str, nlp: Language | None, published: str | None) -> Any:
    from .annotate import annotate, load
    from .reader import Record, parse_published

    return next(iter(annotate(nlp or load(), [Record("text", text, parse_published(published))])))


__all__ = ["COLORS", "display"]
