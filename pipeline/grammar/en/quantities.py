"""Find quantities in text: numbers (digits or words) with their unit, currency and qualifier.

Matching runs as compiled regular expressions over the whole text (fast: no
Python work per token) and a small parser per number run. Everything it knows
(number words, units, currencies, qualifiers, what is not a quantity) comes
from ``configs/quantities.yml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ...normalize import (
    NumberParser,
    ParsedNumber,
    build_qualifier_table,
    build_unit_table,
    lookup_unit,
    number_atoms,
    parse_digits,
    qualifier_of,
    ratio,
    scaled,
)
from ...rules import QuantitiesFile
from ..text import word_before
from ..trie import trie_pattern


@dataclass(slots=True)
class QuantityMatch:
    """A quantity in the text: character offsets of the whole span and normalised value."""

    start: int
    end: int
    value: float
    unit: str  # kg, l, count, percent, or an ISO 4217 code
    qualifier: str
    rule: str
    number_start: int
    number_end: int
    qualifier_end: int | None = None  # where a qualifier written after the number ends ("300-odd")



def _postposed_pattern(forms: Iterable[str]) -> "re.Pattern[str] | None":
    """The postposed qualifiers as one pattern anchored where a number ends: "-odd" joined by an
    ASCII hyphen (spaCy splits only it), "+" against the number, the others after a space."""
    joined = [f for f in forms if f.startswith(("-", "+"))]
    spaced = [f for f in forms if not f.startswith(("-", "+"))]
    options = [f"(?:{trie_pattern(joined)})"] if joined else []
    if spaced:
        options.append(rf"[ \t\u00a0]+(?:{trie_pattern(spaced)})")
    return re.compile(rf"(?:{'|'.join(options)})(?![A-Za-z0-9+])", re.IGNORECASE) if options else None


def _postposed_form(match: "re.Match[str]") -> str:
    """The configured form of a postposed qualifier match ("-odd", "+", "or so")."""
    return " ".join(match.group().lower().split())


def _variants(words: Iterable[str]) -> set[str]:
    return {v for w in words for v in (w, w.lower(), w.capitalize(), w.upper())}


ARTICLE_BEFORE_RE = re.compile(r"(?<![A-Za-z])(?:a|an|the)[ \t\u00a0]+$", re.IGNORECASE)
HALF_AFTER_RE = re.compile(r"[ \t\u00a0]+and[ \t\u00a0]+a[ \t\u00a0]+half(?![A-Za-z])", re.IGNORECASE)
ARTICLE_RE = re.compile(r"(?<![A-Za-z])[aA]n?(?![A-Za-z])")
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?![\d,])|\d+)(?:\.\d+)?|\.\d+"


class QuantityGrammar:
    """Compiled quantity rules; ``find(text)`` returns every quantity in order."""

    def __init__(self, rules: QuantitiesFile):
        self.rules = rules
        self.parser = NumberParser(rules.number_words)
        nw = rules.number_words
        words = list(nw.ones) + list(nw.tens) + list(nw.scales) + list(nw.fractions) \
            + list(nw.point) + list(nw.negative)
        # Case variants instead of IGNORECASE, and no leading \b: both would stop the regex
        # engine from skipping quickly to the characters a number can start with.
        scale_frac = trie_pattern(_variants(list(nw.scales) + list(nw.fractions)))
        fractions = trie_pattern(_variants(nw.fractions))
        scales = trie_pattern(_variants(nw.scales))
        measures = trie_pattern(_variants(f for u in rules.units if u.unit != "percent" and not u.attached
                                          for f in u.forms))
        atom = (rf"(?:{DIGITS}"
                rf"|(?:{fractions})\s+of(?=\s+(?:an?\s+)?(?:{scales})(?![A-Za-z]))"  # "a quarter of a million"
                rf"|(?:{fractions})\s+an?(?=[ \t]+(?:{measures})(?![A-Za-z]))"  # "half a tonne"
                rf"|(?:{trie_pattern(_variants(words))})(?![A-Za-z])"
                rf"|(?:an?|An?|AN?)(?=\s+(?:{scale_frac})(?![A-Za-z])))")
        sep = r"(?:\s*[-–]\s*|\s*,\s*|\s+(?:and|And|AND|&)\s+|\s*&\s*|\s+)"
        self.run_re = re.compile(rf"{atom}(?:{sep}{atom})*")
        self.digits_re = re.compile(DIGITS)

        self.units = build_unit_table(rules.units)
        self.currency_suffix: dict[str, str] = {}
        self.currency_prefix: dict[str, str] = {}
        for cur in rules.currencies:
            for form in cur.suffixes:
                self.currency_suffix[form.lower()] = cur.code
            for form in cur.prefixes:
                self.currency_prefix[form.lower()] = cur.code
        self.shared_units = {"kg", "l", "percent", *self.currency_suffix.values()}  # what a range or list shares
        unit_forms = list(self.units) + list(self.currency_suffix)
        self.unit_after_re = re.compile(
            r"(?P<sep>\s*-\s*|[ \t\u00a0]*)(?P<open>[(\[{<]\s*)?"
            rf"(?P<unit>{trie_pattern(unit_forms)})(?(open)(?P<close>\s*[)\]}}>]))(?![A-Za-z0-9µμ%])",
            re.IGNORECASE)
        self.prefix_before_re = re.compile(
            rf"(?<![A-Za-z])(?P<prefix>{trie_pattern(self.currency_prefix)})[ \t\u00a0]*$",
            re.IGNORECASE)
        self.qualifiers = build_qualifier_table(rules)
        self.prefix_last = frozenset(p[-1].lower() for p in self.currency_prefix if p)
        self.qualifier_last = frozenset(q[-1].lower() for q in self.qualifiers if q)
        self.prefix_longest = max((len(p) for p in self.currency_prefix), default=0)
        self.qualifier_longest = max((len(q) for q in self.qualifiers), default=0)
        # how far back a qualifier, currency or "percent of" can start
        self.context = 8 + max([len(q) for q in self.qualifiers] + [len(p) for p in self.currency_prefix] + [20])
        self.postposed = {form.lower(): name for name, forms in rules.postposed_qualifiers.items() for form in forms}
        self.qualifier_not_after = {q.lower(): {w.lower() for w in words}
                                    for q, words in rules.qualifiers_not_after.items()}
        self.postposed_re = _postposed_pattern(self.postposed)
        self.qualifier_before_re = re.compile(
            rf"(?<![A-Za-z])(?P<q>{trie_pattern(self.qualifiers)})[ \t\u00a0]+[(\[]?$", re.IGNORECASE)
        # "more than a tonne": one unit after an article, read only after a qualifier ("$1,000 a
        # kilogram" and "a gram of heroin sells for" are prices, not amounts)
        article_units = [f for f, (u, _, attached) in self.units.items() if u in ("kg", "l") and not attached]
        self.article_not_after = {w.lower() for w in rules.article_unit_not_after}
        self.article_unit_re = re.compile(
            rf"(?<![A-Za-z])an?[ \t\u00a0]+(?P<unit>{trie_pattern(article_units)})(?![A-Za-z0-9])",
            re.IGNORECASE) if article_units else None
        percent_forms = [f for f, (u, _, _) in self.units.items() if u == "percent" and f != "%"]
        self.percent_of_re = re.compile(
            rf"(?<![A-Za-z])(?P<p>{trie_pattern(percent_forms)})\s+of\s+$", re.IGNORECASE)
        self.not_after = {w.lower() for w in rules.not_quantity_after}
        self.other_unit_re = re.compile(
            rf"(?:\s*-\s*|[ \t\u00a0]*)(?:{trie_pattern(rules.other_units)})(?![A-Za-z0-9])")
        self.fractions = {w.lower() for w in rules.fraction_words}
        self.not_compound = {w.lower() for w in rules.not_quantity_compound} | self.fractions
        self.next_word_re = re.compile(r"\s*(?P<hyphen>-)?\s*(?P<word>[A-Za-z][A-Za-z.']*)")
        self.pronoun_before = {w.lower() for w in rules.pronoun_one_before}
        self.pronoun_after = {w.lower() for w in rules.pronoun_one_after}
        self.rate_re = None
        self.rate_words = [w.lower() for w in rules.rate_words]
        self.rate_needles = [f" {w} " for w in self.rate_words]
        if rules.rate_words and rules.rate_periods:
            self.rate_re = re.compile(
                rf"[^.;:!?\n]{{0,{rules.rate_window * 12}}}?\b(?:{trie_pattern(rules.rate_words)})"
                rf"\s+(?:{trie_pattern(rules.rate_periods)})s?\b", re.IGNORECASE)
        self.range_joiner_re = re.compile(r"\s*(?:and|to|or|-|–|—)\s*$", re.IGNORECASE)
        self.list_comma_re = re.compile(r"\s*,\s*")  # "318, 1,640 and 205 kg": a list before its last joiner
        self.not_before = {w.lower() for w in rules.not_quantity_before}
        self.age_words = {w.lower() for w in rules.age_words}
        self.age_superlatives = [w.lower() for w in rules.age_superlatives]
        self.range_openers = {w.lower() for w in rules.range_openers}
        self.range_joiners = {w.lower() for w in rules.range_joiners}
        self.paired_joiners = {w.lower() for w in rules.paired_joiners}
        self.range_tail_re = re.compile(r"\s+(?P<number>\d[\d,.]*|[A-Za-z-]+)\s+(?P<word>[A-Za-z][A-Za-z.']*)")
        self.qualifier_words = {w for q in self.qualifiers for w in q.split()}
        # last words of the two-word phrases above ("age of"): only they need the word before
        self.phrase_tails = {p.split()[-1] for p in self.not_before | self.age_words if " " in p}
        self.superlative_re = re.compile(
            rf"\b(?:{trie_pattern(rules.age_superlatives)})\b[^.;:!?\n]{{0,60}}$",
            re.IGNORECASE) if rules.age_superlatives else None
        self.bare_end_re = re.compile(r"\s*(?:[,.;:)!?\n]|and\b|or\b|$)")
        self.ratio_re = re.compile(rf"\s+(?:{trie_pattern(rules.ratio_joiners)})\s+(?:every\s+)?$",
                                   re.IGNORECASE) if rules.ratio_joiners else None
        self.duration_modifiers = {w.lower() for w in rules.duration_modifiers}
        self.scale_suffix_re = re.compile(
            rf"(?:{trie_pattern(rules.scale_suffixes)})(?![A-Za-z0-9])") if rules.scale_suffixes else None
        self.suffix_firsts = {form[0] for form in rules.scale_suffixes}
        self.scale_suffix_blockers = {w.lower() for w in rules.scale_suffix_blockers} | self.not_after

    def number_words(self) -> set[str]:
        """Lower-case words a number can start with (for token-level anchoring)."""
        nw = self.rules.number_words
        return {w.lower() for w in list(nw.ones) + list(nw.tens) + list(nw.fractions) + list(nw.negative)} \
            | {"a", "an"}

    def _runs(self, text: str, starts: Sequence[int] | None) -> Iterator[re.Match[str]]:
        if starts is None:
            yield from self.run_re.finditer(text)
            return
        end = -1
        for pos in starts:
            if pos < end:
                continue
            run = self.run_re.match(text, pos)
            if run is not None:
                end = run.end()
                yield run

    def find(self, text: str, starts: Sequence[int] | None = None) -> list[QuantityMatch]:
        """Every quantity in ``text``, in order of position.

        ``starts`` are the offsets where a number may begin (a pipeline finds them from
        its tokens); without them the whole text is scanned.
        """
        found: list[QuantityMatch] = []
        digits = self.digits_re
        code_end = -1
        for run in self._runs(text, starts):
            start, end = run.span()
            if digits.fullmatch(text, start, end) and not (start and text[start - 1].isalpha()):
                # one number in digits, the common case: no atoms to split and parse
                numbers = [ParsedNumber(start, end, parse_digits(run.group()), False)]
            else:
                atoms = number_atoms(self.parser, text, start, end)
                while atoms and atoms[0].start > 0 and text[atoms[0].start - 1].isalpha() \
                        and not self._after_currency(text, atoms[0].start):
                    atoms.pop(0)  # "often": a number word inside another word; "RMB686" is money
                numbers = self.parser.parse(atoms)
            for number in numbers:
                if self._code(text, number.start, number.end, code_end):
                    code_end = number.end
                    continue
                number = self._with_scale_suffix(text, number)
                taken = found[-1].end if found else 0
                match = self._complete(text, number.start, number.end, number.value,
                                       number.words, taken)
                if match is not None:
                    found.append(match)
        found = self._counts_only(text, found)
        if self.article_unit_re is not None:
            found = self._article_units(text, starts, found)
        self._distribute_units(text, found)
        return found

    def _article_units(self, text: str, starts: Sequence[int] | None,
                       found: list[QuantityMatch]) -> list[QuantityMatch]:
        """``found`` with "a tonne", "a kilogram" read after a qualifier ("more than a tonne of
        meth": one unit), in order. Articles are among ``starts`` (number starts) when given."""
        articles = [pos for pos in starts if text[pos:pos + 1] in "aA"] if starts is not None \
            else [m.start() for m in ARTICLE_RE.finditer(text)]
        added = []
        for pos in articles:
            m = self.article_unit_re.match(text, pos)  # type: ignore[union-attr]
            if m is None:
                continue
            before = text[max(0, pos - self.context):pos]
            qualifier = self._ends_with(before, self.qualifier_before_re, self.qualifier_last, "([",
                                        self.qualifier_longest)
            if qualifier is None or any(q.start < m.end() and pos < q.end for q in found) \
                    or " ".join(qualifier.group("q").lower().split()) in self.article_not_after:
                continue  # "hidden under a tonne of coal": a place, not a qualifier
            form = m.group("unit")
            unit, factor, _ = lookup_unit(self.units, form)  # type: ignore[misc]
            half = HALF_AFTER_RE.match(text, m.end())  # "a tonne and a half"
            end, amount = (half.end(), 1.5) if half is not None else (m.end(), 1.0)
            added.append(QuantityMatch(start=pos, end=end, value=scaled(amount, factor), unit=unit,
                                       qualifier=qualifier_of(qualifier.group("q"), self.qualifiers),
                                       rule="quantity.article+" + form.lower(), number_start=pos,
                                       number_end=pos + 1))
        return sorted(found + added, key=lambda q: q.start) if added else found

    @staticmethod
    def _code(text: str, start: int, end: int, code_end: int) -> bool:
        """A number that is part of a name, a code or a phone number: "COVID-19", "Jufeng-39",
        "level-four", "0871-6300-1100" (numbers after "hotline" are dropped with the counts)."""
        if start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
            return True
        if code_end >= 0 and text[code_end:start] in ("-", " "):
            return True  # the rest of a phone number
        return text[start] == "0" and end - start > 1 and text[start + 1].isdigit()  # "0871"

    def _after_currency(self, text: str, start: int) -> bool:
        """Whether a currency prefix written in letters ends right before ``start`` ("RMB686")."""
        return text[start].isdigit() and self._ends_with(
            text[max(0, start - self.context):start], self.prefix_before_re, self.prefix_last, "",
            self.prefix_longest) is not None

    def _ends_phrase(self, text: str, word: str, at: int, phrases: set[str]) -> bool:
        """Whether ``word`` (starting at ``at``), or it with the word before, is one of ``phrases``."""
        if word in phrases:
            return True
        return word in self.phrase_tails and f"{word_before(text, at)[0]} {word}" in phrases

    def _with_scale_suffix(self, text: str, number: ParsedNumber) -> ParsedNumber:
        """"$14m", "14m drug users", "2.1bn yuan": a scale written against digits. Without a
        currency sign it must be followed by a word that is not a measure ("14m-long", "14m deep")."""
        if self.scale_suffix_re is None or number.words or text[number.end:number.end + 1] not in self.suffix_firsts:
            return number
        m = self.scale_suffix_re.match(text, number.end)
        if m is None:
            return number
        before = text[max(0, number.start - self.context):number.start]
        if self._ends_with(before, self.prefix_before_re, self.prefix_last, "", self.prefix_longest) is None:
            nxt = self.next_word_re.match(text, m.end())
            if nxt is None or nxt.group("hyphen") or not text[m.end():m.end() + 1].isspace() \
                    or nxt.group("word").lower() in self.scale_suffix_blockers:
                return number
        factor = self.rules.scale_suffixes[m.group(0)]
        return ParsedNumber(number.start, m.end(), number.value * factor, True)

    def _counts_only(self, text: str, found: list[QuantityMatch]) -> list[QuantityMatch]:
        """Drop bare numbers that count nothing: codes ("hotline 12345", "magnitude 3.8"), ages
        ("aged 34 and 41", "the oldest was 72") and ratios ("one in five"); and the numbers
        joined to a dropped one ("aged 20 to 30", "hotline 12345-678")."""
        drop: set[int] = set()
        lowered = text.lower() if found else ""
        superlatives = any(w in lowered for w in self.age_superlatives)
        for i, q in enumerate(found):
            if q.unit != "count":
                continue
            before = text[max(0, q.start - 70):q.start]
            prev = found[i - 1] if i else None
            joined = prev is not None and (i - 1) in drop and prev.unit == "count" \
                and self.range_joiner_re.fullmatch(text[prev.end:q.start] or " ") is not None
            if joined or self._coded_or_age(text, q, before, superlatives):
                drop.add(i)
            elif self.ratio_re is not None and prev is not None and prev.unit == "count" \
                    and self.ratio_re.fullmatch(text[prev.end:q.start]) and not _year_like(text, q):
                drop.update((i - 1, i))
        return [q for i, q in enumerate(found) if i not in drop]

    def _coded_or_age(self, text: str, q: QuantityMatch, before: str, superlatives: bool) -> bool:
        """"hotline 12345", "magnitude 3.8"; "aged 34", "aged between 52", "Li, 35,", or a bare
        number after "the youngest"/"the oldest"."""
        if q.start > 0 and text[q.start - 1] in QUOTE_MARKS and text[q.end:q.end + 1] in QUOTE_MARKS \
                and q.number_start == q.start:
            return True  # a number quoted alone is a name: cracked the "705" case
        word, at = word_before(text, q.start)
        if word == "number":
            code, code_at = word_before(text, at)  # "hotline number 12345"
        else:
            code, code_at = word, at
        if self._ends_phrase(text, code, code_at, self.not_before):
            return True
        if self.age_words:
            for _ in range(3):
                if word not in self.qualifier_words:
                    break
                word, at = word_before(text, at)  # "aged about", "aged more than"
            if word in self.range_openers:
                word, at = word_before(text, at)  # "aged between"
            if self._ends_phrase(text, word, at, self.age_words):
                return True
        if text[q.end:q.end + 1] == "," and q.value < 120 and q.number_start == q.start \
                and q.end - q.start <= 3 and APPOSITIVE_AGE_RE.search(before):
            return True  # "Wang, 42, and Zhang, 37, were sentenced"
        return superlatives and self.superlative_re is not None and self.superlative_re.search(before) is not None \
            and self.bare_end_re.match(text, q.end) is not None

    def _complete(self, text: str, start: int, end: int, value: float, words: bool,
                  taken: int = 0) -> QuantityMatch | None:
        """Attach unit, currency, sign and qualifier to a number; None if it is not a quantity.

        ``taken`` is where the previous quantity ended: "10 rmb 20" gives "rmb" to the 10.
        """
        window = max(0, start - self.context, taken)
        before = text[window:start]
        prefix = self._ends_with(before, self.prefix_before_re, self.prefix_last, "", self.prefix_longest)
        span_start = start
        unit = "count"
        rule = "quantity.words" if words else "quantity.digits"
        if prefix is not None:
            unit = self.currency_prefix[prefix.group("prefix").lower()]
            span_start = start - (len(before) - prefix.start())
            before = before[:prefix.start()]
            rule += "+currency"
        elif start > 0 and (text[start - 1].isalnum() or text[start - 1] in "+/"):
            return None  # inside a code or a fraction: "J1149.5", "1/0", "SCP06F6"
        if end < len(text) and text[end] in "/:" and end + 1 < len(text) and text[end + 1].isdigit():
            return None  # "5/12", "2:30"
        if start > 1 and text[start - 1] == ":" and text[start - 2].isdigit():
            return None
        if text[start - 1:start] in ("-", "−") and (start == 1 or text[start - 2].isspace()) \
                and prefix is None:
            value, span_start = -value, start - 1
        unit, factor, rule, span_end = self._unit_after(text, end, unit, rule)
        postposed = self._postposed(text, span_end) if unit == "count" else None
        tail = span_end  # where what the number counts starts
        if postposed is not None and self._age_like(text, before, value, postposed):
            return None  # "a 70-plus man", "the 30-something courier": an age
        if postposed is not None:
            tail = postposed.end()
            unit, factor, rule, unit_end = self._unit_after(text, tail, unit, rule)
            if unit != "count":  # "10-plus tonnes": the span holds the qualifier between
                span_end = tail = unit_end
        if unit == "count":
            if span_end < len(text) and text[span_end].isalpha():
                return None  # "2nd", "1970s", "06F6"
            if self.other_unit_re.match(text, tail):
                return None  # "27-kilometer", "One pound", "8 MB"
            percent_of = self.percent_of_re.search(before) \
                if before[-1:].isspace() and before.rstrip()[-2:].lower() == "of" else None
            if percent_of is not None and not self._number_before(before[:percent_of.start()]):
                unit = "percent"
                span_start -= len(before) - percent_of.start()
                before = before[:percent_of.start()]
                rule += "+percent_of"
            elif (words and not _whole(value)) or not self._is_count(text, start, end, tail, before, words):
                return None  # "a quarter", "three and a half" count nothing whole
        qualifier = self._ends_with(before, self.qualifier_before_re, self.qualifier_last, "([",
                                    self.qualifier_longest)
        if qualifier is not None and self._not_after(before, qualifier):
            qualifier = None  # "the top 10 drug traffickers": a rank
        named: str
        if qualifier is None and postposed is not None:  # the one in front wins: "about 20-odd people"
            named = self.postposed[_postposed_form(postposed)]
        else:
            named = qualifier_of(qualifier.group("q") if qualifier else None, self.qualifiers)
        return QuantityMatch(
            start=span_start, end=span_end, value=scaled(value, factor), unit=unit, qualifier=named,
            rule=rule, number_start=start, number_end=end, qualifier_end=tail if postposed is not None else None)

    def _not_after(self, before: str, qualifier: "re.Match[str]") -> bool:
        """Whether a qualifier is none after the word before it (configs: qualifiers_not_after)."""
        words = self.qualifier_not_after.get(" ".join(qualifier.group("q").lower().split()))
        if not words:
            return False
        previous = before[:qualifier.start()].split()
        if not previous:
            return True  # "Top 10 drug cases of 2023": a headline's rank
        word = previous[-1].lower()
        return word in words or word.endswith(("'s", "’s"))  # "the gang's top 5 members"

    def _age_like(self, text: str, before: str, value: float, postposed: "re.Match[str]") -> bool:
        """"a 70-plus man", "the 30-something courier": a hyphen-joined qualifier after an article,
        on a number an age can be, before one singular noun, makes an adjective of an age."""
        if not postposed.group().startswith("-") or value >= 120:
            return False
        if not ARTICLE_BEFORE_RE.search(before):
            return False
        nxt = self.next_word_re.match(text, postposed.end())
        return nxt is not None and not nxt.group("hyphen") and not nxt.group("word").lower().endswith("s")

    def _unit_after(self, text: str, end: int, unit: str, rule: str) -> tuple[str, float, str, int]:
        """The unit (or currency) written after a number ending at ``end``: unit, factor, rule
        and the span's end; ``unit`` as given ("count" or a prefixed currency) when none is."""
        after = self.unit_after_re.match(text, end)
        if after is None or unit != "count" or not self._unit_ok(after):
            return unit, 1.0, rule, end
        form = after.group("unit")
        if form.lower() in self.currency_suffix and lookup_unit(self.units, form) is None:
            return self.currency_suffix[form.lower()], 1.0, rule + "+currency", after.end()
        found = lookup_unit(self.units, form)
        if found is None:
            return unit, 1.0, rule, end
        return found[0], found[1], rule + "+" + form.lower(), after.end()

    def _postposed(self, text: str, end: int) -> "re.Match[str] | None":
        """A qualifier written after a count ("-plus", "or so"), not followed by another number
        ("four plus three" adds); its phrase is ``_postposed_form``."""
        if self.postposed_re is None:
            return None
        found = self.postposed_re.match(text, end)
        if found is None:
            return None
        nxt = self.next_word_re.match(text, found.end())
        if nxt is not None and not nxt.group("hyphen") and (self._number_before(nxt.group("word"))
                                                            or nxt.group("word").lower() in self.qualifier_words):
            return None  # "four plus three", "500 or more than 600"
        rest = text[found.end():found.end() + 2].lstrip(" \t\u00a0")
        return None if rest[:1].isdigit() else found

    @staticmethod
    def _ends_with(before: str, pattern: "re.Pattern[str]", last_chars: frozenset[str],
                   brackets: str, longest: int) -> "re.Match[str] | None":
        """``pattern.search(before)`` for a pattern of phrases (at most ``longest`` characters)
        anchored at the end, tried only when the text before the number ends with a character
        such a phrase can end with, and only from where such a phrase can start."""
        tail = before[:-1] if brackets and before[-1:] in brackets else before
        if brackets and tail[-1:] not in (" ", "\t", "\u00a0"):
            return None  # a qualifier is followed by a space
        tail = tail.rstrip(" \t\u00a0")
        if not tail or tail[-1].lower() not in last_chars:
            return None
        # the phrase ends where ``tail`` does (or in the whitespace after it): it starts at most
        # ``longest`` characters before (case-insensitive matching keeps lengths), and the
        # lookbehind still sees the characters before ``pos``
        return pattern.search(before, max(0, len(tail) - longest))

    def _unit_ok(self, match: "re.Match[str]") -> bool:
        if bool(match.group("open")) != bool(match.group("close")):
            return False
        if match.group("open") and "([{<".index(match.group("open").strip()) != \
                ")]}>".index(match.group("close").strip()):
            return False
        found = lookup_unit(self.units, match.group("unit"))
        if found is not None and found[2]:
            # Single-letter units ("100t", "4 L"): exact case, no hyphen, no brackets, and
            # not followed by a hyphen or a dot ("24703 L-202", "james t. kirk").
            end = match.end()
            following = match.string[end:end + 1]
            return match.group("unit") in self.units and "-" not in match.group("sep") \
                and not match.group("open") and following not in ("-", ".", "'")
        return True

    def _number_before(self, text: str) -> bool:
        tail = text.rstrip()
        if not tail:
            return False
        if tail[-1].isdigit():
            return True
        last = tail.split()[-1].lower()
        return self.parser.classify(last)[0] in ("ones", "tens", "scale")

    def _is_count(self, text: str, start: int, end: int, span_end: int, before: str,
                  words: bool) -> bool:
        """A bare number counts things unless it is a duration, a compound, a pronoun or a rate."""
        nxt = self.next_word_re.match(text, span_end)
        if nxt is not None:
            word = nxt.group("word").lower().rstrip(".")
            if nxt.group("hyphen") and (word in self.not_compound or
                                        word.rstrip("s") in self.not_compound):
                return False
            if not nxt.group("hyphen") and (word in self.not_after or
                                            nxt.group("word").lower() in self.not_after):
                return False
            if word in self.fractions:
                return False  # "two thirds of all the drugs": a share, not a count
            if not nxt.group("hyphen") and word in self.duration_modifiers:
                then = self.next_word_re.match(text, nxt.end())
                if then is not None and then.group("word").lower().rstrip(".") in self.not_after:
                    return False  # "three consecutive years", "two more weeks"
            if not nxt.group("hyphen") and (word in self.range_joiners or word in self.paired_joiners and (
                    before.lower().split()[-1:] or [""])[0] in self.range_openers):
                tail = self.range_tail_re.match(text, nxt.end())
                if tail is not None and tail.group("word").lower().rstrip(".") in self.not_after \
                        and self._number_before(tail.group("number")):
                    return False  # "a prison term of five to 15 years", "three or four days"
        number_text = text[start:end].lower()
        if number_text == "one":
            prev_words = before.lower().split()
            prev = prev_words[-1] if prev_words else ""
            if prev in self.pronoun_before:
                return False
            if len(prev_words) > 1 and prev_words[-2] in self.pronoun_before and prev.isalpha() \
                    and self.parser.classify(prev)[0] == "other":
                return False  # "a new one", "the only one"
            if nxt is not None and nxt.group("word").lower() in self.pronoun_after:
                return False
        if not words and _year_like_title(text, start, end, before):
            return False
        if self.rate_re is None:
            return True
        ahead = text[span_end:span_end + self.rules.rate_window * 12].lower()
        if not any(needle in ahead for needle in self.rate_needles):
            return True
        return not self.rate_re.match(text, span_end)

    def _distribute_units(self, text: str, found: list[QuantityMatch]) -> None:
        """'45 and 50 mg', 'from 50 to 80%', 'between 30 and 50 yuan': the first number shares
        the second's unit; in a list ('318, 1,640 and 205 kilograms') each number shares it
        with the one after it, from the last back."""
        for first, second in reversed(list(zip(found, found[1:], strict=False))):
            if first.unit != "count" or second.unit not in self.shared_units:
                continue
            gap = text[first.end:second.number_start]
            if second.start != second.number_start:
                continue
            if not self.range_joiner_re.fullmatch(gap or " ") and not (
                    second.rule.endswith("+shared_unit") and self.list_comma_re.fullmatch(gap)):
                continue
            first.value = scaled(first.value, ratio(second.value, self._bare_value(text, second)))
            first.unit = second.unit
            first.rule += "+shared_unit"

    def _bare_value(self, text: str, match: QuantityMatch) -> float:
        atoms = number_atoms(self.parser, text, match.number_start, match.number_end)
        numbers = self.parser.parse(atoms)
        value = numbers[0].value if numbers else 1.0
        if text[match.start:match.number_start] in ("-", "−"):
            value = -value
        return value or 1.0


YEAR_RE = re.compile(r"(?:19|20)\d\d")
# A name or noun and a comma before a bare number in commas: an age ("Li, 35, was caught").
APPOSITIVE_AGE_RE = re.compile(r"(?<![\w-])[A-Za-z][a-z]+,[ \t]*$")


def _whole(value: float) -> bool:
    """A whole number, give or take the noise of binary floats (4.1 million is 4099999.9999999995)."""
    return abs(value - round(value)) <= 1e-9 * max(1.0, abs(value))


QUOTE_MARKS = frozenset("\"'“”‘’")


def _year_like(text: str, match: QuantityMatch) -> bool:
    return YEAR_RE.fullmatch(text, match.number_start, match.number_end) is not None


def _year_like_title(text: str, start: int, end: int, before: str) -> bool:
    """'Situation Report 2023', "'Kunlun 2021'": a year after a capitalised name, ending its line
    or quote, names an edition, it counts nothing."""
    if YEAR_RE.fullmatch(text, start, end) is None:
        return False
    if text[end:end + 1] not in ("", "\n", "'", "’", '"', "”", ")"):
        return False
    words = before.split()
    return bool(words) and words[-1][:1].isupper() and before[-1:] in (" ", "\t")


def find_quantities(grammar: QuantityGrammar, text: str) -> list[tuple[int, int, float, str, str]]:
    """Convenience for tests: (start, end, value, unit, qualifier) of each quantity."""
    return [(q.start, q.end, q.value, q.unit, q.qualifier) for q in grammar.find(text)]
