"""The `bilateral` command. Errors from the package become one line on stderr and a non-zero exit.

Commands that do not run a flow never import Prefect (it costs about a second).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import click
import typer

from bilateral import __version__
from bilateral.config import Config, load_config
from bilateral.errors import BilateralError

EXIT_OK, EXIT_FAILED, EXIT_PARTIAL = 0, 1, 3

app = typer.Typer(
    help="Keep a country-pair briefing alive: refresh data, query it, render PDF briefings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[
    Optional[Path],
    typer.Option("--config", "-c", help="Configuration file (default: $BILATERAL_CONFIG or bilateral.toml).", show_default=False),
]


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bilateral {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every step, Prefect's too.")] = False,
) -> None:
    # the package's own progress on stderr; libraries (fontTools, WeasyPrint, httpx) only when they warn
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s" if not verbose else "%(asctime)s %(name)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("bilateral").setLevel(logging.DEBUG if verbose else logging.INFO)
    # retries are the HTTP client's business; a source that still fails is reported once, at the end
    logging.getLogger("urllib3").setLevel(logging.DEBUG if verbose else logging.ERROR)


def _refuse_if_writing(settings: Config) -> None:
    """Refuse at once, before Prefect starts, when another refresh holds the data directory."""
    from bilateral.refresh import exclusive

    with exclusive(settings, "refresh"):
        pass


def _quiet_prefect() -> None:
    """Before Prefect is imported: no telemetry (offline it logs an error) and terse logs.

    Source failures reach the terminal once, from this command; the flow's own warnings
    would repeat them, and a flow that fails on a BilateralError (a refresh refused because
    another one is writing) would print Prefect's traceback before main()'s one line.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # without PREFECT_API_URL Prefect starts a temporary server and gives it 20 s; a first start
    # (new database) took 18-24 s on a 2-core machine (bench), and then the command fails
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    if logging.getLogger().level > logging.DEBUG:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")


@app.command()
def run(config: ConfigOption = None) -> None:
    """Refresh every source, then render this period's briefing (exit 0 ok, 3 partial, 1 failed)."""
    settings = load_config(config)
    _refuse_if_writing(settings)
    _quiet_prefect()
    from flows.run import run_flow

    summary, pdf = run_flow(str(settings.path))
    _report_failures(summary)
    typer.echo(f"{_summary_line(summary)}; briefing {pdf}")
    raise typer.Exit(EXIT_OK if summary.status == "ok" else EXIT_PARTIAL)


@app.command()
def refresh(config: ConfigOption = None) -> None:
    """Fetch every enabled source and load what changed (exit 0 ok, 3 partial, 1 failed)."""
    settings = load_config(config)
    _refuse_if_writing(settings)
    _quiet_prefect()
    from flows.refresh import refresh_flow

    summary = refresh_flow(str(settings.path))
    _report_failures(summary)
    typer.echo(_summary_line(summary))
    raise typer.Exit({"ok": EXIT_OK, "partial": EXIT_PARTIAL}.get(summary.status, EXIT_FAILED))


@app.command()
def briefing(
    config: ConfigOption = None,
    period: Annotated[Optional[str], typer.Option(help="YYYY-MM (monthly) or YYYY-Qn (quarterly); default: this month, or the --as-of day's.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Rebuild with the data as they stood on this day (YYYY-MM-DD), in a file of its own.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Compare with the briefing of this period (default: the previous period).")] = None,
) -> None:
    """Render the PDF briefing from the published warehouse; each period and rebuild has its own file."""
    settings = load_config(config)
    _quiet_prefect()
    from flows.briefing import briefing_flow

    pdf = briefing_flow(str(settings.path), period=period, as_of=as_of, since=since)
    typer.echo(str(pdf))


@app.command()
def serve(config: ConfigOption = None) -> None:
    """Serve the scheduled deployments (refresh daily, briefing monthly) until stopped."""
    settings = load_config(config)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from flows.serve import serve_forever

    serve_forever(settings)


class StatusFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def status(
    config: ConfigOption = None,
    form: Annotated[StatusFormat, typer.Option("--format", help="text for people, json for scripts.")] = StatusFormat.text,
) -> None:
    """Per source: state (current, stale, no data, failed), latest period, publisher's stamp, fetch time, last error."""
    from bilateral import analyst, queries
    from bilateral.summaries import status_json, status_text

    with contextlib.closing(analyst.connect(load_config(config))) as connection:
        sources, last_run, last_briefing = (
            analyst.query(connection, queries.text(name)).records() for name in ("status", "last_run", "last_briefing")
        )
    render = status_json if form is StatusFormat.json else status_text
    typer.echo(render(sources, next(iter(last_run), None), next(iter(last_briefing), None)), nl=False)


@app.command()
def sql(
    statement: Annotated[Optional[str], typer.Argument(help="SQL to run against the published warehouse.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the SQL from this file.")] = None,
    form: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    config: ConfigOption = None,
) -> None:
    """Run read-only SQL: no writes, no other files, no extensions; a running refresh never blocks it."""
    from bilateral import analyst
    from bilateral.errors import QueryError

    if (statement is None) == (file is None):
        raise QueryError("give either a SQL statement or --file FILE")
    text = statement if statement is not None else _read_sql(file)
    settings = load_config(config)
    with contextlib.closing(analyst.connect(settings)) as connection:
        result = analyst.query(connection, text)
    analyst.write_output(analyst.formatted(result, form.value), output)


def _read_sql(path: Path) -> str:
    from bilateral.errors import QueryError

    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryError(f"{path}: cannot read: {error.strerror}") from None


@app.command()
def shell(config: ConfigOption = None) -> None:
    """Open an interactive read-only session (the DuckDB CLI when installed, else a small SQL prompt)."""
    from bilateral import analyst

    raise typer.Exit(analyst.shell(load_config(config)))


@app.command()
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write one file per mart into.")],
    form: Annotated[ExportFormat, typer.Option("--format", help="File format.")] = ExportFormat.parquet,
    config: ConfigOption = None,
) -> None:
    """Write every mart to DIR as Parquet or CSV, for pandas, R, Excel or a BI tool."""
    from bilateral import analyst

    for path in analyst.export(load_config(config), directory, form.value):
        typer.echo(str(path))


@app.command()
def schema(config: ConfigOption = None) -> None:
    """Print the data dictionary: every schema, table, view and column with its description."""
    from bilateral import analyst

    typer.echo(analyst.dictionary(load_config(config)), nl=False)


@app.command()
def events(
    since: Annotated[Optional[int], typer.Option(help="Only events from this year on.")] = None,
    category: Annotated[Optional[str], typer.Option(help="Only this category (diplomacy, trade, ...).")] = None,
    form: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """List the curated events of the relationship, with the trade and GDP of their year."""
    _print_query("events", form, config, since=since, category=category)


@app.command()
def claims(
    form: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Check the source article's claims against the data: claimed, observed, verdict."""
    _print_query("claims", form, config)


def _print_query(name: str, form: Format, config: Optional[Path], **parameters) -> None:
    from bilateral import analyst, queries

    with contextlib.closing(analyst.connect(load_config(config))) as connection:
        result = analyst.query(connection, queries.text(name), parameters or None)
    analyst.write_output(analyst.formatted(result, form.value), None)


def _summary_line(summary) -> str:
    from bilateral.summaries import run_line

    return run_line(summary)


def _report_failures(summary) -> None:
    for failure in summary.failures + summary.warnings:
        typer.echo(f"bilateral: {failure}", err=True)


def main() -> None:
    """Console entry point: package errors are one line and a non-zero exit, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except BilateralError as error:
        typer.echo(f"bilateral: {error}", err=True)
        sys.exit(error.exit_code)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        typer.echo("bilateral: aborted", err=True)
        sys.exit(EXIT_FAILED)
    except KeyboardInterrupt:
        sys.exit(130)
    except click.ClickException as error:  # usage errors: click's own message and exit 2
        error.show()
        sys.exit(error.exit_code)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
