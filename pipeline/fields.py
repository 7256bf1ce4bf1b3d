"""Which columns of a table (CSV, Parquet, a DataFrame) hold the text, the id and the date.

Checked before any document is read, so a table without the named text column is
one usage error that lists the columns and guesses the right one ("did you mean
--text-field body?"), not a run where every row fails.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import Errors, InputError
from .reader import ReadOptions, parse_published

SAMPLE_ROWS = 20
TABLE_SUFFIXES = (".csv", ".parquet")


def check_fields(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], options: ReadOptions,
                 source: str, *, api: bool = False) -> None:
    """Raise InputError (E090) when a named column is missing, with the columns and a guess.

    The text column must exist; the id and date columns only when named other than
    their defaults (without them, ids are made up and dates are unknown). ``rows`` is
    a sample of the table for the guess; ``api`` words the fix as a keyword argument.
    """
    defaults = ReadOptions()
    wanted = [("text", options.text_field, True),
              ("id", options.id_field, options.id_field != defaults.id_field),
              ("date", options.date_field, options.date_field != defaults.date_field)]
    for role, name, required in wanted:
        if not required or name in columns:
            continue
        guess = guess_column(role, name, columns, rows)
        option = f"{role}_field=" if api else f"--{role}-field "
        if guess is None:
            fix = f"Name the {role} column with {option.strip()}."
        else:
            fix = f"Did you mean {option}{guess!r}?" if api else f"Did you mean {option}{guess}?"
        raise InputError(Errors.E090.format(path=source, role=role, field=name,
                                            columns=", ".join(map(str, columns)) or "none", fix=fix),
                         path=source)


def guess_column(role: str, name: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The column most likely meant: a close spelling, else by content (the longest text,
    the column whose values are all dates)."""
    close = difflib.get_close_matches(name, [str(c) for c in columns], n=1, cutoff=0.6)
    if close:
        return close[0]
    if role == "text":
        lengths = {c: _mean_length(rows, c) for c in columns}
        best = max(lengths, key=lambda c: lengths[c], default=None)
        return str(best) if best is not None and lengths[best] > 0 else None
    if role == "date":
        dated = [c for c in columns if _all_dates(rows, c)]
        return str(dated[0]) if dated else None
    return None


def _mean_length(rows: Sequence[Mapping[str, Any]], column: Any) -> float:
    values = [row.get(column) for row in rows]
    texts = [v for v in values if isinstance(v, str)]
    return sum(len(t) for t in texts) / len(values) if values else 0.0


def _all_dates(rows: Sequence[Mapping[str, Any]], column: Any) -> bool:
    values = [row.get(column) for row in rows if row.get(column) not in (None, "")]
    try:
        return bool(values) and all(parse_published(v) for v in values)
    except (TypeError, ValueError):
        return False


def table_sample(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The column names and first rows of a CSV or Parquet file."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(path)
        batch = next(parquet.iter_batches(batch_size=SAMPLE_ROWS), None)
        return list(parquet.schema_arrow.names), batch.to_pylist() if batch is not None else []
    import pandas as pd

    frame = pd.read_csv(path, nrows=SAMPLE_ROWS, dtype=str, keep_default_na=False)
    return [str(c) for c in frame.columns], frame.to_dict("records")


def check_table_inputs(paths: Sequence["str | Path"], options: ReadOptions) -> None:
    """``check_fields`` for every CSV and Parquet input (other inputs have no columns)."""
    for raw in paths:
        path = Path(raw)
        if not (path.is_file() and path.suffix in TABLE_SUFFIXES):
            continue
        try:
            columns, rows = table_sample(path)
        except (ValueError, OSError):  # empty, damaged or not UTF-8: reading reports it, with the line
            continue
        check_fields(columns, rows, options, str(path))
