"""IMF DataMapper API v1 (World Economic Outlook): https://www.imf.org/external/datamapper/api/help"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pycountry

from bilateral.config import Config, SourceConfig
from bilateral.errors import SchemaDriftError
from bilateral.http import HttpClient, Response
from bilateral.sources import Parsed, Request, check_json, decode_json, number, parsed, require

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
# WEO codes that are economies but not ISO 3166 countries
WEO_ECONOMIES = {"KOS": "Kosovo", "WBG": "West Bank and Gaza", "UVK": "Kosovo"}


def headers(settings: SourceConfig) -> dict[str, str]:
    return {}


def requests_for(config: Config) -> list[Request]:
    settings = config.sources[NAME]
    edition = settings.edition if settings.edition != "auto" else None
    requests = []
    for indicator in settings.indicators:
        # a ranked indicator is asked for every economy; that answer holds the pair too
        countries = "" if indicator in settings.ranked else "/" + "/".join(config.countries)
        requests.append(
            Request(
                source=NAME,
                kind="data",
                url=f"{settings.base_url}/{indicator}{countries}",
                context={"indicator": indicator, "edition": edition},
            )
        )
    return requests


def fetch(client: HttpClient, request: Request) -> Iterator[Response]:
    yield client.get(request.url, params=request.params or None, check=check_json)


def parse(request: Request, body: bytes, url: str, fetched_at: dt.datetime) -> Parsed:
    document = decode_json(NAME, url, body)
    values = require(document, "values", NAME, url)
    indicator = request.context["indicator"]
    if not values:  # DataMapper answers {"values": {}} when it has nothing: unknown, not zero
        return parsed()
    series = require(values, indicator, NAME, url, "values")
    edition = request.context.get("edition") or weo_edition(fetched_at)
    edition_year = int(edition[:4])
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
                    "is_forecast": int(year) >= edition_year,
                    "source_updated": f"WEO {edition}",
                }
            )
    return parsed(observations, labels)


def weo_edition(moment: dt.datetime) -> str:
    """The WEO edition current at a moment: published each April and October.

    DataMapper does not say which edition it serves; this is the calendar's answer
    and `sources.imf_datamapper.edition` in bilateral.toml overrides it.
    """
    if moment.month >= 10:
        return f"{moment.year}-10"
    if moment.month >= 4:
        return f"{moment.year}-04"
    return f"{moment.year - 1}-10"


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
