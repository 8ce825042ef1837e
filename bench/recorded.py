"""The recorded pair: the four sources from the fake APIs over the recordings, as the tests configure them.

Cold is a fresh BILATERAL_HOME, warm a second run on it (the fake answers the same
bytes: nothing changed). The floor replays exactly the pages the cold run asked for.
The briefing renders from the warehouse those runs filled.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.measure import REPO, Warehouse, column, job, ratio, run_child, stats
from bilateral.config import load_config

sys.path.insert(0, str(REPO / "tests"))  # conftest (the test settings) is a plain module of the test suite
from conftest import FIXTURES, NEEDS_RECORDINGS, THREE_PAIRS, write_settings  # noqa: E402
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
        paced = _paced(fake, folder / "paced")
        pairs = _paced_pairs(fake, folder / "paced-pairs")
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
        # the first render is of new data; the next ones find nothing changed (charts and PDF kept)
        "briefing_new_s": round(briefings[0]["seconds"], 3),
        "briefing_unchanged_s": stats(column(briefings[1:] or briefings, "seconds")),
        "briefing_steps_s": _steps(briefings, ("build_s", "write_s")),
        "briefing_pages": briefings[0]["pages"],
        **paced,
        **pairs,
        "three_pairs_cold_request_ratio": ratio(sum(pairs["three_pairs_cold_requests"].values()), sum(paced["paced_requests"].values())),
        "three_pairs_warm_request_ratio": ratio(sum(pairs["three_pairs_warm_requests"].values()),
                                                sum(paced["paced_warm_requests"].values())),
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


INTERVALS = {name: source.min_interval_s for name, source in load_config(REPO / "bilateral.toml").sources.items()}
PREFIXES = {"worldbank": "/worldbank/", "imf_datamapper": "/datamapper/", "imf_trade": "/sdmx/", "comtrade": "/comtrade/"}


def _paced(fake: FakeAPI, folder: Path) -> dict:
    """A default cold refresh with the real politeness intervals (bilateral.toml's min_interval_s), against the
    slowest source's paced time alone: (its requests - 1) x its interval. The sources are fetched side by side."""
    settings = _paced_settings(fake, folder)
    (seconds, asked), (_, warm) = _paced_refresh(fake, settings, folder / "home"), _paced_refresh(fake, settings, folder / "home")
    slowest = max((asked[name] - 1) * INTERVALS[name] for name in PREFIXES if asked[name])
    return {"paced_refresh_s": round(seconds, 3), "slowest_host_paced_s": round(slowest, 3),
            "paced_ratio": ratio(seconds, slowest), "paced_requests": asked, "paced_warm_requests": warm}


def _paced_pairs(fake: FakeAPI, folder: Path) -> dict:
    """Three pairs (tests/conftest.py's THREE_PAIRS), paced: a first refresh, then one with nothing new."""
    settings, home = _paced_settings(fake, folder, THREE_PAIRS), folder / "home"
    (cold_s, cold), (warm_s, warm) = _paced_refresh(fake, settings, home), _paced_refresh(fake, settings, home)
    return {"three_pairs_paced_cold_s": round(cold_s, 3), "three_pairs_cold_requests": cold,
            "three_pairs_paced_warm_s": round(warm_s, 3), "three_pairs_warm_requests": warm}


def _paced_settings(fake: FakeAPI, folder: Path, pairs: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    settings = write_settings(folder, fake, pairs=pairs)
    text = settings.read_text(encoding="utf-8")
    for name, interval in INTERVALS.items():
        text = text.replace(f"[sources.{name}]\n", f"[sources.{name}]\nmin_interval_s = {interval}\n")
    settings.write_text(text, encoding="utf-8")
    return settings


def _paced_refresh(fake: FakeAPI, settings: Path, home: Path) -> tuple[float, dict[str, int]]:
    """One refresh in a child process: its seconds, and the requests each source made."""
    fake.requests.clear()
    run = run_child(job("refresh", settings=str(settings), home=str(home))).result
    return run["seconds"], {name: sum(request.path.startswith(prefix) for request in fake.requests) for name, prefix in PREFIXES.items()}


def _replayed(request: Recorded) -> dict[str, str]:
    return {name: value for name, value in request.headers.items() if name.lower() in REPLAYED_HEADERS}
