"""Every parser, fed arbitrary bytes or a damaged real answer, gives rows or the documented source error.

Whatever a server sends, the refresh sees either values or a SourceError (SchemaDriftError for a
shape it does not know) naming the source and the URL: never another exception.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bilateral import refresh
from bilateral.errors import SourceError
from bilateral.http import Response
from bilateral.replay import recordings_dir
from bilateral.sources import Parsed, Request, comtrade, imf_datamapper, imf_trade, worldbank

RECORDINGS = recordings_dir()
FETCHED = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
# (module, request, a real answer for it)
CASES = [
    (worldbank, Request("worldbank", "data", "http://x/wb", context={"indicator": "NY.GDP.MKTP.CD"}),
     "worldbank/NY.GDP.MKTP.CD_MEX-RUS_1990-2025.json"),
    (worldbank, Request("worldbank", "labels", "http://x/wb/country"), "worldbank/country_MEX.json"),
    (imf_datamapper, Request("imf_datamapper", "data", "http://x/dm", context={"indicator": "NGDPD", "edition": None}),
     "imf_datamapper/NGDPD_RUS-MEX.json"),
    (imf_datamapper, Request("imf_datamapper", "metadata", "http://x/dm/indicators"), "imf_datamapper/meta/indicators.json"),
    (imf_trade, Request("imf_trade", "data", "http://x/sdmx", context={"reporters": ("RUS", "MEX")}),
     "imf_sdmx3/IMTS_MEX+RUS.XG_FOB_USD+MG_CIF_USD.RUS+MEX.A.json"),
    (imf_trade, Request("imf_trade", "metadata", "http://x/sdmx/structure"), "imf_sdmx3/structure_dataflow_IMF.STA_IMTS.json"),
    (comtrade, Request("comtrade", "data", "http://x/ct", context={"cap": 500, "preview": True}), "comtrade/FORMAT_SAMPLE_CHN_ARG-DEU_2010_TOTAL.json"),
]
IDS = [f"{module.NAME}-{request.kind}" for module, request, _ in CASES]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def parse_as_the_refresh_does(module, request, body: bytes):
    try:
        parsed = refresh._parsed(module, request, Response(request.url, 200, body, "application/json", FETCHED), {})
    except SourceError as error:
        assert str(error).startswith(f"{module.NAME}: http://x/"), error
        return None
    assert isinstance(parsed, Parsed)
    return parsed


@pytest.mark.parametrize(("module", "request_", "recording"), CASES, ids=IDS)
@SETTINGS
@given(body=st.binary(max_size=2000))
def test_arbitrary_bytes_give_rows_or_a_source_error(module, request_, recording, body):
    parse_as_the_refresh_does(module, request_, body)


@pytest.mark.parametrize(("module", "request_", "recording"), CASES, ids=IDS)
@SETTINGS
@given(data=st.data())
def test_a_damaged_real_answer_gives_rows_or_a_source_error(module, request_, recording, data):
    body = (RECORDINGS / recording).read_bytes()
    start = data.draw(st.integers(0, len(body)))
    end = data.draw(st.integers(start, min(len(body), start + 200)))
    patch = data.draw(st.sampled_from([b"", b"null", b"\"n/a\"", b"[]", b"{}", b"1e999", b"-1", b"\"\"", b"true"]))
    parse_as_the_refresh_does(module, request_, body[:start] + patch + body[end:])


@pytest.mark.parametrize(("module", "request_", "recording"), CASES, ids=IDS)
def test_the_real_answer_itself_parses(module, request_, recording):
    assert parse_as_the_refresh_does(module, request_, (RECORDINGS / recording).read_bytes()) is not None
