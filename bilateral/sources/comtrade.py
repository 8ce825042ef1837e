"""UN Comtrade v1: goods trade by HS chapter (https://comtradedeveloper.un.org).

Without a key the public preview endpoint answers at most 500 records and one
period per call; with BILATERAL_COMTRADE_KEY the full `data/v1/get` endpoint is used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pycountry

from bilateral.config import Config, SourceConfig
from bilateral.errors import SchemaDriftError, SourceError
from bilateral.http import HttpClient, Response
from bilateral.sources import Parsed, Request, bounded, check_json, decode_json, number, parsed, require

NAME = "comtrade"
DATASET = "HS"
PREVIEW_CAP = 500
WORLD = 0  # Comtrade's partner code for the world (partnerISO "W00")


def headers(settings: SourceConfig) -> dict[str, str]:
    return {"Ocp-Apim-Subscription-Key": settings.key} if settings.key else {}


def requests_for(config: Config) -> list[Request]:
    settings = config.sources[NAME]
    path = "data/v1/get/C/A/HS" if settings.key else "public/v1/preview/C/A/HS"
    availability = f"{settings.base_url}/{'data/v1/getDA/C/A/HS' if settings.key else 'public/v1/getDA/C/A/HS'}"
    last_year = min(config.end_year, dt.date.today().year - 1)
    # each side's trade with the other, both flows; and each side's imports from the world (partner 0),
    # the denominator of the other's share in a chapter (Russia's share of Mexico's fertilisers)
    asked = [(reporter, m49(partner), "M,X") for reporter, partner in (config.pair, config.pair[::-1])]
    asked += [(reporter, WORLD, "M") for reporter in config.pair]
    requests = []
    for reporter, partner_code, flows in asked:
        for year in range(last_year - settings.years + 1, last_year + 1):
            requests.append(
                Request(
                    source=NAME,
                    kind="data",
                    url=f"{settings.base_url}/{path}",
                    params={
                        "reporterCode": m49(reporter),
                        "partnerCode": partner_code,
                        "period": year,  # one period per call: the preview allows no more
                        "flowCode": flows,
                        "cmdCode": "AG2",  # every HS chapter (two-digit level)
                        # totals only: left out, the API adds breakdowns by second partner, customs procedure
                        # and mode of transport, rows that share one chapter's key with other values
                        "partner2Code": 0,
                        "customsCode": "C00",
                        "motCode": 0,
                    },
                    context={"capped": not settings.key, "availability": availability},
                )
            )
    return requests


def m49(iso3: str) -> int:
    """UN M49 numeric code, which Comtrade uses for reporters and partners."""
    return int(pycountry.countries.get(alpha_3=iso3).numeric)


def probe_for(request: Request) -> Request | None:
    """The reporter's data availability records, every year: a release date and checksum per year, which move
    with the data. One answer serves all the reporter's series of a run (the refresh asks each probe once)."""
    asked = {"reporterCode": request.params["reporterCode"]}
    return Request(NAME, "probe", request.context["availability"], params=asked, context=request.context)


def stamp_of(request: Request, probe_body: bytes | None, facts: dict) -> str | None:
    """Release date, checksum and record count of the reporter's year, per classification."""
    if probe_body is None:
        return None
    records = require(decode_json(NAME, request.url, probe_body), "data", NAME, request.url)
    reporter, period = int(request.params["reporterCode"]), str(request.params["period"])
    releases = sorted(
        f"{record['classificationCode']}:{record['lastReleased']}:{record['datasetChecksum']}:{record['totalRecords']}"
        for record in records
        if int(record["reporterCode"]) == reporter and str(record["period"]) == period
    )
    # a year not yet released stays "not released" until its record appears
    return bounded(";".join(releases), 500) if releases else "not released"


def fetch(client: HttpClient, request: Request) -> Iterator[Response]:
    yield client.get(request.url, params=request.params, check=check_json)


def parse(request: Request, body: bytes, url: str, fetched_at: dt.datetime, facts: dict) -> Parsed:
    document = decode_json(NAME, url, body)
    if isinstance(document, dict) and document.get("error"):
        raise SourceError(f"{NAME}: {url}: the API answered with an error: {document['error']}")
    rows = require(document, "data", NAME, url)
    if not isinstance(rows, list):
        raise SchemaDriftError(f"{NAME}: {url}: field 'data' is {type(rows).__name__}, expected a list")
    if request.context.get("capped") and len(rows) >= PREVIEW_CAP:
        raise SourceError(f"{NAME}: {url}: {len(rows)} records hit the preview cap of {PREVIEW_CAP}; set BILATERAL_COMTRADE_KEY")
    observations, labels = [], []
    for position, row in enumerate(rows):
        where = f"data[{position}]"
        value = number(require(row, "primaryValue", NAME, url, where), NAME, url, f"{where}.primaryValue")
        if value is None:  # an empty answer or a null value is unknown, never zero
            continue
        chapter = str(require(row, "cmdCode", NAME, url, where))
        flow = require(row, "flowCode", NAME, url, where)
        observations.append(
            {
                "source": NAME,
                "dataset": DATASET,
                "indicator": f"{flow}.{chapter}",
                "ref_area": require(row, "reporterISO", NAME, url, where),
                "counterpart_area": require(row, "partnerISO", NAME, url, where),
                "period": str(require(row, "period", NAME, url, where)),
                "value": value,
                "unit": "USD",
                "obs_status": row.get("classificationCode"),
                "is_forecast": False,
                "source_updated": None,  # the preview names no release date
            }
        )
        labels.append({"source": NAME, "kind": "hs", "code": chapter, "name": bounded(row.get("cmdDesc")) or chapter, "unit": None, "note": None})
    return parsed(observations, labels)
