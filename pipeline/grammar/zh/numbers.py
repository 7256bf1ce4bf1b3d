"""Chinese and Arabic numerals: find them in simplified text and read their values with cn2an.

cn2an reads the numeral itself ("三千三百四十一", "5.4万", "两千零七"); this module
only finds where numerals are and puts a few written forms into the shape cn2an
accepts (thousands commas, a leading 百/千 as in 千三, 万万 as 亿, a sign it would
drop, 万亿 compounds it rejects: read as head x 亿 + tail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import cn2an

from ..trie import trie_pattern
from .rules import ZhNumbers

_ARABIC = r"(?:\d+(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A numeral in the text: offsets, value, and more_than when 余/多 sits inside it (500余万)."""

    start: int
    end: int
    value: float
    more_than: bool = False
    has_multiplier: bool = False

    @property
    def core(self) -> tuple[int, int]:
        return self.start, self.end


@lru_cache(maxsize=8192)
def _cn2an(text: str) -> float | None:
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def parse_number(text: str, words: dict[str, float] | None = None) -> float | None:
    """The value of one numeral ("三千三百四十一" -> 3341, "1.75万" -> 17500, "负3" -> -3), or None."""
    text = text.strip()
    if not text:
        return None
    if words and text in words:
        return words[text]
    sign = 1.0
    if text[0] in "负-－":
        sign, text = -1.0, text[1:]
    text = text.replace(",", "").replace("俩", "两").replace("万万", "亿")
    if text.startswith("."):
        text = "0" + text
    if text[:1] in ("百", "千", "佰", "仟"):
        text = "一" + text
    value = _cn2an(text)
    if value is None and len(text) > 1 and text[-1] in "万亿" and "点" in text:
        # a written decimal before a multiplier (二百零七点五万), which cn2an rejects: read the
        # decimal, then the multiplier's value (cn2an's own, 一万 / 一亿)
        decimal, multiplier = parse_number(text[:-1]), _cn2an("一" + text[-1])
        if decimal is not None and multiplier is not None:  # in decimal arithmetic, as cn2an reads 1.15万
            return sign * float(Decimal(str(decimal)) * Decimal(str(multiplier)))
    if value is None and "亿" in text:
        head, tail = text.rsplit("亿", 1)
        high = parse_number(head)
        low = parse_number(tail) if tail else 0.0
        if high is not None and low is not None:
            value = high * 1e8 + low
    return None if value is None else sign * value


class NumberGrammar:
    """Finds numerals in simplified text (see ``text.to_simplified``)."""

    def __init__(self, rules: ZhNumbers):
        self.rules = rules
        digits, mult = re.escape(rules.digits), re.escape(rules.multipliers)
        point = trie_pattern(rules.point) if rules.point else "(?!)"
        neg = trie_pattern(rules.negative) if rules.negative else "(?!)"
        self.pattern = re.compile(
            rf"(?P<neg>{neg})?(?P<core>(?:{_ARABIC}|[{digits}{mult}])(?:{_ARABIC}|[{digits}{mult}])*"
            rf"(?:{point}[{digits}]+[万亿]*)?)(?:(?P<approx>[余多])(?P<scale>[万亿]+))?")
        self.words = re.compile(trie_pattern(rules.words)) if rules.words else None
        self.not_numbers = re.compile(trie_pattern(rules.not_numbers)) if rules.not_numbers else None
        self.ambiguous = set(rules.ambiguous)
        self.digit_chars = set(rules.digits) | set("0123456789")
        # a lone multiplier after a qualifier (近百名): which, after what, and never after what
        self.lone = {m: _cn2an("一" + m) for m in rules.lone_multipliers}
        self.lone_after = tuple(rules.lone_multiplier_after)
        self.lone_not_after = tuple(rules.lone_multiplier_not_after)
        self.lone_before = tuple(rules.lone_multiplier_before)
        self.lone_reach = max(map(len, (*self.lone_after, *self.lone_not_after)), default=0)
        self.unit_led = tuple(rules.multiplier_led_units)

    def find(self, text: str) -> list[NumberMatch]:
        """Every numeral of ``text`` with its value, left to right, not overlapping."""
        blocked = self._blocked(text)
        found: list[NumberMatch] = []
        taken: set[int] = set()
        if self.words is not None:
            for m in self.words.finditer(text):
                found.append(NumberMatch(m.start(), m.end(), self.rules.words[m.group()]))
                taken.update(range(m.start(), m.end()))
        for m in self.pattern.finditer(text):
            if m.start() in taken:
                continue
            match = self._read(m, text, blocked)
            if match is not None:
                found.append(match)
        return sorted(found, key=lambda n: n.start)

    def _blocked(self, text: str) -> list[tuple[int, int]]:
        if self.not_numbers is None:
            return []
        return [(m.start(), m.end()) for m in self.not_numbers.finditer(text)]

    def _lone_number(self, text: str, start: int) -> bool:
        """Whether a lone multiplier at ``start`` follows a qualifier (近百名, 逾千人), not a word
        that ends in one (最近, 附近): only the few characters before it are read."""
        before = text[max(0, start - self.lone_reach):start]
        return before.endswith(self.lone_after) and not before.endswith(self.lone_not_after)

    def _read(self, m: re.Match[str], text: str, blocked: list[tuple[int, int]]) -> NumberMatch | None:
        core = m.group("core")
        start, end = m.start(), m.end()
        neg = m.group("neg") or ""
        if neg and start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".,"):
            start, neg = start + len(neg), ""  # a hyphen inside a code or range, not a sign
        if any(s < end and start < e for s, e in blocked):
            return None
        if not m.group("scale") and len(core) > 1 and (parse_number(core) is None or core[:-1].isascii()) \
                and any(core[-1] == u[0] and text.startswith(u[1:], end) for u in self.unit_led):
            # "二十七千克": 27 of the unit 千克 (not "一万二千克": 12,000 克); "103.6千克": 103.6 of 千克,
            # not 103,600 克 (the same mass, without a float's error from converting back)
            core, end = core[:-1], end - 1
        if core in self.lone and (self._lone_number(text, start)
                                  or (self.lone_before and text.startswith(self.lone_before, end))):
            return NumberMatch(start, end, self.lone[core], has_multiplier=core in "万亿")  # type: ignore[arg-type]
        if core[0] in "万亿" or (core[0] in "百千佰仟" and (len(core) == 1 or core[1] not in self.digit_chars)):
            return None
        if len(core) == 1 and core in self.ambiguous:
            return None
        if core[-1] == "." or core.endswith(","):
            return None
        text_value = neg + core + (m.group("scale") or "")
        value = parse_number(text_value)
        if value is None:
            return None
        has_mult = any(c in "万亿" for c in core + (m.group("scale") or ""))
        return NumberMatch(start, end, value, bool(m.group("approx")), has_mult)
