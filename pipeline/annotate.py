"""Load the built pipeline and run it over records: the annotate step of the data flow."""

from __future__ import annotations

import gc
import os
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd
import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc

from . import components  # noqa: F401  (registers the factories)
from .components.facts import fact_rules_of
from .errors import Errors, InputError, ModelError, StaleModelWarning, Warnings
from .extensions import TEXT_KEY, set_doc_values
from .fields import SAMPLE_ROWS, check_fields
from .languages import AUTO, DEFAULT_LANG, built, check_lang, configured, model_name
from .reader import ReadOptions, Record, records_from
from .routing import Router, _loader
from .rules import files_hash
from .table import entities_table, events_table

MODEL_ENV = "CRACKDOWN_MODEL"
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "crackdown"
DEFAULT_BATCH_SIZE = 256  # documents each component takes at a time in process (README Performance)


def model_path(path: "str | Path | None" = None, lang: str = DEFAULT_LANG) -> Path:
    """Where the pipeline is: ``path``, else (English) $CRACKDOWN_MODEL, else the repository's
    models/crackdown (models/crackdown-<lang> for another language)."""
    if path:
        return Path(path)
    if lang == DEFAULT_LANG:
        return Path(os.environ.get(MODEL_ENV) or DEFAULT_MODEL)
    return DEFAULT_MODEL.parent / model_name(lang)


def load(path: "str | Path | None" = None, *, lang: str = DEFAULT_LANG, rebuild: bool = False) -> Language:
    """Load the built pipeline with ``spacy.load`` (see ``model_path`` for the default).

    The repository's own model is checked against ``configs/<lang>/`` first (``check_model``):
    built from other rules, it is rebuilt with ``rebuild``, else loaded with a warning.
    """
    location = check_model(path, rebuild=rebuild, lang=lang)
    if not (location / "config.cfg").exists():
        if path is None and lang != DEFAULT_LANG:
            raise ModelError(Errors.E106.format(lang=lang, path=location))
        raise ModelError(Errors.E010.format(path=location))
    return spacy.load(location)


def freeze_imports() -> None:
    """In a process crackdown owns (the ``crackdown`` command, a corpus run's workers), move
    every object alive (``gc.freeze``) out of the cyclic garbage collector's full passes.

    They are mostly the imported modules' functions, classes and descriptors (some 125,000
    with spaCy, pandas and pydantic), alive as long as the process; each full collection
    walked them all again, about 5% of annotating. Frozen objects are still freed by
    reference counting: only a reference cycle alive now is never collected, which is why
    ``load`` does not do it in a caller's process (a notebook's data). Nothing is frozen
    again once something is.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()


def pipelines(lang: str = AUTO, model: "str | Path | None" = None, *, rebuild: bool = False) -> "Language | Router":
    """What reads documents: the pipeline at ``model`` when given (every document goes to it),
    else a Router over the repository's pipelines that sends each document to its language's
    (``lang``: ``auto`` detects it per document, or reads its ``lang`` field)."""
    if model is not None or (os.environ.get(MODEL_ENV) and lang in (AUTO, DEFAULT_LANG)):
        return load(model, rebuild=rebuild)
    found = built(DEFAULT_MODEL.parent)
    found[DEFAULT_LANG] = DEFAULT_MODEL
    if lang != AUTO:
        check_lang(lang, set(found) | set(configured()), allow_auto=False)
        return load(lang=lang, rebuild=rebuild)
    return Router({code: _loader(load, lang=code, rebuild=rebuild) for code in found}, AUTO)


def check_model(path: "str | Path | None" = None, *, rebuild: bool = False, lang: str = DEFAULT_LANG) -> Path:
    """Where the pipeline is, after warning (W010) or rebuilding when it is stale.

    Only the default location (no path, no $CRACKDOWN_MODEL) in a checkout is checked:
    a pipeline anywhere else has no ``configs/`` beside it to compare with.
    """
    location = model_path(path, lang)
    rules = DEFAULT_MODEL.parent.parent / "configs" / lang
    if path is not None or (lang == DEFAULT_LANG and os.environ.get(MODEL_ENV)) \
            or not (rules / "config.cfg").exists():
        return location
    built, current = built_rules_hash(location), files_hash(rules)
    if built is None or built == current:
        return location
    if rebuild:
        from .build import build_pipeline

        build_pipeline(rules / "config.cfg", rules, location)
    else:
        warnings.warn(Warnings.W010.format(path=location, rules=rules, built=built[:12], current=current[:12]),
                      StaleModelWarning, stacklevel=2)
    return location


def built_rules_hash(location: Path) -> str | None:
    """The rules hash a built pipeline records in its meta.json (None if there is none)."""
    meta = location / "meta.json"
    if not meta.exists():
        return None
    value = srsly.read_json(meta).get("rules_hash")
    return str(value) if value else None


def make_doc(nlp: Language, record: Record) -> Doc:
    """A Doc for a record, carrying its id and published date for the components."""
    doc = nlp.make_doc(record.text)
    doc.user_data[TEXT_KEY] = record.text  # the tokenizer keeps the text: no need to rebuild it
    set_doc_values(doc, {"doc_id": record.doc_id, "published": record.published})
    return doc


def annotate(nlp: "Language | Router", records: Iterable[Record],
             batch_size: int = DEFAULT_BATCH_SIZE, *, streaming: bool = True) -> Iterator[Doc]:
    """Run the pipeline over records (``nlp.pipe``), in order; a Router sends each record to
    its language's pipeline.

    ``streaming``: each document goes through the whole pipeline before the next record is
    read, so a caller knows which document is in it (a corpus run times each one and blames
    a failure on it). Without it, each component takes ``batch_size`` documents at a time
    (``components.batching``): the same Docs, for about a quarter less time. A Router reads
    one record at a time when streaming, else ``batch_size``, which its pipelines take as one
    batch.
    """
    if isinstance(nlp, Router):
        yield from nlp.annotate(records, 1 if streaming else batch_size)
        return
    docs = (make_doc(nlp, record) for record in records)
    yield from nlp.pipe(docs, batch_size=1 if streaming else batch_size)


# What extract() takes: one text or record, an iterable of them, or a DataFrame of records.
Items: TypeAlias = "str | Mapping[str, Any] | pd.DataFrame | Iterable[Any]"


def not_events(nlp: "Language | Router", doc: Doc) -> dict[int, str]:
    """Why each quantity of an annotated ``doc`` is not an event, by its start offset."""
    from .components.events import EventBuilder

    if isinstance(nlp, Router):
        nlp = nlp.nlp(doc.lang_)
    for _, component in nlp.pipeline:
        if isinstance(component, EventBuilder) and component.assembler is not None:
            return component.assembler.explain(doc)
    return {}


def extract(items: Items, nlp: "Language | Router | None" = None, *, text_field: str = "text",
            id_field: str = "id", date_field: str = "published", lang: str = AUTO) -> pd.DataFrame:
    """The event table of documents: a text, a record, an iterable of them, or a DataFrame.

    Records are dicts with the text, an id and an optional published date, under the
    field names given (as ``crackdown run --text-field`` etc.); a DataFrame's rows are
    records, ids defaulting to its index. An empty input gives an empty frame with the
    same columns and dtypes. Without ``nlp``, each document goes to the pipeline of its
    language (``lang``: ``auto`` detects it, or reads a record's ``lang`` field; or one code).
    Mentions of one figure share a ``fact_id`` across the documents given, as in a corpus run.
    """
    nlp = nlp or pipelines(lang)
    records = as_records(items, ReadOptions(text_field, id_field, date_field))
    events = events_table(annotate(nlp, records, streaming=False))
    rules = fact_rules_of(nlp)
    if rules is not None and len(events):
        from .factindex import merge_events

        events, _ = merge_events(events, rules)
    return events


def extract_entities(items: Items, nlp: "Language | Router | None" = None, *, text_field: str = "text",
                     id_field: str = "id", date_field: str = "published", lang: str = AUTO) -> pd.DataFrame:
    """The entity table of documents (the inputs ``extract`` takes)."""
    nlp = nlp or pipelines(lang)
    records = as_records(items, ReadOptions(text_field, id_field, date_field))
    return entities_table(annotate(nlp, records, streaming=False))


def as_records(items: Any, options: ReadOptions | None = None) -> Iterator[Record]:
    """Records from what a Python caller passes: one text or record is one document; a
    DataFrame's columns are checked first (E090 names the missing one and guesses)."""
    options = options or ReadOptions()
    if isinstance(items, (str, Mapping)):
        items = [items]
    elif isinstance(items, pd.DataFrame):
        sample = _frame_rows(items.head(SAMPLE_ROWS), options)
        check_fields(list(items.columns), list(sample), options, "<DataFrame>", api=True)
        items = _frame_rows(items, options)
    elif not isinstance(items, Iterable) or isinstance(items, bytes):
        raise InputError(Errors.E098.format(kind=type(items).__name__), path="<input>")
    return records_from(items, options)


def _frame_rows(frame: pd.DataFrame, options: ReadOptions, chunk: int = 1024) -> Iterator[dict[str, Any]]:
    """A DataFrame's rows as dicts, missing values as None, the index as the id when there
    is no id column; a chunk at a time, so a big frame is not copied whole."""
    with_index = options.id_field not in frame.columns
    for first in range(0, len(frame), chunk):
        part = frame.iloc[first:first + chunk]
        for label, row in zip(part.index, part.to_dict("records"), strict=True):
            record = {key: None if _missing(value) else value for key, value in row.items()}
            if with_index:
                record[options.id_field] = str(label)
            yield record


def _missing(value: Any) -> bool:
    return pd.api.types.is_scalar(value) and not isinstance(value, str) and bool(pd.isna(value))
