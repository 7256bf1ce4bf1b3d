"""What a run writes, and how to read it back: events and entities as Parquet, CSV or JSON Lines.

Every writer takes a frame with the declared schema; every reader returns one,
so ``read_events`` gives back exactly what a run computed (a tested round trip).
Lists are stored natively in Parquet and JSON Lines, and as "A|B" in CSV.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonlines
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import Errors, OutputError
from .schema import ENTITY_COLUMNS, EVENT_COLUMNS, FACT_COLUMNS, arrow_schema, conform, to_arrow

FORMATS = ("parquet", "csv", "jsonl")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise OutputError(Errors.E040.format(fmt=fmt, expected=", ".join(FORMATS)))
    return fmt


def _records(frame: pd.DataFrame, columns: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """Plain JSON-ready dicts: dates as ISO strings, missing values as null."""
    for row in to_arrow(frame, columns).to_pylist():
        for key, value in row.items():
            if hasattr(value, "isoformat"):
                row[key] = value.isoformat()
        yield row


def _csv_frame(frame: pd.DataFrame, columns: Mapping[str, Any]) -> pd.DataFrame:
    out = frame.copy()
    for name, dtype in columns.items():
        if dtype == "list":
            out[name] = out[name].map(lambda v: "|".join(v))
        elif dtype == "date":
            out[name] = out[name].dt.strftime("%Y-%m-%d")
    return out


class TableAppender:
    """Append frames to one output file of any format, keeping memory flat.

    Writes to ``<path>.tmp`` and renames on ``close()``, so a reader never sees a
    half-written file.
    """

    def __init__(self, path: "str | Path", fmt: str, columns: Mapping[str, Any]):
        self.path = Path(path)
        self.fmt = check_format(fmt)
        self.columns = columns
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._parquet: pq.ParquetWriter | None = None
        self._handle: Any = None
        self._wrote_header = False
        if self.fmt == "parquet":
            self._parquet = pq.ParquetWriter(self.tmp, arrow_schema(columns))
        else:
            self._handle = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in close()

    def append(self, frame: pd.DataFrame) -> None:
        if self._parquet is not None:
            self._parquet.write_table(to_arrow(frame, self.columns))
        elif self.fmt == "jsonl":
            writer = jsonlines.Writer(self._handle, compact=True, sort_keys=False)
            writer.write_all(_records(frame, self.columns))
        else:
            _csv_frame(frame, self.columns).to_csv(self._handle, index=False, header=not self._wrote_header)
            self._wrote_header = True

    def append_arrow(self, table: pa.Table) -> None:
        """Append an Arrow table already in ``arrow_schema(columns)`` (Parquet output only)."""
        if self._parquet is None:
            raise ValueError(f"append_arrow writes Parquet; this appender writes {self.fmt}")
        self._parquet.write_table(table)

    def close(self) -> Path:
        if self._parquet is not None:
            self._parquet.close()
        else:
            if self.fmt == "csv" and not self._wrote_header:
                self._handle.write(",".join(self.columns) + "\n")
            self._handle.close()
        os.replace(self.tmp, self.path)
        return self.path

    def discard(self) -> None:
        """Close and delete the temporary file; the target is left as it was."""
        if self._parquet is not None:
            self._parquet.close()
        else:
            self._handle.close()
        self.tmp.unlink(missing_ok=True)


class JsonLinesAppender:
    """Write JSON Lines one record at a time to ``<path>.tmp``, renamed on ``close()``: a list
    kept until the end of a run would grow with the corpus."""

    def __init__(self, path: "str | Path"):
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = jsonlines.open(self.tmp, "w")

    def append(self, record: Mapping[str, Any]) -> None:
        self._writer.write(record)

    def close(self) -> Path:
        self._writer.close()
        os.replace(self.tmp, self.path)
        return self.path

    def discard(self) -> None:
        """Close and delete the temporary file; the target is left as it was."""
        self._writer.close()
        self.tmp.unlink(missing_ok=True)


def write_table(frame: pd.DataFrame, path: "str | Path", fmt: str, columns: Mapping[str, Any]) -> Path:
    """Write one frame to ``path`` atomically."""
    appender = TableAppender(path, fmt, columns)
    appender.append(frame)
    return appender.close()


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
    """Write JSON atomically (temp file, then rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def write_jsonl(path: "str | Path", rows: Iterable[dict[str, Any]]) -> None:
    """Write JSON Lines atomically."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with jsonlines.open(tmp, "w") as writer:
        writer.write_all(rows)
    os.replace(tmp, path)


def empty_events() -> pd.DataFrame:
    return conform(pd.DataFrame(), EVENT_COLUMNS)


__all__ = ["FORMATS", "JsonLinesAppender", "TableAppender", "read_entities", "read_events", "read_facts",
           "read_table", "write_table", "write_json", "write_jsonl", "empty_events"]
