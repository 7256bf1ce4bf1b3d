"""How the English reader sees one quantity, for learning rules from annotations.

``crackdown rules train`` and ``rules suggest`` ask, for a missed event, whether its
counted noun was known (``noun_class``) and which words a predicate would be: the
nearest word before the number (``before``) and the first after the noun (``after``).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ...attribution import DocContext, Rules
from ...lexicon import Lexicon
from .items import ItemReader
from .nouns import LINKS
from .view import ViewBuilder


class QuantityAnalyser:
    """Reads one quantity of a document as the fact reader would, without deciding it."""

    def __init__(self, lexicon: Lexicon, items: ItemReader, views: ViewBuilder, rules: Rules):
        self.lexicon = lexicon
        self.items = items
        self.views = views
        self.rules = rules

    def analyse(self, doc: Doc, span: Span) -> dict[str, object]:
        """``item``, ``head``, ``noun_class``, ``before`` and ``after`` of the quantity ``span``."""
        ctx = DocContext(doc, self.rules)
        index = ctx.sent_of(span.start_char)
        ents = [e for e in ctx.ents if ctx.sent_of(e.start_char) == index]
        out: dict[str, object] = {"item": "", "head": "", "noun_class": "", "before": "", "after": ""}
        if index >= len(ctx.sentences):
            return out
        view = self.views.build(ctx, index, ents)
        k = next((i for i, q in enumerate(view.quantities) if q[2].start_char == span.start_char), None)
        if k is None:
            return out
        first, last, _ = view.quantities[k]
        item = self.items.read(view, k)
        lex = self.lexicon
        head_end = item.end
        for i in range(last, item.end):
            if view.words[i] in LINKS:
                head_end = i
                break
        head = next((view.words[i] for i in range(head_end - 1, last - 1, -1) if view.is_alpha(i)), "")
        skip = lex.qualifier_words | lex.skip | {",", "(", '"'}
        n = first - 1
        while n >= 0 and (view.words[n] in skip or not view.is_alpha(n)):
            n -= 1
        m = item.end if not item.elided else last
        while m < len(view.words) and view.words[m] in lex.aux:
            m += 1
        out.update(item=item.text, head=head, noun_class=item.noun,
                   before=view.words[n] if n >= 0 and view.words[n] not in lex.preps else "",
                   after=view.words[m] if m < len(view.words) and view.is_alpha(m)
                   and view.words[m] not in lex.preps else "")
        return out
