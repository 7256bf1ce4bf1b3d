"""The facts of a corpus, merged document by document in corpus order, kept on disk.

Mentions are merged within their document first, where the document is annotated
(``pipeline.factparts``: its facts, their figures and blocks); each document's facts are
then compared with the corpus's facts so far in the same blocks: event type, unit, value
(``FigureMatcher.value_key``), and time (the weeks the fact was reported in, and the period
it covers). Blocks live in a SQLite file beside the shards; the calling process holds the
blocks it used last, up to a fixed number, and reads the others back when a document needs
them, so its memory does not grow with the corpus.

A document's fact joins an earlier fact when the two figures match (``FigureMatcher``;
across documents, equal values only unless ``documents.rounded``), one was reported
within ``documents.window_days`` of the other (both dated: within
``dated_window_days``), and the match is corroborated: the figure is dated in both,
specific, or the two documents share several figures. A figure is compared with the last
``documents.candidates`` facts of each of its blocks, a bound on the work a mention costs.

Everything is decided in corpus order and fact ids are the id of a fact's first mention,
so the facts do not depend on how the corpus was cut into shards, on the number of
workers, the engine, or resumption. SQLite is the standard library's keyed store: no
index written by hand.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from .factparts import Block, BlockKeys, Document, day, documents_of_rows, read_part
from .facts import EQUAL, DocumentFact, Figure, iso
from .rules import FactsFile
from .schema import FACT_COLUMNS, arrow_table, facts_frame

DOCS_KEPT = 16  # documents remembered per fact for corroboration (a reprinted story shares its origin)
DAYS_KEPT = 32  # days a fact was reported on, remembered for the publication window
HELD_ENTRIES = 20_000  # blocks and their entries held in memory (some 15 MB); the rest is read back from disk
AGREEMENTS_KEPT = 65_536  # pairs of attributes remembered as agreeing or not (the cache is emptied when full)
SEP = "\x1f"
FIGURE_COLUMNS = ("event_type", "unit", "value", "qualifier", "item", "drug", "provinces", "scope", "operation",
                  "period_start", "period_end", "n_total", "n_incident", "first_kind", "sig")


@dataclass(slots=True)
class CorpusFact:
    """A fact of the corpus as the merging sees it: its figure, when and where it was reported."""

    seq: int
    fact_id: str
    figure: Figure
    days: list[int] = field(default_factory=list)  # the days it was reported on (ordinals, the first DAYS_KEPT)
    docs: list[str] = field(default_factory=list)
    new: bool = False
    key: Any = None  # the figure's attributes that ``block`` compares (FactIndex._key), while unchanged

    def reported(self, doc_id: str, day: int | None) -> bool:
        """Count a report; return whether it is on a day not met before."""
        if len(self.docs) < DOCS_KEPT:
            self.docs.append(doc_id)
        if day is not None and day not in self.days and len(self.days) < DAYS_KEPT:
            self.days.append(day)
            return True
        return False


class _Filed:
    """Which blocks have ever had a fact filed: a Bloom filter (bits set by two hashes of the
    block), so that a probe of a block never filed costs no read from disk. It may answer
    "filed" for a block that is not (then the read finds it empty), never the reverse; its
    memory is fixed (``BLOOM_BITS``) whatever the corpus."""

    def __init__(self, bits: int = 1 << 25) -> None:
        self.mask = bits - 1
        self.bits = bytearray(bits >> 3)

    def _where(self, block: Block) -> tuple[int, int]:
        return block & self.mask, (block >> 32) & self.mask

    def add(self, block: Block) -> None:
        for i in self._where(block):
            self.bits[i >> 3] |= 1 << (i & 7)

    def __contains__(self, block: Block) -> bool:
        return all(self.bits[i >> 3] >> (i & 7) & 1 for i in self._where(block))


class _Resident:
    """Blocks held in memory, each with the last ``limit`` facts filed under it (in corpus
    order): all a figure is compared with. Blocks not used for longest are dropped once more
    than ``capacity`` blocks and entries are held: they are on disk, and read back when
    probed again."""

    def __init__(self, limit: int, capacity: int) -> None:
        self.limit = limit
        self.capacity = capacity
        self.blocks: OrderedDict[Block, dict[int, CorpusFact]] = OrderedDict()
        self.facts: dict[int, CorpusFact] = {}  # the facts some held block has
        self.refs: dict[int, int] = defaultdict(int)
        self.entries = 0
        self.probed: set[Block] = set()  # the blocks the batch in hand probes

    def __contains__(self, block: Block) -> bool:
        return block in self.blocks

    def hold(self, block: Block, facts: Iterable[CorpusFact]) -> None:
        """Hold ``block`` with its last facts, as read from disk."""
        held = self.blocks[block] = {}
        self.entries += 1  # the block itself
        for fact in facts:
            self._put(held, fact)

    def file(self, fact: CorpusFact, block: Block) -> None:
        """``fact`` is filed under ``block``: update what is held. A block probed in this batch
        and empty on disk is held from its first fact."""
        held = self.blocks.get(block)
        if held is None and block in self.probed:
            held = self.blocks[block] = {}
            self.entries += 1
        if held is not None and fact.seq not in held:
            self._put(held, fact)
            if len(held) > self.limit:
                self._drop(held, min(held))

    def used(self, probes: Iterable[Block]) -> None:
        for probe in probes:
            if probe in self.blocks:
                self.blocks.move_to_end(probe)

    def shrink(self) -> None:
        """Drop the blocks used longest ago while more than ``capacity`` entries are held."""
        while self.entries > self.capacity and self.blocks:
            _, held = self.blocks.popitem(last=False)
            self.entries -= 1
            for seq in list(held):
                self._drop(held, seq)

    def _put(self, held: dict[int, CorpusFact], fact: CorpusFact) -> None:
        held[fact.seq] = self.facts.setdefault(fact.seq, fact)
        self.refs[fact.seq] += 1
        self.entries += 1

    def _drop(self, held: dict[int, CorpusFact], seq: int) -> None:
        del held[seq]
        self.entries -= 1
        self.refs[seq] -= 1
        if not self.refs[seq]:
            del self.refs[seq], self.facts[seq]


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
        self._db.execute(
            "CREATE TABLE facts (seq INTEGER PRIMARY KEY, fact_id TEXT NOT NULL, "
            + ", ".join(FIGURE_COLUMNS) + ", days TEXT, docs TEXT)")
        self._db.execute("CREATE TABLE blocks (block INTEGER, seq INTEGER, PRIMARY KEY (block, seq)) WITHOUT ROWID")
        self._db.execute("CREATE TABLE fact_docs (seq INTEGER, doc_id TEXT, published TEXT, mentions INTEGER)")
        self._db.execute("CREATE TABLE reprints (doc_id TEXT, same_as TEXT, published TEXT)")
        self._db.execute("CREATE TEMP TABLE probes (block INTEGER PRIMARY KEY)")
        self._db.execute("BEGIN")
        self.next_seq = 0
        self.finished = False
        self.held = _Resident(rules.documents.candidates, capacity)
        self.filed = _Filed()
        self._touched: dict[int, CorpusFact] = {}  # facts started or changed since the last flush
        self._reports: list[tuple[int, str, str | None, int]] = []
        self._blocks: list[tuple[Block, int]] = []
        names = [n for n in rules.block]
        self._key = attrgetter(*names) if names else (lambda figure: ())
        self._agree: dict[tuple[Any, Any], bool] = {}

    # -- merging --------------------------------------------------------------------------
    def add_part(self, part: pa.Table) -> list[str]:
        """Merge a shard's facts part (its documents in corpus order) into the corpus facts;
        return the corpus fact id of each of its rows."""
        return [fact_id for ids in self.add_documents(read_part(part)) for fact_id in ids]

    def add_rows(self, rows: Sequence[Mapping[str, Any]]) -> list[str]:
        """Merge the event rows of whole documents (in corpus order, each document's rows
        together and in text order) into the corpus facts; return each row's fact id.

        A row's ``fact_id``, when set, is its fact within its document (the facts component
        sets it); otherwise the document's rows are merged here.
        """
        documents = list(documents_of_rows(rows, self.keys))
        out: list[str] = []
        for (_, which), ids in zip(documents, self.add_documents([d for d, _ in documents]), strict=True):
            out.extend(ids[i] for i in which)
        return out

    def add_documents(self, documents: Sequence[Document]) -> list[list[str]]:
        """Merge whole documents, in corpus order, with their facts placed
        (``BlockKeys.place``); return the corpus fact id of each of each document's facts."""
        probes = self._read(documents)
        out = [self._merge(document) for document in documents]
        self._flush()
        self.held.used(probes)
        self.held.shrink()
        return out

    def add_reprint(self, doc_id: str, same_as: str, published: str | None) -> None:
        """``doc_id`` has the text of ``same_as``: its mentions are those of ``same_as``."""
        self._db.execute("INSERT INTO reprints VALUES (?, ?, ?)", (doc_id, same_as, iso(published)))

    # -- blocks ---------------------------------------------------------------------------
    def _read(self, documents: Sequence[Document]) -> set[Block]:
        """Hold every block these documents probe: those not held are read from disk (the last
        ``candidates`` facts of each). Returns the blocks probed."""
        probes: set[Block] = set()
        for document in documents:
            for fact in document.facts:
                probes.update(fact.probes)
        held, blocks, bits, mask = self.held, self.held.blocks, self.filed.bits, self.filed.mask
        held.probed = probes
        # blocks not held that a fact was ever filed under (the Bloom filter, inlined: it is
        # asked for every block probed)
        wanted = [(block,) for block in probes if block not in blocks
                  and bits[(block & mask) >> 3] >> (block & 7) & 1
                  and bits[((block >> 32) & mask) >> 3] >> ((block >> 32) & 7) & 1]
        found: dict[Block, list[CorpusFact]] = {block: [] for block, in wanted}
        if wanted:
            self._db.execute("DELETE FROM probes")
            self._db.executemany("INSERT INTO probes VALUES (?)", wanted)
            query = (f"SELECT r.block, f.seq, f.fact_id, {', '.join(f'f.{c}' for c in FIGURE_COLUMNS)}, f.days, "
                     "f.docs FROM (SELECT p.block, b.seq, ROW_NUMBER() OVER (PARTITION BY p.block ORDER BY b.seq "
                     "DESC) AS rank FROM probes p JOIN blocks b ON b.block = p.block) r JOIN facts f "
                     "ON f.seq = r.seq WHERE r.rank <= ? ORDER BY f.seq")
            loaded: dict[int, CorpusFact] = {}
            width = len(FIGURE_COLUMNS)
            for row in self._db.execute(query, (self.rules.documents.candidates,)):
                seq = row[1]
                stored = held.facts.get(seq) or loaded.get(seq)
                if stored is None:
                    values = list(row[3:3 + width])
                    values[6] = tuple(values[6].split("|")) if values[6] else ()
                    days, docs = row[3 + width:]
                    stored = loaded[seq] = CorpusFact(seq, row[2], Figure(*values),
                                                      [int(d) for d in days.split(SEP)] if days else [],
                                                      docs.split(SEP) if docs else [])
                found[row[0]].append(stored)
        for block, stored_facts in found.items():
            held.hold(block, stored_facts)
        return probes

    # -- deciding -------------------------------------------------------------------------
    def _near_in_time(self, figure: Figure, other: CorpusFact, today: int | None) -> bool:
        """Whether two reports are close enough in time to be of one figure (``today``: the
        report's day, an ordinal)."""
        docs = self.rules.documents
        if figure.dated and other.figure.dated:  # a dated figure: restated within the long window
            if today is None or not other.days:
                return True
            days = docs.dated_window_days
            first, last = min(other.days), max(other.days)
            return abs(today - first) <= days or abs(today - last) <= days or first <= today <= last
        if today is None:
            return False
        return any(abs(today - day) <= docs.window_days for day in other.days)

    def _agrees(self, other: CorpusFact, figure: Figure, key: Any) -> bool:
        """``FigureMatcher.agree`` on ``block`` for a corpus fact and a figure, remembered by
        the attributes compared: a corpus repeats its provinces, drugs and periods."""
        known = other.key
        if known is None:
            known = other.key = self._key(other.figure)
        if known == key:
            return True
        pair = (known, key)
        agree = self._agree.get(pair)
        if agree is None:
            if len(self._agree) >= AGREEMENTS_KEPT:
                self._agree.clear()
            agree = self._agree[pair] = self.matcher.agree(other.figure, figure, self.matcher.block)
        return agree

    def _candidates(self, fact: DocumentFact, today: int | None) -> list[tuple[tuple[Any, ...], CorpusFact]]:
        """The corpus facts ``fact`` matches, close enough in time, with a rank each."""
        blocks = self.held.blocks
        near: dict[int, CorpusFact] = {}
        for probe in fact.probes:
            held = blocks.get(probe)
            if held:
                near.update(held)
        if not near:
            return []
        figure = fact.figure
        found: list[tuple[tuple[Any, ...], CorpusFact]] = []
        value, scale = figure.value, max(abs(figure.value), 1e-12)
        if self.rules.documents.rounded:
            for other in near.values():
                how = self.matcher.match(other.figure, figure)
                if how is not None and self._near_in_time(figure, other, today):
                    found.append(((how != EQUAL, abs(other.figure.value - value) / scale, other.seq), other))
            return found
        # across documents only equal values merge: ``FigureMatcher.match`` for them, cheapest test first
        equal, event_type, unit = self.matcher.equal, figure.event_type, figure.unit
        key = self._key(figure)
        for other in near.values():
            theirs = other.figure
            gap = abs(theirs.value - value)
            if gap > equal * max(abs(theirs.value), abs(value)) or theirs.event_type != event_type \
                    or theirs.unit != unit or not self._agrees(other, figure, key) \
                    or not self._near_in_time(figure, other, today):
                continue
            found.append(((False, gap / scale, other.seq), other))
        return found

    def _merge(self, document: Document) -> list[str]:
        """Join each of a document's facts to a corpus fact or start a new one; return their ids."""
        docs = self.rules.documents
        doc_id, published, facts = document.doc_id, document.published, document.facts
        today = day(published) if published is not None else None
        options = [self._candidates(fact, today) for fact in facts]
        chosen: dict[int, CorpusFact] = {}
        if any(options):
            # how many of this document's facts each earlier document shares
            shared: dict[str, int] = defaultdict(int)
            for found in options:
                for doc in {d for _, other in found for d in other.docs}:
                    shared[doc] += 1
            ranked = []
            for i, (fact, found) in enumerate(zip(facts, options, strict=True)):
                for rank, other in found:
                    specific = min(fact.figure.sig, other.figure.sig) >= docs.specific_digits
                    dated = fact.figure.dated and other.figure.dated
                    if specific or dated or any(shared[d] >= docs.shared_figures for d in other.docs):
                        ranked.append((rank, i, other))
            ranked.sort(key=lambda r: (r[0], r[1]))
            taken: set[int] = set()
            for _, i, other in ranked:
                if i in chosen or other.seq in taken:
                    continue
                chosen[i] = other
                taken.add(other.seq)
        ids = []
        keys, held, filed = self.keys, self.held, self.filed
        for i, fact in enumerate(facts):
            target = chosen.get(i)
            if target is None:
                target = CorpusFact(self.next_seq, fact.fact_id, fact.figure, [] if today is None else [today],
                                    [doc_id], new=True)
                self.next_seq += 1
                refiled = fact.blocks  # placed where it was annotated: its blocks as a new fact
            else:
                figure = target.figure
                before = (figure.value, figure.sig, figure.period_start, figure.period_end)
                figure.absorb(fact.figure)
                target.key = None
                new_day = target.reported(doc_id, today)
                refiled = ()
                if new_day or (figure.value, figure.sig, figure.period_start, figure.period_end) != before:
                    # new, reported on a new day, or its value or period changed: file it anew
                    days = target.days[:-1] if new_day else target.days
                    refiled = keys.filed(figure.event_type, figure.unit, figure.value, figure.sig,
                                         figure.period_start, figure.period_end, target.days) \
                        - keys.filed(figure.event_type, figure.unit, *before, days)
            for block in refiled:
                held.file(target, block)
                filed.add(block)
                self._blocks.append((block, target.seq))
            self._touched[target.seq] = target
            self._reports.append((target.seq, doc_id, published, fact.mentions))
            ids.append(target.fact_id)
        return ids

    def _flush(self) -> None:
        """Write the facts this batch started or changed."""
        new, changed = [], []
        for fact in self._touched.values():
            figure = fact.figure
            values = [figure.event_type, figure.unit, figure.value, figure.qualifier, figure.item,
                      figure.drug, "|".join(figure.provinces), figure.scope, figure.operation,
                      figure.period_start, figure.period_end, figure.n_total, figure.n_incident,
                      figure.first_kind, figure.sig, SEP.join(map(str, fact.days)), SEP.join(fact.docs)]
            if fact.new:
                new.append((fact.seq, fact.fact_id, *values))
            else:
                changed.append((*values, fact.seq))
            fact.new = False
        columns = (*FIGURE_COLUMNS, "days", "docs")
        self._db.executemany(f"INSERT INTO facts VALUES (?, ?, {', '.join('?' * len(columns))})", sorted(new))
        self._db.executemany(f"UPDATE facts SET {', '.join(f'{c} = ?' for c in columns)} WHERE seq = ?", changed)
        self._db.executemany("INSERT OR IGNORE INTO blocks VALUES (?, ?)", self._blocks)
        self._db.executemany("INSERT INTO fact_docs VALUES (?, ?, ?, ?)", self._reports)
        self._touched.clear()
        self._blocks.clear()
        self._reports.clear()

    # -- the fact table -----------------------------------------------------------------------
    def _columns(self, chunk: int) -> Iterator[dict[str, list[Any]]]:
        """The finished fact table in order of first mention, ``chunk`` rows at a time, column
        by column: mention and document counts (reprints included), publication dates, series
        and successor."""
        if not self.finished:
            self._finish()
        kind = ("CASE WHEN f.n_total > f.n_incident THEN 'total' WHEN f.n_total < f.n_incident "
                "THEN 'incident' ELSE f.first_kind END")
        query = (f"SELECT f.seq, f.fact_id, f.event_type, f.value, f.unit, f.qualifier, f.item, f.drug, "
                 f"f.provinces, f.scope, f.operation, f.period_start, f.period_end, {kind}, "
                 "a.n_mentions, a.n_docs, a.first, a.last, s.series, s.superseded_by "
                 "FROM facts f JOIN agg a ON a.seq = f.seq LEFT JOIN series s ON s.seq = f.seq ORDER BY f.seq")
        names = ("fact_id", "event_type", "value", "unit", "qualifier", "item", "drug", "provinces", "scope",
                 "operation", "period_start", "period_end", "kind", "n_mentions", "n_docs", "first_published",
                 "last_published", "series", "superseded_by")
        documents = self._db.execute("SELECT seq, doc_id FROM fact_docs ORDER BY seq, rowid")
        pending = next(documents, None)
        records = self._db.execute(query)
        while True:
            rows = records.fetchmany(chunk)
            if not rows:
                return
            seqs, *values = zip(*rows, strict=True)
            columns = dict(zip(names, map(list, values), strict=True))
            columns["provinces"] = [p.split("|") if p else [] for p in columns["provinces"]]
            doc_ids: list[list[str]] = []
            for seq in seqs:
                found = []
                while pending is not None and pending[0] == seq:
                    found.append(pending[1])
                    pending = next(documents, None)
                doc_ids.append(found)
            columns["doc_ids"] = doc_ids
            yield columns

    def facts(self, chunk: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        """The finished fact rows in order of first mention, ``chunk`` at a time (dates as
        ISO strings, provinces and documents as lists)."""
        for columns in self._columns(chunk):
            names = list(columns)
            yield [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]

    def tables(self, chunk: int = 10_000) -> Iterator[pa.Table]:
        """The finished fact table, ``chunk`` rows at a time, in the declared schema (``FACT_COLUMNS``)."""
        for columns in self._columns(chunk):
            yield arrow_table(columns, FACT_COLUMNS)

    def _finish(self) -> None:
        """Reprints become mentions of their original's facts; count, date and chain the facts."""
        db = self._db
        db.execute("CREATE INDEX fact_docs_doc ON fact_docs (doc_id)")
        db.execute("INSERT INTO fact_docs SELECT d.seq, r.doc_id, r.published, d.mentions FROM reprints r "
                   "JOIN fact_docs d ON d.doc_id = r.same_as ORDER BY r.rowid, d.rowid")
        db.execute("CREATE INDEX fact_docs_seq ON fact_docs (seq)")
        db.execute("CREATE TABLE agg AS SELECT seq, SUM(mentions) AS n_mentions, COUNT(*) AS n_docs, "
                   "MIN(published) AS first, MAX(published) AS last FROM fact_docs GROUP BY seq")
        db.execute("CREATE UNIQUE INDEX agg_seq ON agg (seq)")
        # the series as "event_type=arrest;unit=count;provinces=CN-YN;period_start=2023-01-01"
        key = " || ".join(f"CASE WHEN COALESCE(f.{name}, '') = '' THEN '' ELSE '{name}=' || f.{name} || ';' END"
                          for name in self.rules.series)
        total = ("(CASE WHEN f.n_total > f.n_incident THEN 'total' WHEN f.n_total < f.n_incident "
                 "THEN 'incident' ELSE f.first_kind END) = 'total'")
        db.execute(f"CREATE TABLE totals AS SELECT f.seq, f.fact_id, RTRIM({key}, ';') AS series, "
                   "COALESCE(f.period_end, a.first) AS series_end, a.first AS first "
                   f"FROM facts f JOIN agg a ON a.seq = f.seq WHERE {total}")
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
