"""One run, every language: send each document to the pipeline of its language.

A document's language is its record's ``lang`` field, else the run's ``--lang``, else
detected from its text (``languages.detect``). Documents are piped in chunks, each
chunk split by language and put back in input order, so a mixed corpus keeps its
order and each pipeline still gets batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .errors import Errors
from .languages import AUTO, LanguageError, check_lang, detect
from .reader import Record


class Router:
    """The pipelines of several languages, loaded on first use, and the choice among them."""

    def __init__(self, loaders: Mapping[str, Callable[[], Language]], lang: str = AUTO):
        self.loaders = dict(loaders)
        self.lang = check_lang(lang, self.loaders)
        self._loaded: dict[str, Language] = {}

    @property
    def languages(self) -> list[str]:
        return list(self.loaders)

    def nlp(self, lang: str) -> Language:
        """The pipeline of ``lang`` (loaded once)."""
        nlp = self._loaded.get(lang)
        if nlp is None:
            nlp = self._loaded[lang] = self.loaders[lang]()
        return nlp

    def lang_of(self, record: Record) -> str:
        """The language a record is read in: its ``lang`` field, the run's choice, or detected."""
        if record.lang:
            if record.lang not in self.loaders:
                raise LanguageError(Errors.E107.format(path=record.source or "<input>", line=record.line,
                                                       value=record.lang, expected=", ".join(self.loaders)))
            return record.lang
        if self.lang != AUTO:
            return self.lang
        return detect(record.text, self.loaders)

    def annotate(self, records: Iterable[Record], batch_size: int = 64,
                 make: Callable[[Language, Record], Doc] | None = None) -> Iterator[Doc]:
        """Annotated Docs of ``records``, in their order, each by its language's pipeline."""
        from .annotate import make_doc

        make = make or make_doc
        stream = iter(records)
        while chunk := list(islice(stream, batch_size)):
            langs = [self.lang_of(r) for r in chunk]
            done: dict[int, Doc] = {}
            for lang in dict.fromkeys(langs):
                nlp = self.nlp(lang)
                indices = [i for i, x in enumerate(langs) if x == lang]
                docs = nlp.pipe((make(nlp, chunk[i]) for i in indices), batch_size=batch_size)
                done.update(zip(indices, docs, strict=True))
            for i in range(len(chunk)):
                yield done.pop(i)


def model_loaders(models: Mapping[str, "str | Path"]) -> dict[str, Callable[[], Language]]:
    """A loader per language, from a language -> pipeline folder mapping."""
    from .annotate import load

    return {lang: _loader(load, path) for lang, path in models.items()}


def _loader(load: Callable[..., Language], *args: Any, **kwargs: Any) -> Callable[[], Language]:
    """``load(*args, **kwargs)``, called when the pipeline is first needed."""
    return lambda: load(*args, **kwargs)
