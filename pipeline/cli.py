"""The ``crackdown`` command line: thin typer commands over the package's functions.

Exit status: 0 when everything was processed, 2 when some documents failed
(``run``), 1 on a usage error or an error that stops the command. Every error is
one line ``error: ...`` and one line ``hint: ...``; a traceback is printed only
with ``--debug``.
"""

from __future__ import annotations

import json
import sys
import traceback
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup
from typer.exceptions import TyperException

from .about import __version__
from .corpus import DEFAULT_CONNECT_TIMEOUT, DEFAULT_RELOAD_AFTER_WORDS, DEFAULT_SHARD_SIZE, RunStopped
from .errors import CrackdownError, Errors, Warnings
from .guard import DEFAULT_DOC_TIMEOUT
from .reader import DEFAULT_MAX_CHARS

console = Console(stderr=True)
out = Console()

# typer vendors click: take its ClickException from the class typer raises.
ClickException: type[TyperException] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
# Flags of the whole command that may also be written after the subcommand.
GLOBAL_FLAGS = ("--debug", "--rebuild")


@dataclass
class _State:
    """What the global flags asked for, for the command being run."""

    debug: bool = False
    rebuild: bool = False
    command: str = "crackdown"  # the command path, for hints


state = _State()


class CommandError(ClickException):  # type: ignore[misc,valid-type]
    """An error that stops a command: exit 1 with its message and a hint."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


class CrackdownGroup(TyperGroup):
    """Runs a command and reports its errors the same way: ``error:`` and ``hint:``, exit 1.

    Usage errors exit 1 (2 means "some documents failed"); an unexpected exception is
    one line too, with its traceback only under ``--debug``.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        argv = _global_flags_first(list(sys.argv[1:] if args is None else args))
        # set before parsing, which may fail
        state.debug, state.rebuild, state.command = "--debug" in argv, False, "crackdown"
        try:
            with _warnings_to_console():
                code = super().main(argv, prog_name, complete_var, standalone_mode=False,
                                    windows_expand_args=windows_expand_args, **extra)
        except TyperException as exc:
            code = _report(exc)
        except typer.Abort:
            console.print("error: aborted", highlight=False)
            code = 1
        except Exception as exc:  # noqa: BLE001 - a bug: one line, the traceback only with --debug
            code = _report(exc)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _global_flags_first(argv: list[str]) -> list[str]:
    """``crackdown run x --debug`` means ``crackdown --debug run x``: global flags anywhere
    before ``--`` are moved to the front, where the group's options are parsed."""
    end = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:end] if a in GLOBAL_FLAGS]
    rest = [a for i, a in enumerate(argv) if i >= end or a not in GLOBAL_FLAGS]
    return flags + rest


def _report(exc: BaseException) -> int:
    """Print an error as ``error:`` and ``hint:`` lines (after its traceback under --debug)."""
    if exc.__class__.__name__ == "NoArgsIsHelpError":
        return 1  # typer printed the help
    if state.debug:
        console.print("".join(traceback.format_exception(exc)), highlight=False, markup=False, soft_wrap=True)
    if isinstance(exc, TyperException):
        message = exc.format_message()
        ctx = getattr(exc, "ctx", None)
        hint = getattr(exc, "hint", None) or (f"see `{ctx.command_path} --help`" if ctx is not None
                                               else _help_hint())
    else:
        message = Errors.E097.format(kind=type(exc).__name__, detail=exc)
        hint = "the traceback is above" if state.debug else "rerun with --debug for the traceback"
    console.print(f"[bold red]error:[/] {_escape(message)}", highlight=False, soft_wrap=True)
    console.print(f"[dim]hint:[/] {_escape(hint)}", highlight=False, soft_wrap=True)
    return 1


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@contextmanager
def _warnings_to_console() -> Iterator[None]:
    """Python warnings (crackdown's W codes, spaCy's) as one ``warning:`` line each."""

    def show(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
        console.print(f"[yellow]warning:[/] {_escape(str(message))}", highlight=False, soft_wrap=True)

    with warnings.catch_warnings():
        warnings.showwarning = show
        yield


MAX_WORKERS = 256  # more processes than this is a fork bomb, not a speed-up
MAX_SHARD_SIZE = 1_000_000

app = typer.Typer(cls=CrackdownGroup, no_args_is_help=True, add_completion=False,
                  help="Extract anti-drug enforcement events from news into tables.")
rules_app = typer.Typer(cls=CrackdownGroup, no_args_is_help=True,
                        help="Check, build, learn and mine the rules in configs/.")
app.add_typer(rules_app, name="rules")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"crackdown {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Print the traceback of an error (anywhere on the line)."),
    rebuild: bool = typer.Option(False, "--rebuild",
                                 help="Rebuild models/crackdown first when configs/ changed since it was built."),
) -> None:
    """Extract anti-drug enforcement events from news into tables."""
    state.debug, state.rebuild = debug, rebuild
    state.command = f"crackdown {ctx.invoked_subcommand}"


@rules_app.callback()
def _rules(ctx: typer.Context) -> None:
    """Check, build, learn and mine the rules in configs/."""
    state.command = f"crackdown rules {ctx.invoked_subcommand}"


class OutputFormat(StrEnum):
    """--format: the file format of the event and entity tables (outputs.FORMATS)."""

    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


class OnError(StrEnum):
    """--on-error: keep going past failed documents, or stop at the first."""

    continue_ = "continue"
    fail = "fail"


class Engine(StrEnum):
    """--engine: worker processes on this machine, or a Dask cluster."""

    local = "local"
    dask = "dask"


def _fail(exc: Exception, hint: str | None = None) -> CommandError:
    """The error to raise for a CrackdownError: its message, and a hint (default: --help)."""
    return CommandError(str(exc), hint or _help_hint())


def _help_hint() -> str:
    return f"see `{state.command} --help`"


LANG_HELP = "The language of the documents: auto (detect each, or read its `lang` field), en, zh, ..."


def _load(model: Path | None, lang: str = "auto"):  # type: ignore[no-untyped-def]
    """The pipeline at --model, else the pipeline of --lang (or a Router over every built one)."""
    from .annotate import pipelines

    try:
        return pipelines(lang, model, rebuild=state.rebuild)
    except CrackdownError as exc:
        raise _fail(exc) from exc


def _annotate_text(text: str, published: str | None, model: Path | None, lang: str = "auto") -> Any:
    """The annotated Doc of a sentence or a file's text (for extract and explain)."""
    from .annotate import annotate
    from .reader import Record, parse_published, read_text_arg

    try:
        date = parse_published(published)
    except ValueError:
        raise typer.BadParameter(Errors.E091.format(value=published), param_hint="--published") from None
    if _names_a_file(text) and not Path(text).is_file():
        raise CommandError(Errors.E092.format(path=text), _help_hint())
    nlp = _load(model, lang)
    try:
        return next(iter(annotate(nlp, [Record("text", read_text_arg(text), date)])))
    except CrackdownError as exc:
        raise _fail(exc) from exc


TEXT_FILE_SUFFIXES = (".txt", ".text", ".md", ".json", ".jsonl", ".csv", ".html", ".htm", ".gz", ".parquet")


def _names_a_file(value: str) -> bool:
    """An argument with no space that looks like a path ("notes.txt", "in/doc") names a file:
    a missing one is an error, not a one-word text with no events."""
    return not any(c.isspace() for c in value) and ("/" in value or Path(value).suffix.lower() in TEXT_FILE_SUFFIXES)


# --- run ----------------------------------------------------------------------------
@app.command()
def run(
    inputs: list[Path] = typer.Argument(
        ..., help="JSON Lines (.jsonl, .jsonl.gz), .txt files or folders, .csv, .parquet."),
    output: Path = typer.Option(..., "--output", "-o", help="Output folder."),
    fmt: OutputFormat = typer.Option(OutputFormat.parquet, "--format", "-f", help="Format of the tables."),
    workers: int = typer.Option(0, "--workers", "-w", min=0, max=MAX_WORKERS,
                                help="Worker processes (0: one per core)."),
    resume: bool = typer.Option(False, "--resume", help="Skip shards a previous run finished."),
    shard_size: int = typer.Option(DEFAULT_SHARD_SIZE, "--shard-size", min=1, max=MAX_SHARD_SIZE,
                                   help="Documents per shard."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", min=1,
                                  help="Reject longer documents (characters)."),
    doc_timeout: float = typer.Option(
        DEFAULT_DOC_TIMEOUT, "--doc-timeout", min=0,
        help="CPU seconds a document may take per 250,000 characters (at least this); over it, it fails "
             "(0: no limit)."),
    on_error: OnError = typer.Option(OnError.continue_, "--on-error", help="Go on past failures, or stop."),
    text_field: str = typer.Option("text", "--text-field", help="Column or key of the text."),
    id_field: str = typer.Option("id", "--id-field", help="Column or key of the id."),
    date_field: str = typer.Option("published", "--date-field", help="Column or key of the published date."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="Local workers, or Dask (optional extra)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    connect_timeout: float = typer.Option(DEFAULT_CONNECT_TIMEOUT, "--connect-timeout", min=0.1,
                                          help="Seconds to wait for the Dask scheduler."),
    model: Path | None = typer.Option(None, "--model", help="A built pipeline (default: each language's)."),
    lang: str = typer.Option("auto", "--lang", help=LANG_HELP),
    reload_after_words: int = typer.Option(
        DEFAULT_RELOAD_AFTER_WORDS, "--reload-after-words", min=0,
        help="Load the pipeline afresh in a worker once its vocabulary grew by this many words (0: never)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Run the pipeline over a corpus; write events, entities, failures and a manifest."""
    import os

    from .annotate import check_model
    from .corpus import RunConfig, count_documents, run_corpus
    from .fields import check_table_inputs
    from .reader import ReadOptions, check_inputs

    config = RunConfig(output=output, fmt=fmt.value, workers=workers or os.cpu_count() or 1, resume=resume,
                       shard_size=shard_size, on_error=on_error.value, engine=engine.value, scheduler=scheduler,
                       model=str(model) if model else None, reload_after_words=reload_after_words,
                       doc_timeout=doc_timeout, connect_timeout=connect_timeout,
                       read=ReadOptions(text_field, id_field, date_field, max_chars), lang=lang)
    show = not quiet and sys.stderr.isatty()
    try:
        check_inputs(inputs)
        check_table_inputs(inputs, config.read)
        from .languages import built, check_lang, configured

        check_lang(lang, set(configured()) | set(built()))
        check_model(model, rebuild=state.rebuild)
        if show:
            manifest = _run_with_progress(inputs, config, count_documents(inputs))
        else:
            manifest = run_corpus(inputs, config)
    except RunStopped as exc:  # Ctrl-C, SIGTERM, a full disk: the hint to --resume is in the message
        console.print(f"[bold red]stopped:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
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
    as_json: bool = typer.Option(False, "--json", help="Rows as JSON Lines, every column."),
    entities: bool = typer.Option(False, "--entities", help="Also print the entities."),
    model: Path | None = typer.Option(None, "--model"),
    lang: str = typer.Option("auto", "--lang", help=LANG_HELP),
) -> None:
    """Print the event table of a sentence or a file: one row per event."""
    from .present import event_fields
    from .present import text as cell
    from .table import doc_entities, doc_events

    doc = _annotate_text(text, published, model, lang)
    rows = doc_events(doc)
    if as_json:
        from .outputs import _records
        from .schema import EVENT_COLUMNS
        from .table import events_table

        for row in _records(events_table([doc]), EVENT_COLUMNS):
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    _print_rows([event_fields(row) for row in rows], "events", "no events")
    if entities:
        _print_rows([{k: cell(v) for k, v in ent.items() if k not in ("doc_id", "start", "end")}
                     for ent in doc_entities(doc)], "entities", "no entities")


def _print_rows(rows: list[dict[str, str]], title: str, none: str) -> None:
    """One line per row when the table fits the terminal, else one block per row (never a
    column squeezed to a few characters). Columns empty in every row are left out."""
    if not rows:
        out.print(none)
        return
    columns = [c for c in rows[0] if any(row.get(c) for row in rows)]
    widths = {c: max(len(c), *(len(row.get(c, "")) for row in rows)) for c in columns}
    out.print(f"{title} ({len(rows)})", highlight=False)
    if sum(widths.values()) + 2 * len(columns) <= out.width:
        from rich import box

        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for column in columns:
            table.add_column(column, no_wrap=True)
        for row in rows:
            table.add_row(*(row.get(c, "") for c in columns))
        out.print(table, highlight=False)
        return
    label = max(len(c) for c in columns)
    for i, row in enumerate(rows, start=1):
        out.print(f"[bold]#{i}[/]", highlight=False)
        for column in columns:
            if row.get(column):
                out.print(f"  {column:<{label}}  {_escape(row[column])}", highlight=False, soft_wrap=True)


# --- evaluate -----------------------------------------------------------------------------
@app.command()
def evaluate(
    gold: list[Path] = typer.Argument(..., exists=True, dir_okay=False,
                                      help="Gold files (docs/event-schema.md format)."),
    as_json: bool = typer.Option(False, "--json", help="The full report as JSON."),
    model: Path | None = typer.Option(None, "--model"),
    lang: str = typer.Option("auto", "--lang", help=LANG_HELP),
) -> None:
    """Score the pipeline against gold files: entities, events, attributes, missed and spurious rows."""
    from .present import text as cell
    from .scoring import evaluate as score

    try:
        report = score(_load(model, lang), gold)
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
                listing.add_row(*(cell(row[c]) for c in ("doc_id", "event_type", "value", "unit", "raw")))
            out.print(listing)
    if data["wrong_attributes"]:
        listing = Table(title=f"Wrong attributes ({len(data['wrong_attributes'])})")
        for column in ("doc_id", "raw", "attribute", "gold", "predicted"):
            listing.add_column(column)
        for row in data["wrong_attributes"]:
            listing.add_row(*(cell(row[c]) for c in ("doc_id", "raw", "attribute", "gold", "predicted")))
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
    quantities: Path | None = typer.Option(None, "--quantities", exists=True, dir_okay=False,
                                           help="Peer quantity cases."),
    dates: Path | None = typer.Option(None, "--dates", exists=True, dir_okay=False, help="Peer date cases."),
    suite: list[str] = typer.Option([], "--suite", help="Only suites starting with this (repeatable)."),
    as_json: bool = typer.Option(False, "--json"),
    model: Path | None = typer.Option(None, "--model"),
) -> None:
    """Score QUANTITY and DATE entities on other projects' test cases (tests/data/peer)."""
    from .scoring import score_peer_dates, score_peer_quantities

    if quantities is None and dates is None:
        raise CommandError(Errors.E093,
                           "crackdown peer --quantities tests/data/peer/quantities.jsonl "
                           "--dates tests/data/peer/dates.jsonl")
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
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="Default: models/crackdown (en), models/crackdown-<lang> (others)."),
    config: Path | None = typer.Option(None, "--config", help="Default: configs/<lang>/config.cfg."),
    rules_dir: Path | None = typer.Option(None, "--rules", help="Rule folder (default: the config's)."),
    lang: str = typer.Option("en", "--lang", help="The language to build (a folder of configs/)."),
) -> None:
    """Assemble the pipeline of a language from configs/<lang>/ and save it (deterministic)."""
    from .build import build_pipeline
    from .languages import check_lang, configured, default_model

    try:
        if config is None:
            config = Path("configs") / check_lang(lang, configured(), allow_auto=False) / "config.cfg"
        if output is None:
            output = Path("models") / default_model(lang).name
        nlp = build_pipeline(config, rules_dir, output)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    out.print(f"built {nlp.meta['name']} {nlp.meta['version']} (rules {nlp.meta['rules_hash'][:12]}) -> {output}")


@rules_app.command("check")
def rules_check(
    rules_dir: Path | None = typer.Option(None, "--rules", help="Rule folder (default: configs/<lang>)."),
    lang: str = typer.Option("en", "--lang", help="The language whose rules to check."),
    gold: list[Path] = typer.Option([], "--gold", exists=True, dir_okay=False,
                                    help="Gold files: also list rules that match nothing in them."),
    more_gold: list[Path] | None = typer.Argument(None, exists=True, dir_okay=False, metavar="[GOLD]...",
                                                  help="More gold files: `--gold data/gold/*.jsonl` works."),
) -> None:
    """Validate and lint the rule files: every problem with its file and line."""
    from .languages import check_lang, configured
    from .lint import check_rules

    try:
        rules_dir = rules_dir or Path("configs") / check_lang(lang, configured(), allow_auto=False)
        findings = check_rules(rules_dir, [*gold, *(more_gold or [])])
    except CrackdownError as exc:
        raise _fail(exc) from exc
    for finding in findings:
        style = {"error": "bold red", "warning": "yellow", "info": "dim"}[finding.level]
        where = f"{finding.path} line {finding.line}" if finding.line else finding.path
        out.print(f"[{style}]{finding.level}[/]: {_escape(where)}: {_escape(finding.message)}",
                  highlight=False, soft_wrap=True)
    errors = sum(f.level == "error" for f in findings)
    out.print(f"{errors} error(s), {sum(f.level == 'warning' for f in findings)} warning(s), "
              f"{sum(f.level == 'info' for f in findings)} note(s)")
    if errors:
        raise typer.Exit(1)


def _learning_rules(lang: str, rules_dir: Path | None, command: str) -> Path:
    """The rule folder `rules train` and `rules suggest` learn on: --rules, else configs/<lang>.

    They read each quantity as the English fact reader does (``crackdown_events``); a
    language whose config.cfg names another event builder is refused (E109).
    """
    from thinc.api import Config

    from .languages import check_lang, configured

    rules_dir = rules_dir or Path("configs") / check_lang(lang, configured(), allow_auto=False)
    config = rules_dir / "config.cfg"
    if config.is_file():
        factory = Config().from_disk(config, interpolate=False).get("components", {}).get("events", {}).get("factory")
        if factory not in (None, "crackdown_events"):
            raise CrackdownError(Errors.E109.format(command=command, path=rules_dir, factory=factory))
    return rules_dir


@rules_app.command("train")
def rules_train(
    gold: list[Path] = typer.Argument(..., help="Gold files (docs/event-schema.md format)."),
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds."),
    output: Path | None = typer.Option(None, "--output",
                                       help="Where learned.yml goes (default: configs/<lang>/learned)."),
    rules_dir: Path | None = typer.Option(None, "--rules",
                                          help="Rule folder to learn on top of (default: configs/<lang>)."),
    lang: str = typer.Option("en", "--lang", help="The language whose rules to learn (a folder of configs/)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the diff, write nothing."),
) -> None:
    """Learn rules from annotations; report held-out F1 before and after (K-fold)."""
    from .languages import configured
    from .learn import of_language, read_gold_files, train, write_learned

    try:
        rules_dir = _learning_rules(lang, rules_dir, "train")
        output = output or rules_dir / "learned"
        docs, other = of_language(read_gold_files(gold), lang, configured())
        if not docs:
            raise CrackdownError(Errors.E110.format(files=", ".join(map(str, gold)), lang=lang))
        if other:
            examples = ", ".join(d.record.doc_id for d in other[:3]) + (", ..." if len(other) > 3 else "")
            console.print(f"[yellow]{Warnings.W011.format(count=len(other), lang=lang, examples=examples)}[/]",
                          highlight=False)
        result = train(docs, rules_dir, folds)
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
    rules_dir: Path | None = typer.Option(None, "--rules", help="Rule folder (default: configs/<lang>)."),
    lang: str = typer.Option("en", "--lang", help="The language whose rules to extend (a folder of configs/)."),
    model: Path | None = typer.Option(None, "--model", help="A pipeline built from --rules (built if absent)."),
) -> None:
    """Mine a corpus for candidate operations, units, counted nouns and places, with examples."""
    from .build import build_pipeline
    from .rules import load_rules
    from .suggest import suggest, write_suggestions

    try:
        rules_dir = _learning_rules(lang, rules_dir, "suggest")
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
    rules_dir: Path = typer.Option(Path("configs/en"), "--rules"),
) -> None:
    """Merge reviewed suggestions into configs/learned/accepted.yml."""
    from .suggest import accept

    try:
        target = accept(suggestions, rules_dir)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    out.print(f"merged into {target}; rebuild with `make model`")


def _rule_sources(lang: str) -> Any:
    """The entries of configs/<lang>/ that rule ids and cues come from, for English in a checkout."""
    from .grammar.en.sources import RuleSources

    folder = Path("configs") / lang
    return RuleSources(folder) if lang == "en" and (folder / "events.yml").is_file() else None


@app.command()
def explain(
    text: str = typer.Argument(..., help="A sentence, or the path of a text file."),
    published: str | None = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD)."),
    model: Path | None = typer.Option(None, "--model"),
    lang: str = typer.Option("auto", "--lang", help=LANG_HELP),
) -> None:
    """Each entity with the rule that found it; each event with its trigger and attribution cues."""
    from .annotate import not_events
    from .present import amount, event_fields, period
    from .table import doc_entities, doc_events

    nlp = _load(model, lang)
    doc = _annotate_text(text, published, model, lang)
    sources = _rule_sources(doc.lang_)
    entities = doc_entities(doc)
    table = Table(title=f"Entities ({len(entities)})", title_justify="left")
    for column in ("label", "text", "normalised", "rule"):
        table.add_column(column, overflow="fold")
    origins: dict[str, str] = {}  # rule (and name) -> the entry of configs/ it comes from
    for ent in entities:
        if ent["label"] == "QUANTITY":
            norm = amount(ent["value"], ent["unit"], ent["qualifier"])
        elif ent["label"] == "DATE":
            norm = period(ent["period_start"], ent["period_end"]) or "(no year to resolve it)"
        else:
            norm = ent["norm"] or ""
        table.add_row(ent["label"], ent["text"], norm, str(ent["rule"]))
        source = sources.entity(ent["label"], ent["rule"], ent["norm"], ent["unit"]) if sources else None
        if source is not None:
            origins[f"{ent['rule']} ({norm})" if ent["label"] == "OPERATION" else str(ent["rule"])] = str(source)
    out.print(table)
    if origins:
        table = Table(title="Where the entity rules come from", title_justify="left")
        table.add_column("rule", overflow="fold")
        table.add_column("entry of configs/", overflow="fold")
        for rule, source in origins.items():
            table.add_row(rule, source)
        out.print(table)
    rows = doc_events(doc)
    if not rows:
        out.print("no events")
    for i, row in enumerate(rows, start=1):
        fields = event_fields(row, provenance=True)
        table = Table(title=f"Event {i} of {len(rows)}: {fields.pop('event_type')}, {fields.pop('amount')}",
                      title_justify="left", show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        for name, value in fields.items():
            table.add_row(name, value or "-")
        for name, source in (sources.event(row) if sources else {}).items():
            table.add_row(f"{name} from", str(source) if source else "-")
        out.print(table)
    why = not_events(nlp, doc)
    if why:
        table = Table(title=f"Quantities that are not events ({len(why)})", title_justify="left")
        table.add_column("quantity")
        table.add_column("why not", overflow="fold")
        for ent in entities:
            if ent["label"] == "QUANTITY" and ent["start"] in why:
                table.add_row(ent["text"], why[ent["start"]])
        out.print(table)


@app.command()
def show(
    inputs: list[Path] = typer.Argument(..., help="Documents (any input `crackdown run` reads)."),
    doc_id: list[str] = typer.Option([], "--id", help="Document id to show (repeatable); default: all."),
    output: Path = typer.Option(Path("doc.html"), "--output", "-o"),
    limit: int = typer.Option(50, "--limit", help="Most documents shown without --id."),
    model: Path | None = typer.Option(None, "--model"),
    lang: str = typer.Option("auto", "--lang", help=LANG_HELP),
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
            raise CommandError(Errors.E094.format(ids=", ".join(sorted(missing)),
                                                  inputs=", ".join(map(str, inputs))), _help_hint())
        if not wanted and len(records) > limit:
            raise CommandError(Errors.E095.format(count=len(records)),
                               f"crackdown show {' '.join(map(str, inputs))} --id {records[0].doc_id}")
        docs = list(annotate(_load(model, lang), records, streaming=False))
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
        raise CommandError(Errors.E096.format(path=run_dir), "crackdown run INPUT... --output DIR writes one")
    try:
        page = report_html(run_dir)
    except CrackdownError as exc:
        raise _fail(exc) from exc
    output.write_text(page, encoding="utf-8")
    out.print(f"report -> {output}")


def main() -> None:
    """Entry point of the ``crackdown`` command."""
    from .annotate import freeze_imports

    freeze_imports()  # this process is the command's: the imported modules live as long as it
    app()


if __name__ == "__main__":
    main()
