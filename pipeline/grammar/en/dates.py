"""Find dates and periods in text and resolve them to ISO dates.

Detection is a set of compiled patterns over the text (built from
``configs/dates.yml``); each match carries a small *spec* (what the words say:
"July 31", "last year", "the first half of 2022") that ``resolve`` turns into
a (start, end) pair of dates given the document's published date. A date with
no year takes the latest matching year not after the published date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ...normalize import NumberParser, words_to_number
from ...rules import DatesFile, NumberWords
from ..firsts import FirstCharIndex
from ..ranges import merge_adjacent
from ..trie import trie_pattern

Period = tuple[date | None, date | None]


# --- specs: what a date expression says --------------------------------------------
@dataclass(slots=True)
class Spec:
    """What a date expression says, before it is resolved against a reference date.

    kind: calendar (year/month/day, any may be missing), relative (unit + offset),
    days (offset in days), ago (amount + unit), weekday, edge (of an inner spec),
    part (n-th half/quarter of a year), first_n (first n months of a year),
    decade, range (two specs), vague (never resolved).
    """

    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    unit: str = ""
    offset: int = 0
    amount: float = 0
    weekday: int = -1
    which: str = ""
    edge: str = ""
    part: int = 0
    of: int = 0
    inner: "Spec" | None = None
    other: "Spec" | None = None
    year_spec: "Spec" | None = None


@dataclass(slots=True)
class DateMatch:
    """A date expression found in the text.

    ``start``/``end`` delimit the entity text (without a leading "since", "as of",
    "from" ...), ``mod`` records that prefix's meaning. ``precise`` is False for
    weekdays, vague periods and fuzzy edges ("late April"): such dates are kept as
    entities but do not set event periods.
    """

    start: int
    end: int
    spec: Spec
    rule: str
    mod: str = ""
    prefix_start: int = -1
    precise: bool = True

    @property
    def context_start(self) -> int:
        return self.prefix_start if self.prefix_start >= 0 else self.start



def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def duration(spec: Spec) -> str | None:
    """The ISO 8601 length a date that refers back names ("the nine months": "P9M"), else None."""
    if spec.kind != "vague" or not spec.amount or not spec.unit or spec.amount != int(spec.amount):
        return None
    return f"P{int(spec.amount)}{spec.unit[0].upper()}"


# --- resolution ---------------------------------------------------------------------
def resolve(spec: Spec, ref: date | None) -> Period:
    """The (start, end) dates ``spec`` denotes, given the reference (published) date.

    Returns (None, None) when it cannot be fixed: no year and no reference, vague, or a
    range that ends before it starts ("Feb to last year").
    """
    try:
        start, end = _resolve(spec, ref)
    except (ValueError, OverflowError):
        return None, None
    if start is not None and end is not None and start > end:
        return None, None
    return start, end


def _resolve(spec: Spec, ref: date | None) -> Period:
    kind = spec.kind
    if kind == "calendar":
        return _calendar(spec, ref)
    if kind == "decade":
        return date(spec.year or 0, 1, 1), date((spec.year or 0) + 9, 12, 31)
    if kind == "range":
        return _range(spec, ref)
    if kind == "vague":
        return None, None
    if kind in ("edge", "part", "first_n"):
        return _of_year(spec, ref)  # a part or an edge of a named year needs no reference ("the first half of 2010")
    if ref is None:
        return None, None
    if kind == "days":
        day = ref + timedelta(days=spec.offset)
        return day, day
    if kind == "ago":
        if spec.unit in ("month", "months"):
            day = _add_months(ref, -int(spec.amount))
        elif spec.unit in ("year", "years"):
            day = _add_months(ref, -12 * int(spec.amount))
        else:
            day = ref - timedelta(days=spec.amount * (7 if spec.unit.startswith("week") else 1))
        return day, day
    if kind == "relative":
        return _relative(spec.unit, spec.offset, ref)
    if kind == "weekday":
        return _weekday(spec, ref)
    return None, None


def _of_year(spec: Spec, ref: date | None) -> Period:
    """An edge of a period ("the end of 2019"), a part of a year ("the first half") or its first
    months: resolved against ``ref`` only where the year is not named."""
    kind = spec.kind
    if kind == "edge":
        assert spec.inner is not None
        start, end = _resolve(spec.inner, ref)
        if start is None or end is None:
            return None, None
        return _edge(spec.edge, start, end, spec.inner, ref)
    if kind == "part":
        year = _year_of(spec.year_spec, ref)
        if year is None:
            return None, None
        size = 12 // spec.of
        index = spec.part if spec.part > 0 else spec.of
        last = (index - 1) * size + size
        year = _reported_year(spec, year, last, ref)
        return date(year, (index - 1) * size + 1, 1), _month_end(year, last)
    if kind == "first_n":
        year = _year_of(spec.year_spec, ref)
        if year is None or not 1 <= spec.amount <= 12:
            return None, None
        year = _reported_year(spec, year, int(spec.amount), ref)
        return date(year, 1, 1), _month_end(year, int(spec.amount))
    return None, None


def _reported_year(spec: Spec, year: int, last_month: int, ref: date | None) -> int:
    """A part of a year named without its year ("the first eight months") that would end more
    than ``AHEAD_DAYS`` after publication is the year before's: a report of January tells of
    last year's eight months, one of late August of this year's."""
    if spec.year_spec is None and ref is not None and _month_end(year, last_month) > ref + timedelta(days=AHEAD_DAYS):
        return year - 1
    return year


AHEAD_DAYS = 31  # as `ongoing_after_days` in configs/en/events.yml: a stated period may end this far ahead


def _year_of(spec: Spec | None, ref: date | None) -> int | None:
    if spec is None:
        return ref.year if ref else None
    start, _ = _resolve(spec, ref)
    return start.year if start else None


def _calendar(spec: Spec, ref: date | None) -> Period:
    year, month, day = spec.year, spec.month, spec.day
    if month is None and day is not None and year is None:
        if ref is None:
            return None, None
        first = date(ref.year, ref.month, 1) if day <= ref.day else _add_months(date(ref.year, ref.month, 1), -1)
        while day > calendar.monthrange(first.year, first.month)[1]:
            first = _add_months(first, -1)
        point = first.replace(day=day)
        return point, point
    if year is None:
        if ref is None or month is None:
            return None, None
        year = ref.year
        if day and month == 2 and day == 29:
            while not calendar.isleap(year):
                year -= 1
        if date(year, month, day or 1) > ref:
            year -= 1
            while day and month == 2 and day == 29 and not calendar.isleap(year):
                year -= 1
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        return date(year, month, 1), _month_end(year, month)
    point = date(year, month, day)
    return point, point


def _range(spec: Spec, ref: date | None) -> Period:
    first, second = spec.inner, spec.other
    assert first is not None and second is not None
    first, second = _share_fields(first, second)
    second = _month_of_range(first, second)
    if "edge" in (first.kind, second.kind):
        first, second = _share_edge_years(first, second, ref)
    if first.kind == "calendar" and second.kind == "calendar":
        if second.year is None and first.year is not None:
            second = _with_year(second, first.year)
            if _before(second, first):
                second = _with_year(second, first.year + 1)
        if first.year is None and second.year is not None:
            first = _with_year(first, second.year)
            if _before(second, first):
                first = _with_year(first, second.year - 1)
        if first.year is None and second.year is None:
            # The period began before publication: the start takes the latest year
            # not after the reference, the end follows it.
            begin = _calendar(first, ref)
            if begin[0] is None:
                return None, None
            year = begin[0].year
            second = _with_year(second, year)
            if _before(second, _with_year(first, year)):
                second = _with_year(second, year + 1)
            end = _calendar(second, ref)[1]
            if first.month == 1 and first.day in (None, 1) and ref is not None and ref.month == 1 \
                    and end is not None and end > ref + timedelta(days=AHEAD_DAYS):
                # a year to date ("from January to November") told in January is the year before's,
                # as "the first eleven months" is (``_reported_year``); later, a running campaign's
                # ("which runs from January to March", in February) stays this year's
                return _calendar(_with_year(first, year - 1), ref)[0], _calendar(_with_year(second, year - 1), ref)[1]
            return begin[0], end
    start = _resolve(first, ref)[0]
    end = _resolve(second, ref)[1]
    if start is None or end is None:
        return None, None
    return start, end


def _month_of_range(first: Spec, second: Spec) -> Spec:
    """'from mid-December to the end of the month': the month is the range's first month, not
    the one the story is told in (a first month without a day; 'the month', not 'this month')."""
    month = _calendar_of(first)
    inner = second.inner
    if second.kind != "edge" or inner is None or inner.kind != "relative" or inner.unit != "month" \
            or inner.which != "the" or month is None or month.month is None or month.day is not None:
        return second
    return Spec("edge", edge=second.edge, inner=Spec("calendar", year=month.year, month=month.month))


def _share_edge_years(first: Spec, second: Spec, ref: date | None) -> tuple[Spec, Spec]:
    """'May and the end of July', 'late September and the end of December': the edges of a
    range take their years as two calendar dates would."""
    one, two = _calendar_of(first), _calendar_of(second)
    if one is None or two is None or (one.year is not None and two.year is not None):
        return first, second
    if one.year is None and two.year is None:
        begin = _calendar(one, ref)[0]
        if begin is None:
            return first, second
        year_one = begin.year
        year_two = year_one + (1 if _before(_with_year(two, year_one), _with_year(one, year_one)) else 0)
    elif one.year is None:
        year_two = two.year or 0
        year_one = year_two - (1 if _before(_with_year(two, year_two), _with_year(one, year_two)) else 0)
    else:
        year_one = one.year or 0
        year_two = year_one + (1 if _before(_with_year(two, year_one), _with_year(one, year_one)) else 0)
    return _set_year(first, year_one), _set_year(second, year_two)


def _calendar_of(spec: Spec) -> Spec | None:
    """The calendar date of a date or of an edge of one ("the end of July" -> July)."""
    if spec.kind == "edge" and spec.inner is not None and spec.inner.kind == "calendar":
        return spec.inner
    return spec if spec.kind == "calendar" else None


def _set_year(spec: Spec, year: int) -> Spec:
    if spec.kind == "edge" and spec.inner is not None:
        return Spec("edge", edge=spec.edge, inner=_with_year(spec.inner, year))
    return _with_year(spec, year)


def _share_fields(first: Spec, second: Spec) -> tuple[Spec, Spec]:
    """'July 1st to 6th': the 6th takes July; '9 to 12 of June': the 9 takes June."""
    if first.kind == "calendar" and second.kind == "calendar":
        if second.month is None and second.day is not None and first.month is not None:
            second = Spec("calendar", year=second.year, month=first.month, day=second.day)
        if first.month is None and first.day is not None and second.month is not None:
            first = Spec("calendar", year=first.year or second.year, month=second.month, day=first.day)
    return first, second


def _with_year(spec: Spec, year: int) -> Spec:
    return Spec("calendar", year=year, month=spec.month, day=spec.day)


def _before(a: Spec, b: Spec) -> bool:
    return (a.year or 0, a.month or 0, a.day or 0) < (b.year or 0, b.month or 0, b.day or 0)


def _relative(unit: str, offset: int, ref: date) -> Period:
    if unit == "year":
        year = ref.year + offset
        return date(year, 1, 1), date(year, 12, 31)
    if unit == "month":
        first = _add_months(date(ref.year, ref.month, 1), offset)
        return first, _month_end(first.year, first.month)
    if unit == "quarter":
        quarter = (ref.month - 1) // 3
        first = _add_months(date(ref.year, quarter * 3 + 1, 1), 3 * offset)
        last = _add_months(first, 2)
        return first, _month_end(last.year, last.month)
    if unit == "week":
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset)
        return monday, monday + timedelta(days=6)
    if unit == "weekend":
        saturday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset, days=5)
        return saturday, saturday + timedelta(days=1)
    return None, None


def _weekday(spec: Spec, ref: date) -> Period:
    monday = ref - timedelta(days=ref.weekday())
    if spec.which in ("next", "following", "coming"):
        day = monday + timedelta(weeks=1, days=spec.weekday)
    elif spec.which in ("last", "previous"):
        day = monday - timedelta(weeks=1) + timedelta(days=spec.weekday)
    elif spec.which == "this":
        day = monday + timedelta(days=spec.weekday)
    elif spec.which == "past":  # "this past Tuesday": the latest such day before the reference
        day = ref - timedelta(days=(ref.weekday() - spec.weekday) % 7 or 7)
    else:  # bare ("said Tuesday"): the latest such day, the day of publication included
        day = ref - timedelta(days=(ref.weekday() - spec.weekday) % 7)
    return day, day


def _edge(edge: str, start: date, end: date, inner: Spec, ref: date | None) -> Period:
    """early/late/mid and the beginning/end/middle of a year, month or week."""
    span = (end - start).days + 1
    if edge in ("end_of", "start_of", "middle_of") and span >= 28:
        # "the end of 2019" is its last day, "the start of the year" its first
        if edge == "end_of":
            return end, end
        if edge == "start_of":
            return start, start
        middle = start + timedelta(days=span // 2)
        return middle, middle
    base = edge.replace("_of", "")
    if span >= 365:
        if base in ("start", "early", "beginning"):
            return start, _month_end(start.year, 6)
        if base in ("end", "late"):
            return date(start.year, 7, 1), end
        return date(start.year, 5, 1), _month_end(start.year, 8)
    if span >= 28:
        if base in ("start", "early", "beginning"):
            return start, start.replace(day=15)
        if base in ("end", "late"):
            return start.replace(day=16), end
        return start.replace(day=10), start.replace(day=20)
    if span == 7:
        if base in ("start", "early", "beginning"):
            return start, start + timedelta(days=2)
        if base in ("end", "late"):
            return start + timedelta(days=3), end
        return start + timedelta(days=1), start + timedelta(days=4)
    return start, end


# Literal words the patterns of DateGrammar begin with ("the end of", "this past Monday",
# "earlier this year", "the first half", "past few years", "year of 2019"); the rule
# words (months, weekdays, relative words, edges...) are added from configs/dates.yml.
PATTERN_FIRST_WORDS = ("the", "this", "that", "earlier", "later", "first", "past", "last", "previous", "year",
                       "a", "an")


# --- detection ----------------------------------------------------------------------
@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    spec: Spec
    rule: str
    precise: bool = True
    weak: bool = False  # an ambiguous month that needs a cue or a range partner
    lead: int = -1  # where a word the entity leaves out begins ("Earlier this month", "between")


@dataclass
class DateGrammar:
    """Compiled date rules; ``find(text)`` returns every date expression in order."""

    rules: DatesFile
    number_words: NumberWords
    _patterns: list[tuple[str, "re.Pattern[str]"]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        r = self.rules
        self.parser = NumberParser(self.number_words)
        self.month_of: dict[str, int] = {}
        for number, names in r.months.items():
            for name in names:
                self.month_of[name.lower()] = number
        self.weekday_of: dict[str, int] = {}
        for number, names in r.weekdays.items():
            for name in names:
                self.weekday_of[name.lower()] = number
        self.ambiguous = {m.lower() for m in r.ambiguous_months}
        self.month_cues = {w.lower() for w in r.month_cues}
        self.year_cues = {w.lower() for w in r.year_cues}
        self.year_label_marks = tuple(r.year_label_marks)
        self.year_label_openers = frozenset(r.year_label_openers)
        self.count_words = {w.lower() for w in r.count_words}
        self.ymin, self.ymax = r.year_range
        full_weekdays = [n for names in r.weekdays.values() for n in names if len(n) > 3]
        full_months = [n for n in self.month_of if len(n) > 4 or n in ("may", "june", "july")]
        short_months = [n for n in self.month_of if n not in full_months]
        mon = rf"(?:(?:{trie_pattern(full_months)})|(?:{trie_pattern(short_months)})\.?)"
        wd = rf"(?:{trie_pattern(self.weekday_of)})\.?"
        wd_full = rf"(?:{trie_pattern(full_weekdays)})"
        # a day is never followed by a decimal ("May, 8.4 tonnes") nor by a word that makes its
        # number a count or a share ("between January and June, 17 percent more")
        counted = rf"(?!\s*(?:{trie_pattern({w.lower() for w in r.count_words})})(?![\w]))" \
            if r.count_words else ""
        day = rf"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d,.]\d)(?!\d){counted}"
        year = r"(?<![\d,.$])\d{4}(?![\d])(?!,\d)"
        rel = trie_pattern(r.relative)
        periods = trie_pattern(r.periods)
        joiner = rf"(?:\s*(?:-|–|—)\s*|\s+(?:{trie_pattern(w for w in r.range_joiners if w.isalpha())})\s+)"
        num_words = trie_pattern(list(self.number_words.ones) + list(self.number_words.tens))
        count = rf"(?:\d+|{num_words}|an?)"
        ago_units = trie_pattern(r.ago_units)
        edge_words = trie_pattern(w for words in r.edges.values() for w in words)
        anaphoric = trie_pattern(r.anaphoric_units)
        not_before = trie_pattern(r.back_reference_not_before) if r.back_reference_not_before else "(?!)"
        ordinals = trie_pattern(r.ordinals)
        parts = trie_pattern(r.parts)
        part_plurals = trie_pattern([f"{p}s" for p in r.parts])  # "the first three quarters"
        year_ref = rf"(?:the\s+year|this\s+year|last\s+year|next\s+year|{year})"
        b = r"(?<![\w])"
        e = r"(?![\w])"
        patterns = [
            ("md_range", rf"{b}{mon}\s*{day}{joiner}{day}(?:\s*,?\s*{year})?{e}"),
            ("dm_range", rf"{b}{day}{joiner}{day}\s+(?:of\s+)?{mon}(?:\s*,?\s*{year})?{e}"),
            ("mdy", rf"{b}(?:{wd}\s*,?\s+)?{mon}\s*,?\s*{day}(?:\s*,?\s*(?:of\s+|in\s+)?{year})?{e}"),
            ("dmy", rf"{b}(?:{wd}\s*,?\s+)?(?:the\s+)?{day}\s+(?:of\s+)?{mon}(?:\s*,?\s*(?:of\s+|in\s+)?{year})?{e}"),
            ("my", rf"{b}{mon}\s*[,-]?\s*(?:of\s+|in\s+)?{year}{e}"),
            ("month_rel_year", rf"{b}{mon}\s+(?:{rel})\s+year{e}"),
            ("rel_month", rf"{b}(?:{rel})\s+{mon}{e}"),
            ("edge_month", rf"{b}(?:{edge_words})(?:\s*-\s*|\s+){mon}(?:\s*,?\s*{year})?{e}(?!\s*\d)"),
            ("edge_year", rf"{b}(?:{edge_words})(?:\s*-\s*|\s+){year}{e}"),
            ("edge_rel", rf"{b}(?:earlier|later|{edge_words})(?:\s*-\s*|\s+)(?:{rel})\s+(?:{periods}){e}"),
            ("later_year", rf"{b}(?:later|earlier)\s+in\s+the\s+year{e}"),
            ("edge_of", rf"{b}(?:the\s+)?(?:{edge_words})\s+of\s+(?:the\s+)?"
                        rf"(?:{mon}(?:\s*,?\s*{year})?|{year}|(?:{rel})\s+(?:{periods})|{periods}){e}"),
            ("part", rf"{b}(?:the\s+)?(?:{ordinals})\s+(?:{parts})(?:\s+(?:of\s+)?{year_ref})?{e}"),
            ("first_n", rf"{b}(?:the\s+)?(?:first)\s+(?:{count})\s+(?:months|{part_plurals})"
                        rf"(?:\s+of\s+{year_ref})?{e}"),
            ("past_n", rf"{b}(?:the\s+)?(?:past|last|previous)\s+(?:{count}|few|several)\s+(?:{ago_units}){e}"),
            # "the last weeks of the year" are its final weeks: "last" only with "decade"
            ("vague_rel", rf"{b}(?:the\s+)?(?:(?:past|previous|next|coming|following|recent)\s+"
                          rf"(?:decades?|days|weeks|months|years)|last\s+decade){e}"),
            ("same_period", rf"{b}(?:the|that|this)\s+same\s+(?:(?:{anaphoric})|(?:{count})\s+(?:{anaphoric})s)"
                            rf"(?:\s+(?:of\s+)?(?:{rel})\s+year|\s+of\s+{year}|\s+(?:a|one)\s+year\s+(?:earlier|ago|before))?{e}"),
            ("that_period", rf"{b}(?:that|this)\s+period{e}"),
            # "over the nine months": a stretch of time stated before (not "the nine months to June")
            ("the_n", rf"{b}the\s+(?:{count})\s+(?:{ago_units}){e}(?!\s+(?:{not_before})(?![\w]))"),
            ("unit_before", rf"{b}the\s+(?:{anaphoric})\s+before(?:\s+last)?{e}"),
            ("ago", rf"{b}(?:{count})\s+(?:{ago_units})\s+ago{e}"),
            ("rel", rf"{b}(?:the\s+)?(?:{rel})\s+(?:{periods}){e}"),
            ("day_nth", rf"{b}the\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th){e}"),
            ("day_word", rf"{b}(?:{trie_pattern(r.day_words)}){e}"),
            ("weekday", rf"{b}(?:(?:this\s+past|{rel})\s+)?(?:{wd_full}){e}"),
            ("year_word", rf"{b}(?:the\s+)?year\s+(?:of\s+)?{year}{e}"),
            ("decade", rf"{b}(?:the\s+)?(?:1[89]|20)\d0s{e}"),
            ("year_span", rf"{b}{year}(?:\s*[-–]\s*|\s+(?:to|through|thru|till|until|and)\s+){year}{e}"),
            ("year_range", rf"{year}\s*[-–]\s*\d{{2}}(?!\d){e}"),
            ("year", rf"{year}"),
            ("month", rf"{b}{mon}{e}"),
        ]
        if r.vague:
            patterns.insert(0, ("vague", rf"{b}(?:{trie_pattern(r.vague)}){e}"))
        self._patterns = [(name, re.compile(p, re.IGNORECASE)) for name, p in patterns]
        # the alternation of every pattern, tried with only those that can start at a character
        self._combined = FirstCharIndex(patterns)
        # Scanning a whole text with case-insensitive patterns is slow; instead one
        # case-sensitive regex of anchor words (a fast literal scan) finds where dates
        # can be, and the patterns are tried only at the few word starts before each.
        anchor_words = (list(self.month_of) + list(self.weekday_of) + list(r.day_words) + list(r.relative)
                        + [w for words in r.edges.values() for w in words] + list(r.ordinals)
                        + ["ago", "year", "earlier", "later", "recent", "same", "period"]
                        + [u for u in r.ago_units if u.endswith("s")])  # "the nine months"
        self._anchor_words = anchor_words
        variants = {v for w in anchor_words for v in (w, w.lower(), w.capitalize(), w.upper())}
        self._anchor_re = re.compile(
            rf"(?:{trie_pattern(variants)})(?![a-z])|(?<!\d)\d{{4}}(?!\d)|(?<!\d)\d{{1,2}}(?:st|nd|rd|th)(?![a-z])")
        # The words a pattern can begin with (digits aside): a word before an anchor that
        # is none of these cannot start a date, and the patterns are not tried there.
        firsts = (list(self.month_of) + list(self.weekday_of) + list(r.day_words) + list(r.relative)
                  + [w for words in r.edges.values() for w in words] + list(r.ordinals) + list(r.vague)
                  + list(self.number_words.ones) + list(self.number_words.tens) + list(PATTERN_FIRST_WORDS))
        first_words = {re.split(r"[\s.-]+", w.lower())[0] for w in firsts}
        # every word start; group "first" when its word can begin a date (a digit or one of
        # the words above, matched like [A-Za-z']+ lower-cased)
        firsts_alt = trie_pattern(w for w in first_words if re.fullmatch(r"[a-z']+", w))
        self._starts_re = re.compile(rf"(?<![\w'’-])(?:(?P<first>\d|(?i:{firsts_alt})(?![A-Za-z']))|[\w(])")
        self._joiner_re = re.compile(rf"^{joiner}$", re.IGNORECASE)
        # "and" joins a range only after "between" (configs: paired_joiners, range_openers)
        self._paired_joiners = {w.lower() for w in r.paired_joiners}
        self._opener_re = re.compile(rf"(?<![\w])(?:{trie_pattern(w.lower() for w in r.range_openers)})\s+$",
                                     re.IGNORECASE) if r.range_openers else None
        # one pattern for every prefix: anchored at the end, the leftmost match is the longest
        self._prefix_mod = {w.lower(): mod for mod, words in r.prefixes.items() for w in words}
        self._prefix_re = re.compile(rf"(?<![\w])(?P<p>{trie_pattern(self._prefix_mod)})\s+(?:on\s+)?$",
                                     re.IGNORECASE)
        self._day_re = re.compile(r"\d+")
        self._word_re = re.compile(r"[A-Za-z']+")
        self.edge_kind: dict[str, str] = {w.lower(): k for k, words in r.edges.items() for w in words}
        self.month_edge_words = frozenset(w.lower() for w in r.month_edge_words)
        self.day_cues = {w.lower() for w in r.day_cues}
        self._bare_after_re = re.compile(
            r"\s*(?:[,.;:)!?\n]|$|(?:on|at|in|and|when|to|that|this|with|for|after|before|as|but|or)\b)")

    # -- public ---------------------------------------------------------------------
    @property
    def anchor_words(self) -> set[str]:
        """Lower-case words a date expression contains one of (for token-level anchoring)."""
        return {w.lower() for w in self._anchor_words} | {w.lower() + "." for w in self.month_of}

    def find(self, text: str, anchors: Sequence[tuple[int, int]] | None = None) -> list[DateMatch]:
        """Every date expression in ``text``, longest first where they overlap.

        ``anchors`` are (start, end) offsets of words that may belong to a date (a
        pipeline finds them from its tokens); without them the text is scanned.
        """
        if anchors is None:
            anchors = [(m.start(), m.end()) for m in self._anchor_re.finditer(text)]
        candidates: list[_Candidate] = []
        covered = -1
        for a_start, a_end in anchors:
            if a_start < covered or (a_start > 0 and text[a_start - 1].isalpha()):
                continue
            cand = self._match_around(text, a_start, a_end)
            if cand is not None:
                candidates.append(cand)
                covered = cand.end
        chosen = _non_overlapping(candidates)
        merged = self._merge_ranges(chosen, text)
        out: list[DateMatch] = []
        for cand in merged:
            if cand.weak:
                continue
            out.append(self._with_prefix(cand, text))
        return out

    def _match_around(self, text: str, a_start: int, a_end: int) -> _Candidate | None:
        """The date expression covering an anchor, tried from up to four words before it."""
        starts = list(self._starts_re.finditer(text, max(0, a_start - 32), a_start))[-4:]
        positions = [m.start() for m in starts if m.group("first")]
        for pos in positions + [a_start]:
            m = self._combined.match(text, pos)
            if m is None or m.end() <= a_start:
                continue
            name = m.lastgroup or ""
            cand = self._interpret(name, m.group(0), m.start(), m.end(), text)
            if cand is not None:
                return cand
            # rejected ("last quarter" is not a part of a year): try the later patterns
            names = [n for n, _ in self._patterns]
            for other, pattern in self._patterns[names.index(name) + 1:]:
                m2 = pattern.match(text, pos)
                if m2 is not None and m2.end() > a_start:
                    cand = self._interpret(other, m2.group(0), m2.start(), m2.end(), text)
                    if cand is not None:
                        return cand
        return None

    # -- interpretation ---------------------------------------------------------------
    def _interpret(self, name: str, s: str, start: int, end: int, text: str) -> _Candidate | None:
        low = s.lower()
        words = [w.lower() for w in self._word_re.findall(s)]
        numbers = [int(n) for n in self._day_re.findall(s)]
        months = [self.month_of[w.rstrip(".")] for w in words if w.rstrip(".") in self.month_of]
        years = [n for n in numbers if self.ymin <= n <= self.ymax and n >= 1000]
        days = [n for n in numbers if n <= 31]

        def cand(spec: Spec, precise: bool = True, weak: bool = False) -> _Candidate:
            return _Candidate(start, end, spec, name, precise, weak)

        if name == "vague":
            return cand(Spec("vague"), precise=False)
        if name in ("md_range", "dm_range"):
            if len(days) < 2 or not months:
                return None
            y = years[0] if years else None
            first = Spec("calendar", year=y, month=months[0], day=days[0])
            second = Spec("calendar", year=y, month=months[0], day=days[1])
            if days[1] < days[0]:
                return None
            return cand(Spec("range", inner=first, other=second))
        if name in ("mdy", "dmy"):
            if not months or not days:
                return None
            if self._ambiguous_without_cue(s, start, text, months_word=words):
                return None
            if name == "dmy" and text[max(0, start - 3):start].rstrip().endswith(("$", "¥", "€", "£")):
                return None  # "$12 December 27": the 12 is money
            day_value = days[0]
            return cand(Spec("calendar", year=years[0] if years else None, month=months[0], day=day_value),
                        precise=True)
        if name == "my":
            if not months or not years:
                return None
            return cand(Spec("calendar", year=years[0], month=months[0]))
        if name == "month_rel_year":
            offset = next(self.rules.relative[w] for w in words if w in self.rules.relative)
            return cand(Spec("calendar", month=months[0], year_spec=Spec("relative", unit="year", offset=offset),
                             unit="rel_year", offset=offset))
        if name == "rel_month":
            if self._ambiguous_without_cue(s.split()[-1], start, text, [words[-1]]):
                return None  # "This may take longer"
            offset = next(self.rules.relative[w] for w in words if w in self.rules.relative)
            return cand(Spec("calendar", month=months[0], unit="rel_month", offset=offset))
        if name in ("edge_month", "edge_year"):
            edge = self.edge_kind.get(words[0], "middle")
            if name == "edge_month":
                if not months:
                    return None
                inner = Spec("calendar", year=years[0] if years else None, month=months[0])
                if words[0] in self.month_edge_words:
                    return cand(inner)  # "in late April": the figure is April's
                return cand(Spec("edge", edge=f"{edge}_of", inner=inner))  # "as of end-June": its last day
            else:
                if not years:
                    return None
                inner = Spec("calendar", year=years[0])
            return cand(Spec("edge", edge=edge, inner=inner), precise=False)
        if name == "edge_rel":
            lead_word = words[0]
            edge = {"earlier": "earlier", "later": "later"}.get(lead_word, self.edge_kind.get(lead_word, "middle"))
            offset = next(self.rules.relative[w] for w in words[1:] if w in self.rules.relative)
            unit = words[-1]
            if lead_word in self.month_edge_words and unit == "month":  # "late last month": as "in late April"
                return cand(Spec("relative", unit=unit, offset=offset))
            found = cand(Spec("edge", edge=edge, inner=Spec("relative", unit=unit, offset=offset)),
                         precise=False)
            if edge in ("earlier", "later"):
                # "Earlier this month": the entity is "this month", the period still ends today
                found.lead, found.start = start, start + len(s) - len(s[len(lead_word):].lstrip(" -"))
            return found
        if name == "later_year":
            return cand(Spec("edge", edge=words[0], inner=Spec("relative", unit="year", offset=0)),
                        precise=False)
        if name == "edge_of":
            edge_word = next(w for w in words if w in self.edge_kind)
            edge = self.edge_kind[edge_word] + "_of"
            inner_of = self._inner_of(low.split(" of ", 1)[1])
            if inner_of is None:
                return None
            # "the end of 2019", "the start of the year": a day; "the end of the week" is vaguer
            precise = inner_of.kind == "calendar" or inner_of.unit in ("year", "month")
            return cand(Spec("edge", edge=edge, inner=inner_of), precise=precise)
        if name == "part":
            ordinal = next(self.rules.ordinals[w] for w in words if w in self.rules.ordinals)
            part_word = next(w for w in words if w in self.rules.parts)
            of = self.rules.parts[part_word]  # type: ignore[index]
            if ordinal > of or (ordinal < 0 and self._year_ref(low, years) is None
                                and " of the year" not in low):
                return None  # "last quarter" alone is the previous quarter, not the fourth
            return cand(Spec("part", part=ordinal, of=of, year_spec=self._year_ref(low, years)))
        if name == "first_n":
            # the count of months, not the year after it ("the first six months of 2024")
            amount = self._amount(words, [n for n in numbers if n not in years])
            if amount is None:
                return None
            parts_a_year = next((self.rules.parts[w[:-1]] for w in words if w[:-1] in self.rules.parts), None)
            if parts_a_year is not None:  # "the first three quarters": months, three of a quarter's each
                amount *= 12 // parts_a_year
            return cand(Spec("first_n", amount=amount, year_spec=self._year_ref(low, years)))
        if name in ("same_period", "the_n"):
            # "the same eleven months", "over the nine months": a stretch stated before, of that length
            units = [w for w in words if w in self.rules.ago_units]
            amount = self._amount(words, [n for n in numbers if n not in years]) if units else None
            return cand(Spec("vague", amount=amount or 0, unit=units[0] if units else ""), precise=False)
        if name in ("past_n", "vague_rel", "that_period", "unit_before"):
            # "the past three years", "the coming months", "the same period last year", "that
            # period", "the year before": dates that refer to another, never an event's period
            return cand(Spec("vague"), precise=False)
        if name == "day_nth":
            # "on the 27th": a day of the month after a cue, counting nothing ("the 27th floor")
            cue = text[max(0, start - 12):start].lower().split()
            if not cue or cue[-1] not in self.day_cues or not self._bare_after_re.match(text, end):
                return None
            return cand(Spec("calendar", day=days[0]))
        if name == "ago":
            amount = self._amount(words, numbers)
            if amount is None:
                return None
            unit = next(w for w in words if w in self.rules.ago_units)
            return cand(Spec("ago", amount=amount, unit=unit))
        if name == "rel":
            offset = next(self.rules.relative[w] for w in words if w in self.rules.relative)
            return cand(Spec("relative", unit=words[-1], offset=offset))
        if name == "day_word":
            return cand(Spec("days", offset=self.rules.day_words[low]))
        if name == "weekday":
            which = "past" if low.startswith("this past") else (words[0] if len(words) > 1 else "")
            return cand(Spec("weekday", weekday=self.weekday_of[words[-1]], which=which), precise=False)
        if name == "year_word":
            if not years:
                return None
            return cand(Spec("calendar", year=years[0]))
        if name == "decade":
            digits = [n for n in numbers]
            return cand(Spec("decade", year=digits[0]))
        if name == "year_span":
            if len(years) < 2 or years[1] < years[0]:
                return None
            if " and " in low and "between" not in text[max(0, start - 10):start].lower():
                return None  # "in 2015 and 2016" is two years; "between 2015 and 2016" one range
            return cand(Spec("range", inner=Spec("calendar", year=years[0]),
                             other=Spec("calendar", year=years[1])))
        if name == "year_range":
            first_year = numbers[0]
            second_year = (first_year // 100) * 100 + numbers[1]
            if not (self.ymin <= first_year <= self.ymax) or second_year <= first_year:
                return None
            return cand(Spec("range", inner=Spec("calendar", year=first_year),
                             other=Spec("calendar", year=second_year)))
        if name == "year":
            if not years or not self._year_context(text, start, end):
                return None
            return cand(Spec("calendar", year=years[0]))
        if name == "month":
            word = low.rstrip(".")
            if word not in self.month_of or (s.isupper() and len(s.rstrip(".")) <= 4):
                return None  # "DEC" alone is a ticker or an acronym, not December
            weak = word in self.ambiguous and not self._cued(text, start)
            return cand(Spec("calendar", month=self.month_of[word]), weak=weak)
        return None

    def _ambiguous_without_cue(self, s: str, start: int, text: str, months_word: list[str]) -> bool:
        first = months_word[0].rstrip(".") if months_word else ""
        if first in self.ambiguous and not s[:1].isupper():
            return not self._cued(text, start)
        return False


    def _cued(self, text: str, start: int) -> bool:
        before = text[max(0, start - 20):start].lower().split()
        return bool(before) and before[-1].strip(",") in self.month_cues

    def _year_context(self, text: str, start: int, end: int) -> bool:
        """A four-digit number is a year after a cue word ("in 2019", "China's 2019")."""
        before = text[max(0, start - 25):start]
        words = before.lower().split()
        prev = words[-1] if words else ""
        after = re.split(r"[\n.;:!?]", text[end:end + 20], maxsplit=1)[0]  # the next word of this sentence
        nxt = after.split()[0].lower() if after.split() else ""
        if nxt.endswith("s") and nxt.isalpha() and nxt not in ("was", "is", "as", "has", "this"):
            return False  # "2000 pieces": a count
        if nxt.rstrip(",") in self.count_words:
            return False  # "a 2000 kg haul"
        if prev.endswith("'s") or prev.endswith("’s"):
            return True
        written = before.split()[-1] if before.split() else ""
        if written[:1].isupper() and written.isalpha() and text[end:end + 1] in ("\n", ""):
            return True  # a year that ends a title: "Drug Situation Report 2023"
        if prev.strip("(,") in self.year_cues:
            return True
        if self.year_label_marks and text[end:end + 1] in self.year_label_marks \
                and (not before.strip() or before.rstrip()[-1:] in self.year_label_openers):
            return True  # a year labelling its figures: "(2023: 12 tonnes)"; not "totalled 2000: 1,500 men"
        if not before.strip() or before.rstrip()[-1:] in ".\n":
            return not nxt or not nxt[0].isalpha() or nxt in ("was", "is", "saw", "will")
        return False

    def _inner_of(self, rest: str) -> Spec | None:
        rest = re.sub(r"^the\s+", "", rest.strip())
        words = rest.split()
        numbers = [int(n) for n in self._day_re.findall(rest)]
        month = self.month_of.get(words[0].rstrip(".,")) if words else None
        if month is not None:
            return Spec("calendar", month=month, year=numbers[0] if numbers else None)
        if numbers:
            return Spec("calendar", year=numbers[0])
        if len(words) == 2 and words[0] in self.rules.relative:
            return Spec("relative", unit=words[1], offset=self.rules.relative[words[0]])
        if len(words) == 1 and words[0] in ("year", "month", "week", "quarter"):
            return Spec("relative", unit=words[0], offset=0, which="the")  # "the month": not "this month"
        return None

    def _year_ref(self, low: str, years: list[int]) -> Spec | None:
        if years:
            return Spec("calendar", year=years[0])
        for word, offset in self.rules.relative.items():
            if f"{word} year" in low:
                return Spec("relative", unit="year", offset=offset)
        return None

    def _amount(self, words: list[str], numbers: list[int]) -> float | None:
        if numbers:
            return float(numbers[0])
        for word in words:
            if word in ("a", "an"):
                return 1.0
            value = words_to_number(self.parser, word)
            if value is not None:
                return value
        return None

    # -- ranges and prefixes --------------------------------------------------------------
    def _merge_ranges(self, chosen: list[_Candidate], text: str) -> list[_Candidate]:
        return merge_adjacent(chosen, lambda cur, nxt: self._range(cur, nxt, text))

    def _range(self, cur: _Candidate, nxt: _Candidate, text: str) -> _Candidate | None:
        """The range two neighbouring dates make ("July 1st to 6th", "between March and May"), if any."""
        gap = text[cur.end:nxt.start]
        if not self._joiner_re.match(gap) or cur.spec.kind == "vague" or nxt.spec.kind == "vague":
            return None
        before = text[max(0, cur.start - 10):cur.start]
        opener = self._opener_re.search(before) if self._opener_re is not None else None
        if gap.strip().lower() in self._paired_joiners and opener is None:
            return None  # "in 1995 and 1999": two dates
        lead = cur.lead
        if opener is not None:
            lead = cur.start - (len(before) - opener.start())  # "between March and May": the entity is "March and May"
        return _Candidate(cur.start, nxt.end, Spec("range", inner=cur.spec, other=nxt.spec), f"{cur.rule}+{nxt.rule}",
                          cur.precise and nxt.precise, lead=lead)

    def _with_prefix(self, cand: _Candidate, text: str) -> DateMatch:
        before = text[max(0, cand.start - 30):cand.start]
        m = self._prefix_re.search(before) if self._prefix_mod else None
        if m is not None:
            mod = self._prefix_mod[m.group("p").lower()]
            prefix_start = cand.start - (len(before) - m.start())
            return DateMatch(cand.start, cand.end, cand.spec, cand.rule, mod, prefix_start, cand.precise)
        return DateMatch(cand.start, cand.end, cand.spec, cand.rule, "", cand.lead, cand.precise)

    # -- resolution with the prefix's meaning ----------------------------------------------
    def period(self, match: DateMatch, ref: date | None) -> Period:
        """The period a date match sets: "since X" opens at X, "as of X" closes at X."""
        start, end = resolve_spec(match.spec, ref)
        if start is None and end is None:
            return None, None
        if match.mod == "since":
            return start, None
        if match.mod == "after":
            return (end + timedelta(days=1) if end else None), None
        if match.mod == "before":
            return None, (start - timedelta(days=1) if start else None)
        if match.mod == "as_of":
            return None, end
        return start, end


def resolve_spec(spec: Spec, ref: date | None) -> Period:
    """Resolve a spec, including month specs tied to a relative year ("July this year")."""
    if spec.kind == "calendar" and spec.unit in ("rel_year", "rel_month"):
        if ref is None:
            return None, None
        if spec.unit == "rel_year":
            year = ref.year + spec.offset
        else:
            month = spec.month or 1
            year = ref.year + spec.offset if spec.offset else ref.year
            if spec.offset == 0 and month > ref.month:
                year = ref.year
        return _calendar(Spec("calendar", year=year, month=spec.month), ref)
    if spec.kind == "range" and spec.inner is not None and spec.other is not None:
        inner, other = spec.inner, spec.other
        if other.kind == "calendar" and other.unit in ("rel_year", "rel_month"):
            last = resolve_spec(other, ref)[0]
            if last is None:
                return None, None
            other = Spec("calendar", year=last.year, month=other.month, day=other.day)
        if inner.kind == "calendar" and inner.unit in ("rel_year", "rel_month"):
            first = resolve_spec(inner, ref)[0]
            if first is None:
                return None, None
            inner = Spec("calendar", year=first.year, month=inner.month, day=inner.day)
        return resolve(Spec("range", inner=inner, other=other), ref)
    if spec.kind == "edge" and spec.edge in ("earlier", "later") and ref is not None:
        start, end = resolve(spec.inner, ref) if spec.inner else (None, None)
        if start is None or end is None:
            return None, None
        return (start, ref) if spec.edge == "earlier" else (ref, end)
    return resolve(spec, ref)


def _non_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the longest of overlapping candidates (earlier pattern first on ties)."""
    order = sorted(range(len(candidates)),
                   key=lambda i: (-(candidates[i].end - candidates[i].start), i))
    taken: list[_Candidate] = []
    for i in order:
        c = candidates[i]
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: c.start)


def iso(period: Period) -> str | None:
    """'2022-07-01/2022-07-06', '2019-12-31', '2013-07-30/' (open end), or None."""
    start, end = period
    if start is None and end is None:
        return None
    if start == end:
        return start.isoformat() if start else None
    return f"{start.isoformat() if start else ''}/{end.isoformat() if end else ''}"
