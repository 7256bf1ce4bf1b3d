"""Score extraction against gold files (docs/event-schema.md) and against the peer suites.

Entities: a predicted span counts when its label matches and its text matches a
gold entity's text (whitespace folded), each gold entity matched once.
Events: a predicted row matches a gold row when event_type, unit and value (to
0.1 % relative) agree, each gold row matched once. Attributes are scored over
matched rows: provinces (as a set), operation, qualifier, drug, period_end, kind.
Documents with no gold event count the false event rows predicted for them.
Facts, in a file whose gold events have ``fact`` keys: pairwise precision, recall and
F1 of "these two mentions are one fact" over the matched rows, with the number of facts;
and the same for the merging alone, given the gold rows (the oracle: a merge error,
not an extraction error).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from spacy.language import Language

from .annotate import annotate
from .components.facts import fact_rules_of
from .errors import Errors, InputError
from .reader import Failure, ReadOptions, Record, read_jsonl
from .rules import FactsFile
from .schema import LABELS
from .table import doc_entities, doc_events

ATTRIBUTES = ("provinces", "operation", "qualifier", "drug", "period_end", "kind")
VALUE_TOLERANCE = 0.001


@dataclass
class PRF:
    """Counts and precision, recall, F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def pair_counts(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> PRF:
    """Pairwise counts of "same cluster" between two labellings of the same items: a pair
    both put together is a true positive, one only ``predicted`` puts together a false one."""
    both = sum(n * (n - 1) // 2 for n in Counter(zip(gold, predicted, strict=True)).values())
    in_gold = sum(n * (n - 1) // 2 for n in Counter(gold).values())
    in_predicted = sum(n * (n - 1) // 2 for n in Counter(predicted).values())
    return PRF(both, in_predicted - both, in_gold - both)


@dataclass
class FactScore:
    """Facts of one gold file: pairwise "same fact" over matched mentions, and fact counts."""

    pairs: PRF = field(default_factory=PRF)
    predicted_facts: int = 0  # distinct facts of all predicted rows
    predicted_facts_matched: int = 0  # ... of the predicted rows that match a gold row
    gold_facts: int = 0  # distinct facts of all gold rows
    gold_facts_matched: int = 0  # ... of the gold rows a predicted row matches
    oracle_pairs: PRF = field(default_factory=PRF)  # the merging given the gold rows
    oracle_facts: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: "FactScore") -> None:
        self.pairs.add(other.pairs)
        self.oracle_pairs.add(other.oracle_pairs)
        for name in ("predicted_facts", "predicted_facts_matched", "gold_facts", "gold_facts_matched",
                     "oracle_facts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    def to_dict(self) -> dict[str, Any]:
        return {"pairwise": self.pairs.to_dict(), "predicted_facts": self.predicted_facts,
                "predicted_facts_matched": self.predicted_facts_matched, "gold_facts": self.gold_facts,
                "gold_facts_matched": self.gold_facts_matched,
                "oracle": {"pairwise": self.oracle_pairs.to_dict(), "facts": self.oracle_facts},
                "errors": self.errors}


@dataclass
class GoldDoc:
    """A gold-annotated document."""

    record: Record
    entities: list[dict[str, Any]]
    events: list[dict[str, Any]]


@dataclass
class Report:
    """Everything ``crackdown evaluate`` reports."""

    documents: int = 0
    entities: dict[str, PRF] = field(default_factory=lambda: {label: PRF() for label in LABELS})
    events: PRF = field(default_factory=PRF)
    events_by_type: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    attributes: dict[str, list[int]] = field(default_factory=lambda: {a: [0, 0] for a in ATTRIBUTES})
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)
    wrong_attributes: list[dict[str, Any]] = field(default_factory=list)
    entity_errors: list[dict[str, Any]] = field(default_factory=list)
    offtopic_documents: int = 0  # documents with no gold event
    offtopic_rows: int = 0  # event rows predicted for them (all false)
    facts: dict[str, FactScore] = field(default_factory=dict)  # by gold file, those with fact keys

    @property
    def entities_micro(self) -> PRF:
        total = PRF()
        for prf in self.entities.values():
            total.add(prf)
        return total

    def attribute_accuracy(self, name: str) -> float:
        right, total = self.attributes[name]
        return right / total if total else 0.0

    @property
    def offtopic_rate(self) -> float | None:
        """False event rows per document with no gold event (None when there is none)."""
        return self.offtopic_rows / self.offtopic_documents if self.offtopic_documents else None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "documents": self.documents,
            "entities": {label: prf.to_dict() for label, prf in self.entities.items()},
            "entities_micro": self.entities_micro.to_dict(),
            "events": self.events.to_dict(),
            "events_by_type": {t: prf.to_dict() for t, prf in sorted(self.events_by_type.items())},
            "attributes": {a: {"correct": c, "total": t, "accuracy": round(c / t, 4) if t else None}
                           for a, (c, t) in self.attributes.items()},
            "missed": self.missed,
            "spurious": self.spurious,
            "wrong_attributes": self.wrong_attributes,
            "entity_errors": self.entity_errors,
        }
        if self.offtopic_documents:
            out["offtopic"] = {"documents": self.offtopic_documents, "false_rows": self.offtopic_rows,
                               "per_document": round(self.offtopic_rows / self.offtopic_documents, 4)}
        if self.facts:
            out["facts"] = {**self.facts_total.to_dict(),
                            "files": {path: score.to_dict() for path, score in self.facts.items()}}
        return out

    @property
    def facts_total(self) -> FactScore:
        """The fact scores of every file together (pairs never span two files)."""
        total = FactScore()
        for score in self.facts.values():
            total.add(score)
        return total


def read_gold(path: "str | Path") -> list[GoldDoc]:
    """Gold documents of a JSON Lines file; a malformed one raises InputError (file and line)."""
    docs = []
    for item, obj in _gold_lines(Path(path)):
        if isinstance(item, Failure):
            raise InputError(item.message, path=item.source, line=item.line, record=item.record)
        for key in ("entities", "events"):
            if not isinstance(obj.get(key), list):
                raise InputError(Errors.E050.format(path=path, line=item.line, field=key),
                                 path=str(path), line=item.line)
        docs.append(GoldDoc(item, obj["entities"], obj["events"]))
    return docs


def _gold_lines(path: Path) -> Iterable[tuple[Any, dict[str, Any]]]:
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    for item in read_jsonl(path, ReadOptions()):
        obj = json.loads(raw_lines[item.line - 1]) if isinstance(item, Record) else {}
        yield item, obj


def _fold(text: str) -> str:
    return " ".join(str(text).split())


def _value_match(a: float, b: float) -> bool:
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(b), 1e-9)


def evaluate(nlp: Language, gold_paths: Sequence["str | Path"]) -> Report:
    """Run the pipeline over gold files and score it (facts file by file, with the merge
    rules saved in the pipeline)."""
    report = Report()
    rules = fact_rules_of(nlp)
    for path in gold_paths:
        gold = read_gold(path)
        predicted = _evaluate_into(report, nlp, gold)
        if rules is not None and any("fact" in e for g in gold for e in g.events):
            report.facts[str(path)] = score_facts(gold, predicted, rules)
    return report


def evaluate_docs(nlp: Language, gold: Sequence[GoldDoc]) -> Report:
    """Run the pipeline over gold documents and score it."""
    report = Report()
    _evaluate_into(report, nlp, gold)
    return report


def _evaluate_into(report: Report, nlp: Language, gold: Sequence[GoldDoc]) -> list[list[dict[str, Any]]]:
    """Score the gold documents into ``report``; return each document's predicted event rows."""
    predicted = []
    for g, doc in zip(gold, annotate(nlp, (g.record for g in gold), streaming=False), strict=True):
        report.documents += 1
        rows = doc_events(doc)
        score_entities(report, g.record.doc_id, g.entities, doc_entities(doc))
        _score_events(report, g, rows)
        predicted.append(rows)
    return predicted


def score_facts(gold: Sequence[GoldDoc], predicted: Sequence[Sequence[dict[str, Any]]],
                rules: FactsFile) -> FactScore:
    """Facts of one gold file: the predicted rows merged as a corpus run merges them, scored
    pairwise over the rows that match a gold row; then the gold rows merged alone (the oracle)."""
    from .factindex import facts_of

    score = FactScore()
    rows = [row for doc_rows in predicted for row in doc_rows]
    fact_ids, _ = facts_of(rows, rules)
    gold_keys, predicted_keys, where = [], [], []
    at = 0
    for g, doc_rows in zip(gold, predicted, strict=True):
        matched = match_events(g.events, doc_rows)
        for ri in sorted(matched):
            gold_keys.append((g.record.doc_id, matched[ri]) if g.events[matched[ri]].get("fact") is None
                             else g.events[matched[ri]]["fact"])
            predicted_keys.append(fact_ids[at + ri])
            where.append(doc_rows[ri])
        at += len(doc_rows)
    score.pairs = pair_counts(gold_keys, predicted_keys)
    score.predicted_facts = len(set(fact_ids))
    score.predicted_facts_matched = len(set(predicted_keys))
    score.gold_facts = len({e.get("fact") or (g.record.doc_id, i) for g in gold for i, e in enumerate(g.events)})
    score.gold_facts_matched = len(set(gold_keys))
    score.errors = _fact_errors(gold_keys, predicted_keys, where)
    oracle_rows, oracle_keys = [], []
    for g in gold:
        for i, event in enumerate(g.events):
            row = dict(event, doc_id=g.record.doc_id, published=g.record.published)
            row.pop("fact_id", None)
            row.setdefault("start", i)
            row.setdefault("end", i)
            row["sent_start"] = event.get("sentence")  # the gold names the sentence, not its offset
            oracle_rows.append(row)
            oracle_keys.append(event.get("fact") or (g.record.doc_id, i))
    oracle_ids, oracle_facts = facts_of(oracle_rows, rules)
    score.oracle_pairs = pair_counts(oracle_keys, oracle_ids)
    score.oracle_facts = len(oracle_facts)
    return score


def _fact_errors(gold_keys: Sequence[Hashable], predicted_keys: Sequence[str],
                 rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Predicted facts that join two gold facts, and gold facts split over two predicted ones."""
    errors = []
    by_predicted: dict[str, set] = defaultdict(set)
    by_gold: dict[Hashable, set] = defaultdict(set)
    raws: dict[Hashable, list[str]] = defaultdict(list)
    for gold, predicted, row in zip(gold_keys, predicted_keys, rows, strict=True):
        by_predicted[predicted].add(gold)
        by_gold[gold].add(predicted)
        raws[predicted].append(f"{row.get('doc_id')}: {row.get('raw')}")
    for predicted, golds in by_predicted.items():
        if len(golds) > 1:
            errors.append({"error": "merged", "fact_id": predicted, "gold": sorted(map(str, golds)),
                           "mentions": raws[predicted]})
    for gold, predicted_ids in by_gold.items():
        if len(predicted_ids) > 1:
            errors.append({"error": "split", "gold": str(gold), "fact_ids": sorted(predicted_ids),
                           "mentions": [m for p in sorted(predicted_ids) for m in raws[p]]})
    return errors


def score_entities(report: Report, doc_id: str, gold: Sequence[dict[str, Any]],
                   predicted: Sequence[dict[str, Any]]) -> None:
    """Count a document's entities as (label, folded text) multisets into `report`."""
    expected = Counter((e["label"], _fold(e["text"])) for e in gold)
    found = Counter((e["label"], _fold(e["text"])) for e in predicted)
    for label, text in expected | found:
        prf = report.entities.setdefault(label, PRF())
        tp = min(expected[(label, text)], found[(label, text)])
        prf.tp += tp
        prf.fp += found[(label, text)] - tp
        prf.fn += expected[(label, text)] - tp
        if found[(label, text)] != expected[(label, text)]:
            report.entity_errors.append({"doc_id": doc_id, "label": label, "text": text,
                                         "gold": expected[(label, text)], "predicted": found[(label, text)]})


def match_events(gold: Sequence[dict[str, Any]], rows: Sequence[dict[str, Any]]) -> dict[int, int]:
    """Predicted row index -> gold index: same event_type and unit, value to 0.1 %, each gold
    row once (a gold row at the same offsets is preferred)."""
    unmatched = list(range(len(gold)))
    pairs: dict[int, int] = {}
    for ri, row in enumerate(rows):
        candidates = [i for i in unmatched if gold[i]["event_type"] == row["event_type"]
                      and gold[i]["unit"] == row["unit"]
                      and _value_match(float(row["value"]), float(gold[i]["value"]))]
        if candidates:
            same_place = [i for i in candidates if gold[i].get("start") == row.get("start")]
            chosen = (same_place or candidates)[0]
            unmatched.remove(chosen)
            pairs[ri] = chosen
    return pairs


def _score_events(report: Report, gold: GoldDoc, predicted: list[dict[str, Any]]) -> None:
    doc_id = gold.record.doc_id
    if not gold.events:
        report.offtopic_documents += 1
        report.offtopic_rows += len(predicted)
    matched = match_events(gold.events, predicted)
    pairs = []
    for ri, row in enumerate(predicted):
        if ri not in matched:
            report.events.fp += 1
            report.events_by_type[row["event_type"]].fp += 1
            report.spurious.append(_brief(doc_id, row))
            continue
        pairs.append((gold.events[matched[ri]], row))
        report.events.tp += 1
        report.events_by_type[row["event_type"]].tp += 1
    unmatched = sorted(set(range(len(gold.events))) - set(matched.values()))
    for i in unmatched:
        report.events.fn += 1
        report.events_by_type[gold.events[i]["event_type"]].fn += 1
        report.missed.append(_brief(doc_id, gold.events[i]))
    for expected, row in pairs:
        for name in ATTRIBUTES:
            ok = _same(name, expected.get(name), row.get(name))
            report.attributes[name][0] += ok
            report.attributes[name][1] += 1
            if not ok:
                report.wrong_attributes.append({"doc_id": doc_id, "raw": row.get("raw"), "attribute": name,
                                                "gold": expected.get(name), "predicted": _plain(row.get(name))})


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def _same(name: str, gold: Any, predicted: Any) -> bool:
    if name == "provinces":
        return set(gold or []) == set(predicted or [])
    gold, predicted = _plain(gold), _plain(predicted)
    if name == "period_end" and isinstance(predicted, str):
        predicted = predicted[:10]
    return (gold or None) == (predicted or None)


def _brief(doc_id: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"doc_id": doc_id, "event_type": row.get("event_type"), "value": row.get("value"),
            "unit": row.get("unit"), "raw": row.get("raw"), "sentence": row.get("sentence")}


# --- peer suites -----------------------------------------------------------------------
def _peer_cases(path: "str | Path") -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _overlaps(a: Sequence[int], b: Sequence[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def peer_quantity_case(case: dict[str, Any], doc: Any, skip_flags: Sequence[str] = ("year_like",)) -> PRF:
    """Value+unit counts of one peer quantity case (scope, ignores and ranges as its README says)."""
    preds = [(e.start_char, e.end_char, e._.value, e._.unit) for e in doc.ents if e.label_ == "QUANTITY"]
    expected = [e for e in case["expected"] if not any(e.get(f) for f in skip_flags)]
    skipped = [e for e in case["expected"] if any(e.get(f) for f in skip_flags)]
    ignore = [i["span"] for i in case.get("ignore", [])] + [e["span"] for e in skipped]
    scope = case["scope"]
    used: set[int] = set()
    tp = fn = 0
    for exp in expected:
        hit = None
        for i, (s, e, value, unit) in enumerate(preds):
            if i in used or unit != exp["unit"]:
                continue
            if exp.get("value") is None:
                ok = _overlaps((s, e), exp["span"]) and any(
                    exp.get(k) is not None and abs(value - exp[k]) <= 1e-6 * max(abs(exp[k]), 1e-12)
                    for k in ("min", "max"))
            else:
                ok = abs(value - exp["value"]) <= 1e-6 * max(abs(exp["value"]), 1e-12)
            if ok:
                hit = i
                break
        if hit is None:
            fn += 1
            continue
        used.add(hit)
        tp += 1
        if exp.get("value") is None:  # both bounds of a range belong to it
            used.update(i for i, p in enumerate(preds) if _overlaps(p[:2], exp["span"]))
    fp = 0
    for i, (s, e, _, unit) in enumerate(preds):
        if i in used or any(_overlaps((s, e), span) for span in ignore):
            continue
        in_scope = scope == "all" or (scope == "overlap" and any(
            _overlaps((s, e), x["span"]) for x in expected)) or (isinstance(scope, list) and unit in scope)
        fp += in_scope
    return PRF(tp, fp, fn)


def peer_date_case(case: dict[str, Any], doc: Any) -> PRF:
    """Strict DATE counts of one peer date case: start and end must equal an expected reading."""
    preds = [(e.start_char, e.end_char, e._.period_start, e._.period_end) for e in doc.ents if e.label_ == "DATE"]
    used: set[int] = set()
    for exp in case["expected"]:
        readings = [(exp["start"], exp["end"])] + [(a["start"], a["end"]) for a in exp.get("alternatives", [])]
        hit = next((i for i, p in enumerate(preds) if i not in used and _overlaps(p[:2], exp["span"])
                    and any(_date_equal(p[2], s, False) and _date_equal(p[3], e, True) for s, e in readings)),
                   None)
        if hit is not None:
            used.add(hit)
    return PRF(len(used), len(preds) - len(used), len(case["expected"]) - len(used))


def peer_records(cases: Sequence[dict[str, Any]]) -> list[Record]:
    """Records of peer cases; a date case's reference date is its published date."""
    return [Record(c["id"], c["text"], c.get("reference")) for c in cases]


def score_peer_quantities(nlp: Language, path: "str | Path", suites: Sequence[str] | None = None,
                          skip_flags: Sequence[str] = ("year_like",)) -> dict[str, Any]:
    """Value+unit P/R/F1 of QUANTITY entities on the peer quantity cases (README rules)."""
    cases = [c for c in _peer_cases(path) if not suites or any(c["suite"].startswith(s) for s in suites)]
    total, failures = PRF(), []
    for case, doc in zip(cases, annotate(nlp, peer_records(cases), streaming=False), strict=True):
        prf = peer_quantity_case(case, doc, skip_flags)
        total.add(prf)
        if prf.fp or prf.fn:
            failures.append({"id": case["id"], "text": case["text"],
                             "expected": [(x["text"], x.get("value"), x["unit"]) for x in case["expected"]],
                             "predicted": [(e.text, e._.value, e._.unit) for e in doc.ents if e.label_ == "QUANTITY"]})
    return {"cases": len(cases), **total.to_dict(), "failures": failures}


def score_peer_dates(nlp: Language, path: "str | Path") -> dict[str, Any]:
    """Strict DATE P/R/F1 on the peer date cases: start and end must equal the expected ones."""
    cases = _peer_cases(path)
    total, failures = PRF(), []
    for case, doc in zip(cases, annotate(nlp, peer_records(cases), streaming=False), strict=True):
        prf = peer_date_case(case, doc)
        total.add(prf)
        if prf.fp or prf.fn:
            failures.append({"id": case["id"], "text": case["text"], "reference": case["reference"],
                             "expected": [(x["text"], x["start"], x["end"]) for x in case["expected"]],
                             "predicted": [(e.text, e._.period_start, e._.period_end) for e in doc.ents
                                           if e.label_ == "DATE"]})
    return {"cases": len(cases), **total.to_dict(), "failures": failures}


def _date_equal(predicted: str | None, expected: str | None, is_end: bool) -> bool:
    if expected is None or predicted is None:
        return expected is None and predicted is None
    if predicted == expected:
        return True
    # Recognizers-Text ends are exclusive: accept the day before.
    return is_end and date.fromisoformat(predicted) == date.fromisoformat(expected) - timedelta(days=1)
