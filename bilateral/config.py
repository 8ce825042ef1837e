"""Settings from bilateral.toml, overridden by BILATERAL_* environment variables."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import tomllib
import zoneinfo
from dataclasses import dataclass, field, replace
from pathlib import Path

import pycountry
from cronsim import CronSim, CronSimError  # the cron dialect Prefect's schedules read

from bilateral.errors import ConfigError
from bilateral.paths import data_dir, project_root

SOURCES = ("worldbank", "imf_datamapper", "imf_trade", "comtrade")

URL_VARIABLES = {
    "worldbank": "BILATERAL_WORLDBANK_URL",
    "imf_datamapper": "BILATERAL_IMF_DATAMAPPER_URL",
    "imf_trade": "BILATERAL_IMF_SDMX_URL",
    "comtrade": "BILATERAL_COMTRADE_URL",
}
DEFAULT_URLS = {
    "worldbank": "https://api.worldbank.org/v2",
    "imf_datamapper": "https://www.imf.org/external/datamapper/api/v1",
    "imf_trade": "https://api.imf.org/external/sdmx/3.0",
    "comtrade": "https://comtradeapi.un.org",
}
KEY_VARIABLES = {
    "imf_trade": "BILATERAL_IMF_KEY",
    "comtrade": "BILATERAL_COMTRADE_KEY",
}


class Secret(str):
    """An API key: usable as a string, never shown by repr or in logs."""

    def __repr__(self) -> str:
        return "Secret('***')"


LANGUAGES = ("en", "es", "ru")  # the briefing's editions: English, Spanish, Russian


@dataclass(frozen=True)
class PairConfig:
    """One relationship the product follows: its two countries, the economies shown beside them, the
    languages of its briefing, and its curated events and claims (none for a pair nobody has curated)."""

    countries: tuple[str, str]
    peers: tuple[str, ...] = ()
    languages: tuple[str, ...] = LANGUAGES
    events: Path | None = None
    claims: Path | None = None

    @property
    def code(self) -> str:
        """How commands and the warehouse name it: RUS-MEX."""
        return "-".join(self.countries)


@dataclass(frozen=True)
class SourceConfig:
    name: str
    enabled: bool
    base_url: str
    indicators: tuple[str, ...] = ()
    per_page: int = 1000
    min_interval_s: float = 0.0
    edition: str = "auto"
    ranked: tuple[str, ...] = ()
    years: int = 5
    stale_after_years: int = 2
    full_every_days: int = 7
    key: Secret | None = field(default=None, repr=False)


@dataclass(frozen=True)
class HttpConfig:
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 60.0
    retries: int = 4
    backoff_s: float = 1.0
    retry_after_max_s: float = 120.0


@dataclass(frozen=True)
class AlertsConfig:
    revision_pct: float = 5.0  # a headline value revised by more than this (per cent) is announced
    stale_after_days: float = 7.0  # a source whose last good fetch is older than this is announced


@dataclass(frozen=True)
class ScheduleConfig:
    timezone: str = "UTC"
    refresh_cron: str = "0 6 * * *"
    briefing_cron: str = "0 7 1 * *"


@dataclass(frozen=True)
class Config:
    """Everything a run needs. `pair`, `peers` and `languages` are those of the pair a command is about
    (the first configured unless `for_pair` chose another); a refresh asks for all of `pairs` at once."""

    path: Path
    home: Path
    pair: tuple[str, str]
    peers: tuple[str, ...]
    start_year: int
    end_year: int
    sources: dict[str, SourceConfig]
    http: HttpConfig
    schedule: ScheduleConfig
    languages: tuple[str, ...] = LANGUAGES  # the editions the scheduled briefing renders
    alerts: AlertsConfig = AlertsConfig()
    pairs: tuple[PairConfig, ...] = ()

    def __post_init__(self) -> None:
        if not self.pairs:  # built by hand with one pair (tests, benchmarks): that pair is the whole list
            object.__setattr__(self, "pairs", (PairConfig(self.pair, self.peers, self.languages),))

    @property
    def countries(self) -> tuple[str, ...]:
        return self.pair + self.peers

    @property
    def pair_code(self) -> str:
        """The pair as commands and the warehouse name it: RUS-MEX."""
        return "-".join(self.pair)

    @property
    def pair_slug(self) -> str:
        """The pair in file names: rus-mex."""
        return self.pair_code.lower()

    @property
    def chosen(self) -> PairConfig:
        """The configured entry of the pair this configuration is about."""
        return next(pair for pair in self.pairs if pair.countries == self.pair)

    @property
    def requested_countries(self) -> tuple[str, ...]:
        """Every pair's countries and peers, once each, in the order configured: what a refresh asks for."""
        return tuple(dict.fromkeys(code for pair in self.pairs for code in pair.countries + pair.peers))

    def for_pair(self, code: str | None) -> "Config":
        """The configuration of one pair (RUS-MEX, any case); None keeps the first. One line names the choices."""
        if code is None:
            return self
        wanted = code.strip().upper()
        for pair in self.pairs:
            if pair.code == wanted or pair.code == "-".join(reversed(wanted.split("-"))):
                return replace(self, pair=pair.countries, peers=pair.peers, languages=pair.languages)
        known = ", ".join(pair.code for pair in self.pairs)
        raise ConfigError(f"{self.path}: no pair {code!r} is configured; configured: {known}")

    @property
    def warehouse_path(self) -> Path:
        """The writer's file: only a refresh opens it."""
        return self.home / "warehouse.duckdb"

    @property
    def snapshot_path(self) -> Path:
        """The published read-only copy that readers open."""
        return self.home / "published.duckdb"

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def briefings_dir(self) -> Path:
        return self.home / "briefings"

    def enabled_sources(self) -> list[SourceConfig]:
        return [source for source in self.sources.values() if source.enabled]


def default_config_path() -> Path:
    return Path(os.environ.get("BILATERAL_CONFIG") or project_root() / "bilateral.toml")


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
    """Read the TOML file and apply the environment; every bad value is one ConfigError line."""
    environ = os.environ if environ is None else environ
    path = Path(path) if path else default_config_path()
    document = _read_toml(path)
    where = f"{path}"
    _refuse_unknown_keys(document, where)
    languages = _languages(document.get("briefing", {}).get("languages", list(LANGUAGES)), where, "briefing.languages")
    pairs = _pairs(document, where, languages, path.parent)
    start = _integer(document, "years.start", where, default=1990, low=1950, high=dt.date.today().year)
    end = _integer(document, "years.end", where, default=dt.date.today().year, low=start, high=2100)
    unknown = set(document.get("sources", {})) - set(SOURCES)
    if unknown:
        raise ConfigError(f"{where}: sources.{sorted(unknown)[0]} is not a known source; allowed: {', '.join(SOURCES)}")
    sources = {name: _source(document, name, where, environ) for name in SOURCES}
    home = Path(environ.get("BILATERAL_HOME") or "var").expanduser()
    return Config(
        path=path,
        home=home,
        pair=pairs[0].countries,
        peers=pairs[0].peers,
        start_year=start,
        end_year=end,
        sources=sources,
        http=_http(document, where),
        schedule=_schedule(document, where),
        languages=pairs[0].languages,
        alerts=_alerts(document, where),
        pairs=pairs,
    )


# every key the file may hold; "*" stands for each source's table
KNOWN_KEYS = {
    "pair": {"countries", "peers", "languages", "events", "claims"},
    "pairs": {"countries", "peers", "languages", "events", "claims"},
    "years": {"start", "end"},
    "sources": {"*"},
    "sources.*": {"enabled", "base_url", "indicators", "per_page", "min_interval_s", "edition", "ranked", "years",
                  "stale_after_years", "full_every_days"},
    "http": {"connect_timeout_s", "read_timeout_s", "retries", "backoff_s", "retry_after_max_s"},
    "schedule": {"timezone", "refresh_cron", "briefing_cron"},
    "briefing": {"languages"},
    "alerts": {"revision_pct", "stale_after_days"},
}


def _refuse_unknown_keys(document: dict, where: str) -> None:
    """A key the program does not read is a typo until proven otherwise: name it and the nearest known key."""
    def check(table, allowed: set[str], prefix: str) -> None:
        for key, value in table.items():
            name = f"{prefix}{key}"
            if "*" not in allowed and key not in allowed:
                nearest = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"; did you mean {prefix}{nearest[0]}?" if nearest else f"; known here: {', '.join(sorted(allowed))}"
                raise ConfigError(f"{where}: unknown key {name}{hint}")
            section = "sources.*" if prefix == "sources." else name
            if section == "pairs":  # [[pairs]]: an array of tables
                if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                    raise ConfigError(f"{where}: pairs must be [[pairs]] tables, one per pair, found {value!r}"[:300])
                for position, item in enumerate(value, 1):
                    check(item, KNOWN_KEYS[section], f"pairs[{position}].")
            elif isinstance(value, dict) and section in KNOWN_KEYS:
                check(value, KNOWN_KEYS[section], f"{name}.")
            elif section in KNOWN_KEYS and not isinstance(value, dict):
                raise ConfigError(f"{where}: {name} must be a table ([{name}]), found {value!r}")

    check(document, {key for key in KNOWN_KEYS if "." not in key}, "")


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found (set --config or BILATERAL_CONFIG)") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None


def _lookup(document: dict, key: str):
    node = document
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _pairs(document: dict, where: str, languages: tuple[str, ...], folder: Path) -> tuple[PairConfig, ...]:
    """[[pairs]] entries, or the single [pair] table of older files."""
    if "pair" in document and "pairs" in document:
        raise ConfigError(f"{where}: use either [pair] (one pair) or [[pairs]] (any number), not both")
    if "pair" in document:  # its curated files default to the project's own
        single = {"events": str(data_dir() / "events.yaml"), "claims": str(data_dir() / "claims.yaml"), **document["pair"]}
        return (_pair(single, "pair", where, languages, folder),)
    entries = document.get("pairs")
    if not isinstance(entries, list) or not entries or not all(isinstance(entry, dict) for entry in entries):
        raise ConfigError(f"{where}: configure at least one pair: [[pairs]] with countries = [\"RUS\", \"MEX\"]")
    pairs = tuple(_pair(entry, f"pairs[{position}]", where, languages, folder) for position, entry in enumerate(entries, 1))
    seen: dict[frozenset, int] = {}
    for position, pair in enumerate(pairs, 1):
        first = seen.setdefault(frozenset(pair.countries), position)
        if first != position:
            raise ConfigError(f"{where}: pairs[{position}] ({pair.code}) repeats pairs[{first}] ({pairs[first - 1].code});"
                              " each pair once")
    return pairs


def _pair(table: dict, prefix: str, where: str, languages: tuple[str, ...], folder: Path) -> PairConfig:
    countries = _countries(table, "countries", where, prefix=prefix)
    if len(countries) != 2 or countries[0] == countries[1]:
        raise ConfigError(f"{where}: {prefix}.countries must name two different countries, found {list(countries)}")
    peers = tuple(code for code in _countries(table, "peers", where, required=False, prefix=prefix) if code not in countries)
    own = _languages(table["languages"], where, f"{prefix}.languages") if "languages" in table else languages
    curated = {}
    for key in ("events", "claims"):
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"{where}: {prefix}.{key} must name a YAML file (relative to the configuration), found {value!r}")
        curated[key] = (folder / value) if value else None
    return PairConfig((countries[0], countries[1]), peers, own, curated["events"], curated["claims"])


def _countries(document: dict, key: str, where: str, required: bool = True, prefix: str = "") -> tuple[str, ...]:
    value = _lookup(document, key)
    key = f"{prefix}.{key}" if prefix else key
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ConfigError(f"{where}: {key} must be a list of ISO 3166 alpha-3 codes like [\"RUS\", \"MEX\"]")
    codes = []
    for code in value:
        country = pycountry.countries.get(alpha_3=code.upper())
        if country is None:
            raise ConfigError(f"{where}: {key} has {code!r}, which is not an ISO 3166 alpha-3 country code")
        codes.append(country.alpha_3)
    return tuple(codes)


def _integer(document: dict, key: str, where: str, default: int, low: int, high: int) -> int:
    value = _lookup(document, key)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{where}: {key} must be a whole number from {low} to {high}, found {value!r}")
    return value


def _number(table: dict, key: str, where: str, default: float, low: float = 0.0, high: float = 3600.0) -> float:
    """A finite number in [low, high]: TOML's nan and inf (or 1e400, read as inf) are refused too."""
    value = table.get(key, default)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or not low <= value <= high:
        raise ConfigError(f"{where}.{key} must be a number from {low:g} to {high:g}, found {value!r}")
    return float(value)


def _source(document: dict, name: str, where: str, environ) -> SourceConfig:
    table = _lookup(document, f"sources.{name}")
    prefix = f"sources.{name}"
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{where}: {prefix} must be a table")
    # a source left out of the file is switched off
    enabled = table.get("enabled", True) if table is not None else False
    table = table or {}
    if not isinstance(enabled, bool):
        raise ConfigError(f"{where}: {prefix}.enabled must be true or false, found {enabled!r}")
    base_url = environ.get(URL_VARIABLES[name]) or table.get("base_url", DEFAULT_URLS[name])
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"{where}: {prefix}.base_url (or {URL_VARIABLES[name]}) must be an http(s) URL, found {base_url!r}"
        )
    indicators = table.get("indicators", [])
    if not isinstance(indicators, list) or not all(isinstance(item, str) and item for item in indicators):
        raise ConfigError(f"{where}: {prefix}.indicators must be a list of indicator codes")
    ranked = table.get("ranked", [])
    if not isinstance(ranked, list) or not set(ranked) <= set(indicators):
        raise ConfigError(f"{where}: {prefix}.ranked must list indicators that are also in {prefix}.indicators")
    edition = table.get("edition", "auto")
    if not (edition == "auto" or _is_weo_edition(edition)):
        raise ConfigError(f"{where}: {prefix}.edition must be \"auto\" or a WEO edition like \"2025-10\", found {edition!r}")
    per_page = table.get("per_page", 1000)
    if not isinstance(per_page, int) or not 1 <= per_page <= 32500:
        raise ConfigError(f"{where}: {prefix}.per_page must be a whole number from 1 to 32500, found {per_page!r}")
    years = table.get("years", 5)
    if not isinstance(years, int) or not 1 <= years <= 30:
        raise ConfigError(f"{where}: {prefix}.years must be a whole number from 1 to 30, found {years!r}")
    stale = table.get("stale_after_years", 2)
    if not isinstance(stale, int) or isinstance(stale, bool) or not 0 <= stale <= 50:
        raise ConfigError(f"{where}: {prefix}.stale_after_years must be a whole number from 0 to 50, found {stale!r}")
    full_every = table.get("full_every_days", 7)
    if not isinstance(full_every, int) or isinstance(full_every, bool) or not 0 <= full_every <= 365:
        raise ConfigError(f"{where}: {prefix}.full_every_days must be a whole number from 0 to 365, found {full_every!r}")
    key_variable = KEY_VARIABLES.get(name)
    key = environ.get(key_variable) if key_variable else None
    return SourceConfig(
        name=name,
        enabled=enabled,
        base_url=base_url.rstrip("/"),
        indicators=tuple(indicators),
        per_page=per_page,
        min_interval_s=_number(table, "min_interval_s", f"{where}: {prefix}", 0.0),
        edition=edition,
        ranked=tuple(ranked),
        years=years,
        stale_after_years=stale,
        full_every_days=full_every,
        key=Secret(key) if key else None,
    )


def _is_weo_edition(value) -> bool:
    return isinstance(value, str) and len(value) == 7 and value[:4].isdigit() and value[4:] in ("-04", "-10")


def _http(document: dict, where: str) -> HttpConfig:
    table = document.get("http", {})
    prefix = f"{where}: http"
    retries = table.get("retries", 4)
    if not isinstance(retries, int) or not 0 <= retries <= 10:
        raise ConfigError(f"{prefix}.retries must be a whole number from 0 to 10, found {retries!r}")
    return HttpConfig(
        connect_timeout_s=_number(table, "connect_timeout_s", prefix, 5.0, low=0.001, high=600),
        read_timeout_s=_number(table, "read_timeout_s", prefix, 60.0, low=0.001, high=3600),
        retries=retries,
        backoff_s=_number(table, "backoff_s", prefix, 1.0, high=600),
        retry_after_max_s=_number(table, "retry_after_max_s", prefix, 120.0, high=3600),
    )


def _alerts(document: dict, where: str) -> AlertsConfig:
    table = document.get("alerts", {})
    return AlertsConfig(
        revision_pct=_number(table, "revision_pct", f"{where}: alerts", 5.0, low=0.001, high=1000),
        stale_after_days=_number(table, "stale_after_days", f"{where}: alerts", 7.0, low=0.01, high=3650),
    )


def _languages(languages, where: str, key: str) -> tuple[str, ...]:
    """Editions' languages: some of LANGUAGES, once each."""
    if (not isinstance(languages, list) or not languages or len(set(languages)) != len(languages)
            or not all(language in LANGUAGES for language in languages)):
        raise ConfigError(f"{where}: {key} must list some of {', '.join(LANGUAGES)} once each,"
                          f" found {languages!r}"[:300])
    return tuple(languages)


def _schedule(document: dict, where: str) -> ScheduleConfig:
    table = document.get("schedule", {})
    values = {}
    for key, default in (("timezone", "UTC"), ("refresh_cron", "0 6 * * *"), ("briefing_cron", "0 7 1 * *")):
        value = table.get(key, default)
        if not isinstance(value, str):
            raise ConfigError(f"{where}: schedule.{key} must be a text, found {value!r}")
        values[key] = value
    try:
        zoneinfo.ZoneInfo(values["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: schedule.timezone must be an IANA time zone like \"UTC\" or \"Europe/Moscow\","
                          f" found {values['timezone']!r}") from None
    for key in ("refresh_cron", "briefing_cron"):
        try:
            CronSim(values[key], dt.datetime(2026, 1, 1))
        except (CronSimError, ValueError) as error:
            raise ConfigError(f"{where}: schedule.{key} must be a five-field cron expression like \"0 6 * * *\","
                              f" found {values[key]!r} ({error})") from None
    return ScheduleConfig(**values)
