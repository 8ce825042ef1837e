"""The DuckDB warehouse: the writer's file, migrations, versioned loads, the published snapshot.

DuckDB lets one process hold a file for writing and then locks it even against
read-only openers, so the writer holds `warehouse.duckdb` only while it loads and
then publishes `published.duckdb`, a full copy that readers open instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from bilateral import queries
from bilateral.connections import connect, reader
from bilateral.errors import WarehouseError
from bilateral.paths import sql_dir

if TYPE_CHECKING:  # frames arrive from the refresh; the readers (briefing, sql) never load pandas
    import pandas as pd

    from bilateral.config import PairConfig

log = logging.getLogger(__name__)

OBSERVATION_KEY = ("source", "dataset", "indicator", "ref_area", "counterpart_area", "period")
OBSERVATION_COLUMNS = OBSERVATION_KEY + ("value", "unit", "obs_status", "is_forecast", "source_updated")
VIEW_LAYERS = ("staging", "marts")


@dataclass
class LoadCounts:
    new: int = 0
    revised: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Curated:
    """What a run loads besides the sources: the configured pairs and their curated files, already checked."""

    pairs: tuple[PairConfig, ...]
    stale_after_years: dict[str, int]  # per enabled source
    events: pd.DataFrame | None  # None (with `digest`): the files are those the last load read, and their rows stay
    claims: pd.DataFrame | None
    digest: str | None = None  # curated.digest of what the rows are made of, recorded with them


@dataclass
class SourceOutcome:
    """What one source delivered in a run, ready to load."""

    source: str
    observations: pd.DataFrame
    labels: pd.DataFrame
    fetches: pd.DataFrame
    error: str | None = None  # the source failed: nothing of it loads from this run
    counts: LoadCounts = field(default_factory=LoadCounts)
    warning: str | None = None  # its values load, but metadata or names are missing
    stamps: dict[str, str] = field(default_factory=dict)  # series fetched in full -> its change stamp
    unchanged_series: list[str] = field(default_factory=list)  # series skipped: their stamp had not moved

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        return "partial" if self.warning else "ok"


@contextlib.contextmanager
def exclusive(home: Path, what: str = "refresh", lock: str = "writer") -> Iterator[None]:
    """Hold one of the data directory's locks, or fail at once naming who holds it.

    Everything that writes the warehouse takes the writer lock here; readers never need it.
    `bilateral serve` holds the serve lock, so two servers never start on one directory.
    """
    home.mkdir(parents=True, exist_ok=True)
    path = home / f"{lock}.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            doing = "is writing to" if lock == "writer" else "is already running on"
            raise WriterBusy(f"{path}: a {what} cannot start: {holder} {doing} {home}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{what} (pid {os.getpid()})")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()


class WriterBusy(WarehouseError):
    """Another process holds the writer lock."""


def record_briefing(connection: duckdb.DuckDBPyConnection, record: dict) -> None:
    """One rendered briefing file in meta.briefings (a re-render of the same file and as-of replaces it)."""
    connection.execute(queries.text("record_briefing"), {"pair": None, **record})


def pending_dir(home: Path) -> Path:
    """Briefing records written while a refresh held the warehouse; the next writer merges them."""
    return home / "briefings" / ".pending"


def merge_pending_briefings(connection: duckdb.DuckDBPyConnection, home: Path) -> list[Path]:
    """Record the pending briefings in the caller's transaction; returns their files, to remove after commit."""
    files = sorted(pending_dir(home).glob("*.json"))
    for path in files:
        record_briefing(connection, json.loads(path.read_text(encoding="utf-8")))
    return files


@contextlib.contextmanager
def writer(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The writer's connection, migrated and with current views; closed on exit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connect(path, read_only=False)
    try:
        migrate(connection)
        yield connection
    except duckdb.Error as error:
        # a damaged file surfaces at the first read of a bad block, as a plain duckdb.Error or IOException;
        # the narrower types (constraint, catalog, parser) are our own mistakes and keep their traceback
        if type(error) not in (duckdb.Error, duckdb.IOException):
            raise
        raise WarehouseError(f"{path}: cannot read or write it: {str(error).splitlines()[0]} (see docs/what_happens_when.md)") from None
    finally:
        connection.close()


def migrate(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply sql/schema/NNN_*.sql not yet recorded, each in its own transaction; then the views."""
    connection.execute(
        "create schema if not exists meta;"
        "create table if not exists meta.migrations (version integer primary key, name varchar not null,"
        " sha256 varchar not null, applied_at timestamptz not null)"
    )
    connection.execute(
        "comment on table meta.migrations is 'one row per applied schema migration (sql/schema)';"
        "comment on column meta.migrations.version is 'the number the file name starts with';"
        "comment on column meta.migrations.name is 'file name under sql/schema';"
        "comment on column meta.migrations.sha256 is 'sha256 of the file as applied';"
        "comment on column meta.migrations.applied_at is 'when it was applied'"
    )
    applied = {row[0] for row in connection.execute("select version from meta.migrations").fetchall()}
    done = []
    for version, path in schema_files():
        if version in applied:
            continue
        text = path.read_text(encoding="utf-8")
        with transaction(connection):
            connection.execute(text)
            connection.execute(
                "insert into meta.migrations values (?, ?, ?, now())",
                [version, path.name, hashlib.sha256(text.encode()).hexdigest()],
            )
        done.append(path.name)
        log.debug("applied migration %s", path.name)
    with transaction(connection):
        apply_views(connection, force=bool(done))  # a migration may change what the views read
    return done


def schema_files() -> list[tuple[int, Path]]:
    files = []
    for path in sorted((sql_dir() / "schema").glob("*.sql")):
        match = re.match(r"(\d+)_", path.name)
        if not match:
            raise WarehouseError(f"{path}: migration names must start with a number, like 001_name.sql")
        files.append((int(match.group(1)), path))
    return files


def apply_views(connection: duckdb.DuckDBPyConnection, force: bool = False) -> None:
    """(Re)create the staging and mart views, each layer in file-name order, unless the same SQL already is."""
    files = [(path, path.read_text(encoding="utf-8")) for layer in VIEW_LAYERS for path in sorted((sql_dir() / layer).glob("*.sql"))]
    digest = hashlib.sha256("".join(f"{path.parent.name}/{path.name}\n{text}\n" for path, text in files).encode()).hexdigest()
    if not force and connection.execute("select count(*) from meta.views where sha256 = ?", [digest]).fetchone()[0]:
        return
    for path, text in files:
        try:
            connection.execute(text)
        except duckdb.Error as error:
            raise WarehouseError(f"{path}: {str(error).splitlines()[0]}") from None
    connection.execute("delete from meta.views")
    connection.execute("insert into meta.views values (?, now())", [digest])


@contextlib.contextmanager
def transaction(connection: duckdb.DuckDBPyConnection) -> Iterator[None]:
    connection.execute("begin transaction")
    try:
        yield
    except BaseException:
        connection.execute("rollback")
        raise
    connection.execute("commit")


def last_fetches(path: Path, full: bool = False) -> tuple[dict[str, str], dict[str, tuple[str, dt.datetime]] | None]:
    """What a refresh needs of the runs before it, in one read of the published snapshot.

    The sha256 of each URL's last good fetch (the same bytes need no new reading), and per series the
    change stamp of its last full fetch and when that was (None with `full`: every series is fetched in
    full). A snapshot that cannot be read gives neither: every answer is then read as new and every
    series fetched in full, as a damaged snapshot must not stop the refresh that replaces it.
    """
    none = None if full else {}
    if not path.exists():
        return {}, none
    try:
        with contextlib.closing(reader(path)) as connection:
            known = dict(connection.execute(queries.text("known_fetches")).fetchall())
            rows = [] if full else connection.execute(queries.text("series_state")).fetchall()
    except (WarehouseError, duckdb.Error) as error:
        log.warning("%s: cannot be read (%s); reading every answer as new", path, str(error).splitlines()[0])
        return {}, none
    return known, none if full else {series: (stamp, at) for series, stamp, at in rows}


def ever_loaded(path: Path) -> bool:
    """Whether any refresh has loaded a source into the published snapshot."""
    if not path.exists():
        return False
    with contextlib.closing(reader(path)) as connection:
        return bool(connection.execute(queries.text("ever_loaded")).fetchone()[0])


def revisions_of_run(path: Path, run_id: str) -> list[dict]:
    """The values a run revised, old and new, from the published snapshot."""
    with contextlib.closing(reader(path)) as connection:
        result = connection.execute(queries.text("revisions_of_run"), {"run_id": run_id})
        columns = [column[0] for column in result.description]
        return [dict(zip(columns, row)) for row in result.fetchall()]


def load(
    connection: duckdb.DuckDBPyConnection,
    run_id: str,
    started_at: dt.datetime,
    outcomes: list[SourceOutcome],
    curated: Curated,
    home: Path,
) -> str:
    """Load every source's outcome, the curated files and the run's record in one transaction; returns the run status."""
    loaded_at = dt.datetime.now(dt.timezone.utc)
    with transaction(connection):
        merged = merge_pending_briefings(connection, home)
        connection.execute("delete from meta.pair")
        for position, pair in enumerate(curated.pairs, 1):
            connection.execute("insert into meta.pair by name select ? as pair, ? as position, ? as country_a, ? as country_b,"
                               " ? as peers", [pair.code, position, *pair.countries, list(pair.peers)])
        connection.execute("delete from meta.sources")
        for source, years in curated.stale_after_years.items():
            connection.execute("insert into meta.sources values (?, ?)", [source, years])
        if curated.events is not None:
            _load_curated(connection, curated)
        for outcome in outcomes:
            _insert_fetches(connection, run_id, outcome.fetches)
            if outcome.error is None:
                outcome.counts = _merge_observations(connection, run_id, loaded_at, outcome.observations)
                _upsert_labels(connection, outcome.labels)
                for series, stamp in outcome.stamps.items():
                    connection.execute("insert or replace into meta.series values (?, ?, ?, ?)",
                                       [outcome.source, series, stamp, loaded_at])
        status = run_status(outcomes)
        _record_run(connection, run_id, started_at, loaded_at, status, outcomes)
    for path in merged:  # recorded for good: the journal entries are done
        path.unlink(missing_ok=True)
    return status


def _load_curated(connection, curated: Curated) -> None:
    from bilateral.curated import load as load_curated  # with pandas: only a writer needs it

    load_curated(connection, curated.events, curated.claims)
    connection.execute("delete from meta.curated")
    if curated.digest:
        connection.execute("insert into meta.curated values (?, now())", [curated.digest])


def curated_digest(connection) -> str | None:
    """The digest of what the curated tables were last loaded from (None: never, or not recorded)."""
    found = connection.execute("select sha256 from meta.curated").fetchone()
    return found[0] if found else None


def run_status(outcomes: list[SourceOutcome]) -> str:
    failed = sum(1 for outcome in outcomes if outcome.error)
    if outcomes and failed == len(outcomes):
        return "failed"
    return "ok" if all(outcome.status == "ok" for outcome in outcomes) else "partial"


def _insert_fetches(connection, run_id: str, fetches: pd.DataFrame) -> None:
    if fetches.empty:
        return
    connection.register("incoming_fetches", fetches)
    connection.execute(
        "insert into raw.fetches select ?, source, url, status, sha256, bytes, path, fetched_at, is_unchanged, error,"
        " cast(published as date), problem from incoming_fetches",
        [run_id],
    )
    connection.unregister("incoming_fetches")


def _merge_observations(connection, run_id: str, loaded_at: dt.datetime, observations: pd.DataFrame) -> LoadCounts:
    """SCD2 merge. Absence from a batch never closes a row: a missing answer is not a deletion."""
    if observations.empty:
        return LoadCounts()
    connection.register("incoming_frame", observations[list(OBSERVATION_COLUMNS)])
    key = ", ".join(OBSERVATION_KEY)
    joined = " and ".join(f"c.{column} = i.{column}" for column in OBSERVATION_KEY)
    connection.execute(
        f"""
        create or replace temp table incoming_compared as
        select
            i.*,
            c.value is null as is_new,
            c.value is not null
                and (c.value is distinct from i.value or c.unit is distinct from i.unit
                     or c.is_forecast is distinct from i.is_forecast) as is_revised
        from (
            select * from incoming_frame
            qualify row_number() over (partition by {key} order by value) = 1
        ) as i
        left join core.observations as c
            on {joined} and c.valid_to is null
        """
    )
    connection.unregister("incoming_frame")
    new, revised, unchanged = connection.execute(
        "select count(*) filter (is_new), count(*) filter (is_revised), count(*) filter (not is_new and not is_revised)"
        " from incoming_compared"
    ).fetchone()
    connection.execute(
        f"""
        update core.observations as c
        set valid_to = ?
        from incoming_compared as i
        where i.is_revised and c.valid_to is null and {joined}
        """,
        [loaded_at],
    )
    # a value the publisher restates in a newer vintage keeps its version but names that vintage
    connection.execute(
        f"""
        update core.observations as c
        set source_updated = i.source_updated
        from incoming_compared as i
        where not i.is_new and not i.is_revised and c.valid_to is null and {joined}
          and i.source_updated is not null and c.source_updated is distinct from i.source_updated
        """
    )
    columns = ", ".join(OBSERVATION_COLUMNS)
    connection.execute(
        f"insert into core.observations ({columns}, valid_from, valid_to, run_id)"
        f" select {columns}, ?, null, ? from incoming_compared where is_new or is_revised",
        [loaded_at, run_id],
    )
    connection.execute("drop table incoming_compared")
    return LoadCounts(new=new, revised=revised, unchanged=unchanged)


def _upsert_labels(connection, labels: pd.DataFrame) -> None:
    if labels.empty:
        return
    connection.register("incoming_labels", labels[["source", "kind", "code", "name", "unit", "note"]])
    connection.execute(
        "insert or replace into core.labels select distinct on (source, kind, code) * from incoming_labels"
    )
    connection.unregister("incoming_labels")


def _record_run(connection, run_id, started_at, finished_at, status, outcomes: list[SourceOutcome]) -> None:
    rows = []
    for outcome in outcomes:
        fetches = outcome.fetches
        rows.append(
            (
                run_id,
                outcome.source,
                outcome.status,
                len(fetches),
                int(fetches["is_unchanged"].sum()) if not fetches.empty else 0,
                outcome.counts.new,
                outcome.counts.revised,
                outcome.counts.unchanged,
                outcome.error or outcome.warning,
                _latest_vintage(outcome.observations),
            )
        )
    if rows:
        connection.executemany("insert into meta.run_sources values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.execute(
        "insert into meta.runs values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            started_at,
            finished_at,
            status,
            sum(row[3] for row in rows),
            sum(row[4] for row in rows),
            sum(row[5] for row in rows),
            sum(row[6] for row in rows),
            sum(row[7] for row in rows),
        ],
    )


def _latest_vintage(observations: pd.DataFrame) -> str | None:
    if observations.empty or observations["source_updated"].isna().all():
        return None
    return str(observations["source_updated"].dropna().max())


def publish(connection: duckdb.DuckDBPyConnection, snapshot: Path) -> None:
    """Copy the committed warehouse to a new file and swap it in atomically for readers.

    After a checkpoint the file holds every committed change and the WAL is empty, so a
    byte copy is a whole database: milliseconds, where COPY FROM DATABASE rebuilt every
    table (0.3 s for 400k observations, growing with every vintage kept).
    """
    # a name of the publisher's own: nothing a reader leaves behind can stand in its way
    staging = snapshot.with_name(f".{snapshot.name}.{os.getpid()}.staging")
    connection.execute("checkpoint")
    (writer_path,) = connection.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    try:
        shutil.copyfile(writer_path, staging)
        os.replace(staging, snapshot)
    except OSError as error:
        reason = f"{snapshot}: cannot publish: {error.strerror or error}; readers still see the previous snapshot"
        failure = {"at": dt.datetime.now(dt.timezone.utc).isoformat(), "reason": reason}
        publish_failure_path(snapshot.parent).write_text(json.dumps(failure), encoding="utf-8")
        raise PublishError(reason) from None
    finally:
        staging.unlink(missing_ok=True)
    publish_failure_path(snapshot.parent).unlink(missing_ok=True)


class PublishError(WarehouseError):
    """The warehouse loaded but its snapshot could not be replaced: readers see the previous one."""


def publish_failure_path(home: Path) -> Path:
    """Where a failed publish leaves its reason, for `bilateral status`, until a publish succeeds."""
    return home / "publish.failed"


def publish_failure(home: Path) -> dict | None:
    path = publish_failure_path(home)
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    except (OSError, ValueError):
        return {"at": None, "reason": f"{path}: a publish failed; its record cannot be read"}
