"""Attribute each event to provinces, an operation and a period, by the schema's cues.

The cues, in order (docs/event-schema.md):
- provinces: named in the sentence; else named most recently before it in the
  paragraph; else the document's single focus province; else none. Datelines and
  places drugs came from or went to are not attributions.
- operation: the one named in the sentence; else the document's umbrella
  operation (named in its lead); else the only one the document names, for facts
  after its first mention, facts whose sentence refers to a campaign ("in an
  operation"), and facts of the period its own facts cover; else none.
- period: a date in the sentence; else one it refers back to; else one earlier in
  the paragraph; else, for facts of the report's own scope, the report period
  (the first stated period of the document's first facts).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy
from dateutil.relativedelta import relativedelta
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from .cues import CueFamilies
from .extensions import SEGMENTS_KEY, doc_text, doc_value, entities, span_value, span_value_list, token_bounds
from .grammar.trie import trie_pattern
from .lexicon import Lexicon
from .rules import EventsFile
from .topic import DocumentTopic

if TYPE_CHECKING:
    from .events import Fact

Period = tuple[date | None, date | None]
PARAGRAPHS = "paragraph"  # the span group of paragraphs (the segmenter's spans_key)
# a DATE's span._ values
DATE_VALUES = ("period_start", "period_end", "date_mod", "context_start", "precise", "duration")
DATELINE_PREFIX = 400  # characters of a paragraph that usually hold the words a dateline is looked for in


@dataclass(slots=True)
class Mention:
    """An entity as attribution sees it: where it is and whether it may be used."""

    label: str
    start: int
    end: int
    sent: int
    para: int
    norm: str | None = None
    period: Period = (None, None)
    mod: str = ""
    usable: bool = True
    role: str = ""  # dateline | speech | not_location | vague
    duration: str | None = None  # the length a back reference names ("the nine months": P9M)
    opens: bool = False  # a date something began on ("launched on March 1", "began in early March")
    compared: bool = False  # the date of a figure compared with ("up from 8,950 in 2015")
    compared_at: int = -1  # ... where the comparison begins ("up from"), in the text


@dataclass(slots=True)
class SentenceWords:
    """The words of a sentence: token range, offsets and lower-cased text of each word
    (whitespace tokens left out; ``position`` maps a token index to its word then)."""

    first: int
    last: int
    idx: list[int]
    ends: list[int]
    words: list[str]
    position: dict[int, int] | None = None
    lowered_alone: bool = False  # each word lower-cased on its own (the text's lower-casing moved offsets)


@dataclass(slots=True)
class Attribution:
    """Where, under which operation and when a fact happened, and the cue behind each."""

    provinces: list[str]
    province_cue: str  # sentence | paragraph | focus | respectively | none
    operation: str | None
    operation_cue: str  # sentence | document | campaign_period | none
    scope: str = "unknown"  # local | provincial | national | unknown
    period: Period = (None, None)
    period_cue: str = "none"  # sentence | back_reference | paragraph | report | comparison | none
    stated: Period | None = None  # the period a usable date of the fact's own sentence states
    stated_text: str | None = None  # that date as written
    report: bool = False  # whether the document states a report period


class EndingPhrase:
    """The phrase of a list that ends a text (trailing whitespace aside), on a word boundary,
    case-insensitively: what ``_phrase_re(phrases, anchor_end=True).search`` finds, by
    comparing the end of the text with each phrase instead of trying the regex at every
    position (the regex is kept for text outside ASCII)."""

    def __init__(self, phrases: Sequence[str]):
        self.pattern = _phrase_re(phrases, anchor_end=True)
        self.phrases = sorted({p.lower() for p in phrases}, key=len, reverse=True)
        self.exact = all(p == p.strip() and p.isascii() for p in self.phrases)
        # the phrases by their last character, longest first: only those can end a text
        self._by_last: dict[str, list[str]] = {}
        for phrase in self.phrases:
            self._by_last.setdefault(phrase[-1:], []).append(phrase)
        self._empty = self._by_last.pop("", [])  # an empty phrase ends every text
        for found in self._by_last.values():
            found += self._empty

    def search(self, text: str) -> tuple[int, str] | None:
        """(start, matched text with its trailing whitespace) of the leftmost such phrase, or None."""
        if self.pattern is None:
            return None
        if not (self.exact and text.isascii()):
            m = self.pattern.search(text)
            return (m.start(), m.group()) if m else None
        lower = text.rstrip().lower()
        for phrase in self._by_last.get(lower[-1:], self._empty):  # the longest first: it starts leftmost
            start = len(lower) - len(phrase)
            if lower.endswith(phrase) and (start == 0 or not (lower[start - 1].isalnum() or lower[start - 1] == "_")):
                return start, text[start:]
        return None


_NUMBER_THEN_COMMA = re.compile(r"\d[,.](?:\s|$)")  # "up from 950, in ...": the figure's clause ends there
FRAME_REACH = 80  # characters from an umbrella frame to the operation it names (a name's words between)


class ContainsPhrase:
    """Whether a text holds one of a list's phrases on word boundaries, case-insensitively: what
    ``_phrase_re(phrases, anchor_end=False).search`` says, with a substring test first (an ASCII
    text whose lower-casing holds no phrase has no match; the regex decides the others). With
    ``not_after``, a phrase right after one of those (one of ``determiners`` between or not) is not one."""

    def __init__(self, phrases: Sequence[str], not_after: Sequence[str] = (), determiners: Sequence[str] = ()):
        self.pattern = _phrase_re(phrases, anchor_end=False)
        self.phrases = tuple(sorted({p.lower() for p in phrases}))
        self.exact = all(p.isascii() for p in self.phrases)
        # a phrase right after one of these (a determiner between or not) does not count: "45
        # percent of the national total" compares with the country, it does not speak of it
        bounded = [rf"(?<![\w]){re.escape(p.lower())}" if p[:1].isalnum() else re.escape(p.lower()) for p in not_after]
        between = rf"(?:(?<![\w])(?:{trie_pattern({d.lower() for d in determiners})})\s+)?" if determiners else ""
        self.not_after = re.compile(rf"(?:{'|'.join(bounded)})\s*{between}$", re.IGNORECASE) if bounded else None

    def __call__(self, text: str) -> bool:
        if self.pattern is None:
            return False
        if self.exact and text.isascii():
            lower = text.lower()
            if not any(phrase in lower for phrase in self.phrases):
                return False
        if self.not_after is None:
            return self.pattern.search(text) is not None
        return any(self.not_after.search(text, 0, m.start()) is None
                   for m in self.pattern.finditer(text))


def _phrase_re(phrases: Sequence[str], anchor_end: bool) -> "re.Pattern[str]" | None:
    if not phrases:
        return None
    alt = trie_pattern({p.lower() for p in phrases})
    return re.compile(rf"(?<![\w])(?:{alt})\s*$" if anchor_end else rf"(?<![\w])(?:{alt})(?![\w])",
                      re.IGNORECASE)


class Rules:
    """The attribution part of ``events.yml``, compiled once per pipeline."""

    def __init__(self, events: EventsFile):
        self.events = events
        self.not_location = EndingPhrase(events.province_not_location_after)
        before = sorted({w.lower() for w in events.province_not_location_before}, key=len, reverse=True)
        self.demonym_re = re.compile(r"^\s*(?:" + "|".join(re.escape(w) for w in before) + r")(?![\w])",
                                     re.IGNORECASE) if before else None
        self.agents = {w.lower() for w in events.province_location_agents}
        appositions = trie_pattern({w.lower() for w in events.province_apposition_words})
        # "... in Kunming, the capital of southwest China's ": the text before the city, then the city
        self.apposition_re = re.compile(
            rf"(.*?)\b[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*){{0,2}},\s+(?i:the|a|an)\s+(?:[\w'’-]+\s+){{0,2}}?"
            rf"(?i:{appositions})\s+(?:[\w'’-]+\s+){{0,3}}$") if events.province_apposition_words else None
        joiners = "".join(re.escape(j) for j in events.province_name_joiners)
        # "In Guizhou, officers seized 36 kg, while police in Hunan arrested 701": a clause of its own
        # (words whole; punctuation such as ";" anywhere)
        words = {w.lower() for w in events.province_clause_openers if w[:1].isalnum()}
        marks = {w for w in events.province_clause_openers if not w[:1].isalnum()}
        clause_openers = ([rf"(?<![\w])(?:{trie_pattern(words)})(?![\w])"] if words else []) \
            + ([f"(?:{trie_pattern(marks)})"] if marks else [])
        self.province_clause_re = re.compile("|".join(clause_openers), re.IGNORECASE) if clause_openers else None
        routes = trie_pattern({w.lower() for w in events.province_route_words})
        # "Beijing-Hong Kong-Macao Expressway": the names joined after a province, then a route word
        # (the names are capitalised: only the route word may be in any case, "the Sichuan-Tibet highway")
        self.route_after = re.compile(rf"(?:[{joiners}][A-Z][\w'’]*(?: [A-Z][\w'’]*)*)*\s+(?i:{routes})(?![\w])") \
            if joiners and routes else None
        self.joined = (re.compile(rf"[{joiners}][A-Z]"), re.compile(rf"[A-Za-z][{joiners}]$")) if joiners else None
        current = sorted({w.lower() for w in events.current_period_words}, key=len, reverse=True)
        self.current_re = re.compile(r"(?:" + "|".join(map(re.escape, current)) + r")\b", re.IGNORECASE) \
            if current else None
        self.comparison_re = _phrase_re(events.comparison_words, anchor_end=False)
        self.comparison_end = EndingPhrase(events.comparison_words)
        # "against 112 the year before": the period before the compared figure's (``earlier_period``)
        # (the words between the figure and the phrase are its counted noun's: none of
        # earlier_period_not_across, "12 suspects wanted since the previous year")
        stops = trie_pattern({w.lower() for w in events.earlier_period_not_across}) \
            if events.earlier_period_not_across else "(?!)"
        self.earlier_periods = [
            (unit, re.compile(rf"[ \t]*(?:(?!(?:{stops})(?![\w]))[\w-]+[ \t]+){{0,3}}?"
                              rf"(?:{trie_pattern({p.lower() for p in phrases})})(?![\w])", re.IGNORECASE))
            for unit, phrases in events.earlier_periods.items() if phrases]
        self.earlier_phrases = {p.lower() for phrases in events.earlier_periods.values() for p in phrases}
        # a date ending in one of these ("this week", "This past week") is story time
        self.story_time_re = re.compile(
            rf"(?<!\w)(?:{trie_pattern({p.lower() for p in events.story_time_dates})})$") \
            if events.story_time_dates else None
        # ... and such a phrase is no date of its own right after a figure compared ("up from 87 the
        # previous year"), not after any figure ("arrested 146 suspects in the previous year")
        compare = trie_pattern({w.lower() for w in events.comparison_words})
        self.compared_figure_re = re.compile(rf"(?<![\w])(?:{compare})[ \t]+\d[\d,.]*(?:[ \t]+[\w-]+){{0,3}}[ \t]*$",
                                             re.IGNORECASE) if events.comparison_words else None
        than = trie_pattern({w.lower() for w in events.comparison_than_words})
        self.comparison_than_re = re.compile(rf"(?<![\w])than(?:\s+(?:(?:{than})(?![\w'’])|[\w-]+['’]s))+\s*$",
                                             re.IGNORECASE) if events.comparison_than_words else None
        # "one of the largest cases handled in the city this year": the running period a figure is
        # ranked in, not its own (a ranking opener, a superlative of kind, within its window, no
        # clause break; an opener may start with a comma: ", the largest haul this year")
        superlatives = trie_pattern({w.lower() for w in events.kind.superlatives})
        openers = trie_pattern({w.lower() for w in events.kind.ranking_openers})
        word = r"[ \t]+[^\s,;:.]+"
        self.ranking_re = re.compile(
            rf"(?:(?<![\w])|(?=,))(?:{openers})(?:{word})?[ \t]+(?:{superlatives})(?![\w])"
            rf"(?:{word}){{0,{events.kind.superlative_window}}}[ \t]+$",
            re.IGNORECASE) if events.kind.superlatives and events.kind.ranking_openers else None
        self.speech = {w.lower() for w in events.speech_verbs}
        self.speech_period = {w.lower() for w in events.speech_period_words}
        self.start_verbs = {w.lower() for w in events.start_verbs}
        self.local_cue = ContainsPhrase(events.local_cues)
        self.national_cue = ContainsPhrase(events.national_cues, events.national_share_bases,
                                           events.national_share_determiners)
        self.national_override_cue = ContainsPhrase(events.national_override_cues, events.national_share_bases,
                                                    events.national_share_determiners)
        openers = trie_pattern({w.lower() for w in events.national_openers})
        self.national_opener_re = re.compile(rf"[\W_]*(?:{openers})(?![\w])", re.IGNORECASE) \
            if events.national_openers else None
        self.province_back_reference = ContainsPhrase(events.province_back_references)
        pronouns = trie_pattern({w.lower() for w in events.pronoun_subjects})
        self.pronoun_subject_re = re.compile(rf"[\W_]*(?:{pronouns})(?![\w'’])", re.IGNORECASE) \
            if events.pronoun_subjects else None
        nouns, verbs, determiners = (trie_pattern({w.lower() for w in ws}) for ws in (
            events.coverage_nouns, events.coverage_verbs, events.coverage_determiners))
        word = r"(?:[\w'’-]+\W+)"
        self.coverage_re = re.compile(
            rf"(?<![\w])(?:{determiners})\s+{word}?(?:{nouns})\W+{word}{{0,3}}?(?:{verbs})\W+{word}{{0,3}}?$",
            re.IGNORECASE) if events.coverage_nouns and events.coverage_verbs and events.coverage_determiners else None
        self.coverage_paragraphs = events.coverage_paragraphs
        self.back_ref_cue = ContainsPhrase(events.back_references)
        self.campaign_cue = ContainsPhrase(events.campaign_references)
        # "the first two months | of a province-wide crackdown": months counted from a campaign's start
        campaigns = trie_pattern({w.lower() for w in events.campaign_references})
        determiners = trie_pattern({w.lower() for w in events.campaign_determiners})
        self.of_campaign_re = re.compile(rf"\s+of\s+(?:{determiners})\s+(?:[\w'’-]+\s+){{0,{events.campaign_reach}}}?"
                                         rf"(?:{campaigns})(?![\w])", re.IGNORECASE) \
            if events.campaign_references and events.campaign_determiners else None
        self.umbrella_frame_re = _phrase_re(events.umbrella_frames, anchor_end=False)
        # "The seizures exceed the results of last year's 'Clean Border'": a frame compared with
        comparatives = trie_pattern({w.lower() for w in events.umbrella_comparatives})
        self.umbrella_compared_re = re.compile(
            rf"(?<![\w])(?:{comparatives})\s+(?:(?:{determiners})\s+)?$", re.IGNORECASE) \
            if events.umbrella_comparatives and events.campaign_determiners else None
        self.umbrella_subject_cue = ContainsPhrase(events.umbrella_subjects)
        self.other_story_cue = ContainsPhrase(events.umbrella_other_story)
        self.name_introducers = {w.lower() for w in events.umbrella_name_introducers}
        self.open_start = {w.lower() for w in events.open_start_words}
        self.named_back_nouns = {w.lower() for w in events.named_back_nouns}
        self.named_back_determiners = {w.lower() for w in events.named_back_determiners}
        markers = sorted(events.dateline_markers, key=len, reverse=True)
        self.dateline_re = re.compile("|".join(re.escape(m) for m in markers)) if markers else None
        # the cue families whose words are lexeme flags (cues.py), by the name ``_says`` asks with
        self.anchors = {"local": list(events.local_cues), "national": list(events.national_cues),
                        "national_override": list(events.national_override_cues),
                        "back_reference": list(events.back_references),
                        "campaign": list(events.campaign_references)}


class Attributor:
    """Attributes the facts of a document: provinces, operation, scope and period.

    The period is the one a date of the fact's own sentence states; else one its sentence
    refers back to ("the same period"); else a date earlier in the paragraph that frames
    it; else the report period, for facts of the report's own scope.
    """

    def __init__(self, events: EventsFile, lexicon: Lexicon):
        self.events = events
        self.lexicon = lexicon
        self.respectively = ContainsPhrase(events.respective_words)  # configs: "respectively"
        self.respective_re = re.compile(rf"(?<![\w])(?:{trie_pattern({w.lower() for w in events.respective_words})})"
                                        r"(?![\w])", re.IGNORECASE) if events.respective_words else None
        self.links = {" ".join(w.lower().replace(",", " , ").split()) for w in events.alternating_links}
        self.link_words = [tuple(link.split()) for link in self.links]
        self.place_words = {w.lower() for w in events.alternating_place_words}

    def attribute(self, ctx: "DocContext", facts: "list[Fact]") -> list[Attribution]:
        """One Attribution per fact, in order."""
        out: list[Attribution] = []
        own: list[tuple[Period | None, Mention | None]] = []
        respectively = self._respectively(ctx, facts)
        for i, fact in enumerate(facts):
            if i in respectively:
                provinces, province_cue = [respectively[i][0]], respectively[i][1]
            else:
                provinces, province_cue = ctx.provinces_for(fact.sent, fact.span.start_char)
            operation, operation_cue = ctx.operation_for(fact.sent, fact.span.start_char)
            out.append(Attribution(provinces, province_cue, operation, operation_cue))
            own.append(self._own_period(ctx, fact))
        for i, paired in self._respective_periods(ctx, facts).items():
            own[i] = paired  # "Cases cracked in 2023 and 2024 numbered 1,034 and 912 respectively"
        report = self._report(ctx, facts, own, out)
        # the period the story says its figures cover, asked only when a figure's period runs on
        covered = ctx.coverage_period() if any(p is not None and p[1] is None for p, _ in own) else None
        if covered is None and report is not None and report[1][0] is not None and report[1][1] is None:
            # "since the campaign was launched at the start of the year, ... As of June 30, ...": the
            # running period of a report closed by the date its lead counts to
            covered = ctx.closed_by_as_of(report[1][0], ctx.sent_para[facts[max(report[0], 0)].sent] + 1,
                                          {f.sent for f in facts})
            if covered is not None:
                report = (report[0], covered, report[2])
        published = ctx.published
        vague: list[tuple[int, Period]] = []  # (start of a vague date, the period its fact took)
        for i, fact in enumerate(facts):
            attribution = out[i]
            period, cue = self._period(ctx, fact, own[i], report, attribution.provinces, i, vague)
            said = own[i][1]
            if said is not None and not said.usable and said.role in ("vague", "back_reference") \
                    and period != (None, None):
                vague.append((said.start, period))
            if published is not None and period[1] is not None \
                    and (period[1] - published).days > self.events.ongoing_after_days:
                period = (period[0], None)  # "so far this year" in May: the period is still running
            earlier = self._earlier_period(ctx, facts, out, i)
            if earlier is not None:
                period, cue = earlier, "comparison"
            if covered is not None and cue == "sentence" and _closes(covered, period):
                period, cue = covered, "report"  # a running period the story says its figures end
            attribution.period, attribution.period_cue = period, cue
            stated, mention = own[i]
            if stated is not None and mention is not None:
                attribution.stated, attribution.stated_text = stated, ctx.text[mention.start:mention.end]
            attribution.report = report is not None
            attribution.scope = ctx.scope_for(fact.sent, attribution.provinces, report is not None)
        self._campaign_periods(ctx, out)
        self._year_campaign(ctx, facts, out)
        for attribution in out:  # whatever cue gave it, a period never starts after it ends
            start, end = attribution.period
            if start is not None and end is not None and start > end:
                attribution.period = (None, end)
        return out

    @staticmethod
    def _year_campaign(ctx: "DocContext", facts: "list[Fact]", out: list[Attribution]) -> None:
        """A campaign named with a year ("Under the 'Thunder 2021' province-wide campaign, ...") is the
        operation of the document's figures of that year and of the provinces where it is named, that
        name none, when it is the only campaign named with a year and no umbrella frames the story
        (a border campaign of two provinces is not a national report's); not one named in another
        story ("Separately, ...") or in a sentence whose figures are no drug facts (a campaign against
        gambling)."""
        if ctx.umbrella is not None:
            return
        with_facts = {f.sent for f in facts}
        named = {(m.norm, int(found.group()), tuple(sorted(ctx.provinces_for(m.sent, m.start)[0])))
                 for m in ctx.operations
                 if m.norm and (found := _YEAR_IN_NAME.search(ctx.text, m.start, m.end)) is not None
                 and not ctx.rules.other_story_cue(ctx.sentence_text(m.sent))
                 and (m.sent in with_facts or not ctx.has_quantity(m.sent))}
        if len(named) != 1:
            return
        name, year, where = named.pop()
        for attribution in out:
            first, last = attribution.period
            if attribution.operation is None and first is not None and first.year == year \
                    and (last is None or last.year == year) and tuple(sorted(attribution.provinces)) == where:
                attribution.operation, attribution.operation_cue = name, "year_campaign"

    def _earlier_period(self, ctx: "DocContext", facts: "list[Fact]", out: list[Attribution],
                        i: int) -> Period | None:
        """The period of a figure compared with an earlier one of its sentence as of the year (month,
        week) before: "handled 98 cases last year, against 112 the year before" (configs:
        earlier_periods). None when no such phrase follows it or the compared figure has no period."""
        fact = facts[i]
        end = min(fact.next_start or ctx.sentences[fact.sent][1], ctx.sentences[fact.sent][1])
        after = ctx.text[fact.span.end_char:end]
        unit = next((unit for unit, pattern in ctx.rules.earlier_periods if pattern.match(after)), None)
        if unit is None:
            return None
        compared = next((out[j].period for j in range(i - 1, -1, -1)
                         if facts[j].sent == fact.sent and out[j].period[0] is not None), None)
        if compared is None:
            return None
        step = relativedelta(years=1) if unit == "year" else \
            relativedelta(months=1) if unit == "month" else relativedelta(weeks=1)
        first, last = compared
        assert first is not None
        if last is None:  # "so far this year, up from 200 kg a year earlier": to the same day a year before
            return first - step, (ctx.published - step if ctx.published is not None else None)
        month_end = (last + timedelta(days=1)).day == 1  # a whole month's end stays one: Feb 29 -> Jan 31
        return first - step, (last - step + relativedelta(day=31)) if month_end and unit != "week" else last - step

    @staticmethod
    def _campaign_periods(ctx: "DocContext", out: list[Attribution]) -> None:
        """A document's only operation, named after some of its facts, is theirs too when they
        cover the period its own sentence's facts cover ("seized 2.3 tons in the first half"
        ... "between January and June, 6,905 suspects were detained under the 'X' campaign");
        a raid or a year before the campaign keeps no operation."""
        if ctx.sole_operation is None:
            return
        name = ctx.sole_operation[0]
        periods = {a.period for a in out if a.operation_cue == "sentence" and a.operation == name
                   and a.period[0] is not None and a.period[1] is not None and a.period[0] != a.period[1]}
        for attribution in out:
            if attribution.operation is None and attribution.period in periods:
                attribution.operation, attribution.operation_cue = name, "campaign_period"

    def _respective_periods(self, ctx: "DocContext", facts: "list[Fact]") -> dict[int, tuple[Period, Mention]]:
        """Fact index -> period and date, where a clause pairs as many dated periods with its figures
        "respectively" ("Cases cracked in 2023 and 2024 numbered 1,034 and 912 respectively", "seized
        2,190 kg and 1,320 kg in 2024 and 2023 respectively"): in order, the figures and the dates
        from the clause's start (province_clause_openers: not "..., while arrests fell ...") to the word."""
        out: dict[int, tuple[Period, Mention]] = {}
        if self.respective_re is None:
            return out
        by_sentence: dict[int, list[int]] = {}
        for i, fact in enumerate(facts):
            by_sentence.setdefault(fact.sent, []).append(i)
        for sent, indices in by_sentence.items():
            start, end = ctx.sentences[sent]
            word = self.respective_re.search(ctx.text, start, end) if len(indices) > 1 else None
            if word is None:
                continue
            opener = ctx.rules.province_clause_re
            opened = max((m.end() for m in opener.finditer(ctx.text, start, word.start())), default=start) \
                if opener is not None else start
            paired = [i for i in indices if opened <= facts[i].span.start_char < word.start()]
            dates = [m for m in ctx.dates_between(opened, word.start())
                     if m.period[0] is not None and m.period[1] is not None]
            if len(paired) > 1 and len(dates) == len(paired):
                out.update((i, (m.period, m)) for i, m in zip(paired, dates, strict=True))
        return out

    def _respectively(self, ctx: "DocContext", facts: "list[Fact]") -> dict[int, tuple[str, str]]:
        """Fact index -> province and cue, where a sentence pairs provinces with figures
        "respectively" ("Yunnan and Guangdong seized 12.4 tonnes and 8.7 tonnes respectively") or
        by alternating with them (``_interleaved``)."""
        out: dict[int, tuple[str, str]] = {}
        by_sentence: dict[int, list[int]] = {}
        for i, fact in enumerate(facts):
            by_sentence.setdefault(fact.sent, []).append(i)
        for sent, indices in by_sentence.items():
            if len(indices) < 2:
                continue
            mentions = ctx.provinces_in(sent)
            codes = _unique(m.norm for m in mentions)
            if len(codes) != len(indices):
                continue
            if self.respectively(ctx.sentence_text(sent)):
                out.update((i, (code, "respectively")) for i, code in zip(indices, codes, strict=True))
            elif len(mentions) == len(indices):
                paired = self._interleaved(ctx.text, [(facts[i].span.start_char, facts[i].span.end_char)
                                                      for i in indices], mentions, indices)
                out.update((i, (code, "alternating")) for i, code in paired.items())
        return out

    def _interleaved(self, text: str, spans: list[tuple[int, int]], mentions: "list[Mention]",
                     indices: list[int]) -> dict[int, str]:
        """Fact index -> province where a sentence's figures and provinces alternate, one each, in
        a parallel shape: "Yunnan seized 12.4 tonnes and Guangdong 8.7 tonnes" (each province right
        before its later figure) or "five were held in Tianjin and 12 in Hebei" (after it, through
        "in"); not "seized 20 kg from a truck with Guangxi plates and arrested two" (configs:
        alternating_links, alternating_place_words). Else nothing."""
        def words(start: int, end: int) -> str:
            return " ".join(text[start:end].lower().replace(",", " , ").split())

        pairs = list(zip(spans, mentions, strict=True))
        before = all(m.end <= start and words(m.end, start) in ("", ",") for (start, _), m in pairs[1:]) \
            and pairs[0][1].end <= pairs[0][0][0] \
            and all(end <= m.start and self._ends_in_link(words(end, m.start))
                    for ((_, end), _), (_, m) in zip(pairs, pairs[1:], strict=False))
        after = all(end <= m.start for (_, end), m in pairs) \
            and all(words(end, m.start) in self.place_words for (_, end), m in pairs[1:]) \
            and all(words(m.end, start) in self.links and m.end <= start
                    for (_, m), ((start, _), _) in zip(pairs, pairs[1:], strict=False))
        if not (before or after):
            return {}
        return {i: m.norm for i, m in zip(indices, mentions, strict=True) if m.norm is not None}

    def _ends_in_link(self, text: str) -> bool:
        """Whether words (as ``_interleaved`` spaces them) end in a link word: "... and", not "husband"."""
        found = tuple(text.split())
        return any(found[-len(link):] == link for link in self.link_words)

    @staticmethod
    def _own_period(ctx: "DocContext", fact: "Fact") -> tuple[Period | None, Mention | None]:
        """The period set by a date in the fact's own sentence; (None, mention) if unusable."""
        mention = ctx.own_date(fact.sent, fact.span.start_char, fact.next_start)
        if mention is None or not mention.usable:
            return None, mention
        start, end = mention.period
        if not mention.mod and ctx.opens_since(mention):
            end = None
        if start is not None and end is None:
            # "Since the campaign was launched in April, ..., according to figures as of August 31":
            # a running period the sentence closes with an "as of" date after its start
            end = ctx.as_of_after(fact.sent, mention, start)
        if mention.mod in ("as_of", "before") and start is None:
            earlier = ctx.earlier_in_paragraph(fact.sent, mention.start)
            if earlier is not None and earlier.period[0] is not None and (end is None or earlier.period[0] <= end):
                start = earlier.period[0]  # not one that starts after: "the second half ... By the end of June"
        return (start, end), mention

    @staticmethod
    def _report(ctx: "DocContext", facts: "list[Fact]", own: list[tuple[Period | None, Mention | None]],
                attributions: list[Attribution]) -> tuple[int, Period, list[str]] | None:
        """The report period: the first stated period of the document's first facts, closed by the
        period a sentence says the story's figures cover (``DocContext.coverage_period``), else that."""
        if not facts:
            return None
        first_para = ctx.sent_para[facts[0].sent]
        for i, fact in enumerate(facts):
            if ctx.sent_para[fact.sent] > first_para + 1:
                break
            period, _ = own[i]
            if period is not None and period != (None, None) and period[0] != period[1]:
                if period[1] is None and (covered := ctx.coverage_period()) is not None and _closes(covered, period):
                    period = covered  # "... so far this year. The figures cover January to November."
                return i, period, attributions[i].provinces
        covered = ctx.coverage_period()
        if covered is not None:  # "The figures, covering 2017 to 2021, were released ..."
            return -1, covered, attributions[0].provinces
        return None

    def _period(self, ctx: "DocContext", fact: "Fact", own: tuple[Period | None, Mention | None],
                report: tuple[int, Period, list[str]] | None, provinces: list[str],
                index: int, vague: list[tuple[int, Period]]) -> tuple[Period, str]:
        period, mention = own
        if period is None and mention is not None and mention.role == "campaign_months":
            return (None, None), "none"  # counted from a campaign start the text does not give
        same_scope = report is not None and sorted(report[2]) == sorted(provinces)
        if period is not None:
            start, end = period
            if start is None and mention is not None and mention.mod in ("as_of", "before") \
                    and report is not None and report[0] != index and same_scope \
                    and (report[1][0] is None or end is None or report[1][0] <= end):
                start = report[1][0]  # not a report's start after the figure's end: "By the end of June"
                # after a report of the second half
            return (start, end), "sentence"
        # a date that only tells when a campaign began ("the operation, which was launched on
        # February 15 to ...") is not when a report's figures were counted when the report states
        # a closed period of its own ("in the first six months"), unless they count from the start
        closed = report is not None and same_scope and None not in report[1]
        if ctx.refers_back(fact.sent):
            length = own[1].duration if own[1] is not None else None
            earlier = ctx.earlier_in_document(fact.span.start_char, length)
            if earlier is not None and closed and self._launch_only(ctx, earlier, fact.sent):
                earlier = None
            sent_start = ctx.sentences[fact.sent][0]
            named = [(at, period) for at, period in vague if at < sent_start]
            if named and (earlier is None or named[-1][0] > earlier.start):
                # "sent 1,062 users to detox over the nine months. Nationally, police seized 13.2 tonnes
                # in the same period": the period last spoken of, as its own figure took it
                return named[-1][1], "back_reference"
            if earlier is not None:
                return earlier.period, "back_reference"
        earlier = ctx.earlier_in_paragraph(fact.sent, fact.span.start_char)
        if earlier is not None and closed and self._launch_only(ctx, earlier, fact.sent):
            earlier = None
        if earlier is not None and earlier.sent < fact.sent and (
                self._frames_paragraph(ctx, earlier)
                or (earlier.sent == fact.sent - 1 and self._continues(ctx, fact.sent))
                or self._heads_list(ctx, earlier.sent)):
            return earlier.period, "paragraph"
        again = ctx.named_back(fact.sent)
        if again is not None:  # "... during two raids in November and December. The raids uncovered ..."
            return again, "back_reference"
        if report is not None and same_scope:
            return report[1], "report"
        return (None, None), "none"

    @staticmethod
    def _launch_only(ctx: "DocContext", mention: Mention, sent: int) -> bool:
        """Whether ``mention`` only tells when something began (start_verbs), in a sentence that
        counts nothing, and sentence ``sent`` does not count from a start (open_start_words)."""
        return mention.opens and mention.sent != sent and not ctx.counts(mention.sent) \
            and ctx.rules.open_start.isdisjoint(re.findall(r"[a-z]+", ctx.sentence_text(sent).lower()))

    @staticmethod
    def _heads_list(ctx: "DocContext", sent: int) -> bool:
        """Whether sentence ``sent`` opens a list of lines after it in its paragraph ("The campaign
        in numbers (as of May 31):"): its date is the date of their figures."""
        return ctx.sentence_text(sent).rstrip().endswith((":", "："))

    def _continues(self, ctx: "DocContext", sent: int) -> bool:
        """Whether a sentence goes on with the one before ("They also confiscated ...")."""
        words = [w.strip(",.;:").lower() for w in ctx.sentence_text(sent).split()[:4]]
        return bool(words) and (words[0] in self.lexicon.continuation_subjects or "also" in words)

    def _frames_paragraph(self, ctx: "DocContext", mention: Mention) -> bool:
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


class DocContext:
    """Sentences, paragraphs, tokens and entity mentions of one document, for attribution.

    Token offsets come from ``token_bounds``, sentence starts from one ``Doc.to_array``
    call and entity values from ``span_value``: a Token or an accessor object per use
    is what made this slow.
    """

    def __init__(self, doc: Doc, rules: Rules, ents: "list[Span] | None" = None,
                 families: CueFamilies | None = None):
        self.doc = doc
        self.rules = rules
        self.families = families  # which cue regexes can match in a sentence (cues.py); None: all run
        self.text = text = doc_text(doc)
        self._lower: str | None = None
        self._words: dict[int, SentenceWords] = {}
        self._masks: dict[int, int] = {}
        self.published = _as_date(doc_value(doc, "published"))
        self.token_idx, self.token_end = token_bounds(doc)
        segments = doc.user_data.get(SEGMENTS_KEY)  # what the segmenter set, as it set it
        if segments is not None:
            sentence_starts, paragraphs = segments[1], segments[2] if segments[0] == PARAGRAPHS else []
        else:
            sentence_starts = _sentence_starts(doc)
            paragraphs = [(p.start_char, p.end_char) for p in doc.spans.get(PARAGRAPHS, [])]
        self.sentences: list[tuple[int, int]] = []
        self.sentence_tokens: list[tuple[int, int]] = []
        for first, last in self._sentence_token_ranges(doc, sentence_starts, segmented=segments is not None):
            start, end = _trim(text, self.token_idx[first], self.token_end[last - 1])
            if end > start:
                self.sentences.append((start, end))
                self.sentence_tokens.append((first, last))
        self.sent_starts = [s for s, _ in self.sentences]
        self.paragraphs = paragraphs or [(0, len(text))]
        self.para_starts = [s for s, _ in self.paragraphs]
        self.sent_para = [self.para_of(s) for s, _ in self.sentences]
        self._datelines: dict[int, int] = {}  # paragraph -> end of its dateline, found on demand
        self.lead = self._lead()
        self.provinces: list[Mention] = []
        self.operations: list[Mention] = []
        self.dates: list[Mention] = []
        self.ents = entities(doc) if ents is None else ents
        self._memo: dict[tuple[str, int], object] = {}
        self._once: dict[str, Period | None] = {}  # per-document answers found at most once
        self._quantity_sents: set[int] = set()
        for ent in self.ents:
            label = ent.label_
            if label == "QUANTITY":
                self._quantity_sents.add(self.sent_of(ent.start_char))
                continue  # facts, not cues
            start, end = ent.start_char, ent.end_char
            mention = Mention(label, start, end, self.sent_of(start), self.para_of(start),
                              norm=span_value(doc, "norm", start, end))
            if label == "PROVINCE":
                self._check_province(mention)
                self.provinces.append(mention)
            elif label == "OPERATION":
                self.operations.append(mention)
            elif label == "DATE":
                self._check_date(mention)
                self.dates.append(mention)
        self._campaign_months()
        self.topic: DocumentTopic | None = None  # set by the assembler
        self.focus = self._focus()
        # the operation named in the lead, or the only one the document names in a sentence that
        # frames the story by it (``umbrella_frames``); else that one, for the facts after its
        # first mention
        self.umbrella = next((m.norm for m in self.operations if m.para in self.lead), None)
        names = {m.norm for m in self.operations}
        self.sole_operation = (names.pop(), self.operations[0].start) if len(names) == 1 else None
        if self.umbrella is None and self.sole_operation is not None \
                and any(self._frames_story(m) for m in self.operations):
            self.umbrella = self.sole_operation[0]  # "The seizure came during 'Blue Sea Shield'": all of it did
        # the mentions by sentence and paragraph (facts ask about their own), in text order
        self._provinces_in: dict[int, list[Mention]] = {}  # usable ones
        self._provinces_para: dict[int, list[Mention]] = {}  # usable ones
        for m in self.provinces:
            if m.usable:
                self._provinces_in.setdefault(m.sent, []).append(m)
                self._provinces_para.setdefault(m.para, []).append(m)
        self._operations_in: dict[int, list[Mention]] = {}
        for m in self.operations:
            self._operations_in.setdefault(m.sent, []).append(m)
        self._dates_in: dict[int, list[Mention]] = {}
        self._usable_dates_para: dict[int, list[Mention]] = {}
        self._usable_dates = [m for m in self.dates if m.usable]
        self._usable_date_starts = [m.start for m in self._usable_dates]
        for m in self.dates:
            self._dates_in.setdefault(m.sent, []).append(m)
        for m in self._usable_dates:
            self._usable_dates_para.setdefault(m.para, []).append(m)

    @staticmethod
    def _sentence_token_ranges(doc: Doc, sentence_starts: list[int], segmented: bool = False) -> list[tuple[int, int]]:
        """(first, end) token index of each sentence, as ``doc.sents`` gives them (``segmented``:
        the starts are the segmenter's, which set every token's SENT_START)."""
        if not len(doc):
            return []
        if "sents" in doc.user_hooks or not (segmented or doc.has_annotation("SENT_START")):
            return [(s.start, s.end) for s in doc.sents]  # raises spaCy's own error when unset
        starts = [0] + [i for i in sentence_starts if i > 0]
        return list(zip(starts, starts[1:] + [len(doc)], strict=True))

    # -- positions ---------------------------------------------------------------
    def sent_of(self, char: int) -> int:
        i = bisect.bisect_right(self.sent_starts, char) - 1
        return i if i > 0 else 0

    def para_of(self, char: int) -> int:
        i = bisect.bisect_right(self.para_starts, char) - 1
        return i if i > 0 else 0

    def _frames_story(self, mention: Mention) -> bool:
        """Whether the operation ``mention`` is named by a sentence that frames the story by it:
        one of `umbrella_frames` right before the name (no comma between but one before a word of
        `umbrella_name_introducers`: "the region's drive, dubbed 'X'"; at most
        ``FRAME_REACH`` characters) with one of `umbrella_subjects` before the frame ("The
        seizures form part of the customs' annual 'national gate sword' operation"), in a
        sentence that does not tell another story (`umbrella_other_story`: "Separately, ...")."""
        rules = self.rules
        if rules.umbrella_frame_re is None or rules.umbrella_subject_cue.pattern is None:
            return False
        start = self.sentences[mention.sent][0]
        before = self.text[start:mention.start]
        frames = list(rules.umbrella_frame_re.finditer(before))
        frame = frames[-1] if frames else None  # the last frame before the name
        if frame is None or len(before) - frame.end() > FRAME_REACH:
            return False
        if rules.umbrella_compared_re is not None and rules.umbrella_compared_re.search(before, 0, frame.start()):
            return False  # "exceed the results of last year's 'Clean Border'": compared with, not framed by
        between = before[frame.end():]
        if any(c in between for c in ",;:"):  # ... unless the last comma only introduces the name
            head, _, tail = between.rpartition(",")
            if any(c in head for c in ",;:") or tail.strip(" \"'“‘").lower() not in rules.name_introducers:
                return False
        return rules.umbrella_subject_cue(before[:frame.start()]) and not rules.other_story_cue(before)

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.text[start:end]

    def words(self, sent: int) -> SentenceWords:
        """The words of sentence ``sent``, lower-cased, without whitespace tokens (made once)."""
        found = self._words.get(sent)
        if found is None:
            found = self._words[sent] = self._sentence_words(sent)
        return found

    def _sentence_words(self, sent: int) -> SentenceWords:
        first, last = self.sentence_tokens[sent]
        text = self.text
        idx, ends = self.token_idx[first:last], self.token_end[first:last]
        position: dict[int, int] | None = None
        # whitespace tokens ("\n\n") are left out: they end a paragraph's last sentence, and
        # elsewhere show as whitespace other than one space between two tokens (so the
        # words between the first and last word have one only where _INNER_SPACE matches)
        lo, hi = 0, len(idx)
        while hi > lo and text[idx[hi - 1]].isspace():
            hi -= 1
        while lo < hi and text[idx[lo]].isspace():
            lo += 1
        if lo < hi and _INNER_SPACE.search(text, idx[lo], ends[hi - 1]) is not None \
                and any(text[idx[n]].isspace() for n in range(lo + 1, hi - 1)):
            kept = [first + n for n in range(lo, hi) if not text[idx[n]].isspace()]
            idx = [self.token_idx[i] for i in kept]
            ends = [self.token_end[i] for i in kept]
            position = {t: n for n, t in enumerate(kept)}
        elif lo or hi < len(idx):
            idx, ends = idx[lo:hi], ends[lo:hi]
        first, last = first + lo, first + hi
        if self._lower is None:
            self._lower = text.lower()
        if len(self._lower) == len(text):  # lower-casing kept every offset: slice it
            lower = self._lower
            words = [lower[a:b] for a, b in zip(idx, ends, strict=True)]
        else:
            words = [text[a:b].lower() for a, b in zip(idx, ends, strict=True)]
            return SentenceWords(first, last, idx, ends, words, position, lowered_alone=True)
        return SentenceWords(first, last, idx, ends, words, position)

    def anchored(self, family: str, sent: int) -> bool:
        """Whether a cue of ``family`` may start in a word of sentence ``sent`` (cues.py)."""
        families = self.families
        bit = families.bit(family) if families is not None else None
        if families is None or bit is None:
            return True
        mask = self._masks.get(sent)
        if mask is None:
            mask = self._masks[sent] = families.mask(self.words(sent).words)
        return bool(mask & bit)

    def _dateline_end(self, start: int, end: int) -> int:
        """End of a dateline ("URUMQI, Feb. 14 (Xinhua) --") at a paragraph's start, else -1."""
        if self.rules.dateline_re is None:
            return -1
        size = self.rules.events.dateline_window
        end = min(end, self.sentences[self.sent_of(start)][1])  # in its first sentence: not "... good. Cases - 20"
        # the first words are read from the paragraph's first characters; only if they run
        # past them is the whole paragraph split (splitting every paragraph copied its text)
        head = self.text[start:min(end, start + DATELINE_PREFIX)]
        pieces = head.split(None, size)
        if len(pieces) <= size and start + DATELINE_PREFIX < end:
            head = self.text[start:end]
            pieces = head.split(None, size)
        window = " ".join(pieces[:size])
        m = self.rules.dateline_re.search(head[:len(window) + 1])
        return start + m.end() if m else -1

    def in_dateline(self, mention: Mention) -> bool:
        end = self._datelines.get(mention.para)
        if end is None:
            end = self._datelines[mention.para] = self._dateline_end(*self.paragraphs[mention.para])
        return mention.end <= end

    def lead_span(self) -> tuple[int, int]:
        """Character range of the lead (headline and first paragraph)."""
        last = max(self.lead)
        return self.paragraphs[0][0], self.paragraphs[min(last, len(self.paragraphs) - 1)][1]

    def _lead(self) -> set[int]:
        """The headline (a short first paragraph without a final stop) and the first paragraph."""
        start, end = self.paragraphs[0]
        first = self.text[start:end].strip()
        headline = len(first.split(None, 21)) <= 20 and not first.endswith((".", "!", "?", '"', "”"))
        return {0, 1} if headline and len(self.paragraphs) > 1 else {0}

    # -- mention checks --------------------------------------------------------------
    def _check_province(self, mention: Mention) -> None:
        if self.in_dateline(mention):
            mention.usable, mention.role = False, "dateline"
            return
        sent_start = self.sentences[mention.sent][0] if self.sentences else 0
        before = self.text[max(sent_start, mention.start - 40):mention.start]
        if self._not_location_before(before):
            mention.usable, mention.role = False, "not_location"  # but "officers from Guangxi" act there
            return
        placed = self.rules.apposition_re.match(self.text, max(sent_start, mention.start - 120), mention.start) \
            if self.rules.apposition_re is not None else None
        if placed is not None and self._not_location_before(placed.group(1)):
            mention.usable, mention.role = False, "not_location"  # "a conference in Kunming, the capital of Yunnan"
            return
        previous = self.provinces[-1] if self.provinces else None
        if previous is not None and previous.role == "not_location" and previous.sent == mention.sent \
                and self.text[previous.end:mention.start].strip(" ,").lower() in ("", "and", "or"):
            mention.usable, mention.role = False, "not_location"  # "residents of Hong Kong, Macao and Taiwan"
            return
        after = self.text[mention.end:mention.end + 30]
        if self.rules.demonym_re is not None and self.rules.demonym_re.match(after):
            mention.usable, mention.role = False, "not_location"  # "two Taiwan residents"
        elif self.rules.route_after is not None and self.rules.joined is not None \
                and (self.rules.joined[0].match(after) or self.rules.joined[1].search(before)) \
                and self.rules.route_after.match(self.text, mention.end):
            mention.usable, mention.role = False, "not_location"  # "the Beijing-Hong Kong-Macao Expressway"

    def _not_location_before(self, before: str) -> bool:
        """Whether ``before`` ends in a phrase after which a province is no location (configs:
        province_not_location_after), but not "officers from", whose officers act there."""
        tail = before[-40:]
        found = self.rules.not_location.search(tail)
        if found is None:
            return False
        agent = tail[:found[0]].lower().replace(" the ", " ").split()[-3:]
        return found[1].strip().lower() != "from" or not self.rules.agents.intersection(agent)

    def _check_date(self, mention: Mention) -> None:
        start, end = mention.start, mention.end
        period_start, period_end, mod, context_start, precise, length = span_value_list(self.doc, start, end,
                                                                                     DATE_VALUES)
        mention.period = (_as_date(period_start), _as_date(period_end))
        mention.mod = mod or ""
        first, last = mention.period
        if self.published is not None and first is not None and last is not None \
                and first <= self.published < last and self.rules.current_re is not None \
                and self.rules.current_re.match(self.text[start:end]):
            mention.period = (first, None)  # "this year", in a story of May: the year is still running
        # the phrase may begin before the date ("this past week"), never inside it ("the last week of May")
        told = self.rules.story_time_re.search(self.text[max(0, end - 40):end].lower()) \
            if self.rules.story_time_re is not None else None
        if told is not None and len(told.group()) >= end - start:
            mention.period = (None, None)  # "seized 1.2 tonnes this week": when the story happened, no period
        if self.in_dateline(mention):
            mention.usable, mention.role = False, "dateline"
            return
        sent_start = self.sentences[mention.sent][0] if self.sentences else 0
        before = self.text[sent_start:context_start if context_start is not None else mention.start]
        words = [w.strip(",.;:").lower() for w in before.rsplit(None, 4)[-4:]]
        # an "as of" date is what a count runs to, whoever told it ("according to figures as of August 31")
        if not self.rules.speech.isdisjoint(words) and not (words and words[-1] in self.rules.speech_period) \
                and mention.mod != "as_of":
            mention.usable, mention.role = False, "speech"
            return
        window = before[-80:]
        compared = self.rules.compared_figure_re.search(window) if self.rules.compared_figure_re else None
        # "up from 8,950 in 2015": that figure's year, no later one's; not "up from 950, in the first half"
        mention.compared = compared is not None and not _NUMBER_THEN_COMMA.search(compared.group())
        if compared is not None and mention.compared:
            mention.compared_at = sent_start + len(before) - len(window) + compared.start()
        if self.text[mention.start:mention.end].lower() in self.rules.earlier_phrases and compared:
            mention.usable, mention.role = False, "comparison"  # "up from 87 the previous year": not its own year
            return
        ending, inside = self.rules.comparison_end, self.rules.comparison_re
        if ending.pattern is not None and inside is not None and (
                ending.search(before[-40:]) is not None  # "11 times the 2005 total"
                or (self.rules.comparison_than_re is not None and self.rules.comparison_than_re.search(before[-80:]))
                or inside.search(self.text[mention.start:mention.end])):  # "the same period of 2022"
            mention.usable, mention.role = False, "comparison"
            return
        if self.rules.ranking_re is not None and self.rules.current_re is not None \
                and self.rules.current_re.match(self.text[start:end]) and self.rules.ranking_re.search(before[-120:]):
            mention.usable, mention.role = False, "comparison"  # "the largest haul this year"
            return
        if not self.rules.start_verbs.isdisjoint(words):
            # "an operation which started in December", "campaigns launched by the authorities
            # last year": the period opens then
            mention.role, mention.opens = "start", True
            mention.period = (mention.period[0], None)
        if precise and self.published is not None and mention.period[1] is not None \
                and mention.period[1] > self.published and span_value(self.doc, "rule", start, end) in MONTH_EDGE:
            precise = False  # "in early November" in a story of November 18: a part of the month, not all of it
        if not precise:
            # "over the same eleven months": a period that refers back to one stated before
            back = span_value(self.doc, "rule", start, end) in ("date.same_period", "date.the_n")
            mention.usable, mention.role = False, "back_reference" if back else "vague"
            if back:
                mention.duration = length
        elif mention.period == (None, None):
            mention.usable, mention.role = False, "unresolved"

    def _campaign_months(self) -> None:
        """"The first two months of a province-wide crackdown" count from the campaign's start, not
        the year's: from the start the document states ("the campaign, which began in early March",
        the nearest, in the same sentence first); with none stated, the date sets no period."""
        pattern = self.rules.of_campaign_re
        if pattern is None:
            return
        starts: list[Mention] | None = None  # found once, and only for a document that needs them
        for m in self.dates:
            if not m.usable or m.period[1] is None \
                    or span_value(self.doc, "rule", m.start, m.end) != "date.first_n" \
                    or pattern.match(self.text, m.end) is None:
                continue
            m.role = "campaign_months"
            if starts is None:  # dates a campaign began on ("the campaign, which began in early March")
                starts = [d for d in self.dates if d.opens and d.period[0] is not None
                          and self.rules.campaign_cue(self.sentence_text(d.sent))]
            start = min(starts, key=lambda s: (s.sent != m.sent, abs(s.start - m.start)), default=None)
            if start is None or start.period[0] is None:
                m.usable = False  # counted from a start the text does not give
                continue
            first = start.period[0]  # first_n runs from January: its last month is the count
            m.period = (first, first + relativedelta(months=m.period[1].month) - timedelta(days=1))

    def _focus(self) -> str | None:
        """The one province of the lead; else, in a document whose lead is not national and
        that never speaks of the whole country, the province it names more often than all the
        others together (a city's story names its province later, and may list where a ring
        also sold)."""
        codes = {m.norm for m in self.provinces if m.usable and m.norm and m.para in self.lead}
        if codes:
            return codes.pop() if len(codes) == 1 else None
        counts = Counter(m.norm for m in self.provinces if m.usable and m.norm)
        if not counts:
            return None
        (code, most), *others = counts.most_common()
        if others and most <= sum(n for _, n in others):
            return None  # no province the story is mostly about
        lead = self.text[self.lead_span()[0]:self.lead_span()[1]]
        for cue, text in ((self.rules.national_override_cue, self.text), (self.rules.national_cue, lead)):
            if cue(text):
                return None  # the story speaks of the whole country
        return code

    # -- cues ----------------------------------------------------------------------
    def provinces_for(self, sent: int, start: int) -> tuple[list[str], str]:
        """Provinces of a fact at ``start`` in sentence ``sent``, and the cue that gave them."""
        in_sentence = self._provinces_in.get(sent)
        if in_sentence:
            preceding = [m for m in in_sentence if m.end <= start]
            own = self._clause_provinces(sent, start, preceding)
            if own:
                return own, "clause"
            if preceding and len(preceding) < len(in_sentence):
                following = next(m for m in in_sentence if m.end > start)
                if _CLAUSE_BREAK.search(self.text, start, following.start):
                    # "a lab in Sichuan, where 2.06 tonnes were found, and a ring in Guangxi": the
                    # provinces of a later clause are not the figure's
                    return _unique(m.norm for m in preceding), "sentence"
            return _unique(m.norm for m in in_sentence), "sentence"
        if self._says("national_override", self.rules.national_override_cue, sent) or self.opens_national(sent):
            return [], "none"  # "Across the country, ..." in a story about one province
        para = self.sent_para[sent] if sent < len(self.sent_para) else 0
        earlier = [m for m in self._provinces_para.get(para, ()) if m.sent < sent]
        last_sent = earlier[-1].sent if earlier else -1
        if not self.rules.province_back_reference(self.sentence_text(sent)):  # not "in the province"
            for before in range(sent - 1, last_sent, -1):  # the paragraph opened on the whole country
                if self.sent_para[before] != para:
                    break
                if self.opens_national(before) or self._says("national_override", self.rules.national_override_cue,
                                                             before) \
                        and self.rules.national_override_cue(" ".join(self.sentence_text(before).split()[:4])):
                    return [], "none"  # "Nationwide, police broke 36,400 cases ... The ministry's figures show ..."
        if earlier:
            return _unique(m.norm for m in earlier if m.sent == last_sent), "paragraph"
        if sent > 0 and self.continues_national(sent):
            return [], "none"  # "Across China, police uncovered 36,400 cases ... \n\n They also seized ..."
        if self.focus:
            return [self.focus], "focus"
        return [], "none"

    def _clause_provinces(self, sent: int, start: int, preceding: list[Mention]) -> list[str]:
        """The provinces a fact's own clause names, when an opener of a clause (configs:
        province_clause_openers) stands between them and the sentence's earlier ones ("In Guizhou,
        officers took 36 kg ..., while police in Hunan arrested 701 suspects": Hunan only)."""
        cue = self.rules.province_clause_re
        if cue is None or len(preceding) < 2:
            return []
        last = max((m.end() for m in cue.finditer(self.text, self.sentences[sent][0], start)), default=None)
        if last is None:
            return []
        after = [m for m in preceding if m.start >= last]
        return _unique(m.norm for m in after) if after and len(after) < len(preceding) else []

    def dates_between(self, start: int, end: int) -> list[Mention]:
        """The usable dates that start in [start, end) of the text, in order."""
        lo = bisect.bisect_left(self._usable_date_starts, start)
        hi = bisect.bisect_left(self._usable_date_starts, end)
        return self._usable_dates[lo:hi]

    def provinces_in(self, sent: int) -> list[Mention]:
        """The usable province mentions of sentence ``sent``, in order."""
        return self._provinces_in.get(sent, [])

    def _says(self, name: str, cue: ContainsPhrase, sent: int) -> bool:
        """Whether sentence ``sent`` holds a ``cue`` of family ``name`` (asked once per sentence)."""
        key = (name, sent)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self.anchored(name, sent) and cue(self.sentence_text(sent))
        return bool(found)

    def coverage_period(self) -> Period | None:
        """The period a sentence of the first paragraphs says the story's figures cover ("The
        figures, covering 2017 to 2021, ..."; configs: coverage_*): the first such stated range
        (found once a document)."""
        if "coverage" not in self._once:
            self._once["coverage"] = self._coverage_period()
        return self._once["coverage"]

    def _coverage_period(self) -> Period | None:
        cue = self.rules.coverage_re
        if cue is None:
            return None
        for mention in self._usable_dates:
            first, last = mention.period
            if mention.para >= self.rules.coverage_paragraphs:
                break  # the story's own figures are told in its first paragraphs
            if first is None or last is None or first == last:
                continue
            sent_start = self.sentences[mention.sent][0]
            if cue.search(self.text, sent_start, mention.start):
                return mention.period
        return None

    def has_quantity(self, sent: int) -> bool:
        """Whether sentence ``sent`` holds a QUANTITY entity."""
        return sent in self._quantity_sents

    def closed_by_as_of(self, start: date, last_para: int, fact_sents: set[int]) -> Period | None:
        """The period from ``start`` to the first "as of" date of paragraphs up to ``last_para``, in a
        sentence of facts (``fact_sents``), that ends on or after it ("As of June 30, 206.4 kg had been
        confiscated"; not "As of March 31, 1,200 drug users were registered"), else None."""
        for mention in self._usable_dates:
            if mention.para > last_para:
                break
            end = mention.period[1]
            if mention.mod == "as_of" and not mention.compared and end is not None and end >= start \
                    and mention.sent in fact_sents:
                return start, end
        return None

    def continues_national(self, sent: int) -> bool:
        """Whether sentence ``sent`` opens with a pronoun subject (configs: pronoun_subjects) and
        the sentence before it opens on the whole country: the pronoun is the country's police."""
        pronoun = self.rules.pronoun_subject_re
        if pronoun is None or pronoun.match(self.sentence_text(sent)) is None:
            return False
        before = sent - 1
        while before > 0 and pronoun.match(self.sentence_text(before)) is not None:
            before -= 1  # "They also seized ... They also arrested ...": back to the sentence they continue
        return self.opens_national(before) or self.rules.national_override_cue(
            " ".join(self.sentence_text(before).split()[:4]))

    def opens_national(self, sent: int) -> bool:
        """Whether sentence ``sent`` opens with a word of the whole country ("Nationally, ...")."""
        opener = self.rules.national_opener_re
        return opener is not None and opener.match(self.sentence_text(sent)) is not None

    def scope_for(self, sent: int, provinces: list[str], has_report: bool) -> str:
        if provinces:
            return "local" if self._says("local", self.rules.local_cue, sent) else "provincial"
        if self._says("national", self.rules.national_cue, sent) or self.opens_national(sent):
            return "national"
        if has_report and self.focus is None:
            return "national"
        return "unknown"

    def operation_for(self, sent: int, start: int) -> tuple[str | None, str]:
        in_sentence = self._operations_in.get(sent)
        if in_sentence:
            before = [m for m in in_sentence if m.end <= start]
            chosen = before[-1] if before else in_sentence[0]
            return chosen.norm, "sentence"
        if self.umbrella:
            return self.umbrella, "document"
        if self.sole_operation is not None:
            name, first = self.sole_operation
            if first < start or self._says("campaign", self.rules.campaign_cue, sent):
                return name, "document"
        return None, "none"

    def own_date(self, sent: int, start: int, next_start: int) -> Mention | None:
        """The date of the fact's own sentence that scopes it (usable or not), if any."""
        # not the date of a figure compared with after the fact ("3,000 cases ..., up from 2,140
        # cases at the end of June"): that figure's own
        dates = [m for m in self._dates_in.get(sent, ()) if m.role not in ("dateline", "speech", "comparison")
                 and not (m.compared and m.compared_at > start)]
        if len([m for m in dates if m.role != "start"]) > 0:
            dates = [m for m in dates if m.role != "start"]
        if not dates:
            return None
        after = [m for m in dates if start <= m.start < next_start]
        before = [m for m in dates if m.end <= start]
        if after and before and before[0].usable and self.opens_sentence(before[0]) \
                and _CLAUSE_BREAK.search(self.text, start, after[0].start):
            # "By the end of June the city had solved 1,120 cases, meaning ... in the second half":
            # a date opening the sentence scopes its main clause, not one after a clause break
            return before[0]
        if after and after[0].duration is not None and before and before[-1].usable:
            return before[-1]  # "On March 5, police arrested 12 who had sold heroin in the three months"
        if after:
            return after[0]
        if before:
            # "In 2016, police ordered 9,730 ..., up from 8,950 in 2015, and placed another 3,210 ...":
            # not the date of the figure compared with
            return next((m for m in reversed(before) if not m.compared), before[-1])
        later = [m for m in dates if m.start >= start]
        return later[0] if later else None

    def as_of_after(self, sent: int, mention: Mention, start: date) -> date | None:
        """The end of an "as of" date of sentence ``sent`` after ``mention`` that ends on or after
        ``start``, else None; not the date of a figure compared with ("up from 800 as of March")."""
        for other in self._dates_in.get(sent, ()):
            end = other.period[1]
            if other.start >= mention.end and other.usable and not other.compared and other.mod == "as_of" \
                    and end is not None and end >= start:
                return end
        return None

    def opens_since(self, date_mention: Mention) -> bool:
        """'since police launched X on July 30' makes that date the start of an open period."""
        sent_start = self.sentences[date_mention.sent][0]
        earlier = [m for m in self._dates_in.get(date_mention.sent, ()) if m.end <= date_mention.start]
        from_pos = earlier[-1].end if earlier else sent_start
        words = re.findall(r"[A-Za-z]+", self.text[from_pos:date_mention.start].lower())
        return any(w in self.rules.open_start for w in words)

    def earlier_in_paragraph(self, sent: int, before: int) -> Mention | None:
        found = [m for m in self._usable_dates_para.get(self.sent_para[sent], ())
                 if m.start < before and not m.compared]  # not "up from 8,950 in 2015"'s year
        return found[-1] if found else None

    def named_back(self, sent: int) -> Period | None:
        """The period the sentence before dates, when sentence ``sent`` opens by naming again what
        that one dated ("officers detained 19 suspects during two raids in November and December.
        The raids uncovered one factory"): one of ``named_back_determiners``, at most one word, one
        of ``named_back_nouns`` that the sentence before holds too (configs: events.yml). Several
        dates there: from the first one's start to the last one's end."""
        rules = self.rules
        if sent == 0 or not rules.named_back_nouns:
            return None
        words = _WORD.findall(self.sentence_text(sent)[:60].lower())[:3]
        if len(words) < 2 or words[0] not in rules.named_back_determiners:
            return None
        noun = next((w for w in words[1:] if w in rules.named_back_nouns), None)
        previous = self.sentence_text(sent - 1).lower()
        named = re.search(rf"\b{re.escape(noun)}\b", previous) if noun is not None else None
        if named is None:
            return None
        # the dates of the clause that names it ("... during two raids in November and December"),
        # not another clause's ("after a tip-off in July") nor a launch date
        at = self.sentences[sent - 1][0]
        lo = at + max((m.end() for m in _CLAUSE_BREAK.finditer(previous, 0, named.start())), default=0)
        hi = at + next((m.start() for m in _CLAUSE_BREAK.finditer(previous, named.end())), len(previous))
        dates = [m.period for m in self._dates_in.get(sent - 1, ())
                 if m.usable and not m.compared and not m.opens and lo <= m.start < hi]
        if len(dates) == 1:
            return dates[0]
        starts = [start for start, _ in dates if start is not None]
        ends = [end for _, end in dates if end is not None]
        if not dates or len(starts) < len(dates) or len(ends) < len(dates):
            return None  # one open or unresolved: no span to give
        return min(starts), max(ends)

    def opens_sentence(self, mention: Mention, words: int = 3) -> bool:
        """Whether a date opens its sentence (at most ``words`` words before it: "In the
        first half of the year, ...")."""
        start = self.sentences[mention.sent][0]
        return len(self.text[start:mention.start].split()) <= words

    def earlier_in_document(self, before: int, length: str | None = None) -> Mention | None:
        """The last usable date before ``before``; given the ISO length of a period referred back
        to, the last that long ("over the nine months" passes "in July" and "the first half" for
        "from January to September"), else the last that may be that long."""
        i = bisect.bisect_left(self._usable_date_starts, before)
        if length is not None:
            earlier = self._usable_dates[:i]
            # the last period that long; else the last that may be (an open one)
            found = next((m for m in reversed(earlier) if _lasts(m.period, length) == 0), None) \
                or next((m for m in reversed(earlier) if _lasts(m.period, length) >= 0), None)
            return found  # else none: a day is not "the same four months"
        return next((m for m in reversed(self._usable_dates[:i]) if not m.compared), None)

    def counts(self, sent: int) -> bool:
        """Whether sentence ``sent`` holds a quantity."""
        return sent in self._quantity_sents

    def refers_back(self, sent: int) -> bool:
        """Whether sentence ``sent`` refers back to an earlier period: a cue phrase ("in the same
        period"), or a date that names one ("over the same eleven months")."""
        return self._says("back_reference", self.rules.back_ref_cue, sent) \
            or any(m.role == "back_reference" for m in self._dates_in.get(sent, ()))


_WORD = re.compile(r"[a-z]+")  # a lower-cased word
_CLAUSE_BREAK = re.compile(r"[,;:] ")  # English clause punctuation (Chinese text has its own attribution)
_YEAR_IN_NAME = re.compile(r"(?<![\d])(?:19|20)\d\d(?![\d])")  # "Thunder 2021", "Safe Mekong-2019"
# the rules of "in early August" and "late last month" (grammar/en/dates.py): the month, once it is over
MONTH_EDGE = ("date.edge_month", "date.edge_rel")


def _closes(closed: Period, running: Period) -> bool:
    """Whether a closed period ends a running one that starts with it ("so far this year" and
    "The figures cover January to November")."""
    return running[1] is None and running[0] is not None and closed[0] == running[0] and closed[1] is not None


def _lasts(period: Period, length: str) -> int:
    """0 if a period is ``length`` long (ISO 8601: P9M whole months, P2Y, P3W, P10D), 1 if it
    may be (an open end) or is longer, -1 if it is shorter."""
    first, last = period
    if first is None or last is None:
        return 1
    amount, unit = int(length[1:-1]), length[-1]
    if unit in "MY":
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        want = amount * (12 if unit == "Y" else 1)
        whole = first.day == 1 and (last + timedelta(days=1)).day == 1
        return 0 if whole and months == want else (1 if months >= want else -1)
    days, want = (last - first).days + 1, amount * (7 if unit == "W" else 1)
    return 0 if days == want else (1 if days > want else -1)


def _sentence_starts(doc: Doc) -> list[int]:
    """Indices of the tokens that start a sentence (one C call)."""
    if not len(doc):
        return []
    return numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist()


_INNER_SPACE = re.compile(r"[^\S ]|  ")  # whitespace a token can be made of, between two others


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
