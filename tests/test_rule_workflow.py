"""Rules as maintained data: check, build, train from annotations, suggest from a corpus, accept."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.build import build_pipeline
from pipeline.cli import app
from pipeline.errors import RulesError
from pipeline.learn import read_gold_files, train
from pipeline.rules import load_rules
from pipeline.suggest import accept, suggest

from .helpers import CONFIGS, DATA, GOLD, ROOT, copy_configs

runner = CliRunner()
GOLD_FILES = [GOLD / "seed.jsonl", GOLD / "news.jsonl"]


def copy_rules(tmp_path: Path) -> Path:
    return copy_configs(tmp_path / "configs")


def test_models_are_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    """`make model` is reproducible: a fresh build equals the committed models/crackdown."""
    build_pipeline(CONFIGS / "config.cfg", CONFIGS, tmp_path / "crackdown")
    committed = ROOT / "models" / "crackdown"
    files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "crackdown") for p in (tmp_path / "crackdown").rglob("*")
                           if p.is_file())
    for name in files:
        assert (tmp_path / "crackdown" / name).read_bytes() == (committed / name).read_bytes(), name
    meta = json.loads((committed / "meta.json").read_text())
    assert meta["rules_hash"] == load_rules(CONFIGS).hash


def test_check_and_build_list_every_problem(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    shutil.copy(DATA / "broken" / "operations.yml", rules / "operations.yml")
    shutil.copy(DATA / "broken" / "provinces.yml", rules / "provinces.yml")
    for args in (["rules", "check", "--rules", str(rules)],
                 ["rules", "build", "--rules", str(rules), "--config", str(rules / "config.cfg"),
                  "--output", str(tmp_path / "model")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        output = " ".join(result.output.split())
        for expected in ("operations.yml line 5", "unknown key 'lable'", "operations.yml line 9:",
                         "provinces.yml line 5:", "'CN-XX'", "'Yunnan' maps to 'CN-YN' and to 'CN-GX'"):
            assert expected in output, (expected, output)
    assert not (tmp_path / "model").exists()


def test_check_passes_on_the_shipped_rules() -> None:
    result = runner.invoke(app, ["rules", "check", "--rules", str(CONFIGS), "--gold", str(GOLD_FILES[1])])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_rules_check_names_each_file_once_per_problem(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    for name in ("operations.yml", "provinces.yml"):
        shutil.copy(DATA / "broken" / name, rules / name)
    result = runner.invoke(app, ["rules", "check", "--rules", str(rules)])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(problems) == 5
    for line in problems:
        assert line.count(str(rules)) == 1, line
    assert f"error: {rules / 'provinces.yml'} line 5: [E003] unknown ISO 3166-2 code 'CN-XX'" in result.output


def test_check_takes_several_gold_files_as_the_readme_writes(tmp_path: Path) -> None:
    """Issue 15: `rules check --gold data/gold/*.jsonl` gave "unexpected extra argument(s)"."""
    def gold(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps({"id": name, "text": text, "entities": [], "events": []}) + "\n")
        return path

    first = gold("a.jsonl", "Police seized 5 kg of heroin.")
    second = gold("b.jsonl", 'The "Strike Hard" campaign and the cluster crackdowns went on.')
    alone = runner.invoke(app, ["rules", "check", "--gold", str(first)])
    assert "operation 'Strike Hard' matches nothing" in alone.output
    both = runner.invoke(app, ["rules", "check", "--gold", str(first), str(second)])
    assert both.exit_code == 0, both.output
    assert "'Strike Hard'" not in both.output
    assert "'Cluster Crackdown'" not in both.output  # "cluster crackdowns": a plural is a match


def test_train_learns_what_was_removed_and_it_generalises(tmp_path: Path) -> None:
    """Held-out folds score higher after learning back a province name and a trigger word."""
    rules = copy_rules(tmp_path)
    events = rules / "events.yml"
    events.write_text(events.read_text().replace("arrest: [arrested, arrest, arrests, arresting,", "arrest: ["))
    provinces = rules / "provinces.yml"
    provinces.write_text(provinces.read_text().replace("names: [Yunnan]", "names: [Yun-nan]"))
    result = train(read_gold_files(GOLD_FILES), rules, folds=5)
    assert len(result.folds) == 5
    assert result.mean("events_after") > result.mean("events_before")
    assert result.mean("entities_after") > result.mean("entities_before")
    assert all(f.events_after >= f.events_before for f in result.folds)
    assert "Yunnan" in result.learned.province_aliases["CN-YN"]
    assert "arrested" in result.learned.verb_classes["arrest"]


def test_train_on_the_shipped_rules_never_lowers_the_score(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "train", *map(str, GOLD_FILES), "--folds", "5", "--dry-run",
                                 "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    mean = [line for line in result.output.splitlines() if "mean" in line][0]
    before_events, after_events, before_entities, after_entities = map(float, re.findall(r"\d\.\d{3}", mean))
    assert after_events >= before_events and after_entities >= before_entities
    assert not (tmp_path / "learned.yml").exists()  # --dry-run writes nothing


def test_suggest_finds_removed_operations(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    operations = rules / "operations.yml"
    text = re.sub(r"  - name: Clean Border\n    aliases: \[.*?\]\n", "", operations.read_text())
    text = re.sub(r"  - name: Thunder\n    match: quoted\n    aliases: \[.*?\]\n", "", text)
    operations.write_text(text)
    nlp = build_pipeline(rules / "config.cfg", rules)
    rows = suggest(nlp, GOLD_FILES, load_rules(rules), top=5)
    top = [row["canonical"] for row in rows if row["kind"] == "operation"]
    assert "Clean Border" in top[:3] and "Thunder" in top[:3]
    assert all(row["examples"] for row in rows)


def test_accept_merges_reviewed_suggestions(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    reviewed = tmp_path / "reviewed.jsonl"
    rows = [{"kind": "operation", "text": "Spring Thunder", "canonical": "Spring Thunder"},
            {"kind": "place", "text": "Yunnan Sheng", "code": "CN-YN"},
            {"kind": "counted_noun", "text": "raid", "class": "inspected"},
            {"kind": "unit", "text": "liang", "unit": "kg", "factor": 0.05},
            {"kind": "operation", "text": "Not a campaign", "accept": False}]
    reviewed.write_text("".join(json.dumps(r) + "\n" for r in rows))
    target = accept(reviewed, rules)
    merged = load_rules(rules)
    assert target == rules / "learned" / "accepted.yml"
    assert any(op.name == "Spring Thunder" for op in merged.operations.operations)
    assert "Yunnan Sheng" in next(p for p in merged.provinces.provinces if p.code == "CN-YN").aliases
    assert "raid" in merged.events.noun_classes["inspected"]
    assert any("liang" in u.forms for u in merged.quantities.units)
    assert "Not a campaign" not in target.read_text()


def test_accept_refuses_incomplete_rows_with_their_lines(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    reviewed = tmp_path / "reviewed.jsonl"
    reviewed.write_text('{"kind": "operation", "text": "Fine"}\n{"kind": "place", "text": "Xizang Sheng"}\n'
                        '{"kind": "counted_noun", "text": "raids", "class": "weapons"}\n')
    with pytest.raises(RulesError) as info:
        accept(reviewed, rules)
    assert [p.split(":")[0] for p in info.value.problems] == [f"{reviewed} line 2", f"{reviewed} line 3"]
    assert not (rules / "learned" / "accepted.yml").exists()


def test_explain_names_rules_and_cues(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRACKDOWN_MODEL", str(model_dir))
    result = runner.invoke(app, ["explain", 'During the "Clean Border" operation, Yunnan police seized '
                                 "more than 94kg of opium on June 15.", "--published", "2019-06-21"])
    assert result.exit_code == 0, result.output
    for expected in ("operation.alias.quoted", "gazetteer.CN-YN", "quantity.digits+kg", "active:seized",
                     "cue: sentence", "2019-06-15"):
        assert expected in result.output, expected


@pytest.mark.parametrize("command", ["train", "suggest"])
def test_train_and_suggest_take_a_language(command: str, tmp_path: Path) -> None:
    """--lang names the rule folder; an unknown language, or one whose events another reader
    builds (Chinese), is a one-line error with a hint."""
    extra = ["--dry-run"] if command == "train" else ["-o", str(tmp_path / "s.jsonl")]
    unknown = runner.invoke(app, ["rules", command, str(GOLD_FILES[0]), "--lang", "xx", *extra])
    assert unknown.exit_code == 1 and "E105" in unknown.output and "hint:" in unknown.output
    chinese = runner.invoke(app, ["rules", command, str(GOLD_FILES[0]), "--lang", "zh", *extra])
    assert chinese.exit_code == 1 and "E109" in chinese.output and "crackdown_zh_events" in chinese.output


def test_suggest_in_english_by_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    operations = copy_configs(tmp_path / "configs") / "operations.yml"
    operations.write_text(re.sub(r"  - name: Clean Border\n    aliases: \[.*?\]\n", "", operations.read_text()))
    monkeypatch.chdir(tmp_path)  # configs/<lang> is found from the working folder, as in a checkout
    result = runner.invoke(app, ["rules", "suggest", *map(str, GOLD_FILES), "--lang", "en", "--top", "3",
                                 "-o", str(tmp_path / "s.jsonl")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "s.jsonl").read_text().splitlines()]
    assert "Clean Border" in [row.get("canonical") for row in rows if row["kind"] == "operation"]


def test_train_learns_only_from_documents_of_its_language(tmp_path: Path) -> None:
    """`rules train data/gold/*.jsonl` (English rules) leaves the Chinese gold out and says so:
    Chinese aliases learned into English rules, and Chinese scored by the English pipeline, are noise."""
    mixed = runner.invoke(app, ["rules", "train", *map(str, GOLD_FILES), str(GOLD / "zh.jsonl"), "--folds", "2",
                                "--dry-run", "--output", str(tmp_path)])
    assert mixed.exit_code == 0, mixed.output
    assert "W011" in mixed.output and "zh-d-01" in mixed.output
    assert not re.search(r"[\u4e00-\u9fff]", mixed.output.split("W011")[1].split("Train them")[1])
    only_chinese = runner.invoke(app, ["rules", "train", str(GOLD / "zh.jsonl"), "--dry-run",
                                       "--output", str(tmp_path)])
    assert only_chinese.exit_code == 1 and "E110" in only_chinese.output and "hint:" in only_chinese.output
