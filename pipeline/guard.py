"""A time budget per document, so one pathological text cannot hold a worker for minutes.

Some texts make a linear pipeline slow: 30,000 "(" cost spaCy's tokenizer minutes
(its affix loop is quadratic on them). Each document therefore gets a budget of
``--doc-timeout`` seconds per 250,000 characters, at least that: 5 s by default, for
news of 1,000-10,000 characters that takes milliseconds, and 20 s for the longest
document (1,000,000 characters), which takes 4-5 s when it is news.

Two layers enforce it:

- **An alarm in the worker.** ``DocClock`` arms a timer on the process's CPU time
  (``ITIMER_PROF``, so a busy machine does not make documents fail) for each
  document; the ``SIGPROF`` handler raises ``DocTimeout`` in the pipeline, the
  document becomes a failure and the shard goes on with the next one. Python runs
  a signal handler between bytecodes and inside the regular expression engine,
  which is where spaCy's tokenizer spends such time, so this stops the cases met
  so far. (A thread cannot do this: it needs the GIL the stuck code holds.)
- **The driver, from outside.** Code that holds the GIL in C without checking for
  signals never runs the handler. Each shard in flight has a slot in shared memory
  where its worker writes which document it is on and when, in wall-clock time, it
  must be done at the latest (three budgets and ten seconds); the driver kills a
  worker whose document is past that, records the document as failed and runs the
  shard again without it.

The alarm needs the main thread (a forked worker, or the calling process with
``--workers 1``); the driver's kill needs worker processes, so ``--workers 1`` and
Dask workers (which run tasks in threads) have the layers they can have.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from types import FrameType
from typing import Any

BUDGET_CHARS = 250_000
DEFAULT_DOC_TIMEOUT = 5.0
HARD_FACTOR, HARD_GRACE = 3.0, 10.0  # the driver kills a worker after 3 budgets + 10 s of wall-clock time


class DocTimeout(Exception):
    """The document being processed went over its time budget."""


def budget(seconds: float, chars: int) -> float:
    """The time budget of a document of ``chars`` characters (0: none)."""
    return seconds * max(1.0, chars / BUDGET_CHARS) if seconds > 0 else 0.0


def batch_index(first: int) -> int:
    """How a slot names a batch starting at document ``first``: a negative index (-1 for 0)."""
    return -first - 1


class Progress:
    """Where each shard in flight is: one slot of shared memory per shard.

    A slot holds (kill_at, pid, document index); ``kill_at`` is 0 when no document is
    running. The worker writes kill_at last and clears it first, so a reader never
    acts on a half-written slot for long: it looks again at its next tick.
    """

    FIELDS = 3

    def __init__(self, slots: int):
        self.array: Any = multiprocessing.RawArray("d", slots * self.FIELDS)

    def start(self, slot: int, index: int, kill_at: float, pid: int) -> None:
        base = slot * self.FIELDS
        self.array[base] = 0.0
        self.array[base + 1] = float(pid)
        self.array[base + 2] = float(index)
        self.array[base] = kill_at

    def clear(self, slot: int) -> None:
        self.array[slot * self.FIELDS] = 0.0

    def overdue(self, slot: int, now: float) -> tuple[int, int] | None:
        """(pid, document index) when the slot's document is past its kill time."""
        base = slot * self.FIELDS
        kill_at = self.array[base]
        if not kill_at or now < kill_at:
            return None
        return int(self.array[base + 1]), int(self.array[base + 2])


_SHARED: Progress | None = None  # set by the driver before it forks its workers


def share(progress: Progress | None) -> None:
    """Make ``progress`` the one forked workers write to (None: stop sharing)."""
    global _SHARED
    _SHARED = progress


class DocClock:
    """Times one document at a time in this process (see the module docstring).

    Use as a context manager around a shard; ``arm`` before each document,
    ``disarm`` when it is done. With ``seconds`` 0, or outside the main thread,
    only the shared progress (if any) is written.
    """

    def __init__(self, seconds: float, slot: int | None = None):
        self.seconds = seconds
        self.slot = slot
        self.progress = _SHARED if slot is not None else None
        self.armed = False
        self.limit = 0.0
        self._alarm = seconds > 0 and threading.current_thread() is threading.main_thread()
        self._previous: Any = None
        self._pid = os.getpid()

    def __enter__(self) -> DocClock:
        if self._alarm:
            self._previous = signal.signal(signal.SIGPROF, self._ring)
        return self

    def __exit__(self, *exc: object) -> None:
        self.disarm()
        if self._alarm:
            signal.signal(signal.SIGPROF, self._previous or signal.SIG_DFL)

    def arm(self, index: int, chars: int) -> None:
        """Document ``index`` of the shard, of ``chars`` characters, starts now."""
        self._start(index, budget(self.seconds, chars))

    def arm_batch(self, first: int, chars: list[int]) -> None:
        """A batch of documents, from index ``first``, starts now. Its budget is its largest
        document's: a batch of ordinary news takes a fraction of one budget, and a batch over
        it is run again a document at a time, each on its own budget (``corpus._annotated``).
        The driver reads a negative index as a batch (``batch_index``)."""
        self._start(batch_index(first), max((budget(self.seconds, c) for c in chars), default=0.0))

    def _start(self, slot_index: int, limit: float) -> None:
        """Arm the alarm for ``limit`` seconds of CPU, and tell the driver what runs and when to kill it."""
        self.limit = limit
        if self.progress is not None and self.slot is not None and self.limit:
            kill_at = time.monotonic() + HARD_FACTOR * self.limit + HARD_GRACE
            self.progress.start(self.slot, slot_index, kill_at, self._pid)
        if self._alarm:
            self.armed = True
            signal.setitimer(signal.ITIMER_PROF, self.limit)

    def disarm(self) -> None:
        if self._alarm:
            self.armed = False
            signal.setitimer(signal.ITIMER_PROF, 0)
        if self.progress is not None and self.slot is not None:
            self.progress.clear(self.slot)

    def _ring(self, signum: int, frame: FrameType | None) -> None:
        if self.armed:  # a late alarm for a document already done is ignored
            self.armed = False
            raise DocTimeout(f"over its time budget of {self.limit:.3g} s of CPU time")
