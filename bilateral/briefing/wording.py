"""How the briefing says things to its reader, in the reader's language: words, country names, numbers, money, dates.

Reader text goes through gettext catalogs (reports/locale/<lang>/LC_MESSAGES/messages.po,
compiled with Babel when first used); numbers and dates follow the locale's CLDR rules
through Babel ("1,798.3" / "1.798,3" / "1 798,3"; "16 September 2023" / "16 de septiembre
de 2023" / "16 сентября 2023 г."). Countries by their common short names in that language
("Russia", not "Russian Federation"); negatives with a true minus sign (U+2212); dates
written with the precision they have.

The language is set for a stretch of work with `speaking(lang)`; English is the default.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext as gettext_module
import io
import re
from collections.abc import Iterator

import pycountry
from babel import Locale, dates, numbers
from babel.messages import mofile, pofile

from bilateral.config import LANGUAGES
from bilateral.paths import reports_dir

MINUS = "\u2212"
_CODE = re.compile(r"\b[A-Z]{3}\b")
_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default="en")


class UnknownLanguage(ValueError):
    pass


@contextlib.contextmanager
def speaking(language: str) -> Iterator[None]:
    """Word everything in `language` inside the block."""
    if language not in LANGUAGES:
        raise UnknownLanguage(f"language {language!r}: choose one of {', '.join(LANGUAGES)}")
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def language() -> str:
    return _language.get()


def file_suffix(language: str) -> str:
    """What a file name carries for its language: nothing for English, `.es`, `.ru` for the others."""
    return "" if language == "en" else f".{language}"


@functools.cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The compiled catalog of a language (English is the source: no catalog)."""
    if language == "en":
        return gettext_module.NullTranslations()
    path = reports_dir() / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        catalog = pofile.read_po(source, locale=language)
    compiled = io.BytesIO()
    mofile.write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is defined; `_` translates it where it is printed."""
    return message


def _(message: str, **values) -> str:
    """A reader's sentence in the current language, with its {named} values filled in."""
    if not message:
        return message  # gettext("") is the catalog's header
    text = translations(language()).gettext(message)
    return text.format(**values) if values else text


def rephrased(text: str, phrases: list[tuple[re.Pattern, str]]) -> str:
    """A sentence written in English elsewhere (by a mart), in the current language when it follows one of
    `phrases` (pattern, message with the pattern's named groups); else as it is."""
    for pattern, message in phrases:
        match = pattern.fullmatch(text)
        if match:
            return _(message, **{name: _decimal(value) for name, value in match.groupdict().items()})
    return text


def _decimal(text: str) -> str:
    """A decimal number the mart wrote ("5.0"), written as the locale writes it; other text as it is."""
    if re.fullmatch(r"\d+\.\d+", text):
        return number(float(text), len(text.split(".")[1]))
    return text


def ngettext(singular: str, plural: str, count: int, **values) -> str:
    """A sentence whose words follow a count ({count} is filled in)."""
    return plural_message(singular, plural, count).format(count=count, **values)


def plural_message(singular: str, plural: str, count: int) -> str:
    """The message for `count` in the current language, its placeholders not yet filled in."""
    return translations(language()).ngettext(singular, plural, count)


@functools.cache
def _country_name(code: str, language: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return Locale(language).territories.get(country.alpha_2) or getattr(country, "common_name", None) or country.name


def country_name(code: str) -> str:
    """The common short name of an ISO alpha-3 code in the current language; the code itself when it names no country."""
    return _country_name(code, language())


def pair_title(countries: tuple[str, ...] | list[str]) -> str:
    """"Russia and Mexico", in the current language."""
    return _("{a} and {b}", a=country_name(countries[0]), b=country_name(countries[1]))


# English puts "the" before these names within a sentence: "trade with the United States", "the Netherlands"
_WITH_THE = re.compile(r"^United |^(Netherlands|Philippines|Bahamas|Gambia|Maldives|Comoros|Seychelles)$|(Islands|Republic)$")


def country_in_text(code: str) -> str:
    """A country's name as it reads within a sentence ("the United States" in English); `sentence` capitalises
    one that opens it."""
    name = country_name(code)
    return f"the {name}" if language() == "en" and _WITH_THE.search(name) else name


def sentence(text: str) -> str:
    """The text with its first letter capitalised: a sentence may open with "the United States"."""
    return text[:1].upper() + text[1:]


def with_country_names(text: str) -> str:
    """A sentence with the ISO alpha-3 codes of countries replaced by their names (USD, GDP... stay)."""
    named = _CODE.sub(lambda match: country_in_text(match.group(0)), text)
    return sentence(named) if _CODE.match(text) else named


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 11th; 11.º; 11-е."""
    if language() == "es":
        return f"{number}.º"
    if language() == "ru":
        return f"{number}-е"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def direction(exporter: str, importer: str) -> str:
    return f"{country_name(exporter)} → {country_name(importer)}"


def _unsigned(value: float, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return numbers.format_decimal(abs(value), format=pattern, locale=language(), decimal_quantization=True)


def _is_zero(value: float, decimals: int) -> bool:
    return round(abs(value), decimals) == 0


def number(value: float | None, decimals: int = 1) -> str:
    """Thousands separated by the locale, fixed decimals, a true minus; an en dash when missing."""
    if value is None:
        return "–"
    text = _unsigned(value, decimals)
    return MINUS + text if value < 0 and not _is_zero(value, decimals) else text


def signed(value: float | None, decimals: int = 1, suffix: str = "") -> str:
    """A change: always signed (+ or a true minus), '0' unsigned."""
    if value is None:
        return "–"
    text = _unsigned(value, decimals)
    if _is_zero(value, decimals):
        return text + suffix
    return ("+" if value > 0 else MINUS) + text + suffix


def money(value: float | None, shortest: bool = False) -> str:
    """US dollars as a reader says them: $1.59 bn, $421.4 m (1,59 mil M US$; 1,59 млрд долл.).

    `shortest` drops the decimals the amount does not have: a round figure someone stated reads
    $700 bn, not $700.00 bn."""
    if value is None:
        return "–"
    sign = MINUS if value < 0 else ""
    scaled, decimals, message = (value / 1e9, 2, N_("${amount} bn")) if abs(value) >= 1e9 else (value / 1e6, 1, N_("${amount} m"))
    return sign + _(message, amount=_unsigned(scaled, fewest_decimals(scaled, decimals) if shortest else decimals))


def fewest_decimals(value: float, most: int) -> int:
    """The fewest decimals that write `value` as `most` decimals would: 700.00 needs none, 4.50 one."""
    return next(places for places in range(most + 1) if round(value, places) == round(value, most))


def event_date(day: dt.date, precision: str) -> str:
    """A date with the precision it has: day, month or year."""
    if precision == "day":
        return dates.format_date(day, "d MMMM y" if language() == "en" else "long", locale=language())
    if precision == "month":
        return dates.format_skeleton("yMMMM", day, locale=language())
    return f"{day.year}"


def with_written_dates(text: str) -> str:
    """ISO days in a sentence (1963-09-27) written out (27 September 1963)."""
    return _ISO_DAY.sub(lambda match: event_date(dt.date.fromisoformat(match.group(0)), "day"), text)


def moment(when: dt.datetime | None) -> str:
    if not when:
        return "–"
    return f"{event_date(when.date(), 'day')}, {when:%H:%M} UTC"


def period_name(period: str) -> str:
    """'2026-11' -> 'November 2026'; '2026-Q4' -> 'fourth quarter of 2026'."""
    year, rest = period.split("-")
    if rest.startswith("Q"):
        quarters = (_("first quarter of {year}"), _("second quarter of {year}"),
                    _("third quarter of {year}"), _("fourth quarter of {year}"))
        return quarters[int(rest[1]) - 1].format(year=year)
    return event_date(dt.date(int(year), int(rest), 1), "month")


def edition_name(vintage: str | None) -> str | None:
    """'WEO 2025-10' -> 'October 2025 edition'; other vintages unchanged."""
    if vintage and vintage.startswith("WEO ") and re.fullmatch(r"\d{4}-\d{2}", vintage[4:]):
        return _("{month} edition", month=event_date(dt.date(int(vintage[4:8]), int(vintage[9:11]), 1), "month"))
    return vintage
