"""Many pairs from one configuration: requests shared across pairs, one warehouse, a briefing per pair,
and `--pair` wherever a command is about one pair."""

import collections
import contextlib
import dataclasses
import json
import re

import duckdb
import pytest
from pypdf import PdfReader

from bilateral import analyst, curated, refresh
from bilateral.briefing import produce
from bilateral.config import PairConfig, load_config
from bilateral.errors import ConfigError, SeedError
from conftest import REPO, THREE_PAIRS, write_settings
from test_cli import bilateral

YEARS = 7  # the tests' [sources.comtrade] years


def first_refresh(fake, folder, pairs=None, environ=None):
    """A refresh of an empty data directory; returns its configuration and its requests counted by source."""
    fake.reset()
    folder.mkdir()
    config = load_config(write_settings(folder, fake, pairs=pairs), environ={"BILATERAL_HOME": str(folder / "home"), **(environ or {})})
    assert refresh.run_once(config).status == "ok"
    return config, collections.Counter(request.path.split("/")[1] for request in fake.requests)


@pytest.fixture(scope="module")
def runs(fake_api, tmp_path_factory):
    """One pair and three pairs, each refreshed once without and once with a Comtrade key."""
    folder = tmp_path_factory.mktemp("pairs")
    key = {"BILATERAL_COMTRADE_KEY": "test-key"}
    found = {
        "one": first_refresh(fake_api, folder / "one"),
        "three": first_refresh(fake_api, folder / "three", THREE_PAIRS),
        "one-keyed": first_refresh(fake_api, folder / "one-keyed", environ=key),
        "three-keyed": first_refresh(fake_api, folder / "three-keyed", THREE_PAIRS, environ=key),
    }
    fake_api.reset()
    return found


@pytest.fixture(scope="module")
def three(runs):
    return runs["three"][0]


def test_the_shared_sources_are_asked_as_often_for_three_pairs_as_for_one(runs):
    one, three = runs["one"][1], runs["three"][1]
    for source in ("worldbank", "datamapper", "sdmx"):
        assert three[source] == one[source], source


def test_with_a_comtrade_key_three_pairs_make_no_more_requests_than_one(runs):
    one, three = runs["one-keyed"][1], runs["three-keyed"][1]
    assert sum(three.values()) <= 1.1 * sum(one.values())
    assert three["comtrade"] == one["comtrade"] == YEARS + 1  # a request a year for every pair, and one change probe


def test_the_keyless_comtrade_preview_asks_a_pair_and_the_world_imports_in_few_calls(runs):
    # one pair: its two directions, both flows, in one call, both sides' imports from the world in another, a year;
    # and one change probe
    assert runs["one"][1]["comtrade"] == 2 * YEARS + 1
    # RUS-MEX, RUS-CHN, MEX-USA: a call for each pair, and the world imports of RUS, MEX, CHN and USA in one
    assert runs["three"][1]["comtrade"] == 4 * YEARS + 1


def test_a_refresh_with_nothing_new_asks_as_often_for_three_pairs_as_for_one(runs, fake_api):
    """The daily case: every change probe answers as before, so only the probes are asked, shared by all pairs."""
    asked = {}
    for name in ("one", "three"):
        fake_api.reset()
        assert refresh.run_once(runs[name][0]).status == "ok"
        asked[name] = collections.Counter(request.path.split("/")[1] for request in fake_api.requests)
    fake_api.reset()
    assert asked["three"] == asked["one"]
    assert sum(asked["one"].values()) < sum(runs["one"][1].values()) / 2


def test_with_a_key_many_pairs_are_grouped_so_no_answer_nears_the_cap(three):
    from bilateral.sources import comtrade

    codes = ["ARG", "AUS", "BRA", "CAN", "CHN", "DEU", "EGY", "ESP", "FRA", "GBR", "IDN", "IND", "IRN", "ITA", "JPN",
             "KAZ", "KOR", "MEX", "NGA", "NLD", "NOR", "POL", "RUS", "SAU", "SWE", "TUR", "UKR", "USA", "VNM", "ZAF"]
    pairs = tuple(PairConfig((a, b)) for a, b in zip(codes, codes[1:] + codes[:1]))  # 30 pairs in a ring
    sources = {**three.sources, "comtrade": dataclasses.replace(three.sources["comtrade"], key="k", years=1)}
    asked = comtrade.requests_for(dataclasses.replace(three, pairs=pairs, sources=sources))
    assert len(asked) > 1
    for request in asked:  # each reporter with each partner named, both flows, every chapter: within half the cap
        reporters, partners = (str(request.params[name]).count(",") + 1 for name in ("reporterCode", "partnerCode"))
        assert reporters * partners * 2 * comtrade.CHAPTERS <= comtrade.FULL_CAP // 2
    wanted = [tuple(flow) for request in asked for flow in request.context["wanted"]]
    assert len(wanted) == len(set(wanted)) == 30 * 2 * 2 + 30  # each pair's two directions, both flows; world imports


def test_the_first_pair_reads_the_same_from_a_shared_warehouse(runs):
    def pair_figures(config):
        with contextlib.closing(analyst.connect(config)) as connection:
            return connection.execute(
                "select (select sum(trade_usd) from marts.trade_totals), (select count(*) from marts.trade_products),"
                " (select count(*) from marts.claims_check), (select count(*) from marts.timeline)").fetchone()

    assert pair_figures(runs["three"][0]) == pair_figures(runs["one"][0])
    assert pair_figures(runs["three-keyed"][0]) == pair_figures(runs["one-keyed"][0])


def test_each_pair_sees_its_own_marts(three):
    with contextlib.closing(duckdb.connect(str(three.snapshot_path), read_only=True)) as connection:
        assert connection.execute("select pair, position from meta.pair order by position").fetchall() == [
            ("RUS-MEX", 1), ("RUS-CHN", 2), ("MEX-USA", 3)]
        assert connection.execute("select pair from marts.pair").fetchall() == [("RUS-MEX",)]  # no variable: the first
    seen = {}
    for code in ("RUS-MEX", "RUS-CHN", "MEX-USA"):
        with contextlib.closing(analyst.connect(three.for_pair(code))) as connection:
            seen[code] = connection.execute(
                "select (select pair from marts.pair), (select count(*) from marts.bilateral_trade),"
                " (select count(*) from marts.timeline), (select count(*) from marts.claims_check)").fetchone()
    events, claims = len(curated.events()), len(curated.claims())
    # the recordings hold IMTS flows between Russia and Mexico only
    assert seen["RUS-MEX"][0] == "RUS-MEX" and seen["RUS-MEX"][1] > 0 and seen["RUS-MEX"][2:] == (events, claims)
    assert seen["RUS-CHN"] == ("RUS-CHN", 0, 0, 0)
    assert seen["MEX-USA"] == ("MEX-USA", 0, 0, 0)


def test_every_pair_has_its_own_briefing(three):
    texts = {}
    for code in ("RUS-MEX", "RUS-CHN", "MEX-USA"):
        _, rendered = produce.run_once(three.for_pair(code), "2026-11")
        assert rendered.path.name == f"2026-11_{code.lower()}.pdf"
        texts[code] = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(rendered.path).pages)
    assert "The article's figures, checked" in texts["RUS-MEX"] and "Claims checked" not in texts["RUS-MEX"]
    russia_china = texts["RUS-CHN"]
    assert "Russia and China" in russia_china and "Mexico" not in russia_china
    assert "IMF IMTS holds no goods trade between Russia and China, as either side reports it." in russia_china
    assert "No events of this relationship are curated yet." in russia_china
    assert "No published claims about this relationship are curated, so none are checked." in russia_china
    assert "The article's figures" not in russia_china


def test_since_the_last_briefing_compares_within_the_pair(three):
    produce.run_once(three.for_pair("MEX-USA"), "2026-09")
    _, rendered = produce.run_once(three.for_pair("RUS-CHN"), "2026-10")
    text = " ".join(page.extract_text() for page in PdfReader(rendered.path).pages)
    assert "No briefing of an earlier period is recorded" in " ".join(text.split())


def test_a_pair_has_its_own_languages(three):
    assert three.for_pair("RUS-CHN").languages == ("en",)
    assert three.for_pair("MEX-USA").languages == ("en", "es", "ru")


def test_commands_take_the_pair_they_are_about(three):
    config = ["--config", str(three.path)]
    chosen = bilateral("sql", "--pair", "usa-mex", "--format", "json", "select pair from marts.pair", *config, home=three.home)
    assert chosen.returncode == 0, chosen.stderr
    assert json.loads(chosen.stdout) == [{"pair": "MEX-USA"}]  # either order, any case
    claims = bilateral("claims", "--pair", "RUS-CHN", "--format", "json", *config, home=three.home)
    assert (claims.returncode, json.loads(claims.stdout)) == (0, [])
    assert claims.stderr == f'no claims are curated for RUS-CHN: set claims = "FILE.yaml" in its [[pairs]] entry of {three.path}\n'
    events = bilateral("events", "--format", "json", *config, home=three.home)
    assert len(json.loads(events.stdout)) == len(curated.events())  # the first pair when none is named
    assert events.stderr == ""
    status = bilateral("status", "--pair", "RUS-CHN", *config, home=three.home)
    assert status.stdout.splitlines()[0] == "pair            RUS-CHN; also configured: RUS-MEX, MEX-USA (choose with --pair)"
    assert "imf_trade       no data" in status.stdout


def test_an_unknown_pair_is_one_line_naming_the_configured_ones(three):
    wrong = bilateral("briefing", "--pair", "RUS-BRA", "--config", str(three.path), home=three.home)
    assert wrong.returncode == 2
    assert wrong.stderr.strip().endswith("no pair 'RUS-BRA' is configured; configured: RUS-MEX, RUS-CHN, MEX-USA")
    assert len(wrong.stderr.strip().splitlines()) == 1


def test_an_id_may_be_curated_for_one_pair_only(tmp_path):
    pairs = (PairConfig(("RUS", "MEX"), events=REPO / "data" / "events.yaml"),
             PairConfig(("RUS", "CHN"), events=tmp_path / "events.yaml"))
    (tmp_path / "events.yaml").write_text((REPO / "data" / "events.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SeedError, match=r"events.yaml: id 'rezanov-california' is already used in .*data/events.yaml; ids are unique"):
        curated.for_pairs(pairs)


def test_a_curated_file_of_a_pair_is_relative_to_the_configuration(tmp_path):
    text = (REPO / "bilateral.toml").read_text(encoding="utf-8").replace(
        '# [[pairs]]\n# countries = ["BRA", "MEX"]', '[[pairs]]\ncountries = ["BRA", "MEX"]\nevents = "curated/bra-mex.yaml"')
    (tmp_path / "bilateral.toml").write_text(text, encoding="utf-8")
    (tmp_path / "data").symlink_to(REPO / "data")  # Russia-Mexico's files, at data/ beside the configuration
    config = load_config(tmp_path / "bilateral.toml", environ={})
    assert [pair.code for pair in config.pairs] == ["RUS-MEX", "BRA-MEX"]
    assert config.pairs[1].events == tmp_path / "curated" / "bra-mex.yaml" and config.pairs[1].claims is None
    assert config.requested_countries == ("RUS", "MEX", "USA", "CHN", "BRA")
    with pytest.raises(SeedError, match=r"curated/bra-mex.yaml: file not found"):
        curated.for_pairs(config.pairs)
    with pytest.raises(ConfigError, match=r"no pair 'ARG-BRA' is configured; configured: RUS-MEX, BRA-MEX"):
        config.for_pair("ARG-BRA")


def test_the_archive_has_a_section_per_pair(three):
    from bilateral.briefing import site

    site.build(three, ("en",))
    titles = ["Russia and Mexico", "Russia and China", "Mexico and United States"]
    for page in ("claims", "timeline"):
        text = (three.briefings_dir / f"{page}.html").read_text(encoding="utf-8")
        assert re.findall(r'<h2 id="[a-z-]+">([^<]+)</h2>', text) == titles, page
    source = (three.briefings_dir / "sources" / "imf_trade.html").read_text(encoding="utf-8")
    states = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td>', source)[:3]  # then the source's own rows
    assert [title for title, _ in states] == titles
    assert [state for _, state in states][1:] == ["no data for the pair"] * 2


def test_run_refreshes_once_and_renders_every_pairs_briefing(three, fake_api):
    fake_api.reset()
    done = bilateral("run", "--config", str(three.path), home=three.home)
    assert done.returncode == 0, done.stderr
    named = done.stdout.strip().split("; briefings ")[1].split(", ")
    assert [path.rsplit("_", 1)[1] for path in named] == ["rus-mex.pdf", "rus-chn.pdf", "mex-usa.pdf"]
    assert all((three.home / "briefings").joinpath(path.rsplit("/", 1)[1]).exists() for path in named)


def test_comtrade_is_asked_for_the_united_states_by_its_customs_area_code(three):
    from bilateral.sources import comtrade

    asked = {code for request in comtrade.requests_for(three) for code in str(request.params["reporterCode"]).split(",")}
    assert "842" in asked and "840" not in asked  # Comtrade's USA (with Puerto Rico and the Virgin Islands)
    assert {"643", "484", "156"} <= asked  # Russia, Mexico, China: their M49 numbers
