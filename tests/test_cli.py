"""The command line, through typer's CliRunner: outputs, exit codes, messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import spacy
from pandas.testing import assert_frame_equal
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.outputs import read_entities, read_events

from .helpers import GOLD, SPRING, edit_rules, read_jsonl

runner = CliRunner()


@pytest.fixture
def env(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRACKDOWN_MODEL", str(model_dir))
    return model_dir


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_run_writes_both_tables(env: Path, tmp_path: Path, fmt: str) -> None:
    result = runner.invoke(app, ["run", str(GOLD / "seed.jsonl"), "--output", str(tmp_path), "--format", fmt,
                                 "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"events.{fmt}").exists() and (tmp_path / f"entities.{fmt}").exists()
    # what the run wrote reads back equal to what the pipeline computes in memory
    docs = read_jsonl(GOLD / "seed.jsonl")
    nlp = spacy.load(env)
    assert_frame_equal(read_events(tmp_path), pipeline.extract(docs, nlp))
    assert_frame_equal(read_entities(tmp_path), pipeline.extract_entities(docs, nlp))
    assert_frame_equal(read_events(tmp_path / "shards" / "events"), read_events(tmp_path))  # the dataset
    assert len(read_events(tmp_path)) == 15
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["counts"]["docs_processed"] == 1


def test_run_with_bad_lines_exits_2_and_keeps_them(env: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "in.jsonl"
    corpus.write_text('{"id": "a", "text": "Police seized 5 kg of heroin."}\nnot json\n{"id": "b"}\n')
    result = runner.invoke(app, ["run", str(corpus), "-o", str(tmp_path / "out"), "--workers", "1", "-q"])
    assert result.exit_code == 2
    assert "2 document(s) failed" in result.output
    failures = [json.loads(x) for x in (tmp_path / "out" / "failures.jsonl").read_text().splitlines()]
    assert [f["line"] for f in failures] == [2, 3]
    assert "[E020]" in failures[0]["error"] and failures[0]["record"] == "not json"


def test_on_error_fail_stops_with_1(env: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "in.jsonl"
    corpus.write_text('{"id": "a"}\n{"id": "b", "text": "5 kg"}\n')
    result = runner.invoke(app, ["run", str(corpus), "-o", str(tmp_path / "out"), "--on-error", "fail", "-q"])
    assert result.exit_code == 1
    assert "in.jsonl line 1: 'text' is missing" in result.output


USAGE_ERRORS = [
    (["run"], "Missing argument"),
    (["run", "missing-file.jsonl", "-o", "x"], "[E028] missing-file.jsonl: no such file"),
    (["run", "README.md", "-o", "x"], "[E027]"),
    (["run", "in.jsonl", "-o", "x", "--format", "xml"], "'xml' is not one of 'parquet', 'csv', 'jsonl'"),
    (["run", "in.jsonl", "-o", "x", "--on-error", "maybe"], "'maybe' is not one of 'continue', 'fail'"),
    (["run", "in.jsonl", "-o", "x", "--engine", "spark"], "'spark' is not one of 'local', 'dask'"),
    (["run", "in.jsonl", "--outptu", "x"], "No such option: --outptu"),
    (["run", "in.csv", "-o", "x"], "[E090] in.csv has no text column 'text'; its columns are: id, body, date. "
                                   "Did you mean --text-field body?"),
    (["run", "in.csv", "-o", "x", "--text-field", "body", "--date-field", "day"],
     "[E090] in.csv has no date column 'day'; its columns are: id, body, date. Did you mean --date-field date?"),
    (["extract", "5 kg", "--published", "yesterday"], "[E091] 'yesterday' is not a date"),
    (["extract", "notes/missing.txt"], "[E092] notes/missing.txt: no such file"),
    (["extract", "missing.txt"], "[E092] missing.txt: no such file"),
    (["peer"], "[E093] Nothing to score"),
    (["peer", "--dates", "missing.jsonl"], "'missing.jsonl' does not exist"),
    (["evaluate", "missing.jsonl"], "'missing.jsonl' does not exist"),
    (["show", "in.jsonl", "--id", "nope"], "[E094] No document with id nope in in.jsonl."),
    (["show", "in.jsonl", "--limit", "0"], "[E095] 1 documents"),
    (["report", "."], "[E096] . has no manifest.json"),
    (["rules", "check", "--gold", "missing.jsonl"], "'missing.jsonl' does not exist"),
    (["no-such-command"], "No such command 'no-such-command'"),
]


@pytest.mark.parametrize("args, message", USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_errors_exit_1_with_one_line_and_a_hint(env: Path, tmp_path: Path, args, message: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: every usage error exits 1 with `error: ...` and `hint: ...`, no traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("not an input format")
    (tmp_path / "in.jsonl").write_text('{"id": "a", "text": "Police seized 5 kg of heroin."}\n')
    (tmp_path / "in.csv").write_text('id,body,date\na,"Police in Yunnan seized 5 kg of heroin.",2020-01-01\n')
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: "), result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_a_csv_runs_with_its_column_names(env: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "in.csv"
    corpus.write_text('id,body,date\na,"Police in Yunnan seized 5 kg of heroin on June 1.",2020-06-20\n')
    result = runner.invoke(app, ["run", str(corpus), "-o", str(tmp_path / "out"), "--text-field", "body",
                                 "--date-field", "date", "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    events = read_events(tmp_path / "out")
    assert events[["doc_id", "value", "period_end"]].values.tolist() == [["a", 5.0, pd.Timestamp("2020-06-01")]]


@pytest.mark.parametrize("debug", [[], ["--debug"], ["--debug", "<cmd>"]])
def test_an_unexpected_error_is_one_line_unless_debug(env: Path, monkeypatch: pytest.MonkeyPatch, debug) -> None:
    def broken(doc):
        raise RuntimeError("something broke")

    monkeypatch.setattr("pipeline.table.doc_events", broken)
    args = ["extract", "Police seized 5 kg of heroin."]
    args = debug[:1] + args if debug[1:] else args + debug  # the flag before or after the command
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "[E097] Unexpected RuntimeError: something broke" in result.output
    if debug:
        assert "Traceback (most recent call last)" in result.output and "in broken" in result.output
    else:
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 2
        assert "hint: rerun with --debug" in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"crackdown {pipeline.__version__}"


def test_choices_are_what_the_package_accepts() -> None:
    from pipeline.cli import Engine, OnError, OutputFormat
    from pipeline.outputs import FORMATS

    assert tuple(f.value for f in OutputFormat) == FORMATS
    assert [e.value for e in OnError] == ["continue", "fail"]
    assert [e.value for e in Engine] == ["local", "dask"]


def test_extract_prints_the_table(env: Path) -> None:
    result = runner.invoke(app, ["extract", "Police in Yunnan seized more than 94kg of opium.", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["event_type"], r["value"], r["provinces"], r["qualifier"]) for r in rows] == [
        ("drug_seizure", 94.0, ["CN-YN"], "more_than")]


def test_extract_table(env: Path) -> None:
    result = runner.invoke(app, ["extract", "Police in Yunnan seized more than 94kg of opium.", "--entities"])
    assert result.exit_code == 0, result.output
    assert "drug_seizure" in result.output and "CN-YN" in result.output and "PROVINCE" in result.output


@pytest.fixture
def seed_text(tmp_path: Path) -> Path:
    path = tmp_path / "seed.txt"
    path.write_text(read_jsonl(GOLD / "seed.jsonl")[0]["text"])
    return path


def test_extract_prints_one_line_per_event_when_it_fits(env: Path, seed_text: Path) -> None:
    """Issue 15: 15 events were 15 columns of 3 characters; now one row each."""
    result = runner.invoke(app, ["extract", str(seed_text), "--published", "2022-09-01"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "events (15)"
    assert lines[1].split()[:3] == ["event_type", "amount", "item"]
    rows = lines[3:]
    assert len(rows) == 15
    assert rows[2].split()[:4] == ["drug_seizure", "1,313.2", "kg", "drugs"]
    assert "until 2022-07-31" in rows[2]


def test_extract_prints_one_block_per_event_when_the_table_does_not_fit(env: Path, seed_text: Path) -> None:
    result = runner.invoke(app, ["extract", str(seed_text), "--published", "2022-09-01"], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 60
    assert [line for line in result.output.splitlines() if line.startswith("#")] == [f"#{i}" for i in range(1, 16)]
    assert "  amount      more than 1,000" in result.output


def test_extract_says_when_there_are_no_events(env: Path) -> None:
    result = runner.invoke(app, ["extract", "Nothing was counted here."])
    assert result.exit_code == 0 and result.output.strip() == "no events"


def test_explain_writes_numbers_and_periods_for_people(env: Path) -> None:
    """Issue 15: "2e+07 CNY" and an empty period shown as "… to …"."""
    text = "Police in Yunnan seized 2,300 grams of heroin and 20 million yuan in cash."
    result = runner.invoke(app, ["explain", text], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "20,000,000 CNY" in result.output and "2.3 kg" in result.output
    assert "e+07" not in result.output and "…" not in result.output
    assert "CN-YN (cue: sentence)" in result.output
    assert re.search(r"│ period +│ - +│", result.output)


def test_explain_says_why_a_quantity_is_not_an_event(env: Path) -> None:
    """Issue 11: explain shows why a figure is not an event."""
    result = runner.invoke(app, ["explain", "Police in Guangdong arrested 300 suspects in a fraud case."],
                           env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "no events" in result.output
    assert re.search(r"300 +│ no drug cue in sentence, paragraph or document", result.output)
    text = "Police in Yunnan seized 5 kg of heroin and three guns, and cracked 40 fraud cases."
    result = runner.invoke(app, ["explain", text], env={"COLUMNS": "160"})
    assert re.search(r"three +│ counts 'guns', never an event", result.output)
    assert re.search(r"40 +│ about fraud \(item: 'fraud'\)", result.output)


def test_evaluate_json(env: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(GOLD / "seed.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["events"]["f1"] == 1.0 and report["entities_micro"]["f1"] >= 0.95


def test_evaluate_table(env: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(GOLD / "news.jsonl")])
    assert result.exit_code == 0, result.output
    assert "Events" in result.output and "drug_seizure" in result.output
    assert "Facts: pairs of matched mentions" in result.output


def test_evaluate_json_scores_facts(env: Path) -> None:
    """Gold files with fact keys: pairwise "same fact" over matched mentions, fact counts, the
    oracle, per file and together."""
    result = runner.invoke(app, ["evaluate", str(GOLD / "facts.jsonl"), str(GOLD / "news.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)["facts"]
    assert set(facts["files"]) == {str(GOLD / "facts.jsonl"), str(GOLD / "news.jsonl")}
    assert facts["gold_facts"] == 21 + 63 and facts["oracle"]["facts"] == 21 + 63
    assert facts["pairwise"]["tp"] == sum(f["pairwise"]["tp"] for f in facts["files"].values())
    assert facts["files"][str(GOLD / "facts.jsonl")]["pairwise"]["f1"] >= 0.95


def test_missing_model_says_how_to_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRACKDOWN_MODEL", str(tmp_path / "nothing"))
    result = runner.invoke(app, ["extract", "5 kg"])
    assert result.exit_code == 1
    assert "[E010]" in result.output and "make model" in result.output


def test_a_stale_model_is_used_with_a_warning(checkout: Path) -> None:
    """Issue 15: after a config edit the old models/crackdown ran with no word."""
    fresh = runner.invoke(app, ["extract", SPRING, "--json"])
    assert fresh.exit_code == 0 and "warning" not in fresh.output
    edit_rules(checkout)
    stale = runner.invoke(app, ["extract", SPRING, "--json"])
    assert stale.exit_code == 0, stale.output
    assert "warning: [W010] The pipeline at" in stale.output and "--rebuild" in stale.output
    assert json.loads(stale.output.splitlines()[-1])["operation"] is None  # the old rules ran


def test_rebuild_brings_the_model_up_to_date(checkout: Path) -> None:
    from pipeline.rules import files_hash

    edit_rules(checkout)
    result = runner.invoke(app, ["extract", SPRING, "--json", "--rebuild"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert json.loads(result.output.splitlines()[0])["operation"] == "Spring Thunder"  # the new rule ran
    meta = json.loads((checkout / "models" / "crackdown" / "meta.json").read_text())
    assert meta["rules_hash"] == files_hash(checkout / "configs" / "en")
    again = runner.invoke(app, ["extract", SPRING, "--json"])
    assert "warning" not in again.output


def test_a_model_named_explicitly_is_not_compared(checkout: Path) -> None:
    edit_rules(checkout)
    result = runner.invoke(app, ["extract", SPRING, "--json", "--model", str(checkout / "models" / "crackdown")])
    assert result.exit_code == 0 and "warning" not in result.output
