"""`bilateral status` right after a run in which one source failed."""

import subprocess
import sys

from bilateral import refresh, warehouse
from bilateral.config import load_config


def test_status_shows_the_failed_source_its_reason_and_the_others_fresh(settings, home, fake):
    config = load_config(settings)
    fake.fail("status", "/sdmx/", times=10, status=503)
    summary = refresh.run_once(config)
    assert summary.status == "partial"
    done = subprocess.run([sys.executable, "-m", "bilateral", "status", "--config", str(settings)],
                          capture_output=True, text=True, env={"BILATERAL_HOME": str(home), "PATH": ""})
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.split() and line.split()[0] in
             ("worldbank", "imf_datamapper", "imf_trade", "comtrade")}
    assert lines["imf_trade"].split()[1] == "failed"
    assert "HTTP 503" in lines["imf_trade"]
    assert lines["worldbank"].split()[1] == "current"
    assert "publisher updated 2026-07-01" in lines["worldbank"]  # the World Bank's own lastupdated in the recordings
    assert "partial" in done.stdout
    assert not warehouse.last_fetches(config.snapshot_path)[0].keys() & {
        row.url for outcome in summary.outcomes if outcome.source == "imf_trade" for row in outcome.fetches.itertuples()}


def test_a_failed_publish_is_loud_and_status_says_the_snapshot_is_stale_until_a_publish_succeeds(settings, home, fake, monkeypatch):
    import errno
    import json

    config = load_config(settings)
    assert refresh.run_once(config).status == "ok"

    def full_disk(*args, **kwargs):  # a full disk cannot be made here; the copy is what meets it
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(warehouse.shutil, "copyfile", full_disk)
    summary = refresh.run_once(config, full=True)
    assert summary.status == "partial"
    assert summary.failures == [f"{config.snapshot_path}: cannot publish: No space left on device; readers still see the previous snapshot"]
    done = subprocess.run([sys.executable, "-m", "bilateral", "status", "--format", "json", "--config", str(settings)],
                          capture_output=True, text=True, env={"BILATERAL_HOME": str(home), "PATH": ""})
    assert json.loads(done.stdout)["snapshot"]["stale"] is True
    monkeypatch.undo()
    refresh.run_once(config)
    done = subprocess.run([sys.executable, "-m", "bilateral", "status", "--config", str(settings)],
                          capture_output=True, text=True, env={"BILATERAL_HOME": str(home), "PATH": ""})
    assert "snapshot" not in done.stdout
