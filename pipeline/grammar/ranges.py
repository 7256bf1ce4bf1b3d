"""Two neighbouring dates joined into one range, the same way in every language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def merge_adjacent(items: Sequence[T], join: Callable[[T, T], "T | None"]) -> list[T]:
    """``items`` in order, each pair of neighbours that ``join`` merges replaced by the merge
    ("July 1st" and "6th" -> "July 1st to 6th"; 1月 and 6月 -> 1月至6月); an item is merged
    at most once."""
    out: list[T] = []
    i = 0
    while i < len(items):
        merged = join(items[i], items[i + 1]) if i + 1 < len(items) else None
        if merged is not None:
            out.append(merged)
            i += 2
        else:
            out.append(items[i])
            i += 1
    return out
