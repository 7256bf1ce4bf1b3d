"""Province and campaign names in Chinese text: surface forms to ISO codes and canonical names.

A prefix-tree regex finds the forms leftmost-longest ("广西壮族自治区" before "广西",
"浙江" wins over an overlapping "江西"). Campaign names marked ``quoted`` count
only inside quotation marks (“护航2023”) or right before an operation word
(净边专项行动), and a quoted phrase followed by an
operation word (“春雷”行动) is a campaign even when it is not listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry

from ..trie import trie_pattern
from .rules import ZhOperationsFile, ZhProvincesFile

_QUOTED = re.compile(r"[“\"「『‘](?P<inner>[^“”\"「」『』‘’\n]{1,20})[”\"」』’]")
_YEAR = re.compile(r"\d{4}$")


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A PROVINCE or OPERATION: span, normalised value (ISO code or canonical name), rule."""

    start: int
    end: int
    norm: str
    rule: str


class ProvinceFinder:
    """Province-level names, full (云南省, 广西壮族自治区) and short (云南, 广西)."""

    def __init__(self, rules: ZhProvincesFile):
        types = {s.code: s.type for s in pycountry.subdivisions.get(country_code="CN")}
        self.forms: dict[str, str] = {}
        for rule in rules.provinces:
            suffixes = rules.suffixes.get(types.get(rule.code, ""), [])
            for name in rule.names:
                self.forms[name] = rule.code
                for suffix in suffixes:
                    self.forms.setdefault(name + suffix, rule.code)
            for alias in rule.aliases:
                self.forms[alias] = rule.code
        self.pattern = re.compile(trie_pattern(self.forms))

    def find(self, text: str) -> list[NameMatch]:
        return [NameMatch(m.start(), m.end(), self.forms[m.group()], "zh.province")
                for m in self.pattern.finditer(text)]


class OperationFinder:
    """Campaign names mapped onto the canonical names of configs/operations.yml."""

    def __init__(self, rules: ZhOperationsFile):
        self.anywhere: dict[str, str] = {}
        self.all: dict[str, str] = {}
        for rule in rules.operations:
            for alias in rule.aliases:
                self.all[alias] = rule.name
                if rule.match == "anywhere":
                    self.anywhere[alias] = rule.name
        self.pattern = re.compile(rf"(?:{trie_pattern(self.anywhere)})(?:\d{{4}})?") if self.anywhere else None
        links = rf"(?:{trie_pattern(rules.operation_word_links)}){{0,4}}" if rules.operation_word_links else ""
        self.words = re.compile(links + trie_pattern(rules.operation_words)) if rules.operation_words else None
        # a name that counts only quoted counts unquoted right before an operation word (净边专项行动)
        quoted_only = [alias for alias in self.all if alias not in self.anywhere]
        self.before_word = re.compile(rf"(?:{trie_pattern(quoted_only)})(?:\d{{4}})?") \
            if quoted_only and self.words is not None else None

    def find(self, text: str) -> list[NameMatch]:
        found: list[NameMatch] = []
        described: list[tuple[int, int]] = []  # the words after a quoted name (“劲风Ⅰ号”禁毒严打整治专项行动)
        for m in _QUOTED.finditer(text):
            inner = m.group("inner")
            start = m.start("inner")
            name = _YEAR.sub("", inner) if _YEAR.sub("", inner) else inner
            word = self.words.match(text, m.end()) if self.words is not None else None
            if word is not None:
                described.append((m.end(), word.end()))
            if name in self.all:
                found.append(NameMatch(start, start + len(inner), self.all[name], "zh.operation.quoted"))
            elif word is not None:
                found.append(NameMatch(start, start + len(inner), inner, "zh.operation.quoted_with_word"))
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                if any(f.start <= m.start() < f.end for f in found):
                    continue
                alias = _YEAR.sub("", m.group()) or m.group()
                found.append(NameMatch(m.start(), m.end(), self.anywhere[alias], "zh.operation.anywhere"))
        if self.before_word is not None and self.words is not None:
            for m in self.before_word.finditer(text):
                if any(f.start <= m.start() < f.end for f in found) or not self.words.match(text, m.end()) \
                        or any(start <= m.start() < end for start, end in described):
                    continue  # 严打 in “劲风Ⅰ号”禁毒严打整治专项行动 describes the quoted name's action
                alias = _YEAR.sub("", m.group()) or m.group()
                found.append(NameMatch(m.start(), m.end(), self.all[alias], "zh.operation.before_word"))
        return sorted(found, key=lambda f: f.start)
