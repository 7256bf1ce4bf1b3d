"""A corpus run's consolidation: the final files in shard order and the corpus facts.

``Consolidator`` does the work: as each shard is finished it appends the shard's rows to
DIR/events.<fmt> and DIR/entities.<fmt> and merges its facts part into the corpus facts;
``close`` writes DIR/facts.<fmt>.

``ConsolidatorProcess`` runs it in a child process, forked at the start of the run (before
any pipeline is loaded, so it carries none) and told through a pipe what the caller would
call: ``add``, ``duplicate``, ``close``, ``discard``. The merge then runs beside the
annotation instead of after each shard (with one worker the caller annotates; the
machine's other core was idle), and the run waits for facts only at ``close``. The child
dies with the caller (``PR_SET_PDEATHSIG``), ignores Ctrl-C and SIGTERM (the caller stops
it with ``discard``), and an error it meets reaches the caller as itself: the run stops
as it would have had the caller raised it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import srsly

from .errors import CrackdownError, Errors, ModelError
from .factindex import FactIndex
from .factparts import PART_DIR
from .outputs import TableAppender
from .rules import FactsFile
from .rundir import SHARD_DIR
from .schema import ENTITY_COLUMNS, EVENT_COLUMNS, FACT_COLUMNS, arrow_schema, conform

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from .corpus import RunConfig

PROCESS_NAME = "crackdown-facts"  # the child's name in ps and /proc (15 characters: the kernel's limit)
PR_SET_NAME = 15
DISCARD_SIGNAL = signal.SIGUSR1  # the caller's "stop and throw the unfinished files away"
STOP_SECONDS = 30.0  # how long a discarding child may take before it is killed


class ConsolidatorLost(CrackdownError):
    """The process that writes the final files died, or could not be started."""


class Consolidator:
    """Appends each finished shard's part files to DIR/events.<fmt> and DIR/entities.<fmt>
    as soon as every earlier shard is done: the final files are in shard order, and they
    are written while the workers run rather than in one pass at the end.

    On the way, each shard's mentions are merged into the corpus facts (``FactIndex``, on
    disk beside the shards), in corpus order, and the event rows get their corpus fact ids;
    documents skipped as duplicate texts are reprints, mentions of their original's facts.
    ``close`` writes DIR/facts.<fmt>.
    """

    STEMS = (("events", EVENT_COLUMNS), ("entities", ENTITY_COLUMNS))

    def __init__(self, config: RunConfig):
        self.config = config
        self.next = 0
        self.waiting: set[int] = set()
        self.appenders = {stem: TableAppender(config.output / f"{stem}.{config.fmt}", config.fmt, columns)
                          for stem, columns in self.STEMS}
        (config.output / SHARD_DIR).mkdir(parents=True, exist_ok=True)
        self.facts = FactIndex(config.output / SHARD_DIR / "facts.sqlite", fact_rules(config.model))
        self.rules = self.facts.rules
        self.facts_seconds = 0.0  # wall time on facts in this process (the run waits only for the rest at close)
        self.facts_cpu_seconds = 0.0  # this process's CPU time on facts: what it takes from the workers
        self.facts_written = 0

    def duplicate(self, record: dict[str, Any]) -> None:
        """A document skipped as the text of an earlier one: a reprint of its facts."""
        with self._timed():
            self.facts.add_reprint(record["doc_id"], record["same_as"], record.get("published"))

    def add(self, index: int) -> None:
        """Shard ``index`` is written; append it and any later shards it was holding up."""
        self.waiting.add(index)
        while self.next in self.waiting:
            self.waiting.discard(self.next)
            self._append(self.next)
            self.next += 1

    def _append(self, index: int) -> None:
        for stem, columns in self.STEMS:
            part = self.config.output / SHARD_DIR / stem / f"part-{index:05d}.parquet"
            table = pq.read_table(part, schema=arrow_schema(columns))
            if stem == "events":
                table = self._with_facts(index, table)
            if self.config.fmt == "parquet":  # same schema as the parts: no round trip through pandas
                self.appenders[stem].append_arrow(table)
            else:
                self.appenders[stem].append(conform(table.to_pandas(), columns))

    def _with_facts(self, index: int, table: pa.Table) -> pa.Table:
        """The shard's event rows with their corpus fact ids: its facts part (each document's
        facts, as the worker placed them) merged into the facts so far. A row's fact id is its
        document's fact's unless that fact joined an earlier one."""
        with self._timed():
            part = pq.read_table(self.config.output / SHARD_DIR / PART_DIR / f"part-{index:05d}.parquet")
            ids = self.facts.add_part(part)
            if ids != part.column("fact_id").to_pylist():
                rows = part.column("rows")
                which = np.empty(table.num_rows, np.int64)  # each event row's fact, by position
                which[pc.list_flatten(rows).to_numpy()] = pc.list_parent_indices(rows).to_numpy()
                at = table.schema.get_field_index("fact_id")
                table = table.set_column(at, table.schema.field(at), pa.array(ids, pa.string()).take(which))
        return table

    @contextmanager
    def _timed(self) -> Iterator[None]:
        """Count the time (wall and CPU) spent on facts."""
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.facts_seconds += time.perf_counter() - started
            self.facts_cpu_seconds += time.process_time() - cpu

    def close(self) -> dict[str, str]:
        """Finish the files (any shards still held up go last, in order); return their paths."""
        for index in sorted(self.waiting):
            self._append(index)
        outputs = {}
        for stem, _ in self.STEMS:
            outputs[stem] = str(self.appenders[stem].close())
            outputs[f"{stem}_dataset"] = str(self.config.output / SHARD_DIR / stem)
        outputs["facts"] = str(self._write_facts())
        return outputs

    def _write_facts(self) -> Path:
        with self._timed():
            appender = TableAppender(self.config.output / f"facts.{self.config.fmt}", self.config.fmt, FACT_COLUMNS)
            try:
                if self.config.fmt == "parquet":  # small chunks: the caller's memory stays flat
                    for table in self.facts.tables(chunk=2_000):
                        appender.append_arrow(table)
                        self.facts_written += table.num_rows
                else:
                    for rows in self.facts.facts(chunk=2_000):
                        appender.append(conform(pd.DataFrame(rows), FACT_COLUMNS))
                        self.facts_written += len(rows)
                if not self.facts_written:
                    appender.append(conform(pd.DataFrame(), FACT_COLUMNS))
                path = appender.close()
            except BaseException:
                appender.discard()
                raise
            finally:
                self.facts.close()
            return path

    def discard(self) -> None:
        """A run that stops early leaves its earlier final files, not half-written ones."""
        for appender in self.appenders.values():
            appender.discard()
        self.facts.close()


def fact_rules(model: "str | Path | None") -> FactsFile:
    """The fact merging rules saved in the pipeline at ``model`` (run time reads only models/)."""
    from .annotate import model_path
    from .components.base import RULES_FILE

    path = model_path(model) / "facts" / RULES_FILE
    if not path.exists():
        raise ModelError(Errors.E108.format(path=model_path(model)))
    return FactsFile.model_validate(srsly.read_json(path)["facts"])


# --- the child process ---------------------------------------------------------------------
class _Discarded(BaseException):
    """Raised in the child by DISCARD_SIGNAL, wherever it is: throw the unfinished files away."""


def _discarded(signum: int, frame: Any) -> None:
    raise _Discarded()


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling (the caller raises it as the caller would have), else E097;
    an unexpected one keeps the child's traceback as a note (shown with --debug)."""
    if not isinstance(exc, (CrackdownError, OSError)):
        with contextlib.suppress(Exception):
            exc.add_note(f"In the {PROCESS_NAME} process:\n" + "".join(traceback.format_exception(exc)))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - whatever cannot cross the pipe is told as a bug
        return CrackdownError(Errors.E097.format(kind=type(exc).__name__, detail=exc))
    return exc


def _name_process() -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, PROCESS_NAME.encode())


def _serve(conn: Connection, config: RunConfig, parent: int) -> None:
    """The child: build the Consolidator, then do what the caller says until ``close``."""
    from .pool import _die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the caller decides
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent(parent)
    _name_process()
    pa.set_memory_pool(pa.system_memory_pool())  # as the caller's run does (corpus._arrow_system_pool)
    # no cyclic garbage collection: the child's objects (facts, blocks, rows) make no reference
    # cycles, so each collection walks the facts held for nothing; reference counting frees them.
    # Measured on the bench's 20,000 documents: 1 s less CPU, and a collection at the end finds
    # 8,000 objects in cycles (the index's caches, once a run), not more with more shards
    gc.disable()
    final: Consolidator | None = None
    try:
        try:
            signal.signal(DISCARD_SIGNAL, _discarded)
            final = Consolidator(config)
            conn.send(("ready", None))
            while True:
                what, arg = conn.recv()
                if what == "add":
                    final.add(arg)
                elif what == "duplicate":
                    final.duplicate(arg)
                elif what == "close":
                    outputs = final.close()
                    signal.signal(DISCARD_SIGNAL, signal.SIG_IGN)  # the files are final now
                    usage = resource.getrusage(resource.RUSAGE_SELF)
                    conn.send(("closed", {"outputs": outputs, "facts_written": final.facts_written,
                                          "facts_seconds": final.facts_seconds,
                                          "facts_cpu_seconds": final.facts_cpu_seconds,
                                          "peak_rss_mb": usage.ru_maxrss / 1024,
                                          "cpu_seconds": usage.ru_utime + usage.ru_stime}))
                    return
                else:
                    raise _Discarded()
        except BaseException as exc:  # noqa: BLE001 - an error is handed to the caller, which stops the run
            signal.signal(DISCARD_SIGNAL, signal.SIG_IGN)  # nothing may stop the discarding
            if final is not None:
                final.discard()
            if not isinstance(exc, (_Discarded, EOFError)):  # not told to stop, nor left by the caller
                with contextlib.suppress(OSError):
                    conn.send(("error", _portable(exc)))
    except _Discarded:  # told to stop before the signal was ignored: discard once more, quietly
        if final is not None:
            final.discard()


class ConsolidatorProcess:
    """A ``Consolidator`` in a child process, with the same calls.

    ``facts_seconds`` is what the caller waited for it (sending, and at ``close`` the rest of
    its work: the last shards and the facts file); ``consolidator_facts_seconds`` and
    ``facts_cpu_seconds`` are the child's own wall and CPU time on facts; ``peak_rss_mb`` and
    ``cpu_seconds`` its whole use.
    """

    def __init__(self, config: RunConfig):
        self.rules = fact_rules(config.model)  # E108 raised here, in the caller, as before
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, config, os.getpid()), name=PROCESS_NAME)
        self._process.start()
        child.close()
        self.facts_seconds = 0.0
        self.facts_cpu_seconds = 0.0
        self.consolidator_facts_seconds = 0.0
        self.facts_written = 0
        self.peak_rss_mb = 0.0
        self.cpu_seconds = 0.0
        try:
            self._receive("ready")
        except BaseException:
            self.discard()
            raise

    def duplicate(self, record: dict[str, Any]) -> None:
        self._send(("duplicate", record))

    def add(self, index: int) -> None:
        self._send(("add", index))

    def close(self) -> dict[str, str]:
        """Wait for the child to finish the files; return their paths (and keep its figures)."""
        started = time.perf_counter()
        self._send(("close", None))
        done = self._receive("closed")
        self._process.join()
        self.facts_seconds += time.perf_counter() - started
        self.facts_written = done["facts_written"]
        self.consolidator_facts_seconds = done["facts_seconds"]
        self.facts_cpu_seconds = done["facts_cpu_seconds"]
        self.peak_rss_mb = done["peak_rss_mb"]
        self.cpu_seconds = done["cpu_seconds"]
        return dict(done["outputs"])

    def discard(self) -> None:
        """Stop the child, which deletes its unfinished files; wait for it (kill it if it hangs)."""
        pid = self._process.pid
        if pid is not None and self._process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, DISCARD_SIGNAL)
            self._process.join(STOP_SECONDS)
            if self._process.is_alive():
                self._process.kill()
        self._process.join()
        self._conn.close()

    def _send(self, message: tuple[str, Any]) -> None:
        started = time.perf_counter()
        if self._conn.poll():  # it stopped with an error: raise it before going on
            self._receive("nothing")
        try:
            self._conn.send(message)
        except OSError:  # the pipe is closed: it stopped
            self._receive("nothing")
        self.facts_seconds += time.perf_counter() - started

    def _receive(self, expected: str) -> Any:
        """The child's answer ``expected``; raise the error it sent instead, or say that it died."""
        try:
            what, arg = self._conn.recv()
        except (EOFError, OSError):
            self._process.join(STOP_SECONDS)
            raise ConsolidatorLost(Errors.E084.format(pid=self._process.pid,
                                                      how=_how(self._process.exitcode))) from None
        if what == "error":
            raise arg
        if what != expected:
            raise ConsolidatorLost(Errors.E097.format(kind=f"answer {what!r}", detail=f"expected {expected!r}"))
        return arg


def _how(exitcode: int | None) -> str:
    from .pool import _how as how

    return how(exitcode)
