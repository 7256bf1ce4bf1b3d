"""`crackdown run` with the facts work switched off, for `make bench` only.

The same run, except that the workers write no per-document facts parts and the
consolidating process merges nothing and writes an empty facts file: the difference
between a run's time and this run's is what facts cost it (``facts_cost`` in
bench/results.json). Never used outside the benchmark.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline import consolidate, corpus
from pipeline.cli import app


def _no_part(table: pa.Table, keys: Any) -> tuple[pa.Table, pa.Array]:
    return pa.table({"rows": pa.array([], pa.list_(pa.int64()))}), table.column("fact_id")


def _no_facts_file(self: consolidate.Consolidator) -> Path:
    self.facts.close()
    path = self.config.output / f"facts.{self.config.fmt}"
    path.write_bytes(b"")
    return path


corpus.shard_part = _no_part  # type: ignore[assignment]
consolidate.Consolidator._with_facts = lambda self, index, table: table  # type: ignore[method-assign]
consolidate.Consolidator.duplicate = lambda self, record: None  # type: ignore[method-assign]
consolidate.Consolidator._write_facts = _no_facts_file  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.argv[0] = "crackdown"
    app()
