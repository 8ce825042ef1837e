"""Scale: the World Bank source alone against the synthetic API, at several numbers of economies.

Each run: cold (fresh home), warm (nothing changed), a reload with 1% of the values
revised, the floor on the same pages, and at the largest size the naive script.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.measure import Child, Warehouse, job, ratio, run_child, stats
from bench.synthetic import FIRST_YEAR, INDICATORS, LAST_YEAR, SyntheticServer, SyntheticWorldBank, cells

SETTINGS = """# The synthetic World Bank only: the sources left out are switched off.
[pair]
countries = ["RUS", "MEX"]  # bench.jobs puts the synthetic economies here (some codes are invented)

[years]
start = {first}
end = {last}

[sources.worldbank]
base_url = "{url}"
per_page = 1000
indicators = [{indicators}]

[http]
connect_timeout_s = 2
read_timeout_s = 60
retries = 2
backoff_s = 0.01
retry_after_max_s = 1
"""


def measure(sizes: list[int], runs: int, large_runs: int, folder: Path) -> tuple[list[dict], Warehouse]:
    """One report per size (the largest gets `large_runs` runs and the naive script); keeps the smallest's first home."""
    api = SyntheticWorldBank(max(sizes))
    reports = []
    with SyntheticServer(api) as server:
        settings = write_settings(folder, server.url)
        for size in sizes:
            largest = size == max(sizes)
            codes = [economy.iso3 for economy in api.economies[:size]]
            api.prime(codes)
            results = [
                _run(api, server, settings, codes, folder / f"scale-{size}-{number}", largest)
                for number in range(large_runs if largest else runs)
            ]
            reports.append(_report(size, results))
    for home in sorted(folder.glob("scale-*")):
        if home.name != f"scale-{min(sizes)}-0":
            shutil.rmtree(home)  # a large home is ~0.5 GB; the smallest stays for `bilateral sql`
    return reports, Warehouse(settings, folder / f"scale-{min(sizes)}-0")


MILLION_ECONOMIES = 760  # x 20 indicators x 66 years = 1,003,200 cells, about 950,000 values


def million(folder: Path) -> dict:
    """One cold refresh of ~1,000,000 values, then one with nothing changed, and the floor on the same pages:
    time, rate and peak memory."""
    api = SyntheticWorldBank(MILLION_ECONOMIES)
    codes = [economy.iso3 for economy in api.economies]
    api.prime(codes, revisions=(0,))
    with SyntheticServer(api) as server:
        settings = write_settings(folder, server.url)
        refresh = lambda: run_child(job("refresh", settings=str(settings), home=str(folder / "million"), economies=codes))  # noqa: E731
        server.paths.clear()
        cold = refresh()
        pages = [[server.origin + path, {}] for path in server.paths]
        warm = refresh()
        floor = run_child(job("floor", pages=pages, database=str(folder / "million" / "floor.duckdb")))
    shutil.rmtree(folder / "million", ignore_errors=True)
    values = cold.result["new"]
    return {"million_values": values, "million_cold_s": round(cold.result["seconds"], 3),
            "million_rows_per_s": round(values / cold.result["seconds"]), "million_warm_s": round(warm.result["seconds"], 3),
            "million_floor_s": round(floor.result["seconds"], 3),
            "million_cold_floor_ratio": ratio(cold.result["seconds"], floor.result["seconds"]),
            "million_peak_rss_mib": round(max(cold.peak_rss_mib, warm.peak_rss_mib), 1)}


def _run(api: SyntheticWorldBank, server: SyntheticServer, settings: Path, codes: list[str], home: Path, naive: bool) -> dict:
    def refresh() -> Child:
        return run_child(job("refresh", settings=str(settings), home=str(home), economies=codes))

    api.revision = 0
    server.paths.clear()
    cold = refresh()
    pages = [[server.origin + path, {}] for path in server.paths]
    warm = refresh()
    api.revision = 1
    try:
        revised = refresh()
    finally:
        api.revision = 0
    floor = run_child(job("floor", pages=pages, database=str(home / "floor.duckdb")))
    result = {"cold": cold, "warm": warm, "revised": revised, "floor": floor, "pages": len(pages)}
    if naive:
        arguments = {"base_url": server.url, "economies": codes, "indicators": list(INDICATORS)}
        arguments |= {"first_year": FIRST_YEAR, "last_year": LAST_YEAR, "database": str(home / "naive.duckdb")}
        result["naive"] = run_child(job("naive", **arguments))
    return result


def _report(size: int, results: list[dict]) -> dict:
    def seconds(kind: str, key: str = "seconds") -> dict:
        return stats([result[kind].result[key] for result in results])

    cold, floor = seconds("cold"), seconds("floor")
    values = results[0]["cold"].result["new"]
    report = {
        "economies": size,
        "indicators": len(INDICATORS),
        "years": f"{FIRST_YEAR}-{LAST_YEAR}",
        "cells": cells(size),
        "values_loaded": values,
        "pages": results[0]["pages"],
        "runs": len(results),
        "cold_s": cold,
        "cold_steps_s": {step: seconds("cold", step)["median"] for step in ("collect_s", "load_s")},
        "rows_per_s": round(values / cold["median"]),
        # the same values over the load step alone, and over the floor's whole run: where the time goes
        "load_rows_per_s": round(values / seconds("cold", "load_s")["median"]),
        "floor_rows_per_s": round(values / floor["median"]),
        "warm_s": seconds("warm"),
        "warm_cold_ratio": ratio(seconds("warm")["median"], cold["median"]),
        "warm_rows_written": max(r["warm"].result["new"] + r["warm"].result["revised"] for r in results),
        "revision_reload_s": seconds("revised", "load_s"),
        "revision_refresh_s": seconds("revised"),
        "revised_rows": results[0]["revised"].result["revised"],
        "floor_s": floor,
        "cold_floor_ratio": ratio(cold["median"], floor["median"]),
        "peak_rss_mib": stats([max(r[kind].peak_rss_mib for kind in ("cold", "warm", "revised")) for r in results], 1),
        "failures": sorted({f for r in results for kind in ("cold", "warm", "revised") for f in r[kind].result["failures"]}),
    }
    if "naive" in results[0]:
        naive = seconds("naive")
        report |= {"naive_s": naive, "naive_ratio": ratio(naive["median"], cold["median"])}
    return report


def write_settings(folder: Path, url: str) -> Path:
    path = folder / "synthetic.toml"
    indicators = ", ".join(f'"{code}"' for code in INDICATORS)
    path.write_text(SETTINGS.format(first=FIRST_YEAR, last=LAST_YEAR, url=url, indicators=indicators), encoding="utf-8")
    return path
