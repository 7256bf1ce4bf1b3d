"""The facts of a corpus, merged document by document in corpus order, kept on disk.

Mentions are merged within their document first (``pipeline.facts``); each document's
facts are then compared with the corpus's facts so far in the same block (event type,
unit and value bucket, plus the buckets either side), loaded from a SQLite file beside
the shards one batch of documents at a time, so the calling process holds one batch's
blocks, not the corpus. A document's fact joins an earlier fact when the two figures
match (``FigureMatcher``), their publication dates are within the window of
``configs/facts.yml``, and the match is corroborated: the figure is dated in both,
specific, or the two documents share several figures.

Everything is decided in corpus order and fact ids are the id of a fact's first mention,
so the facts do not depend on how the corpus was cut into shards, on the number of
workers, the engine, or resumption. SQLite is the standard library's keyed store: no
index written by hand.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from .facts import EQUAL, DocumentFact, Figure, FigureMatcher, iso, mention_id, merge_document
from .rules import FactsFile
from .schema import facts_frame

DOCS_KEPT = 16  # documents remembered per fact for corroboration (a reprinted story shares its origin)
SEP = "\x1f"
FIGURE_COLUMNS = ("event_type", "unit", "value", "qualifier", "item", "drug", "provinces", "scope", "operation",
                  "period_start", "period_end", "n_total", "n_incident", "first_kind", "sig")


@dataclass(slots=True)
class CorpusFact:
    """A fact of the corpus as the merging sees it: its figure, when and where it was reported."""

    seq: int
    fact_id: str
    figure: Figure
    bucket: int
    first_published: str | None
    last_published: str | None
    docs: list[str] = field(default_factory=list)
    new: bool = False
    changed: bool = False

    def reported(self, doc_id: str, published: str | None) -> None:
        if published is not None:
            if self.first_published is None or published < self.first_published:
                self.first_published = published
            if self.last_published is None or published > self.last_published:
                self.last_published = published
        if len(self.docs) < DOCS_KEPT:
            self.docs.append(doc_id)
        self.changed = True


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _within(day: str, first: str, last: str | None, days: int) -> bool:
    """Whether ``day`` is at most ``days`` before ``first`` or after ``last`` (ISO dates)."""
    if first <= day <= (last or first):
        return True
    edge = first if day < first else (last or first)
    return abs((date.fromisoformat(day) - date.fromisoformat(edge)).days) <= days


class FactIndex:
    """Corpus facts in a SQLite file (``":memory:"`` for a table in hand).

    ``add_rows`` takes the event rows of whole documents in corpus order and returns
    each row's fact id; ``add_reprint`` records a document skipped as a duplicate text;
    ``facts`` yields the finished fact rows.
    """

    def __init__(self, path: "str | Path", rules: FactsFile):
        self.path = path
        self.matcher = FigureMatcher(rules)
        self.rules = rules
        if str(path) != ":memory:":
            Path(path).unlink(missing_ok=True)  # left by a run that was stopped: this run merges everything again
        self._db = sqlite3.connect(str(path), isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(
            "CREATE TABLE facts (seq INTEGER PRIMARY KEY, fact_id TEXT NOT NULL, bucket INTEGER, "
            + ", ".join(FIGURE_COLUMNS) + ", first_published TEXT, last_published TEXT, docs TEXT)")
        self._db.execute("CREATE INDEX facts_block ON facts (event_type, unit, bucket)")
        self._db.execute("CREATE TABLE fact_docs (seq INTEGER, doc_id TEXT, published TEXT, mentions INTEGER)")
        self._db.execute("CREATE TABLE reprints (doc_id TEXT, same_as TEXT, published TEXT)")
        self._db.execute("CREATE TEMP TABLE blocks (event_type TEXT, unit TEXT, bucket INTEGER, "
                         "PRIMARY KEY (event_type, unit, bucket)) WITHOUT ROWID")
        self._db.execute("BEGIN")
        self.next_seq = 0
        self.finished = False
        self._reports: list[tuple[int, str, str | None, int]] = []

    # -- merging --------------------------------------------------------------------------
    def add_rows(self, rows: Sequence[Mapping[str, Any]]) -> list[str]:
        """Merge the event rows of whole documents (in corpus order, each document's rows
        together and in text order) into the corpus facts; return each row's fact id.

        A row's ``fact_id``, when set, is its fact within its document (the facts component
        sets it); otherwise the document's rows are merged here.
        """
        documents = list(self._documents(rows))
        pool = self._pool(documents)
        out: list[str] = []
        for doc_id, published, which, facts in documents:
            ids = self._merge(doc_id, published, facts, pool)
            out.extend(ids[i] for i in which)
        self._flush(pool)
        return out

    def add_reprint(self, doc_id: str, same_as: str, published: str | None) -> None:
        """``doc_id`` has the text of ``same_as``: its mentions are those of ``same_as``."""
        self._db.execute("INSERT INTO reprints VALUES (?, ?, ?)", (doc_id, same_as, iso(published)))

    def _documents(self, rows: Sequence[Mapping[str, Any]]) -> Iterator[tuple[str, str | None, list[int],
                                                                             list[DocumentFact]]]:
        """Each document's id, published date, each row's fact index and its facts."""
        start = 0
        while start < len(rows):
            doc_id = str(rows[start]["doc_id"])
            end = start + 1
            while end < len(rows) and str(rows[end]["doc_id"]) == doc_id:
                end += 1
            chunk = rows[start:end]
            published = iso(chunk[0].get("published"))
            ids = [mention_id(doc_id, r.get("start"), r.get("end")) for r in chunk]
            given = [r.get("fact_id") for r in chunk]
            if all(isinstance(g, str) and g for g in given):
                which, facts = _group(chunk, given, ids)
            else:
                which, facts = merge_document(chunk, self.matcher, ids)
            yield doc_id, published, which, facts
            start = end

    def _pool(self, documents: list[tuple[str, str | None, list[int], list[DocumentFact]]]
              ) -> dict[tuple[str, str, int], list[CorpusFact]]:
        """The corpus facts these documents could join, by block, read from disk."""
        blocks: set[tuple[str, str, int]] = set()
        dates = [d[1] for d in documents if d[1] is not None]
        undated_doc = len(dates) < len(documents)
        for _, _, _, facts in documents:
            for fact in facts:
                b = self.matcher.bucket(fact.figure.value)
                blocks.update((fact.figure.event_type, fact.figure.unit, b + k) for k in (-1, 0, 1))
        pool: dict[tuple[str, str, int], list[CorpusFact]] = defaultdict(list)
        if not blocks or self.next_seq == 0:
            return pool
        self._db.execute("DELETE FROM blocks")
        self._db.executemany("INSERT INTO blocks VALUES (?, ?, ?)", sorted(blocks))
        window, dated_window = self.rules.documents.window_days, self.rules.documents.dated_window_days
        lo, hi = (min(dates), max(dates)) if dates else ("9999-12-31", "0001-01-01")
        dated = "(f.period_start IS NOT NULL OR f.period_end IS NOT NULL)"
        in_window = "(f.last_published >= ? AND f.first_published <= ?)"
        time = (f"({dated} AND ({'1' if undated_doc else '0'} OR f.first_published IS NULL OR {in_window})) "
                f"OR (NOT {dated} AND {in_window})")
        params: list[Any] = []
        if dates:
            params += [_shift(lo, -dated_window), _shift(hi, dated_window), _shift(lo, -window), _shift(hi, window)]
        else:
            params += ["9999-12-31", "0001-01-01"] * 2  # an empty window
        query = ("SELECT f.seq, f.fact_id, f.bucket, " + ", ".join(f"f.{c}" for c in FIGURE_COLUMNS)
                 + ", f.first_published, f.last_published, f.docs FROM blocks b JOIN facts f "
                 "ON f.event_type = b.event_type AND f.unit = b.unit AND f.bucket = b.bucket "
                 f"WHERE {time} ORDER BY f.seq")
        for row in self._db.execute(query, params):
            seq, fact_id, bucket = row[0], row[1], row[2]
            values = list(row[3:3 + len(FIGURE_COLUMNS)])
            values[6] = tuple(values[6].split("|")) if values[6] else ()
            figure = Figure(*values)
            first, last, docs = row[3 + len(FIGURE_COLUMNS):]
            stored = CorpusFact(seq, fact_id, figure, bucket, first, last, docs.split(SEP) if docs else [])
            pool[(figure.event_type, figure.unit, bucket)].append(stored)
        return pool

    def _candidates(self, fact: DocumentFact, published: str | None,
                    pool: dict[tuple[str, str, int], list[CorpusFact]]) -> list[tuple[tuple[Any, ...], CorpusFact]]:
        """The corpus facts ``fact`` matches within the publication window, with a rank each."""
        figure = fact.figure
        b = self.matcher.bucket(figure.value)
        docs = self.rules.documents
        found = []
        for k in (-1, 0, 1):
            for other in pool.get((figure.event_type, figure.unit, b + k), ()):
                how = self.matcher.match(other.figure, figure)
                if how is None:
                    continue
                if figure.dated and other.figure.dated:  # a dated figure: any report within the long window
                    if published is not None and other.first_published is not None and not _within(
                            published, other.first_published, other.last_published, docs.dated_window_days):
                        continue
                elif published is None or other.first_published is None or not _within(
                        published, other.first_published, other.last_published, docs.window_days):
                    continue
                gap = abs(other.figure.value - figure.value) / max(abs(figure.value), 1e-12)
                found.append(((how != EQUAL, gap, other.seq), other))
        return found

    def _merge(self, doc_id: str, published: str | None, facts: list[DocumentFact],
               pool: dict[tuple[str, str, int], list[CorpusFact]]) -> list[str]:
        """Join each of a document's facts to a corpus fact or start a new one; return their ids."""
        docs = self.rules.documents
        options = [self._candidates(fact, published, pool) for fact in facts]
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
        chosen: dict[int, CorpusFact] = {}
        taken: set[int] = set()
        for _, i, other in ranked:
            if i in chosen or other.seq in taken:
                continue
            chosen[i] = other
            taken.add(other.seq)
        ids = []
        for i, fact in enumerate(facts):
            target = chosen.get(i)
            if target is None:
                target = CorpusFact(self.next_seq, fact.fact_id, fact.figure.copy(),
                                    self.matcher.bucket(fact.figure.value), None, None, new=True)
                self.next_seq += 1
                pool[(target.figure.event_type, target.figure.unit, target.bucket)].append(target)
            else:
                target.figure.absorb(fact.figure)
                bucket = self.matcher.bucket(target.figure.value)
                if bucket != target.bucket:  # its most precise value moved it to the next block
                    pool[(target.figure.event_type, target.figure.unit, target.bucket)].remove(target)
                    target.bucket = bucket
                    pool[(target.figure.event_type, target.figure.unit, bucket)].append(target)
            target.reported(doc_id, published)
            self._reports.append((target.seq, doc_id, published, fact.mentions))
            ids.append(target.fact_id)
        return ids

    def _flush(self, pool: dict[tuple[str, str, int], list[CorpusFact]]) -> None:
        """Write the facts this batch started or changed."""
        new, changed = [], []
        for facts in pool.values():
            for fact in facts:
                figure = fact.figure
                values = [fact.bucket, figure.event_type, figure.unit, figure.value, figure.qualifier, figure.item,
                          figure.drug, "|".join(figure.provinces), figure.scope, figure.operation,
                          figure.period_start, figure.period_end, figure.n_total, figure.n_incident,
                          figure.first_kind, figure.sig, fact.first_published, fact.last_published,
                          SEP.join(fact.docs)]
                if fact.new:
                    new.append((fact.seq, fact.fact_id, *values))
                elif fact.changed:
                    changed.append((*values, fact.seq))
        columns = ("bucket", *FIGURE_COLUMNS, "first_published", "last_published", "docs")
        self._db.executemany(f"INSERT INTO facts VALUES (?, ?, {', '.join('?' * len(columns))})",
                             sorted(new))
        self._db.executemany(f"UPDATE facts SET {', '.join(f'{c} = ?' for c in columns)} WHERE seq = ?", changed)
        self._db.executemany("INSERT INTO fact_docs VALUES (?, ?, ?, ?)", self._reports)
        self._reports.clear()

    # -- the fact table -----------------------------------------------------------------------
    def facts(self, chunk: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        """The finished fact rows in order of first mention, ``chunk`` at a time: mention and
        document counts (reprints included), publication dates, series and successor."""
        if not self.finished:
            self._finish()
        kind = ("CASE WHEN f.n_total > f.n_incident THEN 'total' WHEN f.n_total < f.n_incident "
                "THEN 'incident' ELSE f.first_kind END")
        query = (f"SELECT f.seq, f.fact_id, f.event_type, f.value, f.unit, f.qualifier, f.item, f.drug, "
                 f"f.provinces, f.scope, f.operation, f.period_start, f.period_end, {kind}, "
                 "a.n_mentions, a.n_docs, a.first, a.last, s.series, s.superseded_by "
                 "FROM facts f JOIN agg a ON a.seq = f.seq LEFT JOIN series s ON s.seq = f.seq ORDER BY f.seq")
        documents = self._db.execute("SELECT seq, doc_id FROM fact_docs ORDER BY seq, rowid")
        pending = next(documents, None)
        rows: list[dict[str, Any]] = []
        for record in self._db.execute(query):
            seq = record[0]
            doc_ids = []
            while pending is not None and pending[0] == seq:
                doc_ids.append(pending[1])
                pending = next(documents, None)
            rows.append({"fact_id": record[1], "event_type": record[2], "value": record[3], "unit": record[4],
                         "qualifier": record[5], "item": record[6], "drug": record[7],
                         "provinces": record[8].split("|") if record[8] else [], "scope": record[9],
                         "operation": record[10], "period_start": record[11], "period_end": record[12],
                         "kind": record[13], "n_mentions": record[14], "n_docs": record[15], "doc_ids": doc_ids,
                         "first_published": record[16], "last_published": record[17], "series": record[18],
                         "superseded_by": record[19]})
            if len(rows) >= chunk:
                yield rows
                rows = []
        if rows:
            yield rows

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


def _group(rows: Sequence[Mapping[str, Any]], given: Sequence[Any],
           ids: Sequence[str]) -> tuple[list[int], list[DocumentFact]]:
    """A document's facts from the fact ids its rows already have (set by the facts component)."""
    index: dict[str, int] = {}
    facts: list[DocumentFact] = []
    which = []
    for row, fact_id, row_id in zip(rows, given, ids, strict=True):
        figure = Figure.of_row(row)
        at = index.get(fact_id)
        if at is None:
            index[fact_id] = at = len(facts)
            facts.append(DocumentFact(row_id, figure, 0))
        else:
            facts[at].figure.absorb(figure)
        facts[at].mentions += 1
        which.append(at)
    return which, facts


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
