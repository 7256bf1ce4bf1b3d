"""Score the Chinese grammar against gold files and the peer suites, with the project's own scorers.

The gold scoring is ``pipeline.scoring``'s (entities by label and text, events by
type, unit and value to 0.1 %, attributes over matched rows); the peer scoring
calls its per-case functions on a light stand-in for a spaCy Doc, so the figures
compare with the English ones. ``python -m pipeline.grammar.zh.score`` prints them.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ...scoring import ATTRIBUTES, PRF, _same, match_events, peer_date_case, peer_quantity_case, score_entities
from .extract import ZhGrammar, analyse, entities, events, zh_grammar
from .text import to_simplified


@dataclass
class ZhReport:
    """Entity and event scores of a gold file."""

    documents: int = 0
    entities: dict[str, PRF] = field(default_factory=dict)
    events: PRF = field(default_factory=PRF)
    attributes: dict[str, list[int]] = field(default_factory=lambda: {a: [0, 0] for a in ATTRIBUTES})
    missed: list[dict[str, Any]] = field(default_factory=list)
    spurious: list[dict[str, Any]] = field(default_factory=list)
    entity_errors: list[dict[str, Any]] = field(default_factory=list)
    wrong_attributes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def entities_micro(self) -> PRF:
        total = PRF()
        for prf in self.entities.values():
            total.add(prf)
        return total

    def summary(self) -> dict[str, Any]:
        return {"documents": self.documents, "entities_micro": self.entities_micro.to_dict(),
                "entities": {k: v.to_dict() for k, v in sorted(self.entities.items())},
                "events": self.events.to_dict(),
                "attributes": {a: round(c / t, 4) if t else None for a, (c, t) in self.attributes.items()}}


def score_gold(path: "str | Path", grammar: ZhGrammar | None = None) -> ZhReport:
    """Run ``extract_zh`` over a gold file and score entities, events and attributes."""
    g = grammar or zh_grammar()
    report = ZhReport()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        doc = analyse(gold["text"], gold.get("published"), g)
        predicted_entities, rows = entities(doc), events(doc, g, gold["id"])
        report.documents += 1
        score_entities(report, gold["id"], gold["entities"], predicted_entities)
        _score_events(report, gold, rows)
    return report


def _score_events(report: ZhReport, gold: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    pairs = match_events(gold["events"], rows)
    report.events.tp += len(pairs)
    report.events.fp += len(rows) - len(pairs)
    report.events.fn += len(gold["events"]) - len(pairs)
    report.spurious += [_brief(gold["id"], r) for i, r in enumerate(rows) if i not in pairs]
    matched = set(pairs.values())
    report.missed += [_brief(gold["id"], e) for i, e in enumerate(gold["events"]) if i not in matched]
    for ri, gi in pairs.items():
        for name in ATTRIBUTES:
            ok = _same(name, gold["events"][gi].get(name), rows[ri].get(name))
            report.attributes[name][0] += ok
            report.attributes[name][1] += 1
            if not ok:
                report.wrong_attributes.append({"doc_id": gold["id"], "raw": rows[ri]["raw"], "attribute": name,
                                                "gold": gold["events"][gi].get(name), "predicted": rows[ri].get(name)})


def _brief(doc_id: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"doc_id": doc_id, "event_type": row.get("event_type"), "value": row.get("value"),
            "unit": row.get("unit"), "raw": row.get("raw"), "item": row.get("item"), "trigger": row.get("trigger")}


# --- peer suites --------------------------------------------------------------------------
def _stand_in(spans: list[tuple[str, int, int, dict[str, Any]]]) -> SimpleNamespace:
    """An object with ``.ents`` as the peer scorers read them from a spaCy Doc."""
    ents = [SimpleNamespace(label_=label, start_char=s, end_char=e, _=SimpleNamespace(**values))
            for label, s, e, values in spans]
    return SimpleNamespace(ents=ents)


def _cases(path: "str | Path") -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def score_peer_numbers(path: "str | Path", grammar: ZhGrammar | None = None) -> dict[str, Any]:
    """Value P/R/F1 of every numeral found (unit count), on zh_numbers.jsonl."""
    g = grammar or zh_grammar()
    total, failures = PRF(), []
    for case in _cases(path):
        found = g.quantities.numbers.find(to_simplified(case["text"]))
        doc = _stand_in([("QUANTITY", n.start, n.end, {"value": n.value, "unit": "count"}) for n in found])
        prf = peer_quantity_case(case, doc)
        total.add(prf)
        if prf.fp or prf.fn:
            failures.append({"id": case["id"], "text": case["text"],
                             "expected": [(x["text"], x.get("value")) for x in case["expected"]],
                             "predicted": [(case["text"][n.start:n.end], n.value) for n in found]})
    return {"cases": len(_cases(path)), **total.to_dict(), "failures": failures}


def score_peer_quantities(path: "str | Path", grammar: ZhGrammar | None = None) -> dict[str, Any]:
    """Value+unit P/R/F1 of QUANTITY spans on zh_quantities.jsonl."""
    g = grammar or zh_grammar()
    total, failures = PRF(), []
    for case in _cases(path):
        found = g.quantities.find(to_simplified(case["text"]))
        doc = _stand_in([("QUANTITY", q.start, q.end, {"value": q.value, "unit": q.unit}) for q in found])
        prf = peer_quantity_case(case, doc)
        total.add(prf)
        if prf.fp or prf.fn:
            failures.append({"id": case["id"], "text": case["text"],
                             "expected": [(x["text"], x.get("value"), x["unit"]) for x in case["expected"]],
                             "predicted": [(case["text"][q.start:q.end], q.value, q.unit) for q in found]})
    return {"cases": len(_cases(path)), **total.to_dict(), "failures": failures}


def score_peer_dates(path: "str | Path", grammar: ZhGrammar | None = None) -> dict[str, Any]:
    """Strict DATE P/R/F1 (start and end equal an expected reading) on zh_dates.jsonl."""
    g = grammar or zh_grammar()
    total, failures = PRF(), []
    for case in _cases(path):
        doc_spans = analyse(case["text"], case["reference"], g)
        spans = []
        for d in doc_spans.dates:
            start, end = doc_spans.periods.get(d.start, (None, None))
            spans.append(("DATE", d.start, d.end, {"period_start": start.isoformat() if start else None,
                                                   "period_end": end.isoformat() if end else None}))
        prf = peer_date_case(case, _stand_in(spans))
        total.add(prf)
        if prf.fp or prf.fn:
            failures.append({"id": case["id"], "text": case["text"], "reference": case["reference"],
                             "expected": [(x["text"], x["start"], x["end"]) for x in case["expected"]],
                             "predicted": [(case["text"][s:e], v["period_start"], v["period_end"])
                                           for _, s, e, v in spans]})
    return {"cases": len(_cases(path)), **total.to_dict(), "failures": failures}


def main(argv: list[str]) -> int:
    """Print the figures: ``python -m pipeline.grammar.zh.score [GOLD] [PEER_DIR] [--failures]``."""
    gold = argv[0] if argv and not argv[0].startswith("-") else "data/gold/zh.jsonl"
    peer = Path(argv[1]) if len(argv) > 1 and not argv[1].startswith("-") else Path("tests/data/peer")
    verbose = "--failures" in argv
    report = score_gold(gold)
    out: dict[str, Any] = {"gold": report.summary()}
    if verbose:
        out["gold"].update(missed=report.missed, spurious=report.spurious, entity_errors=report.entity_errors,
                           wrong_attributes=report.wrong_attributes)
    for name, scorer in (("zh_numbers", score_peer_numbers), ("zh_quantities", score_peer_quantities),
                         ("zh_dates", score_peer_dates)):
        path = peer / f"{name}.jsonl"
        if path.exists():
            result = scorer(path)
            if not verbose:
                result.pop("failures")
            out[name] = result
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
