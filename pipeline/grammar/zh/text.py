"""Chinese text as the grammar reads it: simplified characters and ASCII digits, same offsets.

Rules are written in simplified characters, so traditional text (廣西, 繳獲, 噸) is
converted with OpenCC (``t2s``) before matching. Spans found in the converted
text must point into the original, so the conversion has to keep every
character in place: OpenCC's phrase tables can change a length, and when the
whole-text conversion does, each character is converted alone instead (a
character conversion that is not one character long keeps the original).
Full-width digits and signs (４，５６５, ％) become ASCII the same way (NFKC, one
character at a time).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _fold_width(char: str) -> str:
    """A full-width ASCII form (U+FF01-FF5E) or ideographic space as its ASCII self."""
    if "\uff01" <= char <= "\uff5e" or char == "\u3000":
        folded = unicodedata.normalize("NFKC", char)
        return folded if len(folded) == 1 else char
    return char


@lru_cache(maxsize=4096)
def _char_t2s(char: str) -> str:
    converted = _converter().convert(char)
    return converted if len(converted) == 1 else char


def to_simplified(text: str) -> str:
    """``text`` in simplified characters and ASCII digits, with exactly its length.

    Offsets into the result are offsets into ``text``: a span found in one is the
    same span in the other.
    """
    converted = _converter().convert(text)
    if len(converted) != len(text):
        converted = "".join(_char_t2s(c) for c in text)
    return "".join(_fold_width(c) for c in converted)


def is_traditional(text: str) -> bool:
    """Whether converting ``text`` to simplified changes any character."""
    return _converter().convert(text) != text
