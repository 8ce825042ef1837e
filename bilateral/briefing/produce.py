"""One briefing from start to end: read the snapshot as of a moment, render, record what it printed."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bilateral import queries, warehouse
from bilateral.briefing import charts, context, render, site, wording
from bilateral.config import Config
from bilateral.files import write_atomically
from bilateral.periods import as_of_day, parse_period


@dataclass(frozen=True)
class Rendered:
    path: Path
    sha256: str
    pages: int


def as_of_moment(config: Config, as_of: str | None) -> dt.datetime:
    """The data state to use: the end of the given day, or the latest load (so a re-render repeats itself)."""
    if as_of:
        return dt.datetime.combine(as_of_day(as_of), dt.time.max, tzinfo=dt.timezone.utc)
    with contextlib.closing(warehouse.reader(config.snapshot_path)) as connection:
        loaded_at = connection.execute(queries.text("latest_load")).fetchone()[0]
    return loaded_at or dt.datetime.now(dt.timezone.utc)


def build(config: Config, period: str | None, as_of: dt.datetime, since: str | None = None,
          rebuilt_as_of: dt.date | None = None, language: str = "en") -> context.Briefing:
    """The briefing for `period` (default: the month of the as-of day when rebuilding, else this month), in `language`.

    `rebuilt_as_of` marks an edition rebuilt as the data stood on an earlier day: it gets a file of its own.
    """
    with wording.speaking(language), charts.cached_in(config.home / "cache" / "charts"):
        return _built(config, period, as_of, since, rebuilt_as_of)


def _built(config: Config, period: str | None, as_of: dt.datetime, since: str | None,
           rebuilt_as_of: dt.date | None) -> context.Briefing:
    label, start, end = parse_period(period, rebuilt_as_of or dt.date.today())
    if since is not None:
        parse_period(since, start)  # the same check, and the same one-line error
    try:
        briefing = _build(config, label, start, end, as_of, since)
    except (duckdb.CatalogException, duckdb.BinderException):
        # a warehouse written by an earlier version lacks the newer views or columns: bring it up to date once
        upgrade(config)
        briefing = _build(config, label, start, end, as_of, since)
    briefing.edition = f"asof-{rebuilt_as_of.isoformat()}" if rebuilt_as_of else ""
    return briefing


def _build(config: Config, label: str, start: dt.date, end: dt.date, as_of: dt.datetime, since: str | None) -> context.Briefing:
    with contextlib.closing(warehouse.reader(config.snapshot_path)) as connection:
        return context.build(connection, config, label, start, end, as_of, since)


def upgrade(config: Config) -> None:
    """Apply new migrations and views to the warehouse and publish it; opening the writer does both."""
    with warehouse.exclusive(config.home, "upgrade"), warehouse.writer(config.warehouse_path) as connection:
        warehouse.publish(connection, config.snapshot_path)


def pdf_path(config: Config, briefing: context.Briefing) -> Path:
    """One file per edition and language: `2026-11_rus-mex.pdf`, `2026-11_rus-mex.es.pdf`, or
    `2026-11_asof-2026-06-30_rus-mex.pdf` for a rebuild."""
    parts = [briefing.period, briefing.edition, config.pair_slug]
    return config.briefings_dir / ("_".join(part for part in parts if part) + wording.file_suffix(briefing.language) + ".pdf")


def write(config: Config, briefing: context.Briefing) -> Rendered:
    """The PDF and, beside it, the HTML edition of the same content (`.html` for `.pdf`)."""
    target = pdf_path(config, briefing)
    sha256, pages = render.pdf(render.html(briefing), target)
    write_atomically(target.with_suffix(".html"), render.html(briefing, web=True))
    return Rendered(target, sha256, pages)


def record(config: Config, briefing: context.Briefing, as_of: dt.datetime, rendered: Rendered) -> None:
    """Keep what the briefing printed, so the next one can say what changed; then list all briefings.

    While a refresh holds the warehouse the record goes to a small journal that the refresh's own
    load merges, so a briefing never waits and its PDF and its record always agree.
    """
    figures = {"figures": briefing.figures, "event_ids": [event["event_id"] for event in briefing.events]}
    entry = {
        "pair": config.pair_code,
        "period": briefing.period,
        "as_of": as_of.isoformat(),
        "rendered_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "path": rendered.path.relative_to(config.home).as_posix(),
        "sha256": rendered.sha256,
        "pages": rendered.pages,
        "figures": json.dumps(figures, default=str),
        "vintage": briefing.vintage,
    }
    try:
        with warehouse.exclusive(config.home, "briefing record"), warehouse.writer(config.warehouse_path) as connection:
            with warehouse.transaction(connection):
                merged = warehouse.merge_pending_briefings(connection, config.home)
                warehouse.record_briefing(connection, entry)
            warehouse.publish(connection, config.snapshot_path)
        for path in merged:
            path.unlink(missing_ok=True)
    except warehouse.WriterBusy:
        write_atomically(warehouse.pending_dir(config.home) / f"{entry['rendered_at']}_{rendered.sha256[:12]}.json",
                          json.dumps(entry))
    site.build(config, (briefing.language,))  # its HTML edition links to the archive's pages of its language


def index_rows(config: Config) -> list[dict]:
    """Every briefing file once, its latest render, newest period first: recorded ones and pending ones."""
    with contextlib.closing(warehouse.reader(config.snapshot_path)) as connection:
        result = connection.execute(queries.text("briefing_index"))
        columns = [column[0] for column in result.description]
        records = [dict(zip(columns, row)) for row in result.fetchall()]
    for path in sorted(warehouse.pending_dir(config.home).glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        records.append({**entry, "as_of": dt.datetime.fromisoformat(entry["as_of"]),
                        "rendered_at": dt.datetime.fromisoformat(entry["rendered_at"])})
    latest = {}
    for row in sorted(records, key=lambda row: row["rendered_at"]):
        latest[row["path"]] = row
    return sorted(latest.values(), key=lambda row: (row["period"], row["as_of"]), reverse=True)


def run_once(config: Config, period: str | None = None, as_of: str | None = None, since: str | None = None,
             note: str = "", language: str = "en") -> tuple[context.Briefing, Rendered]:
    """The whole briefing in this process: what flows/briefing.py does, without Prefect.

    `note` (a message, said in `language`) is printed in a box on page 1 (the demo says what data it
    shows); "{vintage}" in it becomes the data vintage the briefing prints.
    """
    moment = as_of_moment(config, as_of)
    briefing = build(config, period, moment, since, as_of_day(as_of) if as_of else None, language)
    with wording.speaking(language):
        briefing.note = wording._(note, vintage=briefing.vintage)
    rendered = write(config, briefing)
    record(config, briefing, moment, rendered)
    return briefing, rendered
