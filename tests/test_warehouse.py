"""The warehouse keeps every version, adds nothing for unchanged data, and is all-or-nothing per run."""

import datetime as dt

import duckdb
import pandas as pd
import pytest

from bilateral import curated, warehouse
from bilateral.config import PairConfig
from bilateral.paths import data_dir
from bilateral.refresh import FETCH_COLUMNS
from bilateral.sources import observations_frame
from bilateral.warehouse import Curated, SourceOutcome

RUS_MEX = (PairConfig(("RUS", "MEX"), ("USA",), events=data_dir() / "events.yaml", claims=data_dir() / "claims.yaml"),)
PAIR = Curated(RUS_MEX, {"worldbank": 2}, *curated.for_pairs(RUS_MEX))
FETCHES = pd.DataFrame(columns=FETCH_COLUMNS)


def outcome(values: dict[tuple[str, str], float], source="worldbank", error=None) -> SourceOutcome:
    rows = [
        {"source": source, "dataset": "WDI", "indicator": "NY.GDP.MKTP.CD", "ref_area": area, "counterpart_area": "",
         "period": period, "value": value, "unit": "USD", "obs_status": None, "is_forecast": False, "source_updated": "2026-07-01"}
        for (area, period), value in values.items()
    ]
    return SourceOutcome(source, observations_frame(rows), pd.DataFrame(columns=["source", "kind", "code", "name", "unit", "note"]), FETCHES, error=error)


def load(path, *outcomes):
    with warehouse.writer(path) as connection:
        warehouse.load(connection, f"run-{dt.datetime.now().timestamp()}", dt.datetime.now(dt.timezone.utc), list(outcomes), PAIR, path.parent)
        warehouse.publish(connection, path.with_name("published.duckdb"))


def versions(path):
    with duckdb.connect(str(path.with_name("published.duckdb")), read_only=True) as connection:
        return connection.execute(
            "select ref_area, period, value, valid_to is null from core.observations order by ref_area, period, valid_from"
        ).fetchall()


def test_reload_of_the_same_values_adds_no_version(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    load(path, outcome({("MEX", "2021"): 1316569466833.94}))
    load(path, outcome({("MEX", "2021"): 1316569466833.94}))
    assert versions(path) == [("MEX", "2021", 1316569466833.94, True)]


def test_revised_value_closes_the_old_version_and_opens_one_new(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    load(path, outcome({("MEX", "2021"): 1316569466833.94, ("MEX", "2020"): 1121064767168.8}))
    load(path, outcome({("MEX", "2021"): 1400000000000.0, ("MEX", "2020"): 1121064767168.8}))
    assert versions(path) == [
        ("MEX", "2020", 1121064767168.8, True),
        ("MEX", "2021", 1316569466833.94, False),
        ("MEX", "2021", 1400000000000.0, True),
    ]


def test_a_value_absent_from_a_later_answer_is_kept(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    load(path, outcome({("MEX", "2021"): 1.0, ("RUS", "2021"): 2.0}))
    load(path, outcome({("MEX", "2021"): 1.0}))
    assert versions(path) == [("MEX", "2021", 1.0, True), ("RUS", "2021", 2.0, True)]


def test_failed_source_loads_nothing_and_the_run_is_partial(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    load(path, outcome({("MEX", "2021"): 1.0}))
    load(path, outcome({("MEX", "2021"): 5.0}, error="worldbank: http://x: HTTP 503"), outcome({}, source="imf_datamapper"))
    assert versions(path) == [("MEX", "2021", 1.0, True)]
    with duckdb.connect(str(path.with_name("published.duckdb")), read_only=True) as connection:
        assert connection.execute("select status from meta.runs order by started_at").fetchall()[-1] == ("partial",)
        assert connection.execute("select is_stale, last_error from marts.source_status where source = 'worldbank'").fetchone() == (True, "worldbank: http://x: HTTP 503")


def test_an_error_inside_the_load_rolls_everything_back(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    load(path, outcome({("MEX", "2021"): 1.0}))
    broken = outcome({("MEX", "2021"): 7.0, ("RUS", "2021"): 3.0})
    broken.observations.loc[1, "unit"] = None  # violates NOT NULL after the first rows are in
    with pytest.raises(duckdb.Error):
        load(path, broken)
    with duckdb.connect(str(path), read_only=True) as connection:
        assert connection.execute("select ref_area, value from core.observations").fetchall() == [("MEX", 1.0)]
        assert connection.execute("select count(*) from meta.runs").fetchone() == (1,)


def test_readers_open_the_snapshot_while_the_writer_holds_its_file(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    load(path, outcome({("MEX", "2021"): 1.0}))
    with warehouse.writer(path):
        reader = warehouse.reader(path.with_name("published.duckdb"))
        assert reader.execute("select count(*) from core.observations").fetchone() == (1,)
        reader.close()


def test_migrations_are_recorded_and_safe_to_rerun(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with warehouse.writer(path) as connection:
        first = connection.execute("select name from meta.migrations order by version").fetchall()
        assert warehouse.migrate(connection) == []
    assert first == [("001_foundation.sql",), ("002_curated.sql",), ("003_publisher_stamps.sql",), ("004_claim_checks.sql",), ("005_briefing_editions.sql",), ("006_series_stamps.sql",),
                     ("007_translations.sql",), ("008_briefing_languages.sql",), ("009_pairs.sql",), ("010_view_digest.sql",), ("011_claim_documents.sql",),
                     ("012_curated_digest.sql",)]


def test_views_are_recreated_only_when_their_sql_changed(tmp_path, monkeypatch):
    import shutil

    from bilateral import paths

    path = tmp_path / "warehouse.duckdb"
    with warehouse.writer(path) as connection:
        first = connection.execute("select sha256, applied_at from meta.views").fetchall()
    with warehouse.writer(path) as connection:  # the same SQL: nothing re-created
        assert connection.execute("select sha256, applied_at from meta.views").fetchall() == first
    copy = tmp_path / "sql"
    shutil.copytree(paths.sql_dir(), copy)
    mart = copy / "marts" / "005_pair.sql"
    mart.write_text(mart.read_text(encoding="utf-8").replace("'one row: the pair", "'one row, edited: the pair"), encoding="utf-8")
    monkeypatch.setattr(warehouse, "sql_dir", lambda: copy)
    with warehouse.writer(path) as connection:
        (digest,), = connection.execute("select sha256 from meta.views").fetchall()
        comment = connection.execute("select comment from duckdb_views() where view_name = 'pair'").fetchone()[0]
    assert digest != first[0][0] and comment.startswith("one row, edited: the pair")


def test_every_table_view_and_column_has_a_comment(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with warehouse.writer(path) as connection:
        bare = connection.execute(
            """
            select schema_name || '.' || table_name from duckdb_tables() where comment is null and not temporary
            union all
            select schema_name || '.' || view_name from duckdb_views() where comment is null and not internal and schema_name <> 'staging'
            union all
            select schema_name || '.' || table_name || '.' || column_name from duckdb_columns()
            where comment is null and schema_name in ('raw', 'core', 'meta', 'marts') and not internal
            """
        ).fetchall()
    assert bare == []


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    from bilateral.config import load_config
    from bilateral.errors import WarehouseError
    from conftest import write_settings

    monkeypatch.setenv("BILATERAL_HOME", str(tmp_path / "home"))
    config = load_config(write_settings(tmp_path, None))
    with warehouse.exclusive(config.home, "refresh"):
        with pytest.raises(WarehouseError, match=r"a refresh cannot start: refresh \(pid \d+\) is writing"):
            with warehouse.exclusive(config.home, "refresh"):
                pass


def test_a_corrupted_warehouse_is_one_clear_error_and_is_left_as_it_was(tmp_path):
    from bilateral.errors import WarehouseError

    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(b"this is not a database" * 1000)
    with pytest.raises(WarehouseError) as caught:
        load(path, outcome({("MEX", "2021"): 1.0}))
    assert str(caught.value).startswith(f"{path}: ")
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == b"this is not a database" * 1000


def test_cli_on_a_corrupted_snapshot_prints_one_line(tmp_path):
    import subprocess
    import sys

    from conftest import write_settings

    home = tmp_path / "home"
    home.mkdir()
    (home / "published.duckdb").write_bytes(b"\x00garbage" * 512)
    done = subprocess.run([sys.executable, "-m", "bilateral", "sql", "select 1", "--config", str(write_settings(tmp_path, None))],
                          capture_output=True, text=True, env={"BILATERAL_HOME": str(home), "PATH": ""})
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "published.duckdb" in done.stderr and "Traceback" not in done.stderr
