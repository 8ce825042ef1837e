"""Spanish and Russian editions: every message, event and claim translated; the PDFs in the reader's language
with the locale's numbers and dates; no English sentence of the templates left in them."""

import re
import subprocess
import sys

import pytest
import yaml
from babel.messages.pofile import read_po
from pypdf import PdfReader

from bilateral.briefing import produce
from conftest import REPO, refreshed

LOCALE = REPO / "reports" / "locale"
TRANSLATED = ("es", "ru")
PLACEHOLDER = re.compile(r"\{\w+\}")


def catalog(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=language)


def test_the_template_catalog_holds_every_message_of_the_code(tmp_path):
    extracted = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_", "--no-location",
                    "-o", str(extracted), "."], cwd=REPO, check=True, capture_output=True)
    with extracted.open("rb") as fresh, (LOCALE / "messages.pot").open("rb") as kept:
        assert {message.id for message in read_po(fresh)} == {message.id for message in read_po(kept)}, (
            "run the pybabel extract and update commands of babel.cfg")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(language):
    with (LOCALE / "messages.pot").open("rb") as source:
        wanted = {message.id for message in read_po(source) if message.id}
    translated = {message.id: message for message in catalog(language) if message.id}
    assert wanted <= translated.keys()
    for message in translated.values():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert text, f"{language}: no translation of {ids[0]!r}"
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(" ".join(ids))), (language, ids[0], text)


@pytest.mark.parametrize(("file", "top", "fields"), [("events.yaml", "events", ("title", "summary", "date_note")),
                                                     ("claims.yaml", "claims", ("text", "section", "needs"))])
def test_every_event_and_claim_carries_its_texts_in_every_language(file, top, fields):
    for row in yaml.safe_load((REPO / "data" / file).read_text(encoding="utf-8"))[top]:
        english = {field for field in fields if row.get(field) or (row.get("metric") or {}).get(field)}
        for language in TRANSLATED:
            assert set(row.get(language) or {}) == english, f"{file}: {row['id']}: {language} lacks or adds a field"


@pytest.fixture(scope="module")
def editions(tmp_path_factory, fake_api):
    """The recorded data's briefing in each language, as text."""
    fake_api.reset()
    config = refreshed(tmp_path_factory.mktemp("editions"), fake_api)
    texts = {}
    for language in ("en", *TRANSLATED):
        briefing, rendered = produce.run_once(config, "2026-11", language=language)
        reader = PdfReader(rendered.path)
        texts[language] = (rendered.path.name, reader.trailer["/Root"]["/Lang"],
                           " ".join(" ".join(page.extract_text() for page in reader.pages).split()), len(briefing.findings))
    fake_api.reset()
    return texts


def test_every_edition_draws_the_same_findings(editions):
    assert editions["en"][3] >= 4
    assert {language: edition[3] for language, edition in editions.items()} == dict.fromkeys(editions, editions["en"][3])


def test_each_language_has_its_own_file_and_pdf_language(editions):
    assert {language: edition[:2] for language, edition in editions.items()} == {
        "en": ("2026-11_rus-mex.pdf", "en"), "es": ("2026-11_rus-mex.es.pdf", "es"), "ru": ("2026-11_rus-mex.ru.pdf", "ru")}


@pytest.mark.parametrize(("language", "said"), [
    # the locale's numbers and dates (CLDR): the recorded IMF GDP of Russia for 2024 and the month of the briefing
    ("es", ["noviembre de 2026", "2.173", "México"]),
    ("ru", ["ноябрь 2026 г.", "2\u00a0173", "Мексика"]),
])
def test_an_edition_speaks_its_language(editions, language, said):
    text = editions[language][2]
    for words in said:
        assert words.replace("\u00a0", " ") in text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_sentence_of_the_templates_is_left(editions, language):
    text = editions[language][2]
    left = []
    for message in catalog(language):
        if not message.id or isinstance(message.id, tuple):
            continue
        # the longest stretch of the English between placeholders, when it is a phrase, not a name
        stretch = max(PLACEHOLDER.split(message.id), key=len).strip(" .,;:()")
        if len(stretch) >= 24 and stretch in editions["en"][2] and stretch not in message.string:
            left += [stretch] if stretch in text else []
    assert not left


def test_an_empty_message_stays_empty_in_every_language():
    from bilateral.briefing import wording

    for language in TRANSLATED:
        with wording.speaking(language):
            assert wording._("") == ""


@pytest.mark.parametrize(("language", "said"), [
    ("en", "IMF IMTS holds no 2022 trade of Mexico with the United States; the Netherlands and Russia: the dated events"),
    ("es", "IMF IMTS holds no 2022 trade of México with Estados Unidos; Países Bajos and Rusia: the dated events"),
])
def test_a_country_within_a_sentence_reads_as_the_language_writes_it(language, said):
    from bilateral.briefing import wording

    with wording.speaking(language):
        assert wording.with_country_names("IMF IMTS holds no 2022 trade of MEX with USA; NLD and RUS: the dated events") == said
        opening = wording.with_country_names("USA reported no exports")
    assert opening == {"en": "The United States reported no exports", "es": "Estados Unidos reported no exports"}[language]


@pytest.mark.parametrize(("language", "latest", "said"), [
    ("en", "2025", "stale: its latest data are for 2025, 1 year before 2026"),
    ("en", "2020", "stale: its latest data are for 2020, 6 years before 2026"),
    ("ru", "2024", "устарел: последние данные — за 2024 г., на 2 года раньше 2026 г."),
    ("ru", "2021", "устарел: последние данные — за 2021 г., на 5 лет раньше 2026 г."),
    ("es", "2025", "desactualizada: sus datos más recientes corresponden a 2025, 1 año antes de 2026"),
])
def test_a_stale_source_counts_its_years_in_the_words_of_the_language(language, latest, said):
    from bilateral.briefing import context, wording

    with wording.speaking(language):
        assert context._state_text("stale", {"latest_period": latest, "fetched_at": "x"}, 2026) == said


@pytest.mark.parametrize(("language", "revised", "new", "said"), [
    ("en", 0, 0, "Since the briefing for November 2026, no published value was revised and no new value arrived for the pair."),
    ("en", 1, 12, "Since the briefing for November 2026, 1 published value was revised and 12 new values arrived for the pair."),
    ("ru", 3, 0, "Со времени обзора за ноябрь 2026 по паре стран пересмотрено 3 опубликованных значения, не поступило ни одного"
                 " нового значения."),
])
def test_the_finding_on_what_changed_counts_in_the_words_of_the_language(language, revised, new, said):
    from types import SimpleNamespace

    from bilateral.briefing import findings, wording

    changes = {"has_previous": True, "all_revisions": revised, "new_points": [{"new_values": new}], "previous_period": "November 2026"}
    if language == "ru":
        changes["previous_period"] = "ноябрь 2026"
    with wording.speaking(language):
        assert findings._changes(SimpleNamespace(changes=changes)) == said
