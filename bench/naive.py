"""What a user would write instead of the pipeline: requests + pandas + DuckDB `CREATE TABLE AS`.

A request per page (`requests.get`, so a new connection each time), `json_normalize`
of the rows, one `create or replace table` at the end. No landing, no versioning,
no check of the answers, and a second run repeats all of the work.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import requests


def run(base_url: str, economies: list[str], indicators: list[str], first_year: int, last_year: int, database: str) -> int:
    """Fetch every page of every indicator, load them as one table; returns the rows loaded."""
    frames = []
    for indicator in indicators:
        page, pages = 1, 1
        while page <= pages:
            response = requests.get(
                f"{base_url}/country/{';'.join(economies)}/indicator/{indicator}",
                params={"format": "json", "per_page": 1000, "date": f"{first_year}:{last_year}", "page": page},
                timeout=60,
            )
            envelope, rows = response.json()
            pages = envelope["pages"]
            frames.append(pd.json_normalize(rows))
            page += 1
    data = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    with duckdb.connect(database) as connection:
        connection.execute("create or replace table observations as select * from data")
    return len(data)
