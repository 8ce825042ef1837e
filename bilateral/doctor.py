"""`bilateral doctor`: check what is stored against what it promises, and say what is damaged.

- every landed file under raw/ against its sha256 (its name);
- the warehouse's invariants: one open version per observation key, every version's run
  recorded, no version closed before it opened;
- the published snapshot against the writer's file: the same last run.
A damaged raw file is moved aside (`.<sha256>.damaged`), so the next refresh lands it again
(bilateral.landing writes what is missing); a refresh reads back only what it landed itself.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from bilateral import connections, queries, warehouse
from bilateral.config import Config
from bilateral.landing import is_intact


@dataclass(frozen=True)
class Finding:
    check: str
    problem: str | None  # None: the check passed

    @property
    def line(self) -> str:
        return f"{'damaged' if self.problem else 'ok':<8} {self.check}" + (f": {self.problem}" if self.problem else "")


def examine(config: Config) -> list[Finding]:
    """Every check, passed or not, in a fixed order."""
    return [_raw_files(config), *_invariants(config), _snapshot(config)]


def _raw_files(config: Config) -> Finding:
    files = [path for path in config.raw_dir.rglob("*") if path.is_file() and not path.name.startswith(".")]
    damaged = [path for path in files if not is_intact(path)]
    for path in damaged:
        path.rename(path.with_name(f".{path.name}.damaged"))
    names = [path.relative_to(config.home).as_posix() for path in damaged]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return Finding(f"{len(files)} landed files match their sha256",
                   f"{len(names)} of {len(files)} do not: {shown} (moved aside; the next refresh lands them again)"
                   if damaged else None)


def _invariants(config: Config) -> list[Finding]:
    if not config.warehouse_path.exists():
        return [Finding("warehouse invariants", f"{config.warehouse_path}: no warehouse yet")]
    with warehouse.exclusive(config.home, "doctor"), contextlib.closing(connections.connect(config.warehouse_path, read_only=True)) as connection:
        checks = connection.execute(queries.text("doctor_invariants")).fetchall()
    return [Finding(check, f"{count:,} rows break it" if count else None) for check, count in checks]


def _snapshot(config: Config) -> Finding:
    check = "the published snapshot holds the writer's last run"
    if not config.snapshot_path.exists() or not config.warehouse_path.exists():
        return Finding(check, "nothing published yet")
    with warehouse.exclusive(config.home, "doctor"):
        runs = []
        for path in (config.warehouse_path, config.snapshot_path):
            with contextlib.closing(connections.connect(path, read_only=True)) as connection:
                runs.append(connection.execute(queries.text("last_run_id")).fetchone()[0])
    return Finding(check, None if runs[0] == runs[1] else f"the writer's last run is {runs[0]}, the snapshot's {runs[1]}")
