"""The facts of a corpus, merged document by document in corpus order, kept on disk.

Mentions are merged within their document first, where the document is annotated
(``pipeline.factparts``: its facts, their figures and blocks); each document's facts are
then compared with the corpus's facts so far in the same blocks: event type, unit, value
(``FigureMatcher.value_key``), and time (the weeks the fact was reported in, and the period
it covers). Blocks live in a SQLite file beside the shards; the calling process holds the
blocks it used last, up to a fixed number, and reads the others back when a document needs
them, so its memory does not grow with the corpus.

A document's fact joins an earlier fact when the two figures match (``FigureMatcher``;
across documents, rounded values too when ``documents.rounded``), one was reported
within ``documents.window_days`` of the other (both dated: within
``dated_window_days``; one dated to a month or less: or the undated one within
``window_days`` after the other's period ends), and the match is corroborated: the figure is dated in both,
specific, or the two documents share several figures. A figure is compared with the last
``documents.candidates`` facts of each of its blocks, a bound on the work a mention costs.

Everything is decided in corpus order and fact ids are the id of a fact's first mention,
so the facts do not depend on how the corpus was cut into shards, on the number of
workers, the engine, or resumption. SQLite is the standard library's keyed store: no
index written by hand.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import groupby
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .factparts import Block, BlockKeys, PartColumns, collector_paused, documents_of_rows, part_table, recent_end
from .facts import PERIOD, Figure, FigureMatcher, iso, periods_agree
from .rules import FactsFile
from .schema import FACT_COLUMNS, arrow_table, facts_frame

DOCS_KEPT = 16  # documents remembered per fact for corroboration (a reprinted story shares its origin)
DAYS_KEPT = 32  # days a fact was reported on, remembered for the publication window
# blocks and their facts held in memory; the rest is read back from disk. A 20,000-document run
# fills it (2-3 turns of _Held), so a bigger corpus holds no more: measured, 25-35 MB of the
# caller's peak, and 1.3 s less CPU than 20,000 on the bench's synthetic corpus (fewer reads)
HELD_ENTRIES = 120_000
AGREEMENTS_KEPT = 65_536  # pairs of attributes remembered as agreeing or not (the cache is emptied when full)
KEYS_KEPT = 8_192  # attributes remembered with their number (``FactIndex._key_id``; a 20,000-document run
# meets about 5,000: a bigger corpus holds no more)
FIGURE_COLUMNS = ("event_type", "unit", "value", "qualifier", "item", "drug", "provinces", "scope", "operation",
                  "period_start", "period_end", "n_total", "n_incident", "first_kind", "sig")


@dataclass(slots=True)
class CorpusFact(Figure):
    """A fact of the corpus as the merging sees it: its figure (merged from its mentions so far),
    when and where it was reported. One object a fact: many are held."""

    seq: int = 0
    fact_id: str = ""
    days: tuple[int, ...] = ()  # the days it was reported on (ordinals, the first DAYS_KEPT)
    docs: tuple[str, ...] = ()  # the documents that reported it (the first DOCS_KEPT)
    new: bool = False  # not on disk yet (``FactIndex._write_states``)
    key: int | None = None  # the number of the attributes ``block`` compares (FactIndex._key_id), while unchanged

    def reported(self, doc_id: str, day: int | None) -> bool:
        """Count a report; return whether it is on a day not met before."""
        if len(self.docs) < DOCS_KEPT:
            self.docs += (doc_id,)
        if day is not None and day not in self.days and len(self.days) < DAYS_KEPT:
            self.days += (day,)
            return True
        return False


class _Filed:
    """Which blocks have ever had a fact filed: a Bloom filter (bits set by two hashes of the
    block), so that a probe of a block never filed costs no read from disk. It may answer
    "filed" for a block that is not (then the read finds it empty), never the reverse; its
    memory is fixed whatever the corpus. Asked and told a batch of blocks at a time (numpy)."""

    def __init__(self, bits: int = 1 << 25) -> None:
        self.mask = bits - 1
        self.bits = np.zeros(bits >> 3, np.uint8)

    def _where(self, blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return blocks & self.mask, (blocks >> 32) & self.mask

    def add(self, blocks: np.ndarray) -> None:
        for at in self._where(blocks):
            np.bitwise_or.at(self.bits, at >> 3, (1 << (at & 7)).astype(np.uint8))

    def which(self, blocks: np.ndarray) -> np.ndarray:
        """For each block, whether it may have been filed."""
        first, second = self._where(blocks)
        return ((self.bits[first >> 3] >> (first & 7)) & (self.bits[second >> 3] >> (second & 7)) & 1).astype(bool)


_Codes = tuple[int, tuple[Any, ...]]  # provinces as bits, the other attributes


class _AttributeCodes:
    """The attributes ``block`` compares, encoded so that ``FigureMatcher.agree_on`` (not strict)
    is a few integer and tuple tests: provinces as a bitmask (a bit for each province met, up
    to ``BITS``; "one set holds the other" is then "their intersection is one of them"), and
    ``scope``'s "unknown" as unstated. Hand-written: a 20,000-document run compares about
    160,000 pairs of attributes not remembered, and ``agree_on``'s sets cost several times more.
    Attributes it cannot encode (more provinces than bits, a province listed twice) give None:
    they are compared by ``agree_on``."""

    BITS: ClassVar[int] = 62

    def __init__(self, names: tuple[str, ...], nest: bool = False) -> None:
        self.provinces = names.index("provinces") if "provinces" in names else -1
        self.scope = names.index("scope") if "scope" in names else -1
        # with ``periods_nest``, where the periods are: compared as ``periods_agree`` compares them
        self.period = (names.index(PERIOD[0]), names.index(PERIOD[1])) \
            if nest and PERIOD[0] in names and PERIOD[1] in names else None
        self.bits: dict[str, int] = {}

    def encode(self, attributes: tuple[Any, ...]) -> _Codes | None:
        """The codes of a figure's attributes (``FactIndex._attributes_of``), or None."""
        values = list(attributes)
        mask = 0
        if self.provinces >= 0:
            provinces, values[self.provinces] = values[self.provinces], None
            if len(set(provinces)) != len(provinces):
                return None
            for province in provinces:
                bit = self.bits.get(province)
                if bit is None:
                    if len(self.bits) >= self.BITS:
                        return None
                    bit = self.bits[province] = 1 << len(self.bits)
                mask |= bit
        if self.scope >= 0 and values[self.scope] == "unknown":
            values[self.scope] = None
        return mask, tuple(values)

    def agree(self, first: _Codes, second: _Codes) -> bool:
        """``FigureMatcher.agree_on`` on two figures' codes."""
        one, other = first[0], second[0]
        if one and other and (one & other) not in (one, other):
            return False
        if all(a == b or a is None or b is None for a, b in zip(first[1], second[1], strict=True)):
            return True
        if self.period is None:
            return False
        at, to = self.period
        ours, theirs = first[1], second[1]
        return periods_agree(ours[at], ours[to], theirs[at], theirs[to]) \
            and all(a == b or a is None or b is None
                    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if i not in self.period)


class _Held:
    """Blocks held in memory, each with the last ``limit`` facts filed under it (by seq): all a
    figure is compared with. Two generations: the blocks used since the last turn, and those
    used in the one before; once the newer holds more than half of ``capacity`` entries, the
    older is dropped (its blocks are on disk, read back when probed again). Cheaper than a
    least-recently-used order kept block by block, for about the same blocks held."""

    def __init__(self, limit: int, capacity: int) -> None:
        self.limit = limit
        self.capacity = capacity
        self.current: dict[Block, dict[int, CorpusFact]] = {}
        self.previous: dict[Block, dict[int, CorpusFact]] = {}
        self.entries = 0  # blocks and facts in ``current``
        self.facts: dict[int, CorpusFact] = {}  # every fact held, each once
        self.probed: set[Block] = set()  # the blocks the batch in hand probes

    def take(self, probes: set[Block]) -> list[Block]:
        """Bring the probed blocks held into the newer generation; return those not held (in no
        order). Set operations: most probes are held in neither generation, and Python walks
        only the blocks that move."""
        current, previous = self.current, self.previous
        absent = probes.difference(current)
        moving = absent.intersection(previous)
        for block in moving:
            held = current[block] = previous.pop(block)
            self.entries += len(held) + 1
        return list(absent - moving)

    def hold(self, block: Block, facts: Iterable[CorpusFact]) -> None:
        """Hold ``block`` with its last facts, as read from disk."""
        held = self.current[block] = {fact.seq: fact for fact in facts}
        self.entries += len(held) + 1

    def file(self, fact: CorpusFact, blocks: Iterable[Block]) -> None:
        """``fact`` is filed under ``blocks``: update what is held. A block probed in this batch
        and empty on disk is held from its first fact. (A fact's blocks at once: most are held
        in neither generation, and a call a block cost more than the test.)"""
        current, previous, seq = self.current, self.previous, fact.seq
        for block in blocks:
            held = current.get(block)
            if held is None:
                held = previous.get(block)
                if held is None:
                    if block not in self.probed:
                        continue
                    held = current[block] = {}
                    self.entries += 1
            if seq not in held:
                held[seq] = fact
                self.facts[seq] = fact
                if len(held) > self.limit:
                    del held[min(held)]
                else:
                    self.entries += 1

    def turn(self) -> None:
        """After a batch: drop the older generation once the newer is full."""
        if self.entries > self.capacity // 2:
            self.previous, self.current, self.entries = self.current, {}, 0
            self.facts = {seq: fact for held in self.previous.values() for seq, fact in held.items()}


class FactIndex:
    """Corpus facts in a SQLite file (``":memory:"`` for a table in hand).

    ``add_part`` takes a shard's facts part (``pipeline.factparts``) and ``add_rows`` the event
    rows of whole documents, in corpus order, and return the corpus fact ids; ``add_reprint``
    records a document skipped as a duplicate text; ``tables`` and ``facts`` give the finished
    fact table.
    """

    def __init__(self, path: "str | Path", rules: FactsFile, capacity: int = HELD_ENTRIES):
        self.path = path
        self.keys = BlockKeys(rules)
        self.matcher = self.keys.matcher
        self.rules = rules
        if str(path) != ":memory:":
            Path(path).unlink(missing_ok=True)  # left by a run that was stopped: this run merges everything again
        self._db = sqlite3.connect(str(path), isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        # a fact's figure, days and documents as one value (marshal: the standard library's
        # fastest serialiser; the file lives as long as the run); kind, series and period end
        # for the SQL that chains totals
        self._db.execute("CREATE TABLE facts (seq INTEGER PRIMARY KEY, fact_id TEXT NOT NULL, kind TEXT, "
                         "series TEXT, period_end TEXT, state BLOB)")
        self._db.execute("CREATE TABLE blocks (block INTEGER, seq INTEGER, PRIMARY KEY (block, seq)) WITHOUT ROWID")
        self._db.execute("CREATE TABLE fact_docs (seq INTEGER, doc_id TEXT, published TEXT, mentions INTEGER)")
        self._db.execute("CREATE TABLE reprints (doc_id TEXT, same_as TEXT, published TEXT)")
        self._db.execute("CREATE TEMP TABLE probes (block INTEGER PRIMARY KEY)")
        self._db.execute("CREATE TEMP TABLE wanted (seq INTEGER PRIMARY KEY)")
        self._db.execute("BEGIN")
        self.next_seq = 0
        self.finished = False
        self.held = _Held(rules.documents.candidates, capacity)
        self.filed = _Filed()
        self._touched: dict[int, CorpusFact] = {}  # facts started or changed in the batch in hand
        # facts started or changed since their state was last written: written a few times a run
        # (``_write_states``), not each batch they change in; a fact is read from here, not disk
        self._unwritten: dict[int, CorpusFact] = {}
        self._refiled: list[tuple[Block, int]] = []  # blocks facts met before are filed under anew
        self._block_names = tuple(rules.block)
        # for a figure's attributes' number, the numbers of facts' attributes: whether they agree
        self._agree: dict[int, dict[int, bool]] = {}
        self._agreed = 0  # pairs in ``_agree``
        self._key_ids: dict[tuple[Any, ...], int] = {}
        self._key_attributes: dict[int, tuple[Any, ...]] = {}  # the other way round
        self._codes = _AttributeCodes(self._block_names, rules.periods_nest)
        self._key_codes: dict[int, _Codes | None] = {}  # ... and encoded (``_AttributeCodes``)
        self._series_names = tuple(rules.series)
        self._series_of = _getter(self._series_names)
        self._attributes_of = _getter(self._block_names)  # FigureMatcher.attributes in one call
        self._next_key = 0
        self._window, self._dated_window = rules.documents.window_days, rules.documents.dated_window_days
        self._rounded = rules.documents.rounded

    # -- merging --------------------------------------------------------------------------
    def add_part(self, part: pa.Table) -> list[str]:
        """Merge a shard's facts part (its documents in corpus order) into the corpus facts;
        return the corpus fact id of each of its rows."""
        with collector_paused():
            return self._add_part(part)

    def _add_part(self, part: pa.Table) -> list[str]:
        rows = PartColumns(part)
        probes = pc.unique(pc.list_flatten(part.column("probes"))).to_numpy()
        self._read(probes)
        attributes = list(zip(*(rows.column(name) for name in self._block_names), strict=True)) \
            if self._block_names else [()] * rows.size
        keys = [self._key_id(key) for key in attributes]
        ids = list(rows.fact_id)
        seqs = [0] * rows.size
        started = np.zeros(rows.size, bool)  # the rows that start a corpus fact
        for start, end in rows.documents():
            self._merge(rows, keys, attributes, start, end, ids, seqs, started)
        self._flush(rows, seqs, started)
        self.held.turn()
        if len(self._unwritten) >= self.held.capacity // 4:  # a bound on the facts kept for it
            self._write_states()
        return ids

    def add_rows(self, rows: Sequence[Mapping[str, Any]]) -> list[str]:
        """Merge the event rows of whole documents (in corpus order, each document's rows
        together and in text order) into the corpus facts; return each row's fact id.

        A row's ``fact_id``, when set, is its fact within its document (the facts component
        sets it); otherwise the document's rows are merged here.
        """
        documents, bases, start, base = [], [], 0, 0
        for document, which in documents_of_rows(rows, self.keys):
            documents.append((document, which, start))
            bases.append(base)  # its first fact's row in the part
            start += len(which)
            base += len(document.facts)
        ids = self.add_part(part_table(documents))
        return [ids[base + i] for (_, which, _), base in zip(documents, bases, strict=True) for i in which]

    def add_reprint(self, doc_id: str, same_as: str, published: str | None) -> None:
        """``doc_id`` has the text of ``same_as``: its mentions are those of ``same_as``."""
        self._db.execute("INSERT INTO reprints VALUES (?, ?, ?)", (doc_id, same_as, iso(published)))

    # -- blocks ---------------------------------------------------------------------------
    def _read(self, probes: np.ndarray) -> None:
        """Hold every block this batch probes: those not held are read from disk (the last
        ``candidates`` facts of each) if a fact was ever filed under them."""
        held = self.held
        held.probed = set(probes.tolist())
        missing = np.asarray(held.take(held.probed), np.int64)
        wanted = missing[self.filed.which(missing)].tolist()
        if not wanted:
            return
        db = self._db
        db.execute("DELETE FROM probes")
        db.executemany("INSERT INTO probes VALUES (?)", ((block,) for block in wanted))
        # the last facts filed under each block: those from the ``candidates``-th last seq on (a
        # CROSS JOIN keeps the probes outermost: else SQLite scans every block filed, each batch)
        filed = db.execute("SELECT p.block, b.seq FROM probes p CROSS JOIN blocks b ON b.block = p.block AND b.seq >= "
                           "COALESCE((SELECT c.seq FROM blocks c WHERE c.block = p.block ORDER BY c.seq DESC "
                           "LIMIT 1 OFFSET ?), -1) ORDER BY b.seq", (self.rules.documents.candidates - 1,)).fetchall()
        facts, unwritten = held.facts, self._unwritten
        unknown: set[int] = set()
        for _, seq in filed:
            if seq not in facts:
                fact = unwritten.get(seq)
                if fact is None:
                    unknown.add(seq)
                else:  # its state on disk is older
                    facts[seq] = fact
        if unknown:
            db.execute("DELETE FROM wanted")
            db.executemany("INSERT INTO wanted VALUES (?)", ((seq,) for seq in unknown))
            for seq, fact_id, state in db.execute("SELECT f.seq, f.fact_id, f.state FROM wanted w "
                                                  "JOIN facts f ON f.seq = w.seq"):
                facts[seq] = _thawed(seq, fact_id, state)
        found: dict[Block, list[CorpusFact]] = {block: [] for block in wanted}
        for block, seq in filed:
            found[block].append(facts[seq])
        for block, stored_facts in found.items():
            held.hold(block, stored_facts)

    # -- deciding -------------------------------------------------------------------------
    def _near_in_time(self, dated: bool, other: CorpusFact, today: int | None, ended: int | None = None) -> bool:
        """Whether two reports are close enough in time to be of one figure (``today``: the
        report's day, an ordinal; ``dated``: whether its figure has a period; ``ended``: the day
        that period ends, an ordinal)."""
        if dated and other.dated:  # a dated figure: restated within the long window
            if today is None or not other.days:
                return True
            days = self._dated_window
            first, last = min(other.days), max(other.days)
            return abs(today - first) <= days or abs(today - last) <= days or first <= today <= last
        if self._told_after(dated, ended, today, other):
            return True
        if today is None:
            return False
        window = self._window
        return any(-window <= today - day <= window for day in other.days)

    def _told_after(self, dated: bool, ended: int | None, today: int | None, other: CorpusFact) -> bool:
        """Whether one of two reports is undated and made within ``window_days`` after the short
        period the other dates the figure to ended ("2.06 tonnes" reported on June 4, "in May" by
        a report of July), whichever comes first in the corpus. ``dated``, ``ended`` (an ordinal,
        ``factparts.recent_end``) and ``today``: the figure in hand's."""
        window = self._window
        if dated:
            return ended is not None and not other.dated and any(0 <= day - ended <= window for day in other.days)
        if today is None or not other.dated:
            return False
        end = recent_end(other.period_start, other.period_end, self.keys.incident_days)
        return end is not None and 0 <= today - end <= window

    def _candidates(self, rows: PartColumns, key: int, attributes: tuple[Any, ...], row: int,
                    today: int | None) -> list[tuple[tuple[Any, ...], CorpusFact]]:
        """The corpus facts a part's row matches, close enough in time, with a rank each."""
        current = self.held.current
        near: dict[int, CorpusFact] | None = None
        merged = False  # whether ``near`` is a copy (else it is the one block's own dict: read only here)
        for probe in current.keys() & rows.probes[row]:  # in C: most probes are held in no block
            held = current[probe]
            if held:
                if near is None:
                    near = held
                elif merged:
                    near.update(held)
                else:
                    near, merged = {**near, **held}, True
        if near is None:
            return []
        found: list[tuple[tuple[Any, ...], CorpusFact]] = []
        value = rows.value[row]
        scale = max(abs(value), 1e-12)
        dated = rows.period_start[row] is not None or rows.period_end[row] is not None
        ended = recent_end(rows.period_start[row], rows.period_end[row], self.keys.incident_days)
        # ``FigureMatcher.match``, cheapest test first (this loop runs for every fact held in the
        # blocks a figure probes): the attributes ``block`` compares, as numbers (``_key_id``), type
        # and unit, then the value; only a value that may be a rounding of the other's (with
        # ``documents.rounded``) takes the matcher's full test; then the time
        equal, event_type, unit = self.matcher.equal, rows.event_type[row], rows.unit[row]
        rounded, tolerance, sig = self._rounded, self.matcher.rounded, rows.sig[row]
        figure: Figure | None = None
        size = abs(value)
        agreed = self._agreements(key)
        for other in near.values():
            known = other.key
            if known is None:
                known = other.key = self._key_id(self._attributes_of(other))
            if known != key:
                agree = agreed.get(known)
                if agree is None:
                    agree = agreed[known] = self._agreement(other, key, attributes)
                    self._agreed += 1
                if not agree:
                    continue
            if other.event_type != event_type or other.unit != unit:
                continue
            gap = abs(other.value - value)
            larger = max(abs(other.value), size)
            if gap > equal * larger:
                if not rounded or gap > tolerance * larger or other.sig == sig:
                    continue
                if figure is None:
                    figure = rows.figure(row)
                if self.matcher.match(other, figure, partial(self._agreed_open, known, key, other, figure)) is None:
                    continue  # not a rounding, or block_when_rounded
                how_equal = False
            else:
                how_equal = True
            if self._near_in_time(dated, other, today, ended):
                found.append(((not how_equal, gap / scale, other.seq), other))
        return found

    def _agreed_open(self, known: int, key: int, other: CorpusFact, figure: Figure, closed: bool) -> bool:
        """``FigureMatcher.agree`` on ``block`` of a fact (its attributes' number ``known``) and a
        figure (``key``) already found to agree (``_agreement``: with ``closed``): remembered for
        the pair of numbers when not ``closed``, as ``_agree`` is (a rounding is tested this way
        about 50,000 times in a 20,000-document run)."""
        if closed or known == key:
            return True
        agreed = self._agreements(key)
        pair = ~known  # beside ``_agree``'s own entries, which are the numbers themselves
        agree = agreed.get(pair)
        if agree is None:
            agree = agreed[pair] = self.matcher.agree(other, figure, self.matcher.block, closed=False)
            self._agreed += 1
        return agree

    def _key_id(self, attributes: tuple[Any, ...]) -> int:
        """A number for the attributes ``block`` compares: equal attributes, equal numbers while
        they are remembered (``KEYS_KEPT``; then new numbers are given, never one used before)."""
        ids = self._key_ids
        known = ids.get(attributes)
        if known is None:
            if len(ids) >= KEYS_KEPT:
                ids.clear()
                self._key_attributes.clear()
                self._key_codes.clear()
            known = ids[attributes] = self._next_key
            self._key_attributes[known] = attributes
            self._key_codes[known] = self._codes.encode(attributes)
            self._next_key += 1
        return known

    def _agreements(self, key: int) -> dict[int, bool]:
        """What is remembered of the attributes numbered ``key``: for other attributes' numbers,
        whether the two agree (a dict a figure's attributes: a pair is one lookup). Emptied when
        ``AGREEMENTS_KEPT`` pairs are remembered."""
        if self._agreed >= AGREEMENTS_KEPT:
            self._agree.clear()
            self._agreed = 0
        agreed = self._agree.get(key)
        if agreed is None:
            agreed = self._agree[key] = {}
        return agreed

    def _agreement(self, other: CorpusFact, key: int, attributes: tuple[Any, ...]) -> bool:
        """Whether a fact's attributes agree with a figure's (``FigureMatcher.agree_on``; encoded,
        ``_AttributeCodes``, when both can be). ``key``: the figure's attributes' number."""
        codes = self._key_codes
        if other.key in codes:
            known, theirs = self._key_attributes[other.key], codes[other.key]  # type: ignore[index]
        else:  # numbered before the numbers were given anew
            known = self._attributes_of(other)
            theirs = self._codes.encode(known)
        ours = codes[key] if key in codes else self._codes.encode(attributes)
        if theirs is not None and ours is not None:
            return self._codes.agree(theirs, ours)
        return FigureMatcher.agree_on(self._block_names, known, attributes, nest=self.rules.periods_nest)

    def _merge(self, rows: PartColumns, keys: list[int], attributes: list[tuple[Any, ...]], start: int, end: int,
               ids: list[str], seqs: list[int], started: np.ndarray) -> None:
        """Join each fact of the document at rows ``start`` to ``end`` to a corpus fact, or start
        a new one; set their ids and seqs."""
        docs = self.rules.documents
        doc_id, today = rows.doc_id[start], rows.day[start]
        options = [self._candidates(rows, keys[row], attributes[row], row, today) for row in range(start, end)]
        chosen: dict[int, CorpusFact] = {}
        if any(options):
            shared: dict[str, int] | None = None  # counted when a match is not corroborated otherwise
            ranked = []
            for i, found in enumerate(options):
                row = start + i
                dated = rows.period_start[row] is not None or rows.period_end[row] is not None
                ended = recent_end(rows.period_start[row], rows.period_end[row], self.keys.incident_days)
                for rank, other in found:
                    specific = min(rows.sig[row], other.sig) >= docs.specific_digits
                    # corroborated: specific, dated in both (or one dated just before the other's
                    # report: "more than 2 tonnes ... in August" and an undated 2.06 tonnes of
                    # September 4), or one of several figures the documents share
                    if specific or (dated and other.dated) or self._told_after(dated, ended, today, other):
                        ranked.append((rank, i, other))
                        continue
                    if shared is None:
                        shared = _shared(options)
                    if any(shared.get(d, 0) >= docs.shared_figures for d in other.docs):
                        ranked.append((rank, i, other))
            ranked.sort(key=lambda r: (r[0], r[1]))
            taken: set[int] = set()
            for _, i, other in ranked:
                if i in chosen or other.seq in taken:
                    continue
                chosen[i] = other
                taken.add(other.seq)
        held, touched = self.held, self._touched
        for i in range(end - start):
            row = start + i
            target = chosen.get(i)
            if target is None:  # a new fact, filed where the worker placed it
                target = _fact(rows.values(row), self.next_seq, rows.fact_id[row],
                               () if today is None else (today,), (doc_id,))
                target.new = True
                self.next_seq += 1
                started[row] = True
                held.file(target, rows.blocks[row])
            else:
                figure = target
                before = (figure.value, figure.sig, figure.period_start, figure.period_end)
                figure.absorb(rows.figure(row))
                target.key = None
                new_day = target.reported(doc_id, today)
                changed = (figure.value, figure.sig, figure.period_start, figure.period_end) != before
                if changed or (new_day and not self.keys.same_week(today, target.days[:-1])):
                    # its value or period changed, or reported in a new week: filed anew (a new
                    # day in a week it was reported in before adds no block: most reprints)
                    self._refile(target, before, target.days[:-1] if new_day else target.days)
            touched[target.seq] = target
            ids[row] = target.fact_id
            seqs[row] = target.seq

    def _refile(self, fact: CorpusFact, before: tuple[float, int, str | None, str | None],
                days: tuple[int, ...]) -> None:
        """File a fact that changed under the blocks it was not filed under before (``before``:
        its value, sig and period then; ``days``: the days it was reported on then)."""
        keys = self.keys
        blocks = keys.filed(fact.event_type, fact.unit, fact.value, fact.sig, fact.period_start, fact.period_end,
                            fact.days) - keys.filed(fact.event_type, fact.unit, *before, days)
        self.held.file(fact, blocks)
        self._refiled += ((block, fact.seq) for block in blocks)

    def _write_states(self) -> None:
        """Write the facts started or changed since the last time (``_unwritten``): each once,
        however many batches changed it (in a 20,000-document run, 36,000 updates a batch at a
        time)."""
        created, changed = [], []
        names, series_of = self._series_names, self._series_of
        for fact in self._unwritten.values():
            kind = fact.kind  # only totals have a series (the finished table takes it from theirs)
            values = (kind, _series_text(names, series_of(fact)) if kind == "total" else None, fact.period_end,
                      _frozen(fact))
            if fact.new:
                created.append((fact.seq, fact.fact_id, *values))
                fact.new = False
            else:
                changed.append((*values, fact.seq))
        db = self._db
        db.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?)", sorted(created))
        db.executemany("UPDATE facts SET kind = ?, series = ?, period_end = ?, state = ? WHERE seq = ?", changed)
        self._unwritten.clear()

    def _flush(self, rows: PartColumns, seqs: list[int], started: np.ndarray) -> None:
        """Write what this batch did: the blocks the facts it started or changed are filed under,
        and each document's report of its facts (their states later: ``_write_states``)."""
        self._unwritten.update(self._touched)
        db = self._db
        # the blocks new facts start under (each row of the part that started one)
        blocks = rows.blocks_column
        parents = pc.list_parent_indices(blocks).to_numpy()
        filed = pc.list_flatten(blocks).to_numpy()
        seq = np.asarray(seqs, np.int64)
        keep = started[parents]
        refiled = np.asarray(self._refiled, np.int64).reshape(-1, 2)
        pairs = np.concatenate([np.stack([filed[keep], seq[parents][keep]], axis=1), refiled])
        # in key order: each page of the table's B-tree is met once a batch, not once a row
        pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        db.executemany("INSERT OR IGNORE INTO blocks VALUES (?, ?)", pairs.tolist())
        self.filed.add(pairs[:, 0])
        db.executemany("INSERT INTO fact_docs VALUES (?, ?, ?, ?)",
                       zip(seqs, rows.doc_id, rows.published, rows.mentions, strict=True))
        self._touched.clear()
        self._refiled.clear()

    # -- the fact table -----------------------------------------------------------------------
    def _columns(self, chunk: int) -> Iterator[dict[str, list[Any]]]:
        """The finished fact table in order of first mention, ``chunk`` rows at a time, column
        by column: mention and document counts (reprints included), publication dates, series
        and successor."""
        if not self.finished:
            self._finish()
        query = ("SELECT f.seq, f.fact_id, f.kind, f.state, a.n_mentions, a.n_docs, a.first, a.last, s.series, "
                 "s.superseded_by FROM facts f JOIN agg a ON a.seq = f.seq LEFT JOIN series s ON s.seq = f.seq "
                 "ORDER BY f.seq")
        documents = groupby(self._db.execute("SELECT seq, doc_id FROM fact_docs ORDER BY seq, rowid"),
                            key=itemgetter(0))
        records = self._db.execute(query)
        while True:
            with collector_paused():
                columns = self._chunk(records.fetchmany(chunk), documents)
            if columns is None:
                return
            yield columns

    @staticmethod
    def _chunk(rows: list[tuple[Any, ...]],
               documents: Iterator[tuple[int, Iterator[tuple[int, str]]]]) -> dict[str, list[Any]] | None:
        """One chunk of the fact table from its rows and its facts' reports."""
        if not rows:
            return None
        seqs, fact_ids, kinds, states, n_mentions, n_docs, first, last, series, successors = zip(*rows, strict=True)
        figures = list(zip(*(marshal.loads(state) for state in states), strict=True))
        columns = {"fact_id": list(fact_ids)}
        for name in ("event_type", "value", "unit", "qualifier", "item", "drug", "provinces", "scope", "operation",
                     "period_start", "period_end"):
            columns[name] = list(figures[FIGURE_COLUMNS.index(name)])
        columns["provinces"] = [list(p) for p in columns["provinces"]]
        columns.update(kind=list(kinds), n_mentions=list(n_mentions), n_docs=list(n_docs), first_published=list(first),
                       last_published=list(last), series=list(series), superseded_by=list(successors))
        # every fact has its reports (its first among them): one group of documents a fact, in order
        columns["doc_ids"] = [[doc_id for _, doc_id in reports]
                              for _, (_, reports) in zip(seqs, documents)]  # noqa: B905 - more groups to come
        return columns

    def facts(self, chunk: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        """The finished fact rows in order of first mention, ``chunk`` at a time (dates as
        ISO strings, provinces and documents as lists)."""
        for columns in self._columns(chunk):
            names = list(columns)
            yield [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]

    def tables(self, chunk: int = 10_000) -> Iterator[pa.Table]:
        """The finished fact table, ``chunk`` rows at a time, in the declared schema (``FACT_COLUMNS``)."""
        for columns in self._columns(chunk):
            with collector_paused():
                table = arrow_table(columns, FACT_COLUMNS)
            yield table

    def _finish(self) -> None:
        """Reprints become mentions of their original's facts; count, date and chain the facts."""
        self._write_states()
        self.held = _Held(self.held.limit, self.held.capacity)  # nothing more is merged: let the facts go
        self._agree.clear()
        self._agreed = 0
        db = self._db
        db.execute("CREATE INDEX fact_docs_doc ON fact_docs (doc_id)")
        db.execute("INSERT INTO fact_docs SELECT d.seq, r.doc_id, r.published, d.mentions FROM reprints r "
                   "JOIN fact_docs d ON d.doc_id = r.same_as ORDER BY r.rowid, d.rowid")
        db.execute("CREATE INDEX fact_docs_seq ON fact_docs (seq)")
        db.execute("CREATE TABLE agg AS SELECT seq, SUM(mentions) AS n_mentions, COUNT(*) AS n_docs, "
                   "MIN(published) AS first, MAX(published) AS last FROM fact_docs GROUP BY seq")
        db.execute("CREATE UNIQUE INDEX agg_seq ON agg (seq)")
        db.execute("CREATE TABLE totals AS SELECT f.seq, f.fact_id, f.series, "
                   "COALESCE(f.period_end, a.first) AS series_end, a.first AS first "
                   "FROM facts f JOIN agg a ON a.seq = f.seq WHERE f.kind = 'total'")
        db.execute("CREATE INDEX totals_series ON totals (series, series_end, first, seq)")
        # the next total of the series: the first to end later (totals ending together are
        # parts or restatements of one figure, not one after the other)
        db.execute("CREATE TABLE series AS SELECT t.seq, t.series, (SELECT u.fact_id FROM totals u "
                   "WHERE u.series = t.series AND u.series_end > t.series_end "
                   "ORDER BY u.series_end, u.first, u.seq LIMIT 1) AS superseded_by FROM totals t")
        db.execute("CREATE UNIQUE INDEX series_seq ON series (seq)")
        self.finished = True

    def close(self) -> None:
        """Forget everything: the file is removed."""
        self._db.close()
        if str(self.path) != ":memory:":
            Path(self.path).unlink(missing_ok=True)


def _shared(options: list[list[tuple[tuple[Any, ...], CorpusFact]]]) -> dict[str, int]:
    """How many of a document's facts (their candidates, ``options``) each earlier document shares."""
    shared: dict[str, int] = defaultdict(int)
    for found in options:
        for doc in {d for _, other in found for d in other.docs}:
            shared[doc] += 1
    return shared


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of ``names`` of an object as a tuple, in one call (operator's getter gives a
    value, not a tuple, for one name)."""
    if len(names) > 1:
        return attrgetter(*names)
    return lambda figure: tuple(getattr(figure, name) for name in names)


_STATE = attrgetter(*FIGURE_COLUMNS, "days", "docs")  # what is stored of a fact, as a tuple made in C


def _frozen(fact: CorpusFact) -> bytes:
    """A fact's figure, days and documents as stored (marshal's version 2: no references, faster)."""
    return marshal.dumps(_STATE(fact), 2)


def _thawed(seq: int, fact_id: str, state: bytes) -> CorpusFact:
    """A fact as stored (``_frozen``)."""
    *figure, days, docs = marshal.loads(state)
    return _fact(figure, seq, fact_id, days, docs)


def _fact(figure: list[Any], seq: int, fact_id: str, days: tuple[int, ...], docs: tuple[str, ...]) -> CorpusFact:
    """A corpus fact of a figure's values (in the order of ``Figure``'s fields)."""
    fact = CorpusFact(*figure)
    fact.seq, fact.fact_id, fact.days, fact.docs = seq, fact_id, days, docs
    return fact


@lru_cache(maxsize=4_096)  # a total's series is made each time it changes: most are met before
def _series_text(names: tuple[str, ...], values: tuple[Any, ...]) -> str:
    """What makes totals one series (the ``values`` of ``names``), as "event_type=arrest;unit=count;provinces=CN-YN"."""
    pairs = ((name, "|".join(value) if name == "provinces" else value)
             for name, value in zip(names, values, strict=True))
    return "".join(f"{name}={value};" for name, value in pairs if value).rstrip(";")


def facts_of(rows: Iterable[Mapping[str, Any]], rules: FactsFile,
             reprints: Iterable[tuple[str, str, str | None]] = ()) -> tuple[list[str], list[dict[str, Any]]]:
    """Each row's fact id and the fact rows of event rows in hand (documents together, in order),
    merged as a corpus run merges them."""
    index = FactIndex(":memory:", rules)
    try:
        ids = index.add_rows(list(rows))
        for reprint in reprints:
            index.add_reprint(*reprint)
        facts = [row for chunk in index.facts() for row in chunk]
    finally:
        index.close()
    return ids, facts


def merge_events(events: pd.DataFrame, rules: FactsFile) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An event table in hand with its corpus fact ids, and its fact table (both declared schemas)."""
    ids, facts = facts_of(events.to_dict("records"), rules)
    events = events.copy()
    events["fact_id"] = pd.Series(ids, dtype="string", index=events.index)
    return events, facts_frame(facts)
