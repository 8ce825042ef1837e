"""One module per API, each with the same small interface.

    requests_for(config) -> list[Request]       what to ask for, metadata first
    fetch(client, request) -> Iterator[Response] the answers (several pages for paged APIs)
    parse(request, body, url, fetched_at, facts) -> Parsed   bytes -> the one long observation shape
    headers(source_config) -> dict             extra request headers (keys, Accept)
    probe_for(request) -> Request | None       the cheapest question that says whether a series changed
    stamp_of(request, probe_body, facts) -> str | None   the series' change stamp (None: cannot tell)

and, where a source's data comes in many pages, optionally

    parse_landed(pages, facts) -> list[Parsed | None]   what `parse` gives for each page, read
                                                 together from the landed files; None leaves a page to `parse`

so the refresh treats them alike. A request is of one of three kinds: `data` (values),
`metadata` (what the publisher says about its release: edition, update stamp; read on
every run, before the data, and handed to the data answers' parse as `facts`) and
`labels` (names of countries and indicators). Metadata and labels are best effort:
when they fail, the values still load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

import datetime as dt
import re
from pathlib import Path

import msgspec
import pandas as pd

from bilateral.errors import SchemaDriftError, SourceError
from bilateral.http import BrokenBody, Response

OBSERVATION_COLUMNS = [
    "source",
    "dataset",
    "indicator",
    "ref_area",
    "counterpart_area",
    "period",
    "value",
    "unit",
    "obs_status",
    "is_forecast",
    "source_updated",
]
LABEL_COLUMNS = ["source", "kind", "code", "name", "unit", "note"]


@dataclass(frozen=True)
class Request:
    source: str
    kind: str  # "data" or "labels"
    url: str
    params: dict = field(default_factory=dict, hash=False)
    context: dict = field(default_factory=dict, hash=False)

    @property
    def series(self) -> str:
        """The series a data request asks for: its URL and parameters, pages aside."""
        asked = "&".join(f"{key}={value}" for key, value in sorted(self.params.items()) if key != "page")
        return f"{self.url}?{asked}" if asked else self.url

    @property
    def label(self) -> str:
        """A short name for logs: the last path segments."""
        return "/".join(self.url.split("/")[-2:])


@dataclass(frozen=True)
class Page:
    """A data answer whose bytes have landed: `path` is the landed file."""

    request: Request
    response: Response
    path: Path


@dataclass
class Parsed:
    observations: pd.DataFrame
    labels: pd.DataFrame
    facts: dict = field(default_factory=dict)  # from a metadata answer: e.g. {"edition": {"NGDPD": "2025-10"}}
    published: dt.date | None = None  # the publisher's own update stamp carried by this answer
    problems: list[str] = field(default_factory=list)  # what was wrong but not fatal, one line each


def observations_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)
    # is_forecast is unknown (NA) for values whose publisher named no edition
    return frame.astype({"value": "float64", "is_forecast": "boolean"})


def labels_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=LABEL_COLUMNS)


def parsed(observations: list[dict] | None = None, labels: list[dict] | None = None, **details) -> Parsed:
    return Parsed(observations_frame(observations or []), labels_frame(labels or []), **details)


STAMP_MAX_CHARS = 32  # "2025-10-14T00:00:00.000000+00:00" is the longest form a date stamp takes
_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def publisher_date(raw, source: str, url: str, field_name: str, fetched_at: dt.datetime) -> tuple[dt.date | None, str | None]:
    """A publisher's update stamp as a date, or (None, the reason) when it is not one.

    A stamp that is not a date, lies in the future or is longer than a date string is
    never stored: the values it came with still load, and the reason becomes a data
    quality flag quoting at most 40 characters of what was sent.
    """
    if raw is None or raw == "":
        return None, None
    text = raw if isinstance(raw, str) else repr(raw)
    match = _STAMP.fullmatch(text.strip()) if len(text) <= STAMP_MAX_CHARS else None
    try:
        stamp = dt.date(*(int(part) for part in match.groups())) if match else None
    except ValueError:  # 2025-02-30
        stamp = None
    if stamp is None:
        return None, f"{source}: {url}: {field_name} is not a date: {quoted(text)}"
    if stamp > fetched_at.date() + dt.timedelta(days=1):  # a day's grace for time zones
        return None, f"{source}: {url}: {field_name} {stamp} lies after the fetch ({fetched_at:%Y-%m-%d})"
    return stamp, None


def quoted(text: str, limit: int = 40) -> str:
    """At most `limit` characters of what a server sent, on one line, for messages."""
    flat = " ".join(str(text).split())
    return repr(flat[:limit] + ("…" if len(flat) > limit else ""))


def bounded(text: str | None, limit: int = 120) -> str | None:
    """A name from a server, cut to a length a page can hold."""
    if text is None:
        return None
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


BYTE_ORDER_MARK = b"\xef\xbb\xbf"
_VALIDATOR = msgspec.json.Decoder(msgspec.Raw)  # checks the syntax of the whole body and builds no objects


def check_json(body: bytes) -> None:
    """Reject bodies worth asking for again: empty, cut short, or an HTML outage page.

    Only the syntax is checked: the parse reads the values, and a source that reads its
    pages together never builds a Python object per value.
    """
    text = body.removeprefix(BYTE_ORDER_MARK).strip()
    if not text:
        raise BrokenBody("empty body")
    if text[:1] == b"<":
        raise BrokenBody("an HTML page instead of JSON (an outage or a proxy page)")
    try:
        _VALIDATOR.decode(text)
    except msgspec.DecodeError as error:
        raise BrokenBody(f"body is not whole JSON ({_reason(error)})") from None


def decode_json(source: str, url: str, body: bytes):
    """JSON of a body; a byte-order mark is allowed (the World Bank sends one at times). Strict: no NaN literals."""
    try:
        return msgspec.json.decode(body.removeprefix(BYTE_ORDER_MARK))
    except msgspec.DecodeError as error:
        raise SourceError(f"{source}: {url}: body is not JSON: {_reason(error)}") from None


def _reason(error: msgspec.DecodeError) -> str:
    return str(error).removeprefix("JSON is malformed: ")


def require(value: dict, field_name: str, source: str, url: str, where: str = ""):
    """value[field_name], or a SchemaDriftError that names the field and the place."""
    if not isinstance(value, dict) or field_name not in value:
        place = f" in {where}" if where else ""
        raise SchemaDriftError(f"{source}: {url}: field '{field_name}' missing{place}")
    return value[field_name]


def number(raw, source: str, url: str, where: str) -> float | None:
    """A value as float; None for the sources' ways of saying 'no value' (null, "", "n/a")."""
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", "n/a", "na", "..", "--")):
        return None
    if isinstance(raw, bool):
        raise SchemaDriftError(f"{source}: {url}: {where}: expected a number, found {raw!r}")
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise SchemaDriftError(f"{source}: {url}: {where}: expected a number, found {raw!r}") from None


def registry() -> dict[str, ModuleType]:
    from bilateral.sources import comtrade, imf_datamapper, imf_trade, worldbank

    return {module.NAME: module for module in (worldbank, imf_datamapper, imf_trade, comtrade)}
