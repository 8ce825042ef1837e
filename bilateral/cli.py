"""The `bilateral` command. Errors from the package become one line on stderr and a non-zero exit.

Commands that do not run a flow never import Prefect (it costs about a second).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import warnings
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer._click import exceptions as usage  # typer bundles its own click: its errors, not the standalone package's

from bilateral import __version__
from bilateral.config import LANGUAGES, Config, load_config
from bilateral.errors import BilateralError, UsageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
EXIT_CODES = (
    "Exit status: 0 every source fine; 3 partial (some source failed or lacked metadata, the last good data are served);"
    " 1 nothing could be done (nothing was ever loaded, or the command failed); 2 usage or configuration error."
)

app = typer.Typer(
    help="Keep a country-pair briefing alive: refresh data, query it, render PDF briefings.\n\n" + EXIT_CODES,
    no_args_is_help=False,  # bare `bilateral` gets the one-line answer of main(), not a page of help
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[
    Optional[Path],
    typer.Option("--config", "-c", help="Configuration file (default: $BILATERAL_CONFIG or bilateral.toml).", show_default=False),
]
PeriodOption = Annotated[Optional[str], typer.Option(help="YYYY-MM (monthly) or YYYY-Qn (quarterly); default: this month, or the --as-of day's.")]
AsOfOption = Annotated[Optional[str], typer.Option("--as-of", help="Rebuild with the data as they stood on this day (YYYY-MM-DD), in a file of its own.")]
PairOption = Annotated[Optional[str], typer.Option("--pair", help="The pair it is about, e.g. RUS-MEX (default: the first configured).", show_default=False)]
SinceOption = Annotated[Optional[str], typer.Option("--since", help="Compare with the briefing of this period (default: the previous period).")]


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


Language = Enum("Language", {code: code for code in LANGUAGES}, type=str)
LanguageOption = Annotated[Language, typer.Option("--lang", help="Language of the edition: en, es or ru.")]


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"


def _settings(config: Optional[Path], pair: Optional[str] = None) -> Config:
    """The configuration, narrowed to the pair a command is about (one line when no such pair is configured)."""
    return load_config(config).for_pair(pair)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bilateral {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every step of the project's own code.")] = False,
) -> None:
    # the package's own progress on stderr; libraries (fontTools, WeasyPrint, httpx) only when they fail
    logging.basicConfig(
        level=logging.ERROR,
        format="%(message)s" if not verbose else "%(asctime)s %(name)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("bilateral").setLevel(logging.DEBUG if verbose else logging.INFO)
    if not verbose:
        warnings.filterwarnings("ignore")  # library deprecation notes are for developers, not for this terminal


def _with_prefect() -> bool:
    """Flows run as Prefect flow runs where a Prefect API is configured (PREFECT_API_URL, as under `serve` and in
    docker compose), so they show in its UI; otherwise the same steps run in this process and a terminal never
    waits for a temporary Prefect server to start."""
    return bool(os.environ.get("PREFECT_API_URL"))


def _refuse_if_writing(settings: Config) -> None:
    """Refuse at once, before Prefect starts, when another refresh holds the data directory."""
    from bilateral.warehouse import exclusive

    with exclusive(settings.home, "refresh"):
        pass


def _quiet_prefect() -> None:
    """Before Prefect is imported: no telemetry (offline it logs an error) and terse logs.

    Source failures reach the terminal once, from this command; the flow's own warnings would repeat them.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    if logging.getLogger("bilateral").level > logging.DEBUG:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")


def _refreshed(settings: Config, full: bool):
    """One refresh: as a Prefect flow run when a Prefect API is configured, else in this process."""
    if not _with_prefect():
        from bilateral import refresh as pipeline

        return pipeline.run_once(settings, full)
    _refuse_if_writing(settings)
    _quiet_prefect()
    from flows.refresh import refresh_flow

    # a refresh in which a source failed ends Failed in Prefect; its summary is the state's data
    outcome = refresh_flow(str(settings.path), full, return_state=True).result(raise_on_failure=False)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _briefed(settings: Config, period: str | None, as_of: str | None, since: str | None, language: str = "en") -> Path:
    """One briefing: as a Prefect flow run when a Prefect API is configured, else in this process."""
    if not _with_prefect():
        from bilateral.briefing import produce

        return produce.run_once(settings, period, as_of, since, language=language)[1].path
    _quiet_prefect()
    from flows.briefing import briefing_flow

    return briefing_flow(str(settings.path), period=period, as_of=as_of, since=since, languages=[language],
                         pair=settings.pair_code)


def _check_briefing_arguments(period: str | None, as_of: str | None, since: str | None) -> None:
    """Periods and dates are checked before anything starts, so a typo costs nothing."""
    import datetime as dt

    from bilateral.periods import as_of_day, parse_period

    day = as_of_day(as_of) if as_of else dt.date.today()
    parse_period(period, day)
    if since:
        parse_period(since, day)


def _exit_status(settings: Config, summary) -> int:
    """0 ok; 3 partial, or failed while an earlier refresh's data are served; 1 when nothing was ever loaded."""
    if summary.status == "ok":
        return EXIT_OK
    from bilateral import warehouse

    return EXIT_PARTIAL if summary.status == "partial" or warehouse.ever_loaded(settings.snapshot_path) else EXIT_FAILED


FullOption = Annotated[bool, typer.Option("--full", help="Fetch every series in full, whatever its change probe says.")]


@app.command()
def run(config: ConfigOption = None, full: FullOption = False, pair: PairOption = None) -> None:
    """Refresh every source, then render this period's briefing of every pair, or of --pair (exit 0 ok, 3 partial,
    1 nothing loaded, 2 usage)."""
    settings = load_config(config)
    chosen = [settings.for_pair(pair)] if pair else [settings.for_pair(each.code) for each in settings.pairs]
    summary = _refreshed(settings, full)
    _report_failures(summary)
    pdfs = [str(_briefed(one, None, None, None)) for one in chosen]
    typer.echo(f"{_summary_line(summary)}; {'briefing' if len(pdfs) == 1 else 'briefings'} {', '.join(pdfs)}")
    raise typer.Exit(_exit_status(settings, summary))


@app.command()
def refresh(config: ConfigOption = None, full: FullOption = False) -> None:
    """Fetch every enabled source and load what changed (exit 0 ok, 3 partial, 1 nothing loaded, 2 usage)."""
    settings = load_config(config)
    summary = _refreshed(settings, full)
    _report_failures(summary)
    typer.echo(_summary_line(summary))
    raise typer.Exit(_exit_status(settings, summary))


@app.command()
def briefing(config: ConfigOption = None, period: PeriodOption = None, as_of: AsOfOption = None, since: SinceOption = None,
             language: LanguageOption = Language.en, pair: PairOption = None) -> None:
    """Render a pair's PDF briefing from the published warehouse; each pair, period, rebuild and language has its own file."""
    _check_briefing_arguments(period, as_of, since)
    settings = _settings(config, pair)
    typer.echo(str(_briefed(settings, period, as_of, since, language.value)))


def _server_required(command: str) -> None:
    if not _with_prefect():
        raise UsageError(f"{command} works on a Prefect server: set PREFECT_API_URL (docker-compose.yml sets it)")
    _quiet_prefect()


@app.command()
def deploy(
    config: ConfigOption = None,
    pool: Annotated[str, typer.Option(help="Process work pool the deployments run on.")] = "bilateral",
) -> None:
    """Deploy the scheduled flows to the Prefect server (PREFECT_API_URL) for workers of a process pool."""
    _server_required("deploy")
    from flows.deploy import deploy as deployed

    names = deployed(load_config(config), pool)
    typer.echo(f"deployed {', '.join(names)} on work pool {pool}; start workers with: prefect worker start --pool {pool}")


alerts_app = typer.Typer(help="Alerts through Prefect: events from the flows, automations that notify.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")
WebhookOption = Annotated[Optional[str], typer.Option(help="URL the notifications are POSTed to (saved as a Prefect webhook block).")]
BlockOption = Annotated[Optional[str], typer.Option(help="An existing Prefect notification block, TYPE/NAME (e.g. slack-webhook/desk).")]


@alerts_app.command("install")
def alerts_install(webhook: WebhookOption = None, block: BlockOption = None) -> None:
    """Create one automation per alert event on the Prefect server, each sending a notification."""
    _server_required("alerts install")
    from flows.alerts import install

    for name in install(webhook, block):
        typer.echo(f"automation {name!r}")


@alerts_app.command("test")
def alerts_test(webhook: WebhookOption = None, block: BlockOption = None) -> None:
    """Send a test notification through the alerts' notification block."""
    _server_required("alerts test")
    from flows.alerts import send_test

    send_test(webhook, block)
    typer.echo("test notification sent")


@app.command()
def site(
    config: ConfigOption = None,
    serve: Annotated[bool, typer.Option("--serve", help="Then serve the briefings folder on 127.0.0.1 until Ctrl-C.")] = False,
    port: Annotated[int, typer.Option(help="Port for --serve (0: any free one).", min=0, max=65535)] = 8000,
) -> None:
    """Build the HTML archive of the briefings (index, claims ledger, timeline, source pages) in every language."""
    from bilateral.briefing import site as archive

    settings = load_config(config)
    written = archive.build(settings)
    typer.echo(f"{len(written)} pages written under {settings.briefings_dir}; open {settings.briefings_dir / 'index.html'}")
    if serve:
        with archive.server(settings, port) as server, contextlib.suppress(KeyboardInterrupt):
            typer.echo(f"serving {settings.briefings_dir} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
            server.serve_forever()


@app.command()
def demo(
    home: Annotated[Path, typer.Option(help="Data directory of the demo, apart from the real one.")] = Path("var/demo"),
    config: ConfigOption = None,
    language: LanguageOption = Language.en,
) -> None:
    """Replay the bundled recordings through the real pipeline, offline, and write a complete briefing."""
    from bilateral import demo as replayed

    summary, pdf = replayed.run(load_config(config), home, language.value)
    typer.echo(f"{_summary_line(summary)}; demo briefing {pdf}")
    raise typer.Exit(EXIT_OK if summary.status == "ok" else EXIT_PARTIAL)


@app.command()
def doctor(config: ConfigOption = None) -> None:
    """Check raw files against their sha256, the warehouse's invariants and the snapshot (exit 1 on damage)."""
    from bilateral.doctor import examine

    findings = examine(load_config(config))
    for finding in findings:
        typer.echo(finding.line)
    raise typer.Exit(EXIT_FAILED if any(finding.problem for finding in findings) else EXIT_OK)


@app.command()
def serve(config: ConfigOption = None) -> None:
    """Serve the scheduled deployments (refresh daily, briefing monthly) until stopped; one per data directory."""
    from bilateral.warehouse import exclusive

    settings = load_config(config)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # refused at once when another serve runs here: two would also race to migrate a temporary Prefect server's database
    with exclusive(settings.home, "serve", lock="serve"):
        from flows.serve import serve_forever

        serve_forever(settings)


class StatusFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def status(
    config: ConfigOption = None,
    form: Annotated[StatusFormat, typer.Option("--format", help="text for people, json for scripts.")] = StatusFormat.text,
    pair: PairOption = None,
) -> None:
    """Per source, for a pair: state (current, stale, no data, failed), latest period, publisher's stamp, fetch time, last error."""
    from bilateral import analyst, queries, warehouse
    from bilateral.summaries import status_json, status_text

    settings = _settings(config, pair)
    with contextlib.closing(analyst.connect(settings)) as connection:
        sources, last_run, last_briefing = (
            analyst.query(connection, queries.text(name)).records() for name in ("status", "last_run", "last_briefing")
        )
    render = status_json if form is StatusFormat.json else status_text
    publish = warehouse.publish_failure(settings.home)
    others = [each.code for each in settings.pairs if each.code != settings.pair_code]
    typer.echo(render(settings.pair_code, others, sources, next(iter(last_run), None), next(iter(last_briefing), None), publish),
               nl=False)


@app.command()
def sql(
    statement: Annotated[Optional[str], typer.Argument(help="SQL to run against the published warehouse.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the SQL from this file.")] = None,
    form: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    limit: Annotated[int, typer.Option(help="Print at most this many rows (up to 200,000); for more, use export.",
                                       min=1, max=200_000)] = 10_000,
    config: ConfigOption = None,
    pair: PairOption = None,
) -> None:
    """Run read-only SQL: no writes, no other files, no extensions; a running refresh never blocks it.
    marts.pair and the pair's marts are about --pair."""
    from bilateral import analyst

    if (statement is None) == (file is None):
        raise UsageError("give either a SQL statement or --file FILE, e.g. bilateral sql \"select 1\"")
    text = statement if statement is not None else _read_sql(file)
    settings = _settings(config, pair)
    with contextlib.closing(analyst.connect(settings)) as connection:
        result = analyst.query(connection, text, limit=limit)
    analyst.write_output(analyst.formatted(result, form.value), output)
    if result.more != 0:
        typer.echo(analyst.cut_note(result), err=True)


def _read_sql(path: Path) -> str:
    from bilateral.errors import UsageError

    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not a text file of SQL (it is not UTF-8)") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from None


@app.command()
def shell(config: ConfigOption = None, pair: PairOption = None) -> None:
    """Open an interactive read-only session (the DuckDB CLI when installed, else a small SQL prompt) on --pair."""
    from bilateral import analyst

    raise typer.Exit(analyst.shell(_settings(config, pair)))


@app.command()
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write one file per mart into.")],
    form: Annotated[ExportFormat, typer.Option("--format", help="File format.")] = ExportFormat.parquet,
    config: ConfigOption = None,
    pair: PairOption = None,
) -> None:
    """Write every mart to DIR as Parquet or CSV, for pandas, R, Excel or a BI tool; the pair's marts about --pair."""
    from bilateral import analyst

    for path in analyst.export(_settings(config, pair), directory, form.value):
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
    pair: PairOption = None,
) -> None:
    """List the curated events of a pair's relationship, with the trade and GDP of their year."""
    from bilateral.curated import CATEGORIES
    from bilateral.errors import UsageError

    if category is not None and category.lower() not in CATEGORIES:
        raise UsageError(f"--category {category!r} is not a category; use one of: {', '.join(CATEGORIES)}")
    settings = _settings(config, pair)
    _print_query("events", form, settings, since=since, category=category)
    _say_if_not_curated(settings, "events")


@app.command()
def claims(
    form: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    config: ConfigOption = None,
    pair: PairOption = None,
) -> None:
    """Check a pair's curated claims (for Russia-Mexico, the source article's) against the data: claimed, observed, verdict."""
    settings = _settings(config, pair)
    _print_query("claims", form, settings)
    _say_if_not_curated(settings, "claims")


def _say_if_not_curated(settings: Config, kind: str) -> None:
    """One line on stderr when the pair has no curated file of this kind, so an empty answer is not a mystery."""
    if getattr(settings.chosen, kind) is None:
        typer.echo(f"no {kind} are curated for {settings.pair_code}: set {kind} = \"FILE.yaml\" in its [[pairs]] entry"
                   f" of {settings.path}", err=True)


def _print_query(name: str, form: Format, settings: Config, **parameters) -> None:
    from bilateral import analyst, queries

    with contextlib.closing(analyst.connect(settings)) as connection:
        result = analyst.query(connection, queries.text(name), parameters or None)
    analyst.write_output(analyst.formatted(result, form.value), None)


def _summary_line(summary) -> str:
    from bilateral.summaries import run_line

    return run_line(summary)


def _report_failures(summary) -> None:
    for failure in summary.failures + summary.warnings:
        typer.echo(f"bilateral: {failure}", err=True)


def main() -> None:
    """Console entry point: every error is one line and an exit status, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except BilateralError as error:
        typer.echo(f"bilateral: {error}", err=True)
        sys.exit(error.exit_code)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except usage.UsageError as error:
        typer.echo(f"bilateral: {_usage_problem(error)}", err=True)
        if error.ctx is not None:
            typer.echo(f"{error.ctx.get_usage()} (see '{error.ctx.command_path} --help')", err=True)
        sys.exit(EXIT_USAGE)
    except (typer.Abort, usage.ClickException):
        typer.echo("bilateral: aborted", err=True)
        sys.exit(EXIT_FAILED)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as error:  # the file system said no (a read-only or missing home, a full disk): one line too
        place = f"{error.filename}: " if error.filename else ""
        typer.echo(f"bilateral: {place}{error.strerror or error}", err=True)
        sys.exit(EXIT_FAILED)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _commands() -> list[str]:
    return [command.name or command.callback.__name__ for command in app.registered_commands]


def _usage_problem(error: usage.UsageError) -> str:
    """The problem in one line, with the nearest valid word when the user mistyped one."""
    import difflib

    message = " ".join(error.format_message().split())
    if isinstance(error, usage.BadParameter) and error.param is not None:
        name = (error.param.opts or [error.param.name])[0]
        message = f"{name}: {' '.join(error.message.split()).removeprefix('Value error, ')}"
    if message == "Missing command.":
        return f"a command is needed: {', '.join(_commands())}"
    unknown = re.fullmatch(r"No such command '(.+)'\.", message)
    if unknown:
        nearest = difflib.get_close_matches(unknown.group(1), _commands(), n=1)
        message += f" Did you mean '{nearest[0]}'?" if nearest else f" Commands: {', '.join(_commands())}."
    return message
