"""Change probes: a refresh asks each series the cheapest question first and skips what did not change,
while a full fetch still happens every few days and whenever --full is given."""

import datetime as dt

import duckdb
import pytest

from bilateral import refresh
from bilateral.config import load_config


@pytest.fixture
def config(settings):
    return load_config(settings)


def data_requests(fake, prefix="/worldbank/"):
    return [request.path for request in fake.requests if request.path.startswith(prefix + "v2/country/") and "/indicator/" in request.path]


def test_a_refresh_after_no_change_makes_only_probe_requests_and_writes_nothing(config, fake):
    refresh.run_once(config)
    fake.requests.clear()
    summary = refresh.run_once(config)
    assert (summary.new, summary.revised) == (0, 0)
    worldbank = data_requests(fake)
    assert len(worldbank) == 6 and all("per_page=1&" in path or path.endswith("per_page=1") for path in worldbank)
    assert not [request for request in fake.requests if request.path.startswith("/worldbank/v2/country/RUS;MEX;USA;CHN;BRA?")]
    datamapper = [request.path for request in fake.requests if request.path.startswith("/datamapper/")]
    assert datamapper == ["/datamapper/api/v1/indicators"]  # its last-modified answers for every indicator
    assert {outcome.source: len(outcome.unchanged_series) for outcome in summary.outcomes} == {
        "worldbank": 6, "imf_datamapper": 5, "imf_trade": 1, "comtrade": 14}
    comtrade = [request.path for request in fake.requests if request.path.startswith("/comtrade/")]
    # one availability answer for both reporters serves the 14 series (7 years: the pair's flows; imports from the world)
    assert comtrade == ["/comtrade/public/v1/getDA/C/A/HS?reporterCode=643%2C484"]


def test_a_new_comtrade_release_fetches_that_reporters_year_in_full(config, fake):
    refresh.run_once(config)
    fake.requests.clear()
    fake.set_comtrade_value("MEX", "RUS", 2021, "M", "31", 123456789.0)
    summary = refresh.run_once(config)
    full = [request.path for request in fake.requests if request.path.startswith("/comtrade/public/v1/preview/")]
    # Mexico's 2021 release changed: the two series of that year it reports in (the pair's flows; imports from the world)
    assert len(full) == 2 and all("reporterCode=643%2C484" in path and "period=2021" in path for path in full)
    assert summary.revised == 1


def test_a_moved_stamp_fetches_that_series_in_full(config, fake):
    refresh.run_once(config)
    fake.requests.clear()
    fake.set_worldbank_value("NY.GDP.MKTP.CD", "MEX", 2021, 1400000000000.0, lastupdated="2026-08-01")
    summary = refresh.run_once(config)
    assert summary.revised == 1
    full = [path for path in data_requests(fake) if "per_page=1000" in path]
    assert len(full) == 1 and "NY.GDP.MKTP.CD" in full[0]


def test_a_full_fetch_happens_when_the_last_one_is_older_than_the_setting(config, fake):
    refresh.run_once(config)
    with duckdb.connect(str(config.warehouse_path)) as connection:  # as if the last full fetch were eight days old
        connection.execute("update meta.series set fetched_at = fetched_at - interval 8 days")
    refresh.load(config, "run-republish", dt.datetime.now(dt.timezone.utc), [])
    fake.requests.clear()
    refresh.run_once(config)
    assert len([path for path in data_requests(fake) if "per_page=1000" in path]) == 6


def test_full_fetches_every_series_whatever_the_probes_say(config, fake):
    refresh.run_once(config)
    fake.requests.clear()
    refresh.run_once(config, full=True)
    assert len(data_requests(fake)) == 6 and all("per_page=1000" in path for path in data_requests(fake))
    assert len([request for request in fake.requests if request.path.startswith("/datamapper/")]) == 6
