"""The benchmark's one JSON object, its targets (reported as met or not, never failing), and a table for people."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

GIB_IN_MIB = 1024


@dataclass(frozen=True)
class Target:
    name: str
    text: str
    value: Callable[[dict], float | None]  # the number compared, from the report
    met: Callable[[float, dict], bool]


def _median(key: str) -> Callable[[dict], float | None]:
    return lambda report: (report.get(key) or {}).get("median")


def _largest(key: str) -> Callable[[dict], float | None]:
    """`key` of the largest synthetic size."""
    return lambda report: ((report.get("scale") or [{}])[-1]).get(key)


def _cli_start(report: dict) -> float | None:
    medians = [(report["cli_start_s"].get(command) or {}).get("median") for command in ("help", "sql")]
    found = [median for median in medians if median is not None]
    return max(found) if found else None


TARGETS = (
    Target("warm_cold", "warm/cold <= 0.10 with 0 rows written (recorded pair)",
           lambda r: r.get("warm_cold_ratio"), lambda v, r: v <= 0.10 and r.get("warm_rows_written") == 0),
    Target("cold_floor", "cold refresh within 2x of the floor (recorded pair, no Prefect server start)",
           lambda r: r.get("cold_floor_ratio"), lambda v, r: v <= 2.0),
    Target("warm_cold_large", "warm/cold <= 0.10 with 0 rows written at the larger size",
           _largest("warm_cold_ratio"), lambda v, r: v <= 0.10 and _largest("warm_rows_written")(r) == 0),
    Target("cold_floor_large", "cold refresh within 1.5x of the floor at the larger size",
           _largest("cold_floor_ratio"), lambda v, r: v <= 1.5),
    Target("naive", ">= 3x faster than the naive script at the larger size",
           lambda r: r.get("naive_ratio"), lambda v, r: v >= 3.0),
    Target("rows_per_s", ">= 300,000 rows/s loaded at the larger size",
           lambda r: r.get("rows_per_s_large"), lambda v, r: v >= 300_000),
    Target("revision_reload", "1% revision reload < 1 s at the larger size",
           _median("revision_reload_s"), lambda v, r: v < 1.0),
    Target("briefing_new", "briefing (PDF + HTML) on new data <= 3 s", lambda r: r.get("briefing_new_s"), lambda v, r: v <= 3.0),
    Target("briefing_unchanged", "briefing when nothing changed since the last render <= 2 s",
           _median("briefing_unchanged_s"), lambda v, r: v <= 2.0),
    Target("paced", "default refresh with real politeness intervals <= 1.2x its slowest host's paced time",
           lambda r: r.get("paced_ratio"), lambda v, r: v <= 1.2),
    Target("pairs_warm", "three pairs: a refresh with nothing new makes <= 1.1x the requests of one pair",
           lambda r: r.get("three_pairs_warm_request_ratio"), lambda v, r: v <= 1.1),
    Target("pairs_cold", "three pairs: a first refresh makes <= 1.1x the requests of one pair (keyless Comtrade: not shared)",
           lambda r: r.get("three_pairs_cold_request_ratio"), lambda v, r: v <= 1.1),
    Target("cli_start", "CLI start < 0.5 s (`--help` and `sql \"select 1\"`, the slower)", _cli_start, lambda v, r: v < 0.5),
    Target("peak_rss", "peak RSS < 1 GiB at the larger size", _median("peak_rss_mib"), lambda v, r: v < GIB_IN_MIB),
    Target("million", "~1,000,000 values cold in < 5 s with peak RSS < 1 GiB", lambda r: r.get("million_cold_s"),
           lambda v, r: v < 5.0 and r.get("million_peak_rss_mib", GIB_IN_MIB) < GIB_IN_MIB),
)


def targets(report: dict) -> dict:
    """Each target with its value and met (null when it could not be measured)."""
    found = {}
    for target in TARGETS:
        value = target.value(report)
        found[target.name] = {"target": target.text, "value": value, "met": None if value is None else target.met(value, report)}
    return found


def table(report: dict) -> str:
    """A Markdown table of the medians with min-max, then the targets: what bench/README.md shows."""
    lines = ["| metric | median | min | max |", "|---|---:|---:|---:|"]
    for key, value in _rows(report):
        if isinstance(value, dict) and "median" in value:
            lines.append(f"| {key} | {value['median']} | {value['min']} | {value['max']} |")
        elif value is not None:
            lines.append(f"| {key} | {value} | | |")
    lines += ["", "| target | value | met |", "|---|---:|---|"]
    for target in report["targets"].values():
        met = {True: "yes", False: "**no**", None: "not measured"}[target["met"]]
        lines.append(f"| {target['target']} | {target['value']} | {met} |")
    return "\n".join(lines)


def _rows(report: dict):
    for key in (
        "refresh_cold_s", "refresh_warm_s", "warm_cold_ratio", "warm_rows_written", "floor_s", "cold_floor_ratio",
        "briefing_new_s", "briefing_unchanged_s", "paced_refresh_s", "slowest_host_paced_s", "paced_ratio",
        "three_pairs_cold_request_ratio", "three_pairs_warm_request_ratio",
        "revision_reload_s", "revision_refresh_s", "naive_s", "naive_ratio", "peak_rss_mib",
        "million_values", "million_cold_s", "million_rows_per_s", "million_warm_s", "million_floor_s", "million_cold_floor_ratio",
        "million_peak_rss_mib",
    ):
        yield key, report.get(key)
    for size in report.get("scale", []):
        label = f"{size['economies']} economies ({size['values_loaded']} values, {size['pages']} pages)"
        yield f"cold s, {label}", size["cold_s"]
        yield f"rows/s, {label}", size["rows_per_s"]
        yield f"rows/s of the load step alone, {label}", size["load_rows_per_s"]
        yield f"rows/s of the floor, {label}", size["floor_rows_per_s"]
        yield f"warm s, {label}", size["warm_s"]
        yield f"floor s, {label}", size["floor_s"]
    for command, found in report.get("cli_start_s", {}).items():
        yield f"cli start s, bilateral {command}", found
    for key in ("prefect_import_s", "prefect_server_start_s", "prefect_server_restart_s", "prefect_flow_run_s", "prefect_per_task_ms"):
        yield key, report.get(key)


def show(report: dict) -> None:
    print(table(report), file=sys.stderr)
