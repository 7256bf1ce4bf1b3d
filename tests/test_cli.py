"""The command line, through typer's CliRunner: outputs, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from pandas.testing import assert_frame_equal
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.outputs import read_entities, read_events

from .helpers import GOLD, read_jsonl

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


@pytest.mark.parametrize("args", [
    ["run"],  # missing input
    ["run", "missing-file.jsonl", "-o", "x"],
    ["run", "README.md", "-o", "x", "--format", "xml"],
    ["extract", "5 kg", "--published", "yesterday"],
    ["no-such-command"],
])
def test_usage_errors_exit_1(env: Path, tmp_path: Path, args, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("not an input format")
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "x").exists()


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
