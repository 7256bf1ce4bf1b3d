"""Find named enforcement campaigns: known aliases and general name patterns.

Known names come from ``configs/operations.yml`` with a match policy each
(quoted, cased, anywhere). Unknown names are still found when the text marks
them as names: a quoted phrase next to an operation word ('"eradication"
action'), "Operation X", or capitalised words ending in an operation word
("Strike Hard Campaign"). Generic phrases ("a special operation") are not names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...rules import OperationsFile, normalise_operation
from ..trie import trie_pattern

QUOTE_RE = re.compile(r'"([^"\n]{1,120})"|“([^”\n]{1,120})”')
_TRIM = " \t,.;:!?'‘’"


_WORD_OR_HYPHEN = re.compile(r"[\w-]")


def _bounded(pattern: "re.Pattern[str]", text: str) -> Iterator["re.Match[str]"]:
    """``pattern.finditer(text)`` for matches not preceded by a word character or a hyphen."""
    pos = 0
    while pos <= len(text):
        m = pattern.search(text, pos)
        if m is None:
            return
        start = m.start()
        if start > 0 and _WORD_OR_HYPHEN.match(text, start - 1):
            pos = start + 1
            continue
        yield m
        pos = max(m.end(), start + 1)


@dataclass(slots=True)
class OperationMatch:
    """An operation name in the text: offsets of the name (without quotes) and canonical name."""

    start: int
    end: int
    name: str
    rule: str



class OperationGrammar:
    """Compiled operation rules; ``find(text)`` returns every campaign name in order."""

    def __init__(self, rules: OperationsFile, max_words: int = 10):
        self.rules = rules
        self.max_words = max_words
        self.words = [w.lower() for w in rules.operation_words]
        self.lookup: dict[str, tuple[str, str]] = {}  # key -> (canonical name, match policy)
        cased: list[str] = []
        anywhere: list[str] = []
        for op in rules.operations:
            for alias in [op.name] + op.aliases:
                self.lookup[normalise_operation(alias, rules.operation_words)] = (op.name, op.match)
                if op.match == "cased" and alias[:1].isupper():
                    cased.append(alias)
                elif op.match == "anywhere":
                    anywhere.append(alias)
        # The "not after a word" test is done by _bounded: a lookbehind at the start of a
        # pattern stops the regex engine from skipping ahead to the first letters it can match.
        e = r"(?![\w-])"
        self.cased_re = re.compile(rf"(?:{trie_pattern(cased)}){e}") if cased else None
        # matched in the lower-cased text: IGNORECASE would also stop the skipping
        self.anywhere_re = re.compile(rf"(?:{trie_pattern({a.lower() for a in anywhere})}){e}") if anywhere else None
        op_words = trie_pattern(rules.operation_words)
        self.word_after_re = re.compile(
            rf"^[\s\-]*(?:(?:{trie_pattern(rules.operation_word_modifiers)})\s+)?(?:{op_words})\b",
            re.IGNORECASE)
        self.word_before_re = re.compile(rf"\b(?:{op_words})\s*$", re.IGNORECASE)
        cap = r"[A-Z][\w'’-]*"
        # (?<!\wX) after X rather than \b before it, and the same for the first capital below:
        # the pattern then starts with a letter the engine can scan for
        self.operation_x_re = re.compile(rf"Operation(?<!\wOperation)\s+((?:{cap}|\d{{4}})(?:\s+(?:{cap}|\d{{4}}))*)")
        title_words = [w.capitalize() for w in rules.operation_words] + \
            [w for w in rules.operation_words if w[:1].isupper()]
        self.cap_name_re = re.compile(
            rf"([A-Z](?<!\w[A-Z])[\w'’-]*\s+(?:{cap}\s+){{0,3}}(?:{trie_pattern(title_words)}))(?![\w-])")
        self.stopwords = set(rules.name_stopwords)

    def canonical(self, text: str) -> str | None:
        """The canonical name of a known alias, or None."""
        found = self.lookup.get(normalise_operation(text, self.rules.operation_words))
        return found[0] if found else None

    def find(self, text: str) -> list[OperationMatch]:
        found: list[OperationMatch] = []
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, name: str, rule: str) -> None:
            if any(start < t_end and end > t_start for t_start, t_end in taken):
                return
            taken.append((start, end))
            found.append(OperationMatch(start, end, name, rule))

        for m in QUOTE_RE.finditer(text):
            group = 1 if m.group(1) is not None else 2
            inner_start, inner_end = m.start(group), m.end(group)
            while inner_start < inner_end and text[inner_start] in _TRIM:
                inner_start += 1
            while inner_end > inner_start and text[inner_end - 1] in _TRIM:
                inner_end -= 1
            inner = text[inner_start:inner_end]
            if not inner or len(inner.split()) > self.max_words:
                continue
            known = self.lookup.get(normalise_operation(inner, self.rules.operation_words))
            if known is not None:
                add(inner_start, inner_end, known[0], "operation.alias.quoted")
                continue
            after = text[m.end():m.end() + 40]
            before = text[max(0, m.start() - 30):m.start()]
            ends_in_word = inner.split()[-1].lower() in self.words and inner[:1].isupper()
            if self.word_after_re.match(after) or self.word_before_re.search(before) or ends_in_word:
                add(inner_start, inner_end, self._new_name(inner), "operation.quoted_name")
        if self.anywhere_re is not None:
            lowered = text.lower()
            for m in _bounded(self.anywhere_re, lowered if len(lowered) == len(text) else text):
                name = self.canonical(m.group(0))
                if name:
                    add(m.start(), m.end(), name, "operation.alias.anywhere")
        for m in self.operation_x_re.finditer(text):
            if not self._headline(text, m.start()):
                name = self.canonical(m.group(0)) or self._new_name(m.group(1))
                add(m.start(), m.end(), name, "operation.operation_x")
        for m in self.cap_name_re.finditer(text):
            start, phrase = m.start(1), m.group(1)
            while phrase.split()[0] in self.stopwords and len(phrase.split()) > 2:
                first = phrase.split()[0]
                cut = phrase.index(first) + len(first)
                start += cut + (len(phrase[cut:]) - len(phrase[cut:].lstrip()))
                phrase = phrase[cut:].lstrip()
            if phrase.split()[0] in self.stopwords or self._headline(text, m.start()) \
                    or self._sentence_start_only(start, phrase, text):
                continue
            name = self.canonical(phrase) or self._new_name(phrase)
            add(start, start + len(phrase), name, "operation.capitalised_name")
        if self.cased_re is not None:
            for m in _bounded(self.cased_re, text):
                name = self.canonical(m.group(0))
                if name:
                    add(m.start(), m.end(), name, "operation.alias.cased")
        return sorted(found, key=lambda f: f.start)

    def _new_name(self, text: str) -> str:
        """A canonical name for an unknown campaign: no operation word, title case."""
        words = text.replace("“", "").replace("”", "").split()
        lowered = [w.lower() for w in words]
        while len(words) > 1 and lowered[-1] in self.words:
            words.pop()
            lowered.pop()
        if len(words) > 1 and lowered[0] == "operation":
            words.pop(0)
        name = " ".join(words)
        return name if any(c.isupper() for c in name) else name.title()

    @staticmethod
    def _headline(text: str, pos: int) -> bool:
        """True inside a title-cased line (a headline), where capitals say nothing."""
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        words = [w for w in re.findall(r"[A-Za-z][\w'-]*", line) if len(w) > 3]
        if len(words) < 4:
            return False
        return sum(w[0].isupper() for w in words) / len(words) > 0.6

    @staticmethod
    def _sentence_start_only(start: int, phrase: str, text: str) -> bool:
        """'Police Campaign' at a sentence start: a single capitalised word there proves nothing."""
        if len(phrase.split()) > 2:
            return False
        before = text[:start].rstrip()
        return not before or before[-1] in ".!?\n"
