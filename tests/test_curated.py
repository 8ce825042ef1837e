"""Curated events and claims: the real files load, every bad row is one error naming file, line and field,
and verdicts follow the data."""

import dataclasses
import datetime as dt
import json

import duckdb
import pandas as pd
import pytest

from bilateral import analyst, curated, queries, warehouse
from bilateral.config import PairConfig
from bilateral.errors import SeedError
from bilateral.paths import data_dir
from bilateral.sources import observations_frame
from bilateral.warehouse import Curated, SourceOutcome

GOOD_EVENT = """events:
  - id: relations-established
    date: "1890-12-01"
    date_precision: day
    title: Relations established
    summary: The two empires opened diplomatic relations.
    category: diplomacy
    actors: [Russian Empire, Mexico]
    sources:
      - {title: Mexico–Russia relations, publisher: Wikipedia, url: "https://en.wikipedia.org/wiki/Mexico–Russia_relations"}
"""

CLAIM = """  - id: {id}
    text: A claim.
    section: Test
    period: "{period}"
    claimed: {claimed}
    unit: USD
    tolerance: {{relative: 0.05}}
    named_source: test
    metric: {{kind: indicator, source: worldbank, indicator: NY.GDP.MKTP.CD, country: MEX}}
"""


def test_real_events_load_in_date_order_from_1806():
    events = curated.events()
    assert len(events) >= 45
    assert events.event_date.iloc[0] == dt.date(1806, 1, 1)
    assert list(events.event_date) == sorted(events.event_date)
    assert events.sources.map(lambda text: len(json.loads(text)) >= 1).all()


def test_the_1890_date_disagreement_is_recorded():
    events = curated.events().set_index("event_id")
    established = events[events.title.str.contains("relations", case=False) & (events.event_date.map(lambda d: d.year) == 1890)]
    assert len(established) == 1
    assert established.alternative_dates.iloc[0] is not None
    assert established.date_note.iloc[0]


def test_real_claims_cover_the_articles_figures():
    claims = curated.claims().set_index("claim_id")
    claimed = set(claims.claimed)
    for figure in (4_500_000_000, 2060, 1400, 11, 15, 14403, 12673, 63, 68, 147_000_000, 133_000_000, 76, 80000, 42, 44, 3):
        assert figure in claimed, figure


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("date: \"1890-12-01\"", "date: \"1890-12\""), "events.yaml:3: relations-established: field 'date' must be written YYYY-MM-DD for precision day"),
        (("category: diplomacy", "category: gossip"), "events.yaml:7: relations-established: field 'category' must be one of diplomacy"),
        (("    sources:\n      - {title: Mexico–Russia relations, publisher: Wikipedia, url: \"https://en.wikipedia.org/wiki/Mexico–Russia_relations\"}\n", "    sources: []\n"), "events.yaml:9: relations-established: field 'sources' must list at least one source"),
        (("id: relations-established", "id: Relations Established"), "events.yaml:2: Relations Established: field 'id' must be kebab-case"),
        (("date: \"1890-12-01\"", "date: \"1890-02-30\""), "field 'date' is not a real date"),
        (("category: diplomacy", "es: {title: Relaciones, resumen: Otra}\n    category: diplomacy"),
         "relations-established: field 'es.resumen' is not a translated field; these are: title, summary, date_note"),
        (("category: diplomacy", "ru: {title: 42}\n    category: diplomacy"),
         "relations-established: field 'ru.title' must be a non-empty text, found 42"),
    ],
)
def test_bad_event_is_one_error_naming_file_line_and_field(tmp_path, edit, message):
    path = tmp_path / "events.yaml"
    path.write_text(GOOD_EVENT.replace(*edit))
    with pytest.raises(SeedError) as caught:
        curated.events(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_duplicate_event_id_is_rejected_naming_both_lines(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text(GOOD_EVENT + GOOD_EVENT.split("\n", 1)[1])
    with pytest.raises(SeedError, match=r"events.yaml:11: relations-established: field 'id' duplicates the id first used on line 2"):
        curated.events(path)


@pytest.mark.parametrize(
    ("claimed", "message"),
    [("'4.5e9'", "field 'claimed' must be a number"), ("true", "field 'claimed' must be a number")],
)
def test_bad_claim_value_names_the_field(tmp_path, claimed, message):
    path = tmp_path / "claims.yaml"
    path.write_text("claims:\n" + CLAIM.format(id="c", period="2021", claimed=claimed))
    with pytest.raises(SeedError, match=message):
        curated.claims(path)


def test_real_claims_name_the_article_they_come_from():
    claims = curated.claims()
    documents = claims[[column for column in claims.columns if column.startswith("document_")]].drop_duplicates()
    assert documents.to_dict("records") == [{
        "document_title": "Mexico: Russia’s Valuable Friend In Latin America – Analysis",
        "document_author": "Matija Šerić",
        "document_publisher": "Eurasia Review",
        "document_published": dt.date(2023, 7, 9),
        "document_url": "https://www.eurasiareview.com/09072023-mexico-russias-valuable-friend-in-latin-america-analysis/",
    }]


def test_claims_without_a_document_carry_none(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("claims:\n" + CLAIM.format(id="c", period="2021", claimed=1))
    row = curated.claims(path).iloc[0]
    assert [row[f"document_{field}"] for field in curated.DOCUMENT_FIELDS] == [None] * 5


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("document: an article\n", r"claims.yaml:1: document: field 'document' must be a mapping"),
        ("document:\n  author: Someone\n", r"claims.yaml:1: document: field 'title' must be a non-empty text"),
        ("document:\n  title: T\n  url: http://example.org/a\n", r"claims.yaml:3: document: field 'url' must be an https:// link"),
        ("document:\n  title: T\n  published: 2023-07\n", r"claims.yaml:3: document: field 'published' must be written YYYY-MM-DD"),
        ("document:\n  title: T\n  published: \"2023-02-30\"\n", r"field 'published' is not a real date"),
        ("document:\n  title: T\n  editor: Someone\n", r"claims.yaml:3: document: field 'editor' is not a field of the document"),
    ],
)
def test_a_bad_document_is_one_error_naming_file_line_and_field(tmp_path, document, message):
    path = tmp_path / "claims.yaml"
    path.write_text(document + "claims:\n" + CLAIM.format(id="c", period="2021", claimed=1))
    with pytest.raises(SeedError, match=message):
        curated.claims(path)


def test_claim_with_an_unknown_sql_file_is_rejected(tmp_path):
    path = tmp_path / "claims.yaml"
    text = CLAIM.format(id="c", period="2021", claimed=1).replace(
        "{kind: indicator, source: worldbank, indicator: NY.GDP.MKTP.CD, country: MEX}", "{kind: sql, file: sql/claims/nowhere.sql}"
    )
    path.write_text("claims:\n" + text)
    with pytest.raises(SeedError, match=r"claims.yaml:10: c: field 'metric.file' must name an existing file under sql/claims/"):
        curated.claims(path)


def test_bad_file_stops_the_load_and_changes_nothing(filled, tmp_path, monkeypatch):
    from bilateral import refresh

    before = _count(filled, "select count(*) from core.events")
    broken = tmp_path / "data"
    broken.mkdir()
    (broken / "events.yaml").write_text(GOOD_EVENT.replace("category: diplomacy", "category: gossip"))
    (broken / "claims.yaml").write_text("claims: []\n")
    pairs = (PairConfig(filled.pair, events=broken / "events.yaml", claims=broken / "claims.yaml"),)
    with pytest.raises(SeedError):
        refresh.load(dataclasses.replace(filled, pairs=pairs), "run-broken", dt.datetime.now(dt.timezone.utc), [])
    assert _count(filled, "select count(*) from core.events") == before
    assert _count(filled, "select count(*) from meta.runs where run_id = 'run-broken'") == 0


def test_curated_files_are_read_again_only_when_what_they_are_made_of_changes(settings, tmp_path, monkeypatch):
    from bilateral import refresh
    from bilateral.config import load_config

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "events.yaml").write_text(GOOD_EVENT)
    (folder / "claims.yaml").write_text("claims: []\n")
    config = load_config(settings)
    config = dataclasses.replace(config, pairs=(PairConfig(config.pair, events=folder / "events.yaml", claims=folder / "claims.yaml"),))
    reads = []
    monkeypatch.setattr(curated, "for_pairs", lambda pairs, read=curated.for_pairs: reads.append(len(pairs)) or read(pairs))
    now = dt.datetime.now(dt.timezone.utc)

    refresh.load(config, "run-1", now, [])
    refresh.load(config, "run-2", now, [])
    assert reads == [1]  # the second load keeps the rows the first one loaded
    assert _count(config, "select count(*) from core.events") == 1

    (folder / "events.yaml").write_text(GOOD_EVENT.replace("title: Relations established", "title: Relations opened"))
    refresh.load(config, "run-3", now, [])
    assert reads == [1, 1]
    with duckdb.connect(str(config.snapshot_path), read_only=True) as connection:
        assert connection.execute("select title from core.events").fetchall() == [("Relations opened",)]


def _count(config, sql):
    with duckdb.connect(str(config.snapshot_path), read_only=True) as connection:
        return connection.execute(sql).fetchone()[0]


def _gdp(values):
    rows = [
        {"source": "worldbank", "dataset": "WDI", "indicator": "NY.GDP.MKTP.CD", "ref_area": "MEX", "counterpart_area": "",
         "period": period, "value": value, "unit": "USD", "obs_status": None, "is_forecast": False, "source_updated": "2026-07-01"}
        for period, value in values.items()
    ]
    fetches = pd.DataFrame(columns=["source", "url", "status", "sha256", "bytes", "path", "fetched_at", "is_unchanged", "error"])
    return SourceOutcome("worldbank", observations_frame(rows), pd.DataFrame(columns=["source", "kind", "code", "name", "unit", "note"]), fetches)


def test_verdicts_follow_the_data(tmp_path):
    claims_path = tmp_path / "claims.yaml"
    claims_path.write_text(
        "claims:\n"
        + CLAIM.format(id="within", period="2019", claimed=1000)
        + CLAIM.format(id="earlier-year", period="2020", claimed=1000)
        + CLAIM.format(id="revised", period="2021", claimed=1000)
        + CLAIM.format(id="outside", period="2019", claimed=5000)
        + CLAIM.format(id="missing", period="1999", claimed=1000)
    )
    pairs = (PairConfig(("RUS", "MEX"), events=data_dir() / "events.yaml", claims=claims_path),)
    pair = Curated(pairs, {"worldbank": 2}, *curated.for_pairs(pairs))
    path = tmp_path / "warehouse.duckdb"
    with warehouse.writer(path) as connection:
        warehouse.load(connection, "run-1", dt.datetime.now(dt.timezone.utc), [_gdp({"2019": 1020, "2020": 1500, "2021": 990})], pair, tmp_path)
        warehouse.load(connection, "run-2", dt.datetime.now(dt.timezone.utc), [_gdp({"2019": 1020, "2020": 1500, "2021": 1300})], pair, tmp_path)
        verdicts = {row[0]: row[1:] for row in connection.execute("select claim_id, verdict, held_for, reason from marts.claims_check").fetchall()}
    assert verdicts == {
        "within": ("supported", None, None),
        "earlier-year": ("outdated", 2019, "held for 2019, no longer for 2020"),
        "revised": ("outdated", 2021, "held in an earlier vintage of 2021, not in the current one"),
        "outside": ("contradicted", None, "not within tolerance in 2019 nor in any earlier year loaded"),
        "missing": ("not checkable", None, "no actual World Bank WDI, NY.GDP.MKTP.CD value for MEX in 1999 in the warehouse"),
    }


def test_claims_json_carries_id_claimed_observed_and_verdict(filled):
    with analyst.connect(filled) as connection:
        rows = json.loads(analyst.formatted(analyst.query(connection, queries.text("claims")), "json"))
    assert len(rows) == len(curated.claims())
    russia = next(row for row in rows if row["id"] == "gdp-russia-2023")
    assert (russia["claimed"], russia["observed"], russia["verdict"]) == (2060.0, 2059.759, "supported")


def test_timeline_lists_events_in_order_with_the_years_figures(filled):
    with analyst.connect(filled) as connection:
        events = analyst.query(connection, "select event_date, year, trade_usd, gdp_a_billion_usd from marts.timeline").records()
    assert [event["event_date"] for event in events] == sorted(event["event_date"] for event in events)
    year_2020 = next(event for event in events if event["year"] == 2020)
    assert year_2020["gdp_a_billion_usd"] == 1488.118  # IMF NGDPD Russia 2020 in the recording
    assert year_2020["trade_usd"] == 421377000 + 1164561450  # MEX->RUS as Mexico reports it + RUS->MEX as Russia reports it


def test_a_yaml_bomb_is_refused_at_once_and_small(tmp_path):
    import resource
    import time

    laughs = ['lol0: &lol0 ["lol"]'] + [f"lol{n}: &lol{n} [{', '.join(['*lol' + str(n - 1)] * 9)}]" for n in range(1, 10)]
    path = tmp_path / "events.yaml"
    path.write_text("\n".join(laughs) + "\nevents:\n  - *lol9\n")
    started, before = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SeedError, match=r"events.yaml:\d+: YAML anchors and aliases \(&name, \*name\) are not allowed here"):
        curated.events(path)
    assert time.monotonic() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KiB: under 200 MB more


def test_an_oversized_curated_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_bytes(b"#" * (3 * 1024 * 1024))
    with pytest.raises(SeedError, match=r"claims.yaml: 3,145,728 bytes; a curated file may hold at most 2,097,152"):
        curated.claims(path)


def test_an_error_quotes_at_most_80_characters_of_a_value(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text(GOOD_EVENT.replace("category: diplomacy", "category: " + "x" * 5000))
    with pytest.raises(SeedError) as raised:
        curated.events(path)
    assert len(str(raised.value)) < 400 and "'" + "x" * 78 + "…" in str(raised.value)  # 80 characters with the quote
