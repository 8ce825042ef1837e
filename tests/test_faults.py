"""Every source against every fault the fake APIs can play: what is retried, what fails alone, what is flagged.

The scenarios are the table in bench/faults.py (`python -m bench.faults` prints the same matrix as JSON).
Each run starts from a copy of one clean warehouse, so "before" is the clean run: a fault must leave
every value as it was, or change exactly the values it planted.
"""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from bench import faults
from bench.faults import FAILED, FLAGGED, KEPT, LOADED, PARTIAL, PATHS
from bilateral import refresh, warehouse
from bilateral.config import HttpConfig, load_config
from bilateral.http import HttpClient
from bilateral.sources import check_json, comtrade

BATCHES = faults.batches(faults.SCENARIOS)


def expecting(expect):
    return [pytest.param(scenario, id=faults.name(scenario)) for scenario in faults.SCENARIOS if scenario.expect == expect]


@pytest.fixture(scope="module")
def clean(fake_api, tmp_path_factory):
    """One clean refresh: the state every run starts from."""
    return faults.reference(tmp_path_factory.mktemp("clean"), fake_api)


@pytest.fixture(scope="module")
def played(fake_api, clean, tmp_path_factory):
    """The run of a scenario's batch: the scenarios of a batch share one run, played when first asked for."""
    runs = {}

    def result_of(scenario):
        number = next(number for number, batch in enumerate(BATCHES) if any(item is scenario for item in batch))
        if number not in runs:
            runs[number] = faults.play(BATCHES[number], fake_api, clean, tmp_path_factory.mktemp("run"), recover=False)
        return runs[number]

    return result_of


def test_the_clean_run_loads_every_source_and_flags_nothing(clean):
    with contextlib.closing(warehouse.reader(clean.snapshot_path)) as connection:
        counts = connection.execute("select source, count(*) from core.observations group by source order by source").fetchall()
        flagged = connection.execute("select count(*) from marts.data_quality").fetchone()
    assert counts == [("comtrade", 102), ("imf_datamapper", 19206), ("imf_trade", 101), ("worldbank", 749)]
    assert flagged == (0,)


@pytest.mark.parametrize("scenario", expecting(LOADED))
def test_a_passing_fault_or_a_quirk_loads_the_values_of_a_clean_run(played, scenario):
    result = played(scenario)
    assert result.outcome(scenario.source).error is None
    assert result.requests[scenario.source] == scenario.requests
    assert result.of(scenario.source, result.appeared) == []  # nothing new, nothing changed, nothing counted twice
    assert result.of(scenario.source, result.vanished) == []


@pytest.mark.parametrize("scenario", expecting(PARTIAL))
def test_failing_names_leave_the_values_of_a_clean_run_and_a_partial_source(played, scenario):
    result = played(scenario)
    outcome = result.outcome(scenario.source)
    assert outcome.error is None and outcome.status == "partial"
    assert scenario.cause in outcome.warning and "names fall back to the last stored ones" in outcome.warning
    assert result.requests[scenario.source] == scenario.requests  # retries never multiply
    assert result.of(scenario.source, result.appeared) == []
    assert result.of(scenario.source, result.vanished) == []


@pytest.mark.parametrize("scenario", expecting(FAILED))
def test_a_lasting_fault_fails_its_source_with_one_line_naming_source_url_and_cause(played, scenario):
    result = played(scenario)
    error = result.outcome(scenario.source).error
    assert error is not None
    assert "\n" not in error
    assert error.startswith(f"{scenario.source}: http://127.0.0.1:")
    assert PATHS[scenario.source].search(error)  # the URL asked, not only the host
    assert scenario.cause in error
    assert result.requests[scenario.source] == scenario.requests  # retries never multiply
    assert result.of(scenario.source, result.appeared) == []  # every earlier value stays as it was
    assert result.of(scenario.source, result.vanished) == []
    assert any(outcome.error is None for outcome in result.others(scenario.source))  # the others loaded
    assert result.runs == ["ok", "partial"]


@pytest.mark.parametrize("scenario", expecting(KEPT))
def test_an_answer_without_data_deletes_nothing(played, scenario):
    result = played(scenario)
    assert result.outcome(scenario.source).error is None
    assert result.of(scenario.source, result.appeared) == []
    assert result.of(scenario.source, result.vanished) == []


@pytest.mark.parametrize("scenario", expecting(FLAGGED))
def test_an_absurd_value_is_loaded_and_flagged_in_data_quality(played, scenario):
    result = played(scenario)
    planted = scenario.flagged[0]  # source, indicator, country, counterpart, period, value, ...
    assert result.outcome(scenario.source).error is None
    assert [row for row in result.flagged if row[:2] == planted[:2]] == list(scenario.flagged)
    loaded = [(row[0], *row[2:7]) for row in result.of(scenario.source, result.appeared) if row[2] == planted[1]]
    assert loaded == [planted[:6]]


RENAMED = [batch for batch in BATCHES if any(scenario.kind == "renamed_field" for scenario in batch)]


@pytest.mark.parametrize("batch", RENAMED, ids=lambda batch: "+".join(faults.name(scenario) for scenario in batch))
def test_a_failed_source_loads_again_on_the_next_run_without_a_manual_step(fake, clean, tmp_path, batch):
    result = faults.play(batch, fake, clean, tmp_path, recover=True)
    assert {scenario.source for scenario in batch if result.outcome(scenario.source).error} == {
        scenario.source for scenario in batch if scenario.expect == FAILED
    }
    assert result.recovered.status == "ok"
    assert result.unlike_clean_after_recovery == 0


def test_two_values_for_one_observation_fail_the_source_instead_of_loading_either(fake, settings, monkeypatch):
    def answered_twice(request, body, url, fetched_at, facts):
        parsed = original(request, body, url, fetched_at, facts)
        if not parsed.observations.empty:  # as if the API listed the first chapter again with another value
            again = parsed.observations.head(1).assign(value=1.0)
            parsed.observations = pd.concat([parsed.observations, again], ignore_index=True)
        return parsed

    original = comtrade.parse
    monkeypatch.setattr(comtrade, "parse", answered_twice)
    config = load_config(settings)
    outcome = refresh.collect(config, "comtrade", refresh.plan(config)["comtrade"], {})
    assert outcome.error.startswith("comtrade: http://127.0.0.1:")
    assert "reporterCode=643%2C484&partnerCode=643%2C484&period=2019" in outcome.error  # the first answer that disagrees
    assert outcome.error.endswith(": M.10 MEX->RUS 2019 comes with two values, 54332100.0 and 1.0 (3 observations in all)")
    assert outcome.observations.empty


def test_a_parser_bug_fails_its_source_not_the_run(fake, settings, monkeypatch):
    def broken(request, body, url, fetched_at, facts):
        raise KeyError("indicator")

    monkeypatch.setattr(comtrade, "parse", broken)
    config = load_config(settings)
    outcome = refresh.collect(config, "comtrade", refresh.plan(config)["comtrade"], {})
    assert outcome.error.startswith("comtrade: http://127.0.0.1:")
    assert outcome.error.endswith("unexpected shape (KeyError: 'indicator')")


class Stalling(BaseHTTPRequestHandler):
    """Headers and the first bytes, then nothing for a second; whole the next time."""

    protocol_version = "HTTP/1.1"
    answered = 0

    def do_GET(self):
        type(self).answered += 1
        body = b'{"values": {}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if type(self).answered == 1:
            self.wfile.write(body[:5])
            self.wfile.flush()
            time.sleep(1)
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Silent."""


def test_a_body_that_stops_arriving_is_asked_for_again():
    # FakeAPI's "slow" waits before the headers; here the answer stalls half-way, past the read timeout
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stalling)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = HttpClient(HttpConfig(connect_timeout_s=1, read_timeout_s=0.3, retries=2, backoff_s=0.01))
    try:
        response = client.get(f"http://127.0.0.1:{server.server_address[1]}/values", check=check_json)
    finally:
        client.close()
        server.shutdown()
        server.server_close()
    assert response.body == b'{"values": {}}'
    assert Stalling.answered == 2
