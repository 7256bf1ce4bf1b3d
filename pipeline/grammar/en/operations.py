"""Find named enforcement campaigns: known aliases and general name patterns.

Known names come from ``configs/operations.yml`` with a match policy each
(quoted, cased, anywhere); next to an operation word a known name counts in any
case ("the clean border drive", "operation clean border", "Hundred-Day campaign").
Unknown names are still found when the text marks them as names: a quoted phrase
(double or single quotes) next to an operation word ("'eradication' action", 'a
campaign code-named "Kunlun 2021"'), "Operation X", a code name ("code-named
SKY-NET", "Jufeng-39 -- the code name of a campaign"), or capitalised words ending
in an operation word ("Strike Hard Campaign", "People's War on Drugs"). A name
found so is found again where the document repeats it. A year after a name, and a
round number after "Operation X", belong to it ("Kunlun 2021", "Operation
Thunderbolt 18") and are dropped from the canonical name. Generic phrases ("a
special operation") are not names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ...rules import OperationsFile, normalise_operation
from ..text import word_before
from ..trie import trie_pattern

# One pattern per kind of quote, each starting with its quote character: the regex engine
# then skips ahead to it (an alternation of two first characters is tried at every position).
# A single quote opens after a space or bracket and closes before a non-word; an apostrophe
# inside ("'People's War'") is one followed by a letter.
QUOTE_RES = (re.compile(r'"([^"\n]{1,120})"'), re.compile(r"“([^”\n]{1,120})”"),
             re.compile(r"'(?<![\w'’]')(?=\S)((?:[^'\n]|'(?=\w)){1,120}?)(?<=\S)'(?!\w)"),
             re.compile(r"‘((?:[^’\n]|’(?=\w)){1,120}?)’(?!\w)"))
_TRIM = " \t,.;:!?'‘’"
# Words a lower-case name keeps lower case in its canonical form ("Ban Drugs in Hundreds of Cities").
SMALL_WORDS = frozenset(["a", "an", "and", "or", "of", "on", "in", "to", "for", "against", "at", "by",
                         "with", "the", "from"])
# After a name: a year ("Kunlun 2021"), or a round number of one or two digits ("Thunderbolt 18").
YEAR_SUFFIX_RE = re.compile(r"[ \t]+(?:19|20)\d\d(?![\w])(?![.,]\d)")
ROUND_SUFFIX_RE = re.compile(r"[ \t]+\d{1,2}(?![\w])(?![.,]\d)")
YEAR_HYPHEN_RE = re.compile(r"(?<=\w)-(?:19|20)\d\d$")  # "Safe Mekong-2019"
YEAR_WORD_RE = re.compile(r"(?:19|20)\d\d")
NEXT_WORD_RE = re.compile(r"[ \t]+([a-z][a-z.]*)")
WORD_RE = re.compile(r"[A-Za-z][\w'-]*")
# Short words after a round number that do not make it a count ("Thunderbolt 18 was ...").
NOT_COUNTED = frozenset(["was", "is", "has", "had", "and", "the", "in", "on", "at", "as", "for", "saw", "ran"])


_WORD_OR_HYPHEN = re.compile(r"[\w-]")
_NAME_CHARS = frozenset("'’-_") | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


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


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    name: str
    rule: str
    rank: int  # on equal length, the lower rank wins
    surface: str = ""  # the written name, found again where the document repeats it


# rule -> rank: quotes and known names before the general patterns
RANKS = {"operation.alias.quoted": 0, "operation.quoted_name": 1, "operation.alias.anywhere": 2,
         "operation.alias.operation_word": 2, "operation.operation_x": 3, "operation.code_name": 3,
         "operation.alias.cased": 4, "operation.capitalised_name": 5, "operation.repeated": 6}


class OperationGrammar:
    """Compiled operation rules; ``find(text)`` returns every campaign name in order."""

    def __init__(self, rules: OperationsFile, max_words: int = 10):
        self.rules = rules
        self.max_words = max_words
        self.words = {w.lower() for w in rules.operation_words}
        self.lookup: dict[str, tuple[str, str]] = {}  # key -> (canonical name, match policy)
        cased: list[str] = []
        anywhere: list[str] = []
        # known names next to an operation word: core (lower case) -> forms allowed as written
        # (None: any case), and whether the canonical name itself ends in an operation word
        self.cores: dict[str, set[str] | None] = {}
        self.name_has_word: dict[str, bool] = {}
        for op in rules.operations:
            self.name_has_word[op.name] = op.name.split()[-1].lower() in self.words
            for alias in [op.name] + op.aliases:
                self.lookup[normalise_operation(alias, rules.operation_words)] = (op.name, op.match)
                if op.match == "cased" and alias[:1].isupper():
                    cased.append(alias)
                elif op.match == "anywhere" or (op.match == "cased" and self._names_itself(alias)):
                    anywhere.append(alias)
                self._add_core(alias, op.match)
        # The "not after a word" test is done by _bounded: a lookbehind at the start of a
        # pattern stops the regex engine from skipping ahead to the first letters it can match.
        e = r"(?![\w-])"
        self.cased_re = re.compile(rf"(?:{trie_pattern(cased)}){e}") if cased else None
        # matched in the lower-cased text: IGNORECASE would also stop the skipping
        self.anywhere_re = re.compile(rf"(?:{trie_pattern({a.lower() for a in anywhere})}){e}") if anywhere else None
        modifiers = trie_pattern({m.lower() for m in rules.operation_word_modifiers})
        year = r"(?:[ \t]+(?:19|20)\d\d)?"
        cores = trie_pattern(self.cores)
        self.core_before_re = re.compile(
            rf"(?<![\w-])(?P<core>{cores}){year}(?P<op>[ \t]*-?[ \t]*(?:(?:{modifiers})[ \t]+)?)$")
        self.word_core_re = re.compile(rf"operation[ \t]+(?P<core>{cores}){year}{e}")
        quoted_words = trie_pattern(list(rules.operation_words) + list(rules.quoted_name_words))
        self.word_after_re = re.compile(
            rf"^[\s\-]*(?:(?:{trie_pattern(rules.operation_word_modifiers)})\s+)?(?:{quoted_words})\b",
            re.IGNORECASE)
        # ... a capitalised name across up to two modifiers of a longer list ('"Sea Shield" anti-smuggling operation')
        named = list(rules.operation_word_modifiers) + list(rules.named_operation_word_modifiers)
        self.named_word_after_re = re.compile(
            rf"^[\s\-]*(?:(?:{trie_pattern(named)})\s+){{0,2}}(?:{quoted_words})\b", re.IGNORECASE)
        # '"Blue Sea Shield", a joint campaign by ...': an appositive whose head is an operation word,
        # with up to three modifiers between the article and it (`apposition_modifiers`, or hyphenated
        # words: "a province-wide drive"); not '"Zero tolerance," the slogan of the crackdown'
        apposed = trie_pattern({m.lower() for m in [*rules.apposition_modifiers, *rules.operation_word_modifiers]})
        self.appositive_after_re = re.compile(
            rf"^\s*(?:,|--|—|–|\()\s*(?:a|an|the|its)\s+(?:(?:{apposed}|[a-z]+(?:-[a-z0-9]+)+)\s+){{0,3}}"
            rf"(?:{trie_pattern(rules.operation_words)})(?![\w'’-])"
            r"(?=\s*(?:[,.;:)]|$)|\s+(?:by|against|on|of|to|that|which|led|launched|run|targeting|aimed|in|"
            r"across|for|from|under|since|this|last)\b)")
        code_cues = trie_pattern(rules.code_name_cues)
        self.code_after_re = re.compile(
            rf"^\s*(?:--|—|–|,|\()\s*(?:(?:the|a|its)\s+)?(?:{code_cues})\b", re.IGNORECASE)
        code_token = r"[A-Z][\w]*(?:-\w+)*"
        self.code_before_re = re.compile(
            rf"(?i:{code_cues})\s*:?\s+(?P<name>{code_token}(?:\s+(?:{code_token}|\d{{1,4}}(?![\w])))*)"
        ) if rules.code_name_cues else None
        self.code_cue_re = re.compile(rf"(?i:{code_cues})\b") if rules.code_name_cues else None
        self.name_before_cue_re = re.compile(
            rf"(?<![\w-])(?P<name>{code_token}(?:\s+{code_token})*)\s*(?:--|—|–|,|\()\s*(?i:(?:the|a|its)\s+)?$")
        cap = r"[A-Z][\w'’-]*"
        # (?<!\wX) after X rather than \b before it, and the same for the first capital below:
        # the pattern then starts with a letter the engine can scan for
        self.operation_x_re = re.compile(rf"Operation(?<!\wOperation)\s+((?:{cap}|\d{{4}})(?:\s+(?:{cap}|\d{{4}}))*)")
        title_words = [w.capitalize() for w in rules.operation_words] + \
            [w for w in rules.operation_words if w[:1].isupper()]
        self.cap_name_re = re.compile(
            rf"([A-Z](?<!\w[A-Z])[\w'’-]*\s+(?:(?:{cap}|(?:19|20)\d\d)\s+){{0,3}}"
            rf"(?:{trie_pattern(title_words)})(?:\s+(?:on|against|On|Against)\s+(?:the\s+)?{cap}(?:\s+{cap}){{0,2}})?)(?![\w-])")
        self.core_tails = {core.split()[-1] for core in self.cores}
        self.modifiers = {m.lower() for m in rules.operation_word_modifiers}
        self.core_window = 30 + max((len(c) for c in self.cores), default=0) \
            + max((len(m) for m in rules.operation_word_modifiers), default=0)
        firsts = {c.lower().split()[0].split("-")[0] for c in rules.code_name_cues}
        self.code_words = [w for w in firsts if not any(o != w and o in w for o in firsts)]  # "code", not "codename"
        self.code_cues = {c.lower() for c in rules.code_name_cues}
        # operation words by stem, with the one-letter endings that make another ("operation" + "s")
        self.word_stems: dict[str, set[str]] = {}
        for word in sorted(self.words, key=len):
            stem = next((w for w in self.word_stems if word[:-1] == w), None)
            if stem is not None:
                self.word_stems[stem].add(word[-1])
            else:
                self.word_stems[word] = set()
        self.introducers = {w.lower() for w in rules.name_introducers}
        self.stopwords = set(rules.name_stopwords)
        self.adjective_endings = tuple(rules.adjective_endings)

    def _names_itself(self, alias: str) -> bool:
        """A lower-case alias of several words that ends in an operation word is a campaign's name
        in any case, unquoted ("the cluster crackdown on street-level dealing"): the operation word
        is its own, as in "the X campaign"."""
        words = alias.lower().split()
        return len(words) >= 2 and words[-1] in self.words

    def _add_core(self, alias: str, policy: str) -> None:
        """Register the alias without its trailing operation words, for "<alias> campaign"."""
        words = alias.split()
        while len(words) > 1 and words[-1].lower() in self.words:
            words.pop()
        core = " ".join(words)
        if policy == "anywhere":
            return
        key = core.lower()
        if policy == "cased" and (len(words) >= 2 or any(c.isdigit() for c in core)):
            self.cores[key] = None  # "the clean border drive", "a 100-day campaign"
            return
        forms: set[str] = set()
        if any(c.isupper() for c in core):
            forms.add(core)  # "Thunder operation"
        elif policy == "quoted" and len(words) >= 2:
            forms.add(" ".join(w[:1].upper() + w[1:] for w in words))  # "Clean Net campaign"
        if not forms:
            return  # one lower-case word ("cluster", "eradication") is no name unquoted
        known = self.cores.get(key, set())
        if known is not None:
            self.cores[key] = known | forms

    def canonical(self, text: str) -> str | None:
        """The canonical name of a known alias, or None."""
        found = self.lookup.get(normalise_operation(text, self.rules.operation_words))
        return found[0] if found else None

    def find(self, text: str, words: Sequence[tuple[int, int]] | None = None) -> list[OperationMatch]:
        """Every campaign name in ``text``, in order; where candidates overlap the longest wins.

        ``words`` are the offsets of the operation words (a pipeline finds them from its
        tokens); without them the text is searched for them.
        """
        candidates: list[_Candidate] = []
        lowered: str | None = text.lower()
        if len(lowered or "") != len(text):
            lowered = None  # a character whose lower case is longer: offsets would shift
        self._quoted(text, candidates)
        self._aliases(text, lowered, words, candidates)
        self._general(text, lowered, candidates)
        chosen = _resolve(candidates)
        self._repeated(text, chosen)
        return [OperationMatch(c.start, c.end, c.name, c.rule) for c in sorted(chosen, key=lambda c: c.start)]

    # -- candidates ---------------------------------------------------------------------
    def _quoted(self, text: str, out: list[_Candidate]) -> None:
        """Quoted known aliases, and quoted phrases an operation word or a code-name cue marks."""
        for regex in QUOTE_RES:
            for m in regex.finditer(text):
                inner_start, inner_end = m.start(1), m.end(1)
                while inner_start < inner_end and text[inner_start] in _TRIM:
                    inner_start += 1
                while inner_end > inner_start and text[inner_end - 1] in _TRIM:
                    inner_end -= 1
                inner = text[inner_start:inner_end]
                if not inner or len(inner.split()) > self.max_words:
                    continue
                known = self.lookup.get(normalise_operation(inner, self.rules.operation_words))
                if known is not None:
                    out.append(self._cand(inner_start, inner_end, known[0], "operation.alias.quoted", inner))
                    continue
                if self._epithet(inner):
                    continue
                after = text[m.end():m.end() + 40]
                if self.word_after_re.match(after) or self.code_after_re.match(after) \
                        or (inner[:1].isupper() and self.named_word_after_re.match(after)) \
                        or self.appositive_after_re.match(("," if m.group(1).rstrip().endswith(",") else "") + after) \
                        or self._titled_name(inner) or self._introduced(text[max(0, m.start() - 40):m.start()]):
                    out.append(self._cand(inner_start, inner_end, self._new_name(inner),
                                          "operation.quoted_name", inner))

    def _introduced(self, before: str) -> bool:
        """'the campaign "X"', 'a campaign code-named "X"', 'code name: "X"': an operation word,
        with or without an introducer, or a code-name cue right before a quote."""
        words = before.lower().replace(",", " ").replace(":", " ").split()[-4:]
        for size in (1, 2):
            last = " ".join(words[-size:])
            if len(words) >= size and (last in self.words or last in self.code_cues):
                return True
            rest = words[:-size]
            if last in self.introducers and rest and rest[-1] in self.words:
                return True
        return False

    def _epithet(self, inner: str) -> bool:
        """An 'unprecedented' crackdown: one lower-case word with an adjective's ending."""
        return inner.isalpha() and inner.islower() and inner.endswith(self.adjective_endings)

    def _titled_name(self, inner: str) -> bool:
        """'"Thunder Operations"': a quoted title-case name ending in an operation word, or
        opening with "Operation" ('"Operation Sword of the Law"': quoted, its small words are the name's)."""
        words = inner.split()
        if len(words) < 2 or (words[-1].lower() not in self.words and words[0] != "Operation"):
            return False  # '"Operation Sword of the Law"' opens with the word
        return all(w[:1].isupper() or w.lower() in SMALL_WORDS for w in words) and words[0][:1].isupper()

    def _aliases(self, text: str, lowered: str | None, words: Sequence[tuple[int, int]] | None,
                 out: list[_Candidate]) -> None:
        """Known aliases: by their match policy, and in any case next to an operation word."""
        if self.anywhere_re is not None:
            for m in _bounded(self.anywhere_re, text if lowered is None else lowered):
                name = self.canonical(m.group(0))
                if name:
                    out.append(self._cand(m.start(), self._year_end(text, m.end()), name,
                                          "operation.alias.anywhere"))
        if self.cased_re is not None:
            for m in _bounded(self.cased_re, text):
                name = self.canonical(m.group(0))
                if name:
                    out.append(self._cand(m.start(), self._year_end(text, m.end()), name,
                                          "operation.alias.cased"))
        if not self.cores or lowered is None:
            return
        # found from the operation word back: operation words are rarer than the letters a name starts with
        for word_start, word_end in (self._operation_words(lowered) if words is None else words):
            if (word_start and _WORD_OR_HYPHEN.match(lowered, word_start - 1)) \
                    or _WORD_OR_HYPHEN.match(lowered, word_end):
                continue  # "anti-campaign", "campaigning"
            if not self._may_follow_core(lowered, word_start):
                continue
            window = max(0, word_start - self.core_window)
            found = self.core_before_re.search(lowered, window, word_start)
            if found is None:
                continue
            m = found
            core = m.group("core")
            forms = self.cores[core]
            if forms is not None and text[m.start():m.end("core")] not in forms:
                continue
            name = self.canonical(core)
            if not name:
                continue
            keep_word = self.name_has_word[name] or text[word_start].isupper()
            end = word_end if keep_word else m.start("op")
            out.append(self._cand(m.start(), end, name, "operation.alias.operation_word"))
        for m in _bounded(self.word_core_re, lowered):
            core = m.group("core")
            forms = self.cores[core]
            if forms is not None and text[m.start("core"):m.end("core")] not in forms:
                continue
            name = self.canonical(core)
            if name:
                out.append(self._cand(m.start(), m.end(), name, "operation.alias.operation_word"))

    def _may_follow_core(self, lowered: str, pos: int) -> bool:
        """Whether the word before ``pos``, modifiers (unless a name ends in one) and a year skipped,
        can end a known name."""
        word, at = word_before(lowered, pos, ",:;()'\"‘’“”-")
        for _ in range(2):
            if word in self.core_tails:
                return True  # a name may end in a modifier: "the de-icing and anti-drug campaign"
            if word not in self.modifiers:
                break
            word, at = word_before(lowered, at)
        if YEAR_WORD_RE.fullmatch(word):
            word, at = word_before(lowered, at)
        return word in self.core_tails

    def _operation_words(self, lowered: str) -> list[tuple[int, int]]:
        """Offsets of the operation words in lower-cased text (``str.find`` per word: a
        regex of them would be tried at every letter they can start with)."""
        hits = []
        for stem, endings in self.word_stems.items():
            pos = lowered.find(stem)
            while pos >= 0:
                end = pos + len(stem)
                if end < len(lowered) and lowered[end] in endings:  # "operations"
                    end += 1
                hits.append((pos, end))
                pos = lowered.find(stem, end)
        return sorted(hits)

    def _general(self, text: str, lowered: str | None, out: list[_Candidate]) -> None:
        """Names the config does not know: "Operation X", code names, capitalised names."""
        headlines: dict[int, bool] = {}  # line start -> whether the line is a headline
        for m in self.operation_x_re.finditer(text):
            if not self._headline(text, m.start(), headlines):
                end = m.end()
                while text[end - 1] in "'’":
                    end -= 1  # "'Operation Sky Shield'": the closing quote is not the name's
                end = self._round_end(text, end)
                name = self.canonical(text[m.start():end]) or self._new_name(m.group(1))
                out.append(self._cand(m.start(), end, name, "operation.operation_x", text[m.start(1):end]))
        if self.code_cue_re is not None and self.code_before_re is not None \
                and any(w in (lowered or text.lower()) for w in self.code_words):
            names = list(self.code_before_re.finditer(text))
            for cue in self.code_cue_re.finditer(text):
                before_cue = self.name_before_cue_re.search(text, max(0, cue.start() - 60), cue.start())
                if before_cue is not None:
                    names.append(before_cue)
            for m in names:
                start, end = m.start("name"), self._round_end(text, m.end("name"))
                phrase = text[start:end]
                name = self.canonical(phrase) or self._new_name(phrase)
                out.append(self._cand(start, end, name, "operation.code_name", phrase))
        for m in self.cap_name_re.finditer(text):
            start, phrase = m.start(1), m.group(1)
            if "' " in phrase or "’ " in phrase:
                continue  # "'Clean Border' Campaign": the quoted name is found as such
            while phrase.split()[0] in self.stopwords and len(phrase.split()) > 2:
                first = phrase.split()[0]
                cut = phrase.index(first) + len(first)
                start += cut + (len(phrase[cut:]) - len(phrase[cut:].lstrip()))
                phrase = phrase[cut:].lstrip()
            if phrase.split()[0] in self.stopwords or self._headline(text, m.start(), headlines) \
                    or self._sentence_start_only(start, phrase, text):
                continue
            name = self.canonical(phrase) or self._new_name(phrase)
            out.append(self._cand(start, start + len(phrase), name, "operation.capitalised_name"))

    def _repeated(self, text: str, chosen: list[_Candidate]) -> None:
        """A name the text introduced (quoted, "Operation X", a code name) found where it recurs."""
        surfaces = {c.surface: c.name for c in chosen
                    if c.surface and len(c.surface) >= 3 and c.surface != c.surface.lower()}
        for surface, name in surfaces.items():
            start = text.find(surface)
            while start >= 0:
                end = start + len(surface)
                bounded = (start == 0 or text[start - 1] not in _NAME_CHARS) and \
                    (end == len(text) or not _WORD_OR_HYPHEN.match(text, end))
                if bounded and all(end <= c.start or start >= c.end for c in chosen):
                    chosen.append(self._cand(start, end, name, "operation.repeated"))
                start = text.find(surface, end)

    @staticmethod
    def _cand(start: int, end: int, name: str, rule: str, surface: str = "") -> _Candidate:
        return _Candidate(start, end, name, rule, RANKS[rule], surface)

    # -- name suffixes and canonical names --------------------------------------------------
    @staticmethod
    def _year_end(text: str, end: int) -> int:
        """The end of a name with its year suffix, if any ("Clean Net 2021")."""
        m = YEAR_SUFFIX_RE.match(text, end)
        return m.end() if m else end

    def _round_end(self, text: str, end: int) -> int:
        """The end of an "Operation X" name with its year or round number ("Thunderbolt 18"),
        unless the number counts what follows ("Operation Thunder 18 suspects", "18 kg")."""
        year = self._year_end(text, end)
        if year != end:
            return year
        m = ROUND_SUFFIX_RE.match(text, end)
        if m is None:
            return end
        nxt = NEXT_WORD_RE.match(text, m.end())
        if nxt is not None:
            word = nxt.group(1).rstrip(".")
            if word not in NOT_COUNTED and (word.endswith("s") or len(word) <= 3):
                return end
        return m.end()

    def _new_name(self, text: str) -> str:
        """A canonical name for an unknown campaign: no operation word, year or round
        number, title case when written all in lower case."""
        words = text.replace("“", "").replace("”", "").strip(" '‘’").split()
        lowered = [w.lower() for w in words]
        while len(words) > 1 and (lowered[-1] in self.words
                                  or (lowered[-1].isdigit() and len(lowered[-1]) in (1, 2, 4))):
            words.pop()
            lowered.pop()
        words[-1] = YEAR_HYPHEN_RE.sub("", words[-1]) or words[-1]
        if len(words) > 1 and lowered[0] == "operation":
            words.pop(0)
        name = " ".join(words)
        if any(c.isupper() for c in name):
            return name
        return " ".join(w if i and w in SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))

    @staticmethod
    def _headline(text: str, pos: int, seen: dict[int, bool]) -> bool:
        """True inside a title-cased line (a headline), where capitals say nothing (``seen``:
        the answers for the lines of ``text`` asked about already, by line start)."""
        line_start = text.rfind("\n", 0, pos) + 1
        found = seen.get(line_start)
        if found is None:
            line_end = text.find("\n", pos)
            line = text[line_start:line_end if line_end >= 0 else len(text)]
            words = [w for w in WORD_RE.findall(line) if len(w) > 3]
            found = seen[line_start] = len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.6
        return found

    @staticmethod
    def _sentence_start_only(start: int, phrase: str, text: str) -> bool:
        """'Police Campaign' at a sentence start: a single capitalised word there proves nothing."""
        if len(phrase.split()) > 2:
            return False
        before = text[:start].rstrip()
        return not before or before[-1] in ".!?\n"


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates: the longest first, then by rank, then the earliest."""
    chosen: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.rank, c.start)):
        if cand.end > cand.start and all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return chosen
