"""Run the pipeline over a corpus: stream, shard, process in parallel, write, count.

The input stream is cut into shards of ``shard_size`` documents, in input order.
Each shard is processed by a worker that loads the pipeline once and writes its
rows as Parquet part files (temp file, then rename) plus a stats file that marks
it finished; ``--resume`` skips finished shards. The final tables are the shards
concatenated in order, so their content and order do not depend on the number
of workers, the engine, or whether the run was resumed.

Every document read is counted once as processed, failed or duplicate; failures
are written to ``failures.jsonl`` with their original record.
"""

from __future__ import annotations

import gc
import hashlib
import os
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import srsly

from .about import __version__
from .errors import CrackdownError, Errors, InputError
from .factindex import FactIndex
from .outputs import JsonLinesAppender, TableAppender, write_json, write_jsonl, write_table
from .reader import Failure, ReadOptions, Record, check_inputs, iter_inputs
from .rules import FactsFile
from .schema import ENTITY_COLUMNS, EVENT_COLUMNS, FACT_COLUMNS, arrow_schema, conform, entities_frame, events_frame
from .seen import SeenIndex

DEFAULT_SHARD_SIZE = 500
DEFAULT_RELOAD_AFTER_WORDS = 30_000  # new vocabulary entries, about 9 MB (measured: ~300 bytes each)
SHARD_DIR = "shards"
Progress = Callable[[int], None]


class RunAborted(CrackdownError):
    """``--on-error fail``: the run stopped at its first failure."""


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
    read: ReadOptions = field(default_factory=ReadOptions)
    reload_after_words: int = DEFAULT_RELOAD_AFTER_WORDS


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


# --- the shard function (runs in workers) -----------------------------------------------
_MODELS: dict[str, Any] = {}
_LOADED_WORDS: dict[str, int] = {}


def _model(path: str, reload_after_words: int = 0) -> tuple[Any, bool]:
    """The pipeline at ``path``, loaded once per process, and whether it was loaded now.

    spaCy's vocabulary keeps every word it meets, so a worker that lives through a big
    corpus would grow with it. Once the vocabulary has grown by ``reload_after_words``
    entries (0: never), the pipeline is loaded afresh and the old one freed; the output
    is the same, only the caches start cold.
    """
    nlp = _MODELS.get(path)
    if nlp is not None and reload_after_words and len(nlp.vocab) - _LOADED_WORDS[path] >= reload_after_words:
        del _MODELS[path], nlp
        gc.collect()  # the pipeline's objects refer to each other: free them before loading again
        nlp = None
    if nlp is not None:
        return nlp, False
    from .annotate import load

    _MODELS[path] = nlp = load(path)
    _LOADED_WORDS[path] = len(nlp.vocab)
    return nlp, True


def process_shard(index: int, records: list[Record], model: str, output: str,
                  batch_size: int = 64, reload_after_words: int = 0) -> dict[str, Any]:
    """Annotate one shard and write its part files; return its stats.

    A document that makes the pipeline raise is isolated and reported as a
    failure; the rest of the shard is still written.
    """
    from spacy.attrs import IS_SPACE

    from .annotate import annotate
    from .table import doc_entities, doc_events

    started = time.perf_counter()
    nlp, loaded = _model(model, reload_after_words)
    events: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    processed = words = 0

    def take(record: Record, doc: Any) -> None:
        """Keep a document's rows, not the Doc: a shard of Docs alive makes the GC work."""
        nonlocal processed, words
        events.extend(doc_events(doc))
        entities.extend(doc_entities(doc, record.text))
        processed += 1
        words += len(doc) - int(doc.to_array(IS_SPACE).sum()) if len(doc) else 0

    try:
        for record, doc in zip(records, annotate(nlp, records, batch_size=batch_size), strict=True):
            take(record, doc)
    except Exception:  # isolate the failing document(s): start again, one at a time
        events.clear()
        entities.clear()
        processed = words = 0
        for record in records:
            try:
                doc = next(iter(annotate(nlp, [record], batch_size=1)))
            except Exception as exc:  # noqa: BLE001 - reported with the record, never swallowed
                failures.append(Failure(record.source, record.line, Errors.E031.format(
                    path=record.source, line=record.line, doc_id=record.doc_id,
                    detail=f"{type(exc).__name__}: {exc}"), asdict(record)).to_dict())
                continue
            take(record, doc)
    root = Path(output) / SHARD_DIR
    name = f"part-{index:05d}"
    write_table(events_frame(events), root / "events" / f"{name}.parquet", "parquet", EVENT_COLUMNS)
    write_table(entities_frame(entities), root / "entities" / f"{name}.parquet", "parquet", ENTITY_COLUMNS)
    stats = {"index": index, "docs": len(records), "processed": processed, "failed": len(failures),
             "events": len(events), "entities": len(entities), "words": words, "failures": failures,
             "loaded_pipeline": loaded,
             "seconds": round(time.perf_counter() - started, 4), "pid": os.getpid(),
             "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    write_json(root / f"{name}.json", stats)  # written last: the shard is complete
    return stats


# --- the driver ------------------------------------------------------------------------
def _shards(items: Iterator[Any], config: RunConfig, seen: SeenIndex, counts: Counts,
            failures: list[dict[str, Any]], duplicates: "_Consolidator",
            warnings: list[dict[str, Any]]) -> Iterator[tuple[int, list[Record]]]:
    """Shards of readable, first-seen records; everything else is counted and kept."""
    shard: list[Record] = []
    index = 0
    for item in items:
        counts.docs_read += 1
        if isinstance(item, Failure):
            counts.docs_failed += 1
            failures.append(item.to_dict())
            if config.on_error == "fail":
                raise RunAborted(item.message)
            continue
        first = seen.add_id(item.doc_id, item.source, item.line)
        if first is not None:
            message = Errors.E026.format(path=item.source, line=item.line, doc_id=item.doc_id,
                                         first=f"{first[0]}:{first[1]}")
            counts.docs_failed += 1
            failures.append(Failure(item.source, item.line, message, asdict(item)).to_dict())
            if config.on_error == "fail":
                raise RunAborted(message)
            continue
        for message in item.warnings:
            warnings.append({"source": item.source, "line": item.line, "doc_id": item.doc_id,
                             "warning": message})
        same_as = seen.add_text(item.text, item.doc_id)
        if same_as is not None:
            counts.docs_duplicate += 1
            duplicates.duplicate({"doc_id": item.doc_id, "same_as": same_as, "source": item.source,
                                  "line": item.line, "published": item.published})
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
    stats = srsly.read_json(path)
    parts = [config.output / SHARD_DIR / sub / f"part-{index:05d}.parquet" for sub in ("events", "entities")]
    return stats if all(p.exists() for p in parts) else None


def _check_resume(config: RunConfig, pipeline: dict[str, Any]) -> None:
    manifest = config.output / "manifest.json"
    marker = config.output / SHARD_DIR / "pipeline.json"
    identity = {**pipeline, "shard_size": config.shard_size}
    if config.resume and marker.exists():
        found = srsly.read_json(marker)
        if (found.get("rules_hash"), found.get("shard_size")) != (identity["rules_hash"], config.shard_size):
            raise InputError(Errors.E032.format(
                path=config.output, found=f"{found.get('rules_hash')}/{found.get('shard_size')}",
                expected=f"{identity['rules_hash']}/{config.shard_size}"))
    if not config.resume:
        root = config.output / SHARD_DIR
        if root.exists():
            for path in sorted(root.rglob("part-*")):
                path.unlink()
        if manifest.exists():
            manifest.unlink()
    (config.output / SHARD_DIR).mkdir(parents=True, exist_ok=True)
    write_json(marker, identity)


def _input_manifest(paths: Sequence["str | Path"]) -> list[dict[str, Any]]:
    out = []
    for raw in paths:
        path = Path(raw)
        files = sorted(p for p in path.rglob("*.txt") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest = hashlib.sha256()
            with open(file, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            out.append({"path": str(file), "size": file.stat().st_size, "sha256": digest.hexdigest()})
    return out


def count_documents(paths: Sequence["str | Path"]) -> int | None:
    """A quick upper bound of the documents in the inputs (for the progress bar), or None."""
    total = 0
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            total += sum(1 for p in path.rglob("*.txt") if p.is_file())
        elif path.suffix == ".txt":
            total += 1
        elif path.name.endswith((".jsonl", ".ndjson", ".json")):
            with open(path, "rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            return None
    return total


def _pipeline_meta(model: str) -> dict[str, Any]:
    meta_path = Path(model) / "meta.json"
    meta = srsly.read_json(meta_path) if meta_path.exists() else {}
    return {"name": meta.get("name"), "version": meta.get("version"), "rules_hash": meta.get("rules_hash"),
            "path": str(model)}


def run_corpus(inputs: Sequence["str | Path"], config: RunConfig,
               progress: Progress | None = None) -> dict[str, Any]:
    """Process every input document; write the tables, failures and the manifest. Returns the manifest."""
    from .annotate import model_path
    from .outputs import check_format

    check_format(config.fmt)
    check_inputs(inputs)
    if config.engine not in ("local", "dask"):
        raise InputError(Errors.E033.format(engine=config.engine))
    model = str(model_path(config.model).resolve())
    if not (Path(model) / "config.cfg").exists():
        from .errors import ModelError

        raise ModelError(Errors.E010.format(path=model))
    config.output.mkdir(parents=True, exist_ok=True)
    pipeline = _pipeline_meta(model)
    _check_resume(config, pipeline)
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    counts = Counts()
    failures: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    stats: dict[int, dict[str, Any]] = {}
    seen = SeenIndex(config.output / SHARD_DIR / "seen.sqlite")
    final = _Consolidator(config)
    shards = _shards(iter_inputs(inputs, config.read), config, seen, counts, failures, final, warnings)
    resumed = loads = 0

    def pending() -> Iterator[tuple[int, list[Record]]]:
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
            yield index, records

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
        try:
            if config.engine == "dask":
                _run_dask(pending(), config, model, collect)
            elif config.workers <= 1:
                for index, records in pending():
                    collect(process_shard(index, records, model, str(config.output), config.batch_size,
                                          config.reload_after_words))
            else:
                _run_pool(pending(), config, model, collect)
            outputs = final.close()
        except BaseException:
            final.discard()
            raise
        finally:
            seen.close()

    for index in sorted(stats):
        shard = stats[index]
        counts.docs_processed += shard["processed"]
        counts.docs_failed += shard["failed"]
        counts.events += shard["events"]
        counts.entities += shard["entities"]
        counts.words += shard["words"]
        failures.extend(shard["failures"])
    counts.facts = final.facts_written
    write_jsonl(config.output / "failures.jsonl", failures)
    write_jsonl(config.output / "warnings.jsonl", warnings)
    seconds = time.perf_counter() - started
    manifest = {
        "crackdown_version": __version__,
        "pipeline": pipeline,
        "inputs": _input_manifest(inputs),
        "format": config.fmt,
        "engine": config.engine,
        "workers": config.workers,
        "shard_size": config.shard_size,
        "shards": len(stats),
        "shards_resumed": resumed,
        "peak_rss_mb_per_worker": _peak_rss(stats),
        "pipeline_loads": loads,
        "driver": _driver_usage(),
        "counts": {k: v for k, v in asdict(counts).items() if k != "words"},
        "warnings": len(warnings),
        "timings": {"started": started_at.isoformat(timespec="seconds"),
                    "finished": datetime.now(UTC).isoformat(timespec="seconds"),
                    "seconds": round(seconds, 3),
                    "docs_per_second": round(counts.docs_processed / seconds, 2) if seconds else None,
                    "words_per_second": round(counts.words / seconds, 1) if seconds else None,
                    "facts_seconds": round(final.facts_seconds, 3)},
        "outputs": outputs,
    }
    assert counts.docs_read == counts.docs_processed + counts.docs_failed + counts.docs_duplicate, counts
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
    """What the calling process itself used (imports included): it reads, deduplicates and
    writes the final files, and with one worker it also runs the pipeline."""
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


def _run_pool(tasks: Iterator[tuple[int, list[Record]]], config: RunConfig, model: str,
              collect: Callable[[dict[str, Any]], None]) -> None:
    """Shards across worker processes, at most two in flight per worker (flat memory)."""
    window = max(2, config.workers * 2)
    with ProcessPoolExecutor(max_workers=config.workers) as pool:
        running: set = set()
        for index, records in tasks:
            running.add(pool.submit(process_shard, index, records, model, str(config.output),
                                    config.batch_size, config.reload_after_words))
            if len(running) >= window:
                done, running = _drain(running, collect)
        while running:
            done, running = _drain(running, collect)


def _drain(running: set, collect: Callable[[dict[str, Any]], None]) -> tuple[set, set]:
    done, rest = wait(running, return_when=FIRST_COMPLETED)
    for future in done:
        collect(future.result())
    return done, rest


def _run_dask(tasks: Iterator[tuple[int, list[Record]]], config: RunConfig, model: str,
              collect: Callable[[dict[str, Any]], None]) -> None:
    """The same shard function on a Dask cluster (a LocalCluster when no scheduler is given)."""
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import wait as dask_wait
    except ImportError as exc:
        raise InputError(Errors.E034.format(detail=exc)) from exc
    cluster = None
    if config.scheduler:
        client = Client(config.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, config.workers), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        window = max(2, config.workers * 2)
        running: list[Any] = []
        for index, records in tasks:
            running.append(client.submit(process_shard, index, records, model, str(config.output),
                                         config.batch_size, config.reload_after_words, pure=False))
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


class _Consolidator:
    """Appends each finished shard's part files to DIR/events.<fmt> and DIR/entities.<fmt>
    as soon as every earlier shard is done: the final files are in shard order, and they
    are written while the workers run rather than in one pass at the end.

    On the way, each shard's mentions are merged into the corpus facts (``FactIndex``, on
    disk beside the shards), in corpus order, and the event rows get their corpus fact ids;
    documents skipped as duplicate texts are reprints, mentions of their original's facts.
    ``close`` writes DIR/facts.<fmt> and DIR/duplicates.jsonl.
    """

    STEMS = (("events", EVENT_COLUMNS), ("entities", ENTITY_COLUMNS))
    FACT_INPUT = ("doc_id", "event_type", "value", "unit", "qualifier", "item", "drug", "provinces", "scope",
                  "operation", "period_start", "period_end", "kind", "start", "end", "published", "fact_id",
                  "sent_start")

    def __init__(self, config: RunConfig):
        self.config = config
        self.next = 0
        self.waiting: set[int] = set()
        self.appenders = {stem: TableAppender(config.output / f"{stem}.{config.fmt}", config.fmt, columns)
                          for stem, columns in self.STEMS}
        (config.output / SHARD_DIR).mkdir(parents=True, exist_ok=True)
        self.facts = FactIndex(config.output / SHARD_DIR / "facts.sqlite", fact_rules(config.model))
        self.duplicates = JsonLinesAppender(config.output / "duplicates.jsonl")
        self.facts_seconds = 0.0
        self.facts_written = 0

    def duplicate(self, record: dict[str, Any]) -> None:
        """A document skipped as the text of an earlier one: listed, and a reprint of its facts."""
        self.duplicates.append(record)
        started = time.perf_counter()
        self.facts.add_reprint(record["doc_id"], record["same_as"], record.get("published"))
        self.facts_seconds += time.perf_counter() - started

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
                table = self._with_facts(table)
            if self.config.fmt == "parquet":  # same schema as the parts: no round trip through pandas
                self.appenders[stem].append_arrow(table)
            else:
                self.appenders[stem].append(conform(table.to_pandas(), columns))

    def _with_facts(self, table: pa.Table) -> pa.Table:
        """The shard's event rows with their corpus fact ids (the facts merged so far)."""
        started = time.perf_counter()
        ids = self.facts.add_rows(table.select(list(self.FACT_INPUT)).to_pylist())
        at = table.schema.get_field_index("fact_id")
        table = table.set_column(at, table.schema.field(at), pa.array(ids, pa.string()))
        self.facts_seconds += time.perf_counter() - started
        return table

    def close(self) -> dict[str, str]:
        """Finish the files (any shards still held up go last, in order); return their paths."""
        for index in sorted(self.waiting):
            self._append(index)
        outputs = {}
        for stem, _ in self.STEMS:
            outputs[stem] = str(self.appenders[stem].close())
            outputs[f"{stem}_dataset"] = str(self.config.output / SHARD_DIR / stem)
        outputs["facts"] = str(self._write_facts())
        outputs["duplicates"] = str(self.duplicates.close())
        return outputs

    def _write_facts(self) -> Path:
        started = time.perf_counter()
        appender = TableAppender(self.config.output / f"facts.{self.config.fmt}", self.config.fmt, FACT_COLUMNS)
        try:
            for rows in self.facts.facts(chunk=2_000):  # small chunks: the caller's memory stays flat
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
        self.facts_seconds += time.perf_counter() - started
        return path

    def discard(self) -> None:
        """A run that stops early leaves its earlier final files, not half-written ones."""
        for appender in self.appenders.values():
            appender.discard()
        self.duplicates.discard()
        self.facts.close()


def fact_rules(model: "str | Path | None") -> FactsFile:
    """The fact merging rules saved in the pipeline at ``model`` (run time reads only models/)."""
    from .annotate import model_path
    from .components.base import RULES_FILE
    from .errors import ModelError

    path = model_path(model) / "facts" / RULES_FILE
    if not path.exists():
        raise ModelError(Errors.E016.format(path=model_path(model)))
    return FactsFile.model_validate(srsly.read_json(path)["facts"])
