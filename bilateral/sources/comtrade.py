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
PREVIEW_CAP = 500  # records per call on the keyless preview
FULL_CAP = 250_000  # and on the subscription endpoint
CHAPTERS = 100  # at most this many HS chapter rows per reporter, partner and flow (97 chapters and the total)
WORLD = 0  # Comtrade's partner code for the world
WORLD_ISO = "W00"  # and its partnerISO
# Comtrade's codes for customs areas that differ from the M49 number of the country's geography
# (UN trade statistics knowledge base, "Reporter country codes and their customs areas")
CUSTOMS_AREAS = {"FRA": 251, "IND": 699, "ITA": 381, "NOR": 579, "CHE": 757, "USA": 842}


def headers(settings: SourceConfig) -> dict[str, str]:
    return {"Ocp-Apim-Subscription-Key": settings.key} if settings.key else {}


def requests_for(config: Config) -> list[Request]:
    settings = config.sources[NAME]
    availability = f"{settings.base_url}/{'data/v1/getDA/C/A/HS' if settings.key else 'public/v1/getDA/C/A/HS'}"
    last_year = min(config.end_year, dt.date.today().year - 1)
    years = range(last_year - settings.years + 1, last_year + 1)
    flows = _flows(config)
    reporters = list(dict.fromkeys(reporter for reporter, _, _ in flows))
    if settings.key:
        # the subscription endpoint answers up to FULL_CAP records a call: a year of every pair in one request,
        # so adding a pair adds no request (the answer's other combinations are dropped on reading). The answer
        # can hold every reporter's flows with every partner named: reporters are grouped to stay within half the cap.
        partners = list(dict.fromkeys(partner for _, partner, _ in flows))
        groups = _groups(reporters, FULL_CAP // 2 // (len(partners) * 2 * CHAPTERS))
        asked = [(_codes(group), _codes(partners), "M,X", [flow for flow in flows if flow[0] in group]) for group in groups]
    else:
        # the keyless preview stops at PREVIEW_CAP records a call: a pair's two directions, both flows, in one
        # (at most 4 x CHAPTERS rows), and the world imports of as many reporters as stay under the cap in another
        asked = [(_codes(list(pair.countries)), _codes(list(pair.countries)), "M,X",
                  [flow for flow in flows if {flow[0], flow[1]} == set(pair.countries)]) for pair in config.pairs]
        asked += [(_codes(group), _codes([WORLD_ISO]), "M", [flow for flow in flows if flow[0] in group and flow[1] == WORLD_ISO])
                  for group in _groups(reporters, PREVIEW_CAP // CHAPTERS - 1)]
    return [
        Request(
            source=NAME,
            kind="data",
            url=f"{settings.base_url}/{'data/v1/get/C/A/HS' if settings.key else 'public/v1/preview/C/A/HS'}",
            params={
                "reporterCode": reporter,
                "partnerCode": partner,
                "period": year,  # one period per call: the preview allows no more
                "flowCode": flow_codes,
                "cmdCode": "AG2",  # every HS chapter (two-digit level)
                # totals only: left out, the API adds breakdowns by second partner, customs procedure
                # and mode of transport, rows that share one chapter's key with other values
                "partner2Code": 0,
                "customsCode": "C00",
                "motCode": 0,
            },
            context={"cap": FULL_CAP if settings.key else PREVIEW_CAP, "preview": not settings.key,
                     "availability": availability, "reporters": _codes(reporters), "wanted": [list(flow) for flow in wanted]},
        )
        for reporter, partner, flow_codes, wanted in asked
        for year in years
    ]


def _groups(items: list, size: int) -> list[list]:
    """`items` in runs of `size` (at least one), in order."""
    size = max(1, size)
    return [items[start:start + size] for start in range(0, len(items), size)]


def _codes(countries: list[str]) -> str:
    """Comtrade's comma-separated M49 codes (0 for the world)."""
    return ",".join(str(WORLD if code == WORLD_ISO else area_code(code)) for code in countries)


def _flows(config: Config) -> list[tuple[str, str, str]]:
    """(reporter, partner, flow) for every pair: each side's exports to and imports from the other, and each
    side's imports from the world (W00), the denominator of the other's share in a chapter (Russia's share
    of Mexico's fertilisers). A country in several pairs asks for its world imports once."""
    flows = [(reporter, partner, flow) for pair in config.pairs
             for reporter, partner in (pair.countries, pair.countries[::-1]) for flow in ("M", "X")]
    flows += [(reporter, WORLD_ISO, "M") for pair in config.pairs for reporter in pair.countries]
    return list(dict.fromkeys(flows))


def area_code(iso3: str) -> int:
    """The code Comtrade asks a country by: its UN M49 number, except where Comtrade reports a customs area
    under a code of its own (France with Monaco is 251, not 250; the United States 842, not 840)."""
    return CUSTOMS_AREAS.get(iso3) or int(pycountry.countries.get(alpha_3=iso3).numeric)


def probe_for(request: Request) -> Request | None:
    """The data availability records of every reporter of the run, every year: a release date and checksum per
    reporter and year, which move with the data. One answer serves all the series of a run (the refresh asks each
    probe once), however many pairs there are."""
    asked = {"reporterCode": request.context["reporters"]}
    return Request(NAME, "probe", request.context["availability"], params=asked, context=request.context)


def stamp_of(request: Request, probe_body: bytes | None, facts: dict) -> str | None:
    """Release date, checksum and record count of the reporter's year, per classification."""
    if probe_body is None:
        return None
    records = require(decode_json(NAME, request.url, probe_body), "data", NAME, request.url)
    reporters = {int(code) for code in str(request.params["reporterCode"]).split(",")}
    period = str(request.params["period"])
    releases = sorted(
        f"{record['reporterCode']}:{record['classificationCode']}:{record['lastReleased']}:{record['datasetChecksum']}:"
        f"{record['totalRecords']}"
        for record in records
        if int(record["reporterCode"]) in reporters and str(record["period"]) == period
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
    cap = request.context.get("cap")
    if cap and len(rows) >= cap:
        remedy = "the preview cap of {}; set BILATERAL_COMTRADE_KEY" if request.context.get("preview") else "the cap of {} a call"
        raise SourceError(f"{NAME}: {url}: {len(rows)} records hit {remedy.format(cap)}")
    wanted = {tuple(flow) for flow in request.context.get("wanted", ())}
    observations, labels = [], []
    for position, row in enumerate(rows):
        where = f"data[{position}]"
        value = number(require(row, "primaryValue", NAME, url, where), NAME, url, f"{where}.primaryValue")
        if value is None:  # an empty answer or a null value is unknown, never zero
            continue
        chapter = str(require(row, "cmdCode", NAME, url, where))
        flow = require(row, "flowCode", NAME, url, where)
        if wanted and (row.get("reporterISO"), row.get("partnerISO"), flow) not in wanted:
            continue  # a combination of a shared request that no pair asked for
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
