"""Named SQL the package runs, read from sql/queries/ so SQL stays in sql/."""

from functools import cache

from bilateral.paths import sql_dir


@cache
def text(name: str) -> str:
    return (sql_dir() / "queries" / f"{name}.sql").read_text(encoding="utf-8")
