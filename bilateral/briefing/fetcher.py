"""The only way the briefing's renderer may read a file.

WeasyPrint's default fetcher would read any http(s) or file:// URL a document names,
and embed files linked as attachments; this one serves the project's static files and
data: URLs only, and stops the render on anything else.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class StaticOnlyFetcher(URLFetcher):
    """Serves files below one folder and data: URLs; refuses everything else, loudly."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        scheme = urlparse(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlparse(url).path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _content_type(path)})
        raise FatalURLFetchingError(f"briefing: refused to fetch {url!r}: only files under {self.root.name}/ may be used")


def _content_type(path: Path) -> str:
    return {".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix, "application/octet-stream")
