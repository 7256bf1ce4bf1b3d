"""Alternations of many words as a prefix tree: one regex that does not try every word in turn.

Python's ``re`` tries the branches of ``a|b|c`` one by one at each position; for
hundreds of words sharing prefixes that dominates the cost of a scan. Factoring
the words into a trie ("J(?:an(?:uary)?|u(?:ly|ne))") keeps a match attempt to a
few character tests. (trieregex on PyPI does the same; this is the 20 lines we need.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_pattern(words: Iterable[str]) -> str:
    """A non-capturing regex matching exactly ``words`` (longest alternative first)."""
    root: dict = {}
    for word in sorted({w for w in words if w}):
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _pattern(root) if root else "(?!)"


def _pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    # longer continuations before the end of a word, so "Jan" does not stop "January"
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body
