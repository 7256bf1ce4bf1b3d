"""Cue anchors (pipeline/cues.py): where a cue may start, and that anchoring never changes what is found."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.attribution import DocContext
from pipeline.cues import CueFamilies, PhraseAnchor, flagged_spans, tokenizer_joins
from pipeline.extensions import doc_text

from .helpers import GOLD, ROOT, read_jsonl
from .test_event_assembly import annotated

PHRASES = ["drug", "anti-drug", "a total of", "so far", "ice", "meth lab", "u.s."]


@pytest.mark.parametrize("word, may", [
    ("drug", True), ("Drugs", False), ("drug's", True),  # a phrase ends before a non-word character
    ("drugged", False),  # ... not before a word character
    ("anti", True),  # "anti-drug" runs on past it ("-" is a non-word character)
    ("a", True), ("so", True),  # "a total of", "so far": a space follows in the phrase
    ("an", False), ("sob", False),
    ("meth", True), ("lab", False),  # a phrase starts in its first word only
    ("x/drug", True), ("x-ice", True), ("xice", False),  # after a non-word character inside a word
    ("u", True), ("u.s.", True),
    ("2,300", False), ("", False),
    ("Ｄrug", True),  # outside ASCII: always
    ("can", False),  # not a piece of a special case here (joins=())
])
def test_where_a_phrase_may_start(word: str, may: bool) -> None:
    assert PhraseAnchor(PHRASES)(word) is may


def test_a_phrase_may_run_on_where_the_tokenizer_splits_a_word(nlp: Language) -> None:
    joins = tokenizer_joins(nlp)
    assert {"can", "gon", "do"} <= joins  # "cannot", "gonna", "dont"
    assert PhraseAnchor(["cannot be"], joins)("can") and not PhraseAnchor(["cannot be"])("can")


def test_families_of_words() -> None:
    families = CueFamilies({"topic": ["drug", "heroin"], "total": ["a total of", "so far"]})
    topic, total = families.bit("topic"), families.bit("total")
    assert topic is not None and total is not None and families.bit("other") is None
    assert families.mask(["police", "seized", "heroin"]) == topic
    assert families.mask(["a", "total", "of", "drug"]) == topic | total
    assert families.mask(["drugs"]) == 0  # "drug" cannot end before "s"
    assert families.mask(["2,300", "kg"]) == 0


def texts() -> list[str]:
    """Every English text of the repository, and some written to trip the anchors."""
    found = []
    for path in sorted(GOLD.glob("*.jsonl")) + sorted((ROOT / "data" / "unseen").glob("*.jsonl")):
        found += [d["text"] for d in read_jsonl(path) if d.get("lang", "en") == "en"]
    found += [
        "Anti-drug police seized drugs/heroin and 3kg of ice-like crystals; a\ntotal of 5 cases.",
        "DRUG TRAFFICKING: so-far, the drug-trafficking gang's HEROIN (and 'ice') was seized.",
        " Police\xa0seized  5 kg of heroin.\n\n\nNationwide, a total of 9 tonnes were seized in the same period.",
        "İstanbul police seized 5 kg of heroin, across the country a total of 20 kg.",
        "Police seized 40 kg in three joint Operations; 11 cases, in which 2 raids,cases.Raids-busts",
    ]
    return found


@pytest.fixture(scope="module")
def docs(nlp: Language) -> list:
    return [annotated(nlp, text) for text in texts()]


def test_topic_cues_found_at_flagged_tokens_are_those_of_a_whole_scan(nlp: Language, docs: list) -> None:
    assembler = nlp.get_pipe("events").assembler
    assert assembler.cue_flag is not None
    for doc in docs:
        text = doc_text(doc)
        assert assembler.topic.read(text, (), flagged_spans(doc, assembler.cue_flag)) == assembler.topic.read(text)


def test_kind_and_attribution_cues_are_the_same_with_anchors(nlp: Language, docs: list) -> None:
    assembler = nlp.get_pipe("events").assembler
    kind = assembler.kinds.rules
    for doc in docs:
        anchored = DocContext(doc, assembler.rules, None, assembler.families)
        whole = DocContext(doc, assembler.rules, None, None)
        for sent in range(len(anchored.sentences)):
            sentence = anchored.sentence_text(sent)
            kind._cues.clear()
            with_anchors = kind.cues(sentence, lambda family, ctx=anchored, at=sent: ctx.anchored(family, at))
            kind._cues.clear()
            assert with_anchors == kind.cues(sentence)
            for name, pattern in (("local", assembler.rules.local_cue), ("national", assembler.rules.national_cue),
                                  ("national_override", assembler.rules.national_override_cue),
                                  ("back_reference", assembler.rules.back_ref_cue)):
                assert anchored._says(name, pattern, sent) == whole._says(name, pattern, sent), (name, sentence)


def test_the_documents_are_many_and_anchors_skip_most_regexes(nlp: Language, docs: list) -> None:
    assembler = nlp.get_pipe("events").assembler
    skipped = several = asked = 0
    for doc in docs:
        ctx = DocContext(doc, assembler.rules, None, assembler.families)
        for sent in range(len(ctx.sentences)):
            asked += 1
            skipped += not ctx.anchored("kind_incident", sent)
            several += not ctx.anchored("kind_several", sent)
    assert len(docs) > 100 and skipped > asked / 2 and several > asked / 2
    assert Path(GOLD).exists()
