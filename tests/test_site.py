"""The HTML editions and the archive, in a real browser: Debian's Chromium driven by Playwright (nothing is
downloaded at test time). Every page loads with no console error and no request that fails or leaves the site,
carries its language, one h1 and a description of every chart, links only to pages that exist, and fits a
375-pixel-wide screen; the timeline's filters work without a script. Screenshots of the index and of one
briefing are kept in var/screenshots/ for review."""

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from bilateral.briefing import produce, site
from bilateral.config import LANGUAGES
from conftest import REPO, refreshed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO / "var" / "screenshots"
# as the browser is started on a closed network: no first-run, sync or component traffic
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory, fake_api):
    """Two periods in English and Spanish, one in Russian, 2026-11 in English rendered twice; then `bilateral site`."""
    fake_api.reset()
    config = refreshed(tmp_path_factory.mktemp("site"), fake_api)
    for period, language in (("2026-10", "en"), ("2026-10", "es"), ("2026-11", "en"), ("2026-11", "es"),
                             ("2026-11", "ru"), ("2026-11", "en")):
        produce.run_once(config, period, language=language)
    site.build(config)
    fake_api.reset()
    return config


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *arguments) -> None:
        pass


@pytest.fixture(scope="module")
def served(archive):
    handler = functools.partial(Quiet, directory=str(archive.briefings_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM}: no Chromium; `make system-deps` installs Debian's")
        pytest.skip("no Chromium here; `make system-deps` installs Debian's")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def test_the_index_lists_every_period_and_language_once_newest_first(archive):
    index = (archive.briefings_dir / "index.html").read_text(encoding="utf-8")
    pdfs = [name for name in ("2026-11_rus-mex.pdf", "2026-11_rus-mex.es.pdf", "2026-11_rus-mex.ru.pdf",
                              "2026-10_rus-mex.pdf", "2026-10_rus-mex.es.pdf")]
    assert all(index.count(f'href="{name}"') == 1 for name in pdfs)
    assert all(index.count(f'href="{name.removesuffix(".pdf")}.html"') == 1 for name in pdfs)
    assert max(index.index(f'href="{name}"') for name in pdfs[:3]) < min(index.index(f'href="{name}"') for name in pdfs[3:])


def test_every_page_of_the_archive_is_sound_in_the_browser(archive, served, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    problems, outside = [], []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(served) and not request.url.startswith("data:") else None)
    seen, waiting = set(), ["index.html"]
    while waiting:
        path = waiting.pop()
        if path in seen:
            continue
        seen.add(path)
        if path.endswith(".pdf"):
            assert (archive.briefings_dir / path).is_file(), path
            continue
        response = page.goto(served + path)
        assert response.status == 200, path
        facts = page.evaluate("""() => ({
            lang: document.documentElement.lang,
            h1: document.querySelectorAll('h1').length,
            width: document.documentElement.scrollWidth,
            undescribed: [...document.querySelectorAll('svg')].filter(svg => !svg.closest('[role=img][aria-label]')).length
                + [...document.querySelectorAll('img')].filter(img => !img.alt).length,
            links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
        })""")
        language = next((code for code in LANGUAGES if f".{code}." in path), "en")
        assert (facts["lang"], facts["h1"], facts["undescribed"]) == (language, 1, 0), path
        assert facts["width"] <= 375, f"{path} is {facts['width']} px wide at 375"
        for link in facts["links"]:
            target = urlparse(urljoin(served + path, link))
            assert target.netloc == urlparse(served).netloc, f"{path} links outside: {link}"
            if target.path.strip("/"):
                waiting.append(target.path.lstrip("/"))
    assert not problems and not outside
    pages = {path for path in seen if path.endswith(".html")}
    assert len(pages) == 5 + 3 * (3 + len(archive.sources))  # editions; per language the index, claims, timeline, sources
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path in ("index.html", "2026-11_rus-mex.es.html"):
        page.goto(served + path)
        page.screenshot(path=str(SCREENSHOTS / path.replace(".html", ".png")), full_page=True)


def test_the_timeline_filters_work_without_a_script(served, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "timeline.html")
    rows = page.locator("table.timeline tbody tr")
    everything = rows.count()
    page.click("label[for=category-trade]")
    trade = [row for row in rows.all() if row.is_visible()]
    assert 0 < len(trade) < everything
    assert all("category-trade" in row.get_attribute("class") for row in trade)
    page.click("label[for=decade-1890]")  # trade events of the 1890s: none
    assert not [row for row in rows.all() if row.is_visible()]
    page.click("label[for=category-all]")
    assert all("decade-1890" in row.get_attribute("class") for row in rows.all() if row.is_visible())
    context.close()


def test_site_serve_answers_on_loopback(archive):
    import re
    import subprocess
    import sys
    import urllib.request

    serving = subprocess.Popen([sys.executable, "-m", "bilateral", "site", "--serve", "--port", "0", "--config", str(archive.path)],
                               stdout=subprocess.PIPE, text=True, env={**os.environ, "BILATERAL_HOME": str(archive.home)})
    try:
        address = None
        for line in serving.stdout:
            found = re.search(r"on (http://127\.0\.0\.1:\d+/)", line)
            if found:
                address = found[1]
                break
        with urllib.request.urlopen(address + "index.es.html", timeout=10) as answer:
            assert answer.status == 200 and '<html lang="es">' in answer.read().decode()
    finally:
        serving.terminate()
        serving.wait(timeout=10)
