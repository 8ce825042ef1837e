"""Prefect's own overhead, reported apart so our work time stays visible.

Each run is a child with its own PREFECT_HOME and no PREFECT_API_URL: its first
flow starts Prefect's temporary local server (what `bilateral run` on a laptop
pays), the second shows one flow run's cost, the third adds `TASKS` trivial tasks.
A second child on the same home shows a restart, its database already made.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.measure import column, job, run_child, stats

TASKS = 50


def measure(runs: int, folder: Path) -> dict:
    fresh, again = [], []
    for number in range(runs):
        env = isolated_env(folder / f"prefect-home-{number}")
        fresh.append(run_child(job("prefect", tasks=TASKS), env=env).result)  # creates and migrates its database
        again.append(run_child(job("prefect", tasks=TASKS), env=env).result)  # the same home, as on a second day
    both = fresh + again
    return {
        "prefect_import_s": stats(column(both, "import_s")),
        "prefect_server_start_s": stats(column(fresh, "server_start_s")),
        "prefect_server_restart_s": stats(column(again, "server_start_s")),
        "prefect_flow_run_s": stats(column(both, "flow_s")),
        "prefect_per_task_ms": stats([result["per_task_s"] * 1000 for result in both], 2),
        "prefect_tasks_per_flow": TASKS,
    }


def isolated_env(home: Path) -> dict[str, str]:
    """The parent's environment without any Prefect setting, then a private home and no telemetry."""
    home.mkdir(parents=True, exist_ok=True)  # Prefect creates its home but not the folders above it
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    return env | {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # offline it logs a telemetry error otherwise
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_EPHEMERAL_ENABLED": "true",
        # the default 20 s is counted in 0.1 s sleeps; a first start here has taken 13-21 s and then fails
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
