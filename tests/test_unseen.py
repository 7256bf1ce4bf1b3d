"""News written for these tests, in phrasings the dev set does not use: the events must be found.

The documents in tests/data/unseen_phrasings.jsonl were written from the style of
Xinhua, China Daily and China News Service reports, after the rules were tuned on
the dev set, to check that they generalise (`expected` lists type, value, unit).
"""

from __future__ import annotations

from collections import Counter

import pytest

import pipeline

from .helpers import DATA, read_jsonl

DOCS = read_jsonl(DATA / "unseen_phrasings.jsonl")


@pytest.mark.parametrize("doc", DOCS, ids=[d["id"] for d in DOCS])
def test_unseen_phrasings(nlp, doc) -> None:
    events = pipeline.extract([doc], nlp)
    found = Counter((r.event_type, float(r.value), r.unit) for r in events.itertuples())
    assert found == Counter((t, float(v), u) for t, v, u in doc["expected"])
