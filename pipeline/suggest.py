"""``crackdown rules suggest`` and ``rules accept``: mine a corpus for rules, merge them after review.

Suggestions are what the rules half-know: campaign names found by the general
patterns but not in the operations config, words counted by numbers that no
noun class knows, short unknown words right after numbers (units?), and
capitalised names before "province"/"region" that are not in the gazetteer.
Each comes with its frequency and example sentences, as JSON Lines a reviewer
edits (fill in a province code or a noun class, delete what is wrong); ``rules
accept`` then merges the file into ``configs/learned/accepted.yml``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jsonlines
import yaml
from spacy.language import Language

from .annotate import annotate
from .errors import Errors, RulesError
from .reader import Record, iter_inputs
from .rules import LEARNED_DIR, LearnedFile, RuleSet, UnitRule, load_rules

ACCEPTED_FILE = "accepted.yml"
KINDS = ("operation", "place", "counted_noun", "unit")
MAX_EXAMPLES = 3


def suggest(nlp: Language, inputs: Sequence["str | Path"], rules: RuleSet, top: int = 20) -> list[dict[str, Any]]:
    """Candidate rules found in ``inputs``, the ``top`` most frequent of each kind."""
    events = nlp.get_pipe("events")
    analyser, lexicon = events.analyser, events.lexicon  # type: ignore[attr-defined]
    counts: dict[tuple[str, str], int] = Counter()
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    extra: dict[tuple[str, str], dict[str, Any]] = {}
    known_words = set(lexicon._first) | lexicon.aux | lexicon.preps | lexicon.skip | lexicon.qualifier_words
    suffix_words = [s.lower().split() for forms in rules.provinces.suffixes.values() for s in forms]
    suffixes = {words[-1] for words in suffix_words}
    suffix_inner = {w for words in suffix_words for w in words[:-1]}
    stopwords = set(rules.operations.name_stopwords)

    def add(kind: str, text: str, sentence: str, **fields: Any) -> None:
        key = (kind, text)
        counts[key] += 1
        if len(examples[key]) < MAX_EXAMPLES and sentence not in examples[key]:
            examples[key].append(sentence)
        extra.setdefault(key, fields)

    records = (item for item in iter_inputs(inputs) if isinstance(item, Record))
    for doc in annotate(nlp, records, streaming=False):
        province_tokens = {i for e in doc.ents if e.label_ == "PROVINCE" for i in range(e.start, e.end)}
        for ent in doc.ents:
            sentence = ent.sent.text.strip()
            if ent.label_ == "OPERATION" and not str(ent._.rule or "").startswith("operation.alias"):
                add("operation", ent.text, sentence, canonical=ent._.norm)
            elif ent.label_ == "QUANTITY" and ent._.unit == "count":
                nxt = doc[ent.end] if ent.end < len(doc) else None
                if nxt is not None and nxt.is_alpha and nxt.lower_ not in known_words \
                        and not nxt.is_title and len(nxt) <= 4 and nxt.idx == ent.end_char:
                    add("unit", nxt.lower_, sentence, unit=None, factor=None)
                    continue
                seen = analyser.analyse(doc, ent)
                head = str(seen["head"])
                if head and not seen["noun_class"] and head not in known_words and head.isalpha():
                    add("counted_noun", head, sentence, **{"class": None})
        for token in doc:
            if token.lower_ in suffixes and token.i > 0 and token.i - 1 not in province_tokens:
                words: list[str] = []
                j = token.i - 1
                while j >= 0 and doc[j].is_title and j not in province_tokens and len(words) < 3:
                    words.insert(0, doc[j].text)
                    j -= 1
                while words and words[-1].lower() in suffix_inner:
                    words.pop()  # "Foo Autonomous Region" -> "Foo"
                if words and words[0] not in stopwords:
                    add("place", " ".join(words), token.sent.text.strip(), code=None)
    rows = []
    for kind in KINDS:
        ranked = sorted((k for k in counts if k[0] == kind), key=lambda k: (-counts[k], k[1]))
        for key in ranked[:top]:
            rows.append({"kind": kind, "text": key[1], **extra[key], "count": counts[key],
                         "examples": examples[key]})
    return rows


def write_suggestions(rows: Iterable[dict[str, Any]], path: "str | Path") -> None:
    with jsonlines.open(path, "w") as writer:
        writer.write_all(rows)


def accept(path: "str | Path", rules_dir: "str | Path" = "configs/en") -> Path:
    """Merge reviewed suggestions into ``rules_dir/learned/accepted.yml``; return its path.

    Rows with ``"accept": false`` are skipped. A row missing what its kind needs (a
    province ``code``, a noun ``class``, a ``unit`` and ``factor``) is an error naming
    its line; nothing is written unless every row is usable and the merged rules load.
    """
    rules_dir = Path(rules_dir)
    rules = load_rules(rules_dir)
    target = rules_dir / LEARNED_DIR / ACCEPTED_FILE
    current = LearnedFile.model_validate(yaml.safe_load(target.read_text(encoding="utf-8")) or {}) \
        if target.exists() else LearnedFile(source="crackdown rules accept")
    data = current.model_dump()
    problems = []
    with jsonlines.open(path) as reader:
        for line, row in enumerate(reader, start=1):
            problem = _merge_row(row, data, rules)
            if problem:
                problems.append(f"{path} line {line}: {problem}")
    if problems:
        raise RulesError(problems)
    merged = LearnedFile.model_validate(data)
    previous = target.read_text(encoding="utf-8") if target.exists() else None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_dump(merged), encoding="utf-8")
    try:
        load_rules(rules_dir)
    except RulesError:
        if previous is None:
            target.unlink()
        else:
            target.write_text(previous, encoding="utf-8")
        raise
    return target


def _merge_row(row: Any, data: dict[str, Any], rules: RuleSet) -> str | None:
    if not isinstance(row, dict) or row.get("kind") not in KINDS:
        return f"expected an object with 'kind' one of {', '.join(KINDS)}"
    if row.get("accept") is False:
        return None
    text = str(row.get("text") or "").strip()
    if not text:
        return "'text' is empty"
    kind = row["kind"]
    if kind == "operation":
        canonical = row.get("canonical") or text
        data["operation_aliases"].setdefault(canonical, [])
        _add(data["operation_aliases"][canonical], text)
    elif kind == "place":
        code = row.get("code")
        if not code:
            return f"place {text!r} needs its province 'code' (an ISO 3166-2 code such as 'CN-YN')"
        if code not in {p.code for p in rules.provinces.provinces}:
            return Errors.E003.format(path="suggestions", line=0, code=code).split(": ", 1)[-1]
        data["province_aliases"].setdefault(code, [])
        _add(data["province_aliases"][code], text)
    elif kind == "counted_noun":
        cls = row.get("class")
        if cls not in rules.events.noun_classes:
            return (f"counted noun {text!r} needs a 'class', one of "
                    f"{', '.join(rules.events.noun_classes)} (got {cls!r})")
        data["noun_classes"].setdefault(cls, [])
        _add(data["noun_classes"][cls], text)
    elif kind == "unit":
        try:
            unit = UnitRule.model_validate({"unit": row.get("unit"), "factor": row.get("factor"), "forms": [text]})
        except ValueError:
            return f"unit {text!r} needs 'unit' (kg, l or percent) and a positive 'factor'"
        data["units"].append(unit.model_dump())
    return None


def _add(values: list[str], text: str) -> None:
    if text not in values:
        values.append(text)


def _dump(learned: LearnedFile) -> str:
    header = "# Suggestions accepted with `crackdown rules accept` after review.\n"
    return header + yaml.safe_dump(learned.model_dump(exclude_defaults=True), sort_keys=True,
                                   allow_unicode=True, width=100)


__all__ = ["accept", "suggest", "write_suggestions"]
