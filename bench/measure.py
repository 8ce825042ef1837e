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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD_TIMEOUT_S = 240


class ChildFailed(RuntimeError):
    """A measured child exited non-zero or printed no result."""


@dataclass(frozen=True)
class Child:
    """What a child printed (its JSON result) and its peak RSS."""

    result: dict
    peak_rss_mib: float


@dataclass(frozen=True)
class Warehouse:
    """A configuration and the BILATERAL_HOME a measured refresh filled with it (for the briefing and the CLI)."""

    settings: Path
    home: Path


@dataclass(frozen=True)
class Job:
    """A job of bench.jobs: its arguments travel on stdin (a page list outgrows the 128 KiB limit of one argv string)."""

    name: str
    arguments: dict

    @property
    def argv(self) -> list[str]:
        return [sys.executable, "-m", "bench.jobs", self.name]


def job(name: str, **arguments) -> Job:
    return Job(name, arguments)


def run_child(work: Job, env: dict[str, str] | None = None, timeout_s: float = CHILD_TIMEOUT_S) -> Child:
    """Run a job in a child whose last stdout line is a JSON object; its stderr goes to a file shown on failure."""
    with tempfile.TemporaryFile() as stderr, tempfile.TemporaryFile() as stdin:
        stdin.write(json.dumps(work.arguments).encode())
        stdin.seek(0)
        process = subprocess.Popen(work.argv, stdin=stdin, stdout=subprocess.PIPE, stderr=stderr, env=env, cwd=REPO)
        output = _read_within(process, timeout_s)
        # os.wait4, not process.wait(): it also returns this child's own ru_maxrss (KiB on Linux)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        lines = output.decode("utf-8", "replace").strip().splitlines()
        if process.returncode != 0 or not lines:
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace")[-3000:]
            raise ChildFailed(f"bench.jobs {work.name} exited {process.returncode}:\n{tail}")
    return Child(json.loads(lines[-1]), usage.ru_maxrss / 1024)


def _read_within(process: subprocess.Popen, timeout_s: float) -> bytes:
    """All of stdout; a child still running after `timeout_s` is killed so the bench keeps its budget."""
    killer = threading.Timer(timeout_s, process.kill)
    killer.daemon = True
    killer.start()
    try:
        return process.stdout.read()
    finally:
        killer.cancel()


def stats(values: Sequence[float], digits: int = 3) -> dict:
    """Median, min, max and every run, rounded: what each metric in the report is."""
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "runs": [round(value, digits) for value in values],
    }


def column(runs: list[dict], key: str) -> list[float]:
    return [run[key] for run in runs]


def ratio(numerator: float | None, denominator: float | None, digits: int = 3) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, digits)
