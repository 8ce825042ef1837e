"""`bilateral run` end to end as Prefect flow runs (a Prefect API is configured): the replayed APIs over HTTP,
Prefect's test server, the warehouse and the PDF. tests/test_cli.py runs the same commands without Prefect."""

import os
import subprocess
import sys

import duckdb
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bilateral.cli import app
from conftest import write_settings

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def invoke(*args):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def snapshot(home):
    return duckdb.connect(str(home / "published.duckdb"), read_only=True)


def pdf_text(path):
    """The PDF's text with white space folded (lines break wherever the layout put them)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.fixture
def with_prefect_api(monkeypatch):
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())


def test_run_fills_the_warehouse_and_writes_the_briefing(settings, home, with_prefect_api):
    result = invoke("run", "--config", str(settings))
    assert result.exit_code == 0, result.output
    assert "refresh ok" in result.stdout
    with snapshot(home) as connection:
        value = connection.execute(
            "select value from marts.indicators where source = 'worldbank' and indicator = 'NY.GDP.MKTP.CD'"
            " and country_iso3 = 'MEX' and period = '2021'"
        ).fetchone()
        assert value == (1316569466833.94,)
    pdf = next((home / "briefings").glob("*_rus-mex.pdf"))
    text = pdf_text(pdf)
    assert "Key figures" in text
    assert "1,856" in text  # IMF NGDPD Mexico 2024 (1856.366 billion USD in the recording), as printed
    assert "2024 · IMF WEO, October 2025 edition" in text


def test_second_run_adds_no_version_and_a_revision_adds_exactly_one(settings, home, fake, with_prefect_api):
    assert invoke("refresh", "--config", str(settings)).exit_code == 0
    with snapshot(home) as connection:
        first = connection.execute("select count(*) from core.observations").fetchone()[0]
    second = invoke("refresh", "--config", str(settings))
    assert second.exit_code == 0
    assert "0 new, 0 revised" in second.stdout
    with snapshot(home) as connection:
        assert connection.execute("select count(*) from core.observations").fetchone()[0] == first
    fake.set_worldbank_value("NY.GDP.MKTP.CD", "MEX", 2021, 1400000000000.0, lastupdated="2026-08-01")
    third = invoke("refresh", "--config", str(settings))
    assert "1 revised" in third.stdout
    with snapshot(home) as connection:
        assert connection.execute("select count(*) from core.observations").fetchone()[0] == first + 1
        revision = connection.execute(
            "select old_value, new_value from marts.revisions where indicator = 'NY.GDP.MKTP.CD' and country_iso3 = 'MEX'"
        ).fetchall()
        assert revision == [(1316569466833.94, 1400000000000.0)]


def test_offline_first_run_exits_1_with_one_line_per_source_and_still_writes_a_briefing(tmp_path, home):
    """As a user sees it: the real console script in a process of its own, on the session's Prefect server."""
    from prefect.settings import PREFECT_API_URL

    settings = write_settings(tmp_path, None)
    environment = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    done = subprocess.run([sys.executable, "-m", "bilateral", "run", "--config", str(settings)],
                          capture_output=True, text=True, env=environment, timeout=120)
    assert done.returncode == 1, done.stderr  # nothing was ever loaded
    failures = [line for line in done.stderr.splitlines() if line.startswith("bilateral: ")]
    assert sorted(line.split(":")[1].strip() for line in failures) == ["comtrade", "imf_datamapper", "imf_trade", "worldbank"]
    assert all("connection refused" in line for line in failures)
    assert "Traceback" not in done.stderr
    pdf = next((home / "briefings").glob("*_rus-mex.pdf"))
    text = pdf_text(pdf)
    assert text.count("failed: no data loaded yet") >= 4  # each source, on page 1 and in the appendix


def test_a_refresh_with_a_failed_source_ends_failed_in_prefect_after_loading_the_rest(settings, home, fake, with_prefect_api):
    from flows.refresh import refresh_flow

    fake.fail("status", "/sdmx/", times=50, status=503)
    state = refresh_flow(str(settings), return_state=True)
    assert state.is_failed()
    assert state.message.startswith("refresh partial: imf_trade: http://127.0.0.1:")
    summary = state.result(raise_on_failure=False)
    assert [outcome.status for outcome in summary.outcomes] == ["ok", "ok", "failed", "ok"]
    with snapshot(home) as connection:  # what worked was loaded and published
        assert connection.execute("select count(*) from core.observations where source = 'worldbank'").fetchone()[0] > 500
    fake.fail("status", "/sdmx/", times=50, status=503)
    assert invoke("refresh", "--config", str(settings)).exit_code == 3  # the command reads the Failed run's summary
