"""The benchmark behind `make bench`: throughput and memory on a deterministic synthetic corpus.

The corpus is the bundled sample news with numbers and provinces changed by a
seeded random generator, so runs are comparable. It reports, on the same corpus:
words/s and docs/s of spaCy's tokenizer alone (the ceiling), of the full pipeline
in one process and through `crackdown run` with 1 and 2 workers (each run a fresh
process, as a user runs it), two 1-worker runs at once (what the machine gives two
processes), the ratios, peak RSS per worker and of the calling process at two corpus
sizes, where the time goes per component, and what the per-document time budget
(`--doc-timeout`: an alarm armed and disarmed per document) costs.

sizes, and where the time goes per component.

Facts: the share of each run's time the run waited for the merging and writing of facts
(``timings.facts_seconds`` of the manifest: they run in a child process beside the annotation,
``pipeline.consolidate``, and the run waits for it at the end); the child's CPU time on facts
(``facts_cpu_seconds``) as a share of the run's time, and with the workers' facts parts
(``worker_facts_seconds`` over the workers); and the peak RSS of the calling process and of
its consolidating child (``driver.consolidator_peak_rss_mb``), each of which should stay flat,
on corpora with 30% reprints (half exact copies caught as duplicates, half with an
outlet's line added, merged as facts) of 20,000 and 200,000 documents
(``--facts-only`` measures just these, at the sizes given).
Results go to bench/results.json and the README's performance section.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from pipeline import compiled
from pipeline.annotate import annotate, freeze_imports, load, make_doc
from pipeline.languages import detect
from pipeline.reader import Record
from pipeline.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "news.jsonl"
OFFTOPIC = ROOT / "data" / "gold" / "offtopic.jsonl"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def synthetic_corpus(size: int, seed: int = 13, source: Path = SAMPLE) -> list[dict]:
    """``size`` documents: ``source`` news (the sample) with numbers and province names perturbed."""
    rng = random.Random(seed)
    base = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = [d for d in base if detect(d["text"]) == "en"]  # the sample has Chinese documents too
    names = [p.names[0] for p in load_rules(ROOT / "configs" / "en").provinces.provinces]
    province_re = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    number_re = re.compile(r"\b\d{2,3}(?:,\d{3})*\b")

    def number(m: re.Match) -> str:
        digits = m.group(0).replace(",", "")
        value = max(10, int(int(digits) * rng.uniform(0.5, 1.5)))
        return f"{value:,}" if "," in m.group(0) else str(value)

    docs = []
    for i in range(size):
        doc = base[i % len(base)]
        text = number_re.sub(number, doc["text"])
        text = province_re.sub(lambda m: rng.choice(names), text)
        docs.append({"id": f"synth-{i:06d}", "published": doc["published"], "text": text})
    return docs


def write_corpus(docs: Iterable[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


OUTLETS = ("Xinhua", "China Daily", "Global Times", "People's Daily", "CGTN", "The Paper")


def reprinted_corpus(size: int, share: float = 0.3, seed: int = 17, recent: int = 1_000,
                     days: int = 3_650) -> Iterator[dict]:
    """``size`` documents of which ``share`` reprint one of the ``recent`` stories before them,
    0 to 3 days later: half the same text under a new id (a duplicate), half with an outlet's
    line added (another text, whose figures merge into the same facts). The stories are
    published over ``days`` days, in order, as a news archive is (the sample's 16 dates
    would put a thousand copies of each story on one day). Streamed: a 200,000 document
    corpus is not held in memory."""
    rng = random.Random(seed)
    originals: list[dict] = []
    made = 0
    batch: list[dict] = []
    while made < size:
        if not batch:
            batch = synthetic_corpus(1_000, seed=rng.randrange(1 << 30))
        if originals and rng.random() < share:
            story = rng.choice(originals[-recent:])
            published = story["published"]
            if published:
                published = (date.fromisoformat(published) + timedelta(days=rng.randint(0, 3))).isoformat()
            text = story["text"] if rng.random() < 0.5 else f"({rng.choice(OUTLETS)}) " + story["text"]
            doc = {"id": f"reprint-{made:07d}", "published": published, "text": text}
        else:
            doc = dict(batch.pop(), id=f"story-{made:07d}")
            if doc["published"]:
                doc["published"] = (date(2010, 1, 1) + timedelta(days=made * days // size)).isoformat()
            originals.append(doc)
            if len(originals) > 2 * recent:
                del originals[:recent]
        made += 1
        yield doc


def reference_pipelines(configs: Path = ROOT / "configs" / "en") -> dict[str, Language]:
    """The issue's reference points, built from the rule files so they match the domain.

    - ``naive_ruler``: an EntityRuler with 50 token patterns (the 34 province names,
      the first 10 operation names, and 6 number, unit and date patterns), the kind of
      rules that test every token in spaCy's Matcher.
    - ``phrase_ruler``: an EntityRuler with phrase patterns only (every province and
      operation name and alias, every unit form).
    """
    rules = load_rules(configs)
    provinces = [p.names[0] for p in rules.provinces.provinces]
    operations = [o.name for o in rules.operations.operations]
    units = sorted({form.lower() for u in rules.quantities.units for form in u.forms})
    months = sorted(name.lower() for names in rules.dates.months.values() for name in names)
    nouns = ["suspects", "people", "cases", "persons", "gangs", "tons", "tonnes"]
    number: dict[str, Any] = {"LIKE_NUM": True}
    token_patterns: list[list[dict[str, Any]]] = [
        [{"LOWER": w.lower()} for w in name.split()] for name in provinces + operations[:10]]
    token_patterns += [
        [number, {"LOWER": {"IN": units}}],
        [number, {"LIKE_NUM": True, "OP": "?"}, {"LOWER": {"IN": units}}],
        [{"LOWER": {"IN": ["more", "over", "about", "nearly"]}}, {"LOWER": "than", "OP": "?"}, number,
         {"LOWER": {"IN": units}}],
        [number, {"LOWER": {"IN": nouns}}],
        [{"TEXT": {"REGEX": r"^\d+(\.\d+)?$"}}, {"LOWER": {"IN": units}}],
        [{"LOWER": {"IN": months}}, {"LIKE_NUM": True, "OP": "?"}, {"TEXT": ",", "OP": "?"},
         {"SHAPE": "dddd", "OP": "?"}],
    ]
    assert len(token_patterns) == 50, len(token_patterns)
    naive = spacy.blank("en")
    ruler: Any = naive.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "X", "pattern": p} for p in token_patterns])
    phrases = [n for p in rules.provinces.provinces for n in p.names + p.aliases]
    phrases += [a for o in rules.operations.operations for a in [o.name, *o.aliases]] + units
    phrase = spacy.blank("en")
    ruler = phrase.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "X", "pattern": p} for p in phrases])
    return {"naive_ruler": naive, "phrase_ruler": phrase}


def throughput_in_process(docs: list[dict], chunk: int = 1_000) -> dict[str, dict]:
    """Words/s and docs/s, in this process over the same documents, of spaCy's tokenizer
    alone (``spacy.blank("en")``, the ceiling), the two reference rulers, the pipeline
    without event assembly (the entity rules only) and the full pipeline (``annotate``:
    ``nlp.pipe`` with each component taking a batch, as ``extract`` and ``evaluate`` run it;
    and ``pipeline_streaming``, one document through the whole pipeline at a time, as a
    corpus run given one ``--model`` reads).

    They are timed chunk by chunk in turn, so a machine that speeds up or slows down
    during the run (shared cores do) affects all alike and their ratios stay fair.
    """
    records = [Record(d["id"], d["text"], d["published"]) for d in docs]
    entities_only = load()
    entities_only.disable_pipe("events")
    if "facts" in entities_only.pipe_names:
        entities_only.disable_pipe("facts")

    def texts_through(nlp: Language) -> Callable[[list[Record]], int]:
        return lambda part: sum(len(d) for d in nlp.pipe((r.text for r in part), batch_size=256))

    def records_through(nlp: Language, streaming: bool = False) -> Callable[[list[Record]], int]:
        return lambda part: sum(len(d) for d in annotate(nlp, part, streaming=streaming))

    full = load()
    runners = {"tokenizer": texts_through(spacy.blank("en")),
               **{name: texts_through(nlp) for name, nlp in reference_pipelines().items()},
               "entity_rules": records_through(entities_only), "pipeline": records_through(full),
               "pipeline_streaming": records_through(full, streaming=True)}
    seconds = dict.fromkeys(runners, 0.0)
    words = 0
    for start in range(0, len(records), chunk):
        part = records[start:start + chunk]
        for name, run in runners.items():
            started = time.perf_counter()
            counted = run(part)
            seconds[name] += time.perf_counter() - started
            words += counted if name == "tokenizer" else 0
    return {name: {"docs_per_second": len(docs) / s, "words_per_second": words / s, "words": words}
            for name, s in seconds.items()}


def offtopic_vs_ontopic(size: int, chunk: int = 500) -> dict[str, Any]:
    """The full pipeline in process on drug news and on news with no drug figure (the
    off-topic gold documents, perturbed the same way), timed chunk by chunk in turn.

    A real corpus is mostly off-topic; a document with no drug cue skips event assembly,
    so words/s there is what most of a corpus runs at.
    """
    corpora = {"on_topic": synthetic_corpus(size), "off_topic": synthetic_corpus(size, source=OFFTOPIC)}
    nlp = load()
    seconds = dict.fromkeys(corpora, 0.0)
    words = dict.fromkeys(corpora, 0)
    events = dict.fromkeys(corpora, 0)
    for start in range(0, size, chunk):
        for name, docs in corpora.items():
            part = [Record(d["id"], d["text"], d["published"]) for d in docs[start:start + chunk]]
            started = time.perf_counter()
            for doc in annotate(nlp, part, streaming=False):
                words[name] += len(doc)
                events[name] += len(doc._.events or [])
            seconds[name] += time.perf_counter() - started
    out: dict[str, Any] = {name: {"docs_per_second": size / seconds[name],
                                  "words_per_second": words[name] / seconds[name],
                                  "event_rows": events[name]} for name in corpora}
    out["off_topic_speedup_words_per_second"] = (out["off_topic"]["words_per_second"]
                                                 / out["on_topic"]["words_per_second"])
    return out


def spacy_n_process(docs: list[dict], n_process: int) -> dict:
    """The full pipeline through spaCy's own multiprocessing (``nlp.pipe(n_process=...)``)."""
    nlp = load()
    records = [Record(d["id"], d["text"], d["published"]) for d in docs]
    started = time.perf_counter()
    stream = (make_doc(nlp, r) for r in records)
    words = sum(len(doc) for doc in nlp.pipe(stream, batch_size=64, n_process=n_process))
    seconds = time.perf_counter() - started
    return {"docs_per_second": len(docs) / seconds, "words_per_second": words / seconds}


def cli_run(path: Path, workers: int, out: Path, facts: bool = True) -> subprocess.Popen:
    """Start `crackdown run` in a fresh process, as a user runs it: its workers fork from a
    caller that holds only its imports, not from this benchmark and its corpus. ``facts=False``:
    the same run with the facts work switched off (bench/nofacts.py)."""
    program = ["-m", "pipeline.cli"] if facts else [str(ROOT / "bench" / "nofacts.py")]
    return subprocess.Popen([sys.executable, *program, "run", str(path), "-o", str(out),
                             "--workers", str(workers), "--shard-size", "500", "--quiet"],
                            stdout=subprocess.DEVNULL)


def run_figures(process: subprocess.Popen, out: Path) -> dict:
    """The figures of a finished `crackdown run`, from its manifest."""
    if process.wait() != 0:
        raise SystemExit(f"`crackdown run` into {out} exited with status {process.returncode}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"docs": manifest["counts"]["docs_processed"],
            "docs_read": manifest["counts"]["docs_read"],
            "docs_duplicate": manifest["counts"]["docs_duplicate"],
            "events": manifest["counts"]["events"],
            "facts": manifest["counts"].get("facts"),
            "docs_per_second": manifest["timings"]["docs_per_second"],
            "words_per_second": manifest["timings"]["words_per_second"],
            "seconds": manifest["timings"]["seconds"],
            "facts_seconds": manifest["timings"].get("facts_seconds"),
            "facts_share": (manifest["timings"].get("facts_seconds") or 0) / manifest["timings"]["seconds"],
            # the consolidating child's CPU on facts, and the wait with the workers' facts parts
            # spread over the workers (their share of the run's time)
            "facts_cpu_share": (manifest["timings"].get("facts_cpu_seconds") or 0) / manifest["timings"]["seconds"],
            "facts_share_with_workers": ((manifest["timings"].get("facts_seconds") or 0)
                                         + (manifest["timings"].get("worker_facts_seconds") or 0)
                                         / manifest["workers"]) / manifest["timings"]["seconds"],
            "peak_rss_mb_per_worker": max(manifest["peak_rss_mb_per_worker"].values()),
            "peak_rss_mb_caller": manifest["driver"]["peak_rss_mb"],
            # the consolidating child (final files and facts), a process of its own since it left the caller
            "peak_rss_mb_consolidator": manifest["driver"].get("consolidator_peak_rss_mb", 0.0),
            "caller_cpu_seconds": manifest["driver"]["cpu_seconds"],
            "consolidator_cpu_seconds": manifest["driver"].get("consolidator_cpu_seconds", 0.0)}


def corpus_runs(big: Path, small: Path, tmp: Path, rounds: int = 3) -> dict:
    """`crackdown run` with 2 workers on the small corpus, then, in rounds, on the big one:
    2 workers, 1 worker, and two 1-worker runs at once (what this machine gives two
    processes that share nothing: the most sharding can reach here).

    Rounds, keeping each kind's fastest run: the machine's speed drifts over minutes,
    and alternating the kinds spreads the drift over all of them.
    """
    results: dict = {"run_2_workers_small": run_figures(cli_run(small, 2, tmp / "small"), tmp / "small")}
    runs: dict[str, list[dict]] = {"run_2_workers": [], "run_1_worker": [], "two_1_worker_runs_at_once": []}
    without: dict[str, list[float]] = {"run_2_workers": [], "run_1_worker": []}  # seconds with facts off
    for round_ in range(rounds):
        for workers, key in ((2, "run_2_workers"), (1, "run_1_worker")):
            out = tmp / f"{key}-{round_}"
            runs[key].append(run_figures(cli_run(big, workers, out), out))
            out = tmp / f"{key}-nofacts-{round_}"
            without[key].append(run_figures(cli_run(big, workers, out, facts=False), out)["seconds"])
        outs = [tmp / f"pair-{round_}-{i}" for i in range(2)]
        pair = [run_figures(process, out) for process, out in [(cli_run(big, 1, o), o) for o in outs]]
        # Together over the longer run's time: neither gets the machine alone at the end.
        seconds = max(r["seconds"] for r in pair)
        runs["two_1_worker_runs_at_once"].append(
            {"docs_per_second": sum(r["docs"] for r in pair) / seconds,
             "words_per_second": sum(r["words_per_second"] * r["seconds"] for r in pair) / seconds,
             "docs_per_second_each_process": [r["docs_per_second"] for r in pair]})
    for key, kind in runs.items():
        results[key] = dict(max(kind, key=lambda r: r["docs_per_second"]))
        results[key]["docs_per_second_each_run"] = [r["docs_per_second"] for r in kind]
        for share in ("facts_share", "facts_cpu_share", "facts_share_with_workers"):
            if share in kind[0]:
                results[key][f"{share}_each_run"] = [r[share] for r in kind]
        for figure in ("peak_rss_mb_per_worker", "peak_rss_mb_caller", "peak_rss_mb_consolidator"):
            if figure in kind[0]:
                results[key][figure] = max(r[figure] for r in kind)
    # what facts cost a run: its time against the same run with the facts work off, by medians
    # of the interleaved rounds (workers' parts, the merge and the facts file all included)
    for key, seconds in without.items():
        with_facts = statistics.median(r["seconds"] for r in runs[key])
        results[key]["seconds_without_facts_each_run"] = seconds
        results[key]["facts_cost"] = (with_facts - statistics.median(seconds)) / with_facts
    return results


def facts_runs(tmp: Path, small: int, big: int, workers: int = 2) -> dict:
    """`crackdown run` on corpora with 30% reprints of ``small`` and ``big`` documents: the
    run merges every mention into facts on disk, so neither the calling process's peak RSS
    nor its consolidating child's should grow with the corpus (``rss_growth``: the larger
    growth of the two); and the share of the run's time it waited for facts."""
    results = {}
    for size in (small, big):
        corpus = write_corpus(reprinted_corpus(size), tmp / f"reprinted-{size}.jsonl")
        out = tmp / f"reprinted-{size}"
        results[f"{size}_docs"] = run_figures(cli_run(corpus, workers, out), out)
        corpus.unlink()
    for figure, growth in (("peak_rss_mb_caller", "caller_rss_growth"),
                           ("peak_rss_mb_consolidator", "consolidator_rss_growth")):
        first, second = (results[f"{n}_docs"][figure] for n in (small, big))
        results[growth] = second / first - 1 if first else 0.0
    results["rss_growth"] = max(results["caller_rss_growth"], results["consolidator_rss_growth"])
    return results


def per_component(docs: list[dict], batch_size: int = 64) -> dict:
    """Milliseconds per document spent in each component (and in making the Doc), batch by batch."""
    nlp = load()
    records = [Record(d["id"], d["text"], d["published"]) for d in docs]
    times: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}, "freeing docs": 0.0}
    for start in range(0, len(records), batch_size):
        started = time.perf_counter()
        batch = [make_doc(nlp, r) for r in records[start:start + batch_size]]
        times["tokenizer"] += time.perf_counter() - started
        for name, proc in nlp.pipeline:
            started = time.perf_counter()
            batch = [proc(doc) for doc in batch]
            times[name] += time.perf_counter() - started
        started = time.perf_counter()
        del batch
        times["freeing docs"] += time.perf_counter() - started
    return {name: round(seconds * 1000 / len(docs), 4) for name, seconds in times.items()}


def doc_timeout_cost(docs: list[dict], shard_size: int = 500, rounds: int = 3) -> dict:
    """docs/s of the shard function in this process with the time budget on (the default)
    and off, alternating in rounds and keeping each one's fastest (the machine drifts);
    and the cost of arming and disarming the alarm alone, per document."""
    from pipeline.annotate import model_path
    from pipeline.corpus import ShardJob, process_shard
    from pipeline.guard import DEFAULT_DOC_TIMEOUT, DocClock

    arm_us = {}
    for key, seconds in (("with_budget", DEFAULT_DOC_TIMEOUT), ("without_budget", 0.0)):
        with DocClock(seconds) as clock:
            started = time.perf_counter()
            for i in range(100_000):
                clock.arm(i, 3_000)
                clock.disarm()
            arm_us[key] = (time.perf_counter() - started) * 10

    model = str(model_path().resolve())
    records = [Record(d["id"], d["text"], d["published"]) for d in docs]
    shards = [records[i:i + shard_size] for i in range(0, len(records), shard_size)]
    rates: dict[str, list[float]] = {"with_budget": [], "without_budget": []}
    kinds = [("with_budget", DEFAULT_DOC_TIMEOUT), ("without_budget", 0.0)]
    with tempfile.TemporaryDirectory() as tmp:
        for index, shard in enumerate(shards):  # warm up: the pipeline loaded, its vocabulary grown
            process_shard(ShardJob(index, shard, model, None, tmp))
        for round_ in range(rounds):
            for key, seconds in kinds if round_ % 2 == 0 else kinds[::-1]:  # neither always goes first
                started = time.perf_counter()
                for index, shard in enumerate(shards):
                    process_shard(ShardJob(index, shard, model, None, tmp, doc_timeout=seconds))
                rates[key].append(len(records) / (time.perf_counter() - started))
    best = {key: max(values) for key, values in rates.items()}
    return {**{f"docs_per_second_{k}": v for k, v in best.items()},
            **{f"docs_per_second_{k}_each_round": v for k, v in rates.items()},
            "cost": 1 - best["with_budget"] / best["without_budget"],
            "arm_and_disarm_us_per_doc": arm_us["with_budget"] - arm_us["without_budget"]}


ZH_GOLD = ROOT / "data" / "gold" / "zh.jsonl"


def chinese_corpus(size: int, seed: int = 13) -> list[dict]:
    """``size`` Chinese documents: the Chinese gold reports with their Arabic numbers perturbed."""
    rng = random.Random(seed)
    base = [json.loads(line) for line in ZH_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    number_re = re.compile(r"(?<![\d.])\d{2,4}(?![\d.])")
    docs = []
    for i in range(size):
        doc = base[i % len(base)]
        text = number_re.sub(lambda m: str(max(10, int(int(m.group()) * rng.uniform(0.5, 1.5)))), doc["text"])
        docs.append({"id": f"zh-synth-{i:06d}", "published": doc["published"], "text": text})
    return docs


def chinese_throughput(docs: list[dict], chunk: int = 200, rounds: int = 3) -> dict[str, Any]:
    """Characters/s of the Chinese pipeline against ``spacy.blank("zh")``'s character tokenizer
    alone on the same texts (the ceiling), timed chunk by chunk in turn, best of ``rounds``."""
    records = [Record(d["id"], d["text"], d["published"]) for d in docs]
    nlp = load(lang="zh")
    tokenizer = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    chars = sum(len(d["text"]) for d in docs)
    best = {"tokenizer": float("inf"), "pipeline": float("inf")}
    for _ in range(rounds):
        spent = {"tokenizer": 0.0, "pipeline": 0.0}
        for first in range(0, len(records), chunk):
            part = records[first:first + chunk]
            started = time.perf_counter()
            for record in part:
                tokenizer(record.text)
            spent["tokenizer"] += time.perf_counter() - started
            started = time.perf_counter()
            for _doc in annotate(nlp, part, streaming=False):
                pass
            spent["pipeline"] += time.perf_counter() - started
        best = {k: min(best[k], spent[k]) for k in best}
    out = {k: {"chars_per_second": chars / v, "docs_per_second": len(docs) / v} for k, v in best.items()}
    return {"docs": len(docs), "chars": chars, **out,
            "pipeline_vs_tokenizer": out["pipeline"]["chars_per_second"] / out["tokenizer"]["chars_per_second"]}


def mixed_run(english: list[dict], chinese: list[dict], tmp: Path, workers: int = 1) -> dict[str, Any]:
    """`crackdown run --lang auto` over English and Chinese documents interleaved: its figures
    and the documents each language's pipeline read (from the manifest)."""
    mixed = [doc for pair in zip(english, chinese, strict=False) for doc in pair]
    path = write_corpus(mixed, tmp / "mixed.jsonl")
    out = tmp / "out-mixed"
    figures = run_figures(cli_run(path, workers, out), out)
    figures["languages"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["languages"]
    return figures


def main() -> None:
    freeze_imports()  # this process measures as the crackdown command runs (pipeline.cli.main freezes too)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--zh-size", type=int, default=2_000, help="Chinese documents (and mixed-run pairs).")
    parser.add_argument("--only-languages", action="store_true",
                        help="Only the Chinese and mixed figures (a quick run: results are printed, not saved).")
    parser.add_argument("--reprints-big", type=int, default=200_000,
                        help="Documents of the big corpus with 30%% reprints (the facts memory figure).")
    parser.add_argument("--facts-only", action="store_true",
                        help="Only the facts figures: runs on corpora with reprints of --size and --reprints-big.")
    args = parser.parse_args()
    if args.facts_only:
        with tempfile.TemporaryDirectory() as tmp:
            figures = {"facts": facts_runs(Path(tmp), args.size, args.reprints_big)}
        print(json.dumps(figures, indent=2))
        return
    docs = synthetic_corpus(args.size)
    results: dict = {"corpus_docs": args.size, "python": sys.version.split()[0], "spacy": spacy.__version__,
                     "compiled": compiled.active()}  # mypyc-compiled modules in use (pipeline/compiled.py)
    chinese = chinese_corpus(args.zh_size)
    results["chinese_in_process"] = chinese_throughput(chinese)
    with tempfile.TemporaryDirectory() as tmp:
        results["mixed_run_1_worker"] = mixed_run(docs[:args.zh_size], chinese, Path(tmp))
    if args.only_languages:
        print(json.dumps(results, indent=2))
        return
    print(f"corpus: {args.size:,} synthetic documents", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        big = write_corpus(docs, Path(tmp) / "big.jsonl")
        small = write_corpus(docs[:args.small], Path(tmp) / "small.jsonl")
        results.update(corpus_runs(big, small, Path(tmp)))
    in_process = throughput_in_process(docs)
    results["tokenizer_only"], results["pipeline_in_process"] = in_process.pop("tokenizer"), in_process.pop("pipeline")
    results["references_in_process"] = in_process
    # spaCy's multiprocessing against one process on the same smaller sample
    sample = docs[:args.small * 2]
    results["spacy_sample_docs"] = len(sample)
    results["pipeline_spacy_n_process_1"] = spacy_n_process(sample, 1)
    results["pipeline_spacy_n_process_2"] = spacy_n_process(sample, 2)
    ceiling = results["tokenizer_only"]["words_per_second"]
    results["ratios"] = {
        "pipeline_vs_tokenizer": results["pipeline_in_process"]["words_per_second"] / ceiling,
        **{f"{name}_vs_tokenizer": v["words_per_second"] / ceiling for name, v in in_process.items()},
        "run_1_worker_vs_tokenizer": results["run_1_worker"]["words_per_second"] / ceiling,
        "speedup_2_workers": results["run_2_workers"]["docs_per_second"] / results["run_1_worker"]["docs_per_second"],
        "speedup_two_1_worker_runs_at_once": results["two_1_worker_runs_at_once"]["docs_per_second"]
        / results["run_1_worker"]["docs_per_second"],
        "speedup_spacy_n_process_2": results["pipeline_spacy_n_process_2"]["docs_per_second"]
        / results["pipeline_spacy_n_process_1"]["docs_per_second"],
    }
    results["peak_rss_mb_per_worker"] = {f"{args.small}_docs": results["run_2_workers_small"]["peak_rss_mb_per_worker"],
                                         f"{args.size}_docs": results["run_2_workers"]["peak_rss_mb_per_worker"]}
    results["peak_rss_mb_caller"] = {f"{args.small}_docs": results["run_2_workers_small"]["peak_rss_mb_caller"],
                                     f"{args.size}_docs": results["run_2_workers"]["peak_rss_mb_caller"]}
    results["peak_rss_mb_consolidator"] = {
        f"{args.small}_docs": results["run_2_workers_small"]["peak_rss_mb_consolidator"],
        f"{args.size}_docs": results["run_2_workers"]["peak_rss_mb_consolidator"]}
    results["ms_per_doc_by_component"] = per_component(docs[:2000])
    results["topic"] = offtopic_vs_ontopic(min(args.size, 4_000))
    results["doc_timeout"] = doc_timeout_cost(docs[:4000])
    with tempfile.TemporaryDirectory() as tmp:
        results["facts"] = facts_runs(Path(tmp), args.size, args.reprints_big)
    results = json.loads(json.dumps(results), parse_float=lambda s: round(float(s), 4))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    if not args.no_readme:
        update_readme(results)


def facts_lines(r: dict) -> list[str]:
    """The README's lines on the cost of facts."""
    facts = r.get("facts")
    if not facts:
        return []
    w1, w2 = r["run_1_worker"], r["run_2_workers"]
    sizes = [k for k in facts if k.endswith("_docs")]
    small, big = (facts[k] for k in sizes)
    return [f"- facts: merging mentions into facts and writing them runs in a child process beside the "
            f"annotation; the run waited for it {w1['facts_seconds']:.2f} s at the end of the 1-worker run "
            f"({w1['facts_share']:.1%} of its time; each run: "
            f"{', '.join(f'{v:.1%}' for v in w1['facts_share_each_run'])}) and {w2['facts_seconds']:.2f} s of the "
            f"2-worker run ({w2['facts_share']:.1%}), on {r['corpus_docs']:,} documents; the child's CPU time on "
            f"facts is {w1['facts_cpu_share']:.1%} and {w2['facts_cpu_share']:.1%} of those runs' time; with the "
            f"workers' facts parts (spread over the workers) {w1['facts_share_with_workers']:.1%} and "
            f"{w2['facts_share_with_workers']:.1%}",
            f"- what facts cost a run (its time against the same run with the facts work switched off, "
            f"bench/nofacts.py; medians of the rounds): **{w1['facts_cost']:.1%}** with 1 worker and "
            f"**{w2['facts_cost']:.1%}** with 2 (without facts, each run: "
            f"{', '.join(f'{v:.1f}' for v in w1['seconds_without_facts_each_run'])} s and "
            f"{', '.join(f'{v:.1f}' for v in w2['seconds_without_facts_each_run'])} s)",
            f"- facts with 30% reprints, 2 workers: the calling process peaked at "
            f"{small['peak_rss_mb_caller']:.0f} MB and its consolidating child at "
            f"{small['peak_rss_mb_consolidator']:.0f} MB on {small['docs_read']:,} documents "
            f"({small['docs_duplicate']:,} duplicates, {small['facts']:,} facts), and at "
            f"{big['peak_rss_mb_caller']:.0f} and {big['peak_rss_mb_consolidator']:.0f} MB on "
            f"{big['docs_read']:,} ({big['docs_duplicate']:,} duplicates, {big['facts']:,} facts): "
            f"{facts['caller_rss_growth']:+.1%} and {facts['consolidator_rss_growth']:+.1%}; the run waited for "
            f"facts {small['facts_share']:.1%} and {big['facts_share']:.1%} of those runs' time"]


def update_readme(r: dict) -> None:
    tok, inproc = r["tokenizer_only"], r["pipeline_in_process"]
    w1, w2, pair = r["run_1_worker"], r["run_2_workers"], r["two_1_worker_runs_at_once"]
    n = len(w1["docs_per_second_each_run"])
    rows = [
        ("spaCy tokenizer alone (ceiling)", tok),
        ("full pipeline, in process (`nlp.pipe`, a batch per component)", inproc),
        ("full pipeline, in process, one document at a time", r["references_in_process"]["pipeline_streaming"]),
        ("entity rules only (full pipeline without event assembly)", r["references_in_process"]["entity_rules"]),
        ("reference: naive EntityRuler, 50 token patterns", r["references_in_process"]["naive_ruler"]),
        ("reference: EntityRuler, phrase patterns only", r["references_in_process"]["phrase_ruler"]),
        (f"full pipeline, spaCy `n_process=1` ({r['spacy_sample_docs']:,} docs)", r["pipeline_spacy_n_process_1"]),
        (f"full pipeline, spaCy `n_process=2` ({r['spacy_sample_docs']:,} docs)", r["pipeline_spacy_n_process_2"]),
        (f"`crackdown run`, 1 worker (reading and processing in one process, the final files and facts in a "
         f"child; fastest of {n})", w1),
        (f"`crackdown run`, 2 workers (fastest of {n})", w2),
        (f"two `crackdown run`s of 1 worker at once, together (fastest of {n})", pair),
    ]
    lines = [START, "", f"Measured by `make bench` on {r['corpus_docs']:,} synthetic documents "
             f"(Python {r['python']}, spaCy {r['spacy']}, 2 cores, "
             f"{'modules compiled with mypyc' if r.get('compiled') else 'no module compiled'}):", "",
             "| what | docs/s | words/s |", "|---|---:|---:|"]
    lines += [f"| {name} | {v['docs_per_second']:,.0f} | {v['words_per_second']:,.0f} |" for name, v in rows]
    ratios = r["ratios"]
    rss = r["peak_rss_mb_per_worker"]
    lines += ["", f"- pipeline / tokenizer words/s: {ratios['pipeline_vs_tokenizer']:.3f} in process "
              f"({ratios['pipeline_streaming_vs_tokenizer']:.3f} one document at a time), "
              f"{ratios['run_1_worker_vs_tokenizer']:.3f} through `crackdown run`; entity rules only "
              f"{ratios['entity_rules_vs_tokenizer']:.3f}; the references: naive EntityRuler "
              f"{ratios['naive_ruler_vs_tokenizer']:.3f}, phrase patterns {ratios['phrase_ruler_vs_tokenizer']:.3f}",
              f"- 2 workers / 1 worker: {ratios['speedup_2_workers']:.2f}x (sharding; each run, docs/s: "
              f"{', '.join(f'{v:,.0f}' for v in w2['docs_per_second_each_run'])} with 2 workers, "
              f"{', '.join(f'{v:,.0f}' for v in w1['docs_per_second_each_run'])} with 1). Two 1-worker runs "
              f"at once, sharing nothing: {ratios['speedup_two_1_worker_runs_at_once']:.2f}x one alone "
              f"(each: {', '.join(f'{v:,.0f}' for v in pair['docs_per_second_each_process'])} docs/s; "
              f"together, each round: {', '.join(f'{v:,.0f}' for v in pair['docs_per_second_each_run'])}), "
              f"what this machine gives two processes. spaCy's `n_process=2` / `n_process=1`: "
              f"{ratios['speedup_spacy_n_process_2']:.2f}x",
              "- peak RSS per worker (2 workers): " + ", ".join(
                  f"{v:.0f} MB at {k.replace('_', ' ')}" for k, v in rss.items())
              + "; of the calling process, which reads and deduplicates: " + ", ".join(
                  f"{v:.0f} MB at {k.replace('_', ' ')}" for k, v in r["peak_rss_mb_caller"].items())
              + "; of its child that writes the final files and merges the facts: " + ", ".join(
                  f"{v:.0f} MB at {k.replace('_', ' ')}" for k, v in r.get("peak_rss_mb_consolidator", {}).items())
              + "; of the 1-worker run's calling process, which also runs the pipeline: "
              + f"{w1['peak_rss_mb_per_worker']:.0f} MB",
              "- milliseconds per document by component: "
              + ", ".join(f"{k} {v:.2f}" for k, v in r["ms_per_doc_by_component"].items()),
              f"- off-topic news (no drug figure; {r['topic']['off_topic']['event_rows']} event rows) against drug "
              f"news, in process: {r['topic']['off_topic']['words_per_second']:,.0f} against "
              f"{r['topic']['on_topic']['words_per_second']:,.0f} words/s, "
              f"{r['topic']['off_topic_speedup_words_per_second']:.2f}x",
              "- the per-document time budget (`--doc-timeout`, in process, fastest of 3): "
              f"{r['doc_timeout']['docs_per_second_with_budget']:,.0f} docs/s with it, "
              f"{r['doc_timeout']['docs_per_second_without_budget']:,.0f} without "
              f"({r['doc_timeout']['cost']:+.1%}); arming and disarming its alarm alone costs "
              f"{r['doc_timeout']['arm_and_disarm_us_per_doc']:.1f} µs a document",
              f"- Chinese ({r['chinese_in_process']['docs']:,} documents, the gold reports with their numbers "
              f"changed): the pipeline {r['chinese_in_process']['pipeline']['chars_per_second']:,.0f} characters/s "
              f"against {r['chinese_in_process']['tokenizer']['chars_per_second']:,.0f} for `spacy.blank(\"zh\")`'s "
              f"character tokenizer alone ({r['chinese_in_process']['pipeline_vs_tokenizer']:.3f}); a mixed "
              f"`crackdown run --lang auto` of English and Chinese documents, 1 worker: "
              f"{r['mixed_run_1_worker']['docs_per_second']:,.0f} docs/s "
              f"({', '.join(f'{k} {v:,}' for k, v in r['mixed_run_1_worker']['languages'].items())} documents)",
              *facts_lines(r), "", END]
    text = README.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if START in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda m: block, text, count=1, flags=re.S)
    else:
        text += "\n## Performance\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
