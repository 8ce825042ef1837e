"""What analysts use: a locked-down read-only session on the published snapshot, formats, export, the dictionary.

The lock-down follows the order that works in DuckDB 2.0 (FACTS.md): read-only and
no extension autoload at connect, then no external access, limits, and finally a
locked configuration so the statement being run cannot undo any of it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bilateral import connections, queries
from bilateral.config import Config
from bilateral.files import write_atomically
from bilateral.errors import QueryError

FORMATS = ("table", "csv", "json", "markdown")
MAX_LIMIT = 200_000  # rows a `sql` result may print (bilateral sql --limit): larger results are for `export`
LIMITS = {"max_execution_time": "60000", "memory_limit": "'2GB'", "threads": "2"}  # milliseconds, bytes, threads


def connect(config: Config) -> duckdb.DuckDBPyConnection:
    connection = connections.reader(config.snapshot_path)
    connection.execute("set enable_external_access = false")
    connections.look_at(connection, config.pair_code)
    for name, value in LIMITS.items():
        connection.execute(f"set {name} = {value}")
    connection.execute("set lock_configuration = true")
    return connection


@dataclass(frozen=True)
class Result:
    """A query's columns and rows, as DuckDB returns them (no pandas: the CLI starts faster without it).

    `more` counts the rows left out past a row cap (None when it could not be counted).
    """

    columns: list[str]
    rows: list[tuple]
    more: int | None = 0

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def query(connection: duckdb.DuckDBPyConnection, sql: str, parameters: dict | None = None, limit: int | None = None) -> Result:
    """The result of the last statement; DuckDB's own message (with its LINE pointer) on error.

    With `limit`, at most that many rows leave DuckDB (fetched once, never the whole result),
    so a huge result costs neither memory nor formatting time; the rest is counted in DuckDB.
    """
    if not sql.strip():
        raise QueryError("no SQL given")
    try:
        result = connection.execute(sql, parameters)
        if not result.description:
            return Result([], [])
        columns = [column[0] for column in result.description]
        if limit is None:
            return Result(columns, result.fetchall())
        rows = result.fetchmany(limit + 1)
        if len(rows) <= limit:
            return Result(columns, rows)
        return Result(columns, rows[:limit], _rows_beyond(connection, sql, parameters, limit))
    except duckdb.Error as error:
        raise QueryError(str(error).strip()) from None


def _rows_beyond(connection: duckdb.DuckDBPyConnection, sql: str, parameters: dict | None, limit: int) -> int | None:
    """How many rows a capped query left out, counted in DuckDB; None when the statement cannot be wrapped."""
    try:
        (total,) = connection.execute(f"select count(*) from ({sql.strip().rstrip(';')})", parameters).fetchone()
        return total - limit
    except duckdb.Error:
        return None


def formatted(result: Result, form: str) -> str:
    if form == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        return buffer.getvalue()
    if form == "json":
        # an array of objects, one per row; dates and decimals as text; strict JSON: NaN and infinities are null
        return strict_json(result.records()) + "\n"
    if form == "markdown":
        return _markdown(result)
    return _table(result)


def strict_json(document) -> str:
    """JSON that strict parsers accept: non-finite numbers become null, dates ISO 8601, decimals text."""
    return json.dumps(_finite(document), ensure_ascii=False, indent=1, default=_json_value, allow_nan=False)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def _json_value(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _text(value, width: int | None = None) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def _table(result: Result) -> str:
    """Aligned columns for the terminal; long texts are cut here (csv and json carry them whole)."""
    if not result.rows:
        return "(no rows)\n"
    cells = [[_text(value, 60) for value in row] for row in result.rows]
    widths = [max(len(name), *(len(row[i]) for row in cells)) for i, name in enumerate(result.columns)]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in result.rows) for i in range(len(widths))]

    def line(values) -> str:
        return "  ".join(v.rjust(w) if right else v.ljust(w) for v, w, right in zip(values, widths, numeric)).rstrip()

    return "\n".join([line(result.columns), line("-" * w for w in widths), *(line(row) for row in cells)]) + "\n"


def _markdown(result: Result) -> str:
    def cell(value) -> str:
        return _text(value).replace("|", "\\|")

    lines = ["| " + " | ".join(result.columns) + " |", "|" + "---|" * len(result.columns)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


def marts(config: Config) -> list[str]:
    with contextlib.closing(connections.reader(config.snapshot_path)) as connection:
        return [row[0] for row in connection.execute(queries.text("marts")).fetchall()]


def export(config: Config, directory: Path, form: str) -> list[Path]:
    """Every mart to DIR/<mart>.parquet or .csv, streamed to disk by DuckDB's own writers; the writer's file is
    never touched. A folder that cannot be written is one line; a file is never left half-written."""
    if directory.exists() and not directory.is_dir():
        raise QueryError(f"{directory}: not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QueryError(f"{directory}: cannot create the export folder: {error.strerror or error}") from None
    written = []
    with contextlib.closing(connections.reader(config.snapshot_path)) as connection:
        connections.look_at(connection, config.pair_code)
        names = [row[0] for row in connection.execute(queries.text("marts")).fetchall()]
        for name in names:
            target = directory / f"{name}.{form}"
            partial = directory / f".{name}.{form}.part"
            options = "format parquet" if form == "parquet" else "format csv, header true"
            quoted = str(partial).replace("'", "''")
            try:
                connection.execute(f"copy (select * from marts.{name}) to '{quoted}' ({options})")
                partial.replace(target)
            except (duckdb.Error, OSError) as error:
                partial.unlink(missing_ok=True)
                raise QueryError(f"{target}: cannot write: {str(error).splitlines()[0]}") from None
            written.append(target)
    return written


def dictionary(config: Config) -> str:
    """Every schema, table, view and column with its comment, as text."""
    with contextlib.closing(connections.reader(config.snapshot_path)) as connection:
        rows = connection.execute(queries.text("data_dictionary")).fetchall()
    lines, current = [], None
    for schema, name, kind, comment, column, data_type, column_comment in rows:
        if (schema, name) != current:
            current = (schema, name)
            lines += ["", f"{schema}.{name} ({kind})", f"  {comment or ''}"]
        lines.append(f"    {column:<24} {data_type:<26} {column_comment or ''}")
    return "\n".join(lines).lstrip("\n") + "\n"


def shell(config: Config) -> int:
    """An interactive read-only session: the DuckDB CLI when installed, else a small REPL on the same lock-down."""
    cli = shutil.which("duckdb")
    if cli:
        # .safe_mode after the limits: no .system, .shell or .output, no file access, and the
        # configuration locked. (The -safe flag of CLI 1.5.6 fails at start-up, on its own
        # extension settings, so safe mode is switched on once the database is open.)
        limits = f"set memory_limit = '2GB'; set threads = 2; set variable pair = '{config.pair_code}';"
        return subprocess.call([cli, "-readonly", "-cmd", limits, "-cmd", ".safe_mode", str(config.snapshot_path)])
    with contextlib.closing(connect(config)) as connection:
        _repl(connection)
    return 0


def _repl(connection: duckdb.DuckDBPyConnection) -> None:
    import readline  # noqa: F401  (line editing and history for input())

    sys.stdout.write("bilateral shell: read-only. End statements with ';'. .tables lists tables, .quit leaves.\n")
    buffer = ""
    while True:
        try:
            line = input("bilateral> " if not buffer else "      ...> ")
        except EOFError:
            return
        if not buffer and line.strip() in (".quit", ".exit"):
            return
        if not buffer and line.strip() == ".tables":
            line = "show all tables;"
        buffer += line + "\n"
        if buffer.rstrip().endswith(";"):
            try:
                sys.stdout.write(formatted(query(connection, buffer), "table"))
            except QueryError as error:
                sys.stdout.write(f"Error: {error}\n")
            buffer = ""


def write_output(text: str, output: Path | None) -> None:
    """To stdout, or to a file written whole or not at all; a bad path is one line."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomically(output, text)
    except OSError as error:
        raise QueryError(f"{output}: cannot write: {error.strerror or error}") from None


def cut_note(result: Result) -> str:
    """The line that says a result was cut at its row cap, and what to do instead."""
    left = "more rows" if result.more is None else f"{result.more:,} more rows"
    return f"bilateral: {len(result):,} rows shown, {left}; use --limit N (up to {MAX_LIMIT:,}) or bilateral export"

