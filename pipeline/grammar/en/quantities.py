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



def _variants(words: Iterable[str]) -> set[str]:
    return {v for w in words for v in (w, w.lower(), w.capitalize(), w.upper())}


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
        atom = (rf"(?:{DIGITS}|(?:{trie_pattern(_variants(words))})(?![A-Za-z])"
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
        unit_forms = list(self.units) + list(self.currency_suffix)
        self.unit_after_re = re.compile(
            r"(?P<sep>\s*-\s*|[ \t\u00a0]*)(?P<open>[(\[{<]\s*)?"
            rf"(?P<unit>{trie_pattern(unit_forms)})(?P<close>\s*[)\]}}>])?(?![A-Za-z0-9µμ%])",
            re.IGNORECASE)
        self.prefix_before_re = re.compile(
            rf"(?<![A-Za-z])(?P<prefix>{trie_pattern(self.currency_prefix)})[ \t\u00a0]*$",
            re.IGNORECASE)
        self.qualifiers = build_qualifier_table(rules)
        self.prefix_last = frozenset(p[-1].lower() for p in self.currency_prefix if p)
        self.qualifier_last = frozenset(q[-1].lower() for q in self.qualifiers if q)
        # how far back a qualifier, currency or "percent of" can start
        self.context = 8 + max([len(q) for q in self.qualifiers] + [len(p) for p in self.currency_prefix] + [20])
        self.qualifier_before_re = re.compile(
            rf"(?<![A-Za-z])(?P<q>{trie_pattern(self.qualifiers)})[ \t\u00a0]+[(\[]?$", re.IGNORECASE)
        percent_forms = [f for f, (u, _, _) in self.units.items() if u == "percent" and f != "%"]
        self.percent_of_re = re.compile(
            rf"(?<![A-Za-z])(?P<p>{trie_pattern(percent_forms)})\s+of\s+$", re.IGNORECASE)
        self.not_after = {w.lower() for w in rules.not_quantity_after}
        self.other_unit_re = re.compile(
            rf"(?:\s*-\s*|[ \t\u00a0]*)(?:{trie_pattern(rules.other_units)})(?![A-Za-z0-9])")
        self.not_compound = {w.lower() for w in rules.not_quantity_compound} | \
            {w.lower() for w in rules.fraction_words}
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
        for run in self._runs(text, starts):
            start, end = run.span()
            if digits.fullmatch(text, start, end) and not (start and text[start - 1].isalpha()):
                # one number in digits, the common case: no atoms to split and parse
                numbers = [ParsedNumber(start, end, parse_digits(run.group()), False)]
            else:
                atoms = number_atoms(self.parser, text, start, end)
                while atoms and atoms[0].start > 0 and text[atoms[0].start - 1].isalpha():
                    atoms.pop(0)  # "often": a number word inside another word
                numbers = self.parser.parse(atoms)
            for number in numbers:
                taken = found[-1].end if found else 0
                match = self._complete(text, number.start, number.end, number.value,
                                       number.words, taken)
                if match is not None:
                    found.append(match)
        self._distribute_units(text, found)
        return found

    def _complete(self, text: str, start: int, end: int, value: float, words: bool,
                  taken: int = 0) -> QuantityMatch | None:
        """Attach unit, currency, sign and qualifier to a number; None if it is not a quantity.

        ``taken`` is where the previous quantity ended: "10 rmb 20" gives "rmb" to the 10.
        """
        window = max(0, start - self.context, taken)
        before = text[window:start]
        prefix = self._ends_with(before, self.prefix_before_re, self.prefix_last, "")
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
        span_end = end
        after = self.unit_after_re.match(text, end)
        factor = 1.0
        if after is not None and self._unit_ok(after):
            form = after.group("unit")
            if unit == "count" and form.lower() in self.currency_suffix \
                    and lookup_unit(self.units, form) is None:
                unit = self.currency_suffix[form.lower()]
                rule += "+currency"
                span_end = after.end()
            elif unit == "count":
                found = lookup_unit(self.units, form)
                if found is not None:
                    unit, factor, _ = found
                    rule += "+" + form.lower()
                    span_end = after.end()
        if unit == "count":
            if span_end < len(text) and text[span_end].isalpha():
                return None  # "2nd", "1970s", "06F6"
            if self.other_unit_re.match(text, span_end):
                return None  # "27-kilometer", "One pound", "8 MB"
            percent_of = self.percent_of_re.search(before) \
                if before[-1:].isspace() and before.rstrip()[-2:].lower() == "of" else None
            if percent_of is not None and not self._number_before(before[:percent_of.start()]):
                unit = "percent"
                span_start -= len(before) - percent_of.start()
                before = before[:percent_of.start()]
                rule += "+percent_of"
            elif not self._is_count(text, start, end, span_end, before, words):
                return None
        qualifier = self._ends_with(before, self.qualifier_before_re, self.qualifier_last, "([")
        return QuantityMatch(
            start=span_start, end=span_end, value=scaled(value, factor), unit=unit,
            qualifier=qualifier_of(qualifier.group("q") if qualifier else None, self.qualifiers),
            rule=rule, number_start=start, number_end=end)

    @staticmethod
    def _ends_with(before: str, pattern: "re.Pattern[str]", last_chars: frozenset[str],
                   brackets: str) -> "re.Match[str] | None":
        """``pattern.search(before)`` for a pattern of phrases anchored at the end, tried only
        when the text before the number ends with a character such a phrase can end with."""
        tail = before[:-1] if brackets and before[-1:] in brackets else before
        if brackets and tail[-1:] not in (" ", "\t", "\u00a0"):
            return None  # a qualifier is followed by a space
        tail = tail.rstrip(" \t\u00a0")
        if not tail or tail[-1].lower() not in last_chars:
            return None
        return pattern.search(before)

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
        number_text = text[start:end].lower()
        if number_text == "one":
            prev = before.rstrip().split()[-1].lower() if before.strip() else ""
            if prev in self.pronoun_before:
                return False
            if nxt is not None and nxt.group("word").lower() in self.pronoun_after:
                return False
        if self.rate_re is None:
            return True
        ahead = text[span_end:span_end + self.rules.rate_window * 12].lower()
        if not any(needle in ahead for needle in self.rate_needles):
            return True
        return not self.rate_re.match(text, span_end)

    def _distribute_units(self, text: str, found: list[QuantityMatch]) -> None:
        """'45 and 50 mg', 'from 50 to 80%': the first number shares the second's unit."""
        for first, second in zip(found, found[1:], strict=False):
            if first.unit != "count" or second.unit not in ("kg", "l", "percent"):
                continue
            gap = text[first.end:second.number_start]
            if second.start != second.number_start or not self.range_joiner_re.fullmatch(gap or " "):
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


def find_quantities(grammar: QuantityGrammar, text: str) -> list[tuple[int, int, float, str, str]]:
    """Convenience for tests: (start, end, value, unit, qualifier) of each quantity."""
    return [(q.start, q.end, q.value, q.unit, q.qualifier) for q in grammar.find(text)]
