"""The refresh pipeline without an orchestrator: plan, collect (fetch, land, parse), load.

flows/refresh.py wraps these steps in Prefect tasks; tests and the benchmark may
call them directly.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import ModuleType

import numpy as np
import pandas as pd

from bilateral import curated, warehouse
from bilateral.config import Config
from bilateral.errors import BilateralError, SchemaDriftError, SourceError
from bilateral.http import HttpClient, Response
from bilateral.landing import Landing
from bilateral.sources import Page, Parsed, Request, check_json, labels_frame, observations_frame, registry
from bilateral.warehouse import Curated, SourceOutcome

log = logging.getLogger(__name__)

FETCH_COLUMNS = [
    "source", "url", "status", "sha256", "bytes", "path", "fetched_at", "is_unchanged", "error", "published", "problem",
]


@dataclass
class RunSummary:
    run_id: str
    status: str
    outcomes: list[SourceOutcome] = field(default_factory=list)
    publish_error: str | None = None

    @property
    def new(self) -> int:
        return sum(outcome.counts.new for outcome in self.outcomes)

    @property
    def revised(self) -> int:
        return sum(outcome.counts.revised for outcome in self.outcomes)

    @property
    def unchanged(self) -> int:
        return sum(outcome.counts.unchanged for outcome in self.outcomes)

    @property
    def failures(self) -> list[str]:
        failed = [outcome.error for outcome in self.outcomes if outcome.error]
        return failed + ([self.publish_error] if self.publish_error else [])

    @property
    def warnings(self) -> list[str]:
        """Sources whose values loaded without their metadata or names."""
        return [outcome.warning for outcome in self.outcomes if outcome.warning and not outcome.error]


def new_run_id(now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def plan(config: Config) -> dict[str, list[Request]]:
    """The requests of every enabled source, by source."""
    modules = registry()
    return {source.name: modules[source.name].requests_for(config) for source in config.enabled_sources()}


def collect(config: Config, source: str, requests: list[Request], known: dict[str, str],
            series: dict[str, tuple[str, dt.datetime]] | None = None) -> SourceOutcome:
    """Fetch, land and parse one source's requests; a failure becomes the outcome's error.

    A failed data request fails the source: it loads nothing from this run, so its
    earlier values stay as they were. A failed metadata or labels request does not:
    the values load without what it would have said, and the source is partial.

    With `series` (the stamps of each series' last full fetch) a data series is first
    probed, and skipped when its publisher's stamp has not moved since a full fetch within
    `full_every_days`; without it (`--full`) every series is fetched in full.
    """
    module = registry()[source]
    settings = config.sources[source]
    client = HttpClient(config.http, settings.min_interval_s, module.headers(settings), known_good=known.values())
    started = time.monotonic()
    taken = _Taken(Landing(config.home, source))
    try:
        for request in requests:
            if request.kind == "labels" and series is not None and not taken.stamps and taken.unchanged:
                continue  # nothing new to name: names are asked again with the next full fetch
            if request.kind == "data" and series is not None and _unchanged(config, module, client, request, series, taken):
                continue
            try:
                for response in module.fetch(client, request):
                    taken.answer(module, request, response, known)
            except BilateralError as error:
                if request.kind == "data":
                    raise
                taken.warnings.append(_one_line(f"{_named(source, error)} ({BEST_EFFORT[request.kind]})"))
        taken.read_landed(module)
        observations = _concat([item.observations for _, item in taken.answers], observations_frame([]))
        _refuse_conflicts(source, observations, [(url, len(item.observations)) for url, item in taken.answers])
    except BilateralError as error:
        message = _one_line(_named(source, error))
        for row in taken.fetches:
            row["error"] = message
        return SourceOutcome(source, observations_frame([]), labels_frame([]), _fetches_frame(taken.fetches), error=message)
    finally:
        client.close()
        taken.landing.close()  # every answer on disk before the load may name it
    log.info("%s: %d answers (%d unchanged), %d series unchanged since their stamp, %d values read in %.1f s", source,
             len(taken.fetches), sum(row["is_unchanged"] for row in taken.fetches), len(taken.unchanged),
             len(observations), time.monotonic() - started)
    return SourceOutcome(
        source,
        observations,
        _concat([item.labels for _, item in taken.answers], labels_frame([])),
        _fetches_frame(taken.fetches),
        warning="; ".join(taken.warnings) or None,
        stamps=taken.stamps,
        unchanged_series=taken.unchanged,
    )


@dataclass
class _Taken:
    """What one source's requests brought in so far."""

    landing: Landing
    fetches: list[dict] = field(default_factory=list)
    answers: list[tuple[str, Parsed]] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stamps: dict[str, str] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    reread: bool = False  # a changed metadata answer (a new edition) re-reads every data answer
    probes: dict[str, bytes] = field(default_factory=dict)  # probe -> its answer: one probe may serve many series
    landed: list[tuple[Page, dict]] = field(default_factory=list)  # data pages read together once all have landed

    def land(self, response: Response, known: dict[str, str]):
        landed = self.landing.land(response, known)
        fetch = _fetch_row(self.landing.source, response, landed)
        self.fetches.append(fetch)
        return landed, fetch

    def answer(self, module: ModuleType, request: Request, response: Response, known: dict[str, str]) -> None:
        landed, fetch = self.land(response, known)
        if request.kind == "metadata" or self.reread or not landed.is_unchanged:
            if request.kind == "data" and hasattr(module, "parse_landed"):
                self.landed.append((Page(request, response, self.landing.home / landed.path), fetch))
                return
            answer = _parsed(module, request, response, self.facts)
            self.take(answer, response.url, fetch)
            self.reread |= request.kind == "metadata" and not landed.is_unchanged

    def read_landed(self, module: ModuleType) -> None:
        """The data pages of a source that reads its pages together, read once the last has landed.

        One reading of all pages costs 0.5 s at 400 pages where one per series cost 0.8 s; the price
        is that a page of the wrong shape is found after the source's last answer, not at once.
        """
        if not self.landed:
            return
        self.landing.wait()
        answers = _parsed_pages(module, [page for page, _ in self.landed], self.facts)
        for (page, fetch), answer in zip(self.landed, answers):
            self.take(answer, page.response.url, fetch)
        self.landed.clear()

    def take(self, answer: Parsed, url: str, fetch: dict) -> None:
        fetch.update(published=answer.published, problem=_one_line("; ".join(answer.problems)) or None)
        self.facts.update(answer.facts)
        self.answers.append((url, answer))


def _unchanged(config: Config, module: ModuleType, client: HttpClient, request: Request,
               series: dict[str, tuple[str, dt.datetime]], taken: _Taken) -> bool:
    """Ask the cheapest question; True when the series' stamp has not moved since a recent full fetch.

    Otherwise the stamp is kept, to be stored when the full fetch that follows has loaded.
    """
    probe = module.probe_for(request)
    body = None
    if probe is not None and probe.series in taken.probes:
        body = taken.probes[probe.series]
    elif probe is not None:
        response = client.get(probe.url, params=probe.params, check=check_json)
        taken.land(response, {})
        body = taken.probes[probe.series] = response.body
    try:
        stamp = module.stamp_of(request, body, taken.facts)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        stamp = None  # a probe the module cannot read: fetch in full
    if stamp is None:
        return False
    previous = series.get(request.series)
    full_every = dt.timedelta(days=config.sources[module.NAME].full_every_days)
    if previous and previous[0] == stamp and dt.datetime.now(dt.timezone.utc) - previous[1] < full_every:
        taken.unchanged.append(request.series)
        return True
    taken.stamps[request.series] = stamp
    return False


# what a run does without an answer that is not data
BEST_EFFORT = {
    "metadata": "the publisher's metadata is missing: values load without its edition and update stamp",
    "labels": "names fall back to the last stored ones, else to the codes",
}


def _named(source: str, error: BilateralError) -> str:
    return str(error) if str(error).startswith(f"{source}:") else f"{source}: {error}"


def _fetch_row(source: str, response: Response, landed) -> dict:
    return {
        "source": source,
        "url": response.url,
        "status": response.status,
        "sha256": landed.sha256,
        "bytes": len(response.body),
        "path": landed.path,
        "fetched_at": response.fetched_at,
        "is_unchanged": landed.is_unchanged,
        "error": None,
        "published": None,
        "problem": None,
    }


def _parsed(module: ModuleType, request: Request, response: Response, facts: dict) -> Parsed:
    """The module's reading of one answer; a shape no check foresaw fails the source, not the whole run."""
    try:
        return module.parse(request, response.body, response.url, response.fetched_at, facts)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as error:
        raise SchemaDriftError(f"{module.NAME}: {response.url}: unexpected shape ({type(error).__name__}: {error})") from None


def _parsed_pages(module: ModuleType, pages: list[Page], facts: dict) -> list[Parsed]:
    """The module's reading of pages together; a page it leaves (None) is read alone, by `_parsed`."""
    try:
        together = module.parse_landed(pages, facts)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as error:
        raise SchemaDriftError(f"{module.NAME}: {pages[0].response.url}: unexpected shape ({type(error).__name__}: {error})") from None
    return [answer if answer is not None else _parsed(module, page.request, page.response, facts)
            for page, answer in zip(pages, together)]


def _refuse_conflicts(source: str, observations: pd.DataFrame, answers: list[tuple[str, int]]) -> None:
    """Raise when one observation comes with two different values: the load would have to guess which is right.

    `observations` are the rows of `answers` (URL, rows), in order. The same row twice with the
    same value (a repeated page) is harmless and loads once.
    """
    key = list(warehouse.OBSERVATION_KEY)
    if observations.empty or not observations.duplicated(key).any():  # the usual case, and the cheap test (0.1 s for 400k rows)
        return
    distinct = observations.drop_duplicates(key + ["value"])
    clashing = distinct[distinct.duplicated(key, keep=False)]
    if clashing.empty:
        return
    # which answer sent each row, only now: an assign() per page costs ~4 ms and a copy (1.8 s, +0.5 GB for 421 pages)
    urls = np.repeat([url for url, _ in answers], [rows for _, rows in answers])
    clashing = clashing.assign(url=urls[clashing.index])
    first, second = clashing.sort_values(key, kind="stable").head(2).itertuples()
    where = f"{first.url} and {second.url}" if first.url != second.url else first.url
    pair = f"{first.ref_area}->{first.counterpart_area}" if first.counterpart_area else first.ref_area
    raise SourceError(
        f"{source}: {where}: {first.indicator} {pair} {first.period} comes with two values, {first.value} and"
        f" {second.value} ({len(clashing.drop_duplicates(key))} observations in all)"
    )


def _one_line(message: str, limit: int = 400) -> str:
    """Error texts may quote the API (World Bank messages, JSON excerpts): the operator gets them on one bounded line."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def load(config: Config, run_id: str, started_at: dt.datetime, outcomes: list[SourceOutcome]) -> RunSummary:
    """One transaction for the whole run, then the snapshot readers use.

    The curated files are read before that transaction, unless they are those the last load read:
    a bad one stops the run with nothing loaded.
    """
    with warehouse.writer(config.warehouse_path) as connection:
        status = warehouse.load(connection, run_id, started_at, outcomes, _curated(config, connection), config.home)
        try:
            warehouse.publish(connection, config.snapshot_path)
        except warehouse.PublishError as error:
            # loaded but not seen by readers: never "ok", and said out loud
            return RunSummary(run_id=run_id, status="failed" if status == "failed" else "partial", outcomes=outcomes,
                              publish_error=str(error))
    return RunSummary(run_id=run_id, status=status, outcomes=outcomes)


def _curated(config: Config, connection) -> Curated:
    """The pairs and their curated files, read and checked; not read again when nothing they are made of
    changed since the last load (their rows then stay as loaded)."""
    lags = {source.name: source.stale_after_years for source in config.enabled_sources()}
    digest = curated.digest(config.pairs)
    if warehouse.curated_digest(connection) == digest:
        return Curated(config.pairs, lags, None, None, digest)
    return Curated(config.pairs, lags, *curated.for_pairs(config.pairs), digest)


def run_once(config: Config, full: bool = False) -> RunSummary:
    """The whole refresh in this process: what flows/refresh.py does, without Prefect.

    Each source is one host with its own politeness interval, so the sources are fetched side
    by side, a thread each (as the flow's tasks are), and a refresh takes about as long as its
    slowest host; the load stays one writer. `full` fetches every series in full, whatever its
    change probe says.
    """
    started_at = dt.datetime.now(dt.timezone.utc)
    with warehouse.exclusive(config.home, "refresh"):
        return load(config, new_run_id(started_at), started_at, collect_all(config, full))


def collect_all(config: Config, full: bool = False) -> list[SourceOutcome]:
    """Every enabled source collected side by side (the caller holds the writer lock)."""
    known, series = warehouse.last_fetches(config.snapshot_path, full)
    planned = plan(config)
    with ThreadPoolExecutor(max_workers=max(len(planned), 1), thread_name_prefix="collect") as pool:
        futures = [pool.submit(collect, config, source, requests, known, series) for source, requests in planned.items()]
        return [future.result() for future in futures]


def _fetches_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=FETCH_COLUMNS)


def _concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty

