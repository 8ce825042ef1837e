"""Shared fixtures: the replayed APIs over real HTTP, a configuration pointing at them, Prefect's test harness."""

from __future__ import annotations

import os
import pathlib
import shutil
import socket
import time
import urllib.request

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

from bilateral.replay import FakeAPI, recordings_dir  # noqa: E402  (Prefect settings above come first)

REPO = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"  # comtrade/: invented numbers in the real wire shape
NEEDS_RECORDINGS = "the recorded API responses (data/recordings or $BILATERAL_RECORDINGS) are missing"

FAST_SETTINGS = """
[pair]
countries = ["RUS", "MEX"]
peers = ["USA", "CHN", "BRA"]

[years]
start = 1990
end = 2025

[sources.worldbank]
base_url = "{worldbank}"
per_page = {per_page}
indicators = ["NY.GDP.MKTP.CD", "NY.GDP.PCAP.CD", "SP.POP.TOTL", "SP.DYN.LE00.IN", "NE.TRD.GNFS.ZS", "FP.CPI.TOTL.ZG"]

[sources.imf_datamapper]
base_url = "{datamapper}"
indicators = ["NGDPD", "NGDPDPC", "NGDP_RPCH", "PCPIPCH", "LP"]
ranked = ["NGDPD", "NGDPDPC"]

[sources.imf_trade]
base_url = "{sdmx}"
indicators = ["XG_FOB_USD", "MG_CIF_USD"]

[sources.comtrade]
base_url = "{comtrade}"
years = 7  # 2019-2025: the Comtrade fixtures hold 2019-2021

[http]
connect_timeout_s = 2
read_timeout_s = {read_timeout}
retries = 3
backoff_s = 0.01
retry_after_max_s = 1
"""


# three pairs: Russia-Mexico with its curated files, two without (the recordings hold their World Bank
# and WEO values, but no IMTS or Comtrade flows between them)
THREE_PAIRS = f"""
[[pairs]]
countries = ["RUS", "MEX"]
peers = ["USA", "CHN", "BRA"]
events = "{REPO / 'data' / 'events.yaml'}"
claims = "{REPO / 'data' / 'claims.yaml'}"

[[pairs]]
countries = ["RUS", "CHN"]
peers = ["USA"]
languages = ["en"]

[[pairs]]
countries = ["MEX", "USA"]
peers = ["BRA"]
"""


def free_port() -> int:
    """A TCP port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, seconds: float, what: str):
    """`check()`'s first true answer within `seconds`, polled twice a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"gave up waiting for {what}")


def healthy(url: str) -> bool:
    """Whether `url`/health answers 200 (a Prefect API, a runner or a worker)."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def write_settings(folder: pathlib.Path, fake: FakeAPI | None, per_page: int = 1000, read_timeout: float = 5,
                   pairs: str | None = None) -> pathlib.Path:
    """A bilateral.toml for tests: no politeness delays, millisecond backoffs, the fake's URLs; `pairs` replaces
    the one [pair] (THREE_PAIRS)."""
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens there
    path = folder / "bilateral.toml"
    settings = FAST_SETTINGS if pairs is None else pairs + FAST_SETTINGS[FAST_SETTINGS.index("[years]"):]
    path.write_text(
        settings.format(
            worldbank=fake.worldbank_url if fake else closed,
            datamapper=fake.datamapper_url if fake else closed,
            sdmx=fake.sdmx_url if fake else closed,
            comtrade=fake.comtrade_url if fake else closed,
            per_page=per_page,
            read_timeout=read_timeout,
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def recordings() -> pathlib.Path:
    found = recordings_dir()
    if found is None:
        pytest.skip(NEEDS_RECORDINGS)
    return found


@pytest.fixture(scope="session")
def fake_api(recordings) -> FakeAPI:
    with FakeAPI(recordings, FIXTURES) as fake:
        yield fake


@pytest.fixture
def fake(fake_api: FakeAPI) -> FakeAPI:
    fake_api.reset()
    return fake_api


@pytest.fixture
def home(tmp_path, monkeypatch) -> pathlib.Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("BILATERAL_HOME", str(folder))
    for variable in ("BILATERAL_CONFIG", "BILATERAL_WORLDBANK_URL", "BILATERAL_IMF_DATAMAPPER_URL",
                     "BILATERAL_IMF_SDMX_URL", "BILATERAL_COMTRADE_URL", "BILATERAL_IMF_KEY", "BILATERAL_COMTRADE_KEY"):
        monkeypatch.delenv(variable, raising=False)
    return folder


@pytest.fixture
def settings(tmp_path, fake, home) -> pathlib.Path:
    """A configuration file pointing every source at the fake APIs."""
    return write_settings(tmp_path, fake)


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One temporary Prefect server for the session, flow heartbeats off (each costs ~1 s on exit)."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    # its server took 24-33 s to start on a loaded 2-core machine: the default 30 s allowance made tests flaky
    with prefect_test_harness(server_startup_timeout=180), temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def refreshed(folder: pathlib.Path, fake: FakeAPI):
    """A configuration on `fake` whose data directory (folder/home) holds one clean refresh (no Prefect)."""
    from bilateral import refresh
    from bilateral.config import load_config

    config = load_config(write_settings(folder, fake), environ={"BILATERAL_HOME": str(folder / "home")})
    summary = refresh.run_once(config)
    assert summary.status == "ok", summary.failures
    return config


@pytest.fixture(scope="session")
def filled(tmp_path_factory, fake_api):
    """A configuration whose published warehouse holds one clean refresh of the recordings (no Prefect)."""
    fake_api.reset()
    return refreshed(tmp_path_factory.mktemp("filled"), fake_api)


# A data directory after one refresh, and a copy of it facing one revised value: what the
# crash and concurrency tests kill or race refreshes on (tests/crash_worker.py runs them).
@pytest.fixture(scope="module")
def one_refresh(fake_api, tmp_path_factory):
    """A data directory holding one complete refresh of the recordings."""
    fake_api.reset()
    folder = tmp_path_factory.mktemp("one-refresh")
    from crash_worker import spawn

    worker = spawn(write_settings(folder, fake_api), folder / "home")
    assert worker.wait() == 0, worker.stderr.read()
    return folder / "home"


@pytest.fixture
def world(fake, one_refresh, tmp_path):
    """(settings, home): a copy of the one-refresh directory, and a fake that has revised one value since."""
    home = tmp_path / "home"
    shutil.copytree(one_refresh, home)
    fake.set_worldbank_value("NY.GDP.MKTP.CD", "MEX", 2021, 1400000000000.0, lastupdated="2026-08-01")
    return write_settings(tmp_path, fake), home
