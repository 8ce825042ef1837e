"""Timing and memory: each measured piece of work runs in a child process.

A child per run keeps runs independent (no warmed caches, no garbage from the last
run), keeps the parent's HTTP servers off the measured process's GIL, and gives each
run its own peak RSS (os.wait4 returns the resource usage of that one child).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD_TIMEOUT_S = 240


class ChildFailed(RuntimeError):
    """A measured child exited non-zero or printed no result."""


@dataclass(frozen=True)
class Child:
    """What a child printed (its JSON result), how long it took from outside, and its peak RSS."""

    result: dict
    wall_s: float
    peak_rss_mib: float


def run_child(argv: Sequence[str], env: dict[str, str] | None = None, timeout_s: float = CHILD_TIMEOUT_S) -> Child:
    """Run a child whose last stdout line is a JSON object; its stderr goes to a file shown on failure."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=stderr, env=env, cwd=REPO)
        output = _read_within(process, timeout_s)
        # os.wait4, not process.wait(): it also returns this child's own ru_maxrss (KiB on Linux)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        lines = output.decode("utf-8", "replace").strip().splitlines()
        if process.returncode != 0 or not lines:
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace")[-3000:]
            raise ChildFailed(f"{' '.join(argv)} exited {process.returncode}:\n{tail}")
    return Child(json.loads(lines[-1]), wall, usage.ru_maxrss / 1024)


def _read_within(process: subprocess.Popen, timeout_s: float) -> bytes:
    """All of stdout; a child still running after `timeout_s` is killed so the bench keeps its budget."""
    killer = threading.Timer(timeout_s, process.kill)
    killer.daemon = True
    killer.start()
    try:
        return process.stdout.read()
    finally:
        killer.cancel()


def job(name: str, **arguments) -> list[str]:
    """argv of one job of bench.jobs (run from the repository root)."""
    return [sys.executable, "-m", "bench.jobs", name, json.dumps(arguments)]


def stats(values: Sequence[float], digits: int = 3) -> dict:
    """Median, min, max and every run, rounded: what each metric in the report is."""
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "runs": [round(value, digits) for value in values],
    }


def repeat(times: int, measure: Callable[[int], dict]) -> list[dict]:
    """`measure(i)` for i in range(times): each call returns one run's numbers."""
    return [measure(i) for i in range(times)]


def column(runs: list[dict], key: str) -> list[float]:
    return [run[key] for run in runs]


def ratio(numerator: float | None, denominator: float | None, digits: int = 3) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, digits)
