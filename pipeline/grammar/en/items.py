"""The item reader: the counted noun phrase written after an English number.

"94kg of opium", "3,341 criminal suspects", "66 packages of heroin hidden in ...":
the item starts after the unit and words such as "kilograms of the" and ends at a
verb, a preposition, a qualifier or a clause break; "of"/"for" may join it once,
"and"/"or" join two nouns ("heroin and methamphetamine").
"""

from __future__ import annotations

from dataclasses import dataclass

from ...lexicon import Lexicon, Tag
from .nouns import CONTAINER, LINKS, drug_of, head_class, last_noun
from .view import SentenceView

QUOTES = {'"', "“", "”", "'", "‘", "’"}
JOINERS = ("and", "or")
TRAILING = ("-", "and", "or", "of", "for", "'s")  # never the last word of an item


@dataclass(slots=True)
class Item:
    """The counted noun phrase of a quantity."""

    text: str = ""
    noun: str = ""  # class, "" when unknown
    drug: str | None = None
    elided: bool = True
    trigger: Tag | None = None  # "of the 2011 haul": the item position holds a predicate
    anaphor: bool = False
    start: int = 0  # token index of the item's first word
    end: int = 0  # token index after the item
    measured_at: int = -1  # for an item weighed by a measure word: where its predicate search starts


class ItemReader:
    """Reads the counted noun phrase after each quantity of a sentence view."""

    def __init__(self, lexicon: Lexicon, noun_classes: set[str]):
        self.lexicon = lexicon
        # classes whose nouns head a phrase (a drug or chemical word may also modify one)
        self.heads = noun_classes - {"drug", "precursor", CONTAINER}

    @staticmethod
    def _past_conversion(view: SentenceView, k: int, n: int) -> int:
        """Where the item of quantity ``k`` starts when the amount is given again in brackets right
        after it ("16 jin (8 kilograms) of heroin"), or inside them ("(8 kilograms)"): past the
        brackets; else ``n``."""
        words = view.words
        first = view.quantities[k][0]
        if n < len(words) and words[n] == ")" and first > 0 and words[first - 1] == "(":
            return n + 1  # the amount in brackets
        if n + 1 < len(words) and words[n] == "(" and any(w[:1].isdigit() for w in words[n + 1:n + 3]):
            # the amount before the brackets, given again in other units ("(2,645 pounds)")
            close = next((m for m in range(n + 2, min(n + 6, len(words))) if words[m] == ")"), None)
            if close is not None:
                return close + 1
        return n

    def read(self, view: SentenceView, k: int) -> Item:
        """The item of quantity ``k`` of ``view`` (elided when none is written)."""
        _, end, _ = view.quantities[k]
        lex = self.lexicon
        n = end
        words = view.words
        if lex.time_after.at(words, n):
            return Item(start=n, end=n)  # "25.9 tonnes a year earlier": time, not a counted noun
        n = self._past_conversion(view, k, n)  # "16 jin (8 kilograms) of heroin": both are of heroin
        # "kilograms of the 2011 haul", "a total of", "various drugs"
        while n < len(words) and (words[n] in lex.skip or words[n] in QUOTES
                                  or (n in view.entity_at and view.entity_at[n].label_ == "DATE")):
            n += 1
        start = n
        used_of = False
        quoted = start  # where the item's text starts (at the quote of a quoted modifier)
        nominal: tuple[Tag, int] | None = None  # "300 drug arrests": a predicate noun after a drug word
        while n < len(words) and n - start < 9:
            word = words[n]
            tag = view.tags[n]
            if n == start and word in JOINERS:
                break  # "made up 214 kg and heroin 31.7 kg": no item of its own
            if tag is not None and (tag.verbs or tag.blocker) and not tag.noun and not tag.drug:
                # a modifier before a noun: "seized drugs", "1,376 community rehabilitation stations"
                after = n + tag.length
                # ... after modifiers of its own only ("two new compulsory detoxification centres")
                modifiers = all(words[m] not in LINKS and words[m] not in lex.preps
                                and (view.tags[m] is None or not view.tags[m].noun)  # type: ignore[union-attr]
                                for m in range(start, n))
                adjective = modifiers and after < len(words) and view.tags[after] is not None \
                    and bool(view.tags[after].noun) and not view.tags[after].verbs  # type: ignore[union-attr]
                if not adjective:
                    if n > start and word.endswith("s") and not tag.blocker and not tag.nominal \
                            and view.units[k] == "count" and head_class(view, start, n) == "drug":
                        nominal = (tag, after)  # "made 300 drug arrests": the arrests, of drugs
                    break
            if word in LINKS and n > start and not used_of and n + 1 < len(words) \
                    and view.is_word(n + 1) and words[n + 1] not in lex.aux:
                used_of = True
                n += 1
                continue
            if word in JOINERS and n > start:
                nxt = n + 1
                if nxt < len(words) and view.is_word(nxt) and words[nxt] not in lex.aux \
                        and (words[nxt] not in lex.skip or words[nxt] in ("other", "various")) \
                        and words[nxt] not in lex.qualifier_words \
                        and words[nxt] not in lex.preps and words[nxt] not in lex.item_end_verbs \
                        and not (view.tags[nxt] and view.tags[nxt].verbs):  # type: ignore[union-attr]
                    n += 1
                    continue
                break
            following = view.tags[n + 1] if n + 1 < len(words) else None
            if word in QUOTES and n > start and start > 0 and words[start - 1] in QUOTES \
                    and following is not None and bool(following.noun or following.drug) and not following.verbs:
                n += 1  # the quote closing a quoted modifier: "three 'ice' labs" are labs
                quoted = start - 1  # ... and the item's text opens with its quote
                continue
            if word in lex.item_stops or not view.is_word(n):
                break
            if n > start and lex.time_after.at(words, n):
                break  # "92 cases a year earlier": the time ends the counted noun
            if n > start and word in lex.item_end_verbs:
                break  # "66 packages of heroin hidden in", "three labs and took"
            if n > start and word.endswith("ed") and words[n - 1] != "-" \
                    and head_class(view, start, n):
                break  # "raw materials used to make drugs", "people received": a verb after the noun
            if n > start and word.endswith("ing") and last_noun(view, n - 1, n, n) in self.heads:
                break  # "two men moving drugs"; not "drug trafficking networks"
            n += 1
        while n > start and words[n - 1] in TRAILING:
            n -= 1
        if nominal is not None:
            return Item(text=view.phrase(start, nominal[1]), trigger=nominal[0], start=start, end=nominal[1])
        item = Item(start=start, end=n)
        if n > start:
            item.elided = False
            item.text = view.phrase(quoted, n)
            item.noun = head_class(view, start, n)
            item.drug = drug_of(view, start, n)
            item.anaphor = any(tag is not None and tag.anaphor for tag in view.tags[max(0, start - 2):n])
        elif n < len(words) and view.tags[n] is not None and view.tags[n].verbs and not view.tags[n].noun:  # type: ignore[union-attr]
            # "1,560 kg of the 2011 haul": a predicate noun where the item should be.
            item.trigger = view.tags[n]
            item.end = n + view.tags[n].length  # type: ignore[union-attr]
            item.elided = view.units[k] == "count"
        return item
