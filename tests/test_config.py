"""Configuration: defaults, environment overrides, and one clear line for every bad value."""

import subprocess
import sys

import pytest

from bilateral.config import load_config
from bilateral.errors import ConfigError
from conftest import REPO


def test_default_file_names_the_pair_peers_and_real_endpoints():
    config = load_config(REPO / "bilateral.toml", environ={})
    assert config.pair == ("RUS", "MEX")
    assert config.peers == ("USA", "CHN", "BRA")
    assert config.start_year == 1990
    assert config.sources["worldbank"].base_url == "https://api.worldbank.org/v2"
    assert config.sources["imf_trade"].base_url == "https://api.imf.org/external/sdmx/3.0"
    assert config.sources["imf_datamapper"].min_interval_s == 1.5


def test_environment_overrides_urls_home_and_keys():
    config = load_config(
        REPO / "bilateral.toml",
        environ={
            "BILATERAL_WORLDBANK_URL": "http://127.0.0.1:1/wb/",
            "BILATERAL_HOME": "/tmp/somewhere",
            "BILATERAL_IMF_KEY": "secret-key",
        },
    )
    assert config.sources["worldbank"].base_url == "http://127.0.0.1:1/wb"
    assert str(config.warehouse_path) == "/tmp/somewhere/warehouse.duckdb"
    assert config.sources["imf_trade"].key == "secret-key"
    assert "secret-key" not in repr(config)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('countries = ["RUS", "MEX"]', 'countries = ["RUS", "XXX"]'), "pairs[1].countries has 'XXX', which is not an ISO 3166 alpha-3"),
        (('countries = ["RUS", "MEX"]', 'countries = ["RUS"]'), "pairs[1].countries must name two different countries"),
        (("start = 1990", "start = 1800"), "years.start must be a whole number from 1950"),
        (('base_url = "https://api.worldbank.org/v2"', 'base_url = "ftp://x"'), "sources.worldbank.base_url (or BILATERAL_WORLDBANK_URL) must be an http(s) URL"),
        (("per_page = 1000", "per_page = 0"), "sources.worldbank.per_page must be a whole number from 1 to 32500"),
        (('edition = "auto"', 'edition = "2025-07"'), "sources.imf_datamapper.edition must be \"auto\" or a WEO edition"),
        (("retries = 4", "retries = -1"), "http.retries must be a whole number from 0 to 10"),
        (('refresh_cron = "0 6 * * *"', 'refresh_cron = "daily"'), "schedule.refresh_cron must be a five-field cron expression"),
        (('refresh_cron = "0 6 * * *"', 'refresh_cron = "61 6 * * *"'), "schedule.refresh_cron must be a five-field cron expression"),
        (('timezone = "UTC"', 'timezone = "Mars/Olympus"'), "schedule.timezone must be an IANA time zone"),
        (('languages = ["en", "es", "ru"]', 'languages = ["en", "fr"]'), "briefing.languages must list some of en, es, ru once each, found ['en', 'fr']"),
        (('languages = ["en", "es", "ru"]', 'languages = []'), "briefing.languages must list some of en, es, ru once each"),
        (("backoff_s = 1.0", "backoff_s = nan"), "http.backoff_s must be a number from 0 to 600, found nan"),
        (("read_timeout_s = 60", "read_timeout_s = 1e400"), "http.read_timeout_s must be a number from 0.001 to 3600, found inf"),
        (("retries = 4", "retries = 4\nretry = 5"), "unknown key http.retry; did you mean http.retries?"),
        (("[schedule]", "[schedul]"), "unknown key schedul; did you mean schedule?"),
        (("per_page = 1000", "per_page = 1000\nper_pages = 5"), "unknown key sources.worldbank.per_pages; did you mean sources.worldbank.per_page?"),
        (("[sources.comtrade]", "[sources.oecd]"), "sources.oecd is not a known source"),
        (("[[pairs]]", "[[pairs]"), "not valid TOML"),
        (('events = "data/events.yaml"', 'event = "data/events.yaml"'), "unknown key pairs[1].event; did you mean pairs[1].events?"),
        (('# [[pairs]]\n# countries = ["BRA", "MEX"]', '[[pairs]]\ncountries = ["MEX", "RUS"]'), "pairs[2] (MEX-RUS) repeats pairs[1] (RUS-MEX); each pair once"),
        (('# [[pairs]]\n# countries = ["BRA", "MEX"]', '[[pairs]]\ncountries = ["BRA", "MEX"]\nlanguages = ["de"]'),
         "pairs[2].languages must list some of en, es, ru once each, found ['de']"),
        (('# [[pairs]]', '[pair]\ncountries = ["RUS", "MEX"]\n# [[pairs]]'), "use either [pair] (one pair) or [[pairs]] (any number), not both"),
        (('[[pairs]]\ncountries = ["RUS", "MEX"]', '[[pairs]]\ncountries = ["RUS", "MEX"]\n[[pairs]]'), "pairs[2].countries must be a list of ISO 3166 alpha-3 codes"),
    ],
)
def test_bad_value_is_one_error_naming_the_key(tmp_path, edit, message):
    text = (REPO / "bilateral.toml").read_text().replace(*edit)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_says_how_to_choose_one(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "absent.toml", environ={})


def test_cli_prints_one_line_and_exits_non_zero_for_a_bad_config(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text((REPO / "bilateral.toml").read_text().replace("start = 1990", "start = 'soon'"))
    done = subprocess.run([sys.executable, "-m", "bilateral", "refresh", "--config", str(path)], capture_output=True, text=True)
    assert done.returncode == 2  # a configuration error
    assert done.stderr.strip().count("\n") == 0
    assert done.stderr.startswith("bilateral: ") and "years.start" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_section_given_as_a_value_is_one_error(tmp_path):
    text = (REPO / "bilateral.toml").read_text().replace("[http]", "[http_settings]")
    path = tmp_path / "bad.toml"
    path.write_text('http = "fast"\n' + text)
    with pytest.raises(ConfigError, match=r"bad.toml: http must be a table \(\[http\]\), found 'fast'"):
        load_config(path, environ={})


def test_pairs_written_as_a_value_is_one_line_saying_how_to_write_them(tmp_path):
    path = tmp_path / "bilateral.toml"
    path.write_text('pairs = "RUS-MEX"\n')
    with pytest.raises(ConfigError, match=r"bilateral.toml: pairs must be \[\[pairs\]\] tables, one per pair, found 'RUS-MEX'$"):
        load_config(path, environ={})
