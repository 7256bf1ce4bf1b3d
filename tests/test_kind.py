"""Incident or total (the kind column, configs/events.yml `kind`), on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

import pipeline
from pipeline.kind import KindRules
from pipeline.rules import load_rules

from .helpers import CONFIGS


def kinds(nlp, text: str, published: str | None = "2021-09-01") -> list[tuple[str, str]]:
    frame = pipeline.extract([{"id": "t", "text": text, "published": published}], nlp)
    return list(zip(frame["raw"], frame["kind"].astype(str), strict=True))


@pytest.mark.parametrize("text, expected", [
    # a single case, raid or place near the figure
    ("In a single case, police in Yunnan seized 40 kg of heroin.", [("40 kg", "incident")]),
    ("Officers found 2.3 kg of methamphetamine in his car.", [("2.3 kg", "incident")]),
    # ... but not across a preposition: "the habit in their home communities" names no place of one case
    ("Police in Hubei ordered 2,930 drug users into compulsory isolation and 3,705 to kick the habit in their home "
     "communities.", [("2,930", "total"), ("3,705", "total")]),
    # summing phrases
    ("Police in Yunnan have seized a total of 4 tonnes of drugs.", [("4 tonnes", "total")]),
    # several cases in a quantifier phrase
    ("Police in Gansu seized 83 kg of heroin in a string of cases in early May.", [("83 kg", "total")]),
    ("So far this year, police in Guangxi have arrested 1,200 drug suspects.", [("1,200", "total")]),
    ("Nationwide, police seized 12 tonnes of methamphetamine.", [("12 tonnes", "total")]),
    # the nearest cue wins: a year's figure and one raid inside it
    ("Police in Yunnan seized 5 tonnes of drugs last year, including 600 kg of heroin in a single raid.",
     [("5 tonnes", "total"), ("600 kg", "incident")]),
    # several cases summed
    ("Police cracked 35 drug cases and seized 80 kg of heroin.", [("35", "total"), ("80 kg", "total")]),
    ("Customs seized 900 bottles of codeine syrup in four joint operations in Shenzhen.", [("900", "total")]),
    ("Police arrested 26 drug suspects in raids on three villages.", [("26", "incident")]),
    # a total cue that only weighs one seizure's items is not a cue
    ("Officers in Gansu found 12 packets of heroin with a total weight of 3.1 kg.",
     [("12", "incident"), ("3.1 kg", "incident")]),
    ("Yunnan police seized 40 bricks of heroin, weighing a total of 14 kg.",
     [("40", "incident"), ("14 kg", "incident")]),
    # the period of the sentence: a day, a month named as a date, a range
    ("On March 3, police in Gansu seized 9 kg of heroin.", [("9 kg", "incident")]),
    ("In March, police in Gansu seized 9 kg of heroin from a trafficker.", [("9 kg", "incident")]),
    ("Between January and June, police in Gansu seized 90 kg of heroin.", [("90 kg", "total")]),
    ("From May 1 to May 6, police in Gansu arrested 40 drug suspects.", [("40", "total")]),
    ("Since May, police in Gansu have arrested 400 drug suspects.", [("400", "total")]),
    # a campaign frames a total; a raid's officers are one case's
    ("During the six-month anti-drug campaign, police in Gansu deployed 3,000 officers.", [("3,000", "total")]),
    ("More than 200 officers took part in the raid on a drug lab in Gansu.", [("200", "incident")]),
    # totals by nature
    ("Police in Gansu sent 900 drug users to compulsory isolation.", [("900", "total")]),
    # a ranking is not a sum: total cues after a superlative do not count
    ("Police in Gansu found 310 kg of heroin in a lorry, one of the biggest hauls of recent years.",
     [("310 kg", "incident")]),
    # a campaign is many cases; a month stated for one interception inside it is the case's
    ("Police in Gansu arrested 2,100 smugglers and seized 3 tonnes of drugs in a joint campaign with Laos.",
     [("2,100", "total"), ("3 tonnes", "total")]),
    ("In a continuing crackdown, police in Gansu also intercepted 20 kg of heroin from Laos in July.",
     [("20 kg", "incident")]),
    # "since" meaning "later" starts no period
    ("Police in Gansu seized 2 kg of heroin from a van and the five people in it have since been detained.",
     [("2 kg", "incident"), ("five", "incident")]),
    # two days of raids are not a range of a total
    ("Police in Gansu raided two drug labs on June 3 and 4 and seized 75 kg of methamphetamine.",
     [("two", "incident"), ("75 kg", "incident")]),
    # the months one investigation ran are one case's
    ("The investigation ran from February to April and led police in Gansu to seize 63.5 kg of heroin.",
     [("63.5 kg", "incident")]),
    # a round of a campaign, or of joint operations, is many cases; one joint operation may be one raid
    ("Police from Laos and Gansu seized 2 tonnes of heroin in the second round of the Mekong campaign.",
     [("2 tonnes", "total")]),
    ("Police from Laos and Gansu seized 2 tonnes of heroin in the latest round of joint operations.",
     [("2 tonnes", "total")]),
    ("Police in Gansu seized 30 kg of heroin in a joint operation with customs.", [("30 kg", "incident")]),
    # the months police followed one group are one case's
    ("Between April and August, police in Gansu followed the group across four counties before detaining 14 people "
     "and seizing 30 kg of heroin.", [("14", "incident"), ("30 kg", "incident")]),
    ("Police in Gansu arrested 2,000 drug suspects last year, the provincial anti-drug working group said.",
     [("2,000", "total")]),
    # one seizure's weight "in total" sums its pills, not cases
    ("On March 14, police in Gansu stopped a car and found 250,000 meth pills, weighing 23.44 kg in total, inside it.",
     [("250,000", "incident"), ("23.44 kg", "incident")]),
    # an incident cue's gap crosses no clause word: "this year as meth ring smashed" is this year's
    ("Guangdong drug seizures near 15 tonnes this year as meth ring smashed", [("15 tonnes", "total")]),
    # ... as does a summing word that opens the sentence of its weight
    ("Police in Gansu seized heroin from a fishing boat on May 2. Altogether the haul weighed 718.19 kilograms.",
     [("718.19 kilograms", "incident")]),
    ("Police in Gansu seized heroin from a fishing boat on May 2. In total, the drugs weighed 5 kg.",
     [("5 kg", "incident")]),
])
def test_kind_of_figures(nlp, text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(nlp, text) == expected


def test_a_ranked_haul_in_the_lead_is_no_summary_report(nlp) -> None:
    """"One of the biggest hauls in recent years" ranks one seizure: the lead is a story's,
    and a cue-less figure after it is the seizure's own."""
    story = ("Police net heroin in Gansu lorry\n\nPolice in Gansu have seized 310 kg of heroin, one of the "
             "biggest hauls in the region in recent years.\n\nSix suspects were detained.")
    assert kinds(nlp, story)[-1] == ("Six", "incident")


@pytest.mark.parametrize("text", [
    "Police in Gansu found 310 kg of heroin in a lorry, one of the biggest hauls in the province this year.",
    "Customs officers found 57 kg of cocaine, among the largest cocaine cases handled so far this year, "
    "and six men have since been detained.",
    "Police in Gansu recalled the raid that yielded 146 kg of heroin, still the largest seizure in the province "
    "this year.",
])
def test_the_running_period_a_haul_is_ranked_in_is_not_its_own(nlp, text: str) -> None:
    frame = pipeline.extract([{"id": "t", "text": text, "published": "2021-09-01"}], nlp)
    assert frame["period_start"].isna().all() and set(frame["kind"].astype(str)) == {"incident"}


@pytest.mark.parametrize("text", [
    "Police in Gansu seized a record 3 tonnes of drugs this year.",
    "Police in Gansu recorded the highest number of drug arrests this year: 5,000 suspects were detained.",
    "Gansu seized the most drugs in the country this year, 5.2 tonnes.",
])
def test_a_record_of_the_year_keeps_its_year(nlp, text: str) -> None:
    frame = pipeline.extract([{"id": "t", "text": text, "published": "2024-05-09"}], nlp)
    assert list(frame["period_start"].astype(str)) == ["2024-01-01"] and list(frame["kind"].astype(str)) == ["total"]


def test_a_sentence_dated_by_its_paragraph_takes_that_date_for_its_kind(nlp) -> None:
    """In a summary report, "Eleven people were detained" after "In April, police ... raided a
    workshop" is the raid's figure: the month its paragraph gives it makes it an incident."""
    story = ("Police across China solved 19,800 drug cases in the first half of 2024, the ministry said.\n\n"
             "In April, police in Hubei raided a ketamine workshop and seized 463 kg of ketamine. "
             "Eleven people were detained.")
    assert kinds(nlp, story, published="2024-07-25") == [
        ("19,800", "total"), ("463 kg", "incident"), ("Eleven", "incident")]


@pytest.mark.parametrize("case, after", [
    ("The largest seizure was made at sea, when maritime police stopped a fishing boat off Beihai and "
     "recovered 612 kg of methamphetamine.", "Five crew members were arrested."),
    ("In the biggest case, police in Linyi stopped a refrigerated truck on June 3 and found 146 kg of crystal "
     "meth in boxes of frozen chicken.", "Four suspects were taken into custody."),
])
def test_a_figure_right_after_a_case_is_that_cases(nlp, case: str, after: str) -> None:
    """In a summary report, a cue-less figure in the sentence right after one case's, in its
    paragraph, is that case's (incident); one in a paragraph of its own stays the report's."""
    lead = "Guangxi police seized 3.26 tonnes of drugs in the first half of the year, the department said.\n\n"
    assert kinds(nlp, lead + case + " " + after, published="2024-07-20")[-1][1] == "incident"
    assert kinds(nlp, lead + case + "\n\nOfficers also arrested 2,400 suspects.", published="2024-07-20")[-1] \
        == ("2,400", "total")


@pytest.mark.parametrize("after, raw", [
    ("The case is one of 213 drug smuggling cases handled by Shanghai Customs this year.", "213"),
    ("The raid brings to 104 the number of drug cases handled by the city's police so far this year.", "104"),
    ("The seizure was one of more than 130 cross-border drug cases solved jointly with Vietnamese police.", "130"),
])
def test_the_count_a_case_is_one_of_is_a_total(nlp, after: str, raw: str) -> None:
    """"The case is one of 213 cases": the case's own words (an incident cue) do not make its
    count an incident; the count it belongs to is a total."""
    story = "Shanghai customs officers seized 3 kg of heroin from a container on May 3. " + after
    assert kinds(nlp, story, published="2024-12-20") == [("3 kg", "incident"), (raw, "total")]


@pytest.mark.parametrize("frame", ["Over the whole campaign", "Over the operation", "During the drive"])
def test_a_figure_framed_by_a_campaign_is_a_total(nlp, frame: str) -> None:
    story = f"{frame}, 1,046 drug suspects were taken into custody in Guizhou, according to the department."
    assert kinds(nlp, story, published="2024-12-20") == [("1,046", "total")]


@pytest.mark.parametrize("sentence, kind", [
    ("The bust was among the highlights of a first quarter in which Guangdong police seized more than 4 tonnes "
     "of drugs.", "total"),  # the relative clause tells of the quarter
    ("Last year police in Guangdong cracked a smuggling case in which 40 kg of drugs were seized.", "incident"),
])
def test_a_relative_clause_is_a_clause_of_its_own(nlp, sentence: str, kind: str) -> None:
    """``clause_openers``: the nearest cue to a figure in "... in which ..." decides, not the main clause's."""
    assert kinds(nlp, sentence, published="2018-04-25")[-1][1] == kind


def test_one_of_a_few_people_of_a_raid_is_no_total(nlp) -> None:
    assert kinds(nlp, "Zhang, one of 4 suspects arrested in the drug raid in Yunnan, was a former soldier.") \
        == [("4", "incident")]


def test_a_figure_after_a_case_that_speaks_more_widely_stays_the_reports(nlp) -> None:
    lead = "Guangxi police seized 3.26 tonnes of drugs in the first half of the year, the department said.\n\n"
    case = ("In the biggest case, police in Linyi stopped a refrigerated truck on June 3 and found 146 kg of crystal "
            "meth in boxes of frozen chicken. Police across the region arrested 2,400 drug suspects.")
    assert kinds(nlp, lead + case, published="2024-07-20")[-1] == ("2,400", "total")


def test_a_months_total_gives_its_paragraph_totals(nlp) -> None:
    """A province's monthly figure is a total (the contract), and so are the figures its paragraph
    goes on with."""
    story = ("In April, police across the province solved 640 drug cases. Officers arrested 1,100 suspects "
             "and seized 300 kilograms of drugs.")
    assert kinds(nlp, story, published="2024-07-25") == [
        ("640", "total"), ("1,100", "total"), ("300 kilograms", "total")]


def test_raids_on_two_days_make_no_report_period(nlp) -> None:
    """A lead dated "on May 14 and 15" dates two days of raids: the figures after it that take
    its period are still the raids' own, not totals of a report."""
    story = ("Police smash two meth labs in Gansu\n\nPolice in Gansu raided two drug labs on May 14 and 15 "
             "and seized 340 kg of methamphetamine, provincial police said.\n\nOfficers also detained "
             "17 suspects.")
    assert kinds(nlp, story)[-1] == ("17", "incident")


def test_one_case_dated_this_month_makes_no_report(nlp) -> None:
    """The period a single case's figure states ("this month", "from his car") dates that case:
    the story is no summary report, its later cue-less figures are the case's own."""
    story = ("Gansu police stop heroin courier\n\nPolice in Gansu stopped a trafficker on a highway this "
             "month and recovered 23 kg of heroin from his car, police said.\n\nInside the spare tyre, "
             "officers also found 2,000 methamphetamine pills.")
    assert kinds(nlp, story, "2021-09-20")[-1] == ("2,000", "incident")


def test_a_summary_report_gives_totals_and_a_bust_story_incidents(nlp) -> None:
    report = ("Guangdong drug seizures rise in first half\n\nIn the first half of the year, police in "
              "Guangdong seized 6 tonnes of drugs, the provincial narcotics bureau said.\n\nOfficers "
              "also arrested 2,400 suspects.")
    story = ("Police bust heroin gang in Yunnan\n\nPolice in Yunnan broke up a heroin gang, the provincial "
             "police said.\n\nOfficers arrested 12 suspects.")
    assert kinds(nlp, report)[-1] == ("2,400", "total")
    assert kinds(nlp, story)[-1] == ("12", "incident")


@pytest.fixture(scope="module")
def rules() -> KindRules:
    return KindRules(load_rules(CONFIGS).events.kind)


@pytest.mark.parametrize("period, text, kind", [
    ((date(2021, 3, 3), date(2021, 3, 3)), "March 3", "incident"),
    ((date(2021, 3, 1), date(2021, 3, 31)), "March", "incident"),
    ((date(2021, 3, 1), date(2021, 3, 6)), "March 1 to 6", "total"),
    ((date(2021, 3, 5), date(2021, 3, 6)), "March 5 and 6", "incident"),
    ((date(2021, 1, 1), date(2021, 6, 30)), "the first half", "total"),
    ((date(2021, 5, 1), None), "since May", "total"),
])
def test_period_cues(rules: KindRules, period, text: str, kind: str) -> None:
    verdict = rules.period_cue(period, text)
    assert verdict is not None and verdict.kind == kind


def test_an_end_alone_does_not_decide(rules: KindRules) -> None:
    assert rules.period_cue((None, date(2021, 12, 31)), "By December") is None
    assert rules.period_cue((None, None), None) is None


def test_the_lead_is_read_once_and_only_when_a_figure_needs_it() -> None:
    from pipeline.kind import SummaryDocument

    calls: list[int] = []
    summary = SummaryDocument(False, lambda: calls.append(1) or True)
    assert calls == []  # made for every document with facts, read only at the document step
    assert summary() and summary() and calls == [1]
    assert SummaryDocument(True, lambda: 1 / 0 > 0)()  # a report period decides without the lead


@pytest.mark.parametrize("whole, kind", [
    ("Police across Sichuan solved 412 drug cases and seized 86.3 kilograms of drugs in October.", "total"),
    ("Police in Chengdu raided a flat in October and seized 86.3 kilograms of drugs from a dealer.", "incident"),
    # the whole is the figure of its type before it, not a raid's arrests told in between
    ("Police across Sichuan solved 412 drug cases and seized 86.3 kilograms of drugs in October. In a raid on a "
     "hotel in Chengdu on October 9, police detained 3 suspects.", "total"),
])
def test_a_share_of_a_figure_is_of_its_kind(nlp, whole: str, kind: str) -> None:
    """"Heroin accounted for 31.6 kg of the October haul": a part of the province's monthly total is
    a total too, though a month alone would make an incident; a part of one raid's haul is the raid's."""
    found = dict(kinds(nlp, f"{whole}\n\nHeroin accounted for 31.6 kg of the October haul.", published="2024-11-12"))
    assert found["31.6 kg"] == kind
