"""Opening DuckDB files: one clear error for a locked, missing or corrupted file.

Kept apart from the warehouse's load code so read-only commands start without pandas.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from bilateral.errors import WarehouseError


def connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
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
