"""World Bank Indicators API v2: https://datahelpdesk.worldbank.org/knowledgebase/articles/889392"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections.abc import Iterator

import duckdb
import numpy as np
import pandas as pd

from bilateral import queries
from bilateral.config import Config, SourceConfig
from bilateral.errors import SchemaDriftError, SourceError
from bilateral.http import HttpClient, Response
from bilateral.sources import (
    OBSERVATION_COLUMNS,
    Page,
    Parsed,
    Request,
    bounded,
    check_json,
    decode_json,
    labels_frame,
    number,
    parsed,
    publisher_date,
    require,
)

NAME = "worldbank"
DATASET = "WDI"
_DECODER = json.JSONDecoder()
_ARRAY_START = re.compile(r"\s*\[\s*")
ENVELOPE_BYTES = 4096  # more than any envelope; a longer one (an error's message) is read from the whole body


def headers(settings: SourceConfig) -> dict[str, str]:
    return {}


def requests_for(config: Config) -> list[Request]:
    settings = config.sources[NAME]
    # ';' joins countries in one path segment: one request per indicator for all of them
    countries = ";".join(config.requested_countries)
    data = [
        Request(
            source=NAME,
            kind="data",
            url=f"{settings.base_url}/country/{countries}/indicator/{indicator}",
            params={"format": "json", "per_page": settings.per_page, "date": f"{config.start_year}:{config.end_year}"},
            context={"indicator": indicator},
        )
        for indicator in settings.indicators
    ]
    labels = [
        Request(source=NAME, kind="labels", url=f"{settings.base_url}/country/{countries}", params={"format": "json", "per_page": 400})
    ] + [
        Request(source=NAME, kind="labels", url=f"{settings.base_url}/indicator/{indicator}", params={"format": "json"})
        for indicator in settings.indicators
    ]
    return data + labels


def probe_for(request: Request) -> Request | None:
    """The first page with one row: its envelope gives `total` and `lastupdated` for the whole series."""
    return Request(NAME, "probe", request.url, params={**request.params, "per_page": 1}, context=request.context)


def stamp_of(request: Request, probe_body: bytes | None, facts: dict) -> str | None:
    """`lastupdated` and `total` of the series; the World Bank sometimes revises without moving
    `lastupdated`, which the periodic full fetch catches."""
    if probe_body is None:
        return None
    envelope = _envelope(decode_json(NAME, request.url, probe_body), request.url)
    return f"lastupdated={str(envelope.get('lastupdated'))[:64]};total={envelope.get('total')}"


def fetch(client: HttpClient, request: Request) -> Iterator[Response]:
    """Every page the first page's envelope announces."""
    first = client.get(request.url, params=request.params, check=check_json)
    yield first
    envelope = _front_envelope(first)
    pages = int(envelope.get("pages") or 0)
    for page in range(2, pages + 1):
        response = client.get(request.url, params={**request.params, "page": page}, check=check_json)
        later = _front_envelope(response)
        if int(later.get("total") or 0) != int(envelope.get("total") or 0):
            raise SourceError(
                f"{NAME}: {response.url}: total changed between pages ({envelope.get('total')} -> {later.get('total')});"
                " the series is being updated, try again later"
            )
        yield response


def parse(request: Request, body: bytes, url: str, fetched_at: dt.datetime, facts: dict) -> Parsed:
    document = decode_json(NAME, url, body)
    envelope = _envelope(document, url)
    rows = document[1] if len(document) > 1 else None
    if rows is None:  # the "no data" answer: [{"page":0,...,"total":0}, null]; never a deletion
        return parsed()
    if not isinstance(rows, list):
        raise SchemaDriftError(f"{NAME}: {url}: expected a list of rows after the envelope, found {type(rows).__name__}")
    if request.kind == "labels":
        return parsed(labels=[_label(row, url) for row in rows])
    details = _details(envelope, url, fetched_at)
    stamp = _iso(details["published"])
    try:
        return Parsed(_observation_columns(rows, stamp), labels_frame([]), **details)
    except (KeyError, TypeError, ValueError):  # a row the column reading cannot take: let the row reading name it
        observations = [obs for obs in (_observation(row, url, stamp) for row in rows) if obs]
        return parsed(observations=observations, **details)


def parse_landed(pages: list[Page], facts: dict) -> list[Parsed | None]:
    """What `parse` gives for each page, read together: DuckDB reads the landed files in one pass and
    no Python object is built per value (a 400-page refresh read in a third of the time).

    A page with no rows, or with a row of any other shape than the plain one, is left (None) for
    `parse`, which takes the same rows or names what is wrong with them.
    """
    files = {file: number for number, file in enumerate(dict.fromkeys(str(page.path) for page in pages))}  # identical bytes land once
    rows = _landed_rows(list(files))
    if rows is None:
        return [None] * len(pages)
    # a page with no value here (no rows, or only nulls) is left to `parse` too: it is cheap, and it tells the
    # API's "no data" answer (no stamp) from a page of nulls
    irregular = set(rows.file[~rows.is_plain]) | (set(range(len(files))) - set(rows.file))
    details = {files[str(page.path)]: _details(_front_envelope(page.response), page.response.url, page.response.fetched_at)
               for page in pages}
    values = rows if not irregular else rows[~rows.file.isin(irregular)]  # no copy in the usual case
    observations = _observations(values, np.array([_iso(details[file]["published"]) for file in range(len(files))], dtype=object))
    bounds = np.searchsorted(values.file.to_numpy(), np.arange(len(files) + 1))
    no_labels = labels_frame([])
    read = []
    for page in pages:
        file = files[str(page.path)]
        # a view of the rows, not a copy: the refresh concatenates the pages next
        read.append(None if file in irregular else Parsed(observations.iloc[bounds[file]: bounds[file + 1]], no_labels, **details[file]))
    return read


def _landed_rows(files: list[str]) -> pd.DataFrame | None:
    """Every row of the files, `file` numbered from 0 in the order given; None when DuckDB cannot read one."""
    try:
        with duckdb.connect() as connection:
            rows = connection.sql(queries.text("worldbank_pages"), params={"files": files}).to_arrow_table().to_pandas()
    except duckdb.Error:
        return None
    rows["file"] -= 1  # list_position counts from 1
    return rows


def _details(envelope: dict, url: str, fetched_at: dt.datetime) -> dict:
    """A page's publisher stamp (`lastupdated`, per response, not per row): a stamp that is no date is
    dropped with a problem said, and the page's values still load."""
    stamp, problem = publisher_date(envelope.get("lastupdated"), NAME, url, "lastupdated", fetched_at)
    return {"published": stamp, "problems": [problem] if problem else []}


def _observations(values: pd.DataFrame, stamps: np.ndarray) -> pd.DataFrame:
    """The observation shape of the plain rows the query read; `stamps` is each file's `lastupdated`."""
    names = values.indicator_name
    return pd.DataFrame(
        {
            "source": NAME,
            "dataset": DATASET,
            "indicator": values.indicator,
            "ref_area": values.ref_area,
            "counterpart_area": "",
            "period": values.period,
            "value": values.value,
            "unit": values.unit.where(values.unit != "", names.map({name: unit_of(name) for name in names.unique()})),
            "obs_status": values.obs_status,
            "is_forecast": False,
            "source_updated": stamps[values.file.to_numpy()],
        },
        columns=OBSERVATION_COLUMNS,
    ).reset_index(drop=True)


def _iso(stamp: dt.date | None) -> str | None:
    return stamp.isoformat() if stamp else None


def _front_envelope(response: Response) -> dict:
    """The envelope alone, decoded from the front of the body; the rows are decoded once, by the parse.

    The client's check has already found the body to be whole JSON. The envelope is a few hundred
    bytes: decoding the whole body to text for it took longer than reading the rows.
    """
    text = response.body[:ENVELOPE_BYTES].decode("utf-8-sig", errors="ignore")
    start = _ARRAY_START.match(text)
    try:
        head = _DECODER.raw_decode(text, start.end())[0] if start else None
    except ValueError:
        head = None
    if not isinstance(head, dict):  # not [envelope, ...]: the full reading says what it is
        return _envelope(decode_json(NAME, response.url, response.body), response.url)
    return _envelope([head], response.url)


def _observation_columns(rows: list, lastupdated: str | None) -> pd.DataFrame:
    """The values of a page, column by column: ~10x faster than a dict per row.

    It takes only rows `_observation` would take the same way and raises KeyError,
    TypeError or ValueError for any other, so the row reading can name the problem.
    """
    if not all(type(row) is dict and "indicator" in row and "country" in row for row in rows):
        raise TypeError("a row without indicator or country")
    kept = [row for row in rows if row["value"] is not None]  # null is missing, never zero
    values = np.array([row["value"] for row in kept], dtype="float64")
    if not all(type(row["value"]) in (float, int) for row in kept) or not np.isfinite(values).all():
        raise ValueError("a value that is text, true/false or not finite")
    indicators = [row["indicator"] for row in kept]
    return pd.DataFrame(
        {
            "source": NAME,
            "dataset": DATASET,
            "indicator": [indicator["id"] for indicator in indicators],
            # as in _observation: an empty countryiso3code (some aggregates) falls back to the id, a missing one is drift
            "ref_area": [row["countryiso3code"] or row["country"]["id"] for row in kept],
            "counterpart_area": "",
            "period": [str(row["date"]) for row in kept],
            "value": values,
            "unit": [row.get("unit") or unit_of(indicator.get("value") or "") for row, indicator in zip(kept, indicators)],
            "obs_status": [row.get("obs_status") or None for row in kept],
            "is_forecast": np.zeros(len(kept), dtype=bool),
            "source_updated": lastupdated,
        },
        columns=OBSERVATION_COLUMNS,
    )


def _envelope(document, url: str) -> dict:
    if not isinstance(document, list) or not document or not isinstance(document[0], dict):
        raise SchemaDriftError(f"{NAME}: {url}: expected [envelope, rows], found {type(document).__name__}")
    head = document[0]
    if "message" in head:  # errors arrive with HTTP 200: [{"message": [{"id": "120", ...}]}]
        messages = head["message"] if isinstance(head["message"], list) else [head["message"]]
        detail = "; ".join(f"{m.get('id', '?')} {m.get('key', '')}: {m.get('value', '')}".strip() for m in messages if isinstance(m, dict))
        raise SourceError(f"{NAME}: {url}: the API answered with an error: {detail}")
    for field_name in ("page", "pages", "total"):
        require(head, field_name, NAME, url, "the envelope")
    return head


def _observation(row: dict, url: str, lastupdated: str | None) -> dict | None:
    where = f"row {row.get('date', '?')}"
    indicator = require(row, "indicator", NAME, url, where)
    country = require(row, "country", NAME, url, where)
    value = number(require(row, "value", NAME, url, where), NAME, url, f"{where}: field 'value'")
    if value is None:  # null is missing, never zero
        return None
    if not math.isfinite(value):
        raise SchemaDriftError(f"{NAME}: {url}: {where}: value {value!r} is not a finite number")
    name = indicator.get("value") or ""
    return {
        "source": NAME,
        "dataset": DATASET,
        "indicator": require(indicator, "id", NAME, url, where),
        # countryiso3code is empty for some aggregates: fall back to the id; but a missing key is drift,
        # else every row would load again under its ISO2 code
        "ref_area": require(row, "countryiso3code", NAME, url, where) or require(country, "id", NAME, url, where),
        "counterpart_area": "",
        "period": str(require(row, "date", NAME, url, where)),
        "value": value,
        "unit": row.get("unit") or unit_of(name),
        "obs_status": row.get("obs_status") or None,
        "is_forecast": False,
        "source_updated": lastupdated,
    }


def _label(row: dict, url: str) -> dict:
    if "iso2Code" in row:
        name = bounded(require(row, "name", NAME, url))
        return {"source": NAME, "kind": "country", "code": require(row, "id", NAME, url), "name": name, "unit": None, "note": None}
    name = bounded(require(row, "name", NAME, url))
    return {
        "source": NAME,
        "kind": "indicator",
        "code": require(row, "id", NAME, url),
        "name": name,
        "unit": bounded(row.get("unit")) or unit_of(name),
        "note": bounded(row.get("sourceOrganization"), 400) or None,
    }


@functools.cache  # a page repeats one indicator name a thousand times
def unit_of(name: str) -> str:
    """The unit, read from the indicator name: the API's own `unit` field is almost always empty."""
    lowered = name.lower()
    if "us$" in lowered:
        return "USD"
    if "% of gdp" in lowered:
        return "% of GDP"
    if "%" in lowered:
        return "%"
    if "(years)" in lowered:
        return "years"
    if lowered.startswith("population"):
        return "persons"
    if "arrivals" in lowered:
        return "arrivals"
    return ""
