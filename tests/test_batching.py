"""Documents through the pipeline one at a time (streaming) or a batch per component.

A corpus run times each document and blames a failure on the one in the pipeline, so
``annotate`` reads the next record only once the document before is done. Other callers
let each component take a batch (``components.batching``), which is faster; the rows are
the same (``test_snapshot.py`` checks both ways against the snapshot).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.annotate import annotate, extract
from pipeline.components.batching import BatchPipe
from pipeline.reader import Record

TEXT = "Police in Yunnan seized {n} kg of heroin in March 2019."


def _read_ahead(nlp: Language, count: int, **options: object) -> list[int]:
    """For each Doc annotate yields, how many records it had read by then."""
    read = [0]

    def feed() -> Iterator[Record]:
        for n in range(count):
            read[0] += 1
            yield Record(f"d{n}", TEXT.format(n=n + 1), None)

    return [read[0] for _ in annotate(nlp, feed(), **options)]  # type: ignore[arg-type]


def test_streaming_reads_a_record_only_when_the_document_before_is_done(nlp: Language) -> None:
    assert _read_ahead(nlp, 5, batch_size=4) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("batch_size, expected", [(4, [4, 4, 4, 4, 6, 6]), (1, [1, 2, 3, 4, 5, 6]),
                                                  (64, [6] * 6)])
def test_batched_components_take_batch_size_documents_at_a_time(nlp: Language, batch_size: int,
                                                                  expected: list[int]) -> None:
    assert _read_ahead(nlp, 6, batch_size=batch_size, streaming=False) == expected


class _Recorder(BatchPipe):
    """A component that notes the order it sees documents in."""

    def __init__(self, name: str, seen: list[tuple[str, str]]):
        self.name, self.seen = name, seen

    def __call__(self, doc: Doc) -> Doc:
        self.seen.append((self.name, doc.text))
        return doc


def test_each_component_runs_over_a_batch_before_the_next_one(nlp: Language) -> None:
    seen: list[tuple[str, str]] = []
    first, second = _Recorder("first", seen), _Recorder("second", seen)
    texts = ["a", "b", "c"]
    docs = list(second.pipe(first.pipe((nlp.make_doc(t) for t in texts), batch_size=2), batch_size=2))
    assert [d.text for d in docs] == texts
    assert seen == [("first", "a"), ("first", "b"), ("second", "a"), ("second", "b"),
                    ("first", "c"), ("second", "c")]


def test_extract_gives_the_same_rows_as_streaming(nlp: Language) -> None:
    records = [{"id": f"d{n}", "text": TEXT.format(n=n + 1)} for n in range(5)]
    streamed = [row["value"] for doc in annotate(nlp, [Record(r["id"], r["text"], None) for r in records])
                for row in doc._.events]
    assert extract(records, nlp)["value"].tolist() == streamed == [1.0, 2.0, 3.0, 4.0, 5.0]


class _Failing(BatchPipe):
    """A component that raises on the text "bad"."""

    name = "failing"

    def __call__(self, doc: Doc) -> Doc:
        if doc.text == "bad":
            raise ValueError("bad document")
        return doc


def test_a_document_that_raises_is_raised_by_default(nlp: Language) -> None:
    with pytest.raises(ValueError, match="bad document"):
        list(_Failing().pipe((nlp.make_doc(t) for t in ["a", "bad", "c"]), batch_size=2))


def test_a_document_that_raises_goes_to_the_error_handler_and_is_left_out(nlp: Language) -> None:
    seen: list[tuple[str, list[str], str]] = []
    component = _Failing()
    component.set_error_handler(lambda name, proc, docs, exc: seen.append((name, [d.text for d in docs], str(exc))))
    docs = list(component.pipe((nlp.make_doc(t) for t in ["a", "bad", "c"]), batch_size=2))
    assert [d.text for d in docs] == ["a", "c"]
    assert seen == [("failing", ["bad"], "bad document")]
