"""IMF DataMapper API v1 (World Economic Outlook): https://www.imf.org/external/datamapper/api/help"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pycountry

from bilateral.config import Config, SourceConfig
from bilateral.errors import SchemaDriftError
from bilateral.http import HttpClient, Response
from bilateral.sources import Parsed, Request, bounded, check_json, decode_json, number, parsed, publisher_date, require

NAME = "imf_datamapper"
DATASET = "WEO"
UNITS = {
    "NGDPD": "billion USD",
    "NGDPDPC": "USD",
    "PPPGDP": "billion international $",
    "NGDP_RPCH": "%",
    "PCPIPCH": "%",
    "LP": "million persons",
}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_EDITION = re.compile(r"World Economic Outlook\W+(" + "|".join(MONTHS) + r")\W+(\d{4})", re.IGNORECASE)
# WEO codes that are economies but not ISO 3166 countries
WEO_ECONOMIES = {"KOS": "Kosovo", "WBG": "West Bank and Gaza", "UVK": "Kosovo"}


def headers(settings: SourceConfig) -> dict[str, str]:
    return {}


def requests_for(config: Config) -> list[Request]:
    settings = config.sources[NAME]
    # the data answers carry no edition: /indicators names it, per indicator
    requests = [Request(source=NAME, kind="metadata", url=f"{settings.base_url}/indicators")]
    pinned = settings.edition if settings.edition != "auto" else None
    for indicator in settings.indicators:
        # a ranked indicator is asked for every economy; that answer holds the pair too
        countries = "" if indicator in settings.ranked else "/" + "/".join(config.requested_countries)
        requests.append(
            Request(
                source=NAME,
                kind="data",
                url=f"{settings.base_url}/{indicator}{countries}",
                context={"indicator": indicator, "edition": pinned},
            )
        )
    return requests


def probe_for(request: Request) -> Request | None:
    return None  # /indicators, asked first in every run, says when each indicator last changed


def stamp_of(request: Request, probe_body: bytes | None, facts: dict) -> str | None:
    modified = facts.get("modified", {}).get(request.context.get("indicator"))
    edition = facts.get("editions", {}).get(request.context.get("indicator"))
    return f"edition={edition};last-modified={modified}" if modified and edition else None


def fetch(client: HttpClient, request: Request) -> Iterator[Response]:
    yield client.get(request.url, params=request.params or None, check=check_json)


def parse(request: Request, body: bytes, url: str, fetched_at: dt.datetime, facts: dict) -> Parsed:
    document = decode_json(NAME, url, body)
    if request.kind == "metadata":
        return _metadata(document, url, fetched_at)
    values = require(document, "values", NAME, url)
    indicator = request.context["indicator"]
    if not values:  # DataMapper answers {"values": {}} when it has nothing: unknown, not zero
        return parsed()
    series = require(values, indicator, NAME, url, "values")
    edition = request.context.get("edition") or facts.get("editions", {}).get(indicator)
    # without a named edition no year is called actual or projected: the flag stays unknown
    first_projected = int(edition[:4]) if edition else None
    observations, labels = [], []
    for area, by_year in series.items():
        if not isinstance(by_year, dict):
            raise SchemaDriftError(f"{NAME}: {url}: values.{indicator}.{area}: expected {{year: value}}, found {type(by_year).__name__}")
        labels.append(_area_label(area))
        for year, raw in by_year.items():
            value = number(raw, NAME, url, f"values.{indicator}.{area}.{year}")
            if value is None:  # "n/a" or null: missing, never zero
                continue
            if not (len(year) == 4 and year.isdigit()):
                raise SchemaDriftError(f"{NAME}: {url}: values.{indicator}.{area}: {year!r} is not a year")
            observations.append(
                {
                    "source": NAME,
                    "dataset": DATASET,
                    "indicator": indicator,
                    "ref_area": area,
                    "counterpart_area": "",
                    "period": year,
                    "value": value,
                    "unit": UNITS.get(indicator, ""),
                    "obs_status": None,
                    # a WEO edition's own year and later are projections
                    "is_forecast": None if first_projected is None else int(year) >= first_projected,
                    "source_updated": f"WEO {edition}" if edition else None,
                }
            )
    return parsed(observations, labels)


def _metadata(document, url: str, fetched_at: dt.datetime) -> Parsed:
    """/indicators: per indicator the edition its values belong to, the publisher's date and the name."""
    indicators = require(document, "indicators", NAME, url)
    if not isinstance(indicators, dict):
        raise SchemaDriftError(f"{NAME}: {url}: field 'indicators' is {type(indicators).__name__}, expected an object")
    editions, modified, stamps, labels, problems = {}, {}, [], [], []
    for code, record in indicators.items():
        if not isinstance(record, dict):
            continue
        edition = weo_edition(record.get("source"))
        if edition:
            editions[code] = edition
        stamp, problem = publisher_date(record.get("last-modified"), NAME, url, f"indicators.{code}.last-modified", fetched_at)
        stamps += [stamp] if stamp else []
        if isinstance(record.get("last-modified"), str) and len(record["last-modified"]) <= 40:
            modified[code] = record["last-modified"]
        problems += [problem] if problem else []
        if record.get("label"):
            labels.append({"source": NAME, "kind": "indicator", "code": code, "name": bounded(record["label"]),
                           "unit": bounded(record.get("unit")), "note": None})
    return parsed(labels=labels, facts={"editions": editions, "modified": modified}, published=max(stamps, default=None),
                  problems=problems)


def weo_edition(source) -> str | None:
    """'World Economic Outlook (October 2025)' -> '2025-10'; None when the text names no edition."""
    match = _EDITION.search(source) if isinstance(source, str) and len(source) <= 200 else None
    if not match:
        return None
    return f"{match.group(2)}-{MONTHS.index(match.group(1).lower()) + 1:02d}"


def _area_label(area: str) -> dict:
    country = pycountry.countries.get(alpha_3=area)
    name = WEO_ECONOMIES.get(area) or (country.name if country else None)
    # codes that are neither ISO countries nor WEO economies are WEO groups (G001 = World, ...)
    return {
        "source": NAME,
        "kind": "country" if name else "aggregate",
        "code": area,
        "name": name or area,
        "unit": None,
        "note": None,
    }
