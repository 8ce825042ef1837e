"""The recorded pair: the four sources from the fake APIs over the recordings, as the tests configure them.

Cold is a fresh BILATERAL_HOME, warm a second run on it (the fake answers the same
bytes: nothing changed). The floor replays exactly the pages the cold run asked for.
The briefing renders from the warehouse those runs filled.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.measure import REPO, Warehouse, column, job, ratio, run_child, stats

sys.path.insert(0, str(REPO / "tests"))  # conftest (the test settings) is a plain module of the test suite
from conftest import FIXTURES, NEEDS_RECORDINGS, write_settings  # noqa: E402
from bilateral.replay import FakeAPI, Recorded, recordings_dir  # noqa: E402

REPLAYED_HEADERS = {"accept", "ocp-apim-subscription-key"}  # the ones a source sets; requests adds the rest


def measure(runs: int, folder: Path) -> tuple[dict, Warehouse | None]:
    """Cold, warm and floor `runs` times, then the briefing `runs` times; also the filled warehouse."""
    found = recordings_dir()
    if found is None:
        return {"skipped": f"recorded pair not measured: {NEEDS_RECORDINGS}"}, None
    with FakeAPI(found, FIXTURES) as fake:
        settings = write_settings(folder, fake)
        refreshes = [_refresh_pair(fake, settings, folder, number) for number in range(runs)]
    filled = Warehouse(settings, folder / "home-0")
    briefings = [run_child(job("briefing", settings=str(settings), home=str(filled.home))).result for _ in range(runs)]
    cold, warm, floors = column(refreshes, "cold"), column(refreshes, "warm"), column(refreshes, "floor")
    cold_s, warm_s, floor_s = stats(column(cold, "seconds")), stats(column(warm, "seconds")), stats(column(floors, "seconds"))
    report = {
        "refresh_cold_s": cold_s,
        "refresh_warm_s": warm_s,
        "warm_cold_ratio": ratio(warm_s["median"], cold_s["median"]),
        "warm_rows_written": max(run["new"] + run["revised"] for run in warm),
        "cold_rows_written": cold[0]["new"],
        "pages": refreshes[0]["pages"],
        "floor_s": floor_s,
        "cold_floor_ratio": ratio(cold_s["median"], floor_s["median"]),
        "cold_steps_s": _steps(cold, ("collect_s", "load_s")),
        "warm_steps_s": _steps(warm, ("collect_s", "load_s")),
        "failures": sorted({failure for run in cold + warm for failure in run["failures"]}),
        "briefing_s": stats(column(briefings, "seconds")),
        "briefing_steps_s": _steps(briefings, ("build_s", "write_s")),
        "briefing_pages": briefings[0]["pages"],
    }
    return report, filled


def _steps(runs: list[dict], steps: tuple[str, ...]) -> dict:
    return {step: stats(column(runs, step))["median"] for step in steps}


def _refresh_pair(fake: FakeAPI, settings: Path, folder: Path, number: int) -> dict:
    home = folder / f"home-{number}"
    fake.requests.clear()
    cold = run_child(job("refresh", settings=str(settings), home=str(home))).result
    pages = [[fake.base + request.path, _replayed(request)] for request in list(fake.requests)]
    warm = run_child(job("refresh", settings=str(settings), home=str(home))).result
    floor = run_child(job("floor", pages=pages, database=str(folder / f"floor-{number}.duckdb"))).result
    return {"cold": cold, "warm": warm, "floor": floor, "pages": len(pages)}


def _replayed(request: Recorded) -> dict[str, str]:
    return {name: value for name, value in request.headers.items() if name.lower() in REPLAYED_HEADERS}
