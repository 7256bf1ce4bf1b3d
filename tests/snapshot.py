"""The English output, frozen: every event and entity row of the English inputs, every column.

A redesign that must not change behaviour (the language seam of issue 13) is checked
against these files row for row by ``tests/test_snapshot.py``. After a change that is
meant to alter the English output, regenerate them and review the diff:

    make snapshot        # or: .venv/bin/python -m tests.snapshot

The pipeline is built from ``configs/`` as the tests build it, so the snapshot is of
the rules, not of whatever ``models/`` holds.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language

from pipeline.annotate import annotate, as_records
from pipeline.languages import detect
from pipeline.table import entities_table, events_table

from .helpers import CONFIGS, ROOT, read_jsonl

# Every English input of the repository: the gold files, the unseen files and the sample.
INPUTS = (
    "data/gold/seed.jsonl",
    "data/gold/news.jsonl",
    "data/gold/news2.jsonl",
    "data/gold/offtopic.jsonl",
    "data/gold/facts.jsonl",
    "data/unseen/facts2.jsonl",
    "data/unseen/news3.jsonl",
    "data/unseen/offtopic2.jsonl",
    "data/unseen/news4.jsonl",
    "data/unseen/offtopic4.jsonl",
    "data/unseen/news5.jsonl",
    "data/unseen/offtopic5.jsonl",
    "data/unseen/news6.jsonl",
    "data/unseen/offtopic6.jsonl",
    "data/unseen/facts3.jsonl",
    "data/unseen/news7.jsonl",
    "data/unseen/offtopic7.jsonl",
    "data/unseen/facts4.jsonl",
    "data/unseen/news8.jsonl",
    "data/unseen/offtopic8.jsonl",
    "data/unseen/facts5.jsonl",
    "data/unseen/news9.jsonl",
    "data/unseen/offtopic9.jsonl",
    "data/unseen/facts6.jsonl",
    "data/unseen/news10.jsonl",
    "data/unseen/offtopic10.jsonl",
    "data/unseen/facts7.jsonl",
    "data/unseen/news11.jsonl",
    "data/unseen/offtopic11.jsonl",
    "data/unseen/facts8.jsonl",
    "data/unseen/news12.jsonl",
    "data/unseen/offtopic12.jsonl",
    "data/unseen/facts9.jsonl",
    "data/unseen/news13.jsonl",
    "data/unseen/offtopic13.jsonl",
    "data/unseen/facts10.jsonl",
    "data/unseen/news14.jsonl",
    "data/unseen/offtopic14.jsonl",
    "data/unseen/facts11.jsonl",
    "data/unseen/news15.jsonl",
    "data/unseen/offtopic15.jsonl",
    "data/unseen/facts12.jsonl",
    "data/unseen/news16.jsonl",
    "data/unseen/offtopic16.jsonl",
    "data/unseen/facts13.jsonl",
    "data/unseen/news17.jsonl",
    "data/unseen/offtopic17.jsonl",
    "data/unseen/facts14.jsonl",
    "data/unseen/news18.jsonl",
    "data/unseen/offtopic18.jsonl",
    "data/unseen/facts15.jsonl",
    "data/unseen/news19.jsonl",
    "data/unseen/offtopic19.jsonl",
    "data/unseen/facts16.jsonl",
    "data/unseen/news20.jsonl",
    "data/unseen/offtopic20.jsonl",
    "data/unseen/facts17.jsonl",
    "data/unseen/news21.jsonl",
    "data/unseen/offtopic21.jsonl",
    "data/unseen/facts21.jsonl",
    "data/unseen/news22.jsonl",
    "data/unseen/offtopic22.jsonl",
    "data/unseen/facts22.jsonl",
    "data/unseen/news23.jsonl",
    "data/unseen/offtopic23.jsonl",
    "data/unseen/facts23.jsonl",
    "data/unseen/news24.jsonl",
    "data/unseen/offtopic24.jsonl",
    "data/unseen/facts24.jsonl",
    "data/unseen/news25.jsonl",
    "data/unseen/offtopic25.jsonl",
    "data/unseen/facts25.jsonl",
    "data/unseen/news26.jsonl",
    "data/unseen/offtopic26.jsonl",
    "data/unseen/facts26.jsonl",
    "data/unseen/news27.jsonl",
    "data/unseen/offtopic27.jsonl",
    "data/unseen/facts27.jsonl",
    "data/unseen/news28.jsonl",
    "data/unseen/offtopic28.jsonl",
    "data/unseen/facts28.jsonl",
    "data/unseen/news29.jsonl",
    "data/unseen/news30.jsonl",
    "data/unseen/offtopic30.jsonl",
    "data/unseen/news31.jsonl",
    "data/unseen/facts31.jsonl",
    "data/unseen/news32.jsonl",
    "data/unseen/facts32.jsonl",
    "data/unseen/news33.jsonl",
    "data/unseen/offtopic33.jsonl",
    "data/sample/news.jsonl",
)
SNAPSHOT_DIR = Path(__file__).resolve().parent / "data" / "snapshot" / "en"
TABLES = ("events", "entities")


def snapshot_path(source: str, table: str) -> Path:
    """Where the rows of ``table`` for input ``source`` are kept (gold/seed.events.jsonl)."""
    parts = Path(source).with_suffix("").parts[1:]  # drop "data"
    return SNAPSHOT_DIR / f"{'/'.join(parts)}.{table}.jsonl"


def plain(value: Any) -> Any:
    """A table cell as JSON: missing values None, dates ISO strings, lists of strings."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return plain(value.tolist())
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value) if not isinstance(value, str) else value


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table as plain dicts, in its column order."""
    columns = list(frame.columns)
    return [{c: plain(v) for c, v in zip(columns, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)]


def tables(nlp: Language, source: str, streaming: bool = True) -> dict[str, list[dict[str, Any]]]:
    """The event and entity rows the pipeline gives for input ``source`` (a repository path);
    ``streaming``: one document through the pipeline at a time, else a batch per component."""
    english = [d for d in read_jsonl(ROOT / source) if detect(d["text"]) == "en"]  # the sample has Chinese too
    docs = list(annotate(nlp, as_records(english), batch_size=8, streaming=streaming))
    return {"events": frame_rows(events_table(docs)), "entities": frame_rows(entities_table(docs))}


def write(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")


def update(nlp: Language) -> list[Path]:
    """Rewrite every snapshot file from ``nlp``'s output; returns the files written."""
    written = []
    for source in INPUTS:
        for table, rows in tables(nlp, source).items():
            path = snapshot_path(source, table)
            write(path, rows)
            written.append(path)
    return written


def main() -> int:
    """Build the pipeline from configs/ into a temporary folder and rewrite the snapshot."""
    import spacy

    from pipeline.build import build_pipeline

    with tempfile.TemporaryDirectory() as tmp:
        build_pipeline(CONFIGS / "config.cfg", CONFIGS, Path(tmp) / "crackdown")
        nlp = spacy.load(Path(tmp) / "crackdown")
        for path in update(nlp):
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
