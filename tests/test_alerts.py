"""What a refresh has to announce, worked out without Prefect (tests/test_stack.py sees it through a real server)."""

import dataclasses

from bilateral import alerts, refresh
from bilateral.config import AlertsConfig
from conftest import refreshed


def test_a_refresh_announces_failures_big_revisions_and_changed_verdicts_only(fake, tmp_path):
    config = refreshed(tmp_path, fake)
    before = alerts.verdicts(config)
    fake.set_datamapper_value("NGDPD", "MEX", 2024, 2500.0)  # +35 %: beyond the 5 % threshold
    fake.set_datamapper_value("NGDPD", "RUS", 2024, 2174.0)  # +0.05 %: within it
    fake.set_datamapper_value("NGDPD", "MEX", 2023, 1400.0)  # the article's "1.4 trillion in 2023" now holds
    fake.fail("status", "/comtrade/", times=1000, status=404)
    summary = refresh.run_once(config, full=True)
    found = alerts.after_refresh(config, summary, summary.run_id, before)
    # a lower 2023 GDP for Mexico also moves its rank and its closeness to Russia's: three verdicts change
    assert sorted((alert.event, alert.resource) for alert in found) == [
        ("bilateral.claim.verdict-changed", "bilateral.claim.gdp-mexico-2023"),
        ("bilateral.claim.verdict-changed", "bilateral.claim.gdp-rank-mexico-2023"),
        ("bilateral.claim.verdict-changed", "bilateral.claim.gdp-very-close-2023"),
        ("bilateral.series.revised", "bilateral.series.imf_datamapper.NGDPD.MEX"),
        ("bilateral.series.revised", "bilateral.series.imf_datamapper.NGDPD.MEX"),
        ("bilateral.source.failed", "bilateral.source.comtrade"),
    ]
    changed = {alert.payload["claim"]: (alert.payload["was"], alert.payload["now"]) for alert in found if "claim" in alert.payload}
    assert changed["gdp-mexico-2023"] == ("outdated", "supported")
    revised = sorted(alert.payload["period"] for alert in found if alert.event == "bilateral.series.revised")
    assert revised == ["2023", "2024"]


def test_a_source_whose_last_good_fetch_is_too_old_is_announced(fake, tmp_path):
    config = dataclasses.replace(refreshed(tmp_path, fake), alerts=AlertsConfig(stale_after_days=0.0))
    summary = refresh.run_once(config)
    stale = [alert.resource for alert in alerts.after_refresh(config, summary, summary.run_id, {})
             if alert.event == "bilateral.source.stale"]
    assert sorted(stale) == [f"bilateral.source.{source}" for source in ("comtrade", "imf_datamapper", "imf_trade", "worldbank")]
