"""Visual audit: a document page with linked events, a run report that opens in a browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.corpus import RunConfig, run_corpus
from pipeline.render import COLORS, report_html

from .helpers import GOLD

runner = CliRunner()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, model_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    corpus = out.parent / "in.jsonl"
    corpus.write_text((GOLD / "news.jsonl").read_text() + "not json\n")
    run_corpus([corpus], RunConfig(output=out, model=str(model_dir), workers=1))
    return out


def test_show_links_every_event_to_its_quantity(model_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRACKDOWN_MODEL", str(model_dir))
    page = tmp_path / "doc.html"
    result = runner.invoke(app, ["show", str(GOLD / "news.jsonl"), "--id", "dev-09", "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text()
    ids = set(re.findall(r'<mark id="([^"]+)"', html))
    links = re.findall(r'<a href="#([^"]+)">', html)
    assert len(links) == 8 and set(links) <= ids
    assert "Guangxi Zhuang Autonomous Region" in html and "#8fd3f4" in html  # a province, in its colour


def test_show_needs_a_known_id(model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRACKDOWN_MODEL", str(model_dir))
    result = runner.invoke(app, ["show", str(GOLD / "news.jsonl"), "--id", "nope", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "[E094] No document with id nope" in result.output


def test_report_holds_counts_charts_failures_manifest(run_dir: Path) -> None:
    html = report_html(run_dir)
    assert "docs_failed" in html and html.count("<svg") == 4
    assert "Drug seizures by province" in html and "Yunnan" in html
    assert "[E020]" in html  # the bad line, listed under failures
    assert "&quot;rules_hash&quot;" in html
    assert not re.search(r"""(?:src|href)=["']https?://""", html)  # nothing to fetch: opens with no network


def _browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_report_renders_in_headless_chromium(run_dir: Path, tmp_path: Path) -> None:
    """The report opens in a real browser and draws something (CI sets CRACKDOWN_REQUIRE_BROWSER)."""
    if _browser() is None:
        if os.environ.get("CRACKDOWN_REQUIRE_BROWSER"):
            pytest.fail("no chromium on PATH, and CRACKDOWN_REQUIRE_BROWSER is set")
        pytest.skip("no headless Chromium here (.ci/run installs Debian's chromium)")
    from PIL import Image, ImageStat

    page = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(run_dir), "-o", str(page)])
    assert result.exit_code == 0, result.output
    shot = tmp_path / "shot.png"
    subprocess.run([_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,3000",
                    f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    image = Image.open(shot).convert("L")
    stat = ImageStat.Stat(image)
    dark = sum(count for value, count in enumerate(image.histogram()) if value < 200)
    assert stat.stddev[0] > 10, "the screenshot is blank"
    assert dark / (image.width * image.height) > 0.01, "almost nothing was drawn"


def _marks(html: str) -> list[tuple[str, str]]:
    """(text, label) of each highlighted entity of a displaCy page."""
    return [(text.strip(), label) for text, label in
            re.findall(r'<mark [^>]*class="entity"[^>]*>\s*(.*?)\s*<span[^>]*>(.*?)</span>', html, flags=re.S)]


def test_show_tells_event_quantities_from_the_others(model_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: quantities that became events looked like the others; cues were an unlabelled triple."""
    monkeypatch.setenv("CRACKDOWN_MODEL", str(model_dir))
    page = tmp_path / "doc.html"
    doc = tmp_path / "doc.jsonl"
    doc.write_text('{"id": "d", "text": "Police in Yunnan seized 94kg of opium and arrested two suspects '
                   'from July 1 to July 6, 2022. The drugs were worth 20 million yuan."}\n')
    result = runner.invoke(app, ["show", str(doc), "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text()
    marks = _marks(html)
    assert ("94kg", "EVENT: drug_seizure") in marks and ("two", "EVENT: arrest") in marks
    assert ("20 million yuan", "QUANTITY") in marks  # money is not an event
    assert f"background: {COLORS['EVENT']}" in html and f"background: {COLORS['QUANTITY']}" in html
    assert "CN-YN (cue: sentence)" in html and "cues" not in html
    assert '<td class="nowrap">2022-07-01 to 2022-07-06 (cue: sentence)</td>' in html


def test_display_draws_a_document_inline_with_displacy(nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: pipeline.display(doc_or_text) in Jupyter; the colours are public."""
    shown: list[str] = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    text = "Police in Yunnan seized 94kg of opium. It was worth 20 million yuan."
    pipeline.display(text, nlp)
    assert len(shown) == 2
    entities, events = shown
    assert ("94kg", "EVENT: drug_seizure") in _marks(entities) and ("Yunnan", "PROVINCE") in _marks(entities)
    assert pipeline.COLORS["PROVINCE"] in entities and pipeline.COLORS["EVENT"] in entities
    assert "drug_seizure" in events and "CN-YN (cue: sentence)" in events
    shown.clear()
    pipeline.display(next(nlp.pipe([text])), nlp)  # a Doc is drawn as it is
    assert ("94kg", "EVENT: drug_seizure") in _marks(shown[0])
