"""The run invariant (docs_read = processed + failed + duplicate) is a coded error, kept under ``python -O``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.corpus import Counts
from pipeline.errors import CountError


@pytest.mark.parametrize(("read", "processed", "failed", "duplicate", "ok"), [
    (10, 10, 0, 0, True),
    (10, 7, 2, 1, True),
    (0, 0, 0, 0, True),
    (10, 9, 0, 0, False),  # a document lost
    (10, 10, 1, 0, False),  # a document counted twice
])
def test_counts_must_add_up(read: int, processed: int, failed: int, duplicate: int, ok: bool) -> None:
    counts = Counts(docs_read=read, docs_processed=processed, docs_failed=failed, docs_duplicate=duplicate)
    if ok:
        counts.check()
    else:
        with pytest.raises(CountError, match=r"\[E035\]"):
            counts.check()


def test_the_check_survives_python_O() -> None:
    """An ``assert`` would vanish under -O; the coded error does not."""
    code = ("from pipeline.corpus import Counts\n"
            "try:\n    Counts(docs_read=2, docs_processed=1).check()\nexcept Exception as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True, check=True).stdout
    assert "[E035]" in out
