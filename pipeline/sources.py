"""The physical side of reading: lines, rows and files, with every kind of damage reported.

A corpus is read one record at a time, and any of it may be broken: a gzip stream
cut short, bytes that are not UTF-8, a line of 100 MB, a CSV quote never closed, a
Parquet row group that does not decode, a symbolic link to nowhere. Each reader here
yields ``(line, value)`` for what it could read and a ``Bad`` for what it could not
(with the line and the reason), and goes on with the rest where the format allows.
``reader`` turns both into records and failures.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import jsonlines

from .errors import Errors

BOM = codecs.BOM_UTF8.decode("utf-8")
SURROGATE_RE = re.compile("[\ud800-\udfff]")
RECORD_HEAD = 200  # characters of an unreadable record kept in its failure row
MIN_RECORD_CHARS = 64 * 1024 * 1024
READ_ERRORS = (OSError, EOFError, zlib.error)  # gzip.BadGzipFile is an OSError


@dataclass
class Bad:
    """Something that could not be read, where (line, or row for tables) and why."""

    line: int
    message: str
    record: Any = None


Read = Union[tuple[int, Any], Bad]


def record_limit(max_chars: int) -> int:
    """The longest line or field read at all, in characters: a record over it is refused
    unread, so that one huge line never takes the memory of a run. It is far above
    ``max_chars`` because other fields (raw HTML, say) may be long too."""
    return max(MIN_RECORD_CHARS, 8 * max_chars)


def bad_utf8(text: str) -> str | None:
    """Where ``text`` (decoded with ``surrogateescape``) held bytes that are not UTF-8, or None."""
    if text.isascii():
        return None
    found = SURROGATE_RE.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"byte 0x{code - 0xDC00:02x} at character {found.start()}"
    return f"U+{code:04X} at character {found.start()}"


def lone_surrogate(text: str) -> str | None:
    """Where a string holds a lone surrogate (from a JSON escape like \\ud800), or None."""
    if text.isascii():
        return None
    found = SURROGATE_RE.search(text)
    return None if found is None else f"U+{ord(found.group()):04X} at character {found.start()}"


def readable(text: str) -> str:
    """``text`` with escaped bytes and lone surrogates as U+FFFD, safe to write anywhere."""
    return SURROGATE_RE.sub("\ufffd", text) if not text.isascii() else text


def _open_text(path: Path, newline: str | None) -> io.TextIOWrapper:
    """A text stream of a plain or gzipped file: invalid bytes kept as surrogates to report
    them per line; ``newline=None`` splits lines at LF, CRLF and a lone CR."""
    raw: Any = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline=newline)


def _damaged(path: Path, line: int, exc: BaseException) -> Bad:
    detail = str(exc) or type(exc).__name__
    return Bad(line, Errors.E060.format(path=path, line=line, detail=detail))


def jsonl_objects(path: Path, max_chars: int) -> Iterator[Read]:
    """``(line, parsed JSON)`` for each non-blank line of a JSON Lines file, plain or gzipped."""
    limit = record_limit(max_chars)
    number = 0
    try:
        handle = _open_text(path, newline=None)
    except OSError as exc:
        yield Bad(0, Errors.E067.format(path=path, detail=exc.strerror or exc))
        return
    try:
        with handle:
            while True:
                line = handle.readline(limit)
                if not line:
                    return
                number += 1
                if number == 1 and line.startswith(BOM):
                    line = line[1:]
                if len(line) >= limit and not line.endswith("\n"):
                    head = readable(line[:RECORD_HEAD])
                    while (rest := handle.readline(limit)) and not rest.endswith("\n"):
                        pass  # skip the rest of the line, a piece at a time
                    yield Bad(number, Errors.E061.format(path=path, line=number, limit=limit), head)
                    continue
                where = bad_utf8(line)
                if where is not None:
                    yield Bad(number, Errors.E023.format(path=f"{path} line {number}", detail=where),
                              readable(line.rstrip("\n")))
                    continue
                if not line.strip():
                    continue
                yield _parse_json(path, number, line)
    except READ_ERRORS as exc:
        yield _damaged(path, number + 1, exc)


def _parse_json(path: Path, number: int, line: str) -> Read:
    try:
        return number, jsonlines.Reader([line]).read()
    except jsonlines.InvalidLineError as exc:
        detail = str(exc.__cause__ or exc).split(" (line")[0]
    except RecursionError:
        detail = "nested too deeply"
    return Bad(number, Errors.E020.format(path=path, line=number, detail=detail), line.rstrip("\n"))


def csv_rows(path: Path, max_chars: int) -> Iterator[Read]:
    """``(line, {column: value})`` for each row of a CSV file with a header.

    Rows are read with the standard library's csv module in strict mode, so a quote
    that is never closed or text after a closing quote is an error of that row, not
    a silently merged record; a row with too few or too many fields is refused.
    """
    previous = csv.field_size_limit(record_limit(max_chars))
    try:
        yield from _csv_rows(path)
    finally:
        csv.field_size_limit(previous)


def _csv_rows(path: Path) -> Iterator[Read]:
    start = 1
    try:
        if path.stat().st_size == 0:
            yield Bad(0, Errors.E063.format(path=path))
            return
        with _open_text(path, newline="") as handle:
            rows = csv.reader(handle, strict=True)
            header: list[str] | None = None
            while True:
                start = rows.line_num + 1
                try:
                    row = next(rows)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Bad(start, Errors.E062.format(path=path, line=start, detail=exc))
                    continue
                if header is None:
                    header = [readable(name) for name in row]
                    if header and header[0].startswith(BOM):
                        header[0] = header[0][1:]
                    yield start, header
                    continue
                if not any(row) and len(row) <= 1:
                    continue  # a blank line
                where = next((w for w in map(bad_utf8, row) if w), None)
                if where is not None:
                    yield Bad(start, Errors.E023.format(path=f"{path} line {start}", detail=where),
                              dict(zip(header, map(readable, row), strict=False)))
                    continue
                if len(row) != len(header):
                    yield Bad(start, Errors.E064.format(path=path, line=start, found=len(row),
                                                        expected=len(header)), row)
                    continue
                yield start, dict(zip(header, row, strict=True))
    except READ_ERRORS as exc:
        yield _damaged(path, start, exc)


def parquet_rows(path: Path, batch_rows: int = 2048) -> Iterator[Read]:
    """``(row number, {column: value})`` of a Parquet file, one row group at a time: a
    damaged row group is reported with the rows it holds, and the next one is read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    errors = (pa.ArrowException, OSError, ValueError)
    try:
        parquet = pq.ParquetFile(path)
    except errors as exc:
        yield Bad(0, Errors.E065.format(path=path, detail=exc))
        return
    number = 0
    for group in range(parquet.num_row_groups):
        size = parquet.metadata.row_group(group).num_rows
        first, read = number + 1, 0
        try:
            for batch in parquet.iter_batches(batch_size=batch_rows, row_groups=[group]):
                for row in batch.to_pylist():
                    read += 1
                    yield number + read, row
        except errors as exc:
            yield Bad(first + read, Errors.E066.format(path=path, group=group, first=first + read,
                                                       last=first + size - 1, detail=exc))
        number += size


def text_files(folder: Path) -> Iterator[Path | Bad]:
    """The ``.txt`` files under ``folder`` in path order, and a ``Bad`` for each that is not a
    readable regular file (a dangling or looping symbolic link, a pipe). Symbolic links to
    folders are not followed, so a link loop cannot make the walk endless."""
    found: list[Path] = []
    problems: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=problems.append):
        dirs.sort()
        found.extend(Path(root) / name for name in files if name.endswith(".txt"))
    for problem in problems:
        yield Bad(0, Errors.E067.format(path=problem.filename, detail=problem.strerror or problem))
    for path in sorted(found, key=lambda p: p.relative_to(folder).parts):
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            yield Bad(0, Errors.E067.format(path=path, detail=exc.strerror or exc))
            continue
        if stat.S_ISREG(mode):
            yield path
        elif not stat.S_ISDIR(mode):
            yield Bad(0, Errors.E067.format(path=path, detail="not a regular file"))


def read_text(path: Path, max_chars: int, sniff: int = 4096) -> str | Bad:
    """The whole text of a ``.txt`` file, or why not: refused unread when its size alone
    puts it over ``max_chars`` (a UTF-8 character is at most 4 bytes)."""
    try:
        size = path.stat().st_size
        if size > 4 * max_chars:
            return Bad(0, Errors.E068.format(path=path, size=size, limit=max_chars))
        data = path.read_bytes()
    except OSError as exc:
        return Bad(0, Errors.E067.format(path=path, detail=exc.strerror or exc))
    if b"\x00" in data[:sniff]:
        return Bad(0, Errors.E024.format(path=path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Bad(0, Errors.E023.format(path=path, detail=exc))
    return text[1:] if text.startswith(BOM) else text
