"""Marts -> plain data for the template. Every figure carries value, unit, source, period and vintage.

No HTML here and no SQL: the queries are in sql/queries/briefing_*.sql. Reader text is
worded by bilateral.briefing.wording; codes appear only in the sources appendix.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

import duckdb

from bilateral import queries
from bilateral.briefing import charts, findings, wording
from bilateral.config import Config

SOURCE_NAMES = {
    "worldbank": "World Bank WDI",
    "imf_datamapper": "IMF WEO",
    "imf_trade": "IMF IMTS",
    "comtrade": "UN Comtrade",
}
SOURCE_TITLES = {
    "worldbank": "World Bank, World Development Indicators",
    "imf_datamapper": "IMF, World Economic Outlook (DataMapper)",
    "imf_trade": "IMF, International Trade in Goods by partner (IMTS)",
    "comtrade": "UN Comtrade, goods trade by HS chapter",
}
# (API, request path under the base URL, licence)
SOURCE_NOTES = {
    "worldbank": ("Indicators API v2", "/country/{countries}/indicator/{code}", "CC BY 4.0 (World Bank Open Data terms)"),
    "imf_datamapper": ("DataMapper API v1", "/{indicator}/{countries}", "IMF copyright; free reuse with attribution (imf.org terms)"),
    "imf_trade": ("SDMX 3.0, dataflow IMTS", "/data/dataflow/IMF.STA/IMTS/+/{key}", "IMF copyright; free reuse with attribution (imf.org terms)"),
    "comtrade": ("Comtrade v1", "/public/v1/preview/C/A/HS (with a key: /data/v1/get/C/A/HS)", "UN Comtrade terms of use; attribution required"),
}
RECENT_YEARS = 5  # events of the last years carry their summaries; earlier ones their title, unless key


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    source: str
    indicator: str
    unit: str
    scale: float = 1.0
    decimals: int = 1
    points: bool = False  # changes in percentage points rather than per cent


KEY_METRICS = (
    Metric("gdp", "GDP, current prices", "imf_datamapper", "NGDPD", "US$ billion", decimals=0),
    Metric("gdp_per_capita", "GDP per person, current prices", "imf_datamapper", "NGDPDPC", "US$", decimals=0),
    Metric("population", "Population", "worldbank", "SP.POP.TOTL", "million", scale=1e-6),
    Metric("growth", "Real GDP growth", "imf_datamapper", "NGDP_RPCH", "% a year", points=True),
    Metric("inflation", "Inflation, consumer prices", "imf_datamapper", "PCPIPCH", "% a year", points=True),
    Metric("life_expectancy", "Life expectancy at birth", "worldbank", "SP.DYN.LE00.IN", "years", points=True),
    Metric("trade_openness", "Trade in goods and services", "worldbank", "NE.TRD.GNFS.ZS", "% of GDP", points=True),
)
RANKS = (("NGDPD", "World rank by GDP"), ("NGDPDPC", "World rank by GDP per person"))
# (source, indicator, title, axis unit, with_peers): levels show the pair alone, since the
# largest peers would flatten its lines; rates compare well with the peers beside them
MACRO_CHARTS = (
    ("imf_datamapper", "NGDPD", "GDP, current prices", "US$ billion", False),
    ("imf_datamapper", "NGDPDPC", "GDP per person, current prices", "US$", False),
    ("imf_datamapper", "NGDP_RPCH", "Real GDP growth", "% a year", True),
    ("imf_datamapper", "PCPIPCH", "Inflation, average consumer prices", "% a year", True),
)
CHART_SINCE = 2000


@dataclass(frozen=True)
class Figure:
    """One printed number and everything a reader needs to trace it."""

    key: str
    value: float | None
    unit: str
    source: str
    period: str
    vintage: str
    text: str


@dataclass
class Cell:
    latest: Figure | None
    previous: Figure | None
    change: str


@dataclass
class Briefing:
    title: str
    period: str
    period_name: str
    as_of: str
    pair: list[dict]
    freshness: list[dict]
    warnings: list[str]
    weo_note: str
    findings: list[str]
    key_rows: list[dict]
    trade_rows: list[dict]
    trade_chart: dict | None
    trade_markers: list[dict]
    trade_note: str
    products_chart: dict | None
    macro_charts: list[dict]
    events: list[dict]
    claims: list[dict]
    claim_counts: dict
    changes: dict
    quality_flags: list[dict]
    vintage: str
    figures: list[dict] = field(default_factory=list)
    edition: str = ""  # "" for the period's briefing; "asof-YYYY-MM-DD" for a rebuild as the data stood then
    note: str = ""  # a word to the reader on page 1, e.g. that this is the demo on recorded data


def build(connection: duckdb.DuckDBPyConnection, config: Config, period: str, period_start: dt.date,
          period_end: dt.date, as_of: dt.datetime, since: str | None = None) -> Briefing:
    """Everything the template prints, read from the marts as they stood at `as_of`.

    "Since the last briefing" compares with the briefing of the previous period (or of `since`).
    """
    connection.execute("set variable as_of = ?", [as_of])
    pair = list(config.pair)
    names = {code: wording.country_name(code) for code in config.countries}
    previous = _rows(connection, "briefing_previous", period=period, since=since)
    freshness = _freshness(connection, config, as_of)
    key_rows, figures = _key_figures(connection, pair)
    trade_rows, trade_note = _trade(connection, pair)
    events = _events(connection, period_start, period_end, as_of)
    claims = [_claim_row(claim) for claim in _rows(connection, "claims")]
    markers = _trade_markers(trade_rows, events)
    briefing = Briefing(
        title=f"{names[pair[0]]} and {names[pair[1]]}",
        period=period,
        period_name=wording.period_name(period),
        as_of=wording.moment(as_of),
        pair=[{"code": code, "name": names[code]} for code in pair],
        freshness=freshness,
        warnings=[f"{row['name']}: {row['state_text']}" for row in freshness if row["is_stale"]],
        weo_note=_weo_note(connection),
        findings=[],
        key_rows=key_rows,
        trade_rows=trade_rows,
        trade_chart=_trade_chart(trade_rows, markers, pair) if trade_rows else None,
        trade_markers=markers,
        trade_note=trade_note,
        products_chart=_products_chart(_rows(connection, "briefing_products")),
        macro_charts=_macro_charts(connection, config),
        events=events,
        claims=claims,
        claim_counts=_claim_counts(claims),
        changes=_changes(connection, pair, previous, events),
        quality_flags=_quality_flags(connection, list(config.countries)),
        vintage=_vintage_summary(freshness, connection),
        figures=figures,
    )
    briefing.findings = findings.sentences(briefing)
    return briefing


def _rows(connection, name: str, **parameters) -> list[dict]:
    result = connection.execute(queries.text(name), parameters or None)
    columns = [column[0] for column in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]


def _vintage(source: str, vintage) -> str:
    """A value's vintage as a reader reads it: the WEO edition by name, a World Bank update by date."""
    if not vintage:
        return "vintage unknown"
    named = wording.edition_name(str(vintage))
    return named if named != vintage else f"updated {vintage}"


def _figure(key: str, value, unit: str, source: str, period, vintage, decimals: int) -> Figure:
    return Figure(key, value, unit, SOURCE_NAMES.get(source, source), str(period), _vintage(source, vintage),
                  wording.number(value, decimals))


def _key_figures(connection, pair: list[str]) -> tuple[list[dict], list[dict]]:
    latest = {(row["source"], row["indicator"], row["country_iso3"], row["recency"]): row
              for row in _rows(connection, "briefing_latest", countries=pair)}
    rows, figures = [], []
    for metric in KEY_METRICS:
        cells = []
        for code in pair:
            now, before = (latest.get((metric.source, metric.indicator, code, recency)) for recency in (1, 2))
            cell = Cell(
                latest=_metric_figure(metric, code, now),
                previous=_metric_figure(metric, code, before),
                change=_change(metric, now, before),
            )
            cells.append(cell)
            if cell.latest:
                figures.append(asdict(cell.latest))
        rows.append({"label": metric.label, "unit": metric.unit, "cells": [asdict(cell) for cell in cells]})
    ranks = {(row["indicator"], row["country_iso3"], row["recency"]): row for row in _rows(connection, "briefing_ranks", countries=pair)}
    for indicator, label in RANKS:
        cells = []
        for code in pair:
            now, before = (ranks.get((indicator, code, recency)) for recency in (1, 2))
            latest_rank = _rank_figure(indicator, code, now)
            cells.append(asdict(Cell(latest_rank, _rank_figure(indicator, code, before), _rank_change(now, before))))
            if latest_rank:
                figures.append(asdict(latest_rank))
        rows.append({"label": label, "unit": "n-th of N economies", "cells": cells})
    return rows, figures


def _metric_figure(metric: Metric, code: str, row: dict | None) -> Figure | None:
    if row is None:
        return None
    return _figure(f"{metric.key}.{code}", row["value"] * metric.scale, metric.unit, row["source"], row["year"],
                   row["source_updated"], metric.decimals)


def _rank_figure(indicator: str, code: str, row: dict | None) -> Figure | None:
    if row is None:
        return None
    figure = _figure(f"rank.{indicator}.{code}", float(row["rank"]), "rank", "imf_datamapper", row["year"],
                     row["source_updated"], 0)
    return Figure(**{**asdict(figure), "text": f"{wording.ordinal(row['rank'])} of {row['out_of']}"})


def _rank_change(now: dict | None, before: dict | None) -> str:
    """Places moved, counted over the economies with a value in both years, so a newcomer moves no one."""
    if not now or not before or now["rank_in_both"] is None:
        return "–"
    moved = now["previous_rank_in_both"] - now["rank_in_both"]
    if moved == 0:
        return f"unchanged (of {now['out_of_both']})"
    places = f"{abs(moved)} place{'s' if abs(moved) != 1 else ''}"
    return f"{'up' if moved > 0 else 'down'} {places} (of {now['out_of_both']})"


def _change(metric: Metric, now: dict | None, before: dict | None) -> str:
    if not now or not before:
        return "–"
    if metric.points:
        return wording.signed(now["value"] - before["value"], 1, " pt")
    if before["value"] == 0:
        return "–"
    return wording.signed(100 * (now["value"] - before["value"]) / abs(before["value"]), 1, "%")


def _trade(connection, pair: list[str]) -> tuple[list[dict], str]:
    """One row per year with both directions side by side, so a year never splits across pages."""
    flows = _rows(connection, "briefing_trade")
    years = sorted({row["year"] for row in flows}, reverse=True)
    rows = []
    for year in years:
        row = {"year": year}
        for side, (exporter, importer) in (("ab", pair), ("ba", pair[::-1])):
            flow = next((f for f in flows if f["year"] == year and f["exporter_iso3"] == exporter and f["importer_iso3"] == importer), None)
            row[side] = {
                "exports_usd": flow and flow["exports_fob_usd"],
                "imports_usd": flow and flow["imports_cif_usd"],
                "exports_text": wording.money(flow and flow["exports_fob_usd"]) if flow and flow["exports_fob_usd"] is not None else "not reported",
                "imports_text": wording.money(flow and flow["imports_cif_usd"]) if flow and flow["imports_cif_usd"] is not None else "not reported",
                "gap_text": wording.signed(flow and flow["gap_pct"], 1, "%") if flow and flow["gap_pct"] is not None else "–",
                "gap_pct": flow and flow["gap_pct"],
            }
        rows.append(row)
    note = ""
    if rows:
        first, last = years[-1], years[0]
        a, b = (wording.country_name(code) for code in pair)
        note = f"IMF IMTS records for the pair run from {first} to {last}."
        missing = sorted(row["year"] for row in rows if row["ab"]["exports_usd"] is None and row["ab"]["imports_usd"] is not None)
        if missing:
            note += f" {a} reported no exports to {b} for {_years_text(missing)}: those years rest on {b}'s import records."
    return rows, note


def _years_text(years: list[int]) -> str:
    spans, start = [], years[0]
    for previous, current in zip(years, years[1:] + [None]):
        if current != previous + 1:
            spans.append(str(start) if start == previous else f"{start}–{previous}")
            start = current
    return ", ".join(spans)


def _trade_markers(rows: list[dict], events: list[dict]) -> list[dict]:
    """Key events within the years the trade chart covers, numbered for its caption."""
    if not rows:
        return []
    first, last = min(row["year"] for row in rows), max(row["year"] for row in rows)
    chosen = [event for event in events if event["is_key"] and first <= event["year"] <= last]
    return [{"label": str(number), "year": event["year"], "title": event["title"]} for number, event in enumerate(chosen, 1)]


def _trade_chart(rows: list[dict], markers: list[dict], pair: list[str]) -> dict:
    lines = []
    for side, (exporter, importer) in (("ab", pair), ("ba", pair[::-1])):
        flows = sorted(rows, key=lambda row: row["year"])
        label = wording.direction(exporter, importer)
        lines.append(charts.Series(f"{label}, exporter's record", [(row["year"], row[side]["exports_usd"], False) for row in flows if row[side]["exports_usd"] is not None]))
        lines.append(charts.Series(f"{label}, importer's record", [(row["year"], row[side]["imports_usd"], False) for row in flows if row[side]["imports_usd"] is not None]))
    drawn = [line for line in lines if line.points]
    years = [year for line in drawn for year, _, _ in line.points]
    a, b = (wording.country_name(code) for code in pair)
    return {
        "svg": charts.line_chart(drawn, "Goods trade between the pair", "US$", [(m["year"], m["label"]) for m in markers], money=True),
        "caption": f"Goods exports between {a} and {b} in each direction, as the exporter and as the importer record them, "
                   f"{min(years)}–{max(years)}; numbered lines mark key events. Source: IMF IMTS.",
    }


def _products_chart(products: list[dict]) -> dict | None:
    if not products:
        return None
    top = sorted(products, key=lambda row: row["value_usd"], reverse=True)[:8]
    labels = [f"{wording.direction(*row['direction'].split('->'))}: {row['description']}" for row in top]
    year = top[0]["year"]
    return {
        "svg": charts.bar_chart(labels, [row["value_usd"] for row in top], f"Largest product flows, {year}", "US$", money=True),
        "caption": f"The eight largest goods flows between the pair by HS chapter in {year}, as the exporter reports them. Source: UN Comtrade.",
    }


def _macro_charts(connection, config: Config) -> list[dict]:
    found = []
    for source, indicator, title, unit, with_peers in MACRO_CHARTS:
        countries = list(config.countries if with_peers else config.pair)
        rows = _rows(connection, "briefing_series", source=source, indicator=indicator, countries=countries, since=CHART_SINCE)
        series = [
            charts.Series(wording.country_name(code), [(row["year"], row["value"], row["is_forecast"]) for row in rows if row["country_iso3"] == code])
            for code in countries
        ]
        series = [line for line in series if line.points]
        if not series:
            continue
        years = [row["year"] for row in rows]
        drawn = ", ".join(line.label for line in series[:-1]) + f" and {series[-1].label}" if len(series) > 1 else series[0].label
        edition = wording.edition_name(max((row["source_updated"] for row in rows if row["source_updated"]), default=None))
        projected = any(row["is_forecast"] for row in rows)
        caption = f"{title}, {drawn}, {min(years)}–{max(years)}, in {unit}."
        if projected:
            caption += " Dashed lines with hollow markers are IMF projections."
        caption += f" Source: IMF WEO, {edition or 'edition unknown'}."
        found.append({"title": title, "svg": charts.line_chart(series, title, unit, height=2.3), "caption": caption})
    return found


def _events(connection, period_start: dt.date, period_end: dt.date, as_of: dt.datetime) -> list[dict]:
    events = _rows(connection, "briefing_timeline")
    recent = as_of.year - RECENT_YEARS
    for event in events:
        event["in_period"] = period_start <= event["event_date"] <= period_end
        event["date_display"] = wording.event_date(event["event_date"], event["date_precision"])
        event["sources"] = json.loads(event["sources"])
        event["publishers"] = "; ".join(dict.fromkeys(_publisher(source["publisher"]) for source in event["sources"]))
        event["show_summary"] = event["is_key"] or event["in_period"] or event["year"] >= recent
    return events


def _publisher(name: str) -> str:
    return "the source article" if name == "seed article" else name


DIFFERENCE_UNITS = {"places": " places", "years": " years", "weeks": " weeks", "pt": " pt", "%": "%", "ratio": "", "chapters": " chapters"}


def _claim_row(claim: dict) -> dict:
    """A claim as printed: the numbers the verdict follows from, in the claim's own unit, in words."""
    decimals = 0 if claim["unit"] in ("USD", "rank", "persons", "arrivals", "chapters") or abs(claim["claimed"]) >= 1000 else 1
    decimals = 2 if claim["unit"] == "ratio" else decimals
    observed = wording.number(claim["observed"], decimals)
    if claim["unit"] == "rank" and claim["observed"] is not None and claim["out_of"]:
        observed = f"{claim['observed']:.0f} of {claim['out_of']}"
    return {
        **claim,
        "claimed_text": _claim_amount(claim["claimed"], claim["unit"], decimals),
        "observed_text": _claim_amount(claim["observed"], claim["unit"], decimals) if claim["unit"] != "rank" else observed,
        "unit_text": {"USD": "US$", "billion USD": "US$ billion", "persons": "people", "rank": "rank", "%": "%"}.get(claim["unit"], claim["unit"]),
        "difference_text": "" if claim["difference"] is None else wording.signed(
            claim["difference"], {"places": 0, "chapters": 0, "ratio": 2}.get(claim["difference_unit"], 1),
            DIFFERENCE_UNITS.get(claim["difference_unit"], " " + claim["difference_unit"])),
        "period_text": wording.with_written_dates(claim["observed_period"] or ""),
        "source_text": wording.with_country_names(claim["source"] or ""),
        "vintage_text": _vintage("", claim["vintage"]) if claim["vintage"] else "",
        "reason_text": wording.with_country_names(claim["reason"] or ""),
    }


def _claim_amount(value: float | None, unit: str, decimals: int) -> str:
    if unit == "USD" and value is not None and abs(value) >= 1e6:
        return wording.money(value)
    return wording.number(value, decimals)


def _claim_counts(claims: list[dict]) -> dict:
    counts = {"supported": 0, "outdated": 0, "contradicted": 0, "not checkable": 0}
    for claim in claims:
        counts[claim["verdict"]] += 1
    return counts


def _quality_flags(connection, countries: list[str]) -> list[dict]:
    flags = _rows(connection, "briefing_data_quality", countries=countries)
    for flag in flags:
        flag["source_name"] = SOURCE_NAMES.get(flag["source"], flag["source"])
        flag["value_text"] = wording.number(flag["value"], 2)
        flag["previous_text"] = wording.number(flag["previous_value"], 2)
    return flags


STATE_TEXT = {
    "current": "current",
    "stale": "stale: its latest data are for {latest_period}, {age} years before {as_of_year}",
    "no data": "no data for the pair",
    "failed": "not reached in the latest refresh; its last good data are served",
}


def _state_text(state: str, row: dict, as_of_year: int) -> str:
    if state == "failed" and not row.get("fetched_at"):
        return "failed: no data loaded yet"
    latest = row.get("latest_period")
    age = as_of_year - int(latest[:4]) if latest and latest[:4].isdigit() else "?"
    return STATE_TEXT.get(state, state).format(latest_period=latest, age=age, as_of_year=as_of_year)


def _freshness(connection, config: Config, as_of: dt.datetime) -> list[dict]:
    """Each source on three clocks: its latest period, the publisher's own stamp, our last good fetch."""
    status = {row["source"]: row for row in _rows(connection, "status")}
    rows = []
    for source in config.sources.values():
        row = status.get(source.name, {})
        api, path, licence = SOURCE_NOTES[source.name]
        state = "switched off" if not source.enabled else row.get("state", "no data")
        rows.append({
            "source": source.name,
            "name": SOURCE_NAMES[source.name],
            "title": SOURCE_TITLES[source.name],
            "state": state,
            "state_text": _state_text(state, row, as_of.year),
            "is_stale": state in ("stale", "no data", "failed"),
            "latest_period": row.get("latest_period") or "–",
            "publisher_updated": f"{row['publisher_updated']:%Y-%m-%d}" if row.get("publisher_updated") else "unknown",
            "fetched_at": f"{row['fetched_at']:%Y-%m-%d %H:%M} UTC" if row.get("fetched_at") else "never",
            "last_error": row.get("last_error") or "",
            "api": api,
            "endpoint": f"{source.base_url}{path}",
            "licence": licence,
        })
    return rows


def _vintage_summary(freshness: list[dict], connection) -> str:
    """The data vintage of the whole briefing, for page 1 notes and the archive: each source's publisher stamp."""
    editions = [row["source_updated"] for row in _rows(connection, "briefing_weo_editions") if row["source_updated"]]
    parts = []
    for row in freshness:
        if row["publisher_updated"] == "unknown":
            continue
        edition = f" {wording.edition_name(max(editions))}," if row["source"] == "imf_datamapper" and editions else ""
        parts.append(f"{row['name']}{edition} {row['publisher_updated']}")
    return "; ".join(parts) or "no data"


def _weo_note(connection) -> str:
    """One line on the WEO edition: which one, or that none was named and so no year is called actual."""
    editions = [row["source_updated"] for row in _rows(connection, "briefing_weo_editions")]
    if not editions:
        return ""
    named = [edition for edition in editions if edition]
    if len(named) < len(editions):
        return ("IMF WEO: the publisher named no edition for some values, so they are neither called actual nor"
                " projected and stay out of the key figures.")
    latest = max(named)
    return (f"IMF WEO figures are from the {wording.edition_name(latest)}, as the IMF names it;"
            f" {latest[4:8]} and later are IMF projections.")


def _changes(connection, pair: list[str], previous: list[dict], events: list[dict]) -> dict:
    """What moved since the previous period's briefing: revisions, new data points, new events."""
    if not previous:
        return {"has_previous": False, "previous_period": None, "since": None, "revisions": [], "all_revisions": 0,
                "more_revisions": 0, "new_points": [], "previous_figures": {}, "new_events": []}
    since = previous[0]["as_of"]
    revisions = _rows(connection, "briefing_revisions", since=since)
    for revision in revisions:
        revision["country"] = wording.country_name(revision["country_iso3"])
        if revision["counterpart_area"]:
            revision["country"] = wording.direction(revision["country_iso3"], revision["counterpart_area"])
        revision["source_name"] = SOURCE_NAMES.get(revision["source"], revision["source"])
        revision["old_text"] = wording.number(revision["old_value"], 2)
        revision["new_text"] = wording.number(revision["new_value"], 2)
        revision["change_text"] = wording.signed(revision["change_pct"], 2, "%")
    new_points = _rows(connection, "briefing_new_points", countries=pair, since=since)
    for point in new_points:
        point["source_name"] = SOURCE_NAMES.get(point["source"], point["source"])
    record = json.loads(previous[0]["figures"])
    known_events = set(record["event_ids"])
    shown = 15
    return {
        "has_previous": True,
        "previous_period": wording.period_name(previous[0]["period"]),
        "since": wording.moment(since),
        "revisions": revisions[:shown],
        "all_revisions": len(revisions),
        "more_revisions": max(0, len(revisions) - shown),
        "new_points": new_points,
        "previous_figures": {figure["key"]: figure for figure in record["figures"]},
        "new_events": [event for event in events if event["event_id"] not in known_events],
    }
