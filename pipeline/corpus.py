"""Run the pipeline over a corpus: stream, shard, process in parallel, write, count.

The input stream is cut into shards of ``shard_size`` documents, in input order.
Each shard is processed by a worker that loads the pipeline once and writes its
rows as Parquet part files (temp file, then rename) plus a stats file that marks
it finished; ``--resume`` skips finished shards. The final tables are the shards
concatenated in order, so their content and order do not depend on the number
of workers, the engine, or whether the run was resumed.

Every document read is counted once as processed, failed or duplicate; failures
are written to ``failures.jsonl`` with their original record.

The output folder is locked for the run and checked before ``--resume`` reuses it
(``rundir``); each document has a time budget (``guard``); workers that die are
reported with the shard they held (``pool``). A run that stops, whatever stops it
(Ctrl-C, SIGTERM, a full disk), leaves the finished shards and no temporary file,
and says that ``--resume`` continues.
"""

from __future__ import annotations

import errno
import gc
import os
import resource
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import srsly

from .about import __version__
from .consolidate import ConsolidatorProcess
from .errors import CountError, CrackdownError, Errors, InputError, ModelError
from .factparts import PART_DIR, BlockKeys, shard_part
from .guard import DEFAULT_DOC_TIMEOUT, DocClock, DocTimeout, budget
from .outputs import JsonLinesWriter, write_json, write_parquet, write_table
from .reader import DEFAULT_MAX_CHARS, Failure, ReadOptions, Record, check_inputs, iter_inputs
from .rules import FactsFile
from .rundir import SHARD_DIR, input_files, open_folder, prepare_shards
from .schema import (
    ENTITY_COLUMNS,
    EVENT_COLUMNS,
    entities_frame,
    events_frame,
    to_arrow,
)
from .seen import SeenIndex

DEFAULT_SHARD_SIZE = 500
DEFAULT_RELOAD_AFTER_WORDS = 30_000  # new vocabulary entries, about 9 MB (measured: ~300 bytes each)
DEFAULT_CONNECT_TIMEOUT = 10.0
Progress = Callable[[int], None]


class RunAborted(CrackdownError):
    """``--on-error fail``: the run stopped at its first failure."""


class RunStopped(CrackdownError):
    """The run was stopped from outside (Ctrl-C, SIGTERM) or by its disk; ``--resume`` continues.

    ``exit_code`` is what the command exits with: 128 + the signal, or 1.
    """

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so that both stop a run the same way."""


@dataclass
class RunConfig:
    """How to run: where to write, in what format, with how many workers."""

    output: Path
    fmt: str = "parquet"
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    resume: bool = False
    shard_size: int = DEFAULT_SHARD_SIZE
    batch_size: int = 64
    on_error: str = "continue"  # or "fail"
    engine: str = "local"  # or "dask"
    scheduler: str | None = None
    model: str | None = None
    lang: str = "auto"  # or a language code: every document is read in it
    read: ReadOptions = field(default_factory=ReadOptions)
    reload_after_words: int = DEFAULT_RELOAD_AFTER_WORDS
    doc_timeout: float = DEFAULT_DOC_TIMEOUT  # CPU seconds per 250,000 characters (0: no budget)
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT  # seconds to reach a Dask scheduler


@dataclass
class Counts:
    docs_read: int = 0
    docs_processed: int = 0
    docs_failed: int = 0
    docs_duplicate: int = 0
    events: int = 0
    entities: int = 0
    facts: int = 0
    words: int = 0

    def check(self) -> None:
        """Raise E035 unless every document read was counted once (a check ``python -O`` keeps)."""
        if self.docs_read != self.docs_processed + self.docs_failed + self.docs_duplicate:
            raise CountError(Errors.E035.format(read=self.docs_read, processed=self.docs_processed,
                                                failed=self.docs_failed, duplicate=self.docs_duplicate))


# --- the shard function (runs in workers) -----------------------------------------------
@dataclass
class ShardJob:
    """One shard and everything a worker needs to process it (picklable, for Dask)."""

    index: int
    records: list[Record]
    model: "str | dict[str, str]"  # a pipeline folder, or language -> folder (a run routed by language)
    rules_hash: "str | dict[str, str] | None"
    output: str
    batch_size: int = 64
    reload_after_words: int = 0
    doc_timeout: float = 0.0
    max_chars: int = DEFAULT_MAX_CHARS
    slot: int | None = None  # where the worker tells the driver how far it is (local pool only)
    failed: dict[int, str] = field(default_factory=dict)  # documents known to fail: not run again
    facts: FactsFile | None = None  # the rules the run merges facts with (else the pipeline's own)


_MODELS: dict[str, Any] = {}
_LOADED_WORDS: dict[str, int] = {}


def _freeze_worker() -> None:
    """In a worker process (the run's; the calling process may be a caller's notebook), freeze
    the imported modules once (``annotate.freeze_imports``) before any pipeline is loaded. A
    worker forked from a process that had not frozen inherits its pipelines: they are dropped
    first, or they would be frozen and never freed when reloaded."""
    import multiprocessing

    if multiprocessing.parent_process() is None or gc.get_freeze_count():
        return
    from .annotate import freeze_imports

    _MODELS.clear()
    _LOADED_WORDS.clear()
    gc.collect()
    freeze_imports()


def _model(path: str, reload_after_words: int = 0, rules_hash: str | None = None) -> tuple[Any, bool]:
    """The pipeline at ``path``, loaded once per process, and whether it was loaded now.

    spaCy's vocabulary keeps every word it meets, so a worker that lives through a big
    corpus would grow with it. Once the vocabulary has grown by ``reload_after_words``
    entries (0: never), the pipeline is loaded afresh and the old one freed; the output
    is the same, only the caches start cold. A pipeline whose rules hash is not the
    run's (rebuilt since a long-lived worker loaded it) is loaded again too, and one
    that still differs on disk stops the run.
    """
    _freeze_worker()
    nlp = _MODELS.get(path)
    stale = nlp is not None and rules_hash is not None and nlp.meta.get("rules_hash") != rules_hash
    if nlp is not None and (stale or (reload_after_words
                                      and len(nlp.vocab) - _LOADED_WORDS[path] >= reload_after_words)):
        del _MODELS[path], nlp
        gc.collect()  # the pipeline's objects refer to each other: free them before loading again
        nlp = None
    if nlp is not None:
        return nlp, False
    from .annotate import load

    try:
        nlp = load(path)
    except CrackdownError:
        raise
    except Exception as exc:  # noqa: BLE001 - any way a folder fails to be a pipeline
        raise ModelError(Errors.E082.format(path=path, detail=f"{type(exc).__name__}: {exc}")) from None
    if rules_hash is not None and nlp.meta.get("rules_hash") != rules_hash:
        raise ModelError(Errors.E079.format(path=path, found=nlp.meta.get("rules_hash"), expected=rules_hash))
    _MODELS[path] = nlp
    _LOADED_WORDS[path] = len(nlp.vocab)
    return nlp, True


def _reader(model: "str | dict[str, str]", reload_after_words: int,
            rules_hash: "str | dict[str, str] | None", max_chars: int) -> tuple[Any, bool]:
    """The pipeline at ``model``, or (a language -> path mapping) a Router over those pipelines;
    each takes texts up to ``max_chars`` (the reader refused longer ones already)."""
    if isinstance(model, str):
        nlp, fresh = _model(model, reload_after_words, rules_hash if isinstance(rules_hash, str) else None)
        nlp.max_length = max(nlp.max_length, max_chars)
        return nlp, fresh
    from .routing import Router, _loader

    hashes = rules_hash if isinstance(rules_hash, dict) else {}
    loaded: list[bool] = []

    def loader(lang: str, path: str) -> Any:
        nlp, fresh = _model(path, reload_after_words, hashes.get(lang))
        nlp.max_length = max(nlp.max_length, max_chars)
        loaded.append(fresh)
        return nlp

    router = Router({lang: _loader(loader, lang, path) for lang, path in model.items()})
    return router, any(loaded)


def _annotated(nlp: Any, job: ShardJob, clock: DocClock) -> Iterator[tuple[int, Any]]:
    """``(index, Doc)`` for each document of the shard, or ``(index, exception)`` for one
    that raised or ran out of time.

    Documents go through the pipeline ``batch_size`` at a time (each component takes the
    batch: about a quarter less time), under the budget of the batch's largest document. A
    batch that raises or runs over is run again a document at a time, each under its own
    budget: the one that fails is named, and the others are kept.
    """
    from .annotate import annotate

    records = job.records
    todo = [i for i in range(len(records)) if i not in job.failed]
    size = max(1, job.batch_size)
    for start in range(0, len(todo), size):
        batch = todo[start:start + size]
        if len(batch) > 1:
            clock.arm_batch(batch[0], [len(records[i].text) for i in batch])
            try:
                docs = list(annotate(nlp, [records[i] for i in batch], batch_size=size, streaming=False))
            except Exception:  # noqa: BLE001 - the batch is run again a document at a time
                docs = None
            finally:
                clock.disarm()
            if docs is not None:
                yield from zip(batch, docs, strict=True)
                continue
        for i in batch:
            clock.arm(i, len(records[i].text))
            try:
                doc = next(iter(annotate(nlp, [records[i]], batch_size=1)))
            except Exception as exc:  # noqa: BLE001 - reported with the record, never swallowed
                clock.disarm()
                yield i, exc
                continue
            clock.disarm()
            yield i, doc


def process_shard(job: ShardJob) -> dict[str, Any]:
    """Annotate one shard and write its part files; return its stats.

    A document that makes the pipeline raise, or that runs out of time, is a
    failure; the rest of the shard is still written.
    """
    from spacy.attrs import IS_SPACE

    from .table import doc_entities, doc_events

    started = time.perf_counter()
    nlp, loaded = _reader(job.model, job.reload_after_words, job.rules_hash, job.max_chars)
    languages: dict[str, int] = {}
    events: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    failed: list[tuple[int, dict[str, Any]]] = []
    processed = words = 0

    def fail(i: int, message: str) -> None:
        record = job.records[i]
        failed.append((i, Failure(record.source, record.line, message, asdict(record)).to_dict()))

    for i in job.failed:
        fail(i, job.failed[i])
    with DocClock(job.doc_timeout, job.slot) as clock:
        for i, got in _annotated(nlp, job, clock):
            record = job.records[i]
            if isinstance(got, DocTimeout):
                fail(i, Errors.E070.format(path=record.source, line=record.line, doc_id=record.doc_id,
                                           seconds=clock.limit, timeout=job.doc_timeout))
            elif isinstance(got, Exception):
                fail(i, Errors.E031.format(path=record.source, line=record.line, doc_id=record.doc_id,
                                           detail=f"{type(got).__name__}: {got}"))
            else:  # keep the rows, not the Doc: a shard of Docs alive makes the GC work
                events.extend(doc_events(got))
                entities.extend(doc_entities(got, record.text))
                processed += 1
                languages[got.lang_] = languages.get(got.lang_, 0) + 1
                words += len(got) - int(got.to_array(IS_SPACE).sum()) if len(got) else 0
    failures = [row for _, row in sorted(failed, key=lambda pair: pair[0])]
    root = Path(job.output) / SHARD_DIR
    name = f"part-{job.index:05d}"
    table = to_arrow(events_frame(events), EVENT_COLUMNS)
    facts_started = time.perf_counter()
    rules = job.facts or _pipeline_fact_rules(nlp)
    if rules is not None:  # each document's facts, written for the run's merge (pipeline.factparts)
        part, fact_ids = shard_part(table, BlockKeys.of(rules))
        at = table.schema.get_field_index("fact_id")
        table = table.set_column(at, table.schema.field(at), fact_ids)
        write_parquet(part, root / PART_DIR / f"{name}.parquet")
    facts_seconds = time.perf_counter() - facts_started
    write_parquet(table, root / "events" / f"{name}.parquet")
    write_table(entities_frame(entities), root / "entities" / f"{name}.parquet", "parquet", ENTITY_COLUMNS)
    stats = {"index": job.index, "docs": len(job.records), "processed": processed, "failed": len(failures),
             "events": len(events), "entities": len(entities), "words": words, "failures": failures,
             "loaded_pipeline": loaded, "languages": languages, "facts_seconds": round(facts_seconds, 4),
             "rules_hash": job.rules_hash,
             "seconds": round(time.perf_counter() - started, 4), "pid": os.getpid(),
             "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    write_json(root / f"{name}.json", stats)  # written last: the shard is complete
    return stats


def _pipeline_fact_rules(nlp: Any) -> FactsFile | None:
    """The fact rules saved in a loaded pipeline (or Router), None for one built without."""
    from .components.facts import fact_rules_of

    return fact_rules_of(nlp)


def timed_out(job: ShardJob, index: int) -> str:
    """The failure of a document whose worker the driver had to kill."""
    record = job.records[index]
    return Errors.E071.format(path=record.source, line=record.line, doc_id=record.doc_id,
                              seconds=budget(job.doc_timeout, len(record.text)))


# --- the driver ------------------------------------------------------------------------
class _Logs:
    """failures.jsonl, duplicates.jsonl and warnings.jsonl, written as rows come (flat memory)."""

    def __init__(self, output: Path):
        self.failures = JsonLinesWriter(output / "failures.jsonl")
        self.duplicates = JsonLinesWriter(output / "duplicates.jsonl")
        self.warnings = JsonLinesWriter(output / "warnings.jsonl")

    def close(self) -> None:
        for log in (self.failures, self.duplicates, self.warnings):
            log.close()

    def discard(self) -> None:
        for log in (self.failures, self.duplicates, self.warnings):
            log.discard()


def _shards(items: Iterator[Any], config: RunConfig, seen: SeenIndex, counts: Counts,
            logs: _Logs, reprint: Callable[[dict[str, Any]], None]) -> Iterator[tuple[int, list[Record]]]:
    """Shards of readable, first-seen records; everything else is counted and kept."""
    shard: list[Record] = []
    index = 0
    for item in items:
        counts.docs_read += 1
        if isinstance(item, Failure):
            counts.docs_failed += 1
            logs.failures.write(item.to_dict())
            if config.on_error == "fail":
                raise RunAborted(item.message)
            continue
        first = seen.add_id(item.doc_id, item.source, item.line)
        if first is not None:
            message = Errors.E026.format(path=item.source, line=item.line, doc_id=item.doc_id,
                                         first=f"{first[0]}:{first[1]}")
            counts.docs_failed += 1
            logs.failures.write(Failure(item.source, item.line, message, asdict(item)).to_dict())
            if config.on_error == "fail":
                raise RunAborted(message)
            continue
        for message in item.warnings:
            logs.warnings.write({"source": item.source, "line": item.line, "doc_id": item.doc_id,
                                 "warning": message})
        same_as = seen.add_text(item.text, item.doc_id)
        if same_as is not None:
            counts.docs_duplicate += 1
            duplicate = {"doc_id": item.doc_id, "same_as": same_as, "source": item.source, "line": item.line,
                         "published": item.published}
            logs.duplicates.write(duplicate)
            reprint(duplicate)  # a reprint: a mention of its original's facts
            continue
        shard.append(item)
        if len(shard) >= config.shard_size:
            yield index, shard
            index, shard = index + 1, []
    if shard:
        yield index, shard


def _finished(config: RunConfig, index: int) -> dict[str, Any] | None:
    path = config.output / SHARD_DIR / f"part-{index:05d}.json"
    if not path.exists():
        return None
    try:
        stats = srsly.read_json(path)
    except ValueError:  # cut short by a full disk or a kill: the shard is done again
        return None
    parts = [config.output / SHARD_DIR / sub / f"part-{index:05d}.parquet" for sub in ("events", "entities", PART_DIR)]
    return stats if all(p.exists() for p in parts) else None


def count_documents(paths: Sequence["str | Path"]) -> int | None:
    """A quick upper bound of the documents in the inputs (for the progress bar), or None."""
    total = 0
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            total += sum(1 for p in path.rglob("*.txt"))
        elif path.suffix == ".txt":
            total += 1
        elif path.name.endswith((".jsonl", ".ndjson", ".json")):
            try:
                with open(path, "rb") as handle:  # by blocks: one line may be larger than memory
                    ends = last = 0
                    for block in iter(lambda: handle.read(1 << 20), b""):  # noqa: B023 - used at once
                        ends += block.count(b"\n")
                        last = block[-1]
            except OSError:  # the run reports it as a failure; the bar just has no total
                return None
            total += ends + (last not in (0, 10))
        else:
            return None
    return total


def _languages(config: RunConfig) -> dict[str, str]:
    """Language -> pipeline folder when the run routes documents by language (no --model given);
    {} when one pipeline reads everything."""
    from .annotate import DEFAULT_MODEL, MODEL_ENV
    from .languages import AUTO, DEFAULT_LANG, built, check_lang, default_model

    if config.model is not None or (os.environ.get(MODEL_ENV) and config.lang in (AUTO, DEFAULT_LANG)):
        return {}
    found = {lang: str(path.resolve()) for lang, path in built(DEFAULT_MODEL.parent).items()}
    found[DEFAULT_LANG] = str(DEFAULT_MODEL.resolve())
    if config.lang == AUTO:
        return found
    check_lang(config.lang, found, allow_auto=False)
    return {config.lang: found.get(config.lang, str(default_model(config.lang)))}


def _pipeline_meta(model: str) -> dict[str, Any]:
    if not (Path(model) / "config.cfg").exists():
        raise ModelError(Errors.E010.format(path=model))
    meta_path = Path(model) / "meta.json"
    try:
        meta = srsly.read_json(meta_path) if meta_path.exists() else {}
    except (OSError, ValueError) as exc:
        raise ModelError(Errors.E082.format(path=model, detail=f"its meta.json cannot be read: {exc}")) from None
    if not isinstance(meta, dict) or not meta.get("rules_hash"):
        raise ModelError(Errors.E082.format(path=model, detail="its meta.json has no rules_hash"))
    return {"name": meta.get("name"), "version": meta.get("version"), "rules_hash": meta.get("rules_hash"),
            "path": str(model)}


def run_corpus(inputs: Sequence["str | Path"], config: RunConfig,
               progress: Progress | None = None) -> dict[str, Any]:
    """Process every input document; write the tables, failures and the manifest. Returns the manifest.

    Raises ``RunStopped`` when stopped by a signal or a full disk (the finished shards
    are kept for ``--resume``), and other ``CrackdownError``s for what a user can fix.
    """
    from .annotate import model_path
    from .outputs import check_format

    check_format(config.fmt)
    check_inputs(inputs)
    if config.engine not in ("local", "dask"):
        raise InputError(Errors.E033.format(engine=config.engine))
    single = str(model_path(config.model).resolve())
    routed = _languages(config)
    model: str | dict[str, str] = routed or single
    pipeline = _pipeline_meta(routed.get("en", next(iter(routed.values()))) if routed else single)
    if routed:
        pipeline["languages"] = {lang: _pipeline_meta(path) for lang, path in routed.items()}
    config = replace(config, output=config.output.resolve())  # Dask workers may run in another folder
    with open_folder(config.output), _sigterm_stops():
        try:
            return _run(inputs, config, model, pipeline, progress)
        except KeyboardInterrupt as exc:
            name = "SIGTERM" if isinstance(exc, _Terminated) else "SIGINT (Ctrl-C)"
            code = 128 + (signal.SIGTERM if isinstance(exc, _Terminated) else signal.SIGINT)
            raise RunStopped(Errors.E073.format(signal=name, path=config.output / SHARD_DIR), code) from None
        except (OSError, sqlite3.OperationalError) as exc:
            raise _write_error(config.output, exc) from None


def _write_error(output: Path, exc: BaseException) -> RunStopped:
    """A one-line error for an output that cannot be written (a full disk above all)."""
    path = getattr(exc, "filename", None) or output
    text = str(exc)
    full = getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "No space left" in text \
        or "disk is full" in text or "Disk quota" in text
    detail = getattr(exc, "strerror", None) or text
    return RunStopped((Errors.E072 if full else Errors.E074).format(path=path, detail=detail))


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """SIGTERM stops a run as Ctrl-C does (a handler can only be set in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(inputs: Sequence["str | Path"], config: RunConfig, model: "str | dict[str, str]", pipeline: dict[str, Any],
         progress: Progress | None) -> dict[str, Any]:
    """The run itself, in a locked output folder."""
    inputs_seen = input_files(inputs)
    read = asdict(config.read)
    prepare_shards(config.output, {**pipeline, "shard_size": config.shard_size, "read": read,
                                   "inputs": inputs_seen}, config.resume)
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    counts = Counts()
    stats: dict[int, dict[str, Any]] = {}
    resumed = loads = 0
    logs = _Logs(config.output)
    seen = final = None
    try:
        final = ConsolidatorProcess(config)  # forked first: it carries no pipeline and no open index
        seen = SeenIndex(config.output / SHARD_DIR / "seen.sqlite")
        shards = _shards(iter_inputs(inputs, config.read), config, seen, counts, logs, final.duplicate)

        def jobs() -> Iterator[ShardJob]:
            nonlocal resumed
            for index, records in shards:
                done = _finished(config, index) if config.resume else None
                if done is not None:
                    stats[index] = done
                    final.add(index)
                    resumed += 1
                    if progress:
                        progress(len(records))
                    continue
                hashes = {lang: meta["rules_hash"] for lang, meta in pipeline.get("languages", {}).items()}
                yield ShardJob(index, records, model, hashes or pipeline["rules_hash"], str(config.output),
                               config.batch_size, config.reload_after_words, config.doc_timeout,
                               config.read.max_chars, facts=final.rules)

        def collect(result: dict[str, Any]) -> None:
            nonlocal loads
            stats[result["index"]] = result
            loads += int(result["loaded_pipeline"])
            if progress:
                progress(result["docs"])
            if config.on_error == "fail" and result["failures"]:
                raise RunAborted(result["failures"][0]["error"])
            final.add(result["index"])

        with _arrow_system_pool():
            if config.engine == "dask":
                _run_dask(jobs(), config, collect)
            elif config.workers <= 1:
                for job in jobs():
                    collect(process_shard(job))
            else:
                from .pool import ShardPool

                ShardPool(config.workers, max(2, config.workers * 2), process_shard, timed_out,
                          spool=Path(config.output) / SHARD_DIR).run(jobs(), collect)
            outputs = final.close()
        for index in sorted(stats):
            for failure in stats[index]["failures"]:
                logs.failures.write(failure)
        logs.close()
    except BaseException:
        if final is not None:
            final.discard()
        logs.discard()
        raise
    finally:
        if seen is not None:
            seen.close()

    languages: dict[str, int] = {}
    for index in sorted(stats):
        shard = stats[index]
        counts.docs_processed += shard["processed"]
        counts.docs_failed += shard["failed"]
        counts.events += shard["events"]
        counts.entities += shard["entities"]
        counts.words += shard["words"]
        for lang, docs in shard.get("languages", {}).items():
            languages[lang] = languages.get(lang, 0) + docs
    counts.facts = final.facts_written
    seconds = time.perf_counter() - started
    manifest = {
        "crackdown_version": __version__,
        "pipeline": pipeline,
        "inputs": inputs_seen,
        "format": config.fmt,
        "engine": config.engine,
        "workers": config.workers,
        "shard_size": config.shard_size,
        "doc_timeout": config.doc_timeout,
        "max_chars": config.read.max_chars,
        "shards": len(stats),
        "shards_resumed": resumed,
        "peak_rss_mb_per_worker": _peak_rss(stats),
        "pipeline_loads": loads,
        "driver": {**_driver_usage(), "consolidator_peak_rss_mb": round(final.peak_rss_mb, 1),
                   "consolidator_cpu_seconds": round(final.cpu_seconds, 3)},
        "counts": {k: v for k, v in asdict(counts).items() if k != "words"},
        "languages": dict(sorted(languages.items())),  # documents processed per language
        "warnings": logs.warnings.rows,
        "timings": {"started": started_at.isoformat(timespec="seconds"),
                    "finished": datetime.now(UTC).isoformat(timespec="seconds"),
                    "seconds": round(seconds, 3),
                    "docs_per_second": round(counts.docs_processed / seconds, 2) if seconds else None,
                    "words_per_second": round(counts.words / seconds, 1) if seconds else None,
                    # the run's wait for the consolidating process (at the end: its last shards and
                    # the facts file); that process's own wall and CPU time on facts
                    "facts_seconds": round(final.facts_seconds, 3),
                    "consolidator_facts_seconds": round(final.consolidator_facts_seconds, 3),
                    "facts_cpu_seconds": round(final.facts_cpu_seconds, 3),
                    "worker_facts_seconds": round(sum(shard.get("facts_seconds", 0.0) for shard in stats.values()), 3)},
        "outputs": outputs,
    }
    counts.check()
    write_json(config.output / "manifest.json", manifest)
    return manifest


@contextmanager
def _arrow_system_pool() -> Iterator[None]:
    """Arrow's default allocator (mimalloc) keeps what it frees: about 35 MB of a run's peak
    in the calling process, measured. A run's tables are small, so the C allocator is as
    fast here and gives memory back. The caller's own pool is restored afterwards."""
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _driver_usage() -> dict[str, float]:
    """What the calling process itself used (imports included): it reads and deduplicates, and
    with one worker it also runs the pipeline (its consolidating child writes the final files:
    ``consolidator_*`` beside these)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3)}


def _peak_rss(stats: dict[int, dict[str, Any]]) -> dict[str, float]:
    """The peak resident memory each worker process reached (MB), by process id."""
    peaks: dict[str, float] = {}
    for shard in stats.values():
        if "pid" in shard:
            key = str(shard["pid"])
            peaks[key] = max(peaks.get(key, 0.0), shard.get("peak_rss_mb", 0.0))
    return peaks


def _run_dask(jobs: Iterator[ShardJob], config: RunConfig, collect: Callable[[dict[str, Any]], None]) -> None:
    """The same shard function on a Dask cluster (a LocalCluster when no scheduler is given)."""
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import wait as dask_wait
    except ImportError as exc:
        raise InputError(Errors.E034.format(detail=exc)) from exc
    cluster = None
    if config.scheduler:
        try:
            client = Client(config.scheduler, timeout=config.connect_timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(Errors.E080.format(address=config.scheduler, timeout=config.connect_timeout,
                                                detail=str(exc).splitlines()[0] if str(exc) else
                                                type(exc).__name__)) from None
    else:
        cluster = LocalCluster(n_workers=max(1, config.workers), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        window = max(2, config.workers * 2)
        running: list[Any] = []
        for job in jobs:
            running.append(client.submit(process_shard, job, pure=False))
            if len(running) >= window:
                finished = dask_wait(running, return_when="FIRST_COMPLETED").done
                for future in finished:
                    collect(future.result())
                running = [f for f in running if f not in finished]
        for future in running:
            collect(future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
