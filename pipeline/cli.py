"""The ``crackdown`` command line: thin typer commands over the package's functions.

Exit status: 0 when everything was processed, 2 when some documents failed
(``run``), 1 on a usage error or an error that stops the command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from .corpus import DEFAULT_RELOAD_AFTER_WORDS, DEFAULT_SHARD_SIZE
from .errors import CrackdownError, Warnings

console = Console(stderr=True)
out = Console()


# typer may vendor click: take its UsageError from the class typer raises.
UsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class CrackdownGroup(TyperGroup):
    """Usage errors exit with status 1 (status 2 means "some documents failed")."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:
            exc.exit_code = 1  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            exc.exit_code = 1  # type: ignore[attr-defined]
            raise


app = typer.Typer(cls=CrackdownGroup, no_args_is_help=True, add_completion=False,
                  help="Extract anti-drug enforcement events from news into tables.")
rules_app = typer.Typer(cls=CrackdownGroup, no_args_is_help=True,
                        help="Check, build, learn and mine the rules in configs/.")
app.add_typer(rules_app, name="rules")


def _fail(exc: Exception) -> "typer.Exit":
    console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def _load(model: Path | None):  # type: ignore[no-untyped-def]
    from .annotate import load

    return load(model)


def _annotate_text(text: str, published: str | None, model: Path | None) -> Any:
    """The annotated Doc of a sentence or a file's text (for extract and explain)."""
    from .annotate import annotate
    from .reader import Record, parse_published, read_text_arg

    try:
        date = parse_published(published)
    except ValueError:
        raise typer.BadParameter(f"{published!r} is not a YYYY-MM-DD date", param_hint="--published") from None
    try:
        return next(iter(annotate(_load(model), [Record("text", read_text_arg(text), date)])))
    except CrackdownError as exc:
        raise _fail(exc) from exc


# --- run ----------------------------------------------------------------------------
@app.command()
def run(
    inputs: list[Path] = typer.Argument(
        ..., help="JSON Lines (.jsonl, .jsonl.gz), .txt files or folders, .csv, .parquet."),
    output: Path = typer.Option(..., "--output", "-o", help="Output folder."),
    fmt: str = typer.Option("parquet", "--format", "-f", help="parquet, csv or jsonl."),
    workers: int = typer.Option(0, "--workers", "-w", help="Worker processes (0: one per core)."),
    resume: bool = typer.Option(False, "--resume", help="Skip shards a previous run finished."),
    shard_size: int = typer.Option(DEFAULT_SHARD_SIZE, "--shard-size", help="Documents per shard."),
    max_chars: int = typer.Option(2_000_000, "--max-chars", help="Reject longer documents."),
    on_error: str = typer.Option("continue", "--on-error", help="continue, or fail at the first failure."),
    text_field: str = typer.Option("text", "--text-field"),
    id_field: str = typer.Option("id", "--id-field"),
    date_field: str = typer.Option("published", "--date-field"),
    engine: str = typer.Option("local", "--engine", help="local, or dask (optional extra)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    model: Path | None = typer.Option(None, "--model", help="A built pipeline (default models/crackdown)."),
    reload_after_words: int = typer.Option(
        DEFAULT_RELOAD_AFTER_WORDS, "--reload-after-words",
        help="Load the pipeline afresh in a worker once its vocabulary grew by this many words (0: never)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Run the pipeline over a corpus; write events, entities, failures and a manifest."""
    import os

    from .corpus import RunConfig, count_documents, run_corpus
    from .reader import ReadOptions

    if on_error not in ("continue", "fail"):
        raise typer.BadParameter("expected 'continue' or 'fail'", param_hint="--on-error")
    config = RunConfig(output=output, fmt=fmt, workers=workers or os.cpu_count() or 1, resume=resume,
                       shard_size=shard_size, on_error=on_error, engine=engine, scheduler=scheduler,
                       model=str(model) if model else None, reload_after_words=reload_after_words,
                       read=ReadOptions(text_field, id_field, date_field, max_chars))
    show = not quiet and sys.stderr.isatty()
    try:
        if show:
            manifest = _run_with_progress(inputs, config, count_documents(inputs))
        else:
            manifest = run_corpus(inputs, config)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    _summary(manifest, output)
    if manifest["warnings"]:
        console.print(f"{manifest['warnings']} warning(s) (documents kept): see {output / 'warnings.jsonl'}",
                      highlight=False, soft_wrap=True)
    if manifest["counts"]["docs_failed"]:
        console.print(Warnings.W002.format(path=output, count=manifest["counts"]["docs_failed"],
                                           failures=output / "failures.jsonl"), highlight=False, soft_wrap=True)
        raise typer.Exit(2)


def _run_with_progress(inputs: list[Path], config: Any, total: int | None) -> dict[str, Any]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .corpus import run_corpus

    columns = [SpinnerColumn(), TextColumn("[bold]docs"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("docs", total=total, rate="")

        def advance(n: int) -> None:
            progress.advance(task, n)
            speed = progress.tasks[0].speed
            progress.update(task, rate=f"{speed:,.1f} docs/s" if speed else "")

        return run_corpus(inputs, config, progress=advance)


def _summary(manifest: dict[str, Any], output: Path) -> None:
    counts = manifest["counts"]
    table = Table(title=f"crackdown run -> {output}", show_header=False)
    for key in ("docs_read", "docs_processed", "docs_failed", "docs_duplicate", "events", "facts", "entities"):
        table.add_row(key, f"{counts[key]:,}")
    timings = manifest["timings"]
    table.add_row("seconds", f"{timings['seconds']:,}")
    table.add_row("docs/s", f"{timings['docs_per_second'] or 0:,}")
    for key, value in manifest["outputs"].items():
        if not key.endswith("_dataset"):
            table.add_row(f"{key} file", value)
    out.print(table)


# --- extract ---------------------------------------------------------------------------
@app.command()
def extract(
    text: str = typer.Argument(..., help="A sentence, or the path of a text file."),
    published: str | None = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Rows as JSON Lines."),
    entities: bool = typer.Option(False, "--entities", help="Also print the entities."),
    model: Path | None = typer.Option(None, "--model"),
) -> None:
    """Print the event table of a sentence or a file."""
    from .table import entities_table, events_table

    docs = [_annotate_text(text, published, model)]
    events = events_table(docs)
    if as_json:
        from .outputs import _records
        from .schema import EVENT_COLUMNS

        for row in _records(events, EVENT_COLUMNS):
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    _print_frame(events, ["event_type", "value", "unit", "qualifier", "item", "drug", "provinces", "scope",
                          "operation", "period_start", "period_end", "raw"], "events")
    if entities:
        _print_frame(entities_table(docs), ["label", "text", "norm", "value", "unit", "qualifier", "rule"],
                     "entities")


def _print_frame(frame: Any, columns: list[str], title: str) -> None:
    """Rows as columns when the table is wide: one column per row, one line per field."""
    if len(columns) > 8:
        table = Table(title=f"{title} ({len(frame)})")
        table.add_column("field", style="bold")
        for i in range(len(frame)):
            table.add_column(f"#{i + 1}", overflow="fold")
        for column in columns:
            table.add_row(column, *[_cell(v) for v in frame[column].tolist()])
    else:
        table = Table(title=f"{title} ({len(frame)})")
        for column in columns:
            table.add_column(column, overflow="fold")
        for _, row in frame.iterrows():
            table.add_row(*[_cell(row[c]) for c in columns])
    out.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(value)
    if value is None or (not isinstance(value, str) and _isna(value)):
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):
        return str(value.date())
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def _isna(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --- evaluate -----------------------------------------------------------------------------
@app.command()
def evaluate(
    gold: list[Path] = typer.Argument(..., help="Gold files (docs/event-schema.md format)."),
    as_json: bool = typer.Option(False, "--json", help="The full report as JSON."),
    model: Path | None = typer.Option(None, "--model"),
) -> None:
    """Score the pipeline against gold files: entities, events, attributes, missed and spurious rows."""
    from .scoring import evaluate as score

    try:
        report = score(_load(model), gold)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    data = report.to_dict()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    _prf_table(f"Entities ({data['documents']} documents)", "label",
               list(data["entities"].items()) + [("micro", data["entities_micro"])])
    _prf_table("Events", "event_type", list(data["events_by_type"].items()) + [("all", data["events"])])
    table = Table(title="Attributes over matched rows")
    for column in ("attribute", "accuracy", "correct", "total"):
        table.add_column(column)
    for name, acc in data["attributes"].items():
        table.add_row(name, f"{acc['accuracy']:.3f}" if acc["accuracy"] is not None else "-",
                      str(acc["correct"]), str(acc["total"]))
    out.print(table)
    if "offtopic" in data:
        off = data["offtopic"]
        out.print(f"Documents with no gold event: {off['documents']}, false event rows: {off['false_rows']} "
                  f"({off['per_document']:.2f} per document)")
    if "facts" in data:
        _facts_table(data["facts"])
    for title, rows in (("Missed", data["missed"]), ("Spurious", data["spurious"])):
        if rows:
            listing = Table(title=f"{title} rows ({len(rows)})")
            for column in ("doc_id", "event_type", "value", "unit", "raw"):
                listing.add_column(column)
            for row in rows:
                listing.add_row(*(_cell(row[c]) for c in ("doc_id", "event_type", "value", "unit", "raw")))
            out.print(listing)
    if data["wrong_attributes"]:
        listing = Table(title=f"Wrong attributes ({len(data['wrong_attributes'])})")
        for column in ("doc_id", "raw", "attribute", "gold", "predicted"):
            listing.add_column(column)
        for row in data["wrong_attributes"]:
            listing.add_row(*(_cell(row[c]) for c in ("doc_id", "raw", "attribute", "gold", "predicted")))
        out.print(listing)


def _facts_table(facts: dict[str, Any]) -> None:
    """Pairwise "same fact" over matched mentions and the number of facts, per gold file; the
    oracle merges the gold rows (a merge error, not an extraction error)."""
    table = Table(title="Facts: pairs of matched mentions (P, R, F1); facts (of matched rows); oracle: the "
                        "gold rows merged")
    for column in ("file", "P", "R", "F1", "tp/fp/fn", "facts", "gold", "oracle F1", "oracle facts"):
        table.add_column(column)
    rows = list(facts["files"].items()) + ([("all", facts)] if len(facts["files"]) > 1 else [])
    for name, score in rows:
        pairs, oracle = score["pairwise"], score["oracle"]["pairwise"]
        table.add_row(Path(name).name, *(_ratio(pairs, k) for k in ("precision", "recall", "f1")),
                      f"{pairs['tp']}/{pairs['fp']}/{pairs['fn']}",
                      f"{score['predicted_facts']} ({score['predicted_facts_matched']})",
                      f"{score['gold_facts']} ({score['gold_facts_matched']})",
                      _ratio(oracle, "f1"), str(score["oracle"]["facts"]))
    out.print(table)
    if facts["errors"]:
        listing = Table(title=f"Fact errors ({len(facts['errors'])})")
        for column in ("error", "gold", "mentions"):
            listing.add_column(column, overflow="fold")
        for error in facts["errors"]:
            gold = error["gold"] if isinstance(error["gold"], str) else ", ".join(error["gold"])
            listing.add_row(error["error"], gold, "; ".join(error["mentions"]))
        out.print(listing)


def _ratio(prf: dict[str, Any], key: str) -> str:
    """A precision, recall or F1, or "-" when there was nothing to count."""
    return f"{prf[key]:.3f}" if prf["tp"] + prf["fp"] + prf["fn"] else "-"


def _prf_table(title: str, first: str, rows: list[tuple[str, dict[str, Any]]]) -> None:
    table = Table(title=title)
    for column in (first, "precision", "recall", "f1", "tp", "fp", "fn"):
        table.add_column(column)
    for name, prf in rows:
        table.add_row(name, *(f"{prf[k]:.3f}" for k in ("precision", "recall", "f1")),
                      *(str(prf[k]) for k in ("tp", "fp", "fn")))
    out.print(table)


@app.command()
def peer(
    quantities: Path | None = typer.Option(None, "--quantities", help="Peer quantity cases."),
    dates: Path | None = typer.Option(None, "--dates", help="Peer date cases."),
    suite: list[str] = typer.Option([], "--suite", help="Only suites starting with this (repeatable)."),
    as_json: bool = typer.Option(False, "--json"),
    model: Path | None = typer.Option(None, "--model"),
) -> None:
    """Score QUANTITY and DATE entities on other projects' test cases (tests/data/peer)."""
    from .scoring import score_peer_dates, score_peer_quantities

    nlp = _load(model)
    results: dict[str, Any] = {}
    if quantities:
        results["quantities"] = score_peer_quantities(nlp, quantities, suite or None)
    if dates:
        results["dates"] = score_peer_dates(nlp, dates)
    if as_json:
        typer.echo(json.dumps(results, indent=2, default=str))
        return
    for name, result in results.items():
        out.print(f"{name}: {result['cases']} cases  P={result['precision']:.3f} R={result['recall']:.3f} "
                  f"F1={result['f1']:.3f}  (tp={result['tp']} fp={result['fp']} fn={result['fn']})")


# --- rules ---------------------------------------------------------------------------------
@rules_app.command("build")
def rules_build(
    output: Path = typer.Option(Path("models/crackdown"), "--output", "-o"),
    config: Path = typer.Option(Path("configs/config.cfg"), "--config"),
    rules_dir: Path | None = typer.Option(None, "--rules", help="Rule folder (default: the config's)."),
) -> None:
    """Assemble the pipeline from configs/ and save it (deterministic)."""
    from .build import build_pipeline

    try:
        nlp = build_pipeline(config, rules_dir, output)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    out.print(f"built {nlp.meta['name']} {nlp.meta['version']} (rules {nlp.meta['rules_hash'][:12]}) -> {output}")


@rules_app.command("check")
def rules_check(
    rules_dir: Path = typer.Option(Path("configs"), "--rules", help="Rule folder."),
    gold: list[Path] = typer.Option([], "--gold", help="Gold files: also list rules that match nothing in them."),
) -> None:
    """Validate and lint the rule files: every problem with its file and line."""
    from .lint import check_rules

    try:
        findings = check_rules(rules_dir, gold)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    for finding in findings:
        style = {"error": "bold red", "warning": "yellow", "info": "dim"}[finding.level]
        console.print(f"[{style}]{finding.level}[/]: {finding.path}"
                      + (f" line {finding.line}" if finding.line else "") + f": {finding.message}",
                      highlight=False, soft_wrap=True)
    errors = sum(f.level == "error" for f in findings)
    out.print(f"{errors} error(s), {sum(f.level == 'warning' for f in findings)} warning(s), "
              f"{sum(f.level == 'info' for f in findings)} note(s)")
    if errors:
        raise typer.Exit(1)


@rules_app.command("train")
def rules_train(
    gold: list[Path] = typer.Argument(..., help="Gold files (docs/event-schema.md format)."),
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds."),
    output: Path = typer.Option(Path("configs/learned"), "--output", help="Where learned.yml goes."),
    rules_dir: Path = typer.Option(Path("configs"), "--rules", help="Rule folder to learn on top of."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the diff, write nothing."),
) -> None:
    """Learn rules from annotations; report held-out F1 before and after (K-fold)."""
    from .learn import read_gold_files, train, write_learned

    try:
        result = train(read_gold_files(gold), rules_dir, folds)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    table = Table(title=f"Held-out folds ({len(result.folds)})")
    for column in ("fold", "docs", "events F1 before", "after", "entities F1 before", "after"):
        table.add_column(column)
    for f in result.folds:
        table.add_row(str(f.fold), str(f.documents), f"{f.events_before:.3f}", f"{f.events_after:.3f}",
                      f"{f.entities_before:.3f}", f"{f.entities_after:.3f}")
    table.add_row("mean", "", f"{result.mean('events_before'):.3f}", f"{result.mean('events_after'):.3f}",
                  f"{result.mean('entities_before'):.3f}", f"{result.mean('entities_after'):.3f}")
    out.print(table)
    for candidate in result.learned.removal_candidates:
        console.print(f"removal candidate: {candidate['kind']} rule {candidate['rule']!r}: precision "
                      f"{candidate['precision']:.2f} over {candidate['predictions']} predictions", highlight=False)
    diff = write_learned(result.learned, output, dry_run=dry_run)
    typer.echo(diff or "no change to the learned rules")
    if not dry_run:
        out.print(f"wrote {output / 'learned.yml'}; rebuild with `make model`")


@rules_app.command("suggest")
def rules_suggest(
    corpus: list[Path] = typer.Argument(..., help="Documents to mine (any input `crackdown run` reads)."),
    top: int = typer.Option(20, "--top", help="Candidates per kind."),
    output: Path = typer.Option(Path("suggestions.jsonl"), "--output", "-o"),
    rules_dir: Path = typer.Option(Path("configs"), "--rules"),
    model: Path | None = typer.Option(None, "--model", help="A pipeline built from --rules (built if absent)."),
) -> None:
    """Mine a corpus for candidate operations, units, counted nouns and places, with examples."""
    from .build import build_pipeline
    from .rules import load_rules
    from .suggest import suggest, write_suggestions

    try:
        rules = load_rules(rules_dir)
        nlp = _load(model) if model else build_pipeline(rules_dir / "config.cfg", rules_dir)
        rows = suggest(nlp, corpus, rules, top)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    write_suggestions(rows, output)
    table = Table(title=f"Suggestions -> {output}")
    for column in ("kind", "text", "count", "example"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["kind"], row["text"], str(row["count"]), (row["examples"] or [""])[0][:90])
    out.print(table)


@rules_app.command("accept")
def rules_accept(
    suggestions: Path = typer.Argument(..., help="A reviewed suggestions file."),
    rules_dir: Path = typer.Option(Path("configs"), "--rules"),
) -> None:
    """Merge reviewed suggestions into configs/learned/accepted.yml."""
    from .suggest import accept

    try:
        target = accept(suggestions, rules_dir)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    out.print(f"merged into {target}; rebuild with `make model`")


@app.command()
def explain(
    text: str = typer.Argument(..., help="A sentence, or the path of a text file."),
    published: str | None = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD)."),
    model: Path | None = typer.Option(None, "--model"),
) -> None:
    """Each entity with the rule that found it; each event with its trigger and attribution cues."""
    from .table import doc_entities, doc_events

    doc = _annotate_text(text, published, model)
    table = Table(title="Entities")
    for column in ("label", "text", "normalised", "rule"):
        table.add_column(column, overflow="fold")
    for ent in doc_entities(doc):
        norm = ent["norm"] if ent["label"] != "QUANTITY" else f"{ent['value']:g} {ent['unit']} ({ent['qualifier']})"
        table.add_row(ent["label"], ent["text"], str(norm or ""), str(ent["rule"]))
    out.print(table)
    rows = doc_events(doc)
    table = Table(title=f"Events ({len(rows)})")
    table.add_column("", style="bold")
    for i in range(len(rows)):
        table.add_column(f"#{i + 1}", overflow="fold")
    fields = {
        "quantity": lambda r: f"{r['raw']} ({r['rule']})",
        "event": lambda r: r["event_type"],
        "item / drug": lambda r: f"{r['item']} / {r['drug'] or '-'}",
        "trigger": lambda r: r["trigger"],
        "provinces": lambda r: f"{','.join(r['provinces']) or '-'} (cue: {r['province_cue']})",
        "operation": lambda r: f"{r['operation'] or '-'} (cue: {r['operation_cue']})",
        "period": lambda r: f"{r['period_start'] or '…'} to {r['period_end'] or '…'} (cue: {r['period_cue']})",
    }
    for name, get in fields.items():
        table.add_row(name, *[str(get(r)) for r in rows])
    out.print(table)


@app.command()
def show(
    inputs: list[Path] = typer.Argument(..., help="Documents (any input `crackdown run` reads)."),
    doc_id: list[str] = typer.Option([], "--id", help="Document id to show (repeatable); default: all."),
    output: Path = typer.Option(Path("doc.html"), "--output", "-o"),
    limit: int = typer.Option(50, "--limit", help="Most documents shown without --id."),
    model: Path | None = typer.Option(None, "--model"),
) -> None:
    """Write an HTML page: each document with its entities highlighted and its event rows under it."""
    from .annotate import annotate
    from .reader import Record, check_inputs, iter_inputs
    from .render import documents_page

    try:
        check_inputs(inputs)
        wanted = set(doc_id)
        records = [r for r in iter_inputs(inputs) if isinstance(r, Record) and (not wanted or r.doc_id in wanted)]
        missing = wanted - {r.doc_id for r in records}
        if missing:
            raise typer.BadParameter(f"no document with id {', '.join(sorted(missing))}", param_hint="--id")
        if not wanted and len(records) > limit:
            raise typer.BadParameter(f"{len(records)} documents; choose some with --id or raise --limit",
                                     param_hint="--id")
        docs = list(annotate(_load(model), records))
    except CrackdownError as exc:
        raise _fail(exc) from exc
    output.write_text(documents_page(docs), encoding="utf-8")
    out.print(f"{len(docs)} document(s) -> {output}")


@app.command()
def report(
    run_dir: Path = typer.Argument(..., help="The output folder of `crackdown run`."),
    output: Path = typer.Option(Path("report.html"), "--output", "-o"),
) -> None:
    """Write one static HTML page for a finished run: counts, summary, charts, failures, manifest."""
    from .render import report_html

    if not (run_dir / "manifest.json").exists():
        raise typer.BadParameter(f"{run_dir} has no manifest.json; is it a `crackdown run` output folder?",
                                 param_hint="RUN_DIR")
    try:
        page = report_html(run_dir)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    output.write_text(page, encoding="utf-8")
    out.print(f"report -> {output}")


def main() -> None:
    """Entry point of the ``crackdown`` command."""
    app()


if __name__ == "__main__":
    main()
