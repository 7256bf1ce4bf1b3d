"""Read documents from JSON Lines (plain or gzipped), text files, folders, CSV and Parquet.

Reading streams: one record at a time, so memory does not grow with the corpus.
A bad record never stops the stream and is never dropped silently: it comes out
as a ``Failure`` that names the file, the line and what is wrong, and keeps the
original record for inspection.
"""

from __future__ import annotations

import os
import reprlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Union

from .errors import Errors, InputError, Warnings
from .sources import Bad, csv_rows, jsonl_objects, lone_surrogate, parquet_rows, read_text, text_files

# spaCy's own default nlp.max_length; a run sets each worker's max_length to --max-chars
DEFAULT_MAX_CHARS = 1_000_000
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".json")


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
    if not isinstance(value, str):  # a number, a list, bytes...: not a date, whatever str() makes of it
        raise ValueError(f"expected a YYYY-MM-DD string, got {type(value).__name__}")
    text = value.strip()
    return date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else date.fromisoformat(text).isoformat()


def short(value: Any) -> str:
    """A bounded repr for messages: a 10 MB field or a 900-deep list stays one short line."""
    return _SHORT.repr(value)


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 80


def _as_text(value: Any) -> Any:
    """Bytes (a Parquet binary column) as UTF-8 text when they are; anything else as it is."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return value
    return value


def make_record(obj: Any, source: str, line: int, options: ReadOptions, fallback_id: str) -> Item:
    """Validate one parsed object into a Record, or a Failure saying what is wrong."""
    if not isinstance(obj, dict):
        kind = type(obj).__name__ if obj is not None else "null"
        return Failure(source, line, Errors.E021.format(path=source, line=line, kind=kind), obj)
    text = _as_text(obj.get(options.text_field))
    problem = None
    if options.text_field not in obj:
        problem = "missing"
    elif text is None:
        problem = "null"
    elif isinstance(text, (bytes, bytearray, memoryview)):
        problem = "bytes that are not UTF-8"
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
    raw_id = _as_text(obj.get(options.id_field, fallback_id))
    if raw_id is None or isinstance(raw_id, (dict, list, tuple, bool, bytes, bytearray, memoryview)) \
            or str(raw_id).strip() == "":
        return Failure(source, line, Errors.E030.format(path=source, line=line,
                                                         problem=short(raw_id)), obj)
    doc_id = str(raw_id)
    for field_name, checked in ((options.text_field, text), (options.id_field, doc_id)):
        where = lone_surrogate(checked)
        if where is not None:
            return Failure(source, line, Errors.E069.format(path=source, line=line, field=field_name,
                                                             where=where), obj)
    record = Record(doc_id, text, None, source, line)
    lang = obj.get("lang")
    if isinstance(lang, str) and lang.strip():
        record.lang = lang.strip()
    value = obj.get(options.date_field)
    try:
        record.published = parse_published(value)
    except (TypeError, ValueError, OverflowError):
        record.warnings.append(Warnings.W001.format(path=source, line=line, value=short(value)))
    return record


def _failure(source: str, bad: Bad) -> Failure:
    return Failure(source, bad.line, bad.message, bad.record)


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Records of a JSON Lines file; blank lines are skipped, bad lines become Failures."""
    source = str(path)
    if _empty(path):
        yield Failure(source, 0, Errors.E063.format(path=source))
        return
    for got in jsonl_objects(path, options.max_chars):
        if isinstance(got, Bad):
            yield _failure(source, got)
        else:
            number, obj = got
            yield make_record(obj, source, number, options, fallback_id=f"{path.stem}:{number}")


def read_text_file(path: Path, doc_id: str, options: ReadOptions) -> Item:
    """A whole .txt file as one document."""
    source = str(path)
    text = read_text(path, options.max_chars)
    if isinstance(text, Bad):
        return _failure(source, text)
    return make_record({options.text_field: text, options.id_field: doc_id}, source, 0, options, doc_id)


def read_table(path: Path, options: ReadOptions, batch_rows: int = 2048) -> Iterator[Item]:
    """Rows of a CSV or Parquet file, streamed; a damaged row or row group is a Failure."""
    source = str(path)
    if path.suffix == ".parquet":
        for got in parquet_rows(path, batch_rows):
            if isinstance(got, Bad):
                yield _failure(source, got)
            else:
                number, row = got
                yield make_record(row, source, number, options, fallback_id=f"{path.stem}:{number}")
        return
    header_seen = False
    for got in csv_rows(path, options.max_chars):
        if isinstance(got, Bad):
            yield _failure(source, got)
            continue
        number, row = got
        if not header_seen:
            header_seen = True
            if options.text_field not in row:
                yield Failure(source, number, Errors.E029.format(path=source, line=number, field=options.text_field,
                                                                 expected=", ".join(map(str, row))))
                return
            continue
        # rows are numbered by the line they start on (line 1 is the header)
        yield make_record(row, source, number, options, fallback_id=f"{path.stem}:{number - 1}")


def _stat_error(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.strerror or str(exc)
    return "cannot be opened"


def _empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def check_inputs(paths: Sequence["str | Path"]) -> None:
    """Raise InputError for a missing or unsupported input before any work starts."""
    for raw_path in paths:
        path = Path(raw_path)
        if not path.exists() and not path.is_symlink():
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
            if not path.is_symlink():
                raise InputError(Errors.E028.format(path=path), path=str(path))
            yield Failure(str(path), 0, Errors.E067.format(path=path, detail=_stat_error(path)))
            continue  # a link to nowhere, or a loop: a failure like any file that cannot be read
        if path.is_dir():
            for file in text_files(path):
                if isinstance(file, Bad):
                    yield _failure(str(path), file)
                else:
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
