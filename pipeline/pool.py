"""Shards across local worker processes that may get stuck, be killed or lose their parent.

Pebble's process pool runs the shards: unlike the standard library's, it reports the
death of one worker on that worker's task only (``ProcessExpired``) and replaces it,
so the driver knows which shard was lost. On top of it:

- a document stuck past its budget (``guard``) gets its worker killed; the shard
  runs again with that document recorded as failed;
- a worker killed by anything else (``kill -9``, the kernel out of memory) stops the
  run with the shard it held, and ``--resume`` continues from the finished shards;
- workers die with the driver: the kernel sends them SIGKILL when it exits
  (``PR_SET_PDEATHSIG`` on Linux), so a killed run leaves no orphans behind;
- a shard travels to its worker in a spool file, and only the file's name through
  pebble's pipe: a worker holds the pipe's lock while it reads a task, and one killed
  while it waited for the rest of a large task (the driver slow or stopped) would keep
  the lock, and every other worker would wait for it (pebble issue 163). A name fits
  in one atomic pipe write.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from pebble import ProcessExpired, ProcessPool

from .errors import CrackdownError, Errors
from .guard import Progress, share

TICK = 0.25  # seconds between two looks at the workers' progress
PR_SET_PDEATHSIG = 1
SPOOL_PREFIX = "crackdown-spool-"


class WorkerLost(CrackdownError):
    """A worker process died while it held a shard."""


def _die_with_parent(parent: int) -> None:
    """Worker initializer: ask the kernel for SIGKILL when the driver dies."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # no prctl in this libc: nothing to ask
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the driver died before the request was made
        os._exit(1)


def run_spooled(function: Callable[[Any], dict[str, Any]], path: str) -> dict[str, Any]:
    """Worker side: ``function`` on the job the driver spooled to ``path``."""
    with open(path, "rb") as handle:
        job = pickle.load(handle)
    return function(job)


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = "; the system may have run out of memory" if -exitcode == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exit status {exitcode}"


class ShardPool:
    """Runs ``function(job)`` for each job in worker processes, at most ``window`` at once.

    ``job`` must have ``index``, ``records``, ``slot`` and ``failed`` (see
    ``corpus.ShardJob``); ``timed_out(job, doc)`` gives the failure message of a
    document whose worker was killed.
    """

    def __init__(self, workers: int, window: int, function: Callable[[Any], dict[str, Any]],
                 timed_out: Callable[[Any, int], str], spool: "str | os.PathLike[str] | None" = None):
        self.workers = workers
        self.window = window
        self.function = function
        self.timed_out = timed_out
        self.progress = Progress(window)
        self.free = list(range(window))[::-1]
        self.running: dict[Future, Any] = {}
        self.killed: dict[Future, int] = {}
        self.spooled: dict[Future, str] = {}  # each running job's spool file
        # where jobs are spooled (``*.tmp``: a run's folder removes those a killed driver left);
        # None: a temporary folder of the run's own
        self.spool_dir = spool
        self.spool: str | None = None
        self.pool: ProcessPool | None = None

    def run(self, jobs: Iterator[Any], collect: Callable[[dict[str, Any]], None]) -> None:
        # the spool first: a folder that cannot be made leaves no pool behind
        self.spool = str(self.spool_dir) if self.spool_dir is not None else tempfile.mkdtemp(prefix=SPOOL_PREFIX)
        share(self.progress)  # inherited by the workers, which are forks of this process
        self.pool = ProcessPool(max_workers=self.workers, initializer=_die_with_parent, initargs=(os.getpid(),),
                                context=multiprocessing.get_context("fork"))
        try:
            for job in jobs:
                job.slot = self.free.pop()
                self._submit(job)
                while len(self.running) >= self.window:
                    self._step(collect)
            while self.running:
                self._step(collect)
        finally:
            share(None)
            self.pool.stop()
            self.pool.join()
            for path in self.spooled.values():
                with contextlib.suppress(OSError):
                    os.unlink(path)
            if self.spool_dir is None:
                shutil.rmtree(self.spool, ignore_errors=True)

    def _submit(self, job: Any) -> None:
        """Spool ``job`` to a file and schedule its name (see the module docstring)."""
        assert self.pool is not None and self.spool is not None
        handle, path = tempfile.mkstemp(prefix=f"spool-{job.index}-", suffix=".tmp", dir=self.spool)
        with os.fdopen(handle, "wb") as spool:
            pickle.dump(job, spool, protocol=pickle.HIGHEST_PROTOCOL)
        future = self.pool.schedule(run_spooled, args=(self.function, path))
        self.running[future] = job
        self.spooled[future] = path

    def _step(self, collect: Callable[[dict[str, Any]], None]) -> None:
        done, _ = wait(self.running, timeout=TICK, return_when=FIRST_COMPLETED)
        for future in done:
            job = self.running.pop(future)
            killed = self.killed.pop(future, None)
            with contextlib.suppress(OSError):  # read by its worker: a job sent again is spooled anew
                os.unlink(self.spooled.pop(future))
            try:
                result = future.result()
            except BrokenProcessPool as exc:
                raise WorkerLost(Errors.E083.format(detail=exc)) from None
            except ProcessExpired as exc:
                if killed is None:
                    first = job.records[0]
                    raise WorkerLost(Errors.E081.format(pid=exc.pid, how=_how(exc.exitcode), index=job.index,
                                                        source=first.source, line=first.line)) from None
                if killed < 0:  # a batch would not stop: again a document at a time, to find which
                    job.batch_size = 1
                else:
                    job.failed[killed] = self.timed_out(job, killed)
                self.progress.clear(job.slot)
                self._submit(job)  # again, without the document that would not stop
                continue
            self.progress.clear(job.slot)
            self.free.append(job.slot)
            collect(result)
        self._kill_overdue()

    def _kill_overdue(self) -> None:
        now = time.monotonic()
        for future, job in self.running.items():
            if future in self.killed:
                continue
            overdue = self.progress.overdue(job.slot, now)
            if overdue is None:
                continue
            pid, doc = overdue
            self.killed[future] = doc
            with contextlib.suppress(ProcessLookupError):  # it ended on its own meanwhile: pebble says how
                os.kill(pid, signal.SIGKILL)
