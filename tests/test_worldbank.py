"""World Bank source: paging, envelope quirks and errors, over real HTTP against the fake."""

import datetime as dt

import pytest


from bilateral import refresh
from bilateral.config import load_config
from bilateral.errors import SchemaDriftError, SourceError
from bilateral.http import HttpClient
from bilateral.sources import Request, worldbank
from conftest import write_settings

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


def gdp_request(fake, per_page=1000, countries="MEX;RUS"):
    return Request(
        source="worldbank",
        kind="data",
        url=f"{fake.worldbank_url}/country/{countries}/indicator/NY.GDP.MKTP.CD",
        params={"format": "json", "per_page": per_page, "date": "1990:2025"},
        context={"indicator": "NY.GDP.MKTP.CD"},
    )


@pytest.fixture
def read_all(fake, tmp_path):
    """Fetch every page of a request and parse each: the frames, one per page."""
    client = HttpClient(load_config(write_settings(tmp_path, fake), environ={}).http)

    def pages(request):
        return [worldbank.parse(request, r.body, r.url, NOW, {}).observations for r in worldbank.fetch(client, request)]

    return pages


@pytest.mark.parametrize("countries", ["MEX;RUS", "RUS;MEX", "rus%3Bmx", "MX;RU"])
def test_any_country_order_and_code_form_gives_the_recorded_value(fake, read_all, countries):
    frames = read_all(gdp_request(fake, countries=countries))
    rows = frames[0]
    value = rows[(rows.ref_area == "MEX") & (rows.period == "2021")].value.item()
    assert value == 1316569466833.94


def test_every_announced_page_is_fetched(fake, read_all):
    frames = read_all(gdp_request(fake, per_page=10))
    assert len(frames) == 8
    assert sum(len(frame) for frame in frames) == 72


def test_null_values_are_missing_never_zero(fake, read_all):
    fake.set_worldbank_value("NY.GDP.MKTP.CD", "RUS", 1990, None)
    rows = read_all(gdp_request(fake))[0]
    assert len(rows) == 71
    assert "1990" not in set(rows[rows.ref_area == "RUS"].period)
    assert (rows.value != 0).all()


def test_lastupdated_of_the_envelope_is_carried_onto_each_row(fake, read_all):
    rows = read_all(gdp_request(fake))[0]
    assert set(rows.source_updated) == {"2026-07-01"}


def test_error_payload_with_status_200_names_the_url_and_message(fake, read_all):
    fake.fail("wb_error", "NY.GDP.MKTP.CD")
    with pytest.raises(SourceError) as caught:
        read_all(gdp_request(fake))
    assert "the API answered with an error: 120 Invalid value" in str(caught.value)
    assert "NY.GDP.MKTP.CD" in str(caught.value)


def test_renamed_field_is_schema_drift_naming_the_field(fake, read_all):
    fake.fail("renamed_field", "NY.GDP.MKTP.CD", old="value", new="val")
    with pytest.raises(SchemaDriftError, match="field 'value' missing"):
        read_all(gdp_request(fake))


def test_no_data_answer_is_empty_not_a_deletion(fake, read_all):
    fake.fail("empty_page", "NY.GDP.MKTP.CD")
    assert read_all(gdp_request(fake))[0].empty


def test_byte_order_mark_is_accepted(fake, read_all):
    fake.fail("bom", "NY.GDP.MKTP.CD")
    assert len(read_all(gdp_request(fake))[0]) == 72


def test_total_changing_between_pages_fails_the_request(fake, read_all):
    fake.fail("total_changes", "NY.GDP.MKTP.CD")
    with pytest.raises(SourceError, match="total changed between pages"):
        read_all(gdp_request(fake, per_page=10))


def test_labels_come_from_the_metadata_endpoints(fake, settings):
    config = load_config(settings)
    outcome = refresh.collect(config, "worldbank", refresh.plan(config)["worldbank"], {})
    labels = outcome.labels.set_index(["kind", "code"]).name
    assert labels["country", "MEX"] == "Mexico"
    assert labels["indicator", "SP.DYN.LE00.IN"] == "Life expectancy at birth, total (years)"
