"""Each document's facts as the corpus merge needs them, computed where the document is read.

Merging facts across a corpus (``pipeline.factindex``) is sequential: a document's facts
join the facts of the documents before it. Everything it needs of one document alone is
computed here, by the worker that annotated the document, and written beside the shard's
event rows as ``DIR/shards/facts/part-NNNNN.parquet``, one row per fact of a document: its
mentions grouped (the facts component's fact ids), its figure, the blocks of the corpus
index it is compared with (``probes``) and, if it starts a corpus fact, the blocks it is
filed under (``blocks``), and which event rows of the shard are its mentions (``rows``).
The calling process only reads these back and looks them up.

A block is Python's hash of a tuple of ints (type, unit, value key, value or rounding,
time): the same in every process, as only strings are hashed with a per-process salt, so
workers of any engine compute the blocks the caller files under. A shard's blocks are
computed at once with numpy (``TupleHash``: CPython's tuple hash over int64 arrays), the
same numbers as ``hash`` gives one at a time.
"""

from __future__ import annotations

import gc
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import chain
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .facts import DocumentFact, Figure, FigureMatcher, iso, mention_id, merge_figures, significant_digits
from .rules import FactsFile

Block = int
PART_DIR = "facts"  # DIR/shards/facts/
FIGURE_FIELDS = ("event_type", "unit", "value", "qualifier", "item", "drug", "provinces", "scope", "operation",
                 "period_start", "period_end", "n_total", "n_incident", "first_kind", "sig")
# the event columns a document's facts are made of
EVENT_INPUT = ("doc_id", "event_type", "value", "unit", "qualifier", "item", "drug", "provinces", "scope",
               "operation", "period_start", "period_end", "kind", "start", "end", "published", "fact_id",
               "sent_start")
_TEXT, _INT = pa.string(), pa.int64()
PART_SCHEMA = pa.schema([
    ("doc_id", _TEXT), ("published", _TEXT), ("fact_id", _TEXT), ("mentions", _INT),
    ("event_type", _TEXT), ("unit", _TEXT), ("value", pa.float64()), ("qualifier", _TEXT), ("item", _TEXT),
    ("drug", _TEXT), ("provinces", _TEXT), ("scope", _TEXT), ("operation", _TEXT), ("period_start", _TEXT),
    ("period_end", _TEXT), ("n_total", _INT), ("n_incident", _INT), ("first_kind", _TEXT), ("sig", _INT),
    ("probes", pa.list_(_INT)), ("blocks", pa.list_(_INT)), ("rows", pa.list_(_INT)),
])
_WEEK, _PERIOD_END, _PERIOD_START = 0, 1 << 40, 2 << 40  # time codes: weeks, periods ending, periods from


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: facts are many small objects that make no
    reference cycles, and each full collection would traverse every one held (measured: a
    quarter of the merge's time). What is freed is freed by reference counting all the same."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass(slots=True)
class Document:
    """One document's facts, in text order of their first mentions."""

    doc_id: str
    published: str | None
    facts: list[DocumentFact]


@lru_cache(maxsize=16_384)
def day(text: str) -> int:
    """The ordinal of an ISO date."""
    return date.fromisoformat(text).toordinal()


@lru_cache(maxsize=4_096)
def iso_ordinal(text: str | None) -> int | None:
    """The ordinal of an ISO date; None for none, or for text that is no date."""
    try:
        return date.fromisoformat(text).toordinal() if text else None
    except ValueError:
        return None


def recent_end(period_start: str | None, period_end: str | None, days: int) -> int | None:
    """The day (an ordinal) a period of at most ``days`` days ends (``documents.incident_days``):
    an undated report made soon after may tell of the same incident. None for a longer or open
    period."""
    start, end = iso_ordinal(period_start), iso_ordinal(period_end)
    return end if start is not None and end is not None and 0 <= end - start <= days else None


class TupleHash:
    """``hash`` of tuples of ints, over arrays: CPython's tuple hash (xxHash's lanes: an int's
    hash is itself, -1's is -2, for ints below 2**61 - 1 in size) in uint64 arithmetic, which
    wraps as C's does. Written out because ``hash`` takes one tuple a call: a 20,000-document
    run hashes about 2.7 million blocks. ``works`` says whether this Python hashes so."""

    PRIME_1: ClassVar[np.uint64] = np.uint64(11400714785074694791)
    PRIME_2: ClassVar[np.uint64] = np.uint64(14029467366897019727)
    PRIME_5: ClassVar[np.uint64] = np.uint64(2870177450012600261)

    @classmethod
    def start(cls, size: int) -> np.ndarray:
        """The state before the first item, for ``size`` tuples."""
        return np.full(size, cls.PRIME_5, np.uint64)

    @classmethod
    def step(cls, state: np.ndarray, items: np.ndarray) -> np.ndarray:
        """The state after one more item of each tuple (``items``: int64)."""
        lane = np.where(items == -1, -2, items).astype(np.int64).view(np.uint64)
        with np.errstate(over="ignore"):
            state = state + lane * cls.PRIME_2
            state = (state << np.uint64(31)) | (state >> np.uint64(33))
            return state * cls.PRIME_1

    @staticmethod
    def finish(state: np.ndarray, length: int) -> np.ndarray:
        """The hashes (int64) of tuples of ``length`` items from their state."""
        with np.errstate(over="ignore"):
            hashes = (state + np.uint64(length ^ 2870177450012600261 ^ 3527539)).view(np.int64)
        return np.where(hashes == -1, 1546275796, hashes)

    @classmethod
    def works(cls) -> bool:
        """Whether this Python's ``hash`` of a tuple of ints is the one written out here."""
        items = [(0, 1, -1, 1 << 40, 4_294_967_295), (7, -3, 2, 0, (2 << 40) + (1 << 32) + 5)]
        state = cls.start(len(items))
        for column in zip(*items, strict=True):
            state = cls.step(state, np.array(column, np.int64))
        return cls.finish(state, 5).tolist() == [hash(item) for item in items]


_VECTOR_HASH = TupleHash.works()


@lru_cache(maxsize=4_096)
def _code(text: str) -> int:
    """A stable number for a word (an event type, a unit)."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


@lru_cache(maxsize=4_096)
def _date_code(text: str) -> int:
    """A stable number for a period's date: its ordinal, or for text that is no date, a checksum."""
    try:
        return date.fromisoformat(text).toordinal()
    except ValueError:
        return (1 << 32) + _code(text)


class BlockKeys:
    """The blocks of the corpus index a figure is filed under and probes: its type, unit and
    value key (``FigureMatcher.value_key``; with ``documents.rounded``, its roundings' too), and
    a time: each span of days it was reported in, and for a dated figure its period."""

    def __init__(self, rules: FactsFile):
        self.matcher = FigureMatcher(rules)
        self.rounded = rules.documents.rounded
        self.span = 2 * (rules.documents.window_days + 1)  # days per week block: a window is within two
        self.incident_days = rules.documents.incident_days
        # a value's keys, remembered: a fact changed in the merge is filed anew from them, and most
        # values are met many times (typed: 1 and 1.0 are told apart, as a float and an int may round apart)
        self._cached_values = lru_cache(maxsize=8_192, typed=True)(self._value_keys)
        self._cached_flat = lru_cache(maxsize=8_192, typed=True)(self._flat_keys)

    _kept: ClassVar[tuple[str, "BlockKeys"] | None] = None  # the last rules' keys, in this process

    @classmethod
    def of(cls, rules: FactsFile) -> "BlockKeys":
        """The keys of ``rules``, made once a process for equal rules: a worker's shards share
        its remembered value keys (most values of a corpus are met in many shards)."""
        text = rules.model_dump_json()
        if cls._kept is None or cls._kept[0] != text:
            cls._kept = (text, cls(rules))
        return cls._kept[1]

    def _flat_keys(self, value: float, sig: int, probing: bool) -> tuple[int, ...]:
        """``_value_keys`` one after the other: key, of, key, of, ..."""
        return tuple(item for pair in self._value_keys(value, sig, probing) for item in pair)

    def _values(self, value: float, sig: int, probing: bool) -> tuple[tuple[int, int], ...]:
        """``_value_keys``, remembered (not for zero: 0.0 and -0.0 are one key to the cache)."""
        return self._cached_values(value, sig, probing) if value else self._value_keys(value, sig, probing)

    def _value_keys(self, value: float, sig: int, probing: bool) -> tuple[tuple[int, int], ...]:
        """Value keys, each with 0 (of the value) or 1 (of a rounding): filed under its value's
        (and, when rounded figures merge across documents, its roundings'); probing, the keys of
        values equal to it (and of its roundings, and of values it is a rounding of)."""
        matcher = self.matcher
        if not probing:
            keys = [(matcher.value_key(value), 0)]
            if self.rounded:
                keys += [(matcher.value_key(r), 1) for r in matcher.value_roundings(value, sig)]
            return tuple(keys)
        probe = matcher.probe_keys(value)
        keys = [(k, 0) for k in probe]
        if self.rounded:
            keys += [(k, 1) for k in probe]
            keys += [(k, 0) for r in matcher.value_roundings(value, sig) for k in matcher.probe_keys(r)]
        return tuple(keys)

    @staticmethod
    def _period(period_start: str | None, period_end: str | None) -> int:
        return _PERIOD_END + _date_code(period_end) if period_end else _PERIOD_START + _date_code(period_start or "")

    @classmethod
    def _periods(cls, period_start: str | None, period_end: str | None) -> tuple[int, ...]:
        """A dated figure's period blocks: its end and, stated too, its start. Two periods whose
        bounds agree and share a stated one meet ("in May" and "since May 1" of a later report)."""
        if period_start and period_end:
            return cls._period(None, period_end), cls._period(period_start, None)
        return (cls._period(period_start, period_end),)

    def filed(self, event_type: str, unit: str, value: float, sig: int, period_start: str | None,
              period_end: str | None, days: Iterable[int]) -> set[Block]:
        """The blocks a fact is filed under, for each value key and each time: the days it was
        reported on (ordinals) and, dated, its period."""
        times = {_WEEK + d // self.span for d in days}
        if period_start is not None or period_end is not None:
            times.update(self._periods(period_start, period_end))
            ended = recent_end(period_start, period_end, self.incident_days)
            if ended is not None:  # found by an undated report of it made soon after its period ended
                times.add(_WEEK + ended // self.span)
        kind, of_unit = _code(event_type), _code(unit)
        return {hash((kind, of_unit, k, of, time)) for k, of in self._values(value, sig, False) for time in times}

    def same_week(self, day: int | None, days: Iterable[int]) -> bool:
        """Whether ``day`` (an ordinal) is in the week block of one of ``days``: a fact reported
        on it is filed under no block it was not filed under already."""
        return day is not None and any(day // self.span == d // self.span for d in days)

    def probes(self, figure: Figure, published: int | None) -> set[Block]:
        """The blocks a figure's matches are filed under: values equal to it, reported near its
        publication (an ordinal) or, dated, of its period. (Provinces are compared, not blocked
        on: a figure with none may be any province's.)"""
        times = []
        if published is not None:
            position = published / self.span
            week = int(position)
            times += [_WEEK + week, _WEEK + week + (1 if position - week >= 0.5 else -1)]
        if figure.dated:
            times += self._periods(figure.period_start, figure.period_end)
            ended = recent_end(figure.period_start, figure.period_end, self.incident_days)
            if ended is not None:  # an undated report of it, made soon after its period ended
                position = ended / self.span
                week = int(position)
                times += [_WEEK + week, _WEEK + week + (1 if position - week >= 0.5 else -1)]
        kind, unit = _code(figure.event_type), _code(figure.unit)
        return {hash((kind, unit, k, of, time)) for k, of in self._values(figure.value, figure.sig, True)
                for time in times}

    def placed(self, event_type: str, unit: str, value: float, sig: int, period_start: str | None,
               period_end: str | None, published: int | None) -> tuple[list[Block], list[Block]]:
        """A document's figure's probes and the blocks it starts a corpus fact under (sorted)."""
        figure = Figure(event_type, unit, value, period_start=period_start, period_end=period_end, sig=sig)
        return (sorted(self.probes(figure, published)),
                sorted(self.filed(event_type, unit, value, sig, period_start, period_end,
                                  [] if published is None else [published])))

    def placed_all(self, event_types: Sequence[str], units: Sequence[str], values: Sequence[float],
                   sigs: Sequence[int], period_starts: Sequence[str | None], period_ends: Sequence[str | None],
                   published: Sequence[int | None]) -> tuple[pa.ListArray, pa.ListArray]:
        """``placed`` for many figures at once (one each a position of the lists): their probes
        and blocks as arrow lists, computed with numpy (``TupleHash``): the hashes of a shard's
        figures are most of what its facts part costs."""
        size = len(values)
        if not _VECTOR_HASH:  # not CPython's hash: one figure at a time
            placed = [self.placed(*figure) for figure in zip(event_types, units, values, sigs, period_starts,
                                                              period_ends, published, strict=True)]
            return (pa.array([p for p, _ in placed], pa.list_(_INT)), pa.array([b for _, b in placed], pa.list_(_INT)))
        state = TupleHash.start(size)
        state = TupleHash.step(state, np.fromiter((_code(t) for t in event_types), np.int64, size))
        state = TupleHash.step(state, np.fromiter((_code(u) for u in units), np.int64, size))
        days = np.fromiter((-1 if d is None else d for d in published), np.int64, size)
        has_day = days >= 0
        period = np.zeros(size, np.int64)
        period_from = np.zeros(size, np.int64)  # its start too, when both bounds are stated (``_periods``)
        ended = np.full(size, -1, np.int64)
        dated = np.zeros(size, bool)
        bounded = np.zeros(size, bool)
        for at, (start, end) in enumerate(zip(period_starts, period_ends, strict=True)):
            if start is not None or end is not None:
                dated[at] = True
                period[at] = self._period(start, end)
                if start and end:
                    bounded[at] = True
                    period_from[at] = self._period(start, None)
                recent = recent_end(start, end, self.incident_days)
                if recent is not None:
                    ended[at] = recent
        has_end = ended >= 0
        # the times probed: the week of publication and the nearer neighbour, the period, the
        # week its end falls in and its nearer neighbour (as ``probes``); and filed under
        probe_times = np.stack([*self._weeks(days), period, period_from, *self._weeks(ended)], axis=1)
        probed = np.stack([has_day, has_day, dated, bounded, has_end, has_end], axis=1)
        span = self.span
        file_times = np.stack([_WEEK + days // span, period, period_from, _WEEK + ended // span], axis=1)
        filed = np.stack([has_day, dated, bounded, has_end], axis=1)
        probes = self._hashed(state, values, sigs, True, probe_times, probed)
        blocks = self._hashed(state, values, sigs, False, file_times, filed)
        return probes, blocks

    def _weeks(self, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The week blocks of days (ordinals) and, for each, the neighbour it is nearer to (``probes``)."""
        position = days / self.span
        week = np.floor(position).astype(np.int64)
        return _WEEK + week, _WEEK + week + np.where(position - week >= 0.5, 1, -1)

    def _hashed(self, state: np.ndarray, values: Sequence[float], sigs: Sequence[int], probing: bool,
                times: np.ndarray, valid: np.ndarray) -> pa.ListArray:
        """Each figure's blocks (sorted, each once): the hash of its type and unit (``state``),
        each of its value keys and each of its times (``times``, where ``valid``)."""
        size = len(values)
        cached, uncached = self._cached_flat, self._flat_keys  # not zero in the cache, as ``_values``
        flat = [cached(value, sig, probing) if value else uncached(value, sig, probing)
                for value, sig in zip(values, sigs, strict=True)]
        key_counts = np.fromiter(map(len, flat), np.int64, size) // 2
        pairs = np.fromiter(chain.from_iterable(flat), np.int64, 2 * int(key_counts.sum())).reshape(-1, 2)
        key_state = np.repeat(state, key_counts)
        key_state = TupleHash.step(TupleHash.step(key_state, pairs[:, 0]), pairs[:, 1])
        time_counts = valid.sum(axis=1)
        flat_times = times[valid]  # row by row: each figure's times together
        # every value key of a figure with every time of it
        counts = key_counts * time_counts
        total = int(counts.sum())
        figure = np.repeat(np.arange(size), counts)
        within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        per_key = time_counts[figure]
        key_at = (np.cumsum(key_counts) - key_counts)[figure] + within // np.maximum(per_key, 1)
        time_at = (np.cumsum(time_counts) - time_counts)[figure] + within % np.maximum(per_key, 1)
        hashes = TupleHash.finish(TupleHash.step(key_state[key_at], flat_times[time_at]), 5)
        order = np.lexsort((hashes, figure))
        hashes, figure = hashes[order], figure[order]
        kept = np.ones(total, bool)
        kept[1:] = (hashes[1:] != hashes[:-1]) | (figure[1:] != figure[:-1])
        offsets = np.zeros(size + 1, np.int32)
        np.cumsum(np.bincount(figure[kept], minlength=size), out=offsets[1:])
        return pa.ListArray.from_arrays(pa.array(offsets), pa.array(hashes[kept], _INT))

    def place(self, document: Document) -> None:
        """Give each fact of a document its probes and the blocks it starts under."""
        published = day(document.published) if document.published is not None else None
        for fact in document.facts:
            figure = fact.figure
            fact.probes, fact.blocks = self.placed(figure.event_type, figure.unit, figure.value, figure.sig,
                                                   figure.period_start, figure.period_end, published)


def documents_of_rows(rows: Sequence[Mapping[str, Any]], keys: BlockKeys) -> Iterator[tuple[Document, list[int]]]:
    """Each document of event rows in hand (documents together, rows in text order) with, for
    each row, the index of its fact. A row's ``fact_id``, when set on every row of its document,
    is its fact within the document (the facts component sets it); else the rows are merged here."""
    start = 0
    while start < len(rows):
        doc_id = str(rows[start]["doc_id"])
        end = start + 1
        while end < len(rows) and str(rows[end]["doc_id"]) == doc_id:
            end += 1
        chunk = rows[start:end]
        yield _document(doc_id, iso(chunk[0].get("published")), [Figure.of_row(r) for r in chunk],
                        [mention_id(doc_id, r.get("start"), r.get("end")) for r in chunk],
                        [r.get("fact_id") for r in chunk], [r.get("sent_start") for r in chunk], keys)
        start = end


def _document(doc_id: str, published: str | None, figures: list[Figure], ids: list[str], given: list[Any],
              sentences: list[Any], keys: BlockKeys) -> tuple[Document, list[int]]:
    if all(isinstance(g, str) and g for g in given):
        which, facts = _group(figures, given, ids)
    else:
        which, facts = merge_figures(figures, sentences, keys.matcher, ids)
    document = Document(doc_id, published, facts)
    keys.place(document)
    return document, which


def _group(figures: Sequence[Figure], given: Sequence[str], ids: Sequence[str]) -> tuple[list[int],
                                                                                        list[DocumentFact]]:
    """A document's facts from the fact ids its rows already have (set by the facts component)."""
    index: dict[str, int] = {}
    facts: list[DocumentFact] = []
    which = []
    for figure, fact_id, row_id in zip(figures, given, ids, strict=True):
        at = index.get(fact_id)
        if at is None:
            index[fact_id] = at = len(facts)
            facts.append(DocumentFact(row_id, figure, 0))
        else:
            facts[at].figure.absorb(figure)
        facts[at].mentions += 1
        which.append(at)
    return which, facts


def shard_part(events: pa.Table, keys: BlockKeys) -> tuple[pa.Table, pa.Array]:
    """The facts part of a shard's event table (in the declared event schema, documents in
    order), and the table's ``fact_id`` column as the corpus merge reads it: each row's fact
    within its document, named after the fact's first mention.

    The same as ``part_table`` of ``documents_of_rows`` over the table's rows, built column
    by column: most facts have one mention, whose figure is its row's values; only a fact
    of several mentions, or a document whose rows have no fact ids, is merged row by row."""
    with collector_paused():
        return _shard_part(events, keys)


def _shard_part(events: pa.Table, keys: BlockKeys) -> tuple[pa.Table, pa.Array]:
    n = events.num_rows
    doc_ids = events.column("doc_id").to_pylist()
    given = events.column("fact_id").to_pylist()
    fact_of = [0] * n  # each row's fact
    first: list[int] = []  # each fact's first row
    opening: list[int] = []  # the first row of each fact's document
    several: set[int] = set()  # facts whose figure is merged from several rows
    figures: dict[int, Figure] = {}  # ... and their figures
    start = 0
    while start < n:
        end = start + 1
        while end < n and doc_ids[end] == doc_ids[start]:
            end += 1
        base = len(first)
        if all(isinstance(g, str) and g for g in given[start:end]):
            index: dict[str, int] = {}
            for i in range(start, end):
                at = index.get(given[i])
                if at is None:
                    at = index[given[i]] = len(first)
                    first.append(i)
                    opening.append(start)
                else:
                    several.add(at)
                fact_of[i] = at
        else:  # no fact ids (a pipeline without the facts component): merged here
            chunk = events.slice(start, end - start).select(EVENT_INPUT).to_pylist()
            doc_id = str(doc_ids[start])
            which, facts = merge_figures([Figure.of_row(r) for r in chunk], [r.get("sent_start") for r in chunk],
                                         keys.matcher, [mention_id(doc_id, r.get("start"), r.get("end"))
                                                        for r in chunk])
            for at, fact in enumerate(facts):
                figures[base + at] = fact.figure
                first.append(start + which.index(at))
                opening.append(start)
            for i, at in enumerate(which):
                fact_of[start + i] = base + at
        start = end
    if several:  # a fact's figure takes in its mentions in text order (Figure.absorb)
        wanted = sorted(i for i in range(n) if fact_of[i] in several)
        for i, row in zip(wanted, events.take(wanted).select(EVENT_INPUT).to_pylist(), strict=True):
            figure = Figure.of_row(row)
            at = fact_of[i]
            if i == first[at]:
                figures[at] = figure
            else:
                figures[at].absorb(figure)
    return _part_of(events, keys, fact_of, first, opening, figures)


def _part_of(events: pa.Table, keys: BlockKeys, fact_of: list[int], first: list[int], opening: list[int],
             figures: dict[int, Figure]) -> tuple[pa.Table, pa.Array]:
    """``shard_part``'s table from its facts: their first rows, and the figures not of one row."""
    first_at = pa.array(first, pa.int64())  # typed: an empty list of indices is no index array to arrow
    heads = events.take(first_at)
    text = pa.string()
    columns: dict[str, list[Any]] = {}
    for name in ("qualifier", "item", "drug", "scope", "operation", "kind"):
        columns[name] = heads.column(name).cast(text).to_pylist()
    for name in ("event_type", "unit"):  # str() of a missing one, as Figure.of_values
        columns[name] = pc.fill_null(heads.column(name).cast(text), "None").to_pylist()
    for name in ("period_start", "period_end"):
        columns[name] = heads.column(name).cast(pa.date32()).cast(text).to_pylist()
    values = heads.column("value")
    if values.null_count:
        raise TypeError("an event row has no value")  # as float(None) in Figure.of_values
    columns["value"] = values.to_pylist()
    provinces = heads.column("provinces")
    joined = pc.binary_join(provinces, "|").to_pylist()
    for i in pc.indices_nonzero(pc.greater(pc.list_value_length(provinces), 1)).to_pylist():
        joined[i] = "|".join(sorted(joined[i].split("|")))  # a figure's provinces are sorted
    columns["provinces"] = [p or "" for p in joined]
    kinds = columns.pop("kind")
    columns["n_total"] = [int(k == "total") for k in kinds]
    columns["n_incident"] = [int(k == "incident") for k in kinds]
    columns["first_kind"] = kinds
    columns["sig"] = [significant_digits(v) for v in columns["value"]]
    for at, figure in figures.items():
        for name in FIGURE_FIELDS:
            columns[name][at] = getattr(figure, name)
        columns["provinces"][at] = "|".join(figure.provinces)
    opening_at = pa.array(opening, pa.int64())
    doc_ids = events.column("doc_id").take(opening_at).cast(text)
    published = events.column("published").take(opening_at).cast(pa.date32()).cast(text).to_pylist()
    days = [None if p is None else day(p) for p in published]
    probes, blocks = keys.placed_all(columns["event_type"], columns["unit"], columns["value"], columns["sig"],
                                     columns["period_start"], columns["period_end"], days)
    order = np.argsort(np.asarray(fact_of, dtype=np.int64), kind="stable")
    counts = np.bincount(np.asarray(fact_of, dtype=np.int64), minlength=len(first))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    fact_ids = [mention_id(str(d), s, e) for d, s, e in zip(
        events.column("doc_id").take(first_at).to_pylist(), events.column("start").take(first_at).to_pylist(),
        events.column("end").take(first_at).to_pylist(), strict=True)]
    table = pa.table({
        "doc_id": pc.fill_null(doc_ids, "None"), "published": published, "fact_id": fact_ids,
        "mentions": counts, **{name: columns[name] for name in FIGURE_FIELDS},
        "probes": probes, "blocks": blocks,
        "rows": pa.ListArray.from_arrays(pa.array(offsets), pa.array(order, pa.int64())),
    }, schema=PART_SCHEMA)
    return table, pa.array(fact_ids, text).take(pa.array(fact_of, pa.int64()))


def part_table(documents: Iterable[tuple[Document, list[int], int]]) -> pa.Table:
    """One row per fact of each document; ``rows`` are its mentions' rows in the shard's events
    (``which``: each of the document's rows' fact, the document's first row at ``start``)."""
    out: dict[str, list[Any]] = {name: [] for name in PART_SCHEMA.names}
    for document, which, start in documents:
        rows: list[list[int]] = [[] for _ in document.facts]
        for i, at in enumerate(which):
            rows[at].append(start + i)
        for fact, mentions in zip(document.facts, rows, strict=True):
            figure = fact.figure
            out["doc_id"].append(document.doc_id)
            out["published"].append(document.published)
            out["fact_id"].append(fact.fact_id)
            out["mentions"].append(fact.mentions)
            for name in FIGURE_FIELDS:
                out[name].append(getattr(figure, name))
            out["provinces"][-1] = "|".join(figure.provinces)
            out["probes"].append(list(fact.probes))
            out["blocks"].append(list(fact.blocks))
            out["rows"].append(mentions)
    return pa.table(out, schema=PART_SCHEMA)


class PartColumns:
    """A facts part read back, column by column (Python lists): one fact of a document a row.
    Figures are made only for the rows that need one (``figure``)."""

    def __init__(self, part: pa.Table):
        self.size = part.num_rows
        self.doc_id: list[str] = part.column("doc_id").to_pylist()
        self.published: list[str | None] = part.column("published").to_pylist()
        self.fact_id: list[str] = part.column("fact_id").to_pylist()
        self.mentions: list[int] = part.column("mentions").to_pylist()
        self.figures = [part.column(name).to_pylist() for name in FIGURE_FIELDS]
        (self.event_type, self.unit, self.value, _, _, _, self.provinces, _, _, self.period_start, self.period_end,
         self.n_total, self.n_incident, self.first_kind, self.sig) = self.figures
        self.probes: list[list[Block]] = part.column("probes").to_pylist()
        self.blocks_column = part.column("blocks")
        self.blocks: list[list[Block]] = self.blocks_column.to_pylist()
        self.day = [None if p is None else day(p) for p in self.published]

    def column(self, name: str) -> list[Any]:
        """A figure's attribute for every row (``kind`` as ``Figure.kind`` gives it)."""
        if name == "kind":
            return [Figure("", "", 0.0, n_total=t, n_incident=i, first_kind=k, sig=1).kind
                    for t, i, k in zip(self.n_total, self.n_incident, self.first_kind, strict=True)]
        if name == "provinces":
            return [tuple(p.split("|")) if p else () for p in self.provinces]
        return self.figures[FIGURE_FIELDS.index(name)]

    def values(self, row: int) -> list[Any]:
        """A row's figure's values, in the order of ``Figure``'s fields."""
        values = [column[row] for column in self.figures]
        values[6] = tuple(values[6].split("|")) if values[6] else ()
        return values

    def figure(self, row: int) -> Figure:
        """The figure of a row."""
        return Figure(*self.values(row))

    def documents(self) -> Iterator[tuple[int, int]]:
        """Each document's rows, ``start`` to ``end``."""
        doc_ids, size = self.doc_id, self.size
        start = 0
        while start < size:
            end = start + 1
            while end < size and doc_ids[end] == doc_ids[start]:
                end += 1
            yield start, end
            start = end
