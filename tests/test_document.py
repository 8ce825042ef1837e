"""The briefing as its reader gets it, on the recorded data: at most twelve clean pages, findings and
warnings first, the reader's language, an accessible PDF, and editions that never overwrite each other."""

import itertools
import os
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from bilateral import refresh
from bilateral.briefing import produce
from bilateral.config import load_config
from bilateral.periods import as_of_day

GOLDEN = os.path.join(os.path.dirname(__file__), "fixtures", "golden", "page1.txt")
APPENDIX = "Appendix: sources and methods"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory, fake_api):
    """A briefing of the recorded data alone (no invented Comtrade rows), rendered once for the module."""
    from conftest import write_settings

    folder = tmp_path_factory.mktemp("document")
    fake_api.reset()
    fake_api.serve_recordings_only()
    config = load_config(write_settings(folder, fake_api), environ={"BILATERAL_HOME": str(folder / "home")})
    refresh.run_once(config)
    moment = produce.as_of_moment(config, None)
    briefing = produce.build(config, "2026-11", moment)
    rendered = produce.write(config, briefing)
    produce.record(config, briefing, moment, rendered)
    fake_api.reset()
    return config, rendered


@pytest.fixture(scope="module")
def pages(recorded):
    with pdfplumber.open(recorded[1].path) as pdf:
        yield [(page.extract_text() or "", page.extract_words(), page.height, _content_bottom(page)) for page in pdf.pages]


def _content_bottom(page) -> float:
    """The lowest point of the page's own content, running header and footer left out."""
    margin_top, margin_bottom = 20 * 72 / 25.4, page.height - 18 * 72 / 25.4
    bottoms = [item["bottom"] for item in page.chars + page.images + page.rects + page.lines
               if margin_top - 1 < item["top"] and item["bottom"] < margin_bottom]
    return max(bottoms, default=margin_top)


def main_text(pages) -> str:
    text = " ".join(text for text, *_ in pages)
    return text[: text.rindex(APPENDIX)]


def test_the_default_briefing_fits_in_twelve_pages(recorded):
    assert recorded[1].pages <= 12


def test_no_text_overlaps_other_text(pages):
    for number, (_, words, _, _) in enumerate(pages, 1):
        for first, second in itertools.combinations(words, 2):
            width = min(first["x1"], second["x1"]) - max(first["x0"], second["x0"])
            height = min(first["bottom"], second["bottom"]) - max(first["top"], second["top"])
            assert width <= 0.5 or height <= 0.5, f"page {number}: {first['text']!r} overlaps {second['text']!r}"


def test_no_page_but_the_last_is_less_than_a_third_full(pages):
    top, bottom = 20 * 72 / 25.4, pages[0][2] - 18 * 72 / 25.4
    for number, (_, _, _, lowest) in enumerate(pages[:-1], 1):
        assert (lowest - top) / (bottom - top) > 1 / 3, f"page {number} is {(lowest - top) / (bottom - top):.0%} full"


def test_the_reader_text_has_no_internal_names(pages):
    everywhere = re.sub(r"https?://\S+", " ", " ".join(text for text, *_ in pages))
    for internal in ("marts.", "sql/", "imf_datamapper", "worldbank", "data/events.yaml", "seed article"):
        assert internal not in everywhere
    text = main_text(pages)
    for internal in ("NGDPD", "Russian Federation", "XG_FOB_USD", "MEX->RUS"):
        assert internal not in text


def test_negatives_carry_a_true_minus_sign(pages):
    assert not re.search(r"(^|[\s(])-\d", main_text(pages))
    assert "\u2212" in main_text(pages)  # the recorded data do have falls: 2020 trade, mirror gaps


def test_page_one_carries_the_findings_and_the_warning_for_stale_imf_trade_data(pages):
    first = " ".join(pages[0][0].split())
    assert "Not every source is current" in first
    assert "IMF IMTS: stale: its latest data are for 2020" in first
    assert "UN Comtrade: no data for the pair" in first
    assert "Findings" in first and "came to $1.59 bn in 2020" in first


def test_page_one_matches_its_reviewed_text(pages):
    """A text snapshot of page 1, reviewed by eye; BILATERAL_UPDATE_GOLDEN=1 rewrites it after a deliberate change."""
    text = re.sub(r"\d{1,2} \w+ \d{4}, \d{2}:\d{2} UTC", "<as-of>", pages[0][0])
    if os.environ.get("BILATERAL_UPDATE_GOLDEN"):
        os.makedirs(os.path.dirname(GOLDEN), exist_ok=True)
        with open(GOLDEN, "w", encoding="utf-8") as handle:
            handle.write(text)
    with open(GOLDEN, encoding="utf-8") as handle:
        assert text == handle.read()


def test_the_pdf_is_tagged_with_language_title_and_bookmarks(recorded):
    reader = PdfReader(recorded[1].path)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Russia and Mexico: briefing, November 2026"
    assert reader.metadata.author == "bilateral"
    assert [item.title for item in reader.outline if not isinstance(item, list)][0] == "Summary"
    fonts = {font for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("/FontFile2" in font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts)


def test_a_rebuild_as_of_a_day_has_a_file_of_its_own(recorded):
    config, rendered = recorded
    before = rendered.path.read_bytes()
    moment = produce.as_of_moment(config, "2026-06-30")
    rebuilt = produce.build(config, None, moment, None, as_of_day("2026-06-30"))
    written = produce.write(config, rebuilt)
    produce.record(config, rebuilt, moment, written)
    assert written.path.name == "2026-06_asof-2026-06-30_rus-mex.pdf"
    assert rendered.path.read_bytes() == before
    index = (config.briefings_dir / "index.html").read_text()
    assert index.count('href="2026-11_rus-mex.pdf"') == 1 and index.count('href="2026-06_asof-2026-06-30_rus-mex.pdf"') == 1
    assert index.index("2026-11_rus-mex.pdf") < index.index("2026-06_asof")  # newest period first


def test_rendering_a_period_twice_leaves_one_row_in_the_index(recorded):
    config, _ = recorded
    for _ in range(2):
        moment = produce.as_of_moment(config, None)
        briefing = produce.build(config, "2026-11", moment)
        produce.record(config, briefing, moment, produce.write(config, briefing))
    assert (config.briefings_dir / "index.html").read_text().count('href="2026-11_rus-mex.pdf"') == 1
