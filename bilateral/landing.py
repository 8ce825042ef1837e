"""Land each answer's bytes on disk, content-addressed, before anything parses them.

A parser bug then never costs a fetch: the bytes stay under raw/ and a fixed
parser can read them again. Identical bytes land once.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bilateral.files import write_atomically
from bilateral.http import Response


@dataclass(frozen=True)
class Landed:
    sha256: str
    path: str  # relative to BILATERAL_HOME
    is_unchanged: bool


class Landing:
    """Lands one source's answers on a thread of its own, in the order given.

    Each body is written whole and synced (`write_atomically`) before anything may read the file;
    the sync of one answer then overlaps the fetch of the next instead of holding it up (a second
    per 1,000 pages here). `wait` returns once everything given so far is on disk, and raises the
    first write that failed.
    """

    def __init__(self, home: Path, source: str) -> None:
        self.home = home
        self.source = source
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"land-{source}")
        self._writes: list[Future] = []

    def land(self, response: Response, known: dict[str, str]) -> Landed:
        """Store the body as raw/<source>/<sha256[:2]>/<sha256>; note whether it changed since the last good fetch."""
        digest = response.sha256
        relative = Path("raw") / self.source / digest[:2] / digest
        self._writes.append(self._writer.submit(_write_missing, self.home / relative, response.body))
        return Landed(sha256=digest, path=relative.as_posix(), is_unchanged=known.get(response.url) == digest)

    def wait(self) -> None:
        writes, self._writes = self._writes, []
        for write in writes:
            write.result()

    def close(self) -> None:
        """Wait for what was given and stop the thread; the first failed write is raised."""
        try:
            self.wait()
        finally:
            self._writer.shutdown(wait=True)


def _write_missing(target: Path, body: bytes) -> None:
    """A file `bilateral doctor` found damaged has been moved aside, so it is written again here."""
    if not target.exists():
        write_atomically(target, body)


def is_intact(path: Path) -> bool:
    """Whether a landed file still holds the bytes its name (their sha256) promises."""
    return hashlib.sha256(path.read_bytes()).hexdigest() == path.name
