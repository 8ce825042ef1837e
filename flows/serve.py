"""Serve: the refresh daily and the briefing monthly, on the schedules in bilateral.toml.

At most one refresh runs at a time: Prefect queues a second one (ENQUEUE) and the
data directory's writer lock refuses any refresh started outside Prefect.
"""

from __future__ import annotations

from prefect import Flow, serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.schedules import Cron

from bilateral.config import Config
from flows.briefing import briefing_flow
from flows.refresh import refresh_flow

ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


def scheduled(config: Config) -> list[tuple[Flow, str, dict]]:
    """Each scheduled flow, its deployment's name, and the deployment's settings (served here or deployed)."""
    schedule = config.schedule
    planned = (
        (refresh_flow, "daily", schedule.refresh_cron, "Fetch every enabled source and load what changed."),
        (briefing_flow, "monthly", schedule.briefing_cron, "Render this period's briefing in the configured languages, PDF and HTML, from the published warehouse."),
    )
    return [
        (flow, name, {"schedule": Cron(cron, timezone=schedule.timezone), "parameters": {"config_path": str(config.path)},
                      "concurrency_limit": ONE_AT_A_TIME, "description": description})
        for flow, name, cron, description in planned
    ]


def deployments(config: Config) -> list:
    return [flow.to_deployment(name=name, **settings) for flow, name, settings in scheduled(config)]


def serve_forever(config: Config) -> None:
    serve(*deployments(config), pause_on_shutdown=False)
