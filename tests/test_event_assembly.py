"""The parts of event assembly, each on its own (issue 13's split of the EventAssembler).

The sentence view, the item reader and the predicate finder (English grammar,
pipeline/grammar/en/), the language-free type table, attribution (typed Attribution)
and the kind of each fact, each with a table of sentences written for these tests.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.attribution import Attribution, DocContext
from pipeline.events import Fact
from pipeline.grammar.en.facts import FactReader
from pipeline.grammar.en.view import SentenceView
from pipeline.grammar.zh.events import ZhEventReader
from pipeline.rules import load_rules
from pipeline.topic import DocumentTopic
from pipeline.typetable import TypeTable

from .helpers import CONFIGS


def annotated(nlp: Language, text: str, published: str = "2021-06-30") -> Doc:
    """``text`` through every component before the event builder."""
    doc = nlp.make_doc(text)
    doc._.published, doc._.doc_id = published, "t"
    for name, component in nlp.pipeline:
        if name == "events":
            break
        doc = component(doc)
    return doc


def context(nlp: Language, text: str, published: str = "2021-06-30") -> DocContext:
    """The document context event assembly reads ``text`` with."""
    assembler = nlp.get_pipe("events").assembler
    ctx = DocContext(annotated(nlp, text, published), assembler.rules, None, assembler.families)
    ctx.topic = DocumentTopic(assembler.topic.read(ctx.text), ctx.lead_span())
    return ctx


def reader(nlp: Language) -> FactReader:
    return nlp.get_pipe("events").assembler.reader  # type: ignore[no-any-return]


def view_of(nlp: Language, text: str) -> SentenceView:
    """The view of the first sentence of ``text``."""
    ctx = context(nlp, text)
    return reader(nlp).views.build(ctx, 0, [e for e in ctx.ents if ctx.sent_of(e.start_char) == 0])


def facts_of(nlp: Language, ctx: DocContext) -> list[Fact]:
    facts: list[Fact] = []
    for index in range(len(ctx.sentences)):
        ents = [e for e in ctx.ents if ctx.sent_of(e.start_char) == index]
        if any(e.label_ == "QUANTITY" for e in ents):
            facts += reader(nlp).read(ctx, index, ents, [f for f in facts if f.sent == index - 1])
    return facts


# -- the sentence view -----------------------------------------------------------------------
@pytest.mark.parametrize("text, words, quantities, units", [
    ("Police seized 94kg of opium on June 15.",
     ["police", "seized", "94", "kg", "of", "opium", "on", "june", "15", "."], [(2, 4, "94kg")], ["kg"]),
    ("Police seized 12.4 tonnes and 8.7 tonnes of drugs.",
     ["police", "seized", "12.4", "tonnes", "and", "8.7", "tonnes", "of", "drugs", "."],
     [(2, 4, "12.4 tonnes"), (5, 7, "8.7 tonnes")], ["kg", "kg"]),
    # whitespace tokens are left out, inside a sentence and at the end of its paragraph
    ("Police  seized 3 suspects\nand 5 kg of heroin.\n\nNext.",
     ["police", "seized", "3", "suspects", "and", "5", "kg", "of", "heroin", "."],
     [(2, 3, "3"), (5, 7, "5 kg")], ["count", "kg"]),
])
def test_the_view_holds_the_words_and_quantities_of_a_sentence(nlp, text: str, words: list[str],
                                                                quantities: list[tuple[int, int, str]],
                                                                units: list[str]) -> None:
    view = view_of(nlp, text)
    assert view.words == words
    assert [(first, end, span.text) for first, end, span in view.quantities] == quantities
    assert view.units == units
    assert [view.text[view.idx[n]:view.ends[n]].lower() for n in range(len(words))] == words


def test_the_view_tags_phrases_but_not_the_words_of_other_entities(nlp) -> None:
    view = view_of(nlp, "Police seized 94kg of opium on May 12.")
    assert view.tags[1] is not None and "seize" in view.tags[1].verbs
    assert view.tags[5] is not None and view.tags[5].drug == "opium"
    assert view.words[7] == "may" and view.tags[7] is None  # "May 12" is a date, not the modal
    assert view.entity_at[7].label_ == "DATE" and view.entity_at[2].label_ == "QUANTITY"


# -- the item reader --------------------------------------------------------------------------
@pytest.mark.parametrize("text, k, item", [
    ("Police seized 94kg of opium.", 0, ("opium", "drug", "opium", False)),
    ("Police arrested 3,341 criminal suspects.", 0, ("criminal suspects", "person", None, False)),
    # a container counts what it holds; the item ends at the verb after it
    ("Police seized 66 packages of heroin hidden in a truck.", 0, ("packages of heroin", "drug", "heroin", False)),
    # several drugs: no one drug
    ("Police seized 20 kg of heroin and methamphetamine.", 0,
     ("heroin and methamphetamine", "drug", None, False)),
    ("Police in Yunnan seized 200 kg.", 0, ("", "", None, True)),
    ("182 suspects belonging to 18 rings were arrested.", 1, ("rings", "network", None, False)),
])
def test_the_item_reader_reads_the_counted_noun_phrase(nlp, text: str, k: int,
                                                        item: tuple[str, str, str | None, bool]) -> None:
    found = reader(nlp).items.read(view_of(nlp, text), k)
    assert (found.text, found.noun, found.drug, found.elided) == item


def test_a_predicate_noun_where_the_item_should_be_is_its_trigger(nlp) -> None:
    found = reader(nlp).items.read(view_of(nlp, "Police seized 1,560 kg of the 2011 haul."), 0)
    assert found.text == "" and found.trigger is not None and found.trigger.phrase == "haul"


# -- the predicate finder ----------------------------------------------------------------------
@pytest.mark.parametrize("text, k, expected", [
    ("Police seized 94kg of opium.", 0, ("drug_seizure", "active", "seized")),
    ("3,341 criminal suspects have been arrested.", 0, ("arrest", "passive", "arrested")),
    ("Police in Gansu sent 900 drug users to compulsory isolation.", 0,
     ("compulsory_treatment", "clause", "compulsory isolation")),
    ("182 suspects belonging to 18 rings were arrested.", 0, ("arrest", "later", "arrested")),
    ("660 suspects were involved in trading drugs.", 0, None),  # a blocker
    ("Police offered bounties for the arrest of 10 fugitives.", 0, None),  # a purpose, not an arrest
])
def test_the_predicate_finder_types_the_quantity_with_its_predicate(nlp, text: str, k: int,
                                                                     expected: tuple[str, str, str] | None) -> None:
    view = view_of(nlp, text)
    item = reader(nlp).items.read(view, k)
    found = reader(nlp).predicates.find(view, k, item, item.noun or "none", view.units[k],
                                        view.quantities[k][0], None, None)
    assert (None if found is None else (found[0], found[1].how, found[1].phrase)) == expected


# -- the type table (language-free) -------------------------------------------------------------
@pytest.fixture(scope="module")
def table() -> TypeTable:
    return TypeTable(load_rules(CONFIGS).events.types)


@pytest.mark.parametrize("noun, verbs, unit, expected", [
    ("drug", {"seize"}, "kg", "drug_seizure"),
    ("drug", {"arrest", "seize"}, "kg", "drug_seizure"),  # one of the classes is enough
    ("person", {"arrest"}, "count", "arrest"),
    ("case", {"solve"}, "count", "case_solved"),
    ("person", {"compulsory"}, "count", "compulsory_treatment"),
    ("drug", {"arrest"}, "kg", None),  # drugs are not arrested
    ("person", {"arrest"}, "kg", None),  # people are not weighed
    ("unknown class", {"seize"}, "kg", None),
])
def test_the_type_table_types_noun_predicate_and_unit(table: TypeTable, noun: str, verbs: set[str], unit: str,
                                                      expected: str | None) -> None:
    assert table.type_of(noun, verbs, unit) == expected


def test_the_type_table_takes_the_first_type_of_the_file(table: TypeTable) -> None:
    for (noun, unit), candidates in table._by.items():
        for _, verbs in candidates:
            first = next(n for n, rule in table.types.items()
                         if noun in rule.nouns and unit in rule.units and set(rule.verbs) & verbs)
            assert table.type_of(noun, verbs, unit) == first


def test_both_grammars_use_the_shared_type_table() -> None:
    from pipeline.grammar.zh.rules import load_zh_rules

    rules = load_zh_rules(CONFIGS.parent / "zh")
    zh = ZhEventReader(rules.events, rules.drugs, rules.shared_events)
    assert isinstance(zh.table, TypeTable)
    assert zh.table.types.keys() == load_rules(CONFIGS).events.types.keys()


# -- attribution ---------------------------------------------------------------------------------
def attributed(nlp: Language, text: str) -> list[tuple[str, Attribution]]:
    ctx = context(nlp, text)
    facts = facts_of(nlp, ctx)
    attributions = nlp.get_pipe("events").assembler.attributor.attribute(ctx, facts)
    return [(f.span.text, a) for f, a in zip(facts, attributions, strict=True)]


@pytest.mark.parametrize("text, expected", [
    ("Police in Yunnan seized 5 kg of heroin on March 3.",
     [("5 kg", ["CN-YN"], "sentence", (date(2021, 3, 3), date(2021, 3, 3)), "sentence")]),
    # the paragraph's province and a sentence that goes on with the one before
    ("In May, police in Gansu seized 9 kg of heroin. They also arrested 12 drug suspects.",
     [("9 kg", ["CN-GS"], "sentence", (date(2021, 5, 1), date(2021, 5, 31)), "sentence"),
      ("12", ["CN-GS"], "paragraph", (date(2021, 5, 1), date(2021, 5, 31)), "paragraph")]),
    # each amount its own province
    ("Yunnan and Guangdong seized 12.4 tonnes and 8.7 tonnes of drugs respectively.",
     [("12.4 tonnes", ["CN-YN"], "respectively", (None, None), "none"),
      ("8.7 tonnes", ["CN-GD"], "respectively", (None, None), "none")]),
])
def test_attribution_of_provinces_and_periods(nlp, text: str, expected: list[tuple[Any, ...]]) -> None:
    found = [(raw, a.provinces, a.province_cue, a.period, a.period_cue) for raw, a in attributed(nlp, text)]
    assert found == expected


def test_the_attribution_is_typed(nlp) -> None:
    (_, attribution), = attributed(nlp, "During Operation Clean Border, police in Yunnan seized 5 kg of "
                                        "heroin between May 1 and May 6.")
    assert attribution == Attribution(
        provinces=["CN-YN"], province_cue="sentence", operation="Clean Border", operation_cue="sentence",
        scope="provincial", period=(date(2021, 5, 1), date(2021, 5, 6)), period_cue="sentence",
        stated=(date(2021, 5, 1), date(2021, 5, 6)), stated_text="May 1 and May 6", report=True)


# -- kind ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Police seized 94kg of opium on June 15.", [("incident", "period:day")]),
    ("Police in Yunnan have seized a total of 4 tonnes of drugs.", [("total", "total:a total of")]),
    # several cases counted in the sentence ("kind.several_nouns")
    ("Police cracked 35 drug cases and seized 80 kg of heroin.",
     [("total", "total:35 drug cases"), ("total", "total:35 drug cases")]),
])
def test_the_kind_of_each_fact(nlp, text: str, expected: list[tuple[str, str]]) -> None:
    ctx = context(nlp, text)
    facts = facts_of(nlp, ctx)
    assembler = nlp.get_pipe("events").assembler
    kinds = assembler.kinds.kinds(ctx, facts, assembler.attributor.attribute(ctx, facts))
    assert [(k.kind, k.cue) for k in kinds] == expected


@pytest.mark.parametrize("section", ["local_cues", "national_cues", "national_override_cues", "back_references"])
def test_a_phrase_in_a_text_is_what_its_regex_finds(section: str) -> None:
    """ContainsPhrase tests the lower-cased text for each phrase before the regex; on texts made
    of the phrases and pieces that trip word boundaries and case, both agree."""
    import random

    from pipeline.attribution import ContainsPhrase, _phrase_re

    phrases = getattr(load_rules(CONFIGS).events, section)
    contains, regex = ContainsPhrase(phrases), _phrase_re(phrases, anchor_end=False)
    assert regex is not None
    # upper case, and letters that match ASCII ones only case-insensitively ("ſ" for "s", "K" for "k")
    odd = [p.replace("s", "ſ").replace("k", "\u212a") for p in phrases]
    pieces = [*phrases, *(p.upper() for p in phrases), *odd, " ", "\n", "x", "-", "_", "the ", "İ", "é"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        assert contains(text) == (regex.search(text) is not None), text


@pytest.mark.parametrize("text, determiners, found", [
    ("45 percent of the national total", ["the"], False),
    ("45 percent of national total", [], False),
    ("45 percent of the national total", [], True),  # no determiner may stand between
    ("45 percent of our national total", ["the"], True),
    ("45 percent of our national total", ["the", "our"], False),  # a determiner is a config entry
    ("percent of them, the national total", ["the"], True),  # a clause between: the cue counts
    ("the national total", ["the"], True),
])
def test_a_cue_right_after_a_base_does_not_count(text: str, determiners: list[str], found: bool) -> None:
    """``ContainsPhrase`` with ``not_after``: a cue right after one of those words, with one of
    ``determiners`` (configs: `national_share_determiners`) between or none, is not one."""
    from pipeline.attribution import ContainsPhrase

    assert ContainsPhrase(["national total"], ["percent of"], determiners)(text) is found


@pytest.mark.parametrize("section", ["province_not_location_after", "comparison_words"])
def test_a_phrase_ending_a_text_is_what_its_regex_finds(section: str) -> None:
    """EndingPhrase compares the end of a text with each phrase instead of trying a regex at every
    position; on texts made of the phrases and pieces that trip word boundaries, both agree."""
    import random

    from pipeline.attribution import EndingPhrase, _phrase_re

    phrases = getattr(load_rules(CONFIGS).events, section)
    ending, regex = EndingPhrase(phrases), _phrase_re(phrases, anchor_end=True)
    assert regex is not None
    pieces = [*phrases, " ", "  ", "\n", "x", "-", "_", "the ", "From ", "FROM", "than", "é", "Xfrom"]
    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        m = regex.search(text)
        assert ending.search(text) == ((m.start(), m.group()) if m else None), text


LONG = "x" * 60
@pytest.mark.parametrize("paragraph", [
    "URUMQI, Feb. 14 (Xinhua) -- Police seized 5 kg of heroin.",
    "Police seized 5 kg of heroin in a raid on Monday, officials said (Xinhua) -- and more.",
    # the first twelve words run past the characters read first: the whole paragraph is split
    " ".join([LONG] * 8) + " (Xinhua) -- " + " ".join([LONG] * 6),
    " ".join([LONG] * 6) + " (Xinhua) -- " + " ".join([LONG] * 3),
    " ".join([LONG] * 11) + "   (Xinhua)",
    "KUNMING,\n   June 26  (Xinhua)  --  " + " ".join(["word"] * 200),
    " ".join(["w"] * 199) + " (Xinhua) -- end",
])
def test_a_dateline_is_found_in_the_first_words_of_a_paragraph(nlp, paragraph: str) -> None:
    """Only a paragraph's first characters are split for its first words, unless they run past them."""
    ctx = context(nlp, paragraph)
    rules = ctx.rules
    size = rules.events.dateline_window
    start, end = ctx.paragraphs[0]
    head = ctx.text[start:end]
    window = " ".join(head.split(None, size)[:size])
    m = rules.dateline_re.search(head[:len(window) + 1])
    assert ctx._dateline_end(start, end) == (start + m.end() if m else -1)
