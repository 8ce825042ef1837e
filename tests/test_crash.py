"""A refresh killed with SIGKILL leaves the old state or the new one, never a mix, and the next run recovers alone.

Each test starts from a copy of a warehouse holding one clean refresh (OLD); the fake then revises
one value, so a complete second refresh adds one version and one run (NEW). The refresh runs in a
process of its own (tests/crash_worker.py) that is killed at a known step or after a small delay.
"""

import subprocess
import time

import pytest

from bilateral import warehouse
from bilateral.config import load_config
from crash_worker import NEW, OLD, counts, spawn, wait_for

AGAIN = (20159, 3)  # after a third refresh that finds nothing new


def killed(worker: subprocess.Popen) -> None:
    worker.kill()  # SIGKILL: no finally block, no atexit, no flush
    worker.wait()


def states(home):
    return counts(home / "warehouse.duckdb"), counts(home / "published.duckdb")


def recover(settings, home):
    """The next run, started as the scheduler would: no cleanup before it."""
    worker = spawn(settings, home)
    out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    assert out.splitlines()[-1] == "done ok"


def test_killed_while_fetching_leaves_the_old_state_and_a_lock_the_next_run_takes(world, fake):
    settings, home = world
    fake.fail("slow", "/datamapper/", times=1, seconds=3)
    worker = spawn(settings, home)
    wait_for(worker, "collecting imf_datamapper")
    time.sleep(0.2)  # inside the slow answer
    killed(worker)
    assert states(home) == (OLD, OLD)
    assert (home / "writer.lock").read_text() == f"refresh (pid {worker.pid})"  # left behind by the dead process
    config = load_config(settings, environ={"BILATERAL_HOME": str(home)})
    with warehouse.exclusive(config.home):  # the kernel released the flock with the process: nothing to clean up
        pass
    recover(settings, home)
    assert states(home) == (NEW, NEW)


@pytest.mark.parametrize(
    ("step", "after_kill", "after_recovery"),
    [
        ("in-transaction", (OLD, OLD), (NEW, NEW)),  # everything written but not committed: none of it stays
        ("publishing", (NEW, OLD), (AGAIN, AGAIN)),  # committed, readers still see the old snapshot
        ("renaming", (NEW, OLD), (AGAIN, AGAIN)),  # the new snapshot complete but not swapped in
    ],
)
def test_killed_at_a_step_of_the_load_leaves_whole_states(world, step, after_kill, after_recovery):
    settings, home = world
    worker = spawn(settings, home, pause=step)
    wait_for(worker, step)
    killed(worker)
    assert states(home) == after_kill
    recover(settings, home)
    assert states(home) == after_recovery
    assert not (home / "published.duckdb.tmp").exists()


MOMENTS = [("opening-writer", delay) for delay in (0.0, 0.05, 0.1, 0.2)] + [("publishing", delay) for delay in (0.01, 0.03, 0.06, 0.1)]


@pytest.mark.parametrize(("step", "delay"), MOMENTS, ids=[f"{step}+{delay}s" for step, delay in MOMENTS])
def test_killed_at_any_moment_of_the_load_or_the_publish_leaves_whole_states(world, step, delay):
    settings, home = world
    worker = spawn(settings, home)
    wait_for(worker, step)
    time.sleep(delay)
    killed(worker)
    warehouse_state, published_state = states(home)  # both files open
    assert warehouse_state in (OLD, NEW)
    assert published_state in (OLD, NEW)
    assert published_state <= warehouse_state  # readers never see what the writer has not committed
    recover(settings, home)
    recovered, published = states(home)
    assert recovered == published
    assert recovered == (NEW if warehouse_state == OLD else AGAIN)
