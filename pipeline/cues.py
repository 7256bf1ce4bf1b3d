"""Cue anchors: which tokens of a document a topic, kind or attribution cue can start in.

Those cues are phrase lists matched by regexes at word boundaries
("(?<!\\w)(?:...)(?!\\w)"), and scanning every sentence with them cost more than
reading the facts. Here a phrase list is also a family of anchors: ``PhraseAnchor``
says whether a match may start in a word. As a lexeme flag (computed by spaCy once
per word type) it gives the tokens of a document the topic cues are tried at, in one
``Doc.to_array`` call; ``CueFamilies`` tells, from the words of a sentence, which
families' regexes can match in it at all. The test is a necessary condition for a
match to start in a word, so what the regexes find is unchanged; they just run less.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from spacy.language import Language
from spacy.tokens import Doc

from .errors import Errors, ModelError
from .extensions import token_bounds


def _is_word(char: str) -> bool:
    """Whether ``char`` is a regex word character (``\\w``: alphanumeric or "_")."""
    return char.isalnum() or char == "_"


class PhraseAnchor:
    """May a match of one of ``phrases`` (lower-cased) start in a word?

    It may where, at the start of the word or after a non-word character in it, the
    rest of the word and a phrase agree: the phrase ends inside the word before a
    non-word character (or with it), or runs on past it, where the tokenizer can split
    a phrase (a space or another non-word character, after a digit, or inside one of
    its special cases: ``joins``, the pieces such as "can" of "cannot" that a word
    character follows). Words with characters outside ASCII always may: lower-casing
    and case-insensitive matching differ there.
    """

    def __init__(self, phrases: Iterable[str], joins: Iterable[str] = ()):
        self.phrases = frozenset(p.lower() for p in phrases if p)
        self.prefixes = frozenset(p[:k] for p in self.phrases for k in range(1, len(p)))
        self.sizes = tuple(sorted({len(p) for p in self.phrases}))
        self.firsts = frozenset(p[0] for p in self.phrases)
        self.joins = frozenset(joins)

    def __call__(self, text: str) -> bool:
        if not text.isascii():
            return True
        lower = text.lower()
        firsts = self.firsts
        for i in range(len(lower)):
            if lower[i] not in firsts or (i and _is_word(lower[i - 1])):
                continue  # no phrase starts with this character, or no match starts after a word character
            rest = lower[i:]
            for size in self.sizes:
                if size > len(rest):
                    break
                if rest[:size] in self.phrases and (size == len(rest) or not _is_word(rest[size])):
                    return True
            if rest in self.prefixes and self._may_run_on(rest):
                return True
        return False

    def _may_run_on(self, rest: str) -> bool:
        """Whether some phrase that starts with ``rest`` can go on in the next token."""
        if not _is_word(rest[-1]) or rest[-1].isdigit() or rest in self.joins:
            return True
        size = len(rest)
        return any(len(p) > size and p.startswith(rest) and not _is_word(p[size]) for p in self.phrases)


class CueFamilies:
    """The anchor families of a pipeline's cues, and which of them a sentence's words may start.

    ``mask(words)`` is the set of families (one bit each, ``bit(name)``) that a cue may
    start in one of ``words`` (lower-cased tokens), read from a cache per word: a
    sentence whose mask lacks a family's bit cannot match that family's regex.
    """

    def __init__(self, phrases: Mapping[str, Iterable[str]], joins: Iterable[str] = ()):
        joins = frozenset(joins)
        self.anchors = {name: PhraseAnchor(words, joins) for name, words in phrases.items()}
        self._bits = {name: 1 << i for i, name in enumerate(self.anchors)}
        self._firsts = frozenset().union(*(a.firsts for a in self.anchors.values()))
        self._cache: dict[str, int] = {}

    def bit(self, name: str) -> int | None:
        """The bit of family ``name``; None for a family not declared (nothing is known of it)."""
        return self._bits.get(name)

    def mask(self, words: Iterable[str]) -> int:
        """The families a cue of which may start in one of ``words``."""
        cache = self._cache
        mask = 0
        for word in words:
            found = cache.get(word)
            if found is None:
                found = self._families(word)
                if len(cache) > 100_000:
                    cache.clear()  # numbers are new words: keep the cache bounded
                cache[word] = found
            mask |= found
        return mask

    def _families(self, word: str) -> int:
        if word.isascii() and self._firsts.isdisjoint(word):
            return 0  # no phrase starts with a character of the word ("2,300")
        return sum(bit for name, bit in self._bits.items() if self.anchors[name](word))


def tokenizer_joins(nlp: Language) -> set[str]:
    """The pieces of the tokenizer's special cases that a word character follows, lower-cased
    ("can" of "cannot", "gon" of "gonna"): where one word is two tokens."""
    joins: set[str] = set()
    for pieces in nlp.tokenizer.rules.values():  # type: ignore[union-attr]
        orths = [str(p.get("ORTH", p.get(65, ""))) for p in pieces]
        for left, right in zip(orths, orths[1:], strict=False):
            if left and right and _is_word(left[-1]) and _is_word(right[0]):
                joins.add(left.lower())
    return joins


def add_anchor_flag(nlp: Language, flag: int, anchor: Callable[[str], bool], owner: str) -> None:
    """Set ``anchor`` as lexeme flag ``flag`` of the pipeline's vocab: an error if another kind
    of getter holds it (a component loaded again replaces its own)."""
    other = nlp.vocab.lex_attr_getters.get(flag)  # type: ignore[attr-defined]
    if other is not None and not isinstance(other, type(anchor)):
        raise ModelError(Errors.E012.format(name=owner, flag=flag, other=other))
    nlp.vocab.add_flag(anchor, flag)


def flagged_spans(doc: Doc, flag: int) -> list[tuple[int, int]]:
    """(start, end) character offsets of the tokens whose lexeme has ``flag``, in order."""
    if not len(doc):
        return []
    starts, ends = token_bounds(doc)
    return [(starts[i], ends[i]) for i in doc.to_array(flag).nonzero()[0].tolist()]
