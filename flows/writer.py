"""One writer of the warehouse at a time, across every worker sharing the data directory.

On a Prefect server set up by `bilateral deploy`, the global concurrency limit `warehouse-writer`
(limit 1) lets one flow at a time write, whichever machine it runs on. Where the limit does not
exist (`bilateral serve`, a temporary server) Prefect skips it, and the data directory's lock file
(bilateral.warehouse.exclusive), which every writer also takes, decides alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from prefect.concurrency.sync import concurrency

WRITER_LIMIT = "warehouse-writer"


@contextlib.contextmanager
def writer_slot() -> Iterator[None]:
    with concurrency(WRITER_LIMIT, occupy=1, strict=False):
        yield
