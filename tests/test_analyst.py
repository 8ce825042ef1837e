"""`bilateral sql` and friends: read-only for real, exact formats, never blocked by a writer."""

import json
import pathlib
import subprocess
import sys

import duckdb
import pytest

from bilateral import analyst
from bilateral.errors import QueryError
from conftest import REPO

EXAMPLES = sorted((REPO / "sql" / "examples").glob("*.sql"))


@pytest.fixture
def session(filled):
    connection = analyst.connect(filled)
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("create table core.sneaky (a integer)", "read-only mode"),
        ("delete from core.observations", "read-only mode"),
        ("copy (select 1) to '/tmp/bilateral-leak.csv'", "file system operations are disabled"),
        ("select * from read_csv('/etc/passwd')", "file system operations are disabled"),
        ("attach '/tmp/other.duckdb' as other", "file system operations are disabled"),
        ("install httpfs", "disabled"),
        ("set enable_external_access = true", "the configuration has been locked"),
    ],
)
def test_read_only_session_refuses(session, statement, refusal):
    with pytest.raises(QueryError) as caught:
        analyst.query(session, statement)
    assert refusal in str(caught.value)


def test_csv_has_a_header_and_one_line_per_row(session):
    frame = analyst.query(session, "select 'MEX' as country_iso3, 1.5 as value union all select 'RUS', 2 order by 1")
    assert analyst.formatted(frame, "csv") == "country_iso3,value\nMEX,1.5\nRUS,2.0\n"


def test_table_aligns_columns_and_marks_nulls_blank(session):
    frame = analyst.query(session, "select 'MEX' as country, 12 as rank union all select 'RUS', null order by 1")
    assert analyst.formatted(frame, "table") == "country  rank\n-------  ----\nMEX        12\nRUS\n"


def test_json_is_an_array_of_objects(session):
    frame = analyst.query(session, "select 'MEX' as country_iso3, 2021 as year")
    assert json.loads(analyst.formatted(frame, "json")) == [{"country_iso3": "MEX", "year": 2021}]


def test_markdown_is_a_pipe_table(session):
    frame = analyst.query(session, "select 'a|b' as text")
    assert analyst.formatted(frame, "markdown") == "| text |\n|---|\n| a\\|b |\n"


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_every_example_query_returns_rows(session, example):
    assert len(analyst.query(session, example.read_text())) > 0


def test_there_are_at_least_eight_examples_each_with_a_one_line_comment():
    assert len(EXAMPLES) >= 8
    for path in EXAMPLES:
        assert path.read_text().startswith("-- "), path.name


def test_a_query_succeeds_while_another_process_holds_the_writers_file(filled):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(30)",
         str(filled.warehouse_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(filled.warehouse_path), read_only=True)  # the lock DuckDB takes, as FACTS.md says
        connection = analyst.connect(filled)
        assert analyst.query(connection, "select count(*) as n from marts.indicators").rows[0][0] > 0
        connection.close()
    finally:
        holder.kill()
        holder.wait()


def test_export_writes_one_parquet_file_per_mart(filled, tmp_path):
    written = analyst.export(filled, tmp_path / "out", "parquet")
    assert {path.stem for path in written} == set(analyst.marts(filled))
    trade = duckdb.connect().execute(f"select count(*) from '{tmp_path / 'out' / 'bilateral_trade.parquet'}'").fetchone()[0]
    assert trade == 58  # 29 years x 2 directions in the IMTS recording


def test_export_csv_has_headers(filled, tmp_path):
    analyst.export(filled, tmp_path, "csv")
    assert (tmp_path / "rankings.csv").read_text().splitlines()[0] == "indicator,country_iso3,year,value,rank,out_of,rank_in_both,previous_rank_in_both,out_of_both,is_forecast,source_updated"


def test_dictionary_lists_every_mart_with_its_comment(filled):
    text = analyst.dictionary(filled)
    for mart in analyst.marts(filled):
        assert f"marts.{mart} (view)" in text
    assert "one row per year and direction" in text


def test_cli_sql_error_prints_duckdbs_message_and_the_line_and_exits_non_zero(filled):
    done = subprocess.run(
        [sys.executable, "-m", "bilateral", "sql", "selec 1", "--config", str(filled.path)],
        capture_output=True, text=True, env={"BILATERAL_HOME": str(filled.home), "PATH": ""},
    )
    assert done.returncode == 1
    assert done.stderr.startswith('bilateral: Parser Error: syntax error at or near "selec"')
    assert "LINE 1: selec 1" in done.stderr


def test_cli_sql_writes_csv_to_a_file(filled, tmp_path):
    target = tmp_path / "answer.csv"
    done = subprocess.run(
        [sys.executable, "-m", "bilateral", "sql", "select 42 as answer", "--format", "csv", "--output", str(target),
         "--config", str(filled.path)],
        capture_output=True, text=True, env={"BILATERAL_HOME": str(filled.home), "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text() == "answer\n42\n"


def test_shell_without_the_duckdb_cli_is_a_read_only_prompt(filled):
    done = subprocess.run(
        [sys.executable, "-m", "bilateral", "shell", "--config", str(filled.path)],
        input=".tables\nselect 42\n  as answer;\ncreate table core.x (a integer);\n.quit\n",
        capture_output=True, text=True, env={"BILATERAL_HOME": str(filled.home), "PATH": ""}, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "bilateral_trade" in done.stdout  # .tables lists the marts among the rest
    assert "answer\n------\n    42" in done.stdout
    assert "Error: Invalid Input Error: Cannot execute statement of type \"CREATE\"" in done.stdout


def test_a_huge_result_is_cut_at_the_row_cap_with_a_line_saying_what_was_left_out(filled):
    import resource
    import subprocess
    import sys
    import time

    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "bilateral", "sql", "--format", "csv", "--config", str(filled.path),
                           "select * from range(25000000)"], capture_output=True, text=True,
                          env={"BILATERAL_HOME": str(filled.home), "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 10_001  # the header and the default cap
    assert done.stderr.strip() == ("bilateral: 10,000 rows shown, 24,990,000 more rows; use --limit N (up to 200,000)"
                                   " or bilateral export")
    assert time.monotonic() - started < 30
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024  # KiB: the child stayed under 1 GiB


@pytest.mark.parametrize(("args", "message"), [
    (["sql", "--file", "{binary}"], "not a text file of SQL"),
    (["sql", "--output", "{folder}", "select 1"], "cannot write"),
    (["export", "{file}"], "not a folder"),
])
def test_filesystem_faults_are_one_line(filled, tmp_path, args, message):
    import subprocess
    import sys

    (tmp_path / "binary.sql").write_bytes(b"\xff\xfe\x00select")
    (tmp_path / "a-file").write_text("x")
    places = {"binary": tmp_path / "binary.sql", "folder": tmp_path, "file": tmp_path / "a-file"}
    args = [arg.format(**places) for arg in args]
    done = subprocess.run([sys.executable, "-m", "bilateral", *args, "--config", str(filled.path)], capture_output=True,
                          text=True, env={"BILATERAL_HOME": str(filled.home), "PATH": ""})
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr


DUCKDB_CLI = pathlib.Path(sys.executable).parent / "duckdb"  # the test extra's `duckdb-cli`


def test_the_plain_duckdb_cli_opens_the_published_warehouse(filled):
    done = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-csv", "-noheader", str(filled.snapshot_path),
         "-c", "select count(*) from marts.claims_check", "-c", "select count(*) from marts.timeline"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["36", "79"]


def test_shell_runs_the_duckdb_cli_in_safe_mode(filled, tmp_path):
    ran, written = tmp_path / "ran", tmp_path / "written.txt"
    done = subprocess.run(
        [sys.executable, "-m", "bilateral", "shell", "--config", str(filled.path)],
        input=(f".system touch {ran}\n.shell touch {ran}\n.output {written}\nselect 42 as answer;\n"
               f"copy (select 1) to '{written}';\nset memory_limit = '20GB';\n.safe_mode off\n.system touch {ran}\n"),
        capture_output=True, text=True, timeout=60,
        env={"BILATERAL_HOME": str(filled.home), "PATH": str(DUCKDB_CLI.parent)},
    )
    assert not ran.exists() and not written.exists()
    assert "42" in done.stdout  # the query still ran, on the terminal
    assert ".sh/.system cannot be used in -safe mode" in done.stderr
    assert "file system operations are disabled" in done.stderr
    assert 'Cannot change configuration option "memory_limit"' in done.stderr
