"""The four public APIs the project calls, replayed over real HTTP on 127.0.0.1.

It answers from the recorded real responses bundled in ``data/recordings`` (see its README;
``bilateral demo`` and the tests use it), optionally from invented Comtrade fixtures (the
tests' ``tests/fixtures/comtrade``), and it answers any
query the real API would (any country order or code form, date range, page size, SDMX
key), rebuilding each answer in the exact wire shape instead of replaying files byte for
byte, so a client is never tuned to a handful of URLs.

Tests can change the data (revisions, new years, hostile names) and inject the failures
the real services show (status codes with Retry-After, slow answers, connection resets,
truncated or HTML bodies, World Bank errors with HTTP 200, renamed fields, ...).

Standard library only, so it runs wherever the tests run::

    with FakeAPI() as fake:
        requests.get(fake.worldbank_url + "/country/MEX;RUS/indicator/NY.GDP.MKTP.CD?format=json")
"""

from __future__ import annotations

import copy
import json
import math
import os
import pathlib
import re
import socket
import struct
import sys
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.client import HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from bilateral.paths import data_dir

def recordings_dir() -> pathlib.Path | None:
    """Where the recorded API responses are: $BILATERAL_RECORDINGS, else the bundled data/recordings.

    None when that folder is absent (a package installed without the project's data).
    """
    configured = os.environ.get("BILATERAL_RECORDINGS")
    path = pathlib.Path(configured) if configured else data_dir() / "recordings"
    return path if path.is_dir() else None


@dataclass
class Recorded:
    """One request as the fake received it."""

    method: str
    path: str  # raw, with the query string, as sent (still percent-encoded)
    headers: dict[str, str]  # names as the client spelled them
    time: float  # time.monotonic() on arrival, to check the spacing between calls

    def header(self, name: str) -> str | None:
        """A header by name, case-insensitively (HTTP header names are)."""
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), None)


@dataclass
class Reply:
    """An answer before it is written, so faults can still edit it."""

    status: int
    content_type: str
    payload: Any = None  # a JSON answer, serialised at the last moment
    body: bytes = b""  # the bytes to send when there is no payload
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[dict] | None = None  # the answer's rows (objects inside payload), for "renamed_field"
    rows_are_array: bool = False  # rows is the JSON array itself, so "duplicate_rows" can repeat them
    page: int | None = None  # the World Bank data page, for "total_changes"
    empty: Callable[[], Reply] | None = None  # this API's no-data answer, for "empty_page"

    def encode(self) -> bytes:
        if self.payload is None:
            return self.body
        return json.dumps(self.payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _text(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", body=(message + "\n").encode("utf-8"))


def _first_seen(codes: Iterable[str | None]) -> list[str]:
    """Distinct codes in order of first appearance: how SDMX-JSON lists the values a message uses."""
    return list(dict.fromkeys(code for code in codes if code is not None))


# --------------------------------------------------------------------------- World Bank

WB_INVALID_VALUE = [
    {"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}
]
WB_INDICATOR_NOT_FOUND = [
    {
        "message": [
            {
                "id": "175",
                "key": "Invalid format",
                "value": "The indicator was not found. It may have been deleted or archived.",
            }
        ]
    }
]
WB_FIRST_YEAR = 1960  # WDI series start in 1960: the API has no earlier year to list
WB_DATA_FILE = re.compile(r"(?P<indicator>[A-Z0-9.]+)_[A-Z]{3}(?:-[A-Z]{3})*_\d{4}-\d{4}\.json")


class WorldBank:
    """/country, /country/{codes}, /country/{codes}/indicator/{id}, /indicator/{ids} of API v2."""

    content_type = "application/json;charset=utf-8"

    def __init__(self, folder: pathlib.Path) -> None:
        # The API's own country list, in its order (by ISO3); data rows follow this order.
        self.countries: list[dict] = json.loads((folder / "country_all_per_page_400.json").read_bytes())[1]
        self.by_code = {c["id"]: c for c in self.countries} | {c["iso2Code"]: c for c in self.countries}
        self.meta = {}  # indicator -> its /indicator record
        for path in sorted(folder.glob("indicator_meta_*.json")):
            record = json.loads(path.read_bytes())[1][0]
            self.meta[record["id"]] = record
        self.names = {indicator: record["name"] for indicator, record in self.meta.items()}
        self.decimals: dict[str, int] = {}
        self.sourceid = {indicator: record["source"]["id"] for indicator, record in self.meta.items()}
        self.lastupdated: dict[str, str] = {}  # per indicator: the API states it per response
        self.points: dict[tuple[str, str, int], dict] = {}  # (indicator, iso3, year) -> value, unit, ...
        for path in sorted(folder.glob("*.json")):
            if not WB_DATA_FILE.fullmatch(path.name):
                continue
            envelope, rows = json.loads(path.read_bytes())
            for row in rows:
                indicator = row["indicator"]["id"]
                self.names[indicator] = row["indicator"]["value"]
                self.decimals[indicator] = row["decimal"]
                self.sourceid[indicator] = envelope["sourceid"]
                self.lastupdated[indicator] = max(self.lastupdated.get(indicator, ""), envelope["lastupdated"])
                point = {key: row[key] for key in ("value", "unit", "obs_status", "decimal")}
                self.points[(indicator, row["countryiso3code"], int(row["date"]))] = point
        # An indicator with metadata but no recorded data (ST.INT.ARVL) belongs to the same release.
        self.release = max(self.lastupdated.values())

    def answer(self, parts: list[str], query: dict[str, str]) -> Reply | None:
        if query.get("format", "").lower() != "json":
            return _text(404, "replay: the World Bank fake answers only format=json (the real API sends XML)")
        try:
            per_page, page = int(query.get("per_page", 50)), int(query.get("page", 1))
        except ValueError:
            return self._json(WB_INVALID_VALUE)
        if per_page < 1 or page < 1:
            return self._json(WB_INVALID_VALUE)
        words = [part.lower() for part in parts]
        if words == ["country"]:
            return self._listing(self.countries, page, per_page)
        if len(words) == 2 and words[0] == "country":
            countries = self._resolve(parts[1])
            return self._json(WB_INVALID_VALUE) if countries is None else self._listing(countries, page, per_page)
        if len(words) == 4 and words[0] == "country" and words[2] == "indicator":
            return self._data(parts[1], parts[3].upper(), query.get("date"), page, per_page)
        if len(words) == 2 and words[0] == "indicator":
            ids = parts[1].upper().split(";")
            if not all(i in self.meta for i in ids):
                return self._json(WB_INVALID_VALUE)
            return self._listing([self.meta[i] for i in ids], page, per_page)
        return None

    def set_value(self, indicator: str, iso3: str, year: int, value: float | None, lastupdated: str | None) -> None:
        if indicator not in self.names:
            raise KeyError(f"World Bank fake: unknown indicator {indicator!r}")
        if iso3 not in self.by_code:
            raise KeyError(f"World Bank fake: unknown country {iso3!r}")
        blank = {"value": None, "unit": "", "obs_status": "", "decimal": self.decimals.get(indicator, 0)}
        self.points.setdefault((indicator, self.by_code[iso3]["id"], year), blank)["value"] = value
        if lastupdated is not None:
            self.lastupdated[indicator] = lastupdated

    def set_country_name(self, iso3: str, name: str) -> None:
        self.by_code[iso3]["name"] = name  # the same record serves ISO2 lookups, listings and data rows

    def _json(self, payload: Any, **extra: Any) -> Reply:
        return Reply(200, self.content_type, payload, **extra)

    def _no_data(self, per_page: int) -> Reply:
        # What the API sends when a query matches nothing: not an error, and not zero values.
        envelope = {"page": 0, "pages": 0, "per_page": per_page, "total": 0, "sourceid": None, "lastupdated": None}
        return self._json([envelope, None])

    def _resolve(self, codes: str) -> list[dict] | None:
        """ISO3 or ISO2 codes joined by ';' (any case, any order, or 'all') -> countries in API order."""
        wanted = set()
        for code in codes.upper().split(";"):
            if code == "ALL":
                wanted.update(c["id"] for c in self.countries)
            elif code in self.by_code:
                wanted.add(self.by_code[code]["id"])
            else:
                return None
        return [c for c in self.countries if c["id"] in wanted]

    def _years(self, indicator: str, date: str | None) -> list[int] | None:
        """The years a query covers, newest first, as the API lists them."""
        every = sorted({year for (_, _, year) in self.points})
        known = sorted({year for (i, _, year) in self.points if i == indicator}) or every
        if date is None:
            first, last = known[0], known[-1]
        else:
            start, _, end = date.partition(":")
            try:
                first, last = int(start), int(end or start)
            except ValueError:
                return None
        first, last = max(first, WB_FIRST_YEAR), min(last, every[-1])
        return list(range(last, first - 1, -1))

    def _row(self, indicator: str, country: dict, year: int) -> dict:
        row = {
            "indicator": {"id": indicator, "value": self.names[indicator]},
            "country": {"id": country["iso2Code"], "value": country["name"]},
            "countryiso3code": country["id"],
            "date": str(year),
            "value": None,  # the API lists every year of the range, null where it has no value
            "unit": "",
            "obs_status": "",
            "decimal": self.decimals.get(indicator, 0),
        }
        row.update(self.points.get((indicator, country["id"], year), {}))
        return row

    def _data(self, codes: str, indicator: str, date: str | None, page: int, per_page: int) -> Reply:
        if indicator not in self.names:
            return self._json(WB_INDICATOR_NOT_FOUND)
        countries = self._resolve(codes)
        years = self._years(indicator, date)
        if countries is None or years is None:
            return self._json(WB_INVALID_VALUE)
        cells = [(country, year) for country in countries for year in years]
        if not cells:
            return self._no_data(per_page)
        rows = [self._row(indicator, c, y) for c, y in cells[(page - 1) * per_page : page * per_page]]
        envelope = {
            "page": page,
            "pages": math.ceil(len(cells) / per_page),
            "per_page": per_page,
            "total": len(cells),
            "sourceid": self.sourceid[indicator],
            "lastupdated": self.lastupdated.get(indicator, self.release),
        }
        return self._json(
            [envelope, rows], rows=rows, rows_are_array=True, page=page, empty=lambda: self._no_data(per_page)
        )

    def _listing(self, records: list[dict], page: int, per_page: int) -> Reply:
        # Metadata answers carry per_page as a string and no sourceid/lastupdated, as recorded.
        rows = [dict(record) for record in records[(page - 1) * per_page : page * per_page]]
        pages = math.ceil(len(records) / per_page)
        envelope = {"page": page, "pages": pages, "per_page": str(per_page), "total": len(records)}
        return self._json([envelope, rows], rows=rows, rows_are_array=True, empty=lambda: self._no_data(per_page))


# --------------------------------------------------------------------------- IMF DataMapper


class DataMapper:
    """/{IND} and /{IND}/{ISO3}/{ISO3}... of the IMF DataMapper API v1 (WEO)."""

    content_type = "application/json"
    api = {"version": "1", "output-method": "json"}

    def __init__(self, folder: pathlib.Path) -> None:
        # /indicators: the metadata that names the WEO edition (served verbatim until a test edits it)
        self.meta_bytes = (folder / "meta" / "indicators.json").read_bytes()
        self.meta: dict | None = None
        self.values: dict[str, dict[str, dict[str, Any]]] = {}  # indicator -> ISO3 -> year -> value
        # The all-economies files first, so a query without countries lists them in recorded order.
        for path in sorted(folder.glob("*.json"), key=lambda p: (not p.stem.endswith("_all"), p.name)):
            for indicator, by_country in json.loads(path.read_bytes())["values"].items():
                for iso3, years in by_country.items():
                    self.values.setdefault(indicator, {}).setdefault(iso3, {}).update(years)

    def answer(self, parts: list[str], query: dict[str, str]) -> Reply | None:
        if not parts:
            return None
        if parts == ["indicators"]:
            if self.meta is None:
                return Reply(200, self.content_type, body=self.meta_bytes)
            return Reply(200, self.content_type, self.meta, rows=list(self.meta["indicators"].values()))
        indicator, countries = parts[0], parts[1:]
        by_country = self.values.get(indicator, {})
        periods = set(query["periods"].split(",")) if query.get("periods") else None
        found = {}
        for iso3 in countries or list(by_country):
            years = {y: v for y, v in sorted(by_country.get(iso3, {}).items()) if periods is None or y in periods}
            if years:  # the API leaves out countries it has no values for
                found[iso3] = years
        if not found:
            return self._empty()
        payload = {"values": {indicator: found}, "api": dict(self.api)}
        # No row array here: "renamed_field" acts on the top-level object ("values" -> ...).
        return Reply(200, self.content_type, payload, rows=[payload], empty=self._empty)

    def set_value(self, indicator: str, iso3: str, year: int, value: float | str | None) -> None:
        years = self.values.setdefault(indicator, {}).setdefault(iso3, {})
        if value is None:
            years.pop(str(year), None)  # the API lists only years that have a value
        else:
            years[str(year)] = value  # numbers, or the string "n/a" the API also sends

    def set_indicator_meta(self, **fields: Any) -> None:
        """Set fields ("source", "last-modified", ...) of every indicator in the /indicators answer."""
        self.meta = self.meta or json.loads(self.meta_bytes)
        for record in self.meta["indicators"].values():
            record.update(fields)

    def _empty(self) -> Reply:
        # Inferred: no recording of an answer without values exists.
        return Reply(200, self.content_type, {"values": {}, "api": dict(self.api)})


# --------------------------------------------------------------------------- IMF SDMX 3.0 (IMTS)


def _sdmx_number(value: float) -> str:
    """OBS_VALUE as the API writes it: a string, whole dollars without a decimal point."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _decode_attributes(definitions: list[dict], indices: list[int | None]) -> dict[str, str | None]:
    return {d["id"]: None if i is None else d["values"][i]["id"] for d, i in zip(definitions, indices)}


class ImfSdmx:
    """/data/dataflow/IMF.STA/IMTS/{version}/{KEY} and /structure/dataflow/{agency}/IMTS/{version}."""

    data_type = "application/json"  # what the recorded requests (Accept: application/json) got
    structure_type = "application/vnd.sdmx.structure+json;version=2.0.0"
    versions = {"+", "~", "1.0.0"}  # latest stable, latest, explicit
    recording = "IMTS_MEX+RUS.XG_FOB_USD+MG_CIF_USD.RUS+MEX.A.json"  # the superset of the other IMTS files

    def __init__(self, folder: pathlib.Path) -> None:
        self.structure_bytes = (folder / "structure_dataflow_IMF.STA_IMTS.json").read_bytes()
        self.template = json.loads((folder / self.recording).read_bytes())
        structure = self.template["data"]["structures"][0]
        dimensions = structure["dimensions"]["series"]
        self.attribute_defs = structure["attributes"]  # dimensionGroup / series / observation
        # The DSD order, which is also the order of the slots of a request KEY.
        self.dimensions = [d["id"] for d in sorted(dimensions, key=lambda d: d["keyPosition"])]
        self.dimension_order: list[str] | None = None  # emit the answer's dimensions in another order
        self.time_slots = len(structure["dimensions"]["observation"])
        measures = len(structure["measures"]["observation"])
        periods = [v["value"] for v in structure["dimensions"]["observation"][0]["values"]]
        dataset = self.template["data"]["dataSets"][0]

        def codes(key: str) -> dict[str, str]:
            # A series key holds value indices in the order of the "series" dimension array.
            indices = enumerate(key.split(":"))
            return {dimensions[i]["id"]: dimensions[i]["values"][int(k)]["id"] for i, k in indices if k}

        # (codes in DSD order) -> series attributes and {period: (measures, observation attributes)}
        self.series: dict[tuple[str, ...], dict] = {}
        for key, series in dataset["series"].items():
            by_dimension = codes(key)
            self.series[tuple(by_dimension[d] for d in self.dimensions)] = {
                "attributes": _decode_attributes(self.attribute_defs["series"], series["attributes"]),
                "observations": {
                    periods[int(i)]: (
                        obs[:measures],
                        _decode_attributes(self.attribute_defs["observation"], obs[measures:]),
                    )
                    for i, obs in series["observations"].items()
                },
            }
        # ((dimension, code), ...) -> attributes attached to that partial key (e.g. INDICATOR only)
        self.groups = {
            tuple(codes(key).items()): _decode_attributes(self.attribute_defs["dimensionGroup"], values)
            for key, values in dataset.get("dimensionGroupAttributes", {}).items()
        }

    def answer(self, parts: list[str], query: dict[str, str]) -> Reply | None:
        if parts[:4] == ["data", "dataflow", "IMF.STA", "IMTS"] and len(parts) in (5, 6) and parts[4] in self.versions:
            return self._data(parts[5] if len(parts) == 6 else "*")  # the query string is ignored
        if (
            len(parts) == 5
            and parts[:2] == ["structure", "dataflow"]
            and parts[2] in {"IMF.STA", "all", "*"}
            and parts[3] == "IMTS"
            and parts[4] in self.versions
        ):
            return Reply(200, self.structure_type, body=self.structure_bytes)
        return None

    def set_value(self, country: str, indicator: str, counterpart: str, year: int, value: float | None) -> None:
        codes = {"COUNTRY": country, "INDICATOR": indicator, "COUNTERPART_COUNTRY": counterpart, "FREQUENCY": "A"}
        key = tuple(codes[d] for d in self.dimensions)
        period = str(year)
        if value is None:  # the API lists only observations that exist
            observations = self.series.get(key, {}).get("observations", {})
            observations.pop(period, None)
            if key in self.series and not observations:
                del self.series[key]
            return
        # A new series or observation borrows the attributes of its siblings (same indicator).
        siblings = [s for k, s in self.series.items() if k[self.dimensions.index("INDICATOR")] == indicator]
        series = self.series.get(key) or {
            "attributes": dict(siblings[0]["attributes"]) if siblings else dict.fromkeys(self._attribute_ids("series")),
            "observations": {},
        }
        self.series[key] = series
        model = next((obs for s in [series, *siblings] for obs in s["observations"].values()), None)
        attributes = dict(model[1]) if model else dict.fromkeys(self._attribute_ids("observation"))
        series["observations"][period] = ([_sdmx_number(value)], attributes)

    def _attribute_ids(self, level: str) -> list[str]:
        return [d["id"] for d in self.attribute_defs.get(level, [])]

    def _error(self, status: int, title: str) -> Reply:
        # Inferred, not recorded: SDMX REST answers "no results" with HTTP 404 (SDMX error code 100);
        # the body shape of api.imf.org is a guess, so clients should rely on the status only.
        return Reply(status, self.data_type, {"errors": [{"code": status, "title": title}]})

    def _data(self, key: str) -> Reply:
        slots = [""] * len(self.dimensions) if key in {"*", "all"} else key.split(".")
        if len(slots) != len(self.dimensions):
            return self._error(400, "Invalid key: expected " + ".".join(self.dimensions))
        wanted = [None if slot in {"", "*"} else set(slot.split("+")) for slot in slots]
        keys = [k for k in self.series if all(w is None or code in w for w, code in zip(wanted, k))]
        if not keys:
            return self._error(404, "No results found")
        payload = self._message(keys)
        rows = list(payload["data"]["dataSets"][0]["series"].values())
        return Reply(200, self.data_type, payload, rows=rows, empty=self._no_series)

    def _no_series(self) -> Reply:
        return Reply(200, self.data_type, self._message([]))

    def _message(self, keys: list[tuple[str, ...]]) -> dict:
        """A fresh SDMX-JSON 2.0 data message for these series, in the recorded message's layout."""
        order = self.dimension_order or self.dimensions
        position = {d: i for i, d in enumerate(self.dimensions)}
        chosen = [self.series[k] for k in keys]
        values = {d: _first_seen(k[position[d]] for k in keys) for d in self.dimensions}
        periods = sorted({p for s in chosen for p in s["observations"]})
        observations = [obs for s in chosen for _, obs in sorted(s["observations"].items())]
        groups = [
            (dict(pairs), attributes)
            for pairs, attributes in self.groups.items()
            if any(all(k[position[d]] == code for d, code in pairs) for k in keys)
        ]
        # Each attribute lists only the codes this message uses, in order of first use.
        used = {
            "series": {a: _first_seen(s["attributes"][a] for s in chosen) for a in self._attribute_ids("series")},
            "observation": {
                a: _first_seen(attrs[a] for _, attrs in observations) for a in self._attribute_ids("observation")
            },
            "dimensionGroup": {
                a: _first_seen(attrs[a] for _, attrs in groups) for a in self._attribute_ids("dimensionGroup")
            },
        }

        def indices(level: str, attributes: dict[str, str | None]) -> list[int | None]:
            return [None if attributes[a] is None else used[level][a].index(attributes[a]) for a in used[level]]

        series_out = {}
        for k, series in zip(keys, chosen):
            series_key = ":".join(str(values[d].index(k[position[d]])) for d in order)
            series_out[series_key] = {
                "attributes": indices("series", series["attributes"]),
                "observations": {
                    str(periods.index(p)): [*measures, *indices("observation", attrs)]
                    for p, (measures, attrs) in sorted(series["observations"].items())
                },
            }
        # A group key has a slot for every dimension, the observation (time) dimension included.
        groups_out = {
            ":".join([str(values[d].index(pairs[d])) if d in pairs else "" for d in order] + [""] * self.time_slots):
            indices("dimensionGroup", attrs)
            for pairs, attrs in groups
        }

        message = copy.deepcopy(self.template)
        dataset = message["data"]["dataSets"][0]
        dataset["series"], dataset["dimensionGroupAttributes"] = series_out, groups_out
        structure = message["data"]["structures"][0]
        # keyPosition stays the DSD position; the array order defines the series key positions.
        by_id = {d["id"]: d for d in structure["dimensions"]["series"]}
        structure["dimensions"]["series"] = [{**by_id[d], "values": [{"id": c} for c in values[d]]} for d in order]
        structure["dimensions"]["observation"][0]["values"] = [{"value": p} for p in periods]
        for level in used:
            for definition in structure["attributes"].get(level, []):
                definition["values"] = [{"id": c} for c in used[level][definition["id"]]]
        return message


# --------------------------------------------------------------------------- UN Comtrade


class Comtrade:
    """/public/v1/preview/C/A/HS (no key, at most 500 records) and /data/v1/get/C/A/HS (key required),
    and their data availability endpoints, /public/v1/getDA/C/A/HS and /data/v1/getDA/C/A/HS.

    Availability records are synthetic (none was recorded): the documented fields of the API's
    getDA answer, one record per reporter and period of the rows served, whose checksum and
    record count follow those rows, so a changed row moves them as a new release would.
    """

    content_type = "application/json"
    preview_path = ["public", "v1", "preview", "C", "A", "HS"]
    full_path = ["data", "v1", "get", "C", "A", "HS"]
    availability_paths = (["public", "v1", "getDA", "C", "A", "HS"], ["data", "v1", "getDA", "C", "A", "HS"])
    released = "2024-03-18T10:41:02"  # when the synthetic records say the rows were last released
    full_limit = 250_000  # records per call on the subscription endpoint
    missing_key = {
        "statusCode": 401,
        "message": "Access denied due to missing subscription key. "
        "Make sure to include subscription key when making requests to an API.",
    }
    # query parameter (lower case: the API is lenient about case) -> row field it filters
    filters = {
        "reportercode": "reporterCode",
        "partnercode": "partnerCode",
        "partner2code": "partner2Code",
        "period": "period",
        "flowcode": "flowCode",
        "customscode": "customsCode",
        "motcode": "motCode",
    }

    def __init__(self, folder: pathlib.Path | None) -> None:
        # no Mexico-Russia Comtrade answer is recorded: rows come only from a folder of invented fixtures
        files = sorted(folder.glob("*.json")) if folder else []
        self.rows = [row for path in files for row in json.loads(path.read_bytes())["data"]]
        self.preview_limit = 500
        self.names: dict[str, str] = {}  # ISO3 -> a name that replaces reporterDesc / partnerDesc

    def answer(self, parts: list[str], query: dict[str, str], headers: HTTPMessage) -> Reply | None:
        if parts in self.availability_paths:
            return self._availability({name.lower(): value for name, value in query.items()})
        preview = parts == self.preview_path
        if not preview and parts != self.full_path:
            return None
        # Azure API Management takes the key as a header or as the subscription-key parameter.
        if not preview and not (headers.get("Ocp-Apim-Subscription-Key") or query.get("subscription-key")):
            return Reply(401, self.content_type, dict(self.missing_key))
        params = {name.lower(): value for name, value in query.items()}
        # Without a period the preview answers the latest year it has; it takes one period only.
        params.setdefault("period", max((row["period"] for row in self.rows), default=2021))
        if preview and "," in params["period"]:
            return self._error("Preview accepts a single period")  # HTTP 400 observed; body inferred
        try:
            limit = min(int(params.get("maxrecords", sys.maxsize)), self.preview_limit if preview else self.full_limit)
        except ValueError:
            return self._error("maxRecords must be a number")
        rows = [self._named(row) for row in self.rows if self._matches(row, params)][:limit]
        return self._reply(rows)

    def _matches(self, row: dict, params: dict[str, str]) -> bool:
        for param, name in self.filters.items():
            if param in params and str(row[name]).upper() not in {v.strip().upper() for v in params[param].split(",")}:
                return False
        if "cmdcode" in params:
            wanted = {v.strip().upper() for v in params["cmdcode"].split(",")}
            # AG2 = every HS chapter (aggregation level 2); ALL = every code
            return bool(wanted & {row["cmdCode"], f"AG{row['aggrLevel']}", "ALL"})
        return True

    def _availability(self, params: dict[str, str]) -> Reply:
        years: dict[tuple[int, str], list[dict]] = {}
        for row in self.rows:
            if self._matches(row, {key: value for key, value in params.items() if key in ("reportercode", "period")}):
                years.setdefault((row["reporterCode"], str(row["period"])), []).append(row)
        records = [
            {
                "datasetCode": int(f"{reporter}{period}"), "typeCode": "C", "freqCode": "A", "period": period,
                "reporterCode": reporter, "reporterISO": rows[0]["reporterISO"], "reporterDesc": rows[0]["reporterDesc"],
                "classificationCode": rows[0]["classificationCode"], "classificationSearchCode": "HS",
                "isOriginalClassification": True, "totalRecords": len(rows),
                "datasetChecksum": zlib.crc32(json.dumps(rows, sort_keys=True).encode()),
                "firstReleased": self.released, "lastReleased": self.released,
            }
            for (reporter, period), rows in sorted(years.items())
        ]
        return Reply(200, self.content_type, {"elapsedTime": "0.01 secs", "count": len(records), "data": records, "error": ""})

    def _named(self, row: dict) -> dict:
        row = dict(row)
        for side in ("reporter", "partner"):
            row[f"{side}Desc"] = self.names.get(row[f"{side}ISO"], row[f"{side}Desc"])
        return row

    def _reply(self, rows: list[dict]) -> Reply:
        payload = {"elapsedTime": "0.01 secs", "count": len(rows), "data": rows, "error": ""}
        return Reply(200, self.content_type, payload, rows=rows, rows_are_array=True, empty=lambda: self._reply([]))

    def _error(self, message: str) -> Reply:
        return Reply(400, self.content_type, {"elapsedTime": "0.00 secs", "count": 0, "data": [], "error": message})


# --------------------------------------------------------------------------- faults

# kind -> (required options, optional options)
FAULTS: dict[str, tuple[set[str], set[str]]] = {
    "status": ({"status"}, {"retry_after"}),
    "slow": ({"seconds"}, set()),
    "reset": (set(), set()),
    "truncated": (set(), set()),
    "html": (set(), set()),
    "wb_error": (set(), set()),
    "empty_body": (set(), set()),
    "empty_page": (set(), set()),
    "renamed_field": ({"old", "new"}, set()),
    "total_changes": (set(), set()),
    "duplicate_rows": (set(), set()),
    "bom": (set(), set()),
}
OUTAGE_HTML = (
    b"<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>"
    b"<body><h1>Service temporarily unavailable</h1>"
    b"<p>The site is down for maintenance. Please try again later.</p></body></html>\n"
)
BOM = b"\xef\xbb\xbf"


@dataclass
class _Fault:
    kind: str
    path_contains: str | re.Pattern | None
    remaining: int
    options: dict[str, Any]

    def applies_to(self, path: str, reply: Reply) -> bool:
        if isinstance(self.path_contains, re.Pattern):
            if not self.path_contains.search(path):
                return False
        elif self.path_contains is not None and self.path_contains not in path:
            return False
        # A fault that edits content waits for an answer that has that content.
        match self.kind:
            case "renamed_field":
                return reply.rows is not None
            case "duplicate_rows":
                return reply.rows_are_array
            case "total_changes":
                return reply.page is not None and reply.page >= 2
            case "empty_page":
                return reply.empty is not None
        return True

    def edit(self, reply: Reply) -> Reply:
        """The reply this fault sends instead (the transport faults act later, in FakeAPI._write)."""
        match self.kind:
            case "status":
                status = self.options["status"]
                faulty = _text(status, f"{status} {HTTPStatus(status).phrase}")
                if self.options.get("retry_after") is not None:
                    faulty.headers["Retry-After"] = str(self.options["retry_after"])
                return faulty
            case "html":
                return Reply(200, "text/html; charset=utf-8", body=OUTAGE_HTML)
            case "wb_error":
                return Reply(200, WorldBank.content_type, WB_INVALID_VALUE)
            case "empty_body":
                return Reply(200, reply.content_type)
            case "empty_page":
                return reply.empty()
            case "renamed_field":
                old, new = self.options["old"], self.options["new"]
                for row in reply.rows:
                    renamed = {(new if key == old else key): value for key, value in row.items()}
                    row.clear()
                    row.update(renamed)
            case "duplicate_rows":
                reply.rows[:] = [row for row in reply.rows for _ in range(2)]
            case "total_changes":
                # As if the data grew between page 1 and this page: one more page announced.
                envelope = reply.payload[0]
                envelope["total"] += envelope["per_page"]
                envelope["pages"] = math.ceil(envelope["total"] / envelope["per_page"])
        return reply


# --------------------------------------------------------------------------- server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real services
    disable_nagle_algorithm = True  # else each reused connection waits ~40 ms for a delayed ACK (FACTS.md)
    fake: FakeAPI

    def setup(self) -> None:
        super().setup()
        self.fake._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.fake._closed(self.connection)

    def do_GET(self) -> None:
        self.fake._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: tests read FakeAPI.requests instead."""


class FakeAPI:
    """The World Bank, IMF DataMapper, IMF SDMX 3.0 and UN Comtrade APIs on one local port.

    Point the clients at ``worldbank_url``, ``datamapper_url``, ``sdmx_url`` and ``comtrade_url``.
    Paths nobody recorded answer 404 with a short text, so a test notices unexpected calls.
    """

    def __init__(self, recordings: pathlib.Path | None = None, fixtures: pathlib.Path | None = None) -> None:
        """`fixtures`: a folder whose comtrade/ holds invented Comtrade answers; None serves the recordings alone."""
        found = recordings or recordings_dir()
        if found is None:
            raise FileNotFoundError("replay: no API recordings; set BILATERAL_RECORDINGS or restore data/recordings")
        self.recordings = pathlib.Path(found)
        self.fixtures = pathlib.Path(fixtures) if fixtures else None
        self.requests: list[Recorded] = []
        self._lock = threading.RLock()  # handler threads and the test thread share the stores
        self._faults: list[_Fault] = []
        self._connections: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._load()

    # ----- lifecycle

    def start(self) -> FakeAPI:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="replay", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        # Close kept-alive connections too, so a stopped fake really is unreachable.
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Back to the recorded data and default options; no faults, empty request log."""
        with self._lock:
            self._load()
            self._faults.clear()
            self.requests.clear()

    # ----- addresses

    @property
    def base(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeAPI is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def worldbank_url(self) -> str:  # stands for https://api.worldbank.org/v2
        return self.base + "/worldbank/v2"

    @property
    def datamapper_url(self) -> str:  # https://www.imf.org/external/datamapper/api/v1
        return self.base + "/datamapper/api/v1"

    @property
    def sdmx_url(self) -> str:  # https://api.imf.org/external/sdmx/3.0
        return self.base + "/sdmx/3.0"

    @property
    def comtrade_url(self) -> str:  # https://comtradeapi.un.org
        return self.base + "/comtrade"

    # ----- options

    @property
    def sdmx_dimension_order(self) -> list[str] | None:
        """Emit SDMX series dimensions in this order (a permutation of the DSD's), to test generic parsers."""
        return self._sdmx.dimension_order

    @sdmx_dimension_order.setter
    def sdmx_dimension_order(self, order: list[str] | None) -> None:
        if order is not None and sorted(order) != sorted(self._sdmx.dimensions):
            raise ValueError(f"sdmx_dimension_order must order {self._sdmx.dimensions}, got {order}")
        self._sdmx.dimension_order = None if order is None else list(order)

    @property
    def comtrade_preview_limit(self) -> int:
        """Most records the Comtrade preview returns (500, as the real one); lower it to test the cap."""
        return self._comtrade.preview_limit

    @comtrade_preview_limit.setter
    def comtrade_preview_limit(self, limit: int) -> None:
        self._comtrade.preview_limit = limit

    # ----- data changes

    def set_worldbank_value(
        self, indicator: str, iso3: str, year: int, value: float | None, lastupdated: str | None = None
    ) -> None:
        """Revise or add a value (None: null); a year beyond the data extends the default range."""
        with self._lock:
            self._worldbank.set_value(indicator, iso3, year, value, lastupdated)

    def set_datamapper_value(self, indicator: str, iso3: str, year: int, value: float | str | None) -> None:
        """Revise or add a value, "n/a" included; None removes the year, as the API omits it."""
        with self._lock:
            self._datamapper.set_value(indicator, iso3, year, value)

    def serve_recordings_only(self) -> None:
        """Until reset, answer only from the real recordings: Comtrade, which has no Mexico-Russia
        recording, answers with its empty result instead of the invented fixture rows."""
        with self._lock:
            self._comtrade.rows = []

    def set_comtrade_value(self, reporter: str, partner: str, period: int, flow: str, chapter: str, value: float) -> None:
        """Revise the primaryValue of one Comtrade row (ISO3 codes), as a new release would, until reset."""
        with self._lock:
            self._comtrade.rows = [
                {**row, "primaryValue": value}
                if (row["reporterISO"], row["partnerISO"], str(row["period"]), row["flowCode"], row["cmdCode"])
                == (reporter, partner, str(period), flow, chapter) else row
                for row in self._comtrade.rows
            ]

    def add_comtrade_rows(self, rows: list[dict]) -> None:
        """Answer these Comtrade rows too (whole rows in the wire shape), until reset."""
        with self._lock:
            self._comtrade.rows.extend(rows)

    def set_weo_edition(self, source: str, last_modified: str) -> None:
        """What /indicators says of every indicator: its "source" (the edition) and "last-modified"."""
        with self._lock:
            self._datamapper.set_indicator_meta(**{"source": source, "last-modified": last_modified})

    def set_imts_value(self, country: str, indicator: str, counterpart: str, year: int, value: float | None) -> None:
        """Revise or add an annual IMTS observation (served as a string); None removes it."""
        with self._lock:
            self._sdmx.set_value(country, indicator, counterpart, year, value)

    def set_country_name(self, iso3: str, name: str) -> None:
        """Rename a country in World Bank answers and in Comtrade reporter/partner descriptions."""
        with self._lock:
            self._worldbank.set_country_name(iso3, name)
            self._comtrade.names[iso3] = name

    # ----- faults

    def fail(self, kind: str, path_contains: str | re.Pattern | None = None, times: int = 1, **options: Any) -> None:
        """Make the next `times` requests whose raw path contains `path_contains` (a regex: matches; None: any) fail.

        kinds and options:
          status (status, retry_after=None)  that status, a short text body, Retry-After if given
          slow (seconds)       sleep, then answer normally
          reset                full Content-Length, half the body, then a TCP reset
          truncated            200, the JSON cut in half, Content-Length of the cut body
          html                 200 text/html outage page
          wb_error             200 with the World Bank "invalid value" error payload
          empty_body           200 with no bytes
          empty_page           the API's own no-data answer
          renamed_field (old, new)  rename a key in every row: World Bank and Comtrade rows,
                               SDMX series objects, the DataMapper top-level object
          total_changes        World Bank pages >= 2 announce one more page than page 1 did
          duplicate_rows       every World Bank / Comtrade row twice
          bom                  the real body behind a UTF-8 byte-order mark
        A content fault waits for a request whose answer has that content (rows, page >= 2).
        Faults are consumed in the order they were added.
        """
        if kind not in FAULTS:
            raise ValueError(f"replay: unknown fault {kind!r}; known: {', '.join(FAULTS)}")
        required, optional = FAULTS[kind]
        if not required <= options.keys() <= required | optional:
            raise TypeError(f"replay: fault {kind!r} takes {sorted(required | optional)}, got {sorted(options)}")
        if times < 1:
            raise ValueError("replay: times must be at least 1")
        with self._lock:
            self._faults.append(_Fault(kind, path_contains, times, options))

    # ----- internals

    def _load(self) -> None:
        self._worldbank = WorldBank(self.recordings / "worldbank")
        self._datamapper = DataMapper(self.recordings / "imf_datamapper")
        self._sdmx = ImfSdmx(self.recordings / "imf_sdmx3")
        self._comtrade = Comtrade(self.fixtures / "comtrade" if self.fixtures else None)

    def _opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def _answer(self, parts: list[str], query: dict[str, str], headers: HTTPMessage) -> Reply | None:
        routes = (
            (["worldbank", "v2"], lambda rest: self._worldbank.answer(rest, query)),
            (["datamapper", "api", "v1"], lambda rest: self._datamapper.answer(rest, query)),
            (["sdmx", "3.0"], lambda rest: self._sdmx.answer(rest, query)),
            (["comtrade"], lambda rest: self._comtrade.answer(rest, query, headers)),
        )
        for prefix, answer in routes:
            if parts[: len(prefix)] == prefix:
                return answer(parts[len(prefix) :])
        return None

    def _take_fault(self, path: str, reply: Reply) -> _Fault | None:
        for fault in self._faults:
            if fault.applies_to(path, reply):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        raw_path = handler.path
        with self._lock:
            self.requests.append(Recorded(handler.command, raw_path, dict(handler.headers.items()), time.monotonic()))
        if length := int(handler.headers.get("Content-Length") or 0):
            handler.rfile.read(length)  # keep the connection in step even if a GET carries a body
        split = urlsplit(raw_path)
        parts = [part for part in unquote(split.path).split("/") if part]  # %3B -> ;  %2B -> +
        query = {name: values[-1] for name, values in parse_qs(split.query, keep_blank_values=True).items()}
        with self._lock:
            try:
                reply = self._answer(parts, query, handler.headers)
            except Exception:  # a bug in the fake: show it to the test rather than hang up
                traceback.print_exc()
                reply = _text(500, "replay: internal error\n" + traceback.format_exc())
            if reply is None:
                reply = _text(404, f"replay: nothing recorded answers GET {split.path}")
            fault = self._take_fault(raw_path, reply)
            if fault is not None:
                reply = fault.edit(reply)
            body = reply.encode()
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.options["seconds"])
        try:
            self._write(handler, reply, body, fault.kind if fault else None)
        except OSError:  # the client went away (e.g. its timeout fired during a slow answer)
            handler.close_connection = True

    @staticmethod
    def _write(handler: BaseHTTPRequestHandler, reply: Reply, body: bytes, fault: str | None) -> None:
        if fault == "bom":
            body = BOM + body
        declared = len(body)
        if fault in {"truncated", "reset"}:
            body = body[: len(body) // 2]
            if fault == "truncated":
                declared = len(body)  # a complete HTTP message whose JSON is cut
        handler.send_response(reply.status)
        handler.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        handler.wfile.write(body)
        if fault == "reset":
            # Abortive close: SO_LINGER 0 makes close() send RST, with half the promised body sent.
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.close_connection = True
            handler.rfile.close()
            handler.connection.close()
