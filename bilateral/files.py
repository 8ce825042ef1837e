"""Writing a file whole or not at all: the bytes go to a hidden partial file beside the target,
reach the disk, then replace the target in one rename. A crash or a full disk never leaves half."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomically(target: Path, data: bytes | str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(partial, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
