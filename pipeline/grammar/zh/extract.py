"""A prototype Chinese extractor: text in, entity and event dicts in the gold format out.

``extract_zh(text, published)`` runs the Chinese grammar over one document, reads
each quantity's event, and attributes provinces, operation, period and kind by
the schema's cues (sentence, then paragraph, then the document's focus or
report period). It is the reference the spaCy components of the language seam
reproduce: they find the same spans and call the same grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..trie import trie_pattern
from .dates import MONTH_EDGE, DateGrammar, ZhDate, resolve_date
from .events import Reading, ZhEventReader, _Word
from .gazetteer import NameMatch, OperationFinder, ProvinceFinder
from .quantities import QuantityGrammar, ZhQuantity
from .rules import ZhRuleSet, load_zh_rules
from .text import to_simplified

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』]?|\n")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_DAY_NUMBER = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_DATELINE = re.compile(rf"[^，。\s]{{0,24}}?{_DAY_NUMBER}月{_DAY_NUMBER}日[电讯]")
_SPEECH = ("通报", "介绍", "表示", "获悉", "了解到", "发布", "宣布", "透露", "披露", "称", "说", "报道", "讯", "电")


@dataclass
class ZhGrammar:
    """Every finder and reader of the Chinese rules, built once."""

    rules: ZhRuleSet
    provinces: ProvinceFinder = field(init=False)
    operations: OperationFinder = field(init=False)
    quantities: QuantityGrammar = field(init=False)
    dates: DateGrammar = field(init=False)
    reader: ZhEventReader = field(init=False)

    def __post_init__(self) -> None:
        r = self.rules
        self.provinces = ProvinceFinder(r.provinces)
        self.operations = OperationFinder(r.operations)
        self.quantities = QuantityGrammar(r.quantities)
        self.dates = DateGrammar(r.dates)
        self.reader = ZhEventReader(r.events, r.drugs, r.shared_events)
        e = r.events
        self.not_after = re.compile(trie_pattern(e.province_not_location_after))
        self.not_before = re.compile(rf"(?:{trie_pattern(e.province_not_location_before)})$")
        # "从云南省西盟县公安局了解到": an agency of the province after it keeps it a location
        agencies = trie_pattern(e.province_location_agencies)
        self.agency_after = re.compile(rf"[^，。；：！？,;:]{{0,10}}?(?:{agencies})") \
            if e.province_location_agencies else None
        # ... not past a word of where drugs went ("从云南省运往广州市公安局辖区")
        self.not_before_inside = re.compile(trie_pattern(e.province_not_location_before)) \
            if e.province_not_location_before else None
        self.total_cues = re.compile(trie_pattern(e.kind_total_cues))
        self.incident_cues = re.compile(trie_pattern(e.kind_incident_cues))
        self.incident_cue_words = frozenset(e.kind_incident_cues)
        # an incident cue whose clause tells where the news came from (记者近日从…获悉): no cue
        # (近日，记者从浙江省公安厅获悉: across commas, not past a number or the sentence's end)
        numerals = re.escape(r.quantities.numbers.digits)
        self.report_clause = re.compile(rf"(?:{trie_pattern(e.kind_incident_cues)})[^。；;\d{numerals}]*?"
                                        rf"(?:{trie_pattern(e.kind_report_verbs)})") if e.kind_report_verbs else None
        # ，共计11.6公斤 and 280块、合计103.6千克: a sum of the amounts listed before it, no kind cue
        # (the qualifiers and numeral characters from configs/zh/quantities.yml)
        numbers = r.quantities.numbers
        qualifiers = trie_pattern([w for words in r.quantities.qualifiers.values() for w in words])
        numeral = f"[0-9{re.escape(numbers.digits + numbers.multipliers)}]"
        self.sum_phrases = re.compile(
            rf"(?<=[，,；;、])(?:{trie_pattern(e.sum_markers)})(?=(?:{qualifiers})?{numeral})") \
            if e.sum_markers else None
        self.weight_phrases = re.compile(trie_pattern(e.kind_weight_phrases)) if e.kind_weight_phrases else None
        self.clause_total_cues = re.compile(trie_pattern(e.kind_clause_total_cues))
        self.back_refs = re.compile(trie_pattern(e.back_references))
        self.current_words = frozenset(e.current_period_words)
        rankings = f"(?!{trie_pattern(e.national_rankings)})" if e.national_rankings else ""
        self.national = re.compile(trie_pattern(e.national_cues) + rankings)  # not "在全国率先": a ranking
        self.national_scope = re.compile(trie_pattern(e.national_scope_cues) + rankings) \
            if e.national_scope_cues else None
        self.local = re.compile(trie_pattern(e.local_cues))


@lru_cache(maxsize=2)
def zh_grammar(rules_dir: str = "configs/zh") -> ZhGrammar:
    """The Chinese grammar built from ``rules_dir`` (validated; cached)."""
    return ZhGrammar(load_zh_rules(Path(rules_dir)))


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in pattern.finditer(text, start, end):
        if m.end() > pos:
            spans.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


@dataclass
class ZhDoc:
    original: str
    text: str
    published: date | None
    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int, int]]  # start, end, paragraph index
    provinces: list[NameMatch]
    operations: list[NameMatch]
    quantities: list[ZhQuantity]
    dates: list[ZhDate]
    periods: dict[int, tuple[date | None, date | None]]
    datelines: list[tuple[int, int]]


def published_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def layout(simple: str) -> tuple[list[tuple[int, int]], list[tuple[int, int, int]], list[tuple[int, int]]]:
    """Paragraphs, sentences (start, end, paragraph) and datelines of a simplified text."""
    paragraphs = _spans(_PARAGRAPH, simple, 0, len(simple))
    sentences = [(s, e, i) for i, (ps, pe) in enumerate(paragraphs) for s, e in _spans(_SENTENCE_END, simple, ps, pe)]
    datelines = []
    for ps, pe in paragraphs:
        m = _DATELINE.match(simple, ps, pe)
        if m is not None:
            datelines.append((m.start(), m.end()))
    return paragraphs, sentences, datelines


def resolve_all(dates: list[ZhDate], ref: date | None) -> dict[int, tuple[date | None, date | None]]:
    """The period of each date by its start; 当天 and 次日 count from the last precise day before."""
    periods: dict[int, tuple[date | None, date | None]] = {}
    anchor: date | None = None
    for d in dates:
        period = resolve_date(d, ref, anchor)
        periods[d.start] = period
        if d.precise and period[0] is not None and period[0] == period[1]:
            anchor = period[0]
    return periods


def analyse(text: str, published: Any = None, grammar: ZhGrammar | None = None) -> ZhDoc:
    """Find every span of ``text`` and resolve its dates (the shared first half of extraction)."""
    g = grammar or zh_grammar()
    simple = to_simplified(text)
    paragraphs, sentences, datelines = layout(simple)
    ops = g.operations.find(simple)
    dates = [d for d in g.dates.find(simple) if not any(o.start < d.end and d.start < o.end for o in ops)]
    taken: list[tuple[int, int]] = [(o.start, o.end) for o in ops] + [(d.start, d.end) for d in dates]
    quantities = [q for q in g.quantities.find(simple) if not any(s < q.end and q.start < e for s, e in taken)]
    taken = [(o.start, o.end) for o in ops] + [(q.start, q.end) for q in quantities]
    provinces = [p for p in g.provinces.find(simple) if not any(s < p.end and p.start < e for s, e in taken)]
    ref = published_date(published)
    periods = resolve_all(dates, ref)
    return ZhDoc(text, simple, ref, paragraphs, sentences, provinces, ops, quantities, dates, periods, datelines)


def entities(doc: ZhDoc) -> list[dict[str, Any]]:
    """The document's entities in the gold format (label, text, offsets, normalised values)."""
    out: list[dict[str, Any]] = []
    for p in doc.provinces:
        out.append({"label": "PROVINCE", "text": doc.original[p.start:p.end], "start": p.start, "end": p.end,
                    "norm": p.norm, "rule": p.rule})
    for o in doc.operations:
        out.append({"label": "OPERATION", "text": doc.original[o.start:o.end], "start": o.start, "end": o.end,
                    "norm": o.norm, "rule": o.rule})
    for q in doc.quantities:
        out.append({"label": "QUANTITY", "text": doc.original[q.start:q.end], "start": q.start, "end": q.end,
                    "value": q.value, "unit": q.unit, "qualifier": q.qualifier, "rule": q.rule})
    for d in doc.dates:
        start, end = doc.periods.get(d.start, (None, None))
        out.append({"label": "DATE", "text": doc.original[d.start:d.end], "start": d.start, "end": d.end,
                    "period_start": start.isoformat() if start else None,
                    "period_end": end.isoformat() if end else None, "rule": d.rule})
    return sorted(out, key=lambda e: (e["start"], e["end"]))


def extract_zh(text: str, published: Any = None, doc_id: str = "",
               grammar: ZhGrammar | None = None) -> dict[str, list[dict[str, Any]]]:
    """Entities and event rows of one Chinese document, in the format of the gold files."""
    g = grammar or zh_grammar()
    doc = analyse(text, published, g)
    return {"entities": entities(doc), "events": events(doc, g, doc_id)}


def events(doc: ZhDoc, g: ZhGrammar, doc_id: str = "") -> list[dict[str, Any]]:
    """The event rows of an analysed document."""
    rows: list[dict[str, Any]] = []
    focus = _focus(doc, g)
    umbrella = _umbrella(doc)
    report = _report_period(doc, g)
    last_predicate: _Word | None = None
    last_period: tuple[date | None, date | None] | None = None
    para_period: dict[int, tuple[date | None, date | None]] = {}
    para_provinces: dict[int, list[str]] = {}
    para_kind: dict[int, str] = {}  # the kind of the paragraph's last sentence with events
    before: tuple[tuple[date | None, date | None], str] | None = None  # the last figure's period and kind
    for s_start, s_end, para in doc.sentences:
        sentence = doc.text[s_start:s_end]
        breakdown = before if _breaks_down(g, sentence) else None
        in_sentence = [q for q in doc.quantities if s_start <= q.start and q.end <= s_end]
        sentence_provinces = _located(doc, g, s_start, s_end)
        sentence_dates = [d for d in doc.dates if s_start <= d.start and d.end <= s_end and _sets_period(doc, d)]
        readings = [(q, g.reader.read(doc.text, q, (s_start, s_end), in_sentence, last_predicate,
                                      (0, len(doc.text)))) for q in in_sentence]
        readings = [(q, r) for q, r in readings if r.event_type is not None]
        several = _several_cases(g, readings)
        # figures are no kind cues, but one case counted alone still tells of one case (破获贩毒案件一起)
        cue_text = _cue_text(g, sentence, [(q.start - s_start, q.end - s_start) for q, _ in readings
                                           if several or doc.text[q.start:q.end] not in g.incident_cue_words])
        paired = _respectively(doc, g, s_start, s_end, sentence_provinces, [q for q, _ in readings])
        clauses = _clause_provinces(doc, g, s_start, s_end, [q for q, _ in readings]) \
            if len(sentence_provinces) > 1 else {}
        for q, reading in readings:
            provinces, province_cue = sentence_provinces, "sentence"
            if q.start in clauses:
                provinces, province_cue = clauses[q.start]
            elif q.start in paired:
                provinces, province_cue = [paired[q.start]], "respectively"
            if not provinces:
                provinces, province_cue = para_provinces.get(para, []), "paragraph"
            if not provinces:
                provinces, province_cue = focus, ("focus" if focus else "none")
            paragraph_so_far = doc.text[doc.paragraphs[para][0]:q.start]
            period, period_cue = _period(doc, g, q, sentence_dates, paragraph_so_far, last_period or report,
                                         para_period.get(para))
            kind, kind_cue = _kind(g, cue_text, q.end - s_start)
            if kind_cue == "":
                scope = _area_subject(doc, g, s_start, s_end, q.start) or _campaign(doc, s_start, s_end)
                own = _own_date(q, sentence_dates)
                edge = period_cue == "sentence" and own is not None and own.rule == MONTH_EDGE
                kind, kind_cue = _kind_without_cue(g, reading, scope, period, period_cue, several,
                                                   para_kind.get(para), edge)
                if breakdown is not None and period_cue != "sentence" and kind_cue != "several_cases" \
                        and not (scope and kind_cue == scope) and not kind_cue.startswith("type:"):
                    # 其中，缴获冰毒片剂86万余粒: the parts of the figure before, of its period and kind
                    # (not 其中…一起网络贩毒案中，查获…: a case of its own, by its cue)
                    period, period_cue = breakdown[0], "back_reference"
                    kind, kind_cue = breakdown[1], "breakdown"
            if period_cue == "none" and kind == "total" and report is not None:
                period, period_cue = report, "report"
            operation = _operation(doc, q, s_start, s_end) or umbrella
            rows.append(_row(doc, doc_id, q, reading, provinces, province_cue, operation, period, period_cue,
                             kind, kind_cue, (s_start, s_end, para), g))
        if rows and readings:
            para_kind[para] = rows[-1]["kind"]
            before = (period, kind)
        verbs = g.reader._verbs(doc.text, s_start, s_end)
        if verbs:
            last_predicate = verbs[-1]
        if sentence_provinces:
            para_provinces[para] = sentence_provinces
        if sentence_dates:
            last = sentence_dates[-1]
            para_period[para] = _date_period(doc, g, last)
            if not (readings and rows[-1]["kind"] == "incident"):
                # 同期 refers back to the period of totals, not the month of one case told among them
                # (今年1至5月…；其中，4月，…侦破一起…；同期，全省…: January to May)
                last_period = para_period[para]
    return rows


def _row(doc: ZhDoc, doc_id: str, q: ZhQuantity, reading: Reading, provinces: list[str], province_cue: str,
         operation: str | None, period: tuple[date | None, date | None], period_cue: str, kind: str,
         kind_cue: str, where: tuple[int, int, int], g: ZhGrammar) -> dict[str, Any]:
    s_start, s_end, para = where
    sentence = doc.text[s_start:s_end]
    if provinces:
        scope = "local" if g.local.search(sentence) else "provincial"
    else:
        scope = "national" if g.national.search(sentence) else "unknown"
    return {
        "doc_id": doc_id, "event_type": reading.event_type, "value": q.value, "unit": q.unit,
        "qualifier": q.qualifier, "item": _as_written(doc, reading.item, s_start, s_end, q.start),
        "drug": reading.drug,
        "provinces": list(provinces), "scope": scope, "operation": operation,
        "period_start": period[0].isoformat() if period[0] else None,
        "period_end": period[1].isoformat() if period[1] else None, "kind": kind,
        "raw": doc.original[q.start:q.end], "sentence": doc.original[s_start:s_end].strip(),
        "start": q.start, "end": q.end, "paragraph": para, "sent_start": s_start, "sent_end": s_end,
        "rule": q.rule, "trigger": reading.trigger, "province_cue": province_cue,
        "operation_cue": "sentence" if operation and _operation(doc, q, s_start, s_end) else
                         ("document" if operation else "none"),
        "period_cue": period_cue, "kind_cue": kind_cue, "topic_cue": reading.topic_cue,
    }


def _as_written(doc: ZhDoc, item: str, start: int, end: int, near: int) -> str | None:
    """The item in the original characters: its occurrence in the sentence nearest the quantity."""
    if not item:
        return None
    places = [m.start() for m in re.finditer(re.escape(item), doc.text[start:end])]
    if not places:
        return item
    best = min(places, key=lambda p: abs(start + p - near))
    return doc.original[start + best:start + best + len(item)]


def _in_dateline(doc: ZhDoc, start: int) -> bool:
    return any(s <= start < e for s, e in doc.datelines)


def _agency_after(g: ZhGrammar, text: str, end: int) -> bool:
    """Whether an agency of the province ending at ``end`` follows it (它的公安局, 警方...)."""
    if g.agency_after is None:
        return False
    found = g.agency_after.match(text, end)
    return found is not None and not (g.not_before_inside is not None and g.not_before_inside.search(found.group()))


def _located(doc: ZhDoc, g: ZhGrammar, start: int, end: int) -> list[str]:
    """Provinces named in [start, end) as where things happened (not origins, destinations, datelines)."""
    codes: list[str] = []
    for p in doc.provinces:
        if not (start <= p.start and p.end <= end) or _in_dateline(doc, p.start):
            continue
        if g.not_after.match(doc.text, p.end):
            continue
        if g.not_before.search(doc.text[max(0, p.start - 6):p.start]) and not _agency_after(g, doc.text, p.end):
            continue
        if p.norm not in codes:
            codes.append(p.norm)
    return codes


def _clause_provinces(doc: ZhDoc, g: ZhGrammar, start: int, end: int,
                      figures: list[ZhQuantity]) -> dict[int, tuple[list[str], str]]:
    """Figure start -> (provinces, cue) for the figures of a clause of the sentence (parts between
    ；) that names provinces of its own: "云南、广西两地分别缴获毒品9.6吨和2.3吨；广东警方打掉窝点36个"
    gives Guangdong's figures Guangdong only, and pairs 分别 within the first clause."""
    out: dict[int, tuple[list[str], str]] = {}
    bounds = [start] + [start + m.end() for m in re.finditer(r"[；;]", doc.text[start:end])] + [end]
    if len(bounds) < 3:
        return out
    for lo, hi in pairwise(bounds):
        own = _located(doc, g, lo, hi)
        if not own:
            continue
        inside = [q for q in figures if lo <= q.start < hi]
        paired = _respectively(doc, g, lo, hi, own, inside)
        for q in inside:
            out[q.start] = ([paired[q.start]], "respectively") if q.start in paired else (own, "clause")
    return out


def _respectively(doc: ZhDoc, g: ZhGrammar, start: int, end: int, provinces: list[str],
                  figures: list[ZhQuantity]) -> dict[int, str]:
    """Figure start -> province where a sentence pairs them "respectively" (河南、山东两省破案数分别达到
    980起和1050起): after each marker, as many figures (up to the next marker) as provinces named
    before the first, in order (…，缴获毒品分别为30公斤和40公斤 pairs again)."""
    markers = list(g.reader.respectively.finditer(doc.text, start, end))
    if not markers or len(provinces) < 2:
        return {}
    named = [p for p in doc.provinces if start <= p.start < markers[0].start()]
    if len({p.norm for p in named}) != len(provinces):
        return {}
    paired: dict[int, str] = {}
    for marker, following in zip(markers, [m.start() for m in markers[1:]] + [end], strict=True):
        after = [q for q in figures if marker.end() <= q.start < following]
        if len(after) == len(provinces):
            paired.update((q.start, code) for q, code in zip(after, provinces, strict=True))
    return paired


def _lead(doc: ZhDoc) -> tuple[int, int]:
    """The headline and first paragraph (the first two paragraphs when the first is a headline)."""
    if not doc.paragraphs:
        return 0, 0
    first = doc.paragraphs[0]
    is_headline = not re.search(r"[。！？]", doc.text[first[0]:first[1]])
    last = doc.paragraphs[1] if is_headline and len(doc.paragraphs) > 1 else first
    return first[0], last[1]


def _focus(doc: ZhDoc, g: ZhGrammar) -> list[str]:
    """The province a story is about, unless its lead reports national figures: the one province
    of its lead (headline and first paragraph), else its only province (as in English: a province's
    story may name a partner province of one case later, 联合广东警方)."""
    lead_start, lead_end = _lead(doc)
    codes = _located(doc, g, lead_start, lead_end)
    nationwide = g.national_scope is not None and g.national_scope.search(doc.text, lead_start, lead_end)
    if len(codes) == 1 and not nationwide and any(p.norm == codes[0] and lead_start <= p.start < lead_end
                                                  and _agency_after(g, doc.text, p.end) for p in doc.provinces):
        return codes  # the province's own agency reports (贵州省公安厅通报…), whoever launched the campaign
    if g.national.search(doc.text, lead_start, lead_end):
        return []
    codes = codes or _located(doc, g, 0, len(doc.text))
    return codes if len(codes) == 1 else []


def _umbrella(doc: ZhDoc) -> str | None:
    lead_start, lead_end = _lead(doc)
    names = {o.norm for o in doc.operations if lead_start <= o.start < lead_end}
    return names.pop() if len(names) == 1 else None


def _operation(doc: ZhDoc, q: ZhQuantity, start: int, end: int) -> str | None:
    named = [o for o in doc.operations if start <= o.start and o.end <= end]
    before = [o for o in named if o.end <= q.start]
    chosen = before[-1] if before else (named[0] if named else None)
    return chosen.norm if chosen else None


def _sets_period(doc: ZhDoc, d: ZhDate) -> bool:
    """Whether a date can set an event's period: precise, not a dateline, not when something was said."""
    if not d.precise or _in_dateline(doc, d.start):
        return False
    period = doc.periods.get(d.start, (None, None))
    if period == (None, None):
        return False
    if d.rule == MONTH_EDGE and period[1] is not None and doc.published is not None and period[1] > doc.published:
        return False  # 11月上旬 in a story of November 18: a part of the month, not all of it
    follow = re.split(r"[，。；]", doc.text[d.end:d.end + 16], maxsplit=1)[0]
    return not (period[0] == period[1] and any(w in follow for w in _SPEECH))


def _date_period(doc: ZhDoc, g: ZhGrammar, d: ZhDate) -> tuple[date | None, date | None]:
    """The period a date sets for the figures it frames: one that names the period the story
    is written in (今年 in a story of August) runs to the day of publication, so has no end."""
    start, end = doc.periods[d.start]
    if start is not None and end is not None and doc.published is not None and start <= doc.published < end \
            and doc.text[d.start:d.end] in g.current_words:
        return start, None
    return start, end


def _own_date(q: ZhQuantity, dates: list[ZhDate]) -> ZhDate | None:
    """The date of its sentence that dates a figure: the last before it, else the first."""
    before = [d for d in dates if d.end <= q.start]
    return before[-1] if before else (dates[0] if dates else None)


def _period(doc: ZhDoc, g: ZhGrammar, q: ZhQuantity, dates: list[ZhDate], context: str,
            last: tuple[date | None, date | None] | None,
            paragraph: tuple[date | None, date | None] | None) -> tuple[tuple[date | None, date | None], str]:
    chosen = _own_date(q, dates)
    if chosen is not None:
        start, end = _date_period(doc, g, chosen)
        if start is None and end is not None and chosen.mod == "as_of":
            # 自10月部署开展会战以来，截至12月10日，…: the running period the sentence opened, closed
            opened = [p for d in dates if d.end <= chosen.start
                      for p in [_date_period(doc, g, d)] if p[0] is not None and p[1] is None and p[0] <= end]
            if opened:
                start = opened[-1][0]
        return (start, end), "sentence"
    if last is not None and g.back_refs.search(context):
        return last, "back_reference"
    if paragraph is not None:
        return paragraph, "paragraph"
    return (None, None), "none"


def _report_period(doc: ZhDoc, g: ZhGrammar) -> tuple[date | None, date | None] | None:
    """The period a summary report states in its lead: open (since), a month or more long, or
    closed by 截至 with no start stated ("截至今年5月底", as "As of July 31" in English)."""
    lead_start, lead_end = _lead(doc)
    end = doc.paragraphs[2][1] if len(doc.paragraphs) > 2 else lead_end
    for d in doc.dates:
        if not (lead_start <= d.start < max(end, lead_end)) or not _sets_period(doc, d):
            continue
        start, stop = _date_period(doc, g, d)
        if start is not None and (stop is None or (stop - start).days >= 27):
            return start, stop
        if start is None and stop is not None and d.mod == "as_of":
            return start, stop
    return None


def _breaks_down(g: ZhGrammar, sentence: str) -> bool:
    """Whether a sentence opens by breaking down the figure before it (其中，…; 查获的毒品中，…)."""
    rules = g.rules.events
    opening = sentence.lstrip()
    if opening.startswith(tuple(rules.breakdown_openers)):
        return True
    first = g.reader.first_clause(opening)
    return first is not None and first.endswith(tuple(rules.breakdown_suffixes))


def _several_cases(g: ZhGrammar, readings: list[tuple[ZhQuantity, Reading]]) -> bool:
    """Whether the sentence counts two or more cases (a sum over cases: its figures are totals)."""
    return any(r.noun_class == "case" and q.unit == "count" and q.value is not None and q.value >= 2
               for q, r in readings)


def _area_subject(doc: ZhDoc, g: ZhGrammar, s_start: int, s_end: int, before: int) -> str:
    """A whole-area cue that opens a clause of the sentence before ``before`` (全区捣毁...), or ""."""
    for m in g.clause_total_cues.finditer(doc.text, s_start, before):
        c_start, _ = g.reader.clause(doc.text, m.start(), m.end(), s_start, s_end)
        if not doc.text[c_start:m.start()].strip():
            return m.group()
    return ""


def _campaign(doc: ZhDoc, s_start: int, s_end: int) -> str:
    """"operation" when the sentence names a campaign (its figures are the campaign's), or ""."""
    return "operation" if any(s_start <= o.start < s_end for o in doc.operations) else ""


def _kind_without_cue(g: ZhGrammar, reading: Reading, scope: str, period: tuple[date | None, date | None],
                      period_cue: str, several: bool, paragraph_kind: str | None,
                      month_edge: bool = False) -> tuple[str, str]:
    """The kind of a figure whose sentence has no kind cue, with the reason (the row's kind_cue).

    Totals: a type counted over a period, a whole area or a campaign as the scope, a period
    of four weeks or more (not a month told by its edge, 8月上旬: when one case happened, as
    "in early August" in English; a province's monthly figure, 7月, stays a total), several
    cases summed, or a total sentence before it in the paragraph when the figure names no
    date of its own.
    """
    if reading.event_type in g.rules.events.kind_total_types:
        return "total", f"type:{reading.event_type}"
    if scope:
        return "total", scope
    if period[0] is not None and (period[1] is None or (period[1] - period[0]).days >= 27) and not month_edge:
        return "total", "period"
    if several:
        return "total", "several_cases"
    if paragraph_kind == "total" and period_cue != "sentence":
        return "total", "paragraph"
    return "incident", ""


def _without_figures(sentence: str, spans: list[tuple[int, int]]) -> str:
    """``sentence`` with its figures blanked: a figure is no kind cue (案件一起 counts one case; the
    incident cue 一起 is "a case" written before its noun)."""
    for start, end in spans:
        sentence = sentence[:start] + " " * (end - start) + sentence[end:]
    return sentence


def _cue_text(g: ZhGrammar, sentence: str, figures: list[tuple[int, int]]) -> str:
    """``sentence`` with what is no kind cue blanked (same length): one seizure's items weighed
    together, a sum of the amounts listed, the telling of the news, and its ``figures`` (offsets
    in it). Once a sentence; ``_kind`` reads it for each figure."""
    if g.weight_phrases is not None:  # 合计净重约286克: one seizure's items weighed together, not a sum of cases
        sentence = g.weight_phrases.sub(lambda m: " " * len(m.group()), sentence)
    if g.sum_phrases is not None:
        sentence = g.sum_phrases.sub(lambda m: " " * len(m.group()), sentence)
    if g.report_clause is not None:  # 记者近日从省公安厅获悉: when the news was told
        sentence = g.report_clause.sub(lambda m: " " * len(m.group()), sentence)
    return _without_figures(sentence, figures)


def _kind(g: ZhGrammar, sentence: str, end: int) -> tuple[str, str]:
    """The kind a sentence's cue words give a figure ending at ``end`` (``sentence`` as
    ``_cue_text`` leaves it): a total cue after an incident cue wins; an incident cue only after
    the figure, with a total cue before it, is another case's (全省共破获1200起，其中…一次性缴获2.1吨:
    the 1200 are a total)."""
    incident = g.incident_cues.search(sentence)
    total = g.total_cues.search(sentence)
    if total is not None and (incident is None or total.start() > incident.start() or
                              (incident.start() >= end and total.start() < end)):
        return "total", total.group()
    if incident is not None:
        return "incident", incident.group()
    return "incident", ""
