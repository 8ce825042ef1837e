"""The fake APIs answer like the real ones: recorded values, real envelopes, real failures.

Expected values are literals copied from the recordings (or from the Comtrade fixture
files), or the recorded files themselves; none is computed by the fake.
"""

from __future__ import annotations

import json
import time

import pytest
import requests

from bilateral.replay import FakeAPI, recordings_dir
from conftest import FIXTURES

RECORDINGS = recordings_dir()
if RECORDINGS is None:
    pytest.skip("no API recordings (data/recordings or $BILATERAL_RECORDINGS)", allow_module_level=True)

MANIFEST = json.loads((RECORDINGS / "MANIFEST.json").read_text())
REAL_BASES = {
    "https://api.worldbank.org/v2": "worldbank_url",
    "https://www.imf.org/external/datamapper/api/v1": "datamapper_url",
    "https://api.imf.org/external/sdmx/3.0": "sdmx_url",
}
WB_INVALID_VALUE = [
    {"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}
]
WB_NO_DATA = [{"page": 0, "pages": 0, "per_page": 50, "total": 0, "sourceid": None, "lastupdated": None}, None]
DATAMAPPER_EMPTY = {"values": {}, "api": {"version": "1", "output-method": "json"}}
COMTRADE_SAMPLE = json.loads((RECORDINGS / "comtrade" / "FORMAT_SAMPLE_CHN_ARG-DEU_2010_TOTAL.json").read_text())
TIMEOUT = (2, 5)


@pytest.fixture(scope="module")
def server():
    with FakeAPI(RECORDINGS, FIXTURES) as fake:
        yield fake


@pytest.fixture
def fake(server):
    server.reset()
    return server


@pytest.fixture
def http():
    with requests.Session() as session:
        yield session


def get(session: requests.Session, url: str, **kwargs) -> requests.Response:
    return session.get(url, timeout=TIMEOUT, **kwargs)


def gdp_url(fake: FakeAPI, codes: str = "MEX;RUS", query: str = "") -> str:
    return f"{fake.worldbank_url}/country/{codes}/indicator/NY.GDP.MKTP.CD?format=json{query}"


def decode_sdmx(message: dict) -> dict[str, dict[str, str]]:
    """'COUNTRY.INDICATOR.COUNTERPART.FREQ' -> {period: OBS_VALUE}, read from the message's own structure.

    A series key holds, per position, an index into the dimension listed at that position.
    """
    structure = message["data"]["structures"][0]
    dimensions = structure["dimensions"]["series"]
    periods = structure["dimensions"]["observation"][0]["values"]
    decoded = {}
    for key, series in message["data"]["dataSets"][0]["series"].items():
        codes = {dimensions[i]["id"]: dimensions[i]["values"][int(k)]["id"] for i, k in enumerate(key.split(":"))}
        name = ".".join(codes[d] for d in ("COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY", "FREQUENCY"))
        decoded[name] = {periods[int(i)]["value"]: obs[0] for i, obs in series["observations"].items()}
    return decoded


# --------------------------------------------------------------------------- recorded answers


def _replayable():
    return [e for e in MANIFEST["files"] if e["file"].split("/")[0] in {"worldbank", "imf_datamapper", "imf_sdmx3"}]


@pytest.mark.parametrize("entry", _replayable(), ids=lambda entry: entry["file"])
def test_every_recorded_query_gets_the_recorded_bytes(fake, http, entry):
    expected = (RECORDINGS / entry["file"]).read_bytes()
    for real_url in [entry["url"], *entry.get("url_aliases", [])]:
        base = next(b for b in REAL_BASES if real_url.startswith(b))
        response = get(http, getattr(fake, REAL_BASES[base]) + real_url[len(base) :])
        assert response.status_code == 200, real_url
        assert response.headers["Content-Type"] == entry["content_type"]
        assert response.content == expected, real_url


# --------------------------------------------------------------------------- World Bank


@pytest.mark.parametrize("codes", ["MEX;RUS", "RUS;MEX", "mx;ru", "MEX%3BRUS", "ru%3bMX", "MX", "rus;mex;chn"])
def test_worldbank_mexico_gdp_2021_whatever_the_country_spelling(fake, http, codes):
    envelope, rows = get(http, gdp_url(fake, codes, "&date=2019:2022")).json()
    mexico = {row["date"]: row for row in rows if row["countryiso3code"] == "MEX"}
    assert mexico["2021"]["value"] == 1316569466833.94
    assert mexico["2021"]["country"] == {"id": "MX", "value": "Mexico"}
    assert envelope["lastupdated"] == "2026-07-01"


def test_worldbank_lists_countries_in_api_order_then_years_newest_first(fake, http):
    _, rows = get(http, gdp_url(fake, "USA;RUS;MEX", "&date=2020:2021")).json()
    assert [(r["countryiso3code"], r["date"]) for r in rows] == [
        ("MEX", "2021"),
        ("MEX", "2020"),
        ("RUS", "2021"),
        ("RUS", "2020"),
        ("USA", "2021"),
        ("USA", "2020"),
    ]


def test_worldbank_pages_of_ten_cover_all_72_rows_under_one_envelope(fake, http):
    envelopes, rows = [], []
    for page in range(1, 9):
        envelope, chunk = get(http, gdp_url(fake, query=f"&date=1990:2025&per_page=10&page={page}")).json()
        envelopes.append(envelope)
        rows += chunk
    assert [e["page"] for e in envelopes] == list(range(1, 9))
    assert {(e["pages"], e["per_page"], e["total"], e["sourceid"], e["lastupdated"]) for e in envelopes} == {
        (8, 10, 72, "2", "2026-07-01")
    }
    assert len({(r["countryiso3code"], r["date"]) for r in rows}) == 72
    assert (rows[0]["countryiso3code"], rows[0]["date"]) == ("MEX", "2025")
    assert (rows[-1]["countryiso3code"], rows[-1]["date"], rows[-1]["value"]) == ("RUS", "1990", 517014446227.929)

    past_the_end = get(http, gdp_url(fake, query="&date=1990:2025&per_page=10&page=9")).json()
    assert past_the_end == [
        {"page": 9, "pages": 8, "per_page": 10, "total": 72, "sourceid": "2", "lastupdated": "2026-07-01"},
        [],
    ]


def test_worldbank_default_range_is_every_year_known_for_the_indicator(fake, http):
    envelope, rows = get(http, gdp_url(fake, query="&per_page=1000")).json()
    assert envelope["total"] == 72
    assert {r["date"] for r in rows} == {str(year) for year in range(1990, 2026)}


def test_worldbank_indicator_without_recorded_data_answers_nulls(fake, http):
    url = f"{fake.worldbank_url}/country/MEX;RUS/indicator/ST.INT.ARVL?format=json&date=2015:2020"
    envelope, rows = get(http, url).json()
    assert envelope["total"] == 12
    assert {r["value"] for r in rows} == {None}
    assert rows[0]["indicator"] == {"id": "ST.INT.ARVL", "value": "International tourism, number of arrivals"}


def test_worldbank_unknown_country_or_indicator_is_an_error_payload_with_status_200(fake, http):
    bad_country = get(http, gdp_url(fake, "MEX;XYZ"))
    assert (bad_country.status_code, bad_country.json()) == (200, WB_INVALID_VALUE)
    bad_indicator = get(http, f"{fake.worldbank_url}/country/MEX/indicator/NOT.AN.INDICATOR?format=json")
    assert bad_indicator.status_code == 200
    assert bad_indicator.json() == [
        {
            "message": [
                {
                    "id": "175",
                    "key": "Invalid format",
                    "value": "The indicator was not found. It may have been deleted or archived.",
                }
            ]
        }
    ]


def test_worldbank_range_outside_the_database_is_the_no_data_answer(fake, http):
    assert get(http, gdp_url(fake, query="&date=1900:1950")).json() == WB_NO_DATA


def test_worldbank_country_lookup_by_iso2(fake, http):
    assert get(http, f"{fake.worldbank_url}/country/MX?format=json").content == (
        RECORDINGS / "worldbank" / "country_MEX.json"
    ).read_bytes()


def test_worldbank_revision_is_served_with_its_lastupdated_until_reset(fake, http):
    fake.set_worldbank_value("NY.GDP.MKTP.CD", "MEX", 2021, 1400000000000.5, lastupdated="2026-08-15")
    envelope, rows = get(http, gdp_url(fake, "MX", "&date=2021")).json()
    assert (rows[0]["value"], envelope["lastupdated"]) == (1400000000000.5, "2026-08-15")

    fake.reset()
    envelope, rows = get(http, gdp_url(fake, "MX", "&date=2021")).json()
    assert (rows[0]["value"], envelope["lastupdated"]) == (1316569466833.94, "2026-07-01")


def test_worldbank_new_year_extends_the_default_range(fake, http):
    fake.set_worldbank_value("NY.GDP.MKTP.CD", "MEX", 2026, 1900000000000.0)
    envelope, rows = get(http, gdp_url(fake, query="&per_page=1000")).json()
    assert envelope["total"] == 74
    values = {(r["countryiso3code"], r["date"]): r["value"] for r in rows}
    assert (values["MEX", "2026"], values["RUS", "2026"]) == (1900000000000.0, None)


def test_hostile_country_name_reaches_worldbank_rows_listings_and_comtrade(fake, http):
    hostile = "<script>alert(1)</script>"
    fake.set_country_name("RUS", hostile)
    _, rows = get(http, gdp_url(fake, "RU", "&date=2021")).json()
    assert rows[0]["country"]["value"] == hostile
    _, countries = get(http, f"{fake.worldbank_url}/country/RUS?format=json").json()
    assert countries[0]["name"] == hostile
    trade = get(http, f"{fake.comtrade_url}/public/v1/preview/C/A/HS?reporterCode=484&period=2021&cmdCode=TOTAL")
    assert {row["partnerDesc"] for row in trade.json()["data"]} == {hostile}


# --------------------------------------------------------------------------- IMF DataMapper


def test_datamapper_russia_gdp_2021(fake, http):
    answer = get(http, f"{fake.datamapper_url}/NGDPD/RUS").json()
    assert answer["values"]["NGDPD"]["RUS"]["2021"] == 1828.927
    assert answer["api"] == {"version": "1", "output-method": "json"}


def test_datamapper_all_economies_include_the_world_aggregate(fake, http):
    economies = get(http, f"{fake.datamapper_url}/NGDPD").json()["values"]["NGDPD"]
    assert len(economies) == 210
    assert "G001" in economies


def test_datamapper_leaves_out_countries_without_values(fake, http):
    assert list(get(http, f"{fake.datamapper_url}/NGDPD/XYZ/RUS").json()["values"]["NGDPD"]) == ["RUS"]
    assert get(http, f"{fake.datamapper_url}/NOT_AN_INDICATOR/RUS").json() == DATAMAPPER_EMPTY


def test_datamapper_serves_n_a_as_stored_and_drops_removed_years(fake, http):
    fake.set_datamapper_value("NGDPD", "RUS", 2021, "n/a")
    fake.set_datamapper_value("NGDPD", "RUS", 2022, None)
    russia = get(http, f"{fake.datamapper_url}/NGDPD/RUS").json()["values"]["NGDPD"]["RUS"]
    assert russia["2021"] == "n/a"
    assert "2022" not in russia


# --------------------------------------------------------------------------- IMF SDMX 3.0


@pytest.mark.parametrize("version", ["+", "%2B", "~", "1.0.0"])
def test_imts_mexican_exports_to_russia_2020(fake, http, version):
    response = get(http, f"{fake.sdmx_url}/data/dataflow/IMF.STA/IMTS/{version}/MEX.XG_FOB_USD.RUS.A")
    assert response.headers["Content-Type"] == "application/json"
    assert decode_sdmx(response.json())["MEX.XG_FOB_USD.RUS.A"]["2020"] == "421377000"


def test_imts_reordered_dimensions_decode_to_the_same_values(fake, http):
    fake.sdmx_dimension_order = ["FREQUENCY", "COUNTERPART_COUNTRY", "INDICATOR", "COUNTRY"]
    url = f"{fake.sdmx_url}/data/dataflow/IMF.STA/IMTS/+/MEX+RUS.XG_FOB_USD+MG_CIF_USD.RUS+MEX.A"
    message = get(http, url).json()
    dimensions = message["data"]["structures"][0]["dimensions"]["series"]
    assert [(d["id"], d["keyPosition"]) for d in dimensions] == [
        ("FREQUENCY", 3),
        ("COUNTERPART_COUNTRY", 2),
        ("INDICATOR", 1),
        ("COUNTRY", 0),
    ]
    decoded = decode_sdmx(message)
    assert decoded["MEX.XG_FOB_USD.RUS.A"]["2020"] == "421377000"
    assert decoded["RUS.MG_CIF_USD.MEX.A"]["2020"] == "1018176477"


def test_imts_empty_slot_means_every_code(fake, http):
    decoded = decode_sdmx(get(http, f"{fake.sdmx_url}/data/dataflow/IMF.STA/IMTS/+/.XG_FOB_USD..A").json())
    assert sorted(decoded) == ["MEX.XG_FOB_USD.RUS.A", "RUS.XG_FOB_USD.MEX.A"]


def test_imts_key_matching_nothing_is_404(fake, http):
    assert get(http, f"{fake.sdmx_url}/data/dataflow/IMF.STA/IMTS/+/BRA.XG_FOB_USD.RUS.A").status_code == 404


def test_imts_revision_and_new_year_are_served_as_strings(fake, http):
    fake.set_imts_value("MEX", "XG_FOB_USD", "RUS", 2020, 430000000.0)
    fake.set_imts_value("MEX", "XG_FOB_USD", "RUS", 2021, 512345678.5)
    series = decode_sdmx(get(http, f"{fake.sdmx_url}/data/dataflow/IMF.STA/IMTS/+/MEX.XG_FOB_USD.RUS.A").json())
    assert (series["MEX.XG_FOB_USD.RUS.A"]["2020"], series["MEX.XG_FOB_USD.RUS.A"]["2021"]) == (
        "430000000",
        "512345678.5",
    )


def test_imts_request_headers_are_recorded(fake, http):
    headers = {"Ocp-Apim-Subscription-Key": "test-key", "User-Agent": "bilateral-tests/1"}
    get(http, f"{fake.sdmx_url}/data/dataflow/IMF.STA/IMTS/+/MEX.XG_FOB_USD.RUS.A", headers=headers)
    recorded = fake.requests[-1]
    assert (recorded.method, recorded.path) == ("GET", "/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/MEX.XG_FOB_USD.RUS.A")
    assert recorded.header("ocp-apim-subscription-key") == "test-key"
    assert recorded.headers["User-Agent"] == "bilateral-tests/1"


# --------------------------------------------------------------------------- UN Comtrade


def comtrade(http, fake, query: str, path: str = "public/v1/preview", **kwargs) -> requests.Response:
    return get(http, f"{fake.comtrade_url}/{path}/C/A/HS?{query}", **kwargs)


def test_comtrade_rows_have_the_recorded_wire_shape(fake, http):
    answer = comtrade(http, fake, "reporterCode=484&partnerCode=643&period=2021&flowCode=M&cmdCode=AG2").json()
    sample = COMTRADE_SAMPLE["data"][0]
    assert list(answer) == list(COMTRADE_SAMPLE)
    assert answer["count"] == len(answer["data"]) == 9
    for row in answer["data"]:
        assert list(row) == list(sample)
        assert all(type(row[k]) is type(sample[k]) or None in (row[k], sample[k]) for k in sample)
    fertilizers = next(row for row in answer["data"] if row["cmdCode"] == "31")
    assert (fertilizers["cmdDesc"], fertilizers["primaryValue"], fertilizers["cifvalue"]) == (
        "Fertilizers",
        612874302.0,
        612874302.0,
    )


def test_comtrade_total_row_per_flow_exceeds_its_chapters(fake, http):
    totals = comtrade(http, fake, "reporterCode=484&partnerCode=643&period=2021&flowCode=M,X&cmdCode=TOTAL").json()
    assert {r["flowCode"]: r["primaryValue"] for r in totals["data"]} == {"M": 2036512987.0, "X": 698450112.0}
    chapters = comtrade(http, fake, "reporterCode=484&partnerCode=643&period=2021&flowCode=M&cmdCode=AG2").json()
    assert sum(r["primaryValue"] for r in chapters["data"]) < 2036512987.0


def test_comtrade_full_endpoint_needs_a_subscription_key(fake, http):
    query = "reporterCode=643&partnerCode=484&period=2020&flowCode=X&cmdCode=31"
    refused = comtrade(http, fake, query, path="data/v1/get")
    assert refused.status_code == 401
    assert "missing subscription key" in refused.json()["message"]
    answer = comtrade(http, fake, query, path="data/v1/get", headers={"Ocp-Apim-Subscription-Key": "k"}).json()
    assert [(r["reporterISO"], r["partnerISO"], r["primaryValue"]) for r in answer["data"]] == [
        ("RUS", "MEX", 365880230.0)
    ]


def test_comtrade_preview_caps_records_and_takes_one_period(fake, http):
    fake.comtrade_preview_limit = 5
    assert comtrade(http, fake, "reporterCode=484,643&period=2021").json()["count"] == 5
    assert comtrade(http, fake, "reporterCode=484&period=2021&maxRecords=2").json()["count"] == 2
    assert comtrade(http, fake, "reporterCode=484&period=2020,2021").status_code == 400


# --------------------------------------------------------------------------- faults


def test_fault_status_429_carries_retry_after_once(fake, http):
    fake.fail("status", status=429, retry_after="7")
    limited = get(http, gdp_url(fake))
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "7")
    assert get(http, gdp_url(fake)).status_code == 200


def test_fault_times_two_affects_exactly_two_requests(fake, http):
    fake.fail("status", times=2, status=503)
    assert [get(http, gdp_url(fake)).status_code for _ in range(3)] == [503, 503, 200]


def test_fault_matches_on_path_substring(fake, http):
    fake.fail("status", path_contains="/datamapper/", status=500)
    assert get(http, gdp_url(fake)).status_code == 200
    assert get(http, f"{fake.datamapper_url}/NGDPD/RUS").status_code == 500


def test_fault_slow_delays_the_answer(fake, http):
    fake.fail("slow", seconds=0.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        http.get(gdp_url(fake), timeout=(2, 0.1))
    fake.fail("slow", seconds=0.2)
    started = time.monotonic()
    assert get(http, gdp_url(fake)).status_code == 200
    assert time.monotonic() - started >= 0.2


def test_fault_reset_breaks_the_body(fake, http):
    fake.fail("reset")
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError)):
        get(http, gdp_url(fake))
    assert get(http, gdp_url(fake)).status_code == 200


def test_fault_truncated_is_a_complete_response_with_cut_json(fake, http):
    fake.fail("truncated")
    response = get(http, gdp_url(fake))
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.content) > 0
    with pytest.raises(ValueError):
        response.json()


def test_fault_html_outage_page(fake, http):
    fake.fail("html")
    response = get(http, f"{fake.sdmx_url}/data/dataflow/IMF.STA/IMTS/+/MEX.XG_FOB_USD.RUS.A")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<html>" in response.text


def test_fault_wb_error_and_empty_body(fake, http):
    fake.fail("wb_error")
    assert get(http, gdp_url(fake)).json() == WB_INVALID_VALUE
    fake.fail("empty_body")
    response = get(http, gdp_url(fake))
    assert (response.status_code, response.content) == (200, b"")


def test_fault_empty_page_is_each_apis_own_empty_answer(fake, http):
    fake.fail("empty_page", times=4)
    assert get(http, gdp_url(fake)).json() == WB_NO_DATA
    assert get(http, f"{fake.datamapper_url}/NGDPD/RUS").json() == DATAMAPPER_EMPTY
    message = get(http, f"{fake.sdmx_url}/data/dataflow/IMF.STA/IMTS/+/MEX.XG_FOB_USD.RUS.A").json()
    assert message["data"]["dataSets"][0]["series"] == {}
    trade = comtrade(http, fake, "reporterCode=484&period=2021").json()
    assert (trade["count"], trade["data"], trade["error"]) == (0, [], "")


def test_fault_renamed_field_renames_it_in_every_row(fake, http):
    fake.fail("renamed_field", old="value", new="val")
    _, rows = get(http, gdp_url(fake, query="&date=2021")).json()
    assert [("value" in r, r["val"]) for r in rows] == [(False, 1316569466833.94), (False, 1829186719575.1)]
    fake.fail("renamed_field", old="primaryValue", new="value")
    trade = comtrade(http, fake, "reporterCode=484&period=2021&cmdCode=TOTAL").json()
    assert all("primaryValue" not in r and "value" in r for r in trade["data"])


def test_fault_total_changes_between_page_one_and_later_pages(fake, http):
    fake.fail("total_changes")
    first, _ = get(http, gdp_url(fake, query="&date=1990:2025&per_page=10&page=1")).json()
    second, _ = get(http, gdp_url(fake, query="&date=1990:2025&per_page=10&page=2")).json()
    assert (first["total"], first["pages"]) == (72, 8)
    assert (second["total"], second["pages"]) == (82, 9)


def test_fault_duplicate_rows_repeats_every_row(fake, http):
    fake.fail("duplicate_rows")
    envelope, rows = get(http, gdp_url(fake, query="&date=2020:2021")).json()
    assert envelope["total"] == 4
    assert [(r["countryiso3code"], r["date"]) for r in rows] == [
        ("MEX", "2021"),
        ("MEX", "2021"),
        ("MEX", "2020"),
        ("MEX", "2020"),
        ("RUS", "2021"),
        ("RUS", "2021"),
        ("RUS", "2020"),
        ("RUS", "2020"),
    ]


def test_fault_bom_prefixes_the_real_body(fake, http):
    fake.fail("bom")
    response = get(http, gdp_url(fake, query="&date=2021"))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert json.loads(response.content.decode("utf-8-sig"))[1][0]["value"] == 1316569466833.94


def test_fault_arguments_are_checked(fake):
    with pytest.raises(ValueError):
        fake.fail("meltdown")
    with pytest.raises(TypeError):
        fake.fail("status")
    with pytest.raises(TypeError):
        fake.fail("slow", seconds=1, status=500)


# --------------------------------------------------------------------------- server


def test_unrecorded_path_is_404_text_and_logged(fake, http):
    response = get(http, f"{fake.base}/worldbank/v2/sources?format=json")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/plain")
    assert fake.requests[-1].path == "/worldbank/v2/sources?format=json"


def test_request_log_keeps_the_raw_path(fake, http):
    get(http, gdp_url(fake, "MEX%3BRUS", "&date=2021"))
    get(http, gdp_url(fake, "MEX", "&date=2021"))
    first, second = fake.requests
    assert first.path == "/worldbank/v2/country/MEX%3BRUS/indicator/NY.GDP.MKTP.CD?format=json&date=2021"
    assert first.time <= second.time


def test_stopped_fake_drops_kept_alive_connections(http):
    fake = FakeAPI(RECORDINGS, FIXTURES).start()
    url = gdp_url(fake, "MX", "&date=2021")
    assert get(http, url).status_code == 200
    fake.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        get(http, url)


def test_recordings_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BILATERAL_RECORDINGS", str(tmp_path))
    assert recordings_dir() == tmp_path
    monkeypatch.setenv("BILATERAL_RECORDINGS", str(tmp_path / "absent"))
    assert recordings_dir() is None


def test_the_bundled_recordings_are_the_bytes_they_were_recorded_as():
    import hashlib

    listed = dict(line.split("  ./")[::-1] for line in (RECORDINGS / "SHA256SUMS").read_text().splitlines())
    present = {path.relative_to(RECORDINGS).as_posix() for path in RECORDINGS.rglob("*") if path.is_file()} - {"SHA256SUMS"}
    assert set(listed) == present
    for name, digest in listed.items():
        assert hashlib.sha256((RECORDINGS / name).read_bytes()).hexdigest() == digest, name
