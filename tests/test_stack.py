"""The docker-compose stack, run for real without Docker: PostgreSQL in a temporary directory, a Prefect server
on it, `bilateral deploy`, two process workers, a refresh of three pairs and a briefing of each, as separate flow
runs, against the local fake APIs; then
an alert through a real automation to a local webhook. The commands and settings are docker-compose.yml's.

Everything Prefect runs in child processes pointed at this server, so no other test's Prefect settings leak in.
"""

import glob
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, THREE_PAIRS, free_port, healthy, wait_until, write_settings
from bilateral.replay import FakeAPI

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def postgres():
    """PostgreSQL on 127.0.0.1 in a temporary directory (as the postgres user when the tests run as root: in a
    folder of its own under the system's temporary directory, which pytest's private one would not let it reach)."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb")]
    if not binaries[-1]:
        if os.environ.get("CI"):
            pytest.fail("no PostgreSQL: `make system-deps` installs Debian's")
        pytest.skip("no PostgreSQL here; `make system-deps` installs Debian's")
    bindir = Path(binaries[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="bilateral-postgres-"))
    as_user = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run([*as_user, bindir / "initdb", "-D", folder / "data", "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, bindir / "pg_ctl", "-D", folder / "data", "-l", folder / "log", "-w", "start",
                    "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"], check=True, capture_output=True)
    subprocess.run([*as_user, bindir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "prefect"],
                   check=True, capture_output=True)
    yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/prefect"
    subprocess.run([*as_user, bindir / "pg_ctl", "-D", folder / "data", "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


class Webhook(http.server.BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:
        self.received.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *arguments) -> None:
        pass


@pytest.fixture(scope="module")
def stack(postgres, tmp_path_factory):
    """The Prefect server on PostgreSQL, the fake APIs, `bilateral deploy`, two workers, `alerts install`."""
    folder = tmp_path_factory.mktemp("stack")
    api_port = free_port()
    environment = {
        **os.environ,
        "PREFECT_HOME": str(folder / "prefect"),
        "PREFECT_API_DATABASE_CONNECTION_URL": postgres,
        "PREFECT_API_URL": f"http://127.0.0.1:{api_port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "BILATERAL_HOME": str(folder / "home"),
    }
    logs = folder / "logs"
    logs.mkdir()
    processes = [subprocess.Popen([BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(api_port)],
                                  env=environment, stdout=(logs / "server.log").open("w"), stderr=subprocess.STDOUT)]
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    with FakeAPI(fixtures=FIXTURES) as fake:
        try:
            wait_until(lambda: healthy(f"http://127.0.0.1:{api_port}/api"), 180, "the Prefect server")
            settings = write_settings(folder, fake, pairs=THREE_PAIRS)
            bilateral = lambda *arguments: subprocess.run(  # noqa: E731
                [BIN / "bilateral", *arguments], env=environment, capture_output=True, text=True, timeout=120)
            deployed = bilateral("deploy", "--config", str(settings))
            assert deployed.returncode == 0, deployed.stderr
            for number in (1, 2):
                processes.append(subprocess.Popen(
                    [BIN / "prefect", "worker", "start", "--pool", "bilateral", "--name", f"worker-{number}"],
                    env=environment, stdout=(logs / f"worker-{number}.log").open("w"), stderr=subprocess.STDOUT))
            installed = bilateral("alerts", "install", "--webhook", f"http://127.0.0.1:{hook.server_address[1]}/hook")
            assert installed.returncode == 0, installed.stderr
            yield {"environment": environment, "settings": settings, "fake": fake, "home": folder / "home", "logs": logs}
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
            hook.shutdown()


# Run deployments and report what happened, from a child process pointed at the stack's server.
RUN = """
import json, sys, time
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.deployments import run_deployment
asked = json.loads(sys.argv[1])
runs = [run_deployment(name, parameters=parameters, timeout=0) for name, parameters in asked]
with get_client(sync_client=True) as client:
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:
        states = [client.read_flow_run(run.id).state for run in runs]
        if all(state.is_final() for state in states):
            break
        time.sleep(1)
    tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id for run in runs])))
    print(json.dumps({
        "states": [state.type.value for state in states],
        "writes": sorted([task.name, task.start_time.isoformat(), task.end_time.isoformat()] for task in tasks
                         if task.name.startswith(("load_outcomes", "record_briefing")) and task.start_time and task.end_time),
    }))
"""


def run_deployments(stack, asked: list) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(asked)], env=stack["environment"], capture_output=True,
                          text=True, timeout=500, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_refresh_and_three_pairs_briefings_run_on_two_workers_one_writer_at_a_time(stack):
    config = {"config_path": str(stack["settings"])}
    refreshed = run_deployments(stack, [["refresh/daily", config]])
    # each pair's own deployment (its pair is a parameter of the deployment), the English edition
    briefed = run_deployments(stack, [[f"briefing/monthly-{pair}", {"languages": ["en"]}] for pair in ("rus-mex", "rus-chn", "mex-usa")])
    assert refreshed["states"] + briefed["states"] == ["COMPLETED"] * 4, (stack["logs"] / "worker-1.log").read_text()[-3000:]
    pdfs = sorted(path.name for path in (stack["home"] / "briefings").glob("*.pdf"))
    period = pdfs[0][:7]  # this month
    assert pdfs == [f"{period}_mex-usa.pdf", f"{period}_rus-chn.pdf", f"{period}_rus-mex.pdf"]
    writes = refreshed["writes"] + briefed["writes"]
    assert len(writes) == 4  # the refresh's load and three briefings' records
    spans = sorted((start, end) for _, start, end in writes)
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:])), f"writers overlapped: {writes}"
    doctor = subprocess.run([BIN / "bilateral", "doctor", "--config", str(stack["settings"])], env=stack["environment"],
                            capture_output=True, text=True)
    assert doctor.returncode == 0, doctor.stdout
    recorded = subprocess.run([BIN / "bilateral", "sql", "--config", str(stack["settings"]), "--format", "csv",
                               "select pair from meta.briefings order by pair"], env=stack["environment"], capture_output=True, text=True)
    assert recorded.stdout.split() == ["pair", "MEX-USA", "RUS-CHN", "RUS-MEX"]
    assert [alert["subject"] for alert in Webhook.received].count("bilateral: bilateral.briefing.published") == 3


def test_a_revision_beyond_the_threshold_reaches_the_webhook(stack):
    run_deployments(stack, [["refresh/daily", {"config_path": str(stack["settings"])}]])  # the value as first published
    Webhook.received.clear()
    stack["fake"].set_datamapper_value("NGDPD", "MEX", 2024, 2500.0)  # was 1,856 billion: +35 %
    # in full, as the weekly full fetch does: the IMF revised without moving its stamp
    refreshed = run_deployments(stack, [["refresh/daily", {"config_path": str(stack["settings"]), "full": True}]])
    assert refreshed["states"] == ["COMPLETED"]
    alert = wait_until(lambda: [alert for alert in Webhook.received if alert["subject"] == "bilateral: bilateral.series.revised"],
                     60, f"revision alert (received: {[alert['subject'] for alert in Webhook.received]})")
    assert alert[0]["body"].startswith("imf_datamapper NGDPD MEX 2024 revised +34.")


def test_the_stack_runs_what_docker_compose_runs():
    import yaml

    services = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    assert services["deployments"]["command"] == ["bilateral", "deploy"]
    # the stack above starts two workers on one machine, so without the health server each would open
    assert services["worker"]["command"] == ["prefect", "worker", "start", "--pool", "bilateral", "--with-healthcheck"]
