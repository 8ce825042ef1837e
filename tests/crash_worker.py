"""A refresh in a process of its own, for tests/test_crash.py and tests/test_concurrency.py to kill or race.

    python tests/crash_worker.py <bilateral.toml>

The same steps as flows/refresh.py, without Prefect. It prints a line on stdout as it
reaches each step (locked, collecting <source>, loading, opening-writer, in-transaction, publishing,
renaming, done <status>), so a test knows where it is when it kills it. With
CRASH_WORKER_PAUSE=<step> it sleeps CRASH_WORKER_PAUSE_S seconds (default 60) at
that step: a kill then lands there every time. The hooks wrap the package's functions
from here; the package itself has none.

Exit codes as `bilateral refresh`: 0 ok, 3 partial, 1 failed or refused (one line on stderr).
The tests start it with `spawn` and follow it with `wait_for`, both below.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pathlib
import subprocess
import sys
import time

import duckdb

from bilateral import refresh, warehouse
from bilateral.config import load_config
from bilateral.errors import BilateralError

OLD = (20158, 1)  # rows of core.observations and meta.runs after one clean refresh of the recordings
NEW = (20159, 2)  # after a complete second refresh that revises one value
PAUSE_AT = os.environ.get("CRASH_WORKER_PAUSE", "")
PAUSE_S = float(os.environ.get("CRASH_WORKER_PAUSE_S", "60"))


def reached(step: str) -> None:
    print(step, flush=True)
    if step == PAUSE_AT:
        time.sleep(PAUSE_S)


def announcing(step: str, function):
    def wrapped(*args, **kwargs):
        reached(step)
        return function(*args, **kwargs)

    return wrapped


def renaming(replace, snapshot_name: str):
    """os.replace, announcing the swap of the published snapshot (not the landing's renames)."""

    def wrapped(source, target):
        if os.path.basename(target) == snapshot_name:
            reached("renaming")
        return replace(source, target)

    return wrapped


def spawn(settings: pathlib.Path, home: pathlib.Path, pause: str = "", pause_s: float = 60) -> subprocess.Popen:
    """This script in a process of its own, writing to `home`; stdout is read line by line."""
    environment = {**os.environ, "BILATERAL_HOME": str(home), "CRASH_WORKER_PAUSE": pause, "CRASH_WORKER_PAUSE_S": str(pause_s)}
    return subprocess.Popen(
        [sys.executable, __file__, str(settings)], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(process: subprocess.Popen, step: str) -> None:
    """Read the worker's steps until it reaches `step`; fail if it ends first."""
    for line in process.stdout:
        if line.strip() == step:
            return
    raise AssertionError(f"the worker ended (exit {process.wait()}) before '{step}': {process.stderr.read()}")


def counts(path: pathlib.Path) -> tuple[int, int]:
    """Rows of core.observations and meta.runs in a warehouse file, opened read-only as an analyst would."""
    with contextlib.closing(duckdb.connect(str(path), read_only=True)) as connection:
        return connection.execute("select (select count(*) from core.observations), (select count(*) from meta.runs)").fetchone()


def main(settings: str) -> int:
    config = load_config(settings)
    # _record_run is the last statement inside the load's transaction: a pause there holds it open
    warehouse.writer = announcing("opening-writer", warehouse.writer)
    warehouse._record_run = announcing("in-transaction", warehouse._record_run)
    warehouse.publish = announcing("publishing", warehouse.publish)
    os.replace = renaming(os.replace, config.snapshot_path.name)
    started = dt.datetime.now(dt.timezone.utc)
    with warehouse.exclusive(config.home, "refresh"):
        reached("locked")
        known, _ = warehouse.last_fetches(config.snapshot_path)
        outcomes = []
        for source, requests in refresh.plan(config).items():
            reached(f"collecting {source}")
            outcomes.append(refresh.collect(config, source, requests, known))
        reached("loading")
        summary = refresh.load(config, refresh.new_run_id(started), started, outcomes)
    reached(f"done {summary.status}")
    return {"ok": 0, "partial": 3}.get(summary.status, 1)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1]))
    except BilateralError as error:
        print(f"bilateral: {error}", file=sys.stderr)
        sys.exit(1)
