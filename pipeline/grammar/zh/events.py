"""The Chinese event reading: for a quantity in a sentence, its counted noun and its predicate.

Chinese writes the counted noun before the number (抓获犯罪嫌疑人3名, 缴获海洛因94公斤)
or after its classifier (8名嫌疑人陆续落网), and the predicate before the noun
(缴获) or after the quantity (被抓获, 落网). The reader looks in the quantity's
clause: the noun phrase between the predicate (or the previous item) and the
number, else the one after the classifier; the nearest predicate before, else
after; a clause listing parts of a haul (包括海洛因4010余克...) takes the
predicate of the clause before. A noun phrase's class is that of its last class
word (nouns are head-final). The event type comes from the shared type table
(pipeline/typetable.py, configs/shared/events.yml), so this module knows no event type by name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...shared import SharedEventsFile
from ...typetable import TypeTable
from ..trie import trie_pattern
from .quantities import ZhQuantity
from .rules import ZhDrugsFile, ZhEventsFile


@dataclass(frozen=True, slots=True)
class Reading:
    """What a quantity counts and what was done to it."""

    event_type: str | None
    noun_class: str | None
    verb_class: str | None
    item: str
    drug: str | None
    trigger: str
    topic_cue: str


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    text: str


def _finder(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(trie_pattern(words)) if words else re.compile("(?!)")


class _CueFinder:
    """Finds cue words, not inside the words listed as no cue though they hold one (有毒, 病毒:
    毒 there is poison or a virus, not drugs): those are matched too, left to right, and skipped,
    unless a cue starts inside one and runs past it (其中毒品: 中毒 then 毒品, a cue)."""

    def __init__(self, cues: Sequence[str], not_cues: Sequence[str]):
        self.not_cues = frozenset(not_cues)
        self.cues = _finder(cues)
        self.pattern = _finder([*cues, *not_cues])

    def search(self, text: str) -> re.Match[str] | None:
        for m in self.pattern.finditer(text):
            if m.group() not in self.not_cues:
                return m
            for at in range(m.start() + 1, m.end()):
                cue = self.cues.match(text, at)
                if cue is not None and cue.end() > m.end():
                    return cue
        return None


_QUANTITY_END = re.compile(r"\d[\d.,万亿千百余多]*[^\x00-\x7f]{1,2}$")  # a number and its unit or classifier


class ZhEventReader:
    """Reads the counted noun, predicate, item and drug of quantities in simplified text."""

    def __init__(self, rules: ZhEventsFile, drugs: ZhDrugsFile, shared: SharedEventsFile):
        self.rules = rules
        self.table = TypeTable(shared.types)
        self.noun_of = {w: cls for cls, words in rules.noun_classes.items() for w in words}
        self.nouns = _finder(list(self.noun_of))
        self.longest_noun = max(map(len, self.noun_of), default=1)
        self.verb_of: dict[str, list[str]] = {}
        for cls, words in rules.verb_classes.items():
            for word in words:
                self.verb_of.setdefault(word, []).append(cls)
        self.verbs = _finder(list(self.verb_of))
        self.blockers = _finder(rules.blockers)
        # a change right before the number (增加9起), not a level it changes to (增加到1200名)
        self.change = re.compile(rf"(?:{trie_pattern(rules.change_words)})了?$") if rules.change_words else None
        self.weights = tuple(sorted(rules.weight_words, key=len, reverse=True))
        self.breaks = set(rules.clause_breaks) | {" ", "\u3000"}
        self.stops = _finder(rules.noun_stops)
        self.drug_of = {form: name for name, forms in drugs.drugs.items() for form in forms}
        self.drugs = _finder(list(self.drug_of))
        self.anaphors = _finder(drugs.anaphors)
        self.topic = _CueFinder(rules.topic_cues, rules.topic_not_cues)
        self.offtopic = _finder(rules.offtopic_cues)
        self.coordinators = tuple(sorted(rules.coordinators, key=len, reverse=True))
        self.splitter = re.compile(trie_pattern(rules.coordinators))
        self.respectively = _finder(rules.respectively_markers)
        self.skips = tuple(sorted(rules.item_skip, key=len, reverse=True))
        self.sum_markers = set(rules.sum_markers)
        self.passive = _finder(rules.passive_markers)
        self.weight_heads = {""} | set(rules.weight_heads)  # what may open a clause of a weight alone
        self._memo_for: tuple[str, Sequence[ZhQuantity]] | None = None
        self._memo: dict[tuple[Any, ...], Reading] = {}

    # -- clauses ------------------------------------------------------------------------------
    def first_clause(self, text: str) -> str | None:
        """The text's first clause (up to the first of `clause_breaks`), or None when it has one only."""
        for i in range(len(text)):
            if text[i] in self.breaks and text[i] not in (" ", "\u3000"):
                return text[:i]
        return None

    def clause(self, text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
        """The clause around [start, end) within the sentence [lo, hi)."""
        left = start
        while left > lo and not self._is_break(text, left - 1):
            left -= 1
        right = end
        while right < hi and not self._is_break(text, right):
            right += 1
        return left, right

    def _is_break(self, text: str, i: int) -> bool:
        char = text[i]
        if char in (" ", "\u3000"):  # a space between Chinese characters ends a headline clause; so does
            # one between a quantity and a number (缴毒逾21.9万克 7名…), not one before a number (查获冰毒 2千克)
            if i == 0 or i + 1 >= len(text) or text[i - 1].isascii():
                return False
            return not text[i + 1].isascii() or (text[i + 1].isdigit()
                                                 and _QUANTITY_END.search(text, max(0, i - 16), i) is not None)
        return char in self.breaks

    # -- reading --------------------------------------------------------------------------------
    def read(self, text: str, quantity: ZhQuantity, sentence: tuple[int, int],
             others: Sequence[ZhQuantity], previous_predicate: _Word | None = None,
             context: tuple[int, int] | None = None) -> Reading:
        """The reading of ``quantity`` in ``text`` (simplified), its sentence, the sentence's other quantities.

        ``previous_predicate`` is the last predicate of the sentences before (for 重达625公斤);
        ``context`` the span whose drug topic counts when the sentence names none (the document).
        """
        if self._memo_for is None or self._memo_for[0] is not text or self._memo_for[1] is not others:
            self._memo_for, self._memo = (text, others), {}  # readings of one sentence's quantities
        key = (quantity.start, quantity.end, sentence, previous_predicate, context)
        known = self._memo.get(key)
        if known is not None:  # a list reads the quantities before each of its items: once each, not
            self._context = text[context[0]:context[1]] if context else ""  # once a path to it
            return known
        reading = self._read(text, quantity, sentence, others, previous_predicate, context)
        self._memo[key] = reading
        return reading

    def _read(self, text: str, quantity: ZhQuantity, sentence: tuple[int, int], others: Sequence[ZhQuantity],
              previous_predicate: _Word | None, context: tuple[int, int] | None) -> Reading:
        self._context = text[context[0]:context[1]] if context else ""
        lo, hi = sentence
        c_start, c_end = self.clause(text, quantity.start, quantity.end, lo, hi)
        left = [v for v in self._verbs(text, c_start, quantity.start)
                if not self._blocked(text, v.end, quantity.start) and not self._modifies_blocked(text, c_start, v)]
        first: Reading | None = None
        # the clause's main verb comes first; when none before the quantity fits what it counts, a verb
        # after it in the clause may (破获…制毒案 18名嫌疑人落网)
        candidates: list[_Word | None] = list(left) or [None]
        if left:
            after = self._verbs(text, quantity.end, c_end)
            if after and not self._blocked(text, quantity.end, after[0].start):
                candidates.append(None)
        for predicate in candidates:  # the clause's main verb comes first (查获[涉毒检测呈阳性人员]2000余名)
            reading = self._read_with(text, quantity, sentence, others, (c_start, c_end), predicate,
                                      previous_predicate)
            if reading.event_type is not None:
                return reading
            first = first or reading
        assert first is not None
        return first

    def _read_other(self, text: str, quantity: ZhQuantity, sentence: tuple[int, int], others: Sequence[ZhQuantity],
                    previous_predicate: _Word | None) -> Reading:
        """The reading of another quantity of the sentence, in the document context of the one in hand
        (``read`` sets the context: the quantity in hand's topic is judged in it afterwards)."""
        context = self._context
        try:
            return self.read(text, quantity, sentence, others, previous_predicate)
        finally:
            self._context = context

    def _read_with(self, text: str, quantity: ZhQuantity, sentence: tuple[int, int], others: Sequence[ZhQuantity],
                   clause: tuple[int, int], predicate: _Word | None, previous_predicate: _Word | None) -> Reading:
        lo, hi = sentence
        c_start, c_end = clause
        before = [q for q in others if c_start <= q.start and q.end <= quantity.start]
        np_start = max([c_start] + [q.end for q in before])
        if predicate is not None and predicate.end > np_start:
            np_start = predicate.end
        np_start = self._after_disposal(text, np_start, quantity.start)
        np_text = self._strip(text[np_start:quantity.start])
        if np_text.endswith(tuple(self.rules.modifier_suffixes)):
            np_text = ""  # 以大毒枭为首的18个团伙: a modifier of the noun after the number, which is counted
        noun = self._head(np_text)
        if not self._counts(quantity, noun):
            np_text, noun = "", None  # 破获…制毒案 18名嫌疑人落网: 名 counts no case: the noun after it is counted
        item = self._item(np_text, noun)
        paired = self._respectively(text, quantity, clause, others)
        if paired is not None:
            noun, item = paired
            np_text = item
        weight = bool(np_text) and any(np_text[:len(np_text) - len(h)].endswith(self.weights)
                                       for h in self.weight_heads if np_text.endswith(h))  # 重逾万克, 重约
        if weight and noun is None:
            noun, item = self._noun_after(text, quantity.end, c_end)
        summed = weight and noun is None and self._summed_weight(text, lo, c_start, quantity, others)
        if weight and noun is None and not summed:
            noun, item, predicate = self._weighed(text, lo, c_start, predicate, previous_predicate)
        elif not np_text.strip() and before and text[before[-1].end:quantity.start].strip() in self.coordinators:
            prior = self._read_other(text, before[-1], sentence, others, previous_predicate)
            if prior.noun_class is not None:
                noun, item = _Word(0, 0, prior.noun_class), prior.item
                if predicate is None and prior.trigger:
                    predicate = _Word(0, 0, prior.trigger)
        if noun is None:
            noun, item = self._noun_after(text, quantity.end, c_end)
        weighs = quantity.unit in ("kg", "l") and text[c_start:quantity.start].strip() in self.weight_heads
        # 缴获海洛因280块、合计103.6千克: a sum marker after a coordinator opens the sum as a clause would
        # (the weight of packets counted: 缴获冰毒5公斤、海洛因3公斤、合计8公斤 stays unread, parts already counted)
        listed_at = before[-1].end if before and before[-1].unit == "count" and quantity.unit in ("kg", "l") \
            and self._listed_sum(text, before[-1].end, quantity.start) else None
        if noun is None and (self.sums(text, c_start, quantity.start) or summed or weighs or listed_at is not None):
            # 缴获冰毒8.2公斤、麻古3.4公斤，共计11.6公斤: the sum of the amounts listed before, counted as they
            # are; 查获冰毒可疑物10包，共计5.24公斤 and 查获可卡因36块，约42公斤: the weight of the packets counted
            before = [q for q in others if lo <= q.start and q.end <= (listed_at or c_start)]
            listed = [q for q in before if q.unit == quantity.unit] if not weighs else []
            if not listed and quantity.unit in ("kg", "l") and before and before[-1].unit == "count" \
                    and before[-1].end >= self._previous_clause_start(text, c_start, lo):
                listed = before[-1:]
            readings = [self._read_other(text, q, sentence, others, previous_predicate) for q in listed]
            if readings and len({r.noun_class for r in readings}) == 1:  # not 海洛因3公斤、易制毒化学品5吨，共计…
                parts = readings[-1]
                if parts.noun_class is not None:
                    # one thing listed before: the sum or weight is of it (海洛因280块、合计103.6千克 is heroin;
                    # not 海洛因280块、冰毒3公斤，共计103.6千克)
                    items = {r.item for r in (self._read_other(text, q, sentence, others, previous_predicate)
                                              for q in before) if r.noun_class == parts.noun_class}
                    noun, item = _Word(0, 0, parts.noun_class), parts.item if len(items) == 1 else ""
                    if predicate is None and parts.trigger:
                        predicate = _Word(0, 0, parts.trigger)
            if not listed and quantity.unit in ("kg", "l") and not weighs \
                    and any(aside in text[lo:c_start] for aside in self.rules.opening_asides):
                # 搜出一袋晶体，经鉴定确为冰毒，共计12克: nothing listed before the sum, after an aside on how
                # it was found out: it weighs the thing named last before it, as a weight word would (not
                # 经审讯，…先后向他人贩卖冰毒，共计1.2公斤: what was sold)
                noun, item, predicate = self._weighed(text, lo, c_start, predicate, previous_predicate)
        if noun is None and predicate is not None and predicate.start > c_start:
            # 全省毒品缴获量为5吨: the subject before a (nominal) predicate
            subject = self._strip(text[max([c_start] + [q.end for q in before]):predicate.start])
            noun = self._head(subject)
            item = self._item(subject, noun)
            if not self._counts(quantity, noun):
                noun, item = None, ""  # 缴获冰毒拘4人: 人 counts no drug
        after = self._verbs(text, quantity.end, c_end)
        if predicate is None and after and not self._blocked(text, quantity.end, after[0].start):
            predicate = after[0]
            if noun is not None and self.noun_of.get(noun.text) == "person" \
                    and not self._types("person", predicate, quantity.unit):
                # 两名男子携11公斤K粉落网: what they did first, then what was done to them (the first
                # predicate after that fits people; else a passive later: 携带毒品5公斤，被民警抓获)
                predicate = next((v for v in after[1:] if self._types("person", v, quantity.unit)
                                  and not self._blocked(text, quantity.end, v.start)), None)
        if predicate is None:
            predicate = self._inherited(text, lo, (c_start, c_end), previous_predicate)
        if predicate is None and noun is not None and not self._blocked(text, c_start, quantity.start):
            predicate = self._listed_on(text, sentence, (c_start, c_end), quantity, noun, np_text, others)
        if predicate is None and noun is not None and self.noun_of.get(noun.text) == "person":
            predicate = self._passive_later(text, c_end, hi, others)
        if predicate is None and weight:
            # 缴获的鸦片重162.6公斤，冰毒片剂重14公斤: a weighed thing under the last predicate before it
            verbs = self._verbs(text, lo, c_start)
            predicate = verbs[-1] if verbs else previous_predicate
        if noun is None and predicate is not None:
            implied = self.rules.implied_nouns.get(predicate.text)
            if implied:
                noun, item = _Word(0, 0, implied), implied
        noun_class = self.noun_of.get(noun.text) if noun is not None else None
        if noun is not None and noun_class is None and noun.start == noun.end == 0:
            noun_class = noun.text if noun.text in self.rules.noun_classes else self.noun_of.get(noun.text)
        if noun_class in ("person", "none") and (
                (predicate is not None and self._names_licence(predicate.text))
                or (self._licence_revoked_after(text, quantity.end, c_end)
                    and (predicate is None or predicate.text not in self.rules.licence_keeps_arrest))):
            # 注销驾驶证吸毒人员2100余名, 查处吸毒驾驶人员146人并依法注销其驾驶证: the people whose
            # licences were revoked
            noun_class = "licence"
        if quantity.kind == "classifier":
            counted = self.rules.classifier_classes.get(quantity.unit_text)
            if noun_class is None or (counted is not None and quantity.unit_text in self.rules.classifier_wins):
                # 查获大麻类毒品五起: 起 counts cases, not drugs; 该男子曾3次被抓获: 次 counts times, not people
                noun_class = counted or noun_class
        clause_text = text[c_start:c_end]
        verb_classes = self._clause_classes(clause_text)
        if predicate is not None:
            verb_classes += [c for c in self.verb_of.get(predicate.text, []) if c not in verb_classes]
        event_type, verb_class = None, None
        unit = quantity.unit
        if noun_class is not None and unit in ("kg", "l", "count"):
            for verb in verb_classes:
                cls = noun_class
                if cls == "none" and verb in self.rules.predicate_noun_defaults:
                    cls = self.rules.predicate_noun_defaults[verb]
                found = self.table.type_of(cls, (verb,), unit)
                if found is not None:
                    event_type, verb_class, noun_class = found, verb, cls
                    break
        topic_cue = self._topic(item, clause_text, text[lo:hi], noun_class, self._context)
        if topic_cue == "":
            event_type = None
        drug = self._drug(item, text[lo:hi], noun_class)
        trigger = predicate.text if predicate is not None else ""
        return Reading(event_type, noun_class, verb_class, item, drug, trigger, topic_cue)

    def _passive_later(self, text: str, c_end: int, hi: int, others: Sequence[ZhQuantity]) -> _Word | None:
        """The predicate of a passive (被…截停抓获) in a later clause of the sentence, before its next
        number: what was done to people counted as the sentence's subject (4名毒贩携毒返程，行至…时被民警截获)."""
        stop = min((q.start for q in others if q.start >= c_end), default=hi)
        found = self.passive.search(text, c_end, stop)
        if found is None or self.blockers.search(text, c_end, found.start()) is not None:
            return None  # 五名嫌犯涉嫌贩卖毒品，最高可被判处十五年徒刑: what may be done to them
        _, clause_end = self.clause(text, found.start(), found.end(), c_end, hi)
        verbs = self._verbs(text, found.end(), min(clause_end, stop))
        return verbs[-1] if verbs else None

    def _previous_clause_start(self, text: str, c_start: int, lo: int) -> int:
        """Where the clause before the one starting at ``c_start`` starts."""
        return self.clause(text, c_start - 2, c_start - 1, lo, c_start - 1)[0] if c_start - 1 > lo else lo

    def sums(self, text: str, c_start: int, number: int) -> bool:
        """Whether the clause from ``c_start`` is a sum marker right before its number (，共计11.6公斤)."""
        head = text[c_start:number].strip()
        return any(head.startswith(m) and head[len(m):] in self.weight_heads for m in self.sum_markers)  # 共计约

    def _counts(self, quantity: ZhQuantity, noun: _Word | None) -> bool:
        """Whether ``quantity``'s classifier can count ``noun`` (`classifier_nouns`: 名 counts people)."""
        fits = self.rules.classifier_nouns.get(quantity.unit_text) if quantity.kind == "classifier" else None
        return noun is None or not fits or self.noun_of.get(noun.text) in fits

    def _summed_weight(self, text: str, lo: int, c_start: int, quantity: ZhQuantity,
                       others: Sequence[ZhQuantity]) -> bool:
        """Whether the clause from ``c_start`` weighs the sum of amounts listed before it in the sentence
        (海洛因1公斤、冰毒2公斤，合计净重3公斤): a sum marker, a weight word, then the number."""
        head = text[c_start:quantity.start].strip()
        marker = next((m for m in self.sum_markers if head.startswith(m)), None)
        if marker is None or not head[len(marker):].startswith(self.weights):
            return False
        return sum(1 for q in others if lo <= q.start and q.end <= c_start and q.unit == quantity.unit) >= 2

    def _listed_sum(self, text: str, start: int, number: int) -> bool:
        """Whether [start, number) is a sum marker right before the number, after a coordinator or none
        (、合计103.6千克, 海洛因20块共7公斤)."""
        head = text[start:number].strip()
        joiner = next((word for word in self.coordinators if head.startswith(word)), "")
        return self.sums(head, len(joiner), len(head))

    def _licence_revoked_after(self, text: str, start: int, end: int) -> bool:
        """Whether a revoking verb right before their licence (其, the holders') stands in [start, end):
        并依法注销其驾驶证; not 并吊销涉毒娱乐场所证照12家, venues' licences counted apart."""
        licences = tuple(self.rules.noun_classes.get("licence", ()))
        return any("revoke" in self.verb_of.get(verb.text, ())
                   and text[verb.end:end].lstrip().removeprefix("其").startswith(licences)
                   for verb in self._verbs(text, start, end))

    def _names_licence(self, predicate: str) -> bool:
        """Whether a predicate holds a licence noun (注销驾驶证): what it counts are the holders."""
        return any(noun in predicate for noun in self.rules.noun_classes.get("licence", ()))

    def _after_disposal(self, text: str, start: int, end: int) -> int:
        """Where the object of a 将/把 construction begins, if one stands in ``text[start:end]``."""
        found = max((text.rfind(marker, start, end) + len(marker) for marker in self.rules.disposal_markers
                     if text.rfind(marker, start, end) >= 0), default=start)
        return found

    def _respectively(self, text: str, quantity: ZhQuantity, clause: tuple[int, int],
                      others: Sequence[ZhQuantity]) -> tuple[_Word, str] | None:
        """毒品和制毒物品的缴获量分别为28吨和3750余吨: the i-th noun of the phrase before 分别 for the
        i-th quantity after it, when the counts agree, or its one noun for each (else None, and the
        quantity is read alone)."""
        c_start, c_end = clause
        marker = self.respectively.search(text, c_start, quantity.start)
        if marker is None:
            return None
        after = [q for q in others if marker.end() <= q.start and q.end <= c_end]
        if quantity not in after:
            return None
        phrase = text[c_start:marker.start()]
        verbs = self._verbs(phrase, 0, len(phrase))
        if verbs and verbs[-1].end < len(phrase.rstrip()):
            phrase = phrase[verbs[-1].end:]  # 缴获毒品和易制毒化学品: the nouns after the verb
        elif verbs:
            phrase = phrase[:verbs[-1].start]  # 毒品和制毒物品的缴获量: the nouns before a nominal predicate
        phrase = phrase.strip().removesuffix("的")
        parts = [p for p in self.splitter.split(phrase) if p.strip()]
        if len(parts) == 1 and not self._verbs(text, marker.end(), quantity.start):
            # 三市破获案件数分别为312起、287起和245起: one noun, the places distributed (not when each
            # quantity has its own verb: 分别缴获冰毒3公斤、海洛因2公斤)
            parts = parts * len(after)
        if len(parts) != len(after):
            return None
        part = self._strip(parts[after.index(quantity)])
        head = self._head(part)
        return (head, self._item(part, head)) if head is not None else None

    def _verbs(self, text: str, start: int, end: int) -> list[_Word]:
        """The predicates in [start, end), but not a verb inside a longer noun (组织 in 幕后组织者)."""
        return [_Word(m.start(), m.end(), m.group()) for m in self.verbs.finditer(text, start, end)
                if not self._inside_noun(text, m.start(), m.end())]

    def _inside_noun(self, text: str, start: int, end: int) -> bool:
        for i in range(max(0, start - self.longest_noun + 1), start + 1):
            m = self.nouns.match(text, i)
            if m is not None and m.end() >= end and m.end() - m.start() > end - start:
                return True
        return False

    def _types(self, noun_class: str, verb: _Word, unit: str) -> bool:
        """Whether ``verb`` makes an event of a figure of ``noun_class`` in ``unit``."""
        return any(self.table.type_of(noun_class, (cls,), unit) is not None for cls in self.verb_of.get(verb.text, ()))

    def _modifies_blocked(self, text: str, c_start: int, verb: _Word) -> bool:
        """Whether ``verb`` only modifies the noun after it (``modifier_suffixes``) under a blocker before
        it in its clause: 销毁2005年以来缴获的海洛因2.23公斤 tells what was destroyed, not a seizure."""
        return text.startswith(tuple(self.rules.modifier_suffixes), verb.end) \
            and self.blockers.search(text, c_start, verb.start) is not None

    def _blocked(self, text: str, start: int, end: int) -> bool:
        """Whether a blocker stands between a predicate and its number, or a change word right
        before the number (``end``)."""
        return self.blockers.search(text, start, end) is not None \
            or (self.change is not None and self.change.search(text, start, end) is not None)

    def _clause_classes(self, clause: str) -> list[str]:
        classes: list[str] = []
        for m in self.verbs.finditer(clause):
            for cls in self.verb_of[m.group()]:
                if cls in self.rules.clause_predicates and cls not in classes:
                    classes.append(cls)
        return classes

    def _strip(self, phrase: str) -> str:
        """A noun phrase without the list joiner before it and qualifier words after it."""
        phrase = phrase.strip()
        changed = True
        while changed and phrase:
            changed = False
            for word in self.coordinators:
                if phrase.startswith(word):
                    phrase, changed = phrase[len(word):].strip(), True
        return phrase

    def _head(self, phrase: str) -> _Word | None:
        """The class word that ends last in ``phrase`` (the longest of those ending there)."""
        best: _Word | None = None
        for i in range(len(phrase)):
            m = self.nouns.match(phrase, i)
            if m is None:
                continue
            word = _Word(m.start(), m.end(), m.group())
            if best is None or word.end > best.end or (word.end == best.end and word.start < best.start):
                best = word
        return best

    def _item(self, phrase: str, head: _Word | None) -> str:
        """The item as written: the noun phrase up to its head, without leading modifiers."""
        if head is None:
            return ""
        item = phrase[:head.end]
        for mark in self.rules.item_heads_after:
            cut = item.rfind(mark, 0, head.start + 1)
            if 0 <= cut < head.start:
                item = item[cut + len(mark):]
                head = _Word(head.start - cut - len(mark), head.end - cut - len(mark), head.text)
        changed = True
        while changed:
            changed = False
            for word in self.skips:
                if item.startswith(word) and len(item) > len(word):
                    item, changed = item[len(word):], True
        return item.strip()

    def _noun_after(self, text: str, start: int, end: int) -> tuple[_Word | None, str]:
        """The noun phrase written after the classifier (8名嫌疑人落网, 约一点一克可卡因)."""
        pos = start
        if text.startswith("的", pos):
            pos += 1
        stop = end
        for m in self.stops.finditer(text, pos, end):  # a stop word inside a noun (后 in 幕后老板) is not one
            if not self._inside_noun(text, m.start(), m.end()):
                stop = m.start()
                break
        verbs = self._verbs(text, pos, stop)
        if verbs:
            stop = verbs[0].start
        phrase = text[pos:stop]
        head = self._head(phrase)
        if head is None and "的" in text[pos:end]:
            # 三包共重约三十点三克的可卡因: the noun follows the last 的 of the clause
            tail = text[text.rfind("的", pos, end) + 1:end]
            head = self._head(tail[:self._stop_in(tail)])
            return (head, self._item(tail, head)) if head is not None else (None, "")
        return (head, self._item(phrase, head)) if head is not None else (None, "")

    def _stop_in(self, phrase: str) -> int:
        verbs = self._verbs(phrase, 0, len(phrase))
        return verbs[0].start if verbs else len(phrase)

    def _weighed(self, text: str, lo: int, c_start: int, predicate: _Word | None,
                 previous: _Word | None) -> tuple[_Word | None, str, _Word | None]:
        """净重13.17千克: the thing named last before the clause, under the last predicate before it."""
        head = self._head(text[lo:c_start])
        if head is None:
            return None, "", predicate
        absolute = _Word(lo + head.start, lo + head.end, head.text)
        segment_start = lo
        verbs = self._verbs(text, lo, absolute.start)
        if verbs:
            segment_start = verbs[-1].end
        phrase = text[segment_start:absolute.end]
        cut = max((phrase.rfind(b) for b in self.breaks), default=-1)
        phrase = phrase[cut + 1:]
        item = self._item(phrase, self._head(phrase))
        return absolute, item, predicate or (verbs[-1] if verbs else previous)

    def _listed_on(self, text: str, sentence: tuple[int, int], clause: tuple[int, int], quantity: ZhQuantity,
                   noun: _Word, np_text: str, others: Sequence[ZhQuantity]) -> _Word | None:
        """The predicate of the list this clause goes on, when it is a bare thing of a class of
        ``list_on_classes`` and its figure (冰毒10克) after ``list_on_marks`` and bare figures of that
        class back to a clause with a predicate that fits them (缴获海洛因10.15千克，冰毒10克; not
        嫌疑人此前已出售冰毒5千克, 另一批冰毒20千克仍下落不明). Walked back clause by clause."""
        cls = self.noun_of.get(noun.text)
        c_start, c_end = clause
        if cls not in self.rules.list_on_classes or np_text != noun.text or text[quantity.end:c_end].strip():
            return None
        lo, hi = sentence
        start = c_start
        for q in sorted((q for q in others if lo <= q.start and q.end <= c_start), key=lambda q: q.start,
                        reverse=True):
            if q.end > start:
                continue  # another figure of the clause already passed (海洛因29块、共10.15千克)
            if text[q.end:start].strip() not in self.rules.list_on_marks:
                return None
            q_start, _ = self.clause(text, q.start, q.end, lo, hi)
            verbs = [v for v in self._verbs(text, q_start, q.start) if not self._blocked(text, v.end, q.start)]
            if verbs:
                return verbs[-1] if self._types(cls, verbs[-1], quantity.unit) else None
            head = self._head(self._strip(text[q_start:q.start]))
            if head is None or self.noun_of.get(head.text) != cls:
                return None
            start = q_start
        return None

    def _aside(self, opening: str) -> str:
        """The opening of a sentence without an aside that only says how the figures were got (经称量，)."""
        opening = opening.strip()
        for aside in self.rules.opening_asides:
            if opening.startswith(aside) and opening[len(aside):len(aside) + 1] in self.breaks:
                return opening[len(aside) + 1:].strip()
        return opening

    def _inherited(self, text: str, lo: int, clause: tuple[int, int],
                   previous_predicate: _Word | None = None) -> _Word | None:
        """The predicate of the clause before, when this one lists its parts (包括..., ...中，); a part
        after a part with no predicate of its own continues the list (中，海洛因5千克，鸦片3千克). A
        sentence opening so (its first clause or its opener), with no predicate before the part nor
        a blocker up to it, lists the parts of the sentence before: takes its last predicate
        (缴获毒品223.2千克。这些案件中，有万克以上大案5起; not 宣判的24名被告人中，1人被判处死刑)."""
        c_start, c_end = clause
        start = c_start
        while True:
            previous_end = start - 1
            if previous_end <= lo:
                return None
            opens = text[start:].lstrip().startswith(tuple(self.rules.inherit_markers))
            prev_start, _ = self.clause(text, previous_end - 1, previous_end, lo, previous_end)
            closes = text[prev_start:previous_end].endswith(tuple(self.rules.inherit_after_suffix))
            if opens or closes:
                verbs = self._verbs(text, lo, start)
                if verbs:
                    return verbs[-1]
                opening = (opens and not self._aside(text[lo:start])) \
                    or (closes and not self._aside(text[lo:prev_start]))
                return previous_predicate if opening and not self._blocked(text, lo, c_end) else None
            if self._verbs(text, prev_start, previous_end) or not text[prev_start:previous_end].strip():
                return None
            start = prev_start

    def _topic(self, item: str, clause: str, sentence: str, noun_class: str | None, context: str = "") -> str:
        """The cue that makes the figure a drug-enforcement fact, or "" when it is not one."""
        found = self.topic.search(item)
        if found is not None:
            return found.group()
        if noun_class in ("drug", "precursor"):
            return noun_class
        for part in reversed(self._clauses_to(sentence, clause)):  # the nearest clause with a cue decides
            found = self.topic.search(part)
            if found is not None:
                return found.group()
            if self.offtopic.search(part) is not None:
                return ""
        found = self.topic.search(sentence)
        if found is None and self.offtopic.search(sentence) is None:
            found = self.topic.search(context)  # a drug story's sentence that names no drug (8名嫌疑人落网)
        return found.group() if found is not None else ""

    def _clauses_to(self, sentence: str, clause: str) -> list[str]:
        """The clauses of ``sentence`` up to and including ``clause``, in order."""
        end = sentence.find(clause)
        head = sentence[:end] if end >= 0 else ""
        parts = re.split("|".join(re.escape(b) for b in sorted(self.breaks) if b.strip()), head)
        return [p for p in parts if p.strip()] + [clause]

    def _drug(self, item: str, sentence: str, noun_class: str | None) -> str | None:
        if noun_class not in ("drug", "case"):
            return None
        found = self.drugs.search(item)
        if found is not None:
            return self.drug_of[found.group()]
        if self.anaphors.search(item) is not None:
            named = {self.drug_of[m.group()] for m in self.drugs.finditer(sentence)}
            if len(named) == 1:
                return named.pop()
        return None
