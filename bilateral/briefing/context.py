"""Marts -> plain data for the template. Every figure carries value, unit, source, period and vintage.

No HTML here and no SQL: the queries are in sql/queries/briefing_*.sql. Reader text is
worded by bilateral.briefing.wording; codes appear only in the sources appendix.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import asdict, dataclass, field

import duckdb

from bilateral import queries
from bilateral.briefing import charts, findings, wording
from bilateral.briefing.wording import N_, _
from bilateral.config import Config
from bilateral.connections import look_at

SOURCE_NAMES = {
    "worldbank": "World Bank WDI",
    "imf_datamapper": "IMF WEO",
    "imf_trade": "IMF IMTS",
    "comtrade": "UN Comtrade",
}
SOURCE_TITLES = {
    "worldbank": N_("World Bank, World Development Indicators"),
    "imf_datamapper": N_("IMF, World Economic Outlook (DataMapper)"),
    "imf_trade": N_("IMF, International Trade in Goods by partner (IMTS)"),
    "comtrade": N_("UN Comtrade, goods trade by HS chapter"),
}
# (API, request path under the base URL, licence)
SOURCE_NOTES = {
    "worldbank": ("Indicators API v2", "/country/{countries}/indicator/{code}", N_("CC BY 4.0 (World Bank Open Data terms)")),
    "imf_datamapper": ("DataMapper API v1", "/{indicator}/{countries}", N_("IMF copyright; free reuse with attribution (imf.org terms)")),
    "imf_trade": ("SDMX 3.0, dataflow IMTS", "/data/dataflow/IMF.STA/IMTS/+/{key}", N_("IMF copyright; free reuse with attribution (imf.org terms)")),
    "comtrade": ("Comtrade v1", N_("/public/v1/preview/C/A/HS (with a key: /data/v1/get/C/A/HS)"), N_("UN Comtrade terms of use; attribution required")),
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
    difference: str = ""  # a change as a difference in this unit (" pt", " years"), not in per cent


KEY_METRICS = (
    Metric("gdp", N_("GDP, current prices"), "imf_datamapper", "NGDPD", N_("US$ billion"), decimals=0),
    Metric("gdp_per_capita", N_("GDP per person, current prices"), "imf_datamapper", "NGDPDPC", "US$", decimals=0),
    Metric("population", N_("Population"), "worldbank", "SP.POP.TOTL", N_("million"), scale=1e-6),
    Metric("growth", N_("Real GDP growth"), "imf_datamapper", "NGDP_RPCH", N_("% a year"), difference=N_(" pt")),
    Metric("inflation", N_("Inflation, consumer prices"), "imf_datamapper", "PCPIPCH", N_("% a year"), difference=N_(" pt")),
    Metric("life_expectancy", N_("Life expectancy at birth"), "worldbank", "SP.DYN.LE00.IN", N_("years"), difference=N_(" years")),
    Metric("trade_openness", N_("Trade in goods and services"), "worldbank", "NE.TRD.GNFS.ZS", N_("% of GDP"), difference=N_(" pt")),
)
RANKS = (("NGDPD", N_("World rank by GDP")), ("NGDPDPC", N_("World rank by GDP per person")))
# (source, indicator, title, axis unit, with_peers): levels show the pair alone, since the
# largest peers would flatten its lines; rates compare well with the peers beside them
MACRO_CHARTS = (
    ("imf_datamapper", "NGDPD", N_("GDP, current prices"), N_("US$ billion"), False),
    ("imf_datamapper", "NGDPDPC", N_("GDP per person, current prices"), "US$", False),
    ("imf_datamapper", "NGDP_RPCH", N_("Real GDP growth"), N_("% a year"), True),
    ("imf_datamapper", "PCPIPCH", N_("Inflation, average consumer prices"), N_("% a year"), True),
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
    source_id: str = ""  # the source module, whose page in the HTML archive the figure links to


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
    claims_document: dict | None  # the article the claims come from, when the claims file names it
    changes: dict
    quality_flags: list[dict]
    vintage: str
    language: str = "en"
    figures: list[dict] = field(default_factory=list)
    edition: str = ""  # "" for the period's briefing; "asof-YYYY-MM-DD" for a rebuild as the data stood then
    note: str = ""  # a word to the reader on page 1, e.g. that this is the demo on recorded data


def build(connection: duckdb.DuckDBPyConnection, config: Config, period: str, period_start: dt.date,
          period_end: dt.date, as_of: dt.datetime, since: str | None = None) -> Briefing:
    """Everything the template prints, read from the marts as they stood at `as_of`.

    "Since the last briefing" compares with the briefing of the previous period (or of `since`).
    """
    connection.execute("set variable as_of = ?", [as_of])
    look_at(connection, config.pair_code)
    pair = list(config.pair)
    names = {code: wording.country_name(code) for code in config.countries}
    previous = _rows(connection, "briefing_previous", pair=config.pair_code, period=period, since=since)
    freshness = source_freshness(connection, config, as_of)
    key_rows, figures = _key_figures(connection, pair)
    trade_rows, trade_note = _trade(connection, pair)
    trade_note = trade_note or _trade_absence(freshness, pair)
    claims = claim_rows(connection, wording.language())
    events = timeline_events(connection, period_start, period_end, as_of, wording.language(), claims_document(claims))
    markers = _trade_markers(trade_rows, events)
    briefing = Briefing(
        title=wording.pair_title(pair),
        period=period,
        period_name=wording.period_name(period),
        as_of=wording.moment(as_of),
        pair=[{"code": code, "name": names[code]} for code in pair],
        freshness=freshness,
        warnings=[f"{row['name']}: {row['state_text']}" for row in freshness if row["is_stale"]],
        language=wording.language(),
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
        claim_counts=claim_counts(claims),
        claims_document=claims_document(claims),
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
        return _("vintage unknown")
    named = wording.edition_name(str(vintage))
    return named if named != vintage else _("updated {date}", date=vintage)


def _figure(key: str, value, unit: str, source: str, period, vintage, decimals: int) -> Figure:
    return Figure(key, value, unit, SOURCE_NAMES.get(source, source), str(period), _vintage(source, vintage),
                  wording.number(value, decimals), source)


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
        rows.append({"key": metric.key, "label": _(metric.label), "unit": _(metric.unit), "cells": [asdict(cell) for cell in cells]})
    ranks = {(row["indicator"], row["country_iso3"], row["recency"]): row for row in _rows(connection, "briefing_ranks", countries=pair)}
    for indicator, label in RANKS:
        cells = []
        for code in pair:
            now, before = (ranks.get((indicator, code, recency)) for recency in (1, 2))
            latest_rank = _rank_figure(indicator, code, now)
            cells.append(asdict(Cell(latest_rank, _rank_figure(indicator, code, before), _rank_change(now, before))))
            if latest_rank:
                figures.append(asdict(latest_rank))
        rows.append({"key": f"rank.{indicator}", "label": _(label), "unit": _("n-th of N economies"), "cells": cells})
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
    return Figure(**{**asdict(figure), "text": _("{ordinal} of {out_of}", ordinal=wording.ordinal(row["rank"]), out_of=row["out_of"])})


def _rank_change(now: dict | None, before: dict | None) -> str:
    """Places moved, counted over the economies with a value in both years, so a newcomer moves no one."""
    if not now or not before or now["rank_in_both"] is None:
        return "–"
    moved = now["previous_rank_in_both"] - now["rank_in_both"]
    if moved == 0:
        return _("unchanged (of {out_of})", out_of=now["out_of_both"])
    if moved > 0:
        return wording.ngettext("up {count} place (of {out_of})", "up {count} places (of {out_of})", moved, out_of=now["out_of_both"])
    return wording.ngettext("down {count} place (of {out_of})", "down {count} places (of {out_of})", -moved, out_of=now["out_of_both"])


def _change(metric: Metric, now: dict | None, before: dict | None) -> str:
    if not now or not before:
        return "–"
    if metric.difference:
        return wording.signed(now["value"] - before["value"], 1, _(metric.difference))
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
                "exports_text": wording.money(flow and flow["exports_fob_usd"]) if flow and flow["exports_fob_usd"] is not None else _("not reported"),
                "imports_text": wording.money(flow and flow["imports_cif_usd"]) if flow and flow["imports_cif_usd"] is not None else _("not reported"),
                "gap_text": wording.signed(flow and flow["gap_pct"], 1, "%") if flow and flow["gap_pct"] is not None else "–",
                "gap_pct": flow and flow["gap_pct"],
            }
        rows.append(row)
    note = ""
    if rows:
        first, last = years[-1], years[0]
        a, b = (wording.country_in_text(code) for code in pair)
        note = _("IMF IMTS records for the pair run from {first} to {last}.", first=first, last=last)
        for side, exporter, importer in (("ab", a, b), ("ba", b, a)):
            missing = sorted(row["year"] for row in rows if row[side]["exports_usd"] is None and row[side]["imports_usd"] is not None)
            if missing:  # one year or several, not a count: every language words them apart
                said = ONE_YEAR_ON_IMPORTS if len(missing) == 1 else YEARS_ON_IMPORTS
                note += " " + wording.sentence(_(said, a=exporter, b=importer, years=_years_text(missing)))
    return rows, note


ONE_YEAR_ON_IMPORTS = N_("{a} reported no exports to {b} for {years}: that year rests on {b}'s import records.")
YEARS_ON_IMPORTS = N_("{a} reported no exports to {b} for {years}: those years rest on {b}'s import records.")


def _trade_absence(freshness: list[dict], pair: list[str]) -> str:
    """Why the trade table is empty: IMTS answered but holds nothing for the pair, or it never loaded."""
    if any(row["source"] == "imf_trade" and row["state"] == "no data" and row["was_fetched"] for row in freshness):
        a, b = (wording.country_in_text(code) for code in pair)
        return _("IMF IMTS holds no goods trade between {a} and {b}, as either side reports it.", a=a, b=b)
    return _("No bilateral trade data yet: IMF IMTS has not been loaded.")


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
        lines.append(charts.Series(_("{direction}, exporter's record", direction=label), [(row["year"], row[side]["exports_usd"], False) for row in flows if row[side]["exports_usd"] is not None]))
        lines.append(charts.Series(_("{direction}, importer's record", direction=label), [(row["year"], row[side]["imports_usd"], False) for row in flows if row[side]["imports_usd"] is not None]))
    drawn = [line for line in lines if line.points]
    years = [year for line in drawn for year, _, _ in line.points]
    a, b = (wording.country_in_text(code) for code in pair)
    return {
        "svg": charts.line_chart(drawn, _("Goods trade between the pair"), "US$", [(m["year"], m["label"]) for m in markers], money=True),
        "caption": _("Goods exports between {a} and {b} in each direction, as the exporter and as the importer record them, "
                     "{first}–{last}; numbered lines mark key events. Source: IMF IMTS.", a=a, b=b, first=min(years), last=max(years)),
        "source_id": "imf_trade",
    }


def _products_chart(products: list[dict]) -> dict | None:
    if not products:
        return None
    top = sorted(products, key=lambda row: row["value_usd"], reverse=True)[:8]
    labels = [f"{wording.direction(*row['direction'].split('->'))}: {row['description']}" for row in top]
    year = top[0]["year"]
    return {
        "svg": charts.bar_chart(labels, [row["value_usd"] for row in top], _("Largest product flows, {year}", year=year), "US$", money=True),
        "caption": _("The eight largest goods flows between the pair by HS chapter in {year}, as the exporter reports them. "
                     "Source: UN Comtrade.", year=year),
        "source_id": "comtrade",
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
        title, unit = _(title), _(unit)
        drawn = _("{some} and {last}", some=", ".join(line.label for line in series[:-1]), last=series[-1].label) if len(series) > 1 else series[0].label
        edition = wording.edition_name(max((row["source_updated"] for row in rows if row["source_updated"]), default=None))
        projected = any(row["is_forecast"] for row in rows)
        caption = _("{title}, {drawn}, {first}–{last}, in {unit}.", title=title, drawn=drawn, first=min(years), last=max(years), unit=unit)
        if projected:
            caption += " " + _("Dashed lines with hollow markers are IMF projections.")
        caption += " " + _("Source: IMF WEO, {edition}.", edition=edition or _("edition unknown"))
        found.append({"title": title, "svg": charts.line_chart(series, title, unit, height=2.3), "caption": caption,
                      "source_id": source})
    return found


def timeline_events(connection, period_start: dt.date, period_end: dt.date, as_of: dt.datetime, language: str,
                    article: dict | None = None) -> list[dict]:
    """The pair's curated events; `article` is the document its claims come from (`claims_document`), which
    the events cite too."""
    events = _rows(connection, "briefing_timeline", language=language)
    recent = as_of.year - RECENT_YEARS
    for event in events:
        event["in_period"] = period_start <= event["event_date"] <= period_end
        event["date_display"] = wording.event_date(event["event_date"], event["date_precision"])
        event["sources"] = json.loads(event["sources"])
        event["cites_article"] = any(_is_article(source, article) for source in event["sources"])
        event["publishers"] = "; ".join(dict.fromkeys(_publisher(source, article) for source in event["sources"]))
        event["show_summary"] = event["is_key"] or event["in_period"] or event["year"] >= recent
    return events


def _is_article(source: dict, article: dict | None) -> bool:
    """Whether a source is the article the claims come from, however an event cites it: the curated copy
    (publisher "seed article") or its published address."""
    return source["publisher"] == "seed article" or bool(article and article["url"] and source["url"] == article["url"])


def _publisher(source: dict, article: dict | None) -> str:
    if _is_article(source, article):
        return article["cited"] if article else _("the source article")
    return source["publisher"]


ONE_UNIT = {"places": N_(" place"), "chapters": N_(" chapter")}  # a difference of exactly one
DIFFERENCE_UNITS = {"places": N_(" places"), "years": N_(" years"), "weeks": N_(" weeks"), "pt": N_(" pt"), "%": "%", "ratio": "",
                    "chapters": N_(" chapters")}
UNIT_NAMES = {"USD": "US$", "billion USD": N_("US$ billion"), "persons": N_("people"), "%": "%",
              "years": N_("years"), "weeks": N_("weeks"), "chapters": N_("chapters"), "ratio": N_("ratio"), "pt": N_("pt"),
              "arrivals": N_("arrivals")}
VERDICTS = {"supported": N_("supported"), "outdated": N_("outdated"), "contradicted": N_("contradicted"),
            "not checkable": N_("not checkable")}


def claim_rows(connection, language: str) -> list[dict]:
    """Every claim as printed, its curated texts in `language`."""
    return [_claim_row(claim) for claim in _rows(connection, "briefing_claims", language=language)]


def claims_document(claims: list[dict]) -> dict | None:
    """The document the claims come from: its title and a byline of what else is known (author, publisher,
    day, in the reader's language); None when the claims file names none."""
    named = next((claim for claim in claims if claim["document_title"]), None)
    if named is None:
        return None
    author, publisher, published = named["document_author"], named["document_publisher"], named["document_published"]
    byline = ", ".join(part for part in (author, publisher, published and wording.event_date(published, "day")) if part)
    # as a source among others ("Eurasia Review (Matija Šerić, 2023)"): publisher first, like the rest
    detail = ", ".join(str(part) for part in (author, published and published.year) if part)
    cited = f"{publisher} ({detail})" if publisher and detail else publisher or detail or _("the source article")
    return {"title": named["document_title"], "byline": byline, "url": named["document_url"], "cited": cited}


def _phrases(*pairs: tuple[str, str]) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(pattern), message) for pattern, message in pairs]


# What marts.claims_check (sql/marts/070_claims_check.sql, sql/claims/*.sql) writes in English, as messages
_N = r"(?P<n>[\d.]+)"
_C = r"(?P<country>[A-Z]{3})"
_Y = r"(?P<year>\d{4})"
CLAIM_PHRASES = _phrases(
    ("exact rank", N_("exact rank")),
    ("exact", N_("exact")),
    ("more than the claimed value", N_("more than the claimed value")),
    ("less than the claimed value", N_("less than the claimed value")),
    ("within ±1 place", N_("within ±1 place")),
    (rf"within ±{_N} places", N_("within ±{n} places")),
    (rf"within ±{_N} %", N_("within ±{n} %")),
    (rf"within ±{_N} pt", N_("within ±{n} pt")),
    (rf"within ±{_N}", N_("within ±{n}")),
    (rf"each named chapter among the {_N} largest", N_("each named chapter among the {n} largest")),
    ("±1 year", N_("±1 year")),
    ("±1 week", N_("±1 week")),
    (rf"±{_N} years", N_("±{n} years")),
    (rf"±{_N} weeks", N_("±{n} weeks")),
    ('a lower bound \\("more than"\\)', N_('a lower bound ("more than")')),
    ('an upper bound \\("less than"\\)', N_('an upper bound ("less than")')),
    ("cumulative change", N_("cumulative change")),
    ("average annual change", N_("average annual change")),
    (r"held for (?P<then>\d{4}), no longer for (?P<now>\d{4})", N_("held for {then}, no longer for {now}")),
    (rf"held in an earlier vintage of {_Y}, not in the current one", N_("held in an earlier vintage of {year}, not in the current one")),
    (rf"not within tolerance in {_Y} nor in any earlier year loaded", N_("not within tolerance in {year} nor in any earlier year loaded")),
    ("outside the tolerance under every reading", N_("outside the tolerance under every reading")),
    ("the curated timeline lacks one of the events the span needs", N_("the curated timeline lacks one of the events the span needs")),
    (rf"IMF IMTS holds no {_Y} trade of {_C} with any partner; a rank needs its trade with all of them \(at least 50\)",
     N_("IMF IMTS holds no {year} trade of {country} with any partner; a rank needs its trade with all of them (at least 50)")),
    (rf"IMF IMTS holds the trade of {_C} with (?P<n>\d+) partner economies in {_Y}; a rank needs all of them \(at least 50\)",
     N_("IMF IMTS holds the trade of {country} with {n} partner economies in {year}; a rank needs all of them (at least 50)")),
    (rf"IMF IMTS holds no {_Y} trade of {_C} with (?P<partner>[A-Z]{{3}})", N_("IMF IMTS holds no {year} trade of {country} with {partner}")),
    (rf"UN Comtrade holds no HS chapters of {_C} exports to (?P<partner>[A-Z]{{3}}) for {_Y}",
     N_("UN Comtrade holds no HS chapters of {country} exports to {partner} for {year}")),
    (rf"UN Comtrade holds no HS chapters of {_C} imports from (?P<partner>[A-Z]{{3}}) for {_Y}",
     N_("UN Comtrade holds no HS chapters of {country} imports from {partner} for {year}")),
    (rf"IMF IMTS has no {_Y} figure for both directions; its data for the pair end in (?P<end>\d{{4}})",
     N_("IMF IMTS has no {year} figure for both directions; its data for the pair end in {end}")),
    (r"IMF IMTS has no figure for both directions in both (?P<first>\d{4}) and (?P<last>\d{4}); its data for the pair end in (?P<end>\d{4})",
     N_("IMF IMTS has no figure for both directions in both {first} and {last}; its data for the pair end in {end}")),
    (rf"IMF IMTS holds no {_Y} exports of {_C} both to the world and to (?P<partner>[A-Z]{{3}})",
     N_("IMF IMTS holds no {year} exports of {country} both to the world and to {partner}")),
    (rf"UN Comtrade holds no {_Y} fertiliser imports \(HS 31\) of {_C} from both (?P<partner>[A-Z]{{3}}) and the world",
     N_("UN Comtrade holds no {year} fertiliser imports (HS 31) of {country} from both {partner} and the world")),
    (rf"IMF WEO has no actual {_Y} GDP for both (?P<a>.+) and (?P<b>.+)", N_("IMF WEO has no actual {year} GDP for both {a} and {b}")),
    (rf"World Bank WDI has no {_Y} life expectancy for both (?P<a>.+) and (?P<b>.+)",
     N_("World Bank WDI has no {year} life expectancy for both {a} and {b}")),
    ("the dated events of the timeline", N_("the dated events of the timeline")),
    (rf"IMF IMTS, as {_C} reports", N_("IMF IMTS, as {country} reports")),
    (rf"UN Comtrade HS chapters, as {_C} reports", N_("UN Comtrade HS chapters, as {country} reports")),
    (rf"UN Comtrade HS 31, as {_C} reports", N_("UN Comtrade HS 31, as {country} reports")),
    ("IMF WEO, GDP in current US dollars", N_("IMF WEO, GDP in current US dollars")),
    ("IMF WEO, world rank by GDP, current prices", N_("IMF WEO, world rank by GDP, current prices")),
    ("IMF WEO, world rank by GDP per capita, current prices", N_("IMF WEO, world rank by GDP per capita, current prices")),
    ("IMF WEO, GDP, current prices", N_("IMF WEO, GDP, current prices")),
    ("IMF WEO, GDP per capita, current prices", N_("IMF WEO, GDP per capita, current prices")),
    ("World Bank WDI, Population, total", N_("World Bank WDI, Population, total")),
    ("World Bank WDI, Life expectancy at birth, total \\(years\\)", N_("World Bank WDI, Life expectancy at birth, total (years)")),
    (r"(?P<start>[\d-]+) to (?P<end>[\d-]+)", N_("{start} to {end}")),
)


def _claim_row(claim: dict) -> dict:
    """A claim as printed: the numbers the verdict follows from, in the claim's own unit, in words."""
    decimals = 0 if claim["unit"] in ("USD", "rank", "persons", "arrivals", "chapters") or abs(claim["claimed"]) >= 1000 else 1
    decimals = 2 if claim["unit"] == "ratio" else decimals
    observed = wording.number(claim["observed"], decimals)
    said = functools.partial(wording.rephrased, phrases=CLAIM_PHRASES)
    if claim["unit"] == "rank" and claim["observed"] is not None and claim["out_of"]:
        observed = _("{ordinal} of {out_of}", ordinal=_claim_amount(claim["observed"], "rank", 0), out_of=claim["out_of"])
    return {
        **claim,
        "claimed_text": _claim_amount(claim["claimed"], claim["unit"], decimals, stated=True),
        "observed_text": _claim_amount(claim["observed"], claim["unit"], decimals) if claim["unit"] != "rank" else observed,
        # a place (42nd) and an amount written as money ($700 bn) carry their unit already
        "unit_text": "" if claim["unit"] == "rank" or _is_money(claim["claimed"], claim["unit"])
                     else _(UNIT_NAMES.get(claim["unit"], claim["unit"])),
        "verdict_text": _(VERDICTS[claim["verdict"]]),
        "difference_text": "" if claim["difference"] is None else _difference(claim["difference"], claim["difference_unit"]),
        "period_text": wording.with_written_dates(said(claim["observed_period"] or "")),
        "source_text": wording.with_country_names(said(claim["source"] or "")),
        "source_id": next((source for source, name in SOURCE_NAMES.items() if (claim["source"] or "").startswith(name)), ""),
        "tolerance_text": said(claim["tolerance_text"] or ""),
        "reading": said(claim["reading"]),
        "vintage_text": _vintage("", claim["vintage"]) if claim["vintage"] else "",
        "reason_text": wording.with_country_names(said(claim["reason"] or "")),
    }


def _difference(value: float, unit: str) -> str:
    """The signed difference in the claim's unit: +2 places, +1 place, −3.2 years, +8.2%."""
    counted = unit in ("places", "chapters")
    said = ONE_UNIT[unit] if counted and abs(round(value)) == 1 else DIFFERENCE_UNITS.get(unit, " " + unit)
    return wording.signed(value, 0 if counted else 2 if unit == "ratio" else 1, _(said))


def _claim_amount(value: float | None, unit: str, decimals: int, stated: bool = False) -> str:
    """An amount of a claim; a `stated` one (the article's) keeps only the decimals it was given with."""
    if unit == "rank" and value is not None:
        return wording.ordinal(round(value))
    if _is_money(value, unit):
        return wording.money(value, shortest=stated)
    return wording.number(value, wording.fewest_decimals(value, decimals) if stated and value is not None else decimals)


def _is_money(value: float | None, unit: str) -> bool:
    return unit == "USD" and value is not None and abs(value) >= 1e6


def claim_counts(claims: list[dict]) -> dict:
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
    "current": N_("current"),
    "stale": N_("stale"),  # with no period to count from; else `_state_text` counts the years
    "no data": N_("no data for the pair"),
    "failed": N_("not reached in the latest refresh; its last good data are served"),
    "switched off": N_("switched off"),
}


def _state_text(state: str, row: dict, as_of_year: int) -> str:
    if state == "failed" and not row.get("fetched_at"):
        return _("failed: no data loaded yet")
    latest = row.get("latest_period")
    if state == "stale" and latest and latest[:4].isdigit():
        return wording.ngettext("stale: its latest data are for {latest_period}, {count} year before {as_of_year}",
                                "stale: its latest data are for {latest_period}, {count} years before {as_of_year}",
                                as_of_year - int(latest[:4]), latest_period=latest, as_of_year=as_of_year)
    return _(STATE_TEXT.get(state, state))


def source_freshness(connection, config: Config, as_of: dt.datetime) -> list[dict]:
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
            "title": _(SOURCE_TITLES[source.name]),
            "state": state,
            "state_text": _state_text(state, row, as_of.year),
            "is_stale": state in ("stale", "no data", "failed"),
            "latest_period": row.get("latest_period") or "–",
            "publisher_updated": f"{row['publisher_updated']:%Y-%m-%d}" if row.get("publisher_updated") else None,
            "publisher_updated_text": f"{row['publisher_updated']:%Y-%m-%d}" if row.get("publisher_updated") else _("unknown"),
            "fetched_at": f"{row['fetched_at']:%Y-%m-%d %H:%M} UTC" if row.get("fetched_at") else _("never"),
            "was_fetched": bool(row.get("fetched_at")),
            "last_error": row.get("last_error") or "",
            "api": api,
            "endpoint": f"{source.base_url}{_(path)}",
            "licence": _(licence),
        })
    return rows


def _vintage_summary(freshness: list[dict], connection) -> str:
    """The data vintage of the whole briefing, for page 1 notes and the archive: each source's publisher stamp."""
    editions = [row["source_updated"] for row in _rows(connection, "briefing_weo_editions") if row["source_updated"]]
    parts = []
    for row in freshness:
        if row["publisher_updated"] is None:
            continue
        edition = f" {wording.edition_name(max(editions))}," if row["source"] == "imf_datamapper" and editions else ""
        parts.append(f"{row['name']}{edition} {row['publisher_updated']}")
    return "; ".join(parts) or _("no data")


def _weo_note(connection) -> str:
    """One line on the WEO edition: which one, or that none was named and so no year is called actual."""
    editions = [row["source_updated"] for row in _rows(connection, "briefing_weo_editions")]
    if not editions:
        return ""
    named = [edition for edition in editions if edition]
    if len(named) < len(editions):
        return _("IMF WEO: the publisher named no edition for some values, so they are neither called actual nor"
                 " projected and stay out of the key figures.")
    latest = max(named)
    return _("IMF WEO figures are from the {edition}, as the IMF names it; {year} and later are IMF projections.",
             edition=wording.edition_name(latest), year=latest[4:8])


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
