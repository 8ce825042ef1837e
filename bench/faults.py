"""The fault matrix: every source against every failure the fake APIs can play.

`python -m bench.faults` plays every scenario of SCENARIOS, then the attacks of bench.attacks, on a copy of one clean warehouse
(scenarios on different sources share a run, see `batches`), refreshes once more without the
faults, and prints a JSON summary per fault kind: faults injected, runs completed, outcomes as
expected, rows lost or corrupted (the current values compared with the clean run's; both must
be 0). tests/test_faults.py asserts each scenario of the same table under pytest.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test settings and fixtures

from conftest import FIXTURES, write_settings  # noqa: E402
from bilateral.replay import FakeAPI  # noqa: E402

from bench import attacks  # noqa: E402
from bilateral import refresh, warehouse  # noqa: E402
from bilateral.config import Config, load_config  # noqa: E402
from bilateral.refresh import RunSummary  # noqa: E402
from bilateral.warehouse import SourceOutcome  # noqa: E402

# What must happen to the faulted source:
LOADED = "loaded"  # retried or read despite the quirk: its values equal a clean run's
FAILED = "failed"  # marked failed with one line naming source, URL and cause; previous values intact
KEPT = "kept"  # an answer without data: nothing loaded, nothing deleted, the source ok
FLAGGED = "flagged"  # the value loaded and listed in marts.data_quality
PARTIAL = "partial"  # names or metadata failed: the values loaded as in a clean run, the source partial with the reason

# the data requests of each source match this (FakeAPI.fail's path_contains): the IMF's metadata
# requests, asked first, stay clean, so a fault hits the values
PATHS = {
    "worldbank": re.compile("/worldbank/"),
    "imf_datamapper": re.compile("/datamapper/api/v1/(?!indicators)"),
    "imf_trade": re.compile("/sdmx/3.0/data/"),
    "comtrade": re.compile("/comtrade/"),
}
# data requests a clean run makes, per source (World Bank: 6 indicators + 7 label lists; Comtrade: the pair's two
# directions in one, both sides' imports from the world in another, x 7 years)
CLEAN_REQUESTS = {"worldbank": 13, "imf_datamapper": 5, "imf_trade": 1, "comtrade": 14}
ATTEMPTS = 4  # one try and `retries = 3` in the test settings
PERSISTENT = 10  # more failures in a row than the client has attempts


@dataclass(frozen=True)
class Scenario:
    """One fault played against one source, and what must happen."""

    source: str
    kind: str  # a FakeAPI.fail kind, or "value" for an absurd value put in the fake's data
    expect: str
    options: dict = field(default_factory=dict)
    times: int = 1
    requests: int = 0  # requests the source makes in the faulty run
    cause: str = ""  # FAILED: words the one-line error must contain
    per_page: int = 1000
    read_timeout: float = 5
    values: tuple = ()  # "value": (FakeAPI setter, arguments) pairs
    flagged: tuple = ()  # FLAGGED: its marts.data_quality rows, in the view's columns; the planted value first
    path: str | None = None  # where the fault strikes, when not the source's data requests (PATHS)


def _each_source(kind: str, expect: str, requests: dict[str, int] | int | None = None, **fields) -> list[Scenario]:
    """The same fault against every source; `requests` defaults to a clean run's."""
    scenarios = []
    for source in PATHS:
        count = requests if isinstance(requests, int) else (requests or CLEAN_REQUESTS)[source]
        scenarios.append(Scenario(source, kind, expect, requests=count, **fields))
    return scenarios


ONE_MORE = {source: count + 1 for source, count in CLEAN_REQUESTS.items()}  # asked once again, then fine
SLOW = {"seconds": 1.0}
QUICK_TIMEOUT = 0.3

SCENARIOS: list[Scenario] = [
    *_each_source("status", LOADED, ONE_MORE, options={"status": 429, "retry_after": "1"}),
    *_each_source("status", LOADED, ONE_MORE, options={"status": 429}),
    *[s for status in (500, 502, 503) for s in _each_source("status", LOADED, ONE_MORE, options={"status": status})],
    *[
        s
        for status in (429, 500, 502, 503)
        for s in _each_source(
            "status", FAILED, ATTEMPTS, options={"status": status}, times=PERSISTENT,
            cause=f"HTTP {status} (still failing after retries)",
        )
    ],
    *_each_source("status", FAILED, 1, options={"status": 404}, cause="HTTP 404 (not retried)"),
    *_each_source("slow", LOADED, ONE_MORE, options=SLOW, read_timeout=QUICK_TIMEOUT),
    *_each_source("slow", FAILED, ATTEMPTS, options=SLOW, times=PERSISTENT, read_timeout=QUICK_TIMEOUT, cause="timed out"),
    *_each_source("reset", LOADED, ONE_MORE),
    *_each_source("reset", FAILED, ATTEMPTS, times=PERSISTENT, cause="body cut short"),
    *_each_source("truncated", LOADED, ONE_MORE),
    *_each_source("truncated", FAILED, ATTEMPTS, times=PERSISTENT, cause="body is not whole JSON"),
    *_each_source("html", LOADED, ONE_MORE),
    *_each_source("html", FAILED, ATTEMPTS, times=PERSISTENT, cause="an HTML page instead of JSON"),
    *_each_source("empty_body", LOADED, ONE_MORE),
    *_each_source("empty_body", FAILED, ATTEMPTS, times=PERSISTENT, cause="empty body"),
    # an error payload with HTTP 200 is an answer, not an outage: never asked again
    Scenario("worldbank", "wb_error", FAILED, requests=1, cause="the API answered with an error: 120 Invalid value"),
    Scenario("imf_datamapper", "wb_error", FAILED, requests=1, cause="field 'values' missing"),
    Scenario("imf_trade", "wb_error", FAILED, requests=1, cause="field 'data' missing"),
    Scenario("comtrade", "wb_error", FAILED, requests=1, cause="field 'data' missing"),
    *_each_source("empty_page", KEPT),
    # the World Bank's pages are read together once the last has landed, so a renamed field is found after them
    Scenario("worldbank", "renamed_field", FAILED, {"old": "value", "new": "val"}, requests=13, cause="field 'value' missing"),
    Scenario("worldbank", "renamed_field", FAILED, {"old": "countryiso3code", "new": "iso3"}, requests=13,
             cause="field 'countryiso3code' missing"),
    Scenario("imf_datamapper", "renamed_field", FAILED, {"old": "values", "new": "data"}, requests=1,
             cause="field 'values' missing"),
    Scenario("imf_trade", "renamed_field", FAILED, {"old": "observations", "new": "obs"}, requests=1,
             cause="field 'observations' missing"),
    Scenario("comtrade", "renamed_field", FAILED, {"old": "primaryValue", "new": "value"}, requests=1,
             cause="field 'primaryValue' missing"),
    # per_page 10: NY.GDP.MKTP.CD for 5 countries x 36 years is 18 pages; page 2 announces 19
    Scenario("worldbank", "total_changes", FAILED, requests=2, per_page=10, cause="total changed between pages"),
    # only World Bank and Comtrade answers are arrays of rows the fake can repeat
    Scenario("worldbank", "duplicate_rows", LOADED, requests=13),
    Scenario("comtrade", "duplicate_rows", LOADED, requests=14),
    *_each_source("bom", LOADED),
    Scenario("worldbank", "value", FLAGGED, requests=13,
             values=(("set_worldbank_value", ("SP.POP.TOTL", "MEX", 2020, -126799054.0)),),
             flagged=(("worldbank", "SP.POP.TOTL", "MEX", "", "2020", -126799054.0, 125762982.0, "negative", None),)),
    Scenario("worldbank", "value", FLAGGED, requests=13,
             values=(("set_worldbank_value", ("NY.GDP.MKTP.CD", "MEX", 2021, 1316569466833940.0)),),
             flagged=(("worldbank", "NY.GDP.MKTP.CD", "MEX", "", "2021", 1316569466833940.0, 1121064767168.8, "jump", None),
                      ("worldbank", "NY.GDP.MKTP.CD", "MEX", "", "2022", 1466934724243.38, 1316569466833940.0, "jump", None))),
    Scenario("imf_datamapper", "value", FLAGGED, requests=5,
             values=(("set_datamapper_value", ("LP", "MEX", 2020, -128.209)),),
             flagged=(("imf_datamapper", "LP", "MEX", "", "2020", -128.209, 127.216, "negative", None),)),
    Scenario("imf_datamapper", "value", FLAGGED, requests=5,
             values=(("set_datamapper_value", ("NGDPD", "MEX", 2021, 1316569.0)),),
             flagged=(("imf_datamapper", "NGDPD", "MEX", "", "2021", 1316569.0, 1121.065, "jump", None),
                      ("imf_datamapper", "NGDPD", "MEX", "", "2022", 1466.935, 1316569.0, "jump", None))),
    Scenario("imf_trade", "value", FLAGGED, requests=1,
             values=(("set_imts_value", ("MEX", "XG_FOB_USD", "RUS", 2020, -421377000.0)),),
             flagged=(("imf_trade", "XG_FOB_USD", "MEX", "RUS", "2020", -421377000.0, 398714000.0, "negative", None),)),
    # names fail: the World Bank's country names (the only answer asked with per_page=400) and an indicator's
    # metadata; every value loads as in a clean run and the names fall back to the stored ones
    *[
        Scenario("worldbank", "status", PARTIAL, {"status": status}, times=PERSISTENT, requests=13 + ATTEMPTS - 1,
                 cause=f"HTTP {status}", path="per_page=400")
        for status in (500, 503)
    ],
    Scenario("worldbank", "html", PARTIAL, times=PERSISTENT, requests=13 + ATTEMPTS - 1, cause="an HTML page instead of JSON",
             path="/v2/indicator/SP.POP.TOTL"),
]

VALUE_COLUMNS = "source, dataset, indicator, ref_area, counterpart_area, period, value, unit, is_forecast, source_updated"
CURRENT = f"select {VALUE_COLUMNS} from {{schema}}.observations where valid_to is null"


def batches(scenarios: list[Scenario]) -> list[tuple[Scenario, ...]]:
    """Scenarios that can share one run: on different sources, with the same settings.

    At most three in a run may fail, so every run also shows a source loading beside the failed ones.
    """
    grouped: list[list[Scenario]] = []
    for scenario in scenarios:
        batch = next((batch for batch in grouped if _fits(batch, scenario)), None)
        if batch is None:
            grouped.append([scenario])
        else:
            batch.append(scenario)
    return [tuple(batch) for batch in grouped]


def _fits(batch: list[Scenario], scenario: Scenario) -> bool:
    settings = (batch[0].per_page, batch[0].read_timeout) == (scenario.per_page, scenario.read_timeout)
    sources = all(other.source != scenario.source for other in batch)
    failing = sum(other.expect == FAILED for other in batch) + (scenario.expect == FAILED)
    return settings and sources and failing < len(PATHS)


def name(scenario: Scenario) -> str:
    detail = [str(value) for value in scenario.options.values()] + [flag[1] for flag in scenario.flagged[:1]]
    persistent = ["persistent"] if scenario.times >= PERSISTENT else []
    where = ["names"] if scenario.path else []
    return "-".join([scenario.source, scenario.kind, *where, *detail, *persistent])


@dataclass
class Result:
    """What one run with a batch of faults did to the warehouse, compared with the clean run it started from."""

    batch: tuple[Scenario, ...]
    summary: RunSummary
    requests: dict[str, int]  # requests each source made
    appeared: list[tuple]  # current values (VALUE_COLUMNS) the clean run does not have; a doubled row counts
    vanished: list[tuple]  # values of the clean run that are no longer current
    flagged: list[tuple]  # marts.data_quality
    runs: list[str]  # meta.runs.status, oldest first
    recovered: RunSummary | None = None  # the next run, the faults gone
    unlike_clean_after_recovery: int = 0  # rows that still differ from the clean run after it

    def outcome(self, source: str) -> SourceOutcome:
        return next(outcome for outcome in self.summary.outcomes if outcome.source == source)

    def others(self, source: str) -> list[SourceOutcome]:
        return [outcome for outcome in self.summary.outcomes if outcome.source != source]

    @staticmethod
    def of(source: str, rows: list[tuple]) -> list[tuple]:
        return [row for row in rows if row[0] == source]


def config_for(folder: Path, fake: FakeAPI, per_page: int = 1000, read_timeout: float = 5) -> Config:
    folder.mkdir(parents=True, exist_ok=True)
    return load_config(write_settings(folder, fake, per_page, read_timeout), environ={"BILATERAL_HOME": str(folder / "home")})


def reference(folder: Path, fake: FakeAPI) -> Config:
    """One clean refresh of every source: the state each scenario starts from and is compared with."""
    fake.reset()
    config = config_for(folder, fake)
    summary = refresh.run_once(config)
    if summary.status != "ok":
        raise RuntimeError(f"the clean reference run did not load: {summary.failures}")
    return config


def play(batch: tuple[Scenario, ...], fake: FakeAPI, clean: Config, folder: Path, recover: bool = True) -> Result:
    """Copy the clean warehouse, play the faults, refresh; with `recover`, refresh once more without them."""
    first = batch[0]
    fake.reset()
    shutil.copytree(clean.home, folder / "home")
    config = config_for(folder, fake, first.per_page, first.read_timeout)
    for scenario in batch:
        for setter, arguments in scenario.values:
            getattr(fake, setter)(*arguments)
        if scenario.kind != "value":
            fake.fail(scenario.kind, scenario.path or PATHS[scenario.source], times=scenario.times, **scenario.options)
    # every series in full: the faults are played on the data answers, not on the change probes
    summary = refresh.run_once(config, full=True)
    requests = {source: sum(bool(path.search(request.path)) for request in fake.requests) for source, path in PATHS.items()}
    with contextlib.closing(warehouse.reader(config.snapshot_path)) as connection:
        appeared, vanished = differences(connection, clean)
        flagged = connection.execute("select * from marts.data_quality order by all").fetchall()
        runs = [row[0] for row in connection.execute("select status from meta.runs order by started_at").fetchall()]
    result = Result(batch, summary, requests, appeared, vanished, flagged, runs)
    if recover:
        fake.reset()
        result.recovered = refresh.run_once(config, full=True)
        with contextlib.closing(warehouse.reader(config.snapshot_path)) as connection:
            result.unlike_clean_after_recovery = sum(map(len, differences(connection, clean)))
    return result


def differences(connection: duckdb.DuckDBPyConnection, clean: Config) -> tuple[list[tuple], list[tuple]]:
    """Current values the clean run does not have (a doubled row counts), and clean values no longer current."""
    connection.execute("attach ? as clean (read_only)", [str(clean.snapshot_path)])
    try:
        now, then = CURRENT.format(schema="core"), CURRENT.format(schema="clean.core")
        fingerprint = "select count(*), sum(hash({columns})) from ({rows})"
        if connection.execute(fingerprint.format(columns=VALUE_COLUMNS, rows=now)).fetchone() == connection.execute(
            fingerprint.format(columns=VALUE_COLUMNS, rows=then)
        ).fetchone():
            return [], []  # the same rows: the usual answer, found without sorting both sides
        return (
            connection.execute(f"{now} except all {then} order by all").fetchall(),
            connection.execute(f"{then} except all {now} order by all").fetchall(),
        )
    finally:
        connection.execute("detach clean")


def damage(result: Result) -> tuple[Counter, Counter]:
    """Rows lost (a clean value gone, none in its place) and corrupted (a value neither clean nor planted), by source."""
    replaced = {row[:6] for row in result.appeared}  # source, dataset, indicator, ref_area, counterpart_area, period
    planted = {flag[:6] for scenario in result.batch for flag in scenario.flagged}
    lost = Counter(row[0] for row in result.vanished if row[:6] not in replaced)
    corrupted = Counter(row[0] for row in result.appeared if (row[0], *row[2:7]) not in planted)
    return lost, corrupted


def main() -> None:
    started = time.perf_counter()
    kinds: dict[str, Counter] = defaultdict(Counter)
    lost_in_all, corrupted_in_all, crashed = Counter(), Counter(), 0
    logging.disable(logging.WARNING)  # the retries' warnings; the summary says what happened
    with FakeAPI(fixtures=FIXTURES) as fake, tempfile.TemporaryDirectory(prefix="bench-faults-") as scratch:
        clean = reference(Path(scratch) / "clean", fake)
        for number, batch in enumerate(batches(SCENARIOS)):
            try:
                result = play(batch, fake, clean, Path(scratch) / f"run{number}")
            except Exception:  # a run that raises is what this bench looks for: count it, play the rest
                logging.getLogger(__name__).exception("run %d crashed", number)
                crashed += 1
                continue
            lost, corrupted = damage(result)
            lost_in_all.update(lost)
            corrupted_in_all.update(corrupted)
            recovered = result.recovered.status == "ok" and result.unlike_clean_after_recovery == 0
            for scenario in batch:
                totals = kinds[scenario.kind]
                totals["scenarios"] += 1
                # a persistent fault is sent as often as the client asks, no more
                totals["faults_injected"] += len(scenario.values) or min(scenario.times, result.requests[scenario.source])
                totals["as_expected"] += (result.outcome(scenario.source).error is not None) == (scenario.expect == FAILED)
                totals["rows_lost"] += lost[scenario.source]
                totals["rows_corrupted"] += corrupted[scenario.source]
                totals["recovered_next_run"] += recovered
            for kind in {scenario.kind for scenario in batch}:
                kinds[kind]["runs_completed"] += 2  # the faulty run and the next one
    report = {
        "scenarios": len(SCENARIOS),
        "runs_completed": 2 * (len(batches(SCENARIOS)) - crashed),
        "runs_crashed": crashed,
        "rows_lost": sum(lost_in_all.values()),
        "rows_corrupted": sum(corrupted_in_all.values()),
        "seconds": round(time.perf_counter() - started, 1),
        "by_fault": {kind: {key: totals[key] for key in FIELDS} for kind, totals in kinds.items()},
    }
    with FakeAPI(fixtures=FIXTURES) as fake, tempfile.TemporaryDirectory(prefix="bench-attacks-") as scratch:
        clean = reference(Path(scratch) / "clean", fake)
        report["attacks"] = attacks.play_all(fake, clean, Path(scratch), config_for, differences)
    report["rows_lost"] += sum(attack["rows_lost"] for attack in report["attacks"].values())
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))


FIELDS = ("scenarios", "faults_injected", "runs_completed", "as_expected", "recovered_next_run", "rows_lost", "rows_corrupted")


if __name__ == "__main__":
    main()
