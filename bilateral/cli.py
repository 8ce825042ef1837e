"""The `bilateral` command. Errors from the package become one line on stderr and a non-zero exit.

Commands that do not run a flow never import Prefect (it costs about a second).
"""

from __future__ import annotations

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


def _config(path: Optional[Path]) -> Config:
    return load_config(path)


def _quiet_prefect() -> None:
    """Before Prefect is imported: no telemetry (offline it logs an error) and terse logs.

    Source failures reach the terminal once, from this command; the flow's own warnings
    would repeat them.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    if logging.getLogger().level > logging.DEBUG:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")


@app.command()
def run(config: ConfigOption = None) -> None:
    """Refresh every source, then render this period's briefing (exit 0 ok, 3 partial, 1 failed)."""
    settings = _config(config)
    _quiet_prefect()
    from flows.run import run_flow

    summary, pdf = run_flow(str(settings.path))
    _report_failures(summary)
    typer.echo(f"{_summary_line(summary)}; briefing {pdf}")
    raise typer.Exit(EXIT_OK if summary.status == "ok" else EXIT_PARTIAL)


@app.command()
def refresh(config: ConfigOption = None) -> None:
    """Fetch every enabled source and load what changed (exit 0 ok, 3 partial, 1 failed)."""
    settings = _config(config)
    _quiet_prefect()
    from flows.refresh import refresh_flow

    summary = refresh_flow(str(settings.path))
    _report_failures(summary)
    typer.echo(_summary_line(summary))
    raise typer.Exit({"ok": EXIT_OK, "partial": EXIT_PARTIAL}.get(summary.status, EXIT_FAILED))


@app.command()
def briefing(
    config: ConfigOption = None,
    period: Annotated[Optional[str], typer.Option(help="YYYY-MM (monthly) or YYYY-Qn (quarterly); default: this month.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Use the data as they stood at this date (YYYY-MM-DD).")] = None,
) -> None:
    """Render the PDF briefing from the published warehouse."""
    settings = _config(config)
    _quiet_prefect()
    from flows.briefing import briefing_flow

    pdf = briefing_flow(str(settings.path), period=period, as_of=as_of)
    typer.echo(str(pdf))


def _summary_line(summary) -> str:
    from bilateral.summaries import run_line

    return run_line(summary)


def _report_failures(summary) -> None:
    for failure in summary.failures:
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
