"""spaCy's batch protocol for components that read one document at a time.

``nlp.pipe`` hands a component with a ``pipe`` method the whole stream and lets it take
``batch_size`` documents at a time. Each component then runs over a batch before the
next one starts, instead of every component running over one document before the next
document is read: measured on the bench's synthetic news (64 documents a batch, CPU
time), about a quarter less time, because one component's code and data stay in the
processor's caches. The rows are the same: every component reads and writes one
document only.

A caller that must know which document is in the pipeline (a corpus run times each
one and blames a failure on it) pipes with ``batch_size=1``, which keeps one document
at a time (``annotate.annotate(..., streaming=True)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import minibatch

DEFAULT_BATCH_SIZE = 64


class BatchPipe:
    """Adds ``pipe`` to a component whose ``__call__`` annotates one Doc."""

    def __call__(self, doc: Doc) -> Doc:
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Doc]:
        """Annotate ``docs`` in order, ``batch_size`` at a time (each batch whole, then yielded)."""
        for batch in minibatch(docs, max(1, batch_size)):
            yield from [self(doc) for doc in batch]
