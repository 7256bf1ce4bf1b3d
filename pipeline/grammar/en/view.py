"""The sentence view: the words of one English sentence as event reading sees them.

A view holds a sentence's lower-cased words (whitespace tokens left out), their
character offsets, their lexicon tags and its entities: the quantities in order with
their units, and for every word inside an entity that entity. The readers of items and
predicates work on positions in it, never on spaCy Tokens (a Token per word is what
made event assembly slow).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Span

from ...attribution import DocContext
from ...extensions import span_value_list
from ...lexicon import Lexicon, Phrases, Tag


@dataclass(slots=True)
class SentenceView:
    """The words of one sentence, their offsets and tags, and its entities."""

    text: str  # the document's text
    words: list[str]  # lower-cased tokens, no whitespace
    idx: list[int]  # character offset of each
    ends: list[int]  # character end of each
    tags: list[Tag | None]
    lowered_alone: bool = False  # the words were lower-cased one by one (the text's lower-casing moved offsets)
    quantities: list[tuple[int, int, Span]] = field(default_factory=list)  # (first, end, span)
    units: list[str | None] = field(default_factory=list)  # span._.unit of each quantity
    entity_at: dict[int, Span] = field(default_factory=dict)

    def phrase(self, start: int, end: int) -> str:
        """The lower-cased text of words ``start:end``, as written (spaces kept)."""
        return self.text[self.idx[start]:self.ends[end - 1]].lower()

    def is_alpha(self, n: int) -> bool:
        """spaCy's IS_ALPHA of word ``n`` (str.isalpha), asked of the few words that need it."""
        if self.lowered_alone:  # lower-casing changed a length: test the word as written
            return self.text[self.idx[n]:self.ends[n]].isalpha()
        return self.words[n].isalpha()

    def is_word(self, n: int) -> bool:
        """Whether word ``n`` can belong to a counted noun phrase (a word outside entities)."""
        if n in self.entity_at:
            return False
        tag = self.tags[n]
        return self.is_alpha(n) or self.text[self.idx[n]:self.ends[n]] in ("-", "'s", "’s") \
            or (tag is not None and bool(tag.noun or tag.drug))  # a listed name with digits: "P2P"


def phrase_ending(words: list[str], n: int, phrases: Phrases) -> int | None:
    """Start of the longest of ``phrases`` that ends just before position ``n``."""
    return phrases.ending(words, n)


QUANTITY_VALUES = ("unit", "qualifier_end")


class ViewBuilder:
    """Builds the view of a sentence from a document's context and the sentence's entities."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def build(self, ctx: DocContext, index: int, ents: list[Span]) -> SentenceView:
        """The view of sentence ``index`` of ``ctx``, whose entities are ``ents`` (in order)."""
        sentence = ctx.words(index)
        first, last, position = sentence.first, sentence.last, sentence.position
        idx, ends, words = sentence.idx, sentence.ends, sentence.words
        tags = self.lexicon.tag(words)
        prefixes = self.lexicon.hyphen_prefixes
        for n in range(2, len(words)):  # "drug-testing kits": an -ing verb joined to the word before modifies
            tag = tags[n]
            if tag is not None and tag.verbs and words[n].endswith("ing") and words[n - 1] == "-" \
                    and idx[n - 1] == ends[n - 2] and idx[n] == ends[n - 1] and words[n - 2].isalpha() \
                    and words[n - 2] not in prefixes:
                tags[n] = replace(tag, verbs=frozenset())  # its noun, drug and other readings stay
        view = SentenceView(ctx.text, words, idx, ends, tags, lowered_alone=sentence.lowered_alone)
        entity_at, quantities, units = view.entity_at, view.quantities, view.units
        for ent in ents:
            start, end = ent.start, ent.end
            at: Sequence[int]
            if position is None:
                at = range(max(start, first) - first, min(end, last) - first)
            else:
                at = [position[i] for i in range(start, end) if i in position]
            if not at:
                continue
            quantity = ent.label_ == "QUANTITY"
            for n in at:
                entity_at[n] = ent
                if not quantity:
                    tags[n] = None  # "May 12" is a date, not the modal "may"
            if quantity:
                unit, qualifier_end = span_value_list(ctx.doc, ent.start_char, ent.end_char, QUANTITY_VALUES)
                stop = at[-1] + 1
                if qualifier_end is not None:  # "300,000-plus drug cases": what it counts is after "-plus"
                    while stop < len(words) and idx[stop] < qualifier_end:
                        stop += 1
                quantities.append((at[0], stop, ent))
                units.append(unit)
        return view
