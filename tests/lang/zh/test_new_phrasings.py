"""Chinese news written for the pipeline after it was built, in phrasings the gold does not use.

tests/lang/zh/data/new_phrasings.jsonl: monthly and annual provincial reports, a
customs seizure and a border case, two of them in traditional characters (廣東, 繳獲,
噸, 「雷霆」). ``expected`` lists each event's type, value and unit; "一起" (one case)
is the article, not a count, as the contract's QUANTITY rules say.
"""

from __future__ import annotations

from collections import Counter

import pytest
from spacy.language import Language

import pipeline

from ...helpers import read_jsonl
from .conftest import HERE

DOCS = read_jsonl(HERE / "data" / "new_phrasings.jsonl")


@pytest.mark.parametrize("doc", DOCS, ids=[d["id"] for d in DOCS])
def test_new_phrasings(zh_nlp: Language, doc: dict) -> None:
    events = pipeline.extract([doc], zh_nlp)
    found = Counter((r.event_type, round(float(r.value), 3), r.unit) for r in events.itertuples())
    assert found == Counter((t, round(float(v), 3), u) for t, v, u in doc["expected"])
