"""Every peer case as its own test: what other projects' suites expect, case by case.

Quantity cases from Recognizers-Text must all pass. Date cases where crackdown
reads differently on purpose (see README, Limitations) or does not yet are listed
with the reason in tests/data/peer/known_date_differences.json and expected to
fail; the list is strict, so a case that starts passing must come off it.
"""

from __future__ import annotations

import json

import pytest

from pipeline.annotate import annotate
from pipeline.scoring import peer_date_case, peer_quantity_case, peer_records

from .helpers import PEER, read_jsonl

QUANTITY_CASES = [c for c in read_jsonl(PEER / "quantities.jsonl") if c["suite"].startswith("recognizers-text")]
DATE_CASES = read_jsonl(PEER / "dates.jsonl")
KNOWN = json.loads((PEER / "known_date_differences.json").read_text())


@pytest.mark.parametrize("case", QUANTITY_CASES, ids=[c["id"] for c in QUANTITY_CASES])
def test_recognizers_text_quantity(nlp, case) -> None:
    doc = next(iter(annotate(nlp, peer_records([case]))))
    result = peer_quantity_case(case, doc)
    assert (result.fp, result.fn) == (0, 0), [(e.text, e._.value, e._.unit) for e in doc.ents]


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN[c["id"]], strict=True))
                                  if c["id"] in KNOWN else c for c in DATE_CASES],
                         ids=[c["id"] for c in DATE_CASES])
def test_peer_date(nlp, case) -> None:
    doc = next(iter(annotate(nlp, peer_records([case]))))
    result = peer_date_case(case, doc)
    assert (result.fp, result.fn) == (0, 0), [(e.text, e._.period_start, e._.period_end) for e in doc.ents]


def test_known_differences_are_real_cases() -> None:
    assert set(KNOWN) <= {c["id"] for c in DATE_CASES}
