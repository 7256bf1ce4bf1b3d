"""The English fact reader: which quantities of a sentence are events, of what and what type.

For each QUANTITY in mass, volume or count, it reads the counted noun (the item after
the number, an item weighed by a measure word, the item after a copula, or the noun
shared with another number of the sentence), rules out what is not a count (ages,
terms, parts of a group already counted), finds the predicate and its event type
(predicates.py), and asks the topic judge whether the figure is about drugs.
"""

from __future__ import annotations

from spacy.tokens import Span

from ...attribution import DocContext
from ...events import Fact
from ...lexicon import Lexicon, Tag
from ...rules import EventsFile
from ...schema import EVENT_UNITS
from ...topic import Verdict
from ...typetable import TypeTable
from .items import Item, ItemReader
from .nouns import CONTAINER, NONE, OTHER, PERSON, drug_before, drug_in, drug_of, head_class, last_noun
from .predicates import Predicate, PredicateFinder
from .view import SentenceView, ViewBuilder, phrase_ending

COPULAS = ("was", "were", "is", "are")
SUMMING = ("a", "total", "of")


def _counted_item(view: SentenceView, start: int, end: int) -> Item | None:
    """The words ``start:end`` as a counted item, when their noun is one that may be an event's."""
    cls = last_noun(view, start, end, end) if end > start else ""
    if cls in ("", OTHER, CONTAINER):
        return None
    return Item(text=view.phrase(start, end), noun=cls, drug=drug_of(view, start, end), elided=False,
                start=start, end=end)


def _is_noun(tag: Tag | None) -> bool:
    """Whether a word's tag is a counted noun's."""
    return tag is not None and bool(tag.noun)


LIST_LINES = 64  # the lines of a list followed back to the line that opened it, at most


class FactReader:
    """Reads the facts of one sentence of an English document."""

    def __init__(self, events: EventsFile, lexicon: Lexicon, table: TypeTable):
        self.rules = events
        self.lexicon = lexicon
        self.table = table
        self.views = ViewBuilder(lexicon)
        self.items = ItemReader(lexicon, set(events.noun_classes))
        self.predicates = PredicateFinder(lexicon, self.items, table, events.clause_predicates, events.coordinators,
                                          events.forward_only_predicates)
        self.coordinators = {w.lower() for w in events.coordinators}
        self.through = set(events.counted_through)
        self.judicial = {w.lower() for w in events.judicial_subjects}
        self.judicial_not_across = {w.lower() for w in events.judicial_not_across}
        self.agents = {w.lower() for w in events.province_location_agents} | {w.lower() for w in events.police_agents}
        self.through_links = sorted((tuple(w.lower().split()) for w in events.counted_through_links), key=len,
                                    reverse=True)
        self.respective_words = {w.lower() for w in events.respective_words}
        self.described_one = {w.lower() for w in events.described_one}
        self.pronouns = {w.lower() for w in events.pronoun_items}

    def read(self, ctx: DocContext, index: int, ents: list[Span], previous: list[Fact],
             why: dict[int, str] | None = None) -> list[Fact]:
        """The facts of sentence ``index`` of ``ctx`` (its entities ``ents``); ``previous`` are
        the facts of the sentence before. ``why`` (when given) gets, for each quantity that is
        not a fact, the reason (by its start offset)."""
        view = self.views.build(ctx, index, ents)
        carried = self._carried(view, previous) or self._list_opened(ctx, index)
        items: list[Item] = [self.items.read(view, k) for k in range(len(view.quantities))]
        facts: list[Fact] = []
        # a sentence that opens with a comparison compares with the sentence before ("By comparison, ...")
        compared_before = previous if self.lexicon.comparison_openers.at(view.words, 0) else []
        hypothetical = self._hypothetical(view)
        for k in range(len(view.quantities)):
            if view.quantities[k][0] in hypothetical:
                if why is not None:  # "Under China's Criminal Law, anyone caught trafficking 50 grams ..."
                    why[view.quantities[k][2].start_char] = "what anyone would do, not what happened"
                continue
            read = self._read_quantity(ctx, index, view, k, items, carried, compared_before + facts)
            if isinstance(read, Fact):
                facts.append(read)
            elif why is not None:
                why[view.quantities[k][2].start_char] = read
        if len(facts) > 1 and self.respective_words.intersection(view.words):
            self._respective_drugs(view, facts, self.respective_words)
        return facts

    def _hypothetical(self, view: SentenceView) -> set[int]:
        """The word positions of the clause after a `hypothetical_cues` word ("anyone caught
        trafficking 50 grams or more ..."), to the clause's end."""
        cues = self.lexicon.hypothetical
        words, found = view.words, set[int]()
        if not len(cues):
            return found
        n = 0
        while n < len(words):
            if cues.at(words, n):
                m = n + 1
                while m < len(words) and words[m] != "," and words[m] not in self.lexicon.breaks:
                    found.add(m)
                    m += 1
                n = m
            n += 1
        return found

    @staticmethod
    def _respective_drugs(view: SentenceView, facts: list[Fact], respective: set[str]) -> None:
        """"Seizures of heroin, methamphetamine and ketamine stood at 318, 1,640 and 205
        kilograms respectively", "seizing 211 kg and 43 kg of heroin and methamphetamine
        respectively": the drugs named before the figures, or between the last of them and
        "respectively", one each, in order."""
        seizures = [f for f in facts if f.event_type == "drug_seizure"]
        if len(seizures) < 2:
            return
        first = view.quantities[0][0]
        at = next((i for i in range(first, len(view.words)) if view.words[i] in respective), len(view.words))
        last = max((end for start, end, _ in view.quantities if start < at), default=first)
        for low, high in ((0, first), (last, at)):
            drugs = _drugs_between(view, low, high)
            if len(drugs) == len(seizures):
                for fact, drug in zip(seizures, drugs, strict=True):
                    fact.drug = drug
                return

    def _read_quantity(self, ctx: DocContext, index: int, view: SentenceView, k: int, items: list[Item],
                       carried: Predicate | None, earlier: list[Fact]) -> "Fact | str":
        """Quantity ``k`` of the sentence as a fact, or the reason it is not one (``earlier``: the
        sentence's facts before it)."""
        first, _, span = view.quantities[k]
        units = view.units
        unit = units[k]
        if unit not in EVENT_UNITS:
            return f"unit {unit}: not a mass, volume or count"
        item = items[k]
        if item.elided and k + 1 < len(items) and view.quantities[k + 1][0] == view.quantities[k][1] \
                and units[k + 1] != "count":
            item = items[k + 1]  # "500 10ml bottles of codeine syrup": the item after the size
        if item.noun == OTHER:
            return f"counts {item.text!r}, never an event"
        if unit == "count" and view.words[first:view.quantities[k][1]] == ["one"] \
                and self.described_one.intersection(item.text.lower().split()[:3]):
            return f"'one {item.text}' tells of a case, it counts none"  # "In one case on March 18, ..."
        if phrase_ending(view.words, self._before_number(view, k), self.lexicon.population) is not None:
            return "a population, not a count"  # "Macau, a city of about 680,000 people"
        if phrase_ending(view.words, self._before_number(view, k), self.lexicon.change_before) is not None:
            return "a change, not a count"  # "down by 1,352 from the previous year"
        if phrase_ending(view.words, view.quantities[k][0], self.lexicon.label_before) is not None:
            return "a label, not a count"  # "class 1 and class 2 narcotics"
        if self.lexicon.non_count_after.at(view.words, view.quantities[k][1]) or (
                item.elided and self._not_a_count(view, k)):
            return "an age, a term or a rank, not a count"  # "a 12-year-old", "three-nation", "aged 20"
        if unit != "count" and not item.elided and item.start == view.quantities[k][1] \
                and last_noun(view, item.start, item.start + 1, item.end) == CONTAINER:
            return f"the size of each {item.text!r}, not an amount"  # "11,915 120ml bottles"
        before = self._before_number(view, k)
        if unit == "count" and self._containers_counted(view, k) and any(
                self.lexicon.hiding.ending(view.words, n) is not None for n in (before, view.quantities[k][0])):
            return f"where drugs were hidden ({item.text!r}), not an amount"  # "hidden beneath three boxes"
        measured = self._measured_item(view, before)
        if measured is not None:
            item = measured  # "66 packages of heroin weighing 23.6 kg"
        if item.elided:
            item = self._copula_item(view, k) or item
        inherited = self._shared_item(view, k, items) if item.elided else None
        noun = item.noun or (inherited.noun if inherited else "") or ("none" if item.elided else "")
        if not noun and unit == "count":
            noun = "none"
        breaks = self.lexicon.breaks
        if not noun and item.trigger is not None and drug_before(view, first, breaks)[0]:
            noun = "drug"  # "Marijuana made up 1,560 kg of the 2011 haul"
        if item.elided and unit != "count" and noun in ("", "none"):
            nominal = self._nominal_subject(view, first)  # "Seizures of precursors reached 186.4 tonnes"
            if nominal is not None:
                noun, inherited = nominal.noun, inherited or nominal
        if item.elided and unit == "count" and noun == "none" and inherited is None:
            subject = self._counted_subject(view, self._list_start(view, k), first)  # "... solved topped 1,700"
            if subject is not None:
                noun, inherited = subject.noun, subject
        if noun in ("", "drug") and not item.elided and not item.drug \
                and view.words[item.end - 1] in self.lexicon.precursor_heads and self._made_into_drugs(view, item.end):
            noun = "precursor"  # "570 tonnes of substances used to make drugs"
        if item.elided and unit != "count" and noun in ("", "none"):
            noun = self._pronoun_referent(view, k) or noun  # "seized 31.5 tonnes of them"
        if unit != "count" and self.rules.mass_default_noun and (noun == "none" or (not noun and item.trigger)):
            noun = self.rules.mass_default_noun  # "200 kg seized"
        noun = self._counted_through(view, before) or self._held(view, item, first) or noun
        if noun == "person" and phrase_ending(view.words, before, self.lexicon.subset) is not None:
            return "part of a group already counted"  # "48 suspects, including two Taiwan residents"
        if noun in ("case", "person", "none") and unit == "count" and self._judicial(view, first):
            return "counted by courts or prosecutors, not by the police"  # "courts dealt with 14,282 drug cases"
        decision = self.predicates.find(view, k, item, noun, unit, before, measured, carried,
                                        [Predicate(f.verbs, f.trigger, f.how) for f in earlier])
        if decision is None and earlier and self._listed_after(view, k, before, earlier[-1]) \
                and not self.predicates.blocked(view, k, item) \
                and not self._part_of_people(view, before, noun):
            last = earlier[-1]  # "..., as well as 2,700 ecstasy tablets": counted as the figure before
            listed = self.predicates.typed(Predicate(last.verbs, last.trigger, "listed"), noun, unit, view,
                                           item.drug is not None)
            if listed is not None and self._listed_alike(listed[0], last.event_type):
                decision = listed
        if decision is None and inherited is not None and unit == "count" and item.trigger is not None:
            # "cracked 9,068 cases and made 10,040 arrests": a predicate noun counts its own, not the
            # noun of the figure before
            decision = self.predicates.find(view, k, item, "none", unit, before, measured, carried,
                                            [Predicate(f.verbs, f.trigger, f.how) for f in earlier])
            if decision is not None:
                inherited = None
        if decision is None:
            what = repr(item.text) if item.text else "no counted noun"
            return f"no predicate makes an event of {what} (noun class {noun or 'unknown'}, unit {unit})"
        event_type, predicate = decision
        verdict = self._topic(ctx, index, view, item if not item.elided else inherited, first)
        if not verdict.drug:
            return verdict.cue
        text, drug = self._describe(view, k, item, inherited, predicate, event_type)
        if drug is None and item.anaphor and index > 0 and self.table.types[event_type].names_drug \
                and self._one_drug_anaphor(view, item) and drug_in(view, 0, len(view.words)) is None:
            # "They recovered 8.4 kilograms of the drug": the drug the last sentence naming one names
            drug = self._drug_told_last(ctx, index)
        if drug is None and predicate.how == "packed":
            # "the drug was packed in 48 sacks": the drug the sentence, or the story before, names
            drug = drug_in(view, 0, first) or self._drug_told_last(ctx, index)
        if not self.table.types[event_type].names_drug:
            drug = None  # "72 meth labs", "300 heroin traffickers": not an amount of a drug
        next_start = view.quantities[k + 1][2].start_char if k + 1 < len(view.quantities) else view.ends[-1]
        return Fact(span, index, event_type, text, drug, predicate.phrase, predicate.how, next_start,
                    verdict.cue, predicate.verbs)

    def _shared_item(self, view: SentenceView, k: int, items: list[Item]) -> Item | None:
        """The item an elided quantity shares: the next one's when coordinated with it ("12.4
        tonnes and 8.7 tonnes of drugs"), else an earlier one's ("eight on Jan. 17, three on
        Jan. 19", "another 1,800 took part in ...")."""
        quantities, words = view.quantities, view.words
        j = k
        while j + 1 < len(quantities):  # along a list: "402, 171 and 136 of the cases"
            n = quantities[j][1]
            while n < quantities[j + 1][0] and (words[n] in self.coordinators
                                                or words[n] in self.lexicon.qualifier_words):
                n += 1
            if n != quantities[j + 1][0] or n == quantities[j][1]:
                break
            nxt = items[j + 1]
            if not nxt.elided:
                if nxt.noun and nxt.noun != OTHER:
                    return nxt
                break
            j += 1
        counts = view.units[k] == "count"  # a count shares a count's noun, an amount an amount's
        return next((items[j] for j in range(k - 1, -1, -1)
                     if not items[j].elided and items[j].noun and items[j].noun != OTHER
                     and (view.units[j] == "count") == counts), None)

    def _measured_item(self, view: SentenceView, before: int) -> Item | None:
        """The item a measure word weighs ("seven parcels of khat weighing 60.75 kg")."""
        start = phrase_ending(view.words, before, self.lexicon.measure)
        if start is None:
            return None
        end = start
        while end > 0 and view.words[end - 1] in (",", "-"):
            end -= 1
        for j in range(end - 1, max(-1, end - 8), -1):
            if view.words[j] in self.lexicon.breaks or j in view.entity_at:
                break
            tag = view.tags[j]
            if tag is not None and tag.noun and tag.noun != OTHER:
                lo = j
                while lo > 0 and view.tags[lo - 1] is not None and view.tags[lo - 1].noun:  # type: ignore[union-attr]
                    lo -= 1
                return Item(text=view.phrase(lo, end), noun=head_class(view, lo, end), drug=drug_in(view, lo, end),
                            elided=False, start=lo, end=end, measured_at=lo)
        return None

    def _nominal_subject(self, view: SentenceView, first: int) -> Item | None:
        """What a predicate noun before a bare amount names after its "of", or before it, in its
        clause ("Seizures of precursor chemicals reached 186.4 tonnes", "Precursor seizures
        reached 3.1 tonnes": precursor chemicals, precursor)."""
        words, tags = view.words, view.tags
        for j in range(first - 1, -1, -1):
            if words[j] in self.lexicon.breaks:
                return None
            tag = tags[j]
            if tag is None or not tag.nominal:
                continue
            if j + tag.length >= first or words[j + tag.length] != "of":
                # "... and methamphetamine seizures 3.6 tonnes": the nearest predicate noun's
                compound = self._compound_subject(view, j)
                if compound is not None or j + tag.length < first:
                    return compound
                continue
            start = end = j + tag.length + 1
            if end < first and not _is_noun(tags[end]):
                end += 1  # a modifier first ("of illicit drugs")
            while end < first and _is_noun(tags[end]):
                end += tags[end].length  # type: ignore[union-attr]
            return _counted_item(view, start, min(end, first))
        return None

    def _list_start(self, view: SentenceView, k: int) -> int:
        """Where the list of bare numbers that quantity ``k`` ends begins, qualifiers before it
        excluded ("numbered 1,034 and 912": before 1,034)."""
        before = self._before_number(view, k)
        words = view.words
        while k > 0:
            n = before
            while n > 0 and words[n - 1] in self.coordinators:
                n -= 1
            if n == before or view.quantities[k - 1][1] != n:
                break
            k -= 1
            before = self._before_number(view, k)
        return before

    def _counted_subject(self, view: SentenceView, before: int, first: int) -> Item | None:
        """For a bare count right after an inclusion verb, the counted noun of its subject, the
        last in its clause before the verb ("The number of drug cases solved topped 1,700", "Cases
        cracked in 2023 and 2024 numbered 1,034 and 912 respectively"); the predicate is the
        subject's own ("solved", "cracked"), found as any predicate before the number. The verb
        may be read as the number's qualifier ("topped": more than)."""
        verb = phrase_ending(view.words, before, self.lexicon.inclusion)
        if verb is None:
            verb = next((n for n in range(before, first) if self.lexicon.inclusion.at(view.words, n)), None)
        if verb is None and before > 1 and view.words[before - 1] in self.rules.figure_marks \
                and view.tags[before - 2] is not None:
            verb = before - 1  # "cases uncovered - 20,542": a figure set against its subject
        if verb is None:
            return None
        words, tags = view.words, view.tags
        for j in range(verb - 1, -1, -1):
            if words[j] in self.lexicon.breaks or words[j] in (",", ";"):
                return None
            tag = tags[j]
            if tag is not None and (tag.nominal or (tag.verbs and words[j + tag.length - 1].endswith("s"))):
                return None  # "Hubei drug arrests top 4,800": a predicate noun's subject, read as such
            if tag is not None and tag.noun and not tag.verbs and j + tag.length <= verb:
                return self._compound_subject(view, j + tag.length)
        return None

    @staticmethod
    def _compound_subject(view: SentenceView, at: int) -> Item | None:
        """The counted nouns or drugs right before a predicate noun at ``at`` ("precursor
        chemical seizures", "heroin seizures")."""
        start = at
        while start > 0:
            tag = view.tags[start - 1]
            if tag is None or not (tag.noun or tag.drug) or tag.verbs:
                break
            start -= 1
        return _counted_item(view, start, at)

    def _judicial(self, view: SentenceView, first: int) -> bool:
        """Whether a court or prosecutor is the subject that counts the number at ``first``: one
        stands earlier in its clause, with no police agent and no word that opens a reported
        clause between ("A court heard that 12 were arrested"; configs: judicial_subjects,
        judicial_not_across, police_agents)."""
        lex = self.lexicon
        found = False
        for word in reversed(view.words[:first]):
            if word in lex.breaks or word in (",", ".", ";") or word in self.judicial_not_across:
                break
            if word in self.agents:
                return False
            found = found or word in self.judicial
        return found

    def _copula_item(self, view: SentenceView, k: int) -> Item | None:
        """The item after a copula ("Of that amount, 7.75 tonnes was heroin")."""
        n = view.quantities[k][1]
        words = view.words
        if n >= len(words) or words[n] not in COPULAS:
            return None
        start = end = n + 1
        while end < len(words) and end - start < 4 and view.tags[end] is not None and view.tags[end].noun:  # type: ignore[union-attr]
            end += view.tags[end].length  # type: ignore[union-attr]
        if end == start:
            return None
        return Item(text=view.phrase(start, end), noun=head_class(view, start, end),
                    drug=drug_of(view, start, end), elided=False, start=start, end=end)

    def _counted_through(self, view: SentenceView, before: int) -> str:
        """The class of a noun counted through its holders ("the licences of 1,436 drivers",
        "licences held by 143 drug users"; configs: counted_through_links)."""
        link = next((n for n in (len(w) for w in self.through_links)
                     if before > n and tuple(view.words[before - n:before]) in self.through_links), 0)
        if not link:
            return ""
        covering = None
        for j in range(before - 1 - link, max(-1, before - 1 - link - self.lexicon.max_len), -1):
            tag = view.tags[j]
            if tag is not None and tag.noun and j + tag.length == before - link:
                covering = tag
                break
        return covering.noun if covering is not None and covering.noun in self.through else ""

    @staticmethod
    def _containers_counted(view: SentenceView, k: int) -> bool:
        """Whether quantity ``k`` counts containers: one of the two words after it is one
        ("three cardboard boxes in its boot")."""
        end = view.quantities[k][1]
        return any((tag := view.tags[m]) is not None and tag.noun == CONTAINER
                   for m in range(end, min(end + 2, len(view.words))))

    def _held(self, view: SentenceView, item: Item, first: int) -> str:
        """The class of a noun counted through the holders counted before it ("1,140 drug users
        had their driving licences revoked"); ``first``: where the number starts."""
        if item.elided or item.noun != "person":
            return ""
        words = view.words
        # through a relative clause on the holders too ("41 drivers who tested positive for drugs
        # had their licences revoked"), up to the clause's end, when the holders are its subject:
        # no predicate before them ("arrested 12 drug users who had their licences revoked")
        relative = item.end < len(words) and words[item.end] in self.lexicon.relative_pronouns \
            and not self._predicate_before(view, first)
        reach = self.rules.relative_reach if relative else self.lexicon.max_len
        for m in range(item.end + 1, min(len(words), item.end + reach + 1)):
            tag = view.tags[m]
            if tag is not None and tag.noun in self.through:
                start = self.lexicon.holder.ending(words, m)
                if start == item.end or (relative and start is not None and start > item.end):
                    return tag.noun
            if relative and words[m] in self.lexicon.breaks:
                break
            if not relative and tag is not None and tag.noun:
                break
        return ""

    def _predicate_before(self, view: SentenceView, first: int) -> bool:
        """Whether a predicate verb stands before token ``first`` in its clause (back to a break
        or a coordinator: `clause_breaks`, `coordinators`)."""
        for n in range(first - 1, -1, -1):
            word = view.words[n]
            if word in self.lexicon.breaks or word in self.coordinators:
                return False
            tag = view.tags[n]
            if tag is not None and tag.verbs:
                return True
        return False

    def _carried(self, view: SentenceView, previous: list[Fact]) -> Predicate | None:
        """The predicate a breakdown sentence carries from the sentence before ("Of that
        amount, 7.75 tonnes was heroin")."""
        if not previous:
            return None
        if self.lexicon.breakdown.at(view.words, 0):
            source = previous[-1]
            return Predicate(source.verbs, source.trigger, "breakdown")
        return None

    def _list_opened(self, ctx: DocContext, index: int) -> Predicate | None:
        """The predicate a line of a list carries from the line that opened it, back over the list's
        lines in its paragraph ("Officers seized:" then "- 2.8 kg of hashish;"; the segmenter makes
        each line a sentence)."""
        bullets, openers = tuple(self.rules.list_bullets), tuple(self.rules.verb_list_openers)
        if not openers:
            return None
        j = index - 1
        while j >= max(0, index - LIST_LINES):  # on the sentences' text: a view is built for the header only
            if not ctx.text[ctx.sentences[j][0]:ctx.sentences[j + 1][0]].rstrip(" \t").endswith("\n"):
                return None  # a line of its own, not a sentence of prose after "seized: 20 kg."
            if ctx.sent_para[j] != ctx.sent_para[j + 1] and not ctx.sentence_text(j + 1).lstrip().startswith(bullets):
                return None  # the list's lines are one paragraph, or each opens with a bullet
            if ctx.sentence_text(j).rstrip().endswith(openers):
                return self.predicates.list_header(self.views.build(ctx, j, []))
            j -= 1
        return None

    def _topic(self, ctx: DocContext, index: int, view: SentenceView, item: Item | None, first: int) -> Verdict:
        """Whether the quantity at word ``first`` is about drugs (topic.py), from its item outwards."""
        span = (view.idx[item.start], view.ends[item.end - 1]) if item and item.end > item.start else (0, 0)
        sentence = ctx.sentences[index]
        paragraph = (ctx.paragraphs[ctx.sent_para[index]][0], sentence[1])  # the paragraph up to here
        assert ctx.topic is not None
        return ctx.topic.judge(span, sentence, paragraph, view.idx[first], item.drug if item else None,
                               lambda: self._clause(view, first, sentence))

    def _clause(self, view: SentenceView, at: int, sentence: tuple[int, int]) -> tuple[int, int]:
        """Character span of the clause holding word ``at``: between commas and `clause_breaks`."""
        words, breaks = view.words, self.lexicon.breaks
        lo = at
        while lo > 0 and words[lo - 1] != "," and words[lo - 1] not in breaks:
            lo -= 1
        hi = at
        while hi < len(words) and words[hi] != "," and words[hi] not in breaks:
            hi += 1
        return (view.idx[lo] if lo < len(words) else sentence[1], view.ends[hi - 1] if hi > lo else sentence[0])

    def _pronoun_referent(self, view: SentenceView, k: int) -> str:
        """The class (drug or precursor) of what "of them" after amount ``k`` points back to: the
        last such noun before the amount in its sentence; "" when none is named."""
        after = view.quantities[k][1]
        if view.words[after:after + 1] != ["of"] or after + 1 >= len(view.words) \
                or view.words[after + 1] not in self.pronouns:
            return ""
        for n in range(view.quantities[k][0] - 1, -1, -1):
            tag = view.tags[n]
            if tag is not None and tag.noun in ("drug", "precursor"):
                return tag.noun
        return ""

    def _listed_alike(self, listed: str, last: str) -> bool:
        """Whether a listed figure of type ``listed`` may share the predicate of the figure of type
        ``last`` before it: people are listed with people, things with things (the type table's
        nouns; not "seized 20 kg of heroin, and 3 suspects fled")."""
        people = {PERSON, NONE}
        types = self.table.types
        return listed == last or not (people & set(types[listed].nouns) or people & set(types[last].nouns))

    def _part_of_people(self, view: SentenceView, before: int, noun: str) -> bool:
        """Whether people counted at ``before`` are listed after a part-list opener, as parts of
        those counted before it ("five suspects: three men and two women"; part_list_openers)."""
        return noun in (PERSON, NONE) and before > 0 and view.words[before - 1] in self.lexicon.part_list_openers

    def _listed_after(self, view: SentenceView, k: int, before: int, last: Fact) -> bool:
        """Whether quantity ``k`` is one more item of a list whose figure before it is the fact
        ``last``: a coordinator or one of `list_continuers` right before it, and no predicate
        or clause break since that figure."""
        if k == 0 or last.span.start_char != view.quantities[k - 1][2].start_char:
            return False
        joined = phrase_ending(view.words, before, self.lexicon.list_joiners)
        if joined is None:  # "in addition to 2,700": the qualifier words took its "to"
            joined = phrase_ending(view.words, view.quantities[k][0], self.lexicon.list_joiners)
        if joined is None:
            return False
        breaks, tags = self.lexicon.breaks, view.tags
        return not any(view.words[n] in breaks or (tags[n] is not None and tags[n].verbs)  # type: ignore[union-attr]
                       for n in range(view.quantities[k - 1][1], joined))

    def _before_number(self, view: SentenceView, k: int) -> int:
        """Position just after the last word before quantity ``k`` that is not a qualifier or
        a summing phrase ("with more than 22 kg", "weighing a total of 9,140 kg")."""
        n = view.quantities[k][0]
        words = view.words
        while n > 0:
            if n >= 3 and tuple(words[n - 3:n]) == SUMMING:
                n -= 3
            elif words[n - 1] in self.lexicon.qualifier_words and words[n - 1] != "of":
                n -= 1
            else:
                break
        return n

    def _not_a_count(self, view: SentenceView, k: int) -> bool:
        """An age, a term or a rank by what stands before it: "aged 20", "the oldest was 72"
        (asked of numbers that count nothing written after them)."""
        first = view.quantities[k][0]
        lex, words = self.lexicon, view.words
        n = first
        while n > 0 and words[n - 1] in lex.qualifier_words:
            n -= 1
        # a cue up to ten words back in the clause: "the oldest was 72", "the youngest suspect ... was 17"
        for p in range(n - 1, max(-1, n - 12), -1):
            if words[p] in lex.breaks:
                break
            if lex.non_count_before.at(words, p, first):  # a cue may hold the qualifier: "were under 21"
                return True
        return False

    def _made_into_drugs(self, view: SentenceView, at: int) -> bool:
        """Whether a phrase of purpose at ``at`` says a thing is made into drugs ("used to make
        drugs", "that can be turned into methamphetamine"; configs: precursor_purposes)."""
        if at >= len(view.words) or not self.lexicon.precursor_purpose.at(view.words, at):
            return False
        for n in range(at + 1, min(len(view.words), at + 4 + self.lexicon.max_len)):
            if view.words[n] in self.lexicon.breaks or view.words[n] in (",", ";", "."):
                return False
            tag = view.tags[n]
            if tag is not None and (tag.drug or tag.noun == "drug"):
                return True
        return False

    def _one_drug_anaphor(self, view: SentenceView, item: Item) -> bool:
        """Whether an item ends in an anaphor of one drug ("of the drug"; not "the drugs")."""
        words = tuple(view.words[max(0, item.start - 2):item.end])  # the item may start past "the"
        return any(words[-len(a):] == a for a in self.lexicon.one_drug_anaphors)

    def _drug_told_last(self, ctx: DocContext, index: int) -> str | None:
        """The one drug named by the last sentence before ``index`` that names any, in its paragraph
        or before ("... two workshops producing ice. They recovered 8.4 kilograms of the drug";
        "... found two tonnes of methamphetamine. Nine crew members were held. The drugs had been
        packed in 80 sacks"); None when that sentence names several."""
        for before in range(index - 1, -1, -1):
            tags = self.lexicon.tag(ctx.words(before).words)
            named = {tag.drug for tag in tags if tag is not None and tag.drug}
            if named:
                return named.pop() if len(named) == 1 else None
        return None

    def _describe(self, view: SentenceView, k: int, item: Item, inherited: Item | None,
                  predicate: Predicate, event_type: str) -> tuple[str, str | None]:
        """The item text and drug of a fact: as written, inherited, or named before it."""
        first = view.quantities[k][0]
        breaks = self.lexicon.breaks
        text, drug = item.text, item.drug
        if predicate.noun and predicate.how == "later_noun":
            text = predicate.noun_text
        elif item.elided or item.trigger is not None:
            if inherited is not None:
                text, drug = inherited.text, inherited.drug
                if drug is None and event_type == "drug_seizure":  # "of which cannabis accounted for 4.6 kg"
                    drug = drug_before(view, first, breaks)[0]
            elif event_type in ("drug_seizure", "precursor_seizure"):
                drug, text = drug_before(view, first, breaks)
            else:
                text = self.table.types[event_type].default_item or ""
        if drug is None and (item.anaphor or (item.trigger is not None and not text)):
            drug, name = drug_before(view, first, breaks, anaphor=item.anaphor)
            text = text or name
        contents = next((n for n in range(item.start + 1, item.end + 1) if self.lexicon.contents.at(view.words, n)),
                        None) if drug is None and not item.elided and event_type == "drug_seizure" else None
        if contents is not None:
            # "86 tea packets stuffed with crystal meth", "12 bags containing 5 kg of heroin": what they held
            reach = range(contents + 1, min(len(view.words), contents + 2 + self.rules.contents_reach))
            drug = next((t.drug for t in (view.tags[n] for n in reach) if t is not None and t.drug), None)
        return text, drug


def _drugs_between(view: SentenceView, low: int, high: int) -> list[str]:
    """The drugs named in words ``low`` to ``high`` of a view, each once, in order."""
    drugs: list[str] = []
    i = low
    while i < high:
        tag = view.tags[i]
        if tag is not None and tag.drug and i + tag.length <= high:
            if tag.drug not in drugs:
                drugs.append(tag.drug)
            i += tag.length
        else:
            i += 1
    return drugs
