"""Landing: every answer on disk, whole and named by its sha256, before anything reads it; a failed write is loud."""

import datetime as dt
import errno
import hashlib

import pytest

from bilateral import landing, refresh
from bilateral.config import load_config
from bilateral.http import Response

FETCHED = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


def answer(url: str, body: bytes) -> Response:
    return Response(url, 200, body, "application/json", FETCHED)


def test_every_answer_is_on_disk_whole_once_wait_returns(tmp_path):
    lander = landing.Landing(tmp_path, "worldbank")
    bodies = [b'[{"page": 1}, []]', b'[{"page": 2}, []]' * 50_000, b'[{"page": 1}, []]']  # the last repeats the first
    known = {"http://x/1": hashlib.sha256(bodies[0]).hexdigest()}
    landed = [lander.land(answer(f"http://x/{number}", body), known) for number, body in enumerate(bodies, 1)]
    lander.close()
    assert [item.is_unchanged for item in landed] == [True, False, False]
    for item, body in zip(landed, bodies):
        assert item.path == f"raw/worldbank/{item.sha256[:2]}/{item.sha256}"
        assert (tmp_path / item.path).read_bytes() == body
    assert sum(path.is_file() for path in (tmp_path / "raw").rglob("*")) == 2  # identical bytes land once
    assert not list(tmp_path.rglob(".*.part"))


def test_a_failed_write_fails_the_collect_instead_of_loading_without_its_file(settings, home, monkeypatch):
    written = []

    def disk_fills_up(target, data):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        written.append(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    monkeypatch.setattr(landing, "write_atomically", disk_fills_up)
    config = load_config(settings)
    with pytest.raises(OSError, match="No space left on device"):
        refresh.collect(config, "worldbank", refresh.plan(config)["worldbank"], {})
    assert len(written) == 1
