"""Properties over arbitrary text: nothing raises, offsets slice back, values are finite."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.annotate import annotate
from pipeline.grammar.en.dates import DateGrammar
from pipeline.grammar.en.quantities import QuantityGrammar
from pipeline.reader import Record
from pipeline.rules import load_rules
from pipeline.table import doc_entities, doc_events

from .helpers import CONFIGS

RULES = load_rules(CONFIGS)
QUANTITIES = QuantityGrammar(RULES.quantities)
DATES = DateGrammar(RULES.dates, RULES.quantities.number_words)

WORDS = ["Police", "in", "Yunnan", "seized", "more than", "1,313.2", "kilograms", "of", "heroin", "and",
         "arrested", "two", "suspects", "on", "July 31", "from", "to", "6th", "tons", "yuan", "$", "%",
         "twenty-one", "hundred", "million", "\n\n", ".", ",", '"', "Clean Border", "operation", "since",
         "last year", "-", "kg", "3", "0", "Hong Kong", "the end of", "2019", "cases", "were", "cracked",
         "Province", "per cent", "about", "nearly", "half", "a", "1/2", "2:30", "pm", "Feb.", "14"]

news_like = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
any_text = st.text(max_size=400)
published = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))


def check(nlp, text: str, date) -> None:
    for doc in annotate(nlp, [Record("x", text, date)]):
        for ent in doc_entities(doc):
            assert text[ent["start"]:ent["end"]] == ent["text"]
            if ent["value"] is not None:
                assert math.isfinite(ent["value"])
        for row in doc_events(doc):
            assert text[row["start"]:row["end"]] == row["raw"]
            assert text[row["sent_start"]:row["sent_end"]] == row["sentence"]
            assert math.isfinite(row["value"]) and row["value"] >= 0
            assert row["period_start"] is None or row["period_end"] is None \
                or row["period_start"] <= row["period_end"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=any_text, date=published)
def test_arbitrary_unicode(nlp, text: str, date) -> None:
    check(nlp, text, date)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=news_like, date=published)
def test_news_like_word_salad(nlp, text: str, date) -> None:
    check(nlp, text, date)


@settings(max_examples=2000, deadline=None)
@given(text=st.one_of(any_text, news_like), date=st.dates())
def test_finders_on_any_text(text: str, date) -> None:
    for match in QUANTITIES.find(text):
        assert 0 <= match.start < match.end <= len(text)
        assert math.isfinite(match.value)
    for found in DATES.find(text):
        assert 0 <= found.start < found.end <= len(text)
        start, end = DATES.period(found, date)
        assert start is None or end is None or start <= end
