"""What a refresh or a briefing has to tell the people who run it, as alerts.

Worked out here from the run and the published warehouse, without Prefect. The flows send each
alert as a Prefect event (flows/alerts.py), and the automations `bilateral alerts install` creates
turn those events into notifications: a webhook, or any notification block of Prefect's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bilateral import queries
from bilateral.config import Config
from bilateral.connections import look_at, reader

if TYPE_CHECKING:
    from bilateral.refresh import RunSummary

# event -> what it announces (the automations' descriptions)
EVENTS = {
    "bilateral.source.failed": "a source could not be reached or read in a refresh; its last good data are served",
    "bilateral.source.stale": "a source's last good fetch is older than alerts.stale_after_days",
    "bilateral.series.revised": "a headline value of a pair's country was revised by more than alerts.revision_pct per cent",
    "bilateral.claim.verdict-changed": "the verdict on one of a pair's curated claims changed",
    "bilateral.briefing.published": "a briefing edition was rendered and recorded",
}
# the figures a briefing leads with: a revision of one of them is news
HEADLINE = {"NGDPD", "NGDPDPC", "NGDP_RPCH", "PCPIPCH", "NY.GDP.MKTP.CD", "SP.POP.TOTL", "XG_FOB_USD", "MG_CIF_USD"}


@dataclass(frozen=True)
class Alert:
    event: str  # one of EVENTS
    resource: str  # what it is about: "bilateral.source.worldbank", "bilateral.claim.<id>", ...
    message: str  # one line for the notification
    payload: dict = field(default_factory=dict)


def verdicts(config: Config) -> dict[str, str]:
    """Each claim's verdict in the published warehouse, every pair's (none before the first refresh)."""
    if not config.snapshot_path.exists():
        return {}
    with contextlib.closing(reader(config.snapshot_path)) as connection:
        return _verdicts(connection, config)


def _verdicts(connection, config: Config) -> dict[str, str]:
    found = {}
    for pair in config.pairs:  # marts.claims_check is about one pair at a time
        look_at(connection, pair.code)
        found.update(connection.execute(queries.text("claim_verdicts")).fetchall())
    return found


def after_refresh(config: Config, summary: RunSummary, run_id: str, verdicts_before: dict[str, str]) -> list[Alert]:
    """Failed and stale sources, headline revisions beyond the threshold, and changed verdicts."""
    found = [Alert("bilateral.source.failed", f"bilateral.source.{outcome.source}", outcome.error, {"source": outcome.source})
             for outcome in summary.outcomes if outcome.error]
    with contextlib.closing(reader(config.snapshot_path)) as connection:
        found += _stale(connection, config)
        found += _revisions(connection, config, run_id)
        found += _verdict_changes(connection, config, verdicts_before)
    return found


def briefing_published(path: Path, period: str, language: str, pages: int) -> Alert:
    return Alert("bilateral.briefing.published", f"bilateral.briefing.{path.name}",
                 f"briefing {path.name} published: {period}, {language}, {pages} pages",
                 {"path": str(path), "period": period, "language": language, "pages": pages})


def _stale(connection, config: Config) -> list[Alert]:
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=config.alerts.stale_after_days)
    result = connection.execute(queries.text("status"))
    columns = [column[0] for column in result.description]
    stale = []
    for row in result.fetchall():
        source, fetched_at = (dict(zip(columns, row))[key] for key in ("source", "fetched_at"))
        if source in config.sources and config.sources[source].enabled and (fetched_at is None or fetched_at < cutoff):
            when = f"{fetched_at:%Y-%m-%d}" if fetched_at else "never"
            stale.append(Alert("bilateral.source.stale", f"bilateral.source.{source}",
                               f"{source}: last good fetch {when}, more than {config.alerts.stale_after_days:g} days ago",
                               {"source": source, "last_good_fetch": when}))
    return stale


def _revisions(connection, config: Config, run_id: str) -> list[Alert]:
    rows = connection.execute(queries.text("revisions_of_run"), {"run_id": run_id}).fetchall()
    watched = {country for pair in config.pairs for country in pair.countries}
    found = []
    for source, indicator, country, partner, period, old, new, unit in rows:
        if indicator not in HEADLINE or country not in watched or not old:
            continue
        change = 100 * (new - old) / abs(old)
        if abs(change) > config.alerts.revision_pct:
            where = f"{country}-{partner}" if partner else country
            found.append(Alert("bilateral.series.revised", f"bilateral.series.{source}.{indicator}.{where}",
                               f"{source} {indicator} {where} {period} revised {change:+.1f}%: {old:g} -> {new:g} {unit or ''}".rstrip(),
                               {"source": source, "indicator": indicator, "country": country, "partner": partner,
                                "period": period, "old": old, "new": new, "change_pct": round(change, 2)}))
    return found


def _verdict_changes(connection, config: Config, before: dict[str, str]) -> list[Alert]:
    if not before:
        return []  # the first refresh: nothing to compare with
    now = _verdicts(connection, config)
    return [Alert("bilateral.claim.verdict-changed", f"bilateral.claim.{claim}",
                  f"claim {claim}: {before[claim]} -> {verdict}", {"claim": claim, "was": before[claim], "now": verdict})
            for claim, verdict in sorted(now.items()) if claim in before and before[claim] != verdict]
