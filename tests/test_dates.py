"""DATE: detection, resolution against the published date, and the peer cases."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.grammar.en.dates import DateGrammar, iso
from pipeline.rules import load_rules
from pipeline.scoring import score_peer_dates

from .helpers import CONFIGS, PEER

RULES = load_rules(CONFIGS)
GRAMMAR = DateGrammar(RULES.dates, RULES.quantities.number_words)


def dates(text: str, published: str | None):
    ref = date.fromisoformat(published) if published else None
    return [(text[m.start:m.end], iso(GRAMMAR.period(m, ref))) for m in GRAMMAR.find(text)]


@pytest.mark.parametrize("text, published, expected", [
    ("As of July 31, a total of", "2022-09-01", [("July 31", "/2022-07-31")]),
    ("From July 1st to 6th, Yunnan", "2022-09-01", [("July 1st to 6th", "2022-07-01/2022-07-06")]),
    ("China News Service, September 1st.", "2022-09-01", [("September 1st", "2022-09-01")]),
    ("URUMQI, Feb. 14 (Xinhua)", "2012-02-15", [("Feb. 14", "2012-02-14")]),
    ("seized last year by police", "2012-02-15", [("last year", "2011-01-01/2011-12-31")]),
    ("said yesterday", "2019-06-21", [("yesterday", "2019-06-20")]),
    ("in the first half of 2022", "2022-06-24", [("the first half of 2022", "2022-01-01/2022-06-30")]),
    ("In the first five months", "2020-07-03", [("the first five months", "2020-01-01/2020-05-31")]),
    # the count of months in words before a year in digits: the year is not the count
    ("in the first six months of 2024", "2024-07-18", [("the first six months of 2024", "2024-01-01/2024-06-30")]),
    ("in the first 10 months of 2023", "2024-01-18", [("the first 10 months of 2023", "2023-01-01/2023-10-31")]),
    # no year, and this year's would end months after publication: last year's
    ("in the first eight months", "2025-01-23", [("the first eight months", "2024-01-01/2024-08-31")]),
    ("in the first eight months", "2025-08-25", [("the first eight months", "2025-01-01/2025-08-31")]),
    # an edge word before a relative month, as before a named one: the whole month
    ("Late last month, police", "2016-10-20", [("Late last month", "2016-09-01/2016-09-30")]),
    ("in early last month", "2016-10-20", [("early last month", "2016-09-01/2016-09-30")]),
    ("between January and November", "2007-01-09", [("January and November", "2006-01-01/2006-11-30")]),
    ("from January to May", "2007-06-10", [("January to May", "2007-01-01/2007-05-31")]),
    ("from January to March", "2024-02-15", [("January to March", "2024-01-01/2024-03-31")]),
    ("from March to December", "2007-03-10", [("March to December", "2007-03-01/2007-12-31")]),
    # "the month" closing a range is the range's month, not the month the story is told in
    ("from mid-December to the end of the month", "2008-01-07",
     [("mid-December to the end of the month", "2007-12-01/2007-12-31")]),
    # ... a month without a day only: a day keeps the old reading, never a year late
    ("from May 20 to the end of the month", "2024-05-22",
     [("May 20 to the end of the month", "2024-05-20/2024-05-31")]),
    ("from mid-May to the end of this month", "2024-06-10",
     [("mid-May to the end of this month", "2024-05-01/2024-06-30")]),
    ("in the second half", "2025-01-10", [("the second half", "2024-07-01/2024-12-31")]),
    ("at the end of 2019 the", "2020-06-27", [("the end of 2019", "2019-12-31")]),
    ("since police launched it on July 30, 2013", "2014-01-02", [("July 30, 2013", "2013-07-30")]),
    ("As of March, it had", "2018-12-12", [("March", "/2018-03-31")]),
    ("last November", "2018-02-01", [("last November", "2017-11-01/2017-11-30")]),
    ("between January and May", "2019-08-01", [("January and May", "2019-01-01/2019-05-31")]),
    ("since May", "2019-08-01", [("May", "2019-05-01/")]),
    ("from January to July this year", None, [("January to July this year", None)]),
    ("in the 1970s", "2016-11-07", [("the 1970s", "1970-01-01/1979-12-31")]),
    ("on Tuesday", "2016-11-07", [("Tuesday", "2016-11-01")]),
    # issue 15: the day of publication itself counts ("said Tuesday" in Tuesday's paper)
    ("police said Tuesday", "2024-06-25", [("Tuesday", "2024-06-25")]),
    ("on Monday", "2024-06-25", [("Monday", "2024-06-24")]),
    ("this past Tuesday", "2024-06-25", [("this past Tuesday", "2024-06-18")]),
    ("last Tuesday", "2024-06-25", [("last Tuesday", "2024-06-18")]),
    ("the past three years", "2014-01-02", [("the past three years", None)]),
    # a leading "the" belongs to the date
    ("over the past month,", "2021-03-10", [("the past month", "2021-02-01/2021-02-28")]),
    ("than the previous year", "2021-03-10", [("the previous year", "2020-01-01/2020-12-31")]),
    ("over the past week", "2021-03-10", [("the past week", "2021-03-01/2021-03-07")]),
    ("in the past decade", "2021-03-10", [("the past decade", None)]),
    ("over the last decade", "2021-03-10", [("the last decade", None)]),
    ("raids in the coming weeks", "2021-03-10", [("the coming weeks", None)]),
    ("during a check last weekend", "2021-03-10", [("last weekend", "2021-03-06/2021-03-07")]),
    ("at the press conference on the 8th, the", "2021-03-10", [("the 8th", "2021-03-08")]),
    ("by the 25th.", "2021-03-10", [("the 25th", "/2021-02-25")]),
    # a decimal after a month is an amount, not its day ("Between January and May, 8.4 tonnes")
    ("Between January and May, 8.4 tonnes were seized", "2023-06-21",
     [("January and May", "2023-01-01/2023-05-31")]),
    ("In May, 8.4 tonnes were seized", "2023-06-21", [("May", "2023-05-01/2023-05-31")]),
    # nor is a number that a unit or a counted word follows ("June, 17 percent more", "May 12 suspects")
    ("between January and June, 17 percent more than", "2023-07-21",
     [("January and June", "2023-01-01/2023-06-30")]),
    ("In May 12 suspects were held", "2023-07-21", [("May", "2023-05-01/2023-05-31")]),
    # a year after an article is a year ("In a 2013 operation"), unless a unit follows ("a 2000 kg haul")
    ("In a 2013 operation, police", "2023-07-21", [("2013", "2013-01-01/2013-12-31")]),
    ("they seized a 2000 kg haul", "2023-07-21", []),
    # a year labelling the figures after it, inside a sentence ("(2023: 12 tonnes)")
    ("seized 3.2 tonnes (2023: 12 tonnes)", "2024-07-21", [("2023", "2023-01-01/2023-12-31")]),
    ("Arrests, 2022: 1,200", "2024-07-21", [("2022", "2022-01-01/2022-12-31")]),
    # periods named by reference to another: dates, never resolved
    ("up 12 percent on the same period last year", "2021-03-10", [("the same period last year", None)]),
    ("down from the same period of 2019", "2021-03-10", [("the same period of 2019", None)]),
    ("over the same eleven months", "2021-03-10", [("the same eleven months", None)]),
    ("In the same period, police", "2021-03-10", [("the same period", None)]),
    ("detained over the nine months", "2021-03-10", [("the nine months", None)]),
    ("In the two years, police", "2021-03-10", [("the two years", None)]),
    ("in the nine months to September", "2021-03-10", [("September", "2020-09-01/2020-09-30")]),
    ("for the six months of the campaign", "2021-03-10", []),
    ("detained that same day", "2021-03-10", [("that same day", None)]),
    ("In the same month, they", "2021-03-10", [("the same month", None)]),
    ("Over that period, they", "2021-03-10", [("that period", None)]),
    ("double the figure of the year before", "2021-03-10", [("the year before", None)]),
    # "between" and "earlier" stay outside the entity; the period they give stays
    ("between April and June 2020", "2021-03-10", [("April and June 2020", "2020-04-01/2020-06-30")]),
    ("between May and the end of July", "2021-09-01", [("May and the end of July", "2021-05-01/2021-07-31")]),
    ("between early March and the end of April", "2021-09-01",
     [("early March and the end of April", "2021-03-01/2021-04-30")]),
    ("Earlier this month, police", "2021-03-10", [("this month", "2021-03-01/2021-03-10")]),
    ("Later this year, the law", "2021-03-10", [("this year", "2021-03-10/2021-12-31")]),
    # a part or an edge of a named year needs no publication date; a relative date does
    ("in the first six months of 2010", None, [("the first six months of 2010", "2010-01-01/2010-06-30")]),
    ("in the first half of 2010", None, [("the first half of 2010", "2010-01-01/2010-06-30")]),
    ("at the end of 2019 the", None, [("the end of 2019", "2019-12-31")]),
    ("in the first half", None, [("the first half", None)]),
    # a year ending a title line
    ("Annual Drug Report 2020\nThe report", "2021-03-10", [("2020", "2020-01-01/2020-12-31")]),
    # not dates
    ("At the same time, they", "2021-03-10", []),
    ("in the last weeks of the year", "2021-03-10", []),
    ("on the 12th floor", "2021-03-10", []),
    ("the 3rd batch", "2021-03-10", []),
    ("This may take longer than expected.", "2016-11-07", []),
    ("deliver 2000 pieces of toys", "2019-12-15", []),
    ("Hundred Days Action", "2022-09-01", []),
])
def test_dates(text: str, published, expected) -> None:
    assert dates(text, published) == expected


@pytest.mark.parametrize("text, length", [
    ("over the nine months", "P9M"), ("over the same eleven months", "P11M"), ("in the two years", "P2Y"),
    ("in the same period", None), ("in the 10 days", "P10D"),
])
def test_a_date_referring_back_names_its_length(text: str, length: str | None) -> None:
    """The ISO 8601 length lets attribution find the period referred to ("the nine months" is
    "January to September", not the "July" of a raid told of since)."""
    from pipeline.grammar.en.dates import duration

    (match,) = GRAMMAR.find(text)
    assert duration(match.spec) == length


def test_peer_dates_meet_the_acceptance_bar(nlp) -> None:
    """DATE strict F1 >= 0.60 with each case's reference as published (dateparser gets 0.23)."""
    result = score_peer_dates(nlp, PEER / "dates.jsonl")
    assert result["cases"] == 282
    assert result["f1"] >= 0.60
