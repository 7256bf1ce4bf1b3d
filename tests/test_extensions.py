"""Span values written without accessors read back through ``span._``; finder anchors are lexeme flags."""

from __future__ import annotations

import pickle

import pytest
import spacy

from pipeline.components.finders import AnchorFlag
from pipeline.cues import add_anchor_flag, flagged_spans
from pipeline.errors import ModelError
from pipeline.extensions import (
    char_span,
    forget_text,
    group_spans,
    set_doc_values,
    set_group,
    set_span_values,
    span_value,
    span_value_list,
    token_bounds,
)


def test_set_span_values_read_back_through_underscore():
    doc = spacy.blank("en")("Police seized 12 kg of heroin in Yunnan.")
    span = doc.char_span(14, 19)
    set_span_values(doc, span.start_char, span.end_char, {"value": 12.0, "unit": "kg"})
    assert (span._.value, span._.unit, span._.qualifier) == (12.0, "kg", None)
    span._.rule = "quantity.digits"
    assert span_value(doc, "rule", span.start_char, span.end_char) == "quantity.digits"
    assert span_value(doc, "norm", span.start_char, span.end_char) is None
    assert span_value_list(doc, span.start_char, span.end_char, ("unit", "norm", "rule", "value")) \
        == [span._.unit, span._.norm, span._.rule, span._.value] == ["kg", None, "quantity.digits", 12.0]


@pytest.mark.parametrize("word,expected", [("twelve", True), ("Twelve", True), ("1,200", True),
                                           ("RMB5", True), ("an", True), ("police", False), ("", False)])
def test_number_start_flag(word, expected):
    assert AnchorFlag({"twelve", "an"}, any_digit=True)(word) is expected


@pytest.mark.parametrize("word,expected", [("2019", True), ("1990s", True), ("12", False), ("July", True),
                                           ("Jul.", True), ("June", False), ("seized", False)])
def test_date_anchor_flag(word, expected):
    flag = AnchorFlag({"july", "jul."}, shapes=frozenset({"dddd", "ddddx"}))
    assert flag(word) is expected


def test_flagged_tokens_are_the_flagged_words_offsets():
    nlp = spacy.blank("en")
    add_anchor_flag(nlp, 62, AnchorFlag({"twelve"}, any_digit=True), "test")
    doc = nlp("Twelve suspects and 3 kg , nothing else")
    assert flagged_spans(doc, 62) == [(0, 6), (20, 21)]
    assert flagged_spans(nlp(""), 62) == []
    pickle.loads(pickle.dumps(nlp.vocab))  # the flag getter does not stop a vocab pickling


def test_flag_bit_taken_by_something_else_is_an_error():
    nlp = spacy.blank("en")
    nlp.vocab.add_flag(lambda text: text.isupper(), 40)
    with pytest.raises(ModelError, match=r"\[E012\]"):
        add_anchor_flag(nlp, 40, AnchorFlag({"ten"}), "quantities")


@pytest.mark.parametrize("text", ["Police seized 12 kg  of heroin.\n\nIn Yunnan, 3 were held.",
                                  "  leading space and U.S. stops", "x"])
def test_char_span_is_spacys_expand_alignment(text):
    doc = spacy.blank("en")(text)
    for start in range(len(text) + 1):
        for end in range(start + 1, len(text) + 1):
            ours = char_span(doc, start, end, "X")
            theirs = doc.char_span(start, end, label="X", alignment_mode="expand")
            if theirs is None:
                assert ours is None, (start, end)
            else:
                assert (ours.start, ours.end, ours.label_) == (theirs.start, theirs.end, "X"), (start, end)


def test_set_doc_values_read_back_through_underscore():
    doc = spacy.blank("en")("text")
    set_doc_values(doc, {"doc_id": "a-1", "published": "2024-05-01"})
    assert (doc._.doc_id, doc._.published, doc._.events) == ("a-1", "2024-05-01", None)


def test_anchor_shapes_must_be_number_shapes():
    with pytest.raises(ValueError, match="shapes of numbers"):
        AnchorFlag(set(), shapes=frozenset({"Xxxx"}))


def test_token_bounds_follow_a_retokenized_doc():
    doc = spacy.blank("en")("Police in Yunnan seized 5 kg.")
    assert token_bounds(doc)[0][:3] == [0, 7, 10]
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[0:2])  # "Police in" becomes one token
    starts, ends = token_bounds(doc)
    assert (starts[:2], ends[:2]) == ([0, 10], [9, 16])
    assert char_span(doc, 10, 16, "PROVINCE").text == "Yunnan"


def test_group_spans_are_the_kept_list_while_the_group_is_unchanged():
    doc = spacy.blank("en")("Police seized 12 kg of heroin in Yunnan.")
    spans = [doc[2:4], doc[5:6]]
    set_group(doc, "quantity", spans)
    assert group_spans(doc, "quantity") is spans
    assert [(s.start, s.end, s.label_) for s in group_spans(doc, "quantity")] \
        == [(s.start, s.end, s.label_) for s in doc.spans["quantity"]]
    assert group_spans(doc, "date") == []


@pytest.mark.parametrize("change", ["replace", "append", "forget"])
def test_group_spans_read_the_group_once_it_changed(change):
    doc = spacy.blank("en")("Police seized 12 kg of heroin in Yunnan.")
    set_group(doc, "quantity", [doc[2:4]])
    if change == "replace":
        doc.spans["quantity"] = [doc[7:8]]
    elif change == "append":
        doc.spans["quantity"].append(doc[7:8])
    else:
        forget_text(doc)
    assert [(s.start, s.end) for s in group_spans(doc, "quantity")] == [(s.start, s.end) for s in doc.spans["quantity"]]
