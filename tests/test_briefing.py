"""The PDF briefing: figures as the marts hold them, escaped strings, --as-of, what changed, a locked-down fetcher."""

import dataclasses
import datetime as dt
import re

import duckdb
import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from bilateral import refresh, warehouse
from bilateral.briefing import fetcher as fetcher_module
from bilateral.briefing import findings, produce, render
from bilateral.config import load_config
from bilateral.errors import UsageError
from bilateral.periods import as_of_day, parse_period
from bilateral.paths import reports_dir


def pdf_text(path):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def brief(config, period="2026-11", as_of=None, since=None):
    moment = produce.as_of_moment(config, as_of)
    briefing = produce.build(config, period, moment, since, as_of_day(as_of) if as_of else None)
    rendered = produce.write(config, briefing)
    produce.record(config, briefing, moment, rendered)
    return briefing, rendered


@pytest.fixture
def config(settings):
    return load_config(settings)


def test_briefing_prints_the_marts_figures_in_order_and_a_rerender_repeats_it(config):
    refresh.run_once(config)
    briefing, rendered = brief(config)
    assert rendered.path.name == "2026-11_rus-mex.pdf"
    text = pdf_text(rendered.path)
    assert "2,173" in text and "1,856" in text  # IMF NGDPD 2024: Russia 2173.225, Mexico 1856.366 billion USD
    assert "11th of 195" in text  # Russia's GDP rank in 2024 among WEO economies
    assert "$421.4 m" in text  # Mexico's 2020 exports to Russia as Mexico reports them (421,377,000)
    reader = PdfReader(rendered.path)
    chapters = [item.title for item in reader.outline if not isinstance(item, list)]
    assert chapters == ["Summary", "Key figures", "Bilateral trade", "The two economies", "Timeline of the relationship",
                        "The article's figures, checked", "Since the last briefing", "Appendix: sources and methods"]
    assert reader.metadata.title == "Russia and Mexico: briefing, November 2026"

    _, again = brief(config)  # the same period on the same data
    assert pdf_text(again.path) == text
    with duckdb.connect(str(config.snapshot_path), read_only=True) as connection:
        rows = connection.execute("select period, path, sha256, pages from meta.briefings").fetchall()
    assert rows == [("2026-11", "briefings/2026-11_rus-mex.pdf", again.sha256, again.pages)]
    assert 'href="2026-11_rus-mex.pdf"' in (config.briefings_dir / "index.html").read_text()


def test_the_claims_chapter_names_the_article_it_checks_or_says_the_claims_are_curated(config):
    refresh.run_once(config)
    briefing = produce.build(config, "2026-11", produce.as_of_moment(config, None))
    article = "Mexico: Russia’s Valuable Friend In Latin America – Analysis"
    web = render.html(briefing, web=True)
    assert f"Each quantitative claim of “{article}” (Matija Šerić, Eurasia Review, 9 July 2023) against the data:" in web
    assert any(f"checkable figures in “{article}”, " in sentence for sentence in briefing.findings)

    unnamed = dataclasses.replace(briefing, claims_document=None)  # a claims file without `document:`
    unnamed.findings = findings.sentences(unnamed)
    text = " ".join(re.sub(r"<[^>]+>", " ", render.html(unnamed)).split())
    assert "Each curated quantitative claim against the data:" in text
    assert "Claims checked" in text and "The article's figures" not in text and article not in text
    assert any("checkable curated figures, " in sentence for sentence in unnamed.findings)


def test_a_change_in_key_figures_is_in_the_unit_it_moves_in(config):
    refresh.run_once(config)
    briefing = produce.build(config, "2026-11", produce.as_of_moment(config, None))
    changes = {row["key"]: [cell["change"] for cell in row["cells"]] for row in briefing.key_rows}
    # life expectancy moves in years, rates in percentage points, levels in per cent
    assert all(change.endswith(" years") for change in changes["life_expectancy"]), changes["life_expectancy"]
    assert all(change.endswith(" pt") for change in changes["growth"] + changes["trade_openness"])
    assert all(change.endswith("%") for change in changes["gdp"] + changes["population"])


def test_the_timeline_names_the_article_it_cites_once_however_an_event_cites_it(config):
    refresh.run_once(config)
    briefing = produce.build(config, "2026-11", produce.as_of_moment(config, None))
    recognition = next(event for event in briefing.events if event["event_id"] == "mexico-recognises-ussr")
    # data/events.yaml cites the curated copy ("seed article") and the published address of the same article
    assert recognition["publishers"] == ("Eurasia Review (Matija Šerić, 2023); Wikipedia, mirrored by en.academic.ru;"
                                         " Embassy of Mexico in Russia (SRE)")
    assert not any("source article" in event["publishers"] for event in briefing.events)
    text = " ".join(re.sub(r"<[^>]+>", " ", render.html(briefing)).split())
    assert ("The source article, cited as Eurasia Review (Matija Šerić, 2023), is"
            " “Mexico: Russia’s Valuable Friend In Latin America – Analysis”.") in text


def test_the_trade_note_names_each_direction_that_rests_on_the_importers_records(config):
    refresh.run_once(config)
    briefing = produce.build(config, "2026-11", produce.as_of_moment(config, None))
    # the IMTS recordings: Russia's exports to Mexico lack 1999, which Mexico's imports hold; Mexico's own
    # records start in 1999, Russia's in 1992
    assert briefing.trade_note == (
        "IMF IMTS records for the pair run from 1992 to 2020."
        " Russia reported no exports to Mexico for 1999: that year rests on Mexico's import records."
        " Mexico reported no exports to Russia for 1992–1998: those years rest on Russia's import records.")


def test_hostile_text_from_a_server_prints_as_text(config, fake):
    # a publisher stamp that is not a date is quoted (40 characters) in the data-quality table
    fake.set_worldbank_value("SP.POP.TOTL", "MEX", 2021, 126705138.0, lastupdated="<script>alert(1)</script></td>")
    refresh.run_once(config)
    briefing, rendered = brief(config)
    html = render.html(briefing)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/td&gt;" in html
    assert "<script>alert(1)</script></td>" in pdf_text(rendered.path)


def test_as_of_before_a_revision_shows_the_old_value_and_the_next_briefing_lists_the_revision(config, fake):
    refresh.run_once(config)
    before = dt.datetime.now(dt.timezone.utc)
    fake.set_datamapper_value("NGDPD", "MEX", 2024, 1900.5)
    fake.set_weo_edition("World Economic Outlook (October 2025)", "2025-11-20 00:00:00")  # the IMF's stamp moves with it
    assert refresh.run_once(config).revised == 1
    # --as-of takes a day; the revision happened within this one, so the moment is given directly
    old_briefing = produce.build(config, "2026-10", before)
    old_rendered = produce.write(config, old_briefing)
    produce.record(config, old_briefing, before, old_rendered)
    assert "1,856" in pdf_text(old_rendered.path)
    new_briefing = produce.build(config, "2026-11", produce.as_of_moment(config, None))
    text = " ".join(re.sub(r"<[^>]+>", " ", render.html(new_briefing)).split())
    assert "1,900" in text  # 1900.5 printed without decimals (round half to even)
    assert "IMF WEO GDP, current prices Mexico 2024 1,856.37 1,900.50 +2.38%" in text
    assert [revision["indicator"] for revision in new_briefing.changes["revisions"]] == ["NGDPD"]
    # the web edition links each revised value's source to its page in the archive; the PDF prints its name
    web = render.html(new_briefing, web=True)
    assert '<tr><td><a href="sources/imf_datamapper.html">IMF WEO</a></td><td>GDP, current prices</td>' in web
    assert '<tr><td>IMF WEO</td><td>GDP, current prices</td>' in render.html(new_briefing)


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2026-11", ("2026-11", dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
     ("2026-Q4", ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
     ("2024-02", ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)))],
)
def test_periods_monthly_and_quarterly(period, expected):
    assert parse_period(period, dt.date(2026, 11, 27)) == expected


@pytest.mark.parametrize("period", ["2026-13", "2026-Q5", "November"])
def test_bad_period_is_one_clear_error(period):
    with pytest.raises(UsageError, match="expected YYYY-MM"):
        parse_period(period, dt.date(2026, 11, 27))


def fetcher():
    return fetcher_module.StaticOnlyFetcher(reports_dir() / "static")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/tracker.png", "https://example.org/style.css", "file:///etc/passwd",
                                 "ftp://example.org/x"])
def test_fetcher_refuses_anything_but_the_projects_static_files(url):
    with pytest.raises(FatalURLFetchingError):
        fetcher().fetch(url)


def test_fetcher_refuses_paths_that_climb_out_of_static():
    with pytest.raises(FatalURLFetchingError):
        fetcher().fetch((reports_dir() / "static" / ".." / "templates" / "briefing.html.j2").as_uri())


def test_fetcher_serves_the_shipped_stylesheet():
    assert fetcher().fetch((reports_dir() / "static" / "briefing.css").as_uri()).status == 200


def test_an_attachment_link_to_a_local_file_stops_the_render(tmp_path):
    html = '<html><head><link rel="attachment" href="file:///etc/passwd"></head><body>x</body></html>'
    with pytest.raises(FatalURLFetchingError):
        HTML(string=html, base_url=(reports_dir() / "static").as_uri() + "/", url_fetcher=fetcher()).write_pdf(tmp_path / "x.pdf")


def test_an_absurd_value_is_loaded_and_flagged_in_the_briefing(config, fake):
    fake.set_worldbank_value("SP.POP.TOTL", "MEX", 2021, -5.0)
    refresh.run_once(config)
    briefing = produce.build(config, "2026-11", produce.as_of_moment(config, None))
    assert sorted((flag["indicator"], flag["country_iso3"], flag["period"], flag["check"]) for flag in briefing.quality_flags) == [
        ("SP.POP.TOTL", "MEX", "2021", "jump"),  # against 2020
        ("SP.POP.TOTL", "MEX", "2021", "negative"),
        ("SP.POP.TOTL", "MEX", "2022", "jump"),  # 2022 against the absurd 2021
    ]
    page_text = " ".join(re.sub(r"<[^>]+>", " ", render.html(briefing)).split())
    assert "World Bank WDI SP.POP.TOTL MEX 2021 \u22125.00" in page_text


def test_a_warehouse_from_an_earlier_version_is_brought_up_to_date_for_the_briefing(config):
    refresh.run_once(config)
    with warehouse.writer(config.warehouse_path) as connection:
        # as a warehouse written before this mart existed: its views' SQL was another
        connection.execute("drop view marts.data_quality")
        connection.execute("update meta.views set sha256 = 'the views of an earlier version'")
        warehouse.publish(connection, config.snapshot_path)
    briefing = produce.build(config, "2026-11", produce.as_of_moment(config, None))
    assert briefing.quality_flags == []
    with duckdb.connect(str(config.snapshot_path), read_only=True) as connection:
        assert connection.execute("select count(*) from duckdb_views() where view_name = 'data_quality'").fetchone() == (1,)


def test_a_rerender_on_unchanged_data_keeps_the_pdf_and_a_change_renders_again(config, fake):
    refresh.run_once(config)
    _, first = brief(config)
    stamp = first.path.stat().st_mtime_ns
    _, again = brief(config)
    assert (again.sha256, again.pages, again.path.stat().st_mtime_ns) == (first.sha256, first.pages, stamp)  # not rendered
    fake.set_worldbank_value("SP.POP.TOTL", "MEX", 2025, 132000000.0, lastupdated="2026-09-01")
    refresh.run_once(config)
    _, changed = brief(config)
    assert changed.sha256 != first.sha256 and changed.path.stat().st_mtime_ns != stamp


def test_a_chart_is_drawn_once_for_the_same_data_and_language(tmp_path):
    from bilateral.briefing import charts, wording

    series = [charts.Series("Russia", [(2020, 1.0, False), (2021, 2.0, True)])]
    with charts.cached_in(tmp_path):
        first = charts.line_chart(series, "GDP", "US$")
        (kept,) = tmp_path.glob("*.svg")
        kept.write_text(first.replace("GDP", "from the cache"))  # marks what a second call would read
        assert "from the cache" in charts.line_chart(series, "GDP", "US$")
        revised = [charts.Series("Russia", [(2020, 1.0, False), (2021, 3.0, True)])]
        assert "from the cache" not in charts.line_chart(revised, "GDP", "US$")
        with wording.speaking("es"):  # tick labels and legend follow the language
            assert "from the cache" not in charts.line_chart(series, "GDP", "US$")
    assert len(list(tmp_path.glob("*.svg"))) == 3


def test_an_amount_the_article_states_reads_as_stated_with_its_unit_once():
    from bilateral.briefing import context, wording

    assert [wording.money(value, shortest=True) for value in (700e9, 4.5e9, 20e6, 1.593e9)] == [
        "$700 bn", "$4.5 bn", "$20 m", "$1.59 bn"]
    assert wording.money(700e9) == "$700.00 bn"  # a measured amount keeps its fixed decimals
    claim = {"claimed": 700e9, "observed": None, "unit": "USD", "out_of": None, "verdict": "not checkable",
             "difference": None, "difference_unit": None, "observed_period": None, "source": None, "tolerance_text": None,
             "reading": "as stated", "vintage": None, "reason": None}
    written = [context._claim_row({**claim, "claimed": claimed, "unit": unit}) for claimed, unit in
               ((700e9, "USD"), (42, "rank"), (50.0, "%"), (5.0, "years"), (1.5, "%"))]
    assert [(row["claimed_text"], row["unit_text"]) for row in written] == [
        ("$700 bn", ""), ("42nd", ""), ("50", "%"), ("5", "years"), ("1.5", "%")]


def test_a_difference_of_one_place_or_chapter_is_singular():
    from bilateral.briefing import context

    assert [context._difference(value, unit) for value, unit in
            ((1, "places"), (-1, "places"), (2, "places"), (0, "places"), (-1, "chapters"), (1.0, "years"), (8.2, "%"))] == [
        "+1 place", "−1 place", "+2 places", "0 places", "−1 chapter", "+1.0 years", "+8.2%"]


def test_against_a_briefing_when_nothing_changed_the_chapter_says_so_in_one_line(config):
    refresh.run_once(config)
    brief(config, "2026-10")
    briefing, _ = brief(config, "2026-11")
    text = " ".join(re.sub(r"<[^>]+>", " ", render.html(briefing)).split())
    assert ("Nothing changed: no published value was revised, no new data arrived for the pair and no event was added"
            " to the timeline.") in text
    assert "Revised values" not in text and "New events" not in text


def test_a_count_in_a_template_sentence_takes_its_number_and_keeps_a_link_a_link():
    from markupsafe import Markup

    link = Markup('<a href="sources/worldbank.html">World Bank</a>')
    said = [render.translated_plural("{source}, {indicator}: {count} new value ({first}–{last})",
                                     "{source}, {indicator}: {count} new values ({first}–{last})",
                                     count, source=link, indicator="<GDP>", first=2024, last=2025) for count in (1, 2)]
    assert said == ['<a href="sources/worldbank.html">World Bank</a>, &lt;GDP&gt;: 1 new value (2024–2025)',
                    '<a href="sources/worldbank.html">World Bank</a>, &lt;GDP&gt;: 2 new values (2024–2025)']
