"""Marts -> plain data for the template. Every figure carries value, unit, source, period and vintage.

No HTML here and no SQL: the queries are in sql/queries/briefing_*.sql.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field

import duckdb

from bilateral import queries
from bilateral.briefing import charts
from bilateral.config import Config
from bilateral.errors import BriefingError

SOURCE_NAMES = {
    "worldbank": "World Bank WDI",
    "imf_datamapper": "IMF WEO (DataMapper)",
    "imf_trade": "IMF IMTS",
    "comtrade": "UN Comtrade",
}
# (API, request path under the base URL, licence)
SOURCE_NOTES = {
    "worldbank": ("Indicators API v2", "/country/{countries}/indicator/{code}", "CC BY 4.0 (World Bank Open Data terms)"),
    "imf_datamapper": ("DataMapper API v1", "/{indicator}/{countries}", "IMF copyright; free reuse with attribution (imf.org terms)"),
    "imf_trade": ("SDMX 3.0, dataflow IMTS", "/data/dataflow/IMF.STA/IMTS/+/{key}", "IMF copyright; free reuse with attribution (imf.org terms)"),
    "comtrade": ("Comtrade v1", "/public/v1/preview/C/A/HS (with a key: /data/v1/get/C/A/HS)", "UN Comtrade terms of use; attribution required"),
}


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
    Metric("gdp", "GDP", "imf_datamapper", "NGDPD", "billion USD", decimals=0),
    Metric("gdp_per_capita", "GDP per capita", "imf_datamapper", "NGDPDPC", "USD", decimals=0),
    Metric("population", "Population", "worldbank", "SP.POP.TOTL", "million", scale=1e-6),
    Metric("growth", "Real GDP growth", "imf_datamapper", "NGDP_RPCH", "%", points=True),
    Metric("inflation", "Inflation, consumer prices", "imf_datamapper", "PCPIPCH", "%", points=True),
    Metric("life_expectancy", "Life expectancy at birth", "worldbank", "SP.DYN.LE00.IN", "years", points=True),
    Metric("trade_openness", "Trade openness", "worldbank", "NE.TRD.GNFS.ZS", "% of GDP", points=True),
)
RANKS = (("NGDPD", "World rank by GDP"), ("NGDPDPC", "World rank by GDP per capita"))
# (source, indicator, title, unit, with_peers): levels show the pair alone, since the
# largest peers would flatten its lines; rates compare well with the peers beside them
MACRO_CHARTS = (
    ("imf_datamapper", "NGDPD", "GDP, current prices", "billion USD", False),
    ("imf_datamapper", "NGDPDPC", "GDP per capita, current prices", "USD", False),
    ("imf_datamapper", "NGDP_RPCH", "Real GDP growth", "% per year", True),
    ("imf_datamapper", "PCPIPCH", "Inflation, average consumer prices", "% per year", True),
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
    as_of: str
    pair: list[dict]
    freshness: list[dict]
    weo_note: str
    findings: list[dict]
    key_rows: list[dict]
    trade_rows: list[dict]
    trade_chart: str | None
    trade_markers: list[dict]
    trade_note: str
    products: list[dict]
    products_chart: str | None
    macro_charts: list[dict]
    events: list[dict]
    claims: list[dict]
    claim_counts: dict
    changes: dict
    quality_flags: list[dict]
    figures: list[dict] = field(default_factory=list)


def parse_period(period: str | None, today: dt.date) -> tuple[str, dt.date, dt.date]:
    """'2026-11' or '2026-Q4' (default: this month) -> (label, first day, last day)."""
    period = period or f"{today:%Y-%m}"
    monthly = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", period)
    quarterly = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if monthly:
        year, month = int(monthly.group(1)), int(monthly.group(2))
        start, end_month = dt.date(year, month, 1), month
    elif quarterly:
        year, quarter = int(quarterly.group(1)), int(quarterly.group(2))
        start, end_month = dt.date(year, 3 * quarter - 2, 1), 3 * quarter
    else:
        raise BriefingError(f"--period {period!r}: expected YYYY-MM (e.g. 2026-11) or YYYY-Qn (e.g. 2026-Q4)")
    following = dt.date(year + end_month // 12, end_month % 12 + 1, 1)
    return period, start, following - dt.timedelta(days=1)


def build(connection: duckdb.DuckDBPyConnection, config: Config, period: str, period_start: dt.date,
          period_end: dt.date, as_of: dt.datetime) -> Briefing:
    """Everything the template prints, read from the marts as they stood at `as_of`."""
    connection.execute("set variable as_of = ?", [as_of])
    pair = list(config.pair)
    names = _country_names(connection, pair)
    previous = _rows(connection, "briefing_previous", period=period)
    since = previous[0]["as_of"] if previous else dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)
    freshness = _freshness(connection, config)
    key_rows, figures = _key_figures(connection, pair, names)
    trade_rows, trade_note = _trade(connection, pair)
    events = _events(connection, period_start, period_end)
    claims = _rows(connection, "claims")
    products = _rows(connection, "briefing_products")
    changes = _changes(connection, pair, since, previous, events)
    markers = _trade_markers(trade_rows, events)
    briefing = Briefing(
        title=f"{names[pair[0]]} and {names[pair[1]]}: briefing",
        period=period,
        as_of=f"{as_of:%Y-%m-%d %H:%M} UTC",
        pair=[{"code": code, "name": names[code]} for code in pair],
        freshness=freshness,
        weo_note=_weo_note(connection),
        findings=[],
        key_rows=key_rows,
        trade_rows=trade_rows,
        trade_chart=_trade_chart(trade_rows, markers, pair) if trade_rows else None,
        trade_markers=markers,
        trade_note=trade_note,
        products=products,
        products_chart=_products_chart(products) if products else None,
        macro_charts=_macro_charts(connection, config, names),
        events=events,
        claims=[_claim_row(claim) for claim in claims],
        claim_counts=_claim_counts(claims),
        changes=changes,
        quality_flags=_quality_flags(connection, list(config.countries)),
        figures=figures,
    )
    briefing.findings = _findings(briefing, pair, names)
    return briefing


def _rows(connection, name: str, **parameters) -> list[dict]:
    result = connection.execute(queries.text(name), parameters or None)
    columns = [column[0] for column in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]


def _country_names(connection, pair: list[str]) -> dict[str, str]:
    found = {row["country_iso3"]: row["country_name"] for row in _rows(connection, "briefing_country_names", countries=pair)}
    return {code: found.get(code, code) for code in pair}


def number_text(value: float | None, decimals: int = 1) -> str:
    """A value as printed: thousands separated, fixed decimals; an en dash when missing."""
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}"


def money_text(value: float | None) -> str:
    """US dollars, scaled to million or billion as a reader says them."""
    if value is None:
        return "–"
    if abs(value) >= 1e9:
        return f"${value / 1e9:,.2f} bn"
    return f"${value / 1e6:,.1f} m"


def _figure(key: str, value, unit: str, source: str, period, vintage, decimals: int) -> Figure:
    return Figure(key, value, unit, SOURCE_NAMES.get(source, source), str(period), str(vintage or "–"),
                  number_text(value, decimals))


def _key_figures(connection, pair: list[str], names: dict[str, str]) -> tuple[list[dict], list[dict]]:
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
            change = "–"
            if now and before and now["rank_in_both"] is not None:
                # counted over the economies with a value in both years, so a newcomer moves no one
                moved = now["previous_rank_in_both"] - now["rank_in_both"]
                places = f"{abs(moved)} place{'s' if abs(moved) != 1 else ''}"
                change = "unchanged" if moved == 0 else f"{'up' if moved > 0 else 'down'} {places}"
                change += f" (among {now['out_of_both']})"
            cells.append(asdict(Cell(latest_rank, _rank_figure(indicator, code, before), change)))
            if latest_rank:
                figures.append(asdict(latest_rank))
        rows.append({"label": label, "unit": "rank of economies", "cells": cells})
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
    return Figure(**{**asdict(figure), "text": f"{row['rank']} of {row['out_of']}"})


def _change(metric: Metric, now: dict | None, before: dict | None) -> str:
    if not now or not before:
        return "–"
    if metric.points:
        return f"{now['value'] - before['value']:+.1f} pt"
    if before["value"] == 0:
        return "–"
    return f"{100 * (now['value'] - before['value']) / abs(before['value']):+.1f}%"


def _trade(connection, pair: list[str]) -> tuple[list[dict], str]:
    rows = _rows(connection, "briefing_trade")
    for row in rows:
        row["exports_text"] = money_text(row["exports_fob_usd"])
        row["imports_text"] = money_text(row["imports_cif_usd"])
        row["gap_text"] = "–" if row["gap_pct"] is None else f"{row['gap_pct']:+,.1f}%"
    missing = sorted({row["year"] for row in rows if row["missing_side"] == "exporter" and row["exporter_iso3"] == pair[0]})
    note = ""
    if rows:
        last_year = max(row["year"] for row in rows)
        note = f"IMF IMTS data end in {last_year}."
        if missing:
            note += f" {pair[0]} reported no exports to {pair[1]} for {_years_text(missing)}: those years rest on {pair[1]}'s import records."
    return rows, note


def _years_text(years: list[int]) -> str:
    spans, start = [], years[0]
    for previous, current in zip(years, years[1:] + [None]):
        if current != previous + 1:
            spans.append(str(start) if start == previous else f"{start}-{previous}")
            start = current
    return ", ".join(spans)


def _trade_markers(rows: list[dict], events: list[dict]) -> list[dict]:
    """Key events within the years the trade chart covers, numbered for its caption."""
    if not rows:
        return []
    first, last = min(row["year"] for row in rows), max(row["year"] for row in rows)
    chosen = [event for event in events if event["is_key"] and first <= event["year"] <= last]
    return [{"label": str(number), "year": event["year"], "title": event["title"]} for number, event in enumerate(chosen, 1)]


def _trade_chart(rows: list[dict], markers: list[dict], pair: list[str]) -> str:
    lines = []
    for exporter, importer in (pair, pair[::-1]):
        direction = f"{exporter}->{importer}"
        flows = [row for row in rows if row["direction"] == direction]
        lines.append(charts.Series(f"{exporter} to {importer}, as {exporter} reports (FOB)",
                                   [(row["year"], row["exports_fob_usd"], False) for row in flows if row["exports_fob_usd"] is not None]))
        lines.append(charts.Series(f"{exporter} to {importer}, as {importer} reports (CIF)",
                                   [(row["year"], row["imports_cif_usd"], False) for row in flows if row["imports_cif_usd"] is not None]))
    return charts.line_chart([line for line in lines if line.points], "Goods trade between the pair", "USD",
                             [(marker["year"], marker["label"]) for marker in markers])


def _products_chart(products: list[dict]) -> str:
    top = sorted(products, key=lambda row: row["value_usd"], reverse=True)[:8]
    labels = [f"{row['direction']} HS {row['hs_chapter']} {row['description']}" for row in top]
    return charts.bar_chart(labels, [row["value_usd"] for row in top], f"Largest product flows, {top[0]['year']}", "USD")


def _macro_charts(connection, config: Config, names: dict[str, str]) -> list[dict]:
    found = []
    for source, indicator, title, unit, with_peers in MACRO_CHARTS:
        countries = list(config.countries if with_peers else config.pair)
        rows = _rows(connection, "briefing_series", source=source, indicator=indicator,
                     countries=countries, since=CHART_SINCE)
        if not rows:
            continue
        series = []
        for code in countries:
            points = [(row["year"], row["value"], row["is_forecast"]) for row in rows if row["country_iso3"] == code]
            if points:
                name = next(row["country_name"] for row in rows if row["country_iso3"] == code)
                series.append(charts.Series(name, points))
        vintage = rows[-1]["source_updated"]
        if len(series) > len(config.pair):
            title += ", with peers"
        found.append({"title": title, "svg": charts.line_chart(series, title, unit),
                      "source": f"{SOURCE_NAMES[source]}, {indicator}, {vintage}; dashed: IMF projections"})
    return found


def _events(connection, period_start: dt.date, period_end: dt.date) -> list[dict]:
    events = _rows(connection, "briefing_timeline")
    for event in events:
        event["in_period"] = period_start <= event["event_date"] <= period_end
        event["sources"] = json.loads(event["sources"])
        event["trade_text"] = money_text(event["trade_usd"]) if event["trade_usd"] is not None else ""
    return events


MINUS = "\u2212"
DIFFERENCE_UNITS = {"places": " places", "years": " years", "weeks": " weeks", "pt": " pt", "%": "%"}


def _claim_row(claim: dict) -> dict:
    """A claim as printed: the numbers the verdict follows from, in the claim's own unit."""
    decimals = 0 if claim["unit"] in ("USD", "rank", "persons", "arrivals") or abs(claim["claimed"]) >= 1000 else 1
    observed = number_text(claim["observed"], decimals)
    if claim["unit"] == "rank" and claim["observed"] is not None and claim["out_of"]:
        observed = f"{claim['observed']:.0f} of {claim['out_of']}"
    return {
        **claim,
        "claimed_text": number_text(claim["claimed"], decimals),
        "observed_text": observed,
        "difference_text": _signed(claim["difference"], claim["difference_unit"]),
    }


def _signed(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    decimals = 0 if unit == "places" else 1
    text = f"{abs(value):,.{decimals}f}{DIFFERENCE_UNITS.get(unit, ' ' + unit)}"
    if round(value, decimals) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def _claim_counts(claims: list[dict]) -> dict:
    counts = {"supported": 0, "outdated": 0, "contradicted": 0, "not checkable": 0}
    for claim in claims:
        counts[claim["verdict"]] += 1
    return counts


def _quality_flags(connection, countries: list[str]) -> list[dict]:
    flags = _rows(connection, "briefing_data_quality", countries=countries)
    for flag in flags:
        flag["value_text"] = number_text(flag["value"], 2)
        flag["previous_text"] = number_text(flag["previous_value"], 2)
    return flags


STATE_TEXT = {
    "current": "current",
    "stale": "stale: latest period {latest_period}",
    "no data": "no data for the pair",
    "failed": "failed: the last good data are served",
}


def _state_text(state: str, row: dict) -> str:
    if state == "failed" and not row.get("fetched_at"):
        return "failed: no data loaded yet"
    return STATE_TEXT.get(state, state).format(latest_period=row.get("latest_period"))


def _freshness(connection, config: Config) -> list[dict]:
    """Each source on three clocks: its latest period, the publisher's own stamp, our last good fetch."""
    status = {row["source"]: row for row in _rows(connection, "briefing_freshness")}
    rows = []
    for source in config.sources.values():
        row = status.get(source.name, {})
        api, path, licence = SOURCE_NOTES[source.name]
        state = "switched off" if not source.enabled else row.get("state", "no data")
        rows.append({
            "source": source.name,
            "name": SOURCE_NAMES[source.name],
            "state": state,
            "state_text": _state_text(state, row),
            "is_stale": state in ("stale", "no data", "failed"),
            "latest_period": row.get("latest_period") or "–",
            "publisher_updated": f"{row['publisher_updated']:%Y-%m-%d}" if row.get("publisher_updated") else "unknown",
            "fetched_at": _when(row.get("fetched_at")),
            "last_error": row.get("last_error") or "",
            "api": api,
            "endpoint": f"{source.base_url}{path}",
            "licence": licence,
        })
    return rows


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
    year, month = int(latest[4:8]), int(latest[9:11])
    return (f"IMF WEO figures are from the {dt.date(year, month, 1):%B %Y} edition, as the IMF names it;"
            f" {year} and later are IMF projections.")


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "–"


def _changes(connection, pair: list[str], since: dt.datetime, previous: list[dict], events: list[dict]) -> dict:
    """What moved since the previous briefing: revisions, new data points, new events, changed key figures."""
    revisions = _rows(connection, "briefing_revisions", since=since)
    for revision in revisions:
        revision["old_text"] = number_text(revision["old_value"], 2)
        revision["new_text"] = number_text(revision["new_value"], 2)
    new_points = _rows(connection, "briefing_new_points", countries=pair, since=since)
    record = json.loads(previous[0]["figures"]) if previous else {"figures": [], "event_ids": []}
    known_events = set(record["event_ids"])
    return {
        "has_previous": bool(previous),
        "previous_period": previous[0]["period"] if previous else None,
        "since": _when(since) if previous else None,
        "revisions": revisions,
        "new_points": new_points,
        "previous_figures": {figure["key"]: figure for figure in record["figures"]},
        "new_events": [event for event in events if previous and event["event_id"] not in known_events],
    }


def _findings(briefing: Briefing, pair: list[str], names: dict[str, str]) -> list[dict]:
    """Four to seven sentences, each built on a figure printed elsewhere in the briefing."""
    findings = []
    a, b = (names[code] for code in pair)
    both = [row for row in briefing.trade_rows if row["missing_side"] is None]
    years = sorted({row["year"] for row in briefing.trade_rows})
    if years:
        latest = years[-1]
        total = _trade_total(briefing.trade_rows, latest)
        before = _trade_total(briefing.trade_rows, latest - 1)
        change = f", {100 * (total - before) / before:+.1f}% on {latest - 1}" if total and before else ""
        findings.append({"headline": "Bilateral goods trade", "figure": money_text(total),
                         "text": f"Goods trade between {a} and {b} came to {money_text(total)} in {latest}{change} (IMF IMTS, each direction as its exporter reports it, else as its importer does)."})
    recent = [row for row in both if row["year"] > years[-1] - 10] if years else []
    if recent:
        widest = max(recent, key=lambda row: abs(row["gap_pct"] or 0))
        findings.append({"headline": "Mirror gap", "figure": widest["gap_text"],
                         "text": f"Over the last ten years the two sides' records disagree most for {widest['direction']} in {widest['year']}: the importer's figure is {widest['gap_text']} against the exporter's ({widest['imports_text']} vs {widest['exports_text']})."})
    growth = next((row for row in briefing.key_rows if row["label"] == "Real GDP growth"), None)
    if growth and all(cell["latest"] for cell in growth["cells"]):
        left, right = (cell["latest"] for cell in growth["cells"])
        findings.append({"headline": "Growth gap", "figure": f"{left['value'] - right['value']:+.1f} pt",
                         "text": f"Real growth in {left['period']}: {a} {left['text']}%, {b} {right['text']}% (IMF WEO, {left['vintage']})."})
    gdp_rank = next((row for row in briefing.key_rows if row["label"] == "World rank by GDP"), None)
    if gdp_rank and all(cell["latest"] for cell in gdp_rank["cells"]):
        left, right = (cell["latest"] for cell in gdp_rank["cells"])
        findings.append({"headline": "World ranks by GDP", "figure": f"{int(left['value'])} and {int(right['value'])}",
                         "text": f"By GDP in US dollars, {a} ranks {left['text']} and {b} {right['text']} economies in {left['period']} (IMF WEO, {left['vintage']})."})
    counts = briefing.claim_counts
    checked = counts["supported"] + counts["outdated"] + counts["contradicted"]
    if checked:
        findings.append({"headline": "The article's figures", "figure": f"{counts['supported']} of {checked}",
                         "text": f"Of the article's {checked} checkable figures, {counts['supported']} hold, {counts['outdated']} held for an earlier year only and {counts['contradicted']} are contradicted; {counts['not checkable']} cannot be checked with these data."})
    revisions = briefing.changes["revisions"]
    if briefing.changes["has_previous"]:
        findings.append({"headline": "Since the last briefing", "figure": str(len(revisions)),
                         "text": f"{len(revisions)} values were revised and {sum(row['new_values'] for row in briefing.changes['new_points'])} new data points arrived since the briefing for {briefing.changes['previous_period']}."})
    stale = [f"{row['name']} ({row['state_text']})" for row in briefing.freshness if row["is_stale"]]
    if stale:
        findings.append({"headline": "Sources not current", "figure": str(len(stale)),
                         "text": f"Not current in this briefing: {'; '.join(stale)}. Their figures are the last ones loaded, or missing."})
    return findings[:7]


def _trade_total(rows: list[dict], year: int) -> float | None:
    flows = [row for row in rows if row["year"] == year]
    values = [row["exports_fob_usd"] if row["exports_fob_usd"] is not None else row["imports_cif_usd"] for row in flows]
    values = [value for value in values if value is not None]
    return sum(values) if len(values) == 2 else None
