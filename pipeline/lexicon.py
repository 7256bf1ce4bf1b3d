"""The event vocabulary as a phrase lexicon: tag the tokens of a sentence with their roles.

Phrases from ``configs/events.yml`` and ``configs/drugs.yml`` are split with the
pipeline's own tokenizer, so "community-based rehabilitation" matches the tokens
spaCy produces. Tagging prefers the longest phrase at each position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .rules import DrugsFile, EventsFile

Tokenize = Callable[[str], list[str]]


@dataclass(slots=True)
class Tag:
    """What a phrase starting at a token is, and how many tokens it covers."""

    length: int
    verbs: frozenset[str] = frozenset()  # predicate classes
    noun: str = ""  # counted-noun class
    drug: str = ""  # canonical drug name
    blocker: bool = False
    anaphor: bool = False
    back_reference: bool = False
    phrase: str = ""
    before_only: bool = False  # a blocker only before the number ("involving 10 kg")
    nominal: bool = False  # a predicate noun: a predicate only with "of" after it
    form: bool = False  # a form of a drug ("semi-finished product"): beside a named drug, that drug's


class Phrases:
    """Phrases as tuples of lower-cased tokens, looked up by their first or last word.

    A set would do, but asking "does one end here?" of every phrase at every number cost
    more than reading the number's item.
    """

    def __init__(self, phrases: Iterable[tuple[str, ...]]):
        self._all = frozenset(phrases)
        self._empty = () in self._all  # an empty phrase is everywhere
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        self._by_last: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted(p for p in self._all if p):
            self._by_first.setdefault(phrase[0], []).append(phrase)
            self._by_last.setdefault(phrase[-1], []).append(phrase)

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self._all)

    def __contains__(self, phrase: object) -> bool:
        return phrase in self._all

    def __len__(self) -> int:
        return len(self._all)

    def ending(self, words: Sequence[str], n: int) -> int | None:
        """Start of the longest phrase that ends just before position ``n`` (an empty one aside)."""
        found = self._by_last.get(words[n - 1]) if 0 < n <= len(words) else None
        best = None
        for phrase in found or ():
            start = n - len(phrase)
            if start >= 0 and (best is None or start < best) and tuple(words[start:n]) == phrase:
                best = start
        return best

    def at(self, words: Sequence[str], n: int, end: int | None = None) -> bool:
        """Whether a phrase starts at position ``n`` (and ends by ``end``)."""
        if self._empty:
            return True
        end = len(words) if end is None else end
        for phrase in (self._by_first.get(words[n]) or ()) if n < len(words) else ():
            if n + len(phrase) <= end and tuple(words[n:n + len(phrase)]) == phrase:
                return True
        return False


@dataclass(slots=True)
class _Entry:
    verbs: set[str] = field(default_factory=set)
    noun: str = ""
    drug: str = ""
    blocker: bool = False
    anaphor: bool = False
    back_reference: bool = False
    before_only: bool = False
    nominal: bool = False
    form: bool = False


@dataclass
class Lexicon:
    """Phrase tables for one rule set; ``tag(words)`` tags a sentence's lower-cased tokens."""

    events: EventsFile
    drugs: DrugsFile
    qualifiers: Iterable[str]
    tokenize: Tokenize
    _phrases: dict[tuple[str, ...], _Entry] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        ev = self.events
        for cls, words in ev.verb_classes.items():
            for w in words:
                self._entry(w).verbs.add(cls)
        for cls, words in list(ev.noun_classes.items()) + list(ev.noun_phrases.items()):
            for w in words:
                entry = self._entry(w)
                entry.noun = entry.noun or cls
        for canonical, forms in self.drugs.drugs.items():
            for w in forms:
                entry = self._entry(w)
                entry.drug = entry.drug or canonical
                entry.noun = entry.noun or "drug"  # a named drug is a counted drug
        for w in ev.blockers:
            self._entry(w).blocker = True
        for w in ev.blockers_before_only:
            entry = self._entry(w)
            entry.blocker = entry.before_only = True
        for w in ev.nominal_predicates:
            self._entry(w).nominal = True
        for w in self.drugs.anaphors:
            self._entry(w).anaphor = True
        for w in self.drugs.forms:
            self._entry(w).form = True
        for w in ev.back_references:
            self._entry(w).back_reference = True
        self._phrases.pop((), None)
        self.max_len = max((len(k) for k in self._phrases), default=1)
        # the longest phrase starting with each word: most words start none, and are skipped
        self._first: dict[str, int] = {}
        for key in self._phrases:
            self._first[key[0]] = max(self._first.get(key[0], 0), len(key))
        self._tags = self._tag_table()
        self._starts = dict(self._first)
        for key in self._tags:  # a plural of a one-word noun ("suspects"), a form of a phrasal verb ("pick up")
            self._starts[key[0]] = max(self._starts.get(key[0], 1), len(key))
        # the words that can follow each first word in a longer phrase: "the" starts a few
        # phrases, and most of its occurrences are not followed by their second word
        self._seconds: dict[str, set[str]] = {}
        for key in self._tags:
            if len(key) > 1:
                self._seconds.setdefault(key[0], set()).add(key[1])
        self._single = {key[0]: tag for key, tag in self._tags.items() if len(key) == 1}
        self.aux = {w.lower() for w in ev.auxiliaries}
        self.preps = {w.lower() for w in ev.prepositions}
        self.skip = {w.lower() for w in ev.item_skip}
        self.breaks = {w.lower() for w in ev.clause_breaks}
        self.speech = {w.lower() for w in ev.speech_verbs}
        self.qualifier_words: set[str] = set()
        for phrase in self.qualifiers:
            self.qualifier_words.update(self.tokenize(phrase.lower()))
        # words that end a counted noun phrase
        self.item_stops = self.aux | self.preps | self.breaks | self.speech | self.qualifier_words
        self.item_end_verbs = {w.lower() for w in ev.item_end_verbs}  # end it after its first word
        self.hyphen_prefixes = frozenset(w.lower() for w in ev.hyphen_verb_prefixes)
        # "Drugs weighing 2.97 tonnes in total have been confiscated": longest first
        self.passive_fillers = sorted({tuple(self.tokenize(w.lower())) for w in ev.passive_fillers}, key=len,
                                      reverse=True)
        self.item_stops |= {w.lower() for w in ev.finite_verbs}
        self.non_count_before = Phrases(tuple(self.tokenize(p.lower())) for p in ev.non_count_before)
        self.non_count_after = Phrases(tuple(self.tokenize(p.lower())) for p in ev.non_count_after)
        phrases = self.phrases
        self.possession = phrases(ev.possession_words)
        self.holder = phrases(ev.holder_words)
        self.hiding = phrases(ev.hiding_words)
        self.packing = phrases(ev.packing_words)
        self.contents = phrases(ev.contents_words)
        self.list_joiners = phrases([*ev.coordinators, *ev.list_continuers])
        self.part_list_openers = frozenset(ev.part_list_openers)
        self.verb_list_openers = frozenset(ev.verb_list_openers)
        self.verb_list_separators = frozenset(ev.verb_list_separators)
        self.verb_list_fillers = phrases(ev.verb_list_fillers)
        self.case_links = frozenset(ev.case_links)
        self.case_link_verbs = dict(ev.case_link_verbs)
        self.cargo = frozenset(w.lower() for w in ev.cargo_containers)
        self.hypothetical = phrases(ev.hypothetical_cues)
        self.inclusion = phrases(ev.inclusion_verbs)
        self.measure = phrases(ev.measure_words)
        self.measured_back = frozenset(w.lower() for w in ev.measured_back_references)
        self.subset = phrases(ev.subset_words)
        self.purpose = phrases(ev.purpose_words)
        self.intention = phrases(ev.intention_before)
        self.breakdown = phrases(ev.breakdown_openers)
        self.comparison_openers = phrases(ev.comparison_openers)
        # predicate words whose classes hold only under a condition (PredicateFinder._restricted)
        self.mass_only = _classes_of(ev.mass_only_predicates)
        self.recipient_only = _classes_of(ev.recipient_predicates)
        self.recipients = frozenset(w.lower() for w in ev.recipients)
        self.comparison = phrases(ev.comparison_words)
        self.time_after = phrases(ev.time_after_amount)
        self.population = phrases(ev.population_before)
        self.change_before = phrases(ev.change_before)
        self.label_before = phrases(ev.label_before)
        self.precursor_purpose = phrases(ev.precursor_purposes)
        self.precursor_heads = {w.lower() for w in ev.precursor_heads}
        self.one_drug_anaphors = {tuple(self.tokenize(w.lower())) for w in self.drugs.one_drug_anaphors}
        self.relative_subjects = {w.lower() for w in ev.relative_subjects}
        self.relative_pronouns = {w.lower() for w in ev.relative_pronouns}
        self.subject_relatives = {w.lower() for w in ev.subject_relatives}
        self.aside_marks = dict(ev.aside_marks)
        self.aside_reach = ev.aside_reach
        self.continuation_subjects = {w.lower() for w in ev.continuation_subjects}
        self.item_stops |= {w for w in self.relative_subjects if w in ("they", "he", "she", "we")}

    def phrases(self, texts: Iterable[str]) -> Phrases:
        """Phrases as tuples of lower-cased tokens, as ``tag`` sees a sentence."""
        return Phrases(tuple(t for t in self.tokenize(p.lower()) if t.strip()) for p in texts)

    def _entry(self, phrase: str) -> _Entry:
        key = tuple(t.lower() for t in self.tokenize(phrase.lower()) if t.strip())
        return self._phrases.setdefault(key, _Entry())

    def _tag_table(self) -> dict[tuple[str, ...], Tag]:
        """A Tag for every phrase and for the plurals of its nouns and drugs, made once.

        A plural ("suspects", "ecstasy pills", "parties") tags as its singular's noun and
        drug, never as a verb; the suffixes are tried in the order ies -> y, es, s.
        """
        table = {key: self._make_tag(key, entry) for key, entry in self._phrases.items()}
        for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
            for key, entry in self._phrases.items():
                last = key[-1]
                if not (entry.noun or entry.drug) or not last.endswith(repl):
                    continue
                plural = (last[:len(last) - len(repl)] if repl else last) + suffix
                if len(plural) <= len(suffix) + 1:
                    continue
                plural_key = key[:-1] + (plural,)
                if plural_key not in table:
                    table[plural_key] = self._make_tag(plural_key, _Entry(noun=entry.noun, drug=entry.drug,
                                                                          form=entry.form))
                elif not table[plural_key].noun and not self._phrases.get(plural_key, _Entry()).noun:
                    # a verb form that is also the noun's plural: "carried out 12,600 checks"
                    both = self._phrases[plural_key] if plural_key in self._phrases else _Entry()
                    table[plural_key] = self._make_tag(plural_key, _Entry(
                        verbs=set(both.verbs), noun=entry.noun, drug=entry.drug, blocker=both.blocker,
                        before_only=both.before_only, nominal=both.nominal))
        # the -ed and -ing forms of one-word predicates ("recover" or "recovered" -> "recovering")
        inflected: dict[tuple[str, ...], set[str]] = {}
        # a phrasal verb whose class holds only under a condition keeps its configured forms only
        # ("turned over" needs a recipient; "turning over" would not be asked for one)
        conditioned = {tuple(self.tokenize(w.lower())) for words in [*self.events.mass_only_predicates.values(),
                                                                     *self.events.recipient_predicates.values()]
                       for w in words}
        particles = {w.lower() for w in self.events.phrasal_particles}
        for key, entry in self._phrases.items():
            if len(key) == 1 and entry.verbs and not entry.nominal:
                for form in inflections(key[0]):
                    inflected.setdefault((form,), set()).update(entry.verbs)
            elif len(key) == 2 and entry.verbs and not entry.nominal and key[1] in particles \
                    and key not in conditioned:
                # a phrasal verb in its other forms, the bare one too ("went on to pick up six")
                for form in inflections(key[0]) | verb_bases(key[0]):
                    inflected.setdefault((form, key[1]), set()).update(entry.verbs)
        for key, verbs in inflected.items():
            if key not in table:
                table[key] = self._make_tag(key, _Entry(verbs=verbs))
        return table

    @staticmethod
    def _make_tag(key: tuple[str, ...], entry: _Entry) -> Tag:
        return Tag(length=len(key), verbs=frozenset(entry.verbs), noun=entry.noun, drug=entry.drug,
                   blocker=entry.blocker, anaphor=entry.anaphor, back_reference=entry.back_reference,
                   phrase=" ".join(key), before_only=entry.before_only, nominal=entry.nominal, form=entry.form)

    def tag(self, words: Sequence[str]) -> list[Tag | None]:
        """A tag for each position where a phrase starts (None elsewhere); tags are shared, read-only.

        Every word gets its one-word tag in one pass; only the words that start a longer
        phrase, followed by a word that can be its second, are looked at again.
        """
        tags = list(map(self._single.get, words))  # a C loop: no Python frame per word
        seconds = self._seconds
        if seconds.keys().isdisjoint(words):
            return tags  # no word starts a longer phrase
        firsts = [i for i, word in enumerate(words) if word in seconds]
        starts, table = self._starts, self._tags
        size = len(words)
        for i in firsts:
            word = words[i]
            if i + 1 == size or words[i + 1] not in seconds[word]:
                continue
            for n in range(min(starts[word], size - i), 1, -1):
                tag = table.get(tuple(words[i:i + n]))
                if tag is not None:
                    tags[i] = tag
                    break
        return tags


def verb_bases(word: str) -> set[str]:
    """The bare form of a regular verb given as -ed ("picked" -> "pick"): a superset, as ``inflections``."""
    if word.endswith("ed") and len(word) > 4:
        stem = word[:-2]
        return {stem, stem + "e"} | ({stem[:-1]} if stem[-1] == stem[-2] else set())
    return set()


def inflections(word: str) -> set[str]:
    """Likely -ed, -ing and -s forms of an English verb given in any form (a superset: a
    form that is not a word never occurs in text, so it costs nothing)."""
    bases = {word}
    stripped = set()  # stems cut from an -ed or -ing form: never doubled ("filed" gives no "filled")
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[:-len(suffix)]
            bases |= {stem, stem + "e"}
            stripped.add(stem)
            if len(stem) > 2 and stem[-1] == stem[-2]:
                bases.add(stem[:-1])  # "netted" -> "net"
    if word.endswith("es") and len(word) > 4:
        bases |= {word[:-1], word[:-2]}
    elif word.endswith("s") and len(word) > 3:
        bases.add(word[:-1])
    forms = set()
    for base in bases:
        if len(base) < 3 or not base.isalpha():
            continue
        stem = base[:-1] if base.endswith("e") else base
        forms |= {stem + "ed", stem + "ing", base + "d" if base.endswith("e") else base + "ed",
                  base + "es" if base.endswith(("s", "sh", "ch", "x", "z")) else base + "s"}  # "smashes 31 labs"
        if base not in stripped and len(base) <= 4 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" \
                and base[-3] not in "aeiou":
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}  # "net" -> "netted", "netting"
    return forms - {word}


def _classes_of(by_class: "dict[str, list[str]]") -> dict[str, frozenset[str]]:
    """Predicate phrase (lower case) -> the classes a config gives it under its condition."""
    out: dict[str, set[str]] = {}
    for cls, words in by_class.items():
        for word in words:
            out.setdefault(word.lower(), set()).add(cls)
    return {word: frozenset(classes) for word, classes in out.items()}
