"""``crackdown rules train``: learn rules from annotated documents, and prove they generalise.

From gold documents (docs/event-schema.md format) it learns:
- surface forms of PROVINCE and OPERATION the rules missed, mapped to the gold norm;
- counted nouns and predicates of gold events the rules missed or typed wrongly;
and it measures each rule's precision on the gold, listing rules whose matches are
mostly wrong as removal candidates (they are reported, never dropped).

Learned rules go to their own file under ``configs/learned/``. K-fold
cross-validation (learn on K-1 folds, score the held-out fold) reports whether
they help on documents they were not learned from; learned trigger words that
lower the training score are left out.
"""

from __future__ import annotations

import difflib
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language

from .annotate import annotate
from .build import build_pipeline
from .rules import LEARNED_DIR, RULE_FILES, LearnedFile, RuleSet, load_rules, normalise_operation
from .scoring import GoldDoc, Report, _fold, _value_match, evaluate_docs, match_events
from .shared import SHARED_DIR, shared_dir
from .table import doc_entities

LEARNED_FILE = "learned.yml"
MIN_PREDICTIONS = 3
LOW_PRECISION = 0.5


@dataclass
class FoldScore:
    fold: int
    documents: int
    events_before: float
    events_after: float
    entities_before: float
    entities_after: float


@dataclass
class TrainResult:
    learned: LearnedFile
    folds: list[FoldScore] = field(default_factory=list)

    def mean(self, name: str) -> float:
        values = [getattr(f, name) for f in self.folds]
        return sum(values) / len(values) if values else 0.0


_score = evaluate_docs


def learn(nlp: Language, docs: list[GoldDoc], rules: RuleSet) -> LearnedFile:
    """Rules that would have found what ``nlp`` missed in ``docs`` (not yet checked for harm)."""
    analyser = nlp.get_pipe("events").analyser  # type: ignore[attr-defined]
    provinces: dict[str, list[str]] = defaultdict(list)
    operations: dict[str, list[str]] = defaultdict(list)
    nouns: dict[str, list[str]] = defaultdict(list)
    verbs: dict[str, list[str]] = defaultdict(list)
    entity_hits: dict[str, list[bool]] = defaultdict(list)
    trigger_hits: dict[str, list[bool]] = defaultdict(list)
    suffixes = {s.lower() for forms in rules.provinces.suffixes.values() for s in forms}
    known_ops = {normalise_operation(a, rules.operations.operation_words)
                 for op in rules.operations.operations for a in [op.name] + op.aliases}
    for gold, doc in zip(docs, annotate(nlp, (g.record for g in docs), streaming=False), strict=True):
        predicted = doc_entities(doc)
        found = Counter((e["label"], _fold(e["text"])) for e in predicted)
        expected = Counter((e["label"], _fold(e["text"])) for e in gold.entities)
        for ent in predicted:
            key = (ent["label"], _fold(ent["text"]))
            entity_hits[ent["rule"] or "?"].append(expected[key] > 0)
        for ent in gold.entities:
            key = (ent["label"], _fold(ent["text"]))
            if found[key]:
                found[key] -= 1
                continue
            text = ent["text"].strip('"“” ')
            if ent["label"] == "PROVINCE" and ent.get("norm"):
                provinces[ent["norm"]].append(text)
                words = text.split()
                while len(words) > 1 and words[-1].lower() in suffixes:
                    words.pop()
                if len(words) < len(text.split()):
                    provinces[ent["norm"]].append(" ".join(words))
            elif ent["label"] == "OPERATION" and ent.get("norm") \
                    and normalise_operation(text, rules.operations.operation_words) not in known_ops:
                operations[ent["norm"]].append(text)
        rows = list(doc._.events or [])
        pairs = match_events(gold.events, rows)
        for ri, row in enumerate(rows):
            trigger_hits[str(row.get("trigger", "?")).split(":", 1)[-1]].append(ri in pairs)
        matched = set(pairs.values())
        quantities: dict[tuple[Any, Any], Any] = {(e.start_char, e.end_char): e for e in doc.ents
                                                   if e.label_ == "QUANTITY"}
        for gi, event in enumerate(gold.events):
            if gi in matched:
                continue
            span = quantities.get((event.get("start"), event.get("end"))) or next(
                (e for e in quantities.values() if e.text == event.get("raw")
                 and _value_match(float(e._.value), float(event["value"]))), None)
            rule = rules.events.types.get(event["event_type"])
            if span is None or rule is None:
                continue
            seen = analyser.analyse(doc, span)
            if seen["noun_class"] not in rule.nouns and seen["head"] and "none" not in rule.nouns:
                nouns[rule.nouns[0]].append(_singular(str(seen["head"])))
            else:
                word = seen["before"] or seen["after"]
                if word:
                    verbs[rule.verbs[0]].append(str(word))
    learned = LearnedFile(
        source="crackdown rules train",
        province_aliases=_sorted_lists(provinces),
        operation_aliases=_sorted_lists(operations),
        noun_classes=_new_words(nouns, rules.events.noun_classes),
        verb_classes=_new_words(verbs, rules.events.verb_classes),
        removal_candidates=_low_precision(entity_hits, "entity") + _low_precision(trigger_hits, "trigger"),
    )
    return learned


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _sorted_lists(values: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: sorted(set(items)) for key, items in sorted(values.items()) if items}


def _new_words(found: dict[str, list[str]], existing: dict[str, list[str]]) -> dict[str, list[str]]:
    known = {w.lower() for words in existing.values() for w in words}
    out = {cls: sorted({w for w in words if w.lower() not in known}) for cls, words in sorted(found.items())}
    return {cls: words for cls, words in out.items() if words}


def _low_precision(hits: dict[str, list[bool]], kind: str) -> list[dict[str, Any]]:
    out = []
    for rule, results in sorted(hits.items()):
        if len(results) >= MIN_PREDICTIONS:
            precision = sum(results) / len(results)
            if precision < LOW_PRECISION:
                out.append({"kind": kind, "rule": rule, "predictions": len(results),
                            "precision": round(precision, 3)})
    return out


def _rules_with(rules_dir: Path, learned: LearnedFile | None, tmp: Path) -> Path:
    """A copy of ``rules_dir`` (and the shared vocabularies beside it) with ``learned`` as its
    only learned file."""
    target = tmp / "rules" / rules_dir.name
    if target.parent.exists():
        shutil.rmtree(target.parent)
    target.mkdir(parents=True)
    shutil.copytree(shared_dir(rules_dir), target.parent / SHARED_DIR)
    for name in RULE_FILES + ("config.cfg",):
        shutil.copy(rules_dir / name, target / name)
    if learned is not None:
        (target / LEARNED_DIR).mkdir()
        (target / LEARNED_DIR / LEARNED_FILE).write_text(dump_learned(learned), encoding="utf-8")
    return target


def _build(rules_dir: Path, learned: LearnedFile | None, tmp: Path) -> Language:
    target = _rules_with(rules_dir, learned, tmp)
    return build_pipeline(target / "config.cfg", target)


def _without_harm(rules_dir: Path, docs: list[GoldDoc], learned: LearnedFile, base: Report,
                  tmp: Path) -> LearnedFile:
    """Drop learned trigger words if, with them, the training documents score lower."""
    if not learned.noun_classes and not learned.verb_classes:
        return learned
    trial = _score(_build(rules_dir, learned, tmp), docs)
    if trial.events.f1 >= base.events.f1:
        return learned
    return learned.model_copy(update={"noun_classes": {}, "verb_classes": {}})


def train(gold_docs: list[GoldDoc], rules_dir: "str | Path" = "configs/en", folds: int = 5) -> TrainResult:
    """Cross-validate learning over ``folds`` folds, then learn from all documents."""
    rules_dir = Path(rules_dir)
    rules = load_rules(rules_dir)
    scores = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        base_nlp = _build(rules_dir, None, tmp)
        k = max(2, min(folds, len(gold_docs)))
        for fold in range(k):
            held = [d for i, d in enumerate(gold_docs) if i % k == fold]
            training = [d for i, d in enumerate(gold_docs) if i % k != fold]
            if not held or not training:
                continue
            base_train = _score(base_nlp, training)
            learned = _without_harm(rules_dir, training, learn(base_nlp, training, rules), base_train, tmp)
            before = _score(base_nlp, held)
            after = _score(_build(rules_dir, learned, tmp), held)
            scores.append(FoldScore(fold, len(held), before.events.f1, after.events.f1,
                                    before.entities_micro.f1, after.entities_micro.f1))
        learned = _without_harm(rules_dir, gold_docs, learn(base_nlp, gold_docs, rules),
                                _score(base_nlp, gold_docs), tmp)
    return TrainResult(learned, scores)


def dump_learned(learned: LearnedFile) -> str:
    """The learned rules as a reviewable YAML file (stable order, so diffs are small)."""
    data = learned.model_dump(exclude_defaults=True)
    header = ("# Learned by `crackdown rules train` from annotated documents. Review it like code:\n"
              "# delete what is wrong. `removal_candidates` lists rules that were mostly wrong on the\n"
              "# gold files; nothing is removed automatically.\n")
    return header + yaml.safe_dump(data, sort_keys=True, allow_unicode=True, width=100)


def write_learned(learned: LearnedFile, output: "str | Path", dry_run: bool = False) -> str:
    """Write ``output/learned.yml`` (unless ``dry_run``); return the unified diff."""
    path = Path(output) / LEARNED_FILE
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    new = dump_learned(learned)
    diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                        fromfile=str(path), tofile=str(path)))
    if not dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, encoding="utf-8")
    return diff


def read_gold_files(paths: Sequence["str | Path"]) -> list[GoldDoc]:
    from .scoring import read_gold

    return [doc for path in paths for doc in read_gold(path)]


def of_language(docs: list[GoldDoc], lang: str, languages: Sequence[str]) -> tuple[list[GoldDoc], list[GoldDoc]]:
    """The gold documents in ``lang`` and the others (their `lang` field, else detected by script):
    rules learnt for one language from another's text would be noise, and its scores meaningless."""
    from .languages import detect

    kept: list[GoldDoc] = []
    other: list[GoldDoc] = []
    for doc in docs:
        (kept if (doc.record.lang or detect(doc.record.text, languages)) == lang else other).append(doc)
    return kept, other
