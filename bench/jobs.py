"""The measured work, one job per child process: `python -m bench.jobs <job> < arguments.json`.

Each job imports what it needs, then times only the work and prints one JSON line
with `seconds` (and whatever else it counted). Imports are timed apart as
`import_s`: a scheduled refresh pays them once per process, not per row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import time


def refresh(settings: str, home: str, economies: list[str] | None = None) -> dict:
    """Our pipeline without Prefect: plan, collect each source, load; what flows/refresh.py runs."""
    started = time.perf_counter()
    from bilateral import refresh as pipeline
    from bilateral import warehouse
    from bilateral.config import PairConfig, load_config

    imported = time.perf_counter()
    config = load_config(settings, environ={"BILATERAL_HOME": home})
    if economies:
        # the synthetic economies include invented codes, which the ISO check of load_config would refuse
        pair = PairConfig(tuple(economies[:2]), tuple(economies[2:]))
        config = dataclasses.replace(config, pair=pair.countries, peers=pair.peers, pairs=(pair,))
    begun = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    with warehouse.exclusive(config.home):
        outcomes = pipeline.collect_all(config)  # side by side, change probes first, as `bilateral refresh` does
        t1 = time.perf_counter()
        summary = pipeline.load(config, pipeline.new_run_id(begun), begun, outcomes)
    t2 = time.perf_counter()
    return {
        "import_s": imported - started,
        "seconds": t2 - t0,
        "collect_s": t1 - t0,
        "load_s": t2 - t1,
        "status": summary.status,
        "failures": summary.failures,
        "values_read": sum(len(outcome.observations) for outcome in outcomes),
        "new": summary.new,
        "revised": summary.revised,
        "unchanged": summary.unchanged,
    }


def naive(base_url: str, economies: list[str], indicators: list[str], first_year: int, last_year: int, database: str) -> dict:
    from bench import naive as script

    t0 = time.perf_counter()
    rows = script.run(base_url, economies, indicators, first_year, last_year, database)
    return {"seconds": time.perf_counter() - t0, "rows": rows}


def floor(pages: list[list], database: str) -> dict:
    from bench import floor as script

    t0 = time.perf_counter()
    rows = script.run([(url, headers) for url, headers in pages], database)
    return {"seconds": time.perf_counter() - t0, "rows": rows}


def briefing(settings: str, home: str) -> dict:
    """The full PDF from the published warehouse: build the context, render, write."""
    started = time.perf_counter()
    from bilateral.briefing import produce
    from bilateral.config import load_config

    imported = time.perf_counter()
    config = load_config(settings, environ={"BILATERAL_HOME": home})
    as_of = produce.as_of_moment(config, None)
    t0 = time.perf_counter()
    built = produce.build(config, None, as_of)
    t1 = time.perf_counter()
    rendered = produce.write(config, built)
    t2 = time.perf_counter()
    return {"import_s": imported - started, "seconds": t2 - t0, "build_s": t1 - t0, "write_s": t2 - t1, "pages": rendered.pages}


def prefect(tasks: int) -> dict:
    """Prefect's own costs, with no PREFECT_API_URL (so the first flow starts a temporary local server)."""
    started = time.perf_counter()
    from bench import prefect_flows

    imported = time.perf_counter()
    first, _ = prefect_flows.timed_flow(0)  # starts the temporary server, then runs an empty flow
    empty, _ = prefect_flows.timed_flow(0)
    busy, inside = prefect_flows.timed_flow(tasks)
    return {
        "import_s": imported - started,
        "first_flow_s": first,
        "flow_s": empty,
        "tasks_flow_s": busy,
        "server_start_s": first - empty,
        "per_task_s": inside / tasks,
        "seconds": first,
    }


JOBS = {job.__name__: job for job in (refresh, naive, floor, briefing, prefect)}


def main(argv: list[str]) -> None:
    arguments = json.load(sys.stdin)
    result = JOBS[argv[1]](**arguments)
    print(json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main(sys.argv)
