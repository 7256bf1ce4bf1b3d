"""Nothing injected (issue 14, items 18-20): input never becomes markup in a page, a rule
file cannot blow up into gigabytes, and a CSV cell never becomes a spreadsheet formula."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus import RunConfig, run_corpus
from pipeline.errors import RulesError
from pipeline.outputs import read_events, write_table
from pipeline.render import report_html
from pipeline.rules import load_rules
from pipeline.schema import EVENT_COLUMNS

from .helpers import copy_configs

runner = CliRunner()
# each breaks out of a double-quoted attribute, where the document id used to go unescaped
PAYLOADS = ['"><script>alert(document.domain)</script>', '"><img src=x onerror=alert(1)>',
            '" onmouseover="alert(1)', '"></mark><svg onload=alert(1)>']


class _Markup(HTMLParser):
    """The tags and attributes a browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def assert_inert(page: str, allowed_svg: bool = False) -> None:
    markup = _Markup()
    markup.feed(page)
    assert "script" not in markup.tags and "img" not in markup.tags
    assert allowed_svg or "svg" not in markup.tags
    assert not [a for a in markup.attributes if a.startswith("on")]


# --- 18: HTML pages ----------------------------------------------------------------------
@pytest.mark.parametrize("payload", PAYLOADS)
def test_show_escapes_every_field_that_comes_from_input(model_dir: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch, payload: str) -> None:
    monkeypatch.setenv("CRACKDOWN_MODEL", str(model_dir))
    text = (f'{payload} Police in Yunnan seized 5 kg of {payload} heroin in the "{payload}" operation. '
            f"Police arrested 3 {payload} suspects.")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": payload, "text": text, "published": "2020-01-02"}) + "\n")
    page = tmp_path / "doc.html"
    result = runner.invoke(app, ["show", str(src), "--id", payload, "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text()
    assert_inert(html)
    assert html.count("<mark") >= 2 and "Events (" in html  # the page is still drawn


@pytest.mark.parametrize("payload", PAYLOADS)
def test_report_escapes_the_run_folder(model_dir: Path, tmp_path: Path, payload: str) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": payload, "published": "2020-01-02",
                               "text": "Police in Yunnan seized 5 kg of heroin in January 2020."}) + "\n"
                   + json.dumps({"id": "bad", "text": payload, "x": payload}) + "\n" + payload + "\n")
    out = tmp_path / "out"
    run_corpus([src], RunConfig(output=out, model=str(model_dir), workers=1))
    manifest = json.loads((out / "manifest.json").read_text())  # a run folder someone sent you
    manifest["counts"][payload] = payload
    manifest["timings"]["finished"] = payload
    manifest["pipeline"]["name"] = payload
    (out / "manifest.json").write_text(json.dumps(manifest))
    html = report_html(out)
    assert_inert(html, allowed_svg=True)
    assert "Drug seizures by province" in html


# --- 19: YAML bombs ------------------------------------------------------------------------
LAUGHS = """\
operation_words: [operation]
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
operations: *i
"""


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A copy of configs/ (the English rules beside the shared vocabularies); the English folder."""
    return copy_configs(tmp_path / "configs")


@pytest.mark.parametrize("command", [["rules", "check"], ["rules", "build", "--output", "MODEL"]])
def test_billion_laughs_are_refused_at_once(rules: Path, tmp_path: Path, command: list[str]) -> None:
    (rules / "operations.yml").write_text(LAUGHS)
    args = [a.replace("MODEL", str(tmp_path / "model")) for a in command] + ["--rules", str(rules)]
    if command[1] == "build":
        args += ["--config", str(rules / "config.cfg")]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, timeout=120)
    assert time.monotonic() - started < 60
    assert done.returncode == 1, done.stderr
    output = done.stdout + done.stderr
    assert "[E001]" in output and "operations.yml" in output and "anchors" in output
    assert "Traceback" not in output and not (tmp_path / "model").exists()


@pytest.mark.parametrize("content, detail", [
    ("operation_words: [operation]\nmore: &x [a]\n", "anchor &x"),
    ("operation_words: " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
    (b"operation_words: [caf\xe9]\n", "not UTF-8"),
])
def test_other_hostile_rule_files_are_problems_with_a_line(rules: Path, content: str | bytes, detail: str) -> None:
    target = rules / "operations.yml"
    target.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(RulesError, match=r"\[E001\]") as caught:
        load_rules(rules)
    assert any(detail in p and str(target) in p for p in caught.value.problems), caught.value.problems


# --- 20: CSV formulas ---------------------------------------------------------------------------
FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)",
            "\t=1", "\r=1", "'quoted already", "plain", "a=b"]


def test_csv_cells_are_never_formulas_and_read_back_unchanged(tmp_path: Path) -> None:
    rows = [{"doc_id": f, "event_type": "arrest", "value": -5.0, "unit": "count", "qualifier": "exact",
             "item": f, "drug": f, "provinces": ["CN-YN"], "scope": "provincial", "operation": f, "raw": f,
             "sentence": f, "start": 0, "end": 1, "rule": f, "trigger": f} for f in FORMULAS]
    from pipeline.schema import events_frame

    frame = events_frame(rows)
    write_table(frame, tmp_path / "events.csv", "csv", EVENT_COLUMNS)
    cells = pd.read_csv(tmp_path / "events.csv", dtype=str, keep_default_na=False)
    for column in ("doc_id", "item", "drug", "operation", "raw", "sentence", "rule", "trigger"):
        assert not cells[column].str.match(r"^[=+\-@\t\r]").any(), cells[column].tolist()
        assert cells[column].tolist()[:5] == ["'" + f for f in FORMULAS[:5]]
    assert cells["value"].tolist() == ["-5.0"] * len(FORMULAS)  # numbers stay numbers
    assert_frame_equal(read_events(tmp_path / "events.csv"), frame)


def test_a_csv_run_neutralises_ids_from_input(model_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "=cmd|' /C calc'!A0", "text": "Police in Yunnan seized 5 kg of heroin."}) + "\n")
    run_corpus([src], RunConfig(output=tmp_path / "out", model=str(model_dir), workers=1, fmt="csv"))
    first_cell = (tmp_path / "out" / "events.csv").read_text().splitlines()[1].split(",")[0]
    assert first_cell.startswith("\"'=cmd") or first_cell.startswith("'=cmd")
    assert read_events(tmp_path / "out")["doc_id"].tolist() == ["=cmd|' /C calc'!A0"]
