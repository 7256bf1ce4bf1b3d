"""Drug facts only: a figure about another crime or subject is not an event (configs/topic.yml).

The texts are written for these tests, not taken from the gold files; each states
which figures (raw text) must be events and, for the others, why they are not.
"""

from __future__ import annotations

import pytest

import pipeline
from pipeline.rules import DrugsFile, TopicFile, load_rules
from pipeline.topic import NO_DRUG_CUE, DocumentTopic, TopicRules

from .helpers import CONFIGS


def raws(nlp, text: str) -> list[str]:
    return list(pipeline.extract([text], nlp)["raw"])


@pytest.mark.parametrize("text, events", [
    # the item names the drug
    ("Police in Yunnan seized 12 kg of heroin.", ["12 kg"]),
    # an ambiguous drug name counts as the counted item, not as a topic
    ("Customs officers seized 3 kg of ice hidden in a suitcase.", ["3 kg"]),
    # a drug cue elsewhere in the sentence
    ("Anti-narcotics officers in Gansu arrested 14 suspects on Friday.", ["14"]),
    # earlier in the paragraph
    ("Drug squads raided a warehouse in Kunming on Monday. They arrested 12 suspects there.", ["12"]),
    # only the document's lead says drugs
    ("Yunnan police smash heroin ring\n\nPolice in Yunnan arrested 9 suspects, the provincial "
     "public security department said.", ["9"]),
    # another crime in the item, drugs in the sentence: the item decides
    ("Police seized 20 kg of methamphetamine and 3,000 counterfeit handbags.", ["20 kg"]),
    # a word of another subject naming a business is no cue (topic.yml, business_nouns)
    ("Police seized 1.2 tonnes of methamphetamine from a fishing boat.\n\nSeven crew members were detained, "
     "and police arrested four more suspects at a seafood company in Shishi.", ["1.2 tonnes", "Seven", "four"]),
    # ... a crime naming the business still is: the arrests are that crime's
    ("Police in Guangdong seized 3 kg of heroin last month.\n\nIn a separate raid on an illegal gambling "
     "business, police detained 35 suspects.", ["3 kg"]),
    ("Police in Guangdong seized 3 kg of heroin last month.\n\nPolice also arrested 12 members of a telecom "
     "fraud company in Shenzhen.", ["3 kg"]),
])
def test_drug_figures_are_events(nlp, text: str, events: list[str]) -> None:
    assert raws(nlp, text) == events


@pytest.mark.parametrize("text", [
    "Police in Guangdong arrested 300 suspects in a telecom fraud crackdown.",
    "The coast guard seized 400,000 cartons of smuggled cigarettes and detained seven crew members.",
    "Police launched a campaign against gambling, drugs and prostitution.\n\nOfficers arrested 5,000 "
    "suspects and closed 300 gambling dens in the first month.",
    "Police cracked 1.2 million criminal cases of all kinds last year and arrested 800,000 suspects.",
    "Border police arrested 46 people for illegal entry and seized 12 vehicles in Yunnan.",
    "Flood waters forced 40,000 people from their homes in Guangxi, and rescuers found 12 bodies.",
    "Customs officers raided a seafood market and seized 30 tonnes of smuggled seafood.",
])
def test_figures_about_other_things_are_not(nlp, text: str) -> None:
    assert raws(nlp, text) == []


@pytest.mark.parametrize("text, events", [
    pytest.param("Police in Yunnan seized 300 kg of heroin. The drug campaign ran alongside a drive against "
                 "crime, in which police cracked 410,000 criminal cases of all kinds and arrested 520,000 "
                 "suspects.", ["300 kg"], id="the other crime's clause of a mixed sentence"),
    pytest.param("Police in Yunnan seized 300 kg of heroin. While the fraud squad was busy with scams, drug "
                 "police arrested 52 suspects.", ["300 kg", "52"], id="the drug clause of a mixed sentence"),
    pytest.param("Police in Yunnan seized 300 kg of heroin. Drug police, who also handle fraud cases, "
                 "arrested 52 suspects.", ["300 kg", "52"], id="a clause with no cue: the paragraph decides"),
])
def test_a_mixed_sentence_leaves_it_to_the_figures_clause(nlp, text: str, events: list[str]) -> None:
    """A sentence whose cues point both ways: the figure's own clause (between commas and
    `clause_breaks`) decides when its cues point one way."""
    assert raws(nlp, text) == events


def test_a_drug_story_keeps_its_figures_and_drops_another_crimes(nlp) -> None:
    text = ("Police in Yunnan seized 50 kg of heroin in May, the provincial narcotics bureau said. "
            "In the same month they also cracked 30 telecom fraud cases.")
    assert raws(nlp, text) == ["50 kg"]


@pytest.fixture(scope="module")
def topic_rules() -> TopicRules:
    rules = load_rules(CONFIGS)
    return TopicRules(rules.topic, rules.drugs)


def test_cues_match_plurals_and_longest_phrases(topic_rules: TopicRules) -> None:
    cues = topic_rules.read("Drug addicts, casinos and the drug administration")
    assert [(c.text, c.topic) for c in cues] == [
        ("drug addicts", "drug"), ("casinos", "gambling"), ("drug administration", "health")]


def test_a_document_without_a_drug_cue_says_so(topic_rules: TopicRules) -> None:
    text = "Police arrested 300 suspects."
    topic = DocumentTopic(topic_rules.read(text), (0, len(text)))
    assert not topic.has_drug_cue
    assert topic.judge((0, 0), (0, len(text)), (0, len(text)), 16) .cue == NO_DRUG_CUE


def test_anti_drug_campaigns_are_drug_cues(topic_rules: TopicRules) -> None:
    cues = topic_rules.read("During the campaign, police arrested 5 people.", [(11, 19, "Clean Border")])
    assert [(c.text, c.topic) for c in cues] == [("Clean Border", "drug")]
    assert topic_rules.read("x", [(0, 1, "Hundred Days Action")]) == []


def test_topic_file_is_validated() -> None:
    with pytest.raises(ValueError, match="drug_cues"):
        TopicFile.model_validate({"drug_cues": []})
    TopicRules(TopicFile.model_validate({"drug_cues": ["drug"]}), DrugsFile(drugs={}))
