"""Land each answer's bytes on disk, content-addressed, before anything parses them.

A parser bug then never costs a fetch: the bytes stay under raw/ and a fixed
parser can read them again. Identical bytes land once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bilateral.files import write_atomically
from bilateral.http import Response


@dataclass(frozen=True)
class Landed:
    source: str
    response: Response
    sha256: str
    path: str  # relative to BILATERAL_HOME
    is_unchanged: bool

    @property
    def body(self) -> bytes:
        return self.response.body


def land(home: Path, source: str, response: Response, known: dict[str, str]) -> Landed:
    """Store the body as raw/<source>/<sha256[:2]>/<sha256>, atomically; note whether it changed.

    A file `bilateral doctor` found damaged has been moved aside, so it is written again here.
    """
    digest = response.sha256
    relative = Path("raw") / source / digest[:2] / digest
    target = home / relative
    if not target.exists():
        write_atomically(target, response.body)
    return Landed(
        source=source,
        response=response,
        sha256=digest,
        path=relative.as_posix(),
        is_unchanged=known.get(response.url) == digest,
    )


def is_intact(path: Path) -> bool:
    """Whether a landed file still holds the bytes its name (their sha256) promises."""
    return hashlib.sha256(path.read_bytes()).hexdigest() == path.name
