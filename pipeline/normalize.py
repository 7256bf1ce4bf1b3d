"""Pure normalisers: strings in, values out. No spaCy here, so each is tested with tables.

Numbers are parsed by hand rather than with word2number/text2num because the
pipeline needs the character offsets of every number in a run ("4000 3 hundred"
is two numbers), mixed digit and word forms ("1.2 million", "3 million and a
half") and vocabularies that come from ``configs/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .rules import NumberWords, QuantitiesFile, UnitRule

DIGITS_RE = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?![\d,])|\d+)(?:\.\d+)?|\.\d+"
)


SEPARATORS_RE = re.compile(r"[,\u00a0\u202f\u2009 ]")


def parse_digits(text: str) -> float:
    """'1,313.2' -> 1313.2; '1 234 567' -> 1234567.0; '.08' -> 0.08."""
    if text.isdecimal():
        return float(text)
    return float(SEPARATORS_RE.sub("", text))


def scaled(value: float, factor: float) -> float:
    """``value * factor`` to the precision the written numbers allow: '2,300 grams' is 2.3 kg.

    Both floats are taken at their shortest decimal form (the digits as written, for a
    number read from text) and multiplied in decimal, so binary noise such as
    2.3000000000000003 never appears; the product is then the float nearest to it.
    """
    if factor == 1.0 or value == 0.0:
        return value * factor
    return float(Decimal(repr(value)) * Decimal(repr(factor)))


def ratio(value: float, base: float) -> float:
    """``value / base`` in decimal, as ``scaled`` multiplies (2300 kg / 2.3 is exactly 1000)."""
    return float(Decimal(repr(value)) / Decimal(repr(base)))


@dataclass(frozen=True, slots=True)
class Atom:
    """One piece of a number run: a digit string, a number word, or a connector."""

    text: str
    start: int
    end: int
    kind: str  # digits | ones | tens | scale | fraction | point | a | and | of | neg
    value: float = 0.0


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A number found in a run of atoms, with its offsets in the text."""

    start: int
    end: int
    value: float
    words: bool  # written (at least partly) in words


class NumberParser:
    """Turns runs of number atoms into values, splitting runs that hold several numbers."""

    def __init__(self, words: NumberWords):
        self.ones = {k.lower(): v for k, v in words.ones.items()}
        self.tens = {k.lower(): v for k, v in words.tens.items()}
        self.scales = {k.lower(): v for k, v in words.scales.items()}
        self.fractions = {k.lower(): v for k, v in words.fractions.items()}
        self.point = {w.lower() for w in words.point}
        self.negative = {w.lower() for w in words.negative}

    def classify(self, token: str) -> tuple[str, float]:
        low = token.lower()
        if DIGITS_RE.fullmatch(token):
            return "digits", parse_digits(token)
        if low in self.ones:
            return "ones", self.ones[low]
        if low in self.tens:
            return "tens", self.tens[low]
        if low in self.scales:
            return "scale", self.scales[low]
        if low in self.fractions:
            return "fraction", self.fractions[low]
        if low in self.point:
            return "point", 0.0
        if low in self.negative:
            return "neg", 0.0
        if low in ("a", "an"):
            return "a", 1.0
        if low in ("and", "&"):
            return "and", 0.0
        if low == "of":
            return "of", 0.0  # "a quarter of a million"
        return "other", 0.0

    def parse(self, atoms: Sequence[Atom]) -> list[ParsedNumber]:
        """Split ``atoms`` into numbers. Connectors at either end are dropped."""
        out: list[ParsedNumber] = []
        i = 0
        while i < len(atoms):
            number, used = self._one(atoms, i)
            if number is None:
                i += 1
            else:
                out.append(number)
                i += used
        return out

    def _one(self, atoms: Sequence[Atom], i: int) -> tuple[ParsedNumber | None, int]:
        """Parse the longest number starting at atom ``i``; return it and the atoms used."""
        n = len(atoms)

        def kind_at(k: int) -> str:
            return atoms[k].kind if k < n else ""

        sign, j = 1.0, i
        if kind_at(j) == "neg":
            if kind_at(j + 1) not in ("digits", "ones", "tens"):
                return None, 1
            sign, j = -1.0, j + 1
        first = kind_at(j)
        if first == "fraction" and kind_at(j + 1) in ("a", "of"):
            # "half a million", "a quarter of a million", "half a tonne" (the unit follows the run)
            if kind_at(j + 2) not in ("scale", "fraction", "a", ""):
                return None, 1
        elif first in ("a", "fraction"):
            if kind_at(j + 1) not in ("scale", "fraction"):
                return None, 1
        elif first not in ("digits", "ones", "tens"):
            return None, 1

        total = current = last_scale = last_value = 0.0
        prev = ""
        after_and = False
        end = j
        k = j
        while k < n:
            atom = atoms[k]
            kind, value = atom.kind, atom.value
            if kind == "and":
                if prev in ("scale", "ones", "tens", "digits") and kind_at(k + 1) in (
                        "digits", "ones", "tens", "a", "fraction"):
                    after_and = True
                    k += 1
                    continue
                break
            if kind in ("digits", "ones", "tens"):
                if prev == "scale" and total and kind_at(k + 1) == "scale" and atoms[k + 1].value >= last_scale:
                    break  # "4.1 million and 3.52 million": a second number with its own scale
                if prev == "tens" and kind == "ones" and not after_and and value < 10:
                    current += value
                elif prev in ("", "scale"):
                    if prev == "scale" and (value >= last_scale or value == 0):
                        break  # "4 thousand 3 hundred and 0" ends before "and 0"
                    # "3 hundred and 2 hundred" is two numbers: the hundreds are taken.
                    if kind_at(k + 1) == "scale" and atoms[k + 1].value == 100 and current % 1000 >= 100:
                        break
                    current += value
                elif (after_and or prev in ("ones", "digits")) and kind_at(k + 1) == "fraction" \
                        and prev != "fraction":
                    # "five and three quarters": the count belongs to the fraction.
                    if not after_and:
                        break
                    current += value
                else:
                    break
            elif kind == "scale":
                if prev in ("", "fraction") and current == 0:
                    break
                if value == 100:
                    if prev == "scale":
                        break
                    current = scaled(current or 1, 100)
                else:
                    if prev == "scale" and current == 0:
                        break
                    total += scaled(current or 1, value)
                    current = 0
                last_scale = value
            elif kind == "a":
                if prev == "fraction" and kind_at(k + 1) == "":
                    end = k  # "half a" before a unit: "half a tonne"
                    break
                if kind_at(k + 1) not in ("scale", "fraction"):
                    break
                prev, after_and = "a", False
                k += 1
                continue
            elif kind == "fraction":
                if prev in ("", "a", "scale") or after_and:
                    count = 1.0
                elif prev in ("ones", "digits"):
                    count = last_value
                    current -= last_value
                else:
                    break
                share = count * value
                if kind_at(k + 1) == "scale":
                    current += share
                elif last_scale >= 1000 and current == 0:
                    total += share * last_scale
                else:
                    current += share
            elif kind == "of":
                if prev != "fraction" or kind_at(k + 1) not in ("a", "scale"):
                    break
                k += 1
                continue
            elif kind == "point":
                digits, used = self._decimals(atoms, k + 1)
                if not digits or prev not in ("ones", "tens", "digits", "scale"):
                    break
                current += float("0." + digits)
                end = k + used
                break
            else:
                break
            prev, last_value, after_and, end = kind, value, False, k
            k += 1
        if atoms[end].kind in ("and", "a", "neg", "fraction") and end == j:
            return None, 1
        if atoms[end].kind in ("and", "neg", "of") or (atoms[end].kind == "a" and atoms[end - 1].kind != "fraction"):
            return None, 1
        words = any(a.kind != "digits" for a in atoms[i:end + 1])
        return ParsedNumber(atoms[i].start, atoms[end].end, sign * (total + current), words), end - i + 1

    def _decimals(self, atoms: Sequence[Atom], k: int) -> tuple[str, int]:
        digits = ""
        used = 0
        while k < len(atoms) and atoms[k].kind in ("ones", "tens", "digits"):
            atom = atoms[k]
            if atom.kind == "digits":
                digits += atom.text
            elif atom.kind == "tens" and k + 1 < len(atoms) and atoms[k + 1].kind == "ones" \
                    and atoms[k + 1].value < 10:
                digits += str(int(atom.value + atoms[k + 1].value))
                used += 1
                k += 1
            else:
                digits += str(int(atom.value))
            used += 1
            k += 1
        return digits, used


def number_atoms(parser: NumberParser, text: str, start: int, end: int) -> list[Atom]:
    """Split ``text[start:end]`` (a run matched by the number regex) into atoms."""
    atoms = []
    for match in ATOM_SPLIT_RE.finditer(text, start, end):
        token = match.group(0)
        kind, value = parser.classify(token)
        atoms.append(Atom(token, match.start(), match.end(), kind, value))
    return atoms


ATOM_SPLIT_RE = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?![\d,])|\d+)(?:\.\d+)?|\.\d+|[A-Za-z]+|&"
)


def words_to_number(parser: NumberParser, text: str) -> float | None:
    """Parse a whole string as one number ("twenty-one" -> 21.0); None if it is not one."""
    atoms = number_atoms(parser, text, 0, len(text))
    numbers = parser.parse(atoms)
    if len(numbers) != 1:
        return None
    return numbers[0].value


def build_unit_table(units: Iterable[UnitRule]) -> dict[str, tuple[str, float, bool]]:
    """Surface form -> (unit, factor, attached_only). Case is kept: 'L' and 'l' both listed."""
    table: dict[str, tuple[str, float, bool]] = {}
    for rule in units:
        for form in rule.forms:
            table[form] = (rule.unit, rule.factor, rule.attached)
    return table


def lookup_unit(table: dict[str, tuple[str, float, bool]], form: str) -> tuple[str, float, bool] | None:
    """Find a unit form, exact case first, then case-insensitively ('KG', 'Kilograms')."""
    if form in table:
        return table[form]
    low = form.lower()
    for key, value in table.items():
        if key.lower() == low and not value[2]:
            return value
    return None


def build_qualifier_table(rules: QuantitiesFile) -> dict[str, str]:
    """Qualifier phrase (lower case) -> schema qualifier."""
    table: dict[str, str] = {}
    for name, phrases in rules.qualifiers.items():
        for phrase in phrases:
            table[phrase.lower()] = name
    return table


def qualifier_of(phrase: str | None, table: dict[str, str]) -> str:
    """'More than' -> 'more_than'; no phrase -> 'exact'."""
    if not phrase:
        return "exact"
    return table.get(" ".join(phrase.lower().split()), "exact")


def province_variants(names: Sequence[str], aliases: Sequence[str], suffixes: Sequence[str]) -> list[str]:
    """Every surface form of a province: names, names + suffixes, and aliases."""
    forms: list[str] = []
    for name in names:
        forms.append(name)
        forms.extend(f"{name} {suffix}" for suffix in suffixes)
    forms.extend(aliases)
    return list(dict.fromkeys(forms))
