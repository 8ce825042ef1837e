"""The practical lower bound of a refresh: the same pages, no framework.

One keep-alive requests.Session, `json.loads`, a tuple per value, one DataFrame
inserted into DuckDB. No landing, no hashing, no checks, no versioning, no labels:
whatever the pipeline spends beyond this is the price of what it does on top.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import duckdb
import pandas as pd
import requests

COLUMNS = ["indicator", "ref_area", "counterpart_area", "period", "value"]
TIMEOUT = (5, 60)


def run(pages: list[tuple[str, dict]], database: str) -> int:
    """GET every (url, headers), keep the values, load them; returns the rows loaded."""
    rows: list[tuple] = []
    with requests.Session() as session:
        for url, headers in pages:
            rows.extend(values_of(json.loads(session.get(url, headers=headers, timeout=TIMEOUT).content)))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    with duckdb.connect(database) as connection:
        connection.execute("create table observations as select * from frame")
    return len(frame)


def values_of(document) -> Iterator[tuple]:
    """The observations of any answer the refresh asks for, by the answer's shape; metadata gives none."""
    if isinstance(document, list):
        yield from _worldbank(document)
    elif "values" in document:
        yield from _datamapper(document["values"])
    elif "data" in document and isinstance(document["data"], list):
        yield from _comtrade(row for row in document["data"] if "cmdCode" in row)  # availability records have none
    elif "data" in document and "dataSets" in document["data"]:  # the dataflow's structure has none
        yield from _sdmx(document["data"])


def _worldbank(document: list) -> Iterator[tuple]:
    rows = document[1] if len(document) > 1 and document[1] else []
    for row in rows:
        if "indicator" in row and row["value"] is not None:  # labels have no "indicator"
            yield row["indicator"]["id"], row["countryiso3code"], "", row["date"], row["value"]


def _datamapper(values: dict) -> Iterator[tuple]:
    for indicator, areas in values.items():
        for area, years in areas.items():
            for year, value in years.items():
                if isinstance(value, (int, float)):
                    yield indicator, area, "", year, value


def _comtrade(rows: Iterable[dict]) -> Iterator[tuple]:
    for row in rows:
        yield row["cmdCode"], row["reporterISO"], row["partnerISO"], str(row["period"]), row["primaryValue"]


def _sdmx(data: dict) -> Iterator[tuple]:
    structure = data["structures"][0]["dimensions"]
    dimensions = [[value["id"] for value in dimension["values"]] for dimension in structure["series"]]
    names = [dimension["id"] for dimension in structure["series"]]
    periods = [value["value"] for value in structure["observation"][0]["values"]]
    for dataset in data["dataSets"]:
        for key, series in dataset["series"].items():
            codes = dict(zip(names, (dimensions[i][int(k)] for i, k in enumerate(key.split(":")))))
            for position, observation in series["observations"].items():
                yield codes["INDICATOR"], codes["COUNTRY"], codes["COUNTERPART_COUNTRY"], periods[int(position)], float(observation[0])
