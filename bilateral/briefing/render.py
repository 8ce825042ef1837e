"""Context -> HTML (Jinja2, autoescaped) -> PDF (WeasyPrint), written atomically.

WeasyPrint (half a second to import) is loaded only when a PDF is really rendered,
with the locked-down fetcher of bilateral.briefing.fetcher.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

import jinja2
from markupsafe import Markup

from bilateral.briefing import wording
from bilateral.briefing.context import Briefing
from bilateral.paths import reports_dir


@functools.cache
def environment() -> jinja2.Environment:
    """The templates' environment, built once: the briefing, its parts and the archive's pages share it."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(reports_dir() / "templates"),
        autoescape=True,  # every string from an API or a curated file prints as text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg_uri"] = svg_uri
    env.filters["inline_svg"] = inline_svg
    env.globals["_"] = translated  # reader text in the language set by wording.speaking
    env.globals["ngettext"] = translated_plural
    return env


def translated(message: str, **values) -> str | Markup:
    """`wording._` for templates: a value that is markup (a link to a source page) stays markup inside the
    translated sentence, and every other value is escaped."""
    if any(isinstance(value, Markup) for value in values.values()):
        return Markup(wording._(message)).format(**values)
    return wording._(message, **values)


def translated_plural(singular: str, plural: str, count: int, **values) -> str | Markup:
    """`wording.ngettext` for templates, escaping as `translated` does."""
    if any(isinstance(value, Markup) for value in values.values()):
        return Markup(wording.plural_message(singular, plural, count)).format(count=count, **values)
    return wording.ngettext(singular, plural, count, **values)


def svg_uri(svg: str) -> str:
    """A chart as a data: URL for <img>, so nothing is fetched to draw it."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def inline_svg(svg: str) -> Markup:
    """A chart drawn inside the page: matplotlib's SVG without its XML prolog and doctype.

    Safe to print unescaped: matplotlib writes every label as escaped XML text.
    """
    return Markup(svg[svg.index("<svg"):])


def web_css() -> str:
    return (reports_dir() / "static" / "web.css").read_text(encoding="utf-8")


def html(briefing: Briefing, web: bool = False) -> str:
    """The briefing as HTML: for WeasyPrint to print, or (`web`) the self-contained HTML edition."""
    with wording.speaking(briefing.language):
        return environment().get_template("briefing.html.j2").render(
            b=asdict(briefing), web=web, web_css=Markup(web_css()) if web else "", suffix=wording.file_suffix(briefing.language),
            root="")


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
    from weasyprint import HTML

    from bilateral.briefing.fetcher import StaticOnlyFetcher

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

