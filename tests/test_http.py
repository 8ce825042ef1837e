"""The one HTTP client, against the fake API answering with real faults over real HTTP."""

import pytest

from bilateral.config import HttpConfig
from bilateral.errors import FetchError, SourceError
from bilateral.http import USER_AGENT, BrokenBody, HttpClient
from bilateral.sources import check_json

FAST = HttpConfig(connect_timeout_s=2, read_timeout_s=2, retries=3, backoff_s=0.01, retry_after_max_s=1)


@pytest.fixture
def client():
    with_client = HttpClient(FAST)
    yield with_client
    with_client.close()


def gdp_url(fake):
    return f"{fake.worldbank_url}/country/MEX/indicator/NY.GDP.MKTP.CD"


PARAMS = {"format": "json", "date": "2021"}


def test_429_with_retry_after_is_retried_and_succeeds(fake, client):
    fake.fail("status", "NY.GDP.MKTP.CD", times=1, status=429, retry_after="1")
    response = client.get(gdp_url(fake), PARAMS, check=check_json)
    assert response.status == 200
    assert b"1316569466833.94" in response.body
    assert len(fake.requests) == 2
    assert fake.requests[1].time - fake.requests[0].time >= 0.9  # the server's Retry-After was honoured


def test_503_twice_then_success(fake, client):
    fake.fail("status", "NY.GDP.MKTP.CD", times=2, status=503)
    assert client.get(gdp_url(fake), PARAMS, check=check_json).status == 200
    assert len(fake.requests) == 3


def test_persistent_502_gives_up_after_the_retries_naming_the_url(fake, client):
    fake.fail("status", "NY.GDP.MKTP.CD", times=10, status=502)
    with pytest.raises(FetchError) as caught:
        client.get(gdp_url(fake), PARAMS)
    assert "NY.GDP.MKTP.CD" in str(caught.value)
    assert len(fake.requests) == 4  # one try and three retries: nothing else retries


def test_404_is_not_retried(fake, client):
    with pytest.raises(FetchError, match="HTTP 404"):
        client.get(f"{fake.base}/no/such/path")
    assert len(fake.requests) == 1


@pytest.mark.parametrize("kind", ["truncated", "html", "empty_body"])
def test_broken_body_is_asked_for_again(fake, client, kind):
    fake.fail(kind, "NY.GDP.MKTP.CD", times=1)
    response = client.get(gdp_url(fake), PARAMS, check=check_json)
    assert b"1316569466833.94" in response.body
    assert len(fake.requests) == 2


def test_body_broken_every_time_is_one_error_naming_url_and_cause(fake, client):
    fake.fail("html", "NY.GDP.MKTP.CD", times=10)
    with pytest.raises(SourceError) as caught:
        client.get(gdp_url(fake), PARAMS, check=check_json)
    assert "HTML page instead of JSON" in str(caught.value)
    assert "NY.GDP.MKTP.CD" in str(caught.value)
    assert len(fake.requests) == 4


def test_connection_reset_mid_body_is_retried(fake, client):
    fake.fail("reset", "NY.GDP.MKTP.CD", times=1)
    assert client.get(gdp_url(fake), PARAMS, check=check_json).status == 200
    assert len(fake.requests) == 2


def test_slow_answer_times_out_and_is_retried(fake):
    impatient = HttpClient(HttpConfig(connect_timeout_s=1, read_timeout_s=0.3, retries=2, backoff_s=0.01))
    fake.fail("slow", "NY.GDP.MKTP.CD", times=1, seconds=1.0)
    assert impatient.get(gdp_url(fake), PARAMS, check=check_json).status == 200


def test_unreachable_host_is_one_fetch_error():
    with pytest.raises(FetchError) as caught:
        HttpClient(HttpConfig(connect_timeout_s=0.5, retries=1, backoff_s=0.01)).get("http://127.0.0.1:9/v2/country")
    assert "127.0.0.1:9/v2/country" in str(caught.value)


def test_user_agent_names_the_project(fake, client):
    client.get(gdp_url(fake), PARAMS)
    assert fake.requests[0].header("User-Agent") == USER_AGENT
    assert USER_AGENT.startswith("bilateral/")


@pytest.mark.parametrize(("body", "cause"), [
    (b'[{"page": 1}, [{"value": 2.5}', "truncated"),
    (b'[{"page": 1}, [{"value": 2.5,}]]', "trailing comma"),
    (b'[{"page": 1}, [{"value": NaN}]]', "invalid character"),
    (b'[{"page": 1}] [2]', "trailing characters"),
])
def test_the_check_reads_the_syntax_of_the_whole_body(body, cause):
    """The check builds no values, yet a body broken anywhere, not only at its end, is asked for again."""
    with pytest.raises(BrokenBody, match=cause):
        check_json(body)
    check_json(b'\xef\xbb\xbf [{"page": 1}, [{"value": 2.5}]] \n')  # a byte-order mark and spaces are no damage
