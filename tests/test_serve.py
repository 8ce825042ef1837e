"""Scheduled operation for real: a Prefect server, `bilateral serve` against it, a deployment run by hand."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import free_port, healthy, wait_until, write_settings

pytestmark = pytest.mark.prefect
PREFECT = str(Path(sys.executable).with_name("prefect"))


def prefect_cli(environment, *args, timeout=60):
    return subprocess.run([PREFECT, *args], env=environment, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def prefect_server(tmp_path):
    api = f"http://127.0.0.1:{free_port()}/api"
    environment = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    port = api.split(":")[2].split("/")[0]
    server = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", port],
                              env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: healthy(api), 90, "the Prefect server")
        yield environment
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_served_refresh_runs_to_completion_and_leaves_artifacts(prefect_server, fake, tmp_path):
    home = tmp_path / "home"
    settings = write_settings(tmp_path, fake)
    environment = {**prefect_server, "BILATERAL_HOME": str(home)}
    serving = subprocess.Popen([sys.executable, "-m", "bilateral", "serve", "--config", str(settings)],
                               env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: prefect_cli(environment, "deployment", "inspect", "refresh/daily").returncode == 0, 90,
                   "the refresh deployment")
        inspected = prefect_cli(environment, "deployment", "inspect", "refresh/daily", "--output", "json")
        deployment = json.loads(inspected.stdout)
        assert deployment["schedules"][0]["schedule"]["cron"] == "0 6 * * *"
        assert deployment["concurrency_limit"] == 1 or deployment.get("global_concurrency_limit", {}).get("limit") == 1
        assert prefect_cli(environment, "deployment", "inspect", "briefing/monthly-rus-mex").returncode == 0

        run = prefect_cli(environment, "deployment", "run", "refresh/daily", "--watch", "--watch-timeout", "120", timeout=150)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Completed" in run.stdout
    finally:
        serving.terminate()
        serving.wait(timeout=30)

    with duckdb.connect(str(home / "published.duckdb"), read_only=True) as connection:
        assert connection.execute("select status from meta.runs").fetchall() == [("ok",)]
        assert connection.execute(
            "select value from marts.indicators where indicator = 'NY.GDP.MKTP.CD' and country_iso3 = 'MEX' and period = '2021'"
        ).fetchone() == (1316569466833.94,)
    summary = prefect_cli(environment, "artifact", "inspect", "refresh-summary", "--output", "json")
    assert summary.returncode == 0, summary.stderr
    artifact = json.loads(summary.stdout)[0]
    assert "| worldbank | ok |" in artifact["data"]
    assert prefect_cli(environment, "artifact", "inspect", "refresh-revisions").returncode == 0
