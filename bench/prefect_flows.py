"""Flows and tasks that do nothing: Prefect's own overhead, apart from our work.

Imported only by the `prefect` job, in a child whose environment the parent set
(isolated PREFECT_HOME, no PREFECT_API_URL, analytics off) before Prefect loads.
"""

from __future__ import annotations

import time

from prefect import flow, task
from prefect.cache_policies import NONE


@task(cache_policy=NONE)  # as the project's tasks: no cache key to compute
def nothing(number: int) -> int:
    return number


@flow(name="bench-overhead")
def tasks_flow(count: int) -> int:
    return sum(nothing(number) for number in range(count))


def timed_flow(count: int) -> float:
    """Seconds for one flow run with `count` sequential trivial tasks, heartbeats as in production."""
    t0 = time.perf_counter()
    tasks_flow(count)
    return time.perf_counter() - t0
