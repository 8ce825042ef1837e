"""Vintages and freshness come from the publishers' own words, never from the clock.

Every test runs the real refresh against the recorded answers served over HTTP on 127.0.0.1.
"""

import datetime as dt
import json
import subprocess
import sys

import duckdb
import pytest

from bilateral import refresh
from bilateral.config import load_config


def rows(config, sql):
    with duckdb.connect(str(config.snapshot_path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def status_json(config):
    done = subprocess.run([sys.executable, "-m", "bilateral", "status", "--format", "json", "--config", str(config.path)],
                          capture_output=True, text=True, env={"BILATERAL_HOME": str(config.home), "PATH": ""})
    assert done.returncode == 0, done.stderr
    return {row["source"]: row for row in json.loads(done.stdout)["sources"]}


@pytest.fixture
def config(settings):
    return load_config(settings)


def test_every_weo_value_carries_the_edition_named_by_the_publisher(filled):
    assert rows(filled, "select distinct source_updated from core.observations where source = 'imf_datamapper'") == [("WEO 2025-10",)]
    # October 2025 edition: 2024 is the last actual year, 2025 on are projections
    assert rows(filled, "select bool_or(is_forecast) filter (where year <= 2024), bool_and(is_forecast) filter (where year >= 2025)"
                        " from marts.indicators where source = 'imf_datamapper'") == [(False, True)]


def test_the_publishers_update_stamps_are_kept_with_each_answer(filled):
    stamps = dict(rows(filled, "select source, max(publisher_updated) from raw.fetches group by source"))
    assert stamps["worldbank"] == dt.date(2026, 7, 1)  # lastupdated in the recorded World Bank answers
    assert stamps["imf_datamapper"] == dt.date(2025, 10, 14)  # last-modified in /indicators
    assert stamps["imf_trade"] == dt.date(2025, 3, 28)  # the IMTS dataflow's lastUpdatedAt annotation


def test_another_edition_moves_the_projection_boundary(config, fake):
    fake.set_weo_edition("World Economic Outlook (April 2026)", "2026-04-08 16:07:34")
    refresh.run_once(config)
    assert rows(config, "select distinct source_updated from core.observations where source = 'imf_datamapper'") == [("WEO 2026-04",)]
    flags = rows(config, "select year, bool_and(is_forecast) from marts.indicators where source = 'imf_datamapper'"
                         " and year in (2025, 2026) group by year order by year")
    assert flags == [(2025, False), (2026, True)]


def test_a_new_edition_reflags_values_whose_bytes_did_not_change(config, fake):
    refresh.run_once(config)
    fake.set_weo_edition("World Economic Outlook (April 2026)", "2026-04-08 16:07:34")
    refresh.run_once(config)  # the data answers are byte for byte the same; only /indicators moved
    assert rows(config, "select bool_and(is_forecast), min(source_updated) from marts.indicators"
                        " where source = 'imf_datamapper' and year = 2025") == [(False, "WEO 2026-04")]
    # a value the new edition restates unchanged keeps its version and names the newer edition
    assert rows(config, "select count(*), min(source_updated) from core.observations where source = 'imf_datamapper'"
                        " and period = '1990' and ref_area = 'MEX' and indicator = 'NGDPD'") == [(1, "WEO 2026-04")]


def test_without_the_edition_no_value_is_called_actual_or_projected(config, fake):
    fake.fail("status", "/datamapper/api/v1/indicators", times=50, status=500)
    summary = refresh.run_once(config)
    assert summary.status == "partial"
    outcome = next(outcome for outcome in summary.outcomes if outcome.source == "imf_datamapper")
    assert outcome.error is None and "metadata is missing" in outcome.warning
    assert rows(config, "select count(*), count(is_forecast), count(source_updated) from core.observations"
                        " where source = 'imf_datamapper'")[0][1:] == (0, 0)
    assert rows(config, "select count(*) from core.observations where source = 'imf_datamapper'")[0][0] > 1000
    # no IMF value is taken for an actual while the edition is unknown
    assert rows(config, "select count(*) from marts.source_status where source = 'imf_datamapper' and latest_period is not null") == [(0,)]

    fake.reset()
    refresh.run_once(config)  # the metadata is back: the same bytes are read again and flagged
    assert rows(config, "select count(*) - count(is_forecast) from marts.indicators where source = 'imf_datamapper'") == [(0,)]


def test_status_json_states_each_source_on_three_clocks(config, fake):
    fake.serve_recordings_only()  # no Mexico-Russia Comtrade data is recorded
    refresh.run_once(config)
    sources = status_json(config)
    assert {name: (row["state"], row["latest_period"], row["publisher_updated"]) for name, row in sources.items()} == {
        "worldbank": ("current", "2025", "2026-07-01"),
        "imf_datamapper": ("current", "2024", "2025-10-14"),
        "imf_trade": ("stale", "2020", "2025-03-28"),
        "comtrade": ("no data", None, None),
    }
    assert all(row["fetched_at"] and row["last_error"] is None for row in sources.values())


def test_a_source_that_cannot_be_reached_is_failed_and_keeps_its_last_good_period(config, fake):
    refresh.run_once(config)
    fake.fail("status", "/sdmx/", times=50, status=503)
    refresh.run_once(config)
    imts = status_json(config)["imf_trade"]
    assert (imts["state"], imts["latest_period"]) == ("failed", "2020")
    assert "HTTP 503" in imts["last_error"]


def test_a_lastupdated_of_5000_characters_is_not_a_stamp_and_the_values_still_load(config, fake):
    fake.set_worldbank_value("NY.GDP.MKTP.CD", "MEX", 2021, 1316569466833.94, lastupdated="2026-07-01" + "x" * 4990)
    refresh.run_once(config)
    problem, stamp = rows(config, "select problem, publisher_updated from raw.fetches where url like '%NY.GDP.MKTP.CD%'"
                                  " and url like '%per_page=1000%'")[0]  # the data page, not the change probe
    assert stamp is None
    assert problem.startswith("worldbank: http://127.0.0.1:") and problem.endswith("lastupdated is not a date: '2026-07-01xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'")
    assert rows(config, "select count(*), count(source_updated) from core.observations where indicator = 'NY.GDP.MKTP.CD'") == [(180, 0)]  # five countries, 36 years
    flags = rows(config, "select source, \"check\", detail from marts.data_quality where \"check\" = 'publisher stamp'")
    assert [(source, check) for source, check, _ in flags] == [("worldbank", "publisher stamp")]
    assert "2026-07-01" + "x" * 30 + "…" in flags[0][2]  # 40 characters of what was sent, no more


def test_a_stamp_in_the_future_is_not_a_stamp(config, fake):
    fake.set_weo_edition("World Economic Outlook (October 2025)", "2099-01-01 00:00:00")
    refresh.run_once(config)
    assert rows(config, "select max(publisher_updated) from raw.fetches where source = 'imf_datamapper'") == [(None,)]
    assert rows(config, "select count(*) from marts.data_quality where source = 'imf_datamapper' and detail like '%2099-01-01 lies after%'") == [(1,)]


def test_country_names_failing_keeps_the_world_bank_values_and_the_run_is_partial(config, fake):
    fake.fail("status", "per_page=400", times=50, status=500)  # the country-names request alone
    summary = refresh.run_once(config)
    assert summary.status == "partial"
    assert rows(config, "select count(*) from core.observations where source = 'worldbank'")[0][0] > 500
    worldbank = status_json(config)["worldbank"]
    assert worldbank["last_status"] == "partial" and "HTTP 500" in worldbank["last_error"]
    assert "names fall back to the last stored ones" in worldbank["last_error"]
    # no World Bank name was ever stored: the name the IMF's answer gave stands in
    assert rows(config, "select distinct country_name from marts.indicators where source = 'worldbank' and country_iso3 = 'MEX'") == [("Mexico",)]


def test_a_stamp_of_5000_characters_does_not_change_the_briefings_length(settings, fake, tmp_path):
    from bilateral.briefing import produce
    from conftest import write_settings

    plain = load_config(write_settings(tmp_path, fake), environ={"BILATERAL_HOME": str(tmp_path / "plain")})
    refresh.run_once(plain)
    fake.set_worldbank_value("NY.GDP.MKTP.CD", "MEX", 2021, 1316569466833.94, lastupdated="2026-07-01" + "x" * 4990)
    long_stamp = load_config(settings)
    refresh.run_once(long_stamp)
    pages = [produce.run_once(config, "2026-11")[1].pages for config in (plain, long_stamp)]
    assert pages[0] == pages[1]
