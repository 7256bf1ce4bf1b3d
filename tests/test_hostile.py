"""Hostile inputs (issue 14, items 1-7, and others a scraped corpus holds): one bad record
never ends a run. Each input ends as a failure row with file, line and reason, the rest
is processed, the run exits 0 or 2 without a traceback, its manifest's counts add up
and no temporary file is left."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.outputs import read_events

runner = CliRunner()
GOOD = "Police in Yunnan seized 12 kg of heroin and arrested 3 suspects."


@pytest.fixture
def env(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRACKDOWN_MODEL", str(model_dir))
    return model_dir


def jsonl(path: Path, *lines: str | bytes) -> Path:
    """A JSON Lines file of raw lines (str lines are written as UTF-8)."""
    path.write_bytes(b"".join((x.encode("utf-8") if isinstance(x, str) else x) + b"\n" for x in lines))
    return path


def doc(doc_id: str, text: str = GOOD, **extra) -> str:
    return json.dumps({"id": doc_id, "text": text, **extra})


def failures(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]


def codes(out: Path) -> list[tuple[int, str]]:
    return [(f["line"], f["error"][1:5]) for f in failures(out)]


def assert_clean(result, out: Path) -> dict:
    """Exit 0 or 2, no traceback, a manifest whose counts add up, no temporary file."""
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    counts = json.loads((out / "manifest.json").read_text())["counts"]
    assert counts["docs_read"] == counts["docs_processed"] + counts["docs_failed"] + counts["docs_duplicate"]
    assert not list(out.rglob("*.tmp"))
    return counts


def run(inputs: list[Path], out: Path, *args: str):
    result = runner.invoke(app, ["run", *map(str, inputs), "-o", str(out), "--workers", "1", "-q", *args])
    return result, assert_clean(result, out)


# --- item 1: lone surrogates --------------------------------------------------------------
def test_lone_surrogates_are_failures_and_never_end_the_run(env: Path, tmp_path: Path) -> None:
    src = jsonl(tmp_path / "s.jsonl",
                doc("ok"),
                '{"id": "s1", "text": "Police seized 5 kg \\ud800 of heroin."}',
                '{"id": "s\\udc00", "text": "Police seized 6 kg of heroin."}',
                '{"id": "s3", "text": null, "note": "\\ud800 in another field"}',
                '{"id": "s4", "text": "Police seized 7 kg of opium.", "published": "\\udfff"}')
    result, counts = run([src], tmp_path / "out")
    assert result.exit_code == 2
    assert (counts["docs_processed"], counts["docs_failed"]) == (2, 3)
    assert codes(tmp_path / "out") == [(2, "E069"), (3, "E069"), (4, "E022")]
    kept = failures(tmp_path / "out")
    assert "U+D800" in kept[0]["error"] and "'text'" in kept[0]["error"]
    assert kept[2]["record"]["note"] == "\ud800 in another field"  # the original record, read back exactly
    warning = json.loads((tmp_path / "out" / "warnings.jsonl").read_text())
    assert warning["doc_id"] == "s4" and "[W001]" in warning["warning"]


# --- item 2: deep nesting ----------------------------------------------------------------
def test_json_nested_100000_levels_is_one_failure(env: Path, tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    src = jsonl(tmp_path / "deep.jsonl", doc("a"), deep, '{"id": "b", "text": ' + deep + "}", doc("c", GOOD + " "))
    result, counts = run([src], tmp_path / "out")
    assert (counts["docs_processed"], counts["docs_failed"]) == (2, 2)
    assert codes(tmp_path / "out") == [(2, "E020"), (3, "E020")]
    assert "nested too deeply" in failures(tmp_path / "out")[0]["error"]


# --- item 3: texts over spaCy's max_length ----------------------------------------------------
def test_the_default_limit_is_spacys_and_the_failure_says_it(env: Path, tmp_path: Path) -> None:
    src = jsonl(tmp_path / "long.jsonl", doc("a"), doc("long", "word " * 300_000))
    result, counts = run([src], tmp_path / "out")
    assert (counts["docs_processed"], counts["docs_failed"]) == (1, 1)
    [failure] = failures(tmp_path / "out")
    assert failure["error"].startswith("[E025]") and "1,500,000 characters" in failure["error"]
    assert "limit of 1,000,000 (--max-chars)" in failure["error"]


@pytest.mark.slow
def test_a_raised_limit_raises_spacys_too(env: Path, tmp_path: Path) -> None:
    src = jsonl(tmp_path / "long.jsonl", doc("long", GOOD + " word" * 300_000))
    result, counts = run([src], tmp_path / "out", "--max-chars", "1600000")
    assert (result.exit_code, counts["docs_processed"], counts["events"]) == (0, 1, 2)


# --- item 4: damaged gzip ----------------------------------------------------------------------
def _gz(path: Path, lines: list[str]) -> bytes:
    data = gzip.compress("".join(line + "\n" for line in lines).encode())
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("damage", ["truncated", "flipped", "not gzip"])
def test_a_damaged_gzip_keeps_what_came_before(env: Path, tmp_path: Path, damage: str) -> None:
    src = tmp_path / "c.jsonl.gz"
    lines = [doc(f"d{i}", f"Police seized {i} kg of heroin in Yunnan. " + "x" * (i * 37 % 400)) for i in range(60)]
    data = _gz(src, lines)
    if damage == "truncated":
        src.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        src.write_bytes(data[:-6] + bytes([data[-6] ^ 0xFF]) + data[-5:])  # the CRC at the end
    else:
        src.write_bytes(b"".join(line.encode() + b"\n" for line in lines[:3]))
    result, counts = run([src], tmp_path / "out")
    assert result.exit_code == 2
    damaged = [f for f in failures(tmp_path / "out") if f["error"].startswith("[E060]")]
    assert len(damaged) == 1 and str(src) in damaged[0]["error"]
    if damage == "not gzip":
        assert (damaged[0]["line"], counts["docs_processed"]) == (1, 0)
    elif damage == "truncated":
        assert 0 < counts["docs_processed"] < 60
        assert damaged[0]["line"] == counts["docs_processed"] + 1  # where it stopped
    else:
        assert counts["docs_processed"] == 60 and "CRC" in damaged[0]["error"]


# --- item 5: damaged CSV and Parquet -------------------------------------------------------
def test_csv_rows_are_read_one_by_one(env: Path, tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_bytes(b"id,text,published\n"
                    b"a,Police seized 5 kg of heroin.,2020-01-02\n"
                    b'b,"Police seized 6 kg of ""ice"".\nA second, quoted line.",2020-01-03\n'
                    b'c,"quote" then text,2020-01-04\n'
                    b"d,too,many,fields\n"
                    b"e\n"
                    b"f,caf\xe9 seized 7 kg,2020-01-05\n"
                    b"g,Police seized 8 kg of opium.,\n"
                    b'h,"never closed,2020-01-06\n'
                    b"i,Police seized 9 kg.,2020-01-07\n")
    result, counts = run([src], tmp_path / "out")
    assert codes(tmp_path / "out") == [(5, "E062"), (6, "E064"), (7, "E064"), (8, "E023"), (10, "E062")]
    assert read_events(tmp_path / "out")["doc_id"].unique().tolist() == ["a", "b", "g"]
    assert counts["docs_processed"] == 3
    assert failures(tmp_path / "out")[3]["record"]["text"] == "caf\ufffd seized 7 kg"


@pytest.mark.parametrize("name, content, code", [
    ("empty.csv", b"", "E063"),
    ("empty.jsonl", b"", "E063"),
    ("empty.parquet", b"", "E065"),
    ("junk.parquet", b"PAR1 this is not parquet at all", "E065"),
])
def test_empty_and_junk_files_are_failures(env: Path, tmp_path: Path, name: str, content: bytes, code: str) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    result, counts = run([src, jsonl(tmp_path / "good.jsonl", doc("a"))], tmp_path / "out")
    assert (result.exit_code, counts["docs_processed"], counts["docs_failed"]) == (2, 1, 1)
    assert [c for _, c in codes(tmp_path / "out")] == [code]


def test_a_truncated_parquet_file_and_a_damaged_row_group(env: Path, tmp_path: Path) -> None:
    table = pa.table({"id": [f"d{i}" for i in range(100)],
                      "text": [f"Police seized {i} kg of heroin in Yunnan." for i in range(100)]})
    good = tmp_path / "two.parquet"
    pq.write_table(table, good, row_group_size=50, compression="snappy")
    data = bytearray(good.read_bytes())
    (tmp_path / "cut.parquet").write_bytes(bytes(data[: len(data) // 2]))
    column = pq.ParquetFile(good).metadata.row_group(0).column(1)
    first = column.dictionary_page_offset or column.data_page_offset
    for i in range(first + 30, first + column.total_compressed_size - 10):
        data[i] ^= 0x5A
    (tmp_path / "bad.parquet").write_bytes(bytes(data))
    result, counts = run([tmp_path / "cut.parquet", tmp_path / "bad.parquet"], tmp_path / "out")
    assert codes(tmp_path / "out") == [(0, "E065"), (1, "E066")]
    assert "rows 1 to 50" in failures(tmp_path / "out")[1]["error"]
    assert counts["docs_processed"] == 50 and read_events(tmp_path / "out")["doc_id"].iloc[0] == "d50"


# --- item 6: Parquet values JSON cannot hold ------------------------------------------------
def test_parquet_timestamps_and_bytes(env: Path, tmp_path: Path) -> None:
    stamp = pd.Timestamp("2020-03-04 05:06:07")
    frame = pd.DataFrame({"id": ["a", "b"], "text": [GOOD, None], "published": [stamp, stamp]})
    frame.to_parquet(tmp_path / "t.parquet")
    pq.write_table(pa.table({"id": [b"c", b"d"], "text": [GOOD.encode() + b" ", b"\xff\xfe not utf-8"]}),
                   tmp_path / "b.parquet")
    result, counts = run([tmp_path / "t.parquet", tmp_path / "b.parquet"], tmp_path / "out")
    assert (result.exit_code, counts["docs_processed"], counts["docs_failed"]) == (2, 2, 2)
    rows = failures(tmp_path / "out")
    assert [f["error"][:5] for f in rows] == ["[E022", "[E022"]
    assert rows[0]["record"]["published"] == "2020-03-04T05:06:07"
    assert "bytes that are not UTF-8" in rows[1]["error"] and rows[1]["record"]["text"].endswith("not utf-8")
    events = read_events(tmp_path / "out")
    assert sorted(events["doc_id"].unique()) == ["a", "c"]
    assert events.loc[events["doc_id"] == "a", "period_start"].isna().all()


# --- item 7: pathological texts ------------------------------------------------------------
def test_a_document_over_its_time_budget_is_a_failure(env: Path, tmp_path: Path) -> None:
    src = jsonl(tmp_path / "p.jsonl", doc("a"), doc("parens", "(" * 30_000), doc("b", GOOD + " Again."))
    started = time.monotonic()
    result, counts = run([src], tmp_path / "out", "--doc-timeout", "1")
    assert time.monotonic() - started < 30
    assert (result.exit_code, counts["docs_processed"], counts["docs_failed"]) == (2, 2, 1)
    [failure] = failures(tmp_path / "out")
    assert failure["error"].startswith("[E070]") and failure["line"] == 2 and "--doc-timeout 1" in failure["error"]


@pytest.mark.parametrize("routed", [False, True], ids=["model", "routed by language"])
def test_a_batch_with_a_document_over_its_budget_keeps_the_others(model_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  routed: bool) -> None:
    """Documents run in batches: one over its budget in the middle of a batch is named, and the
    documents before and after it in the batch are processed (a run routed by language too)."""
    if not routed:
        monkeypatch.setenv("CRACKDOWN_MODEL", str(model_dir))
    src = jsonl(tmp_path / "p.jsonl", doc("a"), doc("parens", "(" * 30_000), doc("b", GOOD + " Again."),
                doc("c", GOOD + " Once more."), doc("d", GOOD + " And again."))
    result, counts = run([src], tmp_path / "out", "--doc-timeout", "1")
    assert (result.exit_code, counts["docs_processed"], counts["docs_failed"]) == (2, 4, 1)
    [failure] = failures(tmp_path / "out")
    assert failure["record"]["doc_id"] == "parens" and failure["line"] == 2
    assert sorted(read_events(tmp_path / "out")["doc_id"].unique()) == ["a", "b", "c", "d"]


def test_one_sentence_of_14000_figures_takes_seconds_not_minutes(env: Path, tmp_path: Path) -> None:
    text = "Police seized " + ", ".join(f"{i} kg" for i in range(14_000)) + " of heroin."
    src = jsonl(tmp_path / "kg.jsonl", doc("kg", text))
    started = time.monotonic()
    result, counts = run([src], tmp_path / "out", "--doc-timeout", "30")  # the bound, not the budget, is tested
    assert time.monotonic() - started < 30
    assert (result.exit_code, counts["docs_processed"]) == (0, 1)


# --- inputs the issue does not name ---------------------------------------------------------
def test_bom_nul_and_line_ends(env: Path, tmp_path: Path) -> None:
    bom = jsonl(tmp_path / "bom.jsonl", "\ufeff" + doc("bom"))
    nul = jsonl(tmp_path / "nul.jsonl", b'{"id": "raw-nul", "text": "a\x00b"}', doc("escaped-nul", GOOD + "\\u0000"))
    crlf = tmp_path / "crlf.jsonl"
    crlf.write_bytes((doc("crlf1", GOOD + " 1") + "\r\n" + doc("crlf2", GOOD + " 2") + "\r\n").encode())
    cr = tmp_path / "cr.jsonl"
    cr.write_bytes((doc("cr1", GOOD + " 3") + "\r" + "not json" + "\r" + doc("cr2", GOOD + " 4")).encode())
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbfid,text\r\ncsv1," + GOOD.encode() + b" 5\r\n")
    result, counts = run([bom, nul, crlf, cr, tmp_path / "bom.csv"], tmp_path / "out")
    assert sorted(read_events(tmp_path / "out")["doc_id"].unique()) == [
        "bom", "cr1", "cr2", "crlf1", "crlf2", "csv1", "escaped-nul"]
    assert [(Path(f["source"]).name, f["line"], f["error"][1:5]) for f in failures(tmp_path / "out")] == [
        ("nul.jsonl", 1, "E020"), ("cr.jsonl", 2, "E020")]


def test_published_of_every_type_and_ids_of_every_type(env: Path, tmp_path: Path) -> None:
    values = [None, 20200101, 1.5, True, [], {"y": 2020}, [[["deep"]]], "x" * 100_000, "2020-13-45",
              "2020-01-02T03:04:05Z", "", "1e400"]
    lines = [json.dumps({"id": f"p{i}", "text": f"{GOOD} {i}", "published": v}) for i, v in enumerate(values)]
    ids = [1, 2.5, -0.0, "", " ", None, {"a": 1}, [1], True]
    lines += [json.dumps({"id": v, "text": f"Police seized {i} kg of opium."}) for i, v in enumerate(ids)]
    lines.append('{"id": 1, "text": "The same id as a number, again."}')
    result, counts = run([jsonl(tmp_path / "types.jsonl", *lines)], tmp_path / "out")
    processed = set(read_events(tmp_path / "out")["doc_id"])
    assert {f"p{i}" for i in range(len(values))} <= processed and {"1", "2.5", "-0.0"} <= processed
    assert [c for _, c in codes(tmp_path / "out")] == ["E030"] * 6 + ["E026"]
    warnings = [json.loads(x) for x in (tmp_path / "out" / "warnings.jsonl").read_text().splitlines()]
    assert len(warnings) == 9 and max(len(w["warning"]) for w in warnings) < 400  # a 100,000-char value, cut


def test_folders_with_links_that_go_nowhere_and_many_small_files(env: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    for i in range(1500):
        (folder / "sub" / f"{i:04d}.txt").write_text(f"Police in Yunnan seized {i} kg of heroin.")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "up").symlink_to(folder)  # a folder loop: not followed
    os.mkfifo(folder / "pipe.txt")
    started = time.monotonic()
    result, counts = run([folder], tmp_path / "out")
    assert time.monotonic() - started < 120
    assert (counts["docs_processed"], counts["docs_failed"]) == (1500, 3)
    problems = {Path(f["error"].split(":")[0].split("] ")[1]).name: f["error"] for f in failures(tmp_path / "out")}
    assert set(problems) == {"loop.txt", "dangling.txt", "pipe.txt"}
    assert "symbolic links" in problems["loop.txt"] and "not a regular file" in problems["pipe.txt"]


def test_inputs_that_are_links_to_nowhere_are_failures(env: Path, tmp_path: Path) -> None:
    (tmp_path / "loop.jsonl").symlink_to(tmp_path / "loop.jsonl")
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    good = jsonl(tmp_path / "good.jsonl", doc("a"))
    result, counts = run([tmp_path / "loop.jsonl", good, tmp_path / "dangling.csv"], tmp_path / "out")
    assert (result.exit_code, counts["docs_processed"], counts["docs_failed"]) == (2, 1, 2)
    assert [f["error"][:6] for f in failures(tmp_path / "out")] == ["[E067]", "[E067]"]
    assert "symbolic links" in failures(tmp_path / "out")[0]["error"]


@pytest.mark.parametrize("kind", ["junk config", "no meta"])
def test_a_model_that_is_not_a_pipeline_is_a_usage_error(env: Path, tmp_path: Path, kind: str) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.cfg").write_text("[nlp]\nlang = 'xx'\npipeline = ['nope']\n")
    if kind == "junk config":
        (model / "meta.json").write_text(json.dumps({"name": "crackdown", "rules_hash": "abc"}))
    src = jsonl(tmp_path / "in.jsonl", doc("a"))
    result = runner.invoke(app, ["run", str(src), "-o", str(tmp_path / "out"), "--model", str(model), "-q",
                                 "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: [E")
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.slow
def test_a_100_mb_line_is_skipped_unread(env: Path, tmp_path: Path) -> None:
    src = tmp_path / "huge.jsonl"
    with open(src, "wb") as handle:
        handle.write(doc("a").encode() + b"\n" + b'{"id": "huge", "text": "')
        for _ in range(100):
            handle.write(b"x" * (1 << 20))
        handle.write(b'"}\n' + doc("b", GOOD + " again").encode() + b"\n")
    result, counts = run([src], tmp_path / "out")
    assert (counts["docs_processed"], counts["docs_failed"]) == (2, 1)
    [failure] = failures(tmp_path / "out")
    assert failure["error"].startswith("[E061]") and failure["line"] == 2 and len(failure["record"]) == 200


# --- all of the above in one real process, with worker processes -------------------------------
@pytest.mark.slow
def test_every_hostile_input_in_one_real_run(model_dir: Path, tmp_path: Path) -> None:
    """The inputs of items 1-7 together, through the `crackdown` command and two workers."""
    inputs = [
        jsonl(tmp_path / "surrogates.jsonl", doc("ok"), '{"id": "s1", "text": "5 kg \\ud800"}',
              '{"id": "s3", "text": null, "x": "\\ud800"}'),
        jsonl(tmp_path / "deep.jsonl", "[" * 100_000 + "]" * 100_000),
        jsonl(tmp_path / "long.jsonl", doc("long", "word " * 300_000)),
        jsonl(tmp_path / "patho.jsonl", doc("parens", "(" * 30_000),
              doc("kg", "Police seized " + ", ".join(f"{i} kg" for i in range(14_000)))),
    ]
    data = gzip.compress("".join(doc(f"g{i}", f"{GOOD} {i}") + "\n" for i in range(40)).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "ragged.csv").write_bytes(b'id,text\na,"open\nb,x,y\n')
    (tmp_path / "junk.parquet").write_bytes(b"junk")
    pd.DataFrame({"id": ["t"], "text": [None], "published": [pd.Timestamp("2020-01-01")]}).to_parquet(
        tmp_path / "stamp.parquet")
    inputs += [tmp_path / n for n in ("cut.jsonl.gz", "ragged.csv", "junk.parquet", "stamp.parquet")]
    out = tmp_path / "out"
    env = {**os.environ, "CRACKDOWN_MODEL": str(model_dir)}
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", *map(str, inputs), "-o", str(out),
                           "-q", "--workers", "2", "--shard-size", "3", "--doc-timeout", "8"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    counts = manifest["counts"]
    assert counts["docs_read"] == counts["docs_processed"] + counts["docs_failed"] + counts["docs_duplicate"]
    assert not list(out.rglob("*.tmp"))
    found = {f["error"][1:5] for f in failures(out)}
    assert {"E069", "E022", "E020", "E025", "E070", "E060", "E062", "E065"} <= found
    timed_out = [f["record"]["doc_id"] for f in failures(out) if f["error"].startswith("[E070]")]
    # the parentheses always exceed the budget; 14,000 figures in one sentence take a few seconds
    # (bounded: test_one_sentence_of_14000_figures_takes_seconds_not_minutes), which a loaded
    # machine may stretch past 8 s: either way the document ends as a row or a failure, never lost
    assert "parens" in timed_out and set(timed_out) <= {"parens", "kg"}
