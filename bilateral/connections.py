"""Opening DuckDB files: one clear error for a locked, missing or corrupted file.

Kept apart from the warehouse's load code so read-only commands start without pandas.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from bilateral.errors import WarehouseError


SPILL_PREFIX = "bilateral-spill-"


@functools.cache
def spill_directory() -> str:
    """This process's own place to spill to, outside the data directory, removed at exit.

    DuckDB's default is `<file>.tmp` beside the file: a reader of published.duckdb would
    spill where the writer stages its next copy, and could block publishing. What a killed
    process left behind is removed by the next one to start.
    """
    _remove_orphan_spills()
    folder = tempfile.mkdtemp(prefix=f"{SPILL_PREFIX}{os.getpid()}-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _remove_orphan_spills() -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{SPILL_PREFIX}*-*"):
        pid = folder.name.removeprefix(SPILL_PREFIX).partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


# A new warehouse is written in the storage format of DuckDB 1.5, so the plain DuckDB CLI that
# analysts have (the newest on PyPI is 1.5) opens the published snapshot; 2.0 reads it unchanged.
STORAGE_VERSION = "v1.5.0"


def connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    config = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "temp_directory": spill_directory(),
        "storage_compatibility_version": STORAGE_VERSION,
    }
    try:
        connection = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as error:
        message = str(error).splitlines()[0]
        if "lock" in message.lower():
            raise WarehouseError(f"{path}: held by another writer; try again when it finishes ({message})") from None
        raise WarehouseError(f"{path}: cannot open: {message}") from None
    except duckdb.Error as error:
        raise WarehouseError(f"{path}: not a readable DuckDB warehouse: {str(error).splitlines()[0]}") from None
    connection.execute("set TimeZone = 'UTC'")
    return connection


def reader(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published snapshot."""
    if not path.exists():
        raise WarehouseError(f"{path}: no published warehouse yet; run `bilateral refresh` first")
    return connect(path, read_only=True)


def look_at(connection: duckdb.DuckDBPyConnection, pair: str) -> duckdb.DuckDBPyConnection:
    """Point marts.pair, and the marts about one pair, at `pair` (RUS-MEX) for this connection."""
    connection.execute("set variable pair = ?", [pair])
    return connection
