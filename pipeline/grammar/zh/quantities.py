"""Quantities in Chinese text: a number with its unit or classifier inside the span.

"缴获海洛因94公斤" -> 94 kg; "抓获犯罪嫌疑人3名" -> 3 count; "300余名" -> 300 count,
more_than (余/多 inside the span); "逾3吨" -> 3000 kg, more_than (逾 outside).
A number followed by 年/月/日/天... is a date or a duration, after 第 an ordinal;
"一" before a count classifier is the article "a" (一名男子), not a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...languages import HAN
from ..trie import trie_pattern
from .numbers import NumberGrammar, NumberMatch
from .rules import ZhQuantitiesFile


@dataclass(frozen=True, slots=True)
class ZhQuantity:
    """A QUANTITY: span, normalised value and unit, qualifier, and what the unit word was."""

    start: int
    end: int
    value: float
    unit: str
    qualifier: str
    unit_text: str
    kind: str  # "unit" (mass, volume, percent), "currency", "classifier" or "bare"
    number_start: int
    number_end: int
    rule: str


class QuantityGrammar:
    """Finds the quantities of a simplified text (see ``text.to_simplified``)."""

    def __init__(self, rules: ZhQuantitiesFile):
        self.rules = rules
        self.numbers = NumberGrammar(rules.numbers)
        self.units: dict[str, tuple[str, float, str]] = {}
        for unit in rules.units:
            for form in unit.forms:
                self.units[form] = (unit.unit, unit.factor, "unit")
        for currency in rules.currencies:
            for form in currency.suffixes:
                self.units.setdefault(form, (currency.code, 1.0, "currency"))
        for form in rules.classifiers:
            self.units.setdefault(form, ("count", 1.0, "classifier"))
        self.unit_pattern = re.compile(trie_pattern(self.units))
        self.prefix_currency = {p: c.code for c in rules.currencies for p in c.prefixes}
        self.prefix_pattern = re.compile(rf"(?:{trie_pattern(self.prefix_currency)})\s*$") \
            if self.prefix_currency else None
        self.percent_prefix = re.compile(rf"(?:{trie_pattern(rules.percent_prefixes)})$") \
            if rules.percent_prefixes else None
        self.before = {w: q for q, words in rules.qualifiers.items() for w in words}
        self.before_pattern = re.compile(rf"(?:{trie_pattern(self.before)})$") if self.before else None
        self.after = {w: q for q, words in rules.qualifiers_after.items() for w in words}
        self.after_pattern = re.compile(trie_pattern(self.after)) if self.after else None
        self.not_after = re.compile(trie_pattern(rules.not_quantity_after)) if rules.not_quantity_after else None
        self.not_before = tuple(rules.not_quantity_before)
        self.inside = set(rules.inside_more_than)
        self.articles = set(rules.article_numerals)
        self.article_ends = tuple(rules.article_count_before)
        self.article_nouns = {form: tuple(nouns) for form, nouns in rules.article_count_nouns.items()}

    def find(self, text: str) -> list[ZhQuantity]:
        """Every quantity of ``text``, left to right."""
        found = []
        for number in self.numbers.find(text):
            quantity = self._complete(text, number)
            if quantity is not None:
                found.append(quantity)
        return found

    def _complete(self, text: str, number: NumberMatch) -> ZhQuantity | None:
        start, end, value = number.start, number.end, number.value
        before = text[max(0, start - 8):start]
        if before.endswith(self.not_before) or (start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()):
            return None
        if start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
            return None
        percent = self.percent_prefix.search(before) if self.percent_prefix else None
        if percent is not None:
            head = start - (len(before) - percent.start())
            if head > 0 and self.numbers.pattern.match(text[head - 1]):
                return None  # 五百分之2.2 is a fraction
            return ZhQuantity(head, end, value, "percent", self._qualifier(text, head, end, False),
                              text[head:start], "unit", start, end, "zh.percent_prefix")
        pos = end
        more_than = number.more_than
        if pos < len(text) and text[pos] in self.inside:
            more_than, pos = True, pos + 1
        if self.not_after is not None and self.not_after.match(text, pos):
            return None
        unit_match = self.unit_pattern.match(text, pos)
        unit_match = self._check_unit(text, unit_match)
        currency = self.prefix_pattern.search(before) if self.prefix_pattern else None
        if unit_match is None and currency is not None:
            code = self.prefix_currency[currency.group().strip()]
            head = start - (len(before) - currency.start())
            tail = self.unit_pattern.match(text, pos)
            stop = tail.end() if tail is not None and self.units[tail.group()][0] == code else pos
            return ZhQuantity(head, stop, value, code, self._qualifier(text, head, stop, more_than),
                              currency.group().strip(), "currency", start, end, "zh.currency_prefix")
        if unit_match is None:
            if not number.has_multiplier or pos != end:
                return None
            return ZhQuantity(start, end, value, "count", self._qualifier(text, start, end, more_than),
                              "", "bare", start, end, "zh.bare_count")
        form = unit_match.group()
        unit, factor, kind = self.units[form]
        stop = unit_match.end()
        if kind == "classifier" and text[start:end] in self.articles and not self._counts_one(text, start, end, stop):
            return None
        amount = value
        if kind == "unit" and unit in ("kg", "l") and text[stop:stop + len(self.rules.half)] == self.rules.half:
            amount, stop = value + 0.5, stop + len(self.rules.half)
        if kind == "unit":  # in decimal: 13524 克 is 13.524 kg, not 13.524000000000001
            amount = float(Decimal(repr(amount)) * Decimal(repr(factor)))
        if kind == "currency" and currency is not None and self.prefix_currency[currency.group().strip()] == unit:
            start = start - (len(before) - currency.start())  # 人民币 8千元: the prefix belongs to the span
        return ZhQuantity(start, stop, amount, unit, self._qualifier(text, start, stop, more_than),
                          form, kind, start, end, f"zh.{kind}")

    def _counts_one(self, text: str, start: int, end: int, stop: int) -> bool:
        """Whether an article numeral [start, end) and its classifier [end, stop) count one: right
        after a noun (not ``article_not_after``; one of ``article_count_nouns`` where the classifier
        has them) and ending its item (``article_count_before`` or the text's end)."""
        rules = self.rules
        if start == 0 or not HAN.match(text[start - 1]) or text[start - 1] in rules.article_not_after:
            return False
        nouns = self.article_nouns.get(text[end:stop])
        if nouns is not None and not text[:start].endswith(nouns):
            return False
        return stop == len(text) or text.startswith(self.article_ends, stop)

    def _check_unit(self, text: str, match: re.Match[str] | None) -> re.Match[str] | None:
        """The unit match, or None when the characters after it make it another word (个月, 四升一降)."""
        if match is None:
            return None
        form, stop = match.group(), match.end()
        if form.isascii() and stop < len(text) and text[stop].isascii() and text[stop].isalpha():
            return None
        follow = self.rules.classifier_not_before.get(form, []) + self.rules.unit_not_before.get(form, [])
        if any(text.startswith(word, stop) for word in follow):
            return None
        return match

    def _qualifier(self, text: str, start: int, end: int, more_than: bool) -> str:
        if more_than:
            return "more_than"
        if self.before_pattern is not None:
            found = self.before_pattern.search(text[max(0, start - 4):start])
            if found is not None:
                return self.before[found.group()]
        if self.after_pattern is not None:
            found = self.after_pattern.match(text, end)
            if found is not None:
                return self.after[found.group()]
        return "exact"
