"""Incident or total: whether a figure is one case's or a sum over many (the ``kind`` column).

A total ("a total of", "as of July 31", "last year", a province's monthly figure) must
never be added to the incidents inside it, so the facts and totals built on the event
table need this column right. The cues are in ``events.yml`` under ``kind``; they are
read in this order, and the first that speaks decides (its name goes into ``kind_cue``):

1. the nearest cue in the sentence: a single case, raid or place ("in a single case",
   "from his car") makes an incident; a summing phrase ("a total of", "so far", "last
   year", "nationwide") a total;
2. several cases counted in the sentence: the figures beside them are summed over them;
3. the period the figure's own sentence states (or refers back to): one day, or one month
   named as when something happened, is an incident's; a range, a longer period or an open
   one ("since May") a total's; a period merely read from the paragraph does not decide;
4. a campaign the sentence sets the figure in ("arrested 2,534 smugglers in a joint
   campaign"): weaker than a stated day or month, since one interception "in a continuing
   crackdown ... in July" is still one case's;
5. the event type: some figures are totals by nature (deployments, inspections, people in
   treatment);
6. the document: a summary report (it states a report period, or its lead a summing cue)
   gives totals, a story of one bust incidents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .extensions import span_value
from .grammar.trie import trie_pattern
from .rules import KindCues

if TYPE_CHECKING:
    from .attribution import Attribution, DocContext
    from .events import Fact

INCIDENT = "incident"
TOTAL = "total"
TOTAL_CUES, INCIDENT_NOUNS, TOTAL_FRAMES = "kind_total", "kind_incident", "kind_frame"  # anchor families
SEVERAL_NOUNS = "kind_several"  # anchor family: a figure summed over several ends in one of these nouns
CAMPAIGN_FRAMES = "kind_campaign"  # anchor family: a campaign frame ends in one of these nouns
SHARE = "share"  # the predicate class of a part of a figure stated before (configs/shared/events.yml)
CASE_TYPES = ("case_solved", "case_opened")  # "cracked 12 cases": the figures beside them are sums
Period = tuple[date | None, date | None]
_CLAUSE = re.compile(r"[,;:]\s")  # a clause boundary (not the comma of "1,200")


class KindVerdict(NamedTuple):
    """A figure's kind and the cue that decided it."""

    kind: str
    cue: str


class KindRules:
    """The ``kind`` cues of ``events.yml``, compiled once per pipeline."""

    def __init__(self, rules: KindCues):
        self.rules = rules
        self.total_re = re.compile(rf"(?<!\w)(?:{trie_pattern({p.lower() for p in rules.total_cues})})(?!\w)")
        determiners = trie_pattern({d.lower() for d in rules.incident_determiners})
        nouns = trie_pattern({n.lower() for n in rules.incident_nouns})
        # "a single case", "the cross-border trafficking case", "from his car": singular only
        # ... whose words before the noun cross no preposition ("the habit in their home communities")
        gap = trie_pattern({w.lower() for w in rules.incident_gap_stops})
        word = rf"(?!(?:{gap})\s)[\w'-]+\s+" if rules.incident_gap_stops else r"[\w'-]+\s+"
        self.incident_re = re.compile(
            rf"(?<!\w)(?:{determiners})\s+(?:{word}){{0,{rules.incident_window}}}?(?:{nouns})(?![\w-])")
        self.frame_re = _frame_re(rules.total_frames, rules.total_frame_nouns)
        # "arrested 2,534 smugglers in a joint campaign": a campaign is many cases ("in an operation"
        # may be one raid: operations are not among the nouns)
        self.campaign_re = _frame_re(rules.campaign_frames, rules.campaign_nouns)
        # "seized in three joint operations", "in 11 cases": a figure summed over several
        counts = trie_pattern({w.lower() for w in rules.several_counts})
        several = trie_pattern({n.lower() for n in rules.several_nouns})
        self.several_re = re.compile(
            rf"(?<![\w,.])(?:\d[\d,]*|{counts})\s+(?:(?!(?:in|on|of|at|by|from|with|to|and|or)\s)[\w'-]+\s+){{0,2}}?"
            rf"(?:{several})(?!\w)") \
            if rules.several_nouns else None
        self.followup_stop_re = re.compile(
            rf"(?<!\w)(?:{trie_pattern({w.lower() for w in rules.case_followup_stops})})(?!\w)") \
            if rules.case_followup_stops else None
        qualifiers = trie_pattern({q.lower() for q in rules.total_before_qualifiers})
        self.before_figure_re = re.compile(
            rf"(?<!\w)(?:{trie_pattern({p.lower() for p in rules.total_before_figure})})\s+"
            + (rf"(?:(?:{qualifiers})\s+)?" if rules.total_before_qualifiers else "") + r"$") \
            if rules.total_before_figure else None
        # "31.6 kg of the October haul": the figure is a part of a haul told before
        self.share_of_re = re.compile(rf"\s+(?:{trie_pattern({b.lower() for b in rules.share_bases})})\s",
                                      re.IGNORECASE) if rules.share_bases else None
        # "with a total weight of 1.8 kg": a total cue that only weighs one seizure's items
        # and "have since been detained": "since" as "later"
        masks = {w.lower() for w in (*rules.weight_phrases, *rules.adverb_phrases)}
        mask = trie_pattern(masks) if masks else ""
        if rules.weighed_words and rules.weighed_totals:
            # "250,000 pills, weighing 23.44 kg in total": one seizure's weight, the amount between
            weighed, totals = (trie_pattern({w.lower() for w in ws}) for ws in (rules.weighed_words,
                                                                                rules.weighed_totals))
            # ... and "Altogether the haul weighed 718.19 kg": the summing word opens the sentence
            mask = "|".join(filter(None, (mask, rf"(?:{weighed})\s+(?:[\w.,'-]+\s*){{1,4}}?(?:{totals})",
                                          rf"^\s*(?:{totals}),?\s+(?:[\w'-]+\s+){{1,3}}?(?:{weighed})")))
        self.weight_re = re.compile(rf"(?<!\w)(?:{mask})(?!\w)") if mask else None
        # "one of the largest hauls in recent years": a ranking, whose total cues do not sum
        self.superlative_re = re.compile(
            rf"(?<!\w)(?:{trie_pattern({w.lower() for w in rules.superlatives})})(?!\w)"
            rf"(?:[ \t]+[^\s,;:]+){{0,{rules.superlative_window}}}") if rules.superlatives else None
        # a relative clause's opener starts a clause: its figure is told of what it describes
        self.opener_re = re.compile(rf"(?<!\w)(?:{trie_pattern({w.lower() for w in rules.clause_openers})})(?!\w)") \
            if rules.clause_openers else None
        self.range_re = re.compile(rf"(?<!\w)(?:{trie_pattern({w.lower() for w in rules.range_words})})(?!\w)")
        self.total_types = set(rules.total_types)
        # the cue families whose words are lexeme flags (cues.py); an incident cue ends in its noun
        self.anchors = {TOTAL_CUES: list(rules.total_cues), INCIDENT_NOUNS: list(rules.incident_nouns),
                        TOTAL_FRAMES: list(rules.total_frames), SEVERAL_NOUNS: list(rules.several_nouns),
                        CAMPAIGN_FRAMES: list(rules.campaign_nouns)}
        self._cues: dict[str, list[tuple[int, int, str, str]]] = {}
        self._clauses: dict[str, list[tuple[int, int]]] = {}  # clause breaks of a sentence

    def cues(self, sentence: str, anchored: "Callable[[str], bool] | None" = None) -> list[tuple[int, int, str, str]]:
        """Every incident and total cue of a sentence: (start, end, kind, text).

        ``anchored(family)``, when given, says whether the sentence has a word a cue of that
        family (``anchors``) can start in: the regexes of the others cannot match, and are skipped.
        """
        cached = self._cues.get(sentence)
        if cached is not None:
            return cached
        lower = sentence.lower()
        found = []
        if anchored is None or anchored(INCIDENT_NOUNS):
            found += [(m.start(), m.end(), INCIDENT, m.group()) for m in self.incident_re.finditer(lower)]
        if anchored is None or anchored(TOTAL_CUES):
            found += [(start, end, TOTAL, lower[start:end]) for start, end in self.total_spans(lower)]
        if self.frame_re is not None and (anchored is None or anchored(TOTAL_FRAMES)):
            found += [(m.start(), m.end(), TOTAL, m.group()) for m in self.frame_re.finditer(lower)]
        if self.several_re is not None and (anchored is None or anchored(SEVERAL_NOUNS)):
            # "in three joint operations": starts at any number, ends in one of the nouns
            found += [(m.start(), m.end(), TOTAL, m.group()) for m in self.several_re.finditer(lower)]
        if len(self._cues) > 256:
            self._cues.clear()  # a few sentences of one document are asked about at a time
            self._clauses.clear()
        self._cues[sentence] = found
        return found

    def total_spans(self, lower: str) -> list[tuple[int, int]]:
        """The total cues of a lower-cased text, less those inside a weight phrase or after a
        superlative."""
        spans = [m.span() for m in self.total_re.finditer(lower)]
        for masking in (self.weight_re, self.superlative_re):
            if spans and masking is not None:
                masks = [m.span() for m in masking.finditer(lower)]
                spans = [(s, e) for s, e in spans if not any(lo <= s and e <= hi for lo, hi in masks)]
        return spans

    def sentence_cue(self, sentence: str, at: int,
                     anchored: "Callable[[str], bool] | None" = None) -> KindVerdict | None:
        """The nearest incident or total cue of ``sentence`` to offset ``at`` (relative to it)."""
        found = self.cues(sentence, anchored)
        if not found:
            return None
        # cues of the figure's own clause first ("5 tonnes last year, including 600 kg in a raid")
        clauses = self._clauses.get(sentence)
        if clauses is None:
            clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sentence)]
            if self.opener_re is not None:  # "a first quarter in which police seized 4 tonnes"
                clauses = sorted(clauses + [(m.start(), m.start()) for m in self.opener_re.finditer(sentence.lower())])
            self._clauses[sentence] = clauses
        lo = max((end for _, end in clauses if end <= at), default=0)
        hi = next((start for start, _ in clauses if start >= at), len(sentence))
        own = [f for f in found if lo <= f[0] and f[1] <= hi]
        # in its own clause a single case wins ("the biggest smuggling case to date"); else the nearest
        candidates = [f for f in own if f[2] == INCIDENT] or own or found
        start, end, kind, text = min(candidates, key=lambda f: (_distance(f[0], f[1], at), f[2] != INCIDENT))
        return KindVerdict(kind, f"{kind}:{text}")

    def period_cue(self, period: Period, period_text: str | None) -> KindVerdict | None:
        """Incident for a day or a month named as a date; total for a range, a long or open period."""
        start, end = period
        if start is None and end is None:
            return None
        if end is None:
            return KindVerdict(TOTAL, "period:open")  # "since May": still running
        if start is None:
            return None  # "by December": the end of whatever the document counts
        days = (end - start).days + 1
        if days == 1:
            return KindVerdict(INCIDENT, "period:day")
        if days > self.rules.incident_max_days or (period_text and self.range_re.search(period_text.lower())):
            return KindVerdict(TOTAL, "period:range")
        if start.day == 1 and (end + timedelta(days=1)).month != end.month and start.month == end.month:
            return KindVerdict(INCIDENT, "period:month")  # "in March": when one case happened
        return KindVerdict(INCIDENT, "period:days")  # "on May 14 and 15": a few days of raids

    def judge(self, sentence: str, at: int, period: Period, period_text: str | None, event_type: str,
              several_cases: bool, report: "bool | Callable[[], bool]",
              anchored: "Callable[[str], bool] | None" = None) -> KindVerdict:
        """The kind of a figure at offset ``at`` of ``sentence`` (see the module docstring);
        ``report`` whether the document is a summary report (or a function that says it, asked
        only when the document decides); ``anchored`` as for ``cues``."""
        if self.before_figure_re is not None:
            found = self.before_figure_re.search(sentence[max(0, at - 60):at].lower())
            # "The case is one of 213 drug cases": the count the case is one of (a case, raid or
            # seizure before it; not "Zhang, one of 4 suspects arrested in the raid")
            if found is not None and self.incident_re.search(sentence[:at].lower()) is not None:
                return KindVerdict(TOTAL, f"total:{found.group().strip()}")
        verdict = self.sentence_cue(sentence, at, anchored)
        if verdict is not None:
            return verdict
        if several_cases:
            return KindVerdict(TOTAL, "several cases")
        verdict = self.period_cue(period, period_text)
        if verdict is not None:
            return verdict
        if self.campaign_re is not None and (anchored is None or anchored(CAMPAIGN_FRAMES)):
            found = self.campaign_re.search(sentence.lower())
            if found is not None:  # weaker than a stated day or month: "in a crackdown, ... in July"
                return KindVerdict(TOTAL, f"campaign:{found.group()}")
        if event_type in self.total_types:
            return KindVerdict(TOTAL, f"type:{event_type}")
        summary = report() if callable(report) else report
        return KindVerdict(TOTAL, "document:report") if summary else KindVerdict(INCIDENT, "document:story")


class SummaryDocument:
    """Whether a document is a summary report: it states a report period, else its lead reads
    as one; the lead is read once, and only if a figure's kind comes down to the document."""

    def __init__(self, report: bool, lead: "Callable[[], bool]"):
        self.report = report
        self.lead = lead
        self._found: bool | None = None

    def __call__(self) -> bool:
        if self._found is None:
            self._found = self.report or self.lead()
        return self._found


class FactKinds:
    """The kind of every fact of a document, from its sentence, its period and the document."""

    def __init__(self, rules: KindRules):
        self.rules = rules

    def kinds(self, ctx: "DocContext", facts: "list[Fact]", attributions: "list[Attribution]") -> list[KindVerdict]:
        """One verdict per fact; a report period makes a total of every fact under it."""
        doc = ctx.doc
        several = {f.sent for f in facts if f.event_type in CASE_TYPES
                   and (span_value(doc, "value", f.span.start_char, f.span.end_char) or 0) > 1}
        # the first fact's report flag (the document's), or the lead: read when a figure needs it
        sums = self._report_sums(ctx, facts, attributions, several)
        summary = SummaryDocument(bool(attributions) and attributions[0].report and sums,
                                  lambda: self._summary_lead(ctx))
        verdicts = [self._kind(ctx, fact, attribution, fact.sent in several, summary, sums)
                    for fact, attribution in zip(facts, attributions, strict=True)]
        verdicts = self._dated_by_paragraph(ctx, facts, attributions, verdicts)
        return self._shares(ctx, facts, self._after_a_case(ctx, facts, verdicts))

    def _shares(self, ctx: "DocContext", facts: "list[Fact]", verdicts: list[KindVerdict]) -> list[KindVerdict]:
        """A share of a figure ("Heroin accounted for 31.6 kg of the October haul") is of the kind
        of the figure it is a share of (the last of its type before it, in its paragraph or the one before),
        unless a cue word of its own sentence says otherwise: a province's monthly haul is a total,
        and so are its parts, though a month alone would make an incident."""
        out = list(verdicts)
        # a share's predicate, or a predicate noun the figure is "of the" ("31.6 kg of the October haul")
        of_the = self.rules.share_of_re
        shares = [SHARE in f.verbs or (f.how == "item" and of_the is not None
                                       and of_the.match(ctx.text, f.span.end_char) is not None) for f in facts]
        for i, fact in enumerate(facts):
            if not shares[i] or not verdicts[i].cue.startswith(("period", "document", "type")):
                continue
            whole = next((j for j in range(i - 1, -1, -1)
                          if not shares[j] and facts[j].event_type == fact.event_type), None)  # not a raid's arrests
            if whole is not None and ctx.sent_para[facts[whole].sent] >= ctx.sent_para[fact.sent] - 1:
                out[i] = KindVerdict(out[whole].kind, f"share:{out[whole].cue}")
        return out

    def _after_a_case(self, ctx: "DocContext", facts: "list[Fact]", verdicts: list[KindVerdict]) -> list[KindVerdict]:
        """A figure that only the document calls a total, in a sentence right after one that tells
        of one case in its paragraph, is that case's: "In March, police stopped a fishing boat and
        recovered 612 kg of methamphetamine. Five crew members were arrested" (incident)."""
        out = list(verdicts)
        stops = self.rules.followup_stop_re
        for i, fact in enumerate(facts):
            if verdicts[i].kind != TOTAL or verdicts[i].cue not in ("report", "document:report"):
                continue
            if stops is not None and stops.search(ctx.sentence_text(fact.sent).lower()):
                continue  # "Police across the region arrested 2,400 suspects": not the case's
            if fact.sent == 0 or ctx.sent_para[fact.sent - 1] != ctx.sent_para[fact.sent]:
                continue
            j = i - 1
            while j >= 0 and facts[j].sent >= fact.sent:
                j -= 1  # past the figure's own sentence, to the one before (facts are in text order)
            case = None
            while j >= 0 and facts[j].sent == fact.sent - 1 and case is None:
                if verdicts[j].kind == INCIDENT and not verdicts[j].cue.startswith("document"):
                    case = verdicts[j]
                j -= 1
            if case is not None:
                out[i] = KindVerdict(INCIDENT, f"paragraph:{case.cue}")
        return out

    @staticmethod
    def _dated_by_paragraph(ctx: "DocContext", facts: "list[Fact]", attributions: "list[Attribution]",
                            verdicts: list[KindVerdict]) -> list[KindVerdict]:
        """A figure with no cue of its own, dated by its paragraph, is of the kind of the figures
        of the sentence that dates it: "In April, police raided a workshop and seized 463 kg.
        Eleven people were detained" (the raid's: incident); "In April, police solved 640 cases.
        Officers arrested 1,100" (the month's: total). With no figure there, its paragraph's date
        decides, as a date of its own sentence would (``_kind``)."""
        out = list(verdicts)
        for i, (fact, attribution) in enumerate(zip(facts, attributions, strict=True)):
            if attribution.period_cue != "paragraph" or not verdicts[i].cue.startswith(("period", "document")):
                continue
            para = ctx.sent_para[fact.sent]
            dating = next((verdicts[j] for j in range(i - 1, -1, -1)
                           if ctx.sent_para[facts[j].sent] == para and facts[j].sent < fact.sent
                           and attributions[j].period_cue == "sentence"
                           and attributions[j].period == attribution.period), None)
            if dating is not None:
                out[i] = KindVerdict(dating.kind, f"paragraph:{dating.cue}")
        return out

    def _report_sums(self, ctx: "DocContext", facts: "list[Fact]", attributions: "list[Attribution]",
                     several: set[int]) -> bool:
        """Whether the document's report period is a total's: the figure that states it is a
        total by its own sentence ("cracked 10,427 cases during an October campaign", "in the
        first half"), not one case's ("recovered 23 kg from his car this month", "raided three
        labs on May 14 and 15")."""
        reported = next((a.period for a in attributions if a.period_cue == "report"), None)
        if reported is None:
            return True
        for fact, attribution in zip(facts, attributions, strict=True):
            if attribution.period_cue == "sentence" and attribution.period == reported:
                return self._kind(ctx, fact, attribution, fact.sent in several, lambda: True).kind == TOTAL
        return True

    def _kind(self, ctx: "DocContext", fact: "Fact", attribution: "Attribution", several_cases: bool,
              summary: "Callable[[], bool]", report_sums: bool = True) -> KindVerdict:
        sent_start, _ = ctx.sentences[fact.sent]
        period, period_text = attribution.period, attribution.stated_text
        if attribution.period_cue not in ("sentence", "back_reference", "paragraph"):
            period, period_text = (None, None), None
        verdict = self.rules.judge(ctx.sentence_text(fact.sent), fact.span.start_char - sent_start,
                                   period, period_text, fact.event_type, several_cases, summary,
                                   lambda family: ctx.anchored(family, fact.sent))
        if attribution.period_cue == "report" and report_sums \
                and verdict.cue.startswith(("period", "document", "type")):
            return KindVerdict(TOTAL, "report")
        return verdict

    def _summary_lead(self, ctx: "DocContext") -> bool:
        """Whether the document's lead reads as a summary (more summing cues than single cases)."""
        start, end = ctx.lead_span()
        lead = ctx.text[start:end].lower()
        totals = len(self.rules.total_spans(lead))
        return totals > 0 and totals > len(self.rules.incident_re.findall(lead))  # no total: no need to count


def _frame_re(frames: list[str], nouns: list[str]) -> "re.Pattern[str] | None":
    """A frame word, an optional determiner, up to five words and one of ``nouns``: "during
    the six-month anti-drug campaign", "in a joint campaign"."""
    if not frames or not nouns:
        return None
    words, heads = trie_pattern({f.lower() for f in frames}), trie_pattern({n.lower() for n in nouns})
    return re.compile(rf"(?<!\w)(?:{words})\s+(?:(?:a|an|the|this|that|its|their)\s+)?(?:[\w'\"-]+\s+){{0,5}}?"
                      rf"(?:{heads})(?!\w)")


def _distance(start: int, end: int, at: int) -> int:
    if start <= at < end:
        return 0
    return start - at if start > at else at - end
