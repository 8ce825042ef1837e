"""The attacks of the reliability review, played beside the fault matrix (bench.faults).

Each attack runs on its own copy of the clean warehouse and says whether it ended as promised;
then a refresh without faults runs on that copy and its current values are compared with the
clean run's: rows lost must stay 0.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bilateral import connections, curated, doctor, refresh, warehouse
from bilateral.briefing import produce
from bilateral.config import Config
from bilateral.errors import SeedError
from bilateral.replay import FakeAPI

MIB = 1024  # ru_maxrss is in KiB


def _child(*arguments: str, home: Path | None = None) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run a Python child (on data directory `home`); its result, wall seconds and peak memory in MiB."""
    environment = {**os.environ, "BILATERAL_HOME": str(home)} if home else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    done = subprocess.run([sys.executable, *arguments], capture_output=True, text=True, timeout=600, env=environment)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: a smaller one reads as the earlier peak
    return done, time.monotonic() - started, max(peak, before) / MIB


def spilling_reader(config: Config, fake: FakeAPI) -> bool:
    """A reader spilling to disk is killed mid-query; the next refresh still publishes."""
    query = ("import pathlib, sys; from bilateral import connections;"
             " c = connections.reader(pathlib.Path(sys.argv[1])); c.execute(\"set memory_limit = '64MB'\");"
             " c.execute('select * from range(100000000) order by random()').fetchone()")
    reader = subprocess.Popen([sys.executable, "-c", query, str(config.snapshot_path)])
    spilled = _spill_files(reader.pid, within=30)
    reader.send_signal(signal.SIGKILL)
    reader.wait()
    summary = refresh.run_once(config, full=True)
    return spilled and summary.status == "ok" and warehouse.publish_failure(config.home) is None


def _spill_files(pid: int, within: float) -> bool:
    """Whether process `pid` spilled a file within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if any(Path(tempfile.gettempdir()).glob(f"{connections.SPILL_PREFIX}{pid}-*/*")):
            return True
        time.sleep(0.1)
    return False


def yaml_bomb(config: Config, fake: FakeAPI) -> bool:
    """A billion-laughs events file is refused in under 2 s and 200 MB."""
    laughs = ['lol0: &lol0 ["lol"]'] + [f"lol{n}: &lol{n} [{', '.join(['*lol' + str(n - 1)] * 9)}]" for n in range(1, 10)]
    bomb = config.home.parent / "events.yaml"
    bomb.write_text("\n".join(laughs) + "\nevents:\n  - *lol9\n")
    before, started = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.monotonic()
    try:
        curated.events(bomb)
        refused = False
    except SeedError as error:
        refused = "YAML anchors and aliases" in str(error)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / MIB
    return refused and time.monotonic() - started < 2 and grown < 200


def huge_result(config: Config, fake: FakeAPI) -> bool:
    """`sql` over 25 million rows stops at its row cap, within its limits, under 1 GiB."""
    done, seconds, peak = _child("-m", "bilateral", "sql", "--format", "csv", "--config", str(config.path),
                                 "select * from range(25000000)", home=config.home)
    return done.returncode == 0 and "more rows" in done.stderr and seconds < 30 and peak < 1024


def briefing_during_refresh(config: Config, fake: FakeAPI) -> bool:
    """A briefing rendered while a refresh holds the writer lock is recorded, and the next load keeps the record."""
    with warehouse.exclusive(config.home, "refresh"):
        _, rendered = produce.run_once(config, "2026-11")
    refresh.run_once(config)
    with contextlib.closing(warehouse.reader(config.snapshot_path)) as connection:
        recorded = connection.execute("select sha256 from meta.briefings where path like '%2026-11%'").fetchall()
    return recorded == [(rendered.sha256,)]


def second_refresh(config: Config, fake: FakeAPI) -> bool:
    """A refresh while another writes is refused in under a second, naming the holder, asking nothing."""
    asked = len(fake.requests)
    with warehouse.exclusive(config.home, "refresh"):
        done, seconds, _ = _child("-m", "bilateral", "refresh", "--config", str(config.path), home=config.home)
    return done.returncode == 1 and "is writing to" in done.stderr and seconds < 1 and len(fake.requests) == asked


def corrupted_raw_file(config: Config, fake: FakeAPI) -> bool:
    """A landed file whose bytes changed is found by doctor and landed again by the next refresh."""
    damaged = sorted(path for path in config.raw_dir.rglob("*") if path.is_file())[0]
    damaged.write_bytes(damaged.read_bytes()[:-4] + b"\x00bad")
    found = any(finding.problem for finding in doctor.examine(config))
    refresh.run_once(config, full=True)
    return found and not any(finding.problem for finding in doctor.examine(config))


def all_sources_down(config: Config, fake: FakeAPI) -> bool:
    """Every source refusing: the run fails, the command exits 3 (data were loaded before), nothing stored is touched."""
    fake.fail("status", None, times=10_000, status=404)  # refused without retries: a quick run
    done, _, _ = _child("-m", "bilateral", "refresh", "--full", "--config", str(config.path), home=config.home)
    fake.reset()
    return done.returncode == 3 and all(source in done.stderr for source in ("worldbank", "imf_datamapper", "imf_trade", "comtrade"))


ATTACKS: list[Callable[[Config, FakeAPI], bool]] = [
    spilling_reader, yaml_bomb, huge_result, briefing_during_refresh, second_refresh, corrupted_raw_file, all_sources_down,
]


def play_all(fake: FakeAPI, clean: Config, folder: Path, config_for: Callable, differences: Callable) -> dict:
    """Each attack on a copy of the clean warehouse: as expected or not, and the rows the copy lost."""
    report = {}
    for attack in ATTACKS:
        home = folder / attack.__name__
        shutil.copytree(clean.home, home / "home")
        fake.reset()
        config = config_for(home, fake)
        as_expected = attack(config, fake)
        fake.reset()
        refresh.run_once(config, full=True)
        with contextlib.closing(warehouse.reader(config.snapshot_path)) as connection:
            appeared, vanished = differences(connection, clean)
        report[attack.__name__] = {"as_expected": as_expected, "rows_lost": len(vanished), "rows_changed": len(appeared)}
    return report
