"""Drug enforcement or not: whether a figure is about drugs, read from cues in ``topic.yml``.

The contract counts only drug-enforcement facts as events: "Police in Guangdong
arrested 300 suspects in a telecom fraud crackdown" has the predicate and the noun of
an arrest, and is not one. The cues are read nearest first (the counted item, the
sentence, the paragraph, the document), and the first level whose cues all point one
way decides; the reason goes into the row's ``topic_cue`` (or, for a figure that is not
an event, into ``explain``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from .grammar.trie import trie_pattern
from .rules import DrugsFile, TopicFile

DRUG = "drug"
AMBIGUOUS = "drug name in other senses too"  # "ice": a drug only as the counted item
NO_CUE = "no cue"  # "e-cigarette": holds a cue's words ("cigarette") and is none
NO_DRUG_CUE = "no drug cue in sentence, paragraph or document"


class Cue(NamedTuple):
    """One cue found in a document's text (a tuple: a document has dozens, made per document)."""

    start: int
    end: int
    topic: str  # "drug", or the class of another crime or subject
    crime: bool  # a drug cue or another crime: decisive near a figure; subjects count only per document
    text: str


def forms(phrase: str) -> set[str]:
    """A phrase and the plurals of its last word ("addict" -> "addicts", "casino" -> "casinos")."""
    phrase = phrase.lower().strip()
    found = {phrase, phrase + "s", phrase + "es"}
    if phrase.endswith("y"):
        found.add(phrase[:-1] + "ies")
    return found


class TopicRules:
    """The cues of ``topic.yml`` (and every unambiguous drug name) compiled into one regex."""

    def __init__(self, topic: TopicFile, drugs: DrugsFile):
        self.kind_of: dict[str, tuple[str, bool]] = {}
        ambiguous = {a.lower() for a in topic.ambiguous_drug_names}
        drug_phrases = list(topic.drug_cues) + [form for written in drugs.drugs.values() for form in written
                                                 if form.lower() not in ambiguous]
        groups: list[tuple[Iterable[str], str, bool]] = [(drug_phrases, DRUG, True), (ambiguous, AMBIGUOUS, False),
                                                         (topic.no_cue_phrases, NO_CUE, False)]
        groups += [(words, cls, True) for cls, words in topic.other_crimes.items()]
        groups += [(words, cls, False) for cls, words in topic.other_subjects.items()]
        for phrases, topic_name, crime in groups:
            for phrase in phrases:
                for form in forms(phrase):
                    self.kind_of.setdefault(form, (topic_name, crime))
        self.pattern = re.compile(rf"(?<!\w)(?:{trie_pattern(self.kind_of)})(?!\w)")
        self.drug_campaigns = set(topic.drug_campaigns)
        # "at a seafood company": a word of goods or another subject naming a business is no cue
        self.business = re.compile(rf"\s+(?:{trie_pattern(w.lower() for w in topic.business_nouns)})(?!\w)") \
            if topic.business_nouns else None
        self.business_classes = frozenset(topic.business_classes)
        self.phrases = list(self.kind_of)  # every cue form: the words a cue can start in (cues.py)

    def read(self, text: str, operations: Iterable[tuple[int, int, str | None]] = (),
             tokens: Iterable[tuple[int, int]] | None = None) -> list[Cue]:
        """Every cue of ``text``, in order; OPERATION mentions of anti-drug campaigns are drug cues.

        An ambiguous drug name is kept (a document that has one is read), but only the
        counted item can make it a drug ("seized 3 kg of ice"). ``tokens``, when given, are
        the (start, end) offsets of the tokens a cue may start in (cues.py), in order: only
        they are tried.
        """
        cues = []
        lower = text.lower()
        if tokens is None or len(lower) != len(text):
            matches: Iterable[re.Match[str]] = self.pattern.finditer(lower)
        else:
            matches = self._at(lower, tokens)
        business = self.business
        for m in matches:
            topic, crime = self.kind_of[m.group()]
            if topic == NO_CUE:
                continue
            if topic in self.business_classes and business is not None and business.match(lower, m.end()):
                continue
            cues.append(Cue(m.start(), m.end(), topic, crime, m.group()))
        for start, end, norm in operations:
            if norm in self.drug_campaigns:
                cues.append(Cue(start, end, DRUG, True, norm))
        cues.sort(key=lambda c: c.start)
        return cues

    def _at(self, lower: str, tokens: Iterable[tuple[int, int]]) -> list[re.Match[str]]:
        """The matches ``finditer`` finds, tried only where a flagged token lets one start:
        at its first character or after a non-word character inside it."""
        found: list[re.Match[str]] = []
        done = 0  # matches do not overlap: none starts before the end of the last one
        match = self.pattern.match
        for start, end in tokens:
            if end <= done:
                continue
            word = lower[start:end]
            if word.isalnum():
                positions: Iterable[int] = (start,)
            else:
                positions = [start] + [start + i for i in range(1, len(word))
                                       if not (word[i - 1].isalnum() or word[i - 1] == "_")]
            for at in positions:
                if at < done:
                    continue
                m = match(lower, at)
                if m is not None:
                    found.append(m)
                    done = m.end()
        return found


class Verdict(NamedTuple):
    """Whether a figure is about drugs, and the cue that decided it."""

    drug: bool
    cue: str


class DocumentTopic:
    """The cues of one document and the topic of each figure in it."""

    def __init__(self, cues: Sequence[Cue], lead: tuple[int, int]):
        self.cues = list(cues)
        self.starts = [c.start for c in self.cues]
        self.has_drug_cue = any(c.topic == DRUG for c in self.cues)
        self.cues = [c for c in self.cues if c.topic != AMBIGUOUS]
        self.starts = [c.start for c in self.cues]
        self._spans: dict[tuple[int, int], list[Cue]] = {}  # the crime cues of a sentence or paragraph
        self._document = self._document_verdict(lead)

    def _within(self, start: int, end: int, crime_only: bool = True) -> list[Cue]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [c for c in self.cues[lo:hi] if c.end <= end and (c.crime or not crime_only)]

    def judge(self, item: tuple[int, int], sentence: tuple[int, int], paragraph: tuple[int, int],
              at: int, named_drug: str | None = None,
              clause: Callable[[], tuple[int, int]] | None = None) -> Verdict:
        """The topic of a figure at ``at`` whose counted item spans ``item``.

        ``clause`` (a function giving the figure's clause within the sentence, asked only then)
        decides when the sentence's cues point both ways ("The drug campaign ran alongside a drive
        against crime, in which police cracked 410,000 criminal cases of all kinds"). ``paragraph``
        ends with the figure's sentence: a cue in a later sentence speaks of something else ("...
        held for drugs" after the figures of a triad raid).
        """
        if item[1] > item[0]:
            cues = self._within(*item)
            if named_drug and not cues:  # "3 kg of ice": the item names the drug
                return Verdict(True, f"item:{named_drug}")
            verdict = self._one_way(cues, "item", at, mixed_is_other=True)
            if verdict is not None:
                return verdict
        for level, span in (("sentence", sentence), ("paragraph", paragraph)):
            found = self._spans.get(span)
            if found is None:  # the figures of a sentence share its sentence and paragraph
                found = self._spans[span] = self._within(*span)
            verdict = self._one_way(found, level, at)
            if verdict is None and found and level == "sentence" and clause is not None:
                verdict = self._one_way(self._within(*clause()), "clause", at)  # cues both ways: the clause's
            if verdict is not None:
                return verdict
        return self._document

    @staticmethod
    def _one_way(cues: list[Cue], level: str, at: int, mixed_is_other: bool = False) -> Verdict | None:
        """A verdict when the cues point one way (drug, or other crimes only); else None."""
        drug = [c for c in cues if c.topic == DRUG]
        other = [c for c in cues if c.topic != DRUG]
        if other and (not drug or mixed_is_other):
            nearest = min(other, key=lambda c: abs(c.start - at))
            return Verdict(False, f"about {nearest.topic} ({level}: {nearest.text!r})")
        if drug and not other:
            nearest = min(drug, key=lambda c: abs(c.start - at))
            return Verdict(True, f"{level}:{nearest.text}")
        return None

    def _document_verdict(self, lead: tuple[int, int]) -> Verdict:
        if not self.has_drug_cue:
            return Verdict(False, NO_DRUG_CUE)
        in_lead = self._within(*lead, crime_only=False)
        drug = sum(c.topic == DRUG for c in in_lead)
        other = len(in_lead) - drug
        if drug and not other:
            return Verdict(True, "document:lead")
        if other and not drug:
            topic = max({c.topic for c in in_lead if c.topic != DRUG},
                        key=lambda t: sum(c.topic == t for c in in_lead))
            return Verdict(False, f"about {topic} (document lead)")
        drug = sum(c.topic == DRUG for c in self.cues)
        other = len(self.cues) - drug
        if drug > other:
            return Verdict(True, "document")
        return Verdict(False, f"mostly about other subjects (document: {drug} drug cues, {other} other)")
