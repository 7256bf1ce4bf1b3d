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


def test_report_sums_facts_not_mentions(run_dir: Path) -> None:
    """Xinjiang's "two tonnes", its headline and the drugs inside it: 2,000 kg, not 6,239."""
    html = report_html(run_dir)
    summary = html[html.index("<h2>Summary</h2>"):html.index("<h2>Left out")]
    assert re.search(r"<td>drug_seizure</td><td>CN-XJ</td><td>kg</td><td class=\"num\">2,000</td>", summary)
    assert "Left out of the totals" in html and "Timeline of facts" in html


@pytest.fixture(scope="module")
def big_run(run_dir: Path, tmp_path_factory) -> Path:
    """The facts of a 10,000-document run: the gold news run's, 625 times over 15 years and ten provinces."""
    import json

    import pandas as pd

    from pipeline.outputs import read_facts, write_table
    from pipeline.schema import FACT_COLUMNS, conform

    facts = read_facts(run_dir)
    codes = ["CN-YN", "CN-GD", "CN-GX", "CN-XJ", "CN-SH", "CN-BJ", "CN-ZJ", "CN-HI", "CN-GS", "CN-SC"]
    copies = []
    for k in range(625):
        copy = facts.copy()
        copy["fact_id"] = copy["fact_id"] + f"#{k}"
        for column in ("period_start", "period_end", "first_published", "last_published"):
            copy[column] = copy[column] + pd.DateOffset(months=k % 180)
        copy["provinces"] = [[codes[(i + k) % 10]] if len(p) else [] for i, p in enumerate(copy["provinces"])]
        copy["series"] = copy["series"] + f"#{k}"
        copy["superseded_by"] = pd.NA
        copies.append(copy)
    out = tmp_path_factory.mktemp("big") / "out"
    out.mkdir()
    write_table(conform(pd.concat(copies, ignore_index=True), FACT_COLUMNS), out / "facts.parquet", "parquet",
                FACT_COLUMNS)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    manifest["counts"].update(docs_read=10_000, docs_processed=10_000, facts=len(facts) * 625)
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


@pytest.mark.slow
def test_the_report_of_10000_documents_is_small_and_its_timeline_a_bar_a_month(big_run: Path) -> None:
    html = report_html(big_run)
    assert len(html.encode()) < 2_000_000
    timeline = html[html.index("<h2>Timeline of facts</h2>"):]
    timeline = timeline[:timeline.index("</svg>")]
    height = float(re.search(r'<svg[^>]*height="([\d.]+)pt"', timeline).group(1))
    assert height < 400  # one chart of fixed size, not a line per document
    from pipeline.outputs import read_facts

    facts = read_facts(big_run)
    when = facts["period_end"].fillna(facts["first_published"]).dt.to_period("M")
    months = (when.max() - when.min()).n + 1  # 26 years of months, for 10,000 documents
    bars = timeline.count('<g id="patch_')  # totals and incidents a month, + the frame and legend
    assert months <= bars <= 2 * months + 10


def _browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _screenshot(page: Path, tmp_path: Path, size: str = "1200,3000") -> Path:
    if _browser() is None:
        if os.environ.get("CRACKDOWN_REQUIRE_BROWSER"):
            pytest.fail("no chromium on PATH, and CRACKDOWN_REQUIRE_BROWSER is set")
        pytest.skip("no headless Chromium here (.ci/run installs Debian's chromium)")
    shot = tmp_path / f"{page.stem}.png"
    subprocess.run([_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={size}",
                    f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    return shot


def test_report_renders_in_headless_chromium(run_dir: Path, tmp_path: Path) -> None:
    """The report opens in a real browser and draws something (CI sets CRACKDOWN_REQUIRE_BROWSER)."""
    from PIL import Image, ImageStat

    page = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(run_dir), "-o", str(page)])
    assert result.exit_code == 0, result.output
    shot = _screenshot(page, tmp_path)
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


@pytest.mark.slow
def test_the_timeline_of_10000_documents_reads_in_a_browser(big_run: Path, tmp_path: Path) -> None:
    """The timeline alone, in Chromium: bars across the chart, not a blank or a solid block."""
    from PIL import Image

    html = report_html(big_run)
    timeline = html[html.index("<h2>Timeline of facts</h2>"):]
    svg = timeline[timeline.index("<svg"):timeline.index("</svg>") + len("</svg>")]
    page = tmp_path / "timeline.html"
    page.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{svg}</body></html>", encoding="utf-8")
    image = Image.open(_screenshot(page, tmp_path, "900,400")).convert("L")
    width, height = image.size
    pixels = image.load()
    inked = [x for x in range(width) if any(pixels[x, y] < 200 for y in range(height // 4, 3 * height // 4))]
    assert len(inked) > width // 3, "the bars do not spread over the chart"
    dark = sum(count for value, count in enumerate(image.histogram()) if value < 200)
    assert 0.02 < dark / (width * height) < 0.7, "blank, or one solid block"
