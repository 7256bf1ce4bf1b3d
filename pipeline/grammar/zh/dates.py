"""Dates and periods in Chinese text, resolved with the English grammar's resolver.

Detection is Chinese (7月31日, 二〇〇九年, 今年1至6月, 上半年, 去年12月中旬, 上周三,
5年前, 九十年代); each match carries a ``Spec`` of ``pipeline.grammar.periods``,
whose ``resolve`` fixes the (start, end) dates against the published date, so
period_start and period_end mean the same in both languages. Words around a date
(自...起, 以来, 截至, 以前) stay outside the span and set its ``mod``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..periods import Period, Spec, resolve
from ..ranges import merge_adjacent
from ..trie import trie_pattern
from .numbers import parse_number
from .rules import ZhDatesFile

_CN_DIGITS = "〇零一二三四五六七八九"
_NINE = "一二三四五六七八九"
_YEAR4 = (rf"(?:\d{{4}}|[{_CN_DIGITS}]{{4}}"
          rf"|两千(?:零[{_NINE}]|[{_NINE}]十[{_NINE}]?|零一十[{_NINE}]?)?)")
_YEAR2 = rf"(?:0\d|[〇零][{_CN_DIGITS}])"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_CN_DAY = r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_SP = r" ?"


MONTH_EDGE = "zh.month_edge"  # 8月上旬: the month, once it is over (extract._sets_period)

@dataclass(frozen=True, slots=True)
class ZhDate:
    """A DATE found in the text: the entity span, its spec, and the meaning of the words around it.

    ``mod`` is since/after/before/as_of/until or empty; ``precise`` is False for vague
    periods (近年, 同期) and weekdays, which are entities but set no event period;
    ``anaphoric`` dates (当天, 次日) count from the last day the text named.
    """

    start: int
    end: int
    spec: Spec
    rule: str
    mod: str = ""
    precise: bool = True
    anaphoric: int | None = None


def _year_value(text: str, pivot: int) -> int | None:
    text = text.strip()
    if text and all(c in _CN_DIGITS for c in text):
        text = "".join(str(max(_CN_DIGITS.index(c) - 1, 0)) for c in text)
    value = parse_number(text)
    if value is None:
        return None
    year = int(value)
    if len(text) == 2:
        year += 2000 if year < pivot else 1900
    return year


def _has_year(m: re.Match[str]) -> bool:
    """Whether a match of a pattern with the year groups (``year_part``) names a year."""
    return bool(m.group("ry") or m.group("y4") or m.group("y2") or m.group("y2m"))


def _small(text: str | None) -> int | None:
    if not text:
        return None
    value = parse_number(text)
    return int(value) if value is not None else None


class DateGrammar:
    """Finds the dates of a simplified text (see ``text.to_simplified``)."""

    def __init__(self, rules: ZhDatesFile):
        self.rules = rules
        rel_year = trie_pattern(rules.relative_years)
        rel_month = trie_pattern(rules.relative_months)
        parts = trie_pattern(rules.parts)
        edges = trie_pattern(rules.edges)
        year = rf"(?:(?P<y4>{_YEAR4})|(?P<y2>{_YEAR2})|(?P<y2m>\d{{2}})(?={_SP}年{_SP}{_MONTH}月)){_SP}年"
        year_part = rf"(?:{year}|(?P<ry>{rel_year}))"
        month = rf"(?:(?P<m>{_MONTH}){_SP}月|(?P<rm>{rel_month}))"
        day = rf"(?:(?P<d>{_DAY})[日号]|(?<=月)(?P<dn>{_CN_DAY})(?![\d{_CN_DIGITS}十百千万日号]))"
        self.calendar = re.compile(
            rf"{year_part}?{_SP}(?:(?P<part>{parts})|(?P<same>同期)|{month}{_SP}{day}?(?P<edge>{edges})?"
            rf"|(?P<d2>{_DAY})[日号]|(?P<yedge>{edges}))?")
        self.part_alone = re.compile(rf"(?P<part>{parts})")
        self.month_range = re.compile(
            rf"(?:{year_part})?{_SP}(?P<m1>{_MONTH}){_SP}(?P<j>[至到\-–—~～]){_SP}(?P<m2>{_MONTH}){_SP}月")
        # 今年前9个月, 前三季度: the first months (quarters) of a year, from January; not right after
        # a word of something that happened (案发前一个月: the month before it)
        self.before_event = re.compile(rf"(?:{trie_pattern(rules.first_months_not_after)})$") \
            if rules.first_months_not_after else None
        self.first_months = re.compile(
            rf"(?:{year_part})?{_SP}(?:{trie_pattern(rules.first_months_prefixes)})"
            rf"(?P<n>\d{{1,2}}|[一二三四两五六七八九十]+)(?P<unit>个月|月|个季度|季度)")
        self.year_range = re.compile(rf"(?P<y1>\d{{4}}){_SP}(?P<j>[至到\-–—~～]){_SP}(?P<y2>\d{{4}}){_SP}年")
        self.relative = re.compile(trie_pattern(
            list(rules.relative_days) + list(rules.anaphoric_days) + list(rules.relative_weeks)))
        which = trie_pattern(rules.weekday_which)
        self.weekday = re.compile(
            rf"(?P<which>{which})?(?:{trie_pattern(rules.weekday_words)})(?P<name>{trie_pattern(rules.weekday_names)})")
        self.ago = re.compile(r"(?P<n>\d{1,3}|[一二三四五六七八九十两几]+)(?P<unit>年|个月|天|周|个星期)前")
        self.decade = re.compile(
            r"(?P<cent>上世纪|本世纪|(?P<cn>\d{2}|十九|二十)世纪)?(?P<dec>[1-9]0|[一二三四五六七八九]十)年代")
        self.vague = re.compile(trie_pattern(rules.vague))
        self.rolling = re.compile(rf"{re.escape(rules.rolling_prefix)}(?:[{_CN_DIGITS}十两几数]+|\d+)?(?:年|个月|天)")
        prefixes, joiners = trie_pattern(rules.range_prefixes), trie_pattern(rules.range_joiners)
        self.joiners = re.compile(rf"\s*(?:{prefixes})?\s*(?:{joiners})\s*")
        self.range_suffix = re.compile(trie_pattern(rules.range_suffixes))
        self.paired_joiners = frozenset(rules.paired_joiners)
        self.prefix = {w: mod for mod, words in _affixes(rules.prefixes).items() for w in words}
        self.suffix = {w: mod for mod, words in _affixes(rules.suffixes).items() for w in words}
        self.prefix_pattern = re.compile(rf"(?:{trie_pattern(self.prefix)})$") if self.prefix else None
        self.suffix_pattern = re.compile(trie_pattern(self.suffix)) if self.suffix else None
        self.clause_since = tuple(rules.clause_since)

    # -- detection ---------------------------------------------------------------------------
    def find(self, text: str) -> list[ZhDate]:
        """Every date of ``text``, left to right, longest first where they overlap."""
        candidates: list[ZhDate] = []
        for finder in (self._calendars, self._first_months, self._month_ranges, self._year_ranges, self._relatives,
                       self._weekdays, self._agos, self._decades, self._vagues):
            candidates.extend(finder(text))
        chosen = _non_overlapping(candidates)
        chosen = self._merge_ranges(chosen, text)
        titles = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", text)]
        limits = [c.start for c in chosen[1:]] + [len(text)] if chosen else []
        return [self._with_affixes(c, text, limit) for c, limit in zip(chosen, limits, strict=True)
                if not any(s < c.start and c.end < e for s, e in titles)]

    def _calendars(self, text: str) -> list[ZhDate]:
        found = []
        for m in self.calendar.finditer(text):
            if not m.group().strip():
                continue
            has_year = _has_year(m)
            if not has_year and (m.group("part") or m.group("same") or m.group("yedge")):
                continue
            spec = self._calendar_spec(m)
            if spec is None:
                continue
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            precise = not m.group("same") and not (m.group("edge") or m.group("yedge") or "").endswith("旬") \
                or (m.group("edge") or "") in self.rules.month_edges  # 8月上旬: the month (see _calendar_spec)
            if m.group("same"):
                spec = Spec("vague")
            month_edge = (m.group("edge") or "") in self.rules.month_edges and spec.kind == "calendar"
            found.append(ZhDate(start, m.end(), spec, MONTH_EDGE if month_edge else "zh.calendar", precise=precise))
        for m in self.part_alone.finditer(text):
            part, of = self.rules.parts[m.group("part")]
            found.append(ZhDate(m.start(), m.end(), Spec("part", part=part, of=of), "zh.part"))
        return found

    def _calendar_spec(self, m: re.Match[str]) -> Spec | None:
        year_spec = self._year_spec(m)
        if m.group("part"):
            part, of = self.rules.parts[m.group("part")]
            return Spec("part", part=part, of=of, year_spec=year_spec)
        month = _small(m.group("m"))
        day = _small(m.group("d") or m.group("dn") or m.group("d2"))
        if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
            return None
        if m.group("rm"):
            spec = Spec("calendar", day=day, unit="rel_month", offset=self.rules.relative_months[m.group("rm")])
            if year_spec is not None:
                spec = replace(spec, year_spec=year_spec)
        elif year_spec is not None and year_spec.kind == "relative":
            if month is None and day is None:
                spec = year_spec
            else:
                spec = Spec("calendar", month=month, day=day, unit="rel_year", offset=year_spec.offset)
        else:
            spec = Spec("calendar", year=year_spec.year if year_spec else None, month=month, day=day)
            if spec.year is None and spec.month is None and spec.day is None:
                return None
        edge = m.group("edge") or m.group("yedge")
        if edge and not (m.group("edge") and edge in self.rules.month_edges and spec.day is None):
            spec = Spec("edge", edge=self.rules.edges[edge], inner=spec)
        return spec

    def _year_spec(self, m: re.Match[str]) -> Spec | None:
        if m.group("ry"):
            return Spec("relative", unit="year", offset=self.rules.relative_years[m.group("ry")])
        raw = m.group("y4") or m.group("y2") or m.group("y2m")
        if not raw:
            return None
        year = _year_value(raw, self.rules.two_digit_year_pivot)
        low, high = self.rules.year_range
        if year is None or not low <= year <= high:
            return None
        return Spec("calendar", year=year)

    def _month_ranges(self, text: str) -> list[ZhDate]:
        found = []
        for m in self.month_range.finditer(text):
            first, last = _small(m.group("m1")), _small(m.group("m2"))
            if first is None or last is None or not (1 <= first <= 12 and 1 <= last <= 12):
                continue
            year_spec = self._year_spec(m)
            if year_spec is not None and year_spec.kind == "relative":
                a = Spec("calendar", month=first, unit="rel_year", offset=year_spec.offset)
                b = Spec("calendar", month=last, unit="rel_year", offset=year_spec.offset)
            else:
                year = year_spec.year if year_spec else None
                a, b = Spec("calendar", year=year, month=first), Spec("calendar", year=year, month=last)
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            found.append(ZhDate(start, m.end(), Spec("range", inner=a, other=b), "zh.month_range"))
        return found

    def _year_ranges(self, text: str) -> list[ZhDate]:
        return [ZhDate(m.start(), m.end(), Spec("range", inner=Spec("calendar", year=int(m.group("y1"))),
                                                other=Spec("calendar", year=int(m.group("y2")))), "zh.year_range")
                for m in self.year_range.finditer(text)]

    def _relatives(self, text: str) -> list[ZhDate]:
        found = []
        r = self.rules
        for m in self.relative.finditer(text):
            word = m.group()
            if word in r.relative_days:
                found.append(ZhDate(m.start(), m.end(), Spec("days", offset=r.relative_days[word]), "zh.relative_day"))
            elif word in r.anaphoric_days:
                found.append(ZhDate(m.start(), m.end(), Spec("days", offset=r.anaphoric_days[word]),
                                    "zh.anaphoric_day", anaphoric=r.anaphoric_days[word]))
            else:
                found.append(ZhDate(m.start(), m.end(), Spec("relative", unit="week", offset=r.relative_weeks[word]),
                                    "zh.relative_week"))
        return found

    def _weekdays(self, text: str) -> list[ZhDate]:
        found = []
        for m in self.weekday.finditer(text):
            if m.end() < len(text) and text[m.end()] in "年末" + _CN_DIGITS:
                continue
            which = self.rules.weekday_which.get(m.group("which") or "", "")
            spec = Spec("weekday", weekday=self.rules.weekday_names[m.group("name")], which=which)
            found.append(ZhDate(m.start(), m.end(), spec, "zh.weekday", precise=False))
        return found

    def _first_months(self, text: str) -> list[ZhDate]:
        found = []
        for m in self.first_months.finditer(text):
            has_year = _has_year(m)
            if not has_year and self.before_event is not None and self.before_event.search(text, 0, m.start()):
                continue  # 案发前一个月, 行动开展前两个月, 提前两个月: before something, not of a year
            count = _small(m.group("n"))
            months = count * (3 if m.group("unit").endswith("季度") else 1) if count else None
            if months is None or not 1 <= months <= 12:
                continue
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            found.append(ZhDate(start, m.end(), Spec("first_n", amount=months, year_spec=self._year_spec(m)),
                                "zh.first_months"))
        return found

    def _agos(self, text: str) -> list[ZhDate]:
        units = {"年": "years", "个月": "months", "天": "days", "周": "weeks", "个星期": "weeks"}
        found = []
        for m in self.ago.finditer(text):
            amount = _small(m.group("n")) if "几" not in m.group("n") else None
            spec = Spec("ago", amount=amount, unit=units[m.group("unit")]) if amount else Spec("vague")
            found.append(ZhDate(m.start(), m.end(), spec, "zh.ago", precise=False))
        return found

    def _decades(self, text: str) -> list[ZhDate]:
        found = []
        for m in self.decade.finditer(text):
            decade = _small(m.group("dec"))
            if decade is None:
                continue
            century = 1900
            if m.group("cent") == "本世纪":
                century = 2000
            elif m.group("cn"):
                number = _small(m.group("cn"))
                century = (number - 1) * 100 if number else 1900
            found.append(ZhDate(m.start(), m.end(), Spec("decade", year=century + decade), "zh.decade"))
        return found

    def _vagues(self, text: str) -> list[ZhDate]:
        found = [ZhDate(m.start(), m.end(), Spec("vague"), "zh.vague", precise=False)
                 for m in self.vague.finditer(text)]
        found += [ZhDate(m.start(), m.end(), Spec("vague"), "zh.rolling", precise=False)
                  for m in self.rolling.finditer(text)]
        return found

    # -- ranges and affixes -------------------------------------------------------------------
    def _merge_ranges(self, dates: list[ZhDate], text: str) -> list[ZhDate]:
        return merge_adjacent(dates, lambda current, nxt: self._range(current, nxt, text))

    def _range(self, current: ZhDate, nxt: ZhDate, text: str) -> ZhDate | None:
        """The range two neighbouring dates make (1月至6月, 1月和3月之间), if any."""
        gap = text[current.end:nxt.start]
        if not (current.precise and nxt.precise) or self.joiners.fullmatch(gap) is None:
            return None
        if gap.strip() in self.paired_joiners and self.range_suffix.match(text, nxt.end) is None:
            return None  # 1月和3月 are two dates; 1月和3月之间 is a range
        return ZhDate(current.start, nxt.end, Spec("range", inner=current.spec, other=nxt.spec), "zh.range")

    def _with_affixes(self, found: ZhDate, text: str, limit: int) -> ZhDate:
        mod = ""
        if self.suffix_pattern is not None:
            suffix = self.suffix_pattern.match(text, found.end)
            if suffix is not None:
                mod = self.suffix[suffix.group()]
        spec = found.spec
        if found.rule == "zh.calendar" and text.startswith("前", found.end) and not mod and spec.kind == "calendar" \
                and spec.month is None and spec.year is not None:
            mod = "before"  # 2015年前
        if not mod and self.prefix_pattern is not None:
            prefix = self.prefix_pattern.search(text[max(0, found.start - 4):found.start])
            if prefix is not None and self.prefix[prefix.group()] != "from":
                mod = self.prefix[prefix.group()]
        if not mod and self.clause_since:
            clause = re.split(r"[，。；！？,;\n]", text[found.end:min(limit, found.end + 40)], maxsplit=1)[0]
            since = min((at for at in (clause.find(word) for word in self.clause_since) if at >= 0), default=-1)
            # "昨日通报了……以来的战果": the day it was said; the period opens at what the report names
            if since >= 0 and not any(word in clause[:since] for word in self.rules.clause_since_not_across):
                mod = "since"
        if not mod and self.rules.sentence_since and found.precise:
            sentence = re.split(r"[。！？!?\n]", text[found.end:min(limit, found.end + 80)], maxsplit=1)[0]
            if any(word in sentence for word in self.rules.sentence_since):
                mod = "since"
        return replace(found, mod=mod) if mod else found


def _affixes(affixes: object) -> dict[str, list[str]]:
    data = affixes.model_dump(by_alias=True)  # type: ignore[attr-defined]
    return {key: words for key, words in data.items() if words}


def _non_overlapping(candidates: list[ZhDate]) -> list[ZhDate]:
    order = sorted(range(len(candidates)), key=lambda i: (-(candidates[i].end - candidates[i].start), i))
    taken: list[ZhDate] = []
    for i in order:
        c = candidates[i]
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: c.start)


# --- resolution ------------------------------------------------------------------------
def _absolute(spec: Spec, ref: date | None) -> Spec | None:
    """``spec`` with years and months relative to ``ref`` made absolute (今年3月, 本月十日)."""
    if spec.kind == "calendar" and spec.unit == "rel_year":
        if ref is None:
            return None
        return Spec("calendar", year=ref.year + spec.offset, month=spec.month, day=spec.day)
    if spec.kind == "calendar" and spec.unit == "rel_month":
        if ref is None:
            return None
        year = ref.year
        if spec.year_spec is not None and spec.year_spec.kind == "relative":
            year += spec.year_spec.offset
        index = year * 12 + ref.month - 1 + spec.offset
        return Spec("calendar", year=index // 12, month=index % 12 + 1, day=spec.day)
    if spec.kind == "calendar" and spec.month is None and spec.day is not None:
        if ref is None:
            return None
        month = ref.year * 12 + ref.month - 1 - (1 if spec.day > ref.day else 0)
        return Spec("calendar", year=month // 12, month=month % 12 + 1, day=spec.day)
    if spec.kind == "range" and spec.inner is not None and spec.other is not None:
        first, second = spec.inner, spec.other
        if second.kind == "calendar" and second.month is None and second.day is not None \
                and first.kind == "calendar" and first.month is not None:
            spec = replace(spec, other=replace(first, day=second.day))  # 8月7日至8日: the 8th of August
    if spec.kind in ("range", "edge"):
        inner = _absolute(spec.inner, ref) if spec.inner is not None else None
        other = _absolute(spec.other, ref) if spec.other is not None else None
        if (spec.inner is not None and inner is None) or (spec.other is not None and other is None):
            return None
        return replace(spec, inner=inner, other=other)
    return spec


def resolve_date(found: ZhDate, ref: date | None, anchor: date | None = None) -> Period:
    """The (start, end) a date sets, given the published date ``ref``.

    ``anchor`` is the last day the text named before (for 当天, 次日). The mod applies as
    in English: since opens the period at the date, as_of and until close it there.
    """
    start: date | None
    end: date | None
    if found.anaphoric is not None:
        if anchor is None:
            return None, None
        day = anchor + timedelta(days=found.anaphoric)
        start, end = day, day
    elif found.spec.kind == "weekday" and found.spec.which in ("last2", "next2"):
        if ref is None:
            return None, None
        shift = -7 if found.spec.which == "last2" else 7
        base = resolve(replace(found.spec, which=found.spec.which[:-1]), ref)[0]
        start = end = base + timedelta(days=shift) if base else None
    else:
        spec = _absolute(found.spec, ref)
        if spec is None:
            return None, None
        start, end = resolve(spec, ref)
    if start is None and end is None:
        return None, None
    mod = found.mod
    if mod == "since":
        return start, None
    if mod == "after":
        return (end + timedelta(days=1) if end else None), None
    if mod == "before":
        return None, (start - timedelta(days=1) if start else None)
    if mod in ("as_of", "until"):
        return None, end
    return start, end
