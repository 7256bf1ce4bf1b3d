"""The predicate finder: what was done to an English quantity, and the event type it makes.

Candidates are tried lazily in order of preference, and the first that the type table
types with the counted noun wins: a clause-level phrase ("compulsory isolation"), a
predicate noun where the item should be ("of the 2011 haul"), a passive verb after
the item ("have been seized"), a later verb after a noun of its own ("their driving
licences revoked"), an active verb before the number ("cracked 10 cases"), or a later
verb in the clause. A blocker ("involved in") stops the search.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from ...lexicon import Lexicon, Tag
from ...typetable import TypeTable
from .items import Item, ItemReader
from .nouns import CONTAINER
from .view import SentenceView, phrase_ending

BLOCKED = "blocked"
SEIZED = frozenset({"seize"})
RELATIVE_BLOCKED = "blocked in a relative clause"  # no passive predicate, but the active one stands


@dataclass(slots=True)
class Predicate:
    """A predicate found for a quantity: its classes, words, where, and how it was found."""

    verbs: frozenset[str]
    phrase: str
    # how it was found: clause | item | passive | later_noun | possession | active | later | breakdown |
    # measured_back | comparison
    how: str
    noun: str = ""  # a counted noun found inside the predicate ("their driving licences revoked")
    noun_text: str = ""


class PredicateFinder:
    """Finds the predicate of a quantity in a sentence view and types it with its noun."""

    def __init__(self, lexicon: Lexicon, items: ItemReader, table: TypeTable, clause_predicates: Iterable[str],
                 coordinators: Iterable[str], forward_only: Iterable[str] = ()):
        self.lexicon = lexicon
        self.items = items
        self.table = table
        self.clause_classes = frozenset(clause_predicates)
        self.coordinators = {w.lower() for w in coordinators}
        self.forward_only = frozenset(forward_only)

    def _after(self, predicate: Predicate) -> Predicate | None:
        """A predicate found after the number, without the classes that only govern a number
        after them ("three cities accounted for ...": the number is the subject)."""
        if not predicate.verbs & self.forward_only:
            return predicate
        verbs = predicate.verbs - self.forward_only
        return replace(predicate, verbs=verbs) if verbs else None

    def find(self, view: SentenceView, k: int, item: Item, noun: str, unit: str, before: int,
             measured: Item | None, carried: Predicate | None,
             compared: Sequence[Predicate] = ()) -> tuple[str, Predicate] | None:
        """The event type and predicate of quantity ``k`` whose item is ``item`` (noun class
        ``noun``), or None. ``before`` is where the words before the number end; ``measured``
        an item weighed by a measure word ("seven parcels of khat weighing 60.75 kg");
        ``carried`` the predicate of a breakdown's sentence before ("Of that amount, ...");
        ``compared`` the predicates of the sentence's facts before it, in order (after those of the
        sentence before, when this one opens with a comparison: "By comparison, 1,906 had been sent")."""
        as_compared = [replace(p, how="comparison") for p in reversed(compared)]
        named = item.drug is not None
        if compared and phrase_ending(view.words, before, self.lexicon.comparison) is not None:
            # "handled 108 drug cases last year ..., up from 92 cases a year earlier": a figure
            # compared with one before it is counted as that one is (the last its noun fits)
            decision = self._first_type(as_compared, noun, unit, view, named)
            if decision is not None:
                return decision
        if measured is not None:
            active = self._active(view, measured.measured_at)
            candidates: list[Predicate] = [active] if isinstance(active, Predicate) else []
            # ... or a passive after the amount: "Drugs weighing 11.8 tonnes were confiscated"
            passive = self._passive(view, k, Item(start=view.quantities[k][1], end=view.quantities[k][1]))
            if isinstance(passive, Predicate) and (passive := self._after(passive)) is not None:
                candidates.append(passive)
            if active is None and passive is None and measured.start >= 1 \
                    and view.words[measured.start - 1] in self.lexicon.measured_back \
                    and self._only_summing_before(view, measured.start - 1) and not self._blocker_after(view, k):
                # "The pills weighed 1.4 kg in total", "Altogether, the heroin weighed 5 kg": drugs told
                # of before, seized (not "The drugs weighed 3 tonnes and were burned")
                measure = " ".join(w for w in view.words[measured.end:view.quantities[k][0]] if w not in (",", "-"))
                determiner = view.words[measured.start - 1]
                candidates.append(Predicate(SEIZED, f"{determiner} ... {measure}", "measured_back"))
            return self._first_type(candidates, noun, unit, view, named)
        if noun == CONTAINER and unit == "count":
            # "the drugs were packed in 48 waterproof sacks": the packages of a drug told of, seized
            # (the phrase may end in a qualifier word: "in")
            first = view.quantities[k][0]
            packing = self.lexicon.packing
            end = next((n for n in range(before, first + 1) if phrase_ending(view.words, n, packing) is not None), None)
            after = view.quantities[k][1]
            # "40 cardboard boxes", "46 boxes of durian cookies": the head before any "of"
            head = item.text.lower().split(" of ")[0].split()
            cargo = bool(head) and head[-1] in self.lexicon.cargo
            if end is not None and not cargo and view.words[after:after + 1] != ["of"] \
                    and not self._blocker_after(view, k):  # not "60 of the cartons", "... and sold to addicts"
                start = phrase_ending(view.words, end, packing)
                return self._first_type([Predicate(SEIZED, " ".join(view.words[start:end]), "packed")], noun, unit,
                                        view, named)
        opened = bool(compared) and item.elided and self.lexicon.comparison_openers.at(view.words, 0)
        own = list(self._predicates(view, k, item, before)) if carried is not None or opened else \
            self._predicates(view, k, item, before)
        decision = self._first_type(own, noun, unit, view, named)
        if decision is None and opened and not self._blocked(view, k, item):
            # "By comparison, 1,906 had been sent in the first half": its own predicate found
            # nothing (not "By contrast, 120 were released on bail": released is its own)
            decision = self._first_type(as_compared, noun, unit, view, named)
        if decision is None and carried is not None and not own and not self._blocked(view, k, item):
            decision = self._first_type([carried], noun, unit, view, named)  # "Of that amount, 7.75 tonnes was heroin"
        link = view.quantities[k][0] - 1  # the word right before the number ("in" is a qualifier word too)
        if decision is None and noun == "case" and unit == "count" and link > 0 \
                and view.words[link] in self.lexicon.case_links:
            active = self._active(view, link)  # "arrested in 122 cases": the cases they were arrested in
            links = self.lexicon.case_link_verbs
            if isinstance(active, Predicate) and (verbs := frozenset(links[v] for v in active.verbs if v in links)):
                decision = self._first_type([replace(active, verbs=verbs, how="cases_of")], noun, unit, view, named)
        return decision

    @staticmethod
    def _blocker_after(view: SentenceView, k: int) -> bool:
        """Whether a blocker stands anywhere after quantity ``k`` in its sentence."""
        return any(tag is not None and tag.blocker for tag in view.tags[view.quantities[k][1]:])

    def blocked(self, view: SentenceView, k: int, item: Item) -> bool:
        """Whether a blocker governs quantity ``k`` (its own verb says it was not seized or counted)."""
        return self._blocked(view, k, item)

    def _blocked(self, view: SentenceView, k: int, item: Item) -> bool:
        """Whether a blocker governs quantity ``k`` ("660 suspects were involved in trading")."""
        return self._passive(view, k, item) == BLOCKED or self._active(view, view.quantities[k][0]) == BLOCKED

    def _predicates(self, view: SentenceView, k: int, item: Item, before: int) -> Iterator[Predicate]:
        """Candidate predicates in order of preference, found lazily: most facts type on the first."""
        clause = self._clause_predicate(view, k)
        if clause is not None:
            yield clause
        if item.trigger is not None and item.trigger.verbs:
            yield Predicate(item.trigger.verbs, item.trigger.phrase, "item")
        first = view.quantities[k][0]
        if self._pledged(view, first):
            return  # "vowed to bring 30 traffickers to justice": the verb that governs them is a pledge's
        passive = self._passive(view, k, item)
        if passive == BLOCKED:
            return
        if isinstance(passive, Predicate) and (passive := self._after(passive)) is not None:
            yield passive
        if item.elided and not self._verb_before(view, first):
            later_noun = self._later_noun(view, k, item)
            if later_noun is not None and (later_noun := self._after(later_noun)) is not None:
                yield later_noun
        active = self._active(view, first)
        if isinstance(active, Predicate):
            if phrase_ending(view.words, before, self.lexicon.possession) is not None:
                # "arrested him with 22 kg of heroin": what he had on him was seized
                yield Predicate(SEIZED, f"{active.phrase} with", "possession")
            yield active
            if not item.elided and not item.noun:
                return  # a thing of no known class, the object of a verb before it: a verb later is
                # another's ("dismantled 20 greenhouses ..., and seized 130 kg": no greenhouse was seized)
        yield from (p for p in map(self._after, self._later_verbs(view, k, item)) if p is not None)

    def _pledged(self, view: SentenceView, first: int) -> bool:
        """Whether the word right before a number at ``first`` is a verb after an intention phrase
        ("vowed to bring 30"); not a date's word ("between January and May, 8.4 tonnes")."""
        verb = first - 1
        return verb >= 1 and view.is_alpha(verb) and verb not in view.entity_at and self._intended(view, verb)

    def _intended(self, view: SentenceView, verb: int) -> bool:
        """Whether an intention phrase ends right before the verb at ``verb`` ("plan to", "will");
        words of an entity are none ("from January to May seized": the month, not the modal)."""
        start = phrase_ending(view.words, verb, self.lexicon.intention)
        return start is not None and not any(n in view.entity_at for n in range(start, verb))

    def typed(self, predicate: Predicate, noun: str, unit: str, view: SentenceView, named: bool) -> \
            tuple[str, Predicate] | None:
        """The event type ``predicate`` gives a figure of noun class ``noun`` and ``unit``, if any."""
        return self._first_type([predicate], noun, unit, view, named)

    def _first_type(self, candidates: Iterable[Predicate], noun: str, unit: str,
                    view: SentenceView | None = None, named: bool = False) -> tuple[str, Predicate] | None:
        """The first candidate whose classes type the noun (``named``: the item names a drug)."""
        type_of = self.table.type_of
        for found in candidates:
            predicate = self._restricted(found, noun, unit, view, named)
            if predicate is None:
                continue
            nouns = [predicate.noun, noun] if predicate.noun else [noun]
            for cls in nouns:
                name = type_of(cls, predicate.verbs, unit)
                if name is not None:
                    if predicate.noun and cls == predicate.noun:
                        predicate.how = "later_noun"
                    return name, predicate
        return None

    def _restricted(self, predicate: Predicate, noun: str, unit: str, view: SentenceView | None,
                    named: bool) -> Predicate | None:
        """``predicate`` without the classes its words hold only under a condition (configs): only of
        a mass or volume, or of things that name a drug ("The parcels held 1.8 kg", "a box that held
        42 bottles of cannabis oil", not "held 50 anti-drug exhibitions"; mass_only_predicates), or
        only with a recipient after the sentence's first number ("handed 58 suspects to police", not
        "Police handed 200 drug users back to their families"; recipient_predicates)."""
        lex = self.lexicon
        verbs = predicate.verbs
        if unit == "count" and noun != CONTAINER and not named:
            verbs = verbs - lex.mass_only.get(predicate.phrase, frozenset())
        needs = lex.recipient_only.get(predicate.phrase)
        if needs and (view is None or not lex.recipients.intersection(view.words[view.quantities[0][1]:])):
            verbs = verbs - needs
        if verbs == predicate.verbs:
            return predicate
        return replace(predicate, verbs=verbs) if verbs else None

    def _clause_predicate(self, view: SentenceView, k: int) -> Predicate | None:
        _, end, _ = view.quantities[k]
        stop = view.quantities[k + 1][0] if k + 1 < len(view.quantities) else len(view.words)
        breaks = self.lexicon.breaks
        for n in range(end, stop):
            if view.words[n] in breaks:
                break
            tag = view.tags[n]
            if tag is not None and tag.verbs & self.clause_classes:
                return Predicate(tag.verbs & self.clause_classes, tag.phrase, "clause")
        return None

    def _passive(self, view: SentenceView, k: int, item: Item) -> "Predicate | str | None":
        """A predicate right after the item ("were seized", "caught in", "that were cracked")."""
        n = item.end if not item.elided else view.quantities[k][1]
        if item.trigger is not None:
            n = item.end
        words = view.words
        quantities = view.quantities
        lex = self.lexicon
        # Skip coordinated quantities: "1,313.2 kg of drugs and 72.1 tons of chemicals have been seized"
        j = k
        while n < len(words):
            m = n
            while m < len(words) and words[m] in self.coordinators:
                m += 1
            while m < len(words) and words[m] in lex.qualifier_words:
                m += 1
            if m > n and j + 1 < len(quantities) and quantities[j + 1][0] == m:
                j += 1
                n = self.items.read(view, j).end
                continue
            break
        filler = next((f for f in lex.passive_fillers if tuple(words[n:n + len(f)]) == f), None)
        if filler is not None:
            n += len(filler)  # "2.97 tonnes in total have been confiscated"
        n = self._past_aside(view, n)
        verb_at = n
        if n + 1 < len(words) and words[n] in lex.subject_relatives and words[n + 1] not in lex.aux:
            return None  # "detained 23 people who tested positive": what they did, not what was done to them
        relative = False
        while n < len(words) and (words[n] in lex.aux or words[n] in lex.relative_subjects):
            relative = relative or words[n] in lex.relative_pronouns
            n += 1  # "that were cracked", "the 3.45 tonnes they seized"
        if n >= len(words):
            return None
        tag = view.tags[n]
        if tag is None or (tag.before_only and n == verb_at):  # "cases involving drugs"; not "were involved"
            return None
        if tag.blocker:
            # "chemicals that can be turned into drugs": a relative clause tells what the noun
            # is, and leaves the verb before the number its predicate; a blocker after figures of
            # other things joined on blocks those ("seized 20 kg of heroin, and 3 suspects remain at
            # large"), after figures of the same things all ("20 kg of heroin and 30 kg of meth were burned")
            if j > k and self.items.read(view, j).noun != item.noun:
                return None  # the figures joined on are other things, the blocker theirs
            return RELATIVE_BLOCKED if relative else BLOCKED
        if tag.verbs:
            return Predicate(tag.verbs, tag.phrase, "passive")
        return None

    def _past_aside(self, view: SentenceView, n: int) -> int:
        """Past an aside at word ``n`` (``aside_marks``) with no figure, predicate or blocker of its
        own and an auxiliary after it ("Seventy suspects -- Chinese, Myanmar and Lao nationals --
        have been arrested"); else ``n``."""
        words, lex = view.words, self.lexicon
        close = lex.aside_marks.get(words[n]) if n < len(words) else None
        if close is None:
            return n
        figures = {start for start, _, _ in view.quantities}
        for m in range(n + 1, min(len(words) - 1, n + 1 + lex.aside_reach)):
            if words[m] == close and m > n + 1:
                return m + 1 if words[m + 1] in lex.aux else n
            tag = view.tags[m]
            if m in figures or words[m] in lex.breaks or (tag is not None and (tag.verbs or tag.blocker)):
                return n  # the aside holds a figure, a clause break (clause_breaks) or a predicate
        return n

    def _only_summing_before(self, view: SentenceView, at: int) -> bool:
        """Whether word ``at`` opens its sentence, or only a summing phrase (``passive_fillers``:
        "Altogether", "In total,") stands before it."""
        before = view.words[:at]
        if before and before[-1] == ",":
            before = before[:-1]
        return not before or tuple(before) in self.lexicon.passive_fillers

    def _active(self, view: SentenceView, first: int) -> "Predicate | str | None":
        """The nearest predicate before token ``first`` ("cracked 10 cases", "seizing 65.1 tonnes")."""
        n = first - 1
        limit = max(0, first - 30)
        lex = self.lexicon
        weighed = False  # passed an inclusion verb that weighs ("The haul weighed 718 kg")
        while n >= limit:
            if view.words[n] in lex.breaks:
                return self._list_verb(view, n)
            covering = self._tag_covering(view, n)
            if covering is not None:
                start, tag = covering
                if tag.blocker:
                    return BLOCKED
                if tag.verbs and not (tag.nominal and not self._of_after(view, start + tag.length)):
                    if weighed and any(t is not None and t.blocker and not lex.intention.at(view.words, m)
                                       for m, t in enumerate(view.tags[first:], first)):
                        # as for a weighed item told of before: "The haul weighed 3 kg and was burned" (not
                        # "... and would fetch 1.5 billion": a modal tells its worth)
                        return BLOCKED
                    if phrase_ending(view.words, start, lex.purpose) is not None:
                        return BLOCKED  # "bounties for the arrest of 10 fugitives"
                    if self._intended(view, start):
                        return BLOCKED  # "plan to arrest 30 suspects", "will destroy 40 labs": not done
                    return Predicate(tag.verbs, tag.phrase, "active")
                n = start - 1
                continue
            if view.words[n] in lex.item_end_verbs:
                if lex.inclusion.at(view.words, n):
                    # an inclusion verb does not end the search: "the haul weighed 718 kg" is the haul's
                    # (``_of_after``)
                    weighed = True
                    n -= 1
                    continue
                before = self._weight_before(view, n, first)
                if before is None:
                    return None  # another verb governs the number ("the seizures were made in 3,978 cases")
                n = before  # "three bags weighing 2.98 kg, as well as 109 packages": past the weight
            n -= 1
        return None

    def list_header(self, view: SentenceView) -> Predicate | None:
        """The predicate of a line that opens a list of lines after it ("Officers seized:"), or None."""
        n = len(view.words) - 1
        return self._list_verb(view, n) if n > 0 and view.words[n] in self.lexicon.verb_list_openers else None

    def _list_verb(self, view: SentenceView, n: int) -> Predicate | None:
        """The predicate of a list opened after it, when the break at ``n`` opens the list or parts
        its items ("have seized: 354 grams of heroin; 244 grams of ...": `verb_list_openers`,
        `verb_list_separators`); no predicate or other break may stand between."""
        lex = self.lexicon
        while n > 0 and view.words[n] in lex.verb_list_separators:
            n -= 1
            while n > 0 and view.words[n] not in lex.breaks:
                tag = view.tags[n]
                if tag is not None and tag.verbs:
                    return None
                n -= 1
        if n < 1 or view.words[n] not in lex.verb_list_openers:
            return None
        filler = phrase_ending(view.words, n, lex.verb_list_fillers) if len(lex.verb_list_fillers) else None
        if filler is not None:
            n = filler  # "seized the following: ..."
        covering = self._tag_covering(view, n - 1) if n > 0 else None
        if covering is None or not covering[1].verbs or covering[1].nominal or covering[1].blocker \
                or covering[0] + covering[1].length != n or self._intended(view, covering[0]):
            return None
        return Predicate(covering[1].verbs, covering[1].phrase, "list_after_verb")

    def _verb_before(self, view: SentenceView, first: int) -> bool:
        """Whether a predicate verb stands right before the number ("arrest three in ..."): it
        governs the bare number, not a noun and verb later in the clause ("... meth bust")."""
        covering = self._tag_covering(view, first - 1) if first > 0 else None
        return covering is not None and bool(covering[1].verbs) and not covering[1].nominal \
            and covering[0] + covering[1].length == first

    def _weight_before(self, view: SentenceView, n: int, first: int) -> int | None:
        """Where the item weighed by a measure word at ``n`` begins to be read, when the measure
        word weighs an earlier amount between ``n`` and ``first``; else None."""
        for start, _, _ in view.quantities:
            if n < start < first:
                begins = phrase_ending(view.words, start, self.lexicon.measure)
                return n if begins is not None and begins <= n else None
        return None

    def _of_after(self, view: SentenceView, n: int) -> bool:
        """Whether "of" or a coordinator follows a predicate noun at ``n`` ("the seizure of 50 kg",
        "the 2011 haul, alongside 660 kg of heroin")."""
        words = view.words
        if n < len(words) and (words[n] == "of" or words[n] in self.coordinators):
            return True
        # "The haul included ...", "the police haul over the same eleven months included ...":
        # an inclusion verb after the noun, past a phrase that has no verb of its own
        for m in range(n, min(len(words), n + 8)):
            if self.lexicon.inclusion.at(words, m):
                return True
            if words[m] in self.lexicon.breaks or (view.tags[m] is not None and view.tags[m].verbs):  # type: ignore[union-attr]
                return False
        return False

    def _tag_covering(self, view: SentenceView, n: int) -> tuple[int, Tag] | None:
        """The predicate or blocker phrase covering word ``n``: the one starting nearest it, unless
        a blocker starting earlier covers it too ("tests found": not "found")."""
        found = None
        for j in range(n, max(-1, n - self.lexicon.max_len), -1):
            tag = view.tags[j]
            if tag is not None and j + tag.length > n and (tag.verbs or tag.blocker):
                if tag.blocker:
                    return j, tag
                found = found or (j, tag)
        return found

    def _later_verbs(self, view: SentenceView, k: int, item: Item) -> Iterator[Predicate]:
        """Every predicate later in the clause, in order: the first whose type fits the noun is
        taken, so a reduced relative is passed over ("1,160 driving licences held by drug users
        had been cancelled", "the licences of 1,140 people found to be drug users were cancelled")."""
        n = item.end if not item.elided else view.quantities[k][1]
        breaks = self.lexicon.breaks
        # past the first, a verb after the next quantity is that one's ("there were 165,000
        # cases, 194,000 suspects were detained and 102.5 tons were seized")
        stop = next((first for first, _, _ in view.quantities[k + 1:] if first >= n), len(view.words))
        found = False
        lex = self.lexicon
        while n < len(view.words):
            if view.words[n] in breaks or (found and n >= stop):
                return
            if view.words[n] in lex.subject_relatives and n + 1 < len(view.words) \
                    and view.words[n + 1] not in lex.aux:
                # ", who ran the ring's finances, received ...", "drivers who tested positive had
                # ...": what they did is not a predicate (to the comma that closes the clause, or the verb)
                n = next((m for m in range(n + 1, len(view.words)) if view.words[m] == ","), len(view.words)) \
                    if n > 0 and view.words[n - 1] == "," else n + 2
                continue
            tag = view.tags[n]
            if tag is not None:
                if tag.blocker:
                    return
                if tag.verbs:
                    if self._intended(view, n):
                        return  # "30 suspects ... vowed to seize": a pledge, not what happened to them
                    found = True
                    yield Predicate(tag.verbs, tag.phrase, "later")
                n += tag.length
                continue
            n += 1

    def _later_noun(self, view: SentenceView, k: int, item: Item) -> Predicate | None:
        """For a number whose counted noun is not right after it: a later counted noun, then the
        first predicate after that noun."""
        n = item.end if not item.elided else view.quantities[k][1]
        noun, noun_text = "", ""
        breaks = self.lexicon.breaks
        while n < len(view.words):
            if view.words[n] in breaks:
                return None
            tag = view.tags[n]
            if tag is not None:
                if tag.blocker:
                    return None
                if tag.noun and not tag.verbs:
                    noun, noun_text = tag.noun, tag.phrase
                elif tag.verbs and noun:
                    return Predicate(tag.verbs, tag.phrase, "later_noun", noun, noun_text)
                n += tag.length
                continue
            n += 1
        return None
