"""The command line as a newcomer meets it, with no Prefect API configured: the same pipeline in-process,
usage errors in one line, one exit-code contract, forgiving queries, and the offline demo."""

import os
import subprocess
import sys

import pytest
from pypdf import PdfReader

from conftest import write_settings

COMMANDS_WITH_A_BAD_ARGUMENT = [
    [],
    ["--nope"],
    ["nosuch"],
    ["run", "--nope"],
    ["refresh", "--nope"],
    ["briefing", "--period", "2026-13"],
    ["briefing", "--as-of", "2026-02-30"],
    ["briefing", "--since", "last month"],
    ["demo", "--nope"],
    ["serve", "--nope"],
    ["status", "--format", "xml"],
    ["sql", "--format", "xml", "select 1"],
    ["sql"],
    ["shell", "--nope"],
    ["export"],
    ["export", "out", "--format", "xlsx"],
    ["schema", "--nope"],
    ["events", "--since", "nineteen"],
    ["events", "--category", "gossip"],
    ["claims", "--format", "xml"],
]


def bilateral(*args, home, environment=None):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PREFECT_API", "BILATERAL_"))}
    env.update({"BILATERAL_HOME": str(home), **(environment or {})})
    return subprocess.run([sys.executable, "-m", "bilateral", *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("args", COMMANDS_WITH_A_BAD_ARGUMENT, ids=lambda args: " ".join(args) or "bare")
def test_a_usage_error_is_one_line_and_exit_2(args, tmp_path):
    done = bilateral(*args, home=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 3 and lines[0].startswith("bilateral: "), done.stderr
    assert done.stdout == ""


def test_a_mistyped_command_gets_the_nearest_one(tmp_path):
    assert "Did you mean 'sql'" in bilateral("sqll", home=tmp_path).stderr


def test_a_bad_choice_lists_the_valid_ones(tmp_path):
    assert "'table', 'csv', 'json', 'markdown'" in bilateral("sql", "--format", "xml", "select 1", home=tmp_path).stderr


def test_a_configuration_error_is_exit_2(tmp_path):
    done = bilateral("refresh", "--config", str(tmp_path / "absent.toml"), home=tmp_path)
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)


def test_offline_refresh_and_run_exit_1_when_nothing_was_ever_loaded_and_3_after(tmp_path, fake):
    offline = write_settings(tmp_path, None)
    for command in ("refresh", "run"):
        done = bilateral(command, "--config", str(offline), home=tmp_path / "home")
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
    online = tmp_path / "online"
    online.mkdir()
    assert bilateral("refresh", "--config", str(write_settings(online, fake)), home=tmp_path / "home").returncode == 0
    for command in ("refresh", "run"):
        done = bilateral(command, "--config", str(offline), home=tmp_path / "home")
        assert done.returncode == 3, done.stderr  # failed now, but the last good data are served
    assert len(list((tmp_path / "home" / "briefings").glob("*.pdf"))) == 1


def test_a_partial_refresh_is_exit_3(tmp_path, fake):
    fake.fail("status", "/sdmx/", times=50, status=503)
    done = bilateral("refresh", "--config", str(write_settings(tmp_path, fake)), home=tmp_path / "home")
    assert done.returncode == 3, done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("bilateral: ")][0].startswith("bilateral: imf_trade: ")


def test_events_match_a_category_in_any_case(filled):
    done = bilateral("events", "--since", "1990", "--category", "TRADE", "--format", "csv", "--config", str(filled.path),
                     home=filled.home)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.strip().splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["no-sanctions-announcement"]  # the one trade event since 1990


def test_the_demo_writes_a_complete_briefing_offline(tmp_path):
    # no configuration points anywhere but the replay server on 127.0.0.1: the default bilateral.toml is used
    done = bilateral("demo", "--home", str(tmp_path / "demo"), home=tmp_path / "real")
    assert done.returncode == 0, done.stderr
    pdf = next((tmp_path / "demo" / "briefings").glob("*_rus-mex.pdf"))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Demo edition: the recorded public data bundled with bilateral (World Bank WDI" in text
    assert "Goods trade between Russia and Mexico came to $1.59 bn in 2020" in text
    assert text.count("Source: IMF WEO, October 2025 edition") == 4  # every macro chart drawn
    assert not (tmp_path / "real").exists()


def test_the_demo_says_what_it_shows_in_the_language_asked(tmp_path):
    done = bilateral("demo", "--home", str(tmp_path / "demo"), "--lang", "ru", home=tmp_path / "real")
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "demo" / "briefings" / done.stdout.strip().rsplit("/", 1)[-1]
    assert pdf.name.endswith("_rus-mex.ru.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Демонстрационный выпуск: записанные общедоступные данные, поставляемые с bilateral (World Bank WDI" in text


def test_a_home_that_is_a_file_or_lies_under_one_is_one_line(tmp_path, fake):
    # (a read-only home cannot be shown here: the tests run as root, whom permissions do not stop)
    settings = write_settings(tmp_path, fake)
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for home in (a_file, a_file / "home"):
        done = bilateral("refresh", "--config", str(settings), home=home)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and str(a_file) in done.stderr, done.stderr


def test_a_second_refresh_is_refused_at_once_naming_the_holder(tmp_path, fake):
    from bilateral import warehouse

    settings = write_settings(tmp_path, fake)
    with warehouse.exclusive(tmp_path / "home", "refresh"):
        done = bilateral("refresh", "--config", str(settings), home=tmp_path / "home")
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().endswith(f"a refresh cannot start: refresh (pid {os.getpid()}) is writing to {tmp_path / 'home'}")
    assert not fake.requests  # refused before asking anything


def test_a_second_serve_on_one_data_directory_is_refused_at_once(tmp_path):
    from bilateral import warehouse

    with warehouse.exclusive(tmp_path / "home", "serve", lock="serve"):
        done = bilateral("serve", home=tmp_path / "home")
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().endswith(f"a serve cannot start: serve (pid {os.getpid()}) is already running on {tmp_path / 'home'}")
