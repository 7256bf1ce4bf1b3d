"""Chinese segmenters on the zh gold texts: speed and gold entity boundaries inside tokens.

Compares spacy.blank("zh") with its character segmenter and with jieba: documents
per second (best of 5 runs over the 15 texts) and how many gold entity spans
cannot be made with Doc.char_span (a boundary falls inside a token). Prints JSON.
Run: .venv/bin/python bench/zh_segmenter.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parent.parent


def _spans(doc: dict) -> list[tuple[int, int]]:
    """Gold entity offsets: each entity text found in order, as the scorer matches them."""
    spans, cursor = [], {}
    for entity in doc["entities"]:
        start = doc["text"].find(entity["text"], cursor.get(entity["text"], 0))
        if start < 0:
            continue
        cursor[entity["text"]] = start + 1
        spans.append((start, start + len(entity["text"])))
    return spans


def measure(segmenter: str, docs: list[dict]) -> dict:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})
    texts = [d["text"] for d in docs]
    list(nlp.pipe(texts))  # warm up (jieba loads its dictionary)
    best = min(_timed(nlp, texts) for _ in range(5))
    inside = total = 0
    for d, doc in zip(docs, nlp.pipe(texts), strict=True):
        for start, end in _spans(d):
            total += 1
            inside += doc.char_span(start, end) is None
    chars = sum(len(t) for t in texts)
    return {"segmenter": segmenter, "docs_per_s": round(len(texts) / best, 1), "chars_per_s": round(chars / best),
            "entities": total, "boundary_inside_token": inside, "share_inside": round(inside / total, 4)}


def _timed(nlp: spacy.language.Language, texts: list[str]) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - start


def main() -> None:
    docs = [json.loads(line) for line in (ROOT / "data/gold/zh.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    print(json.dumps([measure(name, docs) for name in ("char", "jieba")], indent=1))


if __name__ == "__main__":
    main()
