"""Small text helpers the grammars share: reading the word before a match without a regex."""

from __future__ import annotations


def word_before(text: str, pos: int, strip: str = ",:#;()") -> tuple[str, int]:
    """The word before ``pos`` (spaces skipped), lower case, without ``strip`` around it,
    and where it starts. Cheaper than a regex anchored at the end of a window, which is
    tried at every position of the window."""
    end = pos
    while end > 0 and text[end - 1] in " \t\u00a0":
        end -= 1
    start = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end)) + 1
    return text[start:end].lower().strip(strip), start
