"""Read documents from JSON Lines (plain or gzipped), text files, folders, CSV and Parquet.

Reading streams: one record at a time, so memory does not grow with the corpus.
A bad record never stops the stream and is never dropped silently: it comes out
as a ``Failure`` that names the file, the line and what is wrong, and keeps the
original record for inspection.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Union

import jsonlines

from .errors import Errors, InputError, Warnings

DEFAULT_MAX_CHARS = 2_000_000
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".json")
BINARY_SNIFF = 4096


@dataclass(slots=True)
class Record:
    """One document to process."""

    doc_id: str
    text: str
    published: str | None = None
    source: str = ""
    line: int = 0
    warnings: list[str] = field(default_factory=list)
    lang: str | None = None  # the record's own `lang` field, if it has one (else it is detected)


@dataclass
class Failure:
    """A record that could not be read; ``message`` says where and why."""

    source: str
    line: int
    message: str
    record: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "error": self.message, "record": self.record}


Item = Union[Record, Failure]


@dataclass
class ReadOptions:
    """Field names and limits for reading inputs."""

    text_field: str = "text"
    id_field: str = "id"
    date_field: str = "published"
    max_chars: int = DEFAULT_MAX_CHARS


def parse_published(value: Any) -> str | None:
    """An ISO date string from 'YYYY-MM-DD' (a time part is dropped); ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()
    return date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else date.fromisoformat(text).isoformat()


def make_record(obj: Any, source: str, line: int, options: ReadOptions, fallback_id: str) -> Item:
    """Validate one parsed object into a Record, or a Failure saying what is wrong."""
    if not isinstance(obj, dict):
        kind = type(obj).__name__ if obj is not None else "null"
        return Failure(source, line, Errors.E021.format(path=source, line=line, kind=kind), obj)
    text = obj.get(options.text_field)
    problem = None
    if options.text_field not in obj:
        problem = "missing"
    elif text is None:
        problem = "null"
    elif not isinstance(text, str):
        problem = f"a {type(text).__name__}, not a string"
    elif not text.strip():
        problem = "empty"
    if problem:
        return Failure(source, line, Errors.E022.format(path=source, line=line, problem=problem), obj)
    assert isinstance(text, str)
    if len(text) > options.max_chars:
        return Failure(source, line, Errors.E025.format(path=source, line=line, chars=len(text),
                                                         limit=options.max_chars), obj)
    raw_id = obj.get(options.id_field, fallback_id)
    if raw_id is None or isinstance(raw_id, (dict, list, bool)) or str(raw_id).strip() == "":
        return Failure(source, line, Errors.E030.format(path=source, line=line,
                                                         problem=repr(raw_id)), obj)
    record = Record(str(raw_id), text, None, source, line)
    lang = obj.get("lang")
    if isinstance(lang, str) and lang.strip():
        record.lang = lang.strip()
    value = obj.get(options.date_field)
    try:
        record.published = parse_published(value)
    except (TypeError, ValueError):
        record.warnings.append(Warnings.W001.format(path=source, line=line, value=value))
    return record


def _lines(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:  # type: ignore[operator]
        yield from handle


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Records of a JSON Lines file; blank lines are skipped, bad lines become Failures."""
    source = str(path)
    for number, raw in enumerate(_lines(path), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Failure(source, number, Errors.E023.format(path=f"{source} line {number}", detail=exc),
                          raw.decode("utf-8", errors="replace"))
            continue
        if not line.strip():
            continue
        reader = jsonlines.Reader([line])
        try:
            obj = reader.read()
        except jsonlines.InvalidLineError as exc:
            detail = str(exc.__cause__ or exc).split(" (line")[0]
            yield Failure(source, number, Errors.E020.format(path=source, line=number, detail=detail),
                          line.rstrip("\n"))
            continue
        yield make_record(obj, source, number, options, fallback_id=f"{path.stem}:{number}")


def read_text_file(path: Path, doc_id: str, options: ReadOptions) -> Item:
    """A whole .txt file as one document."""
    source = str(path)
    data = path.read_bytes()
    if b"\x00" in data[:BINARY_SNIFF]:
        return Failure(source, 0, Errors.E024.format(path=source), None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Failure(source, 0, Errors.E023.format(path=source, detail=exc), None)
    return make_record({options.text_field: text, options.id_field: doc_id}, source, 0, options, doc_id)


def read_table(path: Path, options: ReadOptions, batch_rows: int = 2048) -> Iterator[Item]:
    """Rows of a CSV or Parquet file, streamed in batches."""
    source = str(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(path)
        number = 0
        for batch in parquet.iter_batches(batch_size=batch_rows):
            for row in batch.to_pylist():
                number += 1
                yield make_record(row, source, number, options, fallback_id=f"{path.stem}:{number}")
        return
    import pandas as pd

    number = 0
    for chunk in pd.read_csv(path, chunksize=batch_rows, dtype=str, keep_default_na=False):
        if number == 0 and options.text_field not in chunk.columns:
            yield Failure(source, 1, Errors.E029.format(path=source, line=1, field=options.text_field,
                                                        expected=", ".join(map(str, chunk.columns))))
            return
        for row in chunk.to_dict("records"):
            number += 1
            # line 1 is the header
            yield make_record(row, source, number + 1, options, fallback_id=f"{path.stem}:{number}")


def check_inputs(paths: Sequence["str | Path"]) -> None:
    """Raise InputError for a missing or unsupported input before any work starts."""
    for raw_path in paths:
        path = Path(raw_path)
        if not path.exists():
            raise InputError(Errors.E028.format(path=path), path=str(path))
        if not path.is_dir() and not path.name.endswith(JSONL_SUFFIXES) \
                and path.suffix not in (".txt", ".csv", ".parquet"):
            raise InputError(Errors.E027.format(path=path), path=str(path))


def iter_inputs(paths: Sequence["str | Path"], options: ReadOptions | None = None) -> Iterator[Item]:
    """Every record of every input, in order; raises InputError only for a missing path."""
    options = options or ReadOptions()
    for raw_path in paths:
        path = Path(raw_path)
        if not path.exists():
            raise InputError(Errors.E028.format(path=path), path=str(path))
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*.txt") if p.is_file()):
                yield read_text_file(file, str(file.relative_to(path)), options)
        elif path.name.endswith(JSONL_SUFFIXES):
            yield from read_jsonl(path, options)
        elif path.suffix == ".txt":
            yield read_text_file(path, path.stem, options)
        elif path.suffix in (".csv", ".parquet"):
            yield from read_table(path, options)
        else:
            raise InputError(Errors.E027.format(path=path), path=str(path))


def records_from(items: Iterable[Any], options: ReadOptions | None = None) -> Iterator[Record]:
    """Records from Python values: strings (ids "0", "1", ...) or dicts; raises on bad ones."""
    options = options or ReadOptions()
    for index, item in enumerate(items):
        if isinstance(item, Record):
            yield item
            continue
        obj = {options.text_field: item, options.id_field: str(index)} if isinstance(item, str) else item
        result = make_record(obj, "<input>", index + 1, options, fallback_id=str(index))
        if isinstance(result, Failure):
            raise InputError(result.message, path="<input>", line=index + 1, record=item)
        yield result


def read_text_arg(value: str) -> str:
    """The text of a CLI argument: a file's content if it names a file, else the value."""
    path = Path(value)
    try:
        if len(value) < 4096 and path.is_file():
            return path.read_text(encoding="utf-8")
    except OSError:
        pass
    return value


__all__ = ["Failure", "Record", "ReadOptions", "iter_inputs", "records_from", "parse_published",
           "read_text_arg"]
