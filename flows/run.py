"""Run: the refresh, then this period's briefing, in one process (what `bilateral run` does)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from bilateral.refresh import RunSummary
from flows.briefing import briefing_flow
from flows.refresh import refresh_flow


@flow(name="run")
def run_flow(config_path: str | None = None) -> tuple[RunSummary, Path]:
    summary = refresh_flow(config_path)
    return summary, briefing_flow(config_path)
