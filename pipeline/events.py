"""Assemble event rows: decide which quantities are events, of what type, and of what.

For each QUANTITY in mass, volume or count, the assembler reads its counted noun
(the item after the number, "kilograms of X", or the noun shared with an earlier
number in the same sentence), then looks for the predicate: a clause-level phrase
("compulsory isolation"), a passive verb after the item ("have been seized"), an
active verb before the number ("cracked 10 cases"), or a later verb in the clause.
The first (noun class, predicate class) pair that ``events.yml`` types makes the
event. Attribution (provinces, operation, period) is ``attribution.py``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from .attribution import DocContext, Mention, Period, Rules, _as_date
from .extensions import doc_text, span_value
from .kind import KindRules, KindVerdict
from .lexicon import Lexicon, Tag
from .rules import DrugsFile, EventsFile, TopicFile
from .schema import EVENT_UNITS
from .topic import AMBIGUOUS, DRUG, NO_DRUG_CUE, DocumentTopic, TopicRules, Verdict

BLOCKED = "blocked"
CONTAINER = "container"  # a noun class that takes the class of what it holds
OTHER = "other"  # counted nouns that are never events ("three guns", "four types")
QUOTES = {'"', "“", "”", "'", "‘", "’"}


@dataclass(slots=True)
class Predicate:
    """A predicate found for a quantity: its classes, words, where, and how it was found."""

    verbs: frozenset[str]
    phrase: str
    how: str  # clause | passive | active | later | later_noun
    noun: str = ""  # a counted noun found inside the predicate ("their driving licences revoked")
    noun_text: str = ""


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


@dataclass(slots=True)
class Fact:
    """One event: a typed, itemised quantity, before attribution."""

    span: Span
    sent: int
    event_type: str
    item: str
    drug: str | None
    trigger: str
    how: str
    next_start: int = 0
    topic_cue: str = ""
    predicate: Predicate | None = None


@dataclass(slots=True)
class _Sentence:
    text: str  # the document's text
    words: list[str]  # lower-cased tokens, no whitespace
    idx: list[int]  # character offset of each
    ends: list[int]  # character end of each
    alpha: list[bool]  # is_alpha of each (str.isalpha, as spaCy's IS_ALPHA)
    tags: list[Tag | None]
    quantities: list[tuple[int, int, Span]] = field(default_factory=list)  # (first, end, span)
    units: list[str | None] = field(default_factory=list)  # span._.unit of each quantity
    entity_at: dict[int, Span] = field(default_factory=dict)


class EventAssembler:
    """Turns an annotated Doc into event row dicts (the event table's rows)."""

    def __init__(self, events: EventsFile, drugs: DrugsFile, topic: TopicFile, qualifiers: Iterable[str],
                 tokenize) -> None:  # type: ignore[no-untyped-def]
        self.rules = events
        self.topic_rules = TopicRules(topic, drugs)
        self.kind_rules = KindRules(events.kind)
        self.respectively_re = re.compile(r"\brespectively\b", re.IGNORECASE)
        self.lexicon = Lexicon(events, drugs, list(qualifiers), tokenize)
        self.attribution_rules = Rules(events)
        self.types = events.types
        self.clause_classes = set(events.clause_predicates)
        self.coordinators = {w.lower() for w in events.coordinators}
        self.through = set(events.counted_through)
        # classes whose nouns head a phrase (a drug or chemical word may also modify one)
        self.heads = set(events.noun_classes) - {"drug", "precursor", CONTAINER}
        # (noun class, unit) -> [(event type, its predicate classes)], in the order of events.yml
        self._types_by: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = {}
        for name, rule in self.types.items():
            for cls in rule.nouns:
                for unit in rule.units:
                    self._types_by.setdefault((cls, unit), []).append((name, frozenset(rule.verbs)))

    # -- document level ------------------------------------------------------------
    def assemble(self, doc: Doc, why: dict[int, str] | None = None) -> list[dict[str, object]]:
        """Event rows of ``doc``, in text order, with provenance.

        A document with no drug cue anywhere has no event (and costs one regex scan).
        ``why``, when given, gets the reason each other quantity is not an event, by its
        start offset (``explain`` shows them).
        """
        ents = list(doc.ents)  # Doc.ents builds new Spans on every access: read it once
        cues = self.topic_rules.read(doc_text(doc), self._operations(doc, ents))
        if not any(c.topic in (DRUG, AMBIGUOUS) for c in cues):
            if why is not None:
                why.update((e.start_char, NO_DRUG_CUE) for e in ents if e.label_ == "QUANTITY")
            return []
        ctx = DocContext(doc, self.attribution_rules, ents)
        ctx.topic = DocumentTopic(cues, ctx.lead_span())
        by_sentence: dict[int, list[Span]] = {}
        for ent in ents:
            by_sentence.setdefault(ctx.sent_of(ent.start_char), []).append(ent)
        facts: list[Fact] = []
        for index, ents in sorted(by_sentence.items()):
            if any(e.label_ == "QUANTITY" for e in ents):
                previous = [f for f in facts if f.sent == index - 1]
                facts.extend(self._sentence_facts(ctx, index, ents, previous, why))
        return self._rows(doc, ctx, facts)

    def explain(self, doc: Doc) -> dict[int, str]:
        """Why each quantity of an annotated ``doc`` that is not an event is not one (by offset)."""
        why: dict[int, str] = {}
        self.assemble(doc, why)
        return why

    @staticmethod
    def _operations(doc: Doc, ents: list[Span]) -> list[tuple[int, int, str | None]]:
        """(start, end, canonical name) of the document's OPERATION entities."""
        return [(e.start_char, e.end_char, span_value(doc, "norm", e.start_char, e.end_char))
                for e in ents if e.label_ == "OPERATION"]

    def analyse(self, doc: Doc, span: Span) -> dict[str, object]:
        """How the assembler reads one quantity: its counted noun and the words around it.

        Used to learn rules from annotations: for a missed event, ``noun_class`` says
        whether the noun was known, and ``before``/``after`` are the words a predicate
        would be (the nearest word before the number, the first after the noun).
        """
        ctx = DocContext(doc, self.attribution_rules)
        index = ctx.sent_of(span.start_char)
        ents = [e for e in ctx.ents if ctx.sent_of(e.start_char) == index]
        out: dict[str, object] = {"item": "", "head": "", "noun_class": "", "before": "", "after": ""}
        if index >= len(ctx.sentences):
            return out
        view = self._view(ctx, index, ents)
        k = next((i for i, q in enumerate(view.quantities) if q[2].start_char == span.start_char), None)
        if k is None:
            return out
        first, last, _ = view.quantities[k]
        item = self._item(view, k)
        lex = self.lexicon
        head_end = item.end
        for i in range(last, item.end):
            if view.words[i] in ("of", "for"):
                head_end = i
                break
        head = next((view.words[i] for i in range(head_end - 1, last - 1, -1) if view.alpha[i]), "")
        skip = lex.qualifier_words | lex.skip | {",", "(", '"'}
        n = first - 1
        while n >= 0 and (view.words[n] in skip or not view.alpha[n]):
            n -= 1
        m = item.end if not item.elided else last
        while m < len(view.words) and view.words[m] in lex.aux:
            m += 1
        out.update(item=item.text, head=head, noun_class=item.noun,
                   before=view.words[n] if n >= 0 and view.words[n] not in lex.preps else "",
                   after=view.words[m] if m < len(view.words) and view.alpha[m]
                   and view.words[m] not in lex.preps else "")
        return out

    def _rows(self, doc: Doc, ctx: DocContext, facts: list[Fact]) -> list[dict[str, object]]:
        attributions: list[tuple[list[str], str, str | None, str]] = []
        own_periods: list[tuple[Period | None, Mention | None]] = []
        respectively = self._respectively(ctx, facts)
        for i, fact in enumerate(facts):
            if i in respectively:
                provinces, province_cue = [respectively[i]], "respectively"
            else:
                provinces, province_cue = ctx.provinces_for(fact.sent, fact.span.start_char)
            operation, operation_cue = ctx.operation_for(fact.sent, fact.span.start_char)
            attributions.append((provinces, province_cue, operation, operation_cue))
            own_periods.append(self._own_period(ctx, fact))
        report = self._report(ctx, facts, own_periods, attributions)
        summary = report is not None or self._summary_lead(ctx)
        case_counts = {f.sent for f in facts if f.event_type in ("case_solved", "case_opened")
                       and (span_value(doc, "value", f.span.start_char, f.span.end_char) or 0) > 1}
        doc_id = doc._.doc_id
        published = _as_date(doc._.published)
        rows = []
        for i, fact in enumerate(facts):
            provinces, province_cue, operation, operation_cue = attributions[i]
            period, cue = self._period(ctx, fact, own_periods[i], report, provinces, i)
            if published is not None and period[1] is not None \
                    and (period[1] - published).days > self.rules.ongoing_after_days:
                period = (period[0], None)  # "so far this year" in May: the period is still running
            kind = self._kind(ctx, fact, period, own_periods[i], cue, fact.sent in case_counts, summary)
            scope = ctx.scope_for(fact.sent, provinces, report is not None)
            sent_start, sent_end = ctx.sentences[fact.sent]
            span = fact.span
            start, end = span.start_char, span.end_char
            rows.append({
                "doc_id": doc_id,
                "event_type": fact.event_type,
                "value": span_value(doc, "value", start, end),
                "unit": span_value(doc, "unit", start, end),
                "qualifier": span_value(doc, "qualifier", start, end),
                "item": fact.item,
                "drug": fact.drug,
                "provinces": provinces,
                "scope": scope,
                "operation": operation,
                "period_start": period[0].isoformat() if period[0] else None,
                "period_end": period[1].isoformat() if period[1] else None,
                "kind": kind.kind,
                "raw": ctx.text[start:end],
                "sentence": ctx.text[sent_start:sent_end],
                "start": start,
                "end": end,
                "paragraph": ctx.sent_para[fact.sent],
                "sent_start": sent_start,
                "sent_end": sent_end,
                "rule": span_value(doc, "rule", start, end),
                "trigger": f"{fact.how}:{fact.trigger}",
                "province_cue": province_cue,
                "operation_cue": operation_cue,
                "period_cue": cue,
                "kind_cue": kind.cue,
                "topic_cue": fact.topic_cue,
            })
        return rows

    def _respectively(self, ctx: DocContext, facts: list[Fact]) -> dict[int, str]:
        """Fact index -> province, where a sentence pairs provinces with figures "respectively"
        ("Yunnan and Guangdong seized 12.4 tonnes and 8.7 tonnes respectively")."""
        out: dict[int, str] = {}
        by_sentence: dict[int, list[int]] = {}
        for i, fact in enumerate(facts):
            by_sentence.setdefault(fact.sent, []).append(i)
        for sent, indices in by_sentence.items():
            if len(indices) < 2 or not self.respectively_re.search(ctx.sentence_text(sent)):
                continue
            codes = _unique_codes(m.norm for m in ctx.provinces if m.sent == sent and m.usable)
            if len(codes) == len(indices):
                out.update(zip(indices, codes, strict=True))
        return out

    # -- kind ------------------------------------------------------------------------
    def _kind(self, ctx: DocContext, fact: Fact, period: Period, own: tuple[Period | None, Mention | None],
              period_cue: str, several_cases: bool, summary: bool) -> KindVerdict:
        """Incident or total (kind.py); a report period makes a total of every fact under it."""
        sent_start, _ = ctx.sentences[fact.sent]
        mention = own[1]
        period_text = ctx.text[mention.start:mention.end] if mention is not None and own[0] is not None else None
        if period_cue not in ("sentence", "back_reference"):
            period, period_text = (None, None), None
        verdict = self.kind_rules.judge(ctx.sentence_text(fact.sent), fact.span.start_char - sent_start,
                                        period, period_text, fact.event_type, several_cases, summary)
        if period_cue == "report" and verdict.cue.startswith(("period", "document", "type")):
            return KindVerdict("total", "report")
        return verdict

    def _summary_lead(self, ctx: DocContext) -> bool:
        """Whether the document's lead reads as a summary (more summing cues than single cases)."""
        start, end = ctx.lead_span()
        lead = ctx.text[start:end].lower()
        totals = len(self.kind_rules.total_re.findall(lead))
        return totals > len(self.kind_rules.incident_re.findall(lead))

    # -- periods ---------------------------------------------------------------------
    def _own_period(self, ctx: DocContext, fact: Fact) -> tuple[Period | None, Mention | None]:
        """The period set by a date in the fact's own sentence; (None, mention) if unusable."""
        mention = ctx.own_date(fact.sent, fact.span.start_char, fact.next_start)
        if mention is None or not mention.usable:
            return None, mention
        start, end = mention.period
        if not mention.mod and ctx.opens_since(mention):
            end = None
        if mention.mod in ("as_of", "before") and start is None:
            earlier = ctx.earlier_in_paragraph(fact.sent, mention.start)
            if earlier is not None and earlier.period[0] is not None:
                start = earlier.period[0]
        return (start, end), mention

    def _report(self, ctx: DocContext, facts: list[Fact], own: list[tuple[Period | None, Mention | None]],
                attributions: list[tuple[list[str], str, str | None, str]]) -> tuple[int, Period, list[str]] | None:
        """The report period: the first stated period of the document's first facts."""
        if not facts:
            return None
        first_para = ctx.sent_para[facts[0].sent]
        for i, fact in enumerate(facts):
            if ctx.sent_para[fact.sent] > first_para + 1:
                break
            period, _ = own[i]
            if period is not None and period != (None, None) and period[0] != period[1]:
                return i, period, attributions[i][0]
        return None

    def _period(self, ctx: DocContext, fact: Fact, own: tuple[Period | None, Mention | None],
                report: tuple[int, Period, list[str]] | None, provinces: list[str],
                index: int) -> tuple[Period, str]:
        period, mention = own
        same_scope = report is not None and sorted(report[2]) == sorted(provinces)
        if period is not None:
            start, end = period
            if start is None and mention is not None and mention.mod in ("as_of", "before") \
                    and report is not None and report[0] != index and same_scope:
                start = report[1][0]
            return (start, end), "sentence"
        if ctx.refers_back(fact.sent):
            earlier = ctx.earlier_in_document(fact.span.start_char)
            if earlier is not None:
                return earlier.period, "back_reference"
        earlier = ctx.earlier_in_paragraph(fact.sent, fact.span.start_char)
        if earlier is not None and earlier.sent < fact.sent and (
                self._frames_paragraph(ctx, earlier)
                or (earlier.sent == fact.sent - 1 and self._continues(ctx, fact.sent))):
            return earlier.period, "paragraph"
        if report is not None and same_scope:
            return report[1], "report"
        return (None, None), "none"

    def _continues(self, ctx: DocContext, sent: int) -> bool:
        """Whether a sentence goes on with the one before ("They also confiscated ...")."""
        words = [w.strip(",.;:").lower() for w in ctx.sentence_text(sent).split()[:4]]
        return bool(words) and (words[0] in self.lexicon.continuation_subjects or "also" in words)

    def _frames_paragraph(self, ctx: DocContext, mention: Mention) -> bool:
        """Whether a date dates its paragraph: it opens its sentence ("From July 1st to 6th,
        ..."), or no enforcement action stands near it ("Progress was made in 2023 as ...");
        "the suspects were picked up between May and July" dates its own sentence only."""
        if ctx.opens_sentence(mention):
            return True
        start, end = ctx.sentences[mention.sent]
        before = ctx.text[start:mention.start].lower().split()[-6:]  # the action the date is the time of
        after = ctx.text[mention.end:end].lower().split()[:3]
        words = [w.strip(",.;:") for w in before + after]
        return not any(tag is not None and tag.verbs for tag in self.lexicon.tag(words))

    # -- sentence level -------------------------------------------------------------
    def _sentence_facts(self, ctx: DocContext, index: int, ents: list[Span], previous: list[Fact],
                        why: dict[int, str] | None = None) -> list[Fact]:
        """The facts of sentence ``index``; ``why`` (when given) gets, for each quantity that
        is not one, the reason (by its start offset)."""
        view = self._view(ctx, index, ents)
        carried = self._carried(view, previous)
        items: list[Item] = [self._item(view, k) for k in range(len(view.quantities))]
        facts: list[Fact] = []
        for k in range(len(view.quantities)):
            read = self._read_quantity(ctx, index, view, k, items, carried)
            if isinstance(read, Fact):
                facts.append(read)
            elif why is not None:
                why[view.quantities[k][2].start_char] = read
        return facts

    def _read_quantity(self, ctx: DocContext, index: int, view: _Sentence, k: int, items: list[Item],
                       carried: Predicate | None) -> "Fact | str":
        """Quantity ``k`` of the sentence as a fact, or the reason it is not one."""
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
        if item.elided and self._not_a_count(view, k):
            return "an age, a term or a rank, not a count"
        if unit != "count" and not item.elided and item.start == view.quantities[k][1] \
                and self._last_noun(view, item.start, item.start + 1, item.end) == CONTAINER:
            return f"the size of each {item.text!r}, not an amount"  # "11,915 120ml bottles"
        before = self._before_number(view, k)
        measured = self._measured_item(view, before)
        if measured is not None:
            item = measured  # "66 packages of heroin weighing 23.6 kg"
        if item.elided:
            item = self._copula_item(view, k) or item
        inherited = self._shared_item(view, k, items) if item.elided else None
        noun = item.noun or (inherited.noun if inherited else "") or ("none" if item.elided else "")
        if not noun and unit == "count":
            noun = "none"
        if not noun and item.trigger is not None and self._drug_before(view, first)[0]:
            noun = "drug"  # "Marijuana made up 1,560 kg of the 2011 haul"
        if unit != "count" and self.rules.mass_default_noun and (noun == "none" or (not noun and item.trigger)):
            noun = self.rules.mass_default_noun  # "200 kg seized"
        noun = self._counted_through(view, before) or noun  # "the licences of 1,436 drivers"
        if noun == "person" and self._phrase_ending(view.words, before, self.lexicon.subset) is not None:
            return "part of a group already counted"  # "48 suspects, including two Taiwan residents"
        decision = self._decide(view, k, item, noun, unit, before, measured, carried)
        if decision is None:
            what = repr(item.text) if item.text else "no counted noun"
            return f"no predicate makes an event of {what} (noun class {noun or 'unknown'}, unit {unit})"
        event_type, predicate = decision
        verdict = self._topic(ctx, index, view, item if not item.elided else inherited, first)
        if not verdict.drug:
            return verdict.cue
        text, drug = self._describe(view, k, item, inherited, predicate, event_type)
        if not self.types[event_type].names_drug:
            drug = None  # "72 meth labs", "300 heroin traffickers": not an amount of a drug
        next_start = view.quantities[k + 1][2].start_char if k + 1 < len(view.quantities) else view.ends[-1]
        return Fact(span, index, event_type, text, drug, predicate.phrase, predicate.how, next_start,
                    verdict.cue, predicate)

    def _shared_item(self, view: _Sentence, k: int, items: list[Item]) -> Item | None:
        """The item an elided quantity shares: the next one's when coordinated with it ("12.4
        tonnes and 8.7 tonnes of drugs"), else an earlier one's ("eight on Jan. 17, three on
        Jan. 19", "another 1,800 took part in ...")."""
        quantities, words = view.quantities, view.words
        if k + 1 < len(quantities):
            n = quantities[k][1]
            while n < quantities[k + 1][0] and (words[n] in self.coordinators
                                                or words[n] in self.lexicon.qualifier_words):
                n += 1
            nxt = items[k + 1]
            if n == quantities[k + 1][0] and n > quantities[k][1] and not nxt.elided and nxt.noun \
                    and nxt.noun != OTHER:
                return nxt
        return next((items[j] for j in range(k - 1, -1, -1)
                     if not items[j].elided and items[j].noun and items[j].noun != OTHER), None)

    def _measured_item(self, view: _Sentence, before: int) -> Item | None:
        """The item a measure word weighs ("seven parcels of khat weighing 60.75 kg")."""
        start = self._phrase_ending(view.words, before, self.lexicon.measure)
        if start is None:
            return None
        end = start
        while end > 0 and view.words[end - 1] in (",", "-"):
            end -= 1
        for j in range(end - 1, max(-1, end - 8), -1):
            if self._clause_end(view, j) or j in view.entity_at:
                break
            tag = view.tags[j]
            if tag is not None and tag.noun and tag.noun != OTHER:
                lo = j
                while lo > 0 and view.tags[lo - 1] is not None and view.tags[lo - 1].noun:  # type: ignore[union-attr]
                    lo -= 1
                noun = self._head_class(view, lo, end)
                return Item(text=self._text(view, lo, end), noun=noun, drug=self._drug_in(view, lo, end),
                            elided=False, start=lo, end=end, measured_at=lo)
        return None

    def _counted_through(self, view: _Sentence, before: int) -> str:
        """The class of a noun counted through its holders ("the licences of 1,436 drivers")."""
        if before < 2 or view.words[before - 1] != "of":
            return ""
        covering = None
        for j in range(before - 2, max(-1, before - 2 - self.lexicon.max_len), -1):
            tag = view.tags[j]
            if tag is not None and tag.noun and j + tag.length == before - 1:
                covering = tag
                break
        return covering.noun if covering is not None and covering.noun in self.through else ""

    def _carried(self, view: _Sentence, previous: list[Fact]) -> Predicate | None:
        """The predicate a breakdown sentence carries from the sentence before ("Of that
        amount, 7.75 tonnes was heroin")."""
        if not previous:
            return None
        words = view.words
        for phrase in self.lexicon.breakdown:
            if tuple(words[:len(phrase)]) == phrase:
                source = previous[-1].predicate
                if source is None:
                    return None
                return Predicate(source.verbs, source.phrase, "breakdown")
        return None

    @staticmethod
    def _topic(ctx: DocContext, index: int, view: _Sentence, item: Item | None, first: int) -> Verdict:
        """Whether the quantity at token ``first`` is about drugs (topic.py), from its item outwards."""
        span = (view.idx[item.start], view.ends[item.end - 1]) if item and item.end > item.start else (0, 0)
        sentence = ctx.sentences[index]
        paragraph = (ctx.paragraphs[ctx.sent_para[index]][0], sentence[1])  # the paragraph up to here
        assert ctx.topic is not None
        return ctx.topic.judge(span, sentence, paragraph, view.idx[first], item.drug if item else None)

    @staticmethod
    def _phrase_ending(words: list[str], n: int, phrases: set[tuple[str, ...]]) -> int | None:
        """Start of the longest of ``phrases`` that ends just before position ``n``."""
        best = None
        for phrase in phrases:
            size = len(phrase)
            if size and n - size >= 0 and tuple(words[n - size:n]) == phrase and (best is None or n - size < best):
                best = n - size
        return best

    def _before_number(self, view: _Sentence, k: int) -> int:
        """Position just after the last word before quantity ``k`` that is not a qualifier or
        a summing phrase ("with more than 22 kg", "weighing a total of 9,140 kg")."""
        n = view.quantities[k][0]
        words = view.words
        while n > 0:
            if n >= 3 and tuple(words[n - 3:n]) == ("a", "total", "of"):
                n -= 3
            elif words[n - 1] in self.lexicon.qualifier_words and words[n - 1] != "of":
                n -= 1
            else:
                break
        return n

    def _not_a_count(self, view: _Sentence, k: int) -> bool:
        """An age, a term or a rank: "aged 20", "the oldest was 72", "a 12-year-old" (asked of
        numbers that count nothing written after them)."""
        first, last, _ = view.quantities[k]
        lex, words = self.lexicon, view.words
        n = first
        while n > 0 and words[n - 1] in lex.qualifier_words:
            n -= 1
        before = lex.non_count_before
        sizes = {len(p) for p in before}
        # a cue up to ten words back in the clause: "the oldest was 72", "the youngest suspect ... was 17"
        for p in range(n - 1, max(-1, n - 12), -1):
            if self._clause_end(view, p):
                break
            if any(tuple(words[p:p + size]) in before for size in sizes if p + size <= n):
                return True
        return any(tuple(words[last:last + len(phrase)]) == phrase for phrase in lex.non_count_after)

    def _view(self, ctx: DocContext, index: int, ents: list[Span]) -> _Sentence:
        first, last = ctx.sentence_tokens[index]
        text = ctx.text
        space = ctx.space_tokens
        while last > first and last - 1 in space:
            last -= 1
        while first < last and first in space:
            first += 1
        if space and any(first <= i < last for i in space):  # whitespace tokens ("\n\n") are left out
            kept = [i for i in range(first, last) if i not in space]
            idx = [ctx.token_idx[i] for i in kept]
            ends = [ctx.token_end[i] for i in kept]
            position = {t: n for n, t in enumerate(kept)}
        else:
            idx, ends = ctx.token_idx[first:last], ctx.token_end[first:last]
            position = None
        raw = [text[a:b] for a, b in zip(idx, ends, strict=True)]
        words = [w.lower() for w in raw]
        view = _Sentence(text, words, idx, ends, [w.isalpha() for w in raw], self.lexicon.tag(words))
        for ent in ents:
            if position is None:
                at = range(max(ent.start, first) - first, min(ent.end, last) - first)
            else:
                at = [position[i] for i in range(ent.start, ent.end) if i in position]  # type: ignore[assignment]
            if not at:
                continue
            for n in at:
                view.entity_at[n] = ent
                if ent.label_ != "QUANTITY":
                    view.tags[n] = None  # "May 12" is a date, not the modal "may"
            if ent.label_ == "QUANTITY":
                view.quantities.append((at[0], at[-1] + 1, ent))
                view.units.append(span_value(ctx.doc, "unit", ent.start_char, ent.end_char))
        return view

    def _is_word(self, view: _Sentence, n: int) -> bool:
        if n in view.entity_at:
            return False
        return bool(view.alpha[n]) or view.text[view.idx[n]:view.ends[n]] in ("-", "'s", "’s")

    def _item(self, view: _Sentence, k: int) -> Item:
        """Read the counted noun phrase after quantity ``k`` of the sentence."""
        _, end, _ = view.quantities[k]
        lex = self.lexicon
        n = end
        words = view.words
        # "kilograms of the 2011 haul", "a total of", "various drugs"
        while n < len(words) and (words[n] in lex.skip or words[n] in QUOTES
                                  or (n in view.entity_at and view.entity_at[n].label_ == "DATE")):
            n += 1
        start = n
        used_of = False
        while n < len(words) and n - start < 9:
            word = words[n]
            tag = view.tags[n]
            if tag is not None and (tag.verbs or tag.blocker) and not tag.noun and not tag.drug:
                adjective = n == start and n + 1 < len(words) and view.tags[n + 1] is not None \
                    and bool(view.tags[n + 1].noun) and not view.tags[n + 1].verbs  # type: ignore[union-attr]
                if not adjective:
                    break
            if word in ("of", "for") and n > start and not used_of and n + 1 < len(words) \
                    and self._is_word(view, n + 1) and words[n + 1] not in lex.aux:
                used_of = True
                n += 1
                continue
            if word in ("and", "or") and n > start:
                nxt = n + 1
                if nxt < len(words) and self._is_word(view, nxt) and words[nxt] not in lex.aux \
                        and (words[nxt] not in lex.skip or words[nxt] in ("other", "various")) \
                        and words[nxt] not in lex.qualifier_words \
                        and words[nxt] not in lex.preps and words[nxt] not in lex.item_end_verbs \
                        and not (view.tags[nxt] and view.tags[nxt].verbs):  # type: ignore[union-attr]
                    n += 1
                    continue
                break
            if word in lex.item_stops or not self._is_word(view, n):
                break
            if n > start and word in lex.item_end_verbs:
                break  # "66 packages of heroin hidden in", "three labs and took"
            if n > start and word.endswith("ed") and words[n - 1] != "-" \
                    and self._head_class(view, start, n):
                break  # "raw materials used to make drugs", "people received": a verb after the noun
            if n > start and word.endswith("ing") and self._last_noun(view, n - 1, n, n) in self.heads:
                break  # "two men moving drugs"; not "drug trafficking networks"
            n += 1
        while n > start and words[n - 1] in ("-", "and", "or", "of", "for", "'s"):
            n -= 1
        item = Item(start=start, end=n)
        if n > start:
            item.elided = False
            item.text = self._text(view, start, n)
            item.noun = self._head_class(view, start, n)
            item.drug = self._drug_of(view, start, n)
            item.anaphor = any(tag is not None and tag.anaphor for tag in view.tags[max(0, start - 2):n])
        elif n < len(words) and view.tags[n] is not None and view.tags[n].verbs and not view.tags[n].noun:  # type: ignore[union-attr]
            # "1,560 kg of the 2011 haul": a predicate noun where the item should be.
            item.trigger = view.tags[n]
            item.end = n + view.tags[n].length  # type: ignore[union-attr]
            item.elided = view.units[k] == "count"
        return item

    def _head_class(self, view: _Sentence, start: int, end: int) -> str:
        """The class of the counted noun of the phrase ``start:end``.

        The head is the last noun before "of"/"for" (else of the whole phrase); a
        container takes the class of what it holds ("66 packages of heroin": drug).
        """
        words = view.words
        head_end = end
        for i in range(start, end):
            if words[i] in ("of", "for"):
                head_end = i
                break
        cls = self._last_noun(view, start, head_end, end) or self._last_noun(view, start, end, end)
        if cls == CONTAINER and head_end < end:
            held = self._last_noun(view, head_end + 1, end, end)
            if held and held not in (CONTAINER, OTHER):
                return held
        return cls

    @staticmethod
    def _last_noun(view: _Sentence, lo: int, hi: int, end: int) -> str:
        for i in range(hi - 1, lo - 1, -1):
            for j in range(i, lo - 1, -1):
                tag = view.tags[j]
                # a phrase starting in the head may run on ("materials for making drugs")
                if tag is not None and tag.noun and j + tag.length - 1 >= i and j + tag.length <= end:
                    return tag.noun
        return ""

    def _drug_in(self, view: _Sentence, start: int, end: int) -> str | None:
        for i in range(start, end):
            tag = view.tags[i]
            if tag is not None and tag.drug and i + tag.length <= end:
                return tag.drug
        return None

    def _drug_before(self, view: _Sentence, before: int, anaphor: bool = False) -> tuple[str | None, str]:
        """The nearest drug named before ``before``: in the same clause ("Marijuana made up 1,560
        kg"), or anywhere before in the sentence for an anaphor ("17 tons of the drug")."""
        for i in range(before - 1, -1, -1):
            if not anaphor and (view.words[i] == "," or self._clause_end(view, i)):
                break
            tag = view.tags[i]
            if tag is not None and tag.drug and i + tag.length <= before:
                return tag.drug, self._text(view, i, i + tag.length)
        return None, ""

    def _drug_of(self, view: _Sentence, start: int, end: int) -> str | None:
        """The one drug an item names; None for several ("methamphetamine and other drugs")."""
        named = {t.drug for t in view.tags[start:end] if t is not None and t.drug}
        general = any(t is not None and t.noun == "drug" and not t.drug for t in view.tags[start:end])
        if len(named) == 1 and not (general and any(w in ("and", "or") for w in view.words[start:end])):
            return named.pop()
        return None

    def _copula_item(self, view: _Sentence, k: int) -> Item | None:
        """The item after a copula ("Of that amount, 7.75 tonnes was heroin")."""
        n = view.quantities[k][1]
        words = view.words
        if n >= len(words) or words[n] not in ("was", "were", "is", "are"):
            return None
        start = end = n + 1
        while end < len(words) and end - start < 4 and view.tags[end] is not None and view.tags[end].noun:  # type: ignore[union-attr]
            end += view.tags[end].length  # type: ignore[union-attr]
        if end == start:
            return None
        return Item(text=self._text(view, start, end), noun=self._head_class(view, start, end),
                    drug=self._drug_of(view, start, end), elided=False, start=start, end=end)

    @staticmethod
    def _text(view: _Sentence, start: int, end: int) -> str:
        return view.text[view.idx[start]:view.ends[end - 1]].lower()

    # -- predicates ---------------------------------------------------------------------
    def _decide(self, view: _Sentence, k: int, item: Item, noun: str, unit: str, before: int,
                measured: Item | None, carried: Predicate | None) -> tuple[str, Predicate] | None:
        """The type of the first predicate (in the order below) that types with the noun."""
        if measured is not None:
            active = self._active(view, measured.measured_at)
            candidates: Iterable[Predicate] = [active] if isinstance(active, Predicate) else []
            return self._first_type(candidates, noun, unit)
        own = list(self._predicates(view, k, item, before)) if carried is not None else \
            self._predicates(view, k, item, before)
        decision = self._first_type(own, noun, unit)
        if decision is None and carried is not None and not own and not self._blocked(view, k, item):
            decision = self._first_type([carried], noun, unit)  # "Of that amount, 7.75 tonnes was heroin"
        return decision

    def _blocked(self, view: _Sentence, k: int, item: Item) -> bool:
        """Whether a blocker governs quantity ``k`` ("660 suspects were involved in trading")."""
        return self._passive(view, k, item) == BLOCKED or self._active(view, view.quantities[k][0]) == BLOCKED

    def _predicates(self, view: _Sentence, k: int, item: Item, before: int) -> Iterator[Predicate]:
        """Candidate predicates in order of preference, found lazily: most facts type on the first."""
        clause = self._clause_predicate(view, k)
        if clause is not None:
            yield clause
        if item.trigger is not None and item.trigger.verbs:
            yield Predicate(item.trigger.verbs, item.trigger.phrase, "item")
        passive = self._passive(view, k, item)
        if passive == BLOCKED:
            return
        if isinstance(passive, Predicate):
            yield passive
        if item.elided:
            later_noun = self._later(view, k, item, with_noun=True)
            if later_noun is not None:
                yield later_noun
        active = self._active(view, view.quantities[k][0])
        if isinstance(active, Predicate):
            if self._phrase_ending(view.words, before, self.lexicon.possession) is not None:
                # "arrested him with 22 kg of heroin": what he had on him was seized
                yield Predicate(frozenset({"seize"}), f"{active.phrase} with", "possession")
            yield active
        later = self._later(view, k, item, with_noun=False)
        if later is not None:
            yield later

    def _first_type(self, candidates: Iterable[Predicate], noun: str,
                    unit: str) -> tuple[str, Predicate] | None:
        types = self._types_by
        for predicate in candidates:
            nouns = [predicate.noun, noun] if predicate.noun else [noun]
            for cls in nouns:
                for name, verbs in types.get((cls, unit), ()):
                    if predicate.verbs & verbs:
                        if predicate.noun and cls == predicate.noun:
                            predicate.how = "later_noun"
                        return name, predicate
        return None

    def _clause_end(self, view: _Sentence, n: int) -> bool:
        return view.words[n] in self.lexicon.breaks

    def _clause_predicate(self, view: _Sentence, k: int) -> Predicate | None:
        _, end, _ = view.quantities[k]
        stop = view.quantities[k + 1][0] if k + 1 < len(view.quantities) else len(view.words)
        for n in range(end, stop):
            if self._clause_end(view, n):
                break
            tag = view.tags[n]
            if tag is not None and tag.verbs & self.clause_classes:
                return Predicate(tag.verbs & self.clause_classes, tag.phrase, "clause")
        return None

    def _passive(self, view: _Sentence, k: int, item: Item) -> "Predicate | str | None":
        """A predicate right after the item ("were seized", "caught in", "that were cracked")."""
        n = item.end if not item.elided else view.quantities[k][1]
        if item.trigger is not None:
            n = item.end
        words = view.words
        quantities = view.quantities
        # Skip coordinated quantities: "1,313.2 kg of drugs and 72.1 tons of chemicals have been seized"
        j = k
        while n < len(words):
            m = n
            while m < len(words) and words[m] in self.coordinators:
                m += 1
            while m < len(words) and words[m] in self.lexicon.qualifier_words:
                m += 1
            if m > n and j + 1 < len(quantities) and quantities[j + 1][0] == m:
                j += 1
                n = self._item(view, j).end
                continue
            break
        verb_at = n
        while n < len(words) and (words[n] in self.lexicon.aux or words[n] in self.lexicon.relative_subjects):
            n += 1  # "that were cracked", "the 3.45 tonnes they seized"
        if n >= len(words):
            return None
        tag = view.tags[n]
        if tag is None or (tag.before_only and n == verb_at):  # "cases involving drugs"; not "were involved"
            return None
        if tag.blocker:
            return BLOCKED
        if tag.verbs:
            return Predicate(tag.verbs, tag.phrase, "passive")
        return None

    def _active(self, view: _Sentence, first: int) -> "Predicate | str | None":
        """The nearest predicate before token ``first`` ("cracked 10 cases", "seizing 65.1 tonnes")."""
        n = first - 1
        limit = max(0, first - 30)
        while n >= limit:
            if self._clause_end(view, n):
                return None
            covering = self._tag_covering(view, n)
            if covering is not None:
                start, tag = covering
                if tag.blocker:
                    return BLOCKED
                if tag.verbs and not (tag.nominal and not self._of_after(view, start + tag.length)):
                    if self._phrase_ending(view.words, start, self.lexicon.purpose) is not None:
                        return BLOCKED  # "bounties for the arrest of 10 fugitives"
                    return Predicate(tag.verbs, tag.phrase, "active")
                n = start - 1
                continue
            if view.words[n] in self.lexicon.item_end_verbs:
                return None  # another verb governs the number ("the seizures were made in 3,978 cases")
            n -= 1
        return None

    def _of_after(self, view: _Sentence, n: int) -> bool:
        """Whether "of" or a coordinator follows a predicate noun at ``n`` ("the seizure of 50 kg",
        "the 2011 haul, alongside 660 kg of heroin")."""
        words = view.words
        return n < len(words) and (words[n] == "of" or words[n] in self.coordinators
                                   or any(tuple(words[n:n + len(p)]) == p for p in self.lexicon.inclusion))

    def _tag_covering(self, view: _Sentence, n: int) -> tuple[int, Tag] | None:
        for j in range(n, max(-1, n - self.lexicon.max_len), -1):
            tag = view.tags[j]
            if tag is not None and j + tag.length > n and (tag.verbs or tag.blocker):
                return j, tag
        return None

    def _later(self, view: _Sentence, k: int, item: Item, with_noun: bool) -> Predicate | None:
        """A predicate later in the clause ("182 suspects belonging to 18 rings were arrested")."""
        n = item.end if not item.elided else view.quantities[k][1]
        noun, noun_text = "", ""
        while n < len(view.words):
            if self._clause_end(view, n):
                return None
            tag = view.tags[n]
            if tag is not None:
                if tag.blocker:
                    return None
                if tag.noun and not tag.verbs and with_noun:
                    noun, noun_text = tag.noun, tag.phrase
                elif tag.verbs:
                    if with_noun:
                        if noun:
                            return Predicate(tag.verbs, tag.phrase, "later_noun", noun, noun_text)
                    else:
                        return Predicate(tag.verbs, tag.phrase, "later")
                n += tag.length
                continue
            n += 1
        return None

    # -- item text and drug ---------------------------------------------------------------
    def _describe(self, view: _Sentence, k: int, item: Item, inherited: Item | None,
                  predicate: Predicate, event_type: str) -> tuple[str, str | None]:
        first = view.quantities[k][0]
        text, drug = item.text, item.drug
        if predicate.noun and predicate.how == "later_noun":
            text = predicate.noun_text
        elif item.elided or item.trigger is not None:
            if inherited is not None:
                text, drug = inherited.text, inherited.drug
            elif event_type in ("drug_seizure", "precursor_seizure"):
                drug, text = self._drug_before(view, first)
            else:
                text = self.types[event_type].default_item or ""
        if drug is None and (item.anaphor or (item.trigger is not None and not text)):
            drug, name = self._drug_before(view, first, anaphor=item.anaphor)
            text = text or name
        return text, drug


def _unique_codes(codes: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(c for c in codes if c))
