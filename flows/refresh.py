"""Refresh: plan -> collect each source (fetch, land, parse) -> load in one transaction -> publish."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.states import Failed, State

from bilateral import alerts, refresh, summaries, warehouse
from bilateral.config import Config, load_config
from bilateral.refresh import RunSummary
from bilateral.sources import Request
from bilateral.warehouse import SourceOutcome
from flows.alerts import emit as announce
from flows.writer import writer_slot


@task(cache_policy=NONE, task_run_name="collect-{source}")
def collect_source(config: Config, source: str, requests: list[Request], known: dict[str, str],
                   series: dict | None) -> SourceOutcome:
    outcome = refresh.collect(config, source, requests, known, series)
    if outcome.error:
        get_run_logger().warning(outcome.error)
    return outcome


@task(cache_policy=NONE)
def load_outcomes(config: Config, run_id: str, started_at: dt.datetime, outcomes: list[SourceOutcome]) -> RunSummary:
    return refresh.load(config, run_id, started_at, outcomes)


@flow(name="refresh")
def refresh_flow(config_path: str | None = None, full: bool = False) -> RunSummary | State:
    """The refresh; it ends Failed, after loading and publishing what did work, when any source failed,
    so schedules and automations see it (the run summary travels in the state's data)."""
    config = load_config(config_path)
    started_at = dt.datetime.now(dt.timezone.utc)
    run_id = refresh.new_run_id(started_at)
    with writer_slot(), warehouse.exclusive(config.home, "refresh"):
        verdicts_before = alerts.verdicts(config)
        known, series = warehouse.last_fetches(config.snapshot_path, full)
        futures = [
            collect_source.submit(config, source, requests, known, series) for source, requests in refresh.plan(config).items()
        ]
        summary = load_outcomes(config, run_id, started_at, [future.result() for future in futures])
    get_run_logger().info(summaries.run_line(summary))
    create_markdown_artifact(markdown=summaries.refresh_markdown(summary), key="refresh-summary")
    create_table_artifact(table=warehouse.revisions_of_run(config.snapshot_path, run_id), key="refresh-revisions")
    announce(alerts.after_refresh(config, summary, run_id, verdicts_before))
    if summary.failures:
        return Failed(message=f"refresh {summary.status}: " + "; ".join(summary.failures), data=summary)
    return summary
