"""Prefect's own overhead, reported apart so our work time stays visible.

Each run is a child with its own empty PREFECT_HOME and no PREFECT_API_URL: its
first flow starts Prefect's temporary local server (what a laptop run pays), the
second shows one flow run's cost, the third adds `TASKS` trivial tasks.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.measure import column, job, run_child, stats

TASKS = 50


def measure(runs: int, folder: Path) -> dict:
    results = [run_child(job("prefect", tasks=TASKS), env=isolated_env(folder / f"prefect-home-{n}")).result for n in range(runs)]
    return {
        "prefect_import_s": stats(column(results, "import_s")),
        "prefect_server_start_s": stats(column(results, "server_start_s")),
        "prefect_flow_run_s": stats(column(results, "flow_s")),
        "prefect_per_task_ms": stats([result["per_task_s"] * 1000 for result in results], 2),
        "prefect_tasks_per_flow": TASKS,
    }


def isolated_env(home: Path) -> dict[str, str]:
    """The parent's environment without any Prefect setting, then a private home and no telemetry."""
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
