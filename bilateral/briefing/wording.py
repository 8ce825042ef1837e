"""How the briefing says things to its reader: country names, numbers, money, dates.

Countries by their common short names (CLDR, through Babel: "Russia", not "Russian
Federation"), negatives with a true minus sign (U+2212), thousands separated, dates
written out with the precision they have ("16 September 2023", "September 2023", "2023").
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import pycountry
from babel import Locale

MINUS = "\u2212"
_CODE = re.compile(r"\b[A-Z]{3}\b")
_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@functools.cache
def country_name(code: str) -> str:
    """The common short English name of an ISO alpha-3 code; the code itself when it names no country."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return Locale("en").territories.get(country.alpha_2) or getattr(country, "common_name", None) or country.name


def with_country_names(text: str) -> str:
    """A sentence with the ISO alpha-3 codes of countries replaced by their names (USD, GDP... stay)."""
    return _CODE.sub(lambda match: country_name(match.group(0)), text)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 11th, 22nd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def direction(exporter: str, importer: str) -> str:
    return f"{country_name(exporter)} → {country_name(importer)}"


def number(value: float | None, decimals: int = 1) -> str:
    """Thousands separated, fixed decimals, a true minus; an en dash when missing."""
    if value is None:
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    return MINUS + text if value < 0 and float(text.replace(",", "")) != 0 else text


def signed(value: float | None, decimals: int = 1, suffix: str = "") -> str:
    """A change: always signed (+ or a true minus), '0' unsigned."""
    if value is None:
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return text + suffix
    return ("+" if value > 0 else MINUS) + text + suffix


def money(value: float | None) -> str:
    """US dollars as a reader says them: $1.59 bn, $421.4 m."""
    if value is None:
        return "–"
    sign = MINUS if value < 0 else ""
    if abs(value) >= 1e9:
        return f"{sign}${abs(value) / 1e9:,.2f} bn"
    return f"{sign}${abs(value) / 1e6:,.1f} m"


def event_date(day: dt.date, precision: str) -> str:
    """A date with the precision it has: day, month or year."""
    if precision == "day":
        return f"{day.day} {day:%B %Y}"
    if precision == "month":
        return f"{day:%B %Y}"
    return f"{day.year}"


def with_written_dates(text: str) -> str:
    """ISO days in a sentence (1963-09-27) written out (27 September 1963)."""
    return _ISO_DAY.sub(lambda match: event_date(dt.date.fromisoformat(match.group(0)), "day"), text)


def moment(when: dt.datetime | None) -> str:
    return f"{when.day} {when:%B %Y, %H:%M} UTC" if when else "–"


def period_name(period: str) -> str:
    """'2026-11' -> 'November 2026'; '2026-Q4' -> 'fourth quarter of 2026'."""
    year, rest = period.split("-")
    if rest.startswith("Q"):
        return f"{('first', 'second', 'third', 'fourth')[int(rest[1]) - 1]} quarter of {year}"
    return f"{dt.date(int(year), int(rest), 1):%B %Y}"


def edition_name(vintage: str | None) -> str | None:
    """'WEO 2025-10' -> 'October 2025 edition'; other vintages unchanged."""
    if vintage and vintage.startswith("WEO ") and re.fullmatch(r"\d{4}-\d{2}", vintage[4:]):
        return f"{dt.date(int(vintage[4:8]), int(vintage[9:11]), 1):%B %Y} edition"
    return vintage
