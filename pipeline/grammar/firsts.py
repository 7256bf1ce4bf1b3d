r"""Alternations tried only with the alternatives that can start at a position's character.

``re`` tries every alternative of ``(?P<a>...)|(?P<b>...)|...`` in turn at a position,
and most cannot even start there ("month" at "the", "rel" at "May"). ``FirstCharIndex``
reads from each alternative's parse tree the ASCII characters its match can start with
(lower-cased: the patterns are case-insensitive; ``\d``, ``\w``, ``\s`` by their ASCII
members) and, for the character at a position, matches a combined pattern of only those
alternatives, in their order, with their group names: the first alternative that matches
is the same, so the match is the one the full alternation gives. Where a start is not
known for sure (a negated class, a pattern that can match nothing, anything unusual) the
alternative is kept for every character; a character outside ASCII uses the full
alternation (Unicode case folding maps some onto ASCII letters, and the classes match
more of them). ``re`` has no public API for this analysis, hence the walk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

ANY = None  # an unknown start: any character
# what the classes \d, \w and \s match among ASCII characters (lower-cased)
CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: frozenset("0123456789"),
    sre_constants.CATEGORY_WORD: frozenset("abcdefghijklmnopqrstuvwxyz0123456789_"),
    sre_constants.CATEGORY_SPACE: frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f"),
}


def first_chars(pattern: str) -> frozenset[str] | None:
    """The lower-cased ASCII characters a match of ``pattern`` can start with; None if unknown."""
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return ANY
    found, nullable = _firsts(list(parsed))
    return ANY if found is ANY or nullable else frozenset(found)


def _firsts(items: Sequence[tuple]) -> tuple[set[str] | None, bool]:
    """(first characters, whether the sequence can match the empty string) of parsed ``items``."""
    found: set[str] = set()
    for op, arg in items:
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.AT):
            continue  # zero-width: the next item starts at the same character
        if op == sre_constants.LITERAL:
            char = chr(arg)
            if not char.isascii():
                return ANY, False
            found.add(char.lower())
            return found, False
        if op == sre_constants.IN:
            chars = _set_chars(arg)
            if chars is ANY:
                return ANY, False
            found |= chars
            return found, False
        if op == sre_constants.SUBPATTERN:
            inner, nullable = _firsts(list(arg[-1]))
        elif op == sre_constants.BRANCH:
            inner, nullable = set(), False
            for branch in arg[1]:
                chars, empty = _firsts(list(branch))
                if chars is ANY:
                    return ANY, False
                inner |= chars
                nullable = nullable or empty
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, _, body = arg
            inner, nullable = _firsts(list(body))
            nullable = nullable or low == 0
        else:
            return ANY, False  # a back reference, a conditional, anything else: unknown
        if inner is ANY:
            return ANY, False
        found |= inner
        if not nullable:
            return found, False
    return found, True


def _set_chars(items: Sequence[tuple]) -> set[str] | None:
    """The lower-cased characters of a character set ``[...]``; None when not a plain ASCII set."""
    chars: set[str] = set()
    for op, arg in items:
        if op == sre_constants.LITERAL:
            chars.add(chr(arg).lower())
        elif op == sre_constants.RANGE:
            chars.update(chr(c).lower() for c in range(arg[0], arg[1] + 1))
        elif op == sre_constants.CATEGORY and arg in CATEGORIES:
            chars |= CATEGORIES[arg]  # the ASCII part: other characters use the full alternation
        else:
            return ANY  # a negated set, a category (\d, \w), ...
    return chars if all(c.isascii() for c in chars) else ANY


class FirstCharIndex:
    """``match(text, pos)`` of the alternation of named ``patterns`` (case-insensitive),
    trying only the alternatives that can start with the character at ``pos``.

    A character's alternation is compiled when first needed (a one-line run needs a few of
    them, not all), once per distinct set of alternatives: characters share it.
    """

    def __init__(self, patterns: Sequence[tuple[str, str]]):
        self.patterns = list(patterns)
        self.full = self._compile(self.patterns)
        self.firsts = [first_chars(p) for _, p in self.patterns]
        self._kept = {chr(code): tuple(i for i, first in enumerate(self.firsts)
                                       if first is ANY or chr(code).lower() in first) for code in range(128)}
        self._compiled: dict[tuple[int, ...], re.Pattern[str] | None] = {}
        self._by_char: dict[str, re.Pattern[str] | None] = {}

    @staticmethod
    def _compile(patterns: Sequence[tuple[str, str]]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?P<{name}>{p})" for name, p in patterns), re.IGNORECASE)

    def for_char(self, char: str) -> re.Pattern[str] | None:
        """The alternation tried at ``char`` (None: no alternative can start with it)."""
        kept = self._kept.get(char)
        if kept is None:
            return self.full  # a character outside ASCII: every alternative
        if kept not in self._compiled:
            self._compiled[kept] = self._compile([self.patterns[i] for i in kept]) if kept else None
        self._by_char[char] = self._compiled[kept]
        return self._compiled[kept]

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        """``self.full.match(text, pos)``."""
        if pos >= len(text):
            return self.full.match(text, pos)
        char = text[pos]
        pattern = self._by_char[char] if char in self._by_char else self.for_char(char)
        return pattern.match(text, pos) if pattern is not None else None
