"""The gold files as regression tests: the seed article and the dev set, scored as the schema says."""

from __future__ import annotations

import pytest

from pipeline.scoring import ATTRIBUTES, evaluate

from .helpers import GOLD, read_jsonl


def test_seed_every_gold_row_with_its_attributes(nlp) -> None:
    """All 15 seed rows, each with the right provinces, operation, qualifier and period_end."""
    report = evaluate(nlp, [GOLD / "seed.jsonl"])
    assert (report.events.tp, report.events.fn) == (15, 0), report.missed
    for name in ("provinces", "operation", "qualifier", "period_end"):
        assert report.attribute_accuracy(name) == 1.0, report.wrong_attributes
    assert report.entities_micro.f1 >= 0.95, report.entity_errors


def test_dev_set_scores(nlp) -> None:
    """Event F1 and entity micro F1 >= 0.85 on the paraphrased news."""
    report = evaluate(nlp, [GOLD / "news.jsonl"])
    assert report.events.f1 >= 0.85, (report.missed, report.spurious)
    assert report.entities_micro.f1 >= 0.85, report.entity_errors
    for name in ATTRIBUTES:
        assert report.attribute_accuracy(name) >= 0.9, report.wrong_attributes


DOCS = read_jsonl(GOLD / "seed.jsonl") + read_jsonl(GOLD / "news.jsonl")


@pytest.mark.parametrize("doc", DOCS, ids=[d["id"] for d in DOCS])
def test_document_regression(nlp, doc, tmp_path) -> None:
    """Each gold document: the same event rows (type, unit, value, raw) as its gold."""
    path = tmp_path / "one.jsonl"
    import json

    path.write_text(json.dumps(doc) + "\n")
    report = evaluate(nlp, [path])
    assert not report.missed and not report.spurious, (report.missed, report.spurious)
