"""HTML for checking results by eye: one document with its entities and events, and a run report.

``document_html`` highlights entities with displaCy and lists the document's
event rows under the text, each linking to its highlighted quantity. ``report_html``
is one static page for a finished run (counts, the facts' safe totals, charts as inline
SVG, failures, the manifest): it opens with no network.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from spacy import displacy
from spacy.tokens import Doc

from .analysis import NATIONAL, as_facts, province_name, summarize, totals
from .errors import OutputError
from .outputs import read_events, read_facts
from .present import event_fields
from .table import doc_events

# The colour of each entity label, and of a quantity that became an event row ("EVENT"),
# in ``show``, ``display`` and anything else a caller draws (``pipeline.COLORS``).
COLORS = {"PROVINCE": "#8fd3f4", "OPERATION": "#fbc36b", "QUANTITY": "#e2dafc", "EVENT": "#a58cff",
          "DATE": "#b8e6c1"}
EVENT_LABEL = "EVENT"
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px;
       color: #1d2430; line-height: 1.5; }
h1, h2 { font-weight: 600; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #dde3ea; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #dde3ea; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f3f6f9; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
mark:target { outline: 3px solid #e4572e; } td.nowrap { white-space: nowrap; }
.counts td:first-child { font-weight: 600; }
pre { background: #f6f8fa; padding: 1rem; overflow-x: auto; font-size: 0.8rem; }
.chart { margin: 1rem 0; } .muted { color: #68758a; }
"""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{body}</body></html>\n")


def _table(frame: pd.DataFrame, numeric: Iterable[str] = (), markup: Iterable[str] = (),
           nowrap: Iterable[str] = ()) -> str:
    """An HTML table; ``markup`` columns hold HTML already (links), everything else is escaped."""
    numeric, markup, nowrap = set(numeric), set(markup), set(nowrap)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            cls = ' class="num"' if column in numeric else ' class="nowrap"' if column in nowrap else ""
            cells.append(f"<td{cls}>{value if column in markup else _cell(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return html.escape(", ".join(map(str, value)))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1e6 else f"{value:,.6g}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return html.escape(str(value))


def _number(value: Any) -> str:
    """A count or a rate with thousands separators; anything else escaped as text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    return _cell(value)


# --- one document ---------------------------------------------------------------------
def entities_data(doc: Doc) -> tuple[dict[str, Any], dict[str, str]]:
    """displaCy's manual input for a Doc, and the colours of its labels: a quantity that
    became an event row is labelled with its event type and drawn in the EVENT colour."""
    events: dict[int, list[str]] = {}
    for row in doc_events(doc):
        events.setdefault(int(row["start"]), []).append(str(row["event_type"]))
    ents, colors = [], dict(COLORS)
    for ent in doc.ents:
        label = ent.label_
        if label == "QUANTITY" and ent.start_char in events:
            label = f"{EVENT_LABEL}: {', '.join(dict.fromkeys(events[ent.start_char]))}"
            colors[label] = COLORS[EVENT_LABEL]
        ents.append({"start": ent.start_char, "end": ent.end_char, "label": label})
    return {"text": doc.text, "ents": ents, "title": None}, colors


def entities_html(doc: Doc) -> str:
    """The text with its entities highlighted by displaCy (see ``entities_data``)."""
    data, colors = entities_data(doc)
    return displacy.render(data, style="ent", manual=True, page=False, jupyter=False, options={"colors": colors})


def events_html(doc: Doc) -> str:
    """The document's event rows, each linking to its highlighted quantity; cues beside what
    they decided. Columns follow the schema (``present.event_fields``)."""
    rows = []
    for row in doc_events(doc):
        anchor = f"#ent-{doc._.doc_id}-{row['start']}"
        fields = event_fields(row, provenance=True)
        fields.pop("raw", None)  # the link shows it
        fields.pop("rule", None)
        rows.append({"quantity": f'<a href="{html.escape(anchor)}">{html.escape(row["raw"])}</a>', **fields})
    if not rows:
        return '<p class="muted">No events.</p>'
    return _table(pd.DataFrame(rows), numeric=["amount"], markup=["quantity"], nowrap=["amount", "period"])


def legend() -> str:
    """The colour of each label, with what EVENT means."""
    names = {EVENT_LABEL: "EVENT (a quantity that became an event row)"}
    return " ".join(f'<mark style="background:{c};padding:0 0.4em">{names.get(label, label)}</mark>'
                    for label, c in COLORS.items())


def document_html(doc: Doc) -> str:
    """The document's text with entities highlighted, then its event rows linked to them."""
    marked = entities_html(doc)
    starts = iter(ent.start_char for ent in doc.ents)
    # the id is input: escaped like everything else that comes from a document
    prefix = html.escape(f"ent-{doc._.doc_id}-", quote=True)
    marked = re.sub(r"<mark ", lambda m: f'<mark id="{prefix}{next(starts)}" ', marked)
    count = len(doc_events(doc))
    return (f"<h2>{html.escape(str(doc._.doc_id))}</h2><p class='muted'>published "
            f"{html.escape(str(doc._.published or 'unknown'))} · {legend()}</p>{marked}"
            f"<h3>Events ({count})</h3>{events_html(doc)}")


def documents_page(docs: Iterable[Doc], title: str = "crackdown: documents") -> str:
    return _page(title, f"<h1>{html.escape(title)}</h1>" + "".join(document_html(d) for d in docs))


# --- run report ---------------------------------------------------------------------------
def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


TOP = 15  # bars of the operation chart; the rest are one "(other)" bar
MAX_ROWS = 200  # rows of a table in the report; the rest are counted, not listed


def charts(facts: pd.DataFrame) -> dict[str, str]:
    """Inline SVG charts of a fact table: drug seizures by province (safe sums), facts by type
    and operation, and a timeline of facts by month (readable whatever the corpus size)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out: dict[str, str] = {}

    def barh(values: pd.Series, title: str, xlabel: str, color: str) -> str:
        fig, ax = plt.subplots(figsize=(7, 0.35 * len(values) + 1))
        ax.barh([str(i) for i in values.index], values.values, color=color)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        svg = _svg(fig)
        plt.close(fig)
        return svg

    seized = facts[(facts["event_type"] == "drug_seizure") & (facts["unit"] == "kg")]
    if len(seized):
        sums = totals(seized, by=["province"])
        sums = sums.assign(name=sums["province"].map(lambda c: c if c == NATIONAL else province_name(c)))
        by_province = sums.groupby("name")["total"].sum().sort_values()
        out["Drug seizures by province"] = barh(by_province, "Drug seizures by province (kg, safe sums)",
                                                "kg seized", "#6c5ce7")
    if len(facts):
        counts = facts.groupby("event_type", observed=True).size().sort_values()
        out["Facts by type"] = barh(counts, "Facts by type", "facts", "#00a085")
        ops = facts["operation"].fillna("(none)").value_counts()
        if len(ops) > TOP:
            ops = pd.concat([ops.iloc[:TOP], pd.Series({"(other)": ops.iloc[TOP:].sum()})])
        out["Facts by operation"] = barh(ops.sort_values(), "Facts by operation", "facts", "#e17055")
    timeline = _timeline(facts, plt)
    if timeline:
        out["Timeline of facts"] = timeline
    return out


def _timeline(facts: pd.DataFrame, plt: Any) -> str | None:
    """Facts by month of the period they cover (its end, else when first reported), totals and
    incidents stacked: one bar a month, so it reads the same at 16 documents or 10,000."""
    when = facts["period_end"].fillna(facts["first_published"])
    dated = facts.assign(month=when.dt.to_period("M")).dropna(subset=["month"])
    if not len(dated):
        return None
    table = (dated.groupby(["month", dated["kind"].astype(object).fillna("unknown")]).size()
             .unstack(fill_value=0))
    months = pd.period_range(table.index.min(), table.index.max(), freq="M")
    table = table.reindex(months, fill_value=0)
    fig, ax = plt.subplots(figsize=(9, 3.2))
    x = months.to_timestamp()
    bottom = np.zeros(len(table))
    colors = {"total": "#0984e3", "incident": "#fdcb6e", "unknown": "#b2bec3"}
    for kind in [k for k in ("total", "incident", "unknown") if k in table.columns]:
        ax.bar(x, table[kind].to_numpy(), width=25, bottom=bottom, color=colors[kind], label=kind, align="edge")
        bottom = bottom + table[kind].to_numpy()
    ax.set_ylabel("facts")
    ax.set_title(f"Facts by month of the period they cover ({len(dated):,} facts, {len(facts) - len(dated):,} "
                 "undated)")
    ax.legend(loc="upper left", frameon=False)
    fig.autofmt_xdate()
    svg = _svg(fig)
    plt.close(fig)
    return svg


def report_html(run_dir: "str | Path") -> str:
    """One self-contained page describing a finished `crackdown run` output folder."""
    run_dir = Path(run_dir)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    try:
        facts = read_facts(run_dir)
    except OutputError:  # a run written before facts: merge its events here
        facts = as_facts(read_events(run_dir))
    failures_path = run_dir / "failures.jsonl"
    failures = [json.loads(line) for line in failures_path.read_text(encoding="utf-8").splitlines()] \
        if failures_path.exists() else []
    # a run folder can come from anyone: every value of its files is escaped, numbers included
    counts = manifest["counts"]
    count_rows = "".join(f"<tr><td>{_cell(k)}</td><td class='num'>{_number(v)}</td></tr>"
                         for k, v in counts.items())
    timings = manifest["timings"]
    pipe = manifest["pipeline"]
    body = [f"<h1>crackdown run report</h1><p class='muted'>{html.escape(str(run_dir))} · pipeline "
            f"{html.escape(str(pipe.get('name')))} {html.escape(str(pipe.get('version')))}"
            f" · rules {html.escape(str(pipe.get('rules_hash'))[:12])} · {_cell(timings.get('finished'))}</p>",
            f"<h2>Counts</h2><table class='counts'>{count_rows}</table>",
            f"<p>{_number(timings.get('seconds'))} s, {_number(timings.get('docs_per_second') or 0)} "
            "documents/s.</p>"]
    summary = summarize(facts, by=("event_type", "province")) if len(facts) else pd.DataFrame()
    body.append("<h2>Summary</h2><p class='muted'>One row per event type, province and unit: facts (each "
                "real-world figure once, however often reported), their mentions and documents, and the "
                "total that is safe to add (no total with the incidents inside it, no two totals of one "
                "series; national or unknown figures apart).</p>"
                + (_capped(summary, numeric=["total", "facts", "mentions", "documents", "left_out"])
                   if len(summary) else "<p class='muted'>No facts.</p>"))
    if len(summary) and len(summary.attrs["left_out"]):
        left = summary.attrs["left_out"].groupby("reason").size().rename("facts").reset_index()
        body.append("<h2>Left out of the totals</h2>" + _table(left, numeric=["facts"]))
    for title, svg in charts(facts).items():
        body.append(f"<h2>{html.escape(title)}</h2><div class='chart'>{svg}</div>")
    body.append(f"<h2>Failures ({len(failures)})</h2>")
    if failures:
        body.append(_capped(pd.DataFrame([{k: f.get(k) for k in ("source", "line", "error")} for f in failures])))
    else:
        body.append("<p class='muted'>Every document was processed.</p>")
    body.append("<h2>Manifest</h2><pre>" + html.escape(json.dumps(manifest, indent=2)) + "</pre>")
    return _page("crackdown run report", "".join(body))


def _capped(frame: pd.DataFrame, numeric: Iterable[str] = ()) -> str:
    """A table of at most ``MAX_ROWS`` rows, saying how many more there are."""
    if len(frame) <= MAX_ROWS:
        return _table(frame, numeric=numeric)
    more = f"<p class='muted'>… and {len(frame) - MAX_ROWS:,} more rows.</p>"
    return _table(frame.head(MAX_ROWS), numeric=numeric) + more
