"""Corpus runs: every document counted, failures kept, same output whatever the workers or resumption."""

from __future__ import annotations

import gzip
import json
import os
import signal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
import spacy
from pandas.testing import assert_frame_equal
from spacy.language import Language

from pipeline.consolidate import PROCESS_NAME, Consolidator, ConsolidatorLost
from pipeline.corpus import _MODELS, RunAborted, RunConfig, RunStopped, run_corpus
from pipeline.errors import InputError
from pipeline.outputs import read_entities, read_events, read_facts

from .helpers import GOLD, read_jsonl


def write_lines(path: Path, lines) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The gold documents, each three times under new ids, with texts that differ."""
    docs = read_jsonl(GOLD / "seed.jsonl") + read_jsonl(GOLD / "news.jsonl")
    lines = []
    for copy in range(3):
        for doc in docs:
            text = doc["text"] + f"\n\n(Archive copy {'abc'[copy]}.)"
            lines.append(json.dumps({"id": f"{doc['id']}-{copy}", "published": doc["published"], "text": text}))
    return write_lines(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", lines)


def corpus_model(model_dir: Path) -> Language:
    """The pipeline a 1-worker run in this process used (runs keep it between shards)."""
    return _MODELS[str(Path(model_dir).resolve())]


def run(inputs, tmp_path: Path, name: str, model_dir: Path, **kwargs):
    config = RunConfig(output=tmp_path / name, model=str(model_dir), **kwargs)
    return run_corpus([str(p) for p in inputs], config), config.output


def test_bad_records_are_counted_kept_and_explained(tmp_path: Path, model_dir: Path) -> None:
    src = tmp_path / "in.jsonl"
    with open(src, "wb") as handle:
        handle.write(b'{"id": "ok", "text": "Police seized 5 kg of heroin.", "published": "2020-01-02"}\n')
        handle.write(b"this is not json\n")
        handle.write(b'["a", "list"]\n')
        handle.write(b'{"id": "no-text"}\n')
        handle.write(b'{"id": "null-text", "text": null}\n')
        handle.write(b'{"id": "empty", "text": "  "}\n')
        handle.write(b'{"id": "number", "text": 42}\n')
        handle.write(b'{"id": "latin1", "text": "caf\xe9"}\n')
        handle.write(b'{"id": "bad-date", "text": "Police seized 3 kg of ice.", "published": "last week"}\n')
        handle.write(b'{"id": "long", "text": "' + b"x" * 200 + b'"}\n')
        handle.write(b'{"id": "ok", "text": "A second document with the id of the first."}\n')
        handle.write(b'{"id": "copy", "text": "Police seized 5 kg of heroin."}\n')
    manifest, out = run([src], tmp_path, "out", model_dir, workers=1, read=_opts(max_chars=100))
    counts = manifest["counts"]
    assert counts == {"docs_read": 12, "docs_processed": 2, "docs_failed": 9, "docs_duplicate": 1,
                      "events": 2, "entities": counts["entities"], "facts": 2}
    assert counts["docs_read"] == counts["docs_processed"] + counts["docs_failed"] + counts["docs_duplicate"]
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()]
    codes = [(f["line"], f["error"].split("]")[0].lstrip("[")) for f in failures]
    assert codes == [(2, "E020"), (3, "E021"), (4, "E022"), (5, "E022"), (6, "E022"), (7, "E022"),
                     (8, "E023"), (10, "E025"), (11, "E026")]
    assert all(str(src) in f["error"] for f in failures)
    assert failures[0]["record"] == "this is not json"
    warning = json.loads((out / "warnings.jsonl").read_text())
    assert warning["doc_id"] == "bad-date" and "[W001]" in warning["warning"]
    assert json.loads((out / "duplicates.jsonl").read_text())["same_as"] == "ok"
    assert f"already used at line {src}:1;" in failures[-1]["error"]
    assert not (out / "shards" / "seen.sqlite").exists()  # the duplicate index is scratch


def _opts(**kwargs):
    from pipeline.reader import ReadOptions

    return ReadOptions(**kwargs)


def test_on_error_fail_stops(tmp_path: Path, model_dir: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", ['{"id": "a", "text": "5 kg"}', "{oops"])
    with pytest.raises(RunAborted, match=r"in.jsonl line 2"):
        run([src], tmp_path, "out", model_dir, workers=1, on_error="fail")
    # the final files are written as shards finish: a stopped run leaves none half-written
    assert not list((tmp_path / "out").glob("*.tmp")) and not list((tmp_path / "out").glob("events.*"))


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_final_files_keep_shard_order_whatever_order_shards_finish(corpus: Path, tmp_path: Path,
                                                                   model_dir: Path, fmt: str) -> None:
    _, out = run([corpus], tmp_path, "out", model_dir, workers=1, shard_size=12, fmt=fmt)
    expected = read_events(out / f"events.{fmt}"), read_entities(out / f"entities.{fmt}")
    for stem in ("events", "entities"):
        (out / f"{stem}.{fmt}").unlink()
    facts = read_facts(out / f"facts.{fmt}")
    final = Consolidator(RunConfig(output=out, model=str(model_dir), fmt=fmt, shard_size=12))
    for index in (2, 0, 3, 1):  # 48 documents in 4 shards, finishing out of order
        final.add(index)
    final.close()
    assert_frame_equal(read_events(out / f"events.{fmt}"), expected[0])
    assert_frame_equal(read_entities(out / f"entities.{fmt}"), expected[1])
    assert_frame_equal(read_facts(out / f"facts.{fmt}"), facts)


def test_facts_do_not_depend_on_the_shard_size(corpus: Path, tmp_path: Path, model_dir: Path) -> None:
    """The three copies of each gold document are reprints of one story: one set of facts."""
    _, small = run([corpus], tmp_path, "small", model_dir, workers=1, shard_size=5)
    _, large = run([corpus], tmp_path, "large", model_dir, workers=1, shard_size=40)
    facts = read_facts(small)
    assert_frame_equal(read_facts(large), facts)
    assert_frame_equal(read_events(large), read_events(small))
    events = read_events(small)
    assert events["fact_id"].isin(facts["fact_id"]).all()
    assert facts["n_mentions"].sum() == len(events)
    copies = facts[facts["fact_id"].str.startswith("dev-09-0:")]
    assert len(copies) and (copies["n_docs"] == 3).all()
    assert copies["doc_ids"].map(list).tolist()[0] == ["dev-09-0", "dev-09-1", "dev-09-2"]


def test_a_reprint_caught_as_a_duplicate_adds_no_fact(tmp_path: Path, model_dir: Path) -> None:
    """The same text under a new id, a day later: listed as a duplicate, its facts those of the
    original, with one more document and mention each."""
    docs = read_jsonl(GOLD / "facts.jsonl")[:3]
    lines = [json.dumps({"id": d["id"], "published": d["published"], "text": d["text"]}) for d in docs]
    reprint = json.dumps({"id": "fd-01-reprint", "published": "2019-11-25", "text": docs[0]["text"]})
    _, alone = run([write_lines(tmp_path / "a.jsonl", lines)], tmp_path, "alone", model_dir, workers=1)
    manifest, out = run([write_lines(tmp_path / "b.jsonl", lines + [reprint])], tmp_path, "reprinted", model_dir,
                        workers=1)
    before, after = read_facts(alone), read_facts(out)
    assert manifest["counts"]["docs_duplicate"] == 1 and manifest["counts"]["facts"] == len(before) == len(after)
    assert_frame_equal(read_events(out), read_events(alone))
    duplicate = json.loads((out / "duplicates.jsonl").read_text())
    assert duplicate == {"doc_id": "fd-01-reprint", "same_as": "fd-01", "source": str(tmp_path / "b.jsonl"),
                         "line": 4, "published": "2019-11-25"}
    of_fd01 = after["doc_ids"].map(lambda ids: "fd-01" in ids)
    assert of_fd01.sum() == 3
    assert after[of_fd01]["doc_ids"].map(list).tolist() == [["fd-01", "fd-02", "fd-01-reprint"]] * 3
    assert (after[of_fd01]["n_mentions"] - before[of_fd01]["n_mentions"]).tolist() == [2, 1, 1]
    assert (after[of_fd01]["last_published"] == pd.Timestamp("2019-11-25")).all()
    assert_frame_equal(after[~of_fd01], before[~of_fd01])


def test_missing_input_is_a_usage_error(tmp_path: Path, model_dir: Path) -> None:
    with pytest.raises(InputError, match=r"\[E028\]"):
        run([tmp_path / "nope.jsonl"], tmp_path, "out", model_dir)


@pytest.mark.parametrize("on_error", ["continue", "fail"])
def test_run_restores_the_callers_arrow_memory_pool(tmp_path: Path, model_dir: Path, on_error: str) -> None:
    """A run uses the C allocator for Arrow, and gives the caller its own back, even when stopped."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Police in Yunnan seized 12 kg of heroin."}\nnot json\n')
    original = pa.default_memory_pool()
    try:
        mimalloc = pa.mimalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no mimalloc pool to tell apart from the system one")
    pa.set_memory_pool(mimalloc)
    try:
        if on_error == "fail":
            with pytest.raises(RunAborted):
                run([corpus], tmp_path, "out", model_dir, workers=1, on_error=on_error)
        else:
            run([corpus], tmp_path, "out", model_dir, workers=1, on_error=on_error)
        assert pa.default_memory_pool().backend_name == "mimalloc"
    finally:
        pa.set_memory_pool(original)


def test_reloading_the_pipeline_bounds_the_vocabulary_and_changes_nothing(
        corpus: Path, tmp_path: Path, model_dir: Path) -> None:
    kept, out_kept = run([corpus], tmp_path, "kept", model_dir, workers=1, shard_size=8, reload_after_words=0)
    whole_corpus = len(corpus_model(model_dir).vocab)
    fresh, out_fresh = run([corpus], tmp_path, "fresh", model_dir, workers=1, shard_size=8, reload_after_words=1)
    last_shard = len(corpus_model(model_dir).vocab)
    assert kept["pipeline_loads"] <= 1  # 0 when an earlier test in this process loaded it
    assert fresh["pipeline_loads"] == fresh["shards"] > 1  # every shard meets new words
    assert last_shard < whole_corpus
    assert_frame_equal(read_events(out_fresh), read_events(out_kept))
    assert_frame_equal(read_entities(out_fresh), read_entities(out_kept))


def test_text_folders_gzip_csv_parquet(tmp_path: Path, model_dir: Path) -> None:
    folder = tmp_path / "txt"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Police in Yunnan seized 12 kg of heroin.")
    (folder / "sub" / "b.txt").write_text("Police in Gansu arrested 3 drug suspects.")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    with gzip.open(tmp_path / "c.jsonl.gz", "wt") as handle:
        handle.write(json.dumps({"id": "c", "text": "Guangxi police seized 4 tonnes of meth."}) + "\n")
    pd.DataFrame({"key": ["d"], "body": ["Police seized 7 kg of opium."], "date": ["2020-01-01"]}).to_csv(
        tmp_path / "d.csv", index=False)
    pd.DataFrame({"key": ["e"], "body": ["Police seized 9 kg of ketamine."], "date": [None]}).to_parquet(
        tmp_path / "e.parquet")
    manifest, out = run([folder, tmp_path / "c.jsonl.gz"], tmp_path, "one", model_dir, workers=1)
    events = read_events(out)
    assert sorted(events["doc_id"]) == ["a.txt", "c", "sub/b.txt"]
    assert manifest["counts"]["docs_failed"] == 1
    assert "[E024]" in (out / "failures.jsonl").read_text()
    manifest, out = run([tmp_path / "d.csv", tmp_path / "e.parquet"], tmp_path, "two", model_dir, workers=1,
                        read=_opts(text_field="body", id_field="key", date_field="date"))
    events = read_events(out)
    assert events[["doc_id", "value"]].values.tolist() == [["d", 7.0], ["e", 9.0]]


@pytest.mark.slow
def test_same_output_whatever_the_workers_and_resumption(corpus: Path, tmp_path: Path, model_dir: Path) -> None:
    one, out1 = run([corpus], tmp_path, "w1", model_dir, workers=1, shard_size=7, fmt="jsonl")
    two, out2 = run([corpus], tmp_path, "w2", model_dir, workers=2, shard_size=7, fmt="jsonl")
    assert one["counts"] == two["counts"] and one["shards"] == 7
    assert_frame_equal(read_events(out1), read_events(out2))
    assert_frame_equal(read_entities(out1), read_entities(out2))
    assert_frame_equal(read_facts(out1), read_facts(out2))
    # a killed run: drop two finished shards, then resume
    for index in (2, 5):
        (out2 / "shards" / f"part-{index:05d}.json").unlink()
    (out2 / "events.jsonl").unlink()
    resumed, _ = run([corpus], tmp_path, "w2", model_dir, workers=2, shard_size=7, fmt="jsonl", resume=True)
    assert resumed["shards_resumed"] == 5 and resumed["counts"] == one["counts"]
    assert_frame_equal(read_events(out2), read_events(out1))
    assert_frame_equal(read_facts(out2), read_facts(out1))


def test_resume_refuses_other_shards(corpus: Path, tmp_path: Path, model_dir: Path) -> None:
    run([corpus], tmp_path, "r", model_dir, workers=1, shard_size=20)
    with pytest.raises(InputError, match=r"\[E032\]"):
        run([corpus], tmp_path, "r", model_dir, workers=1, shard_size=10, resume=True)


def test_manifest_describes_the_run(corpus: Path, tmp_path: Path, model_dir: Path) -> None:
    manifest, out = run([corpus], tmp_path, "m", model_dir, workers=1)
    assert manifest["inputs"][0]["sha256"] and manifest["inputs"][0]["size"] == corpus.stat().st_size
    assert manifest["pipeline"]["rules_hash"] and manifest["pipeline"]["name"] == "crackdown"
    assert manifest["timings"]["docs_per_second"] > 0
    timings = manifest["timings"]  # facts: the caller's merge (wall and CPU) and the workers' parts
    assert 0 < timings["facts_seconds"] < timings["seconds"] and timings["facts_cpu_seconds"] > 0
    assert 0 < timings["worker_facts_seconds"] < timings["seconds"]
    assert manifest["driver"]["peak_rss_mb"] > 0 and manifest["driver"]["cpu_seconds"] > 0
    assert json.loads((out / "manifest.json").read_text())["counts"] == manifest["counts"]


@pytest.mark.slow
def test_dask_engine_matches_local(corpus: Path, tmp_path: Path, model_dir: Path) -> None:
    pytest.importorskip("dask.distributed")
    local, out1 = run([corpus], tmp_path, "local", model_dir, workers=1, shard_size=10)
    dask, out2 = run([corpus], tmp_path, "dask", model_dir, workers=2, shard_size=10, engine="dask")
    assert dask["counts"] == local["counts"]
    assert_frame_equal(read_events(out2), read_events(out1))
    assert_frame_equal(read_entities(out2), read_entities(out1))
    assert_frame_equal(read_facts(out2), read_facts(out1))


@Language.component("crackdown_test_boom")
def _boom(doc):
    """A component that fails on one document, as a pipeline bug would."""
    if "BOOM" in doc.text:
        raise RuntimeError("boom")
    return doc


def test_a_document_that_breaks_the_pipeline_is_a_failure_and_the_rest_is_kept(tmp_path, model_dir):
    nlp = spacy.load(model_dir)
    nlp.add_pipe("crackdown_test_boom", after="segmenter")
    broken = tmp_path / "broken-model"
    nlp.to_disk(broken)
    docs = read_jsonl(GOLD / "news.jsonl")[:4]
    lines = [json.dumps({"id": d["id"], "published": d["published"], "text": d["text"]}) for d in docs]
    bad = json.dumps({"id": "bad", "text": "Police seized 5 kg of heroin. BOOM"})
    corpus = write_lines(tmp_path / "c.jsonl", lines[:2] + [bad] + lines[2:])
    good = write_lines(tmp_path / "good.jsonl", lines)
    manifest, out = run([corpus], tmp_path, "with-bad", broken, workers=1, shard_size=10)
    _, expected = run([good], tmp_path, "good", model_dir, workers=1, shard_size=10)
    assert (manifest["counts"]["docs_processed"], manifest["counts"]["docs_failed"]) == (4, 1)
    failure = json.loads((out / "failures.jsonl").read_text())
    assert "[E031]" in failure["error"] and "line 3" in failure["error"] and "boom" in failure["error"]
    assert failure["line"] == 3
    assert failure["record"]["doc_id"] == "bad"
    assert_frame_equal(read_events(out), read_events(expected))
    assert_frame_equal(read_entities(out), read_entities(expected))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_corpus_with_no_drug_figure_gives_empty_tables(tmp_path: Path, model_dir: Path, workers: int) -> None:
    """Off-topic news only: every document processed, no event and no fact (the facts part of a
    shard with no event rows is empty, not an error)."""
    lines = [json.dumps({"id": f"w{i}", "text": f"The weather in Beijing was fine on Monday, and {300 + i} people "
                                                 "visited the park."}) for i in range(3)]
    manifest, out = run([write_lines(tmp_path / "offtopic.jsonl", lines)], tmp_path, "out", model_dir,
                        workers=workers, shard_size=2)
    assert (manifest["counts"]["docs_processed"], manifest["counts"]["events"], manifest["counts"]["facts"]) \
        == (3, 0, 0)
    assert read_events(out).empty and read_facts(out).empty


def _child_freezes(queue) -> None:  # noqa: ANN001 - a multiprocessing queue
    import gc

    from pipeline import corpus

    corpus._MODELS["inherited"] = object()  # as if the parent had run the pipeline in process
    corpus._freeze_worker()
    queue.put((len(corpus._MODELS), gc.get_freeze_count() > 0))


def test_a_worker_drops_inherited_pipelines_before_it_freezes() -> None:
    """A worker forked from a process that never froze (a notebook) freezes its imports but not
    the pipelines it inherited: those would never be freed when reloaded."""
    import gc
    import multiprocessing

    if gc.get_freeze_count():
        pytest.skip("this test process froze its objects already")
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child_freezes, args=(queue,))
    child.start()
    child.join(60)
    assert queue.get(timeout=5) == (0, True)
    assert gc.get_freeze_count() == 0  # the calling process is left alone


# --- the consolidating process (pipeline.consolidate) -------------------------------------------
def consolidators() -> list[int]:
    """This process's live children that are consolidating processes (by their name in /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm, fields = (entry / "stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            parts = fields.split()
            if int(parts[1]) == os.getpid() and parts[0] != "Z" and comm.endswith(f"({PROCESS_NAME}"):
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize(("error", "raised", "match"), [
    (OSError(28, "No space left on device", "facts.sqlite"), RunStopped, r"\[E072\] .*facts.sqlite: the disk is full"),
    (pa.ArrowInvalid("a damaged facts part"), pa.ArrowInvalid, "a damaged facts part"),
])
def test_an_error_in_the_consolidating_process_stops_the_run_as_in_the_caller(
        corpus: Path, tmp_path: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch,
        error: Exception, raised: type, match: str) -> None:
    """Raised in the child (it inherits the patch), the error reaches the caller as the same class and
    message the caller's own merge raised before (a full disk: E072 and --resume); no temporary
    file, half-written final file or child process is left, and --resume finishes the run."""
    calls = {"n": 0}
    with_facts = Consolidator._with_facts  # the merge of a shard's facts (FactIndex may be compiled: not patched)

    def failing(self, index, table):
        calls["n"] += 1
        if calls["n"] == 2:  # counted in the child: its second shard
            raise error
        return with_facts(self, index, table)

    monkeypatch.setattr(Consolidator, "_with_facts", failing)
    with pytest.raises(raised, match=match):
        run([corpus], tmp_path, "out", model_dir, workers=1, shard_size=12)
    out = tmp_path / "out"
    assert not list(out.rglob("*.tmp")) and not list(out.glob("events.*")) and not list(out.glob("facts.*"))
    assert not consolidators()
    monkeypatch.setattr(Consolidator, "_with_facts", with_facts)
    _, clean = run([corpus], tmp_path, "clean", model_dir, workers=1, shard_size=12)
    manifest, _ = run([corpus], tmp_path, "out", model_dir, workers=1, shard_size=12, resume=True)
    assert manifest["shards_resumed"] >= 1
    assert_frame_equal(read_events(out), read_events(clean))
    assert_frame_equal(read_facts(out), read_facts(clean))


def test_a_killed_consolidating_process_is_named_and_resume_finishes(
        corpus: Path, tmp_path: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_facts = Consolidator._with_facts

    def killed(self, index, table):
        os.kill(os.getpid(), signal.SIGKILL)  # in the child: as the kernel's out-of-memory killer would

    monkeypatch.setattr(Consolidator, "_with_facts", killed)
    with pytest.raises(ConsolidatorLost, match=r"\[E084\] .*died \(killed by SIGKILL.*--resume"):
        run([corpus], tmp_path, "out", model_dir, workers=1, shard_size=12)
    assert not consolidators()
    monkeypatch.setattr(Consolidator, "_with_facts", with_facts)
    manifest, out = run([corpus], tmp_path, "out", model_dir, workers=1, shard_size=12, resume=True)
    assert manifest["shards_resumed"] >= 1 and not list(out.rglob("*.tmp"))


def test_one_worker_annotates_in_process_and_facts_merge_beside_it(corpus: Path, tmp_path: Path,
                                                                    model_dir: Path) -> None:
    """The consolidating process is a child; the pipeline stays in the caller (a 1-worker run)."""
    manifest, _ = run([corpus], tmp_path, "out", model_dir, workers=1, shard_size=12)
    assert list(manifest["peak_rss_mb_per_worker"]) == [str(os.getpid())]
    assert manifest["driver"]["consolidator_peak_rss_mb"] > 0 and manifest["driver"]["consolidator_cpu_seconds"] > 0
    timings = manifest["timings"]
    assert timings["consolidator_facts_seconds"] > 0 and timings["facts_cpu_seconds"] > 0
    assert not consolidators()
