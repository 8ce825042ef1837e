"""The World Bank's pages read together by DuckDB give, page for page, what the row-by-row reading gives.

`worldbank.parse` is the reference: it reads one answer in Python and names any problem. The refresh
reads a source's landed pages with `worldbank.parse_landed` instead (leaving to `parse` the pages it
cannot take); these tests hold the two readings, as the refresh makes them, to the same values, stamps,
problems and errors, on every recorded answer, on synthetic pages of many economies, and on rows
damaged in every way a row can be.
"""

import copy
import datetime as dt
import hashlib

import msgspec
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bilateral import refresh
from bilateral.errors import SourceError
from bilateral.http import Response
from bilateral.sources import Page, Request, worldbank
from bench.synthetic import SyntheticWorldBank

FETCHED = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
REQUEST = Request("worldbank", "data", "http://x/wb/country/MEX;RUS/indicator/NY.GDP.MKTP.CD",
                  context={"indicator": "NY.GDP.MKTP.CD"})
RECORDED_PAGE = "worldbank/NY.GDP.MKTP.CD_MEX-RUS_1990-2025.json"


def landed(folder, bodies: list[bytes]) -> list[Page]:
    """Each body landed as the refresh lands it: a file named by its sha256."""
    pages = []
    for number, body in enumerate(bodies, 1):
        path = folder / hashlib.sha256(body).hexdigest()
        path.write_bytes(body)
        response = Response(f"{REQUEST.url}?page={number}", 200, body, "application/json", FETCHED)
        pages.append(Page(REQUEST, response, path))
    return pages


def read_both(pages: list[Page]):
    """(row by row, together): each a list of Parsed, or the SourceError it raised."""
    readings = []
    for read in (lambda: [refresh._parsed(worldbank, page.request, page.response, {}) for page in pages],
                 lambda: refresh._parsed_pages(worldbank, pages, {})):
        try:
            readings.append(read())
        except SourceError as error:
            readings.append(error)
    return readings


def assert_same(pages: list[Page]) -> int:
    """The two readings agree; returns the values read, so a test can tell it read something."""
    reference, together = read_both(pages)
    if isinstance(reference, SourceError) or isinstance(together, SourceError):
        assert type(together) is type(reference) and str(together) == str(reference)
        return 0
    assert len(together) == len(reference) == len(pages)
    for one, other in zip(reference, together):
        assert list(other.observations.columns) == list(one.observations.columns)
        assert records(other.observations) == records(one.observations)
        assert (other.published, other.problems, other.facts) == (one.published, one.problems, one.facts)
        assert other.labels.empty and one.labels.empty
    return sum(len(parsed.observations) for parsed in reference)


def records(frame: pd.DataFrame) -> list[tuple]:
    """The rows as Python values, missing as None: the readings may hold text in different pandas dtypes."""
    return [tuple(None if missing(value) else value for value in row) for row in frame.itertuples(index=False)]


def missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def document(body: bytes):
    return msgspec.json.decode(body.removeprefix(b"\xef\xbb\xbf"))


def encoded(value) -> bytes:
    return msgspec.json.encode(value)


def test_every_recorded_data_answer_reads_the_same(recordings, tmp_path):
    files = sorted(path for path in (recordings / "worldbank").glob("*.json") if "_19" in path.name or "_20" in path.name)
    assert len(files) >= 10
    assert assert_same(landed(tmp_path, [path.read_bytes() for path in files])) > 700


def test_synthetic_pages_of_many_economies_read_the_same(tmp_path):
    api = SyntheticWorldBank(40)
    codes = ";".join(economy.iso3 for economy in api.economies)
    bodies = [api.answer(f"/v2/country/{codes}/indicator/SP.POP.TOTL?format=json&per_page=300&page={page}") for page in range(1, 10)]
    assert document(bodies[-1])[0]["pages"] == 9  # 40 economies x 66 years, 300 rows a page
    values = assert_same(landed(tmp_path, bodies))
    assert 2400 < values < 40 * 66  # the nulls are missing, never zero


def test_edge_answers_read_the_same(recordings, tmp_path):
    body = (recordings / RECORDED_PAGE).read_bytes()
    envelope = document(body)[0]
    bodies = [
        body,
        body,  # the same bytes twice land as one file
        b"\xef\xbb\xbf" + body,
        encoded([{**envelope, "total": 0, "pages": 0}, None]),  # the "no data" answer
        encoded([envelope, []]),
        encoded([{**envelope, "lastupdated": "not a date"}, document(body)[1]]),  # a problem, the values still read
        encoded([{**envelope, "lastupdated": "2099-01-01"}, document(body)[1]]),
    ]
    assert assert_same(landed(tmp_path, bodies)) == 72 * 5


def test_a_row_of_another_shape_reads_its_page_row_by_row_and_the_others_together(recordings, tmp_path):
    body = (recordings / RECORDED_PAGE).read_bytes()
    changed = document(body)
    changed[1][3]["value"] = "12.5"  # text the row-by-row reading takes as a number
    pages = landed(tmp_path, [body, encoded(changed)])
    assert assert_same(pages) == 72 * 2
    first, second = worldbank.parse_landed(pages, {})
    assert len(first.observations) == 72 and second is None
    assert refresh._parsed_pages(worldbank, pages, {})[1].observations.value.iloc[3] == 12.5


def test_a_missing_field_is_named_as_the_row_by_row_reading_names_it(recordings, tmp_path):
    body = (recordings / RECORDED_PAGE).read_bytes()
    changed = document(body)
    del changed[1][5]["countryiso3code"]
    with pytest.raises(SourceError, match="field 'countryiso3code' missing"):
        refresh._parsed_pages(worldbank, landed(tmp_path, [body, encoded(changed)]), {})


FIELDS = ["indicator", "country", "countryiso3code", "date", "value", "unit", "obs_status"]
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(["id", "value", "x"]), inner, max_size=2),
    max_leaves=4,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(0, 71), name=st.sampled_from(FIELDS), replacement=st.none() | ANY_JSON, inner=st.booleans())
def test_any_damaged_row_reads_the_same_either_way(recordings, tmp_path_factory, row, name, replacement, inner):
    """A field removed, or replaced (or its `id`, for the nested ones) by any JSON value."""
    original = document((recordings / RECORDED_PAGE).read_bytes())
    changed = copy.deepcopy(original)
    target = changed[1][row]
    if inner and isinstance(target[name], dict):
        target[name]["id"] = replacement
    elif replacement is None:
        del target[name]
    else:
        target[name] = replacement
    assert_same(landed(tmp_path_factory.mktemp("pages"), [encoded(original), encoded(changed)]))
