"""Context -> HTML (Jinja2, autoescaped) -> PDF (WeasyPrint), written atomically.

WeasyPrint's default fetcher would read any http(s) or file:// URL a document
names, and embed files linked as attachments; ours serves the project's static
files and data: URLs only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from urllib.parse import unquote, urlparse

import jinja2
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from bilateral.briefing.context import Briefing
from bilateral.paths import reports_dir


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


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(reports_dir() / "templates"),
        autoescape=True,  # every string from an API or a curated file prints as text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg_uri"] = svg_uri
    return env


def svg_uri(svg: str) -> str:
    """A chart as a data: URL for <img>, so nothing is fetched to draw it."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def html(briefing: Briefing) -> str:
    return environment().get_template("briefing.html.j2").render(b=asdict(briefing))


def pdf(document: str, target: Path) -> tuple[str, int]:
    """Write the PDF next to its target and swap it in; returns its sha256 and page count.

    When the document and its stylesheet are those the target was rendered from (nothing
    changed since: the same data give the same HTML), the PDF on disk is kept as it is.
    """
    static = reports_dir() / "static"
    source = _source_hash(document, static)
    kept = _unchanged_render(target, source)
    if kept:
        return kept
    rendered = HTML(string=document, base_url=static.as_uri() + "/", url_fetcher=StaticOnlyFetcher(static)).render()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        # PDF/UA: tagged structure, document language and title, for screen readers
        rendered.write_pdf(partial, pdf_variant="pdf/ua-1")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    sha256, pages = hashlib.sha256(target.read_bytes()).hexdigest(), len(rendered.pages)
    _render_record(target).write_text(json.dumps({"source": source, "pdf": sha256, "pages": pages}), encoding="utf-8")
    return sha256, pages


def _source_hash(document: str, static: Path) -> str:
    """What a PDF is made from: the HTML and the stylesheet (fonts and charts are inside or fixed)."""
    return hashlib.sha256(document.encode("utf-8") + (static / "briefing.css").read_bytes()).hexdigest()


def _render_record(target: Path) -> Path:
    return target.with_name(f".{target.name}.render.json")


def _unchanged_render(target: Path, source: str) -> tuple[str, int] | None:
    """(sha256, pages) of the PDF on disk when it was rendered from exactly this source and is intact."""
    try:
        record = json.loads(_render_record(target).read_text(encoding="utf-8"))
        if record["source"] == source and hashlib.sha256(target.read_bytes()).hexdigest() == record["pdf"]:
            return record["pdf"], record["pages"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def index(rows: list[dict]) -> str:
    return environment().get_template("index.html.j2").render(briefings=rows)
