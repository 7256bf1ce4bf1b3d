"""What a run writes, and how to read it back: events and entities as Parquet, CSV or JSON Lines.

Every writer takes a frame with the declared schema; every reader returns one,
so ``read_events`` gives back exactly what a run computed (a tested round trip).
Lists are stored natively in Parquet and JSON Lines, and as "A|B" in CSV.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonlines
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import Errors, OutputError
from .schema import ENTITY_COLUMNS, EVENT_COLUMNS, FACT_COLUMNS, arrow_schema, conform, to_arrow
from .sources import SURROGATE_RE

FORMATS = ("parquet", "csv", "jsonl")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise OutputError(Errors.E040.format(fmt=fmt, expected=", ".join(FORMATS)))
    return fmt


def _records(frame: pd.DataFrame, columns: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """Plain JSON-ready dicts: dates as ISO strings, missing values as null."""
    for row in to_arrow(frame, columns).to_pylist():
        for key, value in row.items():
            if isinstance(value, datetime):  # dates are stored as timestamps at midnight
                row[key] = value.date().isoformat()
            elif hasattr(value, "isoformat"):
                row[key] = value.isoformat()
        yield row


# OWASP's CSV injection advice: a cell that starts with one of these is read as a formula
# by spreadsheets; a leading apostrophe makes it text. A cell that starts with an
# apostrophe gets one more, so reading strips exactly one and the round trip is exact.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _textual(dtype: Any) -> bool:
    return dtype in ("string", "list") or isinstance(dtype, pd.CategoricalDtype)


def neutralise(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: ``=1+1`` -> ``'=1+1``."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def restore(value: Any) -> Any:
    """The value ``neutralise`` was given."""
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


def _csv_frame(frame: pd.DataFrame, columns: Mapping[str, Any]) -> pd.DataFrame:
    out = frame.copy()
    for name, dtype in columns.items():
        if dtype == "list":
            out[name] = out[name].map(lambda v: "|".join(v))
        elif dtype == "date":
            out[name] = out[name].dt.strftime("%Y-%m-%d")
        if _textual(dtype):
            out[name] = out[name].astype(object).map(neutralise)
    return out


def _plain(value: Any) -> Any:
    """What ``json`` cannot write, as it can: dates as ISO strings, bytes as text, sets as lists."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="backslashreplace")
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "item"):  # a NumPy scalar
        return value.item()
    return str(value)


def json_line(row: Any) -> str:
    """One JSON line for any row a run keeps (a failure holds whatever the input held).

    A lone surrogate cannot be written as UTF-8: such a row is written with ASCII
    escapes, which read back to the same string. A record too deep or circular to
    write is replaced by a note, so the row itself is never lost.
    """
    try:
        line = json.dumps(row, ensure_ascii=False, default=_plain)
    except (TypeError, ValueError, RecursionError) as exc:
        if not isinstance(row, dict) or "record" not in row:
            raise
        row = {**row, "record": None, "record_error": f"the record cannot be written as JSON ({exc})"}
        line = json.dumps(row, ensure_ascii=False, default=_plain)
    if not line.isascii() and SURROGATE_RE.search(line):
        line = json.dumps(row, ensure_ascii=True, default=_plain)
    return line


class _TempTarget:
    """An output written to ``<path>.tmp`` and renamed to ``path`` by ``close``, so a reader
    never sees a half-written file; ``discard`` deletes it and leaves the target as it was."""

    path: Path
    tmp: Path

    def _finish(self) -> None:
        """Flush and close the temporary file (may raise: a full disk)."""
        raise NotImplementedError

    def _abandon(self) -> None:
        """Close the temporary file without raising."""
        raise NotImplementedError

    def close(self) -> Path:
        try:
            self._finish()
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise
        return self.path

    def discard(self) -> None:
        """Delete the temporary file (closing it may fail on a full disk: it is deleted anyway)."""
        self._abandon()
        self.tmp.unlink(missing_ok=True)


class JsonLinesWriter(_TempTarget):
    """Rows appended as they come; memory stays flat however many rows a run keeps."""

    def __init__(self, path: "str | Path"):
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self._handle: Any = open(self.tmp, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.rows = 0

    def write(self, row: Any) -> None:
        self._handle.write(json_line(row) + "\n")
        self.rows += 1

    def _finish(self) -> None:
        self._handle.close()

    def _abandon(self) -> None:
        _quietly(self._handle.close)


def _quietly(close: Any) -> None:
    """Close a file being thrown away: a full disk must not stop its removal."""
    with contextlib.suppress(OSError, ValueError, pa.ArrowException):
        close()


class TableAppender(_TempTarget):
    """Append frames to one output file of any format, keeping memory flat."""

    def __init__(self, path: "str | Path", fmt: str, columns: Mapping[str, Any]):
        self.path = Path(path)
        self.fmt = check_format(fmt)
        self.columns = columns
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._parquet: pq.ParquetWriter | None = None
        self._handle: Any = None
        self._wrote_header = False
        try:
            if self.fmt == "parquet":
                self._parquet = pq.ParquetWriter(self.tmp, arrow_schema(columns))
            else:
                self._handle = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in close()
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            raise

    def append(self, frame: pd.DataFrame) -> None:
        if self._parquet is not None:
            self._parquet.write_table(to_arrow(frame, self.columns))
        elif self.fmt == "jsonl":
            writer = jsonlines.Writer(self._handle, compact=True, sort_keys=False)
            writer.write_all(_records(frame, self.columns))
        else:
            # every text cell quoted (OWASP's advice), which also keeps a lone CR inside its cell
            _csv_frame(frame, self.columns).to_csv(self._handle, index=False, header=not self._wrote_header,
                                                   quoting=csv.QUOTE_NONNUMERIC)
            self._wrote_header = True

    def append_arrow(self, table: pa.Table) -> None:
        """Append an Arrow table already in ``arrow_schema(columns)`` (Parquet output only)."""
        if self._parquet is None:
            raise ValueError(f"append_arrow writes Parquet; this appender writes {self.fmt}")
        self._parquet.write_table(table)

    def _finish(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        else:
            if self.fmt == "csv" and not self._wrote_header:
                self._handle.write(",".join(self.columns) + "\n")
            self._handle.close()

    def _abandon(self) -> None:
        _quietly(self._parquet.close if self._parquet is not None else self._handle.close)


def write_table(frame: pd.DataFrame, path: "str | Path", fmt: str, columns: Mapping[str, Any]) -> Path:
    """Write one frame to ``path`` atomically (no temporary file is left if it fails)."""
    appender = TableAppender(path, fmt, columns)
    try:
        appender.append(frame)
    except BaseException:
        appender.discard()
        raise
    return appender.close()


def write_parquet(table: pa.Table, path: "str | Path") -> Path:
    """Write an Arrow table to a Parquet file atomically (temp file, then rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def read_table(path: "str | Path", columns: Mapping[str, Any]) -> pd.DataFrame:
    """Read a file or Parquet dataset folder written by crackdown, with the declared dtypes."""
    path = Path(path)
    name = path.name
    if path.is_dir() or name.endswith(".parquet"):
        table = pq.read_table(path, schema=arrow_schema(columns)) if path.is_dir() else pq.read_table(path)
        frame = table.to_pandas()
    elif name.endswith(".jsonl") or name.endswith(".jsonl.gz"):
        with jsonlines.open(path) as reader:
            frame = pd.DataFrame(list(reader), columns=list(columns))
    elif name.endswith(".csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        frame = frame.astype(object).where(frame.notna(), None)
        for name in frame.columns:
            if _textual(columns.get(name)):
                frame[name] = frame[name].map(restore)
    else:
        raise OutputError(Errors.E041.format(path=path))
    return conform(frame, columns)


def _locate(path: "str | Path", stem: str) -> Path:
    path = Path(path)
    if not path.is_dir() or path.name in (stem,) or any(path.glob("part-*.parquet")):
        return path
    for candidate in (path / f"{stem}.parquet", path / f"{stem}.jsonl", path / f"{stem}.csv", path / stem):
        if candidate.exists():
            return candidate
    raise OutputError(Errors.E041.format(path=path))


def read_events(path: "str | Path") -> pd.DataFrame:
    """The event table of a run: its output folder, one events file, or a Parquet dataset."""
    return read_table(_locate(path, "events"), EVENT_COLUMNS)


def read_facts(path: "str | Path") -> pd.DataFrame:
    """The fact table of a run (one row per real-world figure): its output folder or one facts file."""
    return read_table(_locate(path, "facts"), FACT_COLUMNS)


def read_entities(path: "str | Path") -> pd.DataFrame:
    """The entity table of a run: its output folder, one entities file, or a Parquet dataset."""
    return read_table(_locate(path, "entities"), ENTITY_COLUMNS)


def write_json(path: "str | Path", data: Any) -> None:
    """Write JSON atomically (temp file, then rename; no temp file is left if it fails)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_jsonl(path: "str | Path", rows: Iterable[Any]) -> None:
    """Write JSON Lines atomically; any row is written (see ``json_line``)."""
    writer = JsonLinesWriter(path)
    try:
        for row in rows:
            writer.write(row)
    except BaseException:
        writer.discard()
        raise
    writer.close()


def empty_events() -> pd.DataFrame:
    return conform(pd.DataFrame(), EVENT_COLUMNS)


__all__ = ["FORMATS", "JsonLinesWriter", "TableAppender", "json_line", "read_entities", "read_events",
           "read_facts", "read_table", "write_table", "write_json", "write_jsonl", "empty_events"]
