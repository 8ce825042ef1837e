"""The briefings' archive, a small static site in the briefings folder, in every language.

- `index.html` (`index.es.html`, `index.ru.html`): every rendered edition, pair × period × language, newest first;
- `claims.html`: the ledger of each pair's curated claims and their verdicts;
- `timeline.html`: each pair's curated events, filtered by category and decade without a script (CSS alone);
- `sources/<source>.html`: each source on its three clocks, with its endpoint and licence.

With several pairs configured, the claims, timeline and source pages have a section per pair.

Pages are self-contained (one stylesheet inlined, no fonts, scripts or images) and link to each other and to
the HTML and PDF editions beside them. Built from the published snapshot; nothing here writes the warehouse.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from pathlib import Path

from markupsafe import Markup

from bilateral import warehouse
from bilateral.briefing import context, render, wording
from bilateral.briefing.wording import N_, _
from bilateral.config import LANGUAGES, Config
from bilateral.connections import look_at
from bilateral.files import write_atomically

CATEGORY_NAMES = {
    "diplomacy": N_("diplomacy"), "trade": N_("trade"), "security": N_("security"), "culture": N_("culture"),
    "science": N_("science"), "migration": N_("migration"), "energy": N_("energy"), "politics": N_("politics"),
    "space": N_("space"), "tourism": N_("tourism"),
}
LANGUAGE_NAMES = {"en": "English", "es": "Español", "ru": "Русский"}  # each in its own language


def build(config: Config, languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """The index in every language, and the other pages in `languages`; returns the files written."""
    written = write_index(config)
    with contextlib.closing(warehouse.reader(config.snapshot_path)) as connection:
        as_of = dt.datetime.now(dt.timezone.utc)
        for language in languages:
            with wording.speaking(language):
                sections = [_section(connection, config.for_pair(pair.code), as_of, language) for pair in config.pairs]
                pages = {
                    "claims": _page(config, "site_claims.html.j2", "claims", sections=sections),
                    "timeline": _page(config, "site_timeline.html.j2", "timeline", sections=sections, **_filters(sections)),
                }
                for position, source in enumerate(sections[0]["freshness"]):
                    states = [{**section["freshness"][position], "pair_title": section["title"]} for section in sections]
                    pages[f"sources/{source['source']}"] = _page(config, "site_source.html.j2", f"sources/{source['source']}",
                                                                 source=source, states=states, sources=sections[0]["freshness"])
            for page, text in pages.items():
                target = config.briefings_dir / f"{page}{wording.file_suffix(language)}.html"
                write_atomically(target, text)
                written.append(target)
    return written


def write_index(config: Config) -> list[Path]:
    """The index of every edition, in each language: written after every briefing, so it is never behind."""
    from bilateral.briefing.produce import index_rows

    editions = sorted((_edition(config, row) for row in index_rows(config)), key=lambda edition: LANGUAGES.index(edition["language"]))
    editions.sort(key=lambda edition: (edition["period"], edition["as_of"]), reverse=True)  # stable: languages in order
    written = []
    for language in LANGUAGES:
        with wording.speaking(language):
            target = config.briefings_dir / f"index{wording.file_suffix(language)}.html"
            write_atomically(target, _page(config, "site_index.html.j2", "index", editions=[
                {**edition, "period_name": wording.period_name(edition["period"]), "pair_title": wording.pair_title(edition["countries"])}
                for edition in editions], several_pairs=len({edition["countries"] for edition in editions}) > 1))
        written.append(target)
    return written


def _edition(config: Config, row: dict) -> dict:
    """One rendered file as the index lists it: its language from its name, its HTML edition when there is one."""
    name = row["path"].split("/")[-1]
    language = next((code for code in LANGUAGES if code != "en" and name.endswith(f".{code}.pdf")), "en")
    html = name.removesuffix(".pdf") + ".html"
    countries = tuple((row.get("pair") or config.pairs[0].code).split("-"))
    return {**row, "name": name, "language": language, "language_name": LANGUAGE_NAMES[language],
            "html": html if (config.briefings_dir / html).exists() else None, "countries": countries}


def _section(connection, config: Config, as_of: dt.datetime, language: str) -> dict:
    """One pair's part of the archive: its claims, its whole timeline and its sources' states."""
    look_at(connection, config.pair_code)
    claims = context.claim_rows(connection, language)
    document = context.claims_document(claims)
    events = context.timeline_events(connection, dt.date.min, dt.date.min, as_of, language, document)
    for event in events:
        event["decade"] = event["year"] // 10 * 10
        event["category_name"] = _(CATEGORY_NAMES.get(event["category"], event["category"]))
        event["show_summary"] = True  # the archive's timeline is the whole record
    return {"pair": config.pair_code, "title": wording.pair_title(config.pair), "claims": claims,
            "counts": context.claim_counts(claims), "document": document, "events": events,
            "freshness": context.source_freshness(connection, config, as_of)}


def _filters(sections: list[dict]) -> dict:
    """The timeline's categories and decades, over every pair's events."""
    events = [event for section in sections for event in section["events"]]
    categories = sorted({event["category"] for event in events})
    return {"categories": [(code, _(CATEGORY_NAMES.get(code, code))) for code in categories],
            "decades": sorted({event["decade"] for event in events})}


def _page(config: Config, template: str, page: str, **values) -> str:
    """The archive's `page` (its path without language and extension) in the current language."""
    language = wording.language()
    return render.environment().get_template(template).render(
        language=language, suffix=wording.file_suffix(language), page=page, root="../" * page.count("/"), web=True,
        web_css=Markup(render.web_css()), source_ids=list(config.sources),
        languages=[(code, LANGUAGE_NAMES[code], wording.file_suffix(code)) for code in LANGUAGES], **values)


def server(config: Config, port: int):
    """An HTTP server of the briefings folder on 127.0.0.1 (port 0: any free one): a quick look, not a web
    server for the public. The caller runs `serve_forever` and closes it."""
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(config.briefings_dir))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
