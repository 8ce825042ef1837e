"""Two refreshes at once: one runs, the other is refused in one line; readers use the snapshot meanwhile."""

import contextlib
import re

import pytest

from bilateral import warehouse
from bilateral.errors import WarehouseError
from crash_worker import NEW, counts, spawn, wait_for



def test_a_second_refresh_is_refused_in_one_line_while_the_first_runs(world):
    settings, home = world
    first = spawn(settings, home, pause="locked", pause_s=1.5)
    wait_for(first, "locked")
    second = spawn(settings, home)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 1
    assert out == ""  # refused before it did anything
    assert re.fullmatch(
        rf"bilateral: {re.escape(str(home))}/writer.lock: a refresh cannot start: refresh \(pid {first.pid}\) is writing to"
        rf" {re.escape(str(home))}\n",
        err,
    )
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert counts(home / "warehouse.duckdb") == counts(home / "published.duckdb") == NEW  # one run, not two


def test_two_refreshes_started_together_run_one_at_a_time_or_not_at_all(world):
    settings, home = world
    workers = [spawn(settings, home), spawn(settings, home)]
    results = [(worker.wait(timeout=60), worker.stderr.read()) for worker in workers]
    succeeded = sum(code == 0 for code, _ in results)
    assert succeeded >= 1
    for code, err in results:
        assert code == 0 or (code == 1 and "a refresh cannot start" in err and err.count("\n") == 1), err
    runs = 1 + succeeded
    assert counts(home / "warehouse.duckdb") == counts(home / "published.duckdb") == (20159, runs)


def test_the_published_snapshot_is_readable_while_a_writer_holds_the_warehouse(world):
    settings, home = world
    writer = spawn(settings, home, pause="in-transaction", pause_s=1.5)
    wait_for(writer, "in-transaction")  # the writer holds warehouse.duckdb, its transaction open
    with pytest.raises(WarehouseError, match="held by another writer"):
        warehouse.reader(home / "warehouse.duckdb")  # why readers get a snapshot: DuckDB locks out even read-only openers
    with contextlib.closing(warehouse.reader(home / "published.duckdb")) as during:
        assert during.execute("select count(*) from meta.runs").fetchone() == (1,)
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        assert during.execute("select count(*) from meta.runs").fetchone() == (1,)  # an open reader keeps its view
    with contextlib.closing(warehouse.reader(home / "published.duckdb")) as after:
        assert after.execute("select count(*) from meta.runs").fetchone() == (2,)


def test_what_a_reader_leaves_beside_the_snapshot_never_blocks_publishing(filled, tmp_path):
    """A spilling reader used to leave `published.duckdb.tmp`, the publisher's staging name, and every later
    refresh failed to publish. Readers now spill elsewhere, and the publisher stages under a name of its own."""
    import dataclasses
    import datetime as dt
    import shutil

    from bilateral import refresh

    shutil.copytree(filled.home, tmp_path / "home")
    filled = dataclasses.replace(filled, home=tmp_path / "home")
    left_behind = filled.snapshot_path.with_name(filled.snapshot_path.name + ".tmp")
    left_behind.mkdir(exist_ok=True)
    (left_behind / "duckdb_temp_storage-0.tmp").write_bytes(b"spilled")
    before = filled.snapshot_path.stat().st_mtime_ns
    refresh.load(filled, "run-after-a-spill", dt.datetime.now(dt.timezone.utc), [])
    assert filled.snapshot_path.stat().st_mtime_ns > before
    assert not list(filled.snapshot_path.parent.glob(".published.duckdb.*.staging"))


def test_readers_spill_outside_the_data_directory(filled):
    from bilateral import analyst

    with analyst.connect(filled) as connection:
        (spill,) = connection.execute("select current_setting('temp_directory')").fetchone()
    assert not spill.startswith(str(filled.home))


def test_a_briefing_rendered_while_a_refresh_writes_is_recorded_and_merged_by_it(filled, tmp_path):
    import dataclasses
    import datetime as dt
    import shutil

    import duckdb

    from bilateral import refresh, warehouse
    from bilateral.briefing import produce

    shutil.copytree(filled.home, tmp_path / "home")
    config = dataclasses.replace(filled, home=tmp_path / "home")
    with warehouse.exclusive(config.home, "refresh"):  # as if a refresh were writing
        _, rendered = produce.run_once(config, "2026-11")
        assert 'href="2026-11_rus-mex.pdf"' in (config.briefings_dir / "index.html").read_text()  # listed at once
        assert len(list(warehouse.pending_dir(config.home).glob("*.json"))) == 1
    refresh.load(config, "run-after", dt.datetime.now(dt.timezone.utc), [])  # the refresh's load merges it
    assert not list(warehouse.pending_dir(config.home).glob("*.json"))
    with duckdb.connect(str(config.snapshot_path), read_only=True) as connection:
        assert connection.execute("select path, sha256 from meta.briefings").fetchall() == [
            ("briefings/2026-11_rus-mex.pdf", rendered.sha256)]


def test_what_a_killed_reader_spilled_is_removed_by_the_next_to_start():
    import pathlib
    import subprocess
    import sys

    killed = subprocess.run(
        [sys.executable, "-c", "import os, signal; from bilateral import connections;"
         " print(connections.spill_directory(), flush=True); os.kill(os.getpid(), signal.SIGKILL)"],
        capture_output=True, text=True,
    )
    left = pathlib.Path(killed.stdout.strip())
    assert killed.returncode == -9 and left.is_dir()
    subprocess.run([sys.executable, "-c", "from bilateral import connections; connections.spill_directory()"], check=True)
    assert not left.exists()
