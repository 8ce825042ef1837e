"""The one HTTP client: timeouts, retries with backoff and Retry-After, politeness, User-Agent.

Nothing else in the package retries, so retries never multiply. urllib3's Retry
handles connection errors and retryable statuses; bodies that arrive broken
(truncated, or an HTML page with status 200) surface after urllib3 has finished,
so they are retried here, within the same bounded budget.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import random
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, NameResolutionError, ReadTimeoutError
from urllib3.util.retry import Retry

from bilateral import __version__
from bilateral.config import HttpConfig
from bilateral.errors import FetchError, SourceError

log = logging.getLogger(__name__)

USER_AGENT = f"bilateral/{__version__} (country-pair briefings; +https://pypi.org/project/bilateral/)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


class BrokenBody(SourceError):
    """A body that may be whole next time: cut short, HTML instead of JSON, empty."""


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    fetched_at: dt.datetime

    @functools.cached_property
    def sha256(self) -> str:
        """The body's digest, asked by the check and by the landing: computed once."""
        return hashlib.sha256(self.body).hexdigest()


class _Retry(Retry):
    """urllib3's Retry, except that a host name that does not resolve fails at once: offline, asking again only waits."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if isinstance(error, NameResolutionError):
            raise MaxRetryError(_pool, url, error)
        return super().increment(method, url, response, error, _pool, _stacktrace)


class HttpClient:
    """A keep-alive session for one source, spaced at least `min_interval_s` apart."""

    def __init__(
        self,
        settings: HttpConfig,
        min_interval_s: float = 0.0,
        headers: dict[str, str] | None = None,
        known_good: Collection[str] = (),
    ):
        self.settings = settings
        self.min_interval_s = min_interval_s
        # sha256 of bodies that were whole before: the same bytes again need no check (a warm run's JSON pass)
        self.known_good = frozenset(known_good)
        self._last_request = 0.0
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers.update(headers or {})
        adapter = HTTPAdapter(max_retries=self._retry())
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def _retry(self) -> Retry:
        return _Retry(
            total=self.settings.retries,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=self.settings.backoff_s,
            backoff_jitter=self.settings.backoff_s / 2,
            backoff_max=max(self.settings.backoff_s * 16, 0.001),
            respect_retry_after_header=True,
            # urllib3's own cap is six hours: a scheduled run must not hang that long
            retry_after_max=self.settings.retry_after_max_s,  # typed int, compared as a number: a fraction works
            raise_on_status=False,
        )

    def get(self, url: str, params: dict | None = None, check: Callable[[bytes], None] | None = None) -> Response:
        """GET a URL; `check` raises BrokenBody for a body worth asking for again."""
        attempts = self.settings.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                response = self._get_once(url, params)
                if check is not None and response.sha256 not in self.known_good:
                    check(response.body)
                return response
            except (BrokenBody, requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as error:
                if attempt == attempts:
                    raise _final_error(url, params, error) from None
                log.warning("%s: %s; asking again (%d/%d)", url, _cause(error), attempt, attempts - 1)
                time.sleep(self._backoff(attempt))
        raise AssertionError("unreachable: the loop returns or raises")

    def _get_once(self, url: str, params: dict | None) -> Response:
        # prepared before the wait, so the request leaves as the wait ends: under load, requests' own
        # preparation took long enough that a host saw two requests closer than the interval
        prepared = self.session.prepare_request(requests.Request("GET", url, params=params))
        sending = self.session.merge_environment_settings(prepared.url, {}, None, None, None)
        timeout = (self.settings.connect_timeout_s, self.settings.read_timeout_s)
        self._wait_turn()
        try:
            reply = self.session.send(prepared, timeout=timeout, allow_redirects=True, **sending)
        except requests.exceptions.RetryError as error:
            raise FetchError(f"{_shown(url, params)}: gave up after {self.settings.retries} retries: {_cause(error)}") from None
        except requests.exceptions.ChunkedEncodingError:
            raise
        except requests.exceptions.ConnectionError as error:
            # a body that stops arriving mid-way times out after urllib3's retries are over: ask again, like a cut body
            if error.args and isinstance(error.args[0], ReadTimeoutError):
                raise BrokenBody(f"body stopped arriving for {self.settings.read_timeout_s:g} s") from None
            raise FetchError(f"{_shown(url, params)}: {_cause(error)}") from None
        except requests.exceptions.RequestException as error:
            raise FetchError(f"{_shown(url, params)}: {_cause(error)}") from None
        if reply.status_code != 200:
            detail = "still failing after retries" if reply.status_code in RETRY_STATUSES else "not retried"
            raise FetchError(f"{_shown(reply.url, None)}: HTTP {reply.status_code} ({detail})")
        return Response(
            url=reply.url,
            status=reply.status_code,
            body=reply.content,
            content_type=reply.headers.get("Content-Type", ""),
            fetched_at=dt.datetime.now(dt.timezone.utc),
        )

    def _wait_turn(self) -> None:
        """Start at least `min_interval_s` after the previous request started: reading and landing an answer
        happen while the next one waits, not on top of the wait."""
        wait = self._last_request + self.min_interval_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request = time.monotonic()

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff_s * 2 ** (attempt - 1)
        return base + random.uniform(0, self.settings.backoff_s / 2)

    def close(self) -> None:
        self.session.close()


def _shown(url: str, params: dict | None) -> str:
    """The URL as a user would paste it (query included, no secrets: keys travel in headers)."""
    return requests.Request("GET", url, params=params).prepare().url or url


CAUSES = (
    ("Connection refused", "connection refused"),
    ("Name or service not known", "host name not found"),
    ("Temporary failure in name resolution", "host name not found (no network?)"),
    ("Network is unreachable", "network unreachable"),
    ("timed out", "timed out"),
    ("Connection reset", "connection reset"),
    ("RemoteDisconnected", "server closed the connection"),
    ("too many 5", "kept answering with server errors"),
    ("too many 429", "kept answering 429 Too Many Requests"),
)


def _cause(error: BaseException) -> str:
    """What went wrong in words a user reads at a glance, not urllib3's nested repr."""
    text = str(error)
    for needle, said in CAUSES:
        if needle in text:
            return said
    first = text.splitlines()[0] if text else type(error).__name__
    return first if len(first) <= 160 else first[:157] + "..."


def _final_error(url: str, params: dict | None, error: BaseException) -> SourceError:
    if isinstance(error, BrokenBody):
        return SourceError(f"{_shown(url, params)}: {error}")
    return FetchError(f"{_shown(url, params)}: body cut short ({type(error).__name__})")
