"""Briefing periods and as-of days, as a user types them: checked before anything else starts."""

from __future__ import annotations

import datetime as dt
import re

from bilateral.errors import UsageError


def parse_period(period: str | None, today: dt.date) -> tuple[str, dt.date, dt.date]:
    """'2026-11' or '2026-Q4' (default: the month of `today`) -> (label, first day, last day)."""
    period = period or f"{today:%Y-%m}"
    monthly = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", period)
    quarterly = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if monthly:
        year, month = int(monthly.group(1)), int(monthly.group(2))
        start, end_month = dt.date(year, month, 1), month
    elif quarterly:
        year, quarter = int(quarterly.group(1)), int(quarterly.group(2))
        start, end_month = dt.date(year, 3 * quarter - 2, 1), 3 * quarter
    else:
        raise UsageError(f"--period {period!r}: expected YYYY-MM (e.g. 2026-11) or YYYY-Qn (e.g. 2026-Q4)")
    following = dt.date(year + end_month // 12, end_month % 12 + 1, 1)
    return period, start, following - dt.timedelta(days=1)


def as_of_day(as_of: str) -> dt.date:
    try:
        return dt.date.fromisoformat(as_of)
    except ValueError:
        raise UsageError(f"--as-of {as_of!r}: expected a date YYYY-MM-DD, e.g. 2026-06-30") from None
