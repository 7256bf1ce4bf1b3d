"""Each component on spacy.blank("en"), and the to_disk -> spacy.load round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from pipeline.errors import ModelError

from .helpers import CONFIGS


def blank_with(*names: str) -> spacy.language.Language:
    import pipeline.components  # noqa: F401

    nlp = spacy.blank("en")
    for name in names:
        nlp.add_pipe(name)
    return nlp


def test_paragraphs_start_sentences() -> None:
    nlp = blank_with("crackdown_segmenter")
    doc = nlp("Headline without a stop\n\nFirst sentence. Second one.\n\nLast paragraph")
    assert [p.text for p in doc.spans["paragraph"]] == [
        "Headline without a stop", "First sentence. Second one.", "Last paragraph"]
    assert [s.text.strip() for s in doc.sents] == [
        "Headline without a stop", "First sentence.", "Second one.", "Last paragraph"]


@pytest.mark.parametrize("text, sentences", [
    ("URUMQI, Feb. 14 (Xinhua) -- More than two tonnes were seized.", 1),
    ("The U.S. and China agreed. Police said so.", 2),
    ('He said "ice," the drug, was found. It was 5 kg.', 2),
    ('Police seized it. "We will continue," he said.', 2),
    ("Seized 5 kg. then more", 1),
    ("Is it? Yes! It is.", 3),
    ("", 0),
    ("   \n\n  ", 0),
    # the lines of a list inside a paragraph are sentences: after a line ending in a colon, or opened
    # by a bullet; hard-wrapped prose is not cut at its line breaks
    ("Intro.\n\nThe raids in numbers:\ncases uncovered - 20\nsuspects arrested - 23\n\nEnd.", 5),
    ("Intro.\n\nOfficers found\n- 2 kg of heroin\n- 3 kg of ice\n\nEnd.", 5),
    ("Intro.\n\nOfficers in the province seized\nmore than 20 kg of heroin\nin the raid.\n\nEnd.", 3),
    # ... nor prose wrapped after a line ending in a colon (a quotation, a long line, a number opening a line)
    ("Intro.\n\nThe spokesman said:\n\"Officers have seized\n20 kg of heroin.\"\n\nEnd.", 3),
    ("Intro.\n\nThe report noted:\nPolice in Guangdong this year seized a record 3.1 tonnes of heroin\nin raids.", 2),
    ("Intro.\n\nThe report noted:\nPolice seized heroin and detained\n4,500 suspects.", 2),
])
def test_sentences(text: str, sentences: int) -> None:
    nlp = blank_with("crackdown_segmenter")
    doc = nlp(text)
    assert len([s for s in doc.sents if s.text.strip()] if len(doc) else []) == sentences


def test_one_line_per_paragraph() -> None:
    nlp = blank_with("crackdown_segmenter")
    doc = nlp("Line one\nLine two\nLine three")
    assert len(doc.spans["paragraph"]) == 3


def test_quantity_component_on_blank() -> None:
    nlp = blank_with("crackdown_quantities")
    nlp.get_pipe("crackdown_quantities").initialize(rules_dir=str(CONFIGS))
    doc = nlp("Police seized more than 94kg of opium and 1.2 million yuan.")
    spans = doc.spans["quantity"]
    assert [(s.text, s._.value, s._.unit, s._.qualifier) for s in spans] == [
        ("94kg", 94.0, "kg", "more_than"), ("1.2 million yuan", 1_200_000.0, "CNY", "exact")]


def test_date_component_uses_published() -> None:
    nlp = blank_with("crackdown_dates")
    nlp.get_pipe("crackdown_dates").initialize(rules_dir=str(CONFIGS))
    doc = nlp.make_doc("As of July 31, police had seized it.")
    doc._.published = "2022-09-01"
    doc = nlp(doc)
    span = doc.spans["date"][0]
    assert (span.text, span._.period_start, span._.period_end, span._.date_mod) == (
        "July 31", None, "2022-07-31", "as_of")


def test_operation_component_on_blank() -> None:
    nlp = blank_with("crackdown_operations")
    nlp.get_pipe("crackdown_operations").initialize(rules_dir=str(CONFIGS))
    doc = nlp('Police deepened the "clean border" operation.')
    assert [(s.text, s._.norm) for s in doc.spans["operation"]] == [("clean border", "Clean Border")]


def test_uninitialised_component_says_how_to_fix() -> None:
    nlp = blank_with("crackdown_quantities")
    with pytest.raises(ModelError, match=r"\[E011\].*crackdown rules build"):
        nlp("5 kg")


def test_round_trip_keeps_every_rule(model_dir: Path, nlp, tmp_path: Path) -> None:
    """spacy.load of the built pipeline has the same rules as configs/, and saves them again unchanged."""
    from pipeline.rules import load_rules

    rules = load_rules(CONFIGS)
    ruler = nlp.get_pipe("provinces")
    assert {p["id"] for p in ruler.patterns} == {p.code for p in rules.provinces.provinces}
    saved = json.loads((model_dir / "events" / "rules.json").read_text())
    assert saved["events"] == rules.events.model_dump(mode="json")
    assert saved["rules_hash"] == rules.hash
    nlp.to_disk(tmp_path / "again")
    for path in sorted(model_dir.rglob("*")):
        # the string store grows with every text processed; the rules must not change
        if path.is_file() and "vocab" not in path.parts:
            assert (tmp_path / "again" / path.relative_to(model_dir)).read_bytes() == path.read_bytes(), path


def test_fresh_process_loads_without_the_package_imported(model_dir: Path) -> None:
    """The entry points let spacy.load find the factories in a new interpreter."""
    import subprocess
    import sys

    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); "
            "doc = nlp('Police in Yunnan Province seized 94kg of opium.'); "
            "print(doc._.events[0]['event_type'], doc._.events[0]['provinces'])")
    result = subprocess.run([sys.executable, "-c", code, str(model_dir)], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "drug_seizure ['CN-YN']"


@pytest.mark.parametrize("text, ents", [
    # a sum of money holds the place its currency is named after
    ("fined 30 million Hong Kong dollars in 2019", [("30 million Hong Kong dollars", "QUANTITY"), ("2019", "DATE")]),
    ("paid 5,000 Macau patacas", [("5,000 Macau patacas", "QUANTITY")]),
    ("Hong Kong police seized 3 kg", [("Hong Kong", "PROVINCE"), ("3 kg", "QUANTITY")]),
    ("a HK$2 million fine in Hong Kong", [("HK$2 million", "QUANTITY"), ("Hong Kong", "PROVINCE")]),
    # a province name before a word of the filter's list names another thing (config.cfg)
    ("ships in the Taiwan Strait and off Fujian", [("Fujian", "PROVINCE")]),
    ("across the Taiwan straits. Taiwan police", [("Taiwan", "PROVINCE")]),
    ("a report to Hong Kong Island police", [("Hong Kong", "PROVINCE")]),
    # an operation holds the year and round number of its name
    ("in the 'Clean Net 2021' campaign", [("Clean Net 2021", "OPERATION")]),
    ("held in Operation Thunderbolt 18 included", [("Operation Thunderbolt 18", "OPERATION")]),
])
def test_entities_resolve_overlaps(nlp, text: str, ents) -> None:
    assert [(e.text, e.label_) for e in nlp(text).ents] == ents


def _ent_columns(doc) -> list[list[int]]:
    from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE
    return doc.to_array([ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]).tolist()


@pytest.mark.parametrize("gold", ["news.jsonl", "news2.jsonl", "offtopic.jsonl"])
def test_entities_annotate_tokens_as_set_ents(nlp, gold: str) -> None:
    """The resolver's fast entity setting leaves every token as ``doc.set_ents`` would."""
    from pipeline.components.entities import set_entities
    records = [json.loads(line) for line in (Path("data/gold") / gold).read_text(encoding="utf-8").splitlines()]
    for record in records:
        doc = nlp(record["text"])
        ents = list(doc.ents)
        assert ents
        doc.set_ents(ents)  # spaCy's own way, the reference
        expected = _ent_columns(doc)
        doc.set_ents([], default="missing")  # wipe, then set the fast way
        set_entities(doc, ents)
        assert _ent_columns(doc) == expected
        def spans(found):
            return [(e.start, e.end, e.label_, e.id_) for e in found]
        assert spans(doc.ents) == spans(ents)


def test_entities_on_an_empty_doc(nlp) -> None:
    assert list(nlp("").ents) == []
