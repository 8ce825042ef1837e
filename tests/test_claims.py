"""The claims check as a fact-checker reads it: every verdict follows from the fields printed beside it."""

import json
import subprocess
import sys

import pytest

from bilateral import analyst, queries

FIELDS = {"id", "claimed", "observed", "observed_period", "source", "vintage", "difference", "difference_unit",
          "tolerance_text", "reading", "verdict", "held_for", "reason"}


@pytest.fixture(scope="module")
def claims(filled):
    done = subprocess.run([sys.executable, "-m", "bilateral", "claims", "--format", "json", "--config", str(filled.path)],
                          capture_output=True, text=True, env={"BILATERAL_HOME": str(filled.home), "PATH": ""})
    assert done.returncode == 0, done.stderr
    return {row["id"]: row for row in json.loads(done.stdout)}


def expected_difference(row):
    """Observed minus claimed in the claim's own unit, rounded as printed."""
    if row["difference_unit"] == "%":
        return round(100 * (row["observed"] - row["claimed"]) / abs(row["claimed"]), 1)
    return round(row["observed"] - row["claimed"], {"places": 0, "ratio": 2}.get(row["difference_unit"], 1))


def expected_verdict(row):
    if row["observed"] is None:
        return "not checkable"
    if row["bound"] == "lower":
        within = row["observed"] > row["claimed"]
    elif row["bound"] == "upper":
        within = row["observed"] < row["claimed"]
    else:
        within = abs(row["difference"]) <= row["tolerance_value"]
    if within:
        return "supported"
    return "outdated" if row["held_for"] is not None else "contradicted"


def test_every_claim_carries_the_fields_a_reader_checks_it_by(claims):
    assert len(claims) >= 30
    for row in claims.values():
        assert FIELDS <= row.keys(), row["id"]
        assert row["tolerance_text"], row["id"]


def test_every_verdict_is_what_its_difference_and_tolerance_imply(claims):
    for row in claims.values():
        if row["observed"] is not None:
            assert row["difference"] == expected_difference(row), row["id"]
        assert row["verdict"] == expected_verdict(row), row["id"]
        if row["verdict"] in ("not checkable", "outdated", "contradicted"):
            assert row["reason"], row["id"]
        if row["verdict"] != "outdated":
            assert row["held_for"] is None, row["id"]


def test_rank_differences_are_places_never_percentages(claims):
    ranks = [row for row in claims.values() if row["unit"] == "rank"]
    assert ranks and all(row["difference_unit"] == "places" for row in ranks)
    russia = claims["gdp-rank-russia-2023"]
    assert (russia["observed"], russia["out_of"], russia["verdict"], russia["tolerance_text"]) == (11, 195, "supported", "exact rank")


def test_figures_that_held_for_an_earlier_year_say_which(claims):
    # the article, written in 2023, used the figures of its day: they match 2022 in the October 2025 edition
    assert (claims["gdp-mexico-2023"]["verdict"], claims["gdp-mexico-2023"]["held_for"]) == ("outdated", 2022)
    assert claims["gdp-mexico-2023"]["reason"] == "held for 2022, no longer for 2023"
    assert (claims["gdp-per-capita-rank-russia-2023"]["verdict"], claims["gdp-per-capita-rank-russia-2023"]["held_for"]) == ("outdated", 2022)


def test_durations_are_computed_from_the_dated_events(claims):
    anniversary = claims["relations-130-years-2020"]
    assert (anniversary["observed"], anniversary["observed_period"], anniversary["verdict"]) == (130, "1890-12-11 to 2020", "supported")
    trotsky = claims["trotsky-killed-four-years-later"]
    assert (trotsky["observed_period"], trotsky["difference"], trotsky["tolerance_text"], trotsky["verdict"]) == (
        "1937-01-09 to 1940-08-20", -0.4, "±0.5 years", "supported")
    oswald = claims["oswald-six-weeks-before"]
    assert (oswald["observed"], oswald["difference"], oswald["tolerance_text"], oswald["verdict"]) == (8.0, 2.0, "±1 week", "contradicted")


def test_a_lower_bound_is_read_as_a_bound(claims):
    bound = claims["us-mexico-trade-over-700bn"]
    assert (bound["reading"], bound["tolerance_text"]) == ('a lower bound ("more than")', "more than the claimed value")


def test_a_claim_the_data_cannot_decide_says_why_in_one_line(claims):
    for row in claims.values():
        if row["verdict"] == "not checkable":
            assert "\n" not in row["reason"] and len(row["reason"]) < 600, row["id"]


# Synthetic: the recorded IMTS data end in 2020, so these tests give the fake 2021 values of their own.
# 1995 two-way trade in the recordings is 55.9 million USD.
@pytest.mark.parametrize("exports_2021, reading", [
    ((30_000_000, 35_400_000), "cumulative change"),  # 65.4 m: +17.0 % over the span
    ((1_000_000_000, 2_310_000_000), "average annual change"),  # 3.31 bn: +17.0 % a year for 26 years
])
def test_a_claim_with_two_readings_names_the_one_that_holds(settings, fake, exports_2021, reading):
    from bilateral import refresh
    from bilateral.config import load_config

    fake.set_imts_value("MEX", "XG_FOB_USD", "RUS", 2021, exports_2021[0])
    fake.set_imts_value("RUS", "XG_FOB_USD", "MEX", 2021, exports_2021[1])
    config = load_config(settings)
    refresh.run_once(config)
    with analyst.connect(config) as connection:
        row = analyst.query(connection, queries.text("claims")).records()
    growth = next(claim for claim in row if claim["id"] == "trade-growth-1995-2021")
    assert (growth["reading"], growth["verdict"], growth["difference"]) == (reading, "supported", 0.0)


# Synthetic: the recordings hold only the pair's flows with each other, so partner ranks are not checkable
# there. These tests give the fake a whole partner list of their own for Mexico in 2021 and 2022.
def give_mexico_partners(fake, year, ranks):
    """Sixty partner economies, the largest first; `ranks` places named partners at those ranks."""
    import pycountry

    others = [country.alpha_3 for country in pycountry.countries if country.alpha_3 not in {"MEX", *ranks}]
    order = others[: 60 - len(ranks)]
    for code, rank in sorted(ranks.items(), key=lambda item: item[1]):
        order.insert(rank - 1, code)
    for position, code in enumerate(order):
        value = 800e9 / (position + 1)  # the largest 800 billion, each next one smaller
        fake.set_imts_value("MEX", "XG_FOB_USD", code, year, value / 2)
        fake.set_imts_value("MEX", "MG_CIF_USD", code, year, value / 2)


def test_partner_ranks_and_amounts_get_verdicts_when_every_partner_is_there(settings, fake):
    from bilateral import refresh
    from bilateral.config import load_config

    give_mexico_partners(fake, 2021, {"RUS": 44})
    give_mexico_partners(fake, 2022, {"USA": 1})
    config = load_config(settings)
    refresh.run_once(config)
    with analyst.connect(config) as connection:
        rows = {row["id"]: row for row in analyst.query(connection, queries.text("claims")).records()}
    russia = rows["russia-rank-among-mexico-partners"]
    assert (russia["observed"], russia["out_of"], russia["verdict"]) == (44, 60, "supported")
    assert rows["us-mexico-largest-trading-partner"]["verdict"] == "supported"
    united_states = rows["us-mexico-trade-over-700bn"]  # 800 billion: past the lower bound
    assert (united_states["observed"], united_states["verdict"]) == (800e9, "supported")


def test_what_each_side_sells_is_checked_on_the_hs_chapters(claims):
    # on tests/fixtures/comtrade, invented numbers in the real wire shape (see its README)
    mexico = claims["mexico-exports-to-russia-products"]
    assert (mexico["observed"], mexico["tolerance_text"], mexico["verdict"]) == (3, "each named chapter among the 10 largest", "supported")


def test_without_comtrade_data_the_product_claims_say_why(settings, fake):
    from bilateral import refresh
    from bilateral.config import load_config

    fake.serve_recordings_only()
    config = load_config(settings)
    refresh.run_once(config)
    with analyst.connect(config) as connection:
        rows = {row["id"]: row for row in analyst.query(connection, queries.text("claims")).records()}
    russia = rows["russia-exports-to-mexico-products"]
    assert (russia["verdict"], russia["reason"]) == ("not checkable", "UN Comtrade holds no HS chapters of MEX imports from RUS for 2021")


def test_russias_share_of_mexican_fertiliser_imports_is_read_against_the_world(settings, fake):
    # Synthetic: Mexico's 2021 fertiliser imports from the world, invented for this test (the Comtrade
    # fixtures hold the pair's flows only): 612,874,302 USD from Russia (tests/fixtures/comtrade) of 2.5 billion.
    from bilateral import refresh
    from bilateral.config import load_config

    fixture = json.loads((fake.fixtures / "comtrade" / "C_A_HS_484_643_2021.json").read_text())["data"]
    from_russia = next(row for row in fixture if row["flowCode"] == "M" and row["cmdCode"] == "31")
    from_world = {**from_russia, "partnerCode": 0, "partnerISO": "W00", "partnerDesc": "World",
                  "cifvalue": 2_500_000_000.0, "primaryValue": 2_500_000_000.0}
    fake.add_comtrade_rows([from_world])
    config = load_config(settings)
    refresh.run_once(config)
    with analyst.connect(config) as connection:
        rows = {row["id"]: row for row in analyst.query(connection, queries.text("claims")).records()}
    share = rows["russia-key-fertiliser-supplier"]
    assert (round(share["observed"], 1), share["reading"], share["verdict"]) == (24.5, 'a lower bound ("more than")', "supported")
