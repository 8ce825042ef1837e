"""IMF International Merchandise Trade Statistics (IMTS) on the IMF SDMX 3.0 API.

The legacy DOTS service (dataservices.imf.org) is retired; IMTS is its successor.
Answers are SDMX-JSON 2.0 data messages, read generically: series keys index the
series dimensions in the order the structure lists them, observation keys index
TIME_PERIOD's values, and attributes follow the measures by position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bilateral.config import Config, SourceConfig
from bilateral.errors import SchemaDriftError
from bilateral.http import HttpClient, Response
from bilateral.sources import Parsed, Request, check_json, decode_json, number, parsed, publisher_date, require

NAME = "imf_trade"
DATASET = "IMTS"
FLOW = "data/dataflow/IMF.STA/IMTS/+"  # "+" = the latest version of the dataflow
STRUCTURE = "structure/dataflow/IMF.STA/IMTS/+"  # the dataflow's own record: its lastUpdatedAt annotation
REQUIRED_DIMENSIONS = ("COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY")
FREQUENCY_DIMENSIONS = ("FREQUENCY", "FREQ")


def headers(settings: SourceConfig) -> dict[str, str]:
    wanted = {"Accept": "application/json"}
    if settings.key:  # public data needs no key; a subscription key raises the quota
        wanted["Ocp-Apim-Subscription-Key"] = settings.key
    return wanted


def requests_for(config: Config) -> list[Request]:
    settings = config.sources[NAME]
    # each pair country's trade with every counterpart, in one request for all pairs: the pairs' own
    # flows, and what ranks the partners
    reporters = tuple(dict.fromkeys(code for pair in config.pairs for code in pair.countries))
    key = f"{'+'.join(reporters)}.{'+'.join(settings.indicators)}.*.A"
    return [
        Request(source=NAME, kind="metadata", url=f"{settings.base_url}/{STRUCTURE}"),
        Request(
            source=NAME,
            kind="data",
            url=f"{settings.base_url}/{FLOW}/{key}",
            params={"dimensionAtObservation": "TIME_PERIOD", "attributes": "dsd", "measures": "all"},
            context={"reporters": reporters, "start": config.start_year},
        )
    ]


def probe_for(request: Request) -> Request | None:
    return None  # the dataflow's own record, asked first in every run, says when IMTS was last updated


def stamp_of(request: Request, probe_body: bytes | None, facts: dict) -> str | None:
    return f"lastUpdatedAt={facts['updated']}" if facts.get("updated") else None


def fetch(client: HttpClient, request: Request) -> Iterator[Response]:
    yield client.get(request.url, params=request.params, check=check_json)


def parse(request: Request, body: bytes, url: str, fetched_at: dt.datetime, facts: dict) -> Parsed:
    message = decode_json(NAME, url, body)
    if request.kind == "metadata":
        return _dataflow(message, url, fetched_at)
    data = require(message, "data", NAME, url)
    # the data message may say when it was prepared; the dataflow's update stamp names the release
    prepared, problem = publisher_date((message.get("meta") or {}).get("prepared"), NAME, url, "meta.prepared", fetched_at)
    released = facts.get("updated")
    vintage = released.isoformat() if released else None
    datasets = require(data, "dataSets", NAME, url, "data")
    structures = require(data, "structures", NAME, url, "data")
    observations = []
    for position, dataset in enumerate(datasets):
        structure = _structure(structures, dataset.get("structure", 0), url)
        observations.extend(_dataset_rows(dataset, structure, url, vintage, f"dataSets[{position}]"))
    reporters = set(request.context.get("reporters", ()))
    # the reporters asked for, with any counterpart but themselves
    wanted = [row for row in observations
              if (not reporters or row["ref_area"] in reporters) and row["counterpart_area"] != row["ref_area"]]
    return parsed(wanted, published=prepared or released, problems=[problem] if problem else [])


def _dataflow(message, url: str, fetched_at: dt.datetime) -> Parsed:
    """The IMTS dataflow's structure message: its `lastUpdatedAt` annotation is the publisher's stamp."""
    flows = require(require(message, "data", NAME, url), "dataflows", NAME, url, "data")
    annotations = [note for flow in flows or [] if isinstance(flow, dict) for note in flow.get("annotations") or []]
    raw = next((note.get("value") for note in annotations if isinstance(note, dict) and note.get("id") == "lastUpdatedAt"), None)
    stamp, problem = publisher_date(raw, NAME, url, "annotation lastUpdatedAt", fetched_at)
    return parsed(facts={"updated": stamp}, published=stamp, problems=[problem] if problem else [])


def _structure(structures: list, index: int, url: str) -> dict:
    if not isinstance(index, int) or not 0 <= index < len(structures):
        raise SchemaDriftError(f"{NAME}: {url}: dataSet refers to structure {index!r}, message has {len(structures)}")
    return structures[index]


def _dataset_rows(dataset: dict, structure: dict, url: str, vintage: str | None, where: str) -> list[dict]:
    dimensions = require(structure, "dimensions", NAME, url, "structures")
    series_dimensions = require(dimensions, "series", NAME, url, "structures.dimensions")
    ids = [require(dimension, "id", NAME, url, "structures.dimensions.series") for dimension in series_dimensions]
    missing = [name for name in REQUIRED_DIMENSIONS if name not in ids]
    if missing or not any(name in ids for name in FREQUENCY_DIMENSIONS):
        raise SchemaDriftError(
            f"{NAME}: {url}: unknown dimension layout {ids}; expected {list(REQUIRED_DIMENSIONS)} and FREQUENCY"
        )
    periods = _time_periods(dimensions, url)
    measures = (structure.get("measures") or {}).get("observation") or [{"id": "OBS_VALUE"}]
    value_position = next((i for i, measure in enumerate(measures) if measure.get("id") == "OBS_VALUE"), None)
    if value_position is None:
        raise SchemaDriftError(f"{NAME}: {url}: measure 'OBS_VALUE' missing in structures.measures")
    unit = _series_unit(structure)
    rows = []
    # a renamed 'series' or 'observations' must fail, not read as a message without data
    for series_key, series in (require(dataset, "series", NAME, url, where) or {}).items():
        codes = _series_codes(series_key, series_dimensions, ids, url)
        observations = require(series, "observations", NAME, url, f"{where}.series[{series_key}]") or {}
        for observation_key, observation in observations.items():
            period = _index(periods, observation_key, url, f"{where}.series[{series_key}].observations")
            if not isinstance(observation, list) or len(observation) <= value_position:
                raise SchemaDriftError(f"{NAME}: {url}: {where}.series[{series_key}].observations[{observation_key}]: no OBS_VALUE")
            # OBS_VALUE is whole US dollars; SCALE is a display hint, never a multiplier
            value = number(observation[value_position], NAME, url, f"series {series_key} period {period}")
            if value is None:
                continue
            rows.append(
                {
                    "source": NAME,
                    "dataset": DATASET,
                    "indicator": codes["INDICATOR"],
                    "ref_area": codes["COUNTRY"],
                    "counterpart_area": codes["COUNTERPART_COUNTRY"],
                    "period": period,
                    "value": value,
                    "unit": unit,
                    "obs_status": None,
                    "is_forecast": False,
                    "source_updated": vintage,
                }
            )
    return rows


def _time_periods(dimensions: dict, url: str) -> list[str]:
    for dimension in dimensions.get("observation") or []:
        if dimension.get("id") == "TIME_PERIOD":
            return [value.get("value") or value.get("id") for value in require(dimension, "values", NAME, url, "TIME_PERIOD")]
    raise SchemaDriftError(f"{NAME}: {url}: observation dimension 'TIME_PERIOD' missing in structures.dimensions")


def _series_codes(series_key: str, series_dimensions: list, ids: list[str], url: str) -> dict[str, str]:
    positions = series_key.split(":")
    if len(positions) != len(series_dimensions):
        raise SchemaDriftError(f"{NAME}: {url}: series key {series_key!r} has {len(positions)} parts, the structure {len(ids)} dimensions")
    codes = {}
    for dimension, position in zip(series_dimensions, positions):
        value = _index(dimension.get("values") or [], position, url, f"dimension {dimension['id']}")
        codes[dimension["id"]] = value.get("id") if isinstance(value, dict) else value
    return codes


def _index(values: list, key: str, url: str, where: str):
    try:
        return values[int(key)]
    except (ValueError, IndexError):
        raise SchemaDriftError(f"{NAME}: {url}: {where}: index {key!r} outside the {len(values)} values listed") from None


def _series_unit(structure: dict) -> str:
    """The UNIT attribute's code (USD); the flows are in US dollars when it is absent."""
    attributes = structure.get("attributes") or {}
    for group in attributes.values():
        for attribute in group or []:
            if attribute.get("id") == "UNIT" and attribute.get("values"):
                return attribute["values"][0].get("id") or "USD"
    return "USD"
