"""Serve: the refresh daily and each pair's briefing monthly, on the schedules in bilateral.toml.

At most one refresh runs at a time: Prefect queues a second one (ENQUEUE) and the
data directory's writer lock refuses any refresh started outside Prefect. Each pair's
briefing is a deployment of its own, so the pairs' briefings are separate flow runs that
free workers take side by side.
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
    """Each scheduled flow, its deployment's name, and the deployment's settings (served here or deployed):
    `daily` refreshes every pair's data, `monthly-rus-mex` renders that pair's briefing."""
    schedule = config.schedule
    common = {"config_path": str(config.path)}
    planned = [(refresh_flow, "daily", schedule.refresh_cron, common,
                "Fetch every enabled source, for every configured pair, and load what changed.")]
    planned += [(briefing_flow, f"monthly-{pair.code.lower()}", schedule.briefing_cron, {**common, "pair": pair.code},
                 f"Render this period's {pair.code} briefing in its languages, PDF and HTML, from the published warehouse.")
                for pair in config.pairs]
    return [
        (flow, name, {"schedule": Cron(cron, timezone=schedule.timezone), "parameters": parameters,
                      "concurrency_limit": ONE_AT_A_TIME, "description": description})
        for flow, name, cron, parameters, description in planned
    ]


def deployments(config: Config) -> list:
    return [flow.to_deployment(name=name, **settings) for flow, name, settings in scheduled(config)]


def serve_forever(config: Config) -> None:
    serve(*deployments(config), pause_on_shutdown=False)
