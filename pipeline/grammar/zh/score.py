"""Score the Chinese grammar's numbers, quantities and dates against the peer suites.

The peer scoring calls ``pipeline.scoring``'s per-case functions on a light stand-in
for a spaCy Doc, so the figures compare with the English ones; the gold files are
scored through the spaCy pipeline (``crackdown evaluate``).
``python -m pipeline.grammar.zh.score`` prints the peer figures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ...scoring import PRF, peer_date_case, peer_quantity_case
from .extract import ZhGrammar, analyse, zh_grammar
from .text import to_simplified


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
    """Print the peer figures: ``python -m pipeline.grammar.zh.score [PEER_DIR] [--failures]``.

    The gold file is scored through the spaCy pipeline: ``crackdown evaluate data/gold/zh.jsonl``.
    """
    peer = Path(argv[0]) if argv and not argv[0].startswith("-") else Path("tests/data/peer")
    verbose = "--failures" in argv
    out: dict[str, Any] = {}
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
