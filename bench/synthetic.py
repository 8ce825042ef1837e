"""A deterministic synthetic World Bank API v2 over real HTTP on 127.0.0.1.

N economies x 20 indicators x 1960-2025, answered in the real wire shape: the
`[envelope, rows]` document with `page`/`pages`/`per_page`/`total`/`sourceid`/
`lastupdated`, rows exactly like the recordings, pages of `per_page` rows, ~5% null
values (the API lists every year of the range), `/country/{codes}` and
`/indicator/{id}` for the labels. `revision = 1` revises 1% of the values and moves
`lastupdated`, as a World Bank release does.

It runs in the benchmark's parent process while the measured code runs in a child,
so serving never competes with the measured work for the GIL. Rows are encoded once
per (indicator, economies, years, revision) and kept, and `prime` does that before
any timing, so the measurements never include the server building its answers.
"""

from __future__ import annotations

import json
import math
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pycountry

FIRST_YEAR, LAST_YEAR = 1960, 2025
RELEASES = ("2025-07-01", "2025-12-16")  # `lastupdated` of revision 0 and 1
# 20 real WDI codes and names (the names decide the unit the parser reads), with a typical magnitude.
INDICATORS = {
    "NY.GDP.MKTP.CD": ("GDP (current US$)", 1e11),
    "NY.GDP.PCAP.CD": ("GDP per capita (current US$)", 1e4),
    "NY.GDP.MKTP.KD.ZG": ("GDP growth (annual %)", 5.0),
    "NY.GNP.PCAP.CD": ("GNI per capita, Atlas method (current US$)", 1e4),
    "SP.POP.TOTL": ("Population, total", 1e7),
    "SP.POP.GROW": ("Population growth (annual %)", 2.0),
    "SP.DYN.LE00.IN": ("Life expectancy at birth, total (years)", 70.0),
    "SP.URB.TOTL.IN.ZS": ("Urban population (% of total population)", 50.0),
    "NE.TRD.GNFS.ZS": ("Trade (% of GDP)", 60.0),
    "NE.EXP.GNFS.CD": ("Exports of goods and services (current US$)", 1e10),
    "NE.IMP.GNFS.CD": ("Imports of goods and services (current US$)", 1e10),
    "NE.EXP.GNFS.ZS": ("Exports of goods and services (% of GDP)", 30.0),
    "NE.IMP.GNFS.ZS": ("Imports of goods and services (% of GDP)", 30.0),
    "FP.CPI.TOTL.ZG": ("Inflation, consumer prices (annual %)", 5.0),
    "BX.KLT.DINV.CD.WD": ("Foreign direct investment, net inflows (BoP, current US$)", 1e9),
    "BX.KLT.DINV.WD.GD.ZS": ("Foreign direct investment, net inflows (% of GDP)", 3.0),
    "ST.INT.ARVL": ("International tourism, number of arrivals", 1e6),
    "GC.DOD.TOTL.GD.ZS": ("Central government debt, total (% of GDP)", 50.0),
    "SL.UEM.TOTL.ZS": ("Unemployment, total (% of total labor force) (modeled ILO estimate)", 7.0),
    "EN.ATM.CO2E.PC": ("CO2 emissions (metric tons per capita)", 5.0),
}
CONTENT_TYPE = "application/json;charset=utf-8"
# The API's answer to a value it does not accept, sent with HTTP 200
INVALID_VALUE = b'[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]'


@dataclass(frozen=True)
class Economy:
    iso3: str
    iso2: str
    name: str


def economies(count: int) -> list[Economy]:
    """`count` economies: ISO 3166 countries in code order, then invented codes (the API has aggregates too)."""
    real = sorted(pycountry.countries, key=lambda country: country.alpha_3)
    found = [Economy(country.alpha_3, country.alpha_2, country.name) for country in real[:count]]
    taken = {country.alpha_3 for country in real}
    invented = (f"X{a}{b}" for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for number, code in enumerate(code for code in invented if code not in taken):
        if len(found) == count:
            break
        found.append(Economy(code, f"{number // 26}{chr(65 + number % 26)}", f"Synthetic economy {code}"))
    return found


def value_of(indicator: str, iso3: str, year: int, revision: int) -> float | None:
    """The value of one cell: a pure function of its key, so every run and process agrees."""
    key = f"{indicator}/{iso3}/{year}".encode()
    digest = zlib.crc32(key)
    if digest % 20 == 0:  # real series have gaps, sent as null
        return None
    value = round(INDICATORS[indicator][1] * (0.5 + (digest >> 5) % 100_000 / 100_000), 2)
    if revision and zlib.crc32(key, revision) % 100 == 0:  # an independent 1% of the cells
        value = round(value * 1.01 + 0.01, 2)
    return value


def cells(economy_count: int, indicator_count: int = len(INDICATORS), years: int = LAST_YEAR - FIRST_YEAR + 1) -> int:
    return economy_count * indicator_count * years


class SyntheticWorldBank:
    """The answers; `SyntheticServer` puts them on a port."""

    def __init__(self, count: int) -> None:
        self.economies = economies(count)
        self.by_code = {e.iso3: e for e in self.economies} | {e.iso2: e for e in self.economies}
        self.revision = 0
        self._rows: dict[tuple, list[bytes]] = {}
        self._lock = threading.Lock()

    def prime(self, codes: Iterable[str], indicators: Iterable[str] = INDICATORS, revisions: Iterable[int] = (0, 1)) -> None:
        """Encode every row these economies can be asked for, so no timed request pays for it."""
        chosen = self._resolve(";".join(codes))
        for indicator in indicators:
            for revision in revisions:
                self._encoded_rows(indicator, chosen, FIRST_YEAR, LAST_YEAR, revision)

    def answer(self, path: str) -> bytes | None:
        """The body for a GET path under /v2, or None for a path the API does not have."""
        split = urlsplit(path)
        parts = [part for part in unquote(split.path).split("/") if part][1:]  # drop "v2"
        query = {name: values[-1] for name, values in parse_qs(split.query).items()}
        if query.get("format") != "json":
            return None
        try:
            per_page, page = int(query.get("per_page", 50)), int(query.get("page", 1))
        except ValueError:
            return INVALID_VALUE
        if len(parts) == 4 and parts[0] == "country" and parts[2] == "indicator":
            return self._data(parts[1], parts[3], query.get("date"), page, per_page)
        if len(parts) == 2 and parts[0] == "country":
            chosen = self._resolve(parts[1])
            return INVALID_VALUE if chosen is None else self._listing([_country_record(e) for e in chosen], page, per_page)
        if len(parts) == 2 and parts[0] == "indicator" and parts[1] in INDICATORS:
            return self._listing([_indicator_record(parts[1])], page, per_page)
        return None

    def _resolve(self, codes: str) -> tuple[Economy, ...] | None:
        wanted = set()
        for code in codes.upper().split(";"):
            if code not in self.by_code:
                return None
            wanted.add(self.by_code[code].iso3)
        return tuple(e for e in self.economies if e.iso3 in wanted)  # the API's own order, not the asker's

    def _data(self, codes: str, indicator: str, date: str | None, page: int, per_page: int) -> bytes:
        chosen = self._resolve(codes)
        if chosen is None or indicator not in INDICATORS:
            return INVALID_VALUE
        first, _, last = (date or f"{FIRST_YEAR}:{LAST_YEAR}").partition(":")
        rows = self._encoded_rows(indicator, chosen, max(int(first), FIRST_YEAR), min(int(last or first), LAST_YEAR), self.revision)
        envelope = {
            "page": page,
            "pages": math.ceil(len(rows) / per_page),
            "per_page": per_page,
            "total": len(rows),
            "sourceid": "2",
            "lastupdated": RELEASES[self.revision],
        }
        return _document(envelope, rows[(page - 1) * per_page : page * per_page])

    def _encoded_rows(self, indicator: str, chosen: tuple[Economy, ...], first: int, last: int, revision: int) -> list[bytes]:
        key = (indicator, chosen, first, last, revision)
        with self._lock:
            if key not in self._rows:
                self._rows[key] = [
                    row
                    for economy in chosen
                    for row in _rows(indicator, economy, range(last, first - 1, -1), revision)  # newest first, as the API lists them
                ]
            return self._rows[key]

    @staticmethod
    def _listing(records: list[dict], page: int, per_page: int) -> bytes:
        # metadata answers carry per_page as a string and no sourceid/lastupdated, as recorded
        envelope = {"page": page, "pages": math.ceil(len(records) / per_page), "per_page": str(per_page), "total": len(records)}
        return _document(envelope, [_json(record) for record in records[(page - 1) * per_page : page * per_page]])


def _json(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _document(envelope: dict, rows: list[bytes]) -> bytes:
    return b"[" + _json(envelope) + b",[" + b",".join(rows) + b"]]"


def _rows(indicator: str, economy: Economy, years: range, revision: int) -> list[bytes]:
    """One economy's rows of an indicator, field for field as recorded.

    The part every year shares is encoded once (json.dumps per row made priming 300
    economies take 9 s); `repr` of a float is what json.dumps writes for it.
    """
    shared = _json(
        {
            "indicator": {"id": indicator, "value": INDICATORS[indicator][0]},
            "country": {"id": economy.iso2, "value": economy.name},
            "countryiso3code": economy.iso3,
        }
    )[:-1]
    rows = []
    for year in years:
        value = value_of(indicator, economy.iso3, year, revision)
        shown, decimal = ("null", 0) if value is None else (repr(value), 0 if value > 1000 else 1)
        rows.append(shared + f',"date":"{year}","value":{shown},"unit":"","obs_status":"","decimal":{decimal}}}'.encode())
    return rows


def _country_record(economy: Economy) -> dict:
    blank = {"id": "", "iso2code": "", "value": ""}
    return {
        "id": economy.iso3,
        "iso2Code": economy.iso2,
        "name": economy.name,
        "region": {"id": "NAC", "iso2code": "XU", "value": "North America"},
        "adminregion": blank,
        "incomeLevel": {"id": "HIC", "iso2code": "XD", "value": "High income"},
        "lendingType": {"id": "LNX", "iso2code": "XX", "value": "Not classified"},
        "capitalCity": "",
        "longitude": "",
        "latitude": "",
    }


def _indicator_record(indicator: str) -> dict:
    return {
        "id": indicator,
        "name": INDICATORS[indicator][0],
        "unit": "",
        "source": {"id": "2", "value": "World Development Indicators"},
        "sourceNote": "Synthetic values for the benchmark.",
        "sourceOrganization": "bench/synthetic.py",
        "topics": [],
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real service
    disable_nagle_algorithm = True  # else each reused connection waits ~40 ms for a delayed ACK (FACTS.md)
    server: SyntheticServer

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        body = self.server.api.answer(self.path)
        status = 200 if body is not None else 404
        body = body if body is not None else b"synthetic World Bank: no such path\n"
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPE if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        """Silent: the benchmark reads `paths` instead."""


class SyntheticServer(ThreadingHTTPServer):
    """`with SyntheticServer(api) as server:` serves `api` at `server.url` on a thread."""

    daemon_threads = True

    def __init__(self, api: SyntheticWorldBank) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api = api
        self.paths: list[str] = []  # every GET, for replaying the same pages in the floor
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """Stands for https://api.worldbank.org/v2."""
        return self.origin + "/v2"

    def __enter__(self) -> SyntheticServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join()
