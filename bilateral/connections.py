"""Opening DuckDB files: one clear error for a locked, missing or corrupted file.

Kept apart from the warehouse's load code so read-only commands start without pandas.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import duckdb

from bilateral.errors import WarehouseError


@functools.cache
def spill_directory() -> str:
    """This process's own place to spill to, outside the data directory, removed at exit.

    DuckDB's default is `<file>.tmp` beside the file: a reader of published.duckdb would
    spill where the writer stages its next copy, and could block publishing.
    """
    folder = tempfile.mkdtemp(prefix="bilateral-spill-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


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
