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
def tasks_flow(count: int) -> float:
    """Seconds the `count` sequential trivial tasks took, timed inside the flow.

    Timed inside, because a flow run's own cost varies by ~0.5 s (the heartbeat join
    on exit) and would swamp 50 tasks of a few ms each.
    """
    t0 = time.perf_counter()
    for number in range(count):
        nothing(number)
    return time.perf_counter() - t0


def timed_flow(count: int) -> tuple[float, float]:
    """(seconds for the whole flow run, seconds its tasks took inside it)."""
    t0 = time.perf_counter()
    inside = tasks_flow(count)
    return time.perf_counter() - t0, inside
