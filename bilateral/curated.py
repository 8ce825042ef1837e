"""Curated events and claims: read, check against their schema, load all or nothing.

A bad row is one SeedError naming the file, the line, the field and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from bilateral.errors import SeedError
from bilateral.paths import data_dir, project_root, sql_dir

CATEGORIES = ("diplomacy", "trade", "security", "culture", "science", "migration", "energy", "politics", "space", "tourism")
PRECISIONS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
METRIC_KINDS = ("indicator", "rank", "partner", "products", "sql", "duration", "none")
BOUNDS = ("lower", "upper")  # "more than" / "at least" is a lower bound, "less than" an upper one
TRANSLATED = ("es", "ru")  # the languages besides English whose texts a row may carry
DURATION_UNITS = ("years", "weeks")
INDICATOR_SOURCES = ("worldbank", "imf_datamapper")
RANKED = ("NGDPD", "NGDPDPC")


@dataclass(frozen=True)
class Row:
    """One list item of a curated file, with the lines where it and its fields start."""

    value: dict
    line: int
    field_lines: dict[str, int]


class _Checker:
    def __init__(self, path: Path, row: Row, name: str | None = None):
        self.path, self.row, self.name = path, row, name  # name: what the errors call the row, else its id

    def fail(self, field: str, message: str) -> SeedError:
        line = self.row.field_lines.get(field.split(".")[0], self.row.line)
        ident = self.name or (self.row.value.get("id", "?") if isinstance(self.row.value, dict) else "?")
        return SeedError(f"{self.path}:{line}: {ident}: field '{field}' {message}")

    def text(self, field: str, required: bool = True) -> str | None:
        value = self.row.value.get(field)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "must be a non-empty text")
        return value.strip()

    def number(self, value, field: str, minimum: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(field, f"must be a number (write 4500000000, not '4.5e9' or text), found {_shown(value)}")
        if minimum is not None and value < minimum:
            raise self.fail(field, f"must be >= {minimum}, found {_shown(value)}")
        return float(value)

    def choice(self, value, field: str, allowed) -> str:
        if value not in allowed:
            raise self.fail(field, f"must be one of {', '.join(allowed)}, found {_shown(value)}")
        return value

    def strings(self, field: str, required: bool = True) -> list[str]:
        value = self.row.value.get(field)
        if value is None and not required:
            return []
        if not isinstance(value, list) or not value or not all(isinstance(item, str) and item for item in value):
            raise self.fail(field, "must be a non-empty list of texts")
        return value


MAX_BYTES = 2 * 1024 * 1024  # the curated files are tens of kilobytes; a larger one is a mistake or an attack
SHOWN_CHARS = 80


def _shown(value) -> str:
    """A value as an error message quotes it: at most 80 characters, on one line."""
    text = " ".join(repr(value).split())
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _loaded(path: Path):
    """The file's node tree (for line numbers) and its data; a file that is not YAML is one SeedError."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SeedError(f"{path}: {path.stat().st_size:,} bytes; a curated file may hold at most {MAX_BYTES:,}")
        return _parsed(path.read_text(encoding="utf-8"), path)
    except FileNotFoundError:
        raise SeedError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else f"{path}"
        raise SeedError(f"{where}: not valid YAML: {getattr(error, 'problem', error)}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError(f"{path}: cannot read: {error}") from None


def read_rows(path: Path, top_key: str, loaded=None) -> list[Row]:
    """The items under `top_key`, each with its line numbers (YAML nodes know where they start)."""
    root, document = loaded or _loaded(path)
    if not isinstance(document, dict) or not isinstance(document.get(top_key), list):
        raise SeedError(f"{path}:1: expected a top-level key '{top_key}' holding a list")
    sequence = next(value for key, value in root.value if key.value == top_key)
    rows = []
    for item, node in zip(document[top_key], sequence.value):
        lines = {key.value: key.start_mark.line + 1 for key, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
        if not isinstance(item, dict):
            raise SeedError(f"{path}:{node.start_mark.line + 1}: each item of '{top_key}' must be a mapping")
        rows.append(Row(item, node.start_mark.line + 1, lines))
    return rows


def _parsed(text: str, path: Path):
    """The node tree (for line numbers) and the data, from one parse with libyaml when it is there.

    Anchors and aliases are refused before anything is built: nested aliases (a "billion laughs")
    would expand a few lines into gigabytes, and a curated file has no use for them.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        root = loader.get_single_node()
        _refuse_aliases(root, path)
        return root, loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()


def _refuse_aliases(root, path: Path) -> None:
    """An alias makes the composed tree reuse a node: meeting any node twice means one was used."""
    seen, stack = set(), [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise SeedError(f"{path}:{node.start_mark.line + 1}: YAML anchors and aliases (&name, *name) are not allowed here")
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _unique_id(path: Path, row: Row, seen: dict[str, int]) -> str:
    check = _Checker(path, row)
    ident = check.text("id")
    if not ID_PATTERN.fullmatch(ident):
        raise check.fail("id", f"must be kebab-case (a-z, 0-9, '-'), found {_shown(ident)}")
    if ident in seen:
        raise check.fail("id", f"duplicates the id first used on line {seen[ident]}")
    seen[ident] = row.line
    return ident


def _date(check: _Checker, value, precision: str, field: str) -> dt.date:
    text = str(value) if isinstance(value, (str, int)) else ""
    if not re.fullmatch(PRECISIONS[precision], text):
        raise check.fail(field, f"must be written {'YYYY-MM-DD' if precision == 'day' else 'YYYY-MM' if precision == 'month' else 'YYYY'} for precision {precision}, found {_shown(value)}")
    parts = [int(part) for part in text.split("-")] + [1, 1]
    try:
        return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        raise check.fail(field, f"is not a real date: {_shown(value)}") from None


def _checked_rows(path: Path, top_key: str, loaded=None):
    """Each row with its checker and its id, already checked for form and uniqueness."""
    seen: dict[str, int] = {}
    for row in read_rows(path, top_key, loaded):
        yield row, _Checker(path, row), _unique_id(path, row, seen)


def events(path: Path | None = None) -> pd.DataFrame:
    """Every event, checked; one SeedError for the first bad row."""
    path = path or data_dir() / "events.yaml"
    records = []
    for row, check, ident in _checked_rows(path, "events"):
        precision = check.choice(row.value.get("date_precision"), "date_precision", tuple(PRECISIONS))
        date = _date(check, row.value.get("date"), precision, "date")
        alternatives = row.value.get("alternative_dates") or []
        for alternative in alternatives:
            if not re.fullmatch(r"\d{4}(-\d{2}){0,2}", str(alternative)):
                raise check.fail("alternative_dates", f"must hold dates like 1890-12-11, found {_shown(alternative)}")
        key = row.value.get("key", False)
        if not isinstance(key, bool):
            raise check.fail("key", f"must be true or false, found {_shown(key)}")
        records.append(
            {
                "event_id": ident,
                "event_date": date,
                "date_text": str(row.value["date"]),
                "date_precision": precision,
                "title": check.text("title"),
                "summary": " ".join(check.text("summary").split()),
                "category": check.choice(row.value.get("category"), "category", CATEGORIES),
                "actors": check.strings("actors"),
                "is_key": key,
                "sources": json.dumps(_sources(check, row.value.get("sources")), ensure_ascii=False),
                "date_note": check.text("date_note", required=False),
                "alternative_dates": [str(item) for item in alternatives] or None,
                "translations": _translations(check, row, ("title", "summary", "date_note")),
            }
        )
    return pd.DataFrame(records).sort_values(["event_date", "event_id"], ignore_index=True)


def _translations(check: _Checker, row: Row, fields: tuple[str, ...]) -> str | None:
    """The texts of a row in the other languages (its `es` and `ru` blocks), as JSON; None without any."""
    found = {}
    for language in TRANSLATED:
        block = row.value.get(language)
        if block is None:
            continue
        if not isinstance(block, dict):
            raise check.fail(language, f"must be a mapping of translated fields ({', '.join(fields)})")
        texts = {}
        for field, value in block.items():
            if field not in fields:
                raise check.fail(f"{language}.{field}", f"is not a translated field; these are: {', '.join(fields)}")
            if not isinstance(value, str) or not value.strip():
                raise check.fail(f"{language}.{field}", f"must be a non-empty text, found {_shown(value)}")
            texts[field] = " ".join(value.split())
        found[language] = texts
    return json.dumps(found, ensure_ascii=False) if found else None


def _sources(check: _Checker, sources) -> list[dict]:
    if not isinstance(sources, list) or not sources:
        raise check.fail("sources", "must list at least one source with title, publisher and url")
    for position, source in enumerate(sources):
        for part in ("title", "publisher", "url"):
            if not isinstance(source, dict) or not isinstance(source.get(part), str) or not source[part].strip():
                raise check.fail(f"sources[{position}].{part}", "must be a non-empty text (url: a link or \"seed article\")")
    return [{part: source[part] for part in ("title", "publisher", "url")} for source in sources]


def claims(path: Path | None = None) -> pd.DataFrame:
    """Every claim, checked; one SeedError for the first bad row."""
    path = path or data_dir() / "claims.yaml"
    loaded = _loaded(path)
    document = _claims_document(path, loaded)
    records = []
    for row, check, ident in _checked_rows(path, "claims", loaded):
        period = check.text("period")
        if not re.fullmatch(r"\d{4}(-\d{4})?", period):
            raise check.fail("period", f"must be a year YYYY or a range YYYY-YYYY, found {_shown(period)}")
        tolerance_kind, tolerance = _tolerance(check, row.value.get("tolerance"))
        records.append(
            {
                "claim_id": ident,
                "claim_text": " ".join(check.text("text").split()),
                "section": check.text("section"),
                "period": period,
                "claimed": check.number(row.value.get("claimed"), "claimed"),
                "unit": check.text("unit"),
                "tolerance_kind": tolerance_kind,
                "tolerance": tolerance,
                "named_source": check.text("named_source"),
                **_metric(check, row.value.get("metric")),
                "bound": None if row.value.get("bound") is None else check.choice(row.value.get("bound"), "bound", BOUNDS),
                **_duration(check, row.value.get("metric"), check.text("unit")),
                **_trade_partner(check, row.value.get("metric")),
                "translations": _translations(check, row, ("text", "section", "needs")),
                **document,
            }
        )
    return pd.DataFrame(records)


DOCUMENT_FIELDS = ("title", "author", "publisher", "published", "url")


def _claims_document(path: Path, loaded) -> dict:
    """The document the claims come from (`document:` beside `claims:`), as the columns every claim carries.

    Without it the briefing speaks of the curated claims; with it, it names the document.
    """
    root, content = loaded
    found = {f"document_{field}": None for field in DOCUMENT_FIELDS}
    if not isinstance(content, dict) or content.get("document") is None:
        return found
    key, node = next((key, value) for key, value in root.value if key.value == "document")
    value = content["document"]
    lines = {field.value: field.start_mark.line + 1 for field, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    check = _Checker(path, Row(value if isinstance(value, dict) else {}, key.start_mark.line + 1, lines), name="document")
    if not isinstance(value, dict):
        raise check.fail("document", f"must be a mapping of {', '.join(DOCUMENT_FIELDS)}")
    unknown = [str(field) for field in value if field not in DOCUMENT_FIELDS]
    if unknown:
        raise check.fail(unknown[0], f"is not a field of the document; allowed: {', '.join(DOCUMENT_FIELDS)}")
    found.update(document_title=check.text("title"), document_author=check.text("author", required=False),
                 document_publisher=check.text("publisher", required=False))
    published = value.get("published")
    if published is not None:  # YAML reads an unquoted 2023-07-09 as a date already
        found["document_published"] = _date(check, published.isoformat() if isinstance(published, dt.date) else published,
                                            "day", "published")
    url = check.text("url", required=False)
    if url is not None and not re.fullmatch(r"https://\S+", url):
        raise check.fail("url", f"must be an https:// link, found {_shown(url)}")
    found["document_url"] = url
    return found


def _tolerance(check: _Checker, tolerance) -> tuple[str, float]:
    if not isinstance(tolerance, dict) or len(tolerance) != 1 or next(iter(tolerance)) not in ("relative", "absolute"):
        raise check.fail("tolerance", f"must be {{relative: 0.05}} or {{absolute: 2}}, found {_shown(tolerance)}")
    kind, value = next(iter(tolerance.items()))
    return kind, check.number(value, f"tolerance.{kind}", minimum=0)


def _metric(check: _Checker, metric) -> dict:
    if not isinstance(metric, dict):
        raise check.fail("metric", f"must be a mapping with a kind: {', '.join(METRIC_KINDS)}")
    kind = check.choice(metric.get("kind"), "metric.kind", METRIC_KINDS)
    found = {"metric_kind": kind, "metric_source": None, "metric_indicator": None, "metric_country": None, "metric_file": None,
             "needs": None, "metric_readings": None}
    if kind == "indicator":
        found["metric_source"] = check.choice(metric.get("source"), "metric.source", INDICATOR_SOURCES)
    if kind in ("indicator", "rank"):
        indicator = metric.get("indicator")
        if kind == "rank":
            check.choice(indicator, "metric.indicator", RANKED)
        elif not isinstance(indicator, str) or not indicator:
            raise check.fail("metric.indicator", "must name the indicator code")
        found["metric_indicator"] = indicator
    if kind in ("indicator", "rank", "partner", "products"):  # for partner and products: the reporter
        country = metric.get("country")
        if not isinstance(country, str) or not re.fullmatch(r"[A-Z]{3}", country):
            raise check.fail("metric.country", f"must be an ISO alpha-3 code like MEX, found {_shown(country)}")
        found["metric_country"] = country
    if kind == "sql":
        readings = _readings(check, metric)
        found["metric_file"] = readings[0]["file"]
        found["metric_readings"] = json.dumps(readings)
    if kind == "none":
        needs = metric.get("needs")
        if not isinstance(needs, str) or not needs.strip():
            raise check.fail("metric.needs", "must say which data would be needed to check the claim")
        found["needs"] = " ".join(needs.split())
    return found


def _readings(check: _Checker, metric: dict) -> list[dict]:
    """A sql claim's readings, in order: `file` alone is one reading, "as stated"; `readings` maps
    each way the wording can be read ("cumulative change", "average annual change") to its query."""
    named = metric.get("readings")
    if named is None:
        named = {"as stated": metric.get("file")}
    if not isinstance(named, dict) or not named:
        raise check.fail("metric.readings", "must map each reading's name to a file under sql/claims/")
    readings = []
    for name, file in named.items():
        if not isinstance(file, str) or not file.startswith("sql/claims/") or not (project_root() / file).is_file():
            raise check.fail("metric.file", f"must name an existing file under sql/claims/, found {_shown(file)}")
        readings.append({"reading": str(name), "file": file})
    return readings


def _trade_partner(check: _Checker, metric: dict) -> dict:
    """For partner and products claims: the partner, and for products the flow and chapters named."""
    found = {"metric_partner": None, "metric_flow": None, "metric_chapters": None, "metric_top": None}
    kind = metric.get("kind")
    if kind not in ("partner", "products"):
        return found
    partner = metric.get("partner")
    if not isinstance(partner, str) or not re.fullmatch(r"[A-Z]{3}", partner):
        raise check.fail("metric.partner", f"must be an ISO alpha-3 code like RUS, found {_shown(partner)}")
    found["metric_partner"] = partner
    if kind == "products":
        found["metric_flow"] = check.choice(metric.get("flow"), "metric.flow", ("X", "M"))
        chapters = metric.get("chapters")
        if not isinstance(chapters, list) or not chapters or not all(re.fullmatch(r"\d{2}", str(c)) for c in chapters):
            raise check.fail("metric.chapters", f"must list two-digit HS chapters like [\"31\", \"72\"], found {_shown(chapters)}")
        top = metric.get("top")
        if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 97:
            raise check.fail("metric.top", f"must be a whole number of chapters from 1 to 97, found {_shown(top)}")
        found.update(metric_chapters=[str(chapter) for chapter in chapters], metric_top=top)
    return found


def _duration(check: _Checker, metric: dict, unit: str) -> dict:
    """For a duration: the curated event it runs from, and the event or date it runs to.

    `to_date` is a day (YYYY-MM-DD) outside the timeline, or a year (YYYY) for an anniversary.
    """
    found = {"metric_from_event": None, "metric_to_event": None, "metric_to_date": None}
    if metric.get("kind") != "duration":
        return found
    check.choice(unit, "unit", DURATION_UNITS)
    start, end, date = metric.get("from_event"), metric.get("to_event"), metric.get("to_date")
    if not isinstance(start, str) or not ID_PATTERN.fullmatch(start):
        raise check.fail("metric.from_event", f"must name an event id of data/events.yaml, found {_shown(start)}")
    if (end is None) == (date is None):
        raise check.fail("metric", "a duration needs either to_event (an event id) or to_date (YYYY-MM-DD, or YYYY for an anniversary)")
    if end is not None and (not isinstance(end, str) or not ID_PATTERN.fullmatch(end)):
        raise check.fail("metric.to_event", f"must name an event id of data/events.yaml, found {_shown(end)}")
    if date is not None and not re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", str(date)):
        raise check.fail("metric.to_date", f"must be YYYY-MM-DD or a year YYYY, found {_shown(date)}")
    return {"metric_from_event": start, "metric_to_event": end, "metric_to_date": None if date is None else str(date)}


def claim_queries_view(claim_table: pd.DataFrame) -> str:
    """The staging view that runs every reading of every sql-kind claim, so its result follows the data (and as-of).

    Each query returns one row: observed, source, vintage, and the reason when observed is null.
    """
    selects = [
        f"select '{row.claim_id}' as claim_id, '{reading['reading']}' as reading, {position} as position,"
        f" observed, source, vintage, reason from (\n{_query(reading['file'])}\n)"
        for row in claim_table.itertuples()
        if row.metric_kind == "sql"
        for position, reading in enumerate(json.loads(row.metric_readings), 1)
    ]
    body = "\nunion all\n".join(selects) or EMPTY_CLAIM_OBSERVATIONS
    return f"create or replace view staging.claim_sql_observations as\n{body};"


EMPTY_CLAIM_OBSERVATIONS = (
    "select cast(null as varchar) as claim_id, cast(null as varchar) as reading, cast(null as integer) as position,"
    " cast(null as double) as observed, cast(null as varchar) as source, cast(null as varchar) as vintage,"
    " cast(null as varchar) as reason where false"
)


def _query(file: str) -> str:
    return (project_root() / file).read_text(encoding="utf-8").strip().rstrip(";")


def digest(pairs) -> str:
    """sha256 of everything the curated tables are made of: each pair's code and files, the claims' SQL
    (sql/claims), the schema (sql/schema) and this module, whose checks decide the rows. Equal digests
    load equal rows; a file that cannot be read changes the digest, so the reading says what is wrong."""
    hashed = hashlib.sha256()
    files = [Path(__file__), *sorted((sql_dir() / "claims").glob("*.sql")), *sorted((sql_dir() / "schema").glob("*.sql"))]
    for pair in pairs:
        hashed.update(f"pair {pair.code}\n".encode())
        files += [path for path in (pair.events, pair.claims) if path is not None]
    for path in files:
        try:
            content = path.read_bytes()
        except OSError:
            content = b"unreadable"
        hashed.update(f"{path}\n{len(content)}\n".encode() + content)
    return hashed.hexdigest()


def for_pairs(pairs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every configured pair's events and claims, each row tagged with its pair (RUS-MEX). A pair without
    curated files has none; an id may be used once across all the files, as the warehouse keys rows by it."""
    tables = {"events": [], "claims": []}
    first_file: dict[tuple[str, str], Path] = {}
    for pair in pairs:
        for kind, read, key in (("events", events, "event_id"), ("claims", claims, "claim_id")):
            path = getattr(pair, kind)
            if path is None:
                continue
            table = read(path).assign(pair=pair.code)
            for ident in table.get(key, ()):  # a file with an empty list has no columns at all
                earlier = first_file.setdefault((kind, ident), path)
                if earlier != path:
                    raise SeedError(f"{path}: id '{ident}' is already used in {earlier}; ids are unique across pairs")
            tables[kind].append(table)
    return tuple(pd.concat(found, ignore_index=True) if found else pd.DataFrame() for found in tables.values())


def load(connection: duckdb.DuckDBPyConnection, event_table: pd.DataFrame, claim_table: pd.DataFrame) -> None:
    """Replace the curated tables; the caller holds the transaction, so it is all or nothing."""
    for table, incoming in (("core.events", event_table), ("core.claims", claim_table)):
        connection.execute(f"delete from {table}")
        if not incoming.empty:
            connection.register("incoming", incoming)
            connection.execute(f"insert into {table} by name select * from incoming")
            connection.unregister("incoming")
    connection.execute(claim_queries_view(claim_table))
