"""Mentions to facts: when two event rows report one real-world figure (docs/event-schema.md, "Facts").

An event row is a mention. ``Figure`` is what mentions are compared by: type, unit,
value with its precision, and the attributes that can tell two figures apart.
``FigureMatcher`` applies the rules of ``configs/facts.yml`` to two figures;
``merge_document`` groups one document's mentions into its facts. Merging across
documents, with the publication window and corroboration, is ``pipeline.factindex``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from .rules import FactsFile

EQUAL, ROUNDED = "equal", "rounded"
DOWN_QUALIFIERS = ("more_than",)  # "more than 10 tonnes": the figure rounded down
UP_QUALIFIERS = ("nearly", "less_than")  # "nearly 12,000": the figure rounded up
CUT_DIGITS = 3  # an unqualified figure of this many significant digits may be the other cut ("107" for 107.52)
PERIOD = ("period_start", "period_end")
UNSTATED = (None, (), "unknown")  # an attribute the text did not state (no drug, no province, scope unknown)


def mention_id(doc_id: str | None, start: Any, end: Any) -> str:
    """A mention's stable id: its document and the quantity's character offsets."""
    return f"{doc_id if doc_id is not None else ''}:{start}-{end}"


def iso(value: Any) -> str | None:
    """A date (or ISO string, or timestamp) as 'YYYY-MM-DD'; None for missing values."""
    if isinstance(value, str):
        return value[:10] or None
    if _missing(value):
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except TypeError:  # pd.NA refuses to be a bool
        return True


@lru_cache(maxsize=16_384)
def significant_digits(value: float) -> int:
    """How precisely a value was written: 10,400 kg -> 3, "two tonnes" -> 1, 0.072 kg -> 2."""
    mantissa = f"{abs(value):.10g}".split("e")[0]
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")
    return max(1, len(digits))


def round_to(value: float, digits: int, mode: str = "nearest") -> float:
    """``value`` rounded to ``digits`` significant digits: nearest, down (floor) or up (ceil)."""
    if value == 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(abs(value))) - digits + 1)
    scaled = value / step
    if mode == "down":
        whole = math.floor(scaled + 1e-9)
    elif mode == "up":
        whole = math.ceil(scaled - 1e-9)
    else:
        whole = math.floor(scaled + 0.5)
    return whole * step


@dataclass(slots=True)
class Figure:
    """What mentions of a fact are compared by: one mention's, or a fact's merged from several.

    A merged figure keeps the most precise value (most significant digits, then an exact
    qualifier) with its qualifier and item, and fills what one mention left out (drug,
    operation, period, provinces) from another.
    """

    event_type: str
    unit: str
    value: float
    qualifier: str | None = None
    item: str | None = None
    drug: str | None = None
    provinces: tuple[str, ...] = ()
    scope: str | None = None
    operation: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    n_total: int = 0
    n_incident: int = 0
    first_kind: str | None = None
    sig: int = field(default=0)

    def __post_init__(self) -> None:
        if not self.sig:
            self.sig = significant_digits(self.value)

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> "Figure":
        """The figure of one event row (a dict as ``doc._.events`` or a table holds it)."""
        return cls.of_values(row["event_type"], row["unit"], row["value"], row.get("qualifier"), row.get("item"),
                             row.get("drug"), row.get("provinces"), row.get("scope"), row.get("operation"),
                             row.get("period_start"), row.get("period_end"), row.get("kind"))

    @classmethod
    def of_values(cls, event_type: Any, unit: Any, value: Any, qualifier: Any, item: Any, drug: Any,
                  provinces: Any, scope: Any, operation: Any, period_start: Any, period_end: Any,
                  kind: Any) -> "Figure":
        """The figure of one event row given column by column (``of_row`` and the shard parts
        of ``pipeline.factparts`` read rows through it, so both see the same figure)."""
        kind = kind if isinstance(kind, str) else None
        return cls(str(event_type), str(unit), float(value), _text(qualifier), _text(item), _text(drug),
                   tuple(sorted(provinces)) if provinces is not None and len(provinces) else (),
                   _text(scope), _text(operation), iso(period_start), iso(period_end),
                   int(kind == "total"), int(kind == "incident"), kind)

    @property
    def kind(self) -> str | None:
        """The kind most of its mentions have (the first mention's on a tie)."""
        if self.n_total != self.n_incident:
            return "total" if self.n_total > self.n_incident else "incident"
        return self.first_kind

    @property
    def dated(self) -> bool:
        return self.period_start is not None or self.period_end is not None

    def absorb(self, other: "Figure") -> None:
        """Take in another mention (or fact) of the same figure."""
        if (other.sig, other.qualifier == "exact") > (self.sig, self.qualifier == "exact"):
            self.value, self.sig, self.qualifier = other.value, other.sig, other.qualifier
            self.item = other.item or self.item
        self.drug = self.drug or other.drug
        self.operation = self.operation or other.operation
        ours, theirs = (self.period_start, self.period_end), (other.period_start, other.period_end)
        if len(other.provinces) > len(self.provinces):  # compatible sets: the larger holds the other
            self.provinces, self.scope = other.provinces, other.scope
        elif self.scope in (None, "unknown"):
            self.scope = other.scope
        self.n_total += other.n_total
        self.n_incident += other.n_incident
        self.first_kind = self.first_kind or other.first_kind
        if not _bounds_agree(*ours, *theirs) and (_inside(*theirs, *ours) or _inside(*ours, *theirs)):
            # nested periods (``periods_nest``): an incident's day, a total's whole period
            inner, outer = (theirs, ours) if _inside(*theirs, *ours) else (ours, theirs)
            self.period_start, self.period_end = outer if self.kind == "total" else inner
        else:  # each bound as stated on either side
            self.period_start, self.period_end = ours[0] or theirs[0], ours[1] or theirs[1]

    def copy(self) -> "Figure":
        return Figure(self.event_type, self.unit, self.value, self.qualifier, self.item, self.drug,
                      self.provinces, self.scope, self.operation, self.period_start, self.period_end,
                      self.n_total, self.n_incident, self.first_kind, self.sig)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    return None if _missing(value) else str(value)


class FigureMatcher:
    """The rules of ``configs/facts.yml`` that say whether two figures are one.

    ``match`` returns ``"equal"`` (same value to ``value.equal``), ``"rounded"`` (one is
    the other rounded to its precision) or None (two figures).
    """

    def __init__(self, rules: FactsFile):
        self.rules = rules
        self.equal = rules.value.equal
        self.rounded = rules.value.rounded
        self.block = tuple(rules.block)
        self.block_rounded = tuple(rules.block_when_rounded)
        self.rounded_may_name = frozenset(rules.rounded_may_name)
        # value keys: a key is a factor (1 + equal)^2 wide, so a value equal to another is in
        # its key or the neighbour on the side it is nearer to
        self.key_width = -math.log(1.0 - max(self.equal, 1e-9)) * 2.0002

    def value_key(self, value: float) -> int:
        """The key a value is filed under."""
        return math.floor(_log(value) / self.key_width)

    def probe_keys(self, value: float) -> tuple[int, int]:
        """The keys of the values equal to ``value``: its own, and the neighbour it is nearer to."""
        position = _log(value) / self.key_width
        key = math.floor(position)
        return key, key + (1 if position - key >= 0.5 else -1)

    def roundings(self, figure: Figure) -> tuple[float, ...]:
        """The roundings of a figure's value a coarser mention could write: to fewer significant
        digits, nearest, down or up, no further than ``value.rounded`` away."""
        return self.value_roundings(figure.value, figure.sig)

    def value_roundings(self, value: float, sig: int) -> tuple[float, ...]:
        """``roundings`` of a value written to ``sig`` significant digits, to at most
        ``documents.rounded_digits`` digits (what another outlet writes: "more than 6,000", "6,100")."""
        return _roundings(value, min(sig, self.rules.documents.rounded_digits + 1), self.rounded)

    def same_value(self, a: Figure, b: Figure) -> str | None:
        """``equal``, ``rounded`` or None for the values of two figures."""
        larger = max(abs(a.value), abs(b.value))
        gap = abs(a.value - b.value)
        if gap <= self.equal * larger:
            return EQUAL
        if gap > self.rounded * larger or a.sig == b.sig:
            return None
        coarse, fine = (a, b) if a.sig < b.sig else (b, a)
        # an unqualified figure is the other rounded to the nearest, or cut when it keeps three digits
        # or more ("107 kg" for 107.52 kg; "70 pellets" is not 78 cut)
        modes = ("down",) if coarse.qualifier in DOWN_QUALIFIERS else ("up",) if coarse.qualifier in UP_QUALIFIERS \
            else ("nearest", "down") if coarse.sig >= CUT_DIGITS else ("nearest",)
        near = self.equal * abs(coarse.value)
        return ROUNDED if any(abs(round_to(fine.value, coarse.sig, mode) - coarse.value) <= near for mode in modes) \
            else None

    def match(self, a: Figure, b: Figure, agreed: Callable[[bool], bool] | None = None) -> str | None:
        """Whether two figures are one: ``equal``, ``rounded`` or None. ``agreed``: whether the
        two agree on ``block`` (given ``closed``, as ``agree``), when the caller remembers it."""
        if a.event_type != b.event_type or a.unit != b.unit:
            return None
        how = self.same_value(a, b)
        # nested periods: a rounded value only inside an open period ("this month"), as a closed
        # part of a closed period (August-December of a year) is a part of it, equal only by chance;
        # an incident's day inside another report's month of the same incident is its date told
        # more exactly ("1.2 tonnes" seized in April, "1,216 kg" on April 17)
        closed = how == EQUAL or (a.kind == "incident" and b.kind == "incident")
        if how is None or not (self.agree(a, b, self.block, closed=closed) if agreed is None else agreed(closed)):
            return None
        if how == ROUNDED:
            coarse, fine = (a, b) if a.sig < b.sig else (b, a)
            # what the coarse mention may state alone: a headline's "over 600 kg of crystal meth"
            # for the body's "612 kg of drugs" (not the other way round)
            names = [n for n in self.block_rounded
                     if n not in self.rounded_may_name or getattr(fine, n) not in UNSTATED]
            if not self.agree(coarse, fine, names, strict=True):
                return None
        return how

    @staticmethod
    def attributes(figure: Figure, names: Sequence[str]) -> tuple[Any, ...]:
        """The values of ``names`` that ``agree`` compares (``kind`` as the figure's mentions have it)."""
        return tuple(getattr(figure, name) for name in names)

    def agree(self, a: Figure, b: Figure, names: Sequence[str], strict: bool = False, closed: bool = True) -> bool:
        """No attribute in ``names`` that both state differs (provinces: one set holds the other;
        periods, with ``periods_nest``: one lies in the other); ``strict``: a value stated on one
        side only differs too; ``closed``: a period may lie inside a closed one too."""
        return FigureMatcher.agree_on(names, FigureMatcher.attributes(a, names), FigureMatcher.attributes(b, names),
                                      strict, self.rules.periods_nest, closed)

    @staticmethod
    def agree_on(names: Sequence[str], first: Sequence[Any], second: Sequence[Any], strict: bool = False,
                 nest: bool = False, closed: bool = True) -> bool:
        """``agree`` on two figures' ``attributes`` (``nest``: ``periods_nest``; ``closed``: see
        ``periods_agree``)."""
        if nest and not strict and PERIOD[0] in names and PERIOD[1] in names:
            at, to = names.index(PERIOD[0]), names.index(PERIOD[1])
            if not periods_agree(first[at], first[to], second[at], second[to], closed):
                return False
            kept = [i for i, name in enumerate(names) if name not in PERIOD]
            names, first, second = [names[i] for i in kept], [first[i] for i in kept], [second[i] for i in kept]
        for name, one, other in zip(names, first, second, strict=True):
            if name == "provinces":
                if strict and bool(one) != bool(other):
                    return False
                if one and other and one != other:
                    small, large = sorted((one, other), key=len)
                    if not set(small) <= set(large):
                        return False
                continue
            if name == "scope" and "unknown" in (one, other):
                continue
            if one != other and (strict or (one is not None and other is not None)):
                return False
        return True


def periods_agree(start: str | None, end: str | None, other_start: str | None, other_end: str | None,
                  closed: bool = True) -> bool:
    """Whether two stated periods can be one figure's: each bound equal or stated on one side
    only, or one period (both bounds stated) lies inside the other, which states its start:
    "this month" (March 1 on) and "on March 14", "in May" and "from January to May" (with
    ``closed``: inside a period that states its end too). ISO dates compare as strings."""
    if _bounds_agree(start, end, other_start, other_end):
        return True
    return _inside(start, end, other_start, other_end, closed) or _inside(other_start, other_end, start, end, closed)


def _bounds_agree(start: str | None, end: str | None, other_start: str | None, other_end: str | None) -> bool:
    return (start is None or other_start is None or start == other_start) \
        and (end is None or other_end is None or end == other_end)


def _inside(start: str | None, end: str | None, outer_start: str | None, outer_end: str | None,
            closed: bool = True) -> bool:
    if start is None or end is None or outer_start is None or (outer_end is not None and not closed):
        return False
    return outer_start <= start and (outer_end is None or end <= outer_end)


def _log(value: float) -> float:
    return math.log(value) if value > 0 else -1e6


@lru_cache(maxsize=8_192)
def _roundings(value: float, sig: int, tolerance: float) -> tuple[float, ...]:
    """Cached: a corpus repeats its values (a wire story's figures, round numbers)."""
    found = set()
    for digits in range(1, sig):
        for mode in ("nearest", "down", "up"):
            rounded = round_to(value, digits, mode)
            if rounded != value and abs(rounded - value) <= tolerance * max(abs(rounded), abs(value)):
                found.add(rounded)
    return tuple(sorted(found))


@dataclass(slots=True)
class DocumentFact:
    """One fact of one document: its figure, its mentions and where they are."""

    fact_id: str  # the mention id of its first mention
    figure: Figure
    mentions: int = 1
    sentences: set[Any] = field(default_factory=set)
    probes: Any = None  # the corpus blocks it is compared with (pipeline.factparts)
    blocks: Any = None  # the corpus blocks it is filed under if it starts a corpus fact


def merge_document(rows: Sequence[Mapping[str, Any]], matcher: FigureMatcher,
                   ids: Sequence[str]) -> tuple[list[int], list[DocumentFact]]:
    """Group one document's event rows (in text order) into its facts.

    Returns, for each row, the index of its fact, and the facts. A row joins the earlier
    fact it matches best (an equal value before a rounded one, then the nearest value,
    then the first); two rows of one sentence stay apart unless ``same_sentence`` allows.
    """
    return merge_figures([Figure.of_row(row) for row in rows], _sentence_keys(rows), matcher, ids)


def _sentence_keys(rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Each row's sentence (its start), by which two rows of one sentence stay apart; None for an
    amount given again in brackets right after the row before ("16 jin (8 kilograms)"), which
    may join it: one figure written twice."""
    keys: list[Any] = []
    for i, row in enumerate(rows):
        key = row.get("sent_start")
        before = rows[i - 1] if i else None
        if before is not None and before.get("sent_start") == key and key is not None:
            text = str(row.get("sentence") or "")
            gap = text[int(before.get("end") or 0) - int(key):int(row.get("start") or 0) - int(key)]
            if gap.strip() == "(":
                key = None
        keys.append(key)
    return keys


def merge_figures(figures: Sequence[Figure], sentences: Sequence[Any], matcher: FigureMatcher,
                  ids: Sequence[str]) -> tuple[list[int], list[DocumentFact]]:
    """``merge_document`` on the rows' figures and sentence starts."""
    facts: list[DocumentFact] = []
    which: list[int] = []
    same_sentence = matcher.rules.same_sentence
    for figure, sentence, row_id in zip(figures, sentences, ids, strict=True):
        best: tuple[Any, ...] | None = None
        for index, fact in enumerate(facts):
            if not same_sentence and sentence is not None and sentence in fact.sentences:
                continue
            how = matcher.match(fact.figure, figure)
            if how is None:
                continue
            rank = (how != EQUAL, abs(fact.figure.value - figure.value), index)
            if best is None or rank < best:
                best = rank
        if best is None:
            facts.append(DocumentFact(row_id, figure, 1, {sentence}))
            which.append(len(facts) - 1)
        else:
            fact = facts[best[2]]
            fact.figure.absorb(figure)
            fact.mentions += 1
            fact.sentences.add(sentence)
            which.append(best[2])
    return which, facts
